import { isApiSupported } from "./requirements";
import { categoryLabel, monthLabel, ownerLabel, PERCENT_NUMBER_FORMAT, unitLabel } from "../core/labels";
import { narrative } from "../core/narrative";
import { cleanText } from "../core/text";
import { isoDate, isMonthKey, summarize, type SummaryModel } from "../core/summary";
import { periodLength } from "../core/period";
import { ANNUAL, type Lang } from "../core/types";
import { absoluteRef, columnLetter, rangeAddress } from "./a1";
import { SyncBudget } from "./budget";
import { CONFIG_KEY, type PlanConfig } from "./config";
import { annualWord, NAMES, planNames, type PlanNames, statusWords, tableCol, wbText } from "./layout";
import { failureParams } from "./failure";
import { PlanLedgerError, type StructureResult, type SummaryOptions, type SummaryResult } from "./operations";
import { viewPlan, type PlanView } from "./plan-read";
import { readMeta, readValues, toWorkbookSerial, translateOfficeError, type SheetMeta } from "./read";
import { CONFIDENT, otherPlanSheets, ourSheetIds, queuePlanSheets, type PlanSheets } from "./plansheets";
import { printAcross, structureWithView } from "./structure";
import { pause } from "./pause";
import { summaryCharts } from "./charts";

/** Fixed names of the summary tables (suffixed only when a user's own table already has the name). */
export const SUMMARY_TABLES = [
  "SummaryByMonth",
  "SummaryByOwner",
  "SummaryByCategory",
  "SummaryByUnit",
  "OverdueItems",
] as const;

export type SummaryRun = SummaryOptions & { now?: Date; sheet?: string; fileName?: string };

/** Defined beside plan-sheet discovery, which uses the same threshold; exported here as before. */
export { CONFIDENT };

/** The first hidden helper column of the summary sheet (Z), right of the charts, for a group's further spellings. */
export const HELPER_COL = 25;

/** Excel 1900-system serial of a local calendar date. */
export function dateSerial(d: Date): number {
  return Date.UTC(d.getFullYear(), d.getMonth(), d.getDate()) / 86400000 + 25569;
}

/** Column widths of the summary sheet (points): key column wide, numbers narrow. */
const WIDTHS = [150, 72, 72, 72, 80, 72];
/** The charts start right of the tables (columns A–F, WIDTHS). */
const CHART_LEFT = 520;

/**
 * Generates (or regenerates in place) the summary sheet: title, as-of date, KPI row, narrative, five tables and three
 * native charts. Every number in the KPI row and the first four tables is a live Excel 2010 formula over the plan
 * table, so the sheet keeps computing without the add-in. Structures the plan first when the workbook has none.
 */
export async function generateSummary(context: Excel.RequestContext, opts: SummaryRun): Promise<SummaryResult> {
  const now = opts.now ?? new Date();
  const step = opts.onProgress ?? (() => undefined);
  step("read");
  let meta = await readMeta(context, opts.sheet, "head");
  let config = meta.config;
  let view: PlanView | undefined;
  let structured: StructureResult | undefined;
  // A plan built from a wide sheet is rebuilt first: an amount typed into an empty period cell is a new item.
  if (opts.restructure || !config || config.wide || (opts.sheet && config.sheet !== opts.sheet)) {
    // Structure first; its own reading of the plan serves the summary too, so nothing is read twice.
    const s = await structureWithView(
      context,
      {
        ...opts.restructure,
        lang: opts.lang,
        sheet: opts.restructure?.sheet ?? opts.sheet ?? (config?.wide ? config.sheet : meta.name),
        fileName: opts.restructure?.fileName ?? opts.fileName,
        now,
        onProgress: opts.onProgress,
        // Asked for explicitly, the caller has chosen; on one click, only a confident detection goes ahead.
        minConfidence: opts.restructure ? undefined : CONFIDENT,
      },
      meta,
    );
    ({ meta, view, config } = s);
    structured = s.result;
  } else if (config.sheet !== meta.name) {
    meta = await readMeta(context, config.sheet, "head");
  }
  if (!view) {
    const values = await readValues(context, meta);
    view = await viewPlan(meta, values, { now, fileName: opts.fileName });
    await pause();
    if (rowsOutsideTable(view, config)) {
      // Rows typed under the table in an editor that does not extend Excel tables (WPS, LibreOffice, a script): the
      // formulas would not count them, so the plan is structured again first, as a user would be asked to.
      const s = await structureWithView(
        context,
        { lang: config.lang, sheet: meta.name, now, onProgress: opts.onProgress, fileName: opts.fileName },
        meta,
      );
      ({ meta, view, config } = s);
      structured = s.result;
    }
  }
  const model = summarize(view.extract.rows, config.period, now, { tracked: view.extract.tracked });
  const lang = config.lang;
  const text = narrative(model, lang);
  // The model and the summary's writes are separate tasks for the page (pause.ts).
  await pause();
  // --as-of (or a date chosen in the pane) holds in the file; without one the as-of cell is =TODAY().
  const fixedAsOf = opts.asOf !== undefined;

  step("summary");
  const budget = new SyncBudget(context);
  let name: string;
  // What Excel accepted before a failure goes into the error as done.
  const done: string[] = [];
  let found: (() => PlanSheets) | undefined;
  try {
    const { ws, overdue } = writeSummary(context, { meta, config, model, text, lang, now, fixedAsOf, budget });
    // The other plan sheets, read in this batch's next round trip (the summary written above is not among them).
    found = queuePlanSheets(context, meta.sheetsInfo, ourSheetIds({ ...meta, config }));
    step("charts");
    ws.load("id,name");
    overdue?.load("id");
    await budget.flush();
    done.push("summary", "charts");
    name = ws.name;
    // The ids are known only now; storing them lets the next run replace these sheets and never a user's namesake.
    context.workbook.settings.add(
      CONFIG_KEY,
      JSON.stringify({ ...config, summarySheetId: ws.id, overdueSheetId: overdue?.id }),
    );
    await context.sync();
  } catch (e) {
    const t = translateOfficeError(e);
    if (t instanceof PlanLedgerError) throw t;
    throw new PlanLedgerError("partial", failureParams(e), done);
  }
  return {
    sheet: name,
    kpis: {
      activities: model.activities,
      completed: model.completed,
      rate: model.rate,
      overdue: model.overdue,
      pace: model.pace,
    },
    narrative: text,
    charts: chartCount(config),
    structured,
    // A wide plan is known by its wide sheet's name, as discovery lists it.
    ...planSheetsOf(config.wide?.sheet ?? config.sheet, found?.()),
    model,
    plan: {
      sheet: config.sheet,
      table: config.table,
      period: config.period,
      periodSource: view.periodSource,
      periodEvidence: view.periodEvidence,
      columns: config.columns,
      rows: view.extract.rows.length,
      findings: view.extract.findings,
    },
  };
}

