/**
 * Excel's grid size and column letters: the few facts the API layer (host/) and the formula engine (formula/) both
 * need. They live here, below both, so that neither folder imports the other for them (host → formula only).
 */

/** Excel's grid size (xlsx). */
export const MAX_ROWS = 1048576;
export const MAX_COLS = 16384;

/** Column index (0-based) → letters: 0 → "A", 27 → "AB". */
export function colToLetters(col: number): string {
  let s = "";
  let n = col + 1;
  while (n > 0) {
    const m = (n - 1) % 26;
    s = String.fromCharCode(65 + m) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

/** Letters → 0-based column index; -1 when not letters. */
export function lettersToCol(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) {
    const code = ch.charCodeAt(0);
    if (code < 65 || code > 90) return -1;
    n = n * 26 + (code - 64);
  }
  return n - 1;
}
