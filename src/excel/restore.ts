import {
  CONFIG_KEY,
  FORMAT_VERSION,
  ORIGINAL_KEY,
  parseConfig,
  parseOriginals,
  parsePlansConfig,
  PLANS_KEY,
  type OriginalRecord,
  type PlanConfig,
  type PlansConfig,
  type WideRecord,
} from "./config";
import { absoluteRef } from "./a1";
import { NAMES, planNames } from "./layout";
import { PlanLedgerError, type DiscardResult, type RestoreOptions, type RestoreResult } from "./operations";
import { translateOfficeError } from "./read";
import { isApiSupported } from "./requirements";

/**
 * Restore: Excel's undo (Ctrl+Z) does not undo what an add-in writes, so before the first write to a plan sheet the
 * sheet's cells are copied to a very hidden sheet, and restoreOriginal copies them back and removes what Plan Ledger
 * added.
 *
 * The copy is Range.copyFrom(…, "All") (ExcelApi 1.9), which "replicates Excel's copy and paste behavior"
 * (learn.microsoft.com, "Cut, copy, and paste ranges using the Excel JavaScript API"): values, formulas, number
 * formats, cell formats, merged areas, data validation and conditional formats, in one small request whatever the
 * sheet's size (no 5 MB payload). Column widths and frozen panes are not cells: they are kept in the record below.
 * The copy lives on a sheet with visibility "VeryHidden" (Excel.SheetVisibility, ExcelApi 1.1: the user cannot unhide
 * it from the UI, as VBA's xlSheetVeryHidden), saved in the file (`state="veryHidden"` in workbook.xml), so it
 * survives save, reopen and sharing. The record is a workbook setting (saved in the file with the add-in's part).
 */

/** Columns Structure may add to the right of the user's: unit, actual, category, co-owners, notes, completion, status. */
const ADDED_COLUMNS = 7;
/** Excel's grid (Excel specifications and limits): a frozen-pane range this tall or wide freezes no rows or columns. */
const GRID_ROWS = 1_048_576;
const GRID_COLS = 16_384;

/**
 * What keeping an original needs read first; loaded with the round trip that reads the plan's body. The records kept
 * already come with the sheet's first read (SheetMeta.originals).
 */
export type OriginalFacts = {
  records: readonly OriginalRecord[];
  used: Excel.Range;
  widths: Excel.RangeFormat[];
  frozen: Excel.Range | undefined;
};

/**
 * Queues the reads for keeping an original of `ws` (the used range with formats, the column widths of the columns
 * structuring may touch, the frozen panes): they ride with the caller's next sync. Undefined below ExcelApi 1.9, where
 * copyFrom is missing: no original is kept there.
 */
export function loadOriginalFacts(
  ws: Excel.Worksheet,
  cols: number,
  records: readonly OriginalRecord[],
): OriginalFacts | undefined {
  if (!isApiSupported("1.9")) return undefined;
  // Formats count: a formatted blank cell is part of the sheet the user would want back.
  const used = ws.getUsedRangeOrNullObject(false);
  used.load("rowIndex,columnIndex,rowCount,columnCount");
  const widths: Excel.RangeFormat[] = [];
  for (let c = 0; c < cols + ADDED_COLUMNS; c++) {
    const f = ws.getRangeByIndexes(0, c, 1, 1).format;
    f.load("columnWidth,useStandardWidth");
    widths.push(f);
  }
  // WorksheetFreezePanes.getLocationOrNullObject (ExcelApi 1.7): the frozen cells, or a null object.
  const frozen = ws.freezePanes.getLocationOrNullObject();
  frozen.load("rowCount,columnCount");
  return { records, used, widths, frozen };
}

/**
 * After the reads: queues the copy of the sheet to a new very hidden sheet and its record, unless the sheet already
 * has one (only the first write keeps an original). Call before the first write of the batch: actions run in order,
 * so the copy takes the cells as they were.
 */
