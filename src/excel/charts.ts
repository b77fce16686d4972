import type { SummaryModel } from "../core/summary";
import type { Lang } from "../core/types";
import { rangeAddress } from "./a1";
import { wbText } from "./layout";

/**
 * The summary's native charts, shared by the one-sheet summary and the summary over all plan sheets: activities and
 * completed by month with the rate as a line, completion by owner, completion by unit. Plan light with an outline,
 * actual solid dark, rate as a dark line — readable in grey print. Series are added one by one from data rows, so no
 * chart depends on Excel's guess about headers and labels.
 */

const CHART_WIDTH = 460;
const CHART_HEIGHT = 250;

/** A summary table's data rows (0-based sheet rows): key in column A; counts in B–D and the rate in E. */
export type TableRows = { first: number; last: number };

/**
 * Adds the charts over the summary tables present, stacked at `left` points from the sheet's edge. The month table's
 * rate column (E) holds #N/A for a month without items, which the rate line skips as a gap: a conditional format
 * hides it in the cell.
 */
export function summaryCharts(
  ws: Excel.Worksheet,
  lang: Lang,
  model: Pick<SummaryModel, "byMonth" | "byOwner" | "byUnit">,
  tables: { month?: TableRows; owner?: TableRows; unit: TableRows },
  left: number,
): void {
  const { month: monthTable, owner: ownerTable, unit: unitTable } = tables;
  const charts: { chart: Excel.Chart; legend: boolean }[] = [];
  if (monthTable) {
    const rates = ws.getRange(rangeAddress(monthTable.first, 4, monthTable.last, 4));
    const gap = rates.conditionalFormats.add("Custom");
    gap.custom.rule.formula = `=ISNA(E${monthTable.first + 1})`;
    gap.custom.format.font.color = "#FFFFFF";
    const chart1 = addChart(ws, "ColumnClustered", monthTable, [
      { col: 1, name: wbText(lang, "chart.byMonth.series.planned"), kind: "plan" },
      { col: 2, name: wbText(lang, "chart.byMonth.series.completed"), kind: "actual" },
      { col: 4, name: wbText(lang, "chart.byMonth.series.rate"), kind: "line" },
    ]);
    titleChart(chart1, lang, "chart.byMonth.title", "chart.byMonth.axis.category", "chart.byMonth.axis.value");
    // Counts of activities: whole steps from 0, never 0.5.
    countAxis(chart1.axes.getItem("Value", "Primary"), Math.max(0, ...model.byMonth.map((g) => g.activities)));
    const rateAxis = chart1.axes.getItem("Value", "Secondary");
    rateAxis.title.text = wbText(lang, "chart.byMonth.axis.rate");
    rateScale(
      rateAxis,
      model.byMonth.map((g) => g.rate),
    );
    charts.push({ chart: chart1, legend: true });
  }
  if (ownerTable) {
    const rates = model.byOwner.map((g) => g.rate);
    charts.push({ chart: rateBars(ws, lang, ownerTable, "byOwner", "chart.byOwner.axis.value", rates), legend: false });
  }
  // Units cannot share a quantity axis (10,000 人次 beside 6 期 hides every other unit): each unit's completion
  // (actual ÷ target) on one 0–100 % scale instead; the quantities stay in the table beside it.
  const unitRates = model.byUnit.map((u) => u.rate);
  charts.push({ chart: rateBars(ws, lang, unitTable, "byUnit", "chart.byUnit.series.rate", unitRates), legend: false });
  charts.forEach(({ chart: c, legend }, i) => {
    c.top = i * (CHART_HEIGHT + 20);
    c.left = left;
    c.width = CHART_WIDTH;
    c.height = CHART_HEIGHT;
    if (legend) c.legend.position = "Bottom";
  });
}

