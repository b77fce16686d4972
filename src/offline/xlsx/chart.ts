/**
 * Charts as native DrawingML parts (xl/charts/chartN.xml) placed by a drawing part (xl/drawings/drawingN.xml), written
 * from ChartModel and read back into it. Reading understands bar, line and pie charts (what this writer produces);
 * anything else is reported as not carried.
 */
import type { ChartModel, ChartSeriesModel, Scalar, SheetModel, ValueAxisModel } from "../model";
import { attr, child, children, childVal, escapeAttr, escapeText, local, path, type XmlElement } from "./xml";

type Group = "bar" | "line" | "pie";
type Grouping = "clustered" | "stacked" | "percentStacked" | "standard";
type Kind = { group: Group; barDir?: "col" | "bar"; grouping: Grouping; markers?: boolean };

const KINDS: Record<string, Kind> = {
  ColumnClustered: { group: "bar", barDir: "col", grouping: "clustered" },
  ColumnStacked: { group: "bar", barDir: "col", grouping: "stacked" },
  ColumnStacked100: { group: "bar", barDir: "col", grouping: "percentStacked" },
  BarClustered: { group: "bar", barDir: "bar", grouping: "clustered" },
  BarStacked: { group: "bar", barDir: "bar", grouping: "stacked" },
  BarStacked100: { group: "bar", barDir: "bar", grouping: "percentStacked" },
  Line: { group: "line", grouping: "standard", markers: false },
  LineStacked: { group: "line", grouping: "stacked", markers: false },
  LineStacked100: { group: "line", grouping: "percentStacked", markers: false },
  LineMarkers: { group: "line", grouping: "standard", markers: true },
  LineMarkersStacked: { group: "line", grouping: "stacked", markers: true },
  LineMarkersStacked100: { group: "line", grouping: "percentStacked", markers: true },
  Pie: { group: "pie", grouping: "standard" },
};

/** Chart types (Excel.ChartType names) the exporter writes. */
export const SUPPORTED_CHART_TYPES: readonly string[] = Object.keys(KINDS);

/** Resolves a sheet-qualified reference to its cells' values, for the caches a chart part carries. */
export type RefResolver = (ref: string) => Scalar[] | undefined;

const NS =
  'xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" ' +
  'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" ' +
  'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';

const AX = { cat: 10001, val: 10002, cat2: 10003, val2: 10004 };
const LEGEND_POS = { Top: "t", Bottom: "b", Left: "l", Right: "r" } as const;

function rich(text: string, rotated: boolean): string {
  const body = rotated ? '<a:bodyPr rot="-5400000" vert="horz"/>' : "<a:bodyPr/>";
  return (
    `<c:tx><c:rich>${body}<a:lstStyle/><a:p><a:pPr><a:defRPr b="1"/></a:pPr>` +
    `<a:r><a:rPr lang="zh-CN" b="1"/><a:t>${escapeText(text)}</a:t></a:r></a:p></c:rich></c:tx>`
  );
}

function title(text: string, rotated = false): string {
  return text ? `<c:title>${rich(text, rotated)}<c:overlay val="0"/></c:title>` : "";
}

function color(hex: string): string {
  return `<a:solidFill><a:srgbClr val="${hex.replace(/^#/, "").toUpperCase()}"/></a:solidFill>`;
}

function seriesShape(s: ChartSeriesModel, group: Group): string {
  if (!s.fill && !s.line) return "";
  const fill = s.fill ? color(s.fill) : group === "line" ? "" : "<a:noFill/>";
  const line = s.line ? `<a:ln w="${group === "line" ? 28575 : 12700}">${color(s.line)}</a:ln>` : "";
  return `<c:spPr>${fill}${line}</c:spPr>`;
}

