/**
 * The plan period: twelve months from a start month (or one month, or a school term, when the plan spans only that),
 * inferred from the sheet name, title cells or data months.
 */
import type { MonthKey, Period, PeriodSource } from "./types";
import { addMonths, monthIndex, monthKey, parseMonthKey, parseMonthParts, type MonthParts } from "./month";
import { cleanText, toHalfWidth } from "./text";

/**
 * The period of `months` months (12 unless told, 1–12) starting at `start` ("YYYY-MM"). A malformed start is a
 * programming error and throws.
 * @example periodFromStart("2025-09") // { start: "2025-09", end: "2026-08" }
 * @example periodFromStart("2025-03", 1) // { start: "2025-03", end: "2025-03" }
 */
export function periodFromStart(start: MonthKey, months = 12): Period {
  if (!parseMonthKey(start)) throw new RangeError(`Malformed period start: ${String(start)}`);
  if (!(Number.isInteger(months) && months >= 1 && months <= 12)) throw new RangeError(`Period length: ${months}`);
  return { start, end: addMonths(start, months - 1) };
}

/**
 * How many months the period spans: 12 for a year, fewer for a one-month plan or a school term. A period whose end is
 * missing, malformed or not within twelve months of its start counts as twelve (configurations stored before periods
 * could be shorter).
 * @example periodLength({ start: "2025-02", end: "2025-07" }) // 6
 */
export function periodLength(p: Period): number {
  const n = monthIndex(p.end) - monthIndex(p.start) + 1;
  return Number.isInteger(n) && n >= 1 && n <= 12 ? n : 12;
}

/**
 * The period's months in order.
 * @example periodMonths({ start: "2025-09", end: "2026-08" })[4] // "2026-01"
 */
export function periodMonths(p: Period): MonthKey[] {
  const first = monthIndex(p.start);
  if (Number.isNaN(first)) throw new RangeError(`Malformed period start: ${String(p.start)}`);
  const out: MonthKey[] = [];
  const n = periodLength(p);
  for (let i = first; i < first + n; i++) out.push(monthKey(Math.floor(i / 12), (i % 12) + 1));
  return out;
}

/**
 * Pace (序时进度): the share of the period elapsed on `asOf`, counting whole months that have ended plus the current
 * month's share by day (the day itself counts as elapsed), over the period's months. 0 before the period, 1 after
 * it, 0 for an invalid date.
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
  const n = periodLength(p);
  if (current < start) return 0;
  if (current >= start + n) return 1;
  const daysInMonth = new Date(y, m + 1, 0).getDate();
  return (current - start + asOf.getDate() / daysInMonth) / n;
}

/**
 * Whether a period's year is an assumption (months without a year, or nothing at all to read): the running year, which
 * a sheet, title or file that names a year should win over when plans are read together.
 * @example periodAssumed("months") // true
 */
export function periodAssumed(source: PeriodSource): boolean {
  return source === "months" || source === "default";
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
  // Two consecutive years written bare (Plan 2025-26, 2025/2026): a school or fiscal year, not the first calendar year.
  yearPair: new RegExp(`(?<![\\d.])${YEAR}\\s*[-~—–－/]\\s*(\\d{2}|\\d{4})(?![\\d.\\-/])`),
  yearZh: new RegExp(`${YEAR}\\s*年`),
  yearBare: new RegExp(`(?<![\\d.])${YEAR}(?![\\d.])`),
};

/** True when `second` (2 or 4 digits) names the year after `first`: 2025-26, 2025-2026. */
function nextYear(first: number, second: string): boolean {
  const n = Number(second);
  return second.length === 2 ? n === (first + 1) % 100 : n === first + 1;
}

/**
 * Reads one text for a period. `windowStart` is the month the data's window starts in (null for January), used where
 * the text names two years but not the month (a cross-year fiscal year, 2025-2026年).
 */
function fromText(raw: string, windowStart: number | null): MonthKey | null {
  const t = toHalfWidth(cleanText(raw)).toLowerCase();
  if (!t || !/\d{2}/.test(t)) return null;
  const dataMonthOnly = windowStart;
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
  if ((m = PATTERNS.yearPair.exec(t)) && nextYear(Number(m[1]), m[2])) {
    return monthKey(Number(m[1]), dataMonthOnly ?? 9);
  }
  // A plain year is that calendar year: no month of the plan is moved into the next one.
  if ((m = PATTERNS.yearZh.exec(t) ?? PATTERNS.yearBare.exec(t))) return monthKey(Number(m[1]), 1);
  return null;
}

