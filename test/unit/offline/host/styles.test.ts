import { OfflineHost, createWorkbookModel, sheetFromGrid } from "../../../../src/offline";
import { exportXlsx, importXlsx } from "../../../../src/offline/xlsx";

describe("formatting cells of a workbook read from a file", () => {
  test("sets wrap, fill and alignment on cells whose style the file shares between them, changing only those cells", async () => {
    const model = createWorkbookModel([]);
    const sheet = sheetFromGrid(model, "S", [["讲座"], ["展览"], ["培训"]]);
    // Borders and fonts as every real 台账 has them: one style shared by the three cells once read back.
    for (const row of sheet.rows.values())
      for (const cell of row.values()) cell.style = { fontBold: true, border: true };
    const read = await importXlsx(await exportXlsx(model));
    const cells = [0, 1, 2].map((r) => read.sheets[0].rows.get(r)!.get(0)!);
    expect(Object.isFrozen(cells[0].style)).toBe(true);

    const host = new OfflineHost(read);
    await host.run(async (context) => {
      const range = context.workbook.worksheets.getItem("S").getRange("A1:A2");
      range.format.wrapText = true;
      range.format.horizontalAlignment = "Center";
      range.format.fill.color = "#FFEB9C";
      await context.sync();
    });
    expect(cells[0].style).toEqual({ fontBold: true, border: true, wrap: true, hAlign: "Center", fill: "#FFEB9C" });
    expect(cells[1].style).toEqual(cells[0].style);
    expect(cells[2].style).toEqual({ fontBold: true, border: true });
  });
});
