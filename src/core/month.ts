/**
 * Month cells → a canonical month inside the plan period, or the whole-period bucket "annual".
 *
 * Accepted forms (after full-width → half-width): 9月, 9月份, 九月, 十二月, 元月, 09, 9, 2025年9月, xx年9月 (a placeholder
 * year counts as none), 9月15日 / 9月底 / 9月中旬 (lossy), 2025-09, 2025/9, 2025.9, 2025-09-15, 9/2025, Sep, Sept,
 * September, Sept 2025, Sep 15 2025, Sep-25 (mmm-yy), Q3, 2025 Q3, 第三季度, 三季度, 3季度 (quarter → its last calendar
 * month, lossy), ranges 3~4月, 3-4月, 3至4月, 1—5月, 3月~4月, 2025年11月-2026年1月, 5月18—22日, Mar-Apr,
 * October–November, Q1-Q2 (→ the last month, lossy), parts of a year as ranges (上半年 → 6, 年底 → 12, 暑假 → 8, 下学期
 * → 7, 秋季 → 11, H1, year-end, summer …; lossy), whole-period words (全年, 常规, 每月, Ongoing, Weekly …) → annual.
 * Month.day as plans write dates (9.15, 11.20-11.25; lossy). Numbers: 1–12 are months, 9.15 is month.day (lossy);
 * YYYY.M (2025.9) and YYYYMM (202509) read as written; other numbers above 1000 are Excel
 * date serials (1900 date system); JS Dates use their calendar fields (UTC fields for a UTC-midnight Date, as .xlsx
 * readers produce); a date other than the first of a month is lossy (its day is kept as the original, 2025-06-30).
 * Anything else is "unrecognized": reported, never guessed.
 */
import type { MonthKey, Period } from "./types";
import { cleanText, toHalfWidth } from "./text";

export type MonthResult =
  | { kind: "blank" }
  | { kind: "month"; bucket: MonthKey; lossy: boolean; original: string; day?: DayInfo }
  | { kind: "annual"; lossy: boolean; original: string }
  | { kind: "invalid"; original: string; reason: "unrecognized" | "outsidePeriod" };

/**
 * The day a month cell names, for a due column that keeps its days: `day` is the day of the month (the last day of a
 * range such as 2.17-2.21), 10 for 上旬 / early, 20 for 中旬 / mid, "end" for 下旬 / 底 / 末 / late / end of.
 * `exact`: the cell says exactly that date and nothing more (2025-03-05, 3.28, 3月28日), so no wording is lost.
 * `evidence`: "day" when the cell states a day (a date value on the 1st does not: months are stored that way), "word"
 * for 上旬 / 底 and the like.
 */
export type DayInfo = {
  day: number | "end";
  exact: boolean;
  evidence: "day" | "word" | "none";
  /**
   * A number with one decimal digit 1–3 (3.1, 3.2, 3.3): the cell may have been typed 3.10 / 3.20 / 3.30, which a
   * number cannot tell apart (the trailing zero is not stored), so the day is 1, 2 or 3 or 10, 20 or 30.
   */
  ambiguous?: boolean;
};

/** A month as read from a cell before the period places it: `year` is null for month-only values. */
export type MonthParts =
  | { kind: "blank" }
  | { kind: "month"; year: number | null; month: number; lossy: boolean; shown?: string; day?: DayInfo }
  | { kind: "annual"; lossy: boolean }
  | { kind: "unrecognized" };

/** Formats a year and 1-based month as "YYYY-MM". */
export function monthKey(year: number, month: number): MonthKey {
  return `${year}-${month < 10 ? "0" : ""}${month}`;
}

const KEY_RE = /^(\d{4})-(\d{2})$/;

/** Parses "YYYY-MM" (month 01–12); null for anything else. */
export function parseMonthKey(key: string): { year: number; month: number } | null {
  const m = KEY_RE.exec(key);
  if (!m) return null;
  const month = Number(m[2]);
  return month >= 1 && month <= 12 ? { year: Number(m[1]), month } : null;
}

/** Months since year 0 for a key, for arithmetic; NaN for a malformed key. */
export function monthIndex(key: MonthKey): number {
  const p = parseMonthKey(key);
  return p ? p.year * 12 + p.month - 1 : NaN;
}