/** Bars of a table's completion rates (column E) on a 0–100 % axis, no legend: the owner and unit charts. */
function rateBars(
  ws: Excel.Worksheet,
  lang: Lang,
  t: TableRows,
  key: "byOwner" | "byUnit",
  seriesName: string,
  rates: readonly (number | null)[],
): Excel.Chart {
  const chart = addChart(ws, "BarClustered", t, [{ col: 4, name: wbText(lang, seriesName), kind: "actual" }]);
  titleChart(chart, lang, `chart.${key}.title`, `chart.${key}.axis.category`, `chart.${key}.axis.value`);
  chart.legend.visible = false;
  rateScale(chart.axes.getItem("Value", "Primary"), rates);
  return chart;
}

type SeriesSpec = { col: number; name: string; kind: "plan" | "actual" | "line" };

/** A chart over a summary table's data rows: one series per spec, categories from the key column. */
function addChart(
  ws: Excel.Worksheet,
  type: "ColumnClustered" | "BarClustered",
  t: { first: number; last: number },
  specs: SeriesSpec[],
): Excel.Chart {
  const keys = ws.getRange(rangeAddress(t.first, 0, t.last, 0));
  const values = (col: number) => ws.getRange(rangeAddress(t.first, col, t.last, col));
  const chart = ws.charts.add(type, values(specs[0].col), "Columns");
  specs.forEach((spec, i) => {
    const series = i === 0 ? chart.series.getItemAt(0) : chart.series.add(spec.name);
    if (i === 0) series.name = spec.name;
    else series.setValues(values(spec.col));
    series.setXAxisValues(keys);
    if (spec.kind === "line") {
      // Markers, so months between gaps (no activities, blank rate) still show their point.
      series.chartType = "LineMarkers";
      series.axisGroup = "Secondary";
      series.format.line.color = "#000000";
    } else {
      styleSeries(series, spec.kind);
    }
  });
  return chart;
}

function styleSeries(s: Excel.ChartSeries, kind: "plan" | "actual"): void {
  if (kind === "plan") {
    s.format.fill.setSolidColor("#D9D9D9");
    s.format.line.color = "#404040";
  } else {
    s.format.fill.setSolidColor("#404040");
  }
}

/**
 * A completion-rate axis fixed at 0–100 %, so 60 % never fills the plot; higher (in 20 % steps) when a rate of the
 * summary's date exceeds 100 %. ChartAxis.minimum/maximum/majorUnit are ExcelApi 1.1 and numberFormat 1.8
 * (@types/office-js); setting the maximum turns Excel's automatic scaling off for that bound.
 */
function rateScale(axis: Excel.ChartAxis, rates: readonly (number | null)[]): void {
  const top = Math.max(1, ...rates.filter((x): x is number => x !== null && Number.isFinite(x)));
  const max = Math.ceil(top * 5 - 1e-9) / 5;
  axis.minimum = 0;
  axis.maximum = max;
  axis.majorUnit = max > 2 ? Math.ceil(max - 1e-9) / 5 : 0.2;
  axis.numberFormat = "0%";
}

/**
 * A count axis from 0 in whole steps (about five of them): Excel's automatic major unit gives 0.5 steps for small
 * counts. The maximum stays automatic, so the axis still grows with the live counts.
 */
function countAxis(axis: Excel.ChartAxis, largest: number): void {
  axis.minimum = 0;
  axis.majorUnit = wholeStep(largest);
  axis.numberFormat = "0";
}

/** A whole step of 1, 2 or 5 × a power of ten giving at most about five steps up to `largest`. */
export function wholeStep(largest: number): number {
  const raw = Math.max(1, largest / 5);
  const pow = 10 ** Math.floor(Math.log10(raw));
  return ([1, 2, 5, 10].map((m) => m * pow).find((x) => x >= raw) ?? 10 * pow) || 1;
}

function titleChart(c: Excel.Chart, lang: Lang, title: string, cat: string, val: string): void {
  c.title.text = wbText(lang, title);
  c.axes.getItem("Category", "Primary").title.text = wbText(lang, cat);
  c.axes.getItem("Value", "Primary").title.text = wbText(lang, val);
}
