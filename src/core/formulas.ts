/**
 * The user's own formulas (a 合计 =SUM(G4:G21), a 完成率 =F5/E5) and what structuring does to them: when 1万人次 becomes
 * 10000 and 12次 becomes 12, a total that skipped text starts adding numbers. This module evaluates the common shapes
 * of such formulas over a grid, before and after planned writes, so the user is told before anything is written.
 *
 * Supported: numbers, "text", TRUE/FALSE, same-sheet A1 references and ranges ($ allowed; a reference qualified with
 * another sheet is unknown), + - * / ^ & = <> < > <= >=, unary minus, percent, and SUM, SUBTOTAL (9, 109, 1, 101, 2,
 * 102, 3, 103, 4, 104, 5, 105), AVERAGE, COUNT, COUNTA, MIN, MAX, ABS, ROUND, IF, IFERROR. Anything else evaluates to
 * "unknown": such a formula is still listed when it reads a cell that changes. Pure and total: nothing throws.
 */
import { a1 } from "./a1";
import type { GridOrigin } from "./types";

/** A formula's value as this evaluator sees it; `undefined` means it could not tell. */
type Val = number | string | boolean | null | { error: string };
type Range = { r0: number; c0: number; r1: number; c1: number };

/** One formula whose value would change, or might (after: null when it cannot be evaluated here). */
export type FormulaChange = {
  /** A1 address on the sheet. */
  cell: string;
  row: number;
  col: number;
  formula: string;
  /** The value the cell shows now. */
  before: string | number | boolean | null;
  /** The value after the writes; null when this evaluator cannot tell (an unsupported function). */
  after: string | number | boolean | null;
};

/** A formula cell: its 0-based grid position and text ("=SUM(G4:G21)"). */
export type FormulaCell = { row: number; col: number; formula: string };

type Token =
  | { t: "num"; v: number }
  | { t: "str"; v: string }
  | { t: "ref"; range: Range | null }
  | { t: "name"; v: string }
  | { t: "op"; v: string }
  | { t: "(" }
  | { t: ")" }
  | { t: "," };

const REF =
  /^(?:(?:'(?:[^']|'')+'|[A-Za-z_\u00a0-\uffff][\w.\u00a0-\uffff]*)!)?\$?([A-Za-z]{1,3})\$?(\d{1,7})(?::\$?([A-Za-z]{1,3})\$?(\d{1,7}))?/;

