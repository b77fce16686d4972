import { format, type Catalogs } from "../core/i18n";
import { columnLetter } from "./a1";
import { DATE_NUMBER_FORMAT, MONTH_NUMBER_FORMAT, monthLabel, statusLabel } from "../core/labels";
import { DONE_WORDS } from "../core/summary";
import { ANNUAL, type Lang, type MonthKey, type RowStatus } from "../core/types";
import zhCN from "../i18n/workbook.zh-CN.json";
import enUS from "../i18n/workbook.en-US.json";

/** Strings the add-in writes into workbooks (sheet names, headers, prompts, summary labels). */
export const WORKBOOK_CATALOGS: Catalogs = { "zh-CN": zhCN, "en-US": enUS };

/** A workbook string in a language. */
export function wbText(lang: Lang, key: string, params: Readonly<Record<string, string | number>> = {}): string {
  return format(WORKBOOK_CATALOGS[lang], key, params);
}

/** Defined names the add-in owns; prefixed so they never meet a user's own names. */
export const NAMES = {
  months: "PlanLedger_Months",
  owners: "PlanLedger_Owners",
  categories: "PlanLedger_Categories",
  units: "PlanLedger_Units",
  statuses: "PlanLedger_Statuses",
  doneWords: "PlanLedger_DoneWords",
  periodStart: "PlanLedger_PeriodStart",
  periodEnd: "PlanLedger_PeriodEnd",
  /** The as-of date every date-dependent formula reads: the summary's 统计截至 cell, or the lists sheet's before one. */
  asOf: "PlanLedger_AsOf",
  /** First day of the as-of month and of the next, computed once on the lists sheet instead of in every row. */
  thisMonth: "PlanLedger_ThisMonth",
  nextMonth: "PlanLedger_NextMonth",
  /**
   * The first day after the "due" window of items with a due date: the later of next month's first day and the as-of
   * date + 8 (core dueUntil), computed once.
   */
  dueUntil: "PlanLedger_DueUntil",
  /** The day after the period's last month. */
  periodAfter: "PlanLedger_PeriodAfter",
  /** TRUE when the plan records progress (a status or actual column of the user's, or ours once something is in it). */
  tracked: "PlanLedger_Tracked",
  /** The status of whole-year items, computed once. */
  annualStatus: "PlanLedger_AnnualStatus",
  /** Labels of total rows (合计, 小计, Total …) that are no items. */
  totalWords: "PlanLedger_TotalWords",
  /**
   * The dates at which a dated item's status can change (period start, this month's first day or the as-of day, next
   * month's first day or the end of the due window, the day after the period), sorted, below the lowest number; and the
   * status from each of them on. Computed once on the lists sheet: a row looks its month up (MATCH) instead of
   * comparing it with four names.
   */
  dateBreaks: "PlanLedger_DateBreaks",
  dateStatuses: "PlanLedger_DateStatuses",
} as const;

/** The names of one plan's own values: every one of {@link NAMES} but the shared as-of date, per table. */
export type PlanNames = { readonly [K in keyof typeof NAMES]: string };

/**
 * The defined names one plan's formulas and drop-downs read. Each plan sheet has its own lists sheet, so each table gets
 * its own names (workbook-scoped, so the summary and lists sheets resolve them as the plan sheet does): the table Plan
 * keeps the bare names, so a one-plan workbook is written as before, and another table's carry its name
 * (PlanLedger_Tracked_Plan2). Table names are valid defined names, so the result is one too. The as-of date stays one
 * workbook name: every summary and status in the workbook is as of one date.
 */
export function planNames(table: string): PlanNames {
  const suffix = table.toLowerCase() === "plan" ? "" : `_${table}`;
  const out = {} as Record<keyof typeof NAMES, string>;
  for (const key of Object.keys(NAMES) as (keyof typeof NAMES)[]) {
    out[key] = key === "asOf" ? NAMES.asOf : `${NAMES[key]}${suffix}`;
  }
  return out;
}

export const STATUSES: readonly RowStatus[] = ["done", "overdue", "due", "upcoming", "unrecorded"];

/** Units offered in the unit list besides those the plan uses (guide §1). */
export const DEFAULT_UNITS: readonly string[] = ["次", "期", "件", "个", "场", "人次", "篇", "项", "家", "万元"];

