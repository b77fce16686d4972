import { MAX_COLS, MAX_ROWS } from "../grid";
import type { Cell, DefinedNameModel, ErrorValue, Rect, Scalar, TableModel, WorkbookModel } from "../model";
import { compareOp, indexKeys, parseCriterion, type Op } from "./criteria";
import {
  compareScalars,
  lookupFunction,
  type Ctx,
  type Env,
  type Fn,
  type MatchSet,
  type UsedCells,
} from "./functions";
import { FormulaSyntaxError, tokenize, type RefEnd, type Token } from "./lexer";
import { MAX_NESTING, parse, type Node } from "./parser";
import { isMovedFormula, shiftFormula } from "../xlsx/formula-text";
import { filledOf, hasFormula } from "../xlsx/filled";
import { DAYS_1900_TO_1904, ERR, isErr, jsDateToSerial, RangeVal, toNumber, toText, type Val } from "./values";

/**
 * A parsed formula. `relative`: it has relative A1 references (its compiled shape depends on the cell). `fixed`: its
 * value is the same in whichever cell it is evaluated, within one recalculation (no relative or this-row references,
 * no names, no ROW()/COLUMN()/INDIRECT/OFFSET/CELL).
 */
type Entry = { tokens: Token[]; relative: boolean; fixed: boolean; ast: Node | null; depth: number; error?: string };

/** Excel's longest formula (Excel specifications and limits: 8,192 characters); longer ones are not formulas. */
const MAX_FORMULA = 8192;

const POSITIONAL_FUNCTIONS = new Set(["ROW", "COLUMN", "INDIRECT", "OFFSET", "CELL"]);

function isFixed(tokens: readonly Token[], relative: boolean): boolean {
  if (relative) return false;
  return tokens.every((t) => {
    if (t.t === "name") return false;
    if (t.t === "func") return !POSITIONAL_FUNCTIONS.has(t.v);
    if (t.t === "struct") return t.table !== "" && !/#this row|@/i.test(t.body);
    return true;
  });
}
/** A compiled shape; `cost` estimates the stack frames one evaluation of it takes, for the chain budget. */
type Compiled = { fn: Fn; unknown: string[]; cost: number };
type TableInfo = { sheetIndex: number; table: TableModel; cols: Map<string, number> };

const BUSY = 1;
const SMALL_RANGE = 64;
const DONE = 2;
/** Waiting for a cell deeper in its chain (see {@link Deeper}): reaching it again is a circular reference. */
const PENDING = 3;

/**
 * Stack frames that cells evaluated inside one another may use before the chain is cut and resumed from its far end
 * (see {@link Deeper}). Measured under Jest, a formula nested about 4,000 levels overflowed the default stack (about
 * 10,000 frames): half that is kept free. A cell costs about {@link FRAMES_PER_CELL} frames plus
 * {@link FRAMES_PER_LEVEL} per level of its formula's nesting, so a chain of 100,000 formulas (A1 = A2 + 1, A2 = A3
 * + 1, …) is evaluated as a few hundred chains of about 500.
 */
const MAX_FRAMES = 4000;
const FRAMES_PER_CELL = 8;
const FRAMES_PER_LEVEL = 3;

/**
 * Thrown (not an Error, so no function's error handling takes it) when evaluation reaches {@link MAX_FRAMES}: the
 * recalculation evaluates `cell` first and then resumes the cells that were waiting on it.
 */
class Deeper {
  constructor(readonly cell: { si: number; row: number; col: number; cell: Cell }) {}
}

/** Values of used-range reads kept per recalculation, in cells (about 16 bytes each): beyond it the cache starts over. */
const CACHE_CELLS = 4_000_000;

/** Counters from the last recalculation, for benchmarks and the README. */
export type EngineStats = { formulas: number; shapes: number; ms: number };

/**
 * Evaluates the formulas of a WorkbookModel. Each distinct formula shape (R1C1-normalised text) is parsed and compiled
 * to closures once; recalculation evaluates every formula cell lazily in row-major order with per-recalculation caches
 * of range values and COUNTIFS/SUMIFS criteria matches. Circular references evaluate to #REF!.
 */
