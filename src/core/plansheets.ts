/**
 * Which sheets of a workbook are plans (issue 17 §3): a workbook kept as one sheet per department (办公室 / 学会部 /
 * 科普部) often has the user's own 汇总 sheet too, with a plan-like header but rows that are the departments or totals.
 * That sheet is a roll-up of the plans, not a plan of its own, and is never read as one nor written to.
 */
import { format } from "./i18n";
import { inferPeriod, periodLength } from "./period";
import { FINDING_CATALOGS, isFooterRow, isTotalRow } from "./plan";
import { cleanText } from "./text";
import type { Finding, MonthKey } from "./types";

/** A sheet reference in a formula: `学会部!D5`, `'学 会'!D5`, `[1]Sheet1!A1` (a name or a quoted name before `!`). */
const SHEET_REF = /(?:'(?:[^']|'')+'|[^\s!(),;=+\-*/&^<>"{}]+)!/;

/** True when a formula reads a cell of another sheet (by its own name, a sheet's reference to itself does not count). */
function refersElsewhere(formula: unknown, own: string): boolean {
  if (typeof formula !== "string" || !formula.startsWith("=")) return false;
  // Text in quotes is not a reference ("见!" in a formula's string).
  const code = formula.replace(/"(?:[^"]|"")*"/g, '""');
  const re = new RegExp(SHEET_REF.source, "g");
  for (const m of code.matchAll(re)) {
    const name = m[0].slice(0, -1).replace(/^'|'$/g, "").replace(/''/g, "'");
    if (name.toLowerCase() !== own.toLowerCase()) return true;
  }
  return false;
}

/** The first text cell of a row, cleaned; numbers (序号) are skipped as a person reading the row would. */
function firstText(row: readonly unknown[]): string {
  for (const v of row) {
    if (typeof v === "string" && cleanText(v) !== "") return cleanText(v);
  }
  return "";
}

/**
 * True when a sheet is a roll-up of other sheets rather than a plan: below its header, every row with content either
 * names another sheet of the workbook in its first text cell (each sheet once: a plan whose items are owned by a
 * department called like a sheet repeats that name), holds a formula reading another sheet, is a total (合计, Total)
 * or is the form's footer (注：…), and no row is left over as an item. A sheet with only totals under its header is a
 * roll-up too; a sheet with a header and no rows at all is an empty plan, not a roll-up. Decided by content, never by
 * the sheet's name: a sheet called 汇总 with tasks in it is a plan.
 * @param values the top rows of the sheet as Range.values gives them (grid from A1)
 * @param formulas the same cells as Range.formulas gives them (a formula's text, else the value)
 * @param headerRow 0-based row of the sheet's detected header
 * @example isRollUp([["部门","计划数"],["学会部",5],["科普部",6],["合计",11]], undefined, 1 - 1, "汇总", ["学会部","科普部"]) // true
 */
export function isRollUp(
  values: readonly (readonly unknown[])[],
  formulas: readonly (readonly unknown[])[] | undefined,
  headerRow: number,
  own: string,
  otherSheets: readonly string[],
): boolean {
  const others = new Set(otherSheets.map((s) => cleanText(s).toLowerCase()).filter((s) => s !== own.toLowerCase()));
  const named = new Set<string>();
  let rows = 0;
  for (let r = headerRow + 1; r < values.length; r++) {
    const row = values[r] ?? [];
    if (!row.some((v) => cleanText(v) !== "")) continue;
    rows++;
    if (isTotalRow(row) || isFooterRow(row)) continue;
    if ((formulas?.[r] ?? []).some((f) => refersElsewhere(f, own))) continue;
    const key = firstText(row).toLowerCase();
    if (others.has(key) && !named.has(key)) {
      named.add(key);
      continue;
    }
    // An item of its own: the sheet is a plan.
    return false;
  }
  return rows > 0;
}

/**
 * The warning given when one plan sheet is summarised (or checked) alone while the workbook has others: the items on
 * those sheets are in none of the numbers, which a user who sees 6 of 17 items would not guess.
 * @example otherPlanSheetsFinding("办公室", ["学会部", "科普部"]).message["zh-CN"] // "…学会部、科普部…"
 */
export function otherPlanSheetsFinding(sheet: string, others: readonly string[]): Finding {
  const key = "workbook.otherPlanSheets";
  return {
    cell: "A1",
    field: "activity",
    severity: "warning",
    code: key,
    value: others.join("、"),
    message: {
      "zh-CN": format(FINDING_CATALOGS["zh-CN"], key, { sheet, n: others.length, sheets: others.join("、") }),
      "en-US": format(FINDING_CATALOGS["en-US"], key, { sheet, n: others.length, sheets: others.join(", ") }),
    },
  };
}

/**
 * The year the first of `sheets` (in tab order) names in its tab or title, with that sheet and its words; undefined when
 * none does. A sheet naming one month or one term (2025年3月重点工作安排) names its own span, not a year for the others.
 * Where a plan sheet's own months name no year, the workbook's other plan sheets can.
 * @example namedYear([{ name: "办公室", titles: [] }, { name: "学会部", titles: ["2025年学会部工作计划"] }])?.start // "2025-01"
 */
export function namedYear(
  sheets: readonly { name: string; titles: readonly string[] }[],
  today?: Date,
): { start: MonthKey; sheet: string; evidence: string } | undefined {
  for (const s of sheets) {
    const r = inferPeriod({ sheetName: s.name, titleTexts: [...s.titles], today });
    if ((r.source === "sheetName" || r.source === "title") && periodLength(r.period) === 12) {
      return { start: r.period.start, sheet: s.name, evidence: r.evidence };
    }
  }
  return undefined;
}
