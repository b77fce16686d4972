import { formulaChanges, formulaRanges, isAdding, type FormulaCell, type FormulaChange } from "../core/formulas";
import { formatBoth } from "../core/i18n";
import { dateLabel, fieldLabel, monthLabel, PERCENT_NUMBER_FORMAT } from "../core/labels";
import { a1, FINDING_CATALOGS, TOTAL_WORDS } from "../core/plan";
import { periodAssumed, periodMonths } from "../core/period";
import { clip } from "../core/text";
import { headerSpan } from "../core/header";
import { cleanText, textLanguage } from "../core/text";
import {
  ANNUAL,
  type Field,
  type Finding,
  type Grid,
  type HeaderDetection,
  type Lang,
  type PlanRow,
} from "../core/types";
import { absoluteRef, columnLetter, rangeAddress, type Rect0 } from "./a1";
import { cellBytes, gridBytes, rowsPerBlock, SyncBudget } from "./budget";
import { CONFIG_KEY, FORMAT_VERSION, PLANS_KEY, type PlanConfig } from "./config";
import {
  annualWord,
  annualStatusFormula,
  dateStatusFormulas,
  a1Row,
  completionFormula,
  dateFormat,
  daySerial,
  DEFAULT_UNITS,
  doneWords,
  monthFormat,
  monthSerial,
  planNames,
  type PlanNames,
  statusFormula,
  type RowFormulaColumns,
  STATUSES,
  statusWords,
  TABLE_STYLE,
  tableCol,
  wbText,
} from "./layout";
import { failureParams } from "./failure";
import {
  PlanLedgerError,
  type ItemsSheetResult,
  type PreviewOptions,
  type StructureOptions,
  type ChangeExample,
  type StructurePreview,
  type StructureResult,
} from "./operations";
import { detect, toMergedArea, viewPlan, type PlanView } from "./plan-read";
import { readBody, readMeta, translateOfficeError, type SheetMeta } from "./read";
import { applyHeaderLooks, loadHeaderLooks } from "./readable";
import { isApiSupported } from "./requirements";
import { keepOriginal, loadOriginalFacts, originalState } from "./restore";
import { clearStyleFills_1_9, restoreFormulas } from "./restructure";
import { buildItemsSheet, findWide, translateFindings, wideView, type WideSource } from "./wide";
import { itemKey } from "../core/wide";
import { pause, slices } from "./pause";
import { otherSheetsYear } from "./plansheets";

/** Fields whose cells structurePlan may rewrite (normalised), so their formulas are read to leave formula cells alone. */
const WRITABLE: readonly Field[] = ["month", "owner", "coOwners", "category", "unit", "target", "actual", "notes"];

/** The columns of the fields structuring may write: their formulas are read. */
export function writableColumns(d: HeaderDetection): number[] {
  return [...new Set(WRITABLE.map((f) => d.mapping[f]).filter((c): c is number => c !== undefined))];
}

/** The target and actual columns: their number formats tell a percentage from a count. */
export function quantityColumns(d: HeaderDetection): number[] {
  return [...new Set([d.mapping.target, d.mapping.actual].filter((c): c is number => c !== undefined))];
}

/**
 * Round trip 2 of reading a plan, for check and for structure: the body (values unless the first read had them all),
 * the formulas of the columns structuring may write (a 合计 =SUM there is listed when its value would change) and
 * the number formats of the quantity columns that hold numbers (a percentage counts in %), then the plan over it.
 * Whatever the caller queued before (validation, table ranges) rides along with its first sync.
 */
export async function readPlanView(
  context: Excel.RequestContext,
  meta: SheetMeta,
  head: HeaderDetection,
  opts: Pick<PreviewOptions, "mapping" | "periodStart" | "fileName">,
  now: Date,
) {
  const values = meta.values;
  const body = await readBody(context, meta.sheet, meta.rows, meta.cols, {
    values,
    formulasCols: writableColumns(head),
    formatCols: quantityColumns(head).filter((c) => values?.some((row) => typeof row[c] === "number") ?? true),
    sample: meta.head,
  });
  const read = (periodStart: string | undefined) =>
    viewPlan(meta, body.values, {
      override: opts.mapping,
      periodStart,
      now,
      fileName: opts.fileName,
      numberFormats: body.formats,
    });
  let view = await read(opts.periodStart);
  if (opts.periodStart === undefined && periodAssumed(view.periodSource)) {
    // The sheet names no year; a department sheet beside 2025年学会部工作计划 is 2025's, not the running year's.
    const named = await otherSheetsYear(context, meta, now);
    if (named) {
      view = {
        ...(await read(named.start)),
        periodSource: "otherSheet",
        periodEvidence: `${named.sheet} › ${named.evidence}`,
      };
    }
  }
  // Reading the plan and what comes next (planning writes, formula effects) are separate tasks for the page.
  await pause();
  return { body, view };
}

/** Fields whose columns get data validation. */
const VALIDATED: readonly Field[] = ["month", "activity", "owner", "category", "target", "actual"];

/** Fields whose merged cells the core reads as covering every row (core/plan.ts), so the sheet is filled the same way. */
const FILLED: readonly Field[] = ["month", "activity", "owner", "coOwners", "category", "unit"];

/**
 * Options beyond the UI's: a clock (tests, the CLI's --as-of), and the least detection confidence to act on without
 * asking (the one-click summary structures an unstructured sheet only when detection is sure enough).
 */
export type StructureRun = StructureOptions & { now?: Date; minConfidence?: number };

/** One planned column of the table, left to right. */
type PlannedColumn = {
  col: number;
  header: string;
  added: boolean;
  field?: Field | "completion" | "tracking";
};

/**
 * Structures a plan sheet: unmerges and fills merged cells in the data, normalises months and quantities (keeping the
 * original wording in the notes where it would be lost), turns header + data into an Excel Table with computed
 * completion and status columns, adds lists, validation, status formatting, frozen header and widths, and stores the
 * configuration. Three round trips for sheets up to about 10,000 rows; more only where 5 MB requests force blocks.
 */
export async function structurePlan(context: Excel.RequestContext, opts: StructureRun): Promise<StructureResult> {
  return (await structureWithView(context, opts)).result;
}

/** What structuring learnt and wrote, for a summary generated in the same batch without reading the sheet again. */
export type Structured = { result: StructureResult; view: PlanView; meta: SheetMeta; config: PlanConfig };

/**
 * structurePlan, also returning the plan as read (rows as the summary needs them) and the configuration stored. A wide
 * sheet (months or quarters as columns) is never written to: its items sheet is built (or rebuilt) and structured
 * instead, and the findings name the wide sheet's cells.
 */
export async function structureWithView(
  context: Excel.RequestContext,
  opts: StructureRun,
  known?: SheetMeta,
): Promise<Structured> {
  const now = opts.now ?? new Date();
  const { meta: first, src } = await findWide(context, { ...opts, known, now });
  // Not wide: the sheet just read is the one to structure (no second reading of it).
  if (!src) return structureSheet(context, { ...opts, sheet: first.name }, first);
  opts.onProgress?.("read");
  const built = await buildItemsSheet(context, src);
  // The user's column choices were for the wide sheet (applied there); the items sheet's columns are ours.
  const s = await structureSheet(context, {
    ...opts,
    sheet: built.result.sheet,
    mapping: undefined,
    periodStart: src.period.start,
    workbookLang: src.lang,
    generated: true,
  });
  const config: PlanConfig = { ...s.config, wide: built.record };
  context.workbook.settings.add(CONFIG_KEY, JSON.stringify(config));
  // planLedger.plans too, when kept: discovery knows the items sheet by its `wide` there.
  keepPlanConfigs(context.workbook, s.meta, config);
  await context.sync();
  const findings = translateFindings(s.result.findings, built.links);
  const view: PlanView = {
    ...s.view,
    // Where the period came from is the wide sheet's story (its name, title or the file's), not the items sheet's.
    periodSource: src.periodSource,
    periodEvidence: src.periodEvidence,
    extract: { ...s.view.extract, findings: translateFindings(s.view.extract.findings, built.links) },
  };
  return {
    result: { ...s.result, findings, items: built.result },
    view,
    meta: { ...s.meta, config },
    config,
  };
}

