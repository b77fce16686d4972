import { MAX_COLS, MAX_ROWS } from "../grid";
import type { ErrorValue, Scalar } from "../model";
import { formatValue } from "./textFormat";
import { dateToSerial, ERR, isErr, RangeVal, serialToDate, toBool, toNumber, toText, type Val } from "./values";

/**
 * The cells of a range that exist, in row-major order: each one's position in the range (row offset × width +
 * column offset) and value. Everything else in the range is blank: functions work over these, never over the
 * range's nominal size (B1:XFC30000 is 491 million positions).
 */
export type UsedCells = { offsets: Float64Array; values: (Scalar | null)[]; width: number; area: number };

/**
 * Where a criterion holds in a range: `hits`, the sorted positions of existing cells that meet it, and `blank`,
 * whether it holds for a blank cell (and so at every position without a cell, `used` listing the positions with one).
 */
export type MatchSet = { hits: Float64Array; blank: boolean; used: Float64Array; area: number };

/** Evaluation position: the formula cell. */
export type Ctx = { sheetIndex: number; row: number; col: number };

/** A compiled expression. */
export type Fn = (ctx: Ctx) => Val;

/** What functions need from the engine. */
export interface Env {
  /** Scalar value of an expression result (implicit intersection for ranges). */
  scalar(v: Val, ctx: Ctx): Scalar | null;
  /** The cells of a range that exist (see {@link UsedCells}). */
  used(r: RangeVal): UsedCells;
  /** Where `criterion` holds in `r` (see {@link MatchSet}), cached per recalculation. */
  matches(r: RangeVal, criterion: Scalar | null): MatchSet;
  today(): number;
  currentYear(): number;
  /** 1462 when the workbook counts dates from 1904 (its serials are that much lower than 1900-system ones), else 0. */
  dateOffset(): number;
}

type Impl = (args: (Fn | null)[], ctx: Ctx, env: Env) => Val;

function arg(args: (Fn | null)[], i: number, ctx: Ctx, env: Env): Scalar | null {
  const f = args[i];
  return f ? env.scalar(f(ctx), ctx) : null;
}

function num(args: (Fn | null)[], i: number, ctx: Ctx, env: Env): number | ErrorValue {
  return toNumber(arg(args, i, ctx, env));
}

function rangeArg(args: (Fn | null)[], i: number, ctx: Ctx): RangeVal | ErrorValue {
  const f = args[i];
  const v = f ? f(ctx) : null;
  if (v instanceof RangeVal) return v;
  return isErr(v) ? v : ERR.value;
}

/** Walks the numbers of arguments as SUM does: numbers in ranges; direct arguments coerced. */
function numbers(args: (Fn | null)[], ctx: Ctx, env: Env, each: (n: number) => void): ErrorValue | null {
  for (const f of args) {
    if (!f) continue;
    const v = f(ctx);
    if (v instanceof RangeVal) {
      for (const c of env.used(v).values) {
        if (typeof c === "number") each(c);
        else if (isErr(c)) return c;
      }
    } else {
      const n = toNumber(v);
      if (isErr(n)) return n;
      each(n);
    }
  }
  return null;
}

/** Rounds half away from zero at `digits`, correcting binary float noise the way Excel's ROUND appears to. */
function roundTo(x: number, digits: number, mode: "round" | "up" | "down"): number {
  const f = Math.pow(10, Math.trunc(digits));
  const scaled = Number((Math.abs(x) * f).toPrecision(15));
  const r = mode === "round" ? Math.round(scaled) : mode === "up" ? Math.ceil(scaled) : Math.floor(scaled);
  return (Math.sign(x) * r) / f;
}

function sameShape(a: RangeVal, b: RangeVal): boolean {
  return a.rect.r1 - a.rect.r0 === b.rect.r1 - b.rect.r0 && a.rect.c1 - a.rect.c0 === b.rect.c1 - b.rect.c0;
}