export const TABLE_STYLE = "TableStyleMedium2";

/**
 * Serial of the first day of a "YYYY-MM" month in the workbook's date system (`dateOffset` 1462 for a 1904 workbook,
 * see SheetMeta): asking for the workbook every time keeps a 1900-system serial from being written into a 1904 file.
 */
export function monthSerial(key: MonthKey, wb: { dateOffset: number }): number {
  const y = Number(key.slice(0, 4));
  const m = Number(key.slice(5, 7));
  return Date.UTC(y, m - 1, 1) / 86400000 + 25569 - wb.dateOffset;
}

/** The text the month column holds for whole-period items, in the plan's language. */
export function annualWord(lang: Lang): string {
  return monthLabel(ANNUAL, lang);
}

export function monthFormat(lang: Lang): string {
  return MONTH_NUMBER_FORMAT[lang];
}

/** The number format of a due date that keeps its day, in the plan's language. */
export function dateFormat(lang: Lang): string {
  return DATE_NUMBER_FORMAT[lang];
}

/**
 * Serial of a "YYYY-MM-DD" date in the workbook's date system (see {@link monthSerial}).
 * @example daySerial("2025-03-05", { dateOffset: 0 }) // 45721
 */
export function daySerial(iso: string, wb: { dateOffset: number }): number {
  const y = Number(iso.slice(0, 4));
  const m = Number(iso.slice(5, 7));
  const d = Number(iso.slice(8, 10));
  return Date.UTC(y, m - 1, d) / 86400000 + 25569 - wb.dateOffset;
}

/** Status words written by the status formula, in the plan's language. */
export function statusWords(lang: Lang): Record<RowStatus, string> {
  return {
    done: statusLabel("done", lang),
    overdue: statusLabel("overdue", lang),
    due: statusLabel("due", lang),
    upcoming: statusLabel("upcoming", lang),
    unrecorded: statusLabel("unrecorded", lang),
  };
}

/** Texts that mean done when a row has no numeric target (MATCH is case-insensitive, like the core's rule). */
export function doneWords(): readonly string[] {
  return DONE_WORDS;
}

/** Escapes a column name for a structured reference: ' [ ] # are escaped with an apostrophe. */
export function colRef(name: string): string {
  return `[${name.replace(/(['[\]#])/g, "'$1")}]`;
}

/**
 * How a per-row formula names the cells of its own row. The per-row formulas use A1 references (G5), not this-row
 * structured references (Plan[@目标]): a formula copied down a column whose text only moves its references is what
 * Excel, LibreOffice and our writer store once as a shared formula (ECMA-376 Part 1 §18.3.1.40), while a this-row
 * reference may not be shared (MS-XLSB 2.5.98.98) and is spelled out in full, Plan[[#This Row],[目标]], in every row.
 * In a table, a formula with cell references still makes a calculated column that fills new rows (Microsoft support,
 * "Use calculated columns in an Excel table"); the references move with inserted columns and sorted rows as cells do.
 */
export type RowRefs = {
  /** The cell of a column in this row. */
  cell(column: string): string;
  /** This row's cells from one column to another. */
  span(first: string, last: string): string;
  /** This row's cells of the given columns as few spans as cover exactly them (adjacent columns share one span). */
  runs(columns: readonly string[]): string[];
};

/**
 * Relative A1 references to row `row` (0-based), the columns found by name in `columns` (name → 0-based column).
 * @example a1Row(new Map([["月份", 0], ["目标", 1]]), 4).cell("目标") // "B5"
 */
export function a1Row(columns: ReadonlyMap<string, number>, row: number): RowRefs {
  const at = (column: string): number => {
    const c = columns.get(column);
    if (c === undefined) throw new Error(`a1Row: no column ${column}`);
    return c;
  };
  const cell = (column: string): string => `${columnLetter(at(column))}${row + 1}`;
  const spanOf = (a: number, b: number): string =>
    a === b ? `${columnLetter(a)}${row + 1}` : `${columnLetter(a)}${row + 1}:${columnLetter(b)}${row + 1}`;
  const runs = (names: readonly string[]): string[] => {
    const cols = [...new Set(names.map(at))].sort((x, y) => x - y);
    const out: string[] = [];
    for (let i = 0; i < cols.length;) {
      let j = i;
      while (j + 1 < cols.length && cols[j + 1] === cols[j] + 1) j++;
      out.push(spanOf(cols[i], cols[j]));
      i = j + 1;
    }
    return out;
  };
  return { cell, span: (first, last) => spanOf(at(first), at(last)), runs };
}