/** Structures one sheet as it is (a long plan, or the items sheet of a wide one). */
async function structureSheet(
  context: Excel.RequestContext,
  opts: StructureRun & { generated?: boolean },
  known?: SheetMeta,
): Promise<Structured> {
  const { step, meta, own, view, plan, formulaReport, validations, originalFacts, ownRect, looks, lang } =
    await planStructure(context, opts, known);
  await pause();
  const budget = new SyncBudget(context);
  let config: PlanConfig;
  let originalKept = false;
  try {
    // The copy of the sheet as it is, queued before the first write (Excel runs a request's actions in order).
    // The items sheet of a wide plan is ours from its first cell: Restore removes it instead of putting it back.
    originalKept =
      !opts.generated &&
      opts.keepOriginal !== false &&
      keepOriginal(
        context,
        originalFacts,
        {
          ws: meta.sheet,
          id: meta.id,
          name: meta.name,
          sheetNames: meta.sheetNames,
          tables: meta.tables.map((t) => t.name),
        },
        { structured: own !== undefined, pageLayoutSet: meta.pageLayoutUntouched === true, minRows: 0, minCols: 0 },
      );
    if (originalKept) budget.touch(2000);
    const userValidated = new Set(
      validations.filter((v) => isUsersValidation(v.dv, own !== undefined)).map((v) => v.col),
    );
    // Columns kept on an earlier run stay kept, however the rows have changed since.
    for (const header of own?.userValidation ?? []) {
      const col = plan.columns.find((c) => cleanText(c.header) === cleanText(header))?.col;
      if (col !== undefined) userValidated.add(col);
    }
    config = await writeAll(context, budget, meta, view, plan, lang, own, userValidated, step, ownRect);
    applyHeaderLooks(meta.sheet, looks, plan.headerRow, view.detection.mapping.month, config.lang);
    step("save");
    await budget.flush();
  } catch (e) {
    const t = translateOfficeError(e);
    if (t instanceof PlanLedgerError) throw t;
    // What Excel accepted before the failure is what the user is told was done.
    throw new PlanLedgerError("partial", failureParams(e), budget.done);
  }
  const result: StructureResult = {
    sheet: meta.name,
    table: plan.tableName,
    rows: view.extract.rows.length,
    unmergedAreas: plan.unmerge.length,
    normalizedCells: plan.normalizedCells,
    originalsKept: plan.originalsKept,
    addedColumns: plan.columns.filter((c) => c.added && isField(c.field)).map((c) => c.field as Field),
    findings: [...view.extract.findings, ...formulaReport.findings],
    changedFormulas: formulaReport.changed,
    originalKept,
  };
  const after: SheetMeta = {
    ...meta,
    config,
    // The names the lists sheet defined exist now: a summary in the same batch replaces, not re-adds, them.
    names: [...new Set([...meta.names, ...Object.values(planNames(config.table))])],
    sheetNames: meta.sheetNames.includes(config.listsSheet) ? meta.sheetNames : [...meta.sheetNames, config.listsSheet],
    ...(meta.tableNames.includes(config.table)
      ? {}
      : { tableNames: [...meta.tableNames, config.table], tableSheets: [...meta.tableSheets, meta.name] }),
  };
  return { result, view, meta: after, config };
}

/** Asked to keep no copy, a run that would keep one ("now") keeps none. */
function originalOf(state: "now" | "already" | "none", keep: boolean | undefined): "now" | "already" | "none" {
  return state === "now" && keep === false ? "none" : state;
}

/**
 * Structure's planning step, shared with the preview: reads the sheet (two round trips, plus blocks where 5 MB
 * requests force them) and computes every write before the first one, so refusals leave the workbook as it was and
 * the preview shows exactly what Structure would do. Writes nothing.
 */
async function planStructure(context: Excel.RequestContext, opts: StructureRun, known?: SheetMeta) {
  const now = opts.now ?? new Date();
  const step = opts.onProgress ?? (() => undefined);
  step("read");
  // A caller that has just read this sheet's metadata (the one-click summary) passes it: no second round trip.
  const meta = known && known.name === opts.sheet ? known : await readMeta(context, opts.sheet, "head");
  if (meta.protected) throw new PlanLedgerError("sheetProtected", { sheet: meta.name });
  // A filter the API cannot read (below ExcelApi 1.9, where `filter` is unknown) cannot be moved onto the table.
  if (meta.filtered && !meta.filter) throw new PlanLedgerError("filterActive", { sheet: meta.name });
  if (meta.rows === 0) throw new PlanLedgerError("emptySheet", { sheet: meta.name });

  step("detect");
  // The header is in the head block: its mapping says which columns' formulas to read with the values (round trip 2).
  const headDetection = detect((meta.head ?? []) as Grid, meta.merges, meta.config, meta.name, opts.mapping);
  if (opts.minConfidence !== undefined && headDetection.confidence < opts.minConfidence) {
    throw new PlanLedgerError("lowConfidence", {
      sheet: meta.name,
      confidence: Math.round(headDetection.confidence * 100),
    });
  }
  const own = meta.config && meta.config.sheet === meta.name ? meta.config : undefined;
  // Tables' ranges ride along with the formula read (round trip 2): others' to refuse an overlap, our own to know
  // whether it must change.
  const ranges = meta.tables.map((t) => {
    const r = t.table.getRange();
    r.load("rowIndex,columnIndex,rowCount,columnCount");
    return { name: t.name, r };
  });
  // A column with the user's own data validation (their list of departments …) keeps it; only ours is replaced. Each
  // column's validation rides along with round trip 2.
  const validations: { col: number; dv: Excel.DataValidation }[] = [];
  const dataTop = headDetection.headerRow + 1;
  if (meta.rows > dataTop) {
    for (const f of VALIDATED) {
      const col = headDetection.mapping[f];
      if (col === undefined) continue;
      const dv = meta.sheet.getRangeByIndexes(dataTop, col, meta.rows - dataTop, 1).dataValidation;
      dv.load("type,rule");
      validations.push({ col, dv });
    }
  }
  // The header's fills and the month column's width ride along too (readable.ts).
  const looks = loadHeaderLooks(
    meta.sheet,
    headDetection.headerRow,
    0,
    Math.min(255, Math.max(0, headDetection.headers.length - 1)),
    headDetection.mapping.month,
  );
  // Keeping the original (restore.ts) reads the widths and frozen panes with round trip 2 (kept on the first run only).
  const originalFacts = loadOriginalFacts(meta.sheet, meta.cols, meta.originals);
  // Formula cells are never overwritten: their formulas are read with the body.
  const { body, view } = await readPlanView(context, meta, headDetection, opts, now);
  refuseUnreadable(meta.name, view);
  if (body.syncs === 0) {
    try {
      await context.sync();
    } catch (e) {
      throw translateOfficeError(e);
    }
  }
  const lang = opts.workbookLang ?? workbookLang(view, own, opts.lang);
  const plan = await planWrites(meta, view, body.formulaRows, lang);
  await pause();
  const formulaReport = userFormulas(view, plan, body.formulas, lang);
  let ownRect: Rect0 | undefined;
  for (const { name, r } of ranges) {
    const rect = {
      r0: r.rowIndex,
      c0: r.columnIndex,
      r1: r.rowIndex + r.rowCount - 1,
      c1: r.columnIndex + r.columnCount - 1,
    };
    if (name === own?.table) ownRect = rect;
    else if (intersects(rect, plan.tableRect))
      throw new PlanLedgerError("tableOverlap", { table: name, sheet: meta.name });
  }
  // The table's name is chosen before anything is written: tables and defined names share one namespace, so a
  // workbook's own name "Plan" would otherwise make the table fail after the cells were already changed.
  plan.tableName =
    own?.table && meta.tables.some((t) => t.name === own.table)
      ? own.table
      : uniqueName("Plan", [...meta.tableNames.filter((t) => t !== own?.table), ...meta.names]);

  return { step, meta, own, view, plan, formulaReport, validations, originalFacts, ownRect, looks, lang };
}

/**
 * What Structure would change, computed by its own planning step and written nowhere: cells normalised (with
 * examples), merged areas undone, columns added, original wordings kept in notes, the user's formulas whose value
 * changes, and whether this run would keep the sheet's original for Restore.
 */