/**
 * What the month cells say, whatever their order: the months of the year present, the month the plan's window starts
 * in (January, unless the longest run of absent months is a summer and the months resume in August to October, or
 * every month is in the autumn), the first cell naming that month, and the months that name a year (as month indexes).
 */
type DataWindow = {
  startMonth: number;
  /**
   * Where the window starts when a text says the plan crosses the turn of the year (FY2025-26, 2025-2026年): after the
   * longest run of absent months, wherever it falls (July for 7, 8, 1月).
   */
  crossStart: number;
  evidence: string;
  explicit: number[];
  explicitEvidence: string;
  /** The months of the year present (1–12), ascending. */
  months: number[];
};

function dataWindow(cells: readonly unknown[], chronological: boolean): DataWindow | null {
  const cache = new Map<unknown, MonthParts>();
  const present = new Array<boolean>(13).fill(false);
  let firstMonth = 0;
  let wraps = false;
  const firstText = new Array<string>(13).fill("");
  const explicit: number[] = [];
  let explicitEvidence = "";
  // Month cells repeat (merged months, twelve values): parse each distinct value once.
  for (let i = 0; i < cells.length; i++) {
    const v = cells[i];
    let parts = cache.get(v);
    if (!parts) {
      parts = parseMonthParts(v);
      if (typeof v !== "object" && cache.size < 50000) cache.set(v, parts);
    }
    if (parts.kind !== "month") continue;
    if (firstMonth === 0) firstMonth = parts.month;
    else if (parts.month < firstMonth) wraps = true;
    if (!present[parts.month]) {
      present[parts.month] = true;
      firstText[parts.month] = cleanText(v);
    }
    if (parts.year !== null) {
      explicit.push(parts.year * 12 + parts.month - 1);
      if (!explicitEvidence) explicitEvidence = cleanText(v);
    }
  }
  const months: number[] = [];
  for (let m = 1; m <= 12; m++) if (present[m]) months.push(m);
  if (months.length === 0) return null;
  // The longest run of absent months, walking the year as a circle; the window starts right after it.
  let bestLen = -1;
  let bestStart = 1;
  let wrapsTurn = false;
  for (let i = 0; i < months.length; i++) {
    const m = months[i];
    const prev = months[(i - 1 + months.length) % months.length];
    const gap = (m - prev - 1 + 12) % 12;
    // A run that holds December or January (or ends at the turn) spans the turn of the year.
    const spansTurn = m <= prev || m === 1 || prev === 12;
    if (gap > bestLen || (gap === bestLen && spansTurn && !wrapsTurn)) {
      bestLen = gap;
      bestStart = m;
      wrapsTurn = spansTurn;
    }
  }
  // Months without a year start a plan elsewhere than January only as a school year does: after a summer without
  // items (at least two months, July or August among them), in August to October. Any other gap is a calendar plan's
  // quiet spell: 1, 3, 5, 7, 11, 12月 is a year from January, not from November with January moved into the next year.
  const summer = bestLen >= 2 && bestStart >= 8 && bestStart <= 10 && bestStart - bestLen <= 8;
  let crossStart = wrapsTurn ? 1 : bestStart;
  let startMonth = summer ? crossStart : 1;
  // A plan whose months all fall in the autumn (9月 … 12月) starts with them: a school year or a plan begun in autumn.
  if (wrapsTurn && months[0] >= 9) startMonth = crossStart = months[0];
  if (months.length === 12) startMonth = crossStart = 1;
  // In time order, months that wrap past December start the plan at its first month.
  if (chronological) startMonth = crossStart = wraps || firstMonth >= 9 ? firstMonth : 1;
  return {
    startMonth,
    crossStart,
    evidence: firstText[startMonth] || firstText[months[0]],
    explicit,
    explicitEvidence,
    months,
  };
}

// A school term named in a title: the autumn term runs September–January, the spring term February–July (as 上学期 and
// 下学期 read in month.ts).
const TERM_AUTUMN =
  /第一学期|上学期|秋季学期|fall\s*(?:semester|term)|autumn\s*(?:semester|term)|first\s*(?:semester|term)/;
