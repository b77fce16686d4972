/**
 * Chart data for the workbench: resolves each series' references in the workbook model to numbers and category labels
 * and works out the axes, so the SVG component only draws. Pure: no React, no DOM.
 */
import { parseAddress } from "../offline";
import type { ChartModel, Rect, SheetModel, WorkbookModel } from "../offline";
import { cellText } from "./grid";

export type ChartKind = "column" | "bar" | "line";

export type SeriesData = {
  name: string;
  kind: ChartKind;
  secondary: boolean;
  /** null where the cell holds no number (a gap). */
  values: (number | null)[];
  fill?: string;
  line?: string;
  /** Number format of the first value cell, which an axis without its own format shows (Excel's "linked to source"). */
  sourceFormat?: string;
};

export type ChartData = {
  title: string;
  /** Orientation of the plot: bars run horizontally, columns and lines vertically. */
  horizontal: boolean;
  categories: string[];
  series: SeriesData[];
  primary: Axis;
  secondary?: Axis;
  categoryTitle: string;
  legend: ChartModel["legend"];
};

export type Axis = { min: number; max: number; ticks: number[]; title: string; numberFormat?: string };

/** Default series colours (Office theme accents), for series without their own fill or line. */
export const PALETTE = ["#4472C4", "#ED7D31", "#A5A5A5", "#FFC000", "#5B9BD5", "#70AD47"];

/** Excel chart type name → how the workbench draws it. Pie, area and the rest are drawn as columns. */
export function chartKind(type: string): ChartKind {
  if (/^Bar/i.test(type)) return "bar";
  if (/^Line/i.test(type)) return "line";
  return "column";
}

function cellsOf(model: WorkbookModel, ref: string | undefined): { sheet: SheetModel; rect: Rect } | null {
  if (!ref) return null;
  const parsed = parseAddress(ref.replace(/^=/, ""));
  if (!parsed || !parsed.sheet) return null;
  const name = parsed.sheet.toLowerCase();
  const sheet = model.sheets.find((s) => s.name.toLowerCase() === name);
  return sheet ? { sheet, rect: parsed.rect } : null;
}

function listCells(model: WorkbookModel, ref: string | undefined): { sheet: SheetModel; r: number; c: number }[] {
  const at = cellsOf(model, ref);
  if (!at) return [];
  const out: { sheet: SheetModel; r: number; c: number }[] = [];
  for (let r = at.rect.r0; r <= at.rect.r1; r++)
    for (let c = at.rect.c0; c <= at.rect.c1; c++) out.push({ sheet: at.sheet, r, c });
  return out;
}

/**
 * Ticks for an axis from min to max: 4–6 round steps (1, 2, 2.5 or 5 × a power of ten), always including zero.
 * @example niceAxis(0, 37).ticks // [0, 10, 20, 30, 40]
 */
export function niceAxis(lo: number, hi: number, majorUnit?: number): { min: number; max: number; ticks: number[] } {
  const min = Math.min(0, lo);
  let max = Math.max(0, hi);
  if (max === min) max = min + 1;
  const raw = (max - min) / 5;
  const pow = 10 ** Math.floor(Math.log10(raw));
  // A major unit the chart sets is Excel's tick step: drawn as given (whole steps on a count axis).
  const step =
    majorUnit !== undefined && majorUnit > 0 && (max - min) / majorUnit <= 100
      ? majorUnit
      : ([1, 2, 2.5, 5, 10].map((m) => m * pow).find((s) => s >= raw) ?? 10 * pow);
  const a = Math.floor(min / step) * step;
  const b = Math.ceil(max / step) * step;
  const ticks: number[] = [];
  for (let t = a; t <= b + step / 2; t += step) ticks.push(Number(t.toPrecision(12)));
  return { min: a, max: b, ticks };
}

/** Resolves a chart of the model into what the SVG draws. */
export function chartData(model: WorkbookModel, chart: ChartModel): ChartData {
  const baseKind = chartKind(chart.type);
  const series: SeriesData[] = chart.series.map((s, i) => {
    const cells = listCells(model, s.values);
    const values = cells.map(({ sheet, r, c }) => {
      const v = sheet.rows.get(r)?.get(c)?.value;
      return typeof v === "number" ? v : null;
    });
    const first = cells[0];
    const sourceFormat = first ? first.sheet.rows.get(first.r)?.get(first.c)?.numberFormat : undefined;
    const kind = s.chartType ? chartKind(s.chartType) : baseKind;
    const d: SeriesData = { name: s.name, kind, secondary: s.axisGroup === "Secondary", values };
    if (sourceFormat) d.sourceFormat = sourceFormat;
    if (s.fill) d.fill = s.fill;
    if (s.line) d.line = s.line;
    if (!s.fill && !s.line) {
      if (kind === "line") d.line = PALETTE[i % PALETTE.length];
      else d.fill = PALETTE[i % PALETTE.length];
    }
    return d;
  });
  const catRef = chart.series.find((s) => s.categories)?.categories;
  const length = Math.max(0, ...series.map((s) => s.values.length));
  const cats = listCells(model, catRef).map(({ sheet, r, c }) => cellText(sheet.rows.get(r)?.get(c)));
  const categories = Array.from({ length }, (_, i) => cats[i] ?? String(i + 1));

  const range = (ss: SeriesData[]) => {
    const vs = ss.flatMap((s) => s.values.filter((v): v is number => v !== null));
    return vs.length ? { lo: Math.min(...vs), hi: Math.max(...vs) } : { lo: 0, hi: 1 };
  };
  const axis = (ss: SeriesData[], spec: ChartModel["axes"]["value"]): Axis => {
    const { lo, hi } = range(ss);
    const nice = niceAxis(spec.min ?? lo, spec.max ?? hi, spec.majorUnit);
    const a: Axis = { ...nice, title: spec.title };
    const fmt = spec.numberFormat ?? ss.find((s) => s.sourceFormat)?.sourceFormat;
    if (fmt) a.numberFormat = fmt;
    return a;
  };
  const primarySeries = series.filter((s) => !s.secondary);
  const secondarySeries = series.filter((s) => s.secondary);
  const data: ChartData = {
    title: chart.title,
    horizontal: baseKind === "bar",
    categories,
    series,
    primary: axis(primarySeries, chart.axes.value),
    categoryTitle: chart.axes.category.title,
    legend: chart.legend,
  };
  if (secondarySeries.length > 0) {
    data.secondary = axis(secondarySeries, chart.axes.secondaryValue ?? { title: "" });
  }
  return data;
}
