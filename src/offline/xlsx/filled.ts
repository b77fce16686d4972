/**
 * Formulas filled over many cells, kept once. A column filled down (a copy down, a table's calculated column, a shared
 * formula in a file) holds one text per row that differs only in its row numbers; a 50,000-row plan's status column
 * alone held 70 MB of such text. A filled cell keeps the text it was filled from (one string shared by the whole fill)
 * and its offset from it; `cell.formula` still reads the cell's own text, built when read. Every other part of the
 * host and the tests read and write `formula` as before; only the engine and the exporter ask {@link filledOf} to
 * work on a whole fill at once.
 *
 * A filled cell's `formula` is an own, enumerable accessor (so spreads, `Object.keys` and JSON see the text as they
 * see a plain cell's); assigning `formula` makes it a plain formula again. Clear a cell's formula with
 * {@link clearFormula}, not `delete cell.formula`, which would leave the fill behind.
 */
import type { Cell } from "../model";
import { shiftFormula } from "./formula-text";

/** Where a filled cell's formula comes from: `source` (with "=") with its relative references moved by (dr, dc). */
export type Filled = { readonly source: string; readonly dr: number; readonly dc: number };

const FILLED = Symbol("filled");
type Holder = Cell & { [FILLED]?: Filled };

/** Makes a filled cell's formula a plain one (a data property again), or removes it. */
function plain(cell: Holder, formula: string | undefined): void {
  cell[FILLED] = undefined;
  if (formula === undefined) delete cell.formula;
  else Object.defineProperty(cell, "formula", { value: formula, writable: true, enumerable: true, configurable: true });
}

// One getter and setter for every filled cell: objects that share them share V8's hidden class, so a filled cell
// costs a few words beside its value and style instead of its formula's text.
const ACCESSOR: PropertyDescriptor = {
  get(this: Holder): string | undefined {
    const f = this[FILLED];
    return f === undefined ? undefined : shiftFormula(f.source, f.dr, f.dc);
  },
  set(this: Holder, formula: string | undefined): void {
    plain(this, formula);
  },
  enumerable: true,
  configurable: true,
};

/**
 * Makes `cell` hold `source` moved by (dr, dc), as a copy or fill from the cell holding `source` would, without
 * building its text. The cell's value and formats are left as they are.
 */
export function setFilled(cell: Cell, source: string, dr: number, dc: number): void {
  const c = cell as Holder;
  if (Object.prototype.hasOwnProperty.call(c, "formula")) delete c.formula;
  Object.defineProperty(c, FILLED, {
    value: { source, dr, dc } satisfies Filled,
    writable: true,
    enumerable: false,
    configurable: true,
  });
  Object.defineProperty(c, "formula", ACCESSOR);
}

/** The fill a cell's formula comes from, or undefined for a plain formula (or none). */
export function filledOf(cell: Cell): Filled | undefined {
  const f = (cell as Holder)[FILLED];
  // `in`: a formula deleted outright (against the rule above) takes the fill with it.
  return f !== undefined && "formula" in cell ? f : undefined;
}

/** Whether a cell holds a formula, without building a filled cell's text. */
export function hasFormula(cell: Cell | undefined): boolean {
  return cell !== undefined && (filledOf(cell) !== undefined || cell.formula !== undefined);
}

/** Removes a cell's formula, plain or filled. */
export function clearFormula(cell: Cell): void {
  const c = cell as Holder;
  if (c[FILLED] !== undefined) c[FILLED] = undefined;
  delete c.formula;
}

/**
 * Gives `to` (at r, c) the formula of `from` (at sr, sc) with its relative references moved, as a paste does: as a
 * fill of `from`'s own text, or of the text `from` was filled from when that fill moved forwards (down and right).
 * Moving a moved formula again is then one move, since none of its references went off the grid (#REF!) on the way.
 */
export function copyFormulaTo(from: Cell, sr: number, sc: number, to: Cell, r: number, c: number): void {
  const f = filledOf(from);
  const dr = r - sr;
  const dc = c - sc;
  if (f === undefined) {
    const text = from.formula as string;
    if (dr === 0 && dc === 0) to.formula = text;
    else setFilled(to, text, dr, dc);
  } else if (f.dr >= 0 && f.dc >= 0) {
    setFilled(to, f.source, f.dr + dr, f.dc + dc);
  } else plain(to as Holder, shiftFormula(from.formula as string, dr, dc));
}
