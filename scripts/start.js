#!/usr/bin/env node
/*
 * `npm start`: sideload into Excel desktop where there is one (Windows, macOS), as `yo office` does; elsewhere serve the
 * browser workbench on the first free port from 3000 and print its URL.
 */
"use strict";
const { spawn } = require("node:child_process");
const fs = require("node:fs");
const net = require("node:net");
const os = require("node:os");
const path = require("node:path");

const ROOT = path.join(__dirname, "..");
const WINDOWS = process.platform === "win32";

/**
 * Runs a command and resolves with its exit code. Stopping `npm start` (Ctrl+C, SIGTERM from a process manager) stops
 * the command and everything it started: the child leads its own process group and the signal goes to the whole group,
 * since `npx` does not pass a signal on to the server it spawned (seen: `webpack serve` left holding the port).
 */
function run(cmd, args, { group = false } = {}) {
  return new Promise((resolve, reject) => {
    // Only the server gets its own group: a process outside the terminal's foreground group cannot read the terminal,
    // and the desktop tools may ask for a password (certificate install).
    const ownGroup = group && !WINDOWS;
    const child = spawn(cmd, args, { stdio: "inherit", shell: WINDOWS, cwd: ROOT, detached: ownGroup });
    let stopping = null;
    const stop = (signal) => {
      stopping = signal;
      try {
        // A negative pid signals the process group (POSIX kill(2)).
        if (ownGroup) process.kill(-child.pid, signal);
        else child.kill(signal);
      } catch (e) {
        if (e.code !== "ESRCH") throw e;
      }
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      // 128 + n, as a shell reports a command ended by signal n.
      if (stopping !== null) resolve(128 + os.constants.signals[stopping]);
      else resolve(code ?? (signal ? 1 : 0));
    });
  });
}

/** Resolves true when nothing listens on the port (checked on all interfaces, as the dev server binds). */
function isFree(port) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.once("listening", () => server.close(() => resolve(true)));
    server.listen(port);
  });
}

async function freePort(from) {
  for (let port = from; port < from + 50; port++) if (await isFree(port)) return port;
  throw new Error(`No free port between ${from} and ${from + 49}`);
}

async function desktop() {
  // Both tools are fetched on demand: office-addin-debugging pulls a native keychain module that Linux CI cannot build.
  // Office loads the pane from https://localhost:3000, so the dev server runs with the developer certificates.
  const certs = await run("npx", ["--yes", "office-addin-dev-certs@3", "install"]);
  if (certs !== 0) return certs;
  const devServer = "npx webpack serve --mode development --env https";
  return run("npx", [
    "--yes",
    "office-addin-debugging@6",
    "start",
    "manifest.xml",
    "desktop",
    "--app",
    "excel",
    "--dev-server",
    WINDOWS ? `"${devServer}"` : devServer,
    "--dev-server-port",
    "3000",
  ]);
}

async function workbench() {
  const port = await freePort(3000);
  const url = `http://localhost:${port}/workbench.html`;
  console.log(`\nPlan Ledger workbench (the task pane over an in-memory workbook): ${url}`);
  console.log("The first build takes about half a minute; the page waits for it. Ctrl+C stops the server.\n");
  // webpack-cli straight from node_modules under this node: no npx or shell between the signal and the server.
  const cli = require.resolve("webpack-cli/bin/cli.js", { paths: [ROOT] });
  return run(process.execPath, [cli, "serve", "--mode", "development", "--port", String(port)], { group: true });
}

async function main() {
  if (!fs.existsSync(path.join(ROOT, "node_modules", "webpack"))) {
    console.error("Dependencies are not installed: run `npm install` first, then `npm start`.");
    return 1;
  }
  return WINDOWS || process.platform === "darwin" ? desktop() : workbench();
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
