import { downloadName } from "../../../src/workbench/Workbench";

describe("the workbench's download name", () => {
  it("is the opened file's name with .plan-ledger.xlsx", () => {
    expect(downloadName("2026年工作台账.xlsx")).toBe("2026年工作台账.plan-ledger.xlsx");
    expect(downloadName("Plan.XLSM")).toBe("Plan.plan-ledger.xlsx");
    expect(downloadName("plan-ledger-sample.xlsx")).toBe("plan-ledger-sample.plan-ledger.xlsx");
  });

  it("adds the suffix once to a file downloaded before", () => {
    expect(downloadName("计划.plan-ledger.xlsx")).toBe("计划.plan-ledger.xlsx");
  });

  it("names a nameless file", () => {
    expect(downloadName(".xlsx")).toBe("workbook.plan-ledger.xlsx");
  });
});
