import fc from "fast-check";
import { detectHeader } from "../../src/core/header";
import { extractPlan } from "../../src/core/plan";
import { rowStatus, summarize, type SummaryModel } from "../../src/core/summary";
import type { Grid } from "../../src/core/types";
import { parseConfig, CONFIG_KEY } from "../../src/excel/config";
import { statusWords } from "../../src/excel/layout";
import { createOfflineOperations } from "../../src/hosting/offline";
import { OfflineHost, createWorkbookModel, sheetFromGrid } from "../../src/offline";
import type { Scalar, SheetModel } from "../../src/offline";
import { gridOf, typedAsText } from "../support/sheets";

const HEADER = ["月份", "工作任务", "责任单位", "类别", "计量单位", "目标任务", "实际完成", "进展情况"];
const MONTHS = [
  "1月",
  "2月",
  "3月",
  "4月",
  "5月",
  "6月",
  "7月",
  "8月",
  "9月",
  "10月",
  "11月",
  "12月",
  "全年",
  "",
  "3~4月",
  "Q3",
];
const OWNERS = ["科普部", "办公室", "学会部", "Office", "office", "", " ", "科普部 "];
const CATEGORIES = ["宣传", "培训", "", "Outreach", " ", "宣传 "];
const UNITS = ["次", "期", "人次", "", " ", "次 "];
const QUANTITIES: (string | number)[] = [0, 1, 2, 3, 5, 12, 40, "", "12次", "2~3", "约20", "1万"];
const STATUS = ["已完成", "进行中", "", "done", "未完成"];

const rowArb = fc.tuple(
  fc.constantFrom(...MONTHS),
  fc.constantFrom("讲座", "通讯", "培训", "调研", "=不是公式", "+1 讲座"),
  fc.constantFrom(...OWNERS),
  fc.constantFrom(...CATEGORIES),
  fc.constantFrom(...UNITS),
  fc.constantFrom(...QUANTITIES),
  fc.constantFrom(...QUANTITIES),
  fc.constantFrom(...STATUS),
);

// Rows that are mostly empty: headings (an activity alone), totals, spaced or blank activities, empty text and errors
// beside an activity. Each content cell is blank more often than not, so rows with one cell besides the activity
// and rows with none are both common.
const sparse = <T>(...values: T[]) =>
  fc.oneof({ weight: 4, arbitrary: fc.constant("" as T | "") }, { weight: 1, arbitrary: fc.constantFrom(...values) });
const sparseRowArb = fc.tuple(
  sparse<Scalar>("3月", "全年", { error: "#N/A" }),
  fc.constantFrom("讲座", "一、宣传工作", "合计", "合 计", "小计", "", "  ", 0, { error: "#VALUE!" }),
  sparse<Scalar>("科普部", "科普部 ", { error: "#REF!" }),
  sparse<Scalar>("宣传"),
  sparse<Scalar>("次"),
  sparse<Scalar>(0, 12, "12次", false),
  sparse<Scalar>(0, 12),
  sparse<Scalar>("已完成", "进行中"),
);

const DUE_HEADER = ["办结时限", "督办事项", "牵头单位", "类别", "计量单位", "目标任务", "实际完成", "是否办结"];
// Deadlines as people write them: dates (serials on any day, the 1st and month ends included), month.day, 3月20日前,
// parts of a month, a school week, a bare month (due at its end), 全年 and blanks.
const DUES: (string | number)[] = [
  45658, // 2025-01-01
  45721, // 2025-03-05
  45747, // 2025-03-31
  45748, // 2025-04-01
  45838, // 2025-06-30
  46022, // 2025-12-31
  "3.28",
  "2025.3.15",
  "2025/3/25",
  "3月20日前",
  "3月上旬",
  "3月中旬",
  "3月底",
  "4月下旬",
  "2.17-2.21",
  "3.31-4.4",
  "5月",
  "12月",
  "全年",
  "",
];
const dueRowArb = fc.tuple(
  fc.constantFrom(...DUES),
  fc.constantFrom("督办一", "督办二", "督办三"),
  fc.constantFrom(...OWNERS),
  fc.constantFrom(...CATEGORIES),
  fc.constantFrom(...UNITS),
  fc.constantFrom(...QUANTITIES),
  fc.constantFrom(...QUANTITIES),
  fc.constantFrom("是", "否", ""),
);

