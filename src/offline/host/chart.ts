import type { ChartModel, ChartSeriesModel, SheetModel, ValueAxisModel } from "../model";
import { qualified, rectCols, rectRows } from "./address";
import { ClientCollection, ClientObject, type ClientResult, type OfflineRequestContext } from "./context";
import { HostError } from "./errors";
import { getCell } from "./modelUtil";
import { hasFormula } from "../xlsx/filled";
import type { Range, RangeTarget } from "./range";
import { Worksheet } from "./sheet";

type ChartTarget = { sheet: SheetModel; chart: ChartModel };
type SeriesTarget = ChartTarget & { series: ChartSeriesModel };

const DEFAULT_W = 360;
const DEFAULT_H = 216;

function isText(sheet: SheetModel, r: number, c: number): boolean {
  const cell = getCell(sheet, r, c);
  // A formula not yet calculated is taken as a number: recalculating the workbook to build a chart would cost more
  // than Excel's guess is worth, and formulas in chart data are nearly always numeric.
  if (cell !== undefined && hasFormula(cell) && (cell.value === undefined || typeof cell.value === "number"))
    return false;
  const v = cell?.value;
  return v === undefined || typeof v === "string";
}

/**
 * Builds series from a source range as Excel does for the common shapes: a text first row names the series, a text
 * first column holds the categories; "Auto" puts series in columns when there are at least as many rows as columns.
 */
function seriesFrom(src: RangeTarget, seriesBy: string): ChartSeriesModel[] {
  const { sheet, rect } = src;
  const headerRow =
    rectRows(rect) > 1 &&
    Array.from({ length: rectCols(rect) }, (_, j) => j).every((j) => isText(sheet, rect.r0, rect.c0 + j));
  const headerCol =
    rectCols(rect) > 1 &&
    Array.from({ length: rectRows(rect) }, (_, i) => i)
      .slice(headerRow ? 1 : 0)
      .every((i) => isText(sheet, rect.r0 + i, rect.c0));
  const r0 = headerRow ? rect.r0 + 1 : rect.r0;
  const c0 = headerCol ? rect.c0 + 1 : rect.c0;
  const byCols = seriesBy === "Columns" || (seriesBy !== "Rows" && rect.r1 - r0 + 1 >= rect.c1 - c0 + 1);
  const out: ChartSeriesModel[] = [];
  const name = (r: number, c: number, k: number): string => {
    const v = getCell(sheet, r, c)?.value;
    return v === undefined || typeof v === "object" ? `Series${k}` : String(v);
  };
  if (byCols) {
    for (let c = c0; c <= rect.c1; c++) {
      const s: ChartSeriesModel = {
        name: headerRow ? name(rect.r0, c, out.length + 1) : `Series${out.length + 1}`,
        values: qualified(sheet.name, { r0, r1: rect.r1, c0: c, c1: c }, true),
        axisGroup: "Primary",
      };
      if (headerCol) s.categories = qualified(sheet.name, { r0, r1: rect.r1, c0: rect.c0, c1: rect.c0 }, true);
      out.push(s);
    }
  } else {
    for (let r = r0; r <= rect.r1; r++) {
      const s: ChartSeriesModel = {
        name: headerCol ? name(r, rect.c0, out.length + 1) : `Series${out.length + 1}`,
        values: qualified(sheet.name, { r0: r, r1: r, c0, c1: rect.c1 }, true),
        axisGroup: "Primary",
      };
      if (headerRow) s.categories = qualified(sheet.name, { r0: rect.r0, r1: rect.r0, c0, c1: rect.c1 }, true);
      out.push(s);
    }
  }
  return out;
}

abstract class ChartPart<T> extends ClientObject<T> {
  protected needs(version: string, api: string): void {
    this.context.requireSet(version, api);
  }
}

