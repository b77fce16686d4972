/*
 * Loaded with `node --require` into the processes the bench times as a whole (the CLI, ExcelJS): on exit, writes the
 * process's CPU time (user + system, all threads) and peak memory to the file named by PLAN_LEDGER_BENCH_CPU, so wall
 * time can be read against CPU time on a busy machine. Changes nothing else.
 */
"use strict";
const fs = require("node:fs");

const file = process.env.PLAN_LEDGER_BENCH_CPU;
if (file) {
  process.on("exit", () => {
    const u = process.resourceUsage();
    fs.writeFileSync(file, JSON.stringify({ cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000, maxRssKB: u.maxRSS }));
  });
}
