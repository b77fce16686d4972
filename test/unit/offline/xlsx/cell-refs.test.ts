/**
 * Cells written without their `r` (ECMA-376 Part 1 §18.3.1.4: optional; a cell without it follows the previous cell of
 * its row). The exporter omits it where a cell follows the one before; every reader must still find each cell where
 * it was: ours, ExcelJS, openpyxl (formulas and cached values). LibreOffice reads our output in the integration tests.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ExcelJS from "exceljs";
import JSZip from "jszip";
import type { Cell, Scalar, WorkbookModel } from "../../../../src/offline/model";
import { exportXlsx, importXlsx } from "../../../../src/offline/xlsx";
import { colName } from "../../../../src/offline/xlsx/a1";
import { f, sheet, workbook, type Entry } from "./builder";

const PYTHON = "/usr/bin/python3"; // Debian's python3-openpyxl

/**
 * Rows that start in column A and later, with gaps, styled blank cells, shared and single formulas, text, numbers,
 * booleans and errors, past column Z, and an empty row between.
 */
function model(): WorkbookModel {
  const bold: Cell = { style: { fontBold: true } };
  const grid: Entry[][] = [["月份", "任务", "目标", "实际", null, "完成率", "备注"]];
  for (let r = 2; r <= 40; r++) {
    if (r === 9) {
      grid.push([]);
      continue;
    }
    const start = r % 5 === 0 ? 2 : 0; // some rows start in column C
    const line: Entry[] = [];
    for (let c = 0; c < start; c++) line.push(null);
    if (start === 0) line.push(r % 12 || 12, `任务 ${r}`);
    line.push(r * 10, r % 3 === 0 ? null : r * 7);
    line.push(r % 4 === 0 ? bold : null); // a styled blank cell fills the gap on some rows
    line.push(f(`=IF(C${r}>0,D${r}/C${r},"")`, r % 3 === 0 ? 0 : 0.7));
    line.push(r % 6 === 0 ? true : r % 7 === 0 ? { error: "#N/A" } : `说明 ${r}`);
    if (r % 2 === 0) line.push(null, null, 1.5, f(`=K${r}*2`, 3));
    grid.push(line);
  }
  const wide: Entry[] = [];
  for (let c = 0; c < 30; c++) wide.push(c === 26 ? null : `col ${c}`);
  grid.push(wide);
  return workbook([sheet("S", grid)]);
}

/** Every cell with a value or a formula, by A1 address: its value, or its formula text. */
function expected(m: WorkbookModel): Record<string, Scalar | string> {
  const out: Record<string, Scalar | string> = {};
  for (const [r, row] of m.sheets[0].rows) {
    for (const [c, cell] of row) {
      if (cell.formula) out[`${colName(c)}${r + 1}`] = cell.formula;
      else if (cell.value !== undefined && cell.value !== null) out[`${colName(c)}${r + 1}`] = cell.value;
    }
  }
  return out;
}

describe("cells without their reference", () => {
  it("leaves out the reference of a cell that follows the one before, and only there", async () => {
    const xml = await (
      await JSZip.loadAsync(await exportXlsx(model()))
    )
      .file("xl/worksheets/sheet1.xml")!
      .async("string");
    const cells = [...xml.matchAll(/<c( r="[A-Z]+\d+")?[ >/]/g)];
    const without = cells.filter((m) => m[1] === undefined).length;
    expect(without).toBeGreaterThan(cells.length / 2);
    // Row 5 starts in C, after a gap: its first cell names itself; D5 follows it.
    expect(xml).toContain('<row r="5"><c r="C5"><v>50</v></c><c><v>35</v></c>');
    // A formula always names its cell (openpyxl moves a shared formula's references from it); so does a cell after a gap.
    for (const m of xml.matchAll(/<c([^>]*)><f/g)) expect(m[1]).toMatch(/^ r="[FK]\d+"/);
    expect(xml).toContain('<c r="J2"><v>1.5</v></c>');
    // A styled blank cell counts as the previous cell: E4 (bold, empty) follows D4, and F4 names itself (a formula).
    expect(xml).toMatch(/<row r="4">(?:(?!<\/row>).)*<c><v>28<\/v><\/c><c s="\d+"\/><c r="F4">/);
  });

  it("names every cell when asked to, as Excel writes them (everyCellRef)", async () => {
    const bytes = await exportXlsx(model(), { everyCellRef: true });
    const xml = await (await JSZip.loadAsync(bytes)).file("xl/worksheets/sheet1.xml")!.async("string");
    const cells = [...xml.matchAll(/<c( r="[A-Z]+\d+")?[ >/]/g)];
    expect(cells.length).toBeGreaterThan(200);
    expect(cells.filter((m) => m[1] === undefined)).toEqual([]);
    expect(expected(await importXlsx(bytes))).toEqual(expected(model()));
  });

  it("is read back by our reader cell for cell", async () => {
    const back = await importXlsx(await exportXlsx(model()));
    expect(expected(back)).toEqual(expected(model()));
  });

  it("is read by ExcelJS with every cell where it was", async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await exportXlsx(model())).buffer as ArrayBuffer);
    const read: Record<string, Scalar | string> = {};
    wb.getWorksheet("S")!.eachRow((row) =>
      row.eachCell((cell) => {
        const v = cell.value as unknown;
        if (v && typeof v === "object" && "formula" in v) read[cell.address] = `=${(v as { formula: string }).formula}`;
        else if (v && typeof v === "object" && "sharedFormula" in v) read[cell.address] = `=${cell.formula}`;
        else if (v && typeof v === "object" && "error" in v) read[cell.address] = v as Scalar;
        else read[cell.address] = v as Scalar;
      }),
    );
    expect(read).toEqual(expected(model()));
  });

  it("is read by openpyxl with every formula and every cached value where it was", async () => {
    const dir = mkdtempSync(join(tmpdir(), "plan-ledger-refs-"));
    const file = join(dir, "refs.xlsx");
    const m = model();
    writeFileSync(file, await exportXlsx(m));
    const script =
      "import json, sys, openpyxl\n" +
      "def cells(data_only):\n" +
      "    ws = openpyxl.load_workbook(sys.argv[1], data_only=data_only)['S']\n" +
      "    return {c.coordinate: c.value for row in ws.iter_rows() for c in row if c.value is not None}\n" +
      "print(json.dumps({'formulas': cells(False), 'values': cells(True)}))\n";
    const read = JSON.parse(execFileSync(PYTHON, ["-c", script, file], { encoding: "utf8" })) as {
      formulas: Record<string, unknown>;
      values: Record<string, unknown>;
    };
    // openpyxl gives an error as its text.
    const plain = (v: Scalar | string): unknown => (typeof v === "object" && v !== null && "error" in v ? v.error : v);
    expect(read.formulas).toEqual(Object.fromEntries(Object.entries(expected(m)).map(([k, v]) => [k, plain(v)])));
    const values: Record<string, unknown> = {};
    for (const [r, row] of m.sheets[0].rows) {
      for (const [c, cell] of row) if (cell.value !== undefined) values[`${colName(c)}${r + 1}`] = plain(cell.value);
    }
    expect(read.values).toEqual(values);
  });
});
