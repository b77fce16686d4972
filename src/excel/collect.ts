/**
 * Collect returns (issue 17 §4): the plans departments send back are read with the same code as the CLI's consolidate
 * (readPlan: any layout the plan reader reads, its findings), their items go into the office's consolidated plan with
 * the 来源 / Source column (sourceRows, sourceLabel), and the plan is structured and summarised like any other.
 *
 * What identifies a department is its source label (the file name, plus › sheet for a file with several plan sheets):
 * it is what the 来源 column shows and what the CLI writes, so collecting a file of that name again replaces exactly
 * the rows it brought before. Rows of other sources, and what the office typed in them, are not touched.
 */
import { sourceLabel } from "../core/source";
import { cleanText, textLanguage } from "../core/text";
import type { Field, Lang } from "../core/types";
import type { ExcelRunner } from "./bind";
import { gridBytes, REQUEST_BUDGET, SyncBudget } from "./budget";
import { CONFIG_KEY, parseConfig, type PlanConfig } from "./config";
import { wbText } from "./layout";
import {
  PlanLedgerError,
  type CollectedSource,
  type CollectFailure,
  type CollectOptions,
  type CollectResult,
  type ReturnFile,
} from "./operations";
import type { PlanView } from "./plan-read";
import { translateOfficeError } from "./read";
import { consolidatedHeader, PLAN_FIELDS, sourceRows } from "./rows";
import { generateSummary } from "./summary";
import { findPlanSheets } from "./plansheets";
import { chooseSheet, readPlan, writeSheet, type OutCell } from "./workbook";

/**
 * Opens a returned file as a workbook the Excel code can read, in the pane's language for its messages. The caller
 * provides it (the offline host over the file's bytes: src/hosting/returns.ts); it throws PlanLedgerError
 * "returnUnreadable" for a file that is not a workbook.
 */
export type WorkbookOpener = (file: ReturnFile, lang: Lang) => Promise<ExcelRunner>;

/** A return's plan sheet, read. */
type ReadReturn = { file: string; sheet: string; view: PlanView; onlyPlanSheet: boolean };

/**
 * The plan sheets of a returned workbook: the same discovery as the CLI's consolidate and the all-sheets summary
 * (findPlanSheets: confident headers, not a roll-up of the other sheets such as a department's own 汇总, not Plan
 * Ledger's summary or overdue list); when none is found, the sheet chooseSheet picks, whose reading then fails with
 * noHeader naming its closest rows.
 */
export async function planSheets(context: Excel.RequestContext): Promise<string[]> {
  const found = (await findPlanSheets(context)).plans.map((p) => p.name);
  return found.length ? found : [(await chooseSheet(context, undefined)).sheet];
}

/** Reads every plan sheet of one returned workbook, read-only, as consolidate reads a source. */
async function readReturn(run: ExcelRunner, file: string, now: Date): Promise<ReadReturn[]> {
  return run(async (context) => {
    const names = await planSheets(context);
    const out: ReadReturn[] = [];
    // One sheet after another: each read is a few round trips against an in-memory host, not Excel.
    for (const sheet of names) {
      const read = await readPlan(context, sheet, { now, fileName: file });
      out.push({ file, sheet: read.meta.name, view: read.view, onlyPlanSheet: names.length === 1 });
    }
    return out;
  });
}

/** The stored configuration, when the sheet it names still exists. */
async function storedConfig(context: Excel.RequestContext): Promise<PlanConfig | undefined> {
  const setting = context.workbook.settings.getItemOrNullObject(CONFIG_KEY);
  setting.load("value");
  const sheets = context.workbook.worksheets.load("items/name");
  await context.sync();
  const config = setting.isNullObject ? undefined : parseConfig(setting.value);
  return config && sheets.items.some((s) => s.name === config.sheet) ? config : undefined;
}

/** The header of the source column in either language: a plan consolidated in English keeps "Source". */
function isSourceHeader(text: unknown): boolean {
  const t = cleanText(text);
  return t === wbText("zh-CN", "header.source") || t === wbText("en-US", "header.source");
}

/**
 * Reads the returns, then puts their items into the consolidated plan: the configured plan when its table has a
 * source column, else a new sheet 合并计划 / Consolidated plan. Then structures and summarises it in the same batch.
 */
