/**
 * The plan period: twelve months from a start month, inferred from the sheet name, title cells or data months.
 */
import type { MonthKey, Period, PeriodSource } from "./types";
import { addMonths, monthIndex, monthKey, parseMonthKey, parseMonthParts, type MonthParts } from "./month";
import { cleanText, toHalfWidth } from "./text";

/**
 * The twelve-month period starting at `start` ("YYYY-MM"). A malformed start is a programming error and throws.
 * @example periodFromStart("2025-09") // { start: "2025-09", end: "2026-08" }
 */
export function periodFromStart(start: MonthKey): Period {
  if (!parseMonthKey(start)) throw new RangeError(`Malformed period start: ${String(start)}`);
  return { start, end: addMonths(start, 11) };
}

/**
 * The period's months in order.
 * @example periodMonths({ start: "2025-09", end: "2026-08" })[4] // "2026-01"
 */
export function periodMonths(p: Period): MonthKey[] {
  const first = monthIndex(p.start);
  if (Number.isNaN(first)) throw new RangeError(`Malformed period start: ${String(p.start)}`);
  const out: MonthKey[] = [];
  for (let i = first; i < first + 12; i++) out.push(monthKey(Math.floor(i / 12), (i % 12) + 1));
  return out;
}

/**
 * Pace (序时进度): the share of the period elapsed on `asOf`, counting whole months that have ended plus the current
 * month's share by day (the day itself counts as elapsed). 0 before the period, 1 after it, 0 for an invalid date.
 * @example elapsedShare(periodFromStart("2025-01"), new Date(2025, 6, 1)) // (6 + 1/31) / 12
 */
export function elapsedShare(p: Period, asOf: Date): number {
  const t = asOf.getTime();
  if (Number.isNaN(t)) return 0;
  const start = monthIndex(p.start);
  if (Number.isNaN(start)) throw new RangeError(`Malformed period start: ${String(p.start)}`);
  const y = asOf.getFullYear();
  const m = asOf.getMonth();
  const current = y * 12 + m;
  if (current < start) return 0;
  if (current >= start + 12) return 1;
  const daysInMonth = new Date(y, m + 1, 0).getDate();
  return (current - start + asOf.getDate() / daysInMonth) / 12;
}

// ---- inference ----------------------------------------------------------------------------------------------------

const SEP = String.raw`\s*[-~—–－/至到]\s*`;
const YEAR = String.raw`((?:19|20|21)\d\d)`;
const PATTERNS = {
  monthSpanZh: new RegExp(`${YEAR}\\s*年\\s*(\\d{1,2})\\s*月(?:份)?${SEP}${YEAR}\\s*年\\s*(\\d{1,2})\\s*月`),
  monthSpanIso: new RegExp(`${YEAR}[-./](\\d{1,2})${SEP}${YEAR}[-./](\\d{1,2})(?!\\d)`),
  academic: new RegExp(`${YEAR}${SEP}(\\d{2}|\\d{4})\\s*(?:学年|学年度|academic\\s*year|school\\s*year)`),
  academicEn: new RegExp(`(?:academic\\s*year|school\\s*year|\\bay)\\s*:?\\s*${YEAR}${SEP}(\\d{2}|\\d{4})`),
  academicOne: new RegExp(`${YEAR}\\s*(?:学年|学年度)`),
  fiscalSpan: new RegExp(
    `(?:\\bfy|财年|财政年度)\\s*${YEAR}${SEP}(\\d{2}|\\d{4})|${YEAR}${SEP}(\\d{2}|\\d{4})\\s*(?:财年|财政年度|fiscal|fy)`,
  ),
  fiscal: /(?:\bfy|财年|财政年度)\s*'?((?:19|20|21)\d\d|\d\d)(?!\d)/,
  yearSpan: new RegExp(`${YEAR}${SEP}${YEAR}\\s*年`),
  yearZh: new RegExp(`${YEAR}\\s*年`),
  yearBare: new RegExp(`(?<![\\d.])${YEAR}(?![\\d.])`),
};

/** True when `second` (2 or 4 digits) names the year after `first`: 2025-26, 2025-2026. */
function nextYear(first: number, second: string): boolean {
  const n = Number(second);
  return second.length === 2 ? n === (first + 1) % 100 : n === first + 1;
}

type DataHint = { month: number; year: number | null; wraps: boolean; text: string } | null;

/**
 * Reads one text for a period. `data` is the first data month, used where the text gives a year but not the month
 * (a cross-year fiscal year, a plain year over a plan that starts later and wraps into the next year).
 */
