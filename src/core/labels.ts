import { format, type Catalogs } from "./i18n";
import { ANNUAL, type Bucket, type Field, type Lang, type RowStatus } from "./types";
import zhCN from "../i18n/summary.zh-CN.json";
import enUS from "../i18n/summary.en-US.json";

/**
 * Localised display of the plan vocabulary: months, statuses, field names, blank owners/units/categories and
 * percentages. Pure: every string comes from the summary catalogs.
 */

/** The summary namespace catalogs (labels, narrative, text-plan findings). */
export const SUMMARY_CATALOGS: Catalogs = { "zh-CN": zhCN, "en-US": enUS };

/**
 * Excel number formats that show a first-of-month date as a month, per language. Both are Excel 2010 formats.
 * @example MONTH_NUMBER_FORMAT["zh-CN"] // 'yyyy"年"m"月"' → 2025年9月
 */
export const MONTH_NUMBER_FORMAT: Readonly<Record<Lang, string>> = {
  "zh-CN": 'yyyy"年"m"月"',
  "en-US": "mmm yyyy",
};

/**
 * Excel number formats that show a due date with its day, per language (a column of deadlines). Excel 2010 formats.
 * @example DATE_NUMBER_FORMAT["zh-CN"] // 'yyyy"年"m"月"d"日"' → 2025年3月5日
 */
export const DATE_NUMBER_FORMAT: Readonly<Record<Lang, string>> = {
  "zh-CN": 'yyyy"年"m"月"d"日"',
  "en-US": "mmm d, yyyy",
};

/** Excel number format for a completion rate or pace (a 0..1 number) shown as 78.6%. */
export const PERCENT_NUMBER_FORMAT = "0.0%";

const MONTH_KEY = /^(\d{4})-(0[1-9]|1[0-2])$/;

/**
 * Displays a bucket: a month key as "2025年9月" / "Sep 2025", the annual bucket as 全年 / Annual, and a missing month
 * (null or "") as （未填月份）/ (no month). Any other text is shown as it is.
 * @example monthLabel("2025-09", "en-US") // "Sep 2025"
 */
export function monthLabel(bucket: Bucket | null, lang: Lang): string {
  const catalog = SUMMARY_CATALOGS[lang];
  if (bucket === null || bucket === "") return format(catalog, "month.none");
  if (bucket === ANNUAL) return format(catalog, "month.annual");
  const m = MONTH_KEY.exec(bucket);
  if (!m) return bucket;
  const month = Number(m[2]);
  return format(catalog, "month.label", { year: m[1], month, name: format(catalog, `month.name.${month}`) });
}

/**
 * Displays a due date ("YYYY-MM-DD") as its column shows it: 2025年3月20日 / Mar 20, 2025. Other text is shown as it is.
 * @example dateLabel("2025-03-20", "en-US") // "Mar 20, 2025"
 */
export function dateLabel(iso: string, lang: Lang): string {
  const m = /^(\d{4})-(0[1-9]|1[0-2])-(\d{2})$/.exec(iso);
  if (!m) return iso;
  const catalog = SUMMARY_CATALOGS[lang];
  const month = Number(m[2]);
  const name = format(catalog, `month.name.${month}`);
  return format(catalog, "date.label", { year: m[1], month, name, day: Number(m[3]) });
}

/**
 * Displays a row status: 已完成/逾期/本月到期/未到期 or Done/Overdue/Due/Upcoming.
 * @example statusLabel("due", "zh-CN") // "本月到期"
 */
export function statusLabel(status: RowStatus, lang: Lang): string {
  return format(SUMMARY_CATALOGS[lang], `status.${status}`);
}

/**
 * Displays a plan field, e.g. for a column header the add-in adds: 月份 / Month, 责任单位 / Owner.
 * @example fieldLabel("target", "zh-CN") // "目标"
 */
export function fieldLabel(field: Field, lang: Lang): string {
  return format(SUMMARY_CATALOGS[lang], `field.${field}`);
}

/**
 * Displays a unit of measure; the blank unit (targets typed without a measure word) is （无单位）/ (no unit).
 * @example unitLabel("", "en-US") // "(no unit)"
 */
export function unitLabel(unit: string, lang: Lang): string {
  return unit === "" ? format(SUMMARY_CATALOGS[lang], "unit.none") : unit;
}

/** Displays an owner; the blank owner is （未指定部门）/ (no owner). */
export function ownerLabel(owner: string, lang: Lang): string {
  return owner === "" ? format(SUMMARY_CATALOGS[lang], "owner.none") : owner;
}

/** Displays a category; the blank category is （未分类）/ (uncategorised). */
export function categoryLabel(category: string, lang: Lang): string {
  return category === "" ? format(SUMMARY_CATALOGS[lang], "category.none") : category;
}

/**
 * Shows a 0..1 share as a percentage with one decimal, rounding half away from zero like Excel's 0.0% format; null
 * (nothing to divide) shows as "—".
 * @example percentLabel(11 / 14) // "78.6%"
 */
export function percentLabel(share: number | null): string {
  if (share === null || !Number.isFinite(share)) return "—";
  return `${oneDecimal(share * 100)}%`;
}

/** Rounds to one decimal, half away from zero, and prints it with exactly one decimal ("75.0"). */
export function oneDecimal(x: number): string {
  // Round on the decimal string of x*10 rather than Math.round(x*10), which misrounds values like 78.55 (stored as
  // 78.5499…): Excel rounds the shown digits, and so do we, to at most 15 significant digits.
  const scaled = Number((Math.abs(x) * 10).toPrecision(15));
  const rounded = Math.round(scaled) / 10;
  const signed = x < 0 && rounded !== 0 ? -rounded : rounded;
  return signed.toFixed(1);
}