export async function previewStructure(context: Excel.RequestContext, opts: StructureRun): Promise<StructurePreview> {
  const { meta: first, src } = await findWide(context, { ...opts, now: opts.now ?? new Date() });
  if (src) return previewWide(src);
  const { meta, own, view, plan, formulaReport, originalFacts } = await planStructure(
    context,
    { ...opts, sheet: first.name },
    first,
  );
  return {
    sheet: meta.name,
    rows: view.extract.rows.length,
    normalizedCells: plan.normalizedCells,
    normalizedExamples: plan.examples.normalized,
    unmergedAreas: plan.unmerge.length,
    unmergedExamples: plan.unmerge.slice(0, EXAMPLES).map((m) => rangeAddress(m.r0, m.c0, m.r1, m.c1)),
    addedColumns: plan.columns
      .filter((c) => c.added && c.field !== undefined)
      .map((c) => ({
        field: c.field as StructurePreview["addedColumns"][number]["field"],
        header: c.header,
        column: columnLetter(c.col),
      })),
    originalsKept: plan.originalsKept,
    originalExamples: plan.examples.originals,
    changedFormulas: formulaReport.changed,
    findings: [...view.extract.findings, ...formulaReport.findings],
    structured: own !== undefined,
    original: originalOf(originalState(originalFacts, meta.id, own !== undefined), opts.keepOriginal),
  };
}

/**
 * What Structure does to a wide sheet: nothing on it; it builds the items sheet, whose rows and findings (naming the
 * wide sheet's cells) are computed here without writing.
 */
function previewWide(src: WideSource): StructurePreview {
  const view = wideView(src);
  const keys = src.layout.items.map(itemKey);
  const before = new Set(src.own?.wide?.keys.split(" ").filter(Boolean) ?? []);
  const now = new Set(keys);
  const items: ItemsSheetResult = {
    sheet: src.own?.sheet ?? uniqueName(wbText(src.lang, "sheet.items"), src.meta.sheetNames),
    source: src.meta.name,
    items: keys.length,
    added: keys.filter((k) => !before.has(k)).length,
    removed: [...before].filter((k) => !now.has(k)).length,
    rebuilt: false,
  };
  return {
    sheet: src.meta.name,
    rows: view.extract.rows.length,
    normalizedCells: 0,
    normalizedExamples: [],
    unmergedAreas: 0,
    unmergedExamples: [],
    addedColumns: [],
    originalsKept: 0,
    originalExamples: [],
    changedFormulas: [],
    findings: view.extract.findings,
    structured: src.own !== undefined,
    original: "none",
    items,
  };
}

/**
 * The language of what structuring writes (added headers, statuses, notes, lists, prompts; the summary follows the
 * stored choice): the one the workbook already has from an earlier run, else the language of the plan's own header
 * and title texts, else the pane's. A Chinese ledger gets Chinese words with the pane in English, and the other way
 * round.
 */
export function workbookLang(view: PlanView, own: PlanConfig | undefined, paneLang: Lang): Lang {
  if (own) return own.lang;
  const titles = view.grid.slice(0, Math.max(0, view.detection.headerRow)).flat();
  return textLanguage([...view.detection.headers, ...titles]) ?? paneLang;
}

function isField(f: PlannedColumn["field"]): boolean {
  return f !== undefined && f !== "completion" && f !== "tracking";
}

function intersects(a: Rect0, b: Rect0): boolean {
  return a.r0 <= b.r1 && b.r0 <= a.r1 && a.c0 <= b.c1 && b.c0 <= a.c1;
}

/** Everything structurePlan will write, computed before the first write so that refusals leave the workbook as it was. */
type WritePlan = {
  headerRow: number;
  /** The first header row: above headerRow when the header spans rows. */
  firstHeaderRow: number;
  lastRow: number;
  tableRect: Rect0;
  tableName: string;
  columns: PlannedColumn[];
  unmerge: Rect0[];
  /** Column → new values for rows headerRow+1..lastRow (null = leave the cell as it is). */
  cellWrites: Map<number, (string | number | null)[]>;
  monthCells: boolean[];
  /** Month cells written as due dates with their day (a column that keeps days): shown as dates, not months. */
  dayCells: boolean[];
  /** Target and actual cells written from a percentage (95% → 0.95): they get a percent format, so 0.95 reads as 95%. */
  percentTarget: boolean[];
  percentActual: boolean[];
  planRows: Set<number>;
  normalizedCells: number;
  originalsKept: number;
  /** The first few cells of each kind the preview shows: normalised (before → after) and wordings kept in notes. */
  examples: { normalized: ChangeExample[]; originals: ChangeExample[] };
  owners: string[];
  categories: string[];
  units: string[];
  colName: (field: Field | "completion" | "tracking") => string | undefined;
  colOf: (field: Field | "completion" | "tracking") => number | undefined;
};

/** How many examples of each kind the preview shows. */
const EXAMPLES = 5;

/** Text written so that Excel stores it literally: a leading apostrophe, which Excel hides. */
function literal(s: string): string {
  return `'${s}`;
}

function uniqueName(base: string, taken: readonly string[]): string {
  const lower = new Set(taken.map((t) => t.toLowerCase()));
  if (!lower.has(base.toLowerCase())) return base;
  for (let i = 2; ; i++) if (!lower.has(`${base}${i}`.toLowerCase())) return `${base}${i}`;
}

/** A user field's column in the mapping (actual and status may share one: 完成情况 holding numbers and words). */
type UserField = Field;

