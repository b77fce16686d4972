/**
 * `npm start` on Linux serves the workbench with webpack's dev server. Stopping it with SIGTERM or SIGINT (Ctrl+C, a
 * process manager) must stop the server too: the port is free again and no process of the server is left.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { connect } from "node:net";
import { resolve } from "node:path";

const ROOT = resolve(__dirname, "../..");

/** Resolves true when something accepts a connection on the port. */
function listening(port: number): Promise<boolean> {
  return new Promise((ok) => {
    const socket = connect({ port, host: "127.0.0.1" });
    socket.once("connect", () => {
      socket.destroy();
      ok(true);
    });
    socket.once("error", () => ok(false));
  });
}

async function until(what: string, ms: number, test: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await test()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out after ${ms} ms waiting for ${what}`);
}

/** Starts scripts/start.js and waits for the dev server to listen on the port it prints. */
async function startWorkbench(): Promise<{ child: ChildProcess; port: number; output: () => string }> {
  const child = spawn(process.execPath, ["scripts/start.js"], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout?.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (out += d.toString()));
  let port = 0;
  await until("the workbench URL", 30_000, async () => {
    const m = /http:\/\/localhost:(\d+)\/workbench\.html/.exec(out);
    if (m) port = Number(m[1]);
    return port > 0;
  });
  await until(`the dev server on port ${port}`, 120_000, () => listening(port));
  return { child, port, output: () => out };
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null)
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((ok) => child.once("exit", (code, signal) => ok({ code, signal })));
}

const posix = process.platform === "linux";

(posix ? describe : describe.skip)("npm start (scripts/start.js) on Linux", () => {
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    it(`stops the dev server on ${signal}`, async () => {
      const { child, port, output } = await startWorkbench();
      try {
        child.kill(signal);
        const { code } = await exited(child);
        // The server went with it: the port is free within a few seconds.
        await until(`port ${port} to be released`, 10_000, async () => !(await listening(port)));
        // 128 + the signal's number, as a shell reports a command ended by that signal (SIGTERM 143, SIGINT 130).
        expect(code).toBe(signal === "SIGTERM" ? 143 : 130);
      } catch (e) {
        child.kill("SIGKILL");
        throw new Error(`${String(e)}\n--- start.js output ---\n${output()}`, { cause: e });
      }
    }, 180_000);
  }
});
