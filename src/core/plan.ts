/**
 * Row extraction and validation: turns the data rows under a detected header into normalised plan rows and
 * cell-by-cell findings. Pure and total: any grid yields a result.
 */
import { a1 } from "./a1";
import { format, formatBoth, type Catalogs } from "./i18n";
import {
  ANNUAL,
  FIELDS,
  type Lang,
  type Field,
  type Finding,
  type FindingCode,
  type Grid,
  type GridOrigin,
  type HeaderDetection,
  type MergedArea,
  type Period,
  type PlanRow,
  type Severity,
} from "./types";
import { closestHeaders, headerSpan } from "./header";
import { dueDate, normalizeMonth, parseMonthKey, type MonthResult } from "./month";
import { parseQuantity, type QuantityResult } from "./quantity";
import { sameUnit } from "./schema";
import { clip, cleanText } from "./text";
import zhCN from "../i18n/findings.zh-CN.json";
import enUS from "../i18n/findings.en-US.json";

/** Message catalogs of the findings, keyed by finding code. */
export { a1 };

export const FINDING_CATALOGS: Catalogs = { "zh-CN": zhCN, "en-US": enUS };

/**
 * `merges` are in grid coordinates (like the grid itself); `origin` is where the grid's top-left cell sits on the
 * sheet, for A1 addresses (default A1).
 */
export type ExtractOptions = {
  period: Period;
  origin?: GridOrigin;
  merges?: readonly MergedArea[];
  /**
   * Number formats of the target and actual columns by column, row for row like the grid: a number shown as a
   * percentage (0.9 formatted 0%) counts in %, never with counts.
   */
  numberFormats?: ReadonlyMap<number, readonly unknown[]>;
  /** Fields whose columns Plan Ledger added itself (an empty 实际完成 column is not progress the user records). */
  added?: readonly Field[];
  /**
   * Whether the month column keeps days, as decided when the plan was structured; absent: decided from the cells by
   * {@link keepsDays}.
   */
  dueDays?: boolean;
};

export type SkipReason = "blank" | "total" | "section" | "footer" | "noActivity" | "heading";

export type PlanExtract = {
  rows: PlanRow[];
  findings: Finding[];
  skipped: { gridRow: number; reason: SkipReason }[];
  /**
   * Whether the plan records progress: a status column, or an actual column of the user's (or one of ours that holds
   * something). Untracked plans call nothing overdue.
   */
  tracked: boolean;
  /**
   * The month column keeps days (see {@link keepsDays}): each item has a due date, structuring writes it as a date and
   * the status compares it with the as-of day.
   */
  dueDays: boolean;
};

// Headers that name a deadline (完成时限, 截止日期, 办结时间, Due date …): there one cell with a day makes the column a
// column of days, and a bare 3月 is due at the end of March.
const DEADLINE_HEADER = /时限|截止|期限|完成时间|办结时间|日期|due|deadline|date/i;

/**
 * Whether a month column keeps days: some cells name a day (a date other than the 1st, 3.28, 3月20日前, 2.17-2.21) and,
 * under a header that is not a deadline's, cells naming a day or a part of a month (上旬, 底) are at least half of the
 * cells read as months. A column of months (3月, 2026年3月, first-of-month dates) does not.
 * @example keepsDays(["3.28", "3月20日前", "3月"].map((v) => normalizeMonth(v, period)), "完成时限") // true
 */
export function keepsDays(cells: readonly MonthResult[], header: string): boolean {
  let months = 0;
  let days = 0;
  let words = 0;
  for (const m of cells) {
    if (m.kind !== "month") continue;
    months++;
    if (m.day?.evidence === "day") days++;
    else if (m.day?.evidence === "word") words++;
  }
  if (days === 0) return false;
  return DEADLINE_HEADER.test(cleanText(header)) || (days + words) * 2 >= months;
}

const SEVERITY: Record<FindingCode, Severity> = {
  "month.unrecognized": "error",
  "month.outsidePeriod": "error",
  "month.dayAmbiguous": "warning",
  "activity.missing": "error",
  "owner.missing": "warning",
  // Wording where a number was expected is told, never an error: 全覆盖 and 每月2次 are how people write targets.
  "target.notNumber": "warning",
  "target.negative": "error",
  "actual.notNumber": "warning",
  "actual.negative": "error",
  "actual.withoutTarget": "warning",
  "actual.unitMismatch": "warning",
  "target.unitMismatch": "warning",
  "target.qualitative": "info",
  "column.missing": "warning",
  "column.notMonths": "warning",
  "column.unitMismatch": "warning",
  "layout.wide": "error",
  "progress.untracked": "warning",
  "formula.mixedUnits": "warning",
  "row.notCounted": "info",
  "row.countedTotal": "warning",
  "workbook.otherPlanSheets": "warning",
};

