/**
 * Conditional formats for the workbench grid: which fill, font colour and data bar each cell shows. The offline host
 * stores rules without rendering them, so the view evaluates the simple ones itself — cell-value comparisons and custom
 * formulas over single cells, defined names and a few functions (AND, OR, NOT, IF, ISNUMBER, ISBLANK, TODAY, DATE,
 * YEAR, MONTH, DAY, EOMONTH, LEN, TRIM, N, ABS). A rule outside that subset is reported as skipped, never guessed.
 */
import { parseAddress } from "../offline";
import { compareScalars } from "../offline/formula/functions";
import { tokenize } from "../offline/formula/lexer";
import { parse, type Node } from "../offline/formula/parser";
import { dateToSerial, isErr, jsDateToSerial, serialToDate } from "../offline/formula/values";
import type { CfFormat, ConditionalFormatModel, Rect, Scalar, SheetModel, WorkbookModel } from "../offline/model";

/** A rule that uses something this evaluator does not implement. */
export class UnsupportedRule extends Error {
  constructor(what: string) {
    super(`Conditional format not evaluated: ${what}`);
    this.name = "UnsupportedRule";
  }
}

type Value = Scalar | null;

/** What conditional formatting gives one cell. */
export type CfResult = {
  fill?: string;
  fontColor?: string;
  fontBold?: boolean;
  bar?: { ratio: number; color: string };
};

type Compiled = (row: number, col: number) => boolean;

const ERROR: Value = { error: "#VALUE!" };

const OPERATORS = new Set(["=", "<>", "<", ">", "<=", ">=", "&", "+", "-", "*", "/", "^"]);
const FUNCTIONS = new Set([
  "AND",
  "OR",
  "NOT",
  "IF",
  "ISNUMBER",
  "ISBLANK",
  "TODAY",
  "LEN",
  "TRIM",
  "N",
  "ABS",
  "DATE",
  "YEAR",
  "MONTH",
  "DAY",
  "EOMONTH",
]);

function num(v: Value): number | null {
  if (v === null) return 0;
  if (typeof v === "number") return v;
  if (typeof v === "boolean") return v ? 1 : 0;
  if (typeof v === "string") {
    const n = Number(v.trim());
    return v.trim() !== "" && Number.isFinite(n) ? n : null;
  }
  return null;
}

function text(v: Value): string {
  if (v === null) return "";
  if (typeof v === "boolean") return v ? "TRUE" : "FALSE";
  if (typeof v === "number") return String(v);
  if (isErr(v)) return v.error;
  return v;
}

function truthy(v: Value): boolean {
  if (typeof v === "boolean") return v;
  if (typeof v === "number") return v !== 0;
  if (v === null) return false;
  if (typeof v === "string") {
    const u = v.toUpperCase();
    if (u === "TRUE") return true;
    if (u === "FALSE") return false;
  }
  return false;
}

/** Evaluates formulas of one rule on one sheet; relative references move with the cell from `anchor`. */
class Evaluator {
  constructor(
    private readonly model: WorkbookModel,
    private readonly sheet: SheetModel,
    private readonly anchor: { row: number; col: number },
    private readonly today: number,
  ) {}

  /** Parses a rule's formula and rejects, up front, anything outside the subset, so drawing never meets it. */
  compile(formula: string): (row: number, col: number) => Value {
    const body = formula.startsWith("=") ? formula.slice(1) : formula;
    const node = parse(tokenize(body));
    this.check(node);
    return (row, col) => this.eval(node, row, col);
  }

  private check(n: Node): void {
    switch (n.k) {
      case "lit":
        return;
      case "ref":
        if (n.b && (n.b.row !== n.a.row || n.b.col !== n.a.col)) throw new UnsupportedRule("a range reference");
        if (n.a.row === undefined || n.a.col === undefined) throw new UnsupportedRule("a whole row or column");
        if (n.sheet !== undefined) this.sheetNamed(n.sheet);
        return;
      case "name":
        this.nameTarget(n.name);
        return;
      case "un":
        return this.check(n.a);
      case "bin":
        if (!OPERATORS.has(n.op)) throw new UnsupportedRule(`operator ${n.op}`);
        this.check(n.a);
        return this.check(n.b);
      case "call":
        if (!FUNCTIONS.has(n.name.toUpperCase())) throw new UnsupportedRule(`function ${n.name}`);
        for (const a of n.args) if (a !== null) this.check(a);
        return;
      case "struct":
        throw new UnsupportedRule("a structured reference");
    }
  }

