/**
 * A workbook kept as one plan sheet per department (issue 17 §3), written by openpyxl
 * (scripts/fixtures/multi_sheet_workbook.py): 办公室 6 items, 学会部 5 under two title rows, 科普部 6, and the user's
 * own 汇总 of formulas over them. Expected numbers are counted by hand from the generator's rows, as of 2025-10-15.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { csvNumber, libreOfficeOrSkip, recalcToCsv } from "../support/libreoffice";
import { ensureBuilt, json, openWritten, runCli, sheetNamed, tableRows, tempDir } from "./harness";
import type { SheetModel } from "../../src/offline";
import { exportXlsx } from "../../src/offline/xlsx";

const FIXTURE = path.join(__dirname, "..", "fixtures", "xlsx", "multi", "2025年各部门工作计划.xlsx");
const BOOK = "2025年各部门工作计划.xlsx";
const AS_OF = "2025-10-15";
const NOW = new Date(2025, 9, 15);

/** Per unit, target and actual summed by hand over the three sheets (件 has no actual recorded). */
const BY_UNIT: Record<string, { target: number; actual: number | null }> = {
  次: { target: 6, actual: 3 },
  卷: { target: 40, actual: 25 },
  人: { target: 420, actual: 270 },
  场: { target: 29, actual: 19 },
  期: { target: 6, actual: 4 },
  人次: { target: 10000, actual: 8000 },
  件: { target: 30, actual: null },
};

let dir: string;

beforeAll(() => {
  ensureBuilt();
  dir = tempDir("multi");
  fs.copyFileSync(FIXTURE, path.join(dir, BOOK));
}, 120_000);

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** The user's cells of a sheet: each formula's text, else its value. */
function typed(sheet: SheetModel): string[] {
  const out: string[] = [];
  for (const [r, row] of [...sheet.rows].sort((a, b) => a[0] - b[0]))
    for (const [c, cell] of [...row].sort((a, b) => a[0] - b[0])) out.push(`${r},${c}:${cell.formula ?? cell.value}`);
  return out;
}

type UnitJson = { unit: string; target: number; actual: number | null };
type SummaryJson = { activities: number; completed: number; overdue: number; byUnit: UnitJson[] };

describe("plan-ledger consolidate over one workbook with a sheet per department", () => {
  it("takes every plan sheet as a source labelled file › sheet, and leaves the user's 汇总 out", async () => {
    const input = fs.readFileSync(path.join(dir, BOOK));
    const r = await runCli(["consolidate", BOOK, "--out", "all.xlsx", "--as-of", AS_OF, "--json"], { cwd: dir });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const report = json(r);
    expect(report).toMatchObject({ rows: 17, period: { start: "2025-01", end: "2025-12" }, findings: [] });
    expect(report.sources).toEqual([
      expect.objectContaining({ file: BOOK, sheet: "办公室", label: `${BOOK} › 办公室`, rows: 6 }),
      expect.objectContaining({ file: BOOK, sheet: "学会部", label: `${BOOK} › 学会部`, rows: 5 }),
      expect.objectContaining({ file: BOOK, sheet: "科普部", label: `${BOOK} › 科普部`, rows: 6 }),
    ]);
    const summary = report.summary as SummaryJson;
    expect(summary).toMatchObject({ activities: 17, completed: 5, overdue: 8 });
    expect(Object.fromEntries(summary.byUnit.map((u) => [u.unit, { target: u.target, actual: u.actual }]))).toEqual(
      BY_UNIT,
    );
    expect(fs.readFileSync(path.join(dir, BOOK)).equals(input)).toBe(true);

    const model = await openWritten(path.join(dir, "all.xlsx"), NOW);
    const { table, rows } = tableRows(sheetNamed(model, "合并计划"), "Plan");
    const source = table.columns.indexOf("来源");
    const counts: Record<string, number> = {};
    for (const row of rows) counts[String(row[source])] = (counts[String(row[source])] ?? 0) + 1;
    expect(counts).toEqual({ [`${BOOK} › 办公室`]: 6, [`${BOOK} › 学会部`]: 5, [`${BOOK} › 科普部`]: 6 });
    // The owners as each department wrote them: people on 学会部, departments elsewhere.
    const owner = table.columns.indexOf("责任单位");
    expect(rows.filter((row) => row[owner] === "张三")).toHaveLength(2);

    if (!libreOfficeOrSkip()) return;
    // LibreOffice recalculating our summary gets the hand-counted numbers.
    const sheets = await recalcToCsv(path.join(dir, "all.xlsx"), path.join(dir, "lo-all"));
    const csv = sheets["汇总"];
    const labels = csv.findIndex((row) => row[0] === "计划事项");
    const [acts, done, rate, overdue] = csv[labels + 1].slice(0, 4).map(csvNumber);
    expect([acts, done, overdue]).toEqual([17, 5, 8]);
    // The CSV carries the rate as LibreOffice prints it, to 15 significant digits.
    expect(rate).toBeCloseTo(5 / 17, 12);
    const unitHeader = csv.findIndex((row) => row[0] === "计量单位" && row[1] === "目标");
    expect(unitHeader).toBeGreaterThan(0);
    const units: Record<string, { target: number; actual: number | null }> = {};
    for (let i = unitHeader + 1; csv[i]?.[0]; i++) {
      units[csv[i][0]] = { target: csvNumber(csv[i][1]), actual: csv[i][2] === "—" ? null : csvNumber(csv[i][2]) };
    }
    expect(units).toEqual(BY_UNIT);
  }, 120_000);
});

