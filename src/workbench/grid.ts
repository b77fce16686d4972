/**
 * What the workbench grid draws for a sheet, computed from the offline host's model: visible rows and columns (capped
 * for speed), cell text through the cell's number format, merges as spans, table header and banding, data-validation
 * markers and conditional-format colours. Pure: no React, no DOM.
 */
import { colToLetters, formatValue, isErr, type OfflineHost } from "../offline";
import type { Cell, Rect, SheetModel, TableModel, ValidationRule } from "../offline";

export const MAX_ROWS = 300;
export const MAX_COLS = 40;
/** Excel's default column width (8.43 characters) and row height, in points. */
const DEFAULT_COL_PT = 48;
const PX_PER_PT = 4 / 3;

export type ValidationMark = { type: ValidationRule["type"]; detail: string };

export type GridCell = {
  row: number;
  col: number;
  address: string;
  text: string;
  kind: "number" | "text" | "boolean" | "error" | "empty";
  rowSpan: number;
  colSpan: number;
  fill?: string;
  color?: string;
  bold?: boolean;
  italic?: boolean;
  /** Font size in points when the cell sets one. */
  size?: number;
  align: "left" | "center" | "right";
  vAlign: "top" | "middle" | "bottom";
  wrap: boolean;
  border: boolean;
  /** Text runs on over the empty cells to its right, as Excel draws unwrapped text. */
  spill: boolean;
  table?: { name: string; role: "header" | "band" | "body" | "total" };
  validation?: ValidationMark;
  bar?: { ratio: number; color: string };
  formula?: string;
};

export type GridView = {
  rows: number[];
  cols: { index: number; letter: string; width: number }[];
  /** Cells to draw by "row,col"; cells covered by a merge are absent and listed in `covered`. */
  cells: Map<string, GridCell>;
  covered: Set<string>;
  totalRows: number;
  totalCols: number;
  capped: boolean;
  cfSkipped: number;
};

const key = (r: number, c: number) => `${r},${c}`;

function contains(rect: Rect, r: number, c: number): boolean {
  return r >= rect.r0 && r <= rect.r1 && c >= rect.c0 && c <= rect.c1;
}

/** The text a cell shows: its value through its number format, as Range.text does. */
export function cellText(cell: Cell | undefined): string {
  const v = cell?.value;
  if (v === undefined) return "";
  const fmt = cell?.numberFormat ?? "General";
  try {
    return formatValue(v, fmt);
  } catch (e) {
    // A format code the formatter cannot read still shows the value, as Excel falls back to General; other errors
    // are bugs and surface.
    if (e instanceof Error && typeof v !== "object") return formatValue(v, "General");
    throw e;
  }
}

function kindOf(cell: Cell | undefined): GridCell["kind"] {
  const v = cell?.value;
  if (v === undefined || v === "") return "empty";
  if (typeof v === "number") return "number";
  if (typeof v === "boolean") return "boolean";
  if (isErr(v)) return "error";
  return "text";
}

function tableRole(t: TableModel, r: number): GridCell["table"] {
  const headerRow = t.showHeaders ? t.ref.r0 : -1;
  if (r === headerRow) return { name: t.name, role: "header" };
  if (t.showTotals && r === t.ref.r1) return { name: t.name, role: "total" };
  const first = t.showHeaders ? t.ref.r0 + 1 : t.ref.r0;
  return { name: t.name, role: (r - first) % 2 === 0 ? "band" : "body" };
}

function validationDetail(rule: ValidationRule): ValidationMark {
  if (rule.type === "list") return { type: "list", detail: rule.source };
  if (rule.type === "custom") return { type: "custom", detail: rule.formula };
  const range = rule.formula2 === undefined ? String(rule.formula1) : `${rule.formula1} … ${rule.formula2}`;
  return { type: rule.type, detail: `${rule.operator} ${range}` };
}

/** The used extent of a sheet: last row and column holding anything (cells, merges, tables), or -1. */
function extent(sheet: SheetModel): { rows: number; cols: number } {
  let rows = 0;
  let cols = 0;
  for (const [r, row] of sheet.rows) {
    for (const c of row.keys()) {
      rows = Math.max(rows, r + 1);
      cols = Math.max(cols, c + 1);
    }
  }
  for (const m of [...sheet.merges, ...sheet.tables.map((t) => t.ref)]) {
    rows = Math.max(rows, m.r1 + 1);
    cols = Math.max(cols, m.c1 + 1);
  }
  return { rows, cols };
}

/**
 * Builds the view of one sheet of the host's workbook; conditional formats are evaluated by the host's engine (its
 * clock is TODAY()).
 * @example buildGrid(host, host.model.sheets[0]).cells.get("0,0")?.text
 */
export function buildGrid(host: OfflineHost, sheet: SheetModel): GridView {
  const steps = gridSteps(host, sheet);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * buildGrid with `pause` awaited each time about `sliceMs` of work has run, so a page paints meanwhile: 300 rows of a
 * structured plan, each cell's conditional formats evaluated, took 0.15–0.3 s in one task (issue 16 §10). Resolves
 * null, unfinished, once `live()` turns false during a pause (a newer view is wanted); the model must not change
 * while it runs, or the view mixes the two states (the caller starts again after every change).
 */
export async function buildGridInSlices(
  host: OfflineHost,
  sheet: SheetModel,
  sliceMs: number,
  pause: () => Promise<void>,
  live: () => boolean = () => true,
): Promise<GridView | null> {
  const steps = gridSteps(host, sheet);
  let sliceStart = Date.now();
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    if (Date.now() - sliceStart >= sliceMs) {
      await pause();
      if (!live()) return null;
      sliceStart = Date.now();
    }
  }
}

