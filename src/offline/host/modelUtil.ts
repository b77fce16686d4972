import type { Cell, Rect, Scalar, SheetModel, WorkbookModel } from "../model";
import { hasFormula } from "../xlsx/filled";

let sheetCounter = 0;

/** A new empty sheet with a fresh id. */
export function createSheet(name: string): SheetModel {
  sheetCounter++;
  return {
    id: `{offline-sheet-${Date.now().toString(36)}-${sheetCounter}}`,
    name,
    visibility: "Visible",
    rows: new Map(),
    merges: [],
    tables: [],
    validations: [],
    conditionalFormats: [],
    charts: [],
    columnWidths: new Map(),
    rowHeights: new Map(),
    freeze: { rows: 0, columns: 0 },
    protected: false,
    customProperties: new Map(),
  };
}

/**
 * An empty workbook model with the given sheets (default one sheet, "Sheet1").
 * @example createWorkbookModel(["计划", "汇总"]).sheets.length // 2
 */
export function createWorkbookModel(sheetNames: string[] = ["Sheet1"]): WorkbookModel {
  return { sheets: sheetNames.map(createSheet), names: [], settings: new Map(), activeSheet: 0, notCarried: [] };
}

export function getCell(sheet: SheetModel, row: number, col: number): Cell | undefined {
  return sheet.rows.get(row)?.get(col);
}

/** The cell at (row, col), created when missing. */
export function ensureCell(sheet: SheetModel, row: number, col: number): Cell {
  let r = sheet.rows.get(row);
  if (!r) {
    r = new Map();
    sheet.rows.set(row, r);
  }
  let c = r.get(col);
  if (!c) {
    c = {};
    r.set(col, c);
  }
  return c;
}

/** Removes a cell that holds nothing any more (no value, formula, format or style). */
export function pruneCell(sheet: SheetModel, row: number, col: number): void {
  const r = sheet.rows.get(row);
  const c = r?.get(col);
  if (!r || !c) return;
  if (c.value === undefined && !hasFormula(c) && c.numberFormat === undefined && c.style === undefined) {
    r.delete(col);
    if (r.size === 0) sheet.rows.delete(row);
  }
}

/** Drops cleared print settings, and `pageSetup` itself once nothing is set, so an untouched sheet has none. */
export function prunePageSetup(sheet: SheetModel): void {
  const ps = sheet.pageSetup;
  if (!ps) return;
  for (const k of Object.keys(ps) as (keyof typeof ps)[]) if (ps[k] === undefined) delete ps[k];
  if (Object.keys(ps).length === 0) delete sheet.pageSetup;
}

/** The smallest rectangle holding every cell with a value or formula (valuesOnly) or any content; null when empty. */
export function usedRect(sheet: SheetModel, valuesOnly: boolean): Rect | null {
  let r0 = Infinity;
  let r1 = -1;
  let c0 = Infinity;
  let c1 = -1;
  for (const [r, row] of sheet.rows) {
    for (const [c, cell] of row) {
      const has = valuesOnly
        ? hasFormula(cell) || (cell.value !== undefined && cell.value !== "")
        : hasFormula(cell) || cell.value !== undefined || cell.numberFormat !== undefined || cell.style !== undefined;
      if (!has) continue;
      if (r < r0) r0 = r;
      if (r > r1) r1 = r;
      if (c < c0) c0 = c;
      if (c > c1) c1 = c;
    }
  }
  return r1 < 0 ? null : { r0, r1, c0, c1 };
}

export type GridOptions = {
  /** Top-left cell, 0-based; default A1. */
  origin?: { row: number; col: number };
  /** Number formats, one per column of the grid (undefined = General). */
  columnFormats?: (string | undefined)[];
};

/**
 * Builds (or replaces) a sheet from a sheet-shaped grid, fast, for test fixtures: strings starting with "=" become
 * formulas, null/undefined/"" leave the cell empty, other values are stored as they are (no entry parsing).
 * @example sheetFromGrid(model, "计划", [["月份", "目标"], ["1月", 3]])
 */
export function sheetFromGrid(
  model: WorkbookModel,
  name: string,
  grid: readonly (readonly unknown[])[],
  opts: GridOptions = {},
): SheetModel {
  let sheet = model.sheets.find((s) => s.name.toLowerCase() === name.toLowerCase());
  if (!sheet) {
    sheet = createSheet(name);
    model.sheets.push(sheet);
  }
  const top = opts.origin?.row ?? 0;
  const left = opts.origin?.col ?? 0;
  grid.forEach((line, i) => {
    line.forEach((v, j) => {
      if (v === null || v === undefined || v === "") return;
      const cell = ensureCell(sheet, top + i, left + j);
      if (typeof v === "string" && v.startsWith("=") && v.length > 1) cell.formula = v;
      else if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") cell.value = v;
      else if (v instanceof Date) cell.value = toSerial(v);
      else cell.value = v as Scalar;
      const fmt = opts.columnFormats?.[j];
      if (fmt !== undefined) cell.numberFormat = fmt;
    });
  });
  return sheet;
}

function toSerial(d: Date): number {
  return Math.round((Date.UTC(d.getFullYear(), d.getMonth(), d.getDate()) - Date.UTC(1899, 11, 30)) / 86400000);
}
