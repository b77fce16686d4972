import type { FormulaChange } from "../core/formulas";
import type { GroupStats, SummaryModel, UnitStats } from "../core/summary";
import { FIELDS, type Field, type Finding, type Lang, type Period, type PeriodSource } from "../core/types";
import type { ItemsSheetResult, PlanPreview } from "../excel/operations";
import type { HostStats } from "../offline";

/** A finding as the JSON report gives it: the message in the report's language. */
export type FindingJson = {
  cell: string;
  field: Field;
  severity: Finding["severity"];
  code: Finding["code"];
  value: string;
  message: string;
};

type GroupJson = { activities: number; completed: number; overdue: number; due: number; rate: number | null };

export type SummaryJson = {
  asOf: string;
  /** False when the plan records no progress: nothing is then done or overdue. */
  tracked: boolean;
  activities: number;
  completed: number;
  overdue: number;
  due: number;
  rate: number | null;
  pace: number;
  byMonth: ({ month: string | null } & GroupJson)[];
  byOwner: ({ owner: string } & GroupJson)[];
  byCategory: ({ category: string } & GroupJson)[];
  /** actual, variance and rate are null when no actual is recorded for the unit. */
  byUnit: UnitStats[];
};

export type StatsJson = { syncs: number; maxRequestBytes: number; maxResponseBytes: number; ms: number };

/** The JSON report of summarize, check and consolidate (issue 7); fields that do not apply are left out. */
export type Report = {
  file: string;
  out?: string;
  sources?: SourceJson[];
  sheet: string;
  table: string | null;
  period: Period;
  /** Where the period came from (sheetName, title, fileName, dataMonths, stored, override, default) and the text. */
  periodSource?: PeriodSource;
  periodEvidence?: string;
  rows: number;
  columns: Partial<Record<Field, string>>;
  findings: FindingJson[];
  /** The user's formulas whose value structuring changes (or would: check): cell, formula, before, after. */
  changedFormulas?: ChangedFormulaJson[];
  summary?: SummaryJson;
  summarySheet?: string;
  /** This run structured the sheet and kept a hidden copy of it as it was, for `restore` (false with --no-original). */
  originalKept?: boolean;
  /**
   * The plan is a wide sheet (months or quarters as columns): the items sheet built from it, its item count, and how
   * many items this run added or removed since the last build (an amount typed into an empty period cell adds one).
   */
  items?: ItemsSheetResult;
  /** The plan sheets of the summarised workbook, in tab order; more than one means the others were not counted. */
  planSheets?: string[];
  stats: StatsJson;
  notCarried: string[];
};

export type SourceJson = {
  file: string;
  sheet: string;
  /** What the 来源 / Source column says for the rows of this sheet (sourceLabel). */
  label: string;
  /** summarize --all-sheets: the sheet's own table, which the summary's formulas read. */
  table?: string;
  period: Period;
  rows: number;
  findings: FindingJson[];
  notCarried: string[];
  /** summarize --all-sheets: this run kept the sheet as it was before, for restore (false with --no-original). */
  originalKept?: boolean;
};

export type ChangedFormulaJson = {
  cell: string;
  formula: string;
  before: string | number | boolean | null;
  /** null when the value after cannot be worked out without Excel (a function Plan Ledger does not evaluate). */
  after: string | number | boolean | null;
};

export function changedJson(c: FormulaChange): ChangedFormulaJson {
  return { cell: c.cell, formula: c.formula, before: c.before, after: c.after };
}

export function findingsJson(findings: readonly Finding[], lang: Lang): FindingJson[] {
  return findings.map((f) => ({
    cell: f.cell,
    field: f.field,
    severity: f.severity,
    code: f.code,
    value: f.value,
    message: f.message[lang],
  }));
}

/** Header text of each mapped field, in field order, from the preview (the sheet as the user left it). */
export function columnsJson(preview: PlanPreview): Partial<Record<Field, string>> {
  const out: Partial<Record<Field, string>> = {};
  for (const f of FIELDS) {
    const col = preview.mapping[f];
    if (col === undefined) continue;
    const header = preview.headers.find((h) => h.col === col);
    if (header) out[f] = header.text;
  }
  return out;
}

function group(g: GroupStats): GroupJson {
  return { activities: g.activities, completed: g.completed, overdue: g.overdue, due: g.due, rate: g.rate };
}

/** The report's summary from a core summary model. */
export function summaryJsonOf(m: SummaryModel): SummaryJson {
  return {
    asOf: m.asOf,
    tracked: m.tracked,
    activities: m.activities,
    completed: m.completed,
    overdue: m.overdue,
    due: m.due,
    rate: m.rate,
    pace: m.pace,
    // "" is the bucket of rows without a month; null says "no month" in JSON without inventing a key.
    byMonth: m.byMonth.map((g) => ({ month: g.key === "" ? null : g.key, ...group(g) })),
    byOwner: m.byOwner.map((g) => ({ owner: g.key, ...group(g) })),
    byCategory: m.byCategory.map((g) => ({ category: g.key, ...group(g) })),
    byUnit: m.byUnit.map((u) => ({ ...u })),
  };
}

/** Host counters since the last reset, plus wall time of the whole command. */
export function statsJson(stats: HostStats, startedAt: number): StatsJson {
  return {
    syncs: stats.syncs,
    maxRequestBytes: stats.maxRequestBytes,
    maxResponseBytes: stats.maxResponseBytes,
    ms: Math.round(performance.now() - startedAt),
  };
}
