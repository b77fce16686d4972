/**
 * Wide layouts (months or quarters as columns) are read without touching the user's sheet: the items go to a sheet of
 * their own (计划明细 / Plan activities) whose cells are formulas over the wide sheet's cells, and that sheet is structured
 * and summarised as any ledger. The user keeps typing where they always have; the summary follows on recalculation.
 */
import { a1 } from "../core/a1";
import { detectHeader, detectHeaderAt } from "../core/header";
import { fieldLabel } from "../core/labels";
import { monthKey } from "../core/month";
import { extractPlan, type PlanExtract } from "../core/plan";
import { inferPeriod } from "../core/period";
import { textLanguage } from "../core/text";
import type { Field, Finding, Grid, HeaderDetection, Lang, Period, PeriodSource } from "../core/types";
import { itemKey, itemsColumns, readWide, type CellRef, type WideItem, type WideLayout } from "../core/wide";
import { quoteSheet } from "./a1";
import { cellBytes, gridBytes, SyncBudget } from "./budget";
import type { PlanConfig, WideRecord } from "./config";
import { monthFormat, monthSerial, wbText } from "./layout";
import type { ItemsSheetResult } from "./operations";
import { detect, toMergedArea, type PlanView } from "./plan-read";
import { readBody, readMeta, type SheetMeta } from "./read";

/** A wide sheet as read: its values, header, items and period. */
export type WideSource = {
  meta: SheetMeta;
  values: unknown[][];
  detection: HeaderDetection;
  layout: WideLayout;
  period: Period;
  periodSource: PeriodSource;
  periodEvidence: string;
  lang: Lang;
  /** The configuration of the plan built from it before, when there is one. */
  own: PlanConfig | undefined;
};

/** Rows above the first item on the items sheet: a line saying where to type, then the header. */
const TITLE_ROW = 0;
const HEADER_ROW = 1;
const FIRST_ITEM_ROW = 2;
/** Columns a rebuild clears below the last item: ours (at most 9) and those structuring adds at the right. */
const CLEAR_COLS = 30;

/**
 * The wide sheet behind an operation on `sheet` (or on the workbook's plan when none is named): the configured plan's
 * wide sheet when the plan was built from one, else `sheet` itself when its header lays periods out as columns.
 * No `src` for every other sheet (nor for a wide sheet with no amount column under its periods: that stays refused);
 * `meta` is the sheet first read, for the caller to go on with without reading it again.
 */
export async function findWide(
  context: Excel.RequestContext,
  opts: {
    sheet?: string;
    known?: SheetMeta;
    mapping?: Partial<Record<Field, number | null>>;
    periodStart?: string;
    fileName?: string;
    workbookLang?: Lang;
    lang?: Lang;
    now: Date;
  },
): Promise<{ meta: SheetMeta; src?: WideSource }> {
  const first =
    opts.known && (opts.sheet === undefined || opts.known.name === opts.sheet)
      ? opts.known
      : await readMeta(context, opts.sheet, "head");
  const config = first.config;
  const fromConfig =
    config?.wide && (opts.sheet === undefined || opts.sheet === config.sheet || opts.sheet === config.wide.sheet)
      ? config.wide
      : undefined;
  let meta = first;
  if (fromConfig) {
    const byId = first.sheetsInfo.find((s) => s.id === fromConfig.sheetId)?.name ?? fromConfig.sheet;
    if (meta.name !== byId) meta = await readMeta(context, byId, "head");
  } else {
    const head = detectHeader((meta.head ?? []) as Grid, (meta.merges ?? []).map(toMergedArea));
    if (head.headerRow < 0 || !head.wide) return { meta: first };
  }
  const body = await readBody(context, meta.sheet, meta.rows, meta.cols, {
    values: meta.values,
    formulasCols: [],
    formatCols: [],
    sample: meta.head,
  });
  const values = body.values;
  // The mapping the user chose (--map, the pane) applies to the wide sheet's columns.
  const read = detect(values as Grid, meta.merges, undefined, meta.name, opts.mapping);
  if (!read.wide) return { meta: first };
  // Amounts and months come from the period columns: a 全年目标 =SUM or 合计 column is a row total, and a row's status
  // would speak for all of its months at once. Those columns are not read.
  const mapping = { ...read.mapping };
  for (const f of ["month", "target", "actual", "status"] as const) delete mapping[f];
  const detection: HeaderDetection = { ...read, mapping };
  const layout = readWide(values as Grid, detection, (meta.merges ?? []).map(toMergedArea));
  if (layout.periods.length === 0) return { meta: first };
  const own = fromConfig ? config : undefined;
  const titles = values
    .slice(0, detection.headerRow)
    .flat()
    .filter((v): v is string => typeof v === "string" && v.trim() !== "");
  // Month columns in order say where a school year starts (9月 … 8月); quarters name no start.
  const monthly = layout.periods.every((p) => !/季|q|半年|h[12]/i.test(p.period));
  const inferred = inferPeriod({
    sheetName: meta.name,
    titleTexts: titles,
    fileName: opts.fileName,
    monthCells: monthly ? [...new Set(layout.periods.map((p) => p.month))] : [],
    chronological: true,
    today: opts.now,
    override: opts.periodStart ?? own?.period.start,
  });
  const lang =
    own?.lang ?? opts.workbookLang ?? textLanguage([...detection.headers, ...titles]) ?? opts.lang ?? "zh-CN";
  const src: WideSource = {
    meta,
    values,
    detection,
    layout,
    period: inferred.period,
    periodSource: inferred.source === "override" && opts.periodStart === undefined ? "stored" : inferred.source,
    periodEvidence: inferred.evidence,
    lang,
    own,
  };
  return { meta: first, src };
}

