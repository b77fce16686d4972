/**
 * Issue 17 §1: wide layouts (months or quarters as columns) are read, through the CLI as users run it, on workbooks
 * written by openpyxl and re-saved by LibreOffice (scripts/fixtures/wide_workbooks.py wrote test/fixtures/xlsx/wide/).
 * The items go to a sheet of formulas over the wide sheet's cells; the wide sheet stays as it was. Expected counts and
 * sums are computed by hand from the generator's data.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { unzipSync } from "fflate";
import { OfflineHost, type SheetModel, type WorkbookModel } from "../../src/offline";
import { exportXlsx, importXlsx } from "../../src/offline/xlsx";
import { csvNumber, libreOfficeOrSkip, recalcToCsv } from "../support/libreoffice";
import { ensureBuilt, json, runCli, sheetNamed, tempDir, type Json } from "./harness";

const FIXTURES = path.join(__dirname, "..", "fixtures", "xlsx", "wide");
const AS_OF = "2026-07-15";

type Group = { activities: number; completed: number; overdue: number; due: number; rate: number | null };
type Summary = Group & {
  tracked: boolean;
  byMonth: (Group & { month: string | null })[];
  byUnit: { unit: string; activities: number; target: number; actual: number | null }[];
};
type Finding = { cell: string; code: string; severity: string; field: string; message: string };
type Items = { sheet: string; source: string; items: number; added: number; removed: number; rebuilt: boolean };

let dir: string;

beforeAll(() => {
  ensureBuilt();
  dir = tempDir("wide");
  for (const f of fs.readdirSync(FIXTURES)) fs.copyFileSync(path.join(FIXTURES, f), path.join(dir, f));
});

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

async function summarize(file: string, out: string, extra: string[] = []) {
  const r = await runCli(["summarize", file, "--out", out, "--force", "--json", "--as-of", AS_OF, ...extra], {
    cwd: dir,
  });
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  const report = json(r);
  return { report, summary: report.summary as Summary, items: report.items as Items, out: path.join(dir, out) };
}

async function check(file: string) {
  const r = await runCli(["check", file, "--json", "--as-of", AS_OF], { cwd: dir });
  expect(r.stderr).toBe("");
  return { code: r.code, report: json(r) };
}

const findings = (report: Json) => report.findings as Finding[];
/** Items per month of the period, months without items left out. */
const perMonth = (s: Summary) =>
  Object.fromEntries(s.byMonth.filter((m) => m.activities > 0).map((m) => [m.month, m.activities]));
const perUnit = (s: Summary) => Object.fromEntries(s.byUnit.map((u) => [u.unit, [u.target, u.actual]]));

async function load(file: string): Promise<WorkbookModel> {
  return importXlsx(new Uint8Array(fs.readFileSync(file)));
}

/** A worksheet part of an .xlsx as bytes, by the sheet's position. */
function sheetPart(bytes: Uint8Array, index: number): Uint8Array {
  const part = unzipSync(bytes)[`xl/worksheets/sheet${index + 1}.xml`];
  if (!part) throw new Error(`no worksheet part ${index + 1}`);
  return part;
}

/**
 * The wide sheet's worksheet part as our writer saves the input untouched (opened, recalculated as Excel does on open,
 * saved): the bytes the output's wide sheet must equal when nothing on it was changed.
 */
async function untouchedPart(input: string, sheet: string): Promise<Uint8Array> {
  const model = await load(input);
  new OfflineHost(model, { now: () => new Date(AS_OF) }).recalculate();
  return sheetPart(
    await exportXlsx(model),
    model.sheets.findIndex((s) => s.name === sheet),
  );
}

/** The cells of a sheet as the user typed them (formulas without their cached values), merges included. */
function typed(sheet: SheetModel) {
  const cells: [number, number, unknown, string | null][] = [];
  for (const [r, row] of sheet.rows)
    for (const [c, cell] of row) {
      if (cell.formula === undefined && (cell.value === undefined || cell.value === "")) continue;
      cells.push([r, c, cell.formula === undefined ? cell.value : null, cell.formula ?? null]);
    }
  return { cells: cells.sort((a, b) => a[0] - b[0] || a[1] - b[1]), merges: sheet.merges };
}

async function expectWideUnchanged(input: string, output: string, sheet: string) {
  const before = sheetNamed(await load(input), sheet);
  const outModel = await load(output);
  expect(typed(sheetNamed(outModel, sheet))).toEqual(typed(before));
  const index = outModel.sheets.findIndex((s) => s.name === sheet);
  const part = sheetPart(new Uint8Array(fs.readFileSync(output)), index);
  expect(Buffer.from(part).equals(Buffer.from(await untouchedPart(input, sheet)))).toBe(true);
}