/** The key `n` months after `key` (n may be negative). */
export function addMonths(key: MonthKey, n: number): MonthKey {
  const i = monthIndex(key) + n;
  return monthKey(Math.floor(i / 12), (i % 12) + 1);
}

// ---- text forms -------------------------------------------------------------------------------------------------

const ZH_DIGIT: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 十: 10 };
const ZH_MONTH: Record<string, number> = { ...ZH_DIGIT, 元: 1, 十一: 11, 十二: 12 };
const EN_MONTH: Record<string, number> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};

const Y = String.raw`(?:(\d{4})|xx|20xx|20__|__|××)年`; // one capture: the year, absent for a placeholder
const M = String.raw`(\d{1,2}|十[一二]?|[一二三四五六七八九元])`;
const D = String.raw`(?:\d{1,2}[日号]?)`;
const N = String.raw`(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?`;
const Q = String.raw`([1-4一二三四])`;

const RE = {
  zhMonth: new RegExp(`^(?:${Y})?${M}月(${D})?$`),
  zhRange: new RegExp(`^(?:${Y})?${M}月?(?:${D})?[~-](?:${Y})?${M}月(?:${D})?$`),
  zhDayRange: new RegExp(`^(?:${Y})?${M}月(\\d{1,2})[日号]?[~-](\\d{1,2})[日号]?$`),
  zhQuarter: new RegExp(`^(?:${Y})?第?${Q}季度?$`),
  zhQuarterRange: new RegExp(`^(?:${Y})?第?${Q}(?:季度?)?[~、-]第?${Q}季度?$`),
  isoMonth: /^(\d{4})[-/.](\d{1,2})(?:[-/.](\d{1,2}))?$/,
  monthYear: /^(\d{1,2})\/(\d{4})$/,
  // 9.15, 11.20~11.25, 11.20~25: month.day as Chinese plans write dates.
  monthDot: /^(\d{1,2})\.(\d{1,2})(?:[~-](?:(\d{1,2})\.)?(\d{1,2}))?$/,
  bare: /^\d{1,2}$/,
  enMonth: new RegExp(`^${N}(\\d{1,2}(?:st|nd|rd|th)?)?[-/]?(\\d{4})?$`),
  enMonthYy: new RegExp(`^${N}[-'](\\d{2})$`),
  enDayMonth: new RegExp(`^(\\d{1,2})(?:st|nd|rd|th)?${N}(\\d{4})?$`),
  enYearMonth: new RegExp(`^(\\d{4})[-/]?${N}$`),
  enRange: new RegExp(`^${N}(\\d{4})?[~-]${N}(\\d{4})?$`),
  quarter: /^(?:(\d{4})[-/]?)?q([1-4])(?:[-/]?(\d{4}))?$/,
  quarterRange: /^(?:(\d{4})[-/]?)?q([1-4])[~-]q([1-4])(?:[-/]?(\d{4}))?$/,
  quarterWord: /^(?:([1-4])(?:st|nd|rd|th)quarter|quarter([1-4]))(?:of)?(\d{4})?$/,
  zhPart: new RegExp(
    `^(?:${Y.slice(0, -1)})?年?(上半年|下半年|年初|年中|年底|年末|年终|暑期|暑假|寒假|上学期|下学期|春季|夏季|秋季|冬季)$`,
  ),
  enPart:
    /^(?:(\d{4})[-/]?)?(h1|h2|firsthalf|secondhalf|midyear|mid-year|yearend|year-end|endofyear|endoftheyear|spring|summer|autumn|fall|winter)(?:of)?(\d{4})?$/,
};

// Parts of a year named by a word are ranges, read like other ranges as their last month (lossy, wording kept):
// halves of the calendar year, its start/middle/end, school holidays and semesters (autumn Sep–Jan, spring Feb–Jul),
// and the seasons (spring Mar–May, summer Jun–Aug, autumn Sep–Nov, winter Dec–Feb).
const PART_MONTH: Record<string, number> = {
  上半年: 6,
  下半年: 12,
  年初: 1,
  年中: 6,
  年底: 12,
  年末: 12,
  年终: 12,
  暑期: 8,
  暑假: 8,
  寒假: 2,
  上学期: 1,
  下学期: 7,
  春季: 5,
  夏季: 8,
  秋季: 11,
  冬季: 2,
  h1: 6,
  h2: 12,
  firsthalf: 6,
  secondhalf: 12,
  midyear: 6,
  "mid-year": 6,
  yearend: 12,
  "year-end": 12,
  endofyear: 12,
  endoftheyear: 12,
  spring: 5,
  summer: 8,
  autumn: 11,
  fall: 11,
  winter: 2,
};