/** The month of the period an item falls in (a month before the period's start month is in its second year). */
function itemMonthKey(period: Period, month: number): string {
  const startYear = Number(period.start.slice(0, 4));
  const startMonth = Number(period.start.slice(5, 7));
  return monthKey(month >= startMonth ? startYear : startYear + 1, month);
}

/** `=IF('Sheet'!D5="","",'Sheet'!D5)`: the cell's value, and a blank stays blank (a bare reference would show 0). */
function linkFormula(sheet: string, cell: CellRef): string {
  const ref = `${quoteSheet(sheet)}!${a1(cell.row, cell.col)}`;
  return `=IF(${ref}="","",${ref})`;
}

/** The wide cell a cell of the items sheet stands for, so that findings name the cells the user types in. */
export type Links = (row: number, col: number) => CellRef;

function linksOf(src: WideSource): Links {
  const cols = itemsColumns(src.layout);
  const d = src.detection;
  const firstPeriod: CellRef = { row: d.headerRow, col: src.layout.periods[0].col };
  return (row, col) => {
    const column = cols[col];
    if (row >= FIRST_ITEM_ROW) {
      const item = src.layout.items[row - FIRST_ITEM_ROW];
      if (item) {
        const cell = column?.cell(item);
        if (cell) return cell;
        const amount = item.target ?? item.actual;
        if (amount) return { row: d.headerRow, col: amount.col };
      }
    }
    const mapped = column ? d.mapping[column.field] : undefined;
    return mapped !== undefined ? { row: d.headerRow, col: mapped } : firstPeriod;
  };
}

const A1_RE = /^([A-Z]{1,3})(\d+)$/;

function parseA1(cell: string): CellRef | undefined {
  const m = A1_RE.exec(cell);
  if (!m) return undefined;
  let col = 0;
  for (const ch of m[1]) col = col * 26 + (ch.charCodeAt(0) - 64);
  return { row: Number(m[2]) - 1, col: col - 1 };
}

/** Findings of the items sheet as findings of the wide sheet: each names the wide cell its items cell links to. */
export function translateFindings(findings: readonly Finding[], links: Links): Finding[] {
  const one = (ref: string): string | undefined => {
    const at = parseA1(ref);
    if (!at) return undefined;
    const to = links(at.row, at.col);
    return a1(to.row, to.col);
  };
  return findings.map((f) => {
    const [from, to] = f.cell.split(":");
    const a = one(from);
    const b = to === undefined ? a : one(to);
    if (a === undefined || b === undefined) return f;
    const cell = a === b ? a : `${a}:${b}`;
    const message = { ...f.message };
    for (const lang of Object.keys(message) as Lang[]) {
      if (message[lang].startsWith(f.cell)) message[lang] = cell + message[lang].slice(f.cell.length);
    }
    return { ...f, cell, message };
  });
}

