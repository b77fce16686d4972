import { applyMappingOverride, detectHeader } from "../../../src/core/header";
import type { Grid, MergedArea } from "../../../src/core/types";
import { academicEn, hostileSheet, ledgerZh, ledgerZhMerges, messyPlanGrid } from "../../fixtures/sheets";

describe("detectHeader", () => {
  it("finds the 台账 header below a merged title and a 填报单位 line and maps every column", () => {
    const d = detectHeader(ledgerZh, ledgerZhMerges);
    expect(d.headerRow).toBe(2);
    expect(d.mapping).toEqual({ month: 1, activity: 2, owner: 3, unit: 5, target: 6, actual: 7, status: 8, notes: 9 });
    expect(d.alternatives).toEqual([{ field: "owner", col: 4, header: "责任人" }]);
    expect(d.unmapped).toEqual([{ col: 0, header: "序号" }]);
    expect(d.confidence).toBeGreaterThanOrEqual(0.9);
    expect(d.candidates).toEqual([]);
  });

  it("finds an English header below a title, a 'Prepared by' line and a blank row", () => {
    const d = detectHeader(academicEn);
    expect(d.headerRow).toBe(3);
    expect(d.mapping).toEqual({
      month: 0,
      activity: 1,
      owner: 2,
      category: 3,
      unit: 4,
      target: 5,
      actual: 6,
      notes: 7,
    });
    expect(d.confidence).toBeGreaterThanOrEqual(0.9);
  });

  it("maps English variants: Due, Task, Responsible, Workstream, UoM, Plan, Done, Progress, Remarks", () => {
    const grid: Grid = [
      ["Due", "Task", "Responsible", "Workstream", "UoM", "Plan", "Done", "Progress", "Remarks"],
      ["Sep", "Newsletter", "Comms", "Outreach", "issues", 6, 2, "on track", ""],
    ];
    expect(detectHeader(grid).mapping).toEqual({
      month: 0,
      activity: 1,
      owner: 2,
      category: 3,
      unit: 4,
      target: 5,
      actual: 6,
      status: 7,
      notes: 8,
    });
  });

  it("maps 完成情况 to actual when its cells are mostly numbers and to status when they are text", () => {
    const header = ["月份", "工作任务", "责任单位", "目标任务", "完成情况"];
    const numeric = detectHeader([header, ["9月", "宣传", "科普部", 12, 10], ["10月", "讲座", "学会部", 4, "3次"]]);
    expect(numeric.mapping).toMatchObject({ actual: 4 });
    expect(numeric.mapping.status).toBeUndefined();
    const text = detectHeader([
      header,
      ["9月", "宣传", "科普部", 12, "已完成"],
      ["10月", "讲座", "学会部", 4, "推进中"],
    ]);
    expect(text.mapping).toMatchObject({ status: 4 });
    expect(text.mapping.actual).toBeUndefined();
  });

  it("keeps 完成情况 as status when a separate actual column exists", () => {
    const d = detectHeader([
      ["月份", "工作任务", "目标", "实际完成", "完成情况"],
      ["9月", "宣传", 12, 10, 10],
    ]);
    expect(d.mapping).toMatchObject({ target: 2, actual: 3, status: 4 });
  });

  it("reads a two-row header whose parent cell is merged over sub-headers", () => {
    const grid: Grid = [
      ["2025年工作台账", "", "", "", ""],
      ["月份", "工作任务", "责任单位", "完成情况", ""],
      ["", "", "", "数量", "进度"],
      ["9月", "宣传", "科普部", 3, "进行中"],
    ];
    const merges: MergedArea[] = [
      { row: 0, col: 0, rowCount: 1, colCount: 5 },
      { row: 1, col: 0, rowCount: 2, colCount: 1 },
      { row: 1, col: 1, rowCount: 2, colCount: 1 },
      { row: 1, col: 2, rowCount: 2, colCount: 1 },
      { row: 1, col: 3, rowCount: 1, colCount: 2 },
    ];
    const d = detectHeader(grid, merges);
    expect(d.headerRow).toBe(1);
    expect(d.mapping).toMatchObject({ month: 0, activity: 1, owner: 2, actual: 3, status: 4 });
    expect(d.headers[4]).toBe("完成情况/进度");
  });

  it("reports no header with the best candidate rows when nothing looks like one", () => {
    const d = detectHeader([["关于做好2025年科普工作的通知"], ["各学会："], [1, 2, 3], ["任务", "x", "y"]]);
    expect(d.headerRow).toBe(-1);
    expect(d.mapping).toEqual({});
    expect(d.confidence).toBe(0);
    expect(d.candidates.length).toBeGreaterThan(0);
    expect(d.candidates[0]).toMatchObject({ row: 3, headers: ["任务", "x", "y"] });
  });

  it("looks only at the first maxScanRows rows", () => {
    const grid: Grid = [...Array.from({ length: 40 }, () => ["说明文字"]), ["月份", "工作任务", "责任单位"]];
    expect(detectHeader(grid).headerRow).toBe(-1);
    expect(detectHeader(grid, [], { maxScanRows: 50 }).headerRow).toBe(40);
  });

  it("gives lower confidence to a header missing the activity column", () => {
    const d = detectHeader([
      ["月份", "责任单位", "目标"],
      ["9月", "科普部", 3],
    ]);
    expect(d.headerRow).toBe(0);
    expect(d.confidence).toBeLessThan(0.7);
  });

  it("never throws on hostile, empty or jagged grids", () => {
    expect(detectHeader(hostileSheet).headerRow).toBe(0);
    expect(detectHeader([]).headerRow).toBe(-1);
    expect(detectHeader([[], [null, undefined], [Number.NaN]] as Grid).headerRow).toBe(-1);
    expect(detectHeader([null, undefined, "x"] as unknown as Grid).headerRow).toBe(-1);
  });

  it("finds the header of a generated 100,000-row ledger", () => {
    const { grid, merges } = messyPlanGrid(7, 100_000);
    const d = detectHeader(grid, merges);
    expect(d.headerRow).toBe(2);
    expect(d.mapping).toMatchObject({ month: 1, activity: 2, owner: 3, target: 6, actual: 7, status: 8 });
  });
});

describe("applyMappingOverride", () => {
  const d = detectHeader(ledgerZh, ledgerZhMerges);

  it("moves a field to the user's column and lists the column it left as an alternative", () => {
    const o = applyMappingOverride(d, { owner: 4 });
    expect(o.mapping.owner).toBe(4);
    expect(o.alternatives).toEqual([{ field: "owner", col: 3, header: "责任单位" }]);
    expect(o.confidence).toBe(1);
  });

  it("unmaps a field set to null and lists its column as unmapped or alternative", () => {
    const o = applyMappingOverride(d, { notes: null });
    expect(o.mapping.notes).toBeUndefined();
    expect(o.alternatives).toContainEqual({ field: "notes", col: 9, header: "备注" });
  });

  it("takes a column from the field that had it", () => {
    const o = applyMappingOverride(d, { category: 8 });
    expect(o.mapping.category).toBe(8);
    expect(o.mapping.status).toBeUndefined();
  });

  it("throws on negative columns and on two fields sharing a column", () => {
    expect(() => applyMappingOverride(d, { owner: -1 })).toThrow(RangeError);
    expect(() => applyMappingOverride(d, { owner: 4, notes: 4 })).toThrow(RangeError);
  });
});