export class ChartCollection extends ClientCollection<SheetModel, Chart> {
  protected get typeName(): string {
    return "ChartCollection";
  }
  protected itemProxies(t: SheetModel): Chart[] {
    return t.charts.map((chart) => new Chart(this.context, () => ({ sheet: t, chart })));
  }
  add(type: string, sourceData: Range, seriesBy: string = "Auto"): Chart {
    let created: ChartTarget | null = null;
    this.act("add", { type, seriesBy }, (sheet) => {
      this.context.runtime.assertEditable(sheet);
      const src = sourceData.target();
      let k = sheet.charts.length + 1;
      while (sheet.charts.some((c) => c.name === `Chart ${k}`)) k++;
      const chart: ChartModel = {
        name: `Chart ${k}`,
        type,
        title: "",
        series: seriesFrom(src, seriesBy),
        axes: { category: { title: "" }, value: { title: "" } },
        legend: { visible: true, position: "Right" },
        top: 0,
        left: 0,
        width: DEFAULT_W,
        height: DEFAULT_H,
      };
      sheet.charts.push(chart);
      created = { sheet, chart };
    });
    return new Chart(this.context, () => created);
  }
  getItem(name: string): Chart {
    return new Chart(this.context, () => {
      const t = this.target();
      const chart = t.charts.find((c) => c.name.toLowerCase() === name.toLowerCase());
      if (!chart) throw new HostError("ItemNotFound", `The chart '${name}' doesn't exist.`);
      return { sheet: t, chart };
    });
  }
  getItemOrNullObject(name: string): Chart {
    return new Chart(
      this.context,
      () => {
        const t = this.target();
        const chart = t.charts.find((c) => c.name.toLowerCase() === name.toLowerCase());
        return chart ? { sheet: t, chart } : null;
      },
      true,
    );
  }
  getItemAt(index: number): Chart {
    return new Chart(this.context, () => {
      const t = this.target();
      const chart = t.charts[index];
      if (!chart) throw new HostError("ItemNotFound", `No chart at ${index}.`);
      return { sheet: t, chart };
    });
  }
  getCount(): ClientResult<number> {
    return this.result("getCount", undefined, (t) => t.charts.length);
  }
}

export class Chart extends ChartPart<ChartTarget> {
  protected get typeName(): string {
    return "Chart";
  }
  protected override stillValid(t: ChartTarget): boolean {
    return t.sheet.charts.includes(t.chart);
  }
  protected scalarNames(): readonly string[] {
    return ["name", "id", "chartType", "top", "left", "width", "height"];
  }
  protected snapshot(t: ChartTarget, name: string): unknown {
    const c = t.chart;
    const map: Record<string, unknown> = {
      name: c.name,
      id: c.name,
      chartType: c.type,
      top: c.top,
      left: c.left,
      width: c.width,
      height: c.height,
    };
    return map[name];
  }
  protected override child(name: string): ClientObject<unknown> | undefined {
    const map: Record<string, () => ClientObject<unknown>> = {
      title: () => this.title,
      legend: () => this.legend,
      axes: () => this.axes,
      series: () => this.series,
      worksheet: () => this.worksheet,
    };
    return map[name]?.();
  }
  private num(name: "top" | "left" | "width" | "height", v: number): void {
    this.local(name, v);
    this.act(name, v, (t) => {
      if (!Number.isFinite(v) || v < 0)
        throw new HostError("InvalidArgument", `Chart ${name} must be a non-negative number.`);
      t.chart[name] = v;
    });
  }
  get name(): string {
    return this.prop("name");
  }
  set name(v: string) {
    this.local("name", v);
    this.act("name", v, (t) => (t.chart.name = v));
  }
  get id(): string {
    return this.prop("id");
  }
  get chartType(): string {
    return this.prop("chartType");
  }
  set chartType(v: string) {
    this.local("chartType", v);
    this.act("chartType", v, (t) => (t.chart.type = v));
  }
  get top(): number {
    return this.prop("top");
  }
  set top(v: number) {
    this.num("top", v);
  }
  get left(): number {
    return this.prop("left");
  }
  set left(v: number) {
    this.num("left", v);
  }
  get width(): number {
    return this.prop("width");
  }
  set width(v: number) {
    this.num("width", v);
  }
  get height(): number {
    return this.prop("height");
  }
  set height(v: number) {
    this.num("height", v);
  }
  get worksheet(): Worksheet {
    return this.kid("worksheet", () => new Worksheet(this.context, () => this.target().sheet));
  }
  get title(): ChartTitle {
    return this.kid(
      "title",
      () =>
        new ChartTitle(
          this.context,
          () => this.target(),
          (t) => t.chart.title,
          (t, v) => (t.chart.title = v),
        ),
    );
  }
  get legend(): ChartLegend {
    return this.kid("legend", () => new ChartLegend(this.context, () => this.target()));
  }
  get axes(): ChartAxes {
    return this.kid("axes", () => new ChartAxes(this.context, () => this.target()));
  }
  get series(): ChartSeriesCollection {
    return this.kid("series", () => new ChartSeriesCollection(this.context, () => this.target()));
  }
  /** Places the chart over the cells from startCell to endCell (points from column widths and row heights). */
  setPosition(startCell: Range | string, endCell?: Range | string): void {
    this.act(
      "setPosition",
      {
        startCell: typeof startCell === "string" ? startCell : "range",
        endCell: typeof endCell === "string" ? endCell : undefined,
      },
      (t) => {
        const rectOf = (x: Range | string) => (typeof x === "string" ? Worksheet.parse(t.sheet, x) : x.target().rect);
        const a = rectOf(startCell);
        const left = (c: number): number => {
          let s = 0;
          for (let i = 0; i < c; i++) s += t.sheet.columnWidths.get(i) ?? 48;
          return s;
        };
        const top = (r: number): number => {
          let s = 0;
          for (let i = 0; i < r; i++) s += t.sheet.rowHeights.get(i) ?? 15;
          return s;
        };
        t.chart.left = left(a.c0);
        t.chart.top = top(a.r0);
        if (endCell !== undefined) {
          const b = rectOf(endCell);
          t.chart.width = Math.max(1, left(b.c1 + 1) - t.chart.left);
          t.chart.height = Math.max(1, top(b.r1 + 1) - t.chart.top);
        }
      },
    );
  }
  delete(): void {
    this.act("delete", undefined, (t) => {
      t.sheet.charts = t.sheet.charts.filter((c) => c !== t.chart);
    });
  }
}

