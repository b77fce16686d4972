import type { Scalar } from "../model";
import { isErr, parseDateText, parseNumber } from "./values";

export type Op = "=" | "<>" | "<" | ">" | "<=" | ">=";

/** A parsed COUNTIF-family criterion. `key` identifies it for caching; `eqKey` is set when a hash lookup can answer it. */
export type Criterion = { key: string; eqKey?: string; test: (v: Scalar | null) => boolean };

/** Key under which a cell value is filed in an equality index; numeric text is filed as a number too (COUNTIF does). */
export function indexKeys(v: Scalar | null): string[] {
  if (v === null) return [];
  if (typeof v === "number") return [`n:${v}`];
  if (typeof v === "boolean") return [`b:${v}`];
  if (typeof v === "string") {
    const n = parseNumber(v);
    return n === null ? [`s:${v.toLowerCase()}`] : [`s:${v.toLowerCase()}`, `n:${n}`];
  }
  return [`e:${v.error}`];
}

/**
 * A COUNTIF-family wildcard pattern (`*` any run, `?` one character, `~` escaping either or itself), matched ignoring
 * case, or null when the pattern has no wildcard. Matching simulates the pattern's automaton with one bit per
 * position (bit-parallel, 32 positions a word), so a text of n characters takes n steps of ⌈m/32⌉ words for a
 * pattern of m characters whatever the pattern: "*a*a*a*a*a*a*a*a*b" over 100 "a" is 100 steps, where the
 * backtracking regular expression it used to compile to took longer than a minute.
 * @example wildcard("科普*")?.("科普宣传") // true
 */
export function wildcard(pattern: string): ((text: string) => boolean) | null {
  // tokens[i]: the code unit position i + 1 must match, or -1 for "?"; star[i]: a "*" may repeat at state i.
  const tokens: number[] = [];
  const stars = new Set<number>();
  let literal = "";
  let wild = false;
  const flush = () => {
    for (const ch of literal.toLowerCase()) for (let k = 0; k < ch.length; k++) tokens.push(ch.charCodeAt(k));
    literal = "";
  };
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === "~" && i + 1 < pattern.length && "*?~".includes(pattern[i + 1])) literal += pattern[++i];
    else if (ch === "*" || ch === "?") {
      flush();
      wild = true;
      if (ch === "*") stars.add(tokens.length);
      else tokens.push(-1);
    } else literal += ch;
  }
  flush();
  if (!wild) return null;
  const k = tokens.length;
  const words = (k >> 5) + 1;
  const star = new Uint32Array(words);
  for (const i of stars) star[i >> 5] |= 1 << (i & 31);
  // Per character: the states it can advance into (bit i + 1 for a token i it matches); "?" advances on anything.
  const any = new Uint32Array(words);
  const masks = new Map<number, Uint32Array>();
  tokens.forEach((t, i) => {
    if (t === -1) any[(i + 1) >> 5] |= 1 << ((i + 1) & 31);
  });
  tokens.forEach((t, i) => {
    if (t === -1) return;
    let m = masks.get(t);
    if (!m) masks.set(t, (m = any.slice()));
    m[(i + 1) >> 5] |= 1 << ((i + 1) & 31);
  });
  const acceptWord = k >> 5;
  const acceptBit = 1 << (k & 31);
  if (words === 1) {
    const starBits = star[0];
    const anyBits = any[0];
    const single = new Map<number, number>([...masks].map(([c, m]) => [c, m[0]]));
    return (text) => {
      const t = text.toLowerCase();
      let d = 1;
      for (let i = 0; i < t.length && d !== 0; i++)
        d = (((d << 1) & (single.get(t.charCodeAt(i)) ?? anyBits)) | (d & starBits)) >>> 0;
      return (d & acceptBit) !== 0;
    };
  }
  return (text) => {
    const t = text.toLowerCase();
    let d = new Uint32Array(words);
    let next = new Uint32Array(words);
    d[0] = 1;
    for (let i = 0; i < t.length; i++) {
      const m = masks.get(t.charCodeAt(i)) ?? any;
      let alive = 0;
      for (let w = 0; w < words; w++) {
        const shifted = (d[w] << 1) | (w > 0 ? d[w - 1] >>> 31 : 0);
        next[w] = (shifted & m[w]) | (d[w] & star[w]);
        alive |= next[w];
      }
      [d, next] = [next, d];
      if (alive === 0) return false;
    }
    return (d[acceptWord] & acceptBit) !== 0;
  };
}

