import type { Scalar } from "../model";
import { FormulaSyntaxError, type RefEnd, type Token } from "./lexer";

/** Which parts of a table a structured reference names. */
export type StructSpec = "all" | "data" | "headers" | "totals" | "thisRow";

export type Node =
  | { k: "lit"; v: Scalar }
  | { k: "ref"; sheet?: string; a: RefEnd; b?: RefEnd }
  | { k: "name"; name: string }
  | { k: "struct"; table: string; specs: StructSpec[]; col0?: string; col1?: string }
  | { k: "call"; name: string; args: (Node | null)[] }
  | { k: "bin"; op: string; a: Node; b: Node }
  | { k: "un"; op: "-" | "+" | "%"; a: Node };

const COMPARE = new Set(["=", "<>", "<", ">", "<=", ">="]);

/**
 * Deepest nesting of parentheses, function calls and prefix signs a formula may have. Excel allows 64 levels of
 * nested functions (Excel specifications and limits); deeper formulas come only from crafted files, and each level
 * costs stack frames when the formula is parsed, compiled and evaluated.
 */
export const MAX_NESTING = 128;

/**
 * Parses tokens (whitespace ignored) into an expression tree; throws FormulaSyntaxError on malformed input or on
 * nesting deeper than {@link MAX_NESTING}. `depth` (when given) receives the deepest nesting met.
 */
export function parse(tokens: readonly Token[], depth: { max: number } = { max: 0 }): Node {
  const toks = tokens.filter((t) => t.t !== "ws");
  let pos = 0;
  let level = 0;
  const enter = () => {
    if (++level > MAX_NESTING) throw new FormulaSyntaxError(`Nested more than ${MAX_NESTING} levels deep`);
    if (level > depth.max) depth.max = level;
  };
  const peek = (): Token | undefined => toks[pos];
  const isOp = (t: Token | undefined, ...ops: string[]): boolean =>
    t !== undefined && t.t === "op" && ops.includes(t.v);

  function binary(next: () => Node, ops: (v: string) => boolean): Node {
    let left = next();
    for (;;) {
      const t = peek();
      if (!t || t.t !== "op" || !ops(t.v)) return left;
      pos++;
      left = { k: "bin", op: t.v, a: left, b: next() };
    }
  }
  const comparison = (): Node => binary(concat, (v) => COMPARE.has(v));
  const concat = (): Node => binary(additive, (v) => v === "&");
  const additive = (): Node => binary(multiplicative, (v) => v === "+" || v === "-");
  const multiplicative = (): Node => binary(power, (v) => v === "*" || v === "/");
  const power = (): Node => binary(unary, (v) => v === "^");
  function unary(): Node {
    const t = peek();
    if (isOp(t, "-", "+")) {
      pos++;
      enter();
      const node: Node = { k: "un", op: (t as { v: "-" | "+" }).v, a: unary() };
      level--;
      return node;
    }
    let node = primary();
    while (isOp(peek(), "%")) {
      pos++;
      node = { k: "un", op: "%", a: node };
    }
    return node;
  }
  function primary(): Node {
    const t = toks[pos++];
    if (!t) throw new FormulaSyntaxError("Unexpected end of formula");
    switch (t.t) {
      case "num":
        return { k: "lit", v: t.v };
      case "str":
        return { k: "lit", v: t.v };
      case "bool":
        return { k: "lit", v: t.v };
      case "err":
        return { k: "lit", v: { error: t.v } };
      case "ref":
        return t.sheet === undefined ? { k: "ref", a: t.a, b: t.b } : { k: "ref", sheet: t.sheet, a: t.a, b: t.b };
      case "name":
        return { k: "name", name: t.v };
      case "struct":
        return parseStruct(t.table, t.body);
      case "(": {
        enter();
        const inner = comparison();
        if (toks[pos++]?.t !== ")") throw new FormulaSyntaxError("Missing )");
        level--;
        return inner;
      }
      case "func": {
        const args: (Node | null)[] = [];
        if (peek()?.t === ")") {
          pos++;
          return { k: "call", name: t.v, args };
        }
        enter();
        for (;;) {
          const n = peek();
          args.push(n && (n.t === "," || n.t === ")") ? null : comparison());
          const sep = toks[pos++];
          if (!sep) throw new FormulaSyntaxError("Missing ) after arguments");
          if (sep.t === ")") {
            level--;
            return { k: "call", name: t.v, args };
          }
          if (sep.t !== ",") throw new FormulaSyntaxError(`Unexpected ${sep.s} in arguments`);
        }
      }
      default:
        throw new FormulaSyntaxError(`Unexpected ${t.s}`);
    }
  }
  const node = comparison();
  if (pos < toks.length) throw new FormulaSyntaxError(`Unexpected ${toks[pos].s}`);
  return node;
}

const SPECIALS: Record<string, StructSpec> = {
  "#all": "all",
  "#data": "data",
  "#headers": "headers",
  "#totals": "totals",
  "#this row": "thisRow",
};

function unescapeColumn(text: string): string {
  return text.replace(/'(.)/g, "$1").trim();
}

/** Splits "[a],[b]:[c]" at top-level brackets into items, keeping ":" as its own item. */
function splitItems(inner: string): string[] {
  const items: string[] = [];
  let i = 0;
  while (i < inner.length) {
    const ch = inner[i];
    if (ch === "[") {
      let j = i + 1;
      while (j < inner.length && inner[j] !== "]") j += inner[j] === "'" ? 2 : 1;
      items.push(inner.slice(i + 1, j));
      i = j + 1;
    } else if (ch === ":") {
      items.push(":");
      i++;
    } else if (ch === "," || /\s/.test(ch)) i++;
    else throw new FormulaSyntaxError(`Unexpected ${ch} in structured reference`);
  }
  return items;
}

/** Structured reference body "[...]" → node. Supports [Col], [@Col], [@[Col]], [#All], [[#Data],[Col]], [[A]:[B]], []. */
export function parseStruct(table: string, body: string): Node {
  const inner = body.slice(1, -1);
  const specs: StructSpec[] = [];
  const cols: string[] = [];
  let range = false;
  if (inner.startsWith("@")) {
    specs.push("thisRow");
    const rest = inner.slice(1).trim();
    if (rest.startsWith("[")) {
      for (const item of splitItems(rest)) {
        if (item === ":") range = true;
        else cols.push(unescapeColumn(item));
      }
    } else if (rest !== "") cols.push(unescapeColumn(rest));
  } else if (inner.trimStart().startsWith("[")) {
    for (const item of splitItems(inner)) {
      if (item === ":") {
        range = true;
        continue;
      }
      const special = SPECIALS[item.trim().toLowerCase()];
      if (special) specs.push(special);
      else cols.push(unescapeColumn(item));
    }
  } else if (inner.trim() !== "") {
    const special = SPECIALS[inner.trim().toLowerCase()];
    if (special) specs.push(special);
    else cols.push(unescapeColumn(inner));
  }
  if (cols.length > 2 || (cols.length === 2 && !range)) throw new FormulaSyntaxError("Bad structured reference");
  if (specs.length === 0) specs.push("data");
  const node: Node = { k: "struct", table, specs };
  if (cols[0] !== undefined) node.col0 = cols[0];
  if (cols[1] !== undefined) node.col1 = cols[1];
  return node;
}
