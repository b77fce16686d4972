/**
 * Plan-sheet discovery (issue 17 §3): which visible sheets of the workbook hold a plan, so that a summary of one of
 * them can say that others exist, and consolidate can take them all. Reads the top rows of every sheet only, in two
 * round trips whatever the number of sheets.
 */
import { detectHeader } from "../core/header";
import { isRollUp, namedYear, otherPlanSheetsFinding } from "../core/plansheets";
import type { Finding } from "../core/types";
import { CONFIG_KEY, parseConfig, parsePlansConfig, PLANS_KEY, type PlanConfig, type PlansConfig } from "./config";
import { toMergedArea } from "./plan-read";
import { loadMergedAreas_1_13, type SheetMeta } from "./read";
import { isApiSupported } from "./requirements";

/** Detection this sure (activity and month columns found, headers matched) structures a sheet without asking. */
export const CONFIDENT = 0.55;

/** Rows read from the top of each sheet: detectHeader scans the first 30, and a roll-up shows itself in fewer. */
const SCAN_ROWS = 40;
/** Columns read from A: as many as readMeta's head block (HEAD_COLS), wider than any plan header seen. */
const SCAN_COLS = 40;

export type PlanSheet = {
  name: string;
  /** The worksheet's id, which stays when the user renames the sheet. */
  id: string;
  /** 1-based sheet row of the detected header. */
  headerRow: number;
  confidence: number;
  /** Months or quarters as columns: its items sheet is what gets structured and summarised, under this sheet's name. */
  wide?: boolean;
  /** The texts above the header (2025年学会部工作计划, 填报单位…): where a sheet names its year. */
  titles: string[];
};

export type PlanSheets = {
  /** The plan sheets, in tab order. */
  plans: PlanSheet[];
  /** Visible sheets with a plan-like header whose rows are other sheets' names, formulas over them or totals. */
  rollUps: string[];
};

/** A sheet as the workbook's sheet list gives it (SheetMeta.sheetsInfo, or a loaded worksheet collection). */
export type SheetRef = { name: string; id: string; visibility: string };

/**
 * Lists the visible sheets that are plans: header detection at least as confident as a one-click Structure needs
 * ({@link CONFIDENT}) or laid out with months or quarters as columns (`wide`), not a roll-up of the others (see
 * isRollUp), and not a sheet Plan Ledger wrote (its summaries, overdue list and the items sheet of a wide plan, known
 * by the ids in the stored configurations; the lists sheet and the kept original are hidden). Two round trips.
 */
export async function findPlanSheets(context: Excel.RequestContext): Promise<PlanSheets> {
  return (await discoverPlanSheets(context)).found;
}

/**
 * {@link findPlanSheets} with the all-sheets configuration it read on the way, for a caller that needs it too: the
 * all-sheets summary. Two round trips.
 */
export async function discoverPlanSheets(
  context: Excel.RequestContext,
): Promise<{ found: PlanSheets; plans: PlansConfig | undefined }> {
  const wb = context.workbook;
  const setting = wb.settings.getItemOrNullObject(CONFIG_KEY);
  setting.load("value");
  const plansSetting = wb.settings.getItemOrNullObject(PLANS_KEY);
  plansSetting.load("value");
  const sheets = wb.worksheets;
  sheets.load("items/name,items/id,items/visibility");
  await context.sync();
  const config = setting.isNullObject ? undefined : parseConfig(setting.value);
  const plans = plansSetting.isNullObject ? undefined : parsePlansConfig(plansSetting.value);
  const result = queuePlanSheets(context, sheets.items, [
    config?.summarySheetId,
    config?.overdueSheetId,
    plans?.summarySheetId,
    ...itemsSheetIds([config, ...(plans?.plans ?? [])]),
  ]);
  await context.sync();
  return { found: result(), plans };
}

/**
 * Queues the reads {@link findPlanSheets} needs (no sync), so an operation can fold them into a round trip of its own;
 * the returned function gives the plan sheets once the context has synced. `ours` are ids of sheets Plan Ledger wrote.
 */