/** Intersects sorted position lists, smallest first. */
function intersect(lists: Float64Array[]): Float64Array {
  lists.sort((a, b) => a.length - b.length);
  let acc = lists[0];
  for (let k = 1; k < lists.length && acc.length > 0; k++) {
    const other = lists[k];
    const out = new Float64Array(acc.length);
    let n = 0;
    let j = 0;
    for (let i = 0; i < acc.length; i++) {
      const p = acc[i];
      while (j < other.length && other[j] < p) j++;
      if (j < other.length && other[j] === p) out[n++] = p;
    }
    acc = out.subarray(0, n);
  }
  return acc;
}

/** The sorted union of sorted position lists, without repeats. */
function union(lists: readonly Float64Array[]): Float64Array {
  const all = new Float64Array(lists.reduce((n, l) => n + l.length, 0));
  let at = 0;
  for (const l of lists) {
    all.set(l, at);
    at += l.length;
  }
  all.sort();
  let n = 0;
  for (let i = 0; i < all.length; i++) if (i === 0 || all[i] !== all[i - 1]) all[n++] = all[i];
  return all.subarray(0, n);
}

/**
 * The sorted `positions` at which every one of `sets` holds; each holds for blanks, so a position counts where the set
 * has a hit or its range has no cell.
 */
function holdingForBlanks(positions: Float64Array, sets: readonly MatchSet[]): Float64Array {
  const hit = sets.map(() => 0);
  const has = sets.map(() => 0);
  const out = new Float64Array(positions.length);
  let n = 0;
  for (let i = 0; i < positions.length; i++) {
    const p = positions[i];
    let all = true;
    for (let k = 0; k < sets.length && all; k++) {
      const s = sets[k];
      while (hit[k] < s.hits.length && s.hits[hit[k]] < p) hit[k]++;
      while (has[k] < s.used.length && s.used[has[k]] < p) has[k]++;
      all = (hit[k] < s.hits.length && s.hits[hit[k]] === p) || !(has[k] < s.used.length && s.used[has[k]] === p);
    }
    if (all) out[n++] = p;
  }
  return out.subarray(0, n);
}

/**
 * Positions where every criterion holds. A criterion that fails on blanks confines them to its hits: the hits of all
 * such criteria intersected, then checked against those that hold for blanks (COUNTIFS(S,"",M,">="&d) in a summary
 * had taken a sort of the ranges' cells per formula). When every criterion holds for blanks, each position some range
 * (or `also`, a sum range) has a cell at is checked, and `rest` counts the positions without any cell.
 */
function combine(sets: readonly MatchSet[], also?: Float64Array): { positions: Float64Array; rest: number } {
  const strict = sets.filter((s) => !s.blank);
  const loose = sets.filter((s) => s.blank);
  if (strict.length > 0) {
    const candidates = intersect(strict.map((s) => s.hits));
    return { positions: loose.length > 0 ? holdingForBlanks(candidates, loose) : candidates, rest: 0 };
  }
  const anyCell = union([...sets.map((s) => s.used), ...(also ? [also] : [])]);
  return { positions: holdingForBlanks(anyCell, sets), rest: sets[0].area - anyCell.length };
}

/**
 * The criteria functions do not take text criteria longer than 255 characters: Microsoft's list of worksheet
 * functions that support longer strings (learn.microsoft.com, "List of worksheet functions that support long
 * strings") does not name them. _Assumption_: Excel answers #VALUE! for such a criterion. It also bounds the work of
 * matching a wildcard pattern.
 */
const MAX_CRITERION = 255;

/** Criteria pairs (range, criterion) from args[start…] → the positions meeting all of them, or an error. */
function criteriaMatches(
  args: (Fn | null)[],
  start: number,
  ctx: Ctx,
  env: Env,
  shape?: RangeVal,
): { positions: Float64Array; rest: number } | ErrorValue {
  if ((args.length - start) % 2 !== 0 || args.length - start < 2) return ERR.value;
  const sets: MatchSet[] = [];
  const sum = shape;
  for (let i = start; i < args.length; i += 2) {
    const r = rangeArg(args, i, ctx);
    if (isErr(r)) return r;
    if (shape && !sameShape(shape, r)) return ERR.value;
    shape = shape ?? r;
    const criterion = arg(args, i + 1, ctx, env);
    if (typeof criterion === "string" && criterion.length > MAX_CRITERION) return ERR.value;
    sets.push(env.matches(r, criterion));
  }
  return combine(sets, sum ? env.used(sum).offsets : undefined);
}