export function keepOriginal(
  context: Excel.RequestContext,
  facts: OriginalFacts | undefined,
  sheet: { ws: Excel.Worksheet; id: string; name: string; sheetNames: readonly string[]; tables: readonly string[] },
  extra: { structured: boolean; pageLayoutSet: boolean; minRows: number; minCols: number },
): boolean {
  if (!facts || originalState(facts, sheet.id, extra.structured) !== "now") return false;
  const used = facts.used.isNullObject
    ? { rows: 0, cols: 0 }
    : { rows: facts.used.rowIndex + facts.used.rowCount, cols: facts.used.columnIndex + facts.used.columnCount };
  const rows = Math.max(used.rows, extra.minRows);
  const cols = Math.max(used.cols, extra.minCols);
  const taken = new Set(sheet.sheetNames.map((n) => n.toLowerCase()));
  let backup = "PlanLedger_Original";
  for (let i = 2; taken.has(backup.toLowerCase()); i++) backup = `PlanLedger_Original${i}`;
  const copy = context.workbook.worksheets.add(backup);
  if (rows > 0 && cols > 0 && isApiSupported("1.9")) {
    copy.getRangeByIndexes(0, 0, rows, cols).copyFrom(sheet.ws.getRangeByIndexes(0, 0, rows, cols), "All");
  }
  copy.visibility = "VeryHidden";
  const f = facts.frozen;
  const frozen =
    !f || f.isNullObject
      ? { rows: 0, columns: 0 }
      : { rows: f.rowCount >= GRID_ROWS ? 0 : f.rowCount, columns: f.columnCount >= GRID_COLS ? 0 : f.columnCount };
  const record: OriginalRecord = {
    version: 1,
    sheetId: sheet.id,
    sheet: sheet.name,
    backup,
    rows,
    cols,
    widths: facts.widths.map((w) => (w.useStandardWidth === true ? null : w.columnWidth)),
    frozen,
    tables: [...sheet.tables],
    pageLayoutSet: extra.pageLayoutSet || undefined,
  };
  context.workbook.settings.add(ORIGINAL_KEY, JSON.stringify([...facts.records, record]));
  return true;
}

/**
 * Whether the sheet's original is kept already ("already"), would be kept by the next write ("now": not structured yet
 * and ExcelApi 1.9), or cannot be (a sheet structured before originals were kept, or an older Excel: "none").
 */
export function originalState(
  facts: OriginalFacts | undefined,
  sheetId: string,
  structured: boolean,
): "now" | "already" | "none" {
  if (!facts) return "none";
  if (facts.records.some((r) => r.sheetId === sheetId)) return "already";
  return structured ? "none" : "now";
}

/**
 * Puts a plan sheet back as it was before Plan Ledger first wrote to it, and removes what Plan Ledger added: its table
 * on the sheet, the lists sheet, the summary sheet, the PlanLedger_ names and the stored configuration (those only
 * when the configuration is this sheet's). Edits made to the sheet since are replaced by the original. Three round
 * trips: the records and workbook, the sheet's extent, then every write in one request (a copy, not the cells, is
 * sent: the request stays small for any sheet).
 */
export async function restoreOriginal(context: Excel.RequestContext, opts: RestoreOptions): Promise<RestoreResult> {
  try {
    return await restoreOnce(context, opts);
  } catch (e) {
    throw translateOfficeError(e);
  }
}