/** The workbook's plan sheets and, when there are others, the warning that this summary leaves them out. */
function planSheetsOf(
  sheet: string,
  found: PlanSheets | undefined,
): Pick<SummaryResult, "planSheets" | "otherPlanSheets"> {
  if (!found) return { planSheets: [] };
  const warning = otherPlanSheets(sheet, found);
  return { planSheets: found.plans.map((p) => p.name), ...(warning ? { otherPlanSheets: warning } : {}) };
}

/** 序时进度: the elapsed share of the period at the as-of date, as a formula over one plan's names. */
export function paceFormula(names: PlanNames, months: number): string {
  const A = names.asOf;
  const PS = names.periodStart;
  const elapsed = `((YEAR(${A})*12+MONTH(${A}))-(YEAR(${PS})*12+MONTH(${PS})))`;
  return `IF(${elapsed}<0,0,IF(${elapsed}>=${months},1,(${elapsed}+DAY(${A})/DAY(EOMONTH(${A},0)))/${months}))`;
}

/** The status criterion of "every item" in {@link statusCount}: a status column is blank ("") on rows that are none. */
export const ITEMS = '"?*"';
/** The criterion of the blank group (no owner, no unit): blank cells only. */
export const BLANK_KEY = '"="';

/**
 * COUNTIFS over a plan's status column `S` with `crit` (a status word, or {@link ITEMS}) and further (range,
 * criterion) pairs; with `sum`, SUMIFS of that column instead. Every item is counted as all rows less those whose
 * status is "" (the criterion "" matches empty text and blank cells, as COUNTBLANK does), not with the wildcard "?*":
 * LibreOffice runs a wildcard through its text search for every cell, which made a 50,000-row plan's summary take
 * about 2 s of its 10 s recalculation. A blank key keeps "?*" in front: LibreOffice's COUNTIFS misses blank cells
 * matched by "=" when that criterion leads and its range starts blank (a blank owner on the first plan rows counted 0).
 * @example statusCount("Plan[状态]", ITEMS, [["Plan[月份]", '">="&DATE(2025,1,1)']])
 * // '(COUNTIFS(Plan[月份],">="&DATE(2025,1,1))-COUNTIFS(Plan[状态],"",Plan[月份],">="&DATE(2025,1,1)))'
 */
export function statusCount(
  S: string,
  crit: string,
  pairs: readonly (readonly [string, string])[] = [],
  sum?: string,
): string {
  const rest = pairs.map(([range, c]) => `,${range},${c}`).join("");
  const fn = sum !== undefined ? `SUMIFS(${sum},` : pairs.length > 0 ? "COUNTIFS(" : "COUNTIF(";
  if (crit !== ITEMS || pairs.some(([, c]) => c === BLANK_KEY)) return `${fn}${S},${crit}${rest})`;
  if (pairs.length === 0) {
    return sum !== undefined ? `(SUM(${sum})-SUMIFS(${sum},${S},""))` : `(ROWS(${S})-COUNTIF(${S},""))`;
  }
  return `(${fn}${rest.slice(1)})-${fn}${S},""${rest}))`;
}

