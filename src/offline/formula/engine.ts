import { MAX_COLS, MAX_ROWS } from "../grid";
import type { Cell, DefinedNameModel, ErrorValue, Rect, Scalar, TableModel, WorkbookModel } from "../model";
import { compareOp, indexKeys, parseCriterion, type Op } from "./criteria";
import { compareScalars, lookupFunction, type Ctx, type Env, type Fn } from "./functions";
import { FormulaSyntaxError, tokenize, type RefEnd, type Token } from "./lexer";
import { parse, type Node } from "./parser";
import { ERR, isErr, jsDateToSerial, RangeVal, toNumber, toText, type Val } from "./values";

/**
 * A parsed formula. `relative`: it has relative A1 references (its compiled shape depends on the cell). `fixed`: its
 * value is the same in whichever cell it is evaluated, within one recalculation (no relative or this-row references,
 * no names, no ROW()/COLUMN()/INDIRECT/OFFSET/CELL).
 */
type Entry = { tokens: Token[]; relative: boolean; fixed: boolean; ast: Node | null; error?: string };

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
type Compiled = { fn: Fn; unknown: string[] };
type TableInfo = { sheetIndex: number; table: TableModel; cols: Map<string, number> };

const BUSY = 1;
const SMALL_RANGE = 64;
const DONE = 2;

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
  private state = new Map<Cell, number>();
  private sheetByName = new Map<string, number>();
  private tables = new Map<string, TableInfo>();
  private names = new Map<string, DefinedNameModel[]>();
  private cellsCache = new Map<string, (Scalar | null)[]>();
  private matchCache = new Map<string, Int32Array>();
  private eqIndex = new Map<string, Map<string, number[]>>();
  private extents = new Map<number, { rows: number; cols: number }>();
  private nameStack = new Set<string>();
  /** Values of fixed defined names (see Entry), per recalculation: they are the same in every cell. */
  private nameValues = new Map<DefinedNameModel, Val>();
  private lastTable: TableInfo | undefined;
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
    this.model.sheets.forEach((sheet, si) => {
      const rowKeys = Array.from(sheet.rows.keys()).sort((a, b) => a - b);
      for (const r of rowKeys) {
        const row = sheet.rows.get(r)!;
        for (const [c, cell] of row) {
          if (cell.formula === undefined) continue;
          formulas++;
          this.evalCell(si, r, c, cell);
        }
      }
    });
    this.stats = { formulas, shapes: this.shapes.size, ms: Date.now() - t0 };
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
    this.state = new Map();
    this.cellsCache = new Map();
    this.matchCache = new Map();
    this.eqIndex = new Map();
    this.extents = new Map();
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
    return this.todaySerial;
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

  cells(r: RangeVal): (Scalar | null)[] {
    const si = r.si;
    // Small ranges (a row's cells, as in COUNTA([@[A]:[F]])) differ from cell to cell: caching them only fills memory.
    const small = (r.rect.r1 - r.rect.r0 + 1) * (r.rect.c1 - r.rect.c0 + 1) <= SMALL_RANGE;
    const key = small ? "" : `${si}:${r.rect.r0}:${r.rect.c0}:${r.rect.r1}:${r.rect.c1}`;
    const hit = small ? undefined : this.cellsCache.get(key);
    if (hit) return hit;
    const wholeRows = r.rect.c1 === MAX_COLS - 1;
    const ext = this.extent(si, wholeRows);
    const r1 = Math.min(r.rect.r1, ext.rows - 1);
    const c1 = wholeRows ? Math.min(r.rect.c1, ext.cols - 1) : r.rect.c1;
    const out: (Scalar | null)[] = [];
    for (let row = r.rect.r0; row <= r1; row++) {
      const cells = r.sheet.rows.get(row);
      for (let col = r.rect.c0; col <= c1; col++) {
        const cell = cells?.get(col);
        out.push(
          cell === undefined
            ? null
            : cell.formula === undefined
              ? (cell.value ?? null)
              : this.evalCell(si, row, col, cell),
        );
      }
    }
    if (!small) this.cellsCache.set(key, out);
    return out;
  }

  matches(r: RangeVal, raw: Scalar | null): Int32Array {
    const crit = parseCriterion(raw, this.year);
    const si = r.si;
    const rkey = `${si}:${r.rect.r0}:${r.rect.c0}:${r.rect.r1}:${r.rect.c1}`;
    const key = `${rkey}|${crit.key}`;
    const hit = this.matchCache.get(key);
    if (hit) return hit;
    const cells = this.cells(r);
    let result: Int32Array;
    if (crit.eqKey !== undefined) {
      let index = this.eqIndex.get(rkey);
      if (!index) {
        index = new Map();
        for (let i = 0; i < cells.length; i++) {
          for (const k of indexKeys(cells[i])) {
            const list = index.get(k);
            if (list) {
              if (list[list.length - 1] !== i) list.push(i);
            } else index.set(k, [i]);
          }
        }
        this.eqIndex.set(rkey, index);
      }
      result = Int32Array.from(index.get(crit.eqKey) ?? []);
    } else {
      const out: number[] = [];
      for (let i = 0; i < cells.length; i++) if (crit.test(cells[i])) out.push(i);
      result = Int32Array.from(out);
    }
    this.matchCache.set(key, result);
    return result;
  }

  /** Used extent of a sheet, for clamping whole-column and whole-row references; columns only when asked. */
  private extent(si: number, needCols: boolean): { rows: number; cols: number } {
    let e = this.extents.get(si);
    if (!e) {
      let rows = 0;
      for (const [r, row] of this.model.sheets[si].rows) if (row.size > 0 && r + 1 > rows) rows = r + 1;
      e = { rows, cols: -1 };
      this.extents.set(si, e);
    }
    if (needCols && e.cols < 0) {
      let cols = 0;
      for (const row of this.model.sheets[si].rows.values()) for (const c of row.keys()) if (c + 1 > cols) cols = c + 1;
      e.cols = cols;
    }
    return e;
  }

  // --- cells ---
  private valueOf(si: number, row: number, col: number): Scalar | null {
    const cell = this.model.sheets[si].rows.get(row)?.get(col);
    if (cell === undefined) return null;
    return cell.formula === undefined ? (cell.value ?? null) : this.evalCell(si, row, col, cell);
  }

  private evalCell(si: number, row: number, col: number, cell: Cell): Scalar {
    const st = this.state.get(cell);
    if (st === DONE) return cell.value ?? 0;
    if (st === BUSY) return ERR.ref; // circular reference
    this.state.set(cell, BUSY);
    const compiled = this.compile(cell.formula!.slice(1), row, col);
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
    return v;
  }

  // --- compilation ---
  private entry(text: string): Entry {
    let e = this.entries.get(text);
    if (!e) {
      try {
        const tokens = tokenize(text);
        const relative = tokens.some((t) => t.t === "ref" && (isRel(t.a) || (t.b !== undefined && isRel(t.b))));
        e = { tokens, relative, fixed: isFixed(tokens, relative), ast: parse(tokens) };
      } catch (err) {
        if (!(err instanceof FormulaSyntaxError)) throw err;
        e = { tokens: [], relative: false, fixed: false, ast: null, error: err.message };
      }
      this.entries.set(text, e);
    }
    return e;
  }

  private compile(text: string, row: number, col: number): Compiled {
    const e = this.entry(text);
    if (e.ast === null) return { fn: () => ERR.name, unknown: ["(syntax)"] };
    const key = e.relative ? shapeKey(e.tokens, row, col) : text;
    let c = this.shapes.get(key);
    if (!c) {
      const unknown: string[] = [];
      c = { fn: this.node(e.ast, row, col, unknown), unknown };
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
        const a = this.node(n.a, ar, ac, unknown, true);
        const b = this.node(n.b, ar, ac, unknown, true);
        return binary(n.op, a, b, this);
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
        if (this.nameStack.has(key)) return ERR.ref;
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
