import { exportXlsx, importXlsx } from "../../../../src/offline/xlsx";
import { f, sheet, values, workbook } from "./builder";
import { planWorkbook } from "./fixtures";

describe("xlsx round trip", () => {
  it("brings back a plan workbook with tables, validation, conditional formats, names, settings and charts unchanged", async () => {
    const model = planWorkbook();
    const back = await importXlsx(await exportXlsx(model));
    expect(back).toEqual(model);
  });

  it("keeps a cached formula result of 0 and of empty text", async () => {
    const model = workbook([sheet("S", [[0, f("=A1*2", 0), f('=IF(A1=0,"","x")', ""), f("=A1=0", true)]])]);
    const back = await importXlsx(await exportXlsx(model));
    expect(values(back.sheets[0], 1, 4)).toEqual([[0, 0, "", true]]);
  });
});
