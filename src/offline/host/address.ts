import type { Rect } from "../model";

export { MAX_ROWS, MAX_COLS, colToLetters, lettersToCol } from "../grid";
import { MAX_ROWS, MAX_COLS, colToLetters, lettersToCol } from "../grid";

/** A parsed range address; `sheet` is present when the address named one. */
export type ParsedAddress = { sheet?: string; rect: Rect };

const CELL = /^\$?([A-Za-z]{1,3})\$?(\d{1,7})$/;
const COL = /^\$?([A-Za-z]{1,3})$/;
const ROW = /^\$?(\d{1,7})$/;

function parsePart(part: string): { row?: number; col?: number } | null {
  let m = CELL.exec(part);
  if (m) {
    const col = lettersToCol(m[1]);
    const row = Number(m[2]) - 1;
    if (col < 0 || col >= MAX_COLS || row < 0 || row >= MAX_ROWS) return null;
    return { row, col };
  }
  m = COL.exec(part);
  if (m) {
    const col = lettersToCol(m[1]);
    return col >= 0 && col < MAX_COLS ? { col } : null;
  }
  m = ROW.exec(part);
  if (m) {
    const row = Number(m[1]) - 1;
    return row >= 0 && row < MAX_ROWS ? { row } : null;
  }
  return null;
}

/** Splits "'My sheet'!A1:B2" into its sheet name (unquoted) and the area text. */
export function splitSheet(address: string): { sheet?: string; area: string } {
  const bang = address.lastIndexOf("!");
  if (bang < 0) return { area: address };
  let sheet = address.slice(0, bang);
  if (sheet.startsWith("'") && sheet.endsWith("'") && sheet.length >= 2) sheet = sheet.slice(1, -1).replace(/''/g, "'");
  return { sheet, area: address.slice(bang + 1) };
}

/**
 * Parses an A1 address: "B3", "A1:C9", "A:F" (whole columns), "2:4" (whole rows), optionally sheet-qualified.
 * Returns null when the text is not an address.
 * @example parseAddress("'汇总'!B2:C3") // { sheet: "汇总", rect: { r0: 1, c0: 1, r1: 2, c1: 2 } }
 */
export function parseAddress(address: string): ParsedAddress | null {
  const { sheet, area } = splitSheet(address.trim());
  const parts = area.split(":");
  if (parts.length > 2 || parts.some((p) => p === "")) return null;
  const a = parsePart(parts[0]);
  const b = parts.length === 2 ? parsePart(parts[1]) : a;
  if (!a || !b) return null;
  const kindA = a.row === undefined ? "col" : a.col === undefined ? "row" : "cell";
  const kindB = b.row === undefined ? "col" : b.col === undefined ? "row" : "cell";
  if (kindA !== kindB) return null;
  if (parts.length === 1 && kindA !== "cell") return null;
  const r0 = a.row ?? 0;
  const r1 = b.row ?? MAX_ROWS - 1;
  const c0 = a.col ?? 0;
  const c1 = b.col ?? MAX_COLS - 1;
  const rect = { r0: Math.min(r0, r1), r1: Math.max(r0, r1), c0: Math.min(c0, c1), c1: Math.max(c0, c1) };
  return sheet === undefined ? { rect } : { sheet, rect };
}

/** A1 text of a rectangle: "B3", "A1:C9", "A:F" for whole columns, "2:4" for whole rows. */
export function rectToA1(rect: Rect, absolute = false): string {
  const d = absolute ? "$" : "";
  if (rect.r0 === 0 && rect.r1 === MAX_ROWS - 1 && !(rect.c0 === 0 && rect.c1 === MAX_COLS - 1)) {
    return `${d}${colToLetters(rect.c0)}:${d}${colToLetters(rect.c1)}`;
  }
  if (rect.c0 === 0 && rect.c1 === MAX_COLS - 1) return `${d}${rect.r0 + 1}:${d}${rect.r1 + 1}`;
  const a = `${d}${colToLetters(rect.c0)}${d}${rect.r0 + 1}`;
  if (rect.r0 === rect.r1 && rect.c0 === rect.c1) return a;
  return `${a}:${d}${colToLetters(rect.c1)}${d}${rect.r1 + 1}`;
}

/** Quotes a sheet name for a formula or address when Excel would ("'My sheet'", "'2025'"); plain names stay bare. */
export function quoteSheet(name: string): string {
  const plain =
    /^[A-Za-z_\u00A1-\uFFFF][A-Za-z0-9_.\u00A1-\uFFFF]*$/.test(name) && !CELL.test(name) && !/^R\d*C\d*$/i.test(name);
  return plain ? name : `'${name.replace(/'/g, "''")}'`;
}

/** Sheet-qualified address as Range.address returns it, e.g. "Sheet1!A1:B2". */
export function qualified(sheet: string, rect: Rect, absolute = false): string {
  return `${quoteSheet(sheet)}!${rectToA1(rect, absolute)}`;
}

/** True when the rectangle spans whole rows or whole columns (an "unbounded" range). */
export function isUnbounded(rect: Rect): boolean {
  return (rect.r0 === 0 && rect.r1 === MAX_ROWS - 1) || (rect.c0 === 0 && rect.c1 === MAX_COLS - 1);
}

export function rectRows(rect: Rect): number {
  return rect.r1 - rect.r0 + 1;
}

export function rectCols(rect: Rect): number {
  return rect.c1 - rect.c0 + 1;
}

export function intersects(a: Rect, b: Rect): boolean {
  return a.r0 <= b.r1 && b.r0 <= a.r1 && a.c0 <= b.c1 && b.c0 <= a.c1;
}

export function intersection(a: Rect, b: Rect): Rect | null {
  if (!intersects(a, b)) return null;
  return { r0: Math.max(a.r0, b.r0), c0: Math.max(a.c0, b.c0), r1: Math.min(a.r1, b.r1), c1: Math.min(a.c1, b.c1) };
}

export function contains(outer: Rect, inner: Rect): boolean {
  return outer.r0 <= inner.r0 && outer.c0 <= inner.c0 && outer.r1 >= inner.r1 && outer.c1 >= inner.c1;
}

export function sameRect(a: Rect, b: Rect): boolean {
  return a.r0 === b.r0 && a.c0 === b.c0 && a.r1 === b.r1 && a.c1 === b.c1;
}

export function boundingRect(a: Rect, b: Rect): Rect {
  return { r0: Math.min(a.r0, b.r0), c0: Math.min(a.c0, b.c0), r1: Math.max(a.r1, b.r1), c1: Math.max(a.c1, b.c1) };
}

/** The parts of `a` outside `b`, as up to four rectangles. */
export function subtract(a: Rect, b: Rect): Rect[] {
  const i = intersection(a, b);
  if (!i) return [a];
  const out: Rect[] = [];
  if (a.r0 < i.r0) out.push({ r0: a.r0, c0: a.c0, r1: i.r0 - 1, c1: a.c1 });
  if (i.r1 < a.r1) out.push({ r0: i.r1 + 1, c0: a.c0, r1: a.r1, c1: a.c1 });
  if (a.c0 < i.c0) out.push({ r0: i.r0, c0: a.c0, r1: i.r1, c1: i.c0 - 1 });
  if (i.c1 < a.c1) out.push({ r0: i.r0, c0: i.c1 + 1, r1: i.r1, c1: a.c1 });
  return out;
}