/**
 * The criteria a group row counts by: the blank group's "=" (blank cells) or the row's key cell, then each further
 * spelling of the group's cells (张　三, "宣传 ", a cell of spaces in the blank group), held as text in the row's hidden
 * helper cells from HELPER_COL on. The core model groups those spellings as one; COUNTIFS compares text as it is.
 * @example groupCriteria("", "$A9", 8, 1) // ['"="', '"="&SUBSTITUTE(…$Z9…)']
 */
export function groupCriteria(key: string, keyCell: string, row: number, further: number): string[] {
  const helpers = Array.from({ length: further }, (_, i) =>
    exactCriteria(`$${columnLetter(HELPER_COL + i)}${row + 1}`),
  );
  return [key === "" ? BLANK_KEY : exactCriteria(keyCell), ...helpers];
}

/** The sum of `values` over a unit's items: one SUMIFS pair per criterion of the unit (groupCriteria), added. */
export function unitSum(S: string, unit: string, crits: readonly string[], values: string): string {
  return crits.map((crit) => statusCount(S, ITEMS, [[unit, crit]], values)).join("+");
}

/**
 * How many of a unit's items record a numeric actual: a numeric criterion never matches text, so only numbers count.
 * No such item means nothing was recorded, not "0 done".
 */
export function unitRecorded(S: string, unit: string, crits: readonly string[], actual: string): string {
  return crits
    .map((crit) =>
      statusCount(S, ITEMS, [
        [actual, '">-1E+307"'],
        [unit, crit],
      ]),
    )
    .join("+");
}

/** Criteria that match a cell's text exactly in COUNTIFS/SUMIFS: wildcards escaped, "=" in front. */
export function exactCriteria(cell: string): string {
  return `"="&SUBSTITUTE(SUBSTITUTE(SUBSTITUTE(${cell},"~","~~"),"*","~*"),"?","~?")`;
}

/** A text cell written through Range.values, stored literally (the apostrophe is not part of the value). */
export function literal(s: string): string {
  return `'${s}`;
}

/** The charts a summary of this plan draws: by month and by owner only when the plan has those columns. */
function chartCount(config: PlanConfig): number {
  return 1 + (config.columns.month ? 1 : 0) + (config.columns.owner ? 1 : 0);
}

type SummaryContext = {
  meta: SheetMeta;
  config: PlanConfig;
  model: SummaryModel;
  text: string;
  lang: Lang;
  now: Date;
  /** True when the as-of date was chosen (--as-of): the as-of cell holds it instead of =TODAY(). */
  fixedAsOf: boolean;
  budget: SyncBudget;
};

/** Row and column (0-based) of the summary's as-of cell, the one PlanLedger_AsOf names. */
const AS_OF_CELL = { row: 1, col: 1 };

