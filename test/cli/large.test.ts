import * as fs from "node:fs";
import * as path from "node:path";
import { messyPlanGrid } from "../fixtures/sheets";
import { bigLedger, writeXlsx } from "../fixtures/workbooks";
import { ensureBuilt, json, openWritten, rowBelow, runCli, sheetNamed, tableRows, tempDir, type Json } from "./harness";

const ROWS = 50_000;
const SEED = 7;
const NOW = new Date(2025, 9, 15);

let dir: string;
let report: Json;
let stderr: string;

// Wall time is measured by the benchmark, not asserted here: this machine is shared.
beforeAll(async () => {
  ensureBuilt();
  dir = tempDir("large");
  await writeXlsx(dir, "big.xlsx", bigLedger(ROWS, SEED));
  const r = await runCli(["summarize", "big.xlsx", "--as-of", "2025-10-15", "--json", "--progress"], { cwd: dir });
  if (r.code !== 0) throw new Error(`summarize failed (${r.code}): ${r.stderr}`);
  report = json(r);
  stderr = r.stderr;
}, 600_000);

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("plan-ledger summarize on a 50,000-row ledger", () => {
  it("counts every data row and keeps each request within Excel on the web's 5 MB", () => {
    const data = messyPlanGrid(SEED, ROWS).kinds.filter((k) => k === "data").length;
    expect(report.rows).toBe(data);
    const summary = report.summary as { activities: number; byMonth: { activities: number }[] };
    expect(summary.activities).toBe(data);
    expect(summary.byMonth.reduce((n, m) => n + m.activities, 0)).toBe(data);
    const stats = report.stats as { syncs: number; maxRequestBytes: number; maxResponseBytes: number };
    expect(stats.maxRequestBytes).toBeLessThanOrEqual(5 * 1024 * 1024);
    expect(stats.syncs).toBeGreaterThan(0);
  });

  it("shows progress on stderr with --progress, and keeps stdout for the JSON", () => {
    const lines = stderr.trim().split("\n");
    expect(lines[0]).toBe("Reading big.xlsx…");
    expect(lines).toEqual(expect.arrayContaining(["Normalising months and quantities…", "Drawing the charts…"]));
    expect(lines.at(-1)).toBe("Writing big.summary.xlsx…");
  });

  it("writes a table over every row and a summary whose formulas compute the JSON's numbers", async () => {
    const model = await openWritten(path.join(dir, "big.summary.xlsx"), NOW);
    const plan = sheetNamed(model, "2025年台账");
    const { rows } = tableRows(plan, "Plan");
    expect(rows.length).toBeGreaterThanOrEqual(report.rows as number);
    const summary = report.summary as { activities: number; completed: number; overdue: number };
    const kpis = rowBelow(sheetNamed(model, "汇总"), "计划事项");
    expect([kpis[0], kpis[1], kpis[3]]).toEqual([summary.activities, summary.completed, summary.overdue]);
  }, 300_000);
});