// Whole-period wordings. The first group is canonical (not lossy); the rest keep their wording.
const ANNUAL_EXACT = new Set(["全年", "全年度", "annual", "allyear", "all-year"]);
const ANNUAL_PREFIX =
  /^(?:全年|全学年|本学年|本年度|年度内|常年|长年|长期|常规|常态化|日常|经常性|持续|每月|每周|每季度?|每天|每日|每学期|按月|按周|按季|定期|贯穿全年)/;
const ANNUAL_EN =
  /^(?:annual(?:ly)?|all-?year|yearlong|year-?round|ongoing|monthly|weekly|daily|quarterly|continuous(?:ly)?|throughouttheyear|fullyear|wholeyear|routine|regular(?:ly)?|recurring|every(?:month|week|day|quarter)|bau|fy|fullfy|fiscalyear|wholefy)$/;

const DASHES = /[—–‐‑‒―−〜～至到]+/g;
const STRIP = /[\s,，]+/g;
const MONTH_FEN = /月份/g;
const PREFIX = /^(?:截止到|截至|截止|于|在|by|before|until|due|endof|end|early|mid|late)-?(?=.)/;
const SUFFIX = /(?:(?:上|中|下)旬|初|底|末|中|前后|左右|以前|之前|前|以内|内|期间|止|完成|结束|工作|开展)+$/;
// The qualifiers after a part-of-year word (年底前, 上半年完成): without 初/底/末/中, which belong to the word itself.
const PART_SUFFIX = /(?:前后|左右|以前|之前|前|以内|内|期间|止|完成|结束|工作|开展)+$/;

function zhNum(s: string): number {
  return ZH_MONTH[s] ?? Number(s);
}

function mk(year: string | undefined | null, month: number, lossy: boolean): MonthParts {
  if (!(month >= 1 && month <= 12)) return { kind: "unrecognized" };
  return { kind: "month", year: year ? Number(year) : null, month, lossy };
}

/** The later end of a range; when only the start names a year, the end's year follows it (11月~1月 wraps). */
function rangeEnd(y1: string | undefined, m1: number, y2: string | undefined, m2: number): MonthParts {
  if (!(m1 >= 1 && m1 <= 12)) return { kind: "unrecognized" };
  if (y2) return mk(y2, m2, true);
  if (y1) return mk(String(Number(y1) + (m2 < m1 ? 1 : 0)), m2, true);
  return mk(null, m2, true);
}

/** Adds the day a cell names to a month it read; a day the month does not have (2.30) is no day. */
function withDay(parts: MonthParts, day: DayInfo | undefined): MonthParts {
  if (parts.kind !== "month" || day === undefined) return parts;
  if (typeof day.day === "number" && !(day.day >= 1 && day.day <= 31)) return parts;
  return { ...parts, day };
}

/** A stated day: exact when nothing else in the cell was dropped. */
function stated(day: string | number | undefined, exact: boolean): DayInfo | undefined {
  if (day === undefined) return undefined;
  const n = typeof day === "number" ? day : parseInt(day, 10);
  return Number.isFinite(n) ? { day: n, exact, evidence: "day" } : undefined;
}

// Parts of a month in words: 上旬 / 初 / early → the 10th, 中旬 / mid → the 20th, 下旬 / 底 / 末 / late / end → its last day.
const DAY_WORD_ZH = /(上旬|下旬|中旬|初|底|末|中)(?:前后|左右|以前|之前|前|以内|内|期间|止|完成|结束|工作|开展)*$/;
const DAY_WORD_EN = /^(early|mid|late|endof|end)-?/;