async function restoreOnce(context: Excel.RequestContext, opts: RestoreOptions): Promise<RestoreResult> {
  // The copy goes back with Range.copyFrom (ExcelApi 1.9): an older Excel refuses before anything is read or written.
  if (!isApiSupported("1.9")) throw new PlanLedgerError("restoreUnsupported");
  const wb = context.workbook;
  const { stored, configSetting, sheets, active } = queueOriginalReads(wb);
  const plansSetting = wb.settings.getItemOrNullObject(PLANS_KEY);
  plansSetting.load("value");
  const names = wb.names;
  // The formula too: the shared as-of name may point at a summary this restore removes.
  names.load("items/name,items/formula");
  const tables = wb.tables;
  tables.load("items/name,items/worksheet/id");
  await context.sync();

  const records = stored.isNullObject ? [] : parseOriginals(stored.value);
  const config = configSetting.isNullObject ? undefined : parseConfig(configSetting.value);
  const plans = plansSetting.isNullObject ? undefined : parsePlansConfig(plansSetting.value);
  const byName = (n: string) => sheets.items.find((s) => s.name.toLowerCase() === n.toLowerCase());
  const asked = opts.sheet?.toLowerCase();
  const isWideAsked = (c: PlanConfig | undefined): c is PlanConfig & { wide: WideRecord } =>
    c?.wide !== undefined &&
    (asked === undefined || asked === c.wide.sheet.toLowerCase() || asked === c.sheet.toLowerCase());
  // The workbook's configuration, else (another sheet structured since) the one the all-sheets summary kept.
  const wideConfig = isWideAsked(config)
    ? config
    : asked === undefined
      ? undefined
      : plans?.plans.find((p): p is PlanConfig & { wide: WideRecord } => isWideAsked(p));
  if (wideConfig) {
    return removeWideItems(
      context,
      wideConfig,
      { sheets: sheets.items, names: names.items, tables: tables.items },
      { current: config?.sheetId === wideConfig.sheetId, plans },
    );
  }
  const { target: ws, record, backupSheet } = pickOriginal(records, config, sheets.items, active, opts.sheet);
  const used = ws.getUsedRangeOrNullObject(false);
  used.load("rowIndex,columnIndex,rowCount,columnCount");
  ws.protection.load("protected");
  // Widths as they are now: only those structuring changed are set back (setting every column would turn Excel's
  // default width into an explicit one).
  const widthsNow = record.widths.map((_, c) =>
    ws.getRangeByIndexes(0, c, 1, 1).format.load("columnWidth,useStandardWidth"),
  );
  await context.sync();
  if (ws.protection.protected) throw new PlanLedgerError("sheetProtected", { sheet: ws.name });

  const current = config !== undefined && config.sheetId === record.sheetId;
  // What Plan Ledger added for this sheet: by the workbook's configuration, or the one kept in planLedger.plans.
  const own = current ? config : plans?.plans.find((p) => p.sheetId === record.sheetId);
  // Tables on the sheet that it did not have: Plan Ledger's (a user's table added since is kept out of the copy
  // anyway, since the cells go back to the original).
  const addedTables = tables.items.filter((t) => t.worksheet.id === ws.id && !record.tables.includes(t.name));
  for (const t of addedTables) t.delete();
  const rows = Math.max(record.rows, used.isNullObject ? 0 : used.rowIndex + used.rowCount);
  const cols = Math.max(record.cols, used.isNullObject ? 0 : used.columnIndex + used.columnCount);
  if (rows > 0 && cols > 0) {
    const all = ws.getRangeByIndexes(0, 0, rows, cols);
    all.unmerge();
    all.conditionalFormats.clearAll();
    all.dataValidation.clear();
    all.clear("All");
  }
  if (record.rows > 0 && record.cols > 0 && isApiSupported("1.9")) {
    const from = backupSheet.getRangeByIndexes(0, 0, record.rows, record.cols);
    ws.getRangeByIndexes(0, 0, record.rows, record.cols).copyFrom(from, "All");
  }
  record.widths.forEach((w, c) => {
    const now = widthsNow[c];
    // RangeFormat.useStandardWidth (ExcelApi 1.7): setting true gives the column the sheet's standard width back.
    if (w === null && now.useStandardWidth !== true) ws.getRangeByIndexes(0, c, 1, 1).format.useStandardWidth = true;
    else if (w !== null && now.columnWidth !== w) ws.getRangeByIndexes(0, c, 1, 1).format.columnWidth = w;
  });
  const { rows: fr, columns: fc } = record.frozen;
  if (fr > 0 && fc > 0) ws.freezePanes.freezeAt(ws.getRangeByIndexes(0, 0, fr, fc));
  else if (fr > 0) ws.freezePanes.freezeRows(fr);
  else if (fc > 0) ws.freezePanes.freezeColumns(fc);
  else ws.freezePanes.unfreeze();
  if (record.pageLayoutSet && isApiSupported("1.9")) {
    // Excel's defaults for a new sheet (portrait, 100 %, not centred): the page was so before structuring set it up.
    ws.pageLayout.orientation = "Portrait";
    ws.pageLayout.zoom = { scale: 100 };
    ws.pageLayout.centerHorizontally = false;
  }
  ws.activate();

  const removed: string[] = [];
  const removeSheet = (s: Excel.Worksheet | undefined) => {
    if (!s || s.id === ws.id) return;
    // A hidden sheet is made visible first: the UI cannot delete hidden sheets, so the API is not relied on for it.
    if (s.visibility !== "Visible") s.visibility = "Visible";
    s.delete();
    removed.push(s.name);
  };
  let namesRemoved = 0;
  if (own) {
    removeSheet(sheets.items.find((s) => s.id === own.summarySheetId));
    // The full overdue list a long summary writes on its own sheet is Plan Ledger's too.
    if (own.overdueSheetId) removeSheet(sheets.items.find((s) => s.id === own.overdueSheetId));
    removeSheet(byName(own.listsSheet));
    namesRemoved = removePlanNames(names.items, own.table);
    if (current) wb.settings.getItem(CONFIG_KEY).delete();
  }
  const plansCleaned = forgetPlan(wb, plans, record.sheetId, (id) =>
    removeSheet(sheets.items.find((s) => s.id === id)),
  );
  if (own) keepAsOf(wb, names.items, removed, [...(plans?.plans ?? []), ...(config && !current ? [config] : [])], own);
  dropCopy(wb, records, record, backupSheet);
  await context.sync();
  return {
    sheet: ws.name,
    rows: record.rows,
    columns: record.cols,
    removedSheets: removed,
    removedTables: addedTables.map((t) => t.name),
    removedNames: namesRemoved,
    removedSettings: current || plansCleaned,
  };
}