function fromText(raw: string, data: DataHint): MonthKey | null {
  const t = toHalfWidth(cleanText(raw)).toLowerCase();
  if (!t || !/\d{2}/.test(t)) return null;
  const dataMonthOnly = data && data.year === null ? data.month : null;
  let m: RegExpExecArray | null;
  if ((m = PATTERNS.monthSpanZh.exec(t) ?? PATTERNS.monthSpanIso.exec(t))) {
    const month = Number(m[2]);
    if (month >= 1 && month <= 12) return monthKey(Number(m[1]), month);
  }
  if ((m = PATTERNS.academic.exec(t) ?? PATTERNS.academicEn.exec(t)) && nextYear(Number(m[1]), m[2])) {
    return monthKey(Number(m[1]), 9);
  }
  if ((m = PATTERNS.academicOne.exec(t))) return monthKey(Number(m[1]), 9);
  if ((m = PATTERNS.fiscalSpan.exec(t))) {
    const first = Number(m[1] ?? m[3]);
    // A cross-year fiscal year starts where its data starts; without data months, April (UK, India, Japan, HK).
    if (nextYear(first, m[2] ?? m[4])) return monthKey(first, dataMonthOnly ?? 4);
  }
  if ((m = PATTERNS.fiscal.exec(t))) {
    // A single-year FY is the calendar year, as in China's 财年.
    const y = m[1].length === 2 ? 2000 + Number(m[1]) : Number(m[1]);
    return monthKey(y, 1);
  }
  if ((m = PATTERNS.yearSpan.exec(t)) && nextYear(Number(m[1]), m[2])) {
    return monthKey(Number(m[1]), dataMonthOnly ?? 9);
  }
  if ((m = PATTERNS.yearZh.exec(t) ?? PATTERNS.yearBare.exec(t))) {
    const wrapsFrom = data && data.year === null && data.month > 1 && data.wraps ? data.month : 1;
    return monthKey(Number(m[1]), wrapsFrom);
  }
  return null;
}

/** The first data month and whether the months wrap past December (a later month-only value below the first). */
function dataHint(cells: readonly unknown[]): DataHint {
  const cache = new Map<unknown, MonthParts>();
  let first: { month: number; year: number | null; text: string } | null = null;
  let wraps = false;
  // Month cells repeat (merged months, twelve values): parse each distinct value once; the head of a sheet decides.
  const limit = Math.min(cells.length, 20000);
  for (let i = 0; i < limit; i++) {
    const v = cells[i];
    let parts = cache.get(v);
    if (!parts) {
      parts = parseMonthParts(v);
      if (typeof v !== "object") cache.set(v, parts);
    }
    if (parts.kind !== "month") continue;
    if (!first) {
      first = { month: parts.month, year: parts.year, text: cleanText(v) };
      continue;
    }
    if (parts.year !== null && first.year !== null ? parts.year > first.year : parts.month < first.month) {
      wraps = true;
      break;
    }
  }
  return first ? { ...first, wraps } : null;
}

/** The academic-style start year for a month-only start: the running cycle, or the next when it begins within 2 months. */
function startYearFor(month: number, today: Date): number {
  const y = today.getFullYear();
  return today.getMonth() + 1 >= month - 2 ? y : y - 1;
}

/**
 * Infers the plan period. Precedence: override, sheet name, title cells (in order), data months, default (January of
 * `today`'s year). Text forms: 2025年, 2025年度, FY2025 (calendar year), FY2025-26 (starts at the first data month,
 * else April), 2025-2026学年 / Academic Year 2025-26 (September), 2025年9月—2026年8月, 2025-2026年 (first data month,
 * else September). Data months: a first month of September or later, or a plan that wraps past December, starts
 * there; an explicit year in the data fixes the year. `override` is "YYYY-MM" (any month form with a year is read);
 * an override without a year is a caller error and throws.
 * @example inferPeriod({ titleTexts: ["2025-2026学年工作计划"] }).period // { start: "2025-09", end: "2026-08" }
 */
export function inferPeriod(input: {
  sheetName?: string;
  titleTexts?: string[];
  monthCells?: unknown[];
  today?: Date;
  override?: MonthKey;
}): { period: Period; source: PeriodSource; evidence: string } {
  const today = input.today && !Number.isNaN(input.today.getTime()) ? input.today : new Date();
  if (input.override !== undefined) {
    const parts = parseMonthParts(input.override);
    if (parts.kind !== "month" || parts.year === null) {
      throw new RangeError(`Period override must be YYYY-MM: ${String(input.override)}`);
    }
    return {
      period: periodFromStart(monthKey(parts.year, parts.month)),
      source: "override",
      evidence: String(input.override),
    };
  }
  const data = dataHint(input.monthCells ?? []);
  if (input.sheetName) {
    const hit = fromText(input.sheetName, data);
    if (hit) return { period: periodFromStart(hit), source: "sheetName", evidence: input.sheetName };
  }
  for (const title of input.titleTexts ?? []) {
    const hit = fromText(String(title ?? ""), data);
    if (hit) return { period: periodFromStart(hit), source: "title", evidence: cleanText(title) };
  }
  if (data) {
    if (data.year !== null) {
      const start = data.wraps || data.month === 1 ? monthKey(data.year, data.month) : monthKey(data.year, 1);
      return { period: periodFromStart(start), source: "dataMonths", evidence: data.text };
    }
    if (data.month >= 9 || (data.month > 1 && data.wraps)) {
      const start = monthKey(startYearFor(data.month, today), data.month);
      return { period: periodFromStart(start), source: "dataMonths", evidence: data.text };
    }
  }
  return { period: periodFromStart(monthKey(today.getFullYear(), 1)), source: "default", evidence: "" };
}
