/**
 * Quantity cells (目标任务, 完成数 …) → a number and its measure word.
 *
 * Accepted: numbers; 12次 / 12 sessions (unit kept); 1万, 1.5万, 3千, 2百, 1万人次 (magnitude multiplies); 5万元, 3千克
 * (magnitude belongs to the unit: 5 万元); 1,200; full-width １２; Chinese numerals 十二, 三十一, 两, 一百二十, 一千零五;
 * 共12次 / 达1万人次 (exact); 约20, 近20, 不少于20, 20余, 20多, 20以上, 20左右 (lossy); ranges 2~3, 2-3, 2至3, 2到3次 (the
 * lower bound, lossy); 95% → 0.95 with unit "%" (as Excel stores a percentage); negative numbers (validation flags
 * them). A cell of only dashes or slashes (—, -, /) is a placeholder: blank. Anything else is invalid, never guessed.
 */
import { cleanText, toHalfWidth } from "./text";

export type QuantityResult =
  | { kind: "blank" }
  | { kind: "number"; value: number; unit: string; lossy: boolean; original: string }
  | { kind: "invalid"; original: string };

const CN_DIGIT: Record<string, number> = {
  零: 0,
  〇: 0,
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};
const CN_SMALL: Record<string, number> = { 十: 10, 百: 100, 千: 1000 };
const CN_BIG: Record<string, number> = { 万: 1e4, 亿: 1e8 };
const MAGNITUDE: Record<string, number> = { ...CN_SMALL, ...CN_BIG, k: 1e3 };

/**
 * Reads a Chinese numeral (十二, 三十一, 一百零五, 两万三千); NaN when the characters do not form one.
 * @example chineseNumber("一百二十") // 120
 */
export function chineseNumber(s: string): number {
  let yi = 0; // everything before the last 亿, already multiplied
  let wan = 0; // the 万 group since then, already multiplied
  let section = 0; // below 万
  let digit = -1; // pending digit; -1 when none
  let prevWasDigit = false;
  for (const ch of s) {
    const d = CN_DIGIT[ch];
    if (d !== undefined) {
      // Two digits in a row only after 零 (一百零五); 一二三 is not a numeral.
      if (prevWasDigit && digit !== 0) return NaN;
      digit = d;
      prevWasDigit = true;
      continue;
    }
    prevWasDigit = false;
    const small = CN_SMALL[ch];
    if (small !== undefined) {
      section += (digit < 0 ? 1 : digit) * small;
      digit = -1;
      continue;
    }
    const big = CN_BIG[ch];
    if (big === undefined) return NaN;
    const below = section + Math.max(digit, 0);
    if (big === 1e4) {
      if (below === 0) return NaN;
      wan = below * 1e4;
    } else {
      if (below + wan === 0) return NaN;
      yi = (yi + wan + below) * 1e8;
      wan = 0;
    }
    section = 0;
    digit = -1;
  }
  return yi + wan + section + Math.max(digit, 0);
}

/**
 * Done-wording in front of a count (已完成4场, 已举办3期, 实际完成12次): the count is read, and the wording is kept
 * (lossy), as it says the work happened.
 */
const DONE_VERBS =
  "已完成|实际完成|共完成|累计完成|已开展|已举办|已举行|已召开|已组织|已发行|已发布|已征集|已培训|已服务|已走访|已";

