import type { GridOrigin } from "./types";

/**
 * Column letters for a 0-based column index.
 * @example columnLetter(0) // "A"
 * @example columnLetter(26) // "AA"
 */
export function columnLetter(col: number): string {
  let n = col + 1;
  let s = "";
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

/**
 * A1 address of a grid cell on its sheet.
 * @example a1(3, 2, { row: 0, col: 0 }) // "C4"
 */
export function a1(row: number, col: number, origin: GridOrigin = { row: 0, col: 0 }): string {
  return `${columnLetter(origin.col + col)}${origin.row + row + 1}`;
}