async function planWrites(
  meta: SheetMeta,
  view: PlanView,
  formulaRows: ReadonlyMap<number, ReadonlySet<number>>,
  lang: Lang,
): Promise<WritePlan> {
  const { detection, extract, grid } = view;
  // A header over two or three rows (计划 over 时间 | 目标, 序号 merged down beside them): the table's header is the
  // last of them, and the rows above stay outside the table as they are, group merges included.
  const firstHeaderRow = detection.headerRow;
  const span = detection.span ?? headerSpan(firstHeaderRow, (meta.merges ?? []).map(toMergedArea));
  const H = firstHeaderRow + span - 1;
  const map = detection.mapping;
  const headerCells = grid[H] ?? [];
  let c0 = Infinity;
  let c1 = -1;
  // Columns with a header text, in the table's header row or (merged down) above it.
  const width = Math.max(headerCells.length, detection.headers.length);
  for (let c = 0; c < width; c++) {
    if (cleanText(headerCells[c]) !== "" || cleanText(detection.headers[c]) !== "") {
      c0 = Math.min(c0, c);
      c1 = Math.max(c1, c);
    }
  }
  for (const c of Object.values(map)) {
    c0 = Math.min(c0, c as number);
    c1 = Math.max(c1, c as number);
  }
  if (c1 < 0) throw new PlanLedgerError("noHeader", { candidates: "" });

  const rowsByGrid = new Map<number, PlanRow>(extract.rows.map((r) => [r.gridRow, r]));
  let lastRow = H + 1;
  for (const r of extract.rows) lastRow = Math.max(lastRow, r.gridRow);
  const n = lastRow - H;

  // Columns: the user's, then the ones we add, then the computed two.
  const used = new Set<string>();
  const columns: PlannedColumn[] = [];
  const fieldAt = new Map<number, PlannedColumn["field"]>();
  // A column shared by actual and status is the actual column here; the status formula reads it too.
  for (const [f, c] of Object.entries(map) as [UserField, number][])
    if (!fieldAt.has(c) || f === "actual") fieldAt.set(c, f);
  // A structured plan's computed columns are found again by their names: a second run updates them in place.
  const own = meta.config && meta.config.sheet === meta.name ? meta.config : undefined;
  const computedNamed = new Map<string, "completion" | "tracking">();
  if (own) {
    computedNamed.set(cleanText(own.computed.completion).toLowerCase(), "completion");
    computedNamed.set(cleanText(own.computed.status).toLowerCase(), "tracking");
  }
  for (let c = c0; c <= c1; c++) {
    // The user's text where the table header has one; under a header merged down, the text above (序号); where a
    // sub-header repeats (数量 under 计划 and under 完成), the combined name (完成/数量) the detection read.
    const combined = cleanText(detection.headers[c]);
    let header = cleanText(headerCells[c]) || combined;
    if (combined && [...used].some((u) => u.toLowerCase() === header.toLowerCase())) header = combined;
    if (header === "") header = wbText(lang, "header.blank", { n: c - c0 + 1 });
    header = uniqueName(header, [...used]);
    used.add(header);
    const computed = computedNamed.get(header.toLowerCase());
    const field = computed && !columns.some((x) => x.field === computed) ? computed : fieldAt.get(c);
    columns.push({ col: c, header, added: false, field });
  }
  let next = c1 + 1;
  const add = (field: PlannedColumn["field"], header: string) => {
    const h = uniqueName(header, [...used]);
    used.add(h);
    columns.push({ col: next++, header: h, added: true, field });
  };
  const hasCoOwners = extract.rows.some((r) => r.coOwners.length > 0);
  const hasSections = extract.rows.some((r) => r.category !== "");
  if (map.unit === undefined) add("unit", fieldLabel("unit", lang));
  if (map.actual === undefined) add("actual", fieldLabel("actual", lang));
  if (map.category === undefined && hasSections) add("category", fieldLabel("category", lang));
  if (map.coOwners === undefined && hasCoOwners) add("coOwners", wbText(lang, "header.coOwners"));
  if (map.notes === undefined) add("notes", fieldLabel("notes", lang));
  if (!columns.some((x) => x.field === "completion")) add("completion", wbText(lang, "header.completion"));
  if (!columns.some((x) => x.field === "tracking"))
    add(
      "tracking",
      used.has(wbText(lang, "header.status")) ? wbText(lang, "header.statusAlt") : wbText(lang, "header.status"),
    );
  // A field's column: the user's by the mapping, else the one we add.
  const colOf = (f: PlannedColumn["field"]): number | undefined => {
    if (f !== undefined && f !== "completion" && f !== "tracking" && map[f] !== undefined) return map[f];
    return columns.find((c) => c.field === f)?.col;
  };
  const colName = (f: PlannedColumn["field"]) => {
    const c = colOf(f);
    return c === undefined ? undefined : columns.find((x) => x.col === c)?.header;
  };

  // Merged areas inside the table get unmerged; their covered cells were filled by viewPlan.
  const tableRect: Rect0 = { r0: H, c0, r1: lastRow, c1: next - 1 };
  const unmerge = (meta.merges ?? []).filter((m) => intersects(m, tableRect));

  const cellWrites = new Map<number, (string | number | null)[]>();
  const col = (c: number) => {
    let a = cellWrites.get(c);
    if (!a) {
      a = new Array<string | number | null>(n).fill(null);
      cellWrites.set(c, a);
    }
    return a;
  };
  const monthCells = new Array<boolean>(n).fill(false);
  const dayCells = new Array<boolean>(n).fill(false);
  const percentTarget = new Array<boolean>(n).fill(false);
  const percentActual = new Array<boolean>(n).fill(false);
  let normalizedCells = 0;
  let originalsKept = 0;
  const examples: WritePlan["examples"] = { normalized: [], originals: [] };
  const example = (
    kind: "normalized" | "originals",
    r: number,
    c: number,
    field: Field,
    before: unknown,
    after: unknown,
  ) => {
    if (examples[kind].length < EXAMPLES)
      examples[kind].push({ cell: a1(r, c), field, before: cleanText(before), after: cleanText(after) });
  };

  // Covered cells of merges down the month, activity, owner, category and unit columns (and an item's parent column)
  // take the top-left value, as the core reads them (text stays literal); other merged cells keep their value in the
  // top-left cell only.
  const fillCols = new Set(FILLED.map((f) => map[f]).filter((c): c is number => c !== undefined));
  if (detection.parent !== undefined) fillCols.add(detection.parent);
  for (const m of unmerge) {
    if (m.r1 === m.r0) continue;
    for (let r = Math.max(m.r0, H + 1); r <= m.r1; r++) {
      for (let c = m.c0; c <= m.c1; c++) {
        if (!fillCols.has(c)) continue;
        if (r === m.r0 && c === m.c0) continue;
        const v = grid[m.r0]?.[m.c0];
        if (v === "" || v === undefined || v === null) continue;
        col(c)[r - H - 1] = typeof v === "string" ? literal(v) : (v as number);
      }
    }
  }

  const owners = new Map<string, string>();
  const categories = new Map<string, string>();
  const units = new Map<string, string>();
  const annual = annualWord(lang);
  const writable = (r: number, c: number | undefined) => c !== undefined && formulaRows.get(c)?.has(r) !== true;
  const [unitCol, coCol, catCol, notesCol] = (["unit", "coOwners", "category", "notes"] as const).map(colOf);
  const sep = wbText(lang, "notes.separator");
  const slice = slices();

  for (const row of extract.rows) {
    await slice();
    const r = row.gridRow;
    const i = r - H - 1;
    const cells = grid[r] ?? [];
    // Month: only the mapped month column is rewritten (as a first-of-month date, or the due date in a column that
    // keeps days), and only where it read as a month.
    if (map.month !== undefined && writable(r, map.month) && row.bucket !== null) {
      const due = row.due;
      const target =
        row.bucket === ANNUAL ? annual : due !== undefined ? daySerial(due, meta) : monthSerial(row.bucket, meta);
      const current = cells[map.month];
      if (current !== target) {
        col(map.month)[i] = typeof target === "string" ? literal(target) : target;
        normalizedCells++;
        if (examples.normalized.length < EXAMPLES) {
          const shown = due !== undefined ? dateLabel(due, lang) : monthLabel(row.bucket, lang);
          example("normalized", r, map.month, "month", current, shown);
        }
      }
      if (typeof target === "number") (due !== undefined ? dayCells : monthCells)[i] = true;
    }
    // Quantities: text that read as a number becomes that number; a number stays the number it is, format included.
    for (const f of ["target", "actual"] as const) {
      const c = map[f];
      const v = row[f];
      if (c !== undefined && v !== null && writable(r, c) && typeof cells[c] !== "number" && cells[c] !== v) {
        col(c)[i] = v;
        normalizedCells++;
        example("normalized", r, c, f, cells[c], row.unit === "%" ? `${Math.round(v * 1000) / 10}%` : v);
        if (row.unit === "%") (f === "target" ? percentTarget : percentActual)[i] = true;
      }
    }
    // Unit: the measure word moves into a blank unit cell (or the added unit column).
    if (unitCol !== undefined && row.unit !== "" && writable(r, unitCol)) {
      const current = map.unit !== undefined ? cleanText(cells[map.unit]) : "";
      if (current === "") {
        col(unitCol)[i] = literal(row.unit);
        normalizedCells++;
        example("normalized", r, unitCol, "unit", "", row.unit);
      }
    }
    if (row.unit !== "") units.set(row.unit.toLowerCase(), units.get(row.unit.toLowerCase()) ?? row.unit);
    // Owner: a cell naming one owner stays exactly as typed (张　三 padded to line up included); a cell naming several
    // keeps the lead, as typed, and the others go to the co-owner column.
    if (map.owner !== undefined && writable(r, map.owner) && row.coOwners.length > 0 && coCol !== undefined) {
      const current = cells[map.owner];
      if (row.ownerCell !== undefined && current !== row.ownerCell) {
        col(map.owner)[i] = literal(row.ownerCell);
        normalizedCells++;
        example("normalized", r, map.owner, "owner", current, row.ownerCell);
      }
      const existing = map.coOwners !== undefined ? cleanText(cells[map.coOwners]) : "";
      const missing = row.coOwners.filter((o) => !existing.includes(o));
      if (missing.length > 0 && writable(r, coCol)) {
        const joined = missing.join(lang === "zh-CN" ? "、" : ", ");
        col(coCol)[i] = literal(existing ? `${existing}${lang === "zh-CN" ? "、" : ", "}${joined}` : joined);
      }
    }
    if (row.owner !== "") owners.set(row.owner.toLowerCase(), owners.get(row.owner.toLowerCase()) ?? row.owner);
    // Category from the section row above, when the sheet has no category column.
    if (map.category === undefined && catCol !== undefined && row.category !== "")
      col(catCol)[i] = literal(row.category);
    if (row.category !== "")
      categories.set(row.category.toLowerCase(), categories.get(row.category.toLowerCase()) ?? row.category);
    // Original wording, where normalising lost information.
    const kept = hasKeys(row.originals) ? (Object.entries(row.originals) as [Field, string][]) : [];
    if (kept.length > 0 && notesCol !== undefined && writable(r, notesCol)) {
      const text = kept.map(([f, orig]) => `${colName(f) ?? fieldLabel(f, lang)}=${orig}`).join(sep);
      const note = wbText(lang, "notes.original", { text });
      const current = map.notes !== undefined ? cleanText(cells[map.notes]) : "";
      if (!current.includes(note)) {
        col(notesCol)[i] = literal(current ? `${current}${sep}${note}` : note);
        originalsKept++;
        example("originals", r, notesCol, "notes", current, note);
      }
    }
  }

  return {
    headerRow: H,
    firstHeaderRow,
    lastRow,
    tableRect,
    tableName: "",
    columns,
    unmerge,
    cellWrites,
    monthCells,
    dayCells,
    percentTarget,
    percentActual,
    planRows: new Set(rowsByGrid.keys()),
    normalizedCells,
    originalsKept,
    examples,
    owners: [...owners.values()],
    categories: [...categories.values()],
    units: [...units.values()],
    colName,
    colOf,
  };
}

