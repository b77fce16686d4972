/**
 * Issue 17 §2, deadlines keep their day: due columns of dates and deadline wordings, in workbooks written by openpyxl
 * (scripts/fixtures/dates_workbooks.py wrote test/fixtures/xlsx/dates/). Run through the CLI, as users run it, with a
 * fixed --as-of; every expected number below is counted by hand from the fixture rows.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { SheetModel, WorkbookModel } from "../../src/offline";
import { csvNumber, libreOfficeOrSkip, recalcToCsv } from "../support/libreoffice";
import { ensureBuilt, json, openWritten, rowBelow, runCli, sheetNamed, tableRows, tempDir } from "./harness";

const FIXTURES = path.join(__dirname, "..", "fixtures", "xlsx", "dates");

type Group = { activities: number; completed: number; overdue: number; due: number; rate: number | null };
type Summary = Group & { tracked: boolean; pace: number; byMonth: (Group & { month: string | null })[] };

let dir: string;

beforeAll(() => {
  ensureBuilt();
  dir = tempDir("dates");
  for (const f of fs.readdirSync(FIXTURES)) fs.copyFileSync(path.join(FIXTURES, f), path.join(dir, f));
});

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

async function summarize(file: string, asOf: string, out = `out-${asOf}-${file}`) {
  const args = ["summarize", file, "--out", out, "--force", "--json", "--as-of", asOf];
  const r = await runCli(args, { cwd: dir });
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  const report = json(r);
  return { report, summary: report.summary as Summary, out: path.join(dir, out) };
}

/** The written workbook, recalculated by the offline engine on a day other than the as-of (the file must hold it). */
async function written(file: string): Promise<WorkbookModel> {
  return openWritten(file, new Date(2031, 0, 1));
}

/** Activity → [due cell value, its number format, status, notes] of the structured plan table. */
function planByActivity(sheet: SheetModel, cols: { activity: string; due: string; notes: string }) {
  const { table, rows } = tableRows(sheet, "Plan");
  const at = (name: string) => table.columns.indexOf(name);
  const [a, d, n, s] = [at(cols.activity), at(cols.due), at(cols.notes), table.columns.length - 1];
  const out = new Map<string, { due: unknown; format: string | undefined; status: unknown; notes: unknown }>();
  rows.forEach((row, i) => {
    const format = sheet.rows.get(table.ref.r0 + 1 + i)?.get(table.ref.c0 + d)?.numberFormat;
    out.set(String(row[a]), { due: row[d], format, status: row[s], notes: row[n] });
  });
  return out;
}

/** The 1900-system serial of a calendar date. */
const serial = (y: number, m: number, d: number) => Date.UTC(y, m - 1, d) / 86400000 + 25569;

/** Month key → [activities, completed, overdue, due] from the JSON, months without items left out. */
function monthCounts(s: Summary): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const g of s.byMonth) if (g.activities > 0) out[String(g.month)] = [g.activities, g.completed, g.overdue, g.due];
  return out;
}

