import { elapsedShare, periodMonths } from "./period";
import { ownerKey } from "./plan";
import { cleanText } from "./text";
import { ANNUAL, type Bucket, type MonthKey, type Period, type PlanRow, type RowStatus } from "./types";

/**
 * The summary model: per-row status as of a date, and counts, rates and per-unit sums over a plan's rows.
 *
 * Every number here is defined so that an Excel 2010 formula layer can reproduce it exactly from the plan table
 * plus one status value per row (COUNTIFS over month/owner/category/status, SUMIFS over unit):
 * - text keys (owner, category, unit) are grouped case-insensitively, as COUNTIFS/SUMIFS compare text;
 * - status is a per-row value (see {@link rowStatus}); every count is "rows whose key is K and whose status is S";
 * - a row counts once in each grouping (month, owner, category), so group sums equal the totals.
 * Nothing throws for any rows; an invalid `asOf` date is a programming error and throws a RangeError.
 */

/** Per-group counts. `key` is the bucket / owner / category as written (blank = ""), `rate` = completed/activities. */
export type GroupStats = {
  key: string;
  /**
   * Owners and categories: every spelling of the group's cells (张三, 张　三; 宣传 and "宣传 "), the key first; the
   * summary's formulas count each. Spellings that differ only in case are one, as COUNTIFS compares text. The blank
   * group ("") lists the cells holding only spaces.
   */
  spellings?: string[];
  activities: number;
  completed: number;
  overdue: number;
  due: number;
  rate: number | null;
};

/** Quantities of one unit. Quantities of different units are never added together. */
export type UnitStats = {
  unit: string;
  /** Every spelling of the unit's cells ("次", "次 "), the unit first, as for owners ({@link GroupStats}). */
  spellings?: string[];
  activities: number;
  target: number;
  /** null when no row of the unit records a numeric actual: nothing recorded is not 0 done. */
  actual: number | null;
  variance: number | null;
  rate: number | null;
};

/** One overdue row, for the "overdue items" list. */
export type OverdueItem = {
  gridRow: number;
  bucket: Bucket;
  activity: string;
  owner: string;
  target: number | null;
  actual: number | null;
  unit: string;
};

export type SummaryModel = {
  /** The as-of date, "YYYY-MM-DD" (local calendar date). */
  asOf: string;
  /** False when the plan records no progress (no status, no actual): nothing is then done or overdue. */
  tracked: boolean;
  period: Period;
  activities: number;
  completed: number;
  overdue: number;
  due: number;
  /** completed / activities; null when there are no activities. */
  rate: number | null;
  /** 序时进度: the elapsed share of the period at `asOf` (0..1), from `elapsedShare` in period.ts. */
  pace: number;
  /** Every month of the period in order, then months outside it (chronological), then "annual", then "" (no month). */
  byMonth: GroupStats[];
  /** Lowest rate first; ties by key. */
  byOwner: GroupStats[];
  /** In the order categories first appear (lowest gridRow); ties by key. */
  byCategory: GroupStats[];
  /** In the order units first appear (lowest gridRow); ties by key. */
  byUnit: UnitStats[];
  /** By bucket (months chronological, annual last), then gridRow. */
  overdueItems: OverdueItem[];
  /** Most overdue first; ties by owner. */
  overdueByOwner: { owner: string; count: number }[];
};

/**
 * Status texts that mean "done" when no numeric target decides it (是否完成 = 是, 进展情况 = 已完成, Status = Done).
 * Compared after trimming, case-insensitively, as whole texts: 未完成 or 部分完成 are not in the list.
 */
export const DONE_WORDS: readonly string[] = [
  "已完成",
  "完成",
  "已经完成",
  "全部完成",
  "已全部完成",
  "按期完成",
  "提前完成",
  "超额完成",
  "已超额完成",
  "已办结",
  "办结",
  "已完结",
  "完结",
  "已落实",
  "已结束",
  "是",
  "√",
  "✓",
  "✔",
  "100%",
  "done",
  "complete",
  "completed",
  "finished",
  "closed",
  "achieved",
  "yes",
];

