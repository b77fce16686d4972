/**
 * Issue 17 §2 through the operations the pane calls, over the offline host, on the openpyxl fixtures of
 * test/fixtures/xlsx/dates/ (the CLI side is test/cli/dates.test.ts): what the preview promises, what Structure writes
 * into a due column, and that a second run finds the plan as it left it.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { createOfflineOperations } from "../../src/hosting/offline";
import {
  OfflineHost,
  createWorkbookModel,
  sheetFromGrid,
  type SheetModel,
  type WorkbookModel,
} from "../../src/offline";
import { importXlsx } from "../../src/offline/xlsx";

const FIXTURES = path.join(__dirname, "..", "fixtures", "xlsx", "dates");
const NOW = new Date(2025, 2, 20);

async function open(file: string) {
  const model = await importXlsx(new Uint8Array(fs.readFileSync(path.join(FIXTURES, file))));
  const host = new OfflineHost(model, { now: () => NOW });
  return { model, host, ops: createOfflineOperations(host, { now: () => NOW }) };
}

function sheet(model: WorkbookModel, name: string): SheetModel {
  const s = model.sheets.find((x) => x.name === name);
  if (!s) throw new Error(`no sheet ${name}`);
  return s;
}

/** Column `col` of rows `from`..`to` (0-based) as [value, number format]. */
function column(s: SheetModel, col: number, from: number, to: number): [unknown, unknown][] {
  const out: [unknown, unknown][] = [];
  for (let r = from; r <= to; r++) out.push([s.rows.get(r)?.get(col)?.value, s.rows.get(r)?.get(col)?.numberFormat]);
  return out;
}

describe("operations on a 督办台账 whose 办结时限 keeps its days", () => {
  it("the preview shows each deadline becoming its date and the wording kept; Structure writes exactly that", async () => {
    const { model, ops } = await open("duban-deadlines.xlsx");
    const preview = await ops.previewStructure({ lang: "zh-CN" });
    expect(preview.normalizedExamples.filter((e) => e.field === "month").map((e) => [e.before, e.after])).toEqual([
      ["2025.3.15", "2025年3月15日"],
      ["3.28", "2025年3月28日"],
      ["3月20日前", "2025年3月20日"],
      ["3月上旬", "2025年3月10日"],
      ["2025/3/25", "2025年3月25日"],
    ]);
    expect(preview.originalExamples.map((e) => e.after)).toEqual([
      "原文：办结时限=3月20日前",
      "原文：办结时限=3月上旬",
      "原文：办结时限=3月中旬",
      "原文：办结时限=4月底",
      "原文：办结时限=5月",
    ]);

    await ops.structure({ lang: "zh-CN" });
    const plan = sheet(model, "督办台账");
    const serial = (m: number, d: number) => Date.UTC(2025, m - 1, d) / 86400000 + 25569;
    const day = 'yyyy"年"m"月"d"日"';
    expect(column(plan, 3, 2, 12)).toEqual(
      [
        [3, 5],
        [3, 15],
        [3, 28],
        [3, 20],
        [3, 10],
        [3, 25],
        [6, 15],
        [3, 20],
        [4, 30],
        [4, 2],
        [5, 31],
      ].map(([m, d]) => [serial(m, d), day]),
    );
    // A due column accepts any day of the period (a warning outside it, so 全年 can still be typed), not the month list.
    const rule = plan.validations.find((v) => v.ranges.some((r) => r.c0 === 3 && r.r0 === 2));
    expect(rule).toMatchObject({
      rule: { type: "date", operator: "Between", formula1: "=PlanLedger_PeriodStart" },
      errorAlert: { style: "Warning" },
    });
  });

  it("a second Structure changes no due cell and the summary counts the same", async () => {
    const { model, ops } = await open("duban-deadlines.xlsx");
    await ops.structure({ lang: "zh-CN" });
    const first = await ops.summarize({ lang: "zh-CN", asOf: NOW });
    const before = column(sheet(model, "督办台账"), 3, 2, 12);
    const again = await ops.structure({ lang: "zh-CN" });
    expect(again.normalizedCells).toBe(0);
    expect(column(sheet(model, "督办台账"), 3, 2, 12)).toEqual(before);
    const second = await ops.summarize({ lang: "zh-CN", asOf: NOW });
    expect(second.kpis).toEqual(first.kpis);
    expect(first.kpis).toMatchObject({ activities: 11, completed: 1, overdue: 3 });
  });
});

describe("operations on plans shorter than a year", () => {
  it("a one-month plan is previewed, structured and summarised over its month", async () => {
    const { ops, model } = await open("one-month.xlsx");
    const p = await ops.preview({});
    expect([p.period, p.periodSource]).toEqual([{ start: "2025-03", end: "2025-03" }, "dataMonths"]);
    const s = await ops.summarize({ lang: "zh-CN", asOf: NOW });
    expect(s.plan.period).toEqual({ start: "2025-03", end: "2025-03" });
    expect(s.kpis.pace).toBeCloseTo(20 / 31, 12);
    expect(s.model.byMonth.map((g) => g.key)).toEqual(["2025-03"]);
    // The summary's title names the month once.
    expect(sheet(model, s.sheet).rows.get(0)?.get(0)?.value).toBe("3月重点工作（2025年3月）汇总");
  });

  it("a school calendar by week spans its term, from the title", async () => {
    const { ops } = await open("school-weeks.xlsx");
    const p = await ops.preview({});
    expect([p.period, p.periodSource, p.periodEvidence]).toEqual([
      { start: "2025-02", end: "2025-07" },
      "title",
      "2024-2025学年第二学期校历",
    ]);
  });
});

describe("a column that keeps days stays one on re-runs", () => {
  it("even when most of its dates fall on the 1st once written (3.1, 4.1, 5.1 beside 6月)", async () => {
    const model = createWorkbookModel([]);
    sheetFromGrid(model, "2025年工作安排", [
      ["时间", "工作任务", "责任部门", "进展情况"],
      ["3.1", "启动会", "办公室", ""],
      ["4.1", "中期检查", "办公室", ""],
      ["5.1", "专项督查", "督查室", ""],
      ["6月", "半年总结", "办公室", ""],
    ]);
    const host = new OfflineHost(model, { now: () => NOW });
    const ops = createOfflineOperations(host, { now: () => NOW });
    await ops.structure({ lang: "zh-CN" });
    const s = sheet(model, "2025年工作安排");
    const serial = (m: number, d: number) => Date.UTC(2025, m - 1, d) / 86400000 + 25569;
    const written = column(s, 0, 1, 4);
    expect(written.map((c) => c[0])).toEqual([serial(3, 1), serial(4, 1), serial(5, 1), serial(6, 30)]);
    const again = await ops.structure({ lang: "zh-CN" });
    expect(again.normalizedCells).toBe(0);
    expect(column(s, 0, 1, 4)).toEqual(written);
    // As of 20 March the day rule still holds after the second run: 1 March is overdue (by month it would be due).
    const summary = await ops.summarize({ lang: "zh-CN", asOf: NOW });
    expect(summary.kpis).toMatchObject({ activities: 4, completed: 0, overdue: 1 });
    expect(summary.model.due).toBe(0);
  });
});