/** A title (chart or axis): text and visible. */
export class ChartTitle extends ChartPart<ChartTarget> {
  constructor(
    context: OfflineRequestContext,
    resolver: () => ChartTarget | null,
    private readonly getText: (t: ChartTarget) => string,
    private readonly setText: (t: ChartTarget, v: string) => void,
  ) {
    super(context, resolver);
  }
  protected get typeName(): string {
    return "ChartTitle";
  }
  protected scalarNames(): readonly string[] {
    return ["text", "visible"];
  }
  protected snapshot(t: ChartTarget, name: string): unknown {
    return name === "text" ? this.getText(t) : this.getText(t) !== "";
  }
  get text(): string {
    return this.prop("text");
  }
  set text(v: string) {
    this.local("text", v);
    this.act("text", v, (t) => this.setText(t, v));
  }
  get visible(): boolean {
    return this.prop("visible");
  }
  set visible(v: boolean) {
    this.local("visible", v);
    this.act("visible", v, (t) => {
      if (!v) this.setText(t, "");
    });
  }
}

export class ChartLegend extends ChartPart<ChartTarget> {
  protected get typeName(): string {
    return "ChartLegend";
  }
  protected scalarNames(): readonly string[] {
    return ["position", "visible"];
  }
  protected snapshot(t: ChartTarget, name: string): unknown {
    return name === "position" ? t.chart.legend.position : t.chart.legend.visible;
  }
  get position(): string {
    return this.prop("position");
  }
  set position(v: string) {
    this.local("position", v);
    this.act("position", v, (t) => {
      if (!["Top", "Bottom", "Left", "Right"].includes(v))
        throw new HostError("InvalidArgument", `Legend position ${v} is not supported offline.`);
      t.chart.legend.position = v as ChartModel["legend"]["position"];
    });
  }
  get visible(): boolean {
    return this.prop("visible");
  }
  set visible(v: boolean) {
    this.local("visible", v);
    this.act("visible", v, (t) => (t.chart.legend.visible = v));
  }
}

type AxisKey = "category" | "value" | "secondaryValue";

export class ChartAxes extends ChartPart<ChartTarget> {
  protected get typeName(): string {
    return "ChartAxes";
  }
  protected scalarNames(): readonly string[] {
    return [];
  }
  protected snapshot(): unknown {
    return undefined;
  }
  protected override child(name: string): ClientObject<unknown> | undefined {
    if (name === "categoryAxis") return this.categoryAxis;
    if (name === "valueAxis") return this.valueAxis;
    return undefined;
  }
  get categoryAxis(): ChartAxis {
    return this.kid("categoryAxis", () => new ChartAxis(this.context, () => this.target(), "category"));
  }
  get valueAxis(): ChartAxis {
    return this.kid("valueAxis", () => new ChartAxis(this.context, () => this.target(), "value"));
  }
  /** Axis by type ("Category", "Value") and group ("Primary", "Secondary"); ExcelApi 1.7. */
  getItem(type: string, group: string = "Primary"): ChartAxis {
    this.needs("1.7", "ChartAxes.getItem");
    const key: AxisKey = type === "Category" ? "category" : group === "Secondary" ? "secondaryValue" : "value";
    if (type !== "Category" && type !== "Value")
      throw new HostError("NotImplemented", `Axis type ${type} is not supported offline.`);
    return new ChartAxis(this.context, () => this.target(), key);
  }
}

