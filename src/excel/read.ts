import type { Rect0 } from "./a1";
import { cellBytes, REQUEST_BUDGET, rowsPerBlock } from "./budget";
import {
  CONFIG_KEY,
  ORIGINAL_KEY,
  parseConfig,
  parseOriginals,
  parsePlansConfig,
  PLANS_KEY,
  type OriginalRecord,
  type PlanConfig,
  type PlansConfig,
} from "./config";
import { isApiSupported } from "./requirements";
import { PlanLedgerError } from "./operations";

/** What the first round trip learns about the workbook and the plan sheet. */
export type SheetMeta = {
  sheet: Excel.Worksheet;
  name: string;
  id: string;
  protected: boolean;
  /** True / false when the API can tell (ExcelApi 1.9), undefined otherwise. */
  filtered: boolean | undefined;
  /** The sheet's AutoFilter, when it has one (ExcelApi 1.9): its cells (0-based) and the criteria of each column. */
  filter?: { rect: Rect0; criteria: Excel.FilterCriteria[] };
  /** Rows and columns from A1 to the used range's far corner; 0 when the sheet is empty. */
  rows: number;
  cols: number;
  /** Values from A1 to the far corner, or undefined when they are still to be read in blocks. */
  values: unknown[][] | undefined;
  /** The top-left rows read so far (all values when `values` is known), to find the header and size blocks. */
  head: unknown[][] | undefined;
  /** Merged areas, 0-based; undefined when the API cannot list them (below ExcelApi 1.13). */
  merges: Rect0[] | undefined;
  /**
   * True when the sheet's page setup is Excel's default (portrait, 100 %, no fitting), so setting it up for printing
   * overrides no choice of the user's; undefined below ExcelApi 1.9.
   */
  pageLayoutUntouched?: boolean;
  /** Columns the user froze at the sheet's left (0 when none, or below ExcelApi 1.7), kept when structure freezes rows. */
  frozenColumns: number;
  /** Tables on this sheet. */
  tables: { name: string; table: Excel.Table }[];
  tableNames: string[];
  /** The sheet of each table in `tableNames`, index for index. */
  tableSheets: string[];
  sheetNames: string[];
  /** The sheets the user sees (not the hidden lists sheet nor the very hidden original kept for Restore). */
  visibleSheetNames: string[];
  /** Every sheet's id, name and position, to recognise the add-in's own sheets by id. */
  sheetsInfo: { id: string; name: string; position: number; visibility: string }[];
  names: string[];
  config: PlanConfig | undefined;
  /** The workbook-wide configuration when it is another sheet's (the sheet structured last), and planLedger.plans. */
  otherConfig?: PlanConfig;
  plans?: PlansConfig;
  /**
   * Days between this workbook's date serials and the 1900 date system's: 1462 in a workbook that counts from 1904
   * (old Mac files), else 0. Serials read from the sheet are raised by it before the core reads them, serials written
   * are lowered by it (see {@link toWorkbookSerial}).
   */
  dateOffset: number;
  /** The copies kept for Restore (restore.ts), every sheet's: structuring adds this sheet's to them. */
  originals: OriginalRecord[];
};

/** Serial of 1904-01-01 in the 1900 date system. */
export const DAYS_1900_TO_1904 = 1462;

/** A 1900-system serial (what core and layout compute) as the workbook stores it. */
export function toWorkbookSerial(serial: number, meta: { dateOffset: number }): number {
  return serial - meta.dateOffset;
}

/** Maps Office errors the user can act on to our codes, keeping anything else as it is. */
export function translateOfficeError(e: unknown): unknown {
  const code = (e as { code?: string } | null)?.code;
  if (code === "InvalidOperationInCellEditMode") return new PlanLedgerError("cellEditMode");
  if (code === "RequestPayloadSizeLimitExceeded") return new PlanLedgerError("requestTooLarge");
  return e;
}

function isPayloadLimit(e: unknown): boolean {
  const code = (e as { code?: string } | null)?.code;
  return code === "RequestPayloadSizeLimitExceeded" || code === "ResponsePayloadSizeLimitExceeded";
}

