import { detectHeader } from "../../../src/core/header";
import { periodFromStart } from "../../../src/core/period";
import { extractPlan } from "../../../src/core/plan";
import { summarize } from "../../../src/core/summary";
import type { ColumnMapping, Finding, Grid } from "../../../src/core/types";
import type {
  CheckResult,
  CollectResult,
  PlanOperations,
  PlanPreview,
  RestoreResult,
  StructurePreview,
  StructureResult,
  SummaryResult,
  TemplateResult,
} from "../../../src/excel/operations";

/** A ledger as the user pasted it: title row, then the header, then items (sheet rows 1..6). */
export const LEDGER: Grid = [
  ["2025年度科协工作台账", "", "", "", "", "", ""],
  ["序号", "月份", "工作任务", "责任单位", "责任人", "目标任务", "完成情况"],
  [1, "1月", "科普宣传", "科普部", "王芳", "宣传12次", 3],
  [2, "3~4月", "发行《科普通讯》", "办公室", "李明", "6期", 2],
  [3, "下旬", "征集绘画作品", "", "张强", "31件", 31],
  [4, "全年", "每周召开理事例会", "秘书处", "赵敏", "", ""],
];

const letter = (col: number) => String.fromCharCode(65 + col);

/** A preview of `grid` with its header in grid row `headerIndex`, as PlanOperations.preview reports it. */
export function previewOf(grid: Grid, headerIndex: number, mapping: ColumnMapping, extra: Partial<PlanPreview> = {}) {
  const header = grid[headerIndex];
  const preview: PlanPreview = {
    sheet: "工作计划",
    sheets: ["工作计划", "2024年"],
    headerRow: headerIndex + 1,
    headers: header.map((text, col) => ({ col, letter: letter(col), text: String(text ?? "") })),
    mapping,
    confidence: 0.92,
    period: { start: "2025-01", end: "2025-12" },
    periodSource: "title",
    periodEvidence: String(grid[0][0]),
    rows: grid.length - headerIndex - 1,
    months: 3,
    owners: 3,
    findings: 2,
    structured: false,
    originalKept: false,
    changedFormulas: [],
    ...extra,
  };
  return preview;
}

export const LEDGER_MAPPING: ColumnMapping = { month: 1, activity: 2, owner: 3, target: 5, actual: 6 };

export const FINDINGS: Finding[] = [
  {
    cell: "B5",
    field: "month",
    severity: "error",
    code: "month.unrecognized",
    value: "下旬",
    message: { "zh-CN": "「下旬」不是月份", "en-US": "“下旬” is not a month" },
  },
  {
    cell: "D5",
    field: "owner",
    severity: "warning",
    code: "owner.missing",
    value: "",
    message: { "zh-CN": "缺少责任单位", "en-US": "No owner" },
  },
  {
    cell: "D6",
    field: "owner",
    severity: "warning",
    code: "owner.missing",
    value: "",
    message: { "zh-CN": "缺少责任单位(第6行)", "en-US": "No owner (row 6)" },
  },
];

export const STRUCTURED: StructureResult = {
  sheet: "工作计划",
  table: "PlanTable",
  rows: 4,
  unmergedAreas: 1,
  normalizedCells: 5,
  originalsKept: 2,
  addedColumns: ["status"],
  changedFormulas: [],
  findings: FINDINGS,
};

export const CHECKED: CheckResult = { sheet: "工作计划", rows: 4, findings: FINDINGS };

const PERIOD = periodFromStart("2025-01");
const LEDGER_EXTRACT = extractPlan(LEDGER, detectHeader(LEDGER), { period: PERIOD });

/** The summary of {@link LEDGER} as of the end of June, from the core, as the operation reports it. */
export const SUMMARY: SummaryResult = {
  sheet: "汇总",
  kpis: { activities: 4, completed: 1, rate: 0.25, overdue: 2, pace: 0.5 },
  narrative: "截至6月底,计划事项4项,已完成1项。",
  charts: 3,
  planSheets: ["工作计划"],
  model: summarize(LEDGER_EXTRACT.rows, PERIOD, new Date(2025, 5, 30)),
  plan: {
    sheet: "工作计划",
    table: "Plan",
    period: PERIOD,
    periodSource: "title",
    periodEvidence: "2025年工作计划",
    columns: { month: "月份", activity: "工作任务", owner: "责任单位", target: "目标任务", actual: "完成情况" },
    rows: LEDGER_EXTRACT.rows.length,
    findings: LEDGER_EXTRACT.findings,
  },
};