describe("plan-ledger summarize on one of several plan sheets", () => {
  it("summarises that sheet, warns naming the others, lists the plan sheets, and leaves the user's 汇总 as it was", async () => {
    const r = await runCli(["summarize", BOOK, "--out", "one.xlsx", "--as-of", AS_OF, "--json"], { cwd: dir });
    expect(r.code).toBe(0);
    const report = json(r);
    expect(report).toMatchObject({ sheet: "办公室", rows: 6, planSheets: ["办公室", "学会部", "科普部"] });
    expect(report.findings).toEqual([
      expect.objectContaining({
        code: "workbook.otherPlanSheets",
        severity: "warning",
        value: "学会部、科普部",
        message: expect.stringContaining("(学会部, 科普部)"),
      }),
    ]);
    const text = await runCli(["summarize", BOOK, "--out", "one-text.xlsx", "--as-of", AS_OF], {
      cwd: dir,
      env: { LANG: "zh_CN.UTF-8" },
    });
    expect(text.code).toBe(0);
    expect(text.stdout).toContain("本工作簿还有 2 个计划工作表（学会部、科普部）");

    const before = await openWritten(path.join(dir, BOOK), NOW);
    const after = await openWritten(path.join(dir, "one.xlsx"), NOW);
    expect(typed(sheetNamed(after, "汇总"))).toEqual(typed(sheetNamed(before, "汇总")));
    expect(typed(sheetNamed(after, "学会部"))).toEqual(typed(sheetNamed(before, "学会部")));

    if (!libreOfficeOrSkip()) return;
    // The user's 汇总 still adds up the departments after 办公室 was structured: 17 items, 10,531 targeted.
    const sheets = await recalcToCsv(path.join(dir, "one.xlsx"), path.join(dir, "lo-one"));
    const total = sheets["汇总"].find((row) => row[0] === "合计") as string[];
    expect(total.slice(1, 4).map(csvNumber)).toEqual([17, 10531, 8321]);
  }, 120_000);
});

