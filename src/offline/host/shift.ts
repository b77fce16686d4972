import { FormulaSyntaxError, tokenize, type RefEnd } from "../formula/lexer";
import type { Cell, Rect, SheetModel } from "../model";
import { colToLetters, MAX_COLS, MAX_ROWS } from "./address";
import { ensureCell, prunePageSetup } from "./modelUtil";
import type { HostRuntime } from "./runtime";
import { calculatedAt } from "./cells";
import { shiftFormula as moveRelative } from "../xlsx/formula-text";
import { filledOf } from "../xlsx/filled";

/** Cells moving along one axis: rows (or columns) from `at` on move by `count` (negative = deleted) within a band. */
export type Shift = { sheet: SheetModel; axis: "row" | "col"; at: number; count: number; lo: number; hi: number };

const AXIS_MAX = { row: MAX_ROWS - 1, col: MAX_COLS - 1 };

/** Where a rectangle ends up after a shift; null when it was deleted entirely. Rectangles across the band edge stay. */
export function shiftRect(rect: Rect, s: Shift): Rect | null {
  const [a0, a1, o0, o1] =
    s.axis === "row" ? [rect.r0, rect.r1, rect.c0, rect.c1] : [rect.c0, rect.c1, rect.r0, rect.r1];
  if (o0 < s.lo || o1 > s.hi) return rect;
  let n0 = a0;
  let n1 = a1;
  const max = AXIS_MAX[s.axis];
  if (s.count > 0) {
    if (a0 >= s.at) n0 = Math.min(a0 + s.count, max);
    if (a1 >= s.at) n1 = Math.min(a1 + s.count, max);
  } else {
    const d0 = s.at;
    const d1 = s.at - s.count - 1;
    const map = (p: number, start: boolean): number => (p < d0 ? p : p > d1 ? p + s.count : start ? d0 : d0 - 1);
    n0 = map(a0, true);
    n1 = map(a1, false);
    if (n1 < n0) return null;
  }
  return s.axis === "row" ? { r0: n0, r1: n1, c0: rect.c0, c1: rect.c1 } : { r0: rect.r0, r1: rect.r1, c0: n0, c1: n1 };
}

function endText(e: RefEnd): string {
  return (
    (e.col === undefined ? "" : `${e.absCol ? "$" : ""}${colToLetters(e.col)}`) +
    (e.row === undefined ? "" : `${e.absRow ? "$" : ""}${e.row + 1}`)
  );
}

/**
 * Rewrites the A1 references of `formula` (with "=") that point into the shifted band of `target`; references to
 * deleted cells become #REF!. `home` is the sheet holding the formula (for unqualified references).
 */
export function shiftFormula(formula: string, home: string, target: string, s: Shift): string {
  let tokens;
  try {
    tokens = tokenize(formula.slice(1));
  } catch (e) {
    if (e instanceof FormulaSyntaxError) return formula; // not ours to repair; it evaluates to an error anyway
    throw e;
  }
  let changed = false;
  const out = tokens.map((t) => {
    if (t.t !== "ref" || (t.sheet ?? home).toLowerCase() !== target.toLowerCase()) return t.s;
    const b = t.b ?? t.a;
    const rect: Rect = { r0: t.a.row ?? 0, r1: b.row ?? MAX_ROWS - 1, c0: t.a.col ?? 0, c1: b.col ?? MAX_COLS - 1 };
    const moved = shiftRect(rect, s);
    const prefix = t.s.slice(0, t.s.lastIndexOf("!") + 1);
    if (moved === null) {
      changed = true;
      return `${prefix}#REF!`;
    }
    if (
      moved === rect ||
      (moved.r0 === rect.r0 && moved.r1 === rect.r1 && moved.c0 === rect.c0 && moved.c1 === rect.c1)
    )
      return t.s;
    changed = true;
    const a: RefEnd = {
      ...t.a,
      row: t.a.row === undefined ? undefined : moved.r0,
      col: t.a.col === undefined ? undefined : moved.c0,
    };
    if (!t.b) return prefix + endText(a);
    const e: RefEnd = {
      ...t.b,
      row: t.b.row === undefined ? undefined : moved.r1,
      col: t.b.col === undefined ? undefined : moved.c1,
    };
    return `${prefix}${endText(a)}:${endText(e)}`;
  });
  return changed ? `=${out.join("")}` : formula;
}