const TERM_SPRING = /第二学期|下学期|春季学期|spring\s*(?:semester|term)|second\s*(?:semester|term)/;
/** Words that make a sheet a school's: its months may be one term. */
const SCHOOL = /学期|校历|教学周|semester|\bterm\b/;
// One month named with its year, as a plan's title names it (2025年3月工作安排); not a date with a day, not a span, not
// a form's 填报时间 line.
const ONE_MONTH = new RegExp(`${YEAR}\\s*年\\s*(\\d{1,2})\\s*月(?:份)?(?!\\s*(?:\\d|[-~—–－/至到]))`);
const FORM_LABEL = /填|制表|日期|时间|报送|[:：]/;
/** What names a plan after its month (2025年3月重点工作安排); a note such as 2025年1月理事会审议通过 does not. */
const PLAN_WORD = /计划|安排|工作|台账|要点|任务|督办|重点|清单|plan|schedule|agenda/;

/** A term of the school year a period starts: September–January (5 months) or February–July (6 months). */
function term(base: MonthKey, spring: boolean): { start: MonthKey; months: number } {
  const y = Number(base.slice(0, 4));
  const m = Number(base.slice(5, 7));
  return spring ? { start: monthKey(m >= 8 ? y + 1 : y, 2), months: 6 } : { start: monthKey(y, 9), months: 5 };
}

/**
 * A text's period with its length: a year (12 months) as {@link fromText} reads it, narrowed to one month when the
 * text names one month of a year (2025年3月工作安排) and to a school term when it names one (2024-2025学年第二学期).
 */
function spanFromText(raw: string, windowStart: number | null): { start: MonthKey; months: number } | null {
  const start = fromText(raw, windowStart);
  if (!start) return null;
  const t = toHalfWidth(cleanText(raw)).toLowerCase();
  if (PATTERNS.monthSpanZh.test(t) || PATTERNS.monthSpanIso.test(t)) return { start, months: 12 };
  if (TERM_SPRING.test(t)) return term(start, true);
  if (TERM_AUTUMN.test(t)) return term(start, false);
  const one = ONE_MONTH.exec(t);
  if (one && !FORM_LABEL.test(t) && PLAN_WORD.test(t.slice(one.index + one[0].length))) {
    const month = Number(one[2]);
    if (month >= 1 && month <= 12) return { start: monthKey(Number(one[1]), month), months: 1 };
  }
  return { start, months: 12 };
}

/**
 * A school's plan whose months all fall in one term of the period (Feb–Jul or Sep–Jan) spans that term; null when
 * they do not, or the sheet names no school words.
 */
function termOfData(
  start: MonthKey,
  data: DataWindow | null,
  school: boolean,
): { start: MonthKey; months: number } | null {
  if (!school || !data) return null;
  const spring = data.months.every((m) => m >= 2 && m <= 7);
  const autumn = data.months.every((m) => m >= 9 || m === 1);
  if (!spring && !autumn) return null;
  const t = term(start, spring);
  // Months that name their year must fall inside that term.
  const first = monthIndex(t.start);
  if (data.explicit.some((i) => i < first || i >= first + t.months)) return null;
  return t;
}

/** The academic-style start year for a month-only start: the running cycle, or the next when it begins within 2 months. */
function startYearFor(month: number, today: Date): number {
  const y = today.getFullYear();
  return today.getMonth() + 1 >= month - 2 ? y : y - 1;
}

/**
 * Infers the plan period. Precedence: override, sheet name, title cells (in order), file name, data months, default
 * (January of `today`'s year). Text forms: 2025年, 2025年度, FY2025 (calendar year: every month of the plan stays in
 * it), FY2025-26 (starts where the data's window starts, else April), 2025-2026学年 / Academic Year 2025-26
 * (September), 2025年9月—2026年8月, 2025-2026年 (the data's window, else September). Data months decide by which
 * months are present, never by their order: Sep … Jun is a school year starting in September; months that name a year
 * fix it. `override` is "YYYY-MM" (any month form with a year is read); an override without a year is a caller error
 * and throws.
 * @example inferPeriod({ titleTexts: ["2025-2026学年工作计划"] }).period // { start: "2025-09", end: "2026-08" }
 */