function numCache(values: Scalar[] | undefined): string {
  if (!values) return "";
  const pts = values
    .map((v, i) => (typeof v === "number" && Number.isFinite(v) ? `<c:pt idx="${i}"><c:v>${v}</c:v></c:pt>` : ""))
    .join("");
  return `<c:numCache><c:formatCode>General</c:formatCode><c:ptCount val="${values.length}"/>${pts}</c:numCache>`;
}

function strCache(values: Scalar[] | undefined): string {
  if (!values) return "";
  const pts = values
    .map((v, i) => {
      const t = typeof v === "object" ? v.error : v === "" ? "" : String(v);
      return t ? `<c:pt idx="${i}"><c:v>${escapeText(t)}</c:v></c:pt>` : "";
    })
    .join("");
  return `<c:strCache><c:ptCount val="${values.length}"/>${pts}</c:strCache>`;
}

function refBody(ref: string): string {
  return escapeText(ref.startsWith("=") ? ref.slice(1) : ref);
}

function seriesXml(s: ChartSeriesModel, index: number, kind: Kind, resolve: RefResolver): string {
  const cat = s.categories
    ? `<c:cat><c:strRef><c:f>${refBody(s.categories)}</c:f>${strCache(resolve(s.categories))}</c:strRef></c:cat>`
    : "";
  const val = `<c:val><c:numRef><c:f>${refBody(s.values)}</c:f>${numCache(resolve(s.values))}</c:numRef></c:val>`;
  const head =
    `<c:idx val="${index}"/><c:order val="${index}"/><c:tx><c:v>${escapeText(s.name)}</c:v></c:tx>` +
    seriesShape(s, kind.group);
  if (kind.group === "bar") return `<c:ser>${head}<c:invertIfNegative val="0"/>${cat}${val}</c:ser>`;
  if (kind.group === "pie") return `<c:ser>${head}${cat}${val}</c:ser>`;
  const marker = kind.markers ? "" : '<c:marker><c:symbol val="none"/></c:marker>';
  return `<c:ser>${head}${marker}${cat}${val}<c:smooth val="0"/></c:ser>`;
}

function kindOf(type: string): Kind {
  const kind = KINDS[type];
  if (!kind) throw new Error(`Chart type ${type} is not supported by the .xlsx writer`);
  return kind;
}

function axisXml(
  tag: "catAx" | "valAx",
  id: number,
  cross: number,
  pos: string,
  opts: {
    deleted?: boolean;
    title?: string;
    min?: number;
    max?: number;
    majorUnit?: number;
    numberFormat?: string;
    grid?: boolean;
    crossesMax?: boolean;
  },
): string {
  const scaling =
    `<c:scaling><c:orientation val="minMax"/>` +
    (opts.max !== undefined ? `<c:max val="${opts.max}"/>` : "") +
    (opts.min !== undefined ? `<c:min val="${opts.min}"/>` : "") +
    "</c:scaling>";
  const numFmt = opts.numberFormat
    ? `<c:numFmt formatCode="${escapeAttr(opts.numberFormat)}" sourceLinked="0"/>`
    : `<c:numFmt formatCode="General" sourceLinked="1"/>`;
  const common =
    `<c:axId val="${id}"/>${scaling}<c:delete val="${opts.deleted ? 1 : 0}"/><c:axPos val="${pos}"/>` +
    (opts.grid ? "<c:majorGridlines/>" : "") +
    title(opts.title ?? "", tag === "valAx" && (pos === "l" || pos === "r")) +
    numFmt +
    '<c:majorTickMark val="out"/><c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/>' +
    `<c:crossAx val="${cross}"/><c:crosses val="${opts.crossesMax ? "max" : "autoZero"}"/>`;
  return tag === "catAx"
    ? `<c:catAx>${common}<c:auto val="1"/><c:lblAlgn val="ctr"/><c:lblOffset val="100"/><c:noMultiLvlLbl val="0"/></c:catAx>`
    : // CT_ValAx: crossBetween, then majorUnit (ECMA-376 Part 1, 21.2.2.101).
      `<c:valAx>${common}<c:crossBetween val="between"/>` +
        (opts.majorUnit !== undefined ? `<c:majorUnit val="${opts.majorUnit}"/>` : "") +
        "</c:valAx>";
}