/** Whether a three-way comparison result `c` satisfies the operator. */
export function compareOp(op: Op, c: number): boolean {
  switch (op) {
    case "=":
      return c === 0;
    case "<>":
      return c !== 0;
    case "<":
      return c < 0;
    case ">":
      return c > 0;
    case "<=":
      return c <= 0;
    case ">=":
      return c >= 0;
  }
}

/**
 * Parses a criterion as COUNTIFS/SUMIFS read it: a number, a boolean, or text with an optional operator prefix
 * ("<>", ">=5", "科普*"). A blank criterion cell counts as 0, as Microsoft documents for COUNTIFS.
 */
export function parseCriterion(raw: Scalar | null, currentYear: number, dateOffset = 0): Criterion {
  if (raw === null) raw = 0;
  if (typeof raw === "number") return { key: `n=${raw}`, eqKey: `n:${raw}`, test: (v) => numEq(v, raw as number) };
  if (typeof raw === "boolean") return { key: `b=${raw}`, eqKey: `b:${raw}`, test: (v) => v === raw };
  if (isErr(raw))
    return { key: `e=${raw.error}`, eqKey: `e:${raw.error}`, test: (v) => isErr(v) && v.error === raw.error };
  const m = /^(<>|<=|>=|=|<|>)?([\s\S]*)$/.exec(raw)!;
  const op = (m[1] ?? "=") as Op;
  const rest = m[2];
  const key = `s${op}${rest.toLowerCase()}`;
  if (rest === "") {
    // "" matches empty cells and empty text (a formula's ""); "=" only empty cells; "<>" every cell that is not empty,
    // a formula's "" included (COUNTIF(r,"") counts what COUNTBLANK does, COUNTIF(r,"<>") what COUNTA does).
    if (raw === "") return { key: "blank", test: (v) => v === null || v === "" };
    if (op === "=") return { key, test: (v) => v === null };
    if (op === "<>") return { key, test: (v) => v !== null };
  }
  // A date criterion ("<=2026-03-31") compares with serials in the workbook's date system.
  const date = (text: string) => {
    const d = parseDateText(text, currentYear);
    return d === null ? null : d - dateOffset;
  };
  const num = parseNumber(rest) ?? date(rest);
  if (num !== null) {
    if (op === "=") return { key, eqKey: `n:${num}`, test: (v) => numEq(v, num) };
    if (op === "<>") return { key, test: (v) => !numEq(v, num) };
    return { key, test: (v) => typeof v === "number" && compareOp(op, v - num) };
  }
  const upper = rest.toUpperCase();
  if (upper === "TRUE" || upper === "FALSE") {
    const b = upper === "TRUE";
    if (op === "=") return { key, eqKey: `b:${b}`, test: (v) => v === b };
    if (op === "<>") return { key, test: (v) => v !== b };
  }
  const re = op === "=" || op === "<>" ? wildcard(rest) : null;
  const lower = rest.toLowerCase();
  if (op === "=") {
    if (re) return { key, test: (v) => typeof v === "string" && re(v) };
    return { key, eqKey: `s:${lower}`, test: (v) => typeof v === "string" && v.toLowerCase() === lower };
  }
  if (op === "<>") {
    if (re) return { key, test: (v) => !(typeof v === "string" && re(v)) };
    return { key, test: (v) => !(typeof v === "string" && v.toLowerCase() === lower) };
  }
  return {
    key,
    test: (v) => typeof v === "string" && compareOp(op, v.toLowerCase() < lower ? -1 : v.toLowerCase() > lower ? 1 : 0),
  };
}

function numEq(v: Scalar | null, n: number): boolean {
  if (typeof v === "number") return v === n;
  if (typeof v === "string") return parseNumber(v) === n;
  return false;
}