/** Columns of a worksheet (XFD): a frozen range this wide freezes rows only. */
const MAX_SHEET_COLUMNS = 16384;

/** Rows and columns of the top-left block read with the metadata when the values come later in sized blocks. */
export const HEAD_ROWS = 100;
export const HEAD_COLS = 40;

/**
 * Round trip 1: the sheet (named, or the active one), its protection and filter state, merged areas, tables, names,
 * the stored configuration, and values:
 * - "values": all of them in the same round trip (a read-only check then needs no other); when they do not fit one
 *   response (Excel on the web's 5 MB), the same is asked again without them and `values` is left for {@link readBody};
 * - "head": only the top-left block (enough to find the header and to size the blocks of {@link readBody}); operations
 *   that write anyway spend their round trips on reads that cannot fail. A sheet inside the block needs no more.
 */
export async function readMeta(
  context: Excel.RequestContext,
  sheetName: string | undefined,
  read: "values" | "head" = "values",
): Promise<SheetMeta> {
  const fail = (e: unknown) =>
    sheetName && (e as { code?: string } | null)?.code === "ItemNotFound"
      ? new PlanLedgerError("sheetNotFound", { sheet: sheetName })
      : translateOfficeError(e);
  if (read === "values") {
    try {
      return await readMetaOnce(context, sheetName, "values");
    } catch (e) {
      if (!isPayloadLimit(e)) throw fail(e);
    }
  }
  try {
    // After a whole-sheet read too big for one response, the head block still gives the blocks their size.
    return await readMetaOnce(context, sheetName, "head");
  } catch (e) {
    throw fail(e);
  }
}

/**
 * The stored configuration a sheet's operations go by: the workbook's (the sheet structured last), unless it is of
 * another sheet and the all-plan-sheets summary kept one for this sheet, so that structuring or summarising that sheet
 * alone finds its own table again instead of laying a second one over it.
 */
function configFor(id: string, name: string, current: unknown, plans: unknown): PlanConfig | undefined {
  const stored = current === undefined ? undefined : parseConfig(current);
  if (stored?.sheetId === id || plans === undefined) return stored;
  const all = parsePlansConfig(plans)?.plans ?? [];
  const own = all.find((p) => p.sheetId === id);
  // The sheet may have been renamed since: its id is what stays.
  if (own) return { ...own, sheet: name };
  // A wide sheet goes by its items sheet's configuration (findWide builds from it), which names the wide sheet.
  const wide = all.find((p) => p.wide?.sheetId === id);
  return wide?.wide ? { ...wide, wide: { ...wide.wide, sheet: name } } : stored;
}