/** The items sheet's values as its formulas compute them, for a check that writes nothing. */
function itemsGrid(src: WideSource, typed: readonly TypedColumn[]): unknown[][] {
  const cols = itemsColumns(src.layout);
  const before = new Map(previousKeys(src).map((k, j) => [k, j]));
  const grid: unknown[][] = [[""], [...cols.map((c) => fieldLabel(c.field, src.lang)), ...typed.map((t) => t.header)]];
  for (const item of src.layout.items) {
    const j = before.get(itemKey(item));
    grid.push([
      ...cols.map((c) => {
        if (c.field === "month") return monthSerial(itemMonthKey(src.period, item.month), { dateOffset: 0 });
        const cell = c.cell(item);
        const v = cell ? src.values[cell.row]?.[cell.col] : undefined;
        return v === null || v === undefined ? "" : v;
      }),
      ...typed.map((t) => (j === undefined ? "" : (t.values[j] ?? ""))),
    ]);
  }
  return grid;
}

/** The keys of the items the items sheet was last built with, row for row. */
function previousKeys(src: WideSource): string[] {
  return src.own?.wide?.keys ? src.own.wide.keys.split(" ").filter(Boolean) : [];
}

/**
 * What the user typed on the items sheet (in the columns structuring added there), for a check that sees the plan as
 * the next summary will. Reads only; nothing when the plan was never built or has no such column.
 */
export async function readWideTyped(context: Excel.RequestContext, src: WideSource): Promise<TypedColumn[]> {
  const own = src.own;
  const items = own ? src.meta.sheetsInfo.find((s) => s.id === own.sheetId) : undefined;
  if (!own || !items) return [];
  return readTyped(context, items.name, own, previousKeys(src).length, itemsColumns(src.layout).length);
}

/**
 * The plan of a wide sheet as check and the pane's preview see it, computed without writing: the items sheet's rows
 * (with what the user typed on the items sheet, `typed`) and findings (each naming its wide cell), with the wide
 * sheet's header and period.
 */
export function wideView(read: WideSource, typed: readonly TypedColumn[] = []): PlanView {
  const src = keepTypedItems(read, previousKeys(read), typed);
  const grid = itemsGrid(src, typed);
  const d = detectHeaderAt(grid as Grid, HEADER_ROW);
  const extract: PlanExtract = extractPlan(grid as Grid, d, {
    period: src.period,
    origin: { row: 0, col: 0 },
    added: src.own?.added,
  });
  return {
    detection: src.detection,
    period: src.period,
    periodSource: src.periodSource,
    periodEvidence: src.periodEvidence,
    grid: src.values,
    extract: { ...extract, findings: translateFindings(extract.findings, linksOf(src)) },
  };
}

function uniqueName(base: string, taken: readonly string[]): string {
  const lower = new Set(taken.map((t) => t.toLowerCase()));
  if (!lower.has(base.toLowerCase())) return base;
  for (let i = 2; ; i++) if (!lower.has(`${base}${i}`.toLowerCase())) return `${base}${i}`;
}

/** A column structuring added to the items sheet (its field was missing), with the values it holds row for row. */
export type TypedColumn = { col: number; header: string; values: unknown[] };

/**
 * The columns of the items sheet that hold what the user typed there: those of the fields structuring added (right of
 * ours), read for the rows of the last build. One round trip, on rebuilds only.
 */
