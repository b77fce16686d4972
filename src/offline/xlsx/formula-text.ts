/**
 * Formula text between the model (leading "=", `Table[@Col]`) and the file (no "=", `Table[[#This Row],[Col]]`, as the
 * file format spells this-row references), and the shifting that shared formulas need on import.
 */

type Segment = { code: boolean; text: string };

// Splits a formula into code and literal parts: "strings", 'quoted sheet names' and [bracketed] structured parts are
// literal, so references are only looked for in code.
function segments(formula: string): Segment[] {
  const out: Segment[] = [];
  let code = "";
  let i = 0;
  const n = formula.length;
  const flush = () => {
    if (code) out.push({ code: true, text: code });
    code = "";
  };
  while (i < n) {
    const ch = formula[i];
    if (ch === '"' || ch === "'") {
      let j = i + 1;
      while (j < n) {
        if (formula[j] === ch) {
          if (formula[j + 1] === ch) j += 2;
          else break;
        } else j++;
      }
      flush();
      out.push({ code: false, text: formula.slice(i, j + 1) });
      i = j + 1;
    } else if (ch === "[") {
      let depth = 0;
      let j = i;
      for (; j < n; j++) {
        const cj = formula[j];
        if (cj === "'" && j + 1 < n)
          j++; // an apostrophe escapes the next character inside brackets
        else if (cj === "[") depth++;
        else if (cj === "]" && --depth === 0) break;
      }
      flush();
      out.push({ code: false, text: formula.slice(i, j + 1) });
      i = j + 1;
    } else {
      code += ch;
      i++;
    }
  }
  flush();
  return out;
}

const REF_RE = /(\$?)([A-Za-z]{1,3})(\$?)(\d+)|(\$?)([A-Za-z]{1,3}):(\$?)([A-Za-z]{1,3})|(\$?)(\d+):(\$?)(\d+)/g;
const WORD = /[A-Za-z0-9_.\\]/;