/** Whether an object has an own key, without building the list of its entries (asked once a plan row). */
function hasKeys(o: object): boolean {
  for (const k in o) if (Object.prototype.hasOwnProperty.call(o, k)) return true;
  return false;
}

/**
 * What structuring would do to the user's formulas, for a preview that writes nothing: the formulas whose value would
 * change and totals that would add different units.
 */
export async function previewFormulaEffects(
  meta: SheetMeta,
  view: PlanView,
  formulas: ReadonlyMap<string, string>,
  formulaRows: ReadonlyMap<number, ReadonlySet<number>>,
  lang: Lang,
): Promise<{ changed: FormulaChange[]; findings: Finding[] }> {
  if (view.detection.wide || view.extract.rows.length === 0) return { changed: [], findings: [] };
  return userFormulas(view, await planWrites(meta, view, formulaRows, lang), formulas, lang);
}

/**
 * A layout this version cannot read is refused before anything is written: months or quarters as columns (their
 * planned counts would otherwise be read as months).
 */
function refuseUnreadable(sheet: string, view: PlanView): void {
  const wide = view.detection.wide;
  if (wide) throw new PlanLedgerError("wideLayout", { sheet, columns: wide.headers.slice(0, 6).join("、") });
}

/**
 * The user's formulas whose value the planned writes change (a 合计 =SUM that starts adding 10000 once 1万人次 is a
 * number), and totals that would add different units.
 */
function userFormulas(
  view: PlanView,
  plan: WritePlan,
  formulas: ReadonlyMap<string, string>,
  lang: Lang,
): { changed: FormulaChange[]; findings: Finding[] } {
  const cells: FormulaCell[] = [];
  for (const [key, formula] of formulas) {
    const [row, col] = key.split(",").map(Number);
    cells.push({ row, col, formula });
  }
  if (cells.length === 0) return { changed: [], findings: [] };
  const writes = new Map<string, unknown>();
  for (const [c, arr] of plan.cellWrites) {
    arr.forEach((v, i) => {
      if (v === null) return;
      writes.set(`${plan.headerRow + 1 + i},${c}`, typeof v === "string" && v.startsWith("'") ? v.slice(1) : v);
    });
  }
  const changed = formulaChanges(view.grid, cells, writes);
  // Totals over the quantity columns that add more than one unit once the quantities are numbers.
  const findings: Finding[] = [];
  const quantityCols = new Set(
    [view.detection.mapping.target, view.detection.mapping.actual].filter((c): c is number => c !== undefined),
  );
  const unitOfRow = new Map(view.extract.rows.map((r) => [r.gridRow, r]));
  for (const cell of cells) {
    if (!isAdding(cell.formula)) continue;
    const ranges = formulaRanges(cell.formula) ?? [];
    const found = new Set<string>();
    for (const rg of ranges) {
      for (const qc of quantityCols) {
        if (qc < rg.c0 || qc > rg.c1) continue;
        for (let r = rg.r0; r <= rg.r1 && found.size < 10; r++) {
          const row = unitOfRow.get(r);
          if (!row) continue;
          const v = qc === view.detection.mapping.target ? row.target : row.actual;
          if (v !== null && row.unit !== "") found.add(row.unit);
        }
      }
    }
    if (found.size >= 2) {
      const at = a1(cell.row, cell.col);
      findings.push({
        cell: at,
        field: "target",
        severity: "warning",
        code: "formula.mixedUnits",
        value: cell.formula,
        message: formatBoth(FINDING_CATALOGS, "formula.mixedUnits", {
          cell: at,
          value: clip(cell.formula, 60),
          units: [...found].join(lang === "zh-CN" ? "、" : ", "),
        }),
      });
    }
  }
  return { changed, findings };
}