/** Queues what finding a kept original needs: the records, the configuration, the sheets and the active one. */
function queueOriginalReads(wb: Excel.Workbook) {
  const stored = wb.settings.getItemOrNullObject(ORIGINAL_KEY);
  stored.load("value");
  const configSetting = wb.settings.getItemOrNullObject(CONFIG_KEY);
  configSetting.load("value");
  const sheets = wb.worksheets;
  sheets.load("items/name,items/id,items/visibility");
  const active = sheets.getActiveWorksheet();
  active.load("id,name");
  return { stored, configSetting, sheets, active };
}

/** Queues the removal of a kept original: its record (the setting goes with the last) and its very hidden sheet. */
function dropCopy(
  wb: Excel.Workbook,
  records: readonly OriginalRecord[],
  record: OriginalRecord,
  backupSheet: Excel.Worksheet,
): void {
  const left = records.filter((r) => r !== record);
  if (left.length > 0) wb.settings.add(ORIGINAL_KEY, JSON.stringify(left));
  else wb.settings.getItem(ORIGINAL_KEY).delete();
  // Made visible first: the UI cannot delete a hidden sheet, so the API is not relied on for it (rule
  // sheets.very-hidden-delete).
  backupSheet.visibility = "Visible";
  backupSheet.delete();
}

/**
 * Which kept original an operation acts on: the sheet asked for; else the plan's; else the active sheet's; else the
 * only one kept. Throws sheetNotFound for a sheet that does not exist, noOriginal when that sheet has no copy kept.
 */