function writeSummary(
  context: Excel.RequestContext,
  sc: SummaryContext,
): { ws: Excel.Worksheet; overdue?: Excel.Worksheet } {
  const { meta, config, model, text, lang, now, fixedAsOf, budget } = sc;
  const wb = context.workbook;
  const T = config.table;
  const col = (field: keyof PlanConfig["columns"]) => config.columns[field];
  const S = tableCol(T, config.computed.status);
  const words = statusWords(lang);
  const q = (s: string) => `"${s.replace(/"/g, '""')}"`;

  // Replace our own summary sheet in place (same name, same position); a user's sheet of that name is never touched.
  const own = config.summarySheetId ? meta.sheetsInfo.find((s) => s.id === config.summarySheetId) : undefined;
  const ownOverdue = config.overdueSheetId ? meta.sheetsInfo.find((s) => s.id === config.overdueSheetId) : undefined;
  let summaryName: string;
  if (own) {
    wb.worksheets.getItem(own.name).delete();
    summaryName = own.name;
  } else {
    summaryName = pickSummaryName(meta.sheetNames, wbText(lang, "sheet.summary"), wbText(lang, "sheet.summaryAlt"));
  }
  const ws = wb.worksheets.add(summaryName);
  if (own) ws.position = own.position;
  // PlanLedger_AsOf names this sheet's 统计截至 cell from now on (the plan's status column reads it too).
  if (meta.names.some((n) => n.toLowerCase() === NAMES.asOf.toLowerCase())) wb.names.getItem(NAMES.asOf).delete();
  wb.names.add(
    NAMES.asOf,
    `=${absoluteRef(summaryName, AS_OF_CELL.row, AS_OF_CELL.col, AS_OF_CELL.row, AS_OF_CELL.col)}`,
  );
  // The tables on our old summary sheet go with it; every other table, a user's SummaryByMonth included, keeps its name.
  const tableNames = meta.tableNames.filter(
    (_, i) => (!own || meta.tableSheets[i] !== own.name) && (!ownOverdue || meta.tableSheets[i] !== ownOverdue.name),
  );

  const rows: {
    r: number;
    values: (string | number | null)[];
    formulas?: (string | number | null)[];
    fmt?: (string | null)[];
    /** Texts written from column `at` on (the hidden helper cells of a group's further spellings). */
    at?: number;
    texts?: string[];
  }[] = [];
  let helperCols = 0;
  const put = (r: number, values: (string | number | null)[]) => rows.push({ r, values });
  const putF = (r: number, formulas: (string | number | null)[], fmt?: (string | null)[]) =>
    rows.push({ r, values: [], formulas, fmt });
  /** A group's further spellings (all but its key) into the hidden helper cells of row `r`; returns how many. */
  const helperTexts = (r: number, spellings: readonly string[] | undefined): number => {
    const extra = (spellings ?? []).slice(1);
    if (extra.length > 0) {
      rows.push({ r, values: [], at: HELPER_COL, texts: extra.map(literal) });
      helperCols = Math.max(helperCols, extra.length);
    }
    return extra.length;
  };

  put(0, [
    literal(
      wbText(lang, "summary.title", {
        name: config.sheet,
        // A one-month plan is named by its month, not "2025年3月–2025年3月".
        period:
          config.period.start === config.period.end
            ? monthLabel(config.period.start, lang)
            : `${monthLabel(config.period.start, lang)}–${monthLabel(config.period.end, lang)}`,
      }),
    ),
  ]);
  put(1, [
    literal(wbText(lang, "summary.asOf")),
    null,
    null,
    literal(wbText(lang, "summary.generated", { time: now.toISOString().slice(0, 16).replace("T", " ") })),
  ]);
  // The one as-of date of the workbook: every status, the overdue count and the pace read it.
  putF(AS_OF_CELL.row, [null, fixedAsOf ? toWorkbookSerial(dateSerial(now), meta) : "=TODAY()"], [null, "yyyy-mm-dd"]);
  put(
    3,
    [
      "summary.kpi.activities",
      "summary.kpi.completed",
      "summary.kpi.rate",
      "summary.kpi.overdue",
      "summary.kpi.pace",
    ].map((k) => literal(wbText(lang, k))),
  );
  const kActs = statusCount(S, ITEMS);
  const kDone = `COUNTIF(${S},${q(words.done)})`;
  const names = planNames(T);
  // Over the period's own months: 12 for a year, fewer for a one-month plan or a school term (core elapsedShare).
  const pace = paceFormula(names, periodLength(config.period));
  // Without recorded progress nothing is done or overdue: the KPI row says "—" instead of 0 and 0 %.
  const ifTracked = (f: string) => `=IF(${names.tracked},${f},"—")`;
  putF(
    4,
    [
      `=${kActs}`,
      ifTracked(kDone),
      ifTracked(`IFERROR(${kDone}/${kActs},"")`),
      ifTracked(`COUNTIF(${S},${q(words.overdue)})`),
      `=${pace}`,
    ],
    [null, null, PERCENT_NUMBER_FORMAT, null, PERCENT_NUMBER_FORMAT],
  );
  put(6, [literal(text)]);

  let r = 8;
  const tables: { name: string; r0: number; r1: number; cols: number }[] = [];
  // The status pair comes first (statusCount). `keyCrit` is one criterion on `keyRange`, or several (a month's range
  // of days: ">="&first, "<"&next).
  const countCols = (keyCrit: string | readonly string[], keyRange: string) => {
    const pairs = (typeof keyCrit === "string" ? [keyCrit] : keyCrit).map((c) => [keyRange, c] as const);
    const acts = statusCount(S, ITEMS, pairs);
    const done = statusCount(S, q(words.done), pairs);
    const over = statusCount(S, q(words.overdue), pairs);
    return { acts, done, over };
  };
  const headersGroup = (keyKey: string) =>
    [keyKey, "summary.col.activities", "summary.col.completed", "summary.col.overdue", "summary.col.rate"].map((k) =>
      literal(wbText(lang, k)),
    );

  const section = (titleKey: string, params: Record<string, string | number> = {}) => {
    put(r, [literal(wbText(lang, titleKey, params))]);
    r++;
  };

  // By month: a row per month of the period, then annual; rows without a month are the remainder. A plan without a
  // month column has no such table, and the sheet says why.
  const monthCol = col("month");
  const M = monthCol ? tableCol(T, monthCol) : undefined;
  let monthTable: { header: number; first: number; last: number } | undefined;
  if (!M) {
    section("summary.section.byMonth");
    put(r++, [literal(wbText(lang, "summary.noColumn", { role: wbText(lang, "summary.col.month") }))]);
    r++;
  } else {
    section("summary.section.byMonth");
    const monthHeader = r;
    put(r++, headersGroup("summary.col.month"));
    const monthRows = model.byMonth.filter((g) => isMonthKey(g.key) || g.key === ANNUAL);
    const monthStart = r;
    for (const g of monthRows) {
      // The key cell shows the month as text (chart categories ignore number formats); the criteria are the month's
      // range of days, constants of ours: a first-of-month date and a due date on any day of the month both fall in it.
      put(r, [literal(monthLabel(g.key, lang))]);
      const crit = isMonthKey(g.key) ? monthRange(g.key) : q(annualWord(lang));
      const c = countCols(crit, M);
      // A month without items has no rate: #N/A, which the rate line skips as a gap (a text "" would be plotted as
      // 0 %), hidden in the cell by a conditional format below.
      putF(
        r,
        [null, `=${c.acts}`, `=${c.done}`, `=${c.over}`, `=IF(B${r + 1}>0,C${r + 1}/B${r + 1},NA())`],
        [null, null, null, null, PERCENT_NUMBER_FORMAT],
      );
      r++;
    }
    const noMonth = model.byMonth.find((g) => g.key === "");
    if (noMonth) {
      put(r, [literal(monthLabel(null, lang))]);
      const sumAbove = (c: string) => `SUM(${c}${monthStart + 1}:${c}${r})`;
      putF(
        r,
        [
          null,
          `=${kActs}-${sumAbove("B")}`,
          `=${kDone}-${sumAbove("C")}`,
          `=COUNTIF(${S},${q(words.overdue)})-${sumAbove("D")}`,
          `=IFERROR(C${r + 1}/B${r + 1},"")`,
        ],
        [null, null, null, null, PERCENT_NUMBER_FORMAT],
      );
      r++;
    }
    tables.push({ name: "SummaryByMonth", r0: monthHeader, r1: r - 1, cols: 5 });
    monthTable = { header: monthHeader, first: monthStart, last: monthStart + monthRows.length - 1 };
    r++;
  }

  const groupTable = (
    name: string,
    titleKey: string,
    keyHeader: string,
    groups: SummaryModel["byOwner"],
    field: "owner" | "category",
    label: (k: string, l: Lang) => string,
  ) => {
    const colName = col(field);
    section(titleKey);
    const h = r;
    put(r++, headersGroup(keyHeader));
    const first = r;
    const range = colName ? tableCol(T, colName) : undefined;
    for (const g of groups) {
      put(r, [literal(label(g.key, lang))]);
      // A group spelt several ways (张三, 张　三; "宣传 ") is one: each further spelling sits in a hidden helper cell of
      // this row, and each is counted. User text stays in cells; formulas only refer to them.
      const extra = helperTexts(r, g.spellings);
      if (range) {
        // The blank group is labelled for people; its criterion is the constant "=" (blank cells), not the label.
        const crits = groupCriteria(g.key, `$A${r + 1}`, r, extra);
        const parts = crits.map((crit) => countCols(crit, range));
        const sum = (k: "acts" | "done" | "over") => parts.map((p) => p[k]).join("+");
        putF(
          r,
          [null, `=${sum("acts")}`, `=${sum("done")}`, `=${sum("over")}`, `=IFERROR(C${r + 1}/B${r + 1},"")`],
          [null, null, null, null, PERCENT_NUMBER_FORMAT],
        );
      }
      r++;
    }
    if (groups.length === 0) r++;
    tables.push({ name, r0: h, r1: Math.max(r - 1, h + 1), cols: 5 });
    const out = { header: h, first, last: first + Math.max(groups.length, 1) - 1 };
    r++;
    return out;
  };
  // A plan without an owner column has no owner table, and the sheet says why.
  let ownerTable: { header: number; first: number; last: number } | undefined;
  if (col("owner")) {
    ownerTable = groupTable(
      "SummaryByOwner",
      "summary.section.byOwner",
      "summary.col.owner",
      model.byOwner,
      "owner",
      ownerLabel,
    );
  } else {
    section("summary.section.byOwner");
    put(r++, [literal(wbText(lang, "summary.noColumn", { role: wbText(lang, "summary.col.owner") }))]);
    r++;
  }
  if (model.byCategory.some((g) => g.key !== "")) {
    groupTable(
      "SummaryByCategory",
      "summary.section.byCategory",
      "summary.col.category",
      model.byCategory,
      "category",
      categoryLabel,
    );
  }

  // By unit: quantities are only ever added within one unit.
  section("summary.section.byUnit");
  const unitHeader = r;
  put(
    r++,
    ["summary.col.unit", "summary.col.target", "summary.col.actual", "summary.col.variance", "summary.col.rate"].map(
      (k) => literal(wbText(lang, k)),
    ),
  );
  const unitFirst = r;
  const U = col("unit") ? tableCol(T, col("unit") as string) : undefined;
  const TT = col("target") ? tableCol(T, col("target") as string) : undefined;
  const AA = col("actual") ? tableCol(T, col("actual") as string) : undefined;
  for (const u of model.byUnit) {
    put(r, [literal(unitLabel(u.unit, lang))]);
    const extra = helperTexts(r, u.spellings);
    if (U && TT && AA) {
      const crits = groupCriteria(u.unit, `$A${r + 1}`, r, extra);
      putF(
        r,
        [
          null,
          // Rows whose status is blank are empty rows: only items are summed.
          `=${unitSum(S, U, crits, TT)}`,
          // No numeric actual recorded for the unit is not "0 done": the cell says so ("—"), as the model does.
          `=IF((${unitRecorded(S, U, crits, AA)})=0,"—",${unitSum(S, U, crits, AA)})`,
          `=IF(OR(B${r + 1}=0,NOT(ISNUMBER(C${r + 1}))),"",C${r + 1}-B${r + 1})`,
          `=IF(AND(B${r + 1}>0,ISNUMBER(C${r + 1})),C${r + 1}/B${r + 1},"")`,
        ],
        [null, null, null, null, PERCENT_NUMBER_FORMAT],
      );
    }
    r++;
  }
  if (model.byUnit.length === 0) r++;
  tables.push({ name: "SummaryByUnit", r0: unitHeader, r1: Math.max(r - 1, unitHeader + 1), cols: 5 });
  const unitTable = { header: unitHeader, first: unitFirst, last: unitFirst + Math.max(model.byUnit.length, 1) - 1 };
  r++;

  // Overdue items: a snapshot, labelled with its date. The activity comes first, in the wide column, wrapped: a name cut
  // short on paper is no use in a meeting. A long list is capped here (the most overdue first, the rest counted per
  // owner) and given in full on a sheet of its own, so the summary stays a page (5,000 rows made 51 pages of it).
  const overdueHeaders = [
    "summary.col.activity",
    "summary.col.month",
    "summary.col.owner",
    "summary.col.target",
    "summary.col.actual",
  ].map((k) => literal(wbText(lang, k)));
  const overdueRow = (item: SummaryModel["overdueItems"][number]) => overdueCells(item, lang);
  const capped = model.overdueItems.length > OVERDUE_CAP;
  const listed = capped ? model.overdueItems.slice(0, OVERDUE_CAP) : model.overdueItems;
  section(capped ? "summary.section.overdueTop" : "summary.section.overdue", {
    date: isoDate(now),
    n: OVERDUE_CAP,
  });
  const odHeader = r;
  put(r++, overdueHeaders);
  const odFirst = r;
  for (const item of listed) put(r++, overdueRow(item));
  if (model.overdueItems.length === 0) {
    put(r, [literal(wbText(lang, "summary.overdue.none", { date: isoDate(now) }))]);
    r++;
  }
  const odLast = r - 1;
  tables.push({ name: "OverdueItems", r0: odHeader, r1: r - 1, cols: 5 });
  let overdueSheet: OverdueSheet | undefined;
  if (capped) {
    const rest = new Map<string, number>();
    for (const item of model.overdueItems.slice(OVERDUE_CAP)) rest.set(item.owner, (rest.get(item.owner) ?? 0) + 1);
    r++;
    const sheetName = pickSummaryName(
      meta.sheetNames.filter((n) => n !== ownOverdue?.name && n !== own?.name),
      wbText(lang, "sheet.overdue"),
      wbText(lang, "sheet.overdueAlt"),
    );
    put(r++, [
      literal(
        wbText(lang, "summary.overdue.rest", {
          n: model.overdueItems.length - OVERDUE_CAP,
          total: model.overdueItems.length,
          sheet: sheetName,
        }),
      ),
    ]);
    const restHeader = r;
    put(r++, [literal(wbText(lang, "summary.col.owner")), literal(wbText(lang, "summary.col.overdueRest"))]);
    // Most left over first, as the narrative names owners.
    const restRows = [...rest].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    for (const [owner, count] of restRows) put(r++, [literal(ownerLabel(owner, lang)), count]);
    tables.push({ name: "OverdueRest", r0: restHeader, r1: r - 1, cols: 2 });
    overdueSheet = { name: sheetName, rows: model.overdueItems.map(overdueRow), headers: overdueHeaders };
  }

  // Cells: values then formulas then formats, each row as its own small range.
  let bytes = 0;
  for (const row of rows) {
    if (row.values.length) {
      ws.getRangeByIndexes(row.r, 0, 1, row.values.length).values = [row.values];
      bytes += row.values.length * 40;
    }
    if (row.formulas) {
      ws.getRangeByIndexes(row.r, 0, 1, row.formulas.length).formulas = [row.formulas];
      bytes += row.formulas.reduce<number>((n, f) => n + (typeof f === "string" ? f.length : 12), 0);
    }
    if (row.fmt) ws.getRangeByIndexes(row.r, 0, 1, row.fmt.length).numberFormat = [row.fmt];
    if (row.texts && row.at !== undefined) {
      ws.getRangeByIndexes(row.r, row.at, 1, row.texts.length).values = [row.texts];
      bytes += row.texts.length * 40;
    }
  }
  // Helper cells are for the formulas, not for reading or printing. Range.columnHidden is ExcelApi 1.2: below it the
  // cells stay visible, which costs only looks.
  if (helperCols > 0 && isApiSupported("1.2")) {
    ws.getRange(`${columnLetter(HELPER_COL)}:${columnLetter(HELPER_COL + helperCols - 1)}`).columnHidden = true;
  }
  const userTables = new Set(tableNames.map((t) => t.toLowerCase()));
  for (const t of tables) {
    const table = ws.tables.add(rangeAddress(t.r0, 0, t.r1, t.cols - 1), true);
    let name = t.name;
    for (let i = 2; userTables.has(name.toLowerCase()); i++) name = `${t.name}${i}`;
    table.name = name;
    table.style = "TableStyleLight9";
  }
  // Numbers are right-aligned, so their headers are too: a left header over a right number reads as shifted.
  for (const t of tables) {
    if (t.cols > 1) ws.getRangeByIndexes(t.r0, 1, 1, t.cols - 1).format.horizontalAlignment = "Right";
  }
  // The overdue list's month and owner are text: their headers stay left.
  ws.getRangeByIndexes(odHeader, 1, 1, 2).format.horizontalAlignment = "Left";
  if (odLast >= odFirst && listed.length) {
    // Activity (A) and owner (C) wrap; each row is as tall as the taller of the two.
    ws.getRangeByIndexes(odFirst, 0, listed.length, 3).format.wrapText = true;
    const height = (row: (string | number)[]) =>
      Math.max(wrappedHeight(String(row[0]), WIDTHS[0]), wrappedHeight(String(row[2]), WIDTHS[2]));
    setRowHeights(
      ws,
      odFirst,
      listed.map((item) => height(overdueRow(item))),
    );
  }
  ws.getRange("A1").format.font.bold = true;
  ws.getRange("A1").format.font.size = 14;
  // The narrative wraps within the tables' width instead of running under the charts, on screen and on paper.
  const story = ws.getRange("A7:F7");
  story.merge();
  story.format.wrapText = true;
  story.format.verticalAlignment = "Top";
  story.format.rowHeight = narrativeHeight(text);
  WIDTHS.forEach((w, i) => (ws.getRange(`${columnLetter(i)}1`).format.columnWidth = w));
  // Printed for meetings: tables and charts side by side on one page across, on A4 (the paper of the offices that keep
  // these ledgers). PageLayout.paperSize is ExcelApi 1.9 (@types/office-js), as printAcross's settings are.
  printAcross(ws);
  if (isApiSupported("1.9")) ws.pageLayout.paperSize = "A4";

  // Charts: plan light with an outline, actual solid dark, rate as a dark line, beside the tables (charts.ts).
  summaryCharts(ws, lang, model, { month: monthTable, owner: ownerTable, unit: unitTable }, CHART_LEFT);

  budget.touch(bytes + 20000);
  const full = overdueSheet ? writeOverdueSheet(context, sc, overdueSheet, ownOverdue) : undefined;
  if (!overdueSheet && ownOverdue) wb.worksheets.getItem(ownOverdue.name).delete();
  return { ws, overdue: full };
}

