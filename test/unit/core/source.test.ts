import { sourceLabel, SOURCE_SEPARATOR } from "../../../src/core/source";

describe("sourceLabel", () => {
  it("names a file by itself when the sheet is its only plan sheet", () => {
    expect(sourceLabel({ file: "办公室.xlsx", sheet: "计划", onlyPlanSheet: true })).toBe("办公室.xlsx");
  });
  it("adds the sheet when the file has several plan sheets", () => {
    expect(sourceLabel({ file: "全会.xlsx", sheet: "学会部", onlyPlanSheet: false })).toBe(
      "全会.xlsx" + SOURCE_SEPARATOR + "学会部",
    );
  });
  it("names a sheet of the open workbook by the sheet alone", () => {
    expect(sourceLabel({ sheet: "科普部", onlyPlanSheet: false })).toBe("科普部");
    expect(sourceLabel({ sheet: "科普部", onlyPlanSheet: true })).toBe("科普部");
  });
});
