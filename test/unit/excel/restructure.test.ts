import { restoreStructured, type TableShape } from "../../../src/excel/restructure";

// The old table: 计划!B3:D9 (header row 3), columns 月份 | 目标 | 完成.
const shape: TableShape = {
  name: "Plan",
  sheet: "计划",
  rect: { r0: 2, c0: 1, r1: 8, c1: 3 },
  columns: ["月份", "目标", "完成"],
};
const elsewhere = { sheet: "汇总", row: 0, col: 0 };

describe("restoreStructured", () => {
  it("writes a column's data, several columns, the data, everything and the header back as structured references", () => {
    expect(restoreStructured("=SUM(计划!$C$4:$C$9)", elsewhere, shape)).toBe("=SUM(Plan[目标])");
    expect(restoreStructured("=SUM('计划'!C4:D9)", elsewhere, shape)).toBe("=SUM(Plan[[目标]:[完成]])");
    expect(restoreStructured("=COUNTA(计划!$B$4:$D$9)", elsewhere, shape)).toBe("=COUNTA(Plan[#Data])");
    expect(restoreStructured("=ROWS(计划!$B$3:$D$9)", elsewhere, shape)).toBe("=ROWS(Plan[#All])");
    expect(restoreStructured("=INDEX(计划!$B$3:$D$3,1)", elsewhere, shape)).toBe("=INDEX(Plan[#Headers],1)");
  });

  it("reads unqualified references on the plan sheet, and a this-row cell inside the table", () => {
    expect(restoreStructured("=SUM($C$4:$C$9)", { sheet: "计划", row: 10, col: 2 }, shape)).toBe("=SUM(Plan[目标])");
    expect(restoreStructured("=$D5/$C5", { sheet: "计划", row: 4, col: 5 }, shape)).toBe(
      "=Plan[@[完成]]/Plan[@[目标]]",
    );
  });

  it("leaves other sheets, other cells, quoted text and partial ranges alone", () => {
    expect(restoreStructured("=SUM($C$4:$C$9)", elsewhere, shape)).toBeNull();
    expect(restoreStructured("=SUM(计划!$C$4:$C$8)", elsewhere, shape)).toBeNull();
    expect(restoreStructured('="计划!$C$4:$C$9"', elsewhere, shape)).toBeNull();
    expect(restoreStructured("=计划!$E$4:$E$9", elsewhere, shape)).toBeNull();
    expect(restoreStructured("=$D6/$C5", { sheet: "计划", row: 4, col: 5 }, shape)).toBe("=$D6/Plan[@[目标]]");
  });
});