export class ChartAxis extends ChartPart<ChartTarget> {
  protected override memberSets(): Readonly<Record<string, string>> {
    return { numberFormat: "1.8" };
  }
  constructor(
    context: OfflineRequestContext,
    resolver: () => ChartTarget | null,
    private readonly key: AxisKey,
  ) {
    super(context, resolver);
  }
  protected get typeName(): string {
    return "ChartAxis";
  }
  private axis(t: ChartTarget): ValueAxisModel {
    if (this.key === "secondaryValue") return (t.chart.axes.secondaryValue ??= { title: "" });
    return t.chart.axes[this.key];
  }
  protected scalarNames(): readonly string[] {
    return ["minimum", "maximum", "majorUnit", "numberFormat", "visible"];
  }
  protected snapshot(t: ChartTarget, name: string): unknown {
    const a = this.axis(t);
    if (name === "minimum") return a.min ?? null;
    if (name === "maximum") return a.max ?? null;
    if (name === "majorUnit") return a.majorUnit ?? null;
    if (name === "numberFormat") return a.numberFormat ?? "General";
    return true;
  }
  protected override child(name: string): ClientObject<unknown> | undefined {
    return name === "title" ? this.title : undefined;
  }
  get title(): ChartTitle {
    return this.kid(
      "title",
      () =>
        new ChartTitle(
          this.context,
          () => this.target(),
          (t) => this.axis(t).title,
          (t, v) => (this.axis(t).title = v),
        ),
    );
  }
  get minimum(): number {
    return this.prop("minimum");
  }
  set minimum(v: number) {
    this.local("minimum", v);
    this.act("minimum", v, (t) => (this.axis(t).min = v));
  }
  get maximum(): number {
    return this.prop("maximum");
  }
  set maximum(v: number) {
    this.local("maximum", v);
    this.act("maximum", v, (t) => (this.axis(t).max = v));
  }
  /** The step between major ticks (ExcelApi 1.1 in @types/office-js: "a numeric value or an empty string"). */
  get majorUnit(): number {
    return this.prop("majorUnit");
  }
  set majorUnit(v: number | "") {
    this.local("majorUnit", v);
    this.act("majorUnit", v, (t) => {
      const a = this.axis(t);
      if (v === "") delete a.majorUnit;
      else if (typeof v !== "number" || !(v > 0) || !Number.isFinite(v))
        throw new HostError("InvalidArgument", "majorUnit must be a positive number or an empty string.");
      else a.majorUnit = v;
    });
  }
  get numberFormat(): string {
    return this.prop("numberFormat");
  }
  set numberFormat(v: string) {
    this.needsSet("numberFormat");
    this.local("numberFormat", v);
    this.act("numberFormat", v, (t) => (this.axis(t).numberFormat = v));
  }
}

export class ChartSeriesCollection extends ClientCollection<ChartTarget, ChartSeries> {
  protected get typeName(): string {
    return "ChartSeriesCollection";
  }
  protected itemProxies(t: ChartTarget): ChartSeries[] {
    return t.chart.series.map((series) => new ChartSeries(this.context, () => ({ ...t, series })));
  }
  /** Adds an empty series (ExcelApi 1.7); give it values with setValues. */
  add(name?: string, index?: number): ChartSeries {
    let created: SeriesTarget | null = null;
    const rt = this.context.runtime;
    this.act("add", { name, index }, (t) => {
      rt.require("1.7", "ChartSeriesCollection.add");
      const series: ChartSeriesModel = {
        name: name ?? `Series${t.chart.series.length + 1}`,
        values: "",
        axisGroup: "Primary",
      };
      const at = index === undefined ? t.chart.series.length : index;
      t.chart.series.splice(at, 0, series);
      created = { ...t, series };
    });
    return new ChartSeries(this.context, () => created);
  }
  getItemAt(index: number): ChartSeries {
    return new ChartSeries(this.context, () => {
      const t = this.target();
      const series = t.chart.series[index];
      if (!series) throw new HostError("ItemNotFound", `No series at ${index}.`);
      return { ...t, series };
    });
  }
  getCount(): ClientResult<number> {
    return this.result("getCount", undefined, (t) => t.chart.series.length);
  }
}

