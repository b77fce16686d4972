import { FormulaSyntaxError } from "../formula/lexer";
import { isValidFormat } from "../formula/textFormat";
import { dateToSerial, DAYS_1900_TO_1904, ERROR_LITERALS, isErr, parseNumber } from "../formula/values";
import type { Cell, Rect, Scalar, SheetModel, TableModel } from "../model";
import { isUnbounded, rectCols, rectRows } from "./address";
import { HostError } from "./errors";
import { ensureCell, getCell, pruneCell } from "./modelUtil";
import { isMovedFormula, shiftFormula } from "../xlsx/formula-text";
import { clearFormula, filledOf, hasFormula, setFilled } from "../xlsx/filled";
import type { HostRuntime } from "./runtime";

/**
 * The grid a range write takes: a 2-D array of exactly rows × cols, or one value (string, number or boolean) for every
 * cell. The one-value form was documented ("If the argument is a single value, it will be applied to all cells in the
 * range", office-js-docs-reference #578) and Microsoft's answer in office-js-docs-pr #2013 is that it works although
 * the typings say any[][]. A single formula is written into each cell with its relative references moved from the
 * top-left cell, as a fill does. Anything else is InvalidArgument.
 */
export function inputGrid(input: unknown, rows: number, cols: number, what: string): unknown[][] {
  if (typeof input === "string" || typeof input === "number" || typeof input === "boolean") {
    const formula = typeof input === "string" && input.startsWith("=") && input.length > 1 && what !== "numberFormat";
    return Array.from({ length: rows }, (_, i) =>
      Array.from({ length: cols }, (_, j) => (formula ? shiftFormula(input as string, i, j) : input)),
    );
  }
  return checkDims(input, rows, cols, what);
}

/** Throws InvalidArgument unless `input` is a 2-D array of exactly rows × cols. */
export function checkDims(input: unknown, rows: number, cols: number, what: string): unknown[][] {
  if (!Array.isArray(input) || input.length !== rows || input.some((r) => !Array.isArray(r) || r.length !== cols)) {
    throw new HostError(
      "InvalidArgument",
      `The number of rows or columns in the input array doesn't match the size or dimensions of the range (${what}: expected ${rows}×${cols}).`,
    );
  }
  return input as unknown[][];
}

/** Throws for cell-level writes to a whole-row or whole-column range, as Excel does. */
export function checkBounded(rect: Rect): void {
  if (isUnbounded(rect))
    throw new HostError(
      "InvalidArgument",
      "Cell-level properties cannot be set on an unbounded range (entire rows or columns).",
    );
}

function clearContent(cell: Cell): void {
  delete cell.value;
  clearFormula(cell);
  delete cell.quotePrefix;
}

/**
 * Stores one input the way Excel's entry parser does for `range.values`/`range.formulas`:
 * "=…" is a formula; "+…"/"-…" is a number or else a formula; numeric, percent, boolean, error and date-like text is
 * converted; a leading apostrophe or a text (@) format keeps the text as typed; "" clears; null leaves the cell.
 */
export function enterValue(rt: HostRuntime, sheet: SheetModel, row: number, col: number, input: unknown): void {
  if (input === null || input === undefined) return;
  if (typeof input === "number") {
    if (!Number.isFinite(input)) throw new HostError("InvalidArgument", "The value is not a finite number.");
    const cell = ensureCell(sheet, row, col);
    clearContent(cell);
    cell.value = input;
    return;
  }
  if (typeof input === "boolean") {
    const cell = ensureCell(sheet, row, col);
    clearContent(cell);
    cell.value = input;
    return;
  }
  if (typeof input !== "string")
    throw new HostError("InvalidArgument", `Unsupported cell input of type ${typeof input}.`);
  const existing = getCell(sheet, row, col);
  if (input === "") {
    if (existing) {
      clearContent(existing);
      pruneCell(sheet, row, col);
    }
    return;
  }
  const cell = existing ?? ensureCell(sheet, row, col);
  clearContent(cell);
  if (cell.numberFormat === "@") {
    cell.value = input;
    return;
  }
  if (input.startsWith("'")) {
    cell.value = input.slice(1);
    cell.quotePrefix = true;
    return;
  }
  if (input.startsWith("=") && input.length > 1) {
    setFormula(rt, cell, input);
    return;
  }
  const n = parseNumber(input);
  if (n !== null) {
    cell.value = n;
    if (input.trim().endsWith("%") && cell.numberFormat === undefined) cell.numberFormat = "0%";
    return;
  }
  if (input.startsWith("+") || input.startsWith("-")) {
    // assumption: Excel reads a leading + or - as the start of a formula ("-减号开头" → =-减号开头, "+1 讲座" → error).
    setFormula(rt, cell, `=${input}`);
    return;
  }
  const upper = input.toUpperCase();
  if (upper === "TRUE" || upper === "FALSE") {
    cell.value = upper === "TRUE";
    return;
  }
  if (ERROR_LITERALS.includes(upper)) {
    cell.value = { error: upper };
    return;
  }
  const serial = parseEntryDate(input, rt.opts.now().getFullYear());
  if (serial !== null) {
    cell.value = serial - (rt.model.date1904 ? DAYS_1900_TO_1904 : 0);
    // Excel gives such a cell its short date format (office-js #229: "2018-12-31" reads back as m/d/yyyy).
    if (cell.numberFormat === undefined) cell.numberFormat = "m/d/yyyy";
    return;
  }
  cell.value = input;
}