export function queuePlanSheets(
  context: Excel.RequestContext,
  sheets: readonly SheetRef[],
  ours: readonly (string | undefined)[],
): () => PlanSheets {
  const skip = new Set(ours.filter((x) => x !== undefined));
  const names = sheets.map((s) => s.name);
  const reads = sheets
    .filter((s) => s.visibility === "Visible" && !skip.has(s.id))
    .map(({ name, id }) => {
      const ws = context.workbook.worksheets.getItem(id);
      const used = ws.getUsedRangeOrNullObject(true);
      used.load("rowIndex,columnIndex,rowCount,columnCount");
      // From A1, so grid coordinates are sheet coordinates as detectHeader expects; a fixed block lets the used range
      // and the cells come back in the same round trip (a bounded range: unbounded ones read back null).
      const top = ws.getRangeByIndexes(0, 0, SCAN_ROWS, SCAN_COLS);
      // Formulas beside values: a roll-up's rows are formulas over the other sheets (Range.formulas, ExcelApi 1.1).
      top.load("values,formulas");
      const merged = isApiSupported("1.13") ? loadMergedAreas_1_13(top) : undefined;
      return { name, id, used, top, merged };
    });
  return () => {
    const plans: PlanSheet[] = [];
    const rollUps: string[] = [];
    for (const { name, id, used, top, merged } of reads) {
      if (used.isNullObject) continue;
      const rows = Math.min(SCAN_ROWS, used.rowIndex + used.rowCount);
      const cols = Math.min(SCAN_COLS, used.columnIndex + used.columnCount);
      const values = top.values.slice(0, rows).map((r) => r.slice(0, cols));
      const formulas = (top.formulas as unknown[][]).slice(0, rows).map((r) => r.slice(0, cols));
      const d = detectHeader(values, merged ? merged().map(toMergedArea) : []);
      // A wide sheet's header has no month column, so its confidence is not a long plan's: its periods decide.
      if (d.headerRow < 0 || (d.confidence < CONFIDENT && !d.wide)) continue;
      const others = names.filter((n) => n !== name);
      if (isRollUp(values, formulas, d.headerRow, name, others)) {
        rollUps.push(name);
        continue;
      }
      const titles = values
        .slice(0, d.headerRow)
        .flat()
        .filter((v): v is string => typeof v === "string" && v.trim() !== "");
      plans.push({
        name,
        id,
        headerRow: d.headerRow + 1,
        confidence: d.confidence,
        ...(d.wide ? { wide: true } : {}),
        titles,
      });
    }
    return { plans, rollUps };
  };
}

/**
 * The sheets Plan Ledger wrote, by id, as a plan sheet's metadata knows them: its summary and overdue list, the
 * all-sheets summary, and the items sheets built from wide sheets. They are never read as the user's plan sheets.
 */
export function ourSheetIds(meta: Pick<SheetMeta, "config" | "otherConfig" | "plans">): (string | undefined)[] {
  const { config, otherConfig, plans } = meta;
  return [
    config?.summarySheetId,
    config?.overdueSheetId,
    plans?.summarySheetId,
    ...itemsSheetIds([config, otherConfig, ...(plans?.plans ?? [])]),
  ];
}

/** The items sheets Plan Ledger built from wide sheets: structured as plans, but never plan sheets of their own. */
export function itemsSheetIds(configs: readonly (PlanConfig | undefined)[]): string[] {
  return configs.filter((c) => c?.wide !== undefined).map((c) => (c as PlanConfig).sheetId);
}

/** The warning of a summary of `sheet` when the workbook has other plan sheets; undefined when it has none. */
export function otherPlanSheets(sheet: string, found: PlanSheets): Finding | undefined {
  const others = found.plans.map((p) => p.name).filter((n) => n !== sheet);
  return others.length ? otherPlanSheetsFinding(sheet, others) : undefined;
}

/**
 * The year another visible plan sheet of the workbook names in its tab or title (core namedYear), for a sheet whose
 * own months name none; one round trip, asked only then. Plan Ledger's own sheets (ourSheetIds) are not asked.
 */
export async function otherSheetsYear(
  context: Excel.RequestContext,
  meta: Pick<SheetMeta, "name" | "sheetsInfo" | "config" | "otherConfig" | "plans">,
  now: Date,
): Promise<{ start: string; sheet: string; evidence: string } | undefined> {
  const others = meta.sheetsInfo.filter((s) => s.name !== meta.name);
  if (others.length === 0) return undefined;
  const result = queuePlanSheets(context, others, ourSheetIds(meta));
  await context.sync();
  return namedYear(result().plans, now);
}