/** The sum (and count of numbers) of the range's values at the given sorted positions; an error value wins. */
function sumAt(env: Env, r: RangeVal, positions: Float64Array): { sum: number; count: number } | ErrorValue {
  const { offsets, values } = env.used(r);
  let sum = 0;
  let count = 0;
  let j = 0;
  for (let i = 0; i < positions.length; i++) {
    const p = positions[i];
    while (j < offsets.length && offsets[j] < p) j++;
    if (j >= offsets.length) break;
    if (offsets[j] !== p) continue;
    const v = values[j];
    if (typeof v === "number") {
      sum += v;
      count++;
    } else if (isErr(v)) return v;
  }
  return { sum, count };
}

function text1(fn: (s: string, args: (Fn | null)[], ctx: Ctx, env: Env) => Val): Impl {
  return (args, ctx, env) => {
    const t = toText(arg(args, 0, ctx, env));
    return isErr(t) ? t : fn(t, args, ctx, env);
  };
}

function lookupEq(a: Scalar | null, b: Scalar | null): boolean {
  if (typeof a === "string" && typeof b === "string") return a.toLowerCase() === b.toLowerCase();
  return a === b;
}

/** The first blank position of the range: one without a cell, or whose cell has no value; -1 when there is none. */
function firstBlank(u: UsedCells): number {
  let expected = 0;
  for (let i = 0; i < u.offsets.length; i++) {
    if (u.offsets[i] !== expected) return expected;
    if (u.values[i] === null) return expected;
    expected++;
  }
  return expected < u.area ? expected : -1;
}

/** MATCH over the range's cells: the position (row-major) of `v`, or -1. */
function match(v: Scalar | null, u: UsedCells, type: number): number {
  const { offsets, values } = u;
  if (type === 0) {
    if (v === null) return firstBlank(u);
    if (typeof v !== "string") {
      for (let i = 0; i < values.length; i++) if (lookupEq(values[i], v)) return offsets[i];
      return -1;
    }
    // Text matches ignoring case; the looked-up text is lower-cased once, not once per candidate.
    const lower = v.toLowerCase();
    for (let i = 0; i < values.length; i++) {
      const c = values[i];
      if (typeof c === "string" && (c === v || c.toLowerCase() === lower)) return offsets[i];
    }
    return -1;
  }
  // Approximate match on sorted data: the last position not past v (type 1) or not below v (type -1).
  let found = -1;
  for (let i = 0; i < values.length; i++) {
    const c = values[i];
    if (c === null || typeof c !== typeof v) continue;
    const cmp = compareScalars(c, v);
    if (type > 0 ? cmp <= 0 : cmp >= 0) found = offsets[i];
    else break;
  }
  return found;
}