  /** The single cell a defined name points at; null when the name is not defined (#NAME? at evaluation). */
  private nameTarget(name: string): { sheet: SheetModel; row: number; col: number } | null {
    const key = name.toLowerCase();
    const candidates = this.model.names.filter((x) => x.name.toLowerCase() === key);
    const def = candidates.find((x) => x.scopeSheetId === this.sheet.id) ?? candidates.find((x) => !x.scopeSheetId);
    if (!def) return null;
    const target = parseAddress(def.formula.replace(/^=/, ""));
    if (!target || target.rect.r0 !== target.rect.r1 || target.rect.c0 !== target.rect.c1)
      throw new UnsupportedRule(`name ${name} is not a single cell`);
    const sheet = target.sheet === undefined ? this.sheet : this.sheetNamed(target.sheet);
    return { sheet, row: target.rect.r0, col: target.rect.c0 };
  }

  private cellValue(sheet: SheetModel, row: number, col: number): Value {
    const v = sheet.rows.get(row)?.get(col)?.value;
    return v === undefined || v === "" ? null : v;
  }

  private sheetNamed(name: string): SheetModel {
    const s = this.model.sheets.find((x) => x.name.toLowerCase() === name.toLowerCase());
    if (!s) throw new UnsupportedRule(`unknown sheet ${name}`);
    return s;
  }

  private eval(n: Node, row: number, col: number): Value {
    switch (n.k) {
      case "lit":
        return n.v;
      case "ref": {
        // check() guarantees a single cell with both parts.
        const a = n.a as { row: number; col: number; absRow: boolean; absCol: boolean };
        const r = a.absRow ? a.row : a.row + row - this.anchor.row;
        const c = a.absCol ? a.col : a.col + col - this.anchor.col;
        if (r < 0 || c < 0) return { error: "#REF!" };
        return this.cellValue(n.sheet === undefined ? this.sheet : this.sheetNamed(n.sheet), r, c);
      }
      case "name": {
        const t = this.nameTarget(n.name);
        return t ? this.cellValue(t.sheet, t.row, t.col) : { error: "#NAME?" };
      }
      case "un": {
        const a = num(this.eval(n.a, row, col));
        if (a === null) return ERROR;
        return n.op === "-" ? -a : n.op === "%" ? a / 100 : a;
      }
      case "bin":
        return this.binary(n.op, this.eval(n.a, row, col), this.eval(n.b, row, col));
      case "call":
        return this.call(
          n.name.toUpperCase(),
          n.args.map((a) => (a === null ? null : this.eval(a, row, col))),
        );
      case "struct":
        return { error: "#REF!" }; // rejected by check()
    }
  }

  private binary(op: string, a: Value, b: Value): Value {
    if (isErr(a)) return a;
    if (isErr(b)) return b;
    switch (op) {
      case "=":
        return compareScalars(a, b) === 0;
      case "<>":
        return compareScalars(a, b) !== 0;
      case "<":
        return compareScalars(a, b) < 0;
      case ">":
        return compareScalars(a, b) > 0;
      case "<=":
        return compareScalars(a, b) <= 0;
      case ">=":
        return compareScalars(a, b) >= 0;
      case "&":
        return text(a) + text(b);
    }
    const x = num(a);
    const y = num(b);
    if (x === null || y === null) return ERROR;
    switch (op) {
      case "+":
        return x + y;
      case "-":
        return x - y;
      case "*":
        return x * y;
      case "/":
        return y === 0 ? { error: "#DIV/0!" } : x / y;
      case "^":
        return x ** y;
    }
    return ERROR; // other operators are rejected by check()
  }

  private call(name: string, args: Value[]): Value {
    const firstErr = args.find((a) => isErr(a));
    const n = (i: number): number | null => num(args[i] ?? null);
    switch (name) {
      case "AND":
        return firstErr ?? args.every(truthy);
      case "OR":
        return firstErr ?? args.some(truthy);
      case "NOT":
        return firstErr ?? !truthy(args[0] ?? null);
      case "IF":
        return truthy(args[0] ?? null) ? (args[1] ?? true) : (args[2] ?? false);
      case "ISNUMBER":
        return typeof args[0] === "number";
      case "ISBLANK":
        return args[0] === null;
      case "TODAY":
        return this.today;
      case "LEN":
        return firstErr ?? text(args[0] ?? null).length;
      case "TRIM":
        return (
          firstErr ??
          text(args[0] ?? null)
            .trim()
            .replace(/ +/g, " ")
        );
      case "N":
        return typeof args[0] === "number" ? args[0] : typeof args[0] === "boolean" ? Number(args[0]) : 0;
      case "ABS": {
        const x = n(0);
        return x === null ? ERROR : Math.abs(x);
      }
      case "DATE": {
        const [y, m, d] = [n(0), n(1), n(2)];
        return y === null || m === null || d === null ? ERROR : dateToSerial(y, m, d);
      }
      case "YEAR":
      case "MONTH":
      case "DAY": {
        const x = n(0);
        if (x === null) return ERROR;
        const d = serialToDate(x);
        return name === "YEAR" ? d.year : name === "MONTH" ? d.month : d.day;
      }
      case "EOMONTH": {
        const [s, m] = [n(0), n(1)];
        if (s === null || m === null) return ERROR;
        const d = serialToDate(s);
        return dateToSerial(d.year, d.month + Math.trunc(m) + 1, 0);
      }
    }
    return { error: "#NAME?" }; // other functions are rejected by check()
  }
}

