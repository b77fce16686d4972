/**
 * Shared vocabulary of the plan domain. Pure data: no Office, React or I/O.
 * Grid coordinates are 0-based (row, column) inside the grid handed to core functions; callers that read a range at
 * an offset translate with {@link GridOrigin}.
 */

/** A plan field that a sheet column can be mapped to. */
export type Field =
  "month" | "activity" | "owner" | "coOwners" | "category" | "unit" | "target" | "actual" | "status" | "notes";

/** All fields in display order. */
export const FIELDS: readonly Field[] = [
  "month",
  "activity",
  "owner",
  "coOwners",
  "category",
  "unit",
  "target",
  "actual",
  "status",
  "notes",
];

/** A UI language. Every user-visible string exists in both. */
export type Lang = "zh-CN" | "en-US";

/** A cell value as `range.values` returns it: "" for an empty cell. Core functions accept `unknown` and cope. */
export type CellValue = string | number | boolean | null | undefined;

/** A sheet-shaped 2-D array, exactly like `range.values`. */
export type Grid = readonly (readonly CellValue[])[];

/** A merged area, 0-based and inclusive-exclusive like a range: rows [row, row+rowCount). */
export type MergedArea = { row: number; col: number; rowCount: number; colCount: number };

/** Where a grid sits on its sheet (0-based), so core can produce A1 addresses that name the user's cells. */
export type GridOrigin = { row: number; col: number };

/** A year-month key, "YYYY-MM". */
export type MonthKey = string;

/** The bucket for whole-period items (全年, 常规, Ongoing …). Always sorts after the months. */
export const ANNUAL = "annual";

/** A month key or the annual bucket. */
export type Bucket = MonthKey | typeof ANNUAL;

/**
 * The plan period: consecutive months from `start` to `end` ("YYYY-MM"): twelve for a year, fewer for a plan that spans
 * one month or one school term.
 */
export type Period = { start: MonthKey; end: MonthKey };

/**
 * Where an inferred value came from, for the UI to show ("inferred from the title 2025年度工作计划"). `dataMonths`: month
 * cells that name their year; `months`: months without a year, placed in the running year (an assumption, as is
 * `default`); `otherSheet`: the year another plan sheet of the workbook names in its tab or title, where this sheet
 * names none.
 */
export const PERIOD_SOURCES = [
  "override",
  "stored",
  "sheetName",
  "title",
  "fileName",
  "dataMonths",
  "months",
  "otherSheet",
  "default",
] as const;
export type PeriodSource = (typeof PERIOD_SOURCES)[number];

/** Column mapping: field → 0-based grid column. A field is absent when unmapped. */
export type ColumnMapping = Partial<Record<Field, number>>;

/** The result of header detection. */
export type HeaderDetection = {
  /** 0-based grid row of the header; -1 when no header was found. */
  headerRow: number;
  /** Header texts of that row (trimmed), one per grid column. */
  headers: string[];
  mapping: ColumnMapping;
  /** Columns that matched a field but lost to a better column for it (责任人 beside 责任单位). */
  alternatives: { field: Field; col: number; header: string }[];
  /** Non-empty header cells mapped to no field. */
  unmapped: { col: number; header: string }[];
  /** 0..1: how sure the detection is. The UI shows it; operations ask when it is low. */
  confidence: number;
  /** When no header was found: the best rows seen, for an error message that names them. */
  candidates: { row: number; score: number; headers: string[] }[];
  /** Rows the header spans (2 when a group row such as 一季度 stands over 计划 | 完成); 1 for a plain header. */
  span?: number;
  /**
   * A column that names the item's parent (重点任务 beside its 具体举措): filled down like the activity; it is the
   * category when the sheet has none.
   */
  parent?: number;
  /** The unit a column's header names (目标（场次） → 场次), by column. */
  headerUnits?: Record<number, string>;
  /** Columns found but not read, and why: the user's cells there are left exactly as they are. */
  refused?: RefusedColumn[];
  /** Months or quarters laid out as columns (1月 … 12月, 一季度 … 四季度): a layout this version does not read. */
  wide?: { cols: number[]; headers: string[] };
};

/** A column header detection found but will not read, so structuring leaves its cells alone. */
export type RefusedColumn = {
  col: number;
  header: string;
  field: Field;
  /** notMonths: most cells are not months; unitMismatch: its header names another unit than the target's. */
  reason: "notMonths" | "unitMismatch";
  /** Examples of what the column holds (notMonths), or the two units (unitMismatch). */
  detail: string;
};

/** Severity of a finding. Errors make `plan-ledger check` exit 1. */
export type Severity = "error" | "warning" | "info";

/** Finding codes. Each has a message in both catalogs. */
export type FindingCode =
  | "month.unrecognized"
  | "month.outsidePeriod"
  | "month.dayAmbiguous"
  | "activity.missing"
  | "owner.missing"
  | "target.notNumber"
  | "target.negative"
  | "actual.notNumber"
  | "actual.negative"
  | "actual.withoutTarget"
  | "actual.unitMismatch"
  | "target.unitMismatch"
  | "target.qualitative"
  | "column.missing"
  | "column.notMonths"
  | "column.unitMismatch"
  | "layout.wide"
  | "progress.untracked"
  | "formula.mixedUnits"
  | "row.notCounted"
  | "row.countedTotal"
  | "workbook.otherPlanSheets";

/** One problem with one cell. */
export type Finding = {
  /** A1 address on the sheet as the user left it, e.g. "C7". */
  cell: string;
  field: Field;
  severity: Severity;
  code: FindingCode;
  /** The cell's text, for messages ("「下旬」 is not a month"). */
  value: string;
  /** Messages in both languages, from the catalogs. */
  message: Record<Lang, string>;
};

/** A normalised plan row. */
export type PlanRow = {
  /** 0-based grid row it came from. */
  gridRow: number;
  /** Bucket it counts in; null when the month was blank or unrecognised. */
  bucket: Bucket | null;
  /**
   * The due date, "YYYY-MM-DD", when the month column keeps days (a 完成时限 of dates, 3.28, 3月20日前): the status
   * compares it with the as-of date instead of the month. Absent in a column of months.
   */
  due?: string;
  activity: string;
  /** Lead owner (first of several), trimmed; "" when missing. */
  owner: string;
  /**
   * The owner cell's text exactly as the sheet holds it once structured (the user's spelling, padding included): what
   * the summary's formulas compare. "" when missing.
   */
  ownerCell?: string;
  /** Further owners named in the same cell (科普部、办公室 → ["办公室"]). */
  coOwners: string[];
  category: string;
  /**
   * The category and unit cells' texts exactly as the sheet holds them (spaces included), where they are text: what
   * the summary's formulas compare. `category` and `unit` are the same texts cleaned of outer spaces.
   */
  categoryCell?: string;
  unitCell?: string;
  unit: string;
  target: number | null;
  actual: number | null;
  status: string;
  notes: string;
  /** Original wordings kept because normalising lost information, e.g. { month: "3~4月", target: "2~3次" }. */
  originals: Partial<Record<Field, string>>;
};

/**
 * Row status as of a date. `unrecorded`: the item's time has passed but the plan records no progress at all (no status
 * and no actual column), so it cannot be called overdue.
 */
export type RowStatus = "done" | "overdue" | "due" | "upcoming" | "unrecorded";
