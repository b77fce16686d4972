import { lettersToCol, MAX_COLS, MAX_ROWS } from "../grid";

/** One part of an A1 reference, with its $ flags; row or col is absent for whole-column / whole-row references. */
export type RefEnd = { row?: number; col?: number; absRow: boolean; absCol: boolean };

export type Token =
  | { t: "num"; v: number; s: string }
  | { t: "str"; v: string; s: string }
  | { t: "bool"; v: boolean; s: string }
  | { t: "err"; v: string; s: string }
  | { t: "ref"; sheet?: string; a: RefEnd; b?: RefEnd; s: string }
  | { t: "name"; v: string; s: string }
  | { t: "func"; v: string; s: string } // includes the "("
  | { t: "struct"; table: string; body: string; s: string }
  | { t: "op"; v: string; s: string }
  | { t: "("; s: string }
  | { t: ")"; s: string }
  | { t: ","; s: string }
  | { t: "ws"; s: string };

/** Thrown for text that is not a formula Excel would accept. */
export class FormulaSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FormulaSyntaxError";
  }
}

const NAME_START = /[A-Za-z_\\\u00A1-\uFFFF]/;
const NAME_CHAR = /[A-Za-z0-9_.\\\u00A1-\uFFFF]/;
const ERRORS = ["#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A"];
const CELL_PART = /^(\$?)([A-Za-z]{1,3})(\$?)(\d{1,7})/;

function cellEnd(m: RegExpExecArray): RefEnd | null {
  const col = lettersToCol(m[2]);
  const row = Number(m[4]) - 1;
  if (col < 0 || col >= MAX_COLS || row < 0 || row >= MAX_ROWS) return null;
  return { row, col, absCol: m[1] === "$", absRow: m[3] === "$" };
}

