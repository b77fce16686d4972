#!/usr/bin/env node
/*
 * plan-ledger command line. Runs the compiled CLI in dist/cli; builds it first (tsc -p tsconfig.cli.json, with a
 * one-line notice on stderr) when it is missing or older than the sources, so `npx plan-ledger` works straight after
 * `npm install` and never runs stale code after a pull. `npm run build:cli` builds it explicitly.
 */
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const { spawnSync } = require("node:child_process");

const root = path.join(__dirname, "..");
const outDir = path.join(root, "dist", "cli");
const entry = path.join(outDir, "cli", "main.js");
const stamp = path.join(outDir, ".built");

/** Newest modification time under the folders and files the build reads. */
function newestSource() {
  let newest = 0;
  const visit = (p) => {
    const st = fs.statSync(p);
    if (st.isDirectory()) for (const name of fs.readdirSync(p)) visit(path.join(p, name));
    else if (/\.(ts|json)$/.test(p)) newest = Math.max(newest, st.mtimeMs);
  };
  for (const dir of ["src/cli", "src/core", "src/excel", "src/hosting", "src/offline", "src/i18n"]) {
    const p = path.join(root, dir);
    if (fs.existsSync(p)) visit(p);
  }
  for (const file of ["tsconfig.cli.json", "tsconfig.json"])
    newest = Math.max(newest, fs.statSync(path.join(root, file)).mtimeMs);
  return newest;
}

function isStale() {
  if (!fs.existsSync(entry) || !fs.existsSync(stamp)) return true;
  // Without the sources (an installed copy) the build that is there is the one to run.
  if (!fs.existsSync(path.join(root, "src", "cli"))) return false;
  return newestSource() > fs.statSync(stamp).mtimeMs;
}

/** Builds into a fresh folder and swaps it in, so a concurrent run never loads a half-written build. */
function build() {
  process.stderr.write("plan-ledger: building the command line (npm run build:cli)…\n");
  const tmp = `${outDir}.tmp-${process.pid}`;
  const tsc = require.resolve("typescript/bin/tsc", { paths: [root] });
  const started = Date.now();
  const r = spawnSync(process.execPath, [tsc, "-p", path.join(root, "tsconfig.cli.json"), "--outDir", tmp], {
    cwd: root,
    stdio: ["ignore", "inherit", "inherit"],
  });
  if (r.status !== 0) {
    fs.rmSync(tmp, { recursive: true, force: true });
    process.stderr.write(
      `plan-ledger: the build failed (exit ${r.status ?? r.signal}); run npm run build:cli to see why.\n`,
    );
    process.exit(2);
  }
  // The stamp records when the sources were read, so an edit made during the build still counts as newer.
  fs.writeFileSync(path.join(tmp, ".built"), "");
  fs.utimesSync(path.join(tmp, ".built"), new Date(started), new Date(started));
  const old = `${outDir}.old-${process.pid}`;
  if (fs.existsSync(outDir)) fs.renameSync(outDir, old);
  fs.renameSync(tmp, outDir);
  fs.rmSync(old, { recursive: true, force: true });
}

/**
 * Runs `fn` holding a lock folder, so parallel first runs (scripts, test workers) build once instead of racing. A lock
 * older than the longest plausible build is taken over: its owner died.
 */
function withLock(fn) {
  const lock = `${outDir}.lock`;
  fs.mkdirSync(path.dirname(lock), { recursive: true });
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch (e) {
      if (e.code !== "EEXIST") throw e;
      let age = 0;
      try {
        age = Date.now() - fs.statSync(lock).mtimeMs;
      } catch (statError) {
        if (statError.code !== "ENOENT") throw statError;
        continue; // released between mkdir and stat: try again at once
      }
      if (age > 5 * 60 * 1000) fs.rmSync(lock, { recursive: true, force: true });
      else Atomics.wait(sleeper, 0, 0, 200);
    }
  }
  try {
    return fn();
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

if (process.argv[2] === "--build") {
  withLock(build);
} else {
  // Checked again under the lock: another process may have just built it.
  if (isStale()) withLock(() => isStale() && build());
  require(entry).run();
}