function colIndex(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

/** Splits a formula into tokens; null when it holds something this evaluator does not read. */
function tokenize(formula: string): Token[] | null {
  const src = formula.startsWith("=") ? formula.slice(1) : formula;
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const ch = src[i];
    if (ch === " " || ch === "\n" || ch === "\r" || ch === "\t") {
      i++;
      continue;
    }
    if (ch === '"') {
      let j = i + 1;
      let s = "";
      for (;;) {
        if (j >= src.length) return null;
        if (src[j] === '"') {
          if (src[j + 1] === '"') {
            s += '"';
            j += 2;
            continue;
          }
          break;
        }
        s += src[j++];
      }
      out.push({ t: "str", v: s });
      i = j + 1;
      continue;
    }
    if (/[0-9.]/.test(ch)) {
      const m = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(src.slice(i));
      if (!m) return null;
      out.push({ t: "num", v: Number(m[0]) });
      i += m[0].length;
      continue;
    }
    const rest = src.slice(i);
    const ref = REF.exec(rest);
    if (ref && !/^[A-Za-z_]+\(/.test(rest.slice(0, ref[0].length + 1))) {
      // Another sheet's cells are not this grid's: unknown.
      const sheetQualified = ref[0].includes("!");
      const r0 = Number(ref[2]) - 1;
      const c0 = colIndex(ref[1]);
      const r1 = ref[4] ? Number(ref[4]) - 1 : r0;
      const c1 = ref[3] ? colIndex(ref[3]) : c0;
      out.push({
        t: "ref",
        range: sheetQualified
          ? null
          : { r0: Math.min(r0, r1), c0: Math.min(c0, c1), r1: Math.max(r0, r1), c1: Math.max(c0, c1) },
      });
      i += ref[0].length;
      continue;
    }
    const name = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(rest);
    if (name) {
      out.push({ t: "name", v: name[0].toUpperCase() });
      i += name[0].length;
      continue;
    }
    const two = src.slice(i, i + 2);
    if (two === "<=" || two === ">=" || two === "<>") {
      out.push({ t: "op", v: two });
      i += 2;
      continue;
    }
    if ("+-*/^&=<>%".includes(ch)) {
      out.push({ t: "op", v: ch });
      i++;
      continue;
    }
    if (ch === "(") out.push({ t: "(" });
    else if (ch === ")") out.push({ t: ")" });
    else if (ch === ",") out.push({ t: "," });
    else return null;
    i++;
  }
  return out;
}

type Node =
  | { k: "val"; v: Val }
  | { k: "ref"; range: Range | null }
  | { k: "un"; op: string; a: Node }
  | { k: "bin"; op: string; a: Node; b: Node }
  | { k: "fn"; name: string; args: Node[] }
  | { k: "unknown" };

const PREC: Record<string, number> = {
  "=": 1,
  "<>": 1,
  "<": 1,
  ">": 1,
  "<=": 1,
  ">=": 1,
  "&": 2,
  "+": 3,
  "-": 3,
  "*": 4,
  "/": 4,
  "^": 5,
};

/** A recursive-descent parser over the tokens; null for malformed input. */
function parse(tokens: Token[]): Node | null {
  let p = 0;
  const peek = () => tokens[p];
  const expr = (minPrec: number): Node | null => {
    let left = unary();
    if (!left) return null;
    for (;;) {
      const t = peek();
      if (!t || t.t !== "op" || PREC[t.v] === undefined || PREC[t.v] < minPrec) return left;
      p++;
      const right = expr(t.v === "^" ? PREC[t.v] : PREC[t.v] + 1);
      if (!right) return null;
      left = { k: "bin", op: t.v, a: left, b: right };
    }
  };
  const unary = (): Node | null => {
    const t = peek();
    if (t && t.t === "op" && (t.v === "-" || t.v === "+")) {
      p++;
      const a = unary();
      return a ? { k: "un", op: t.v, a } : null;
    }
    let node = primary();
    while (node && peek()?.t === "op" && (peek() as { v: string }).v === "%") {
      p++;
      node = { k: "un", op: "%", a: node };
    }
    return node;
  };
  const primary = (): Node | null => {
    const t = tokens[p++];
    if (!t) return null;
    if (t.t === "num") return { k: "val", v: t.v };
    if (t.t === "str") return { k: "val", v: t.v };
    if (t.t === "ref") return { k: "ref", range: t.range };
    if (t.t === "(") {
      const e = expr(0);
      if (!e || tokens[p++]?.t !== ")") return null;
      return e;
    }
    if (t.t === "name") {
      if (peek()?.t !== "(") {
        if (t.v === "TRUE" || t.v === "FALSE") return { k: "val", v: t.v === "TRUE" };
        return { k: "unknown" };
      }
      p++;
      const args: Node[] = [];
      if (peek()?.t === ")") {
        p++;
        return { k: "fn", name: t.v, args };
      }
      for (;;) {
        const a = expr(0);
        if (!a) return null;
        args.push(a);
        const sep = tokens[p++];
        if (sep?.t === ")") break;
        if (sep?.t !== ",") return null;
      }
      return { k: "fn", name: t.v, args };
    }
    return null;
  };
  const root = expr(0);
  return root && p === tokens.length ? root : null;
}

/** The ranges a formula reads (same-sheet only), and whether it reads anything this evaluator cannot see. */
function refsOf(node: Node, out: Range[]): boolean {
  switch (node.k) {
    case "ref":
      if (!node.range) return false;
      out.push(node.range);
      return true;
    case "un":
      return refsOf(node.a, out);
    case "bin": {
      // Both sides, always: a formula that reads something unknown still lists every cell it reads.
      const a = refsOf(node.a, out);
      const b = refsOf(node.b, out);
      return a && b;
    }
    case "fn": {
      const known = node.args.map((a) => refsOf(a, out));
      return known.every(Boolean) && FUNCTIONS_READ.has(node.name);
    }
    case "val":
      return true;
    case "unknown":
      return false;
  }
}

/** The functions evaluated here; any other makes the formula's value unknown (it is still listed). */
const FUNCTIONS_READ = new Set([
  "SUM",
  "AVERAGE",
  "COUNT",
  "COUNTA",
  "MIN",
  "MAX",
  "SUBTOTAL",
  "ABS",
  "ROUND",
  "IF",
  "IFERROR",
]);

class Unknown extends Error {}

const ERR = { value: { error: "#VALUE!" }, div0: { error: "#DIV/0!" } } as const;

function isErr(v: unknown): v is { error: string } {
  return typeof v === "object" && v !== null && "error" in v;
}

/** Excel's number coercion for arithmetic: blank 0, TRUE 1, numeric text its number, other text #VALUE!. */
function toNum(v: Val): number | { error: string } {
  if (v === null) return 0;
  if (typeof v === "number") return v;
  if (typeof v === "boolean") return v ? 1 : 0;
  if (typeof v === "string") {
    const t = v.trim();
    if (t !== "" && Number.isFinite(Number(t))) return Number(t);
    return ERR.value;
  }
  return v;
}

function toText(v: Val): string {
  if (v === null) return "";
  if (typeof v === "boolean") return v ? "TRUE" : "FALSE";
  if (typeof v === "number") return String(Number(v.toPrecision(15)));
  return isErr(v) ? v.error : v;
}

/** A cell value as the grid holds it, in this evaluator's terms (Excel error texts become errors). */
function cellVal(v: unknown): Val {
  if (v === undefined || v === null || v === "") return null;
  if (typeof v === "number" || typeof v === "boolean") return v;
  if (typeof v === "string") return /^#(?:DIV\/0!|N\/A|VALUE!|REF!|NAME\?|NUM!|NULL!)$/.test(v) ? { error: v } : v;
  return String(v);
}

type Lookup = (r: number, c: number) => Val;

function evaluate(node: Node, at: Lookup): Val {
  switch (node.k) {
    case "val":
      return node.v;
    case "unknown":
      throw new Unknown();
    case "ref": {
      const r = node.range;
      if (!r) throw new Unknown();
      if (r.r0 !== r.r1 || r.c0 !== r.c1) return ERR.value;
      return at(r.r0, r.c0);
    }
    case "un": {
      const a = evaluate(node.a, at);
      const n = toNum(a);
      if (isErr(n)) return n;
      return node.op === "-" ? -n : node.op === "%" ? n / 100 : n;
    }
    case "bin":
      return binary(node.op, evaluate(node.a, at), evaluate(node.b, at));
    case "fn":
      return call(node.name, node.args, at);
  }
}

function binary(op: string, a: Val, b: Val): Val {
  if (isErr(a)) return a;
  if (isErr(b)) return b;
  if (op === "&") return toText(a) + toText(b);
  if (["=", "<>", "<", ">", "<=", ">="].includes(op)) {
    const c = compare(a, b);
    return op === "="
      ? c === 0
      : op === "<>"
        ? c !== 0
        : op === "<"
          ? c < 0
          : op === ">"
            ? c > 0
            : op === "<="
              ? c <= 0
              : c >= 0;
  }
  const x = toNum(a);
  const y = toNum(b);
  if (isErr(x)) return x;
  if (isErr(y)) return y;
  switch (op) {
    case "+":
      return x + y;
    case "-":
      return x - y;
    case "*":
      return x * y;
    case "/":
      return y === 0 ? ERR.div0 : x / y;
    default:
      return x ** y;
  }
}

/** Excel's comparison order: numbers < text < booleans; text ignoring case; blank as 0 or "". */
function compare(a: Val, b: Val): number {
  const rank = (v: Val) => (typeof v === "number" ? 0 : typeof v === "string" ? 1 : typeof v === "boolean" ? 2 : -1);
  if (a === null) a = typeof b === "string" ? "" : typeof b === "boolean" ? false : 0;
  if (b === null) b = typeof a === "string" ? "" : typeof a === "boolean" ? false : 0;
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  if (typeof a === "string" && typeof b === "string") {
    const x = a.toLowerCase();
    const y = b.toLowerCase();
    return x < y ? -1 : x > y ? 1 : 0;
  }
  return Number(a) - Number(b);
}

/**
 * The numbers an aggregate sees: from references only numbers count (text and blanks are skipped, errors propagate),
 * direct values are coerced; `filled` counts non-blank values (COUNTA).
 */
function numbersOf(args: Node[], at: Lookup): { nums: number[]; filled: number } | { error: string } {
  const nums: number[] = [];
  let filled = 0;
  for (const a of args) {
    if (a.k === "ref" && a.range) {
      const r = a.range;
      for (let row = r.r0; row <= r.r1; row++) {
        for (let col = r.c0; col <= r.c1; col++) {
          const v = at(row, col);
          if (v !== null) filled++;
          if (isErr(v)) return v;
          if (typeof v === "number") nums.push(v);
        }
      }
      continue;
    }
    const v = evaluate(a, at);
    if (v !== null) filled++;
    const n = toNum(v);
    if (isErr(n)) return n;
    nums.push(n);
  }
  return { nums, filled };
}

const SUBTOTAL_FN: Record<number, string> = { 1: "AVERAGE", 2: "COUNT", 3: "COUNTA", 4: "MAX", 5: "MIN", 9: "SUM" };

function call(name: string, args: Node[], at: Lookup): Val {
  switch (name) {
    case "SUM":
    case "AVERAGE":
    case "COUNT":
    case "MIN":
    case "MAX": {
      const got = numbersOf(args, at);
      if (isErr(got)) return got;
      const { nums } = got;
      if (name === "SUM") return nums.reduce((s, x) => s + x, 0);
      if (name === "COUNT") return nums.length;
      if (name === "AVERAGE") return nums.length === 0 ? ERR.div0 : nums.reduce((s, x) => s + x, 0) / nums.length;
      if (nums.length === 0) return 0;
      let best = nums[0];
      for (const x of nums) if (name === "MIN" ? x < best : x > best) best = x;
      return best;
    }
    case "COUNTA": {
      // Errors count as filled cells here; only the count matters.
      let filled = 0;
      for (const a of args) {
        if (a.k === "ref" && a.range) {
          for (let row = a.range.r0; row <= a.range.r1; row++)
            for (let col = a.range.c0; col <= a.range.c1; col++) if (at(row, col) !== null) filled++;
        } else if (evaluate(a, at) !== null) filled++;
      }
      return filled;
    }
    case "SUBTOTAL": {
      if (args.length < 2) throw new Unknown();
      const code = toNum(evaluate(args[0], at));
      if (isErr(code)) return code;
      const fn = SUBTOTAL_FN[code > 100 ? code - 100 : code];
      if (!fn) throw new Unknown();
      return call(fn, args.slice(1), at);
    }
    case "ABS": {
      const n = toNum(args[0] ? evaluate(args[0], at) : null);
      return isErr(n) ? n : Math.abs(n);
    }
    case "ROUND": {
      const n = toNum(args[0] ? evaluate(args[0], at) : null);
      const d = toNum(args[1] ? evaluate(args[1], at) : 0);
      if (isErr(n)) return n;
      if (isErr(d)) return d;
      const f = 10 ** Math.trunc(d);
      return (Math.sign(n) * Math.round(Math.abs(n) * f)) / f;
    }
    case "IF": {
      const c = args[0] ? evaluate(args[0], at) : null;
      if (isErr(c)) return c;
      // Text as a condition is #VALUE! in Excel, except "TRUE"/"FALSE"; not worth guessing here.
      if (typeof c === "string") throw new Unknown();
      const branch = c ? args[1] : args[2];
      return branch ? evaluate(branch, at) : Boolean(c);
    }
    case "IFERROR": {
      const v = args[0] ? evaluate(args[0], at) : null;
      return isErr(v) ? (args[1] ? evaluate(args[1], at) : null) : v;
    }
    default:
      throw new Unknown();
  }
}

function sameValue(a: Val, b: Val): boolean {
  if (isErr(a) || isErr(b)) return isErr(a) && isErr(b) && a.error === b.error;
  if (typeof a === "number" && typeof b === "number") return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a));
  return a === b;
}