function dayWord(core: string, plain: string, before: string): DayInfo | undefined {
  const zh = DAY_WORD_ZH.exec(core);
  // English words are prefixes (mid-September), dropped from `plain`.
  const en = zh || plain === before ? null : DAY_WORD_EN.exec(before);
  const w = zh?.[1] ?? en?.[1];
  if (w === undefined) return undefined;
  const day: number | "end" =
    w === "上旬" || w === "初" || w === "early" ? 10 : w === "中旬" || w === "中" || w === "mid" ? 20 : "end";
  return { day, exact: false, evidence: "word" };
}

function parseText(raw: string): MonthParts {
  const before = toHalfWidth(raw).toLowerCase().replace(STRIP, "");
  let t = before;
  if (!t) return { kind: "blank" };
  if (ANNUAL_EXACT.has(t)) return { kind: "annual", lossy: false };
  if (ANNUAL_PREFIX.test(t) || ANNUAL_EN.test(t)) return { kind: "annual", lossy: true };
  // Qualifiers such as 截至…, …底前, by …, mid-… narrow the month down to a day: the month stays, the wording is kept.
  const plain = t.replace(PREFIX, "");
  const core = plain.replace(DASHES, "~").replace(MONTH_FEN, "月");
  t = core.replace(SUFFIX, "") || core;
  const lossy = plain !== before || t !== core;
  const word = dayWord(core, plain, before);

  const part = core.replace(PART_SUFFIX, "") || core;
  let m: RegExpExecArray | null;
  if ((m = RE.zhPart.exec(part))) return mk(m[1], PART_MONTH[m[2]], true);
  if ((m = RE.enPart.exec(before) ?? RE.enPart.exec(plain))) return mk(m[1] ?? m[3], PART_MONTH[m[2]], true);
  if ((m = RE.zhMonth.exec(t))) {
    return withDay(mk(m[1], zhNum(m[2]), lossy || m[3] !== undefined), stated(m[3], !lossy) ?? word);
  }
  if ((m = RE.bare.exec(t))) return mk(null, Number(t), lossy);
  if ((m = RE.isoMonth.exec(t))) {
    return withDay(mk(m[1], Number(m[2]), lossy || m[3] !== undefined), stated(m[3], !lossy) ?? word);
  }
  if ((m = RE.zhRange.exec(t))) return rangeEnd(m[1], zhNum(m[2]), m[3], zhNum(m[4]));
  if ((m = RE.zhDayRange.exec(t))) return withDay(mk(m[1], zhNum(m[2]), true), stated(m[4], false));
  if ((m = RE.zhQuarter.exec(t))) return mk(m[1], zhNum(m[2]) * 3, true);
  if ((m = RE.zhQuarterRange.exec(t))) return mk(m[1], zhNum(m[3]) * 3, true);
  if ((m = RE.monthYear.exec(t))) return mk(m[2], Number(m[1]), lossy);
  if ((m = RE.monthDot.exec(t)) && Number(m[2]) >= 1 && Number(m[2]) <= 31 && Number(m[4] ?? 1) <= 31) {
    // 2.17-2.21 (a school week) is due on its last day.
    const range = m[4] !== undefined;
    return withDay(mk(null, Number(m[3] ?? m[1]), true), stated(m[4] ?? m[2], !range && !lossy));
  }
  if ((m = RE.enMonth.exec(t))) {
    const en = mk(m[3], EN_MONTH[m[1].slice(0, 3)], lossy || m[2] !== undefined);
    return withDay(en, stated(m[2], !lossy) ?? word);
  }
  if ((m = RE.enMonthYy.exec(t))) return mk(`20${m[2]}`, EN_MONTH[m[1].slice(0, 3)], lossy);
  if ((m = RE.enDayMonth.exec(t))) return withDay(mk(m[3], EN_MONTH[m[2].slice(0, 3)], true), stated(m[1], !lossy));
  if ((m = RE.enYearMonth.exec(t))) return mk(m[1], EN_MONTH[m[2].slice(0, 3)], lossy);
  if ((m = RE.enRange.exec(t))) return rangeEnd(m[2], EN_MONTH[m[1].slice(0, 3)], m[4], EN_MONTH[m[3].slice(0, 3)]);
  if ((m = RE.quarter.exec(t))) return mk(m[1] ?? m[3], Number(m[2]) * 3, true);
  if ((m = RE.quarterRange.exec(t))) return mk(m[1] ?? m[4], Number(m[3]) * 3, true);
  if ((m = RE.quarterWord.exec(t))) return mk(m[3], Number(m[1] ?? m[2]) * 3, true);
  return { kind: "unrecognized" };
}

