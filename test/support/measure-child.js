/*
 * Preloaded (node -r) into CLI runs by test/cli/hostile.test.ts: when the process exits, writes its peak resident
 * memory (kilobytes, worker threads included) to the file named by PLAN_LEDGER_MEASURE.
 */
"use strict";
const fs = require("node:fs");

const file = process.env.PLAN_LEDGER_MEASURE;
if (file) {
  process.on("exit", () => fs.writeFileSync(file, JSON.stringify({ maxRssKb: process.resourceUsage().maxRSS })));
}
