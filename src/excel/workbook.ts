/**
 * Workbook-level reads and writes the command line needs besides the plan operations: choosing the plan sheet, reading
 * a plan's rows read-only, and writing a sheet of literal values. They live here, with the rest of the Excel code, so
 * that the CLI calls the Excel API only through src/excel/ (each function is one Excel.run batch's worth of work).
 */
import { detectHeader } from "../core/header";
import type { Grid } from "../core/types";
import { gridBytes, REQUEST_BUDGET, SyncBudget } from "./budget";
import { CONFIG_KEY, parseConfig, type PlanConfig } from "./config";
import { PlanLedgerError } from "./operations";
import { toMergedArea, viewPlan, type PlanView } from "./plan-read";
import { loadMergedAreas_1_13, readBody, readMeta, type SheetMeta } from "./read";
import { findWide, readWideTyped, wideView } from "./wide";
import { isApiSupported } from "./requirements";

/** Rows read from the top of each sheet to find its header; detectHeader scans the first 30. */
const HEADER_SCAN_ROWS = 40;
/** Columns A to XFC: one fewer than the sheet has (16,384, Excel specifications and limits). A range of all 16,384
 * columns is whole rows (1:40), whose values Excel reads back as null; column XFD holds no header. */
const LAST_COLUMN = 16383;

export type SheetChoice = {
  sheet: string;
  /** The stored configuration, when it names a sheet of this workbook. */
  config: PlanConfig | undefined;
  /** Header texts detected on the chosen sheet (top rows), when it is not configured yet; [] when none was found. */
  headers: string[];
};

/**
 * The plan sheet: `requested` when given; else the sheet the stored configuration names; else the visible sheet whose
 * header detection is most confident (ties: the active sheet, then the leftmost). When no sheet has a header, the
 * sheet with the best candidate row, so the operation's noHeader error names that sheet's closest rows. Reads only the
 * top rows of the sheets, in at most three small round trips.
 */
export async function chooseSheet(context: Excel.RequestContext, requested: string | undefined): Promise<SheetChoice> {
  const wb = context.workbook;
  const setting = wb.settings.getItemOrNullObject(CONFIG_KEY);
  setting.load("value");
  const sheets = wb.worksheets;
  sheets.load("items/name,items/visibility");
  const active = sheets.getActiveWorksheet();
  active.load("name");
  await context.sync();
  const names = sheets.items.map((s) => s.name);
  const stored = setting.isNullObject ? undefined : parseConfig(setting.value);
  const config = stored && names.includes(stored.sheet) ? stored : undefined;
  let candidates = sheets.items.filter((s) => s.visibility === "Visible");
  if (requested !== undefined) {
    // Checked here because the operations' read of a missing sheet fails with the host's ItemNotFound instead of
    // their own sheetNotFound (readMeta loads properties of the null worksheet before testing isNullObject).
    const found = sheets.items.find((s) => s.name.toLowerCase() === requested.toLowerCase());
    if (found === undefined) throw new PlanLedgerError("sheetNotFound", { sheet: requested });
    if (config && config.sheet === found.name) return { sheet: found.name, config, headers: [] };
    candidates = [found];
  } else if (config) {
    return { sheet: config.sheet, config, headers: [] };
  }

  const used = candidates.map((s) => {
    const r = s.getUsedRangeOrNullObject(true);
    r.load("rowIndex,columnIndex,rowCount,columnCount");
    return { ws: s, r };
  });
  await context.sync();
  const tops = used
    .filter(({ r }) => !r.isNullObject)
    .map(({ ws, r }) => {
      // From A1, so grid coordinates are sheet coordinates as detectHeader and merges expect; never column XFD.
      const top = ws.getRangeByIndexes(
        0,
        0,
        Math.min(HEADER_SCAN_ROWS, r.rowIndex + r.rowCount),
        Math.min(r.columnIndex + r.columnCount, LAST_COLUMN),
      );
      top.load("values");
      const merged = isApiSupported("1.13") ? loadMergedAreas_1_13(top) : undefined;
      return { name: ws.name, top, merged };
    });
  if (tops.length) await context.sync();
  let best: { name: string; confidence: number; score: number; rank: number; headers: string[] } | undefined;
  tops.forEach(({ name, top, merged }, i) => {
    const d = detectHeader(top.values, merged ? merged().map(toMergedArea) : []);
    const confidence = d.headerRow >= 0 ? d.confidence : -1;
    const score = d.headerRow >= 0 ? 0 : (d.candidates[0]?.score ?? 0);
    const rank = name === active.name ? -1 : i;
    if (
      !best ||
      confidence > best.confidence ||
      (confidence === best.confidence && (score > best.score || (score === best.score && rank < best.rank)))
    ) {
      best = { name, confidence, score, rank, headers: d.headers.filter((h) => h !== "") };
    }
  });
  if (requested !== undefined) return { sheet: candidates[0].name, config, headers: best?.headers ?? [] };
  return { sheet: best ? best.name : active.name, config, headers: best?.headers ?? [] };
}

