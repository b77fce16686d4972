/** A tiny builder for WorkbookModel fixtures: sheets from sheet-shaped 2-D arrays, like range.values. */
import type { Cell, Scalar, SheetModel, WorkbookModel } from "../../../../src/offline/model";

/** A grid entry: a plain value, a full Cell (formulas, formats), or null for no cell. */
export type Entry = Scalar | Cell | null;

/** A formula cell with its computed (cached) value. */
export function f(formula: string, value?: Scalar, extra: Omit<Cell, "formula" | "value"> = {}): Cell {
  return value === undefined ? { formula, ...extra } : { formula, value, ...extra };
}

function isCell(e: Entry): e is Cell {
  return typeof e === "object" && e !== null && !("error" in e);
}

/** Builds a sheet; `grid[0][0]` is A1 unless `origin` says otherwise. */
export function sheet(
  name: string,
  grid: readonly (readonly Entry[])[],
  extra: Partial<SheetModel> = {},
  origin: { row: number; col: number } = { row: 0, col: 0 },
): SheetModel {
  const rows = new Map<number, Map<number, Cell>>();
  grid.forEach((line, r) =>
    line.forEach((e, c) => {
      if (e === null) return;
      const cell: Cell = isCell(e) ? e : { value: e };
      const rr = r + origin.row;
      let row = rows.get(rr);
      if (!row) rows.set(rr, (row = new Map()));
      row.set(c + origin.col, cell);
    }),
  );
  return {
    id: `{00000000-${name.length.toString(16).padStart(4, "0")}-0000-0000-${Math.abs(hash(name)).toString(16).padStart(12, "0").slice(0, 12)}}`,
    name,
    visibility: "Visible",
    rows,
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
    ...extra,
  };
}

function hash(s: string): number {
  let h = 0;
  for (const ch of s) h = (h * 31 + ch.charCodeAt(0)) | 0;
  return h;
}

/** Builds a workbook of the given sheets. */
export function workbook(sheets: SheetModel[], extra: Partial<WorkbookModel> = {}): WorkbookModel {
  return { sheets, names: [], settings: new Map(), activeSheet: 0, notCarried: [], ...extra };
}

/** The values of a sheet as a 2-D array over the given rectangle ("" for no value), for readable assertions. */
export function values(s: SheetModel, rows: number, cols: number): Scalar[][] {
  const out: Scalar[][] = [];
  for (let r = 0; r < rows; r++) {
    const line: Scalar[] = [];
    for (let c = 0; c < cols; c++) line.push(s.rows.get(r)?.get(c)?.value ?? "");
    out.push(line);
  }
  return out;
}