describe("dates: a 督办台账 whose 办结时限 holds dates and deadline wordings", () => {
  const cols = { activity: "督办事项", due: "办结时限", notes: "备注" };

  it("keeps each deadline's day as a date, its wording in the notes, and compares the status with the as-of day", async () => {
    const { report, summary, out } = await summarize("duban-deadlines.xlsx", "2025-03-20");
    expect(report.period).toEqual({ start: "2025-01", end: "2025-12" });
    const plan = planByActivity(sheetNamed(await written(out), "督办台账"), cols);
    // [due date, status as of 2025-03-20, notes]: overdue from the day after the due date; due from the as-of day to
    // the end of March (or the next 7 days); 是 in 是否办结 is done.
    const expected: [string, number, string, string][] = [
      ["修订章程", serial(2025, 3, 5), "逾期", ""],
      ["会员信息核查", serial(2025, 3, 15), "逾期", ""],
      ["年度审计", serial(2025, 3, 28), "本月到期", ""],
      ["网站改版", serial(2025, 3, 20), "本月到期", "原文：办结时限=3月20日前"],
      ["换届筹备", serial(2025, 3, 10), "逾期", "原文：办结时限=3月上旬"],
      ["科普周方案", serial(2025, 3, 25), "已完成", ""],
      ["学术年会", serial(2025, 6, 15), "未到期", ""],
      ["会费收缴", serial(2025, 3, 20), "本月到期", "原文：办结时限=3月中旬"],
      ["档案整理", serial(2025, 4, 30), "未到期", "原文：办结时限=4月底"],
      ["专家库更新", serial(2025, 4, 2), "未到期", ""],
      ["年报编印", serial(2025, 5, 31), "未到期", "原文：办结时限=5月"],
    ];
    expect([...plan.keys()]).toEqual(expected.map((e) => e[0]));
    for (const [activity, due, status, notes] of expected) {
      expect([activity, plan.get(activity)?.due, plan.get(activity)?.status, plan.get(activity)?.notes]).toEqual([
        activity,
        due,
        status,
        notes,
      ]);
      // Shown as a date with its day, in the workbook's language.
      expect(plan.get(activity)?.format).toBe('yyyy"年"m"月"d"日"');
    }
    expect([summary.activities, summary.completed, summary.overdue, summary.due]).toEqual([11, 1, 3, 3]);
    // By the due date's month: March 7 (3 overdue, 3 due), April 2, May 1, June 1.
    expect(monthCounts(summary)).toEqual({
      "2025-03": [7, 1, 3, 3],
      "2025-04": [2, 0, 0, 0],
      "2025-05": [1, 0, 0, 0],
      "2025-06": [1, 0, 0, 0],
    });
    // The summary's formulas, recalculated, group the day-level dates into their months.
    const sheet = sheetNamed(await written(out), "汇总");
    const months = tableRows(sheet, "SummaryByMonth").rows.filter((r) => Number(r[1]) > 0);
    expect(months.map((r) => r.slice(0, 4))).toEqual([
      ["2025年3月", 7, 1, 3],
      ["2025年4月", 2, 0, 0],
      ["2025年5月", 1, 0, 0],
      ["2025年6月", 1, 0, 0],
    ]);
    expect(rowBelow(sheet, "计划事项").slice(0, 4)).toEqual([11, 1, 1 / 11, 3]);
  });

  it("is due on its due day and overdue from the day after; within 7 days of the next month it is due", async () => {
    const onDay = await summarize("duban-deadlines.xlsx", "2025-03-05");
    const after = await summarize("duban-deadlines.xlsx", "2025-03-06");
    const late = await summarize("duban-deadlines.xlsx", "2025-03-28");
    const status = async (out: string, activity: string) =>
      planByActivity(sheetNamed(await written(out), "督办台账"), cols).get(activity)?.status;
    expect(await status(onDay.out, "修订章程")).toBe("本月到期");
    expect(await status(after.out, "修订章程")).toBe("逾期");
    // On 2025-03-05 nothing is overdue yet; on 03-06 the 5 March item is.
    expect(onDay.summary.overdue).toBe(0);
    expect(after.summary.overdue).toBe(1);
    // On 03-28: due 2 April is within the next 7 days; due 30 April is not. Overdue: 5, 10, 15, 20, 20 March.
    expect(await status(late.out, "专家库更新")).toBe("本月到期");
    expect(await status(late.out, "档案整理")).toBe("未到期");
    expect(await status(late.out, "年度审计")).toBe("本月到期");
    expect(late.summary.overdue).toBe(5);
    expect(late.summary.due).toBe(2);
  });

  it("LibreOffice recalculating the written file finds the JSON's numbers, per row and per month", async () => {
    if (!libreOfficeOrSkip()) return;
    const { summary, out } = await summarize("duban-deadlines.xlsx", "2025-03-20");
    const sheets = await recalcToCsv(out, path.join(dir, "lo-duban"));
    const rows = sheets[Object.keys(sheets).find((s) => /汇总/.test(s)) as string];
    const labels = rows.findIndex((r) => r[0] === "计划事项");
    const kpi = rows[labels + 1].slice(0, 4).map(csvNumber);
    expect(kpi).toEqual([summary.activities, summary.completed, expect.any(Number), summary.overdue]);
    expect(kpi[2]).toBeCloseTo(summary.rate as number, 9);
    for (const g of summary.byMonth) {
      const label = `${g.month!.slice(0, 4)}年${Number(g.month!.slice(5, 7))}月`;
      const row = rows.find((r) => r[0] === label);
      expect([label, ...(row ?? []).slice(1, 4).map(csvNumber)]).toEqual([label, g.activities, g.completed, g.overdue]);
    }
    const plan = sheets[Object.keys(sheets).find((s) => /督办台账/.test(s)) as string];
    const statuses = plan.slice(2).map((r) => r[r.length - 1]);
    expect(statuses).toEqual([
      "逾期",
      "逾期",
      "本月到期",
      "本月到期",
      "逾期",
      "已完成",
      "未到期",
      "本月到期",
      "未到期",
      "未到期",
      "未到期",
    ]);
  }, 120_000);
});

