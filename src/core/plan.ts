/**
 * Row extraction and validation: turns the data rows under a detected header into normalised plan rows and
 * cell-by-cell findings. Pure and total: any grid yields a result.
 */
import { a1 } from "./a1";
import { format, formatBoth, type Catalogs } from "./i18n";
import {
  ANNUAL,
  FIELDS,
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
import { headerSpan } from "./header";
import { normalizeMonth, parseMonthKey, type MonthResult } from "./month";
import { parseQuantity, type QuantityResult } from "./quantity";
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
export type ExtractOptions = { period: Period; origin?: GridOrigin; merges?: readonly MergedArea[] };

export type PlanExtract = {
  rows: PlanRow[];
  findings: Finding[];
  skipped: { gridRow: number; reason: "blank" | "total" | "section" | "footer" }[];
};

const SEVERITY: Record<FindingCode, Severity> = {
  "month.unrecognized": "error",
  "month.outsidePeriod": "error",
  "activity.missing": "error",
  "owner.missing": "warning",
  "target.notNumber": "error",
  "target.negative": "error",
  "actual.notNumber": "error",
  "actual.negative": "error",
  "actual.withoutTarget": "warning",
  "actual.unitMismatch": "warning",
};

/**
 * Fields whose merged cells describe every row they cover: a month merged down over its items, an activity merged
 * over the rows of the departments that share it.
 */
const FILL_FIELDS: readonly Field[] = ["month", "activity", "owner", "category", "unit"];

const TOTAL_ZH = /^(?:总合计|累计合计|全年合计|本月合计|合计|小计|总计|共计)(?:$|[:：(（])/;
const SPACES = /\s+/g;
const NON_SPACE = /\S/;
// First characters a total label can start with: a cheap filter before the regexes.
const TOTAL_START = /^\s*[合小总共累全本gstGST]/;
const TOTAL_EN = /^(?:grand\s*total|sub-?\s*total|total|sum)s?(?:\s*[:(].*)?$/i;
const SECTION =
  /^(?:[一二三四五六七八九十百]+\s*[、.．]|[(（]\s*[一二三四五六七八九十百\d]+\s*[)）]|第[一二三四五六七八九十百\d]+(?:部分|章|节|类|篇|板块)[、.．:：\s]?|part\s+(?:[ivx]+|\d+)\b[.:]?|[ivx]+\.\s)/i;
const OWNER_SPLIT = /[、，,;；/／|｜]+/;
const CJK_SPACE = /(?<=[\u3400-\u9fff]) (?=[\u3400-\u9fff])/g;
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

/**
 * Splits an owner cell into the lead and the rest: on 、，,;；/| , on a space between Chinese names, and on 和 when
 * both sides have two or more characters (和平街道 stays whole).
 * @example splitOwners("科普部、办公室") // { lead: "科普部", coOwners: ["办公室"] }
 */
export function splitOwners(text: string): { lead: string; coOwners: string[] } {
  const parts: string[] = [];
  for (const chunk of cleanText(text).replace(CJK_SPACE, "、").split(OWNER_SPLIT)) {
    const piece = chunk.trim();
    if (!piece) continue;
    const bits = piece.split("和");
    if (bits.length > 1 && bits.every((b) => b.trim().length >= 2)) {
      for (const b of bits) parts.push(b.trim());
    } else parts.push(piece);
  }
  const unique = [...new Set(parts)];
  return { lead: unique[0] ?? "", coOwners: unique.slice(1) };
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
 * Extracts the plan rows under the detected header. Blank rows (nothing in any mapped column), total rows, section
 * rows and footer lines (填表人：…, 注：…) are skipped and listed; section titles become the category when no column is mapped to category.
 * Merged month/owner/category/unit cells apply to every row they cover, without unmerging first. Findings name
 * cells by A1 address (shifted by `origin`) and carry zh-CN and en-US messages.
 * @example extractPlan(grid, detectHeader(grid), { period: periodFromStart("2025-01") }).rows[0].bucket // "2025-09"
 */
export function extractPlan(grid: Grid, detection: HeaderDetection, opts: ExtractOptions): PlanExtract {
  const out: PlanExtract = { rows: [], findings: [], skipped: [] };
  const map = detection.mapping;
  const col = (f: Field): number => {
    const c = map[f];
    return c !== undefined && Number.isInteger(c) && c >= 0 ? c : -1;
  };
  const [cMonth, cActivity, cOwner, cCategory, cUnit, cTarget, cActual, cStatus, cNotes] = FIELDS.map(col);
  const mapped = FIELDS.map(col).filter((c) => c >= 0);
  if (mapped.length === 0) return out;
  const origin = opts.origin ?? { row: 0, col: 0 };
  const period = opts.period;
  const start = detection.headerRow < 0 ? 0 : detection.headerRow + headerSpan(detection.headerRow, opts.merges);
  const months = new Memo<MonthResult>((v) => normalizeMonth(v, period));
  const quantities = new Memo<QuantityResult>(parseQuantity);
  const owners = new Map<string, { lead: string; coOwners: string[] }>();
  const fills = buildFills(grid, opts.merges, map, start);
  const fillMonth = fills.get("month");
  const fillActivity = fills.get("activity");
  const fillOwner = fills.get("owner");
  const fillCategory = fills.get("category");
  const fillUnit = fills.get("unit");
  const [ps, pe] = [monthText(period.start), monthText(period.end)];
  const periodText = { zh: { start: ps.zh, end: pe.zh }, en: { start: ps.en, end: pe.en } };
  const activityCol = cActivity >= 0 ? cActivity : undefined;
  let section = "";

  const report = (
    r: number,
    c: number,
    field: Field,
    code: FindingCode,
    value: string,
    extra?: Record<string, string>,
  ): void => {
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
  const valueAt = (row: readonly unknown[], r: number, c: number, fill: unknown[] | undefined): unknown => {
    if (c < 0) return undefined;
    const v = row[c];
    return fill !== undefined && isEmpty(v) ? fill[r] : v;
  };

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
    // Totals and section titles often sit in an unmapped column (序号), so they are checked before "blank".
    if (isTotalRow(row, activityCol)) {
      out.skipped.push({ gridRow: r, reason: "total" });
      continue;
    }
    const title = sectionTitle(row, opts.merges, r);
    if (title !== null) {
      section = title;
      out.skipped.push({ gridRow: r, reason: "section" });
      continue;
    }
    if (isFooterRow(row)) {
      out.skipped.push({ gridRow: r, reason: "footer" });
      continue;
    }
    if (blank) {
      out.skipped.push({ gridRow: r, reason: "blank" });
      continue;
    }

    const planRow: PlanRow = {
      gridRow: r,
      bucket: null,
      activity: cActivity >= 0 ? cleanText(valueAt(row, r, cActivity, fillActivity)) : "",
      owner: "",
      coOwners: [],
      category: cCategory >= 0 ? cleanText(valueAt(row, r, cCategory, fillCategory)) : section,
      unit: cUnit >= 0 ? cleanText(valueAt(row, r, cUnit, fillUnit)) : "",
      target: null,
      actual: null,
      status: cStatus >= 0 ? cleanText(row[cStatus]) : "",
      notes: cNotes >= 0 ? cleanText(row[cNotes]) : "",
      originals: {},
    };

    if (cMonth >= 0) {
      const own = row[cMonth];
      const m = months.get(valueAt(row, r, cMonth, fillMonth));
      if (m.kind === "month" || m.kind === "annual") {
        planRow.bucket = m.kind === "month" ? m.bucket : ANNUAL;
        if (m.lossy) planRow.originals.month = m.original;
      } else if (m.kind === "invalid" && !isEmpty(own)) {
        // A merged month is reported once, at the cell that holds it.
        const code = m.reason === "unrecognized" ? "month.unrecognized" : "month.outsidePeriod";
        report(r, cMonth, "month", code, m.original);
      }
    }

    if (cActivity >= 0 && planRow.activity === "") report(r, cActivity, "activity", "activity.missing", "");

    if (cOwner >= 0) {
      const ownerText = cleanText(valueAt(row, r, cOwner, fillOwner));
      if (ownerText) {
        let split = owners.get(ownerText);
        if (!split) {
          split = splitOwners(ownerText);
          if (owners.size < 50000) owners.set(ownerText, split);
        }
        planRow.owner = split.lead;
        planRow.coOwners = split.coOwners.length === 0 ? [] : split.coOwners.slice();
      } else {
        report(r, cOwner, "owner", "owner.missing", "", { activity: clip(planRow.activity) });
      }
    }

    let targetKind: QuantityResult["kind"] = "blank";
    const targetQ = cTarget >= 0 ? quantities.get(row[cTarget]) : undefined;
    const actualQ = cActual >= 0 ? quantities.get(row[cActual]) : undefined;
    if (targetQ) targetKind = readQuantity(planRow, "target", targetQ, r, cTarget, report);
    if (actualQ) readQuantity(planRow, "actual", actualQ, r, cActual, report);
    inUnitMagnitude(planRow, "target", targetQ);
    inUnitMagnitude(planRow, "actual", actualQ);
    if (cTarget >= 0 && cActual >= 0 && planRow.actual !== null && targetKind === "blank") {
      report(r, cActual, "actual", "actual.withoutTarget", cleanText(row[cActual]));
    }
    // 3次 planned, 2场 done: the completion rate compares numbers of different things.
    if (targetQ?.kind === "number" && actualQ?.kind === "number" && targetQ.unit && actualQ.unit) {
      if (targetQ.unit.toLowerCase() !== actualQ.unit.toLowerCase()) {
        report(r, cActual, "actual", "actual.unitMismatch", actualQ.original, {
          unit: actualQ.unit,
          targetUnit: targetQ.unit,
        });
      }
    }
    out.rows.push(planRow);
  }
  return out;
}

type Report = (r: number, c: number, field: Field, code: FindingCode, value: string) => void;

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

/** Puts a target/actual into the row: its unit fills a blank unit; lossy or differently-worded values keep their text. */
function readQuantity(
  planRow: PlanRow,
  f: "target" | "actual",
  q: QuantityResult,
  r: number,
  c: number,
  report: Report,
): QuantityResult["kind"] {
  if (q.kind === "invalid") {
    report(r, c, f, f === "target" ? "target.notNumber" : "actual.notNumber", q.original);
  } else if (q.kind === "number") {
    planRow[f] = q.value;
    if (q.value < 0) report(r, c, f, f === "target" ? "target.negative" : "actual.negative", q.original);
    if (q.unit && !planRow.unit) planRow.unit = q.unit;
    if (q.lossy || (q.unit && q.unit !== planRow.unit)) planRow.originals[f] = q.original;
  }
  return q.kind;
}

/** For each fill field, the value a merged area gives to the rows it covers below its top-left cell. */
function buildFills(
  grid: Grid,
  merges: readonly MergedArea[] | undefined,
  map: HeaderDetection["mapping"],
  from: number,
): Map<Field, unknown[]> {
  const fills = new Map<Field, unknown[]>();
  if (!merges) return fills;
  for (const f of FILL_FIELDS) {
    const c = map[f];
    if (c === undefined) continue;
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
    if (any) fills.set(f, byRow);
  }
  return fills;
}
