/** Helpers over offline-model sheets for integration tests. */
import type { MergedArea } from "../../src/core/types";
import type { SheetModel } from "../../src/offline";

/** The sheet's computed values as a grid from A1 ("" for empty cells and errors), like `range.values`. */
export function gridOf(sheet: SheetModel): unknown[][] {
  let rows = 0;
  let cols = 0;
  for (const [r, m] of sheet.rows) {
    rows = Math.max(rows, r + 1);
    for (const c of m.keys()) cols = Math.max(cols, c + 1);
  }
  return Array.from({ length: rows }, (_, r) =>
    Array.from({ length: cols }, (_, c) => {
      const v = sheet.rows.get(r)?.get(c)?.value;
      return v === undefined || typeof v === "object" ? "" : v;
    }),
  );
}

/** Fixture texts that start with "=" were typed as text (with an apostrophe), not as formulas. */
export function typedAsText(sheet: SheetModel): void {
  for (const row of sheet.rows.values()) {
    for (const c of row.values()) {
      if (c.formula) {
        c.value = c.formula;
        c.quotePrefix = true;
        delete c.formula;
      }
    }
  }
}

/** Adds core-style merged areas to a sheet. */
export function addMerges(sheet: SheetModel, merges: readonly MergedArea[]): void {
  for (const m of merges)
    sheet.merges.push({ r0: m.row, c0: m.col, r1: m.row + m.rowCount - 1, c1: m.col + m.colCount - 1 });
}

/** A comparable snapshot of a sheet's cells. */
export function cellsSnapshot(sheet: SheetModel): string {
  return JSON.stringify([...sheet.rows.entries()].map(([r, m]) => [r, [...m.entries()]]));
}
