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

function wildcard(pattern: string): RegExp | null {
  if (!/[*?]/.test(pattern.replace(/~[*?~]/g, ""))) return null;
  let re = "";
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === "~" && i + 1 < pattern.length && "*?~".includes(pattern[i + 1])) {
      re += "\\" + pattern[++i];
    } else if (ch === "*") re += "[\\s\\S]*";
    else if (ch === "?") re += "[\\s\\S]";
    else re += ch.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${re}$`, "i");
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
export function parseCriterion(raw: Scalar | null, currentYear: number): Criterion {
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
  const num = parseNumber(rest) ?? parseDateText(rest, currentYear);
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
    if (re) return { key, test: (v) => typeof v === "string" && re.test(v) };
    return { key, eqKey: `s:${lower}`, test: (v) => typeof v === "string" && v.toLowerCase() === lower };
  }
  if (op === "<>") {
    if (re) return { key, test: (v) => !(typeof v === "string" && re.test(v)) };
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