/**
 * One overdue item as the lists write it: activity, month, owner (text entered literally), target, actual. An item is
 * never listed without a name: a blank activity shows the row it is on.
 */
export function overdueCells(item: SummaryModel["overdueItems"][number], lang: Lang): (string | number)[] {
  return [
    literal(item.activity || wbText(lang, "summary.rowName", { row: item.gridRow + 1 })),
    literal(monthLabel(item.bucket, lang)),
    literal(ownerLabel(item.owner, lang)),
    item.target ?? "",
    item.actual ?? "",
  ];
}

/** More overdue items than this are listed on a sheet of their own; the summary lists the most overdue. */
export const OVERDUE_CAP = 20;

type OverdueSheet = { name: string; rows: (string | number)[][]; headers: string[] };

/**
 * The full overdue list on its own sheet (replaced in place on the next summary): title, the dated snapshot as the
 * table OverdueAll, activity names wrapped, header repeated on every printed page, A4 landscape.
 */
function writeOverdueSheet(
  context: Excel.RequestContext,
  sc: SummaryContext,
  o: OverdueSheet,
  old: { name: string; position: number } | undefined,
): Excel.Worksheet {
  const { lang, now, meta } = sc;
  if (old) context.workbook.worksheets.getItem(old.name).delete();
  const ws = context.workbook.worksheets.add(o.name);
  if (old) ws.position = old.position;
  ws.getRange("A1").values = [
    [literal(wbText(lang, "summary.section.overdue", { date: isoDate(now), n: o.rows.length }))],
  ];
  ws.getRange("A1").format.font.bold = true;
  const last = 2 + o.rows.length;
  ws.getRangeByIndexes(2, 0, 1, 5).values = [o.headers];
  // Written in blocks: a 5,000-row plan can have thousands of overdue items.
  for (let s = 0; s < o.rows.length; s += 5000) {
    const part = o.rows.slice(s, s + 5000);
    ws.getRangeByIndexes(3 + s, 0, part.length, 5).values = part;
  }
  const table = ws.tables.add(rangeAddress(2, 0, last, 4), true);
  const taken = new Set(meta.tableNames.map((t) => t.toLowerCase()));
  let name = "OverdueAll";
  for (let i = 2; taken.has(name.toLowerCase()); i++) name = `OverdueAll${i}`;
  table.name = name;
  table.style = "TableStyleLight9";
  ws.getRangeByIndexes(2, 3, 1, 2).format.horizontalAlignment = "Right";
  const widths = [260, 80, 110, 72, 72];
  widths.forEach((w, i) => (ws.getRange(`${columnLetter(i)}1`).format.columnWidth = w));
  if (o.rows.length) {
    ws.getRangeByIndexes(3, 0, o.rows.length, 3).format.wrapText = true;
    const height = (row: (string | number)[]) =>
      Math.max(wrappedHeight(String(row[0]), widths[0]), wrappedHeight(String(row[2]), widths[2]));
    setRowHeights(ws, 3, o.rows.map(height));
  }
  printAcross(ws, { from: 2, to: 2 });
  if (isApiSupported("1.9")) ws.pageLayout.paperSize = "A4";
  sc.budget.touch(o.rows.length * 120 + 4000);
  return ws;
}