export class FormulaEngine implements Env {
  private readonly entries = new Map<string, Entry>();
  private readonly shapes = new Map<string, Compiled>();
  /** Per sheet and column, the last formula compiled from its text: the start of a filled-down run (see compile). */
  private readonly columnRuns = new Map<number, { text: string; row: number; compiled: Compiled }>();
  /** Per text filled from, the shape compiled for cells at one offset from their positions (see compileCell). */
  private readonly fills = new Map<string, { row: number; col: number; compiled: Compiled }>();
  private state = new Map<Cell, number>();
  private sheetByName = new Map<string, number>();
  private tables = new Map<string, TableInfo>();
  private names = new Map<string, DefinedNameModel[]>();
  private usedCache = new Map<string, UsedCells>();
  private usedCached = 0;
  private matchCache = new Map<string, MatchSet>();
  private eqIndex = new Map<string, Map<string, number[]>>();
  private sortedRows = new Map<number, number[]>();
  private sortedCols = new WeakMap<Map<number, Cell>, number[]>();
  /** Cells being evaluated, outermost first, and the stack frames they are estimated to use. */
  private busy: Cell[] = [];
  private frames = 0;
  private nameStack = new Set<string>();
  /** Values of fixed defined names (see Entry), per recalculation: they are the same in every cell. */
  private nameValues = new Map<DefinedNameModel, Val>();
  private lastTable: TableInfo | undefined;
  /** Recalculations begun: a recalculation in slices stops when another began during one of its pauses. */
  private runs = 0;
  private todaySerial = 0;
  private year = 1900;
  /** Function names met in formulas that the engine does not implement; those cells keep their cached value. */
  readonly unsupported = new Set<string>();
  stats: EngineStats = { formulas: 0, shapes: 0, ms: 0 };

  constructor(
    private readonly model: WorkbookModel,
    private readonly now: () => Date,
  ) {}

  /** Throws FormulaSyntaxError when `formula` (with its "=") is not a formula Excel would accept. */
  checkSyntax(formula: string): void {
    const e = this.entry(formula.slice(1));
    if (e.ast === null) throw new FormulaSyntaxError(e.error ?? "Invalid formula");
  }

  /** Recomputes every formula cell and stores results in `cell.value`. */
  recalculate(): void {
    const t0 = Date.now();
    this.begin();
    let formulas = 0;
    for (const root of this.roots()) {
      formulas++;
      this.evalRoot(root);
    }
    this.stats = { formulas, shapes: this.shapes.size, ms: Date.now() - t0 };
  }

  /**
   * recalculate(), awaiting `pause` each time about `sliceMs` of work has run (a browser paints meanwhile). Resolves
   * false, leaving the rest to the next recalculation, when another one began during a pause: its caches replaced
   * these. The caller keeps the model unchanged until it resolves; `stats.ms` counts the pauses too.
   */
  async recalculateInSlices(sliceMs: number, pause: () => Promise<void>): Promise<boolean> {
    const t0 = Date.now();
    this.begin();
    const run = this.runs;
    let formulas = 0;
    let sliceStart = Date.now();
    for (const root of this.roots()) {
      formulas++;
      this.evalRoot(root);
      // Reading the clock costs more than a short formula: look every 8 cells. Not every 64: a summary's COUNTIFS over
      // 5,000 rows takes 1–3 ms, and 64 of them were one task of 0.2 s in the workbench (issue 16 §10).
      if ((formulas & 7) === 0 && Date.now() - sliceStart >= sliceMs) {
        await pause();
        if (this.runs !== run) return false;
        sliceStart = Date.now();
      }
    }
    this.stats = { formulas, shapes: this.shapes.size, ms: Date.now() - t0 };
    return true;
  }

  /** Every formula cell, sheet by sheet in row-major order: the order recalculation visits them. */
  private *roots(): Generator<{ si: number; row: number; col: number; cell: Cell }> {
    for (let si = 0; si < this.model.sheets.length; si++) {
      const sheet = this.model.sheets[si];
      const rowKeys = Array.from(sheet.rows.keys()).sort((a, b) => a - b);
      for (const r of rowKeys) {
        const row = sheet.rows.get(r);
        if (!row) continue;
        for (const [c, cell] of row) if (hasFormula(cell)) yield { si, row: r, col: c, cell };
      }
    }
  }