function inRanges(ranges: readonly Rect[], row: number, col: number): boolean {
  return ranges.some((r) => row >= r.r0 && row <= r.r1 && col >= r.c0 && col <= r.c1);
}

const CELL_VALUE_TESTS: Record<string, (cmp: number, cmp2: number) => boolean> = {
  EqualTo: (a) => a === 0,
  NotEqualTo: (a) => a !== 0,
  GreaterThan: (a) => a > 0,
  LessThan: (a) => a < 0,
  GreaterThanOrEqual: (a) => a >= 0,
  LessThanOrEqual: (a) => a <= 0,
  Between: (a, b) => a >= 0 && b <= 0,
  NotBetween: (a, b) => a < 0 || b > 0,
};

/**
 * Prepares the conditional formats of a sheet for drawing. Returns a function giving a cell's formatting and the
 * number of rules skipped because they use something outside the supported subset.
 */
export function conditionalFormatsOf(
  model: WorkbookModel,
  sheet: SheetModel,
  now: Date,
): { at: (row: number, col: number) => CfResult | undefined; skipped: number } {
  const today = jsDateToSerial(now);
  const rules = [...sheet.conditionalFormats].sort((a, b) => a.priority - b.priority);
  const compiled: { rule: ConditionalFormatModel; test: Compiled }[] = [];
  const bars: { rule: ConditionalFormatModel & { type: "dataBar" }; min: number; max: number }[] = [];
  let skipped = 0;
  for (const rule of rules) {
    if (rule.ranges.length === 0) continue;
    const anchor = { row: rule.ranges[0].r0, col: rule.ranges[0].c0 };
    const ev = new Evaluator(model, sheet, anchor, today);
    try {
      if (rule.type === "custom") {
        const f = ev.compile(rule.formula);
        compiled.push({ rule, test: (r, c) => truthy(f(r, c)) });
      } else if (rule.type === "cellValue") {
        const f1 = ev.compile(rule.formula1);
        const f2 = rule.formula2 === undefined ? undefined : ev.compile(rule.formula2);
        const passes = CELL_VALUE_TESTS[rule.operator];
        compiled.push({
          rule,
          test: (r, c) => {
            const v = sheet.rows.get(r)?.get(c)?.value ?? null;
            if (isErr(v)) return false;
            return passes(compareScalars(v, f1(r, c)), f2 ? compareScalars(v, f2(r, c)) : 0);
          },
        });
      } else {
        const values: number[] = [];
        for (const rect of rule.ranges)
          for (let r = rect.r0; r <= rect.r1; r++)
            for (let c = rect.c0; c <= rect.c1; c++) {
              const v = sheet.rows.get(r)?.get(c)?.value;
              if (typeof v === "number") values.push(v);
            }
        const min = rule.min ?? Math.min(0, ...values);
        const max = rule.max ?? Math.max(0, ...values);
        bars.push({ rule, min, max });
      }
    } catch (e) {
      // A rule outside the subset (or one the parser rejects) is counted and shown as skipped; anything else is a bug.
      if (e instanceof UnsupportedRule || (e instanceof Error && e.name === "FormulaSyntaxError")) skipped++;
      else throw e;
    }
  }

  const at = (row: number, col: number): CfResult | undefined => {
    let out: CfResult | undefined;
    const apply = (f: CfFormat) => {
      out ??= {};
      if (f.fill !== undefined && out.fill === undefined) out.fill = f.fill;
      if (f.fontColor !== undefined && out.fontColor === undefined) out.fontColor = f.fontColor;
      if (f.fontBold !== undefined && out.fontBold === undefined) out.fontBold = f.fontBold;
    };
    for (const { rule, test } of compiled) {
      if (!inRanges(rule.ranges, row, col) || rule.type === "dataBar") continue;
      if (test(row, col)) {
        apply(rule.format);
        if (rule.stopIfTrue) break;
      }
    }
    for (const { rule, min, max } of bars) {
      if (!inRanges(rule.ranges, row, col)) continue;
      const v = sheet.rows.get(row)?.get(col)?.value;
      if (typeof v !== "number") continue;
      out ??= {};
      out.bar = { ratio: max > min ? Math.max(0, Math.min(1, (v - min) / (max - min))) : 0, color: rule.color };
    }
    return out;
  };
  return { at, skipped };
}
