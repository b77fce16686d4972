import { applyMappingOverride, detectHeader, detectHeaderAt } from "../core/header";
import { inferPeriod, periodLength } from "../core/period";
import { isDateSerial } from "../core/month";
import { extractPlan, type PlanExtract } from "../core/plan";
import { cleanText } from "../core/text";
import type { Field, Grid, HeaderDetection, MergedArea, Period, PeriodSource } from "../core/types";
import type { Rect0 } from "./a1";
import type { PlanConfig } from "./config";
import { PlanLedgerError } from "./operations";
import type { SheetMeta } from "./read";
import { pause } from "./pause";

/** The plan as read from a sheet: header, mapping, period and the core's rows and findings. */
export type PlanView = {
  detection: HeaderDetection;
  period: Period;
  periodSource: PeriodSource;
  periodEvidence: string;
  grid: unknown[][];
  extract: PlanExtract;
};

/** A merged area as the core describes it (top-left and size). */
export function toMergedArea(m: Rect0): MergedArea {
  return { row: m.r0, col: m.c0, rowCount: m.r1 - m.r0 + 1, colCount: m.c1 - m.c0 + 1 };
}

/** Header detection with the stored configuration and the caller's overrides applied. */
export function detect(
  grid: Grid,
  merges: readonly Rect0[] | undefined,
  config: PlanConfig | undefined,
  sheetName: string,
  override: Partial<Record<Field, number | null>> | undefined,
): HeaderDetection {
  const ma: MergedArea[] = (merges ?? []).map(toMergedArea);
  let d = detectHeader(grid, ma);
  if (d.headerRow < 0) {
    throw new PlanLedgerError("noHeader", {
      sheet: sheetName,
      candidates: d.candidates
        .slice(0, 3)
        .map((c) => `${c.row + 1}: ${c.headers.filter((h) => h).join(" | ")}`)
        .join("; "),
    });
  }
  if (config && config.sheet === sheetName) {
    // A structured plan's header is the row with our two computed columns: below a group row of a two-row header,
    // which can score higher once its merges are gone.
    const tableHeader = structuredHeaderRow(grid, config);
    if (tableHeader >= 0 && tableHeader !== d.headerRow) d = detectHeaderAt(grid, tableHeader, ma);
    // The stored mapping is by header text: find those headers again, wherever the columns moved.
    const stored: Partial<Record<Field, number | null>> = {};
    for (const [field, header] of Object.entries(config.columns) as [Field, string][]) {
      const col = d.headers.findIndex((h) => cleanText(h) === cleanText(header));
      if (col >= 0) stored[field] = col;
    }
    // Our computed columns are never the user's fields (状态 read as the status text would make the formula read itself).
    const computed = new Set([config.computed.completion, config.computed.status].map((t) => cleanText(t)));
    for (const [field, col] of Object.entries(d.mapping) as [Field, number][]) {
      if (stored[field] === undefined && computed.has(cleanText(d.headers[col]))) stored[field] = null;
    }
    d = applyMappingOverride(d, stored);
  }
  if (override) d = applyMappingOverride(d, override);
  return d;
}

/** The row holding the computed completion and status headers of a structured plan, in the top rows; -1 if none. */
function structuredHeaderRow(grid: Grid, config: PlanConfig): number {
  const want = [config.computed.completion, config.computed.status].map((t) => cleanText(t));
  for (let r = 0; r < Math.min(grid.length, 40); r++) {
    const texts = new Set((grid[r] ?? []).map((v) => cleanText(v)));
    if (want.every((t) => texts.has(t))) return r;
  }
  return -1;
}

/**
 * Reads the plan out of a sheet's values: detection, period, then rows and findings. Detection and extraction are tasks
 * of their own for the page (pause.ts): together, over 5,000 rows, they were one task of 0.14–0.18 s in the workbench
 * on this loaded machine (issue 16 §10).
 */
export async function viewPlan(
  meta: SheetMeta,
  values: unknown[][],
  opts: {
    override?: Partial<Record<Field, number | null>>;
    periodStart?: string;
    now: Date;
    /** The workbook's file name, a source of the period (2026年工作台账.xlsx). */
    fileName?: string;
    /** Number formats of columns (the target and actual), row for row: percentages count in %. */
    numberFormats?: ReadonlyMap<number, readonly unknown[]>;
  },
): Promise<PlanView> {
  const detection = detect(values as Grid, meta.merges, meta.config, meta.name, opts.override);
  await pause();
  const merges: MergedArea[] = (meta.merges ?? []).map(toMergedArea);
  const monthCol = detection.mapping.month;
  const dataFrom = detection.headerRow + (detection.span ?? 1);
  const grid =
    meta.dateOffset && monthCol !== undefined ? from1904(values, monthCol, dataFrom, meta.dateOffset) : values;
  const titleTexts = grid
    .slice(0, detection.headerRow)
    .flat()
    .filter((v) => typeof v === "string" && v.trim() !== "") as string[];
  const stored = meta.config && meta.config.sheet === meta.name ? meta.config.period.start : undefined;
  const inferred = inferPeriod({
    sheetName: meta.name,
    titleTexts,
    fileName: opts.fileName,
    monthCells: monthCol === undefined ? [] : grid.slice(dataFrom).map((r) => r[monthCol]),
    today: opts.now,
    override: opts.periodStart ?? stored,
    // A stored one-month or one-term period keeps its length; a period the caller sets is a year.
    overrideMonths:
      opts.periodStart === undefined && meta.config && stored ? periodLength(meta.config.period) : undefined,
  });
  const own = meta.config && meta.config.sheet === meta.name ? meta.config : undefined;
  const extract = extractPlan(grid as Grid, detection, {
    period: inferred.period,
    origin: { row: 0, col: 0 },
    merges,
    numberFormats: opts.numberFormats,
    added: own?.added,
    // A structured plan's month column stays what it was structured as (days or months), read by its header.
    dueDays:
      own && monthCol !== undefined && cleanText(detection.headers[monthCol]) === cleanText(own.columns.month)
        ? (own.dueDays ?? false)
        : undefined,
  });
  return {
    detection,
    period: inferred.period,
    // The period a structured plan keeps is the one it was structured with: say so, not "set by you".
    periodSource: inferred.source === "override" && opts.periodStart === undefined ? "stored" : inferred.source,
    periodEvidence: inferred.evidence,
    grid,
    extract,
  };
}

/**
 * The grid with the month column's date serials in the 1900 date system the core reads: a 1904 workbook stores each
 * date 1,462 lower. Only the rows holding such a serial are copied; the sheet's values are not touched.
 */
function from1904(values: unknown[][], col: number, from: number, offset: number): unknown[][] {
  let out: unknown[][] | undefined;
  for (let r = from; r < values.length; r++) {
    const v = values[r]?.[col];
    if (typeof v !== "number" || !isDateSerial(v + offset)) continue;
    out ??= values.slice();
    const row = values[r].slice();
    row[col] = v + offset;
    out[r] = row;
  }
  return out ?? values;
}