async function readTyped(
  context: Excel.RequestContext,
  sheet: string,
  own: PlanConfig,
  rows: number,
  ours: number,
): Promise<TypedColumn[]> {
  const headers = (own.added ?? []).map((f) => own.columns[f]).filter((h): h is string => h !== undefined);
  if (headers.length === 0 || rows === 0) return [];
  const ws = context.workbook.worksheets.getItem(sheet);
  const head = ws.getRangeByIndexes(HEADER_ROW, 0, 1, CLEAR_COLS).load("values");
  const body = ws.getRangeByIndexes(FIRST_ITEM_ROW, 0, rows, CLEAR_COLS).load("values");
  await context.sync();
  const out: TypedColumn[] = [];
  head.values[0].forEach((h, col) => {
    if (col < ours || !headers.includes(String(h))) return;
    const values = body.values.map((r) => r[col]);
    if (values.some((v) => v !== "" && v !== null)) out.push({ col, header: String(h), values });
  });
  return out;
}

/**
 * The items to build: those the wide sheet gives, plus any item of the last build whose amounts were emptied while a
 * column the user typed into still holds a value for it (its row stays, so that value is not lost or moved).
 */
function keepTypedItems(src: WideSource, before: readonly string[], typed: readonly TypedColumn[]): WideSource {
  if (typed.length === 0) return src;
  const now = new Set(src.layout.items.map(itemKey));
  const kept: WideItem[] = [];
  before.forEach((key, j) => {
    if (now.has(key) || !typed.some((t) => t.values[j] !== "" && t.values[j] !== null)) return;
    const [target, actual, month] = key.split("|");
    const t = target ? parseA1(target) : undefined;
    const a = actual ? parseA1(actual) : undefined;
    const row = (t ?? a)?.row;
    if (row === undefined) return;
    const sibling = src.layout.items.find((i) => i.row === row);
    const cells: WideItem["cells"] = sibling ? sibling.cells : {};
    if (!sibling) {
      for (const f of src.layout.fields) {
        const col = src.detection.mapping[f];
        if (col !== undefined) cells[f] = { row, col };
      }
    }
    kept.push({
      row,
      month: Number(month),
      period: "",
      ...(t ? { target: t } : {}),
      ...(a ? { actual: a } : {}),
      cells,
    });
  });
  if (kept.length === 0) return src;
  return { ...src, layout: { ...src.layout, items: [...src.layout.items, ...kept] } };
}

/** What building the items sheet did, and how to read its findings as the wide sheet's. */
export type BuiltItems = { result: ItemsSheetResult; record: WideRecord; links: Links };

/**
 * Writes (or rebuilds) the items sheet of a wide sheet: a line saying where to type, a header, and one row per item
 * whose month is a date constant and whose other cells are formulas over the wide sheet's cells. A run whose items
 * and columns are those of the last build writes nothing; otherwise the rows are rewritten in place (the sheet keeps
 * its id, so the plan table and the summary's references to it stay) and the rows past the new end are cleared.
 */