/**
 * The chart part for one chart. Series are grouped by (chart type, axis group); a line series on the secondary axis of
 * a column chart makes the combo chart.
 */
export function chartXml(chart: ChartModel, resolve: RefResolver): string {
  const groups = new Map<string, { kind: Kind; secondary: boolean; items: { s: ChartSeriesModel; i: number }[] }>();
  chart.series.forEach((s, i) => {
    const type = s.chartType ?? chart.type;
    const secondary = s.axisGroup === "Secondary";
    const key = `${secondary ? 1 : 0}|${type}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { kind: kindOf(type), secondary, items: [] }));
    g.items.push({ s, i });
  });
  if (chart.series.length === 0)
    groups.set("0|" + chart.type, { kind: kindOf(chart.type), secondary: false, items: [] });
  const ordered = [...groups.values()].sort((a, b) => Number(a.secondary) - Number(b.secondary));
  const horizontal = ordered.some((g) => g.kind.barDir === "bar");
  const hasAxes = ordered.some((g) => g.kind.group !== "pie");
  const hasSecondary = ordered.some((g) => g.secondary && g.kind.group !== "pie");
  let plot = "";
  for (const g of ordered) {
    const sers = g.items.map(({ s, i }) => seriesXml(s, i, g.kind, resolve)).join("");
    const axIds = g.secondary
      ? `<c:axId val="${AX.cat2}"/><c:axId val="${AX.val2}"/>`
      : `<c:axId val="${AX.cat}"/><c:axId val="${AX.val}"/>`;
    if (g.kind.group === "bar") {
      const overlap = g.kind.grouping === "clustered" ? "" : '<c:overlap val="100"/>';
      plot +=
        `<c:barChart><c:barDir val="${g.kind.barDir}"/><c:grouping val="${g.kind.grouping}"/>` +
        `<c:varyColors val="0"/>${sers}<c:gapWidth val="150"/>${overlap}${axIds}</c:barChart>`;
    } else if (g.kind.group === "line") {
      plot +=
        `<c:lineChart><c:grouping val="${g.kind.grouping}"/><c:varyColors val="0"/>${sers}` +
        `<c:marker val="1"/>${axIds}</c:lineChart>`;
    } else {
      plot += `<c:pieChart><c:varyColors val="1"/>${sers}<c:firstSliceAng val="0"/></c:pieChart>`;
    }
  }
  if (hasAxes) {
    const [catPos, valPos, val2Pos] = horizontal ? ["l", "b", "t"] : ["b", "l", "r"];
    const v = chart.axes.value;
    plot += axisXml("catAx", AX.cat, AX.val, catPos, { title: chart.axes.category.title });
    plot += axisXml("valAx", AX.val, AX.cat, valPos, { ...v, grid: true });
    if (hasSecondary) {
      const v2 = chart.axes.secondaryValue ?? { title: "" };
      plot += axisXml("catAx", AX.cat2, AX.val2, catPos, { deleted: true });
      plot += axisXml("valAx", AX.val2, AX.cat2, val2Pos, { ...v2, crossesMax: true });
    }
  }
  const legend = chart.legend.visible
    ? `<c:legend><c:legendPos val="${LEGEND_POS[chart.legend.position]}"/><c:overlay val="0"/></c:legend>`
    : "";
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
    `<c:chartSpace ${NS}><c:roundedCorners val="0"/><c:chart>` +
    title(chart.title) +
    `<c:autoTitleDeleted val="${chart.title ? 0 : 1}"/><c:plotArea><c:layout/>${plot}</c:plotArea>` +
    `${legend}<c:plotVisOnly val="1"/><c:dispBlanksAs val="gap"/></c:chart></c:chartSpace>`
  );
}

// Sizes of rows and columns in points, as used to place a chart over the grid.
const DEFAULT_COL_PT = 48;
const DEFAULT_ROW_PT = 15;
const EMU_PER_PT = 12700;

function colPt(sheet: SheetModel, c: number): number {
  return sheet.columnWidths.get(c) ?? DEFAULT_COL_PT;
}
function rowPt(sheet: SheetModel, r: number): number {
  return sheet.rowHeights.get(r) ?? DEFAULT_ROW_PT;
}

function locate(pt: number, size: (i: number) => number): { index: number; offEmu: number } {
  let index = 0;
  let rest = pt;
  while (rest >= size(index) && index < 1_048_575) {
    rest -= size(index);
    index++;
  }
  return { index, offEmu: Math.round(rest * EMU_PER_PT) };
}

function position(index: number, offEmu: number, size: (i: number) => number): number {
  let pt = 0;
  for (let i = 0; i < index; i++) pt += size(i);
  return pt + offEmu / EMU_PER_PT;
}

function marker(tag: string, col: { index: number; offEmu: number }, row: { index: number; offEmu: number }): string {
  return (
    `<xdr:${tag}><xdr:col>${col.index}</xdr:col><xdr:colOff>${col.offEmu}</xdr:colOff>` +
    `<xdr:row>${row.index}</xdr:row><xdr:rowOff>${row.offEmu}</xdr:rowOff></xdr:${tag}>`
  );
}

/** The drawing part placing a sheet's charts; chart i is related as "rId{i+1}". */
export function drawingXml(sheet: SheetModel, carried?: { anchors: string[]; declarations: string }): string {
  const col = (i: number) => colPt(sheet, i);
  const row = (i: number) => rowPt(sheet, i);
  // Shape ids are unique within a drawing: the charts' come after those of the anchors carried from the input.
  const firstId = Math.max(
    1,
    ...(carried?.anchors ?? []).flatMap((a) =>
      [...a.matchAll(/\bcNvPr\b[^>]*?\sid="(\d+)"/g)].map((m) => Number(m[1])),
    ),
  );
  const anchors = sheet.charts.map((ch, i) => {
    const from = marker("from", locate(ch.left, col), locate(ch.top, row));
    const to = marker("to", locate(ch.left + ch.width, col), locate(ch.top + ch.height, row));
    return (
      `<xdr:twoCellAnchor editAs="oneCell">${from}${to}<xdr:graphicFrame macro="">` +
      `<xdr:nvGraphicFramePr><xdr:cNvPr id="${firstId + i + 1}" name="${escapeAttr(ch.name)}"/><xdr:cNvGraphicFramePr/>` +
      `</xdr:nvGraphicFramePr><xdr:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/></xdr:xfrm>` +
      `<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/chart">` +
      `<c:chart xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" r:id="rId${i + 1}"/>` +
      `</a:graphicData></a:graphic></xdr:graphicFrame><xdr:clientData/></xdr:twoCellAnchor>`
    );
  });
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
    '<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing" ' +
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" ' +
    `xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"${carried?.declarations ?? ""}>` +
    (carried?.anchors.join("") ?? "") +
    anchors.join("") +
    "</xdr:wsDr>"
  );
}