async function writeAll(
  context: Excel.RequestContext,
  budget: SyncBudget,
  meta: SheetMeta,
  view: PlanView,
  plan: WritePlan,
  lang: Lang,
  own: PlanConfig | undefined,
  /** Columns whose cells already had the user's own data validation before the first run. */
  userValidated: ReadonlySet<number>,
  step: (s: "unmerge" | "normalize" | "table" | "lists" | "validation" | "formats") => void,
  /** The cells of our table before this run, when it exists. */
  ownRect: Rect0 | undefined,
): Promise<PlanConfig> {
  const ws = meta.sheet;
  const wb = context.workbook;
  const H = plan.headerRow;
  const n = plan.lastRow - H;
  const { r0, c0, r1, c1 } = plan.tableRect;
  const colName = plan.colName;

  step("unmerge");
  // One call for the areas inside the table (thousands on a merged-month ledger; Excel runs each call as an operation),
  // one per area reaching outside it, so only whole merged areas are ever split.
  const inside = (m: Rect0) => m.r0 >= r0 && m.r1 <= r1 && m.c0 >= c0 && m.c1 <= c1;
  const straddling = plan.unmerge.filter((m) => !inside(m));
  if (straddling.length < plan.unmerge.length) ws.getRange(rangeAddress(r0, c0, r1, c1)).unmerge();
  for (const m of straddling) ws.getRange(rangeAddress(m.r0, m.c0, m.r1, m.c1)).unmerge();
  if (!meta.merges) ws.getRange(rangeAddress(H + 1, c0, r1, c1)).unmerge();
  budget.touch((straddling.length + 1) * 80);
  if (plan.unmerge.length) budget.finished("unmerge");

  // Headers: the user's texts stay; blank, duplicate and added ones are written.
  // A header typed over two lines or with odd spaces (目标⏎任务, 月　份) is written as the one-line name the formulas
  // use: the table column takes the cell's exact text, and formulas naming anything else would be #REF!.
  const headerRow = plan.columns.map((pc) => {
    const current = view.grid[H]?.[pc.col];
    return current === pc.header ? null : literal(pc.header);
  });
  await budget.queue(gridBytes([headerRow]), () => {
    ws.getRangeByIndexes(H, c0, 1, c1 - c0 + 1).values = [headerRow];
  });
  plan.columns.forEach((pc) => {
    const current = view.grid[H]?.[pc.col];
    if (typeof current === "string" && /[\r\n]/.test(current))
      ws.getRangeByIndexes(H, pc.col, 1, 1).format.wrapText = true;
  });

  step("normalize");
  // Values column by column, in row blocks under the request budget; null leaves a cell as it is.
  const blockRows = 20000;
  for (const [c, arr] of plan.cellWrites) {
    const widest = arr.reduce<number>((m, v) => Math.max(m, cellBytes(v)), 0);
    const rowsHere = Math.min(blockRows, rowsPerBlock(1, widest + 4));
    for (let s = 0; s < n; s += rowsHere) {
      const part = arr.slice(s, s + rowsHere);
      if (part.every((v) => v === null)) continue;
      const grid2 = part.map((v) => [v]);
      await budget.queue(gridBytes(grid2), () => {
        ws.getRangeByIndexes(H + 1 + s, c, part.length, 1).values = grid2;
      });
    }
  }
  // A number format on the body rows flagged in `rows` of column `c`, in blocks; null leaves the others as they are.
  const formatRows = async (c: number | undefined, rows: readonly boolean[], fmt: string) => {
    if (c === undefined) return;
    for (let s = 0; s < n; s += blockRows) {
      const part = rows.slice(s, s + blockRows);
      if (!part.some(Boolean)) continue;
      const formats = part.map((flag) => [flag ? fmt : null]);
      await budget.queue(gridBytes(formats), () => {
        ws.getRangeByIndexes(H + 1 + s, c, part.length, 1).numberFormat = formats;
      });
    }
  };
  await formatRows(view.detection.mapping.month, plan.monthCells, monthFormat(lang));
  await formatRows(view.detection.mapping.month, plan.dayCells, dateFormat(lang));
  await formatRows(view.detection.mapping.target, plan.percentTarget, PERCENT_NUMBER_FORMAT);
  await formatRows(view.detection.mapping.actual, plan.percentActual, PERCENT_NUMBER_FORMAT);
  budget.finished("normalize");

  // Computed columns: formulas only through `formulas`, built from our own column names, never from cell text.
  const firstName = plan.columns[0].header;
  const userCols = plan.columns.filter((c) => c.field !== "completion" && c.field !== "tracking");
  // What makes a row an item besides its activity: the plan columns the core's isItemRow reads.
  const contentFields: Field[] = ["month", "owner", "coOwners", "category", "unit", "target", "actual", "status"];
  const content = [...new Set(contentFields.map((f) => colName(f)).filter((h): h is string => h !== undefined))];
  const rowCols: RowFormulaColumns = {
    month: colName("month"),
    activity: colName("activity"),
    target: colName("target"),
    actual: colName("actual"),
    statusText: colName("status"),
    dueDays: view.extract.dueDays,
    content: content.filter((h) => h !== colName("activity")),
    first: firstName,
    last: userCols[userCols.length - 1].header,
  };
  const completionCol = plan.columns.find((c) => c.field === "completion")!.col;
  const statusCol = plan.columns.find((c) => c.field === "tracking")!.col;
  const statusName = plan.columns.find((c) => c.field === "tracking")!.header;
  // The formulas as they read in the first data row; Excel moves their references down the column (see RowRefs).
  const byName = new Map(plan.columns.map((pc) => [pc.header, pc.col] as const));
  const rowRefs = a1Row(byName, H + 1);
  const fComp = completionFormula(rowCols, statusName, rowRefs);
  const names = planNames(plan.tableName);
  const fStat = statusFormula(rowCols, lang, names, rowRefs);

  step("table");
  const tableName = plan.tableName;
  const address = rangeAddress(r0, c0, r1, c1);
  const existing = meta.tables.find((t) => t.name === tableName);
  // A sheet AutoFilter and a table over the same cells make a file Excel repairs by dropping the table (GUIDE §2):
  // the filter moves onto the table, its criteria with it, column for column.
  const movedFilter = meta.filter && intersects(meta.filter.rect, plan.tableRect) ? meta.filter : undefined;
  if (movedFilter && isApiSupported("1.9")) ws.autoFilter.remove();
  let table: Excel.Table;
  let converted: Rect0 | undefined;
  if (existing) {
    table = existing.table;
    const same = ownRect && ownRect.r0 === r0 && ownRect.c0 === c0 && ownRect.r1 === r1 && ownRect.c1 === c1;
    if (same) {
      // Nothing to resize: the table, and every reference to it, stays as it is.
    } else if (isApiSupported("1.13")) {
      table.resize(address);
    } else {
      // No Table.resize below ExcelApi 1.13: the table is converted and added again over the new cells, and what
      // the conversion breaks is repaired below in this run.
      table.convertToRange();
      table = ws.tables.add(address, true);
      table.name = tableName;
      converted = ownRect;
    }
  } else {
    table = ws.tables.add(address, true);
    table.name = tableName;
  }
  table.style = TABLE_STYLE;
  if (movedFilter && isApiSupported("1.9")) {
    movedFilter.criteria.forEach((criteria, i) => {
      const at = movedFilter.rect.c0 + i - c0;
      if (criteria?.filterOn !== undefined && at >= 0 && at <= c1 - c0)
        table.autoFilter.apply(table.getRange(), at, criteria);
    });
  }
  budget.touch(500);
  if (converted && own) await repairConversion(context, budget, meta, own, plan, converted);
  budget.finished("table");

  // Computed cells: one formula pair down the whole table. Excel fills a formula written into a table column into
  // every row anyway (a calculated column, office-js #2093), so the formulas themselves give "" on headings, totals
  // and rows without an activity; writing them once also spares Excel a refill of the column per run of items.
  const runs: [number, number][] = plan.lastRow > H ? [[H + 1, plan.lastRow]] : [];
  if (isApiSupported("1.9")) {
    // One formula pair, filled down by Excel: the status formula is several hundred bytes, and sending it once per
    // row would take Excel on the web's 5 MB requests from about 7,000 rows on.
    for (const [a, b] of runs) {
      await budget.queue(cellBytes(fComp) + cellBytes(fStat) + 200, () => {
        const first = ws.getRangeByIndexes(a, completionCol, 1, 2);
        first.formulas = [[fComp, fStat]];
        first.numberFormat = [[PERCENT_NUMBER_FORMAT, "General"]];
        // "All" carries the percent format down with the formulas, so no per-cell format array is sent either.
        if (b > a) ws.getRangeByIndexes(a + 1, completionCol, b - a, 2).copyFrom(first, "All");
      });
    }
  } else {
    const formulaRows = Math.min(blockRows, rowsPerBlock(2, (cellBytes(fComp) + cellBytes(fStat)) / 2 + 10));
    for (const [a, b] of runs) {
      for (let s = a; s <= b; s += formulaRows) {
        const len = Math.min(formulaRows, b - s + 1);
        // Each row's own references: without copyFrom, every row's formulas are sent as that row reads them.
        const pair = Array.from({ length: len }, (_, i) => {
          const refs = a1Row(byName, s + i);
          return [completionFormula(rowCols, statusName, refs), statusFormula(rowCols, lang, names, refs)];
        });
        await budget.queue(gridBytes(pair), () => {
          ws.getRangeByIndexes(s, completionCol, len, 2).formulas = pair;
        });
      }
    }
    const pctFormats = Array.from({ length: Math.min(n, blockRows) }, () => [PERCENT_NUMBER_FORMAT]);
    for (let s = 0; s < n; s += blockRows) {
      const len = Math.min(blockRows, n - s);
      const f = len === pctFormats.length ? pctFormats : pctFormats.slice(0, len);
      await budget.queue(gridBytes(f), () => {
        ws.getRangeByIndexes(H + 1 + s, completionCol, len, 1).numberFormat = f;
      });
    }
  }
  step("lists");
  const listsName = own?.listsSheet ?? uniqueName(wbText(lang, "sheet.lists"), meta.sheetNames);
  const addedBefore = new Set(own?.added ?? []);
  // Progress is recorded when the user has a status or actual column; with only the actual column we added, once
  // something is typed into it.
  const userTracks =
    (view.detection.mapping.status !== undefined && !addedBefore.has("status")) ||
    (view.detection.mapping.actual !== undefined && !addedBefore.has("actual"));
  const actualName = colName("actual");
  const tracked =
    userTracks || !actualName ? `=${userTracks ? "TRUE" : "FALSE"}` : `=COUNTA(${tableCol(tableName, actualName)})>0`;
  const lists = writeLists(context, meta, plan, view, lang, listsName, own, tracked, names);
  budget.touch(lists.bytes);
  budget.finished("lists");

  step("validation");
  const bodyRange = (c: number) => ws.getRangeByIndexes(H + 1, c, n, 1);
  const setRule = (
    c: number | undefined,
    rule: Excel.DataValidationRule,
    style: "Stop" | "Warning",
    key: "month" | "due" | "owner" | "category" | "number" | "activity",
  ) => {
    if (c === undefined || userValidated.has(c)) return;
    const dv = bodyRange(c).dataValidation;
    dv.clear();
    dv.rule = rule;
    dv.ignoreBlanks = key !== "activity";
    dv.errorAlert = {
      showAlert: true,
      style,
      title: wbText(lang, `validation.${key}.title`),
      message: wbText(lang, `validation.${key}.error`),
    };
    dv.prompt = {
      showPrompt: true,
      title: wbText(lang, `validation.${key}.title`),
      message: wbText(lang, `validation.${key}.prompt`),
    };
  };
  const listRule = (name: string): Excel.DataValidationRule => ({ list: { inCellDropDown: true, source: `=${name}` } });
  const numberRule: Excel.DataValidationRule = { decimal: { formula1: 0, operator: "GreaterThanOrEqualTo" } };
  const col = (f: Field) => plan.columns.find((c) => c.field === f)?.col;
  if (view.extract.dueDays) {
    // Due dates are any day of the period, not a month of the list; Warning, so 全年 can still be typed. A date rule's
    // bounds may be formulas (DateTimeDataValidation.formula1/2, ExcelApi 1.8, @types/office-js).
    const dateRule: Excel.DataValidationRule = {
      date: { operator: "Between", formula1: `=${names.periodStart}`, formula2: `=${names.periodAfter}-1` },
    };
    setRule(col("month"), dateRule, "Warning", "due");
  } else setRule(col("month"), listRule(names.months), "Stop", "month");
  setRule(col("owner"), listRule(names.owners), "Warning", "owner");
  setRule(col("category"), listRule(names.categories), "Warning", "category");
  setRule(col("target"), numberRule, "Stop", "number");
  setRule(col("actual"), numberRule, "Stop", "number");
  const act = col("activity");
  if (act !== undefined) {
    setRule(act, { custom: { formula: `=LEN(TRIM(${columnLetter(act)}${H + 2}))>0` } }, "Stop", "activity");
  }
  budget.touch(3000);
  budget.finished("validation");

  step("formats");
  const dataRange = ws.getRangeByIndexes(H + 1, c0, n, c1 - c0 + 1);
  // A second run replaces the rules of the first. The first run adds to a user's own rules and removes none (ours
  // cannot be told from theirs without reading every rule back).
  if (own) dataRange.conditionalFormats.clearAll();
  const words = statusWords(lang);
  const statusLetter = columnLetter(statusCol);
  const colours: [keyof typeof words, string][] = [
    ["done", "#C6EFCE"],
    ["due", "#BDD7EE"],
    ["overdue", "#FFC7CE"],
  ];
  for (const [status, fill] of colours) {
    const cf = dataRange.conditionalFormats.add("Custom");
    cf.custom.rule.formula = `=$${statusLetter}${H + 2}="${words[status].replace(/"/g, '""')}"`;
    cf.custom.format.fill.color = fill;
  }
  // Yellow: behind — an item of the current month or the whole year whose completion trails the time elapsed.
  const compLetter = columnLetter(completionCol);
  const behind = dataRange.conditionalFormats.add("Custom");
  behind.custom.rule.formula =
    `=AND($${statusLetter}${H + 2}="${words.due}",ISNUMBER($${compLetter}${H + 2}),` +
    `$${compLetter}${H + 2}<(${names.asOf}-${names.periodStart}+1)/(${names.periodAfter}-${names.periodStart}))`;
  behind.custom.format.fill.color = "#FFEB9C";
  const bar = bodyRange(completionCol).conditionalFormats.add("DataBar");
  bar.dataBar.barDirection = "LeftToRight";
  if (isApiSupported("1.7")) {
    // The header stays in view; columns the user froze (a 序号 | 工作任务 pair kept beside the months) stay frozen.
    // freezeAt takes the top-left pane's cells (ExcelApi 1.7, @types/office-js WorksheetFreezePanes.freezeAt).
    if (meta.frozenColumns > 0) ws.freezePanes.freezeAt(ws.getRangeByIndexes(0, 0, H + 1, meta.frozenColumns));
    else ws.freezePanes.freezeRows(H + 1);
  }
  // Ledgers get printed, the header repeated on each page; only where nobody has chosen a page setup yet, so a
  // user's own print settings stay as they are.
  if (meta.pageLayoutUntouched) printAcross(ws, { from: plan.firstHeaderRow, to: H });
  if (act !== undefined) {
    const a = bodyRange(act);
    a.format.wrapText = true;
    ws.getRangeByIndexes(H, act, 1, 1).format.columnWidth = 220;
  }
  ws.getRangeByIndexes(H, statusCol, 1, 1).format.columnWidth = 70;
  ws.getRangeByIndexes(H, completionCol, 1, 1).format.columnWidth = 64;
  budget.touch(2000);
  budget.finished("formats");

  const config: PlanConfig = {
    version: FORMAT_VERSION,
    sheetId: meta.id,
    sheet: meta.name,
    table: plan.tableName,
    columns: Object.fromEntries(
      plan.columns.filter((c) => c.field && isField(c.field)).map((c) => [c.field as Field, c.header]),
    ),
    computed: { completion: colName("completion") as string, status: colName("tracking") as string },
    period: view.period,
    lang,
    listsSheet: listsName,
    summarySheetId: own?.summarySheetId,
    overdueSheetId: own?.overdueSheetId,
    listRows: lists.rows,
    userValidation: own
      ? own.userValidation
      : plan.columns.filter((c) => userValidated.has(c.col)).map((c) => c.header),
    added: [
      ...new Set([
        ...addedBefore,
        ...plan.columns.filter((c) => c.added && isField(c.field)).map((c) => c.field as Field),
      ]),
    ],
    dueDays: view.extract.dueDays,
  };
  wb.settings.add(CONFIG_KEY, JSON.stringify(config));
  budget.touch(JSON.stringify(config).length * 2);
  budget.touch(keepPlanConfigs(wb, meta, config));
  return config;
}

