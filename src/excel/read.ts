import { parseAddressList, type Rect0 } from "./a1";
import { REQUEST_BUDGET, rowsPerBlock } from "./budget";
import { CONFIG_KEY, parseConfig, type PlanConfig } from "./config";
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
  /** Rows and columns from A1 to the used range's far corner; 0 when the sheet is empty. */
  rows: number;
  cols: number;
  /** Values from A1 to the far corner, or undefined when they did not fit one response and must be read in blocks. */
  values: unknown[][] | undefined;
  /** Merged areas, 0-based; undefined when the API cannot list them (below ExcelApi 1.13). */
  merges: Rect0[] | undefined;
  /** Tables on this sheet. */
  tables: { name: string; table: Excel.Table }[];
  tableNames: string[];
  sheetNames: string[];
  /** Every sheet's id, name and position, to recognise the add-in's own sheets by id. */
  sheetsInfo: { id: string; name: string; position: number }[];
  names: string[];
  config: PlanConfig | undefined;
};

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

/**
 * Round trip 1: the sheet (named, or the active one), its protection and filter state, its values, merged areas,
 * tables, names and the stored configuration. When the values do not fit one response (Excel on the web's 5 MB), the
 * same is asked again without them and `values` is left for {@link readBody}.
 */
export async function readMeta(context: Excel.RequestContext, sheetName: string | undefined): Promise<SheetMeta> {
  try {
    return await readMetaOnce(context, sheetName, true);
  } catch (e) {
    if (!isPayloadLimit(e)) throw translateOfficeError(e);
  }
  try {
    return await readMetaOnce(context, sheetName, false);
  } catch (e) {
    throw translateOfficeError(e);
  }
}

async function readMetaOnce(
  context: Excel.RequestContext,
  sheetName: string | undefined,
  withValues: boolean,
): Promise<SheetMeta> {
  const wb = context.workbook;
  const settings = wb.settings.getItemOrNullObject(CONFIG_KEY);
  settings.load("value");
  const sheets = wb.worksheets;
  sheets.load("items/name,items/id,items/position");
  const tables = wb.tables;
  tables.load("items/name");
  const names = wb.names;
  names.load("items/name");
  const ws = sheetName ? sheets.getItemOrNullObject(sheetName) : sheets.getActiveWorksheet();
  ws.load("name,id");
  const protection = ws.protection;
  protection.load("protected");
  const used = ws.getUsedRangeOrNullObject(true);
  if (withValues) used.load("rowIndex,columnIndex,rowCount,columnCount,values");
  else used.load("rowIndex,columnIndex,rowCount,columnCount");
  let merged: Excel.RangeAreas | undefined;
  if (isApiSupported("1.13")) {
    merged = ws.getRange().getMergedAreasOrNullObject();
    merged.load("address");
  }
  let filter: Excel.AutoFilter | undefined;
  if (isApiSupported("1.9")) {
    filter = ws.autoFilter;
    filter.load("enabled,isDataFiltered");
  }
  const sheetTables = ws.tables;
  sheetTables.load("items/name");
  await context.sync();

  if (ws.isNullObject) throw new PlanLedgerError("sheetNotFound", { sheet: sheetName ?? "" });
  const rows = used.isNullObject ? 0 : used.rowIndex + used.rowCount;
  const cols = used.isNullObject ? 0 : used.columnIndex + used.columnCount;
  let values: unknown[][] | undefined;
  if (withValues) {
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
    rows,
    cols,
    values,
    merges: merged ? (merged.isNullObject ? [] : parseAddressList(merged.address)) : undefined,
    tables: sheetTables.items.map((t) => ({ name: t.name, table: t })),
    tableNames: tables.items.map((t) => t.name),
    sheetNames: sheets.items.map((s) => s.name),
    sheetsInfo: sheets.items.map((s) => ({ id: s.id, name: s.name, position: s.position })),
    names: names.items.map((n) => n.name),
    config: settings.isNullObject ? undefined : parseConfig(settings.value),
  };
}

/** What a body read asks for: values (unless round trip 1 brought them) and, per column, formulas / number formats. */
export type BodyRequest = { values: unknown[][] | undefined; formulasCols: number[]; formatCols: number[] };

/** The body of the sheet: values of every cell from A1, and formulas / number formats of the columns asked for. */
export type Body = {
  values: unknown[][];
  /** "row,col" of cells that hold a formula, in the columns asked for. */
  formulaCells: Set<string>;
  /** Number formats by column, for the columns asked for. */
  formats: Map<number, unknown[]>;
  syncs: number;
};

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
  const formulaCells = new Set<string>();
  const formats = new Map<number, unknown[]>(req.formatCols.map((c) => [c, []]));
  if (readCols === 0 || rows === 0) return { values, formulaCells, formats, syncs: 0 };
  const block = rowsPerBlock(readCols, 40, REQUEST_BUDGET);
  let syncs = 0;
  for (let start = 0; start < rows; start += block) {
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
      throw translateOfficeError(e);
    }
    syncs++;
    if (range) for (const row of range.values) values.push(row);
    for (const { c, r } of fcols) {
      r.formulas.forEach((row, i) => {
        const f = row[0];
        const v = values[start + i]?.[c];
        // A text cell typed with an apostrophe reads back from `formulas` without it (office-js 6687): a real formula
        // is one whose formula text differs from its value.
        if (typeof f === "string" && f.startsWith("=") && f !== v) formulaCells.add(`${start + i},${c}`);
      });
    }
    for (const { c, r } of nfcols) {
      const list = formats.get(c) as unknown[];
      for (const row of r.numberFormat) list.push(row[0]);
    }
  }
  return { values, formulaCells, formats, syncs };
}