// ---- numbers and dates ------------------------------------------------------------------------------------------

const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);
const MAX_SERIAL = 2958465; // 9999-12-31

/**
 * Calendar year and month of an Excel 1900-system serial (serials ≤ 60 predate the 1900 leap-year bug). A date other
 * than the first of a month (or with a time) loses its day in the month: lossy, shown as the date it was.
 */
function serialParts(serial: number): MonthParts {
  const days = Math.floor(serial);
  const d = new Date(EXCEL_EPOCH_MS + (days <= 60 ? days + 1 : days) * 86400000);
  const day = d.getUTCDate();
  const parts = mk(String(d.getUTCFullYear()), d.getUTCMonth() + 1, day !== 1 || serial !== days);
  // A date on the 1st is how months are stored (ours included): it is no evidence that the column holds days.
  const info: DayInfo = { day, exact: serial === days, evidence: day !== 1 ? "day" : "none" };
  return parts.kind === "month" ? { ...parts, shown: d.toISOString().slice(0, 10), day: info } : parts;
}

function parseNumber(n: number): MonthParts {
  if (!Number.isFinite(n)) return { kind: "unrecognized" };
  if (Number.isInteger(n) && n >= 1 && n <= 12) return mk(null, n, false);
  // 9.15 typed into a month cell is stored as a number: month.day as its digits read, the day lost.
  const dot = /^(\d{1,2})\.(\d{1,2})$/.exec(String(n));
  if (dot && Number(dot[2]) <= 31) {
    const ambiguous = dot[2].length === 1 && Number(dot[2]) <= 3;
    const day = stated(dot[2], !ambiguous);
    return withDay(mk(null, Number(dot[1]), true), day && ambiguous ? { ...day, ambiguous } : day);
  }
  if (n >= 1900 && n < 2100) {
    if (Number.isInteger(n)) return { kind: "unrecognized" }; // a bare year is not a month
    // 2025.9 reads as September; 2025.1 as January (a typed 2025.10 loses its zero, so it is October only as text).
    const frac = Math.round((n - Math.floor(n)) * 100);
    const month = frac % 10 === 0 ? frac / 10 : frac;
    return mk(String(Math.floor(n)), month, false);
  }
  if (isYearMonthNumber(n)) return mk(String(Math.floor(n / 100)), n % 100, false);
  if (n > 1000 && n <= MAX_SERIAL) return serialParts(n);
  return { kind: "unrecognized" };
}

/** YYYYMM typed as a number (202509). */
function isYearMonthNumber(n: number): boolean {
  return Number.isInteger(n) && n >= 190001 && n <= 210012 && n % 100 >= 1 && n % 100 <= 12;
}

/**
 * True when a number in a month cell is read as an Excel date serial (not a month 1–12, a month.day, a YYYY.M, a year
 * or a YYYYMM): the numbers a workbook in the 1904 date system holds 1,462 days lower than this module reads them.
 * @example isDateSerial(46082) // true (2026-03-01)
 * @example isDateSerial(202603) // false (YYYYMM)
 */
export function isDateSerial(n: number): boolean {
  if (!Number.isFinite(n) || n <= 1000 || n > MAX_SERIAL) return false;
  if (n >= 1900 && n < 2100) return false;
  return !isYearMonthNumber(n);
}

function parseDate(d: Date): MonthParts {
  const ms = d.getTime();
  if (Number.isNaN(ms)) return { kind: "unrecognized" };
  // .xlsx readers hand out dates at UTC midnight; dates built in local time keep their local fields.
  const utcMidnight = ms % 86400000 === 0;
  const year = utcMidnight ? d.getUTCFullYear() : d.getFullYear();
  const month = (utcMidnight ? d.getUTCMonth() : d.getMonth()) + 1;
  const day = utcMidnight ? d.getUTCDate() : d.getDate();
  const midnight = utcMidnight || (d.getHours() === 0 && d.getMinutes() === 0 && d.getSeconds() === 0);
  const parts = mk(String(year), month, day !== 1 || !midnight);
  const pad = (n: number) => String(n).padStart(2, "0");
  const info: DayInfo = { day, exact: midnight, evidence: day !== 1 ? "day" : "none" };
  return parts.kind === "month" ? { ...parts, shown: `${year}-${pad(month)}-${pad(day)}`, day: info } : parts;
}

