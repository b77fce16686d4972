/** A1 address helpers for the Excel layer (0-based indexes). */
import { a1, columnLetter } from "../core/a1";

export { columnLetter };

/** "B7" for 0-based (6, 1). */
export function cellAddress(row: number, col: number): string {
  return a1(row, col);
}

/** "A1:C3" (or "A1" for one cell) for a 0-based rectangle. */
export function rangeAddress(r0: number, c0: number, r1: number, c1: number): string {
  const a = cellAddress(r0, c0);
  return r0 === r1 && c0 === c1 ? a : `${a}:${cellAddress(r1, c1)}`;
}

/** An absolute, sheet-qualified reference for formulas and names: 'My Sheet'!$A$2:$A$13. */
export function absoluteRef(sheet: string, r0: number, c0: number, r1: number, c1: number): string {
  const cell = (r: number, c: number) => `$${columnLetter(c)}$${r + 1}`;
  const ref = r0 === r1 && c0 === c1 ? cell(r0, c0) : `${cell(r0, c0)}:${cell(r1, c1)}`;
  return `${quoteSheet(sheet)}!${ref}`;
}

/** Quotes a sheet name for use in a formula: always quoted, inner quotes doubled. */
export function quoteSheet(sheet: string): string {
  return `'${sheet.replace(/'/g, "''")}'`;
}

export type Rect0 = { r0: number; c0: number; r1: number; c1: number };

/**
 * Parses an address as the API returns it ("Sheet1!A1:K1", "'My sheet'!B2", or several joined by commas) into 0-based
 * rectangles, ignoring the sheet part.
 */
export function parseAddressList(address: string): Rect0[] {
  const out: Rect0[] = [];
  // Split on commas that are outside quotes.
  const parts: string[] = [];
  let cur = "";
  let quoted = false;
  for (const ch of address) {
    if (ch === "'") quoted = !quoted;
    if (ch === "," && !quoted) {
      parts.push(cur);
      cur = "";
    } else cur += ch;
  }
  if (cur.trim()) parts.push(cur);
  for (const part of parts) {
    const bang = part.lastIndexOf("!");
    const ref = (bang >= 0 ? part.slice(bang + 1) : part).replace(/\$/g, "").trim();
    const [a, b = a] = ref.split(":");
    const p = parseCell(a);
    const q = parseCell(b);
    if (p && q)
      out.push({
        r0: Math.min(p.row, q.row),
        c0: Math.min(p.col, q.col),
        r1: Math.max(p.row, q.row),
        c1: Math.max(p.col, q.col),
      });
  }
  return out;
}

/** Parses "B7" into 0-based { row: 6, col: 1 }; undefined when it is not a cell address. */
export function parseCell(a: string): { row: number; col: number } | undefined {
  const m = /^([A-Za-z]{1,3})(\d{1,7})$/.exec(a.trim());
  if (!m) return undefined;
  let col = 0;
  for (const ch of m[1].toUpperCase()) col = col * 26 + (ch.charCodeAt(0) - 64);
  return { row: Number(m[2]) - 1, col: col - 1 };
}