/**
 * planLedger.config holds the sheet structured last only: once a second sheet is structured, every structured sheet's
 * configuration is kept in planLedger.plans too (readMeta gives a sheet its own back), so that summarising or
 * restructuring the first sheet finds its table instead of taking it for a user's (tableOverlap). A one-plan workbook
 * gets no planLedger.plans. Returns the bytes written.
 */
function keepPlanConfigs(wb: Excel.Workbook, meta: SheetMeta, config: PlanConfig): number {
  const alive = (c: PlanConfig) => c.sheetId !== config.sheetId && meta.tableNames.includes(c.table);
  const other = meta.otherConfig && alive(meta.otherConfig) ? meta.otherConfig : undefined;
  if (!other && !meta.plans) return 0;
  const kept = (meta.plans?.plans ?? []).filter((p) => alive(p) && p.sheetId !== other?.sheetId);
  const plans = [...kept, ...(other ? [other] : []), config];
  const text = JSON.stringify({ version: FORMAT_VERSION, plans, summarySheetId: meta.plans?.summarySheetId });
  wb.settings.add(PLANS_KEY, text);
  return text.length * 2;
}

/**
 * The hidden lists sheet: months, owners, categories, units, statuses, done words and total labels, each with a defined
 * name; the period; and the cells every row formula reads instead of computing them itself (column H): the as-of date
 * (until a summary holds it), this month's and next month's first day, the day after the period, whether progress is
 * recorded, and the whole-year status; and (columns J–K) the dates where a dated item's status changes, with the status
 * from each on.
 */
