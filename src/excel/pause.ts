/**
 * A pause between long steps of an operation's own work (reading a 5,000-row plan, planning its writes, the summary
 * model), so the task pane paints its progress line and takes input between them: each step is a task of its own
 * instead of one frozen second (issue 16 §10). It calls nothing in Excel, so it costs no round trip; in a browser it
 * takes well under a millisecond (a MessageChannel message, not setTimeout's 4 ms clamp).
 */
export function pause(): Promise<void> {
  if (typeof MessageChannel === "function") {
    return new Promise((resolve) => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        channel.port1.close();
        resolve();
      };
      channel.port2.postMessage(null);
    });
  }
  if (typeof setImmediate === "function") return new Promise((resolve) => setImmediate(resolve));
  return new Promise((resolve) => setTimeout(resolve, 0));
}
