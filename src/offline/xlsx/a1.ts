/** A1 references as the .xlsx format spells them, to and from the model's 0-based rectangles. */
import { colToLetters as colName } from "../grid";
import type { Rect } from "../model";

/** Column index (0-based) to letters: the grid's own spelling. @example colName(27) // "AB" */
export { colName };

/** "B3" (0-based row 2, column 1). */
export function cellRef(r: number, c: number): string {
  return colName(c) + (r + 1);
}

/** "A1:C3", or "A1" for a single cell. */
export function rectRef(rect: Rect): string {
  const a = cellRef(rect.r0, rect.c0);
  return rect.r0 === rect.r1 && rect.c0 === rect.c1 ? a : `${a}:${cellRef(rect.r1, rect.c1)}`;
}

/** A space-separated list of ranges, as `sqref` attributes hold them. */
export function sqref(rects: readonly Rect[]): string {
  return rects.map(rectRef).join(" ");
}

/**
 * Parses "B3" or "$B$3" into 0-based coordinates, or undefined when it is not a reference to a cell of the sheet.
 * @example parseCell("AB10") // { r: 9, c: 27 }
 */
export function parseCell(ref: string): { r: number; c: number } | undefined {
  let i = 0;
  const n = ref.length;
  if (ref.charCodeAt(i) === 36) i++; // $
  let c = 0;
  const c0 = i;
  while (i < n) {
    const ch = ref.charCodeAt(i);
    if (ch >= 65 && ch <= 90) c = c * 26 + (ch - 64);
    else if (ch >= 97 && ch <= 122) c = c * 26 + (ch - 96);
    else break;
    i++;
  }
  if (i === c0 || i - c0 > 3) return undefined;
  if (ref.charCodeAt(i) === 36) i++;
  let r = 0;
  const r0 = i;
  while (i < n) {
    const ch = ref.charCodeAt(i);
    if (ch < 48 || ch > 57) return undefined;
    r = r * 10 + (ch - 48);
    i++;
  }
  // Excel's grid ends at XFD (column 16,384) and row 1,048,576 (Excel specifications and limits).
  if (i === r0 || r < 1 || r > 1048576 || c > 16384) return undefined;
  return { r: r - 1, c: c - 1 };
}

/** Parses "A1:C3" or "A1" into a rectangle (corners normalised), or undefined. */
export function parseRect(ref: string): Rect | undefined {
  const colon = ref.indexOf(":");
  const a = parseCell(colon < 0 ? ref : ref.slice(0, colon));
  const b = colon < 0 ? a : parseCell(ref.slice(colon + 1));
  if (!a || !b) return undefined;
  return { r0: Math.min(a.r, b.r), c0: Math.min(a.c, b.c), r1: Math.max(a.r, b.r), c1: Math.max(a.c, b.c) };
}

/** Parses a `sqref` list; parts that are not rectangles are skipped. */
export function parseSqref(s: string): Rect[] {
  const out: Rect[] = [];
  for (const part of s.trim().split(/\s+/)) {
    const r = part ? parseRect(part) : undefined;
    if (r) out.push(r);
  }
  return out;
}

/** Quotes a sheet name for use in a reference when needed. @example quoteSheet("My Sheet") // "'My Sheet'" */
export function quoteSheet(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_.]*$/.test(name) && !parseCell(name) ? name : `'${name.replace(/'/g, "''")}'`;
}

/**
 * Splits a sheet-qualified range such as "'汇总'!$C$5:$C$17" into sheet name and rectangle.
 * @example parseSheetRange("S!$A$1:$A$3") // { sheet: "S", rect: { r0: 0, c0: 0, r1: 2, c1: 0 } }
 */
export function parseSheetRange(ref: string): { sheet: string; rect: Rect } | undefined {
  const text = ref.startsWith("=") ? ref.slice(1) : ref;
  const bang = text.lastIndexOf("!");
  if (bang < 0) return undefined;
  let sheet = text.slice(0, bang);
  if (sheet.startsWith("'") && sheet.endsWith("'")) sheet = sheet.slice(1, -1).replace(/''/g, "'");
  const rect = parseRect(text.slice(bang + 1));
  return rect ? { sheet, rect } : undefined;
}