function writeLists(
  context: Excel.RequestContext,
  meta: SheetMeta,
  plan: WritePlan,
  view: PlanView,
  lang: Lang,
  listsName: string,
  own: PlanConfig | undefined,
  tracked: string,
  names: PlanNames,
): { bytes: number; rows: number } {
  const wb = context.workbook;
  const exists = meta.sheetNames.some((s) => s.toLowerCase() === listsName.toLowerCase());
  const sheet = exists ? wb.worksheets.getItem(listsName) : wb.worksheets.add(listsName);
  const months = periodMonths(view.period);
  const columns: (string | number)[][] = [
    [wbText(lang, "lists.months"), ...months.map((m) => monthSerial(m, meta)), literal(annualWord(lang))],
    [wbText(lang, "lists.owners"), ...plan.owners.map(literal)],
    [wbText(lang, "lists.categories"), ...plan.categories.map(literal)],
    [wbText(lang, "lists.units"), ...mergeUnits(plan.units).map(literal)],
    [wbText(lang, "lists.statuses"), ...STATUSES.map((s) => literal(statusWords(lang)[s]))],
    ["done", ...doneWords().map(literal)],
    ["period", monthSerial(view.period.start, meta), monthSerial(view.period.end, meta)],
    ["asOf"],
    ["total", ...TOTAL_WORDS.map(literal)],
    // Columns J and K: the date breaks and the status from each on (formulas below).
    ["breaks"],
    ["statusFrom"],
  ];
  const rows = Math.max(...columns.map((c) => c.length), CALC_ROWS + 1);
  const clearRows = Math.max(rows, own?.listRows ?? 0);
  sheet.getRangeByIndexes(0, 0, clearRows, columns.length).clear();
  const grid: (string | number)[][] = [];
  for (let r = 0; r < rows; r++) grid.push(columns.map((c) => (r < c.length ? c[r] : "")));
  sheet.getRangeByIndexes(0, 0, rows, columns.length).values = grid;
  const fmt = monthFormat(lang);
  sheet.getRangeByIndexes(1, 0, months.length, 1).numberFormat = months.map(() => [fmt]);
  sheet.getRangeByIndexes(1, 6, 2, 1).numberFormat = [[fmt], [fmt]];
  // Column H: computed once per recalculation, read by every row's status formula.
  const calc = [
    ["=TODAY()"],
    [`=${names.asOf}-DAY(${names.asOf})+1`],
    [`=EOMONTH(${names.asOf},0)+1`],
    [`=EOMONTH(${names.periodEnd},0)+1`],
    [tracked],
    [annualStatusFormula(lang, names)],
    [`=MAX(${names.nextMonth},${names.asOf}+8)`],
  ];
  sheet.getRangeByIndexes(1, CALC_COL, CALC_ROWS, 1).formulas = calc;
  sheet.getRangeByIndexes(1, CALC_COL, 4, 1).numberFormat = [
    ["yyyy-mm-dd"],
    ["yyyy-mm-dd"],
    ["yyyy-mm-dd"],
    ["yyyy-mm-dd"],
  ];
  sheet.getRangeByIndexes(7, CALC_COL, 1, 1).numberFormat = [["yyyy-mm-dd"]];
  // Columns J–K: where a dated item's status changes, and the status from there on (layout.ts dateStatusFormulas).
  const dates = dateStatusFormulas(lang, names, view.extract.dueDays, (i) => `${columnLetter(BREAKS_COL)}${i + 2}`);
  sheet.getRangeByIndexes(1, BREAKS_COL, BREAK_ROWS, 2).formulas = dates.breaks.map((b, i) => [b, dates.statuses[i]]);
  sheet.getRangeByIndexes(2, BREAKS_COL, BREAK_ROWS - 1, 1).numberFormat = dates.breaks
    .slice(1)
    .map(() => ["yyyy-mm-dd"]);
  sheet.visibility = "Hidden";

  const defs: [string, number, number][] = [
    [names.months, 0, columns[0].length - 1],
    [names.owners, 1, Math.max(1, columns[1].length - 1)],
    [names.categories, 2, Math.max(1, columns[2].length - 1)],
    [names.units, 3, Math.max(1, columns[3].length - 1)],
    [names.statuses, 4, columns[4].length - 1],
    [names.doneWords, 5, columns[5].length - 1],
    [names.totalWords, 8, columns[8].length - 1],
  ];
  const existing = new Set(meta.names.map((x) => x.toLowerCase()));
  const define = (name: string, ref: string) => {
    if (existing.has(name.toLowerCase())) wb.names.getItem(name).delete();
    wb.names.add(name, ref);
  };
  for (const [name, c, count] of defs) define(name, `=${absoluteRef(listsName, 1, c, count, c)}`);
  define(names.periodStart, `=${absoluteRef(listsName, 1, 6, 1, 6)}`);
  define(names.periodEnd, `=${absoluteRef(listsName, 2, 6, 2, 6)}`);
  // The as-of date is the summary's 统计截至 cell once there is a summary; until then this sheet's =TODAY().
  const summaryExists = own?.summarySheetId !== undefined && meta.sheetsInfo.some((x) => x.id === own.summarySheetId);
  if (!summaryExists || !existing.has(names.asOf.toLowerCase())) {
    define(names.asOf, `=${absoluteRef(listsName, 1, CALC_COL, 1, CALC_COL)}`);
  }
  const calcNames = [
    names.thisMonth,
    names.nextMonth,
    names.periodAfter,
    names.tracked,
    names.annualStatus,
    names.dueUntil,
  ];
  calcNames.forEach((name, i) => define(name, `=${absoluteRef(listsName, 2 + i, CALC_COL, 2 + i, CALC_COL)}`));
  define(names.dateBreaks, `=${absoluteRef(listsName, 1, BREAKS_COL, BREAK_ROWS, BREAKS_COL)}`);
  define(names.dateStatuses, `=${absoluteRef(listsName, 1, BREAKS_COL + 1, BREAK_ROWS, BREAKS_COL + 1)}`);
  return { bytes: gridBytes(grid) + 3000, rows };
}

/** Column H of the lists sheet: the as-of date and the six values computed from it, rows 2–8. */
const CALC_COL = 7;
const CALC_ROWS = 7;
/** Columns J–K of the lists sheet, rows 2–6: the date breaks and the status from each on. */
const BREAKS_COL = 9;
const BREAK_ROWS = 5;

function mergeUnits(units: readonly string[]): string[] {
  const seen = new Set(units.map((u) => u.toLowerCase()));
  return [...units, ...DEFAULT_UNITS.filter((u) => !seen.has(u.toLowerCase()))];
}

/**
 * Sets a sheet up for printing (ExcelApi 1.9, else nothing): landscape, every column on one page across and as many
 * pages down as needed (Excel's "fit all columns on one page"), centred, with `titleRows` (0-based) repeated on each page.
 */
export function printAcross(ws: Excel.Worksheet, titleRows?: { from: number; to: number }): void {
  if (isApiSupported("1.9")) {
    const page = ws.pageLayout;
    page.orientation = "Landscape";
    page.zoom = { horizontalFitToPages: 1, verticalFitToPages: 0 };
    page.centerHorizontally = true;
    if (titleRows) page.setPrintTitleRows(`$${titleRows.from + 1}:$${titleRows.to + 1}`);
  }
}

/**
 * True when a column's validation is the user's, not one of ours (a list of our named ranges, numbers ≥ 0, the
 * activity check). On the first run a column only partly covered (MixedCriteria) or covered by several rules
 * (Inconsistent) is the user's: ours cover whole columns. On a later run ours covers the rows of the run before, so a
 * plan that grew reads MixedCriteria over our own rule: the column is the user's only when the configuration
 * remembers it (handled by the caller). `rule` is read defensively: Excel gives no single rule for a mixed range.
 */
function isUsersValidation(dv: Excel.DataValidation, rerun: boolean): boolean {
  const type = dv.type as string;
  if (type === "None") return false;
  if (type === "Inconsistent" || type === "MixedCriteria") return !rerun;
  const rule: Partial<Excel.DataValidationRule> = dv.rule ?? {};
  const ours =
    (rule.list !== undefined && String(rule.list?.source ?? "").startsWith("=PlanLedger_")) ||
    (rule.decimal !== undefined && Number(String(rule.decimal?.formula1 ?? "").replace(/^=/, "")) === 0) ||
    (rule.custom !== undefined && String(rule.custom?.formula ?? "").startsWith("=LEN(TRIM("));
  return !ours;
}

/**
 * After convertToRange and the new table (ExcelApi below 1.13): structured references Excel turned into A1 are
 * written back in every sheet's formulas but the hidden lists sheet, and the style's leftover fills are cleared
 * (ExcelApi 1.9 for per-cell formats; below it they stay).
 */
async function repairConversion(
  context: Excel.RequestContext,
  budget: SyncBudget,
  meta: SheetMeta,
  own: PlanConfig,
  plan: WritePlan,
  old: Rect0,
): Promise<void> {
  await budget.flush();
  const columns = plan.columns.filter((c) => c.col >= old.c0 && c.col <= old.c1).map((c) => c.header);
  const shape = { name: plan.tableName, sheet: meta.name, rect: old, columns };
  const sheets = meta.sheetNames.filter((n) => n.toLowerCase() !== own.listsSheet.toLowerCase());
  // The completion and status columns are written again right after, over every row.
  const computed = new Set(
    plan.columns.filter((c) => c.field === "completion" || c.field === "tracking").map((c) => c.col),
  );
  await restoreFormulas(context, sheets, shape, budget, computed);
  if (isApiSupported("1.9")) await clearStyleFills_1_9(context, meta.sheet, old, budget);
}
