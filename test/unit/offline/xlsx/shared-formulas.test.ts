/**
 * Shared formulas (ECMA-376 Part 1 §18.3.1.40): a formula filled down a column is written once, as Excel writes a
 * copied-down column, and every reader gets each cell's own formula back — ours, and openpyxl, which moves a shared
 * formula's references to each cell on load.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import JSZip from "jszip";
import type { Cell, WorkbookModel } from "../../../../src/offline/model";
import { exportXlsx, importXlsx } from "../../../../src/offline/xlsx";
import { f, sheet, workbook } from "./builder";

const PYTHON = "/usr/bin/python3"; // Debian's python3-openpyxl

/** A sheet with a relative A1 column (a gap, then a formula that does not follow), and a table's calculated column. */
function model(): WorkbookModel {
  const grid: (Cell | string | number | null)[][] = [["n", "x2", "Target", "Twice", "Abs"]];
  for (let r = 2; r <= 10; r++) {
    const a1 = r === 7 ? null : r === 10 ? f("=A10+1", 11) : f(`=A${r}*2+$A$2`, r * 2 + 2);
    grid.push([r, a1, r * 10, f("=T[@Target]*2", r * 20), f("=SUM($A$2:$A$10)", 54)]);
  }
  const s = sheet("S", grid, {
    tables: [
      {
        name: "T",
        ref: { r0: 0, c0: 2, r1: 9, c1: 4 },
        columns: ["Target", "Twice", "Abs"],
        style: "TableStyleMedium2",
        showHeaders: true,
        showTotals: false,
      },
    ],
  });
  return workbook([s]);
}

async function sheetXml(bytes: Uint8Array): Promise<string> {
  const zip = await JSZip.loadAsync(bytes);
  return zip.file("xl/worksheets/sheet1.xml")!.async("string");
}

/** The `<f>` element of each cell, by reference. */
function formulaElements(xml: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of xml.matchAll(/<c r="([A-Z]+\d+)"[^>]*>(<f[^>]*\/>|<f[^>]*>[^<]*<\/f>)/g)) out[m[1]] = m[2];
  return out;
}

/** Every formula of the first sheet, by reference. */
function formulas(m: WorkbookModel): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [r, row] of m.sheets[0].rows) {
    for (const [c, cell] of row) if (cell.formula) out[`${String.fromCharCode(65 + c)}${r + 1}`] = cell.formula;
  }
  return out;
}

describe("shared formulas in .xlsx", () => {
  it("writes a filled-down column once, as Excel does, and breaks the run at a gap or a different formula", async () => {
    const f = formulaElements(await sheetXml(await exportXlsx(model())));
    expect(f.B2).toBe('<f t="shared" ref="B2:B6" si="0">A2*2+$A$2</f>');
    for (const ref of ["B3", "B4", "B5", "B6"]) expect(f[ref]).toBe('<f t="shared" si="0"/>');
    expect(f.B7).toBeUndefined();
    // After the gap a new run starts; A10+1 is not A9*2+$A$2 moved, so B9 ends it and B10 stands alone.
    expect(f.B8).toMatch(/^<f t="shared" ref="B8:B9" si="\d+">A8\*2\+\$A\$2<\/f>$/);
    expect(f.B10).toBe("<f>A10+1</f>");
    // An absolute range is the same text on every row: shared as well.
    expect(f.E2).toMatch(/^<f t="shared" ref="E2:E10" si="\d+">SUM\(\$A\$2:\$A\$10\)<\/f>$/);
    // A table's this-row references may not be in a shared formula: written in full in each cell, as Excel does.
    for (let r = 2; r <= 10; r++) expect(f[`D${r}`]).toBe("<f>T[[#This Row],[Target]]*2</f>");
    expect(Object.values(f).filter((x) => x.endsWith("/>"))).toHaveLength(4 + 1 + 8);
  });

  it("never shares a formula that reads another sheet or holds an array constant", async () => {
    const grid: (Cell | string | number | null)[][] = [["a", "b"]];
    for (let r = 2; r <= 5; r++) grid.push([f(`=Other!A${r}+1`, 1), f(`=SUM(A${r},{1,2})`, 4)]);
    const other = sheet("Other", [[0], [0], [0], [0], [0]]);
    const xml = await sheetXml(await exportXlsx(workbook([sheet("S", grid), other])));
    const els = formulaElements(xml);
    expect(els.A3).toBe("<f>Other!A3+1</f>");
    expect(els.B5).toBe("<f>SUM(A5,{1,2})</f>");
    expect(xml).not.toContain('t="shared"');
  });

  it("reads each cell's own formula back (export → import)", async () => {
    const m = model();
    const back = await importXlsx(await exportXlsx(m));
    expect(formulas(back)).toEqual(formulas(m));
    expect(back.sheets[0].rows.get(4)?.get(1)).toEqual({ formula: "=A5*2+$A$2", value: 12 });
  });

  it("is read by openpyxl as the formulas we meant, each moved to its cell", async () => {
    const dir = mkdtempSync(join(tmpdir(), "plan-ledger-shared-"));
    const file = join(dir, "shared.xlsx");
    writeFileSync(file, await exportXlsx(model()));
    const script =
      "import json, sys, openpyxl\n" +
      "ws = openpyxl.load_workbook(sys.argv[1]).active\n" +
      "print(json.dumps({c.coordinate: c.value for row in ws.iter_rows() for c in row " +
      "if isinstance(c.value, str) and c.value.startswith('=')}))\n";
    const read = JSON.parse(execFileSync(PYTHON, ["-c", script, file], { encoding: "utf8" })) as Record<string, string>;
    // openpyxl shows the file's spelling of this-row references.
    const expected = Object.fromEntries(
      Object.entries(formulas(model())).map(([k, v]) => [k, v.replace("T[@Target]", "T[[#This Row],[Target]]")]),
    );
    expect(read).toEqual(expected);
  });

  it("refuses a shared formula cell whose first cell is missing, naming the cell", async () => {
    const bytes = await exportXlsx(model());
    const zip = await JSZip.loadAsync(bytes);
    const xml = await zip.file("xl/worksheets/sheet1.xml")!.async("string");
    // Drop B2's text: B3…B6 then refer to a shared formula no cell defines.
    zip.file("xl/worksheets/sheet1.xml", xml.replace(/<f t="shared" ref="B2:B6" si="0">[^<]*<\/f>/, ""));
    const damaged = await zip.generateAsync({ type: "uint8array" });
    await expect(importXlsx(damaged, { lang: "en-US" })).rejects.toThrow(/B3 uses shared formula 0/);
  });
});
