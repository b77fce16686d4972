import { format, type Catalogs } from "../core/i18n";
import { MONTH_NUMBER_FORMAT, monthLabel, statusLabel } from "../core/labels";
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
} as const;

export const STATUSES: readonly RowStatus[] = ["done", "overdue", "due", "upcoming"];

/** Units offered in the unit list besides those the plan uses (guide §1). */
export const DEFAULT_UNITS: readonly string[] = ["次", "期", "件", "个", "场", "人次", "篇", "项", "家", "万元"];

export const TABLE_STYLE = "TableStyleMedium2";

/** Excel 1900-system serial of the first day of a "YYYY-MM" month. */
export function monthSerial(key: MonthKey): number {
  const y = Number(key.slice(0, 4));
  const m = Number(key.slice(5, 7));
  return Date.UTC(y, m - 1, 1) / 86400000 + 25569;
}

/** The text the month column holds for whole-period items, in the plan's language. */
export function annualWord(lang: Lang): string {
  return monthLabel(ANNUAL, lang);
}

export function monthFormat(lang: Lang): string {
  return MONTH_NUMBER_FORMAT[lang];
}

/** Status words written by the status formula, in the plan's language. */
export function statusWords(lang: Lang): Record<RowStatus, string> {
  return {
    done: statusLabel("done", lang),
    overdue: statusLabel("overdue", lang),
    due: statusLabel("due", lang),
    upcoming: statusLabel("upcoming", lang),
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

/** A this-row structured reference: [@Target], [@[My col]]. */
export function thisRow(name: string): string {
  const escaped = colRef(name);
  return /^[A-Za-z_\u4e00-\u9fff][\w\u4e00-\u9fff]*$/.test(name) ? `[@${name}]` : `[@${escaped}]`;
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
  month: string;
  target?: string;
  actual?: string;
  statusText?: string;
  /** First and last user columns, for "is the row empty". */
  first: string;
  last: string;
};

/**
 * The per-row completion formula: actual ÷ target when the target is a positive number, else blank (never #DIV/0!).
 */
export function completionFormula(cols: RowFormulaColumns): string {
  if (!cols.target || !cols.actual) return '=""';
  const t = thisRow(cols.target);
  const a = thisRow(cols.actual);
  return `=IF(AND(ISNUMBER(${t}),ISNUMBER(${a})),IF(${t}>0,${a}/${t},""),"")`;
}

/**
 * The per-row status formula; it reproduces core rowStatus exactly, with TODAY() as the as-of date:
 * done (actual ≥ target > 0, or, without a positive target and an actual, a status text in the done list); otherwise by
 * month: before this month → overdue, this month → due, later → upcoming; annual: overdue after the period, upcoming
 * before it, due while it runs; no month of the period → upcoming. A row with no user value shows blank.
 */
export function statusFormula(cols: RowFormulaColumns, lang: Lang): string {
  const w = statusWords(lang);
  const m = thisRow(cols.month);
  const t = cols.target ? thisRow(cols.target) : undefined;
  const a = cols.actual ? thisRow(cols.actual) : undefined;
  const textDone = cols.statusText
    ? `ISNUMBER(MATCH(TRIM(${thisRow(cols.statusText)}),${NAMES.doneWords},0))`
    : "FALSE";
  const numeric = t && a ? `AND(ISNUMBER(${t}),ISNUMBER(${a}),${t}>0)` : "FALSE";
  const done = t && a ? `IF(${numeric},${a}>=${t},${textDone})` : textDone;
  // The first day of this month and of the next. A month cell before the first is overdue, before the second due:
  // the same as comparing first-of-month dates, with three fewer references to the month cell (shorter files).
  const today = "TODAY()-DAY(TODAY())+1";
  const nextMonth = "EOMONTH(TODAY(),0)+1";
  const inPeriod = `AND(ISNUMBER(${m}),${m}>=${NAMES.periodStart},${m}<=EOMONTH(${NAMES.periodEnd},0))`;
  const byMonth = `IF(${m}<${today},${formulaString(w.overdue)},IF(${m}<${nextMonth},${formulaString(w.due)},${formulaString(w.upcoming)}))`;
  const byAnnual = `IF(${NAMES.periodEnd}<${today},${formulaString(w.overdue)},IF(${NAMES.periodStart}>${today},${formulaString(w.upcoming)},${formulaString(w.due)}))`;
  const empty = `COUNTA(${rowSpan(cols.first, cols.last)})=0`;
  return (
    `=IF(${empty},"",IF(${done},${formulaString(w.done)},` +
    `IF(${inPeriod},${byMonth},IF(${m}=${formulaString(annualWord(lang))},${byAnnual},${formulaString(w.upcoming)}))))`
  );
}

/** This row's cells from one column to another: [@[First]:[Last]]. */
function rowSpan(first: string, last: string): string {
  return first === last ? thisRow(first) : `[@${colRef(first)}:${colRef(last)}]`;
}
