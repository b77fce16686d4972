/**
 * Wide layouts: months or quarters laid out as columns (1月 … 12月, 一季度 … 四季度, each optionally over 计划 | 完成).
 * Each task row × period with a planned or done amount is one plan item, linked to the cells it came from, so the
 * items can be formulas over the user's own sheet (the sheet itself is never rewritten).
 */
import { a1 } from "./a1";
import { periodOfHeader } from "./header";
import { TOTAL_WORDS } from "./plan";
import { cleanText } from "./text";
import type { Field, Grid, HeaderDetection, MergedArea } from "./types";

/** A cell of the wide sheet, 0-based like the grid. */
export type CellRef = { row: number; col: number };

/** What an amount column under a period holds: the planned amount, or the done amount. */
export type WideRole = "target" | "actual";

/** A column holding amounts of one period. */
export type WidePeriodColumn = {
  col: number;
  /** 1–12: the month, or the last month of a quarter or half-year (a quarter's item is due in its last month). */
  month: number;
  role: WideRole;
  /** The period's header text (一季度, 3月). */
  period: string;
};

/** Fields a task row gives every one of its items. */
export const ROW_FIELDS = ["activity", "owner", "coOwners", "category", "unit", "notes"] as const;
export type RowField = (typeof ROW_FIELDS)[number];

/** One plan item of a wide sheet: a task row and a period, with the cells each of its fields comes from. */
export type WideItem = {
  /** Grid row of the task. */
  row: number;
  month: number;
  period: string;
  target?: CellRef;
  actual?: CellRef;
  /** Row fields' cells (the top-left cell where the row's cell is inside a merged area; a section row's for category). */
  cells: Partial<Record<RowField, CellRef>>;
};

export type WideLayout = {
  periods: WidePeriodColumn[];
  /** Row fields the sheet has (category also when it comes from section rows). */
  fields: RowField[];
  /** Whether any period has a done (actual) column. */
  hasActual: boolean;
  items: WideItem[];
  /** Rows between header and end that give no items, and why. */
  skipped: { row: number; reason: "total" | "section" | "empty" }[];
};

const ACTUAL_WORD = /完成|实际|实绩|actual|done|achieved|result/i;
const PLAN_WORD = /计划|目标|预计|plan|target|goal/i;
const HALF = /半年|^h[12]$/i;
const QUARTER = /季|^q[1-4]$|quarter/i;

function rowAt(grid: Grid, r: number): readonly unknown[] {
  const row: unknown = grid[r];
  return Array.isArray(row) ? row : [];
}

function filled(v: unknown): boolean {
  if (v === null || v === undefined) return false;
  return typeof v !== "string" || v.trim() !== "";
}