function pickOriginal(
  records: readonly OriginalRecord[],
  config: PlanConfig | undefined,
  sheets: readonly Excel.Worksheet[],
  active: Excel.Worksheet,
  asked: string | undefined,
): { target: Excel.Worksheet; record: OriginalRecord; backupSheet: Excel.Worksheet } {
  const byName = (n: string) => sheets.find((s) => s.name.toLowerCase() === n.toLowerCase());
  let target: Excel.Worksheet | undefined;
  if (asked !== undefined) {
    target = byName(asked);
    if (!target) throw new PlanLedgerError("sheetNotFound", { sheet: asked });
  } else if (config && records.some((r) => r.sheetId === config.sheetId)) {
    target = sheets.find((s) => s.id === config.sheetId);
  } else if (records.some((r) => r.sheetId === active.id)) {
    target = sheets.find((s) => s.id === active.id);
  } else if (records.length === 1) {
    target = sheets.find((s) => s.id === records[0].sheetId);
  }
  const record = target ? records.find((r) => r.sheetId === target.id) : undefined;
  const backupSheet = record ? byName(record.backup) : undefined;
  if (!target || !record || !backupSheet) {
    throw new PlanLedgerError("noOriginal", { sheet: asked ?? target?.name ?? active.name });
  }
  return { target, record, backupSheet };
}

/**
 * Removes the copy kept for Restore of a plan sheet (its very hidden sheet and its record), leaving everything else as
 * it is. The copy about doubles the file's size, and it carries the sheet's old cells to everyone the file is sent to;
 * once the user is content with the result, or before sending the file, they may drop it. Restore of that sheet is no
 * longer possible afterwards. One round trip to read, one to write.
 */
export async function discardOriginal(context: Excel.RequestContext, opts: RestoreOptions): Promise<DiscardResult> {
  try {
    const { stored, configSetting, sheets, active } = queueOriginalReads(context.workbook);
    await context.sync();
    const records = stored.isNullObject ? [] : parseOriginals(stored.value);
    const config = configSetting.isNullObject ? undefined : parseConfig(configSetting.value);
    const { target, record, backupSheet } = pickOriginal(records, config, sheets.items, active, opts.sheet);
    dropCopy(context.workbook, records, record, backupSheet);
    await context.sync();
    return { sheet: target.name, backup: record.backup };
  } catch (e) {
    throw translateOfficeError(e);
  }
}

/**
 * Restore of a plan read from a wide sheet: the wide sheet was never written to, so nothing is copied back; the items
 * sheet built from it goes, with the summary, overdue and lists sheets, the PlanLedger_* names and the configuration.
 */
async function removeWideItems(
  context: Excel.RequestContext,
  config: PlanConfig & { wide: WideRecord },
  wb: { sheets: Excel.Worksheet[]; names: Excel.NamedItem[]; tables: Excel.Table[] },
  stored: { current: boolean; plans: PlansConfig | undefined },
): Promise<RestoreResult> {
  const wide =
    wb.sheets.find((s) => s.id === config.wide.sheetId) ?? wb.sheets.find((s) => s.name === config.wide.sheet);
  if (!wide) throw new PlanLedgerError("sheetNotFound", { sheet: config.wide.sheet });
  // The wide sheet becomes the active one: after Restore the user looks at the sheet they keep.
  wide.activate();
  const removed: string[] = [];
  const removedTables: string[] = [];
  const items = wb.sheets.find((s) => s.id === config.sheetId);
  for (const t of wb.tables) {
    if (items && t.worksheet.id === items.id) removedTables.push(t.name);
  }
  const ids = [config.sheetId, config.summarySheetId, config.overdueSheetId];
  for (const s of wb.sheets) {
    const lists = s.name.toLowerCase() === config.listsSheet.toLowerCase();
    if (s.id === wide.id || (!ids.includes(s.id) && !lists)) continue;
    // A hidden sheet is made visible first: the UI cannot delete hidden sheets, so the API is not relied on for it.
    if (s.visibility !== "Visible") s.visibility = "Visible";
    s.delete();
    removed.push(s.name);
  }
  const namesRemoved = removePlanNames(wb.names, config.table);
  if (stored.current) context.workbook.settings.getItem(CONFIG_KEY).delete();
  forgetPlan(context.workbook, stored.plans, config.sheetId, (id) => {
    const s = wb.sheets.find((x) => x.id === id);
    if (!s || removed.includes(s.name)) return;
    if (s.visibility !== "Visible") s.visibility = "Visible";
    s.delete();
    removed.push(s.name);
  });
  keepAsOf(context.workbook, wb.names, removed, stored.plans?.plans ?? [], config);
  await context.sync();
  return {
    sheet: wide.name,
    rows: 0,
    columns: 0,
    removedSheets: removed,
    removedTables,
    removedNames: namesRemoved,
    removedSettings: true,
  };
}