async function readMetaOnce(
  context: Excel.RequestContext,
  sheetName: string | undefined,
  withValues: "values" | "head",
): Promise<SheetMeta> {
  const wb = context.workbook;
  const settings = wb.settings.getItemOrNullObject(CONFIG_KEY);
  settings.load("value");
  // Each plan sheet's own configuration, once a summary over all plan sheets has structured several.
  const plans = wb.settings.getItemOrNullObject(PLANS_KEY);
  plans.load("value");
  // The copies kept for Restore: structuring keeps this sheet's beside them, the pane offers to remove it.
  const originals = wb.settings.getItemOrNullObject(ORIGINAL_KEY);
  originals.load("value");
  const sheets = wb.worksheets;
  sheets.load("items/name,items/id,items/position,items/visibility");
  const tables = wb.tables;
  tables.load("items/name,items/worksheet/name");
  const names = wb.names;
  names.load("items/name");
  // getItem, not getItemOrNullObject: the sheet's own properties are loaded in the same round trip, and a missing sheet
  // then fails the sync with ItemNotFound, which readMeta reports as sheetNotFound.
  const ws = sheetName ? sheets.getItem(sheetName) : sheets.getActiveWorksheet();
  ws.load("name,id");
  const protection = ws.protection;
  protection.load("protected");
  const used = ws.getUsedRangeOrNullObject(true);
  if (withValues === "values") used.load("rowIndex,columnIndex,rowCount,columnCount,values");
  else used.load("rowIndex,columnIndex,rowCount,columnCount");
  let head: Excel.Range | undefined;
  if (withValues === "head") {
    head = ws.getRangeByIndexes(0, 0, HEAD_ROWS, HEAD_COLS);
    head.load("values");
  }
  const merged = isApiSupported("1.13") ? loadMergedAreas_1_13(ws.getRange()) : undefined;
  let filter: Excel.AutoFilter | undefined;
  let filterParts: { filter: Excel.AutoFilter; area: Excel.Range } | undefined;
  let layout: Excel.PageLayout | undefined;
  if (isApiSupported("1.9")) {
    filter = ws.autoFilter;
    filter.load("enabled,isDataFiltered,criteria");
    filterParts = { filter, area: filter.getRangeOrNullObject() };
    filterParts.area.load("rowIndex,columnIndex,rowCount,columnCount");
    layout = ws.pageLayout;
    layout.load("orientation,zoom");
  }
  const sheetTables = ws.tables;
  sheetTables.load("items/name");
  // The frozen cells of the top-left pane (ExcelApi 1.7): whole columns (A:B) when only columns are frozen.
  const frozen = isApiSupported("1.7") ? ws.freezePanes.getLocationOrNullObject() : undefined;
  frozen?.load("columnCount");
  // The date system is not in the API's typings (VBA has Workbook.Date1904): evaluating DATE(1904,1,1) tells it, 0 in a
  // 1904 workbook and 1462 in a 1900 one, as DATE's year argument is read "depending on the workbook's date system"
  // (Excel.Functions.date, ExcelApi 1.2, @types/office-js). A function error leaves the 1900 system assumed.
  const epoch = wb.functions.date(1904, 1, 1);
  epoch.load("value,error");
  await context.sync();

  const rows = used.isNullObject ? 0 : used.rowIndex + used.rowCount;
  const cols = used.isNullObject ? 0 : used.columnIndex + used.columnCount;
  let values: unknown[][] | undefined;
  let headValues: unknown[][] | undefined;
  if (head) {
    headValues = head.values.slice(0, rows).map((r) => r.slice(0, cols));
    // The whole sheet fits the block: nothing more to read.
    if (rows <= HEAD_ROWS && cols <= HEAD_COLS) values = headValues;
  }
  if (withValues === "values") {
    values = [];
    // Grids are indexed from A1 so that grid coordinates are sheet coordinates.
    const lead = used.isNullObject ? [] : new Array<unknown>(used.columnIndex).fill("");
    for (let r = 0; r < rows; r++) {
      const src = used.isNullObject || r < used.rowIndex ? undefined : used.values[r - used.rowIndex];
      values.push(src ? lead.concat(src) : new Array<unknown>(cols).fill(""));
    }
  }
  return {
    sheet: ws,
    name: ws.name,
    id: ws.id,
    protected: protection.protected,
    filtered: filter ? filter.enabled && filter.isDataFiltered : undefined,
    filter: filterParts ? filterOf(filterParts) : undefined,
    rows,
    cols,
    values,
    head: headValues ?? values,
    merges: merged?.(),
    pageLayoutUntouched: layout ? untouchedLayout(layout) : undefined,
    frozenColumns: !frozen || frozen.isNullObject || frozen.columnCount >= MAX_SHEET_COLUMNS ? 0 : frozen.columnCount,
    tables: sheetTables.items.map((t) => ({ name: t.name, table: t })),
    tableNames: tables.items.map((t) => t.name),
    tableSheets: tables.items.map((t) => t.worksheet.name),
    sheetNames: sheets.items.map((s) => s.name),
    visibleSheetNames: sheets.items.filter((s) => s.visibility === "Visible").map((s) => s.name),
    sheetsInfo: sheets.items.map((s) => ({ id: s.id, name: s.name, position: s.position, visibility: s.visibility })),
    names: names.items.map((n) => n.name),
    config: configFor(
      ws.id,
      ws.name,
      settings.isNullObject ? undefined : settings.value,
      plans.isNullObject ? undefined : plans.value,
    ),
    ...otherStored(
      ws.id,
      settings.isNullObject ? undefined : settings.value,
      plans.isNullObject ? undefined : plans.value,
    ),
    dateOffset: !epoch.error && epoch.value === 0 ? DAYS_1900_TO_1904 : 0,
    originals: originals.isNullObject ? [] : parseOriginals(originals.value),
  };
}