export class ChartSeries extends ChartPart<SeriesTarget> {
  protected get typeName(): string {
    return "ChartSeries";
  }
  protected scalarNames(): readonly string[] {
    const rt = this.context.runtime;
    return [
      "name",
      ...(rt.isSetSupported("1.7") ? ["chartType"] : []),
      ...(rt.isSetSupported("1.8") ? ["axisGroup"] : []),
    ];
  }
  protected snapshot(t: SeriesTarget, name: string): unknown {
    if (name === "name") return t.series.name;
    if (name === "chartType") return t.series.chartType ?? t.chart.type;
    return t.series.axisGroup;
  }
  protected override child(name: string): ClientObject<unknown> | undefined {
    return name === "format" ? this.format : undefined;
  }
  get name(): string {
    return this.prop("name");
  }
  set name(v: string) {
    this.local("name", v);
    this.act("name", v, (t) => (t.series.name = v));
  }
  get chartType(): string {
    return this.prop("chartType");
  }
  set chartType(v: string) {
    this.needs("1.7", "ChartSeries.chartType");
    this.local("chartType", v);
    this.act("chartType", v, (t) => {
      if (v === t.chart.type) delete t.series.chartType;
      else t.series.chartType = v;
    });
  }
  get axisGroup(): string {
    return this.prop("axisGroup");
  }
  set axisGroup(v: string) {
    this.needs("1.8", "ChartSeries.axisGroup");
    this.local("axisGroup", v);
    this.act("axisGroup", v, (t) => {
      if (v !== "Primary" && v !== "Secondary") throw new HostError("InvalidArgument", `Invalid axis group ${v}.`);
      t.series.axisGroup = v;
      if (v === "Secondary") t.chart.axes.secondaryValue ??= { title: "" };
    });
  }
  private ref(source: Range): string {
    const r = source.target();
    if (rectRows(r.rect) !== 1 && rectCols(r.rect) !== 1)
      throw new HostError("InvalidArgument", "Series data must be one row or one column.");
    return qualified(r.sheet.name, r.rect, true);
  }
  setValues(sourceData: Range): void {
    this.needs("1.7", "ChartSeries.setValues");
    this.act("setValues", undefined, (t) => (t.series.values = this.ref(sourceData)));
  }
  setXAxisValues(sourceData: Range): void {
    this.needs("1.7", "ChartSeries.setXAxisValues");
    this.act("setXAxisValues", undefined, (t) => (t.series.categories = this.ref(sourceData)));
  }
  get format(): SeriesFormat {
    return this.kid("format", () => new SeriesFormat(this.context, () => this.target()));
  }
  delete(): void {
    this.needs("1.7", "ChartSeries.delete");
    this.act("delete", undefined, (t) => {
      t.chart.series = t.chart.series.filter((s) => s !== t.series);
    });
  }
}

export class SeriesFormat extends ChartPart<SeriesTarget> {
  protected get typeName(): string {
    return "ChartSeriesFormat";
  }
  protected scalarNames(): readonly string[] {
    return [];
  }
  protected snapshot(): unknown {
    return undefined;
  }
  protected override child(name: string): ClientObject<unknown> | undefined {
    return name === "line" ? this.line : undefined;
  }
  get fill(): SeriesFill {
    return this.kid("fill", () => new SeriesFill(this.context, () => this.target()));
  }
  get line(): SeriesLine {
    return this.kid("line", () => new SeriesLine(this.context, () => this.target()));
  }
}

export class SeriesFill extends ChartPart<SeriesTarget> {
  protected get typeName(): string {
    return "ChartFill";
  }
  protected scalarNames(): readonly string[] {
    return [];
  }
  protected snapshot(): unknown {
    return undefined;
  }
  setSolidColor(color: string): void {
    this.act("setSolidColor", color, (t) => {
      if (!/^#[0-9A-Fa-f]{6}$/.test(color))
        throw new HostError("InvalidArgument", `'${color}' is not a #RRGGBB colour.`);
      t.series.fill = color.toUpperCase();
    });
  }
  clear(): void {
    this.act("clear", undefined, (t) => delete t.series.fill);
  }
}

export class SeriesLine extends ChartPart<SeriesTarget> {
  protected get typeName(): string {
    return "ChartLineFormat";
  }
  protected scalarNames(): readonly string[] {
    return ["color"];
  }
  protected snapshot(t: SeriesTarget): unknown {
    return t.series.line ?? null;
  }
  get color(): string {
    return this.prop("color");
  }
  set color(v: string) {
    this.local("color", v);
    this.act("color", v, (t) => {
      if (!/^#[0-9A-Fa-f]{6}$/.test(v)) throw new HostError("InvalidArgument", `'${v}' is not a #RRGGBB colour.`);
      t.series.line = v.toUpperCase();
    });
  }
}