export function pickSummaryName(sheetNames: string[], base: string, alt: string): string {
  const taken = new Set(sheetNames.map((s) => s.toLowerCase()));
  if (!taken.has(base.toLowerCase())) return base;
  if (!taken.has(alt.toLowerCase())) return alt;
  for (let i = 2; ; i++) if (!taken.has(`${alt} ${i}`.toLowerCase())) return `${alt} ${i}`;
}

/** Row height (points) that shows the narrative wrapped across columns A–F. */
function narrativeHeight(text: string): number {
  return wrappedHeight(
    text,
    WIDTHS.reduce((a, b) => a + b, 0),
  );
}

/**
 * Row height (points) that shows `text` wrapped in a column `width` points wide. Set explicitly because LibreOffice
 * does not grow rows for wrapped text when it opens an .xlsx (only the last line of a name showed in its PDF). Widths
 * are generous estimates for Calibri 11 and the CJK fallback fonts: 6 pt a Latin character, 11.5 pt a CJK one, and
 * 16 pt a line, so a name is never cut; Excel's row limit is 409 pt.
 */
export function wrappedHeight(text: string, width: number): number {
  const usable = Math.max(20, width - 8);
  let lines = 0;
  for (const para of text.split(/\r?\n/)) {
    const w = [...para].reduce((n, ch) => n + (ch.charCodeAt(0) > 0x2e80 ? 11.5 : 6), 0);
    lines += Math.max(1, Math.ceil(w / usable));
  }
  return Math.min(409, Math.max(1, lines) * 16);
}

