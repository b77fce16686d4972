/**
 * Real-browser harness for the workbench: finds Debian's chromium (never downloads one), builds the workbench page
 * with webpack into a temporary directory, serves it on localhost and launches chromium with the flags that work
 * headless as root on these machines (guide §3).
 */
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFile, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { extname, join, normalize, resolve, sep } from "node:path";
import { promisify } from "node:util";
import { chromium, type BrowserContext } from "playwright-core";

const ROOT = resolve(__dirname, "../..");

export const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** The chromium to drive: PLAN_LEDGER_CHROMIUM, else the distribution's binary. */
export function chromiumPath(): string | undefined {
  const candidates = [process.env.PLAN_LEDGER_CHROMIUM, "/usr/bin/chromium", "/usr/bin/chromium-browser"];
  return candidates.find((p): p is string => p !== undefined && p !== "" && existsSync(p));
}

/**
 * Whether the browser tests can run. Without chromium they are skipped with a notice, unless
 * PLAN_LEDGER_REQUIRE_BROWSER=1 (CI), where the missing browser is reported as a failure by the caller.
 */
export function browserAvailability(): { run: true; path: string } | { run: false; required: boolean } {
  const path = chromiumPath();
  if (path) return { run: true, path };
  const required = process.env.PLAN_LEDGER_REQUIRE_BROWSER === "1";
  if (!required) {
    console.warn(
      "chromium not found (/usr/bin/chromium or PLAN_LEDGER_CHROMIUM): skipping the workbench browser tests. " +
        "Install it with `apt-get install chromium`; set PLAN_LEDGER_REQUIRE_BROWSER=1 to make its absence a failure.",
    );
  }
  return { run: false, required };
}

/**
 * Builds the workbench and self-test pages (development mode: fast, same code) into a fresh temporary directory. With
 * PLAN_LEDGER_WORKBENCH_DIR set, serves that prebuilt directory instead (e.g. `dist/` after `npm run build`).
 */
export async function buildWorkbench(): Promise<{ dir: string; cleanup: () => void }> {
  const prebuilt = process.env.PLAN_LEDGER_WORKBENCH_DIR;
  if (prebuilt) {
    if (!existsSync(join(prebuilt, "workbench.html"))) throw new Error(`${prebuilt}/workbench.html does not exist`);
    return { dir: prebuilt, cleanup: () => undefined };
  }
  const dir = mkdtempSync(join(tmpdir(), "plan-ledger-workbench-"));
  const cli = require.resolve("webpack-cli/bin/cli.js", { paths: [ROOT] });
  try {
    await promisify(execFile)(
      process.execPath,
      [cli, "--mode", "development", "--env", "only=workbench,selftest", "--output-path", dir, "--no-devtool"],
      { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 },
    );
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    const out = e as { stdout?: string; stderr?: string };
    throw new Error(`webpack failed to build the workbench:\n${out.stdout ?? ""}\n${out.stderr ?? ""}`, { cause: e });
  }
  for (const page of ["workbench.html", "selftest.html"])
    if (!existsSync(join(dir, page))) throw new Error(`webpack wrote no ${page} into ${dir}`);
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".json": "application/json",
  ".png": "image/png",
  ".xml": "application/xml",
};

/** Serves a directory on 127.0.0.1 at a free port. */
export async function serve(dir: string): Promise<{ url: string; close: () => Promise<void> }> {
  const base = normalize(dir + sep);
  const server: Server = createServer((req, res) => {
    const path = normalize(join(dir, decodeURIComponent(new URL(req.url ?? "/", "http://localhost").pathname)));
    if (!path.startsWith(base)) {
      res.writeHead(403).end();
      return;
    }
    readFile(path, (err, data) => {
      if (err) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { "Content-Type": TYPES[extname(path)] ?? "application/octet-stream" }).end(data);
    });
  });
  await new Promise<void>((ok, fail) => {
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => ok());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise<void>((ok, fail) => server.close((e) => (e ? fail(e) : ok()))),
  };
}

/**
 * Launches chromium headless with a fresh profile directory (playwright takes the profile as the persistent context's
 * directory rather than a --user-data-dir flag).
 */
export async function launch(
  executablePath: string,
  options: { viewport: { width: number; height: number } },
): Promise<{ context: BrowserContext; cleanup: () => Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), "plan-ledger-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: options.viewport,
    acceptDownloads: true,
  });
  return {
    context,
    cleanup: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * The built workbench served on a free port and a chromium to open it: what every browser suite starts with. `close`
 * stops the browser, the server and removes the build.
 */
export async function startWorkbench(
  executablePath: string,
  viewport: { width: number; height: number },
): Promise<{ context: BrowserContext; baseUrl: string; close: () => Promise<void> }> {
  const built = await buildWorkbench();
  const server = await serve(built.dir);
  const launched = await launch(executablePath, { viewport });
  return {
    context: launched.context,
    baseUrl: server.url,
    close: async () => {
      await launched.cleanup();
      await server.close();
      built.cleanup();
    },
  };
}