function shown(v: Val): string | number | boolean | null {
  if (isErr(v)) return v.error;
  if (typeof v === "number") return Number(v.toPrecision(15));
  return v;
}

function intersects(r: Range, row: number, col: number): boolean {
  return row >= r.r0 && row <= r.r1 && col >= r.c0 && col <= r.c1;
}

/**
 * The user's formulas whose value changes (or may: `after` null) when `writes` are applied to `grid`: formulas that
 * read a written cell, directly or through another formula that changes. Each is evaluated before and after with the
 * same evaluator, so only the writes' effect is reported; `before` is the value the cell shows now.
 * @example formulaChanges([["1万"], [5], [5]], [{ row: 2, col: 0, formula: "=SUM(A1:A2)" }], new Map([["0,0", 10000]]))
 *   // [{ cell: "A3", formula: "=SUM(A1:A2)", before: 5, after: 10005, … }]
 */
export function formulaChanges(
  grid: readonly (readonly unknown[])[],
  formulas: readonly FormulaCell[],
  writes: ReadonlyMap<string, unknown>,
  origin: GridOrigin = { row: 0, col: 0 },
): FormulaChange[] {
  if (writes.size === 0 || formulas.length === 0) return [];
  const parsed = new Map<string, { f: FormulaCell; node: Node | null; refs: Range[]; known: boolean }>();
  for (const f of formulas.slice(0, 20000)) {
    const tokens = f.formula.length <= 2000 ? tokenize(f.formula) : null;
    const node = tokens ? parse(tokens) : null;
    const refs: Range[] = [];
    const known = node ? refsOf(node, refs) : false;
    parsed.set(`${f.row},${f.col}`, { f, node, refs, known });
  }
  // Written cells by column, for a quick "does this range read one of them".
  const written: { row: number; col: number }[] = [];
  for (const key of writes.keys()) {
    const [r, c] = key.split(",").map(Number);
    written.push({ row: r, col: c });
  }
  const reads = (refs: Range[], cells: readonly { row: number; col: number }[]) =>
    refs.some((r) => cells.some((x) => intersects(r, x.row, x.col)));
  // Formulas affected directly, then through other affected formulas, to a fixed point.
  const affected = new Set<string>();
  let frontier = written;
  for (let round = 0; round < 50 && frontier.length > 0; round++) {
    const next: { row: number; col: number }[] = [];
    for (const [key, p] of parsed) {
      if (affected.has(key)) continue;
      if (reads(p.refs, frontier)) {
        affected.add(key);
        next.push({ row: p.f.row, col: p.f.col });
      }
    }
    frontier = next;
  }
  if (affected.size === 0) return [];

  const valueBefore = (r: number, c: number): Val => cellVal(grid[r]?.[c]);
  const memoAfter = new Map<string, Val | "unknown">();
  const visiting = new Set<string>();
  const afterOf = (key: string): Val | "unknown" => {
    const hit = memoAfter.get(key);
    if (hit !== undefined) return hit;
    const p = parsed.get(key);
    if (!p || !p.node || visiting.has(key)) return "unknown";
    visiting.add(key);
    let out: Val | "unknown";
    try {
      out = evaluate(p.node, lookupAfter);
    } catch (e) {
      if (!(e instanceof Unknown)) throw e;
      out = "unknown";
    }
    visiting.delete(key);
    memoAfter.set(key, out);
    return out;
  };
  function lookupAfter(r: number, c: number): Val {
    const key = `${r},${c}`;
    if (affected.has(key)) {
      const v = afterOf(key);
      if (v === "unknown") throw new Unknown();
      return v;
    }
    if (writes.has(key)) return cellVal(writes.get(key));
    return valueBefore(r, c);
  }
  const beforeOf = (p: { node: Node | null }): Val | "unknown" => {
    if (!p.node) return "unknown";
    try {
      return evaluate(p.node, valueBefore);
    } catch (e) {
      if (!(e instanceof Unknown)) throw e;
      return "unknown";
    }
  };

  const out: FormulaChange[] = [];
  for (const key of affected) {
    const p = parsed.get(key);
    if (!p) continue;
    const before = beforeOf(p);
    const after = afterOf(key);
    if (before !== "unknown" && after !== "unknown" && sameValue(before, after)) continue;
    out.push({
      cell: a1(p.f.row, p.f.col, origin),
      row: p.f.row,
      col: p.f.col,
      formula: p.f.formula,
      before: shown(cellVal(grid[p.f.row]?.[p.f.col])),
      after: after === "unknown" ? null : shown(after),
    });
  }
  return out.sort((a, b) => a.row - b.row || a.col - b.col);
}

/**
 * The same-sheet cells a formula reads, as 0-based rectangles; null when it cannot be read here. Used to tell which
 * plan cells a total adds.
 * @example formulaRanges("=SUM(G4:G21)") // [{ r0: 3, c0: 6, r1: 20, c1: 6 }]
 */
export function formulaRanges(formula: string): Range[] | null {
  const tokens = formula.length <= 2000 ? tokenize(formula) : null;
  const node = tokens ? parse(tokens) : null;
  if (!node) return null;
  const refs: Range[] = [];
  refsOf(node, refs);
  return refs;
}

/** Whether a formula adds numbers up (SUM, SUBTOTAL, +): a total whose terms must share a unit. */
export function isAdding(formula: string): boolean {
  return /^=\s*(?:SUM|SUBTOTAL)\s*\(/i.test(formula) || /^=[^(]*[A-Z]+\$?\d+\s*\+/i.test(formula);
}
