import type { FormulaChange } from "../core/formulas";
import type { SummaryModel } from "../core/summary";
import type { AllSheetsResult } from "./summary-all";
import type { ColumnMapping, Field, Finding, Lang, Period, PeriodSource } from "../core/types";

/**
 * The operations the task pane, the ribbon, the CLI and the workbench call. Implemented once over the Excel JS API
 * (src/excel/*), bound to Excel.run in Office and to the offline host elsewhere. UI components receive this object as a
 * prop and never call Excel themselves.
 */

/** A step of a long operation; the key is a message key in the ui catalog (`step.<key>`). */
export type StepKey =
  | "read"
  | "detect"
  | "unmerge"
  | "normalize"
  | "table"
  | "lists"
  | "validation"
  | "formats"
  | "save"
  | "summary"
  | "charts";

export type ProgressFn = (step: StepKey) => void;

export type PlanPreview = {
  sheet: string;
  /** Visible sheets the user may choose from. */
  sheets: string[];
  /** 1-based sheet row of the header; 0 when none was found. */
  headerRow: number;
  /** Header cells: absolute 0-based column, its letter and text. */
  headers: { col: number; letter: string; text: string }[];
  /** Field → absolute 0-based sheet column. */
  mapping: ColumnMapping;
  confidence: number;
  period: Period;
  periodSource: PeriodSource;
  periodEvidence: string;
  rows: number;
  months: number;
  owners: number;
  findings: number;
  /** The sheet already holds a Plan Ledger table. */
  structured: boolean;
  /** A copy of the sheet as it was is kept for Restore (discardOriginal removes it). */
  originalKept: boolean;
  /** The user's formulas whose value structuring would change (a 合计 that starts adding 1万人次 as 10000). */
  changedFormulas: FormulaChange[];
};

export type PreviewOptions = {
  sheet?: string;
  mapping?: Partial<Record<Field, number | null>>;
  periodStart?: string;
  /** The workbook's file name, a source of the period when the sheet and its title name no year. */
  fileName?: string;
  /**
   * The language to write into the workbook when the caller has chosen it (the CLI's --lang or its own rule); without
   * it, structuring writes in the workbook's own language, whatever the pane shows.
   */
  workbookLang?: Lang;
  /**
   * false: structuring keeps no copy of the sheet for Restore (the command line's --no-original, where the input file
   * is the original). Kept by default.
   */
  keepOriginal?: boolean;
};

export type StructureOptions = PreviewOptions & { lang: Lang; onProgress?: ProgressFn };

export type StructureResult = {
  sheet: string;
  table: string;
  rows: number;
  unmergedAreas: number;
  normalizedCells: number;
  originalsKept: number;
  addedColumns: Field[];
  findings: Finding[];
  /** The user's formulas whose value changed because quantities became numbers, with their values before and after. */
  changedFormulas: FormulaChange[];
  /** This run kept the sheet as it was before (the first write to it): restore can put it back. */
  originalKept?: boolean;
  /** The plan was read from a wide sheet: the items sheet it structured. */
  items?: ItemsSheetResult;
};

/**
 * The items sheet built from a wide sheet (months or quarters as columns): its name, the wide sheet it links to, how
 * many items it holds, and how many this run added or removed since the last build (a planned amount typed into a
 * period cell that was empty is one more item). `rebuilt` is false when nothing had changed and nothing was written.
 */
export type ItemsSheetResult = {
  sheet: string;
  source: string;
  items: number;
  added: number;
  removed: number;
  rebuilt: boolean;
};

/** A cell Structure rewrites: its address, field, and text before and after (as the pane shows them). */
export type ChangeExample = { cell: string; field: Field; before: string; after: string };

/** What Structure would change, from the same planning step it runs; nothing is written. */
export type StructurePreview = {
  sheet: string;
  rows: number;
  /** Months, quantities, units and owner lists rewritten (3月 → 2026年3月, 1万 → 10000), with the first few. */
  normalizedCells: number;
  normalizedExamples: ChangeExample[];
  /** Merged areas undone (their cells filled), with the first few addresses. */
  unmergedAreas: number;
  unmergedExamples: string[];
  /** Columns added at the right of the plan: missing fields and the two computed ones. */
  addedColumns: { field: Field | "completion" | "tracking"; header: string; column: string }[];
  /** Notes that will keep an original wording (原文：…), with the first few. */
  originalsKept: number;
  originalExamples: ChangeExample[];
  /** The user's formulas whose value changes. */
  changedFormulas: FormulaChange[];
  findings: Finding[];
  /** The sheet is already a Plan Ledger plan (a re-run). */
  structured: boolean;
  /**
   * The original for Restore: kept by this run ("now"), kept by an earlier run ("already"), or not available ("none":
   * a sheet structured by an older version, or an Excel below ExcelApi 1.9).
   */
  original: "now" | "already" | "none";
  /** The plan is a wide sheet: the items sheet Structure would build (or rebuild) from it; the wide sheet is not changed. */
  items?: ItemsSheetResult;
};