/** Sets the rows' heights in runs of equal height, so a long list costs one call per run, not one per row. */
/** Sets rows' heights from `first`, one request per run of equal heights. */
export function setRowHeights(ws: Excel.Worksheet, first: number, heights: readonly number[]): void {
  let start = 0;
  for (let i = 1; i <= heights.length; i++) {
    if (i === heights.length || heights[i] !== heights[start]) {
      ws.getRangeByIndexes(first + start, 0, i - start, 1).format.rowHeight = heights[start];
      start = i;
    }
  }
}

/** True when a plan row has no computed status: it lies outside the plan table (the formula fills every table row). */
function rowsOutsideTable(view: PlanView, config: PlanConfig): boolean {
  const status = cleanText(config.computed.status);
  const col = view.detection.headers.findIndex((h) => cleanText(h) === status);
  if (col < 0) return false;
  return view.extract.rows.some((r) => {
    const v: unknown = view.grid[r.gridRow]?.[col];
    return v === "" || v === null || v === undefined;
  });
}

/**
 * COUNTIFS criteria for the days of a month: on or after its first day and before the next month's. A date range as
 * two criteria on one range is Microsoft's own example (support.microsoft.com, "Count numbers or dates based on a
 * condition": =COUNTIFS(B14:B17,">=1/1/2010",B14:B17,"<=12/31/2010")); DATE keeps it independent of the locale's
 * date text and follows the workbook's date system.
 */
export function monthRange(key: string): string[] {
  const y = Number(key.slice(0, 4));
  const m = Number(key.slice(5, 7));
  const [ny, nm] = m === 12 ? [y + 1, 1] : [y, m + 1];
  return [`">="&DATE(${y},${m},1)`, `"<"&DATE(${ny},${nm},1)`];
}
