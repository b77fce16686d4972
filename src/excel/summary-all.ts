/**
 * "All plan sheets" (issue 17 §3): one summary over every plan sheet of the workbook, each sheet a source. Each sheet is
 * structured as its own table (Plan, Plan2, …) with its own configuration, and every number of the summary is a live
 * Excel 2010 formula adding COUNTIFS/SUMIFS over each sheet's table, so a department typing into its own sheet moves
 * the summary. Written beside the one-sheet summary (summary.ts) and reusing its pieces, not changing it.
 */
import { monthLabel, ownerLabel, PERCENT_NUMBER_FORMAT, unitLabel } from "../core/labels";
import { narrative } from "../core/narrative";
import { periodLength } from "../core/period";
import { sourceLabel } from "../core/source";
import { compareOverdue, isMonthKey, summarize, type SummaryModel } from "../core/summary";
import { ANNUAL, type Finding, type Lang, type Period, type PlanRow } from "../core/types";
import { absoluteRef, columnLetter, rangeAddress } from "./a1";
import { CONFIG_KEY, FORMAT_VERSION, PLANS_KEY, type PlanConfig } from "./config";
import { failureParams } from "./failure";
import { annualWord, NAMES, planNames, statusWords, tableCol, wbText } from "./layout";
import { PlanLedgerError, type ProgressFn, type StructureResult } from "./operations";
import { discoverPlanSheets } from "./plansheets";
import { readMeta, toWorkbookSerial, translateOfficeError } from "./read";
import {
  dateSerial,
  groupCriteria,
  HELPER_COL,
  unitRecorded,
  unitSum,
  ITEMS,
  literal,
  monthRange,
  OVERDUE_CAP,
  overdueCells,
  paceFormula,
  pickSummaryName,
  setRowHeights,
  statusCount,
  wrappedHeight,
} from "./summary";
import { printAcross, structureWithView } from "./structure";
import { summaryCharts } from "./charts";

export type AllSheetsOptions = {
  lang: Lang;
  /** First month of the period of every sheet (the CLI's --period-start); else the first sheet's own. */
  periodStart?: string;
  /** The language written into the workbook when the caller chose it (--lang); else the first sheet's own. */
  workbookLang?: Lang;
  asOf?: Date;
  now?: Date;
  onProgress?: ProgressFn;
  fileName?: string;
  /** false: no sheet keeps a copy for Restore (see PreviewOptions.keepOriginal). */
  keepOriginal?: boolean;
};

/** One plan sheet of the all-sheets summary. */
export type SheetSource = {
  sheet: string;
  /** What the summary's 来源 / Source column says (sourceLabel). */
  label: string;
  table: string;
  period: Period;
  rows: number;
  activities: number;
  completed: number;
  overdue: number;
  rate: number | null;
  findings: Finding[];
  structured: StructureResult;
};

export type AllSheetsResult = {
  /** The summary sheet written. */
  sheet: string;
  sources: SheetSource[];
  period: Period;
  kpis: { activities: number; completed: number; rate: number | null; overdue: number; pace: number };
  narrative: string;
  /** The core model over every sheet's rows, which the summary's formulas reproduce. */
  model: SummaryModel;
};

/** The summary's as-of cell (B2), which PlanLedger_AsOf names, as on the one-sheet summary. */
const AS_OF = { row: 1, col: 1 };
const WIDTHS = [170, 72, 72, 72, 80, 72];

type Source = { config: PlanConfig; model: SummaryModel; rows: readonly PlanRow[]; label: string };

/**
 * Structures every plan sheet (findPlanSheets) and writes the all-sheets summary. The first sheet's period and
 * language hold for all: each table's status formulas read its own lists sheet's names (layout.ts planNames), all with
 * the same period, and the one as-of name. A re-run restructures
 * each sheet with its own stored configuration and replaces the summary it wrote, never a user's sheet.
 */
