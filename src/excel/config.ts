import type { Field, Lang, Period } from "../core/types";

/** workbook.settings key under which Plan Ledger keeps its configuration. */
export const CONFIG_KEY = "planLedger.config";

/** Version of the stored configuration and of the layout the add-in writes. */
export const FORMAT_VERSION = 1;

/**
 * What structurePlan stores so that a later summary, check or re-run needs no questions. Columns are kept by their
 * header text (what the user sees), not by position, so inserting a column does not break it.
 */
export type PlanConfig = {
  version: number;
  sheetId: string;
  sheet: string;
  table: string;
  /** Header text of each mapped field in the table. */
  columns: Partial<Record<Field, string>>;
  /** Header texts of the columns the add-in computes. */
  computed: { completion: string; status: string };
  period: Period;
  lang: Lang;
  listsSheet: string;
  /** The summary sheet the add-in made, recognised by id so a user's sheet of the same name is never touched. */
  summarySheetId?: string;
  /** The full overdue list's sheet, when the summary had more overdue items than it lists. */
  overdueSheetId?: string;
  /** Rows the lists sheet used, so a re-run clears exactly what it wrote. */
  listRows?: number;
  /** Headers of columns that had the user's own data validation when first structured: a re-run leaves it too. */
  userValidation?: string[];
  /** Fields whose columns Plan Ledger added (an empty 实际完成 is not progress the user records until it holds some). */
  added?: Field[];
  /**
   * The month column was structured as due dates that keep their day: a re-run reads it so again, whatever share of
   * the dates falls on the 1st once written (absent in configurations written before days were kept: months).
   */
  dueDays?: boolean;
  /** Present when the plan sheet is the items sheet built from a wide sheet (months or quarters as columns). */
  wide?: WideRecord;
};

/** What the configuration keeps of a wide plan: its sheet, and what the items sheet was last built from. */
export type WideRecord = {
  /** The user's wide sheet, by name and id. */
  sheet: string;
  sheetId: string;
  /** The items' keys (task cell and month), space-separated: a rebuild says how many were added or removed. */
  keys: string;
  /** The items sheet's columns, language and period: when these and the keys are unchanged, nothing is rewritten. */
  shape: string;
};

/** A setting's value as an object (settings may hold it as JSON text); undefined when it is neither. */
function settingObject(value: unknown): object | undefined {
  let v: unknown = value;
  if (typeof v === "string") {
    try {
      v = JSON.parse(v);
    } catch {
      // A hand-edited or foreign setting: treat the workbook as not configured rather than fail.
      return undefined;
    }
  }
  return v && typeof v === "object" ? v : undefined;
}

/** Parses a stored configuration; undefined when absent, unreadable or of another version. */
export function parseConfig(value: unknown): PlanConfig | undefined {
  const c = settingObject(value) as Partial<PlanConfig> | undefined;
  if (!c) return undefined;
  if (c.version !== FORMAT_VERSION || typeof c.sheet !== "string" || typeof c.table !== "string") return undefined;
  if (!c.period || typeof c.period.start !== "string" || !c.columns || !c.computed) return undefined;
  return c as PlanConfig;
}

/** workbook.settings key of the "all plan sheets" summary: each plan sheet's own configuration, and the summary's id. */
export const PLANS_KEY = "planLedger.plans";

/**
 * What the all-plan-sheets summary stores: one configuration per plan sheet (the workbook-wide {@link CONFIG_KEY}
 * holds one sheet's at a time, the sheet structured last), and the id of the summary sheet it wrote.
 */
export type PlansConfig = { version: number; plans: PlanConfig[]; summarySheetId?: string };

/** Parses the stored all-plan-sheets configuration; undefined when absent, unreadable or of another version. */
export function parsePlansConfig(value: unknown): PlansConfig | undefined {
  // Unreadable: the sheets are structured again as if for the first time, which a re-run tolerates.
  const c = settingObject(value) as Partial<PlansConfig> | undefined;
  if (!c) return undefined;
  if (c.version !== FORMAT_VERSION || !Array.isArray(c.plans)) return undefined;
  const plans = c.plans.map((p) => parseConfig(p)).filter((p): p is PlanConfig => p !== undefined);
  return { version: FORMAT_VERSION, plans, summarySheetId: c.summarySheetId };
}

/** workbook.settings key of the originals kept for Restore (restore.ts), one per plan sheet. */
export const ORIGINAL_KEY = "planLedger.original";

export type OriginalRecord = {
  version: 1;
  /** The plan sheet, by id (survives a rename) and by its name when copied. */
  sheetId: string;
  sheet: string;
  /** The very hidden sheet holding the copy, at the same cell addresses. */
  backup: string;
  /** The copied block: rows × columns from A1. */
  rows: number;
  cols: number;
  /** Column widths in points from column A; null where the column had the sheet's standard width. */
  widths: (number | null)[];
  /** Frozen rows and columns (0 = none). */
  frozen: { rows: number; columns: number };
  /** Tables the sheet had: any other table on it is Plan Ledger's. */
  tables: string[];
  /** Structuring set the page up for printing (where the user had not): restore puts Excel's defaults back. */
  pageLayoutSet?: boolean;
};

/** Reads the stored originals; malformed entries are ignored (the workbook then has nothing to restore). */
export function parseOriginals(value: unknown): OriginalRecord[] {
  let v: unknown = value;
  if (typeof v === "string") {
    try {
      v = JSON.parse(v);
    } catch {
      return [];
    }
  }
  if (!Array.isArray(v)) return [];
  return v.filter(
    (r): r is OriginalRecord =>
      !!r &&
      typeof r === "object" &&
      (r as OriginalRecord).version === 1 &&
      typeof (r as OriginalRecord).sheetId === "string" &&
      typeof (r as OriginalRecord).backup === "string" &&
      Number.isInteger((r as OriginalRecord).rows) &&
      Number.isInteger((r as OriginalRecord).cols) &&
      Array.isArray((r as OriginalRecord).widths),
  );
}