export async function collectReturns(
  context: Excel.RequestContext,
  open: WorkbookOpener,
  opts: CollectOptions & { now: Date },
): Promise<CollectResult> {
  const step = opts.onProgress ?? (() => undefined);
  step("read");
  const reads: ReadReturn[] = [];
  const failed: CollectFailure[] = [];
  for (const file of opts.files) {
    try {
      reads.push(...(await readReturn(await open(file, opts.lang), file.name, opts.now)));
    } catch (e) {
      // A return that cannot be read is reported with its file and the others are still collected; anything that is
      // not a user-facing failure (a bug) stops the whole operation.
      if (!(e instanceof PlanLedgerError)) throw e;
      failed.push({ file: file.name, code: e.code, params: e.params });
    }
  }
  const empty: CollectResult = { sheet: "", sources: [], failed, added: 0, replaced: 0, rows: 0, summarySheet: "" };
  if (reads.length === 0) return empty;

  const config = await storedConfig(context);
  const lang: Lang = config?.lang ?? textLanguage(reads.flatMap((r) => r.view.detection.headers)) ?? opts.lang;
  // The period: the consolidated plan's own, else the returns' when they agree; otherwise the merged months decide.
  const shared = reads.every((r) => r.view.period.start === reads[0].view.period.start)
    ? reads[0].view.period.start
    : undefined;
  const periodStart = config?.period.start ?? shared;
  const labelled = reads.map((r) => {
    const label = sourceLabel({ file: r.file, sheet: r.sheet, onlyPlanSheet: r.onlyPlanSheet });
    const rows = sourceRows(
      r.view,
      { file: r.file, sheet: r.sheet, onlyPlanSheet: r.onlyPlanSheet },
      lang,
      r.view.period.start === periodStart,
    );
    return { read: r, label, rows };
  });

  let sheet: string;
  let replacedBy = new Map<string, number>();
  try {
    const into = config ? await appendToPlan(context, config, labelled) : undefined;
    if (into) {
      sheet = config!.sheet;
      replacedBy = into;
    } else {
      sheet = await newPlanSheet(context, lang, labelled);
    }
  } catch (e) {
    throw translateOfficeError(e);
  }
  const summary = await generateSummary(context, {
    lang,
    sheet,
    now: opts.now,
    onProgress: opts.onProgress,
    restructure: { sheet, periodStart: config ? undefined : periodStart, workbookLang: lang },
  });
  const sources: CollectedSource[] = labelled.map(({ read, label, rows }) => ({
    file: read.file,
    sheet: read.sheet,
    label,
    rows: rows.length,
    replaced: replacedBy.get(label) ?? 0,
    period: read.view.period,
    findings: read.view.extract.findings,
  }));
  return {
    sheet,
    sources,
    failed,
    added: sources.reduce((n, s) => n + s.rows, 0),
    replaced: sources.reduce((n, s) => n + s.replaced, 0),
    rows: summary.plan.rows,
    summarySheet: summary.sheet,
  };
}

type Labelled = { label: string; rows: OutCell[][] };

/** A new consolidated plan sheet (a free name), holding the header and every collected row as literal values. */
async function newPlanSheet(context: Excel.RequestContext, lang: Lang, labelled: readonly Labelled[]): Promise<string> {
  const sheets = context.workbook.worksheets.load("items/name");
  await context.sync();
  const taken = new Set(sheets.items.map((s) => s.name.toLowerCase()));
  const base = wbText(lang, "sheet.consolidated");
  let name = base;
  for (let i = 2; taken.has(name.toLowerCase()); i++) name = `${base} ${i}`;
  const grid: OutCell[][] = [consolidatedHeader(lang)];
  // A loop, not push(...rows): 20 returns of 1,000 rows are 20,000 arguments.
  for (const l of labelled) for (const row of l.rows) grid.push(row);
  await writeSheet(context, name, grid);
  return name;
}

/**
 * Appends the collected rows to the configured plan's table, then deletes the rows an earlier collection brought
 * from the same sources. Appending first keeps the old rows' positions valid, and the table never passes through
 * having no data row. Returns the rows replaced per label, or undefined when the table has no source column (it is
 * the office's own plan, not a consolidated one: a new sheet is made instead).
 */
