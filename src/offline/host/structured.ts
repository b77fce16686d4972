import { FormulaSyntaxError, tokenize } from "../formula/lexer";
import { parseStruct } from "../formula/parser";
import type { CellStyle, Rect, SheetModel, TableModel, WorkbookModel } from "../model";
import { colToLetters, quoteSheet } from "./address";
import { ensureCell, getCell } from "./modelUtil";
import { filledOf } from "../xlsx/filled";

/**
 * What Table.convertToRange leaves behind, as Excel does it (GUIDE §2; Microsoft's "Convert an Excel table to a range
 * of data"): every structured reference to the table, in every formula of the workbook, becomes an A1 reference, and
 * the table style's look stays on the cells as direct formatting.
 */
export function convertTableToRange(model: WorkbookModel, sheet: SheetModel, table: TableModel): void {
  for (const s of model.sheets) {
    const converted = new Map<string, string | null>();
    for (const [r, row] of s.rows) {
      for (const [c, cell] of row) {
        // A filled formula has a bracket where the text it was filled from has one.
        if (filledOf(cell)?.source.includes("[") === false) continue;
        const f = cell.formula;
        if (f === undefined || !f.includes("[")) continue;
        // Row formulas repeat their text: a text without a this-row reference is rewritten once.
        let to = converted.get(f);
        if (to === undefined) {
          to = unstructure(f, { sheet: s, row: r, col: c }, sheet, table);
          if (!/\[@|#this row/i.test(f)) converted.set(f, to);
        }
        if (to !== null) cell.formula = to;
      }
    }
    for (const other of s.tables) {
      if (other === table || !other.columnFormulas) continue;
      for (const [i, f] of Object.entries(other.columnFormulas)) {
        const to = unstructure(f, { sheet: s, row: other.ref.r0 + 1, col: other.ref.c0 + Number(i) }, sheet, table);
        if (to !== null) other.columnFormulas[Number(i)] = to;
      }
    }
  }
  for (const n of model.names) {
    const to = unstructure(n.formula, undefined, sheet, table);
    if (to !== null) n.formula = to;
  }
  styleAsDirectFormatting(sheet, table);
}

type At = { sheet: SheetModel; row: number; col: number };

/**
 * The formula with its structured references to `table` written as A1 references, or null when it has none: a column
 * → `$C$2:$C$9`, this row → `$C5` (relative row, so the formula still fills down), qualified with the table's sheet
 * when the formula lives elsewhere. References to other tables stay as they are.
 */
export function unstructure(
  formula: string,
  at: At | undefined,
  tableSheet: SheetModel,
  table: TableModel,
): string | null {
  let tokens;
  try {
    tokens = tokenize(formula.replace(/^=/, ""));
  } catch (e) {
    if (e instanceof FormulaSyntaxError) return null;
    throw e;
  }
  const inTable =
    at !== undefined &&
    at.sheet === tableSheet &&
    at.row >= table.ref.r0 &&
    at.row <= table.ref.r1 &&
    at.col >= table.ref.c0 &&
    at.col <= table.ref.c1;
  let changed = false;
  const out = tokens.map((t) => {
    if (t.t !== "struct") return t.s;
    const named = t.table.toLowerCase() === table.name.toLowerCase();
    if (!named && !(t.table === "" && inTable)) return t.s;
    const a1 = structToA1(t.table, t.body, table, at);
    if (a1 === null) return t.s;
    changed = true;
    const qualify = at === undefined || at.sheet !== tableSheet;
    return qualify ? `${quoteSheet(tableSheet.name)}!${a1}` : a1;
  });
  return changed ? `=${out.join("")}` : null;
}

function structToA1(tableName: string, body: string, table: TableModel, at: At | undefined): string | null {
  let node;
  try {
    node = parseStruct(tableName, body);
  } catch (e) {
    if (e instanceof FormulaSyntaxError) return null;
    throw e;
  }
  if (node.k !== "struct") return null;
  const ref = table.ref;
  const lower = table.columns.map((c) => c.toLowerCase());
  let c0 = ref.c0;
  let c1 = ref.c1;
  if (node.col0 !== undefined) {
    const i0 = lower.indexOf(node.col0.toLowerCase());
    const i1 = node.col1 === undefined ? i0 : lower.indexOf(node.col1.toLowerCase());
    if (i0 < 0 || i1 < 0) return "#REF!";
    c0 = ref.c0 + Math.min(i0, i1);
    c1 = ref.c0 + Math.max(i0, i1);
  }
  const dataTop = table.showHeaders ? ref.r0 + 1 : ref.r0;
  const dataBottom = table.showTotals ? ref.r1 - 1 : ref.r1;
  if (node.specs.includes("thisRow")) {
    if (at === undefined) return "#REF!";
    const cols =
      c0 === c1
        ? `$${colToLetters(c0)}${at.row + 1}`
        : `$${colToLetters(c0)}${at.row + 1}:$${colToLetters(c1)}${at.row + 1}`;
    return cols;
  }
  let r0 = Infinity;
  let r1 = -Infinity;
  for (const spec of node.specs) {
    const [a, b] =
      spec === "all"
        ? [ref.r0, ref.r1]
        : spec === "headers"
          ? table.showHeaders
            ? [ref.r0, ref.r0]
            : [-1, -2]
          : spec === "totals"
            ? table.showTotals
              ? [ref.r1, ref.r1]
              : [-1, -2]
            : [dataTop, dataBottom];
    if (b < a) continue;
    r0 = Math.min(r0, a);
    r1 = Math.max(r1, b);
  }
  if (r0 === Infinity) return "#REF!";
  const cell = (r: number, c: number) => `$${colToLetters(c)}$${r + 1}`;
  return r0 === r1 && c0 === c1 ? cell(r0, c0) : `${cell(r0, c0)}:${cell(r1, c1)}`;
}

/**
 * The look of a table style as direct cell formats, where a cell has none of its own. Excel keeps the style's look on
 * the cells when it converts a table; the palette is the default Office theme's TableStyleMedium2 (the style Plan
 * Ledger uses: dark blue bold white header, light blue bands). Other styles leave a bold header (assumption: their
 * exact colours are not modelled).
 */
function styleAsDirectFormatting(sheet: SheetModel, table: TableModel): void {
  const medium2 = table.style.toLowerCase() === "tablestylemedium2";
  const apply = (r: number, c: number, style: CellStyle) => {
    const cell = getCell(sheet, r, c) ?? ensureCell(sheet, r, c);
    const own = cell.style ?? {};
    const next: CellStyle = { ...own };
    for (const [k, v] of Object.entries(style) as [keyof CellStyle, never][]) if (own[k] === undefined) next[k] = v;
    cell.style = next;
  };
  const { r0, c0, r1, c1 } = table.ref;
  const body: Rect = { r0: table.showHeaders ? r0 + 1 : r0, c0, r1: table.showTotals ? r1 - 1 : r1, c1 };
  for (let c = c0; c <= c1; c++) {
    if (table.showHeaders)
      apply(r0, c, medium2 ? { fill: "#4472C4", fontColor: "#FFFFFF", fontBold: true } : { fontBold: true });
    if (!medium2) continue;
    for (let r = body.r0; r <= body.r1; r += 2) apply(r, c, { fill: "#D9E1F2" });
    if (table.showTotals) apply(r1, c, { fontBold: true });
  }
}
