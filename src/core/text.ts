/**
 * Text helpers for cell values. Pure and total: any input yields a string, nothing throws.
 */

import type { Lang } from "./types";

// Anything at or above U+3000 may be full-width; below it only the rarer spaces need work.
const MAYBE_WIDE = /[\u3000\uff01-\uff5e]/;
const WIDE_CHARS = /[\u3000\uff01-\uff5e]/g;
const SPACE_ODD = /[\u3000\u00a0\u2000-\u200b\u202f\u205f\u2028\u2029\u1680\u0085\ufeff\t\n\r\f\v]| {2}/;
const SPACE_RUN = /[\s\u3000\u00a0\u2000-\u200b\u202f\u205f\u0085\ufeff]+/g;

/**
 * Converts full-width ASCII variants (digits, letters, punctuation) and the ideographic space to plain ASCII.
 * @example toHalfWidth("１２次，Ｑ３") // "12次,Q3"
 */
export function toHalfWidth(s: string): string {
  if (!MAYBE_WIDE.test(s)) return s;
  return s.replace(WIDE_CHARS, (ch) => {
    const code = ch.charCodeAt(0);
    return code === 0x3000 ? " " : String.fromCharCode(code - 0xfee0);
  });
}

/** Formats a Date as "YYYY-MM-DD" from its calendar fields, so a date cell reads as text the way a user sees it. */
function dateText(d: Date): string {
  if (Number.isNaN(d.getTime())) return "";
  const y = d.getFullYear();
  const m = d.getMonth() + 1;
  const day = d.getDate();
  return `${y}-${m < 10 ? "0" : ""}${m}-${day < 10 ? "0" : ""}${day}`;
}

/** True when a string has leading/trailing spaces, a double space or any other kind of space: a cheap pre-check. */
function needsSpaceWork(s: string): boolean {
  let prevSpace = true; // a leading space counts as work
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 32) {
      if (prevSpace) return true;
      prevSpace = true;
    } else if (c < 32 || c === 0x85 || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200b)) {
      return true;
    } else if (c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff) {
      return true;
    } else prevSpace = false;
  }
  return prevSpace && s.length > 0;
}

/**
 * Any cell value as display text: null/undefined → "", Dates as YYYY-MM-DD, every kind of space (full-width,
 * no-break, tabs, line breaks) turned into one ASCII space, runs collapsed, ends trimmed.
 * @example cleanText("　科普部 \n 办公室 ") // "科普部 办公室"
 */
export function cleanText(v: unknown): string {
  let s: string;
  if (typeof v === "string") s = v;
  else if (v === null || v === undefined) return "";
  else if (typeof v === "number" || typeof v === "boolean" || typeof v === "bigint") s = String(v);
  else if (v instanceof Date) return dateText(v);
  else {
    // Objects can have a throwing or missing toString (Object.create(null), proxies): such a cell has no text.
    try {
      s = String(v);
    } catch {
      return "";
    }
  }
  if (!needsSpaceWork(s)) return s;
  if (SPACE_ODD.test(s)) s = s.replace(SPACE_RUN, " ");
  return s.trim();
}

/** Truncates text for a message so a huge cell cannot flood the UI. */
export function clip(s: string, max = 40): string {
  return s.length <= max ? s : s.slice(0, max - 1) + "…";
}

/**
 * The language a workbook is written in, judged from its own texts (header cells, title rows): Chinese when they hold
 * more Han characters than Latin words, English when Latin words dominate, undefined when they say nothing (numbers,
 * blanks). What Plan Ledger writes into the workbook follows it, whatever language the pane shows.
 * @example textLanguage(["月份", "工作任务", "Owner"]) // "zh-CN"
 * @example textLanguage(["Month", "Activity", "备注"]) // "en-US"
 */
export function textLanguage(texts: readonly unknown[]): Lang | undefined {
  let han = 0;
  let latin = 0;
  for (const t of texts) {
    if (typeof t !== "string") continue;
    han += (t.match(/[\u4e00-\u9fff]/gu) ?? []).length;
    // A Latin word counts as much as two Han characters (a two-character Chinese word).
    latin += 2 * (t.match(/[A-Za-z]{2,}/g) ?? []).length;
  }
  if (han === 0 && latin === 0) return undefined;
  return han >= latin ? "zh-CN" : "en-US";
}