/**
 * Reads a month cell without a period: the year is null when the cell names none.
 * @example parseMonthParts("3~4月") // { kind: "month", year: null, month: 4, lossy: true }
 */
export function parseMonthParts(value: unknown): MonthParts {
  if (value === null || value === undefined) return { kind: "blank" };
  if (typeof value === "number") return parseNumber(value);
  if (value instanceof Date) return parseDate(value);
  if (typeof value === "string") {
    if (value.length > 200) return value.trim() ? { kind: "unrecognized" } : { kind: "blank" };
    return parseText(value);
  }
  const text = cleanText(value);
  return text ? parseText(text.slice(0, 200)) : { kind: "blank" };
}

// ---- placing in the period --------------------------------------------------------------------------------------

function periodStartIndex(period: Period): number {
  const i = monthIndex(period.start);
  if (Number.isNaN(i)) throw new Error(`Malformed period start: ${String(period.start)}`);
  return i;
}

/**
 * Normalises a month cell to a month inside the period (a month-only value takes the year that puts it there), the
 * annual bucket, blank, or invalid (unrecognised, or an explicit year outside the period). Idempotent on its own
 * output: a bucket ("2025-09"), "annual" and the display forms "2025年9月" / "Sep 2025" map to themselves.
 * @example normalizeMonth("3月", { start: "2025-09", end: "2026-08" }) // { kind: "month", bucket: "2026-03", lossy: false, original: "3月" }
 */
export function normalizeMonth(value: unknown, period: Period): MonthResult {
  const parts = parseMonthParts(value);
  if (parts.kind === "blank") return parts;
  // A date cell's original is the date as a person reads it, not its serial number.
  const original = parts.kind === "month" && parts.shown !== undefined ? parts.shown : cleanText(value);
  if (parts.kind === "annual") return { kind: "annual", lossy: parts.lossy, original };
  if (parts.kind === "unrecognized") return { kind: "invalid", original, reason: "unrecognized" };
  const start = periodStartIndex(period);
  // The period's length (a one-month plan, a school term, a year); a malformed end counts as a year.
  const endIndex = monthIndex(period.end);
  const length = endIndex >= start && endIndex < start + 12 ? endIndex - start + 1 : 12;
  let index: number;
  if (parts.year === null) {
    index = start + ((((parts.month - 1 - (start % 12)) % 12) + 12) % 12);
  } else index = parts.year * 12 + parts.month - 1;
  if (index < start || index >= start + length) return { kind: "invalid", original, reason: "outsidePeriod" };
  const bucket = monthKey(Math.floor(index / 12), (index % 12) + 1);
  return parts.day
    ? { kind: "month", bucket, lossy: parts.lossy, original, day: parts.day }
    : { kind: "month", bucket, lossy: parts.lossy, original };
}

/** Days in a 1-based month of a year. */
export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * The due date of a month cell read in a column that keeps days, as "YYYY-MM-DD": the day the cell names, else the
 * month's last day (a bare 3月 in a deadline column is due by the end of March). `exact` is false when the wording
 * says more than the date (3月20日前, 3月上旬, 2.17-2.21, 3月), so it is kept in the notes.
 * @example dueDate("2026-03", { day: 10, exact: false, evidence: "word" }) // { date: "2026-03-10", exact: false }
 */
export function dueDate(bucket: MonthKey, day: DayInfo | undefined): { date: string; exact: boolean } {
  const p = parseMonthKey(bucket);
  if (!p) throw new RangeError(`Malformed month key: ${String(bucket)}`);
  const last = daysInMonth(p.year, p.month);
  const d = day === undefined || day.day === "end" || day.day > last ? last : day.day;
  const exact = day !== undefined && day.exact && d === day.day;
  return { date: `${bucket}-${String(d).padStart(2, "0")}`, exact };
}