function letters(c: number): string {
  let s = "";
  let n = c + 1;
  while (n > 0) {
    s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

function colIndex(s: string): number {
  let c = 0;
  for (const ch of s.toUpperCase()) c = c * 26 + (ch.charCodeAt(0) - 64);
  return c - 1;
}

/** A reference found in a formula, with which of its parts are absolute ($). */
type RefPiece =
  | { kind: "cell"; colAbs: boolean; col: number; rowAbs: boolean; row: number }
  | { kind: "cols"; aAbs: boolean; a: number; bAbs: boolean; b: number }
  | { kind: "rows"; aAbs: boolean; a: number; bAbs: boolean; b: number };

/** A formula cut into unchanging text and the references a shift may move; `moves` is false when none can. */
type ShiftTemplate = { pieces: (string | RefPiece)[]; moves: boolean };

function compileShift(formula: string): ShiftTemplate {
  const pieces: (string | RefPiece)[] = [];
  let moves = false;
  for (const seg of segments(formula)) {
    if (!seg.code) {
      pieces.push(seg.text);
      continue;
    }
    const t = seg.text;
    let last = 0;
    for (const m of t.matchAll(REF_RE)) {
      const whole = m[0];
      const offset = m.index;
      const before = offset > 0 ? t[offset - 1] : "";
      const after = t[offset + whole.length] ?? "";
      // Part of a name (Sheet1, LOG10) or a function call: not a reference.
      if ((before && WORD.test(before)) || (after && (WORD.test(after) || after === "("))) continue;
      let ref: RefPiece;
      if (m[2] !== undefined) {
        ref = { kind: "cell", colAbs: !!m[1], col: colIndex(m[2]), rowAbs: !!m[3], row: Number(m[4]) };
        moves ||= !ref.colAbs || !ref.rowAbs;
      } else if (m[6] !== undefined) {
        ref = { kind: "cols", aAbs: !!m[5], a: colIndex(m[6]), bAbs: !!m[7], b: colIndex(m[8] as string) };
        moves ||= !ref.aAbs || !ref.bAbs;
      } else {
        ref = { kind: "rows", aAbs: !!m[9], a: Number(m[10]), bAbs: !!m[11], b: Number(m[12]) };
        moves ||= !ref.aAbs || !ref.bAbs;
      }
      if (offset > last) pieces.push(t.slice(last, offset));
      pieces.push(ref);
      last = offset + whole.length;
    }
    if (last < t.length) pieces.push(t.slice(last));
  }
  return { pieces, moves };
}

function shiftRef(p: RefPiece, dr: number, dc: number): string {
  const $ = (abs: boolean) => (abs ? "$" : "");
  if (p.kind === "cell") {
    const col = p.colAbs ? p.col : p.col + dc;
    const row = p.rowAbs ? p.row : p.row + dr;
    if (col < 0 || row < 1) return "#REF!";
    return `${$(p.colAbs)}${letters(col)}${$(p.rowAbs)}${row}`;
  }
  if (p.kind === "cols") {
    const a = p.aAbs ? p.a : p.a + dc;
    const b = p.bAbs ? p.b : p.b + dc;
    return `${$(p.aAbs)}${letters(a)}:${$(p.bAbs)}${letters(b)}`;
  }
  const a = p.aAbs ? p.a : p.a + dr;
  const b = p.bAbs ? p.b : p.b + dr;
  return `${$(p.aAbs)}${a}:${$(p.bAbs)}${b}`;
}

// Filling or copying a formula down a column shifts the same text once per row; it is cut up once.
const templates = new Map<string, ShiftTemplate>();

/**
 * Moves the relative references of a formula by (dr, dc), as Excel does when a shared formula's master is filled to
 * another cell. Absolute parts ($A$1) stay; strings, sheet names and structured references are untouched.
 * @example shiftFormula("SUM(A1:$B2)*C$3", 1, 1) // "SUM(B2:$B3)*D$3"
 */
export function shiftFormula(formula: string, dr: number, dc: number): string {
  if (dr === 0 && dc === 0) return formula;
  let tpl = templates.get(formula);
  if (tpl === undefined) {
    if (templates.size >= 10_000) templates.clear();
    tpl = compileShift(formula);
    templates.set(formula, tpl);
  }
  if (!tpl.moves) return formula;
  // Joined, not concatenated piece by piece: `+=` leaves a tree of a few hundred string nodes per formula, which a
  // column filled down 50,000 rows keeps in every cell until something flattens it (hundreds of MB).
  const parts = new Array<string>(tpl.pieces.length);
  for (let i = 0; i < tpl.pieces.length; i++) {
    const p = tpl.pieces[i];
    parts[i] = typeof p === "string" ? p : shiftRef(p, dr, dc);
  }
  return parts.join("");
}

/**
 * Whether `text` is `formula` with its relative references moved by (dr, dc), as {@link shiftFormula} would give,
 * without building the moved text: recalculating a column filled down 50,000 rows asks this once per row.
 * @example isMovedFormula("A1*2", 1, 0, "A2*2") // true
 */
export function isMovedFormula(formula: string, dr: number, dc: number, text: string): boolean {
  let tpl = templates.get(formula);
  if (tpl === undefined) {
    if (templates.size >= 10_000) templates.clear();
    tpl = compileShift(formula);
    templates.set(formula, tpl);
  }
  let at = 0;
  for (const p of tpl.pieces) {
    const piece = typeof p === "string" ? p : shiftRef(p, dr, dc);
    if (!text.startsWith(piece, at)) return false;
    at += piece.length;
  }
  return at === text.length;
}

const SIMPLE_COLUMN = /^[\p{L}\p{N}_]+$/u;

/**
 * The model's formula ("=" + Excel's display syntax) to the text stored in `<f>`: no "=", and `T[@C]` spelled
 * `T[[#This Row],[C]]`, the form the file format defines.
 * A reference without a table name gets the name of the table the cell is in.
 * @example toFileFormula("=Plan[@Target]*2") // "Plan[[#This Row],[Target]]*2"
 * @example toFileFormula("=[@Target]*2", "Plan") // "Plan[[#This Row],[Target]]*2"
 */
export function toFileFormula(formula: string, table?: string): string {
  const body = formula.startsWith("=") ? formula.slice(1) : formula;
  if (body.indexOf("[@") < 0) return body;
  const segs = segments(body);
  return segs
    .map((seg, i) => {
      if (seg.code || !seg.text.startsWith("[@")) return seg.text;
      const inner = seg.text.slice(2, -1);
      const column = inner.startsWith("[") && inner.endsWith("]") ? inner.slice(1, -1) : inner;
      const ref = column ? `[[#This Row],[${column}]]` : "[#This Row]";
      // Inside a table Excel accepts `[@C]` without the table's name, but the file format always names the table.
      const prev = i > 0 ? segs[i - 1] : undefined;
      const qualified = prev !== undefined && prev.code && /[\p{L}\p{N}_.]$/u.test(prev.text);
      return !qualified && table ? `${table}${ref}` : ref;
    })
    .join("");
}

/**
 * The text of `<f>` to the model's formula: "=" prepended and this-row references shown as `T[@C]`.
 * @example fromFileFormula("Plan[[#This Row],[Target]]") // "=Plan[@Target]"
 */
export function fromFileFormula(text: string, table?: string): string {
  if (text.indexOf("#This Row") < 0) return "=" + text;
  const segs = segments(text);
  const out = segs.map((seg) => {
    if (seg.code) return seg.text;
    const m = /^\[\[#This Row\],\[(.*)\]\]$/s.exec(seg.text);
    if (m) return SIMPLE_COLUMN.test(m[1]) ? `[@${m[1]}]` : `[@[${m[1]}]]`;
    return seg.text === "[#This Row]" ? "[@]" : seg.text;
  });
  // Inside its own table Excel shows this-row references without the table's name; the file always names it.
  if (table) {
    for (let i = 1; i < segs.length; i++) {
      if (segs[i].code || !out[i].startsWith("[@")) continue;
      const prev = out[i - 1];
      if (prev.endsWith(table) && !/[\p{L}\p{N}_.]$/u.test(prev.slice(0, prev.length - table.length))) {
        out[i - 1] = prev.slice(0, prev.length - table.length);
      }
    }
  }
  return "=" + out.join("");
}