describe("plan-ledger summarize --all-sheets", () => {
  it("summarises every plan sheet with live formulas over each sheet's table, which LibreOffice recomputes", async () => {
    const r = await runCli(["summarize", BOOK, "--all-sheets", "--out", "every.xlsx", "--as-of", AS_OF, "--json"], {
      cwd: dir,
    });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const report = json(r);
    expect(report).toMatchObject({
      rows: 17,
      period: { start: "2025-01", end: "2025-12" },
      planSheets: ["办公室", "学会部", "科普部"],
      summarySheet: "全部计划汇总",
      findings: [],
    });
    expect(
      (report.sources as { label: string; table: string; rows: number; originalKept: boolean }[]).map((s) => [
        s.label,
        s.table,
        s.rows,
        s.originalKept,
      ]),
    ).toEqual([
      ["办公室", "Plan", 6, true],
      ["学会部", "Plan2", 5, true],
      ["科普部", "Plan3", 6, true],
    ]);
    const summary = report.summary as SummaryJson;
    expect(summary).toMatchObject({ activities: 17, completed: 5, overdue: 8 });
    expect(Object.fromEntries(summary.byUnit.map((u) => [u.unit, { target: u.target, actual: u.actual }]))).toEqual(
      BY_UNIT,
    );

    const out = path.join(dir, "every.xlsx");
    const before = await openWritten(path.join(dir, BOOK), NOW);
    const written = await openWritten(out, NOW);
    expect(typed(sheetNamed(written, "汇总"))).toEqual(typed(sheetNamed(before, "汇总")));

    if (!libreOfficeOrSkip()) return;
    const read = async (file: string, label: string) => {
      const csv = (await recalcToCsv(file, path.join(dir, label)))["全部计划汇总"];
      const kpi = csv[csv.findIndex((row) => row[0] === "计划事项") + 1];
      const h = csv.findIndex((row) => row[0] === "来源" && row[1] === "事项数");
      const bySource = csv.slice(h + 1, h + 4).map((row) => [row[0], ...row.slice(1, 4).map(csvNumber)]);
      const u = csv.findIndex((row) => row[0] === "计量单位" && row[1] === "目标");
      const units: Record<string, { target: number; actual: number | null }> = {};
      for (let i = u + 1; csv[i]?.[0]; i++) {
        units[csv[i][0]] = { target: csvNumber(csv[i][1]), actual: csv[i][2] === "—" ? null : csvNumber(csv[i][2]) };
      }
      return { kpi: [kpi[0], kpi[1], kpi[3]].map(csvNumber), bySource, units };
    };
    const lo = await read(out, "lo-every");
    expect(lo.kpi).toEqual([17, 5, 8]);
    expect(lo.bySource).toEqual([
      ["办公室", 6, 2, 2],
      ["学会部", 5, 2, 2],
      ["科普部", 6, 1, 4],
    ]);
    expect(lo.units).toEqual(BY_UNIT);

    // 学会部 records its 学术沙龙 (row 6) as 4 of 4 sessions: done, no longer overdue, 场 actual 19 → 20.
    const edited = await openWritten(out, NOW);
    const xuehui = sheetNamed(edited, "学会部");
    const actualCol = [...(xuehui.rows.get(2) ?? [])].find(([, c]) => c.value === "实际完成")?.[0] as number;
    (xuehui.rows.get(5)?.get(actualCol) as { value: unknown }).value = 4;
    const editedPath = path.join(dir, "every-edited.xlsx");
    fs.writeFileSync(editedPath, await exportXlsx(edited));
    const after = await read(editedPath, "lo-edited");
    expect(after.kpi).toEqual([17, 6, 7]);
    expect(after.bySource[1]).toEqual(["学会部", 5, 3, 1]);
    expect(after.units["场"]).toEqual({ target: 29, actual: 20 });
  }, 180_000);

  it("takes the year a sheet's title names when the file name names none, for every sheet and by each command", async () => {
    // The same workbook saved as 计划.xlsx and summarised in February 2026, for the year-end report: only 学会部's title
    // (2025年学会部工作计划) says the year. 办公室 (first in tab order) and 科普部 have no title; their months alone would
    // be read in the running year, 2026, where nothing is due yet. Every item not done (12 of 17) is overdue.
    const plain = path.join(dir, "计划.xlsx");
    fs.copyFileSync(FIXTURE, plain);
    for (const command of [
      ["summarize", "计划.xlsx", "--all-sheets", "--out", "plain-every.xlsx"],
      ["consolidate", "计划.xlsx", "--out", "plain-all.xlsx"],
    ]) {
      const r = await runCli([...command, "--as-of", "2026-02-10", "--json"], { cwd: dir });
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      const report = json(r);
      expect(report).toMatchObject({ rows: 17, period: { start: "2025-01", end: "2025-12" }, findings: [] });
      expect((report.sources as { period: { start: string } }[]).map((s) => s.period.start)).toEqual([
        "2025-01",
        "2025-01",
        "2025-01",
      ]);
      expect(report.summary as SummaryJson).toMatchObject({ activities: 17, completed: 5, overdue: 12 });
    }
  }, 120_000);

  it("reads a sheet naming no year in the year another plan sheet names, and says when no sheet names one", async () => {
    // 办公室 alone, in the workbook saved as 计划2.xlsx in February 2026: 学会部's title names 2025.
    fs.copyFileSync(FIXTURE, path.join(dir, "计划2.xlsx"));
    const check = (file: string, ...args: string[]) =>
      runCli(["check", file, "--lang", "en-US", "--as-of", "2026-02-10", ...args], { cwd: dir });
    const office = json(await check("计划2.xlsx", "--sheet", "办公室", "--json"));
    expect(office).toMatchObject({
      period: { start: "2025-01", end: "2025-12" },
      periodSource: "otherSheet",
      periodEvidence: "学会部 › 2025年学会部工作计划",
    });
    // A workbook (openpyxl, trust fixtures) whose sheet, title, file name and months name no year: the running year,
    // said to be assumed with the remedy, where the period is printed.
    fs.copyFileSync(
      path.join(__dirname, "..", "fixtures", "xlsx", "trust", "co-owners.xlsx"),
      path.join(dir, "plan.xlsx"),
    );
    const notice =
      /Period: 2026-01 to 2026-12\n {2}No year in the sheet name, titles, file name or months: the period is this year's\. If the plan is another year's, give --period-start YYYY-MM\./;
    const text = await check("plan.xlsx");
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(notice);
    expect(json(await check("plan.xlsx", "--json"))).toMatchObject({ periodSource: "months" });
    const chosen = await check("plan.xlsx", "--period-start", "2025-01");
    expect(chosen.stdout).toMatch(/Period: 2025-01 to 2025-12\n/);
    expect(chosen.stdout).not.toMatch(/No year/);
    expect((await check("计划2.xlsx", "--sheet", "办公室")).stdout).not.toMatch(/No year/);
  }, 120_000);

  it("says per sheet that no copy was kept for restore with --no-original", async () => {
    const r = await runCli(
      ["summarize", BOOK, "--all-sheets", "--no-original", "--out", "every-lean.xlsx", "--as-of", AS_OF, "--json"],
      { cwd: dir },
    );
    expect(r.code).toBe(0);
    expect((json(r).sources as { originalKept: boolean }[]).map((s) => s.originalKept)).toEqual([false, false, false]);
  }, 120_000);

  it("refuses --all-sheets with --sheet, whose one sheet would not apply", async () => {
    const r = await runCli(["summarize", BOOK, "--all-sheets", "--sheet", "办公室"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--all-sheets .*--sheet/);
  });
});

/**
 * A classic plan sheet (办公室, 6 items) beside a wide one (宣传部: months as columns, 7 task × month amounts), written by
 * openpyxl (scripts/fixtures/multi_sheet_workbook.py, mixed()). Counted by hand from the generator's rows.
 */
describe("a workbook with a classic plan sheet and a wide one", () => {
  const MIXED = "2025年办公室和宣传部计划.xlsx";
  // 办公室 1,3,5,7,11,12月; 宣传部 科普讲座 1,3,6月, 科普通讯 2,4,12月, 科普进社区 11月.
  const BY_MONTH: Record<string, number> = {
    "2025-01": 2,
    "2025-02": 1,
    "2025-03": 2,
    "2025-04": 1,
    "2025-05": 1,
    "2025-06": 1,
    "2025-07": 1,
    "2025-08": 0,
    "2025-09": 0,
    "2025-10": 0,
    "2025-11": 2,
    "2025-12": 2,
  };
  let mixedDir: string;
  beforeAll(() => {
    mixedDir = tempDir("multi-wide");
    fs.copyFileSync(path.join(path.dirname(FIXTURE), MIXED), path.join(mixedDir, MIXED));
  });
  afterAll(() => fs.rmSync(mixedDir, { recursive: true, force: true }));

  type MonthJson = { month: string; activities: number };
  const months = (s: { byMonth: MonthJson[] }) => Object.fromEntries(s.byMonth.map((m) => [m.month, m.activities]));

  it("consolidate takes the wide sheet as one source, its items under the wide sheet's name", async () => {
    const r = await runCli(["consolidate", MIXED, "--out", "all.xlsx", "--as-of", AS_OF, "--json"], { cwd: mixedDir });
    expect(r.code).toBe(0);
    const report = json(r);
    expect(report.sources).toEqual([
      expect.objectContaining({ sheet: "办公室", label: `${MIXED} › 办公室`, rows: 6 }),
      expect.objectContaining({ sheet: "宣传部", label: `${MIXED} › 宣传部`, rows: 7 }),
    ]);
    expect(report.rows).toBe(13);
    expect(months(report.summary as { byMonth: MonthJson[] })).toEqual(BY_MONTH);
    const model = await openWritten(path.join(mixedDir, "all.xlsx"), NOW);
    const { table, rows } = tableRows(sheetNamed(model, "合并计划"), "Plan");
    const col = (h: string) => table.columns.indexOf(h);
    const talks = rows.filter((row) => row[col("工作任务")] === "科普讲座");
    expect(talks.map((row) => [row[col("目标")], row[col("来源")]])).toEqual([
      [2, `${MIXED} › 宣传部`],
      [1, `${MIXED} › 宣传部`],
      [2, `${MIXED} › 宣传部`],
    ]);
  }, 120_000);

  it("summarize --all-sheets: the wide sheet is a source, its items sheet never one, on a re-run too", async () => {
    const r = await runCli(["summarize", MIXED, "--all-sheets", "--out", "every.xlsx", "--as-of", AS_OF, "--json"], {
      cwd: mixedDir,
    });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const report = json(r);
    const sources = report.sources as { sheet: string; label: string; table: string; rows: number }[];
    expect(sources.map((s) => [s.sheet, s.label, s.table, s.rows])).toEqual([
      ["办公室", "办公室", "Plan", 6],
      ["宣传部", "宣传部", "Plan2", 7],
    ]);
    expect(months(report.summary as { byMonth: MonthJson[] })).toEqual(BY_MONTH);
    const again = await runCli(
      ["summarize", "every.xlsx", "--all-sheets", "--out", "again.xlsx", "--as-of", AS_OF, "--json"],
      {
        cwd: mixedDir,
      },
    );
    expect(again.code).toBe(0);
    const second = json(again).sources as { label: string; table: string; rows: number }[];
    expect(second.map((s) => [s.label, s.table, s.rows])).toEqual([
      ["办公室", "Plan", 6],
      ["宣传部", "Plan2", 7],
    ]);
    const model = await openWritten(path.join(mixedDir, "again.xlsx"), NOW);
    // One items sheet, rebuilt in place: no 计划明细2.
    expect(model.sheets.filter((s) => s.name.startsWith("计划明细")).map((s) => s.name)).toEqual(["计划明细"]);
  }, 120_000);
});