async function appendToPlan(
  context: Excel.RequestContext,
  config: PlanConfig,
  labelled: readonly Labelled[],
): Promise<Map<string, number> | undefined> {
  const table = context.workbook.tables.getItemOrNullObject(config.table);
  await context.sync();
  if (table.isNullObject) return undefined;
  const header = table.getHeaderRowRange().load("values");
  const body = table.getDataBodyRange().load("rowIndex,columnIndex,rowCount,columnCount,rowHidden");
  const ws = table.worksheet.load("name");
  const protection = ws.protection.load("protected");
  await context.sync();
  // Refused before anything is written, as Structure refuses: a protected sheet, and hidden rows (a filter), since
  // which of a department's rows a deletion takes when some are hidden is Excel's choice, not ours. Range.rowHidden
  // (ExcelApi 1.2) is false only when no row of the range is hidden; true or null (mixed) otherwise
  // (learn.microsoft.com/javascript/api/excel/excel.range#excel-excel-range-rowhidden-member).
  if (protection.protected) throw new PlanLedgerError("sheetProtected", { sheet: ws.name });
  if (body.rowHidden !== false) throw new PlanLedgerError("filterActive", { sheet: ws.name });
  const headers = (header.values[0] ?? []).map((h) => cleanText(h));
  const sourceCol = headers.findIndex((h) => isSourceHeader(h));
  if (sourceCol < 0) return undefined;
  const cells = body.getColumn(sourceCol).load("values");
  await context.sync();

  // Where each of the consolidated header's columns goes in the table: the plan's fields by their stored header
  // text (the office may have renamed or moved them), the source by its own.
  const colOf: number[] = PLAN_FIELDS.map((f: Field) => {
    const text = config.columns[f];
    return text === undefined ? -1 : headers.indexOf(cleanText(text));
  });
  colOf.push(sourceCol);
  const width = headers.length;
  const budget = new SyncBudget(context);
  let block: (string | number)[][] = [];
  let bytes = 0;
  const put = async () => {
    if (!block.length) return;
    const rows = block;
    // TableRowCollection.add(index, values): ExcelApi 1.1; undefined index appends at the end of the table
    // (learn.microsoft.com/javascript/api/excel/excel.tablerowcollection#excel-excel-tablerowcollection-add-member(1)).
    await budget.queue(bytes, () => table.rows.add(undefined, rows));
    block = [];
    bytes = 0;
  };
  for (const l of labelled) {
    for (const src of l.rows) {
      // Computed and unmapped columns stay empty for the table's calculated columns and structuring to fill.
      const line: (string | number)[] = new Array<string | number>(width).fill("");
      src.forEach((v, i) => {
        const c = colOf[i];
        // Text goes in with a leading apostrophe so a department's "=…" or "3-4" stays the text it was.
        if (c >= 0) line[c] = typeof v === "number" ? v : v === "" ? "" : `'${v}`;
      });
      const rowBytes = gridBytes([line]);
      if (bytes + rowBytes > REQUEST_BUDGET / 2) await put();
      block.push(line);
      bytes += rowBytes;
    }
  }
  await put();

  // The earlier rows of the sources collected now, deleted bottom-up in runs of adjacent rows so each deletion leaves
  // the positions of the runs above it as they were read.
  const labels = new Set(labelled.map((l) => l.label));
  const replaced = new Map<string, number>();
  const runs: { start: number; count: number }[] = [];
  cells.values.forEach((row, i) => {
    const label = cleanText(row[0]);
    if (!labels.has(label)) return;
    replaced.set(label, (replaced.get(label) ?? 0) + 1);
    const last = runs[runs.length - 1];
    if (last && last.start + last.count === i) last.count++;
    else runs.push({ start: i, count: 1 });
  });
  for (const run of runs.reverse()) {
    // Range.delete(Up) over whole table rows removes those table rows (ExcelApi 1.1,
    // learn.microsoft.com/javascript/api/excel/excel.range#excel-excel-range-delete-member(1)).
    ws.getRangeByIndexes(body.rowIndex + run.start, body.columnIndex, run.count, body.columnCount).delete("Up");
  }
  await budget.flush();
  await context.sync();
  return replaced;
}
