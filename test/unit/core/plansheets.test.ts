import { isRollUp, namedYear, otherPlanSheetsFinding } from "../../../src/core/plansheets";

const HEADER = ["月份", "工作任务", "责任部门", "目标任务", "实际完成"];

describe("isRollUp", () => {
  it("takes rows that are the other sheets' names, with a total, for a roll-up", () => {
    const grid = [HEADER, ["", "学会部", "", 5, 3], ["", "科普部", "", 6, 4], ["", "合计", "", 11, 7]];
    expect(isRollUp(grid, undefined, 0, "汇总", ["学会部", "科普部"])).toBe(true);
  });

  it("takes rows of formulas over other sheets for a roll-up, quoted names and all", () => {
    const values = [HEADER, ["全年", "一", "", 5, 3], ["全年", "二", "", 6, 4]];
    const formulas = [
      HEADER,
      ["全年", "一", "", "=SUM('学 会'!D2:D9)", "=SUM('学 会'!E2:E9)"],
      ["全年", "二", "", "=科普部!D10", ""],
    ];
    expect(isRollUp(values, formulas, 0, "汇总", ["学 会", "科普部"])).toBe(true);
  });

  it("takes a sheet with only totals under its header for a roll-up, and one without rows for an empty plan", () => {
    expect(isRollUp([HEADER, ["", "合计", "", 11, 7]], undefined, 0, "汇总", [])).toBe(true);
    expect(isRollUp([HEADER], undefined, 0, "计划", [])).toBe(false);
  });

  it("keeps a plan whose items are owned by a department named like a sheet", () => {
    // The first text of each row is the month; the owner column repeats 学会部.
    const grid = [HEADER, ["1月", "年会", "学会部", 1, 1], ["2月", "论坛", "学会部", 2, 1]];
    expect(isRollUp(grid, undefined, 0, "学会部计划", ["学会部"])).toBe(false);
    // A sheet name as the first text counts once: the second row naming the same sheet is an item.
    const repeated = [
      ["工作任务", "目标任务"],
      ["学会部", 1],
      ["学会部", 2],
    ];
    expect(isRollUp(repeated, undefined, 0, "计划", ["学会部"])).toBe(false);
  });

  it("ignores a formula reading its own sheet, and text in quotes that looks like a reference", () => {
    const values = [HEADER, ["1月", "年会", "", 1, 1]];
    const own = [HEADER, ["1月", "年会", "", "=计划!D9", '="见!"&D2']];
    expect(isRollUp(values, own, 0, "计划", ["学会部"])).toBe(false);
  });
});

describe("otherPlanSheetsFinding", () => {
  it("names the other sheets in both languages, as a warning", () => {
    const f = otherPlanSheetsFinding("办公室", ["学会部", "科普部"]);
    expect(f.severity).toBe("warning");
    expect(f.message["zh-CN"]).toContain("还有 2 个计划工作表（学会部、科普部）");
    expect(f.message["en-US"]).toContain("2 more plan sheets (学会部, 科普部)");
    expect(otherPlanSheetsFinding("A", ["B"]).message["en-US"]).toContain("1 more plan sheet (B)");
  });
});

describe("namedYear", () => {
  const today = new Date(2026, 1, 10);

  it("takes the first sheet in tab order whose tab or title names a year", () => {
    const sheets = [
      { name: "办公室", titles: [] },
      { name: "学会部", titles: ["2025年学会部工作计划", "填报时间：2025年1月"] },
      { name: "2024年科普部", titles: [] },
    ];
    expect(namedYear(sheets, today)).toEqual({ start: "2025-01", sheet: "学会部", evidence: "2025年学会部工作计划" });
    expect(namedYear([sheets[2], sheets[1]], today)).toMatchObject({ start: "2024-01", sheet: "2024年科普部" });
    expect(namedYear([{ name: "Sheet1", titles: ["2025-2026学年工作计划"] }], today)?.start).toBe("2025-09");
  });

  it("passes over a sheet naming one month or one term, and names nothing when no sheet names a year", () => {
    expect(namedYear([{ name: "督办", titles: ["2025年3月重点工作安排"] }], today)).toBeUndefined();
    expect(namedYear([{ name: "校历", titles: ["2024-2025学年第二学期校历"] }], today)).toBeUndefined();
    expect(
      namedYear(
        [
          { name: "督办", titles: ["2025年3月重点工作安排"] },
          { name: "学会部", titles: ["2025年学会部工作计划"] },
        ],
        today,
      )?.sheet,
    ).toBe("学会部");
    expect(namedYear([{ name: "办公室", titles: ["工作计划", "填报单位：办公室"] }], today)).toBeUndefined();
    expect(namedYear([], today)).toBeUndefined();
  });
});