export async function generateAllSheetsSummary(
  context: Excel.RequestContext,
  opts: AllSheetsOptions,
): Promise<AllSheetsResult> {
  const now = opts.now ?? new Date();
  const step = opts.onProgress ?? (() => undefined);
  step("read");
  // Discovery as findPlanSheets does it, with the stored configurations it reads; neither summary is a plan.
  const { found, plans: before } = await discoverPlanSheets(context);
  const wb = context.workbook;
  if (found.plans.length === 0) throw new PlanLedgerError("noPlan");

  const sources: Source[] = [];
  const results: StructureResult[] = [];
  const findings: Finding[][] = [];
  let first: PlanConfig | undefined;
  for (const sheet of found.plans) {
    // The workbook-wide configuration is the one structure reads as "this sheet's own": each sheet gets its own back.
    // A wide sheet's configuration is its items sheet's, which names the wide sheet.
    const own = before?.plans.find((p) => p.sheetId === sheet.id || p.wide?.sheetId === sheet.id);
    if (own) wb.settings.add(CONFIG_KEY, JSON.stringify(own.wide ? own : { ...own, sheet: sheet.name }));
    const s = await structureWithView(context, {
      lang: opts.lang,
      sheet: sheet.name,
      fileName: opts.fileName,
      now,
      onProgress: opts.onProgress,
      // One period for every sheet: the first sheet's, read as it would be alone. Where its months name no year, that
      // is the year another plan sheet names (readPlanView), not the running year for every sheet.
      periodStart: first?.period.start ?? opts.periodStart,
      workbookLang: first?.lang ?? opts.workbookLang,
      keepOriginal: opts.keepOriginal,
    });
    first ??= s.config;
    const rows = s.view.extract.rows;
    sources.push({
      config: s.config,
      rows,
      model: summarize(rows, s.config.period, now, { tracked: s.view.extract.tracked }),
      label: sourceLabel({ sheet: sheet.name, onlyPlanSheet: found.plans.length === 1 }),
    });
    results.push(s.result);
    findings.push(s.result.findings);
  }
  const base = first as PlanConfig;
  const lang = base.lang;
  const model = summarize(
    sources.flatMap((s) => s.rows),
    base.period,
    now,
    // A sheet that records no progress has no overdue items, in its formulas and here alike.
    {
      tracked: sources.some((s) => s.model.tracked),
      untracked: new Set(sources.filter((s) => !s.model.tracked).flatMap((s) => s.rows)),
    },
  );
  const text = narrative(model, lang);

  step("summary");
  let name: string;
  try {
    const meta = await readMeta(context, sources[0].config.sheet, "head");
    const old = before?.summarySheetId ? meta.sheetsInfo.find((x) => x.id === before.summarySheetId) : undefined;
    if (old) wb.worksheets.getItem(old.name).delete();
    name = old
      ? old.name
      : pickSummaryName(meta.sheetNames, wbText(lang, "sheet.summaryAll"), wbText(lang, "sheet.summaryAllAlt"));
    const ws = wb.worksheets.add(name);
    if (old) ws.position = old.position;
    const asOfValue = opts.asOf ? toWorkbookSerial(dateSerial(now), meta) : "=TODAY()";
    writeCells(ws, { sources, model, text, lang, asOfValue, period: base.period });
    // Every table's status column reads PlanLedger_AsOf: from now on this summary's as-of cell.
    wb.names.getItem(NAMES.asOf).delete();
    wb.names.add(NAMES.asOf, `=${absoluteRef(name, AS_OF.row, AS_OF.col, AS_OF.row, AS_OF.col)}`);
    ws.activate();
    ws.load("id");
    await context.sync();
    wb.settings.add(
      PLANS_KEY,
      JSON.stringify({ version: FORMAT_VERSION, plans: sources.map((s) => s.config), summarySheetId: ws.id }),
    );
    await context.sync();
  } catch (e) {
    const t = translateOfficeError(e);
    if (t instanceof PlanLedgerError) throw t;
    throw new PlanLedgerError("partial", failureParams(e), ["structure"]);
  }
  return {
    sheet: name,
    period: base.period,
    sources: sources.map((s, i) => ({
      // A wide plan's source is its wide sheet (its table is on the items sheet).
      sheet: s.config.wide?.sheet ?? s.config.sheet,
      label: s.label,
      table: s.config.table,
      period: s.config.period,
      rows: s.rows.length,
      activities: s.model.activities,
      completed: s.model.completed,
      overdue: s.model.overdue,
      rate: s.model.rate,
      findings: findings[i],
      structured: results[i],
    })),
    kpis: {
      activities: model.activities,
      completed: model.completed,
      rate: model.rate,
      overdue: model.overdue,
      pace: model.pace,
    },
    narrative: text,
    model,
  };
}

