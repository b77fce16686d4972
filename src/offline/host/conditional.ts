import { compareScalars } from "../formula/functions";
import { isErr } from "../formula/values";
import type { CfFormat, ConditionalFormatModel, Rect, Scalar, SheetModel } from "../model";
import type { HostRuntime } from "./runtime";

/** What conditional formatting gives one cell: fill, font and a data bar's length. */
export type CfResult = {
  fill?: string;
  fontColor?: string;
  fontBold?: boolean;
  bar?: { ratio: number; color: string };
};

/** How the conditional formats of one sheet apply, cell by cell, and how many rules could not be evaluated. */
export type SheetConditionalFormats = {
  at: (row: number, col: number) => CfResult | undefined;
  /** Rules whose formula uses a function the engine lacks, or does not parse: never applied, never guessed. */
  skipped: number;
};

/** Excel's truth of a rule's result: TRUE or a non-zero number; text and errors are not true. */
function truthy(v: Scalar | null): boolean {
  if (typeof v === "boolean") return v;
  if (typeof v === "number") return v !== 0;
  return false;
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

function inRanges(ranges: readonly Rect[], row: number, col: number): boolean {
  return ranges.some((r) => row >= r.r0 && row <= r.r1 && col >= r.c0 && col <= r.c1);
}

/**
 * Evaluates the conditional formats of a sheet with the host's formula engine, as Excel applies them: rules by
 * priority, a rule's formulas written for the top-left cell of its first range and read relative to each cell, the
 * first rule to set a property wins, `stopIfTrue` ends the list; data bars scale between the rule's min/max (else 0
 * and the range's extremes). Call after a recalculation: it reads the values of the last one.
 */
export function evaluateConditionalFormats(rt: HostRuntime, sheet: SheetModel): SheetConditionalFormats {
  rt.ensureCalculated();
  const si = rt.model.sheets.indexOf(sheet);
  const rules = [...sheet.conditionalFormats].sort((a, b) => a.priority - b.priority);
  const tests: { rule: ConditionalFormatModel; test: (r: number, c: number) => boolean }[] = [];
  const bars: { rule: ConditionalFormatModel & { type: "dataBar" }; min: number; max: number }[] = [];
  let skipped = 0;
  const valueAt = (r: number, c: number): Scalar | null => sheet.rows.get(r)?.get(c)?.value ?? null;
  for (const rule of rules) {
    if (rule.ranges.length === 0) continue;
    const anchor = { row: rule.ranges[0].r0, col: rule.ranges[0].c0 };
    const known = (formula: string): boolean => rt.engine.evaluateAt(formula, si, anchor, anchor).unknown.length === 0;
    const value = (formula: string, r: number, c: number): Scalar | null =>
      rt.engine.evaluateAt(formula, si, anchor, { row: r, col: c }).value;
    if (rule.type === "custom") {
      if (!known(rule.formula)) skipped++;
      else tests.push({ rule, test: (r, c) => truthy(value(rule.formula, r, c)) });
    } else if (rule.type === "cellValue") {
      const { formula1, formula2 } = rule;
      if (!known(formula1) || (formula2 !== undefined && !known(formula2))) {
        skipped++;
        continue;
      }
      const passes = CELL_VALUE_TESTS[rule.operator];
      tests.push({
        rule,
        test: (r, c) => {
          const v = valueAt(r, c);
          if (isErr(v)) return false;
          const a = value(formula1, r, c);
          const b = formula2 === undefined ? null : value(formula2, r, c);
          if (isErr(a) || isErr(b)) return false;
          return passes(compareScalars(v, a), formula2 === undefined ? 0 : compareScalars(v, b));
        },
      });
    } else {
      const numbers: number[] = [];
      for (const rect of rule.ranges)
        for (let r = rect.r0; r <= rect.r1; r++)
          for (let c = rect.c0; c <= rect.c1; c++) {
            const v = valueAt(r, c);
            if (typeof v === "number") numbers.push(v);
          }
      const min = rule.min ?? Math.min(0, ...numbers);
      const max = rule.max ?? Math.max(0, ...numbers);
      bars.push({ rule, min, max });
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
    for (const { rule, test } of tests) {
      if (!inRanges(rule.ranges, row, col)) continue;
      if (test(row, col) && rule.type !== "dataBar") {
        apply(rule.format);
        if (rule.stopIfTrue) break;
      }
    }
    for (const { rule, min, max } of bars) {
      if (!inRanges(rule.ranges, row, col)) continue;
      const v = valueAt(row, col);
      if (typeof v !== "number") continue;
      out ??= {};
      out.bar = { ratio: max > min ? Math.max(0, Math.min(1, (v - min) / (max - min))) : 0, color: rule.color };
    }
    return out;
  };
  return { at, skipped };
}