  /**
   * The value of `formula` (with its "=") written for cell `anchor` of sheet `si`, as it reads in cell `at` (relative
   * references move with the cell), over the values of the last recalculation and storing nothing. This is how a
   * conditional format's rule reads for each cell of its range. Functions the engine lacks are listed in `unknown`.
   */
  evaluateAt(
    formula: string,
    si: number,
    anchor: { row: number; col: number },
    at: { row: number; col: number },
  ): { value: Scalar | null; unknown: readonly string[] } {
    const compiled = this.compile(formula.replace(/^=/, ""), anchor.row, anchor.col);
    if (compiled.unknown.length > 0) return { value: ERR.name, unknown: compiled.unknown };
    const ctx: Ctx = { sheetIndex: si, row: at.row, col: at.col };
    return { value: this.scalar(compiled.fn(ctx), ctx), unknown: [] };
  }

  private begin(): void {
    this.runs++;
    this.state = new Map();
    this.usedCache = new Map();
    this.usedCached = 0;
    this.matchCache = new Map();
    this.eqIndex = new Map();
    this.sortedRows = new Map();
    this.sortedCols = new WeakMap();
    this.busy = [];
    this.frames = 0;
    this.sheetByName = new Map(this.model.sheets.map((s, i) => [s.name.toLowerCase(), i]));
    this.tables = new Map();
    this.lastTable = undefined;
    this.model.sheets.forEach((s, si) => {
      for (const t of s.tables) {
        this.tables.set(t.name.toLowerCase(), {
          sheetIndex: si,
          table: t,
          cols: new Map(t.columns.map((c, i) => [c.toLowerCase(), i])),
        });
      }
    });
    this.names = new Map();
    this.nameValues = new Map();
    for (const n of this.model.names) {
      const key = n.name.toLowerCase();
      this.names.set(key, [...(this.names.get(key) ?? []), n]);
    }
    const today = this.now();
    this.todaySerial = jsDateToSerial(today);
    this.year = today.getFullYear();
  }

  // --- Env ---
  today(): number {
    return this.todaySerial - this.dateOffset();
  }

  dateOffset(): number {
    return this.model.date1904 ? DAYS_1900_TO_1904 : 0;
  }

  currentYear(): number {
    return this.year;
  }

  scalar(v: Val, ctx: Ctx): Scalar | null {
    if (!(v instanceof RangeVal)) return v;
    const { rect } = v;
    const si = v.si;
    if (rect.r0 === rect.r1 && rect.c0 === rect.c1) return this.valueOf(si, rect.r0, rect.c0);
    // Implicit intersection with the formula's row or column, as Excel 2010 does.
    if (rect.c0 === rect.c1 && ctx.row >= rect.r0 && ctx.row <= rect.r1) return this.valueOf(si, ctx.row, rect.c0);
    if (rect.r0 === rect.r1 && ctx.col >= rect.c0 && ctx.col <= rect.c1) return this.valueOf(si, rect.r0, ctx.col);
    return ERR.value;
  }

  used(r: RangeVal): UsedCells {
    const { rect, si } = r;
    const width = rect.c1 - rect.c0 + 1;
    const height = rect.r1 - rect.r0 + 1;
    const area = width * height;
    // Small ranges (a row's cells, as in COUNTA([@[A]:[F]])) differ from cell to cell: caching them only fills memory.
    const small = area <= SMALL_RANGE;
    const key = small ? "" : `${si}:${rect.r0}:${rect.c0}:${rect.r1}:${rect.c1}`;
    const hit = small ? undefined : this.usedCache.get(key);
    if (hit) return hit;
    const offsets: number[] = [];
    const values: (Scalar | null)[] = [];
    const rows = r.sheet.rows;
    if (height <= rows.size) {
      for (let row = rect.r0; row <= rect.r1; row++) {
        const cells = rows.get(row);
        if (cells !== undefined && cells.size > 0) this.usedInRow(si, row, cells, rect, offsets, values);
      }
    } else {
      const keys = this.rowsOf(si);
      for (let i = lowerBound(keys, rect.r0); i < keys.length && keys[i] <= rect.r1; i++) {
        this.usedInRow(si, keys[i], rows.get(keys[i])!, rect, offsets, values);
      }
    }
    const out: UsedCells = { offsets: Float64Array.from(offsets), values, width, area };
    if (!small) {
      this.usedCached += values.length;
      if (this.usedCached > CACHE_CELLS) {
        this.usedCache.clear();
        this.matchCache.clear();
        this.eqIndex.clear();
        this.usedCached = values.length;
      }
      this.usedCache.set(key, out);
    }
    return out;
  }