const TOTALS = new Set(TOTAL_WORDS);
/** A cell that labels a total row (合计, 小计：, Total): such rows are sums of items, never items. */
function isTotalLabel(v: unknown): boolean {
  if (typeof v !== "string") return false;
  const t = cleanText(v).replace(/\s+/g, "").toLowerCase();
  if (TOTALS.has(t)) return true;
  return /^(?:总合计|累计合计|全年合计|本月合计|合计|小计|总计|共计)(?:[:：(（]|$)/.test(t);
}

/**
 * The amount columns of a wide header: each column under a period (1月, 一季度, Q3, 上半年) with its role from the
 * sub-header (计划/目标 → target, 完成/实际 → actual; none → target, a single planned amount per period). Only the
 * finest periods count: quarters beside months, or half-years beside quarters, are subtotals and would count twice.
 * Sub-columns of other words (进度, 备注) are left out.
 */
export function widePeriods(grid: Grid, d: HeaderDetection): WidePeriodColumn[] {
  if (!d.wide) return [];
  const span = d.span ?? 1;
  const top = rowAt(grid, d.headerRow);
  const sub = span > 1 ? rowAt(grid, d.headerRow + span - 1) : [];
  const cols = d.wide.cols.map((col) => {
    const full = d.headers[col] ?? "";
    const child = cleanText(sub[col]);
    // The period text is the header without its sub-header (一季度/计划 → 一季度).
    const period = child && full.endsWith(`/${child}`) ? full.slice(0, -child.length - 1) : full || cleanText(top[col]);
    const p = periodOfHeader(period);
    const grain = !p ? 9 : HALF.test(cleanText(period)) ? 2 : QUARTER.test(cleanText(period)) ? 1 : 0;
    const role: WideRole | null =
      child === "" || child === period
        ? "target"
        : ACTUAL_WORD.test(child)
          ? "actual"
          : PLAN_WORD.test(child)
            ? "target"
            : null;
    return { col, month: p?.month ?? 0, period, role, grain };
  });
  const finest = Math.min(...cols.map((c) => c.grain));
  return cols
    .filter((c) => c.grain === finest && c.role !== null && c.month >= 1)
    .map((c) => ({ col: c.col, month: c.month, role: c.role as WideRole, period: c.period }));
}

function covering(merges: readonly MergedArea[], r: number, c: number): CellRef | undefined {
  for (const m of merges) {
    if (r >= m.row && r < m.row + m.rowCount && c >= m.col && c < m.col + m.colCount) return { row: m.row, col: m.col };
  }
  return undefined;
}

/**
 * Reads the items of a wide sheet: every task row × period whose planned or done cell is filled is one item, due in
 * the period's (last) month; the row's activity, owner, category, unit and notes cells apply to each of its items. Total
 * rows (合计) give no items; a row with only an activity is a section, the category of the rows below it when the sheet
 * has no category column. Row totals (全年目标 =SUM, 合计 columns) are not period columns and give none either.
 * @example readWide([["工作任务", "1月", "2月", "3月"], ["讲座", 2, "", 1]], detectHeader(...)).items.length // 2
 */
export function readWide(grid: Grid, d: HeaderDetection, merges: readonly MergedArea[] = []): WideLayout {
  const periods = widePeriods(grid, d);
  const from = d.headerRow + (d.span ?? 1);
  const fieldCol: Partial<Record<RowField, number>> = {};
  for (const f of ROW_FIELDS) if (d.mapping[f as Field] !== undefined) fieldCol[f] = d.mapping[f as Field];
  const periodCols = new Set(periods.map((p) => p.col));
  const wideCols = new Set(d.wide?.cols ?? []);
  // Only merges below the header matter (the header's own merges group its periods).
  const body = merges.filter((m) => m.row >= from);
  const ref = (r: number, c: number): CellRef => covering(body, r, c) ?? { row: r, col: c };
  const value = (cell: CellRef): unknown => rowAt(grid, cell.row)[cell.col];
  const items: WideItem[] = [];
  const skipped: WideLayout["skipped"] = [];
  let section: CellRef | undefined;
  const byMonth = [...new Set(periods.map((p) => p.month))];
  for (let r = from; r < grid.length; r++) {
    const row = rowAt(grid, r);
    const outside = row.some((v, c) => !wideCols.has(c) && filled(v));
    const amounts = periods.filter((p) => filled(row[p.col]));
    if (!outside && amounts.length === 0) continue;
    if (row.some((v, c) => !periodCols.has(c) && isTotalLabel(v))) {
      skipped.push({ row: r, reason: "total" });
      continue;
    }
    const cells: WideItem["cells"] = {};
    for (const f of ROW_FIELDS) {
      const c = fieldCol[f];
      if (c !== undefined) cells[f] = ref(r, c);
    }
    if (amounts.length === 0) {
      // Only an activity (一、科普宣传): a section heading, the category of the items under it.
      const act = cells.activity;
      const others = row.some((v, c) => filled(v) && c !== act?.col && !wideCols.has(c) && c !== fieldCol.notes);
      if (act && filled(value(act)) && !others) {
        section = act;
        skipped.push({ row: r, reason: "section" });
      } else skipped.push({ row: r, reason: "empty" });
      continue;
    }
    if (fieldCol.category === undefined && section) cells.category = section;
    for (const month of byMonth) {
      const inMonth = periods.filter((p) => p.month === month);
      const target = inMonth.find((p) => p.role === "target");
      const actual = inMonth.find((p) => p.role === "actual");
      const has = (p: WidePeriodColumn | undefined) => p !== undefined && filled(row[p.col]);
      if (!has(target) && !has(actual)) continue;
      items.push({
        row: r,
        month,
        period: (target ?? actual)!.period,
        ...(target ? { target: { row: r, col: target.col } } : {}),
        ...(actual ? { actual: { row: r, col: actual.col } } : {}),
        cells,
      });
    }
  }
  // Category also when it comes from section rows (a section once seen stays the category of the rows below it).
  const fields = ROW_FIELDS.filter((f) => fieldCol[f] !== undefined || (f === "category" && section !== undefined));
  return { periods, fields, hasActual: periods.some((p) => p.role === "actual"), items, skipped };
}

/** One column of the items sheet: a field, and for each item the wide cell it links to (none for the month). */
export type ItemsColumn = { field: Field; cell: (item: WideItem) => CellRef | undefined };

/**
 * The items sheet's columns, left to right: month, activity, owner, co-owners, category, unit, target, actual (only
 * when the wide sheet records done amounts), notes.
 */
export function itemsColumns(layout: WideLayout): ItemsColumn[] {
  const row = (f: RowField): ItemsColumn => ({ field: f, cell: (i) => i.cells[f] });
  const cols: ItemsColumn[] = [{ field: "month", cell: () => undefined }, row("activity")];
  for (const f of ["owner", "coOwners", "category", "unit"] as const) if (layout.fields.includes(f)) cols.push(row(f));
  cols.push({ field: "target", cell: (i) => i.target });
  if (layout.hasActual) cols.push({ field: "actual", cell: (i) => i.actual });
  if (layout.fields.includes("notes")) cols.push(row("notes"));
  return cols;
}

/** A key per item (task row, month and linked amount cells): two readings give the same keys when nothing moved. */
export function itemKey(i: WideItem): string {
  const at = (c: CellRef | undefined) => (c ? a1(c.row, c.col) : "");
  return `${at(i.target)}|${at(i.actual)}|${i.month}`;
}