/** One anchored object of a drawing part: a chart frame (with its relationship id) or something else. */
export type DrawingItem =
  | { kind: "chart"; rid: string; name: string; top: number; left: number; width: number; height: number }
  | { kind: "other" };

function num(el: XmlElement | undefined, name: string): number {
  return Number(child(el, name)?.text ?? 0);
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/** Reads the anchors of a drawing part; positions are converted to points with the sheet's sizes. */
export function readDrawing(root: XmlElement, sheet: SheetModel): DrawingItem[] {
  const col = (i: number) => colPt(sheet, i);
  const row = (i: number) => rowPt(sheet, i);
  const items: DrawingItem[] = [];
  for (const anchor of root.children) {
    const kind = local(anchor.name);
    if (kind !== "twoCellAnchor" && kind !== "oneCellAnchor" && kind !== "absoluteAnchor") continue;
    const frame = child(anchor, "graphicFrame");
    const chartEl = path(frame, "graphic", "graphicData", "chart");
    const rid = attr(chartEl, "id");
    if (!frame || !rid) {
      items.push({ kind: "other" });
      continue;
    }
    let left: number;
    let top: number;
    let width: number;
    let height: number;
    const ext = child(anchor, "ext");
    if (kind === "absoluteAnchor") {
      const pos = child(anchor, "pos");
      left = Number(attr(pos, "x") ?? 0) / EMU_PER_PT;
      top = Number(attr(pos, "y") ?? 0) / EMU_PER_PT;
    } else {
      const from = child(anchor, "from");
      left = position(num(from, "col"), num(from, "colOff"), col);
      top = position(num(from, "row"), num(from, "rowOff"), row);
    }
    if (kind === "twoCellAnchor") {
      const to = child(anchor, "to");
      width = position(num(to, "col"), num(to, "colOff"), col) - left;
      height = position(num(to, "row"), num(to, "rowOff"), row) - top;
    } else {
      width = Number(attr(ext, "cx") ?? 0) / EMU_PER_PT;
      height = Number(attr(ext, "cy") ?? 0) / EMU_PER_PT;
    }
    const name = attr(path(frame, "nvGraphicFramePr", "cNvPr"), "name") ?? "";
    items.push({
      kind: "chart",
      rid,
      name,
      top: round2(top),
      left: round2(left),
      width: round2(width),
      height: round2(height),
    });
  }
  return items;
}

function allText(el: XmlElement | undefined): string {
  if (!el) return "";
  if (local(el.name) === "t") return el.text;
  return el.children.map(allText).join("");
}

function readTitle(el: XmlElement | undefined): string {
  if (!el) return "";
  const tx = child(el, "tx");
  const richEl = child(tx, "rich");
  if (richEl) return children(richEl, "p").map(allText).join("\n");
  const cached = path(tx, "strRef", "strCache", "pt", "v");
  return cached?.text ?? "";
}

function color6(el: XmlElement | undefined): string | undefined {
  const v = attr(path(el, "solidFill", "srgbClr"), "val");
  return v ? "#" + v.toUpperCase() : undefined;
}

function typeName(groupEl: XmlElement, series: XmlElement[]): string | undefined {
  const g = local(groupEl.name);
  const grouping = childVal(groupEl, "grouping") ?? (g === "barChart" ? "clustered" : "standard");
  const suffix = grouping === "stacked" ? "Stacked" : grouping === "percentStacked" ? "Stacked100" : "";
  if (g === "barChart") {
    const base = childVal(groupEl, "barDir") === "bar" ? "Bar" : "Column";
    return base + (suffix || "Clustered");
  }
  if (g === "lineChart") {
    const noMarkers = series.length > 0 && series.every((s) => childVal(child(s, "marker"), "symbol") === "none");
    return (noMarkers ? "Line" : "LineMarkers") + suffix;
  }
  if (g === "pieChart") return "Pie";
  return undefined;
}

type AxisInfo = ValueAxisModel;

function readAxis(ax: XmlElement): AxisInfo {
  const info: AxisInfo = { title: readTitle(child(ax, "title")) };
  const scaling = child(ax, "scaling");
  const min = childVal(scaling, "min");
  const max = childVal(scaling, "max");
  if (min !== undefined) info.min = Number(min);
  if (max !== undefined) info.max = Number(max);
  const major = childVal(ax, "majorUnit");
  if (major !== undefined && Number(major) > 0) info.majorUnit = Number(major);
  const nf = child(ax, "numFmt");
  if (nf && attr(nf, "sourceLinked") !== "1" && attr(nf, "formatCode")) info.numberFormat = attr(nf, "formatCode");
  return info;
}

/**
 * Reads a chart part into a ChartModel, or undefined when it holds a kind of chart this module does not write
 * (scatter, area, 3-D …), so the caller can report it as not carried.
 */
export function readChart(
  root: XmlElement,
  placed: Omit<Extract<DrawingItem, { kind: "chart" }>, "kind" | "rid">,
): ChartModel | undefined {
  const chartEl = child(root, "chart");
  const plot = child(chartEl, "plotArea");
  if (!plot) return undefined;
  const axes = new Map<string, XmlElement>();
  for (const el of plot.children) {
    const n = local(el.name);
    if (n === "catAx" || n === "valAx" || n === "dateAx" || n === "serAx") axes.set(childVal(el, "axId") ?? "", el);
  }
  const isSecondaryVal = (ax: XmlElement | undefined) => childVal(ax, "crosses") === "max";
  const collected: { order: number; s: ChartSeriesModel; type: string }[] = [];
  let primaryCat: XmlElement | undefined;
  let primaryVal: XmlElement | undefined;
  let secondaryVal: XmlElement | undefined;
  for (const groupEl of plot.children) {
    const g = local(groupEl.name);
    if (!g.endsWith("Chart")) continue;
    if (g !== "barChart" && g !== "lineChart" && g !== "pieChart") return undefined;
    const series = children(groupEl, "ser");
    const type = typeName(groupEl, series);
    if (!type) return undefined;
    const ids = children(groupEl, "axId").map((a) => attr(a, "val") ?? "");
    const cat = axes.get(ids[0] ?? "");
    const val = axes.get(ids[1] ?? "");
    const secondary = g !== "pieChart" && isSecondaryVal(val);
    if (secondary) secondaryVal = val;
    else if (g !== "pieChart") {
      primaryCat ??= cat;
      primaryVal ??= val;
    }
    for (const ser of series) {
      const tx = child(ser, "tx");
      const name = child(tx, "v")?.text ?? path(tx, "strRef", "strCache", "pt", "v")?.text ?? "";
      const values = path(ser, "val", "numRef", "f")?.text;
      if (values === undefined) return undefined;
      const s: ChartSeriesModel = { name, values, axisGroup: secondary ? "Secondary" : "Primary" };
      const catRef = path(ser, "cat", "strRef", "f") ?? path(ser, "cat", "numRef", "f");
      if (catRef) s.categories = catRef.text;
      const sp = child(ser, "spPr");
      const fill = color6(sp);
      const line = color6(child(sp, "ln"));
      if (fill) s.fill = fill;
      if (line) s.line = line;
      collected.push({ order: Number(childVal(ser, "order") ?? collected.length), s, type });
    }
  }
  collected.sort((a, b) => a.order - b.order);
  const chartType = collected[0]?.type ?? "ColumnClustered";
  const series = collected.map(({ s, type }) => (type === chartType ? s : { ...s, chartType: type }));
  const legendEl = child(chartEl, "legend");
  const pos = childVal(legendEl, "legendPos") ?? "r";
  const position = pos === "t" ? "Top" : pos === "b" ? "Bottom" : pos === "l" ? "Left" : "Right";
  const model: ChartModel = {
    name: placed.name,
    type: chartType,
    title: readTitle(child(chartEl, "title")),
    series,
    axes: {
      category: { title: primaryCat ? readTitle(child(primaryCat, "title")) : "" },
      value: primaryVal ? readAxis(primaryVal) : { title: "" },
    },
    legend: { visible: legendEl !== undefined, position },
    top: placed.top,
    left: placed.left,
    width: placed.width,
    height: placed.height,
  };
  if (secondaryVal) model.axes.secondaryValue = readAxis(secondaryVal);
  return model;
}
