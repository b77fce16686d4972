/** Helpers over offline-model sheets for integration tests. */
import type { MergedArea } from "../../src/core/types";
import type { SheetModel } from "../../src/offline";

/** The sheet's computed values as a grid from A1 ("" for empty cells, errors as their text), like `range.values`. */
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
      // As range.values reads a cell: "" for empty, an error as its text (#VALUE!).
      if (v === undefined || v === null) return "";
      return typeof v === "object" ? v.error : v;
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

/**
 * Everything a user sees of one sheet, as one comparable value: cells (values, formulas, number formats, styles),
 * merged areas, data validation, conditional formats (in priority order), column widths, frozen panes, tables and
 * page setup. Orders that carry no meaning (rectangles within a rule, rules with equal content) are sorted.
 */
export function sheetState(sheet: SheetModel) {
  const byRect = (a: { r0: number; c0: number }, b: { r0: number; c0: number }) => a.r0 - b.r0 || a.c0 - b.c0;
  // Key order is not meaning: every rectangle is written the same way.
  const rects = (rs: readonly { r0: number; c0: number; r1: number; c1: number }[]) =>
    rs.map(({ r0, c0, r1, c1 }) => ({ r0, c0, r1, c1 })).sort(byRect);
  const cells = [...sheet.rows.entries()]
    .flatMap(([r, m]) => [...m.entries()].map(([c, cell]) => ({ r, c, ...cell })))
    .filter((x) => Object.keys(x).length > 2)
    .sort((a, b) => a.r - b.r || a.c - b.c);
  return {
    name: sheet.name,
    visibility: sheet.visibility,
    cells,
    merges: rects(sheet.merges),
    validations: sheet.validations.map((v) => JSON.stringify({ ...v, ranges: rects(v.ranges) })).sort(),
    conditionalFormats: [...sheet.conditionalFormats]
      .sort((a, b) => a.priority - b.priority)
      .map((f) => JSON.stringify({ ...f, priority: undefined, ranges: rects(f.ranges) })),
    columnWidths: [...sheet.columnWidths.entries()].sort((a, b) => a[0] - b[0]),
    freeze: sheet.freeze,
    tables: sheet.tables.map((t) => t.name),
    pageSetup: sheet.pageSetup ?? {},
    autoFilter: sheet.autoFilter ?? null,
  };
}