  matches(r: RangeVal, raw: Scalar | null): MatchSet {
    const crit = parseCriterion(raw, this.year, this.dateOffset());
    const { rect, si } = r;
    // A row's few cells (the status formula's COUNTIF(A5:I5,"")) differ from formula to formula: as in `used`, caching
    // them would only fill memory, one entry per row.
    const small = (rect.c1 - rect.c0 + 1) * (rect.r1 - rect.r0 + 1) <= SMALL_RANGE;
    const rkey = `${si}:${rect.r0}:${rect.c0}:${rect.r1}:${rect.c1}`;
    const key = small ? "" : `${rkey}|${crit.key}`;
    const hit = small ? undefined : this.matchCache.get(key);
    if (hit) return hit;
    const { offsets, values, area } = this.used(r);
    let hits: Float64Array;
    if (crit.eqKey !== undefined && !small) {
      let index = this.eqIndex.get(rkey);
      if (!index) {
        index = new Map();
        for (let i = 0; i < values.length; i++) {
          for (const k of indexKeys(values[i])) {
            const list = index.get(k);
            if (list) {
              if (list[list.length - 1] !== i) list.push(i);
            } else index.set(k, [i]);
          }
        }
        this.eqIndex.set(rkey, index);
      }
      hits = Float64Array.from(index.get(crit.eqKey) ?? [], (i) => offsets[i]);
    } else {
      const out: number[] = [];
      for (let i = 0; i < values.length; i++) if (crit.test(values[i])) out.push(offsets[i]);
      hits = Float64Array.from(out);
    }
    const result: MatchSet = { hits, blank: crit.test(null), used: offsets, area };
    if (!small) this.matchCache.set(key, result);
    return result;
  }

  /** Adds the cells of one row inside `rect` to a used-range read, visiting whichever is fewer: columns or cells. */
  private usedInRow(
    si: number,
    row: number,
    cells: Map<number, Cell>,
    rect: Rect,
    offsets: number[],
    values: (Scalar | null)[],
  ): void {
    const base = (row - rect.r0) * (rect.c1 - rect.c0 + 1) - rect.c0;
    if (rect.c1 - rect.c0 + 1 <= cells.size) {
      for (let col = rect.c0; col <= rect.c1; col++) {
        const cell = cells.get(col);
        if (cell === undefined) continue;
        offsets.push(base + col);
        values.push(hasFormula(cell) ? this.evalCell(si, row, col, cell) : (cell.value ?? null));
      }
      return;
    }
    const cols = this.colsOf(cells);
    for (let i = lowerBound(cols, rect.c0); i < cols.length && cols[i] <= rect.c1; i++) {
      const col = cols[i];
      const cell = cells.get(col)!;
      offsets.push(base + col);
      values.push(hasFormula(cell) ? this.evalCell(si, row, col, cell) : (cell.value ?? null));
    }
  }

  /** The sheet's row numbers in order, per recalculation. */
  private rowsOf(si: number): number[] {
    let keys = this.sortedRows.get(si);
    if (!keys) {
      keys = Array.from(this.model.sheets[si].rows.keys()).sort((a, b) => a - b);
      this.sortedRows.set(si, keys);
    }
    return keys;
  }

  /** A row's column numbers in order, per recalculation. */
  private colsOf(cells: Map<number, Cell>): number[] {
    let keys = this.sortedCols.get(cells);
    if (!keys) {
      keys = Array.from(cells.keys()).sort((a, b) => a - b);
      this.sortedCols.set(cells, keys);
    }
    return keys;
  }

  // --- cells ---
  private valueOf(si: number, row: number, col: number): Scalar | null {
    const cell = this.model.sheets[si].rows.get(row)?.get(col);
    if (cell === undefined) return null;
    return hasFormula(cell) ? this.evalCell(si, row, col, cell) : (cell.value ?? null);
  }

  private evalCell(si: number, row: number, col: number, cell: Cell): Scalar {
    const st = this.state.get(cell);
    if (st === DONE) return cell.value ?? 0;
    if (st === BUSY || st === PENDING) return ERR.ref; // circular reference
    const compiled = this.compileCell(cell, row, col, si);
    if (this.busy.length > 0 && this.frames + compiled.cost > MAX_FRAMES) throw new Deeper({ si, row, col, cell });
    this.state.set(cell, BUSY);
    this.busy.push(cell);
    this.frames += compiled.cost;
    let v: Scalar;
    if (compiled.unknown.length > 0) {
      for (const u of compiled.unknown) this.unsupported.add(u);
      v = cell.value ?? ERR.name; // keep an imported cached result rather than invent one
    } else {
      const ctx: Ctx = { sheetIndex: si, row, col };
      v = this.scalar(compiled.fn(ctx), ctx) ?? 0;
    }
    cell.value = v;
    this.state.set(cell, DONE);
    this.busy.pop();
    this.frames -= compiled.cost;
    return v;
  }

