#!/usr/bin/env node
/* `npm start`: sideload into Excel desktop where there is one (Windows, macOS), else serve the browser workbench. */
"use strict";
const { spawn } = require("node:child_process");

function run(cmd, args) {
  const child = spawn(cmd, args, { stdio: "inherit", shell: process.platform === "win32" });
  child.on("exit", (code) => process.exit(code ?? 1));
}

if (process.platform === "win32" || process.platform === "darwin") {
  // office-addin-debugging is fetched on demand: it pulls a native keychain module that Linux CI cannot build.
  run("npx", ["--yes", "office-addin-debugging@6", "start", "manifest.xml", "desktop", "--app", "excel"]);
} else {
  run("npm", ["run", "workbench"]);
}