// months.xlsx, by hand: 科普讲座 场 {1:2, 3:1, 6:2, 9:1, 12:1}; 会员发展 人 {1:10, 2:5, 4:10, 7:8}; 理事会议 次
// {3,6,9,12: 1}; 科普通讯 期 {2,4,6,8,10,12: 1}; 学术年会 场 {10: 1, 11: 待定}. The 全年目标 =SUM column and the 合计 row
// are not items.
const MONTHS_PER_MONTH = {
  "2026-01": 2,
  "2026-02": 2,
  "2026-03": 2,
  "2026-04": 2,
  "2026-06": 3,
  "2026-07": 1,
  "2026-08": 1,
  "2026-09": 2,
  "2026-10": 2,
  "2026-11": 1,
  "2026-12": 3,
};
const MONTHS_PER_UNIT = {
  场: [2 + 1 + 2 + 1 + 1 + 1, null],
  人: [10 + 5 + 10 + 8, null],
  次: [4, null],
  期: [6, null],
};

describe("wide layouts through the CLI", () => {
  it.each(["months.xlsx", "months-libreoffice.xlsx"])(
    "months as columns (%s): one item per task and month, totals not counted, 待定 named at its cell",
    async (file) => {
      const c = await check(file);
      expect(c.code).toBe(0);
      expect(c.report.sheet).toBe("2026年度计划");
      expect(c.report.rows).toBe(21);
      const pending = findings(c.report).find((f) => f.code === "target.qualitative");
      // 学术年会's 11月 cell: column O, row 7 of the wide sheet.
      expect(pending).toMatchObject({ cell: "O7", field: "target" });
      expect(findings(c.report).some((f) => f.code === "layout.wide")).toBe(false);

      const out = `out-${file}`;
      const { report, summary, items } = await summarize(file, out);
      expect(items).toEqual({
        sheet: "计划明细",
        source: "2026年度计划",
        items: 21,
        added: 21,
        removed: 0,
        rebuilt: true,
      });
      expect(report.periodSource).toBe("sheetName");
      expect(summary.activities).toBe(21);
      expect(perMonth(summary)).toEqual(MONTHS_PER_MONTH);
      expect(perUnit(summary)).toEqual(MONTHS_PER_UNIT);
      // Planned counts only: progress is not recorded, nothing is overdue.
      expect(summary.tracked).toBe(false);
      expect(summary.overdue).toBe(0);
      expect(findings(report).find((f) => f.code === "target.qualitative")?.cell).toBe("O7");
      await expectWideUnchanged(path.join(dir, file), path.join(dir, out), "2026年度计划");
    },
    120_000,
  );

  it("quarters with 计划 | 完成 under merged quarter headers: due in each quarter's last month, plan and done paired", async () => {
    const { summary, items, out } = await summarize("quarters.xlsx", "out-quarters.xlsx");
    // 科普讲座 场 5/4 6/6 8/- 7/-; 会员发展 人 20/25 20/18 20/- 20/-; 学术年会 场 Q3 1; 科普基地认定 家 Q2 2/1, Q4 3.
    expect(items.items).toBe(4 + 4 + 1 + 2);
    expect(perMonth(summary)).toEqual({ "2026-03": 2, "2026-06": 3, "2026-09": 3, "2026-12": 3 });
    expect(perUnit(summary)).toEqual({
      场: [5 + 6 + 8 + 7 + 1, 4 + 6],
      人: [80, 25 + 18],
      家: [5, 1],
    });
    expect(summary.tracked).toBe(true);
    // As of 2026-07-15, done: 科普讲座 Q2 (6 of 6) and 会员发展 Q1 (25 of 20); the other Q1/Q2 items are overdue.
    expect(summary.completed).toBe(2);
    expect(summary.overdue).toBe(3);
    await expectWideUnchanged(path.join(dir, "quarters.xlsx"), out, "2026年季度计划");
    // The items are formulas over the wide sheet's cells: a blank stays blank.
    const itemsSheet = sheetNamed(await load(out), "计划明细");
    expect(itemsSheet.rows.get(2)?.get(4)?.formula).toBe(`=IF('2026年季度计划'!E4="","",'2026年季度计划'!E4)`);
  }, 120_000);

  it("Q1 … Q4 with Plan | Actual (English, a sheet name with an apostrophe): items in English, references escaped", async () => {
    const { report, summary, items, out } = await summarize("quarters-en.xlsx", "out-quarters-en.xlsx");
    expect(items).toMatchObject({ sheet: "Plan activities", source: "Team's plan 2026", items: 10 });
    expect(report.sheet).toBe("Plan activities");
    expect(report.summarySheet).toBe("Summary");
    expect(perMonth(summary)).toEqual({ "2026-03": 3, "2026-06": 3, "2026-09": 2, "2026-12": 2 });
    expect(perUnit(summary)).toEqual({ events: [14, 5], issues: [4, 2], members: [30, 12] });
    const itemsSheet = sheetNamed(await load(out), "Plan activities");
    expect(itemsSheet.rows.get(2)?.get(1)?.formula).toBe(`=IF('Team''s plan 2026'!B4="","",'Team''s plan 2026'!B4)`);
    await expectWideUnchanged(path.join(dir, "quarters-en.xlsx"), out, "Team's plan 2026");
  }, 120_000);

  it("a second run changes nothing; an amount typed into an empty period cell is one more item, and the run says so", async () => {
    const first = await summarize("quarters.xlsx", "rerun-1.xlsx");
    const again = await summarize("rerun-1.xlsx", "rerun-2.xlsx");
    expect(again.items).toMatchObject({ sheet: "计划明细", items: 11, added: 0, removed: 0, rebuilt: false });
    expect(again.summary).toEqual(first.summary);
    const names = (m: WorkbookModel) => m.sheets.map((s) => s.name);
    expect(names(await load(again.out))).toEqual(names(await load(first.out)));
    expect(names(await load(again.out)).filter((n) => n.startsWith("计划明细"))).toEqual(["计划明细"]);

    // The user plans 2 学术年会 for Q1 (E6, empty until now) and saves.
    const model = await load(again.out);
    sheetNamed(model, "2026年季度计划").rows.get(5)!.set(4, { value: 2 });
    fs.writeFileSync(path.join(dir, "rerun-typed.xlsx"), await exportXlsx(model));
    const third = await summarize("rerun-typed.xlsx", "rerun-3.xlsx");
    expect(third.items).toMatchObject({ items: 12, added: 1, removed: 0, rebuilt: true });
    expect(perMonth(third.summary)["2026-03"]).toBe(3);
    expect(perUnit(third.summary)["场"]).toEqual([27 + 2, 10]);
    const itemsSheet = sheetNamed(await load(third.out), "计划明细");
    expect(itemsSheet.tables.find((t) => t.name === "Plan")?.ref).toMatchObject({ r0: 1, r1: 1 + 12 });

    const text = await runCli(["summarize", "rerun-typed.xlsx", "--out", "rerun-4.xlsx", "--force"], {
      cwd: dir,
      env: { LANG: "zh_CN.UTF-8" },
    });
    expect(text.stdout).toContain("新增 1 项");
  }, 180_000);

  it("restore removes the items, lists and summary sheets and leaves the wide sheet as it was", async () => {
    await summarize("quarters.xlsx", "restore-in.xlsx");
    const r = await runCli(["restore", "restore-in.xlsx", "--out", "restore-out.xlsx", "--json"], { cwd: dir });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const restored = await load(path.join(dir, "restore-out.xlsx"));
    expect(restored.sheets.map((s) => s.name)).toEqual(["2026年季度计划"]);
    expect(typed(restored.sheets[0])).toEqual(
      typed(sheetNamed(await load(path.join(dir, "quarters.xlsx")), "2026年季度计划")),
    );
    expect(restored.names.filter((n) => n.name.startsWith("PlanLedger_"))).toEqual([]);
  }, 120_000);

  it("LibreOffice: a done amount typed on the wide sheet changes the summary once recalculated", async () => {
    if (!libreOfficeOrSkip()) return;
    const { summary, out } = await summarize("quarters.xlsx", "lo-in.xlsx");
    expect(perUnit(summary)["场"]).toEqual([27, 10]);
    // 科普讲座's Q3 done cell (J4), blank until now: 7 held.
    const model = await load(out);
    sheetNamed(model, "2026年季度计划").rows.get(3)!.set(9, { value: 7 });
    const edited = path.join(dir, "lo-edited.xlsx");
    fs.writeFileSync(edited, await exportXlsx(model));
    const unitRow = async (file: string, label: string) => {
      const sheets = await recalcToCsv(file, path.join(dir, label));
      const rows = sheets["汇总"];
      // SummaryByUnit, under its header 计量单位 | 目标 | 实际 | 差额 | 完成率.
      const header = rows.findIndex((r) => r[0] === "计量单位" && r[1] === "目标");
      const row = rows.slice(header + 1).find((r) => r[0] === "场");
      if (header < 0 || !row) throw new Error(`no 场 row in SummaryByUnit: ${JSON.stringify(rows)}`);
      return [csvNumber(row[1]), csvNumber(row[2])];
    };
    expect(await unitRow(out, "lo-before")).toEqual([27, 10]);
    expect(await unitRow(edited, "lo-after")).toEqual([27, 17]);
  }, 180_000);
});