/** The work of buildGrid, yielding after each merge and each row, where a caller may pause. */
function* gridSteps(host: OfflineHost, sheet: SheetModel): Generator<void, GridView, void> {
  const { rows: totalRows, cols: totalCols } = extent(sheet);
  const hiddenRows = sheet.hiddenRows ?? new Set<number>();
  const hiddenCols = sheet.hiddenColumns ?? new Set<number>();
  const rowLimit = Math.min(totalRows, MAX_ROWS);
  const colLimit = Math.min(totalCols, MAX_COLS);
  const rows: number[] = [];
  for (let r = 0; r < rowLimit; r++) if (!hiddenRows.has(r)) rows.push(r);
  const cols: GridView["cols"] = [];
  for (let c = 0; c < colLimit; c++) {
    if (hiddenCols.has(c)) continue;
    cols.push({
      index: c,
      letter: colToLetters(c),
      width: Math.round((sheet.columnWidths.get(c) ?? DEFAULT_COL_PT) * PX_PER_PT),
    });
  }
  const visibleRows = new Set(rows);
  const visibleCols = new Set(cols.map((c) => c.index));

  const covered = new Set<string>();
  const spans = new Map<string, { rowSpan: number; colSpan: number }>();
  for (const m of sheet.merges) {
    // A span counts only the rows and columns drawn, so hidden or capped parts do not stretch the table.
    let rowSpan = 0;
    for (let r = m.r0; r <= m.r1; r++) if (visibleRows.has(r)) rowSpan++;
    let colSpan = 0;
    for (let c = m.c0; c <= m.c1; c++) if (visibleCols.has(c)) colSpan++;
    if (rowSpan === 0 || colSpan === 0) continue;
    const top = rows.find((r) => r >= m.r0 && r <= m.r1) ?? m.r0;
    const left = cols.find((c) => c.index >= m.c0 && c.index <= m.c1)?.index ?? m.c0;
    spans.set(key(top, left), { rowSpan, colSpan });
    for (let r = m.r0; r <= m.r1; r++)
      for (let c = m.c0; c <= m.c1; c++) if (r !== top || c !== left) covered.add(key(r, c));
    yield;
  }

  const cf = host.conditionalFormats(sheet.name);
  const cells = new Map<string, GridCell>();
  for (const r of rows) {
    for (const { index: c, letter } of cols) {
      const k = key(r, c);
      if (covered.has(k)) continue;
      const cell = sheet.rows.get(r)?.get(c);
      const s = cell?.style;
      const kind = kindOf(cell);
      const table = sheet.tables.find((t) => contains(t.ref, r, c));
      const validation = sheet.validations.find((v) => v.ranges.some((rect) => contains(rect, r, c)));
      const fmt = cf.at(r, c);
      const span = spans.get(k) ?? { rowSpan: 1, colSpan: 1 };
      const hAlign = s?.hAlign ?? "General";
      const align: GridCell["align"] =
        hAlign === "Center"
          ? "center"
          : hAlign === "Right"
            ? "right"
            : hAlign === "Left"
              ? "left"
              : kind === "number"
                ? "right"
                : kind === "boolean" || kind === "error"
                  ? "center"
                  : "left";
      const g: GridCell = {
        row: r,
        col: c,
        address: `${letter}${r + 1}`,
        text: cellText(cell),
        kind,
        rowSpan: span.rowSpan,
        colSpan: span.colSpan,
        align,
        vAlign: s?.vAlign === "Top" ? "top" : s?.vAlign === "Center" ? "middle" : "bottom",
        wrap: s?.wrap === true,
        border: s?.border === true,
        spill: false,
      };
      const fill = fmt?.fill ?? s?.fill;
      if (fill !== undefined) g.fill = fill;
      const color = fmt?.fontColor ?? s?.fontColor;
      if (color !== undefined) g.color = color;
      const bold = fmt?.fontBold ?? s?.fontBold;
      if (bold !== undefined) g.bold = bold;
      if (s?.fontItalic) g.italic = true;
      if (s?.fontSize !== undefined) g.size = s.fontSize;
      if (table) g.table = tableRole(table, r);
      if (validation) g.validation = validationDetail(validation.rule);
      if (fmt?.bar) g.bar = fmt.bar;
      if (cell?.formula !== undefined) g.formula = cell.formula;
      cells.set(k, g);
    }
    yield;
  }
  // Unwrapped, left-aligned text spills when the next drawn cell to its right is empty and not merged.
  for (const g of cells.values()) {
    if (g.kind !== "text" || g.wrap || g.align !== "left" || g.colSpan > 1) continue;
    const next = cols.find((c) => c.index > g.col);
    const right = next ? cells.get(key(g.row, next.index)) : undefined;
    g.spill = right !== undefined && right.kind === "empty" && right.colSpan === 1 && right.rowSpan === 1;
  }
  return {
    rows,
    cols,
    cells,
    covered,
    totalRows,
    totalCols,
    capped: totalRows > rowLimit || totalCols > colLimit,
    cfSkipped: cf.skipped,
  };
}