/**
 * A restored plan leaves planLedger.plans (the all-sheets summary's record): its entry goes, and the summary over all
 * plan sheets goes too, since its formulas read the table just removed (they would show #REF!). With no plan left the
 * setting goes. Queued, no sync; true when the setting changed.
 */
function forgetPlan(
  wb: Excel.Workbook,
  plans: PlansConfig | undefined,
  sheetId: string,
  removeSheet: (id: string) => void,
): boolean {
  if (!plans) return false;
  const left = plans.plans.filter((p) => p.sheetId !== sheetId);
  if (left.length === plans.plans.length) return false;
  if (plans.summarySheetId) removeSheet(plans.summarySheetId);
  if (left.length === 0) wb.settings.getItem(PLANS_KEY).delete();
  else wb.settings.add(PLANS_KEY, JSON.stringify({ version: FORMAT_VERSION, plans: left }));
  return true;
}

/**
 * When the shared as-of name stays (other plans remain) but the sheet it points at was just removed (the restored
 * plan's summary or lists sheet, or the all-sheets summary), it points at a remaining plan's lists sheet instead, whose
 * as-of cell (=TODAY()) every lists sheet has: otherwise every other plan's statuses would read #REF!. Queued, no sync.
 */
function keepAsOf(
  wb: Excel.Workbook,
  names: readonly Excel.NamedItem[],
  removedSheets: readonly string[],
  plans: readonly PlanConfig[],
  restored: PlanConfig,
): void {
  // removePlanNames deleted the as-of name when no other plan's names were left: nothing to keep then.
  const mine = new Set(Object.values(planNames(restored.table)).map((n) => n.toLowerCase()));
  if (!names.some((n) => n.name.startsWith(NAMES_PREFIX) && !mine.has(n.name.toLowerCase()))) return;
  const asOf = names.find((n) => n.name.toLowerCase() === NAMES.asOf.toLowerCase());
  const target = /^=?(?:'((?:[^']|'')+)'|([^!']+))!/.exec(asOf?.formula ?? "");
  const sheet = target ? (target[1]?.replace(/''/g, "'") ?? target[2]) : undefined;
  if (!asOf || sheet === undefined || !removedSheets.some((r) => r.toLowerCase() === sheet.toLowerCase())) return;
  const other = plans.find((p) => p.sheetId !== restored.sheetId && !removedSheets.includes(p.listsSheet));
  if (!other) return;
  asOf.delete();
  wb.names.add(NAMES.asOf, `=${absoluteRef(other.listsSheet, 1, LISTS_AS_OF_COL, 1, LISTS_AS_OF_COL)}`);
}

/** The column of the lists sheet's as-of cell (H2, structure.ts CALC_COL). */
const LISTS_AS_OF_COL = 7;

/** The prefix of every defined name Plan Ledger adds (layout.ts NAMES). */
const NAMES_PREFIX = NAMES.months.slice(0, NAMES.months.indexOf("_") + 1);

/**
 * Deletes the restored plan's own names (layout.ts planNames of its table); the shared as-of name only when no other
 * plan's names are left, since another plan sheet's status formulas read it. Returns how many were deleted.
 */
function removePlanNames(items: readonly Excel.NamedItem[], table: string): number {
  const own = planNames(table);
  const mine = new Set(Object.values(own).map((n) => n.toLowerCase()));
  mine.delete(NAMES.asOf.toLowerCase());
  const isAsOf = (n: Excel.NamedItem) => n.name.toLowerCase() === NAMES.asOf.toLowerCase();
  const ours = items.filter((n) => n.name.startsWith(NAMES_PREFIX));
  const others = ours.filter((n) => !mine.has(n.name.toLowerCase()) && !isAsOf(n));
  const gone = ours.filter((n) => mine.has(n.name.toLowerCase()) || (others.length === 0 && isAsOf(n)));
  for (const n of gone) n.delete();
  return gone.length;
}