export const STRUCTURE_PREVIEW: StructurePreview = {
  sheet: "工作计划",
  rows: 4,
  normalizedCells: 3,
  normalizedExamples: [
    { cell: "B3", field: "month", before: "3月", after: "2025年3月" },
    { cell: "F4", field: "target", before: "1万", after: "10000" },
  ],
  unmergedAreas: 1,
  unmergedExamples: ["B3:B4"],
  addedColumns: [
    { field: "completion", header: "完成率", column: "H" },
    { field: "tracking", header: "状态", column: "I" },
  ],
  originalsKept: 1,
  originalExamples: [{ cell: "G5", field: "notes", before: "", after: "原文：目标任务=2~3场" }],
  changedFormulas: [],
  findings: [],
  structured: false,
  original: "now",
};

export const RESTORED: RestoreResult = {
  sheet: "工作计划",
  rows: 12,
  columns: 9,
  removedSheets: ["汇总", "计划台账列表"],
  removedTables: ["Plan"],
  removedNames: 12,
  removedSettings: true,
};

/** A promise resolved or rejected from outside, to hold an operation open while a test looks at the pane. */
export function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

export const COLLECTED: CollectResult = {
  sheet: "合并计划",
  sources: [
    {
      file: "科普部.xlsx",
      sheet: "计划",
      label: "科普部.xlsx",
      rows: 3,
      replaced: 0,
      period: { start: "2026-01", end: "2026-12" },
      findings: [],
    },
  ],
  failed: [{ file: "旧表.xls", code: "returnUnreadable", params: { file: "旧表.xls", reason: "不是 .xlsx" } }],
  added: 3,
  replaced: 0,
  rows: 3,
  summarySheet: "汇总",
};

export const TEMPLATE: TemplateResult = {
  sheet: "填报模板",
  columns: ["月份", "工作任务"],
  months: 13,
  units: 10,
  categories: 0,
};

/** A PlanOperations double: each method is a jest mock resolving to the fixtures above; tests re-mock as needed. */
export function fakeOps() {
  const listeners = new Set<(sheet: string) => void>();
  const ops = {
    /** The user activates a sheet in Excel: every listener added with onSheetActivated hears of it. */
    userActivates: (sheet: string) => listeners.forEach((l) => l(sheet)),
    preview: jest.fn<Promise<PlanPreview>, Parameters<PlanOperations["preview"]>>(async (opts) =>
      previewOf(LEDGER, 1, { ...LEDGER_MAPPING }, opts.sheet ? { sheet: opts.sheet } : {}),
    ),
    structure: jest.fn<Promise<StructureResult>, Parameters<PlanOperations["structure"]>>(async () => STRUCTURED),
    previewStructure: jest.fn<Promise<StructurePreview>, Parameters<PlanOperations["previewStructure"]>>(
      async () => STRUCTURE_PREVIEW,
    ),
    check: jest.fn<Promise<CheckResult>, Parameters<PlanOperations["check"]>>(async () => CHECKED),
    summarize: jest.fn<Promise<SummaryResult>, Parameters<PlanOperations["summarize"]>>(async () => SUMMARY),
    // No pane test here asks for the all-sheets summary: a call fails the test that makes it.
    summarizeAll: jest.fn<ReturnType<PlanOperations["summarizeAll"]>, Parameters<PlanOperations["summarizeAll"]>>(
      async () => Promise.reject(new Error("summarizeAll was not expected")),
    ),
    importRows: jest.fn<Promise<StructureResult>, Parameters<PlanOperations["importRows"]>>(async () => STRUCTURED),
    knownValues: jest.fn<ReturnType<PlanOperations["knownValues"]>, []>(async () => ({
      sheet: "工作计划",
      owners: ["科普部", "办公室"],
      categories: [],
      units: [],
    })),
    restore: jest.fn<Promise<RestoreResult>, Parameters<PlanOperations["restore"]>>(async () => RESTORED),
    discardOriginal: jest.fn<
      ReturnType<PlanOperations["discardOriginal"]>,
      Parameters<PlanOperations["discardOriginal"]>
    >(async () => ({ sheet: "工作计划", backup: "PlanLedger_Original" })),
    collectReturns: jest.fn<Promise<CollectResult>, Parameters<PlanOperations["collectReturns"]>>(
      async () => COLLECTED,
    ),
    makeTemplate: jest.fn<Promise<TemplateResult>, Parameters<PlanOperations["makeTemplate"]>>(async () => TEMPLATE),
    selectCell: jest.fn<Promise<void>, Parameters<PlanOperations["selectCell"]>>(async () => undefined),
    activateSheet: jest.fn<Promise<void>, Parameters<PlanOperations["activateSheet"]>>(async () => undefined),
    listSheets: jest.fn<ReturnType<PlanOperations["listSheets"]>, []>(async () => ({
      sheets: ["封面", "工作计划"],
      active: "封面",
    })),
    onSheetActivated: jest.fn<
      ReturnType<PlanOperations["onSheetActivated"]>,
      Parameters<PlanOperations["onSheetActivated"]>
    >(async (handler) => {
      listeners.add(handler);
      return async () => void listeners.delete(handler);
    }),
  };
  return ops satisfies PlanOperations;
}
