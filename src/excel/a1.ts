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