  /**
   * Evaluates a formula cell from the top of the stack. A chain deeper than {@link MAX_FRAMES} allow is cut: the cells in
   * progress are unwound (nothing of theirs was stored), the deepest one is evaluated first, then the ones waiting
   * on it again, so no chain length overflows the stack. Each cell waiting is PENDING: reaching it is a cycle.
   */
  private evalRoot(first: { si: number; row: number; col: number; cell: Cell }): void {
    const work = [first];
    while (work.length) {
      const w = work[work.length - 1];
      if (this.state.get(w.cell) === DONE) {
        work.pop();
        continue;
      }
      this.state.delete(w.cell);
      try {
        this.evalCell(w.si, w.row, w.col, w.cell);
        work.pop();
      } catch (e) {
        if (!(e instanceof Deeper)) throw e;
        for (const c of this.busy) this.state.delete(c);
        this.busy = [];
        this.frames = 0;
        for (const x of work) this.state.set(x.cell, PENDING);
        work.push(e.cell);
      }
    }
  }

  // --- compilation ---
  private entry(text: string): Entry {
    let e = this.entries.get(text);
    if (!e) {
      try {
        if (text.length > MAX_FORMULA) throw new FormulaSyntaxError(`Longer than ${MAX_FORMULA} characters`);
        const tokens = tokenize(text);
        const relative = tokens.some((t) => t.t === "ref" && (isRel(t.a) || (t.b !== undefined && isRel(t.b))));
        const depth = { max: 0 };
        const ast = parse(tokens, depth);
        e = { tokens, relative, fixed: isFixed(tokens, relative), ast, depth: depth.max };
      } catch (err) {
        if (!(err instanceof FormulaSyntaxError)) throw err;
        e = { tokens: [], relative: false, fixed: false, ast: null, depth: 0, error: err.message };
      }
      this.entries.set(text, e);
    }
    return e;
  }

  /**
   * A cell's formula compiled. A filled cell (see filled.ts) is compiled from the text it was filled from: every cell
   * filled from one text at the same offset from its own position has the same shape, so the fill is compiled once
   * and no cell's own text is built. A fill moved up or left may have references gone off the grid (#REF!), which
   * its own text shows: that one is compiled from its text.
   */
  private compileCell(cell: Cell, row: number, col: number, si: number): Compiled {
    const f = filledOf(cell);
    if (f === undefined || f.dr < 0 || f.dc < 0) return this.compile(cell.formula!.slice(1), row, col, si);
    const r0 = row - f.dr;
    const c0 = col - f.dc;
    const hit = this.fills.get(f.source);
    if (hit !== undefined && hit.row === r0 && hit.col === c0) return hit.compiled;
    const compiled = this.compileText(shiftFormula(f.source, f.dr, f.dc).slice(1), row, col);
    if (this.fills.size >= 10_000) this.fills.clear();
    this.fills.set(f.source, { row: r0, col: c0, compiled });
    return compiled;
  }

  private compile(text: string, row: number, col: number, si = -1): Compiled {
    // A column filled down (each row's text the one above with its references moved, as a shared formula or a
    // calculated column with cell references is) is one shape: recognising it by moving the first row's text spares
    // tokenizing and parsing every row's own text, which on a 50,000-row plan held 100,000 token lists at once.
    if (si < 0) return this.compileText(text, row, col);
    const key = si * 16384 + col;
    const run = this.columnRuns.get(key);
    if (run !== undefined && run.row !== row && run.text !== text && isMovedFormula(run.text, row - run.row, 0, text)) {
      return run.compiled;
    }
    const compiled = this.compileText(text, row, col);
    this.columnRuns.set(key, { text, row, compiled });
    return compiled;
  }