/** Reads an A1 area ("A1", "$A$1:B2", "A:C", "1:3") at the start of `s`; null when none is there. */
function readArea(s: string): { a: RefEnd; b?: RefEnd; len: number } | null {
  const c = CELL_PART.exec(s);
  if (c && !NAME_CHAR.test(s[c[0].length] ?? "") && s[c[0].length] !== "(") {
    const a = cellEnd(c);
    if (!a) return null;
    if (s[c[0].length] === ":") {
      const c2 = CELL_PART.exec(s.slice(c[0].length + 1));
      if (c2 && !NAME_CHAR.test(s[c[0].length + 1 + c2[0].length] ?? "")) {
        const b = cellEnd(c2);
        if (b) return { a, b, len: c[0].length + 1 + c2[0].length };
      }
    }
    return { a, len: c[0].length };
  }
  const col = /^(\$?)([A-Za-z]{1,3}):(\$?)([A-Za-z]{1,3})(?![A-Za-z0-9_.(])/.exec(s);
  if (col) {
    const c0 = lettersToCol(col[2]);
    const c1 = lettersToCol(col[4]);
    if (c0 < 0 || c1 < 0 || c0 >= MAX_COLS || c1 >= MAX_COLS) return null;
    return {
      a: { col: c0, absCol: col[1] === "$", absRow: true },
      b: { col: c1, absCol: col[3] === "$", absRow: true },
      len: col[0].length,
    };
  }
  const row = /^(\$?)(\d{1,7}):(\$?)(\d{1,7})(?![\d.A-Za-z])/.exec(s);
  if (row) {
    const r0 = Number(row[2]) - 1;
    const r1 = Number(row[4]) - 1;
    if (r0 < 0 || r1 < 0 || r0 >= MAX_ROWS || r1 >= MAX_ROWS) return null;
    return {
      a: { row: r0, absRow: row[1] === "$", absCol: true },
      b: { row: r1, absRow: row[3] === "$", absCol: true },
      len: row[0].length,
    };
  }
  return null;
}

function readBrackets(src: string, start: number): number {
  // Returns the index just past the bracket group that opens at `start`; "'" escapes the next character.
  let depth = 0;
  for (let i = start; i < src.length; i++) {
    const ch = src[i];
    if (ch === "'") {
      i++;
      continue;
    }
    if (ch === "[") depth++;
    else if (ch === "]") {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  throw new FormulaSyntaxError("Unclosed [ in structured reference");
}

/**
 * Splits formula text (without the leading "=") into tokens. Whitespace is kept as tokens so that text can be rebuilt
 * exactly after references are shifted.
 */
export function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const ch = src[i];
    const rest = src.slice(i);
    if (/\s/.test(ch)) {
      const m = /^\s+/.exec(rest)!;
      out.push({ t: "ws", s: m[0] });
      i += m[0].length;
      continue;
    }
    if (ch === '"') {
      let j = i + 1;
      let v = "";
      for (;;) {
        if (j >= src.length) throw new FormulaSyntaxError("Unclosed string");
        if (src[j] === '"') {
          if (src[j + 1] === '"') {
            v += '"';
            j += 2;
            continue;
          }
          break;
        }
        v += src[j++];
      }
      out.push({ t: "str", v, s: src.slice(i, j + 1) });
      i = j + 1;
      continue;
    }
    if (ch === "#") {
      const e = ERRORS.find((x) => rest.toUpperCase().startsWith(x));
      if (!e) throw new FormulaSyntaxError(`Unknown error literal at ${i}`);
      out.push({ t: "err", v: e, s: rest.slice(0, e.length) });
      i += e.length;
      continue;
    }
    if (ch === "(" || ch === ")" || ch === ",") {
      out.push({ t: ch, s: ch });
      i++;
      continue;
    }
    const op = /^(<>|<=|>=|[-+*/^&=<>%])/.exec(rest);
    if (op) {
      out.push({ t: "op", v: op[0], s: op[0] });
      i += op[0].length;
      continue;
    }
    // Sheet prefix: 'quoted name'! or bare name!
    let sheet: string | undefined;
    let prefixLen = 0;
    if (ch === "'") {
      let j = i + 1;
      let name = "";
      for (;;) {
        if (j >= src.length) throw new FormulaSyntaxError("Unclosed sheet name");
        if (src[j] === "'") {
          if (src[j + 1] === "'") {
            name += "'";
            j += 2;
            continue;
          }
          break;
        }
        name += src[j++];
      }
      if (src[j + 1] !== "!") throw new FormulaSyntaxError("Quoted name without !");
      sheet = name;
      prefixLen = j + 2 - i;
    } else {
      const m = /^([A-Za-z0-9_.\u00A1-\uFFFF]+)!/.exec(rest);
      if (m) {
        sheet = m[1];
        prefixLen = m[0].length;
      }
    }
    if (sheet !== undefined) {
      const area = readArea(src.slice(i + prefixLen));
      if (!area) throw new FormulaSyntaxError(`Expected a reference after ${sheet}!`);
      const len = prefixLen + area.len;
      out.push({ t: "ref", sheet, a: area.a, b: area.b, s: src.slice(i, i + len) });
      i += len;
      continue;
    }
    const area = readArea(rest);
    if (area) {
      out.push({ t: "ref", a: area.a, b: area.b, s: rest.slice(0, area.len) });
      i += area.len;
      continue;
    }
    const num = /^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(rest);
    if (num) {
      out.push({ t: "num", v: Number(num[0]), s: num[0] });
      i += num[0].length;
      continue;
    }
    if (ch === "[") {
      const end = readBrackets(src, i);
      out.push({ t: "struct", table: "", body: src.slice(i, end), s: src.slice(i, end) });
      i = end;
      continue;
    }
    if (NAME_START.test(ch)) {
      let j = i + 1;
      while (j < src.length && NAME_CHAR.test(src[j])) j++;
      const word = src.slice(i, j);
      if (src[j] === "(") {
        out.push({ t: "func", v: word.toUpperCase().replace(/^_XLFN\./, ""), s: src.slice(i, j + 1) });
        i = j + 1;
        continue;
      }
      if (src[j] === "[") {
        const end = readBrackets(src, j);
        out.push({ t: "struct", table: word, body: src.slice(j, end), s: src.slice(i, end) });
        i = end;
        continue;
      }
      const upper = word.toUpperCase();
      if (upper === "TRUE" || upper === "FALSE") out.push({ t: "bool", v: upper === "TRUE", s: word });
      else out.push({ t: "name", v: word, s: word });
      i = j;
      continue;
    }
    throw new FormulaSyntaxError(`Unexpected character ${ch} at ${i}`);
  }
  return out;
}
