import { detectHeader } from "../../../src/core/header";
import type { Grid, MergedArea } from "../../../src/core/types";
import { itemKey, itemsColumns, readWide } from "../../../src/core/wide";

function wide(grid: Grid, merges: MergedArea[] = []) {
  const d = detectHeader(grid, merges);
  expect(d.wide).toBeDefined();
  return readWide(grid, d, merges);
}

/** Items as [sheet row, month, target cell, actual cell] for compact expectations. */
const brief = (l: ReturnType<typeof wide>) =>
  l.items.map((i) => [
    i.row,
    i.month,
    i.target ? `${i.target.row},${i.target.col}` : null,
    i.actual ? `${i.actual.row},${i.actual.col}` : null,
  ]);

describe("readWide", () => {
  it("months as columns: one item per task and filled month; the 全年 =SUM column and the 合计 row give none", () => {
    const grid: Grid = [
      ["序号", "工作任务", "责任部门", "单位", "1月", "2月", "3月", "全年目标"],
      [1, "讲座", "科普部", "场", 2, "", 1, "=SUM(E2:G2)"],
      [2, "通讯", "宣传部", "期", null, 1, 0, 1],
      ["合计", "", "", "", 2, 1, 1, 4],
    ];
    const l = wide(grid);
    expect(l.periods.map((p) => [p.col, p.month, p.role])).toEqual([
      [4, 1, "target"],
      [5, 2, "target"],
      [6, 3, "target"],
    ]);
    // 0 is an amount the user typed: an item planned at 0.
    expect(brief(l)).toEqual([
      [1, 1, "1,4", null],
      [1, 3, "1,6", null],
      [2, 2, "2,5", null],
      [2, 3, "2,6", null],
    ]);
    expect(l.skipped).toEqual([{ row: 3, reason: "total" }]);
    expect(l.hasActual).toBe(false);
    expect(itemsColumns(l).map((c) => c.field)).toEqual(["month", "activity", "owner", "unit", "target"]);
    expect(l.items[0].cells).toEqual({
      activity: { row: 1, col: 1 },
      owner: { row: 1, col: 2 },
      unit: { row: 1, col: 3 },
    });
  });

  it("quarters over 计划 | 完成 (unmerged group header): the pair is one item due in the quarter's last month", () => {
    const grid: Grid = [
      ["工作任务", "责任部门", "一季度", "", "二季度", ""],
      ["", "", "计划", "完成", "计划", "完成"],
      ["讲座", "科普部", 5, 4, "", 2],
    ];
    const l = wide(grid);
    expect(l.hasActual).toBe(true);
    // A done amount without a plan is an item too (done beyond the plan is still work to count).
    expect(brief(l)).toEqual([
      [2, 3, "2,2", "2,3"],
      [2, 6, "2,4", "2,5"],
    ]);
    expect(itemsColumns(l).map((c) => c.field)).toEqual(["month", "activity", "owner", "target", "actual"]);
  });

  it("quarters beside months, or half-years beside quarters, are subtotals and give no items", () => {
    const months: Grid = [
      ["工作任务", "1月", "2月", "3月", "一季度"],
      ["讲座", 1, 1, 1, 3],
    ];
    expect(brief(wide(months)).map((i) => i[1])).toEqual([1, 2, 3]);
    const quarters: Grid = [
      ["工作任务", "一季度", "二季度", "上半年", "三季度", "四季度", "下半年"],
      ["讲座", 1, 2, 3, 1, 1, 2],
    ];
    expect(brief(wide(quarters)).map((i) => i[1])).toEqual([3, 6, 9, 12]);
    // Half-years alone are the periods: due in June and December.
    const halves: Grid = [
      ["工作任务", "责任部门", "上半年", "下半年"],
      ["讲座", "科普部", 3, 2],
    ];
    expect(brief(wide(halves)).map((i) => i[1])).toEqual([6, 12]);
  });

  it("a section row above tasks is their category; a merged owner applies to each row it covers", () => {
    const grid: Grid = [
      ["工作任务", "责任部门", "Jan", "Feb", "Mar"],
      ["一、科普宣传", "", "", "", ""],
      ["讲座", "科普部", 1, "", ""],
      ["展览", "", "", 2, ""],
    ];
    const merges: MergedArea[] = [{ row: 2, col: 1, rowCount: 2, colCount: 1 }];
    const l = wide(grid, merges);
    expect(l.skipped).toEqual([{ row: 1, reason: "section" }]);
    expect(l.items.map((i) => i.cells)).toEqual([
      { activity: { row: 2, col: 0 }, owner: { row: 2, col: 1 }, category: { row: 1, col: 0 } },
      { activity: { row: 3, col: 0 }, owner: { row: 2, col: 1 }, category: { row: 1, col: 0 } },
    ]);
    expect(itemsColumns(l).map((c) => c.field)).toEqual(["month", "activity", "owner", "category", "target"]);
  });

  it("sub-columns that are neither plan nor done (进度) are left out; with none left there is nothing to read", () => {
    const grid: Grid = [
      ["工作任务", "责任部门", "Q1", "", "Q2", ""],
      ["", "", "进度", "备注", "进度", "备注"],
      ["讲座", "科普部", "50%", "x", "10%", "y"],
    ];
    expect(wide(grid).periods).toEqual([]);
    expect(wide(grid).items).toEqual([]);
  });

  it.each([
    [
      ["一月", "二月", "十二月"],
      [1, 2, 12],
    ],
    [
      ["Jan", "Feb", "Dec"],
      [1, 2, 12],
    ],
    [
      ["第一季度", "第二季度", "第四季度"],
      [3, 6, 12],
    ],
    [
      ["Q1", "Q2", "Q3"],
      [3, 6, 9],
    ],
  ])("period headers %j are the months %j", (periods, months) => {
    const grid: Grid = [
      ["工作任务", "责任部门", ...periods],
      ["讲座", "科普部", 1, 2, 3],
    ];
    expect(wide(grid).items.map((i) => i.month)).toEqual(months);
  });

  it("M1 … M12 are months; keys change only when an amount cell is filled or emptied", () => {
    const grid: Grid = [
      ["Activity", "Owner", "M1", "M2", "M3"],
      ["Talks", "Outreach", 1, "", 2],
    ];
    const before = wide(grid).items.map(itemKey);
    expect(before).toEqual(["C2||1", "E2||3"]);
    const typed = grid.map((r) => [...r]);
    typed[1][3] = 4;
    const after = wide(typed).items.map(itemKey);
    expect(after.filter((k) => !before.includes(k))).toEqual(["D2||2"]);
  });
});