type Cells = {
  sources: Source[];
  model: SummaryModel;
  text: string;
  lang: Lang;
  asOfValue: number | string;
  period: Period;
};

type Row = { r: number; values?: (string | number | null)[]; formulas?: (string | null)[]; fmt?: (string | null)[] };

/** Writes the summary's cells and tables: KPI row, narrative, by source, by source and unit, by month, owner, unit. */
function writeCells(ws: Excel.Worksheet, c: Cells): void {
  const { sources, model, lang } = c;
  const words = statusWords(lang);
  const q = (s: string) => `"${s.replace(/"/g, '""')}"`;
  const t = (k: string, p: Record<string, string | number> = {}) => literal(wbText(lang, k, p));
  const rows: Row[] = [];
  const helpers: { r: number; texts: string[] }[] = [];
  /** A group's further spellings (all but its key) into the hidden helper cells of row `r`; returns how many. */
  const helperTexts = (r: number, spellings: readonly string[] | undefined): number => {
    const extra = (spellings ?? []).slice(1);
    if (extra.length) helpers.push({ r, texts: extra.map(literal) });
    return extra.length;
  };
  const tables: { name: string; r0: number; r1: number; cols: number }[] = [];
  const status = (s: Source) => tableCol(s.config.table, s.config.computed.status);
  const column = (s: Source, f: keyof PlanConfig["columns"]) => {
    const h = s.config.columns[f];
    return h === undefined ? undefined : tableCol(s.config.table, h);
  };
  /** The sum over every source's table of one term; a source without the term's column adds `missing` (or nothing). */
  const overAll = (term: (s: Source) => string | undefined) =>
    sources
      .map(term)
      .filter((x) => x !== undefined)
      .join("+") || "0";
  const rate = (r: number) => `=IF(B${r + 1}>0,C${r + 1}/B${r + 1},"")`;
  // A month without items has no rate: #N/A, which the chart's rate line skips as a gap (a text "" would be plotted
  // as 0 %), hidden in the cell by the charts' conditional format (charts.ts).
  const monthRate = (r: number) => `=IF(B${r + 1}>0,C${r + 1}/B${r + 1},NA())`;
  const countRow = (r: number, term: (s: Source, crit: string) => string | undefined, rateOf = rate) => {
    rows.push({
      r,
      formulas: [
        null,
        `=${overAll((s) => term(s, ITEMS))}`,
        `=${overAll((s) => term(s, q(words.done)))}`,
        `=${overAll((s) => term(s, q(words.overdue)))}`,
        rateOf(r),
      ],
      fmt: [null, null, null, null, PERCENT_NUMBER_FORMAT],
    });
  };
  const heads = (...keys: string[]) => keys.map((k) => t(k));

  const sheetList = sources.map((s) => s.config.wide?.sheet ?? s.config.sheet).join(lang === "zh-CN" ? "、" : ", ");
  const period = `${monthLabel(c.period.start, lang)}–${monthLabel(c.period.end, lang)}`;
  rows.push({ r: 0, values: [t("summary.all.title", { sheets: sheetList, period })] });
  // A chosen as-of date is a number in the cell; without one the cell is =TODAY().
  rows.push({ r: AS_OF.row, values: [t("summary.asOf"), typeof c.asOfValue === "number" ? c.asOfValue : null] });
  rows.push({
    r: AS_OF.row,
    formulas: [null, typeof c.asOfValue === "string" ? c.asOfValue : null],
    fmt: [null, "yyyy-mm-dd"],
  });
  rows.push({
    r: 3,
    values: heads(
      "summary.kpi.activities",
      "summary.kpi.completed",
      "summary.kpi.rate",
      "summary.kpi.overdue",
      "summary.kpi.pace",
    ),
  });
  // The status column is blank on rows that are no items, and says done / overdue on the others (layout.ts).
  const all = (crit: string) => overAll((s) => statusCount(status(s), crit));
  rows.push({
    r: 4,
    formulas: [
      `=${all(ITEMS)}`,
      `=${all(q(words.done))}`,
      `=IF(A5>0,B5/A5,"")`,
      `=${all(q(words.overdue))}`,
      // The period is the first source's (as `period` above), so its names.
      `=${paceFormula(planNames(sources[0].config.table), periodLength(c.period))}`,
    ],
    fmt: [null, null, PERCENT_NUMBER_FORMAT, null, PERCENT_NUMBER_FORMAT],
  });
  rows.push({ r: 6, values: [literal(c.text)] });

  let r = 8;
  const section = (key: string, p: Record<string, string | number> = {}) => rows.push({ r: r++, values: [t(key, p)] });

  // By source: each row counts its own sheet's table.
  section("summary.section.bySource");
  let h = r;
  rows.push({
    r: r++,
    values: heads(
      "summary.col.source",
      "summary.col.activities",
      "summary.col.completed",
      "summary.col.overdue",
      "summary.col.rate",
    ),
  });
  for (const s of sources) {
    rows.push({ r, values: [literal(s.label)] });
    countRow(r, (x, crit) => (x === s ? statusCount(status(x), crit) : undefined));
    r++;
  }
  tables.push({ name: "SummaryBySource", r0: h, r1: r - 1, cols: 5 });
  r++;

  // By source and unit: quantities of one sheet, added only within one unit.
  section("summary.section.bySourceUnit");
  h = r;
  rows.push({
    r: r++,
    values: heads(
      "summary.col.source",
      "summary.col.unit",
      "summary.col.target",
      "summary.col.actual",
      "summary.col.rate",
    ),
  });
  for (const s of sources) {
    for (const u of s.model.byUnit) {
      rows.push({ r, values: [literal(s.label), literal(unitLabel(u.unit, lang))] });
      const crits = groupCriteria(u.unit, `$B${r + 1}`, r, helperTexts(r, u.spellings));
      rows.push({ r, formulas: [null, null, ...unitCells(s, crits, r, 2, column, status)] });
      rows.push({ r, fmt: [null, null, null, null, PERCENT_NUMBER_FORMAT] });
      r++;
    }
  }
  if (r === h + 1) r++;
  tables.push({ name: "SummaryBySourceUnit", r0: h, r1: r - 1, cols: 5 });
  r++;

  // By month: a row per month of the period, then annual; a source without a month column counts in neither.
  section("summary.section.byMonth");
  h = r;
  rows.push({
    r: r++,
    values: heads(
      "summary.col.month",
      "summary.col.activities",
      "summary.col.completed",
      "summary.col.overdue",
      "summary.col.rate",
    ),
  });
  const monthStart = r;
  for (const g of model.byMonth.filter((x) => isMonthKey(x.key) || x.key === ANNUAL)) {
    rows.push({ r, values: [literal(monthLabel(g.key, lang))] });
    // A month is its range of days, so a sheet whose month column keeps due dates counts them in their month.
    const crits = isMonthKey(g.key) ? monthRange(g.key) : [q(annualWord(lang))];
    countRow(
      r,
      (s, sc) => {
        const m = column(s, "month");
        return m
          ? statusCount(
              status(s),
              sc,
              crits.map((c) => [m, c] as const),
            )
          : undefined;
      },
      monthRate,
    );
    r++;
  }
  const monthRows = { first: monthStart, last: r - 1 };
  if (model.byMonth.some((g) => g.key === "")) {
    // Items without a month: all items less those counted above, as on the one-sheet summary.
    rows.push({ r, values: [literal(monthLabel(null, lang))] });
    const rest = (crit: string, col: string) => `=${all(crit)}-SUM(${col}${monthStart + 1}:${col}${r})`;
    rows.push({
      r,
      formulas: [null, rest(ITEMS, "B"), rest(q(words.done), "C"), rest(q(words.overdue), "D"), rate(r)],
      fmt: [null, null, null, null, PERCENT_NUMBER_FORMAT],
    });
    r++;
  }
  tables.push({ name: "SummaryByMonth", r0: h, r1: Math.max(r - 1, h + 1), cols: 5 });
  r++;

  // By owner: an owner spelt several ways is one group, each further spelling in a hidden helper cell of its row.
  section("summary.section.byOwner");
  h = r;
  rows.push({
    r: r++,
    values: heads(
      "summary.col.owner",
      "summary.col.activities",
      "summary.col.completed",
      "summary.col.overdue",
      "summary.col.rate",
    ),
  });
  const ownerRows = { first: r, last: r + Math.max(model.byOwner.length, 1) - 1 };
  for (const g of model.byOwner) {
    rows.push({ r, values: [literal(ownerLabel(g.key, lang))] });
    // Hidden helper cells (from column Z) hold the group's further spellings, as on the one-sheet summary.
    const crits = groupCriteria(g.key, `$A${r + 1}`, r, helperTexts(r, g.spellings));
    countRow(r, (s, sc) => {
      const o = column(s, "owner");
      // A sheet without an owner column has every item in the blank group.
      if (!o) return g.key === "" ? statusCount(status(s), sc) : undefined;
      return crits.map((crit) => statusCount(status(s), sc, [[o, crit]])).join("+");
    });
    r++;
  }
  tables.push({ name: "SummaryByOwner", r0: h, r1: Math.max(r - 1, h + 1), cols: 5 });
  r++;

  // By unit over every sheet.
  section("summary.section.byUnit");
  h = r;
  rows.push({
    r: r++,
    values: heads(
      "summary.col.unit",
      "summary.col.target",
      "summary.col.actual",
      "summary.col.variance",
      "summary.col.rate",
    ),
  });
  const unitRows = { first: r, last: r + Math.max(model.byUnit.length, 1) - 1 };
  for (const u of model.byUnit) {
    rows.push({ r, values: [literal(unitLabel(u.unit, lang))] });
    const crits = groupCriteria(u.unit, `$A${r + 1}`, r, helperTexts(r, u.spellings));
    const sum = (f: "target" | "actual") =>
      overAll((s) => {
        const [U, V] = [column(s, "unit"), column(s, f)];
        return U && V ? unitSum(status(s), U, crits, V) : undefined;
      });
    const recorded = overAll((s) => {
      const [U, A] = [column(s, "unit"), column(s, "actual")];
      return U && A ? unitRecorded(status(s), U, crits, A) : undefined;
    });
    const n = r + 1;
    rows.push({
      r,
      formulas: [
        null,
        `=${sum("target")}`,
        // No numeric actual recorded for the unit is not "0 done": "—", as the model and the one-sheet summary say.
        `=IF((${recorded})=0,"—",${sum("actual")})`,
        `=IF(OR(B${n}=0,NOT(ISNUMBER(C${n}))),"",C${n}-B${n})`,
        `=IF(AND(B${n}>0,ISNUMBER(C${n})),C${n}/B${n},"")`,
      ],
      fmt: [null, null, null, null, PERCENT_NUMBER_FORMAT],
    });
    r++;
  }
  tables.push({ name: "SummaryByUnit", r0: h, r1: Math.max(r - 1, h + 1), cols: 5 });
  r = Math.max(r, h + 2) + 1;

  // Overdue items as of the summary's date, a snapshot as on the one-sheet summary: every sheet's, longest overdue
  // first (the one-sheet order, compareOverdue), each with its source. Beyond OVERDUE_CAP the rest is counted per
  // source, so the sheet stays a page; one sheet's summary lists all of its own.
  const overdue = sources
    .flatMap((s, i) => s.model.overdueItems.map((item) => ({ item, label: s.label, i })))
    .sort((a, b) => compareOverdue(a.item, b.item) || a.i - b.i);
  const capped = overdue.length > OVERDUE_CAP;
  const listed = capped ? overdue.slice(0, OVERDUE_CAP) : overdue;
  section(capped ? "summary.section.overdueTop" : "summary.section.overdue", { date: model.asOf, n: OVERDUE_CAP });
  h = r;
  rows.push({
    r: r++,
    values: heads(
      "summary.col.activity",
      "summary.col.source",
      "summary.col.month",
      "summary.col.owner",
      "summary.col.target",
      "summary.col.actual",
    ),
  });
  const overdueFirst = r;
  // The one-sheet list's cells, with the source after the activity.
  const overdueRows = listed.map(({ item, label }) => {
    const [activity, ...rest] = overdueCells(item, lang);
    return [activity, literal(label), ...rest];
  });
  for (const values of overdueRows) rows.push({ r: r++, values });
  if (overdue.length === 0) rows.push({ r: r++, values: [t("summary.overdue.none", { date: model.asOf })] });
  tables.push({ name: "OverdueItems", r0: h, r1: r - 1, cols: 6 });
  if (capped) {
    r++;
    rows.push({
      r: r++,
      values: [t("summary.overdue.restBySource", { n: overdue.length - OVERDUE_CAP, total: overdue.length })],
    });
    h = r;
    rows.push({ r: r++, values: heads("summary.col.source", "summary.col.overdueRest") });
    const rest = sources.map(() => 0);
    for (const x of overdue.slice(OVERDUE_CAP)) rest[x.i]++;
    sources.forEach((s, i) => {
      if (rest[i] > 0) rows.push({ r: r++, values: [literal(s.label), rest[i]] });
    });
    tables.push({ name: "OverdueRest", r0: h, r1: r - 1, cols: 2 });
  }

  for (const row of rows) {
    if (row.values) ws.getRangeByIndexes(row.r, 0, 1, row.values.length).values = [row.values];
    if (row.formulas) {
      // Only the cells that hold a formula: a null in a formulas array would clear the text written above it.
      row.formulas.forEach((f, i) => {
        if (f !== null) ws.getRangeByIndexes(row.r, i, 1, 1).formulas = [[f]];
      });
    }
    if (row.fmt) {
      row.fmt.forEach((f, i) => {
        if (f !== null) ws.getRangeByIndexes(row.r, i, 1, 1).numberFormat = [[f]];
      });
    }
  }
  let helperCols = 0;
  for (const x of helpers) {
    ws.getRangeByIndexes(x.r, HELPER_COL, 1, x.texts.length).values = [x.texts];
    helperCols = Math.max(helperCols, x.texts.length);
  }
  // Range.columnHidden: ExcelApi 1.2, under the manifest's 1.8 (@types/office-js).
  if (helperCols)
    ws.getRange(`${columnLetter(HELPER_COL)}:${columnLetter(HELPER_COL + helperCols - 1)}`).columnHidden = true;
  for (const x of tables) {
    const table = ws.tables.add(rangeAddress(x.r0, 0, x.r1, x.cols - 1), true);
    // Table names are workbook-wide: the one-sheet summary's SummaryByMonth may exist beside this one.
    table.name = `All${x.name}`;
    table.style = "TableStyleLight9";
  }
  if (overdueRows.length) {
    // Activity, source, month and owner wrap; each row as tall as its tallest (LibreOffice does not grow rows).
    ws.getRangeByIndexes(overdueFirst, 0, overdueRows.length, 4).format.wrapText = true;
    const height = (row: (string | number)[]) =>
      Math.max(...[0, 1, 3].map((c) => wrappedHeight(String(row[c]), WIDTHS[c])));
    setRowHeights(ws, overdueFirst, overdueRows.map(height));
  }
  ws.getRange("A1").format.font.bold = true;
  ws.getRange("A1").format.font.size = 14;
  const story = ws.getRange("A7:F7");
  story.merge();
  story.format.wrapText = true;
  story.format.verticalAlignment = "Top";
  story.format.rowHeight = 80;
  WIDTHS.forEach((w, i) => (ws.getRange(`${columnLetter(i)}1`).format.columnWidth = w));
  printAcross(ws);
  // The one-sheet summary's charts, over the tables of every sheet together, right of the tables.
  summaryCharts(
    ws,
    lang,
    model,
    { month: monthRows.last >= monthRows.first ? monthRows : undefined, owner: ownerRows, unit: unitRows },
    WIDTHS.reduce((a, b) => a + b, 0) + 2,
  );
}

/** Target, actual and rate cells of one source and unit (its criteria, groupCriteria), from column `at` of row `r`. */
function unitCells(
  s: Source,
  crits: readonly string[],
  r: number,
  at: number,
  column: (s: Source, f: keyof PlanConfig["columns"]) => string | undefined,
  status: (s: Source) => string,
): string[] {
  const [U, T, A] = [column(s, "unit"), column(s, "target"), column(s, "actual")];
  const S = status(s);
  const tc = columnLetter(at);
  const ac = columnLetter(at + 1);
  const target = U && T ? `=${unitSum(S, U, crits, T)}` : "=0";
  const actual = U && A ? `=IF((${unitRecorded(S, U, crits, A)})=0,"—",${unitSum(S, U, crits, A)})` : `="—"`;
  const n = r + 1;
  return [target, actual, `=IF(AND(${tc}${n}>0,ISNUMBER(${ac}${n})),${ac}${n}/${tc}${n},"")`];
}