function validDate(y: number, m: number, d: number): number | null {
  if (m < 1 || m > 12 || d < 1 || d > 31 || y < 1900 || y > 9999) return null;
  const check = new Date(Date.UTC(y, m - 1, d));
  return check.getUTCMonth() === m - 1 ? dateToSerial(y, m, d) : null;
}

/**
 * Date-shaped text as `Range.values` converts it (1900-system serial), or null. The API reads values in the en-US
 * locale whatever the user's settings (office-js #1559: "the APIs use USA locale by default"; formulasLocal is the
 * locale-aware way), so month/day order is US (12/31/2025, 3/4, 3-4) besides ISO-style year-first forms, and text
 * shaped by another locale (31/12/2025, 2025年3月1日, 3月4日) stays text. Month names (4-Mar) are not recognised here.
 */
export function parseEntryDate(text: string, currentYear: number): number | null {
  const t = text.trim();
  let m = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$/.exec(t);
  if (m) return validDate(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /^(\d{1,2})([-/])(\d{1,2})(?:\2(\d{2}|\d{4}))?$/.exec(t);
  if (m) {
    let y = m[4] === undefined ? currentYear : Number(m[4]);
    // Two-digit years: 00–29 are 2000–2029, 30–99 are 1930–1999 (Excel's default cutoff).
    if (m[4] !== undefined && m[4].length === 2) y += y < 30 ? 2000 : 1900;
    return validDate(y, Number(m[1]), Number(m[3]));
  }
  return null;
}

function setFormula(rt: HostRuntime, cell: Cell, formula: string): void {
  try {
    rt.engine.checkSyntax(formula);
  } catch (e) {
    if (e instanceof FormulaSyntaxError) {
      throw new HostError("InvalidArgument", `There's a problem with this formula: ${formula} (${e.message})`);
    }
    throw e;
  }
  cell.formula = formula;
}

/** Writes a 2-D array of inputs at rect. */
export function writeInputs(rt: HostRuntime, sheet: SheetModel, rect: Rect, input: unknown, what: string): void {
  checkBounded(rect);
  const grid = inputGrid(input, rectRows(rect), rectCols(rect), what);
  rt.assertEditable(sheet);
  for (let i = 0; i < grid.length; i++) {
    for (let j = 0; j < grid[i].length; j++) enterValue(rt, sheet, rect.r0 + i, rect.c0 + j, grid[i][j]);
  }
  rt.dirty = true;
  afterWrite(rt, sheet, rect, true);
}

/** Writes number formats; "" resets to General; invalid codes are InvalidArgument. */
export function writeFormats(rt: HostRuntime, sheet: SheetModel, rect: Rect, input: unknown): void {
  checkBounded(rect);
  const grid = inputGrid(input, rectRows(rect), rectCols(rect), "numberFormat");
  rt.assertEditable(sheet);
  for (let i = 0; i < grid.length; i++) {
    for (let j = 0; j < grid[i].length; j++) {
      const f = grid[i][j];
      if (f === null || f === undefined) continue;
      if (typeof f !== "string") throw new HostError("InvalidArgument", "A number format must be text.");
      if (f === "" || f.toLowerCase() === "general") {
        const c = getCell(sheet, rect.r0 + i, rect.c0 + j);
        if (c) {
          delete c.numberFormat;
          pruneCell(sheet, rect.r0 + i, rect.c0 + j);
        }
        continue;
      }
      if (!isValidFormat(f)) throw new HostError("InvalidArgument", `The number format '${f}' is not valid.`);
      ensureCell(sheet, rect.r0 + i, rect.c0 + j).numberFormat = f;
    }
  }
  rt.dirty = true;
}

/** Value of a cell as range.values reports it: "" for empty, error text for errors. */
export function readValue(cell: Cell | undefined): string | number | boolean {
  if (!cell || cell.value === undefined) return hasFormula(cell) ? 0 : "";
  const v = cell.value;
  return isErr(v) ? v.error : v;
}

/** Value of a cell as range.formulas reports it. */
export function readFormula(cell: Cell | undefined): string | number | boolean {
  if (cell?.formula !== undefined) return cell.formula;
  return readValue(cell);
}

export function valueType(cell: Cell | undefined): "Empty" | "String" | "Double" | "Boolean" | "Error" {
  const v: Scalar | undefined = cell?.value;
  if (v === undefined || v === "") return hasFormula(cell) && v === "" ? "String" : "Empty";
  if (typeof v === "number") return "Double";
  if (typeof v === "boolean") return "Boolean";
  if (typeof v === "string") return "String";
  return "Error";
}

/**
 * Fills a calculated column's formula into a cell. The formula was checked when it was written; moving its references
 * cannot make it invalid, so it is not parsed again for every row (on 50,000 rows that was most of a Structure). A
 * text-formatted cell takes it as typed input would be taken.
 */
function fillFormula(
  rt: HostRuntime,
  sheet: SheetModel,
  row: number,
  col: number,
  t: TableModel,
  formula: string,
): void {
  const cell = getCell(sheet, row, col);
  if (cell?.numberFormat === "@") {
    enterValue(rt, sheet, row, col, calculatedAt(t, formula, row));
    return;
  }
  const target = cell ?? ensureCell(sheet, row, col);
  clearContent(target);
  // The text calculatedAt gives, kept as a fill of the column's formula (filled.ts): not one string per row.
  setFilled(target, formula, row - dataTop(t), 0);
}

function dataTop(table: TableModel): number {
  return table.showHeaders ? table.ref.r0 + 1 : table.ref.r0;
}

/**
 * Whether `cell` holds `formula` (the formula of the cell `rows` rows above it, `above`) moved down those rows: decided
 * from the fills when both come from one text (filled.ts), else by comparing the cell's text.
 */
function holdsMoved(above: Cell, formula: string, cell: Cell | undefined, rows: number): boolean {
  if (cell === undefined || !hasFormula(cell)) return false;
  const a = filledOf(above) ?? { source: formula, dr: 0, dc: 0 };
  const b = filledOf(cell);
  if (b !== undefined && a.dr >= 0 && a.dc >= 0 && b.dc === a.dc && b.dr - a.dr === rows && b.source === a.source) {
    return true;
  }
  return isMovedFormula(formula, rows, 0, cell.formula as string);
}

/**
 * A table's calculated column formula as it reads in data row `r`. The model keeps it as it reads in the table's first
 * data row: a formula with relative A1 references (=G5/F5) is filled as a copy down is, its references moving with the
 * row (Microsoft support, "Use calculated columns in an Excel table": a formula typed with cell references fills the
 * column like one with structured references); a structured or row-independent formula reads the same in every row.
 */
export function calculatedAt(table: TableModel, formula: string, r: number): string {
  return shiftFormula(formula, r - dataTop(table), 0);
}

/**
 * Keeps table column names in step with header cells, and records calculated columns: a column whose data cells all
 * hold one formula is a calculated column, and its formula goes into rows added later.
 *
 * With `fill` (a write of values or formulas, where Excel's AutoCorrect option "Fill formulas in tables to create
 * calculated columns", on by default, applies to API writes too: office-js #2093, closed by design), one formula
 * written into some cells of a table column is filled into every other data row when those rows are empty ("When you
 * enter a formula into an empty table column, the column automatically fills", Microsoft support, "Use calculated
 * columns in an Excel table"), or when they all still hold the column's calculated formula ("the change will also
 * expand to the rest of the calculated column", same page). A formula written into a column that already holds other
 * data makes no calculated column (same page: "If you type or move a formula in a table column that already contains
 * data, a calculated column is not automatically created") and leaves the one there as it is.
 */
export function afterWrite(rt: HostRuntime, sheet: SheetModel, rect: Rect, fill = false): void {
  for (const t of sheet.tables) {
    if (t.showHeaders && t.ref.r0 >= rect.r0 && t.ref.r0 <= rect.r1 && rect.c1 >= t.ref.c0 && rect.c0 <= t.ref.c1) {
      syncHeaders(sheet, t.ref, t);
    }
    const top = t.showHeaders ? t.ref.r0 + 1 : t.ref.r0;
    const bottom = t.showTotals ? t.ref.r1 - 1 : t.ref.r1;
    const from = Math.max(rect.r0, top);
    const to = Math.min(rect.r1, bottom);
    if (from > to) continue;
    const whole = from === top && to === bottom;
    if (!whole && !(fill && rt.opts.fillFormulasInTables)) continue;
    for (let c = Math.max(rect.c0, t.ref.c0); c <= Math.min(rect.c1, t.ref.c1); c++) {
      const idx = c - t.ref.c0;
      const firstCell = getCell(sheet, from, c);
      const first = firstCell?.formula;
      // The column's formula as it reads in the first data row; each row must hold it moved to that row.
      const anchored = first === undefined ? undefined : shiftFormula(first, top - from, 0);
      let same = anchored !== undefined;
      // Moved back, the anchored text is the first cell's again unless moving it up put a reference off the grid:
      // then each row is compared with the anchored text (which no row can hold), else with the first cell's.
      const direct = same && (from === top || shiftFormula(anchored as string, from - top, 0) === first);
      for (let r = from + 1; same && r <= to; r++) {
        const cell = getCell(sheet, r, c);
        same = direct
          ? holdsMoved(firstCell as Cell, first as string, cell, r - from)
          : cell?.formula !== undefined && isMovedFormula(anchored as string, r - top, 0, cell.formula);
      }
      const formulas = { ...(t.columnFormulas ?? {}) };
      if (whole) {
        if (same && anchored !== undefined) formulas[idx] = anchored;
        else delete formulas[idx];
      } else if (same && anchored !== undefined) {
        // The other data rows: all empty, or all still holding the column's calculated formula.
        const calculated = t.columnFormulas?.[idx];
        let empty = true;
        let unchanged = calculated !== undefined;
        for (let r = top; (empty || unchanged) && r <= bottom; r++) {
          if (r >= from && r <= to) continue;
          const cell = getCell(sheet, r, c);
          if (hasFormula(cell) || (cell?.value !== undefined && cell.value !== "")) empty = false;
          if (unchanged && !holdsCalculated(t, calculated as string, cell, r)) unchanged = false;
        }
        if (!empty && !unchanged) continue;
        for (let r = top; r <= bottom; r++) {
          if (r < from || r > to) fillFormula(rt, sheet, r, c, t, anchored);
        }
        formulas[idx] = anchored;
      } else continue;
      t.columnFormulas = formulas;
      if (Object.keys(formulas).length === 0) delete t.columnFormulas;
    }
  }
}

/** Whether `cell` (in data row `r` of `t`) holds the calculated formula `formula` as it reads in that row. */
function holdsCalculated(t: TableModel, formula: string, cell: Cell | undefined, r: number): boolean {
  if (cell === undefined || !hasFormula(cell)) return false;
  const f = filledOf(cell);
  // Filled from the calculated formula itself (fillFormula), moved to its row.
  if (f !== undefined && f.source === formula && f.dc === 0 && f.dr === r - dataTop(t)) return true;
  return isMovedFormula(formula, r - dataTop(t), 0, cell.formula as string);
}

/** Rewrites header cells as unique text names ("Column1" for blanks, "目标2" for repeats) and stores them as columns. */
export function syncHeaders(sheet: SheetModel, ref: Rect, table: { columns: string[] }): void {
  const names: string[] = [];
  for (let c = ref.c0; c <= ref.c1; c++) {
    const cell = getCell(sheet, ref.r0, c);
    const v = cell?.value;
    let name =
      v === undefined || v === "" || isErr(v) ? "" : String(typeof v === "boolean" ? (v ? "TRUE" : "FALSE") : v);
    if (name === "") name = `Column${c - ref.c0 + 1}`;
    let unique = name;
    for (let k = 2; names.some((n) => n.toLowerCase() === unique.toLowerCase()); k++) unique = `${name}${k}`;
    names.push(unique);
    const target = ensureCell(sheet, ref.r0, c);
    clearFormula(target);
    target.value = unique;
  }
  table.columns = names;
}