/** A whole-column structured reference: Plan[Target]. */
export function tableCol(table: string, name: string): string {
  return `${table}${colRef(name)}`;
}

/** Quotes a text for use inside a formula string literal. */
export function formulaString(s: string): string {
  return `"${s.replace(/"/g, '""')}"`;
}

export type RowFormulaColumns = {
  month?: string;
  activity?: string;
  target?: string;
  actual?: string;
  statusText?: string;
  /** The month column holds due dates with their days: the status compares them with the as-of day. */
  dueDays?: boolean;
  /** Columns besides the activity whose content makes a row an item (month, owner, category, unit, quantities, status). */
  content: readonly string[];
  /** First and last user columns, for "is the row empty" when the sheet has no activity column. */
  first: string;
  last: string;
};

/** Text made safe for MATCH's exact mode: ~ * ? lose their wildcard meaning (MATCH treats them as wildcards). */
function noWildcards(text: string): string {
  return `SUBSTITUTE(SUBSTITUTE(SUBSTITUTE(${text},"~","~~"),"*","~*"),"?","~?")`;
}

/**
 * The per-row completion formula: actual ÷ target on an item row whose target is a positive number, else blank (never
 * #DIV/0!). An item row is one whose status is not blank: the status formula decides, once.
 */
export function completionFormula(cols: RowFormulaColumns, statusCol: string, ref: RowRefs): string {
  if (!cols.target || !cols.actual) return '=""';
  const t = ref.cell(cols.target);
  const a = ref.cell(cols.actual);
  return `=IF(${ref.cell(statusCol)}="","",IF(AND(ISNUMBER(${t}),ISNUMBER(${a})),IF(${t}>0,${a}/${t},""),""))`;
}

/**
 * The per-row status formula; it reproduces core rowStatus on the rows core isItemRow counts, with the as-of date of
 * the PlanLedger_AsOf cell (month limits and the whole-year status computed once on the lists sheet):
 * - not an item (no activity, nothing in the other plan columns, or a total label such as 合计) → blank. Excel fills a
 *   table's formula into every row of it, section and subtotal rows included, so the formula itself must say "";
 * - done: actual ≥ target > 0, or, without a positive target and an actual, a status text in the done list (matched
 *   exactly: * ? ~ are not wildcards);
 * - by month: before this month → overdue (or not recorded when the plan records no progress), this month → due,
 *   later → upcoming; whole-year items → PlanLedger_AnnualStatus; no month of the period → upcoming.
 * - by due date (`dueDays`): before the as-of day → overdue (so from the day after the due date), before
 *   PlanLedger_DueUntil → due, later → upcoming. Two comparisons with names: no per-row TODAY(), DATE or EOMONTH.
 */
export function statusFormula(cols: RowFormulaColumns, lang: Lang, names: PlanNames, ref: RowRefs): string {
  const w = statusWords(lang);
  const m = cols.month ? ref.cell(cols.month) : undefined;
  const t = cols.target ? ref.cell(cols.target) : undefined;
  const a = cols.actual ? ref.cell(cols.actual) : undefined;
  const textDone = cols.statusText
    ? `ISNUMBER(MATCH(${noWildcards(`TRIM(${ref.cell(cols.statusText)})`)},${names.doneWords},0))`
    : "FALSE";
  // IFERROR(T>0,…): AND evaluates every argument, and a target cell holding an error must not make the status one.
  const done =
    t && a ? `IF(AND(ISNUMBER(${t}),ISNUMBER(${a}),IFERROR(${t}>0,FALSE)),${a}>=${t},${textDone})` : textDone;
  const upcoming = formulaString(w.upcoming);
  // A date's status is looked up among the few dates where it changes (dateStatusFormulas): one MATCH instead of the
  // four comparisons with names it replaces, which took LibreOffice about a tenth of opening a 50,000-row plan.
  const when = m
    ? `IF(ISNUMBER(${m}),INDEX(${names.dateStatuses},MATCH(${m},${names.dateBreaks},1)),` +
      `IF(IFERROR(${m}=${formulaString(annualWord(lang))},FALSE),${names.annualStatus},${upcoming}))`
    : upcoming;
  return `=IF(${notItem(cols, names, ref)},"",IF(${done},${formulaString(w.done)},${when}))`;
}

