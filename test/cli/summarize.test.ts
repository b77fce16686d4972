import * as fs from "node:fs";
import * as path from "node:path";
import { academicEnBook, hostileBook, ledgerZhBook, writeXlsx } from "../fixtures/workbooks";
import {
  cellAt,
  ensureBuilt,
  json,
  openWritten,
  rowBelow,
  runCli,
  sheetNamed,
  snapshot,
  tableRows,
  tempDir,
  type Json,
} from "./harness";

const AS_OF = "2025-10-15";
const NOW = new Date(2025, 9, 15);

type Group = { activities: number; completed: number; overdue: number };
type Summary = {
  activities: number;
  completed: number;
  overdue: number;
  rate: number;
  byMonth: (Group & { month: string | null })[];
  byOwner: (Group & { owner: string })[];
  byCategory: (Group & { category: string })[];
  byUnit: { unit: string; target: number; actual: number | null }[];
};

let dir: string;
let ledger: string;

beforeAll(async () => {
  ensureBuilt();
  dir = tempDir("summarize");
  // The notes sheet comes first and is active: the plan must be found by its header, not by position.
  ledger = await writeXlsx(dir, "ledger-zh.xlsx", ledgerZhBook, 0);
  await writeXlsx(dir, "academic-en.xlsx", academicEnBook);
  await writeXlsx(dir, "hostile.xlsx", hostileBook);
}, 120_000);

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("plan-ledger summarize on the Chinese 台账", () => {
  let run: Awaited<ReturnType<typeof runCli>>;
  let report: Json;
  let inputBefore: Buffer;

  beforeAll(async () => {
    inputBefore = fs.readFileSync(ledger);
    run = await runCli(["summarize", "ledger-zh.xlsx", "--as-of", AS_OF, "--json"], { cwd: dir });
    report = json(run);
  }, 120_000);

  it("exits 0 with the JSON report alone on stdout and nothing on stderr", () => {
    expect(run.code).toBe(0);
    expect(run.stderr).toBe("");
    expect(run.stdout.trim().startsWith("{")).toBe(true);
  });

  it("reports the plan sheet found by its header, the table, period, rows and mapped columns", () => {
    expect(report).toMatchObject({
      file: "ledger-zh.xlsx",
      out: "ledger-zh.summary.xlsx",
      sheet: "2025年台账",
      table: "Plan",
      period: { start: "2025-01", end: "2025-12" },
      rows: 11,
      findings: [],
      notCarried: [],
      summarySheet: "汇总",
    });
    expect(report.columns).toEqual({
      month: "月份",
      activity: "工作任务",
      owner: "责任单位",
      unit: "计量单位",
      target: "目标任务",
      actual: "完成情况",
      status: "进展情况",
      notes: "备注",
    });
  });

  it("summarises as of --as-of: totals, months in period order then annual, owners, units", () => {
    const s = report.summary as Summary;
    expect(s).toMatchObject({ asOf: AS_OF, activities: 11, completed: 6, overdue: 2 });
    expect(s.byMonth.map((m) => m.month)).toEqual([
      "2025-01",
      "2025-02",
      "2025-03",
      "2025-04",
      "2025-05",
      "2025-06",
      "2025-07",
      "2025-08",
      "2025-09",
      "2025-10",
      "2025-11",
      "2025-12",
      "annual",
    ]);
    expect(s.byMonth[0]).toMatchObject({ activities: 3, completed: 2, overdue: 1 });
    expect(s.byMonth.reduce((n, m) => n + m.activities, 0)).toBe(11);
    expect(s.byOwner.find((o) => o.owner === "科普部")).toMatchObject({ activities: 4, completed: 3, overdue: 1 });
    expect(s.byUnit.find((u) => u.unit === "人次")).toMatchObject({ target: 10000, actual: 12000 });
    const stats = report.stats as { syncs: number; maxRequestBytes: number; ms: number };
    expect(stats.syncs).toBeGreaterThan(0);
    expect(stats.maxRequestBytes).toBeLessThanOrEqual(5 * 1024 * 1024);
    expect(stats.ms).toBeGreaterThan(0);
  });

  it("leaves the input as it was and writes <name>.summary.xlsx beside it", () => {
    expect(fs.readFileSync(ledger).equals(inputBefore)).toBe(true);
    expect(fs.existsSync(path.join(dir, "ledger-zh.summary.xlsx"))).toBe(true);
    expect(fs.readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("writes a workbook whose table, summary formulas and charts agree with the JSON", async () => {
    const model = await openWritten(path.join(dir, "ledger-zh.summary.xlsx"), NOW);
    const plan = sheetNamed(model, "2025年台账");
    const table = plan.tables.find((t) => t.name === "Plan");
    expect(table?.ref).toMatchObject({ r0: 2, r1: 16 });
    // The month merged over three rows is now in each row; the title and the 合计 row are untouched.
    expect(cellAt(plan, 5, 1)?.value).toBe(cellAt(plan, 4, 1)?.value);
    expect(cellAt(plan, 0, 0)?.value).toBe("2025年度市科协重点工作任务台账");
    expect(cellAt(plan, 17, 6)?.value).toBe(88);

    const s = report.summary as Summary;
    const sheet = sheetNamed(model, "汇总");
    expect(sheet.charts).toHaveLength(3);
    expect(rowBelow(sheet, "计划事项").slice(0, 4)).toEqual([s.activities, s.completed, s.rate, s.overdue]);
    const months = tableRows(sheet, "SummaryByMonth").rows;
    expect(months.map((r) => r.slice(1, 4))).toEqual(s.byMonth.map((m) => [m.activities, m.completed, m.overdue]));
    const owners = tableRows(sheet, "SummaryByOwner").rows;
    expect(Object.fromEntries(owners.map((r) => [r[0], r.slice(1, 4)]))).toEqual(
      Object.fromEntries(s.byOwner.map((o) => [o.owner, [o.activities, o.completed, o.overdue]])),
    );
    const units = tableRows(sheet, "SummaryByUnit").rows;
    expect(Object.fromEntries(units.map((r) => [r[0], r.slice(1, 3)]))).toEqual(
      // A unit with no actual recorded shows "—" in the sheet and null in the JSON.
      Object.fromEntries(s.byUnit.map((u) => [u.unit, [u.target, u.actual ?? "—"]])),
    );
    // Formulas stay in the file, so the sheet keeps computing without the add-in.
    expect(cellAt(sheet, months.length > 0 ? sheet.tables[0].ref.r0 + 1 : 0, 1)?.formula).toMatch(
      /^=\(COUNTIFS\(Plan\[月份\],/,
    );
  });

  it("summarises its own output again without a second summary sheet (the stored configuration is used)", async () => {
    const again = await runCli(
      ["summarize", "ledger-zh.summary.xlsx", "--out", "again.xlsx", "--as-of", AS_OF, "--json"],
      {
        cwd: dir,
      },
    );
    expect(again.code).toBe(0);
    const r = json(again);
    expect(r).toMatchObject({ sheet: "2025年台账", table: "Plan", rows: 11, summarySheet: "汇总" });
    expect((r.summary as Summary).byMonth).toEqual((report.summary as Summary).byMonth);
    const model = await openWritten(path.join(dir, "again.xlsx"), NOW);
    // The original kept for Restore (very hidden) is the only other sheet, and only one of it.
    expect(model.sheets.map((s) => [s.name, s.visibility])).toEqual([
      ["填表说明", "Visible"],
      ["2025年台账", "Visible"],
      ["PlanLedger_Original", "VeryHidden"],
      ["计划台账列表", "Hidden"],
      ["汇总", "Visible"],
    ]);
  });

  it("refuses to overwrite an existing output without --force, and replaces it with --force", async () => {
    const out = path.join(dir, "ledger-zh.summary.xlsx");
    fs.writeFileSync(out, "keep me");
    const before = snapshot(dir);
    const refused = await runCli(["summarize", "ledger-zh.xlsx", "--as-of", AS_OF], { cwd: dir });
    expect(refused.code).toBe(2);
    expect(refused.stdout).toBe("");
    expect(refused.stderr).toBe(
      "ledger-zh.summary.xlsx already exists; add --force to replace it, or choose another --out.\n",
    );
    expect(snapshot(dir)).toEqual(before);
    const forced = await runCli(["summarize", "ledger-zh.xlsx", "--as-of", AS_OF, "--force"], { cwd: dir });
    expect(forced.code).toBe(0);
    expect(fs.readFileSync(out).subarray(0, 2).toString()).toBe("PK");
  });

  it("never writes over its input, even with --force", async () => {
    const before = snapshot(dir);
    const r = await runCli(["summarize", "ledger-zh.xlsx", "--out", "./ledger-zh.xlsx", "--force"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^\.\/ledger-zh\.xlsx is an input file.*\n$/);
    expect(snapshot(dir)).toEqual(before);
  });

  it("prints a text report in the language of LANG", async () => {
    const r = await runCli(["summarize", "ledger-zh.xlsx", "--as-of", AS_OF, "--out", "zh.xlsx"], {
      cwd: dir,
      env: { LANG: "zh_CN.UTF-8" },
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("计划表 2025年台账");
    expect(r.stdout).toContain("截至 2025-10-15：计划 11 项，已完成 6 项");
    expect(r.stdout).toContain("已写出：zh.xlsx");
  });
});

describe("plan-ledger summarize on other plans", () => {
  it("writes an English academic-year plan in English: period from the title, summary sheet Summary", async () => {
    const r = await runCli(["summarize", "academic-en.xlsx", "--as-of", AS_OF, "--json"], { cwd: dir });
    expect(r.code).toBe(0);
    const report = json(r);
    expect(report).toMatchObject({
      sheet: "Plan 2025-26",
      period: { start: "2025-09", end: "2026-08" },
      rows: 13,
      summarySheet: "Summary",
    });
    expect(report.columns).toMatchObject({ month: "Month", activity: "Activity", owner: "Owner", target: "Target" });
    const s = report.summary as Summary;
    expect(s.byMonth[0].month).toBe("2025-09");
    expect(s.byMonth.at(-1)?.month).toBe("annual");
    const model = await openWritten(path.join(dir, "academic-en.summary.xlsx"), NOW);
    expect(rowBelow(sheetNamed(model, "Summary"), "Activities")[0]).toBe(s.activities);
  });

  it("honours --lang and --period-start", async () => {
    const r = await runCli(
      [
        "summarize",
        "ledger-zh.xlsx",
        "--as-of",
        AS_OF,
        "--lang",
        "en-US",
        "--period-start",
        "2025-03",
        "--out",
        "en.xlsx",
        "--json",
      ],
      { cwd: dir },
    );
    expect(r.code).toBe(0);
    const report = json(r);
    expect(report).toMatchObject({ period: { start: "2025-03", end: "2026-02" }, summarySheet: "Summary" });
    // 1月 and 2月 now fall in 2026, after the as-of date: no longer overdue.
    const s = report.summary as Summary;
    expect(s.byMonth.find((m) => m.month === "2026-01")).toMatchObject({ activities: 3, overdue: 0 });
  });

  it("reports findings at the cells the user typed and keeps formula-like text as text", async () => {
    const r = await runCli(["summarize", "hostile.xlsx", "--as-of", AS_OF, "--period-start", "2025-01", "--json"], {
      cwd: dir,
    });
    expect(r.code).toBe(0);
    const report = json(r);
    const findings = report.findings as { cell: string; code: string; severity: string; message: string }[];
    expect(findings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ cell: "A3", code: "month.unrecognized", severity: "error" }),
        expect.objectContaining({ cell: "D4", code: "target.qualitative", severity: "info" }),
        expect.objectContaining({ cell: "A5", code: "month.outsidePeriod" }),
        expect.objectContaining({ cell: "D5", code: "target.negative" }),
      ]),
    );
    // Messages follow the CLI's language (no LANG → en-US).
    expect(findings[0].message).toMatch(/is not a month/);
    const model = await openWritten(path.join(dir, "hostile.summary.xlsx"), NOW);
    const sheet = sheetNamed(model, "Hostile");
    expect(cellAt(sheet, 2, 0)?.value).toBe("下旬");
    expect(cellAt(sheet, 1, 1)).toMatchObject({ value: '=HYPERLINK("http://x","y")' });
    expect(cellAt(sheet, 1, 1)?.formula).toBeUndefined();
    for (const row of sheet.rows.values())
      for (const c of row.values()) expect(c.formula ?? "").not.toMatch(/HYPERLINK|@SUM|减号/);
  });
});
