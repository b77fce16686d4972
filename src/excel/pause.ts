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

/**
 * Pauses for a long loop over a plan's rows: the function it returns awaits `wait` ({@link pause}) once about
 * `sliceMs` of work has run since the last pause, and else resolves at once. Awaited once a row, it makes a 5,000-row loop a
 * few tasks of about `sliceMs` each instead of one (Structure's planning was one task of 0.13–0.2 s, issue 16 §10).
 */
export function slices(sliceMs = 30, wait: () => Promise<void> = pause): () => Promise<void> {
  let start = Date.now();
  return async () => {
    if (Date.now() - start < sliceMs) return;
    await wait();
    start = Date.now();
  };
}