/**
 * The formula's side of core isItemRow; a cell holding an error counts as content, as it does there.
 * "Nothing in the content columns" counts them with COUNTIF(…,""), which matches blank cells and empty text (a
 * formula's "" or an empty string another program stored) and nothing else, as core's "" / null test. It replaced the
 * length of their concatenation: LibreOffice turned every number and date of the row into text for it, about 0.6 s
 * of its 5.5 s opening a 50,000-row plan (BENCHMARKS.md). The activity's own cell joins the count, so adjacent
 * columns stay one span: the test is read only when the activity is not blank, and then that cell is never "".
 */
function notItem(cols: RowFormulaColumns, names: PlanNames, ref: RowRefs): string {
  const empty = (columns: readonly string[], filled: number): string =>
    `${ref
      .runs(columns)
      .map((s) => `COUNTIF(${s},"")`)
      .join("+")}=${new Set(columns).size - filled}`;
  if (!cols.activity)
    return cols.content.length > 0 ? empty(cols.content, 0) : `COUNTA(${ref.span(cols.first, cols.last)})=0`;
  const act = ref.cell(cols.activity);
  // TRIM of an error is the error: IFERROR makes such an activity content, as core reads it.
  const tests = [`IFERROR(TRIM(${act})="",FALSE)`];
  if (cols.content.length > 0) tests.push(empty([cols.activity, ...cols.content], 1));
  tests.push(`ISNUMBER(MATCH(${noWildcards(`SUBSTITUTE(${act}," ","")`)},${names.totalWords},0))`);
  return `OR(${tests.join(",")})`;
}

/** The lowest number a cell holds in Excel: every date is at or above the first of the date breaks. */
const LOWEST = "-9.99999999999999E+307";

/**
 * The lists sheet's date breaks and the status from each on (PlanLedger_DateBreaks, PlanLedger_DateStatuses), as
 * formulas for five rows. A dated item is upcoming before the period or from the day after it, late before this month
 * (or, with due days, before the as-of day), due before next month (or the end of the due window), upcoming after: its
 * status changes only at those four dates. Sorted (two sorted pairs merged with MIN and MAX), each date's status is
 * the status of every date from it to the next, so a row's MATCH(date, breaks, 1) finds it; equal breaks have equal
 * statuses, so it does not matter which of them MATCH returns. `breakCell(i)` is the cell holding break i.
 */
export function dateStatusFormulas(
  lang: Lang,
  names: PlanNames,
  dueDays: boolean,
  breakCell: (i: number) => string,
): { breaks: string[]; statuses: string[] } {
  const w = statusWords(lang);
  const [late, due] = dueDays ? [names.asOf, names.dueUntil] : [names.thisMonth, names.nextMonth];
  const [start, after] = [names.periodStart, names.periodAfter];
  const breaks = [
    `=${LOWEST}`,
    `=MIN(${start},${late})`,
    `=MIN(MAX(${start},${late}),MIN(${after},${due}))`,
    `=MAX(MAX(${start},${late}),MIN(${after},${due}))`,
    `=MAX(${after},${due})`,
  ];
  const lateWord = `IF(${names.tracked},${formulaString(w.overdue)},${formulaString(w.unrecorded)})`;
  const statuses = breaks.map((_, i) => {
    const b = breakCell(i);
    return (
      `=IF(OR(${b}<${start},${b}>=${after}),${formulaString(w.upcoming)},` +
      `IF(${b}<${late},${lateWord},IF(${b}<${due},${formulaString(w.due)},${formulaString(w.upcoming)})))`
    );
  });
  return { breaks, statuses };
}

/** The whole-year status, computed once on the lists sheet. */
export function annualStatusFormula(lang: Lang, names: PlanNames): string {
  const w = statusWords(lang);
  const late = `IF(${names.tracked},${formulaString(w.overdue)},${formulaString(w.unrecorded)})`;
  return (
    `=IF(${names.periodEnd}<${names.thisMonth},${late},` +
    `IF(${names.periodStart}>${names.thisMonth},${formulaString(w.upcoming)},${formulaString(w.due)}))`
  );
}
