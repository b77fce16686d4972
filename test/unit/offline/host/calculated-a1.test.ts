/**
 * A table's calculated column written with cell references (=B2/A2), as Plan Ledger writes its status and completion
 * columns: the host fills it, extends it and moves it as Excel does (Microsoft support, "Use calculated columns in an
 * Excel table"), keeping the formula as it reads in the first data row, and the .xlsx round trip keeps it.
 */
import JSZip from "jszip";
import { OfflineHost, createWorkbookModel, sheetFromGrid } from "../../../../src/offline";
import { exportXlsx, importXlsx } from "../../../../src/offline/xlsx";

function host(): OfflineHost {
  const model = createWorkbookModel([]);
  sheetFromGrid(model, "S", [
    ["目标", "完成", "率"],
    [4, 2, null],
    [5, 5, null],
    [8, 2, null],
  ]);
  return new OfflineHost(model, { apiVersion: "1.17" });
}

async function column(h: OfflineHost, address: string): Promise<{ formulas: unknown[]; values: unknown[] }> {
  return h.run(async (ctx) => {
    const r = ctx.workbook.worksheets.getItem("S").getRange(address).load("formulas, values");
    await ctx.sync();
    return { formulas: r.formulas.map((x) => x[0]), values: r.values.map((x) => x[0]) };
  });
}

async function filled(): Promise<OfflineHost> {
  const h = host();
  await h.run(async (ctx) => {
    const ws = ctx.workbook.worksheets.getItem("S");
    ws.tables.add("A1:C4", true).name = "T";
    ws.getRange("C3").formulas = [["=B3/A3"]];
    await ctx.sync();
  });
  return h;
}

describe("calculated columns with cell references in the offline host", () => {
  it("fills every row from one cell, each row reading its own cells, and keeps it as the first row reads it", async () => {
    const h = await filled();
    expect(await column(h, "C2:C4")).toEqual({ formulas: ["=B2/A2", "=B3/A3", "=B4/A4"], values: [0.5, 1, 0.25] });
    expect(h.model.sheets[0].tables[0].columnFormulas).toEqual({ 2: "=B2/A2" });
  });

  it("moves the formula with the table when rows are inserted above it, and fills rows added afterwards", async () => {
    const h = await filled();
    await h.run(async (ctx) => {
      const ws = ctx.workbook.worksheets.getItem("S");
      ws.getRange("1:2").insert("Down");
      await ctx.sync();
      ws.tables.getItem("T").rows.add(undefined, [[10, 5, null]] as never);
      await ctx.sync();
    });
    expect(await column(h, "C4:C7")).toEqual({
      formulas: ["=B4/A4", "=B5/A5", "=B6/A6", "=B7/A7"],
      values: [0.5, 1, 0.25, 0.5],
    });
  });

  it("moves its references when a column is inserted inside the table, for the rows added later too", async () => {
    const h = await filled();
    await h.run(async (ctx) => {
      const t = ctx.workbook.worksheets.getItem("S").tables.getItem("T");
      t.columns.add(1, undefined, "备注");
      await ctx.sync();
      t.rows.add(undefined, [[10, "", 5, null]] as never);
      await ctx.sync();
    });
    expect(await column(h, "D2:D5")).toEqual({
      formulas: ["=C2/A2", "=C3/A3", "=C4/A4", "=C5/A5"],
      values: [0.5, 1, 0.25, 0.5],
    });
  });

  it("writes the column as one shared formula and reads the calculated column back from the file", async () => {
    const h = await filled();
    const bytes = await exportXlsx(h.model);
    const xml = await (await JSZip.loadAsync(bytes)).file("xl/worksheets/sheet1.xml")!.async("string");
    expect(xml).toContain('<f t="shared" ref="C2:C4" si="0">B2/A2</f>');
    expect(xml.match(/<f t="shared" si="0"\/>/g)).toHaveLength(2);
    const table = await (await JSZip.loadAsync(bytes)).file("xl/tables/table1.xml")!.async("string");
    expect(table).toContain("<calculatedColumnFormula>B2/A2</calculatedColumnFormula>");
    const back = await importXlsx(bytes);
    expect(back.sheets[0].tables[0].columnFormulas).toEqual({ 2: "=B2/A2" });
    const again = new OfflineHost(back, { apiVersion: "1.17" });
    await again.run(async (ctx) => {
      ctx.workbook.worksheets
        .getItem("S")
        .tables.getItem("T")
        .rows.add(undefined, [[10, 5, null]] as never);
      await ctx.sync();
    });
    expect((await column(again, "C2:C5")).formulas).toEqual(["=B2/A2", "=B3/A3", "=B4/A4", "=B5/A5"]);
  });
});