export type RestoreOptions = {
  /** The plan sheet to put back; by default the plan's, else the active sheet, else the only one kept. */
  sheet?: string;
};

export type RestoreResult = {
  sheet: string;
  /** The block put back from A1. */
  rows: number;
  columns: number;
  /** Sheets, tables and defined names Plan Ledger had added, now removed; the stored configuration too when true. */
  removedSheets: string[];
  removedTables: string[];
  removedNames: number;
  removedSettings: boolean;
};

export type DiscardResult = {
  /** The plan sheet whose kept original was removed. */
  sheet: string;
  /** The very hidden sheet that held it, now deleted. */
  backup: string;
};

export type CheckResult = { sheet: string; rows: number; findings: Finding[] };

export type CheckOptions = {
  sheet?: string;
  periodStart?: string;
  mapping?: Partial<Record<Field, number | null>>;
  fileName?: string;
};

export type SummaryOptions = {
  lang: Lang;
  /** The plan sheet to summarise; by default the structured plan of the workbook (or the active sheet). */
  sheet?: string;
  asOf?: Date;
  onProgress?: ProgressFn;
  /** Structure the plan first with these choices (the CLI's --sheet/--period-start), in the same batch. */
  restructure?: PreviewOptions;
};

export type SummaryResult = {
  sheet: string;
  kpis: { activities: number; completed: number; rate: number | null; overdue: number; pace: number };
  narrative: string;
  charts: number;
  /** Present when the plan was structured first, in the same batch. */
  structured?: StructureResult;
  /** The workbook's plan sheets, in tab order (the summarised one among them when it reads as a plan). */
  planSheets: string[];
  /** A warning naming the workbook's other plan sheets, whose items this summary does not count; absent without any. */
  otherPlanSheets?: Finding;
  /** The core model the summary's formulas reproduce, as of the summary's date. */
  model: SummaryModel;
  /** The plan it summarised, as stored, with the rows and findings read in the same batch. */
  plan: {
    sheet: string;
    table: string;
    period: Period;
    periodSource: PeriodSource;
    periodEvidence: string;
    columns: Partial<Record<Field, string>>;
    rows: number;
    findings: Finding[];
  };
};

export type ImportOptions = { lang: Lang; onProgress?: ProgressFn };

/** A row of a pasted written plan, as the import preview shows and edits it. */
export type ImportRowInput = {
  bucket: string | null;
  activity: string;
  owner: string;
  category: string;
  unit: string;
  target: number | null;
  notes: string;
  /** Wording the parser normalised away (a range such as 2~3场), kept in the notes like structurePlan does. */
  originals?: Partial<Record<Field, string>>;
};

/** Options of the summary over every plan sheet of the workbook. */
export type AllSheetsSummaryOptions = {
  lang: Lang;
  asOf?: Date;
  onProgress?: ProgressFn;
  /** First month of every sheet's period; by default the first plan sheet's own. */
  periodStart?: string;
  /** The language to write into the workbook when the caller has chosen it (see PreviewOptions). */
  workbookLang?: Lang;
  /** The workbook's file name, a source of the period when a sheet and its title name no year. */
  fileName?: string;
  /** false: no sheet keeps a copy for Restore (see PreviewOptions.keepOriginal). */
  keepOriginal?: boolean;
};

/** Names the open ledger already uses, so a pasted plan's `召开理事会 科普部` finds the owner 科普部. */
export type KnownValues = { sheet: string | null; owners: string[]; categories: string[]; units: string[] };

/** A department's returned workbook, as the user picked it: its file name and bytes (read, never written). */
export type ReturnFile = { name: string; bytes: Uint8Array };

export type CollectOptions = { lang: Lang; files: readonly ReturnFile[]; onProgress?: ProgressFn };