describe("dates: a one-month plan", () => {
  it("spans its month: the period, the by-month table and the pace follow, and a second run keeps them", async () => {
    const { report, summary, out } = await summarize("one-month.xlsx", "2025-03-20");
    expect(report.period).toEqual({ start: "2025-03", end: "2025-03" });
    expect(report.periodSource).toBe("dataMonths");
    // 3 Mar done, 10 Mar overdue, 14 Mar done, 21 Mar due, 3月底前 (31 Mar) due.
    expect([summary.activities, summary.completed, summary.overdue, summary.due]).toEqual([5, 2, 1, 2]);
    expect(summary.pace).toBeCloseTo(20 / 31, 12);
    expect(monthCounts(summary)).toEqual({ "2025-03": [5, 2, 1, 2] });
    const book = await written(out);
    const sheet = sheetNamed(book, "汇总");
    expect(tableRows(sheet, "SummaryByMonth").rows.map((r) => r.slice(0, 4))).toEqual([["2025年3月", 5, 2, 1]]);
    const kpi = rowBelow(sheet, "计划事项");
    expect(kpi[4]).toBeCloseTo(20 / 31, 12);
    const plan = planByActivity(sheetNamed(book, "3月重点工作"), {
      activity: "工作任务",
      due: "完成时间",
      notes: "备注",
    });
    expect(plan.get("月度总结")).toMatchObject({ due: serial(2025, 3, 31), notes: "原文：完成时间=3月底前" });

    // The structured workbook read again keeps the one-month period it was structured with.
    const again = await summarize(path.basename(out), "2025-03-20", "again-one-month.xlsx");
    expect(again.report.period).toEqual({ start: "2025-03", end: "2025-03" });
    expect(again.summary).toMatchObject({ activities: 5, completed: 2, overdue: 1, due: 2 });
  });

  it("LibreOffice recalculating it finds the same pace and counts", async () => {
    if (!libreOfficeOrSkip()) return;
    const { summary, out } = await summarize("one-month.xlsx", "2025-03-20");
    const sheets = await recalcToCsv(out, path.join(dir, "lo-month"));
    const rows = sheets[Object.keys(sheets).find((s) => /汇总/.test(s)) as string];
    const labels = rows.findIndex((r) => r[0] === "计划事项");
    const kpi = rows[labels + 1].slice(0, 5).map(csvNumber);
    expect([kpi[0], kpi[1], kpi[3]]).toEqual([summary.activities, summary.completed, summary.overdue]);
    expect(kpi[4]).toBeCloseTo(summary.pace, 9);
  }, 120_000);
});

describe("dates: a school calendar by week", () => {
  it("is one term; each week is due on its last day, in that day's month, with the week kept in the notes", async () => {
    const { report, summary, out } = await summarize("school-weeks.xlsx", "2025-03-20");
    expect(report.period).toEqual({ start: "2025-02", end: "2025-07" });
    expect(report.columns).toMatchObject({ month: "日期", activity: "工作内容", owner: "负责部门" });
    // No status or actual column: nothing is overdue; weeks already past are "not recorded".
    expect(summary.tracked).toBe(false);
    expect(summary.overdue).toBe(0);
    expect(monthCounts(summary)).toEqual({
      "2025-02": [2, 0, 0, 0],
      "2025-03": [1, 0, 0, 0],
      "2025-04": [3, 0, 0, 0],
      "2025-05": [1, 0, 0, 0],
      "2025-06": [1, 0, 0, 0],
    });
    // Pace over the six months of the term: 1 month ended (February) and 20 of March's 31 days.
    expect(summary.pace).toBeCloseTo((1 + 20 / 31) / 6, 12);
    const plan = planByActivity(sheetNamed(await written(out), "校历"), {
      activity: "工作内容",
      due: "日期",
      notes: "备注",
    });
    expect(plan.get("开学典礼")).toMatchObject({
      due: serial(2025, 2, 21),
      status: "未记录",
      notes: "原文：日期=2.17-2.21",
    });
    expect(plan.get("清明祭扫")).toMatchObject({
      due: serial(2025, 4, 4),
      status: "未到期",
      notes: "原文：日期=3.31-4.4",
    });
    expect(plan.get("期末考试")).toMatchObject({ due: serial(2025, 6, 27), status: "未到期" });
  });
});

describe("dates: consolidate keeps each department's due days", () => {
  it("a 督办台账 and a one-month plan consolidated count as they do apart, by day", async () => {
    const args = ["consolidate", "duban-deadlines.xlsx", "one-month.xlsx", "--out", "all.xlsx", "--force", "--json"];
    const r = await runCli([...args, "--as-of", "2025-03-20"], { cwd: dir });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const summary = json(r).summary as Summary;
    // 11 + 5 items; overdue 3 + 1, due 3 + 2, done 1 + 2; March 7 + 5.
    expect([summary.activities, summary.completed, summary.overdue, summary.due]).toEqual([16, 3, 4, 5]);
    expect(monthCounts(summary)).toEqual({
      "2025-03": [12, 3, 4, 5],
      "2025-04": [2, 0, 0, 0],
      "2025-05": [1, 0, 0, 0],
      "2025-06": [1, 0, 0, 0],
    });
  });
});