const DONE_SET: ReadonlySet<string> = new Set(DONE_WORDS.map((w) => w.toLowerCase()));

/**
 * Whether a status text means done: the trimmed text, lower-cased, is one of {@link DONE_WORDS}.
 * @example statusMeansDone(" Completed ") // true
 * @example statusMeansDone("未完成") // false
 */
export function statusMeansDone(status: unknown): boolean {
  return typeof status === "string" && DONE_SET.has(status.trim().toLowerCase());
}

/** Whether `s` is a "YYYY-MM" key (month 01–12). */
export function isMonthKey(s: unknown): s is MonthKey {
  // Character checks instead of a regex: this runs several times per row on 100k-row plans.
  if (typeof s !== "string" || s.length !== 7 || s.charCodeAt(4) !== 45) return false;
  const digits =
    isDigit(s.charCodeAt(0)) &&
    isDigit(s.charCodeAt(1)) &&
    isDigit(s.charCodeAt(2)) &&
    isDigit(s.charCodeAt(3)) &&
    isDigit(s.charCodeAt(5)) &&
    isDigit(s.charCodeAt(6));
  if (!digits) return false;
  const month = (s.charCodeAt(5) - 48) * 10 + (s.charCodeAt(6) - 48);
  return month >= 1 && month <= 12;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/**
 * The local calendar month of a date as "YYYY-MM". Throws RangeError for an invalid Date (a programming error).
 * @example monthOfDate(new Date(2025, 8, 30)) // "2025-09"
 */
export function monthOfDate(date: Date): MonthKey {
  assertValidDate(date);
  return `${pad(date.getFullYear(), 4)}-${pad(date.getMonth() + 1, 2)}`;
}

/** The local calendar date as "YYYY-MM-DD". Throws RangeError for an invalid Date. */
export function isoDate(date: Date): string {
  return `${monthOfDate(date)}-${pad(date.getDate(), 2)}`;
}

/**
 * Orders text by UTF-16 code units: fixed and locale-independent, so results never depend on the machine.
 * @example ["b", "B", "a"].sort(compareText) // ["B", "a", "b"]
 */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Orders buckets: months chronologically, then "annual", then "" / null (no month); other text last by code units. */
export function compareBuckets(a: string | null, b: string | null): number {
  const ra = bucketRank(a);
  const rb = bucketRank(b);
  return ra !== rb ? ra - rb : compareText(a ?? "", b ?? "");
}

/**
 * The overdue list's order: the longest overdue first (by month, earliest first, before the annual items), then
 * by row and wording, so the list never depends on the order rows were read in. Also merges several plans' lists.
 */
export function compareOverdue(a: OverdueItem, b: OverdueItem): number {
  return (
    compareBuckets(a.bucket, b.bucket) ||
    a.gridRow - b.gridRow ||
    compareText(a.activity, b.activity) ||
    compareText(a.owner, b.owner) ||
    compareText(a.unit, b.unit) ||
    compareNullable(a.target, b.target) ||
    compareNullable(a.actual, b.actual)
  );
}

function bucketRank(b: string | null): number {
  if (isMonthKey(b)) return 0;
  if (b === ANNUAL) return 1;
  if (b === null || b === "") return 2;
  return 3;
}

/**
 * The status of one row as of a date. With `asOfMonth` = the local month of `asOf`:
 * - **done** when the row has a target > 0 and an actual: actual ≥ target; otherwise (no positive target, or no
 *   actual yet) when its status text means done ({@link statusMeansDone}). Numbers win over text when both exist.
 * - not done, month bucket M: **overdue** when M < asOfMonth, **due** when M = asOfMonth, **upcoming** when M > asOfMonth.
 * - not done, with a due date (a column that keeps days): **overdue** from the day after it (due < asOf), **due** from
 *   asOf until {@link dueUntil} (the rest of the as-of month, or the next 7 days), **upcoming** after.
 * - not done, annual bucket: **overdue** once the period has ended (period.end < asOfMonth), **due** while it runs
 *   (start ≤ asOfMonth ≤ end), **upcoming** before it starts.
 * - not done, no month (null, "" or text that is not a month key): **upcoming** — it cannot be late before it has a
 *   month, and validation already reports the missing month.
 * - `tracked` false (the plan records no progress at all): what would be overdue is **unrecorded** instead.
 * Non-finite or non-number target/actual count as blank.
 *
 * The same rule as an Excel 2010 row formula (T target, A actual, S status, M the month as a first-of-month date or
 * the text of the annual bucket, D = DATE(YEAR(asOf),MONTH(asOf),1), PS/PE the period's first/last month dates):
 * done = IF(AND(ISNUMBER(T),T>0,ISNUMBER(A)),A>=T,ISNUMBER(MATCH(TRIM(S),DoneWords,0))) — MATCH is case-insensitive
 * like {@link statusMeansDone}; then a month M is overdue/due/upcoming by M<D, M=D, M>D, and the annual bucket by
 * PE<D (overdue), PS>D (upcoming), else due. A due date M (a date serial) is overdue by M<asOf, due by M<DueUntil.
 * @example rowStatus({ ...row, bucket: "2025-08", target: 4, actual: 2 }, period, new Date(2025, 8, 1)) // "overdue"
 */
export function rowStatus(row: PlanRow, period: Period, asOf: Date, tracked = true): RowStatus {
  return statusAt(row, period, asOfDays(asOf), tracked);
}

/** The as-of month, day and the first day no longer "due" (see {@link dueUntil}), computed once per summary. */
type AsOf = { month: MonthKey; day: string; until: string };

function asOfDays(asOf: Date): AsOf {
  return { month: monthOfDate(asOf), day: isoDate(asOf), until: dueUntil(asOf) };
}

/**
 * The first day after the "due" window of items with a due date: the later of the first day of the next month and the
 * 8th day after `asOf`. An item due on or after `asOf` and before this day is due (within the as-of month, or the next
 * 7 days when they reach into the next month); the status formula reads the same day from PlanLedger_DueUntil.
 * @example dueUntil(new Date(2025, 2, 28)) // "2025-04-05"
 */
export function dueUntil(asOf: Date): string {
  assertValidDate(asOf);
  const nextMonth = new Date(asOf.getFullYear(), asOf.getMonth() + 1, 1);
  const week = new Date(asOf.getFullYear(), asOf.getMonth(), asOf.getDate() + 8);
  return isoDate(week > nextMonth ? week : nextMonth);
}

function statusAt(row: PlanRow, period: Period, asOf: AsOf, tracked: boolean): RowStatus {
  if (isDone(row)) return "done";
  const late: RowStatus = tracked ? "overdue" : "unrecorded";
  const asOfMonth = asOf.month;
  // A due date: overdue the day after it, due from the as-of day until dueUntil, upcoming after.
  if (typeof row.due === "string" && isMonthKey(row.bucket)) {
    return row.due < asOf.day ? late : row.due < asOf.until ? "due" : "upcoming";
  }
  const bucket = row.bucket;
  if (isMonthKey(bucket)) return bucket < asOfMonth ? late : bucket === asOfMonth ? "due" : "upcoming";
  if (bucket === ANNUAL) {
    if (isMonthKey(period.end) && period.end < asOfMonth) return late;
    if (isMonthKey(period.start) && period.start > asOfMonth) return "upcoming";
    return "due";
  }
  return "upcoming";
}

function isDone(row: PlanRow): boolean {
  const target = num(row.target);
  const actual = num(row.actual);
  if (target !== null && target > 0 && actual !== null) return actual >= target;
  return statusMeansDone(row.status);
}

/**
 * Summarises plan rows as of a date. Definitions (each reproducible with COUNTIFS/SUMIFS over the plan table):
 * - `activities` = number of rows; `completed`/`overdue`/`due` = rows with that {@link rowStatus};
 *   `rate` = completed / activities (null when 0 rows). Each group's stats are the same counts over its rows.
 * - `byMonth` key = the row's bucket ("" when it has none); `byOwner` key = lead owner; `byCategory` key = category.
 *   Keys are grouped case-insensitively (Office = office); the key shown is the group's first spelling by code units.
 * - `byUnit`: rows with a numeric target or actual, grouped by unit ("" for none, shown as （无单位）);
 *   target = sum of numeric targets, actual = sum of numeric actuals (null when the unit has none), variance =
 *   actual − target, rate = actual / target (null when target = 0 or actual is null). Sums are exact-then-rounded, so they do not depend on row order.
 * - `pace` = elapsedShare(period, asOf) from period.ts: (months of the period ended before asOf's month + day of month /
 *   days in that month) / 12, clamped to 0..1.
 * - `untracked`: rows of a plan that records no progress, summarised with plans that do (several plan sheets): their
 *   status is taken as with `tracked` false, so what would be overdue there is unrecorded, as that sheet's formulas say.
 * @example summarize(rows, periodFromStart("2025-01"), new Date(2025, 8, 30)).rate // 0.786
 */
export function summarize(
  rows: readonly PlanRow[],
  period: Period,
  asOf: Date,
  opts: { tracked?: boolean; untracked?: ReadonlySet<PlanRow> } = {},
): SummaryModel {
  const tracked = opts.tracked ?? true;
  const asOfNow = asOfDays(asOf);
  const months = new Groups(() => new Counts());
  // Owners group by ownerKey (张　三 = 张三) and remember each spelling the cells hold, for the formulas.
  const owners = new Groups(() => new Counts(), ownerKey);
  // Categories and units group by their cleaned text (宣传 = "宣传 "), shown cleaned, with each cell's spelling.
  const categories = new Groups(() => new Counts(), cleanKey, cleanText);
  const units = new Groups(() => new UnitAcc(), cleanKey, cleanText);
  const overdueRows: { row: PlanRow; bucket: Bucket }[] = [];
  const total = new Counts();

  // Every period month is present (zero rows included) so charts always show the whole year.
  for (const m of safePeriodMonths(period)) months.get(m, Number.POSITIVE_INFINITY);

  for (const row of rows) {
    const status = statusAt(row, period, asOfNow, tracked && !opts.untracked?.has(row));
    const gridRow = num(row.gridRow) ?? 0;
    total.add(status);
    const bucket = isMonthKey(row.bucket) || row.bucket === ANNUAL ? row.bucket : "";
    months.get(bucket, gridRow).add(status);
    owners.get(typeof row.ownerCell === "string" ? row.ownerCell : text(row.owner), gridRow).add(status);
    categories.get(cellOf(row.categoryCell, row.category), gridRow).add(status);

    const target = num(row.target);
    const actual = num(row.actual);
    if (target !== null || actual !== null) {
      const acc = units.get(cellOf(row.unitCell, row.unit), gridRow);
      acc.activities++;
      if (target !== null) acc.target.add(target);
      if (actual !== null) {
        acc.actual.add(actual);
        acc.actuals++;
      }
    }
    if (status === "overdue" && bucket !== "") overdueRows.push({ row, bucket });
  }

  const byMonth = months
    .entries()
    .map(groupStats)
    .sort((a, b) => compareBuckets(a.key, b.key));
  const byOwner = owners
    .entries()
    .map((e) => ({ ...groupStats(e), spellings: e.spellings }))
    .sort((a, b) => (a.rate ?? 0) - (b.rate ?? 0) || compareText(a.key, b.key));
  const byCategory = categories
    .entries()
    .sort(byFirstRow)
    .map((e) => ({ ...groupStats(e), spellings: e.spellings }));

  const byUnit = units
    .entries()
    .sort(byFirstRow)
    .map(({ display, spellings, value: u }): UnitStats => {
      const target = u.target.value();
      const actual = u.actuals > 0 ? u.actual.value() : null;
      return {
        unit: display,
        spellings,
        activities: u.activities,
        target,
        actual,
        variance: actual === null ? null : actual - target,
        rate: target === 0 || actual === null ? null : actual / target,
      };
    });

  const overdueItems = overdueRows
    .map(({ row, bucket }): OverdueItem => ({
      gridRow: num(row.gridRow) ?? 0,
      bucket,
      activity: text(row.activity),
      owner: owners.displayOf(typeof row.ownerCell === "string" ? row.ownerCell : text(row.owner)),
      target: num(row.target),
      actual: num(row.actual),
      unit: text(row.unit),
    }))
    .sort(compareOverdue);

  const overdueByOwner = byOwner
    .filter((g) => g.overdue > 0)
    .map((g) => ({ owner: g.key, count: g.overdue }))
    .sort((a, b) => b.count - a.count || compareText(a.owner, b.owner));

  return {
    asOf: isoDate(asOf),
    tracked,
    period,
    activities: total.activities,
    completed: total.completed,
    overdue: total.overdue,
    due: total.due,
    // Untracked, 0 % would claim nothing was done: there is no rate.
    rate: tracked ? ratio(total.completed, total.activities) : null,
    pace: safePace(period, asOf),
    byMonth,
    byOwner,
    byCategory,
    byUnit,
    overdueItems,
    overdueByOwner,
  };
}

class Counts {
  activities = 0;
  completed = 0;
  overdue = 0;
  due = 0;
  add(status: RowStatus): void {
    this.activities++;
    if (status === "done") this.completed++;
    else if (status === "overdue") this.overdue++;
    else if (status === "due") this.due++;
  }
}

type Entry<T> = { display: string; firstRow: number; value: T; spellings: string[] };

/** Case-folded cleaned text: the key of a category or unit. */
function cleanKey(raw: string): string {
  return cleanText(raw).toLowerCase();
}

/** The cell's own text where it is the row's value with its spaces, else the value. */
function cellOf(cell: string | undefined, value: unknown): string {
  const v = text(value);
  return cell !== undefined && cleanText(cell) === v ? cell : v;
}

/**
 * Groups rows by a case-folded key (as COUNTIFS matches text) or a key function, remembering each group's first
 * spelling by code units (through `shown`: cleaned for categories and units; "" for the blank group, whose cells may
 * hold spaces), its spellings (distinct ignoring case, the display first, the rest by code units) and its lowest
 * gridRow — all independent of row order. A cache by exact text skips folding for repeated values.
 */
class Groups<T> {
  private readonly byKey = new Map<string, Entry<T>>();
  private readonly byText = new Map<string, Entry<T>>();
  constructor(
    private readonly create: () => T,
    private readonly keyOf: (raw: string) => string = (raw) => raw.toLowerCase(),
    private readonly shown: (raw: string) => string = (raw) => raw,
  ) {}

  get(raw: string, gridRow: number): T {
    let e = this.byText.get(raw);
    if (!e) {
      const key = this.keyOf(raw);
      const display = key === "" ? "" : this.shown(raw);
      e = this.byKey.get(key);
      if (!e) this.byKey.set(key, (e = { display, firstRow: gridRow, value: this.create(), spellings: [raw] }));
      else {
        if (!e.spellings.some((x) => x.toLowerCase() === raw.toLowerCase())) e.spellings.push(raw);
        if (compareText(display, e.display) < 0) e.display = display;
      }
      this.byText.set(raw, e);
    }
    if (gridRow < e.firstRow) e.firstRow = gridRow;
    return e.value;
  }

  displayOf(raw: string): string {
    return this.byText.get(raw)?.display ?? raw;
  }

  entries(): Entry<T>[] {
    const out = [...this.byKey.values()];
    for (const e of out) {
      // The display's own spelling first (as COUNTIFS sees it, ignoring case), then the others in code-unit order.
      const own = e.display.toLowerCase();
      const rest = e.spellings.filter((x) => x.toLowerCase() !== own).sort(compareText);
      e.spellings = [e.display, ...rest];
    }
    return out;
  }
}

function byFirstRow<T>(a: Entry<T>, b: Entry<T>): number {
  return a.firstRow - b.firstRow || compareText(a.display, b.display);
}

function groupStats({ display, value: c }: Entry<Counts>): GroupStats {
  return {
    key: display,
    activities: c.activities,
    completed: c.completed,
    overdue: c.overdue,
    due: c.due,
    rate: ratio(c.completed, c.activities),
  };
}

class UnitAcc {
  activities = 0;
  readonly target = new ExactSum();
  readonly actual = new ExactSum();
  actuals = 0;
}

/**
 * Sum of floating-point numbers, correctly rounded (Shewchuk's partials, as in Python's math.fsum): the result does
 * not depend on the order of the terms, which a plain running sum does (0.1 + 0.2 + 0.3 ≠ 0.3 + 0.2 + 0.1).
 * @example const s = new ExactSum(); [0.1, 0.2, 0.3].forEach((x) => s.add(x)); s.value() // 0.6
 */
export class ExactSum {
  private partials: number[] = [];
  private plain = 0;
  /** While every term and the running sum are safe integers, the plain sum is exact: no partials needed. */
  private integers = true;
  private overflow = false;

  add(x: number): void {
    if (this.integers) {
      const next = this.plain + x;
      if (isSafeInt(x) && isSafeInt(next)) {
        this.plain = next;
        return;
      }
      this.integers = false;
      this.partials = this.plain === 0 ? [] : [this.plain];
    }
    this.plain += x;
    if (this.overflow) return;
    let i = 0;
    for (let j = 0; j < this.partials.length; j++) {
      let y = this.partials[j];
      if ((x < 0 ? -x : x) < (y < 0 ? -y : y)) {
        const t = x;
        x = y;
        y = t;
      }
      const hi = x + y;
      const lo = y - (hi - x);
      if (lo !== 0) this.partials[i++] = lo;
      x = hi;
    }
    this.partials.length = i;
    this.partials.push(x);
    // Beyond ±1.8e308 the partials are meaningless; fall back to the plain sum (Infinity or NaN).
    if (!isFiniteNumber(x)) this.overflow = true;
  }

  value(): number {
    if (this.integers || this.overflow) return this.plain;
    const p = this.partials;
    let n = p.length;
    if (n === 0) return 0;
    let hi = p[--n];
    let lo = 0;
    while (n > 0) {
      const x = hi;
      const y = p[--n];
      hi = x + y;
      lo = y - (hi - x);
      if (lo !== 0) break;
    }
    // Round half-even correctly when the remaining partials push the result across a tie.
    if (n > 0 && ((lo < 0 && p[n - 1] < 0) || (lo > 0 && p[n - 1] > 0))) {
      const y = lo * 2;
      const x = hi + y;
      if (y === x - hi) hi = x;
    }
    return hi;
  }
}

/** Orders numbers ascending with null first. */
function compareNullable(a: number | null, b: number | null): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1;
  return a - b;
}

function num(v: unknown): number | null {
  return typeof v === "number" && isFiniteNumber(v) ? v : null;
}

/** Finite check without a global lookup (hot loop; under vm sandboxes such as Jest, globals are slow to reach). */
function isFiniteNumber(x: number): boolean {
  return x - x === 0;
}

const MAX_SAFE = 9007199254740991;

function isSafeInt(x: number): boolean {
  return x % 1 === 0 && x <= MAX_SAFE && x >= -MAX_SAFE;
}

function text(v: unknown): string {
  return typeof v === "string" ? v : "";
}

function ratio(part: number, whole: number): number | null {
  return whole === 0 ? null : part / whole;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, "0");
}

function assertValidDate(date: Date): void {
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) throw new RangeError("asOf must be a valid Date");
}

function safePeriodMonths(period: Period): MonthKey[] {
  return isMonthKey(period.start) && isMonthKey(period.end) ? periodMonths(period) : [];
}

function safePace(period: Period, asOf: Date): number {
  if (!isMonthKey(period.start) || !isMonthKey(period.end)) return 0;
  const share = elapsedShare(period, asOf);
  return Number.isFinite(share) ? share : 0;
}
