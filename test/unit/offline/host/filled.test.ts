/**
 * Formulas filled down a column are kept once (src/offline/xlsx/filled.ts): a paste, a table's calculated column and an
 * imported shared formula keep the text they were filled from and each cell's offset. Through the API nothing
 * changes: each cell reads its own text and value, after rows or columns are inserted and after one cell is
 * overwritten, and the .xlsx written is the one the same formulas written cell by cell give.
 */
import JSZip from "jszip";
import { OfflineHost, createWorkbookModel, filledOf, sheetFromGrid, type WorkbookModel } from "../../../../src/offline";
import { exportXlsx, importXlsx } from "../../../../src/offline/xlsx";

const ROWS = 2000;

/** Sheet S: A = i, B = 2i in rows 2…ROWS+1 under a header row. */
function model(): WorkbookModel {
  const m = createWorkbookModel([]);
  sheetFromGrid(m, "S", [
    ["a", "b", "sum", "share"],
    ...Array.from({ length: ROWS }, (_, i) => [i + 1, 2 * (i + 1), null, null]),
  ]);
  return m;
}

/** The two formulas of row 2, as they read there; each row's own is the same with its row number. */
const own = (r: number): [string, string] => [`=A${r}+B${r}`, `=IF(B${r}>0,A${r}/B${r},"")&$A$1`];

/** C2:D2 written, then pasted down to the last row (what Structure does for the completion and status columns). */
async function pasted(): Promise<OfflineHost> {
  const h = new OfflineHost(model(), { apiVersion: "1.17" });
  await h.run(async (ctx) => {
    const ws = ctx.workbook.worksheets.getItem("S");
    const first = ws.getRange("C2:D2");
    first.formulas = [own(2)];
    ws.getRange(`C3:D${ROWS + 1}`).copyFrom(first, "All");
    await ctx.sync();
  });
  return h;
}

/** The same formulas written row by row, each with its own text. */
async function written(): Promise<OfflineHost> {
  const h = new OfflineHost(model(), { apiVersion: "1.17" });
  await h.run(async (ctx) => {
    ctx.workbook.worksheets.getItem("S").getRange(`C2:D${ROWS + 1}`).formulas = Array.from({ length: ROWS }, (_, i) =>
      own(i + 2),
    );
    await ctx.sync();
  });
  return h;
}

async function read(h: OfflineHost, address: string): Promise<{ formulas: unknown[][]; values: unknown[][] }> {
  return h.run(async (ctx) => {
    const r = ctx.workbook.worksheets.getItem("S").getRange(address).load("formulas, values");
    await ctx.sync();
    return { formulas: r.formulas, values: r.values };
  });
}

async function edit(h: OfflineHost, f: (ws: Excel.Worksheet) => void): Promise<void> {
  await h.run(async (ctx) => {
    f(ctx.workbook.worksheets.getItem("S") as unknown as Excel.Worksheet);
    await ctx.sync();
  });
}

async function sheetXml(m: WorkbookModel): Promise<string> {
  const zip = await JSZip.loadAsync(await exportXlsx(m));
  return zip.file("xl/worksheets/sheet1.xml")!.async("string");
}