/** The stored configurations besides this sheet's, for structure to keep every plan sheet's (structure.ts). */
function otherStored(id: string, current: unknown, plans: unknown): Pick<SheetMeta, "otherConfig" | "plans"> {
  const stored = current === undefined ? undefined : parseConfig(current);
  const all = plans === undefined ? undefined : parsePlansConfig(plans);
  return {
    ...(stored && stored.sheetId !== id ? { otherConfig: stored } : {}),
    ...(all ? { plans: all } : {}),
  };
}

/**
 * Queues a read of the merged areas in `range` (ExcelApi 1.13) as the indexes of each area; the returned function
 * gives them, 0-based, after the sync. Not from the areas' joined `address`: Excel has returned only each area's
 * top-left cell there (office-js #1590, where the answer was to read `areas`), and long address lists are cut or
 * rejected in places (office-js #5198).
 */
export function loadMergedAreas_1_13(range: Excel.Range): () => Rect0[] {
  const merged = range.getMergedAreasOrNullObject();
  merged.load("areas/items/rowIndex,areas/items/columnIndex,areas/items/rowCount,areas/items/columnCount");
  return () =>
    merged.isNullObject
      ? []
      : merged.areas.items.map((a) => ({
          r0: a.rowIndex,
          c0: a.columnIndex,
          r1: a.rowIndex + a.rowCount - 1,
          c1: a.columnIndex + a.columnCount - 1,
        }));
}

/** What a body read asks for: values (unless round trip 1 brought them) and, per column, formulas / number formats. */
export type BodyRequest = {
  values: unknown[][] | undefined;
  formulasCols: number[];
  formatCols: number[];
  /** Rows already read (the head block), from which the bytes a row costs are estimated. */
  sample?: readonly (readonly unknown[])[];
};

/** The body of the sheet: values of every cell from A1, and formulas / number formats of the columns asked for. */
export type Body = {
  values: unknown[][];
  /** The rows of the cells that hold a formula, by column, in the columns asked for. */
  formulaRows: Map<number, Set<number>>;
  /** The formula text of each of those cells. */
  formulas: Map<string, string>;
  /** Number formats by column, for the columns asked for. */
  formats: Map<number, unknown[]>;
  syncs: number;
};

/**
 * Rows per block: from the bytes the sample's rows cost (values of every column plus the columns whose formulas are
 * read, which cost about what their values do), with a quarter in reserve; 40 bytes a cell without a sample.
 */
function blockRows(req: BodyRequest, cols: number): number {
  const fcols = req.formulasCols;
  const extra = fcols.length + req.formatCols.length;
  const sample = (req.sample ?? []).slice(-50);
  if (sample.length < 5) return rowsPerBlock((req.values ? 0 : cols) + extra, 40, REQUEST_BUDGET);
  let perRow = 0;
  for (const row of sample) {
    let n = 2;
    if (!req.values) for (let c = 0; c < cols; c++) n += cellBytes(row[c]);
    for (const c of fcols) n += cellBytes(row[c]) + 4;
    n += req.formatCols.length * 12;
    perRow += n;
  }
  perRow = (perRow / sample.length) * 1.25 + 8;
  return Math.max(100, Math.floor(REQUEST_BUDGET / perRow));
}

/**
 * Reads rows [0, rows) × columns [0, cols) in row blocks that keep each response under Excel on the web's limit; a
 * sheet of up to about 10,000 rows takes one round trip, and none when nothing is asked.
 */