/** Excel's ordering for comparisons: numbers < text < booleans; text ignores case; blank acts as the other's zero. */
export function compareScalars(a: Scalar | null, b: Scalar | null): number {
  if (a === null) a = typeof b === "string" ? "" : typeof b === "boolean" ? false : 0;
  if (b === null) b = typeof a === "string" ? "" : typeof a === "boolean" ? false : 0;
  const rank = (v: Scalar): number => (typeof v === "number" ? 0 : typeof v === "string" ? 1 : 2);
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  if (typeof a === "string" && typeof b === "string") {
    const x = a.toLowerCase();
    const y = b.toLowerCase();
    return x < y ? -1 : x > y ? 1 : 0;
  }
  const x = Number(a);
  const y = Number(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

const FUNCTIONS: Record<string, Impl> = {
  SUM: (args, ctx, env) => {
    let s = 0;
    return numbers(args, ctx, env, (n) => (s += n)) ?? s;
  },
  MIN: (args, ctx, env) => {
    let m = Infinity;
    return numbers(args, ctx, env, (n) => (m = Math.min(m, n))) ?? (m === Infinity ? 0 : m);
  },
  MAX: (args, ctx, env) => {
    let m = -Infinity;
    return numbers(args, ctx, env, (n) => (m = Math.max(m, n))) ?? (m === -Infinity ? 0 : m);
  },
  AVERAGE: (args, ctx, env) => {
    let s = 0;
    let k = 0;
    const e = numbers(args, ctx, env, (n) => {
      s += n;
      k++;
    });
    return e ?? (k === 0 ? ERR.div0 : s / k);
  },
  COUNT: (args, ctx, env) => {
    let k = 0;
    for (const f of args) {
      const v = f ? f(ctx) : null;
      if (v instanceof RangeVal) k += env.used(v).values.filter((c) => typeof c === "number").length;
      else if (v !== null && !isErr(v) && !isErr(toNumber(v)) && typeof v !== "boolean") k++;
    }
    return k;
  },
  COUNTA: (args, ctx, env) => {
    let k = 0;
    for (const f of args) {
      const v = f ? f(ctx) : null;
      if (v instanceof RangeVal) {
        for (const c of env.used(v).values) if (c !== null) k++;
      } else if (v !== null) k++;
    }
    return k;
  },
  COUNTBLANK: (args, ctx, env) => {
    const r = rangeArg(args, 0, ctx);
    if (isErr(r)) return r;
    const u = env.used(r);
    return u.area - u.values.filter((c) => c !== null && c !== "").length;
  },
  COUNTIF: (args, ctx, env) => (args.length !== 2 ? ERR.value : countOf(criteriaMatches(args, 0, ctx, env))),
  COUNTIFS: (args, ctx, env) => countOf(criteriaMatches(args, 0, ctx, env)),
  SUMIF: (args, ctx, env) => {
    const r = rangeArg(args, 0, ctx);
    if (isErr(r)) return r;
    const sumRange = args[2] ? rangeArg(args, 2, ctx) : r;
    if (isErr(sumRange)) return sumRange;
    const criterion = arg(args, 1, ctx, env);
    if (typeof criterion === "string" && criterion.length > MAX_CRITERION) return ERR.value;
    // SUMIF sizes the sum range like the criteria range from its top-left cell.
    const sized = new RangeVal(
      sumRange.sheet,
      {
        r0: sumRange.rect.r0,
        c0: sumRange.rect.c0,
        r1: sumRange.rect.r0 + r.rect.r1 - r.rect.r0,
        c1: sumRange.rect.c0 + r.rect.c1 - r.rect.c0,
      },
      sumRange.si,
    );
    if (sized.rect.r1 >= MAX_ROWS || sized.rect.c1 >= MAX_COLS) return ERR.ref;
    const { positions } = combine([env.matches(r, criterion)], env.used(sized).offsets);
    const total = sumAt(env, sized, positions);
    return isErr(total) ? total : total.sum;
  },
  SUMIFS: (args, ctx, env) => {
    const sumRange = rangeArg(args, 0, ctx);
    if (isErr(sumRange)) return sumRange;
    const pos = criteriaMatches(args, 1, ctx, env, sumRange);
    if (isErr(pos)) return pos;
    const total = sumAt(env, sumRange, pos.positions);
    return isErr(total) ? total : total.sum;
  },
  AVERAGEIFS: (args, ctx, env) => {
    const avgRange = rangeArg(args, 0, ctx);
    if (isErr(avgRange)) return avgRange;
    const pos = criteriaMatches(args, 1, ctx, env, avgRange);
    if (isErr(pos)) return pos;
    // AVERAGEIFS skips non-numbers, errors included.
    const { offsets, values } = env.used(avgRange);
    let s = 0;
    let k = 0;
    let j = 0;
    for (const p of pos.positions) {
      while (j < offsets.length && offsets[j] < p) j++;
      const v = offsets[j] === p ? values[j] : null;
      if (typeof v === "number") {
        s += v;
        k++;
      }
    }
    return k === 0 ? ERR.div0 : s / k;
  },
  IF: (args, ctx, env) => {
    const c = toBool(arg(args, 0, ctx, env));
    if (isErr(c)) return c;
    const branch = c ? 1 : 2;
    if (branch >= args.length) return false;
    const f = args[branch];
    return f ? f(ctx) : 0;
  },
  IFERROR: (args, ctx, env) => {
    const v = arg(args, 0, ctx, env);
    return isErr(v) ? (arg(args, 1, ctx, env) ?? 0) : v;
  },
  ISERROR: (args, ctx, env) => isErr(arg(args, 0, ctx, env)),
  ISNA: (args, ctx, env) => {
    const v = arg(args, 0, ctx, env);
    return isErr(v) && v.error === "#N/A";
  },
  AND: (args, ctx, env) => logical(args, ctx, env, true),
  OR: (args, ctx, env) => logical(args, ctx, env, false),
  NOT: (args, ctx, env) => {
    const b = toBool(arg(args, 0, ctx, env));
    return isErr(b) ? b : !b;
  },
  TRUE: () => true,
  FALSE: () => false,
  // NA() is #N/A: charts leave a gap for it where "" would be plotted as 0 (issue 14 §3b).
  NA: () => ERR.na,
  ROUND: (args, ctx, env) => round(args, ctx, env, "round"),
  ROUNDUP: (args, ctx, env) => round(args, ctx, env, "up"),
  ROUNDDOWN: (args, ctx, env) => round(args, ctx, env, "down"),
  INT: (args, ctx, env) => {
    const n = num(args, 0, ctx, env);
    return isErr(n) ? n : Math.floor(n);
  },
  ABS: (args, ctx, env) => {
    const n = num(args, 0, ctx, env);
    return isErr(n) ? n : Math.abs(n);
  },
  MOD: (args, ctx, env) => {
    const a = num(args, 0, ctx, env);
    const b = num(args, 1, ctx, env);
    if (isErr(a)) return a;
    if (isErr(b)) return b;
    return b === 0 ? ERR.div0 : a - b * Math.floor(a / b);
  },
  TODAY: (_args, _ctx, env) => env.today(),
  DATE: (args, ctx, env) => {
    const y = num(args, 0, ctx, env);
    const m = num(args, 1, ctx, env);
    const d = num(args, 2, ctx, env);
    if (isErr(y)) return y;
    if (isErr(m)) return m;
    if (isErr(d)) return d;
    const year = Math.trunc(y) < 1900 ? Math.trunc(y) + 1900 : Math.trunc(y);
    const s = dateToSerial(year, Math.trunc(m), Math.trunc(d)) - env.dateOffset();
    return s < 0 || year > 9999 ? ERR.num : s;
  },
  YEAR: (args, ctx, env) => datePart(args, ctx, env, "year"),
  MONTH: (args, ctx, env) => datePart(args, ctx, env, "month"),
  DAY: (args, ctx, env) => datePart(args, ctx, env, "day"),
  EOMONTH: (args, ctx, env) => shiftMonths(args, ctx, env, true),
  EDATE: (args, ctx, env) => shiftMonths(args, ctx, env, false),
  TEXT: (args, ctx, env) => {
    const v = arg(args, 0, ctx, env);
    const f = toText(arg(args, 1, ctx, env));
    if (isErr(v)) return v;
    if (isErr(f)) return f;
    const n = typeof v === "string" ? toNumber(v) : v;
    try {
      return formatValue(isErr(n) ? v : n, f, env.dateOffset() > 0);
    } catch (e) {
      if (e instanceof Error) return ERR.value; // a format code the formatter cannot read
      throw e;
    }
  },
  LEN: text1((s) => s.length),
  // SUBSTITUTE(text, old, new, [instance]): every occurrence, or only the nth; an empty `old` changes nothing.
  SUBSTITUTE: text1((s, args, ctx, env) => {
    const from = toText(arg(args, 1, ctx, env));
    const to = toText(arg(args, 2, ctx, env));
    if (isErr(from)) return from;
    if (isErr(to)) return to;
    if (from === "") return s;
    if (args.length < 4) return s.split(from).join(to);
    const nth = num(args, 3, ctx, env);
    if (isErr(nth)) return nth;
    if (nth < 1) return ERR.value;
    let at = -1;
    for (let k = 0; k < Math.trunc(nth); k++) {
      at = s.indexOf(from, at + 1);
      if (at < 0) return s;
    }
    return s.slice(0, at) + to + s.slice(at + from.length);
  }),
  N: (args, ctx, env) => {
    const v = arg(args, 0, ctx, env);
    return isErr(v) ? v : typeof v === "number" ? v : v === true ? 1 : 0;
  },
  TRIM: text1((s) => s.replace(/ +/g, " ").trim()),
  UPPER: text1((s) => s.toUpperCase()),
  LOWER: text1((s) => s.toLowerCase()),
  LEFT: text1((s, args, ctx, env) => {
    const n = args.length > 1 ? num(args, 1, ctx, env) : 1;
    return isErr(n) ? n : n < 0 ? ERR.value : s.slice(0, Math.trunc(n));
  }),
  RIGHT: text1((s, args, ctx, env) => {
    const n = args.length > 1 ? num(args, 1, ctx, env) : 1;
    return isErr(n) ? n : n < 0 ? ERR.value : Math.trunc(n) === 0 ? "" : s.slice(-Math.trunc(n));
  }),
  MID: text1((s, args, ctx, env) => {
    const start = num(args, 1, ctx, env);
    const n = num(args, 2, ctx, env);
    if (isErr(start)) return start;
    if (isErr(n)) return n;
    return start < 1 || n < 0 ? ERR.value : s.substr(Math.trunc(start) - 1, Math.trunc(n));
  }),
  CONCATENATE: (args, ctx, env) => {
    let s = "";
    for (let i = 0; i < args.length; i++) {
      const t = toText(arg(args, i, ctx, env));
      if (isErr(t)) return t;
      s += t;
    }
    return s;
  },
  VALUE: (args, ctx, env) => toNumber(arg(args, 0, ctx, env)),
  ISBLANK: (args, ctx, env) => arg(args, 0, ctx, env) === null,
  ISNUMBER: (args, ctx, env) => typeof arg(args, 0, ctx, env) === "number",
  ISTEXT: (args, ctx, env) => typeof arg(args, 0, ctx, env) === "string",
  INDEX: (args, ctx, env) => {
    const r = rangeArg(args, 0, ctx);
    if (isErr(r)) return r;
    const rows = r.rect.r1 - r.rect.r0 + 1;
    const cols = r.rect.c1 - r.rect.c0 + 1;
    let i = num(args, 1, ctx, env);
    let j = args.length > 2 ? num(args, 2, ctx, env) : 0;
    if (isErr(i)) return i;
    if (isErr(j)) return j;
    // A one-row range indexes by its only argument as a column.
    if (rows === 1 && args.length === 2) [i, j] = [1, i];
    if (i < 0 || j < 0 || i > rows || j > cols) return ERR.ref;
    const r0 = i === 0 ? r.rect.r0 : r.rect.r0 + i - 1;
    const r1 = i === 0 ? r.rect.r1 : r0;
    const c0 = j === 0 ? r.rect.c0 : r.rect.c0 + j - 1;
    const c1 = j === 0 ? (cols === 1 ? c0 : r.rect.c1) : c0;
    return new RangeVal(r.sheet, { r0, c0, r1, c1 }, r.si);
  },
  MATCH: (args, ctx, env) => {
    const v = arg(args, 0, ctx, env);
    if (isErr(v)) return v;
    const r = rangeArg(args, 1, ctx);
    if (isErr(r)) return r;
    const t = args.length > 2 ? num(args, 2, ctx, env) : 1;
    if (isErr(t)) return t;
    const p = match(v, env.used(r), Math.sign(t));
    return p < 0 ? ERR.na : p + 1;
  },
  VLOOKUP: (args, ctx, env) => {
    const v = arg(args, 0, ctx, env);
    if (isErr(v)) return v;
    const r = rangeArg(args, 1, ctx);
    if (isErr(r)) return r;
    const k = num(args, 2, ctx, env);
    if (isErr(k)) return k;
    const approx = args.length > 3 ? toBool(arg(args, 3, ctx, env)) : true;
    if (isErr(approx)) return approx;
    if (k < 1 || k > r.rect.c1 - r.rect.c0 + 1) return ERR.ref;
    const first = new RangeVal(r.sheet, { r0: r.rect.r0, r1: r.rect.r1, c0: r.rect.c0, c1: r.rect.c0 }, r.si);
    const p = match(v, env.used(first), approx ? 1 : 0);
    if (p < 0) return ERR.na;
    const hit = { r0: r.rect.r0 + p, r1: r.rect.r0 + p, c0: r.rect.c0 + k - 1, c1: r.rect.c0 + k - 1 };
    return env.scalar(new RangeVal(r.sheet, hit, r.si), ctx);
  },
  ROW: (args, ctx) => refPart(args, ctx, "row"),
  COLUMN: (args, ctx) => refPart(args, ctx, "col"),
  ROWS: (args, ctx) => {
    const r = rangeArg(args, 0, ctx);
    return isErr(r) ? r : r.rect.r1 - r.rect.r0 + 1;
  },
  COLUMNS: (args, ctx) => {
    const r = rangeArg(args, 0, ctx);
    return isErr(r) ? r : r.rect.c1 - r.rect.c0 + 1;
  },
};

function countOf(v: { positions: Float64Array; rest: number } | ErrorValue): number | ErrorValue {
  return isErr(v) ? v : v.positions.length + v.rest;
}

function logical(args: (Fn | null)[], ctx: Ctx, env: Env, all: boolean): Val {
  let seen = false;
  for (const f of args) {
    const v = f ? f(ctx) : null;
    const list =
      v instanceof RangeVal
        ? env.used(v).values.filter((c) => typeof c === "boolean" || typeof c === "number" || isErr(c))
        : [v];
    for (const c of list) {
      const b = toBool(c as Scalar | null);
      if (isErr(b)) return b;
      seen = true;
      if (all && !b) return false;
      if (!all && b) return true;
    }
  }
  return seen ? all : ERR.value;
}

function round(args: (Fn | null)[], ctx: Ctx, env: Env, mode: "round" | "up" | "down"): Val {
  const x = num(args, 0, ctx, env);
  const d = args.length > 1 ? num(args, 1, ctx, env) : 0;
  if (isErr(x)) return x;
  if (isErr(d)) return d;
  return roundTo(x, d, mode);
}

function datePart(args: (Fn | null)[], ctx: Ctx, env: Env, part: "year" | "month" | "day"): Val {
  const n = num(args, 0, ctx, env);
  if (isErr(n)) return n;
  if (n < 0) return ERR.num;
  return serialToDate(n + env.dateOffset())[part];
}

function shiftMonths(args: (Fn | null)[], ctx: Ctx, env: Env, endOfMonth: boolean): Val {
  const start = num(args, 0, ctx, env);
  const months = num(args, 1, ctx, env);
  if (isErr(start)) return start;
  if (isErr(months)) return months;
  if (start < 0) return ERR.num;
  const offset = env.dateOffset();
  const d = serialToDate(start + offset);
  const m = d.month + Math.trunc(months);
  if (endOfMonth) return dateToSerial(d.year, m + 1, 0) - offset;
  const last = serialToDate(dateToSerial(d.year, m + 1, 0)).day;
  return dateToSerial(d.year, m, Math.min(d.day, last)) - offset;
}

function refPart(args: (Fn | null)[], ctx: Ctx, part: "row" | "col"): Val {
  if (!args[0]) return (part === "row" ? ctx.row : ctx.col) + 1;
  const v = args[0](ctx);
  if (!(v instanceof RangeVal)) return isErr(v) ? v : ERR.value;
  return (part === "row" ? v.rect.r0 : v.rect.c0) + 1;
}

/** Looks up a worksheet function by its upper-case English name. */
export function lookupFunction(name: string): Impl | undefined {
  return FUNCTIONS[name];
}

/** Names of the functions the engine evaluates (for the README and the unsupported-function report). */
export const FUNCTION_NAMES: readonly string[] = Object.keys(FUNCTIONS).sort();