function tableRows(sheet: SheetModel, name: string): Scalar[][] {
  const t = sheet.tables.find((x) => x.name === name);
  if (!t) return [];
  const out: Scalar[][] = [];
  for (let r = t.ref.r0 + 1; r <= t.ref.r1; r++) {
    const row: Scalar[] = [];
    for (let c = t.ref.c0; c <= t.ref.c1; c++) row.push(sheet.rows.get(r)?.get(c)?.value ?? "");
    out.push(row);
  }
  return out;
}

function close(a: unknown, b: number | null): boolean {
  if (b === null) return a === "" || a === undefined;
  return typeof a === "number" && Math.abs(a - b) < 1e-9;
}

/**
 * Structures and summarises a sheet of `rows` under `header` as of `now`, then checks every row's status formula and
 * the summary's formulas against the core model of the structured sheet; `groups: false` stops after the totals.
 */
async function formulasEqualCore(
  header: readonly string[],
  rows: readonly (readonly unknown[])[],
  now: Date,
  dueDays = false,
  groups = true,
) {
  const model = createWorkbookModel([]);
  const sheet = sheetFromGrid(model, "2025年工作计划", [["2025年度工作计划"], [...header], ...rows.map((r) => [...r])]);
  // Texts that look like formulas were typed as text.
  typedAsText(sheet);
  const host = new OfflineHost(model, { now: () => now });
  const ops = createOfflineOperations(host, { now: () => now });
  if (rows.length === 0) {
    await expect(ops.structure({ lang: "zh-CN" })).resolves.toBeDefined();
  } else {
    await ops.structure({ lang: "zh-CN" });
  }
  const result = await ops.summarize({ lang: "zh-CN" });
  host.recalculate();

  // The core model from the structured sheet, as of the same day.
  const plan = model.sheets[0];
  const grid = gridOf(plan) as Grid;
  const config = parseConfig(JSON.parse(model.settings.get(CONFIG_KEY) as string));
  expect(config).toBeDefined();
  // The core reads what the user typed: the computed columns are blanked, so a status the formula wrongly gave a
  // heading row cannot make that row content (and an item) in the core's eyes too.
  const table = plan.tables.find((t) => t.name === config!.table)!;
  for (const name of [config!.computed.completion, config!.computed.status]) {
    const c = table.ref.c0 + table.columns.indexOf(name);
    for (const row of grid) if (Array.isArray(row) && c < row.length) (row as unknown[])[c] = "";
  }
  const d = detectHeader(grid);
  const extract = extractPlan(grid, d, { period: config!.period });
  // The column is read as intended: months, or deadlines that keep their day (rows without a month have no due date).
  if (rows.length > 0) expect(extract.dueDays).toBe(dueDays);
  const planRows = extract.rows;
  const expected: SummaryModel = summarize(planRows, config!.period, now);

  // Every row's status formula says what the core says of that row (due and upcoming included).
  const statusCol = table.ref.c0 + table.columns.indexOf(config!.computed.status);
  const words = statusWords("zh-CN");
  expect(planRows.map((r) => plan.rows.get(r.gridRow)?.get(statusCol)?.value)).toEqual(
    planRows.map((r) => words[rowStatus(r, config!.period, now)]),
  );
  // …and every other row of the table (heading, total, empty, no activity) has a blank status.
  const items = new Set(planRows.map((r) => r.gridRow));
  const others: { row: number; status: unknown }[] = [];
  for (let r = table.ref.r0 + 1; r <= table.ref.r1; r++) {
    if (!items.has(r)) others.push({ row: r, status: plan.rows.get(r)?.get(statusCol)?.value ?? "" });
  }
  expect(others.filter((o) => o.status !== "")).toEqual([]);

  const summary = model.sheets.find((s) => s.name === result.sheet) as SheetModel;
  const kpi = [0, 1, 2, 3, 4].map((c) => summary.rows.get(4)?.get(c)?.value);
  expect(kpi[0]).toBe(expected.activities);
  expect(kpi[1]).toBe(expected.completed);
  expect(close(kpi[2], expected.rate)).toBe(true);
  expect(kpi[3]).toBe(expected.overdue);
  expect(close(kpi[4], expected.pace)).toBe(true);
  if (!groups) return;

  const months = expected.byMonth.filter((g) => g.key !== "" || g.activities > 0);
  const monthRows = tableRows(summary, "SummaryByMonth");
  expect(monthRows).toHaveLength(months.length);
  monthRows.forEach((row, i) => {
    expect([row[1], row[2], row[3]]).toEqual([months[i].activities, months[i].completed, months[i].overdue]);
    // A month without items has #N/A (a gap in the rate line), any other row a number or "".
    if (months[i].activities === 0 && months[i].key !== "") expect(row[4]).toEqual({ error: "#N/A" });
    else expect(close(row[4], months[i].rate)).toBe(true);
  });
  const ownerRows = tableRows(summary, "SummaryByOwner");
  expected.byOwner.forEach((g, i) => {
    expect([ownerRows[i][1], ownerRows[i][2], ownerRows[i][3]]).toEqual([g.activities, g.completed, g.overdue]);
  });
  const unitRows = tableRows(summary, "SummaryByUnit");
  expected.byUnit.forEach((u, i) => {
    expect(close(unitRows[i][1], u.target)).toBe(true);
    // A unit without any recorded actual says so ("—"); its variance and rate are then blank.
    if (u.actual === null) expect(unitRows[i][2]).toBe("—");
    else expect(close(unitRows[i][2], u.actual)).toBe(true);
    expect(close(unitRows[i][3], u.target === 0 ? null : u.variance)).toBe(true);
    expect(close(unitRows[i][4], u.target > 0 ? u.rate : null)).toBe(true);
  });
}