export function inferPeriod(input: {
  sheetName?: string;
  titleTexts?: string[];
  fileName?: string;
  monthCells?: unknown[];
  /**
   * The month cells are in time order (the month headings of a written plan, 一、9月 … 四、3~4月): a later month below
   * the first means the plan runs into the next year from its first month. A sheet's rows are in any order, so by
   * default only which months are present counts.
   */
  chronological?: boolean;
  today?: Date;
  override?: MonthKey;
  /** The override's length in months (a stored one-month or one-term period); 12 when absent. */
  overrideMonths?: number;
}): { period: Period; source: PeriodSource; evidence: string } {
  const today = input.today && !Number.isNaN(input.today.getTime()) ? input.today : new Date();
  if (input.override !== undefined) {
    const parts = parseMonthParts(input.override);
    if (parts.kind !== "month" || parts.year === null) {
      throw new RangeError(`Period override must be YYYY-MM: ${String(input.override)}`);
    }
    return {
      period: periodFromStart(monthKey(parts.year, parts.month), input.overrideMonths ?? 12),
      source: "override",
      evidence: String(input.override),
    };
  }
  const data = dataWindow(input.monthCells ?? [], input.chronological === true);
  const windowStart = data && data.crossStart !== 1 ? data.crossStart : null;
  const school = [input.sheetName ?? "", ...(input.titleTexts ?? []), input.fileName ?? ""].some((x) =>
    SCHOOL.test(toHalfWidth(cleanText(x)).toLowerCase()),
  );
  // A year from a text keeps its twelve months, unless the text or the data say the plan is one term of it.
  const fromSource = (
    hit: { start: MonthKey; months: number },
    source: PeriodSource,
    evidence: string,
  ): { period: Period; source: PeriodSource; evidence: string } => {
    const narrowed = hit.months === 12 ? (termOfData(hit.start, data, school) ?? hit) : hit;
    return { period: periodFromStart(narrowed.start, narrowed.months), source, evidence };
  };
  if (input.sheetName) {
    const hit = spanFromText(input.sheetName, windowStart);
    if (hit) return fromSource(hit, "sheetName", input.sheetName);
  }
  for (const title of input.titleTexts ?? []) {
    const hit = spanFromText(String(title ?? ""), windowStart);
    if (hit) return fromSource(hit, "title", cleanText(title));
  }
  if (input.fileName) {
    // The name without its folder and extension: 2026年工作台账.xlsx.
    const base = input.fileName.replace(/^.*[\\/]/, "").replace(/\.[a-z0-9]{1,5}$/i, "");
    const hit = spanFromText(base, windowStart);
    if (hit) return fromSource(hit, "fileName", base);
  }
  if (data) {
    // A plan whose items all fall in one month (a monthly plan, a 督办 list of March deadlines) spans that month.
    const single = data.months.length === 1;
    if (data.explicit.length > 0) {
      let min = Infinity;
      let max = -Infinity;
      for (const i of data.explicit) {
        if (i < min) min = i;
        if (i > max) max = i;
      }
      if (single && min === max) {
        const key = monthKey(Math.floor(min / 12), (min % 12) + 1);
        return { period: periodFromStart(key, 1), source: "dataMonths", evidence: data.explicitEvidence };
      }
      // The window's start month, at or before the earliest month that names its year.
      const s = min - ((((min - (data.startMonth - 1)) % 12) + 12) % 12);
      const start = max < s + 12 ? s : Math.floor(min / 12) * 12;
      const key = monthKey(Math.floor(start / 12), (start % 12) + 1);
      return fromSource({ start: key, months: 12 }, "dataMonths", data.explicitEvidence);
    }
    // Below, the months name no year: the year is the running one, which the source says (`months`).
    if (single) {
      const month = data.months[0];
      const key = monthKey(startYearFor(month, today), month);
      return { period: periodFromStart(key, 1), source: "months", evidence: data.evidence };
    }
    if (data.startMonth !== 1) {
      const start = monthKey(startYearFor(data.startMonth, today), data.startMonth);
      return fromSource({ start, months: 12 }, "months", data.evidence);
    }
    // Spring-term months without a year (2.17-2.21 … 6.30) on a school's sheet: this year's spring term.
    const spring = termOfData(monthKey(today.getFullYear(), 1), data, school);
    if (spring)
      return { period: periodFromStart(spring.start, spring.months), source: "months", evidence: data.evidence };
    // Months of a calendar year, none naming it: this year, read from the months (not from nothing).
    return { period: periodFromStart(monthKey(today.getFullYear(), 1)), source: "months", evidence: data.evidence };
  }
  return { period: periodFromStart(monthKey(today.getFullYear(), 1)), source: "default", evidence: "" };
}