  private compileText(text: string, row: number, col: number): Compiled {
    const e = this.entry(text);
    if (e.ast === null) return { fn: () => ERR.name, unknown: ["(syntax)"], cost: 1 };
    const key = e.relative ? shapeKey(e.tokens, row, col) : text;
    let c = this.shapes.get(key);
    if (!c) {
      const unknown: string[] = [];
      c = { fn: this.node(e.ast, row, col, unknown), unknown, cost: FRAMES_PER_CELL + FRAMES_PER_LEVEL * e.depth };
      this.shapes.set(key, c);
    }
    return c;
  }

  /**
   * Compiles a node. `asValue` marks operands of operators, where a single-cell reference is read at once instead of
   * being built as a reference first (the hot path of row formulas such as [@Target]).
   */
  private node(n: Node, ar: number, ac: number, unknown: string[], asValue = false): Fn {
    switch (n.k) {
      case "lit": {
        const v = n.v;
        return () => v;
      }
      case "ref": {
        const ref = this.refFn(n.sheet, n.a, n.b ?? n.a, ar, ac);
        if (!asValue || n.b !== undefined) return ref;
        return (ctx) => {
          const r = ref(ctx);
          return r instanceof RangeVal ? this.valueOf(r.si, r.rect.r0, r.rect.c0) : r;
        };
      }
      case "name": {
        const name = n.name;
        return (ctx) => this.resolveName(name, ctx);
      }
      case "struct": {
        const s = { ...n, col0: n.col0?.toLowerCase(), col1: n.col1?.toLowerCase(), table: n.table.toLowerCase() };
        if (
          asValue &&
          s.specs.length === 1 &&
          s.specs[0] === "thisRow" &&
          s.col0 !== undefined &&
          s.col1 === undefined
        ) {
          return this.thisRowValue(s.table, s.col0);
        }
        return (ctx) => this.resolveStruct(s, ctx);
      }
      case "call": {
        const impl = lookupFunction(n.name);
        const args = n.args.map((a) => (a === null ? null : this.node(a, ar, ac, unknown)));
        if (!impl) {
          unknown.push(n.name);
          return () => ERR.name;
        }
        return (ctx) => impl(args, ctx, this);
      }
      case "un": {
        const a = this.node(n.a, ar, ac, unknown, true);
        const op = n.op;
        return (ctx) => {
          const x = toNumber(this.scalar(a(ctx), ctx));
          if (isErr(x)) return x;
          return op === "-" ? -x : op === "%" ? x / 100 : x;
        };
      }
      case "bin": {
        // A run of operators of one precedence (A1+A2+…+A1000, left-nested by the parser) compiles to one loop
        // instead of a closure per operator nested a thousand deep, which would overflow the stack.
        const ops: string[] = [];
        const operands: Node[] = [];
        let cur: Node = n;
        while (cur.k === "bin" && PRECEDENCE[cur.op] === PRECEDENCE[n.op]) {
          ops.push(cur.op);
          operands.push(cur.b);
          cur = cur.a;
        }
        if (ops.length === 1) {
          const a = this.node(n.a, ar, ac, unknown, true);
          const b = this.node(n.b, ar, ac, unknown, true);
          return binary(n.op, a, b, this);
        }
        operands.push(cur);
        ops.reverse();
        const fns = operands.reverse().map((o) => this.node(o, ar, ac, unknown, true));
        return (ctx) => {
          let acc = this.scalar(fns[0](ctx), ctx);
          for (let i = 0; i < ops.length; i++) {
            if (isErr(acc)) return acc;
            acc = pairValue(ops[i], acc, this.scalar(fns[i + 1](ctx), ctx));
          }
          return acc;
        };
      }
    }
  }

  private refFn(sheet: string | undefined, a: RefEnd, b: RefEnd, ar: number, ac: number): Fn {
    const sheetKey = sheet?.toLowerCase();
    const end = (e: RefEnd, anchor: number, which: "row" | "col", whole: number): ((base: number) => number) => {
      const v = e[which];
      if (v === undefined) return () => whole;
      const abs = which === "row" ? e.absRow : e.absCol;
      if (abs) return () => v;
      const d = v - anchor;
      return (base) => base + d;
    };
    const r0 = end(a, ar, "row", 0);
    const r1 = end(b, ar, "row", MAX_ROWS - 1);
    const c0 = end(a, ac, "col", 0);
    const c1 = end(b, ac, "col", MAX_COLS - 1);
    return (ctx) => {
      const si = sheetKey === undefined ? ctx.sheetIndex : (this.sheetByName.get(sheetKey) ?? -1);
      if (si < 0) return ERR.ref;
      const rect: Rect = { r0: r0(ctx.row), r1: r1(ctx.row), c0: c0(ctx.col), c1: c1(ctx.col) };
      if (rect.r0 < 0 || rect.c0 < 0 || rect.r1 >= MAX_ROWS || rect.c1 >= MAX_COLS) return ERR.ref;
      if (rect.r0 > rect.r1) [rect.r0, rect.r1] = [rect.r1, rect.r0];
      if (rect.c0 > rect.c1) [rect.c0, rect.c1] = [rect.c1, rect.c0];
      return new RangeVal(this.model.sheets[si], rect, si);
    };
  }