const NUM = String.raw`(\d+(?:\.\d+)?|\.\d+)([万千百亿k])?|([零〇一二两三四五六七八九十百千万亿]+)`;
const UNIT = String.raw`[\p{L}%/·]{1,12}`;
const QUANTITY = new RegExp(
  `^(约|大约|近|将近|超过|逾|不少于|不低于|至少|共计|共|合计|累计|计|达到|达|${DONE_VERBS}|完成|>=|≥|>|about|approx\\.?|around|over|atleast|morethan|~)?` +
    `([+-])?(?:${NUM})(?:(${UNIT})?~(?:${NUM}))?(余|多|来|\\+)?(${UNIT})?$`,
  "u",
);
const EXACT_PREFIX = new Set(["共计", "共", "合计", "累计", "计", "达到", "达", "完成"]);
const APPROX_TAIL = /(?:以上|左右|上下|以内|以下|余|多)$/;
// Units where 万/千/百/亿 is part of the unit itself (5万元 is five 万元, 3千克 three kilograms).
const MAGNITUDE_UNIT = /^(?:元|克|米|瓦|吨|亩|公里|平方米|立方米|人民币)/;
const PLACEHOLDER = /^[-—–_/\\~.·]+$/;
const THOUSANDS = /(\d),(?=\d{3}(?!\d))/g;
const RANGE_DASH = /([\d十百千万亿两一二三四五六七八九零〇万千百k])-(?=[\d一二三四五六七八九十两零〇.])/g;
const RANGE_WORDS = /[至到～〜—–]/g;
const MINUS = /[−﹣]/g;
const SPACES = /\s+/g;

function fix(n: number): number {
  return Number(n.toPrecision(15));
}

/** Value of one number token (arabic with optional magnitude, or a Chinese numeral). */
function tokenValue(arabic: string | undefined, mag: string | undefined, cn: string | undefined): number {
  if (arabic !== undefined) return fix(Number(arabic) * (mag ? MAGNITUDE[mag] : 1));
  return cn === undefined ? NaN : chineseNumber(cn);
}

/**
 * Parses a quantity cell. Blank for empty cells and placeholders; invalid (with the original text) for anything that
 * is not a number with at most a measure word.
 * @example parseQuantity("2~3次") // { kind: "number", value: 2, unit: "次", lossy: true, original: "2~3次" }
 * @example parseQuantity("1.5万人次") // { kind: "number", value: 15000, unit: "人次", lossy: false, original: "1.5万人次" }
 */
export function parseQuantity(value: unknown): QuantityResult {
  if (value === null || value === undefined) return { kind: "blank" };
  if (typeof value === "number") {
    return Number.isFinite(value)
      ? { kind: "number", value, unit: "", lossy: false, original: String(value) }
      : { kind: "invalid", original: String(value) };
  }
  const original = cleanText(value);
  if (!original) return { kind: "blank" };
  if (typeof value !== "string" || original.length > 60) return { kind: "invalid", original };
  let t = toHalfWidth(original).toLowerCase().replace(SPACES, "");
  if (PLACEHOLDER.test(t)) return { kind: "blank" };
  t = t.replace(MINUS, "-").replace(THOUSANDS, "$1").replace(RANGE_WORDS, "~").replace(RANGE_DASH, "$1~");
  let lossy = false;
  const tail = APPROX_TAIL.exec(t);
  if (tail && tail.index > 0) {
    t = t.slice(0, tail.index);
    lossy = true;
  }
  const m = QUANTITY.exec(t);
  if (!m) return { kind: "invalid", original };
  const [, prefix, sign, a, aMag, aCn, , b, _bMag, bCn, approx, unitRaw] = m;
  if (prefix && !EXACT_PREFIX.has(prefix)) lossy = true;
  if (approx) lossy = true;
  let unit = unitRaw ?? "";
  let mag: string | undefined = aMag;
  let cn: string | undefined = aCn;
  if (b !== undefined || bCn !== undefined) lossy = true; // a range counts at its lower bound
  if (unit && MAGNITUDE_UNIT.test(unit) && b === undefined && bCn === undefined) {
    // The magnitude is part of the unit: 5万元 → 5 万元, 一百二十万元 → 120 万元.
    if (mag && mag !== "k") {
      unit = mag + unit;
      mag = undefined;
    } else if (cn && /[万千百亿]$/.test(cn) && cn.length > 1) {
      unit = cn.slice(-1) + unit;
      cn = cn.slice(0, -1);
    }
  }
  let v = tokenValue(a, mag, cn);
  if (!Number.isFinite(v)) return { kind: "invalid", original };
  if (sign === "-") v = -v;
  if (unit === "%") v = fix(v / 100);
  return { kind: "number", value: v, unit, lossy, original };
}