export async function readBody(
  context: Excel.RequestContext,
  sheet: Excel.Worksheet,
  rows: number,
  cols: number,
  req: BodyRequest,
): Promise<Body> {
  const known = req.values;
  const extraCols = req.formulasCols.length + req.formatCols.length;
  const readCols = (known ? 0 : cols) + extraCols;
  const values: unknown[][] = known ?? [];
  const formulaRows = new Map<number, Set<number>>();
  const formulas = new Map<string, string>();
  const formats = new Map<number, unknown[]>(req.formatCols.map((c) => [c, []]));
  if (readCols === 0 || rows === 0) return { values, formulaRows, formulas, formats, syncs: 0 };
  let block = blockRows(req, cols);
  let syncs = 0;
  for (let start = 0; start < rows;) {
    const n = Math.min(block, rows - start);
    let range: Excel.Range | undefined;
    if (!known) {
      range = sheet.getRangeByIndexes(start, 0, n, cols);
      range.load("values");
    }
    const fcols = req.formulasCols.map((c) => {
      const r = sheet.getRangeByIndexes(start, c, n, 1);
      r.load("formulas");
      return { c, r };
    });
    const nfcols = req.formatCols.map((c) => {
      const r = sheet.getRangeByIndexes(start, c, n, 1);
      r.load("numberFormat");
      return { c, r };
    });
    try {
      // One sync per block is the point: blocks exist only because of the 5 MB response limit.
      // eslint-disable-next-line office-addins/no-context-sync-in-loop
      await context.sync();
    } catch (e) {
      syncs++;
      // Formulas can be far longer than the values they show, which sized the block: read it again in halves.
      if (isPayloadLimit(e) && n > 50) {
        block = Math.ceil(n / 2);
        continue;
      }
      throw translateOfficeError(e);
    }
    syncs++;
    if (range) for (const row of range.values) values.push(row);
    for (const { c, r } of fcols) {
      let rowsOf = formulaRows.get(c);
      r.formulas.forEach((row, i) => {
        const f = row[0];
        const v = values[start + i]?.[c];
        // A text cell typed with an apostrophe reads back from `formulas` without it (office-js 6687): a real formula
        // is one whose formula text differs from its value.
        if (typeof f === "string" && f.startsWith("=") && f !== v) {
          if (rowsOf === undefined) formulaRows.set(c, (rowsOf = new Set<number>()));
          rowsOf.add(start + i);
          formulas.set(`${start + i},${c}`, f);
        }
      });
    }
    for (const { c, r } of nfcols) {
      const list = formats.get(c) as unknown[];
      for (const row of r.numberFormat) list.push(row[0]);
    }
    start += n;
  }
  return { values, formulaRows, formulas, formats, syncs };
}

/** All values of the sheet: those round trip 1 brought, else read in blocks sized from the head block. */
export async function readValues(context: Excel.RequestContext, meta: SheetMeta): Promise<unknown[][]> {
  if (meta.values) return meta.values;
  const body = await readBody(context, meta.sheet, meta.rows, meta.cols, {
    values: undefined,
    formulasCols: [],
    formatCols: [],
    sample: meta.head,
  });
  return body.values;
}

/** The sheet's AutoFilter as loaded by round trip 1 (after its sync), or undefined when the sheet has none. */
function filterOf(parts: { filter: Excel.AutoFilter; area: Excel.Range }): SheetMeta["filter"] {
  const { filter, area } = parts;
  if (area.isNullObject || !filter.enabled) return undefined;
  return {
    rect: {
      r0: area.rowIndex,
      c0: area.columnIndex,
      r1: area.rowIndex + area.rowCount - 1,
      c1: area.columnIndex + area.columnCount - 1,
    },
    criteria: filter.criteria ?? [],
  };
}

function untouchedLayout(layout: Excel.PageLayout): boolean {
  const z = layout.zoom;
  const fitting = (z.horizontalFitToPages ?? 0) > 0 || (z.verticalFitToPages ?? 0) > 0;
  return (
    layout.orientation === "Portrait" && !fitting && (z.scale === undefined || z.scale === null || z.scale === 100)
  );
}