  /** [@Col] read as a value: table and column resolved once per recalculation, no reference object built. */
  private thisRowValue(tableKey: string, colKey: string): Fn {
    let seen: TableInfo | undefined;
    let col = -1;
    return (ctx) => {
      const info = this.tableAt(tableKey, ctx);
      if (!info) return ERR.ref;
      if (info !== seen) {
        seen = info;
        const i = info.cols.get(colKey);
        col = i === undefined ? -1 : info.table.ref.c0 + i;
      }
      if (col < 0) return ERR.ref;
      const t = info.table;
      const top = t.showHeaders ? t.ref.r0 + 1 : t.ref.r0;
      const bottom = t.showTotals ? t.ref.r1 - 1 : t.ref.r1;
      if (ctx.row < top || ctx.row > bottom) return ERR.value;
      return this.valueOf(info.sheetIndex, ctx.row, col);
    };
  }

  /** The named table, or for an unqualified reference ("[@Col]") the table holding the formula cell. */
  private tableAt(tableKey: string, ctx: Ctx): TableInfo | undefined {
    if (tableKey) return this.tables.get(tableKey);
    const last = this.lastTable;
    if (last && last.sheetIndex === ctx.sheetIndex && inRect(last.table.ref, ctx.row, ctx.col)) return last;
    const t = this.model.sheets[ctx.sheetIndex].tables.find((x) => inRect(x.ref, ctx.row, ctx.col));
    const info = t ? this.tables.get(t.name.toLowerCase()) : undefined;
    this.lastTable = info;
    return info;
  }

  private resolveName(name: string, ctx: Ctx): Val {
    const key = name.toLowerCase();
    const defs = this.names.get(key);
    if (defs) {
      const sheetId = this.model.sheets[ctx.sheetIndex].id;
      const def = defs.find((d) => d.scopeSheetId === sheetId) ?? defs.find((d) => d.scopeSheetId === undefined);
      if (def) {
        const known = this.nameValues.get(def);
        if (known !== undefined) return known;
        // A name inside itself is circular; names nested past a formula's own nesting limit are treated alike.
        if (this.nameStack.has(key) || this.nameStack.size >= MAX_NESTING) return ERR.ref;
        this.nameStack.add(key);
        try {
          const text = def.formula.replace(/^=/, "");
          const c = this.compile(text, 0, 0);
          if (c.unknown.length > 0) return ERR.name;
          const v = c.fn(ctx);
          if (this.entry(text).fixed) this.nameValues.set(def, v);
          return v;
        } finally {
          this.nameStack.delete(key);
        }
      }
    }
    if (this.tables.has(key)) return this.resolveStruct({ k: "struct", table: key, specs: ["data"] }, ctx);
    return ERR.name;
  }

  private resolveStruct(s: Extract<Node, { k: "struct" }>, ctx: Ctx): Val {
    // Names arrive lower-cased from compilation.
    const info = this.tableAt(s.table, ctx);
    if (!info) return ERR.ref;
    const { table } = info;
    const ref = table.ref;
    const head = table.showHeaders ? ref.r0 : -1;
    const dataTop = table.showHeaders ? ref.r0 + 1 : ref.r0;
    const dataBottom = table.showTotals ? ref.r1 - 1 : ref.r1;
    const total = table.showTotals ? ref.r1 : -1;
    let c0 = ref.c0;
    let c1 = ref.c1;
    if (s.col0 !== undefined) {
      const i0 = info.cols.get(s.col0);
      const i1 = s.col1 === undefined ? i0 : info.cols.get(s.col1);
      if (i0 === undefined || i1 === undefined) return ERR.ref;
      c0 = ref.c0 + Math.min(i0, i1);
      c1 = ref.c0 + Math.max(i0, i1);
    }
    let r0 = Infinity;
    let r1 = -Infinity;
    for (let i = 0; i < s.specs.length; i++) {
      const spec = s.specs[i];
      let a: number;
      let b: number;
      if (spec === "thisRow") {
        if (ctx.row < dataTop || ctx.row > dataBottom) return ERR.value;
        a = b = ctx.row;
      } else if (spec === "data") {
        a = dataTop;
        b = dataBottom;
      } else if (spec === "all") {
        a = ref.r0;
        b = ref.r1;
      } else if (spec === "headers") a = b = head;
      else a = b = total;
      if (a < 0 || b < a) continue;
      if (a < r0) r0 = a;
      if (b > r1) r1 = b;
    }
    if (r0 === Infinity) return ERR.ref;
    return new RangeVal(this.model.sheets[info.sheetIndex], { r0, r1, c0, c1 }, info.sheetIndex);
  }
}