/** One plan sheet of a return, as collected. */
export type CollectedSource = {
  file: string;
  sheet: string;
  /** The 来源 / Source label its rows carry (sourceLabel): what identifies the department when it is collected again. */
  label: string;
  rows: number;
  /** Rows with this label that an earlier collection had put in the consolidated plan, now replaced. */
  replaced: number;
  period: Period;
  findings: Finding[];
};

/** A return that could not be read (not a workbook, no plan header …): nothing of it was collected. */
export type CollectFailure = { file: string; code: PlanErrorCode; params: Readonly<Record<string, string | number>> };

export type CollectResult = {
  /** The consolidated plan sheet; "" when no return could be read and nothing was written. */
  sheet: string;
  sources: CollectedSource[];
  failed: CollectFailure[];
  added: number;
  replaced: number;
  /** Items in the consolidated plan after collecting, and its summary sheet. */
  rows: number;
  summarySheet: string;
};

export type TemplateOptions = {
  lang: Lang;
  /** The department the template is for: its name is filled in and is the owner column's only choice. */
  department?: string;
};

export type TemplateResult = { sheet: string; columns: string[]; months: number; units: number; categories: number };

export type PlanOperations = {
  preview(opts: PreviewOptions): Promise<PlanPreview>;
  structure(opts: StructureOptions): Promise<StructureResult>;
  /** What structure(opts) would change; reads only. */
  previewStructure(opts: StructureOptions): Promise<StructurePreview>;
  check(opts: CheckOptions): Promise<CheckResult>;
  summarize(opts: SummaryOptions): Promise<SummaryResult>;
  /** Structures every plan sheet as its own table and writes one summary over them all, each sheet a source. */
  summarizeAll(opts: AllSheetsSummaryOptions): Promise<AllSheetsResult>;
  /** Appends rows parsed from a written plan to the plan table (or a new plan sheet) and structures the plan again. */
  importRows(opts: ImportOptions & { rows: readonly ImportRowInput[] }): Promise<StructureResult>;
  /**
   * The owners, categories and units of the plan that importRows would append to (the stored plan, else the active
   * sheet); empty lists when there is no plan to read. Reads only.
   */
  knownValues(): Promise<KnownValues>;
  /**
   * Reads departments' returned workbooks (any layout the plan reader reads) and puts their items into the office's
   * consolidated plan with a 来源 / Source column, replacing the rows of a source collected before; then structures
   * and summarises it. The files are only read.
   */
  collectReturns(opts: CollectOptions): Promise<CollectResult>;
  /** Adds a submission sheet for departments: the plan's columns, drop-down lists and an instruction line. */
  makeTemplate(opts: TemplateOptions): Promise<TemplateResult>;
  /** Puts a plan sheet back as it was before Plan Ledger first wrote to it, removing what Plan Ledger added. */
  restore(opts: RestoreOptions): Promise<RestoreResult>;
  /** Removes the copy kept for Restore (smaller file, no old cells sent along); Restore is then no longer possible. */
  discardOriginal(opts: RestoreOptions): Promise<DiscardResult>;
  selectCell(sheet: string, address: string): Promise<void>;
  activateSheet(sheet: string): Promise<void>;
  /**
   * Calls `handler` with a sheet's name each time a worksheet becomes the active one (the user clicks its tab, or an
   * operation activates it). Resolves, once listening, to a function that stops listening.
   */
  /** The visible sheets, in tab order, and the active one: for the sheet picker when no plan could be read. */
  listSheets(): Promise<{ sheets: string[]; active: string }>;
  onSheetActivated(handler: (sheet: string) => void): Promise<() => Promise<void>>;
};

/** Error codes an operation reports to the user; each has a message in src/i18n/errors.<lang>.json. */
export type PlanErrorCode =
  | "sheetProtected"
  | "filterActive"
  | "tableOverlap"
  | "emptySheet"
  | "noHeader"
  | "wideLayout"
  | "wideImport"
  | "cellEditMode"
  | "sheetNotFound"
  | "noPlan"
  | "noOriginal"
  | "restoreUnsupported"
  | "lowConfidence"
  | "requestTooLarge"
  | "partial"
  | "returnUnreadable"
  | "unexpected";

/** An error meant for the user: a code, parameters for its message, and what was already done when it failed. */
export class PlanLedgerError extends Error {
  constructor(
    readonly code: PlanErrorCode,
    readonly params: Readonly<Record<string, string | number>> = {},
    readonly done: readonly string[] = [],
  ) {
    super(`${code}: ${JSON.stringify(params)}`);
    this.name = "PlanLedgerError";
  }
}