describe("generateSummary formulas", () => {
  it("give the same numbers as the core summary model for random plans", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(rowArb, { minLength: 0, maxLength: 25 }),
        fc.integer({ min: 0, max: 364 }),
        async (rows, day) => formulasEqualCore(HEADER, rows, new Date(2025, 0, 1 + day)),
      ),
      { numRuns: 40 },
    );
  });

  it("leave headings, totals, empty rows and rows without an activity out, as the core model does", async () => {
    // The first row is an item, so the sheet always has a plan to structure. It has no month: the structure fills a
    // month down into the rows under it, which would make most headings items.
    const first = ["", "讲座", "科普部", "宣传", "次", 2, 1, "进行中"];
    await fc.assert(
      fc.asyncProperty(
        fc.array(sparseRowArb, { minLength: 1, maxLength: 25 }),
        fc.integer({ min: 0, max: 364 }),
        // An error in a month or owner cell is grouped by its text (#N/A) in the core, while the summary's criteria
        // do not count error cells (our engine; Excel's rule for such criteria is unchecked): a known gap, not this
        // property's subject. It is about which rows are items, so it stops after the totals.
        async (rows, day) => formulasEqualCore(HEADER, [first, ...rows], new Date(2025, 0, 1 + day), false, false),
      ),
      { numRuns: 60 },
    );
  });

  it("give the same numbers as the core model for deadlines that keep their day (statuses around the due day)", async () => {
    // The first row always holds a date with a day, so the column keeps days; the rest mixes every form of deadline.
    const first = [45721, "修订章程", "办公室", "", "", "", "", "否"];
    await fc.assert(
      fc.asyncProperty(
        fc.array(dueRowArb, { minLength: 0, maxLength: 25 }),
        fc.integer({ min: 0, max: 364 }),
        async (rows, day) => formulasEqualCore(DUE_HEADER, [first, ...rows], new Date(2025, 0, 1 + day), true),
      ),
      { numRuns: 40 },
    );
  });
});