/** The first index of the sorted `keys` not below `v`. */
function lowerBound(keys: readonly number[], v: number): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (keys[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function inRect(r: Rect, row: number, col: number): boolean {
  return row >= r.r0 && row <= r.r1 && col >= r.c0 && col <= r.c1;
}

function isRel(e: RefEnd): boolean {
  return (e.row !== undefined && !e.absRow) || (e.col !== undefined && !e.absCol);
}

function endKey(e: RefEnd, row: number, col: number): string {
  const r = e.row === undefined ? "R*" : e.absRow ? `R${e.row}` : `R[${e.row - row}]`;
  const c = e.col === undefined ? "C*" : e.absCol ? `C${e.col}` : `C[${e.col - col}]`;
  return r + c;
}

/** The formula's text with A1 references rewritten relative to (row, col): equal keys ⇒ one compiled shape. */
export function shapeKey(tokens: readonly Token[], row: number, col: number): string {
  let key = "";
  for (const t of tokens) {
    if (t.t === "ref")
      key += `\u0001${t.sheet ?? ""}!${endKey(t.a, row, col)}:${t.b ? endKey(t.b, row, col) : ""}\u0001`;
    else key += t.s;
  }
  return key;
}

function binary(op: string, a: Fn, b: Fn, env: FormulaEngine): Fn {
  if (op === "&") {
    return (ctx) => {
      const x = toText(env.scalar(a(ctx), ctx));
      if (isErr(x)) return x;
      const y = toText(env.scalar(b(ctx), ctx));
      return isErr(y) ? y : x + y;
    };
  }
  const compare = ["=", "<>", "<", ">", "<=", ">="].includes(op);
  return (ctx) => {
    const x = env.scalar(a(ctx), ctx);
    if (isErr(x)) return x;
    const y = env.scalar(b(ctx), ctx);
    if (isErr(y)) return y;
    if (compare) return compareOp(op as Op, compareScalars(x, y));
    const p = toNumber(x);
    if (isErr(p)) return p;
    const q = toNumber(y);
    if (isErr(q)) return q;
    return arithmetic(op, p, q);
  };
}

/** Operator precedence levels (comparison lowest, ^ highest), for flattening runs of one level. */
const PRECEDENCE: Record<string, number> = {
  "=": 0,
  "<>": 0,
  "<": 0,
  ">": 0,
  "<=": 0,
  ">=": 0,
  "&": 1,
  "+": 2,
  "-": 2,
  "*": 3,
  "/": 3,
  "^": 4,
};

/** One binary operation on values already read, as {@link binary} computes it. */
function pairValue(op: string, x: Scalar | null, y: Scalar | null): Scalar {
  if (op === "&") {
    const a = toText(x);
    if (isErr(a)) return a;
    const b = toText(y);
    return isErr(b) ? b : a + b;
  }
  if (isErr(x)) return x;
  if (isErr(y)) return y;
  if (PRECEDENCE[op] === 0) return compareOp(op as Op, compareScalars(x, y));
  const p = toNumber(x);
  if (isErr(p)) return p;
  const q = toNumber(y);
  if (isErr(q)) return q;
  return arithmetic(op, p, q);
}

function arithmetic(op: string, p: number, q: number): number | ErrorValue {
  switch (op) {
    case "+":
      return p + q;
    case "-":
      return p - q;
    case "*":
      return p * q;
    case "/":
      return q === 0 ? ERR.div0 : p / q;
    case "^": {
      const r = Math.pow(p, q);
      return Number.isFinite(r) ? r : ERR.num;
    }
    default:
      return ERR.value;
  }
}
