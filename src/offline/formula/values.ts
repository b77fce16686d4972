import type { ErrorValue, Rect, Scalar, SheetModel } from "../model";

/** A reference produced while evaluating (a range argument, INDEX's result). */
export class RangeVal {
  constructor(
    readonly sheet: SheetModel,
    readonly rect: Rect,
    /** Index of `sheet` in the workbook, kept to avoid searching for it. */
    readonly si: number,
  ) {}
}

/** What an expression yields: a scalar, a blank cell (null) or a reference. */
export type Val = Scalar | null | RangeVal;

export const ERR = {
  div0: { error: "#DIV/0!" },
  value: { error: "#VALUE!" },
  ref: { error: "#REF!" },
  name: { error: "#NAME?" },
  num: { error: "#NUM!" },
  na: { error: "#N/A" },
  null: { error: "#NULL!" },
} as const satisfies Record<string, ErrorValue>;

export const ERROR_LITERALS = ["#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A"];

export function isErr(v: unknown): v is ErrorValue {
  return typeof v === "object" && v !== null && !(v instanceof RangeVal) && "error" in v;
}

/** Parses text the way Excel coerces it to a number in arithmetic: "12", " 1.5 ", "1e3", "50%", "-3". */
export function parseNumber(text: string): number | null {
  const t = text.trim();
  if (t === "") return null;
  const pct = t.endsWith("%");
  const body = (pct ? t.slice(0, -1) : t).replace(/,(?=\d{3}(\D|$))/g, "");
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(body)) return null;
  const n = Number(body);
  return pct ? n / 100 : n;
}

/** Scalar → number for arithmetic; errors pass through as ErrorValue. */
export function toNumber(v: Scalar | null): number | ErrorValue {
  if (v === null) return 0;
  if (typeof v === "number") return v;
  if (typeof v === "boolean") return v ? 1 : 0;
  if (typeof v === "string") {
    const n = parseNumber(v);
    if (n !== null) return n;
    const d = parseDateText(v, 1900);
    return d ?? ERR.value;
  }
  return v;
}

/** Number → text as Excel's General format shows it in concatenation (up to 15 significant digits). */
export function numberToText(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e15) return String(n);
  const s = Number(n.toPrecision(15)).toString();
  return s.includes("e") ? s.toUpperCase() : s;
}

export function toText(v: Scalar | null): string | ErrorValue {
  if (v === null) return "";
  if (typeof v === "string") return v;
  if (typeof v === "number") return numberToText(v);
  if (typeof v === "boolean") return v ? "TRUE" : "FALSE";
  return v;
}

export function toBool(v: Scalar | null): boolean | ErrorValue {
  if (v === null) return false;
  if (typeof v === "boolean") return v;
  if (typeof v === "number") return v !== 0;
  if (typeof v === "string") {
    const u = v.toUpperCase();
    if (u === "TRUE") return true;
    if (u === "FALSE") return false;
    return ERR.value;
  }
  return v;
}

// --- Dates: the 1900 date system, including Excel's fictitious 1900-02-29 (serial 60). ---

/** Serial of 1904-01-01 in the 1900 date system: a 1904 workbook's serials are this much lower. */
export const DAYS_1900_TO_1904 = 1462;
const DAY_MS = 86400000;
const BASE_AFTER = Date.UTC(1899, 11, 30); // serials ≥ 61
const BASE_BEFORE = Date.UTC(1899, 11, 31); // serials 1..59

/** Year, month (1-12), day → serial, normalising overflow like DATE does. */
export function dateToSerial(year: number, month: number, day: number): number {
  if (year === 1900 && month === 2 && day === 29) return 60;
  const ms = Date.UTC(year, month - 1, day);
  if (ms < Date.UTC(1900, 2, 1)) return Math.round((ms - BASE_BEFORE) / DAY_MS);
  return Math.round((ms - BASE_AFTER) / DAY_MS);
}

/** Serial → { year, month (1-12), day }. */
export function serialToDate(serial: number): { year: number; month: number; day: number } {
  const s = Math.floor(serial);
  if (s === 60) return { year: 1900, month: 2, day: 29 };
  const d = new Date((s < 60 ? BASE_BEFORE : BASE_AFTER) + s * DAY_MS);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** A JS date's local calendar day → serial (TODAY). */
export function jsDateToSerial(date: Date): number {
  return dateToSerial(date.getFullYear(), date.getMonth() + 1, date.getDate());
}

/**
 * Text that Excel's entry parser reads as a date: "2025-03-01", "2025/3/1", "2025年3月1日", and month-day forms
 * "3/1", "3-1" (current year). Returns the serial or null.
 */
export function parseDateText(text: string, currentYear: number): number | null {
  const t = text.trim();
  let m = /^(\d{4})[-/年](\d{1,2})[-/月](\d{1,2})日?$/.exec(t);
  if (m) return validDate(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /^(\d{1,2})[-/](\d{1,2})$/.exec(t);
  if (m) return validDate(currentYear, Number(m[1]), Number(m[2]));
  return null;
}

function validDate(y: number, mo: number, d: number): number | null {
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || y < 1900 || y > 9999) return null;
  const check = new Date(Date.UTC(y, mo - 1, d));
  if (check.getUTCMonth() !== mo - 1) return null;
  return dateToSerial(y, mo, d);
}