/**
 * Fields whose merged cells describe every row they cover: a month merged down over its items, an activity merged
 * over the rows of the departments that share it.
 */
const FILL_FIELDS: readonly Field[] = ["month", "activity", "owner", "coOwners", "category", "unit"];

/**
 * Total labels a row formula can recognise in the activity cell (spaces removed, case ignored): inside the plan table,
 * a row counts as an item by the same rule the status formula applies, so the sheet and this model agree.
 */
export const TOTAL_WORDS: readonly string[] = [
  "合计",
  "小计",
  "总计",
  "共计",
  "总合计",
  "累计合计",
  "全年合计",
  "本月合计",
  "合计数",
  "total",
  "totals",
  "subtotal",
  "subtotals",
  "grandtotal",
  "sum",
];
const TOTAL_SET: ReadonlySet<string> = new Set(TOTAL_WORDS);

const TOTAL_ZH = /^(?:总合计|累计合计|全年合计|本月合计|合计|小计|总计|共计)(?:$|[:：(（])/;
const SPACES = /\s+/g;
const NON_SPACE = /\S/;
// First characters a total label can start with: a cheap filter before the regexes.
const TOTAL_START = /^\s*[合小总共累全本gstGST]/;
const TOTAL_EN = /^(?:grand\s*total|sub-?\s*total|total|sum)s?(?:\s*[:(].*)?$/i;
const SECTION =
  /^(?:[一二三四五六七八九十百]+\s*[、.．]|[(（]\s*[一二三四五六七八九十百\d]+\s*[)）]|第[一二三四五六七八九十百\d]+(?:部分|章|节|类|篇|板块)[、.．:：\s]?|part\s+(?:[ivx]+|\d+)\b[.:]?|[ivx]+\.\s)/i;
// A bare ordinal in the 序号 column beside a section title: 一 | 科普宣传.
const ORDINAL_ONLY = /^(?:[一二三四五六七八九十百]+[、.．]?|[(（][一二三四五六七八九十百]+[)）]|[ivx]+\.?)$/i;

// Sign-off and note lines of the form under a plan (填表人：张三 审核人：李四, 注：…, Prepared by: …): a label and a colon.
const FOOTER_START = /^\s*[填制审核签经统负单部分主联电手日盖报注备说附pcrasdtn]/i;
const FOOTER =
  /^(?:填表人|填报人|制表人?|审核人?|审批人?|核稿人?|签发人?|经办人|统计人|负责人|单位负责人|部门负责人|分管领导|主要领导|联系人|联系电话|电话|手机|填表日期|填报日期|制表日期|报送日期|日期|签字|签名|盖章|填报单位|填表单位|报送单位|单位[(（]盖章[)）]|注|备注|说明|附注|prepared\s*by|compiled\s*by|checked\s*by|reviewed\s*by|approved\s*by|submitted\s*by|signed|signature|contact|phone|tel|date|notes?)\s*[:：]/i;

/**
 * True when the row's first filled cell opens a sign-off or note line (填表人：, 审核：, 注：, Prepared by:): the form's
 * footer, not a plan row.
 * @example isFooterRow(["填表人：张三", "", "审核人：李四"]) // true
 */
export function isFooterRow(row: readonly unknown[]): boolean {
  for (let c = 0; c < row.length; c++) {
    const v = row[c];
    if (isEmpty(v)) continue;
    return typeof v === "string" && v.length <= 500 && FOOTER_START.test(v) && FOOTER.test(cleanText(v));
  }
  return false;
}

function isEmpty(v: unknown): boolean {
  if (v === null || v === undefined || v === "") return true;
  // Most cells start with a visible character: skip the regex for them.
  if (typeof v !== "string") return false;
  const c = v.charCodeAt(0);
  return (c <= 32 || c === 0xa0 || c === 0x3000 || c === 0xfeff || (c >= 0x2000 && c <= 0x200b)) && !NON_SPACE.test(v);
}

/**
 * True when the row is a total line: 合计 / 小计 / 总计 / Total / Subtotal in the activity cell or the first text cell.
 * @example isTotalRow(["", "合 计", "", 12], 1) // true
 */
export function isTotalRow(row: readonly unknown[], activityCol?: number): boolean {
  if (activityCol !== undefined && isTotalText(row[activityCol])) return true;
  for (let c = 0; c < row.length; c++) {
    const v = row[c];
    if (typeof v === "string" && !isEmpty(v)) return c !== activityCol && isTotalText(v);
  }
  return false;
}

function isTotalText(v: unknown): boolean {
  if (typeof v !== "string" || v.length > 200 || !TOTAL_START.test(v)) return false;
  const t = cleanText(v);
  // 合 计 is often spaced out to fill the cell.
  return TOTAL_ZH.test(t.replace(SPACES, "")) || TOTAL_EN.test(t);
}

/**
 * The section a row opens, or null: a row whose only content is one text such as 一、科普宣传 / （一）青少年活动 /
 * 第二部分, or one text merged across three or more columns. Returns the title without its numbering.
 * @example sectionTitle(["一、科普宣传", "", ""]) // "科普宣传"
 */
export function sectionTitle(row: readonly unknown[], merges?: readonly MergedArea[], gridRow?: number): string | null {
  let only = -1;
  let ordinal = false;
  for (let c = 0; c < row.length; c++) {
    if (isEmpty(row[c])) continue;
    if (only >= 0) {
      const first = row[only];
      if (ordinal || typeof first !== "string" || !ORDINAL_ONLY.test(cleanText(first))) return null;
      ordinal = true;
    }
    only = c;
  }
  if (only < 0) return null;
  const v = row[only];
  if (typeof v !== "string" || v.length > 200) return null;
  const text = cleanText(v);
  if (ordinal) return text;
  const numbered = SECTION.exec(text);
  if (numbered) return text.slice(numbered[0].length).trim() || text;
  if (merges && gridRow !== undefined) {
    for (const m of merges) {
      if (m.row === gridRow && m.col <= only && only < m.col + m.colCount && m.colCount >= 3) return text;
    }
  }
  return null;
}

// Organisation suffixes: 青少部和办公室 names two units, 宣传与联络部 one.
const ORG_END = /(?:部|室|处|科|局|委|会|中心|组|院|所|站|队|团|办|馆|公司|学校|街道|社区|社|协|厅|署|司|支部|小组)$/;
const HAN_NAME = /^[\u3400-\u9fff]{2,3}$/;
const OWNER_SEPARATORS = /[、，,;；/／|｜\r\n]+|\s+(?:&|and)\s+|&/i;
const OWNER_EDGE = /^[\s\u3000\u00a0]+|[\s\u3000\u00a0]+$/g;

/**
 * Splits an owner cell into the lead and the rest, each piece as the user typed it (only its ends trimmed): on
 * 、，,；;/| & "and" and line breaks, and on 和 / 及 / 与 between two units (青少部和办公室) or two people's names
 * (张三和李四). Never on spaces: 张　三 and 欧阳 明 are one name each, padded to line up.
 * @example splitOwners("科普部、办公室") // { lead: "科普部", coOwners: ["办公室"] }
 * @example splitOwners("张　三") // { lead: "张　三", coOwners: [] }
 */
export function splitOwners(text: string): { lead: string; coOwners: string[] } {
  const parts: string[] = [];
  for (const chunk of String(text).split(OWNER_SEPARATORS)) {
    const piece = chunk.replace(OWNER_EDGE, "");
    if (!piece) continue;
    parts.push(...splitOnAnd(piece));
  }
  const seen = new Set<string>();
  const unique = parts.filter((p) => {
    const k = ownerKey(p);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  return { lead: unique[0] ?? "", coOwners: unique.slice(1) };
}

function splitOnAnd(piece: string): string[] {
  const bits = piece.split(/[和及与]/);
  if (bits.length < 2) return [piece];
  const trimmed = bits.map((b) => b.replace(OWNER_EDGE, ""));
  const compact = trimmed.map((b) => b.replace(/[\s\u3000]+/g, ""));
  const units = compact.every((b, i) => b.length >= 2 && (ORG_END.test(b) || i === compact.length - 1));
  const names = compact.every((b) => HAN_NAME.test(b) && !ORG_END.test(b));
  return (units && ORG_END.test(compact[compact.length - 1])) || names ? trimmed : [piece];
}

/**
 * The key owners are grouped by: case ignored, spaces next to Chinese characters ignored (张　三, 张三 and 张 三 are one
 * person), other runs of spaces as one.
 * @example ownerKey("欧阳 明") // "欧阳明"
 */
export function ownerKey(text: string): string {
  return cleanText(text)
    .toLowerCase()
    .replace(/\s+(?=[\u3400-\u9fff])|(?<=[\u3400-\u9fff])\s+/g, "");
}

/** A display form of a month key for messages: 2025年9月 / Sep 2025 (both read back by normalizeMonth). */
function monthText(key: string): { zh: string; en: string } {
  const p = parseMonthKey(key);
  if (!p) return { zh: key, en: key };
  const en = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][p.month - 1];
  return { zh: `${p.year}年${p.month}月`, en: `${en} ${p.year}` };
}

/** Small per-call caches: month and quantity cells repeat heavily in real ledgers. */
class Memo<V> {
  private readonly map = new Map<string | number, V>();
  constructor(private readonly compute: (v: unknown) => V) {}
  get(v: unknown): V {
    if (typeof v !== "string" && typeof v !== "number") return this.compute(v);
    let r = this.map.get(v);
    if (r === undefined) {
      r = this.compute(v);
      if (this.map.size < 50000) this.map.set(v, r);
    }
    return r;
  }
}

/**
 * Whether a row of the plan table is an item, by the rule the status formula applies to every table row (Excel fills a
 * table's formula column into all of them): an activity (after trimming spaces), something in another plan column
 * (month, owner, category, unit, quantity or status) when the sheet has such columns, and an activity that is not a
 * total label (合计, 小计, Total …). With no activity column, any content that is not blank.
 */
export function isItemRow(
  row: readonly unknown[],
  activityCol: number,
  contentCols: readonly number[],
  fill?: (c: number) => unknown,
): boolean {
  const at = (c: number): unknown => {
    const v = row[c];
    return fill !== undefined && (v === "" || v === null || v === undefined) ? fill(c) : v;
  };
  if (activityCol >= 0) {
    const a = at(activityCol);
    const text = typeof a === "string" ? a.replace(/^ +| +$/g, "") : a;
    if (text === "" || text === null || text === undefined) return false;
    if (typeof a === "string" && TOTAL_SET.has(a.replace(/ /g, "").toLowerCase())) return false;
    if (contentCols.length === 0) return true;
  }
  for (const c of contentCols) {
    const v = at(c);
    if (v !== "" && v !== null && v !== undefined) return true;
  }
  return false;
}

/**
 * Extracts the plan rows under the detected header. A row is an item by {@link isItemRow}; other rows are skipped and
 * listed: blank, total (合计 …), section (一、… becomes the category when no column is mapped to category), footer
 * (填表人：…, 注：…), no activity (with an error finding) and headings (an activity alone). Merged cells apply to every
 * row they cover, without unmerging first. Findings name cells by A1 address (shifted by `origin`) and carry zh-CN and
 * en-US messages; roles not found, columns not read and untracked progress are findings too.
 * @example extractPlan(grid, detectHeader(grid), { period: periodFromStart("2025-01") }).rows[0].bucket // "2025-09"
 */
export function extractPlan(grid: Grid, detection: HeaderDetection, opts: ExtractOptions): PlanExtract {
  const out: PlanExtract = { rows: [], findings: [], skipped: [], tracked: false, dueDays: false };
  const map = detection.mapping;
  const col = (f: Field): number => {
    const c = map[f];
    return c !== undefined && Number.isInteger(c) && c >= 0 ? c : -1;
  };
  const cMonth = col("month");
  const cActivity = col("activity");
  const cOwner = col("owner");
  const cCoOwners = col("coOwners");
  const cCategory = col("category");
  const cUnit = col("unit");
  const cTarget = col("target");
  const cActual = col("actual");
  const cStatus = col("status");
  const cNotes = col("notes");
  const mapped = FIELDS.map(col).filter((c) => c >= 0);
  const origin = opts.origin ?? { row: 0, col: 0 };
  const added = new Set(opts.added ?? []);
  if (mapped.length === 0) {
    columnFindings(out, detection, origin, grid);
    return out;
  }
  const period = opts.period;
  const start =
    detection.headerRow < 0
      ? 0
      : detection.headerRow + (detection.span ?? headerSpan(detection.headerRow, opts.merges));
  const months = new Memo<MonthResult>((v) => normalizeMonth(v, period));
  const quantities = new Memo<QuantityResult>(parseQuantity);
  const owners = new Map<string, { lead: string; coOwners: string[] }>();
  const fills = buildFills(grid, opts.merges, map, start, detection.parent);
  const fillOf = (c: number): unknown[] | undefined => fills.get(c);
  const [ps, pe] = [monthText(period.start), monthText(period.end)];
  const periodText = { zh: { start: ps.zh, end: pe.zh }, en: { start: ps.en, end: pe.en } };
  const activityCol = cActivity >= 0 ? cActivity : undefined;
  const contentCols = [cMonth, cOwner, cCoOwners, cCategory, cUnit, cTarget, cActual, cStatus].filter(
    (c, i, all) => c >= 0 && c !== cActivity && all.indexOf(c) === i,
  );
  const headerUnits = detection.headerUnits ?? {};
  const percentAt = (r: number, c: number): boolean => {
    const f = opts.numberFormats?.get(c)?.[r];
    return typeof f === "string" && isPercentFormat(f);
  };
  let section = "";
  if (cMonth >= 0 && opts.dueDays !== undefined) out.dueDays = opts.dueDays;
  else if (cMonth >= 0) {
    const cells: MonthResult[] = [];
    for (let r = start; r < grid.length; r++) {
      const raw: unknown = grid[r];
      const v = Array.isArray(raw) ? (raw as unknown[])[cMonth] : undefined;
      if (!isEmpty(v)) cells.push(months.get(v));
    }
    out.dueDays = keepsDays(cells, detection.headers[cMonth] ?? "");
  }

  const report: Report = (r, c, field, code, value, extra) => {
    const cell = a1(r, c, origin);
    const params = { cell, value: clip(value), ...extra };
    // The period reads best in each language's own month form, so that message is formatted per language.
    const message =
      code === "month.outsidePeriod"
        ? {
            "zh-CN": format(FINDING_CATALOGS["zh-CN"], code, { ...params, ...periodText.zh }),
            "en-US": format(FINDING_CATALOGS["en-US"], code, { ...params, ...periodText.en }),
          }
        : formatBoth(FINDING_CATALOGS, code, params);
    out.findings.push({ cell, field, severity: SEVERITY[code], code, value, message });
  };
  /** A cell's value, or the value of the merged area covering it. */
  const valueAt = (row: readonly unknown[], r: number, c: number): unknown => {
    if (c < 0) return undefined;
    const v = row[c];
    const fill = fills.get(c);
    return fill !== undefined && isEmpty(v) ? fill[r] : v;
  };

  // Rows the sheet's formula would count although they read as totals, headings or sign-off lines: they lie between
  // items, inside the table, where the formula decides. Found after the last item is known.
  const lookAlikes: { r: number; reason: SkipReason }[] = [];

  for (let r = start; r < grid.length; r++) {
    const raw: unknown = grid[r];
    const row: readonly unknown[] = Array.isArray(raw) ? raw : [];
    let blank = true;
    for (let i = 0; i < mapped.length; i++) {
      if (!isEmpty(row[mapped[i]])) {
        blank = false;
        break;
      }
    }
    const item = isItemRow(row, cActivity, contentCols, (c) => fillOf(c)?.[r]);
    // Totals and section titles often sit in an unmapped column (序号), so they are checked before "blank". Sign-off and
    // note lines come before sections: 注：… merged across the sheet is not a section.
    let skip: SkipReason | null = null;
    if (isTotalRow(row, activityCol)) skip = "total";
    else if (isFooterRow(row)) skip = "footer";
    else {
      const title = sectionTitle(row, opts.merges, r);
      if (title !== null) {
        if (!item) section = title;
        skip = "section";
      } else if (blank) skip = "blank";
    }
    if (skip !== null) {
      if (item) lookAlikes.push({ r, reason: skip });
      out.skipped.push({ gridRow: r, reason: skip });
      continue;
    }
    if (!item) {
      if (cActivity >= 0 && isEmpty(valueAt(row, r, cActivity))) {
        // Content without an activity cannot be listed or counted: said at the activity cell.
        report(r, cActivity, "activity", "activity.missing", "");
        out.skipped.push({ gridRow: r, reason: "noActivity" });
      } else {
        out.skipped.push({ gridRow: r, reason: "heading" });
        if (cActivity >= 0) report(r, cActivity, "activity", "row.notCounted", cleanText(valueAt(row, r, cActivity)));
      }
      continue;
    }
    out.rows.push(readRow(r, row));
  }

  // A row that reads as a total or heading but sits between items is counted, as the sheet's formulas count it.
  const last = out.rows.length > 0 ? out.rows[out.rows.length - 1].gridRow : -1;
  const inside = lookAlikes.filter((x) => x.r < last);
  if (inside.length > 0) {
    const keep = new Set(inside.map((x) => x.r));
    out.skipped = out.skipped.filter((x) => !keep.has(x.gridRow));
    for (const { r } of inside) {
      const row = (grid[r] ?? []) as readonly unknown[];
      out.rows.push(readRow(r, row));
      report(r, cActivity, "activity", "row.countedTotal", cleanText(valueAt(row, r, cActivity)));
    }
    out.rows.sort((x, y) => x.gridRow - y.gridRow);
  }

  const statusAdded = added.has("status");
  const actualAdded = added.has("actual");
  out.tracked =
    (cStatus >= 0 && !statusAdded) ||
    (cActual >= 0 && (!actualAdded || out.rows.some((x) => x.actual !== null || x.status !== "")));
  columnFindings(out, detection, origin, grid);
  return out;

  function readRow(r: number, row: readonly unknown[]): PlanRow {
    const ownerRaw = cOwner >= 0 ? valueAt(row, r, cOwner) : undefined;
    const categoryRaw = cCategory >= 0 ? valueAt(row, r, cCategory) : undefined;
    const unitRaw = cUnit >= 0 ? valueAt(row, r, cUnit) : undefined;
    const planRow: PlanRow = {
      gridRow: r,
      bucket: null,
      activity: cActivity >= 0 ? cleanText(valueAt(row, r, cActivity)) : "",
      owner: "",
      ownerCell: "",
      coOwners: [],
      category: cCategory >= 0 ? cleanText(categoryRaw) : section,
      unit: cUnit >= 0 ? cleanText(unitRaw) : "",
      target: null,
      actual: null,
      status: cStatus >= 0 ? cleanText(row[cStatus]) : "",
      notes: cNotes >= 0 ? cleanText(row[cNotes]) : "",
      originals: {},
    };
    if (typeof categoryRaw === "string") planRow.categoryCell = categoryRaw;
    if (typeof unitRaw === "string" && unitRaw !== "") planRow.unitCell = unitRaw;

    if (cMonth >= 0) {
      const own = row[cMonth];
      const m = months.get(valueAt(row, r, cMonth));
      if (m.kind === "month" && out.dueDays) {
        // A column of days: the due date is kept; the wording where it says more than the date (3月20日前, 上旬).
        const due = dueDate(m.bucket, m.day);
        planRow.bucket = m.bucket;
        planRow.due = due.date;
        if (!due.exact) planRow.originals.month = m.original;
        // 3.1 may be 3.10 typed as a number: read as the 1st, said so, never silently the 10th or the 1st.
        if (m.day?.ambiguous && typeof m.day.day === "number") {
          report(r, cMonth, "month", "month.dayAmbiguous", m.original, {
            month: due.date.slice(5, 7).replace(/^0/, ""),
            day: String(m.day.day),
            tenfold: String(m.day.day * 10),
          });
        }
      } else if (m.kind === "month" || m.kind === "annual") {
        planRow.bucket = m.kind === "month" ? m.bucket : ANNUAL;
        if (m.lossy) planRow.originals.month = m.original;
      } else if (m.kind === "invalid" && !isEmpty(own)) {
        // A merged month is reported once, at the cell that holds it.
        const code = m.reason === "unrecognized" ? "month.unrecognized" : "month.outsidePeriod";
        report(r, cMonth, "month", code, m.original);
      }
    }

    if (cOwner >= 0) {
      const ownerText = isEmpty(ownerRaw) ? "" : typeof ownerRaw === "string" ? ownerRaw : cleanText(ownerRaw);
      if (ownerText) {
        let split = owners.get(ownerText);
        if (!split) {
          split = splitOwners(ownerText);
          if (owners.size < 50000) owners.set(ownerText, split);
        }
        planRow.owner = cleanText(split.lead);
        // One owner: the cell stays exactly as typed. Several: structuring writes the lead, as typed, into the cell.
        planRow.ownerCell = split.coOwners.length === 0 ? ownerText : split.lead;
        planRow.coOwners = split.coOwners.map((x) => cleanText(x));
      } else {
        // A cell of spaces is no owner, but the summary's formulas must find it in the blank group: kept as typed.
        if (typeof ownerRaw === "string") planRow.ownerCell = ownerRaw;
        report(r, cOwner, "owner", "owner.missing", "", { activity: clip(planRow.activity) });
      }
    }

    const percentTarget = cTarget >= 0 && typeof row[cTarget] === "number" && percentAt(r, cTarget);
    const percentActual = cActual >= 0 && typeof row[cActual] === "number" && percentAt(r, cActual);
    const targetQ = cTarget >= 0 ? quantities.get(row[cTarget]) : undefined;
    // A column shared by actual and status (完成情况): its words are the status, only its numbers the actual.
    const sharedStatus = cActual >= 0 && cActual === cStatus;
    const actualQ = cActual >= 0 ? quantities.get(row[cActual]) : undefined;
    const unitOf = (q: QuantityResult | undefined, c: number, percent: boolean): string =>
      q?.kind === "number" && q.unit ? q.unit : percent ? "%" : (headerUnits[c] ?? "");
    const uT = unitOf(targetQ, cTarget, percentTarget);
    const uA = unitOf(actualQ, cActual, percentActual);
    // The row's unit: the unit column, else the target's, else the actual's.
    if (!planRow.unit) planRow.unit = targetQ?.kind === "number" ? uT : "";
    if (!planRow.unit && actualQ?.kind === "number") planRow.unit = uA;

    let targetKind: QuantityResult["kind"] = "blank";
    if (targetQ) {
      targetKind = targetQ.kind;
      if (targetQ.kind === "number" && uT && planRow.unit && !sameUnit(uT, planRow.unit)) {
        // 12次 in a row counted in 期: not added to 期, and the cell is left as it is.
        report(r, cTarget, "target", "target.unitMismatch", targetQ.original, { unit: uT, rowUnit: planRow.unit });
        targetKind = "invalid";
      } else readQuantity(planRow, "target", targetQ, r, cTarget, report, false);
    }
    if (actualQ) {
      if (actualQ.kind === "number" && uA && planRow.unit && !sameUnit(uA, planRow.unit)) {
        // 3次 planned, 2场 done: not a completion of the target; no rate, and the cell is left as it is.
        report(r, cActual, "actual", "actual.unitMismatch", actualQ.original, { unit: uA, targetUnit: planRow.unit });
      } else readQuantity(planRow, "actual", actualQ, r, cActual, report, sharedStatus);
    }
    if (planRow.originals.target === undefined && targetQ?.kind === "number" && uT && uT !== planRow.unit) {
      // The unit column spells it differently (场 / 场次): the cell's wording is kept.
      if (targetQ.unit) planRow.originals.target = targetQ.original;
    }
    inUnitMagnitude(planRow, "target", targetQ);
    inUnitMagnitude(planRow, "actual", actualQ);
    if (cTarget >= 0 && cActual >= 0 && planRow.actual !== null && targetKind === "blank") {
      report(r, cActual, "actual", "actual.withoutTarget", cleanText(row[cActual]));
    }
    return planRow;
  }
}

/** A number format that shows a percentage: a % outside quoted text and brackets. */
function isPercentFormat(f: string): boolean {
  return f.replace(/"[^"]*"|\[[^\]]*\]|\\./g, "").includes("%");
}

/** Findings about columns: roles not found (with the closest headers), columns not read, untracked progress. */
function columnFindings(out: PlanExtract, d: HeaderDetection, origin: GridOrigin, grid: Grid): void {
  if (d.headerRow < 0) return;
  const headerRow = (grid[d.headerRow] ?? []) as readonly unknown[];
  let first = -1;
  let last = -1;
  d.headers.forEach((h, c) => {
    if (h !== "") {
      if (first < 0) first = c;
      last = c;
    }
  });
  if (first < 0) {
    first = 0;
    last = Math.max(0, headerRow.length - 1);
  }
  const rowRange = `${a1(d.headerRow, first, origin)}:${a1(d.headerRow, last, origin)}`;
  const push = (cell: string, field: Field, code: FindingCode, value: string, params: Record<string, string>) => {
    // A plan without activities cannot be read at all; one without targets only has no completion rates.
    const severity: Severity =
      code !== "column.missing"
        ? SEVERITY[code]
        : field === "activity"
          ? "error"
          : field === "target"
            ? "info"
            : "warning";
    const message = {} as Record<Lang, string>;
    for (const lang of ["zh-CN", "en-US"] as const) {
      const catalog = FINDING_CATALOGS[lang];
      message[lang] = format(catalog, code, {
        cell,
        value: clip(value),
        ...params,
        role: format(catalog, `role.${field}`),
        candidates: params.candidates ? params.candidates : format(catalog, "candidates.none"),
      });
    }
    out.findings.push({ cell, field, severity, code, value, message });
  };
  if (d.wide) {
    const head = d.wide.cols[0];
    push(a1(d.headerRow, head, origin), "month", "layout.wide", d.wide.headers.join("、"), {
      columns: clip(d.wide.headers.join("、"), 60),
    });
  }
  for (const x of d.refused ?? []) {
    const cell = a1(d.headerRow + ((d.span ?? 1) > 1 ? 1 : 0), x.col, origin);
    if (x.reason === "notMonths") push(cell, x.field, "column.notMonths", x.header, { examples: clip(x.detail, 40) });
    else {
      const [unit, targetUnit] = x.detail.split("|");
      push(cell, x.field, "column.unitMismatch", x.header, { unit, targetUnit });
    }
  }
  for (const field of ["activity", "month", "owner", "target"] as const) {
    if (d.mapping[field] !== undefined) continue;
    if (field === "target" && d.mapping.actual === undefined && d.mapping.status !== undefined) continue;
    const near = closestHeaders(d, field);
    push(rowRange, field, "column.missing", "", { candidates: near.join("、") });
  }
  if (!out.tracked && (d.mapping.activity !== undefined || out.rows.length > 0)) {
    push(rowRange, "status", "progress.untracked", "", {});
  }
}

type Report = (
  r: number,
  c: number,
  field: Field,
  code: FindingCode,
  value: string,
  extra?: Record<string, string>,
) => void;

// Only 万 and 亿 name units (万元, 万人次, 亿元); 千克 and 百分点 are units of their own.
const UNIT_MAGNITUDE: Record<string, number> = { 万: 1e4, 亿: 1e8 };
const TRAILING_MAGNITUDE = /([万亿])\s*$/;

/**
 * A quantity written with a bare magnitude (12万) in a row counted in a unit that starts with it (万元, 万人次) is that
 * many of the unit: 12 万元, not 120,000 万元.
 */
function inUnitMagnitude(planRow: PlanRow, f: "target" | "actual", q: QuantityResult | undefined): void {
  const unitMagnitude = planRow.unit.charAt(0);
  const factor = UNIT_MAGNITUDE[unitMagnitude];
  if (factor === undefined || q?.kind !== "number" || q.unit !== "" || planRow[f] !== q.value) return;
  if (TRAILING_MAGNITUDE.exec(cleanText(q.original))?.[1] !== unitMagnitude) return;
  planRow[f] = Math.round((q.value / factor) * 1e9) / 1e9;
}

/**
 * Puts a target/actual into the row; lossy or differently-worded values keep their text. Text that is not a number:
 * a target such as 全覆盖 or 长期坚持 is qualitative (information only), one with figures a warning; an actual's words
 * are its status when the column holds both (`statusToo`), else a warning.
 */
function readQuantity(
  planRow: PlanRow,
  f: "target" | "actual",
  q: QuantityResult,
  r: number,
  c: number,
  report: Report,
  statusToo: boolean,
): QuantityResult["kind"] {
  if (q.kind === "invalid") {
    if (f === "target") report(r, c, f, /\d/.test(q.original) ? "target.notNumber" : "target.qualitative", q.original);
    else if (!statusToo) report(r, c, f, "actual.notNumber", q.original);
  } else if (q.kind === "number") {
    planRow[f] = q.value;
    if (q.value < 0) report(r, c, f, f === "target" ? "target.negative" : "actual.negative", q.original);
    if (q.lossy || (q.unit && q.unit !== planRow.unit)) planRow.originals[f] = q.original;
  }
  return q.kind;
}

/** For each filled column (month, activity, owner … and a parent column), the value a merged area gives the rows it covers. */
function buildFills(
  grid: Grid,
  merges: readonly MergedArea[] | undefined,
  map: HeaderDetection["mapping"],
  from: number,
  parent: number | undefined,
): Map<number, unknown[]> {
  const fills = new Map<number, unknown[]>();
  if (!merges) return fills;
  const cols = new Set<number>();
  for (const f of FILL_FIELDS) if (map[f] !== undefined) cols.add(map[f]);
  if (parent !== undefined) cols.add(parent);
  for (const c of cols) {
    const byRow: unknown[] = [];
    let any = false;
    for (const m of merges) {
      if (m.rowCount <= 1 || c < m.col || c >= m.col + m.colCount || m.row + m.rowCount <= from) continue;
      const top: unknown = grid[m.row];
      const v = Array.isArray(top) ? (top as unknown[])[m.col] : undefined;
      if (isEmpty(v)) continue;
      const last = Math.min(m.row + m.rowCount, grid.length);
      for (let r = Math.max(m.row + 1, from); r < last; r++) byRow[r] = v;
      any = true;
    }
    if (any) fills.set(c, byRow);
  }
  return fills;
}
