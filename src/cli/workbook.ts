import { detectHeader } from "../core/header";
import type { Lang, MergedArea } from "../core/types";
import { parseAddressList } from "../excel/a1";
import { gridBytes, REQUEST_BUDGET, SyncBudget } from "../excel/budget";
import { CONFIG_KEY, parseConfig, type PlanConfig } from "../excel/config";
import type { PlanOperations } from "../excel/operations";
import { viewPlan, type PlanView } from "../excel/plan-read";
import { readBody, readMeta, type SheetMeta } from "../excel/read";
import { PlanLedgerError } from "../excel/operations";
import { isApiSupported } from "../excel/requirements";
import { createOfflineOperations } from "../hosting/offline";
import { OfflineHost, createWorkbookModel } from "../offline";
import type { WorkbookModel } from "../offline/model";
import { exportXlsx, importXlsx } from "../offline/xlsx";
import { nodeZipCodec } from "./codec";

/** Rows read from the top of each sheet to find its header; detectHeader scans the first 30. */
const HEADER_SCAN_ROWS = 40;
/** Columns A to XFC: one fewer than the sheet has (16,384, Excel specifications and limits). */
const LAST_COLUMN = 16383;

/** A workbook opened for the CLI: the offline host in "web" mode, so requests stay within Excel on the web's limits. */
export type Session = { host: OfflineHost; ops: PlanOperations; model: WorkbookModel };

/** Opens .xlsx bytes (XlsxError for a file that is not a workbook); `lang` is the language of `notCarried`. */
export async function openWorkbook(bytes: Uint8Array, lang: Lang, now: () => Date): Promise<Session> {
  const model = await importXlsx(bytes, { lang, codec: nodeZipCodec });
  return session(model, now);
}

/** A new empty workbook (for consolidate and import). */
export function newWorkbook(now: () => Date): Session {
  return session(createWorkbookModel([]), now);
}

function session(model: WorkbookModel, now: () => Date): Session {
  const host = new OfflineHost(model, { mode: "web", now });
  return { host, ops: createOfflineOperations(host, { now }), model };
}

/** Recomputes formulas (so cached values in the file are right for readers that do not calculate) and packs. */
export async function saveWorkbook(s: Session): Promise<Uint8Array> {
  s.host.recalculate();
  return exportXlsx(s.model, { codec: nodeZipCodec });
}

export type SheetChoice = {
  sheet: string;
  /** The stored configuration, when it names a sheet of this workbook. */
  config: PlanConfig | undefined;
  /** Header texts detected on the chosen sheet (top rows), when it is not configured yet; [] when none was found. */
  headers: string[];
};

/**
 * The plan sheet: `--sheet` when given; else the sheet the stored configuration names; else the visible sheet whose
 * header detection is most confident (ties: the active sheet, then the leftmost). When no sheet has a header, the
 * sheet with the best candidate row, so the operation's noHeader error names that sheet's closest rows. Reads only the
 * top rows of the sheets, in at most three small round trips.
 */
export async function chooseSheet(host: OfflineHost, requested: string | undefined): Promise<SheetChoice> {
  return host.run(async (context) => {
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
        // From A1, so grid coordinates are sheet coordinates as detectHeader and merges expect. Never all 16,384
        // columns: that range is whole rows (1:40), whose values Excel reads back as null; column XFD holds no header.
        const top = ws.getRangeByIndexes(
          0,
          0,
          Math.min(HEADER_SCAN_ROWS, r.rowIndex + r.rowCount),
          Math.min(r.columnIndex + r.columnCount, LAST_COLUMN),
        );
        top.load("values");
        let merged: Excel.RangeAreas | undefined;
        if (isApiSupported("1.13")) {
          merged = top.getMergedAreasOrNullObject();
          merged.load("address");
        }
        return { name: ws.name, top, merged };
      });
    if (tops.length) await context.sync();
    let best: { name: string; confidence: number; score: number; rank: number; headers: string[] } | undefined;
    tops.forEach(({ name, top, merged }, i) => {
      const merges: MergedArea[] =
        merged && !merged.isNullObject
          ? parseAddressList(merged.address).map((m) => ({
              row: m.r0,
              col: m.c0,
              rowCount: m.r1 - m.r0 + 1,
              colCount: m.c1 - m.c0 + 1,
            }))
          : [];
      const d = detectHeader(top.values, merges);
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
  });
}

/**
 * Reads the plan of a sheet as the operations do (the stored mapping and period apply), read-only. The operations
 * expose counts and findings but not the rows themselves, which the JSON report's summary and consolidate need.
 */
export async function readPlan(
  host: OfflineHost,
  sheet: string,
  opts: { periodStart?: string; now: Date },
): Promise<{ meta: Omit<SheetMeta, "sheet" | "tables">; view: PlanView }> {
  return host.run(async (context) => {
    const meta = await readMeta(context, sheet);
    if (meta.rows === 0) throw new PlanLedgerError("emptySheet", { sheet: meta.name });
    const values =
      meta.values ??
      (
        await readBody(context, meta.sheet, meta.rows, meta.cols, {
          values: undefined,
          formulasCols: [],
          formatCols: [],
        })
      ).values;
    const view = viewPlan(meta, values, { periodStart: opts.periodStart, now: opts.now });
    // The proxies are tied to this batch's context; only plain data leaves it.
    const { sheet: _ws, tables: _tables, ...plain } = meta;
    return { meta: plain, view };
  });
}

/** A cell the CLI writes: text is stored literally (never read as a formula, date or number), numbers as numbers. */
export type OutCell = string | number;

/**
 * Adds a sheet and writes a grid into it from A1 through the Excel API, in row blocks under Excel on the web's request
 * limit. Text goes in with a leading apostrophe, which Excel stores as "literal text" and does not show, so a
 * department's "=HYPERLINK(…)" or "3-4" stays the text it was.
 */
export async function writeSheet(
  host: OfflineHost,
  name: string,
  grid: readonly (readonly OutCell[])[],
): Promise<void> {
  await host.run(async (context) => {
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
  });
}