/** Inserts or deletes cells: moves cells, merges, tables, validations, formats, sizes and every formula reference. */
export function applyShift(rt: HostRuntime, s: Shift): void {
  const { sheet } = s;
  const moved: { r: number; c: number; cell: Cell }[] = [];
  for (const [r, row] of sheet.rows) {
    for (const [c, cell] of row) {
      const [p, o] = s.axis === "row" ? [r, c] : [c, r];
      if (p < s.at || o < s.lo || o > s.hi) continue;
      row.delete(c);
      if (s.count < 0 && p < s.at - s.count) continue; // deleted
      const np = p + s.count;
      if (np > AXIS_MAX[s.axis]) continue;
      moved.push(s.axis === "row" ? { r: np, c, cell } : { r, c: np, cell });
    }
    if (row.size === 0) sheet.rows.delete(r);
  }
  for (const m of moved) {
    let row = sheet.rows.get(m.r);
    if (!row) {
      row = new Map();
      sheet.rows.set(m.r, row);
    }
    row.set(m.c, m.cell);
  }
  const keep = <T extends { ranges: Rect[] }>(items: T[]): T[] =>
    items.filter((it) => {
      it.ranges = it.ranges.map((r) => shiftRect(r, s)).filter((r): r is Rect => r !== null);
      return it.ranges.length > 0;
    });
  sheet.merges = sheet.merges.map((m) => shiftRect(m, s)).filter((r): r is Rect => r !== null);
  sheet.validations = keep(sheet.validations);
  sheet.conditionalFormats = keep(sheet.conditionalFormats);
  sheet.tables = sheet.tables.filter((t) => {
    const before = t.ref;
    const next = shiftRect(t.ref, s);
    if (!next) return false;
    t.ref = next;
    if (t.columnFormulas) {
      // Calculated formulas are kept as they read in the first data row (cells.calculatedAt). Inserted or deleted
      // columns move their references as they move every cell's; when rows move the table, the first data row moves
      // with it, and so do its same-row references.
      for (const [idx, f] of Object.entries(t.columnFormulas)) {
        t.columnFormulas[Number(idx)] =
          s.axis === "col" ? shiftFormula(f, sheet.name, sheet.name, s) : moveRelative(f, next.r0 - before.r0, 0);
      }
    }
    if (
      s.axis === "row" &&
      s.count > 0 &&
      t.columnFormulas &&
      s.at > before.r0 &&
      s.at <= before.r1 + 1 &&
      next.r1 > before.r1
    ) {
      for (const [idx, f] of Object.entries(t.columnFormulas)) {
        for (let r = s.at; r < s.at + s.count; r++) {
          ensureCell(sheet, r, next.c0 + Number(idx)).formula = calculatedAt(t, f, r);
        }
      }
    }
    return true;
  });
  if (sheet.autoFilter) {
    const next = shiftRect(sheet.autoFilter.ref, s);
    if (next) sheet.autoFilter.ref = next;
    else delete sheet.autoFilter;
  }
  const ps = sheet.pageSetup;
  const titles = ps?.printTitleRows;
  if (ps && titles && s.axis === "row") {
    // Print title rows are whole rows: only whole-row inserts and deletes move them, as with a full-width merge.
    const next = shiftRect({ r0: titles.r0, r1: titles.r1, c0: 0, c1: MAX_COLS - 1 }, s);
    if (next) ps.printTitleRows = { r0: next.r0, r1: next.r1 };
    else {
      delete ps.printTitleRows;
      prunePageSetup(sheet);
    }
  }
  if (s.lo === 0 && s.hi === (s.axis === "row" ? MAX_COLS - 1 : MAX_ROWS - 1)) {
    const sizes = s.axis === "row" ? sheet.rowHeights : sheet.columnWidths;
    const entries = Array.from(sizes.entries());
    sizes.clear();
    for (const [k, v] of entries) {
      if (k < s.at) sizes.set(k, v);
      else if (s.count > 0 || k >= s.at - s.count) sizes.set(k + s.count, v);
    }
  }
  const target = sheet.name;
  for (const other of rt.model.sheets) {
    for (const row of other.rows.values()) {
      for (const cell of row.values()) {
        // A fill (filled.ts) whose text names no sheet reads only its own sheet: an edit of another changes none of
        // its cells, which stay a fill instead of each getting its own text.
        if (other !== sheet && filledOf(cell)?.source.includes("!") === false) continue;
        const f = cell.formula;
        if (f === undefined) continue;
        const to = shiftFormula(f, other.name, target, s);
        if (to !== f) cell.formula = to;
      }
    }
    for (const v of other.validations) {
      if (v.rule.type === "list" && v.rule.source.startsWith("="))
        v.rule.source = shiftFormula(v.rule.source, other.name, target, s);
    }
    for (const ch of other.charts) {
      for (const se of ch.series) {
        se.values = shiftFormula(`=${se.values}`, other.name, target, s).slice(1);
        if (se.categories) se.categories = shiftFormula(`=${se.categories}`, other.name, target, s).slice(1);
      }
    }
  }
  for (const n of rt.model.names) {
    const home = rt.model.sheets.find((x) => x.id === n.scopeSheetId)?.name ?? "";
    n.formula = shiftFormula(n.formula, home, target, s);
  }
  rt.dirty = true;
}