describe("formulas filled down a column", () => {
  it("keep one text for the whole column, and every cell still reads its own formula and value", async () => {
    const h = await pasted();
    const rows = h.model.sheets[0].rows;
    // The fill's text is the source cell's, shared: not one string per row.
    const source = rows.get(1)!.get(3)!.formula;
    for (let r = 2; r <= ROWS; r++) {
      const f = filledOf(rows.get(r)!.get(3)!);
      expect(f).toEqual({ source, dr: r - 1, dc: 0 });
      expect(f!.source).toBe(source);
    }
    const got = await read(h, `C2:D${ROWS + 1}`);
    expect(got.formulas).toEqual(Array.from({ length: ROWS }, (_, i) => own(i + 2)));
    expect(got.values[ROWS - 1]).toEqual([3 * ROWS, `0.5a`]);
    expect(got).toEqual(await read(await written(), `C2:D${ROWS + 1}`));
  });

  it("read each row's own text after rows are inserted above, a column inserted, and one cell overwritten", async () => {
    const h = await pasted();
    await edit(h, (ws) => ws.getRange("2:3").insert("Down"));
    let got = await read(h, `C4:D${ROWS + 3}`);
    expect(got.formulas[0]).toEqual(own(4));
    expect(got.formulas[ROWS - 1]).toEqual(own(ROWS + 3));
    expect(got.values[ROWS - 1]).toEqual([3 * ROWS, "0.5a"]);

    await edit(h, (ws) => ws.getRange("B:B").insert("Right"));
    got = await read(h, `D4:E${ROWS + 3}`);
    const shifted = (r: number) => [`=A${r}+C${r}`, `=IF(C${r}>0,A${r}/C${r},"")&$A$1`];
    expect(got.formulas).toEqual(Array.from({ length: ROWS }, (_, i) => shifted(i + 4)));

    await edit(h, (ws) => (ws.getRange("D10").formulas = [["=A10*100"]]));
    got = await read(h, "D9:D11");
    expect(got.formulas).toEqual([[shifted(9)[0]], ["=A10*100"], [shifted(11)[0]]]);
    expect(got.values).toEqual([[18], [700], [24]]);
  });

  it("stay a fill when another sheet's rows move, and follow that sheet when they name it", async () => {
    const h = await pasted();
    await h.run(async (ctx) => {
      const other = ctx.workbook.worksheets.add("O");
      other.getRange("A1:A3").values = [[1], [2], [3]];
      const ws = ctx.workbook.worksheets.getItem("S");
      ws.getRange("E2").formulas = [["=O!A1*A2"]];
      ws.getRange(`E3:E${ROWS + 1}`).copyFrom(ws.getRange("E2"), "Formulas");
      await ctx.sync();
      other.getRange("1:1").insert("Down");
      await ctx.sync();
    });
    const rows = h.model.sheets[0].rows;
    expect(filledOf(rows.get(ROWS)!.get(2)!)).toEqual({ source: own(2)[0], dr: ROWS - 1, dc: 0 });
    const got = await read(h, "C3:E4");
    expect(got.formulas).toEqual([
      [...own(3), "=O!A3*A3"],
      [...own(4), "=O!A4*A4"],
    ]);
    expect(got.values.map((x) => x[2])).toEqual([4, 9]);
  });

  it("are cleared, copied again and copied upwards as plain formulas would be", async () => {
    const h = await pasted();
    await edit(h, (ws) => {
      ws.getRange("C5").clear("Contents");
      // A copy of a filled cell, and copies upwards: one that stays on the grid, one that takes a reference off it.
      ws.getRange("F20").copyFrom(ws.getRange("C10"), "Formulas");
      ws.getRange("C1").copyFrom(ws.getRange("C3"), "Formulas");
      ws.getRange("G3").formulas = [["=A2*10"]];
      ws.getRange("G4:G9").copyFrom(ws.getRange("G3"), "All");
      ws.getRange("G2").copyFrom(ws.getRange("G5"), "Formulas");
      ws.getRange("G1").copyFrom(ws.getRange("G4"), "Formulas");
    });
    const got = await read(h, "C1:C5");
    expect(got.formulas).toEqual([["=A1+B1"], ["=A2+B2"], ["=A3+B3"], ["=A4+B4"], [""]]);
    expect((await read(h, "F20")).formulas).toEqual([["=D20+E20"]]);
    const g = await read(h, "G1:G9");
    expect(g.formulas.map((x) => x[0])).toEqual([
      "=#REF!*10",
      "=A1*10",
      ...[2, 3, 4, 5, 6, 7, 8].map((r) => `=A${r}*10`),
    ]);
    expect(g.values.map((x) => x[0])).toEqual(["#REF!", "#VALUE!", 10, 20, 30, 40, 50, 60, 70]);
    // Spreads and JSON see the text, as they see a plain cell's.
    const cell = h.model.sheets[0].rows.get(6)!.get(2)!;
    expect({ ...cell }).toEqual({ formula: "=A7+B7", value: 18 });
    expect(JSON.parse(JSON.stringify(cell))).toEqual({ formula: "=A7+B7", value: 18 });
  });

  it("fill a table's calculated column from one cell without a text per row", async () => {
    const h = new OfflineHost(model(), { apiVersion: "1.17" });
    await edit(h, (ws) => {
      ws.tables.add(`A1:D${ROWS + 1}`, true).name = "T";
      ws.getRange("C2").formulas = [["=A2*B2"]];
    });
    const rows = h.model.sheets[0].rows;
    expect(filledOf(rows.get(ROWS)!.get(2)!)).toEqual({ source: "=A2*B2", dr: ROWS - 1, dc: 0 });
    const got = await read(h, `C2:C${ROWS + 1}`);
    expect(got.formulas).toEqual(Array.from({ length: ROWS }, (_, i) => [`=A${i + 2}*B${i + 2}`]));
    expect(got.values[ROWS - 1]).toEqual([2 * ROWS * ROWS]);
    expect(h.model.sheets[0].tables[0].columnFormulas).toEqual({ 2: "=A2*B2" });
  });

  it("are written to .xlsx exactly as the same formulas written cell by cell, and read back as a fill", async () => {
    const filledHost = await pasted();
    const plainHost = await written();
    filledHost.recalculate();
    plainHost.recalculate();
    const xml = await sheetXml(filledHost.model);
    expect(xml).toBe(await sheetXml(plainHost.model));
    expect(xml).toContain(`<f t="shared" ref="C2:C${ROWS + 1}" si="0">A2+B2</f>`);

    const back = await importXlsx(await exportXlsx(filledHost.model));
    const cell = back.sheets[0].rows.get(ROWS)!.get(3)!;
    expect(filledOf(cell)).toEqual({ source: own(2)[1], dr: ROWS - 1, dc: 0 });
    const h = new OfflineHost(back, { apiVersion: "1.17" });
    expect((await read(h, `D${ROWS + 1}`)).formulas).toEqual([[own(ROWS + 1)[1]]]);
    h.recalculate();
    expect(await sheetXml(back)).toBe(xml);
  });
});
