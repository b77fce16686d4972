import type { ReactNode } from "react";
import { formatValue } from "../offline";
import type { ChartModel, WorkbookModel } from "../offline";
import { chartData, type Axis, type SeriesData } from "./chart";
import type { WbText } from "./messages";

const PX_PER_PT = 4 / 3;
const FONT = "11px 'Segoe UI', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Droid Sans Fallback', sans-serif";

function tickLabel(v: number, axis: Axis): string {
  if (!axis.numberFormat) return String(Number(v.toPrecision(10)));
  try {
    return formatValue(v, axis.numberFormat);
  } catch (e) {
    // An axis format the formatter cannot read shows plain numbers, as Excel falls back to General.
    if (e instanceof Error) return String(v);
    throw e;
  }
}

function shorten(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, Math.max(1, max - 1))}…` : s;
}

export type ChartViewProps = { model: WorkbookModel; chart: ChartModel; t: WbText };

/**
 * One chart of the model as SVG: clustered columns or bars, lines (on a secondary axis when the series asks), title,
 * axis titles and legend. No chart library: the shapes are few and the data is already resolved by chartData().
 */
export function ChartView({ model, chart, t }: ChartViewProps) {
  const data = chartData(model, chart);
  const W = Math.round(chart.width * PX_PER_PT);
  const H = Math.round(chart.height * PX_PER_PT);
  const title = data.title || t("chart.untitled");
  const legendH = data.legend.visible ? 22 : 0;
  const n = data.categories.length;
  const right = data.secondary ? 56 : 16;
  // Bar charts' category labels get the room they need (up to 40 % of the chart), so owner names are not cut.
  const longestLabel = Math.max(0, ...data.categories.map((c) => textWidth(c)));
  const left = data.horizontal ? Math.round(Math.min(W * 0.4, Math.max(84, longestLabel + 24))) : 64;
  // Category labels are rotated when they do not fit their band; rotated labels need more room below the plot.
  const longest = Math.max(0, ...data.categories.map((c) => textWidth(c)));
  const rotate = !data.horizontal && n > 0 && longest > (W - left - right) / n - 4;
  const pad = { top: 34, right, bottom: (rotate ? Math.min(80, 24 + longest * 0.6) : 24) + 18 + legendH, left };
  const plotW = Math.max(10, W - pad.left - pad.right);
  const plotH = Math.max(10, H - pad.top - pad.bottom);
  const hasData = data.series.some((s) => s.values.some((v) => v !== null));
  const shapes: ReactNode[] = [];

  // Scales: the value axis runs along y for columns and lines, along x for bars.
  const valueLen = data.horizontal ? plotW : plotH;
  const catLen = data.horizontal ? plotH : plotW;
  const band = n > 0 ? catLen / n : catLen;
  const scale = (axis: Axis) => (v: number) => ((v - axis.min) / (axis.max - axis.min || 1)) * valueLen;
  const toPoint = (catPos: number, valPos: number): [number, number] =>
    data.horizontal ? [pad.left + valPos, pad.top + catPos] : [pad.left + catPos, pad.top + plotH - valPos];

  // Grid lines and value ticks of the primary axis.
  const primary = scale(data.primary);
  data.primary.ticks.forEach((tick, i) => {
    const p = primary(tick);
    const [x1, y1] = toPoint(0, p);
    const [x2, y2] = toPoint(catLen, p);
    shapes.push(<line key={`g${i}`} x1={x1} y1={y1} x2={x2} y2={y2} stroke="#D9D9D9" strokeWidth={1} />);
    shapes.push(
      data.horizontal ? (
        <text key={`t${i}`} x={x1} y={pad.top + plotH + 14} textAnchor="middle">
          {tickLabel(tick, data.primary)}
        </text>
      ) : (
        <text key={`t${i}`} x={pad.left - 6} y={y1 + 4} textAnchor="end">
          {tickLabel(tick, data.primary)}
        </text>
      ),
    );
  });
  if (data.secondary && !data.horizontal) {
    const sec = scale(data.secondary);
    data.secondary.ticks.forEach((tick, i) => {
      shapes.push(
        <text key={`s${i}`} x={pad.left + plotW + 6} y={pad.top + plotH - sec(tick) + 4} textAnchor="start">
          {tickLabel(tick, data.secondary as Axis)}
        </text>,
      );
    });
  }

  // Columns or bars: clustered within each category band.
  const blocks = data.series.filter((s) => s.kind !== "line");
  const barW = blocks.length > 0 ? (band * 0.7) / blocks.length : 0;
  blocks.forEach((s, si) => {
    const axis = s.secondary && data.secondary ? data.secondary : data.primary;
    const sc = scale(axis);
    const zero = sc(Math.max(axis.min, Math.min(axis.max, 0)));
    s.values.forEach((v, ci) => {
      if (v === null) return;
      const catPos = ci * band + band * 0.15 + si * barW;
      const a = Math.min(zero, sc(v));
      const len = Math.abs(sc(v) - zero);
      const [x, y] = data.horizontal ? toPoint(catPos, a) : toPoint(catPos, a + len);
      shapes.push(
        <rect
          key={`b${si}-${ci}`}
          x={x}
          y={y}
          width={data.horizontal ? len : barW}
          height={data.horizontal ? barW : len}
          fill={s.fill ?? "none"}
          stroke={s.line ?? "none"}
          strokeWidth={s.line ? 1 : 0}
        >
          <title>{`${s.name} · ${data.categories[ci]}: ${v}`}</title>
        </rect>,
      );
    });
  });

  // Lines through the category centres; a gap (no number) breaks the line.
  data.series
    .filter((s) => s.kind === "line")
    .forEach((s, si) => {
      const axis = s.secondary && data.secondary ? data.secondary : data.primary;
      const sc = scale(axis);
      const runs: string[][] = [[]];
      s.values.forEach((v, ci) => {
        if (v === null) {
          if (runs[runs.length - 1].length) runs.push([]);
          return;
        }
        const [x, y] = toPoint(ci * band + band / 2, sc(v));
        runs[runs.length - 1].push(`${x.toFixed(1)},${y.toFixed(1)}`);
      });
      const color = s.line ?? s.fill ?? "#000000";
      runs
        .filter((r) => r.length > 0)
        .forEach((r, ri) => {
          shapes.push(
            <polyline key={`l${si}-${ri}`} points={r.join(" ")} fill="none" stroke={color} strokeWidth={2} />,
          );
          r.forEach((pt, pi) => {
            const [cx, cy] = pt.split(",").map(Number);
            shapes.push(<circle key={`p${si}-${ri}-${pi}`} cx={cx} cy={cy} r={2.5} fill={color} />);
          });
        });
    });

  // Category labels, shortened to what fits.
  data.categories.forEach((c, ci) => {
    const mid = ci * band + band / 2;
    if (data.horizontal) {
      shapes.push(
        <text key={`c${ci}`} x={pad.left - 6} y={pad.top + mid + 4} textAnchor="end">
          {fitText(c, left - 12)}
        </text>,
      );
    } else {
      const x = pad.left + mid;
      const y = pad.top + plotH + 14;
      shapes.push(
        <text
          key={`c${ci}`}
          x={x}
          y={y}
          textAnchor={rotate ? "end" : "middle"}
          transform={rotate ? `rotate(-35 ${x} ${y})` : undefined}
        >
          {shorten(c, rotate ? 12 : Math.max(3, Math.floor(band / 7)))}
        </text>,
      );
    }
  });

  const legend = data.legend.visible ? legendItems(data.series) : [];
  return (
    <svg
      role="img"
      aria-label={t("chart.label", { title })}
      width={W}
      height={H}
      viewBox={`0 0 ${W} ${H}`}
      style={{ font: FONT, background: "#FFFFFF", border: "1px solid #BFBFBF", display: "block" }}
      data-chart={chart.name}
    >
      <text x={W / 2} y={20} textAnchor="middle" style={{ fontSize: 14, fontWeight: 600 }}>
        {title}
      </text>
      {hasData ? (
        shapes
      ) : (
        <text x={W / 2} y={H / 2} textAnchor="middle" fill="#605E5C">
          {t("chart.noData")}
        </text>
      )}
      <line x1={pad.left} y1={pad.top} x2={pad.left} y2={pad.top + plotH} stroke="#808080" />
      <line x1={pad.left} y1={pad.top + plotH} x2={pad.left + plotW} y2={pad.top + plotH} stroke="#808080" />
      {data.primary.title && (
        <text
          x={14}
          y={pad.top + plotH / 2}
          textAnchor="middle"
          transform={`rotate(-90 14 ${pad.top + plotH / 2})`}
          fill="#404040"
        >
          {data.horizontal ? data.categoryTitle : data.primary.title}
        </text>
      )}
      {data.secondary?.title && (
        <text
          x={W - 10}
          y={pad.top + plotH / 2}
          textAnchor="middle"
          transform={`rotate(90 ${W - 10} ${pad.top + plotH / 2})`}
          fill="#404040"
        >
          {data.secondary.title}
        </text>
      )}
      {(data.horizontal ? data.primary.title : data.categoryTitle) && (
        <text x={pad.left + plotW / 2} y={H - legendH - 4} textAnchor="middle" fill="#404040">
          {data.horizontal ? data.primary.title : data.categoryTitle}
        </text>
      )}
      {legend.length > 0 && (
        <g transform={`translate(${Math.max(4, (W - legendWidth(legend)) / 2)} ${H - 10})`}>
          {legend.map((item, i) => (
            <g key={item.name} transform={`translate(${item.x} 0)`}>
              {item.kind === "line" ? (
                <line x1={0} y1={-4} x2={14} y2={-4} stroke={item.color} strokeWidth={2} />
              ) : (
                <rect x={0} y={-9} width={10} height={10} fill={item.fill} stroke={item.stroke} />
              )}
              <text x={item.kind === "line" ? 18 : 14} y={0} data-legend={i}>
                {item.name}
              </text>
            </g>
          ))}
        </g>
      )}
    </svg>
  );
}

type LegendItem = { name: string; kind: SeriesData["kind"]; color: string; fill: string; stroke: string; x: number };

function legendItems(series: SeriesData[]): LegendItem[] {
  let x = 0;
  return series.map((s) => {
    const item: LegendItem = {
      name: s.name,
      kind: s.kind,
      color: s.line ?? s.fill ?? "#000000",
      fill: s.fill ?? "none",
      stroke: s.line ?? "none",
      x,
    };
    x += 24 + textWidth(s.name);
    return item;
  });
}

/** A rough text width at 11 px: CJK characters are about twice as wide as Latin ones. */
/** The text, cut with an ellipsis only where it is wider than `width` pixels. */
function fitText(s: string, width: number): string {
  if (textWidth(s) <= width) return s;
  let out = "";
  for (const ch of s) {
    if (textWidth(`${out}${ch}…`) > width) break;
    out += ch;
  }
  return `${out}…`;
}

function textWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += ch.charCodeAt(0) > 0x2e7f ? 11 : 6.5;
  return w;
}

function legendWidth(items: LegendItem[]): number {
  const last = items[items.length - 1];
  return last ? last.x + 24 + textWidth(last.name) : 0;
}