/**
 * What {@link readPlan} returns: plain data only (the proxies are tied to the batch's context). `wide` when the sheet
 * lays months or quarters out as columns: the rows are its items (as its items sheet holds them), whose grid rows are
 * not the wide sheet's.
 */
export type PlanRead = { meta: Omit<SheetMeta, "sheet" | "tables">; view: PlanView; wide?: boolean };

/**
 * Reads the plan of a sheet as the operations do (the stored mapping and period apply), read-only. The operations
 * expose counts and findings but not the rows themselves, which the JSON report's summary and consolidate need.
 */
export async function readPlan(
  context: Excel.RequestContext,
  sheet: string,
  opts: { periodStart?: string; now: Date; fileName?: string },
): Promise<PlanRead> {
  const meta = await readMeta(context, sheet);
  if (meta.rows === 0) throw new PlanLedgerError("emptySheet", { sheet: meta.name });
  const head = detectHeader((meta.head ?? []) as Grid, (meta.merges ?? []).map(toMergedArea));
  if (head.headerRow >= 0 && head.wide) {
    // Read as check reads a wide plan: its items, computed without writing (findWide reads nothing more of `meta`).
    const { src } = await findWide(context, { ...opts, sheet, known: meta });
    if (src) {
      const view = wideView(src, await readWideTyped(context, src));
      const { sheet: _w, tables: _t, ...plain } = src.meta;
      return { meta: plain, view, wide: true };
    }
  }
  const values =
    meta.values ??
    (
      await readBody(context, meta.sheet, meta.rows, meta.cols, {
        values: undefined,
        formulasCols: [],
        formatCols: [],
      })
    ).values;
  const view = await viewPlan(meta, values, { periodStart: opts.periodStart, now: opts.now, fileName: opts.fileName });
  const { sheet: _ws, tables: _tables, ...plain } = meta;
  return { meta: plain, view };
}

/** A cell {@link writeSheet} writes: text is stored literally (never read as a formula, date or number), numbers as numbers. */
export type OutCell = string | number;

/**
 * Adds a sheet and writes a grid into it from A1, in row blocks under Excel on the web's request limit. Text goes in
 * with a leading apostrophe, which Excel stores as "literal text" and does not show, so a department's "=HYPERLINK(…)"
 * or "3-4" stays the text it was.
 */
export async function writeSheet(
  context: Excel.RequestContext,
  name: string,
  grid: readonly (readonly OutCell[])[],
): Promise<void> {
  const ws = context.workbook.worksheets.add(name);
  ws.activate();
  const budget = new SyncBudget(context);
  // A loop, not Math.max(...rows): spreading 150,000 rows as arguments overflows the stack.
  const width = grid.reduce((w, r) => Math.max(w, r.length), 1);
  let block: OutCell[][] = [];
  let blockStart = 0;
  let bytes = 0;
  const put = async () => {
    if (!block.length) return;
    const rows = block;
    const start = blockStart;
    await budget.queue(bytes, () => {
      ws.getRangeByIndexes(start, 0, rows.length, width).values = rows;
    });
    blockStart += rows.length;
    block = [];
    bytes = 0;
  };
  for (const line of grid) {
    const row: OutCell[] = [];
    for (let c = 0; c < width; c++) {
      const v = line[c] ?? "";
      row.push(typeof v === "number" ? v : v === "" ? "" : `'${v}`);
    }
    const rowBytes = gridBytes([row]);
    if (bytes + rowBytes > REQUEST_BUDGET / 2) await put();
    block.push(row);
    bytes += rowBytes;
  }
  await put();
  await budget.flush();
}