export async function buildItemsSheet(context: Excel.RequestContext, read: WideSource): Promise<BuiltItems> {
  const { meta, lang, own } = read;
  const cols = itemsColumns(read.layout);
  const shape = `${cols.map((c) => c.field).join(",")}|${lang}|${read.period.start}|${meta.name}`;
  const existing = own ? meta.sheetsInfo.find((s) => s.id === own.sheetId) : undefined;
  const before = own?.wide?.keys ? own.wide.keys.split(" ").filter(Boolean) : [];
  const fresh = read.layout.items.map(itemKey).join(" ");
  if (existing && own?.wide?.keys === fresh && own.wide.shape === shape) {
    const record: WideRecord = { sheet: meta.name, sheetId: meta.id, keys: fresh, shape };
    const result: ItemsSheetResult = {
      sheet: existing.name,
      source: meta.name,
      items: read.layout.items.length,
      added: 0,
      removed: 0,
      rebuilt: false,
    };
    return { result, record, links: linksOf(read) };
  }
  // What the user typed on the items sheet itself (an 实际完成 column structuring added to a plan of planned counts)
  // moves with its item; an item whose amounts were emptied keeps its row while it holds such a value.
  const typed = existing && own ? await readTyped(context, existing.name, own, before.length, cols.length) : [];
  const src = keepTypedItems(read, before, typed);
  const layout = src.layout;
  const keys = layout.items.map(itemKey);
  const record: WideRecord = { sheet: meta.name, sheetId: meta.id, keys: keys.join(" "), shape };
  const links = linksOf(src);
  const now = new Set(keys);
  const then = new Set(before);
  const result: ItemsSheetResult = {
    sheet: existing?.name ?? uniqueName(wbText(lang, "sheet.items"), meta.sheetNames),
    source: meta.name,
    items: keys.length,
    added: existing ? keys.filter((k) => !then.has(k)).length : keys.length,
    removed: existing ? before.filter((k) => !now.has(k)).length : 0,
    rebuilt: false,
  };

  const wb = context.workbook;
  const ws = existing ? wb.worksheets.getItem(existing.name) : wb.worksheets.add(result.sheet);
  if (!existing) {
    // Beside the wide sheet, where the user will look for it (Worksheet.position, ExcelApi 1.1).
    const at = meta.sheetsInfo.find((s) => s.id === meta.id)?.position;
    if (at !== undefined) ws.position = at + 1;
  }
  const budget = new SyncBudget(context);
  // Our texts only (the sheet name quoted in them comes after our own words), stored literally with an apostrophe.
  const title = `'${wbText(lang, "items.title", { sheet: meta.name })}`;
  const header = cols.map((c) => `'${fieldLabel(c.field, lang)}`);
  await budget.queue(gridBytes([[title], header]), () => {
    ws.getRangeByIndexes(TITLE_ROW, 0, 1, 1).values = [[title]];
    ws.getRangeByIndexes(HEADER_ROW, 0, 1, header.length).values = [header];
  });
  const n = layout.items.length;
  const block = 5000;
  const monthCol = cols.findIndex((c) => c.field === "month");
  for (let s = 0; s < n; s += block) {
    const part: WideItem[] = layout.items.slice(s, s + block);
    // Formulas only through `formulas`, built from cell addresses and the sheet's quoted name: no user text in them.
    // The month is a number in the same array: `formulas` holds a cell's value where it has no formula
    // (Range.formulas, @types/office-js), so a constant written there is stored as that constant.
    const formulas = part.map((item) =>
      cols.map((c, j) => {
        // monthSerial gives the serial in the workbook's own date system (a 1904 workbook's is 1,462 lower).
        if (j === monthCol) return monthSerial(itemMonthKey(src.period, item.month), meta);
        const cell = c.cell(item);
        return cell ? linkFormula(meta.name, cell) : "";
      }),
    );
    const bytes = formulas.reduce((sum, row) => sum + row.reduce<number>((x, v) => x + cellBytes(v), 0), 0);
    await budget.queue(bytes, () => {
      const range = ws.getRangeByIndexes(FIRST_ITEM_ROW + s, 0, part.length, cols.length);
      range.formulas = formulas;
      ws.getRangeByIndexes(FIRST_ITEM_ROW + s, monthCol, part.length, 1).numberFormat = part.map(() => [
        monthFormat(lang),
      ]);
    });
  }
  // Rows of the last build past the new end: cleared, so structuring shrinks the table to the items there are.
  if (before.length > n) {
    ws.getRangeByIndexes(FIRST_ITEM_ROW + n, 0, before.length - n, CLEAR_COLS).clear("Contents");
  }
  const oldRow = new Map(before.map((k, j) => [k, j]));
  for (const t of typed) {
    // Text is stored literally (apostrophe): a value the user typed never turns into a formula on the way.
    const moved = layout.items.map((item) => {
      const j = oldRow.get(itemKey(item));
      const v = j === undefined ? "" : t.values[j];
      return [typeof v === "string" && v !== "" ? `'${v}` : (v ?? "")];
    });
    if (n > 0) {
      await budget.queue(gridBytes(moved), () => {
        ws.getRangeByIndexes(FIRST_ITEM_ROW, t.col, n, 1).values = moved;
      });
    }
  }
  // Structuring reads these cells' values next: in a workbook set to manual calculation they would read back stale.
  // Application.calculate (ExcelApi 1.1, @types/office-js) computes them first; "Recalculate" only what is dirty.
  wb.application.calculate("Recalculate");
  await budget.flush();
  return { result: { ...result, rebuilt: true }, record, links };
}
