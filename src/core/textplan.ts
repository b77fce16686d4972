import { formatBoth } from "./i18n";
import { SUMMARY_CATALOGS } from "./labels";
import { normalizeMonth, parseMonthKey } from "./month";
import { parseQuantity } from "./quantity";
import { cleanText, clip } from "./text";
import { ANNUAL, type Bucket, type Field, type Lang, type Period, type PlanRow, type Severity } from "./types";

/**
 * Written plans (pasted from a document) → plan rows.
 *
 * The text is read line by line:
 * - **Month headings** set the month of the items under them: `一、xx年9月份工作`, `四、xx年3~4月份工作` (a range counts
 *   in its last month), `五、20xx年5月份`, `September`, `Sep 2025:`, `October–November`, `## 9月`. Placeholder years
 *   (xx, 20xx, 20__) and month-only headings take the year that puts them inside the plan period.
 * - **Whole-period headings** (`常规工作`, `全年`, `Ongoing`, `Routine`) put their items in the annual bucket; text after
 *   their colon (`常规工作:每周召开理事例会`) is an item.
 * - **Other headings** (`一、科普宣传`, `# Outreach`, a short line ending in a colon) become the category of the items
 *   under them; a heading of the same kind as the month heading also ends that month.
 * - **Items** start with `1.` `1、` `(1)` `（1）` `（一）` `①` `-` `•` (or a number run into the text, `3心理角…`). A new
 *   marker style nests one level deeper, a style seen before returns to its level. An item with sub-items is not a
 *   row (unless it states a quantity of its own): its text becomes the category of its sub-items, which inherit its
 *   owner and month; a description paragraph under such a parent is not carried into the rows.
 * - Unmarked lines continue the marked item above them (its notes; an owner label there still counts). With no item
 *   open, they are items under a month or whole-period heading (`常规工作` lists) and skipped elsewhere (titles,
 *   preambles) — unless the text has no headings and no markers at all, when every line is an item.
 * - **Owners**: `责任单位：X` (also 责任部门, 牵头, 承办, 负责人, Owner, Lead, Responsible), `（X负责）`, `由X负责` (also
 *   承办, 牵头, 组织, 主办), `X负责…`, `led by X`, and `(X)` — or X alone after a space or comma closing the item
 *   (`召开理事会 科普部`) — when X is an owner named elsewhere in the text or in `knownOwners`. Several owners → the first leads, the rest are co-owners. None → empty owner and a finding.
 * - **Quantities**: a number and measure word (`开展2~3次团训活动` → target 2, unit 次, wording `2~3次` kept;
 *   `6 issues`), not a frequency (`每周一次`, `每次5~6人`) nor an ordinal (`第3届`). An item listing several
 *   quantified activities (`2~3次团训活动，2次心理小广播`) becomes one row each.
 * Total: any text yields rows and findings; a malformed period is a programming error (RangeError).
 */

export type TextPlanRow = PlanRow & {
  /** The text line the row came from (trimmed). */
  source: string;
  /** 1-based line number of `source`. */
  line: number;
};

export type TextPlanFindingCode = "owner.missing" | "month.missing" | "month.outsidePeriod" | "items.none";

/** A problem with the pasted text, tied to a line (0 for the whole text). */
export type TextPlanFinding = {
  line: number;
  code: TextPlanFindingCode;
  severity: Severity;
  field: Field | null;
  /** The text concerned (activity or heading), clipped. */
  value: string;
  message: Record<Lang, string>;
};

export type TextPlanOptions = {
  period: Period;
  /** Owners known from the plan sheet, so `(科普部)` after an item reads as its owner. */
  knownOwners?: readonly string[];
  /** Categories of the open ledger: `科普宣传：开展讲座` under no heading takes the category 科普宣传. */
  knownCategories?: readonly string[];
  /** Measure words of the open ledger besides the built-in ones (`3批次` when the ledger counts 批次). */
  knownUnits?: readonly string[];
};

export type TextPlanResult = { rows: TextPlanRow[]; findings: TextPlanFinding[] };

// ---- line classification ----------------------------------------------------------------------------------------

type MonthContext = { bucket: Bucket | null; original: string; lossy: boolean; outside: boolean };

type HeadingKind = "markdown" | "zh" | "bare";

type LineInfo =
  | { kind: "blank" }
  | {
      kind: "heading";
      headingKind: HeadingKind;
      level: number;
      month: MonthContext | null;
      text: string;
      inline: string;
    }
  | { kind: "item"; style: string; text: string }
  | { kind: "text"; text: string };

const MD_HEADING = /^(#{1,6})\s*(.*)$/;
const ZH_HEADING = /^([一二三四五六七八九十]{1,3})\s*[、.．]\s*(.*)$/;
const MARKERS: { type: string; re: RegExp }[] = [
  { type: "num", re: /^\d{1,3}\s*[.．、)）](?!\d)\s*/ },
  { type: "paren", re: /^[（(]\s*\d{1,3}\s*[)）]\s*[.．、]?\s*/ },
  { type: "zhparen", re: /^[（(]\s*[一二三四五六七八九十]{1,3}\s*[)）]\s*[.．、]?\s*/ },
  { type: "circled", re: /^[①-⑳]\s*[.．、]?\s*/ },
  { type: "bullet", re: /^[-*•·●○▪■◆◇►]\s*(?:\[[ xX]\]\s*)?/ },
  // "3心理角的常规活动": a number run straight into the text, unless it is a date, count or grade (3月, 10级).
  { type: "num", re: /^\d{1,2}(?=[\u4e00-\u9fff“"《])(?![年月日号次个期场件人项名天周级届班岁元万千百点时分])/ },
];
const LEADING_PUNCT = /^[.．、,，:：;；\s]+/;
const COLON = /[：:]/;
const HEADING_SUFFIX_ZH = /(?:的)?(?:工作|活动)?(?:安排|计划|重点|要点|任务|内容|事项)?$/;
const HEADING_SUFFIX_EN = /\s+(?:plan|plans|activities|work|tasks|items|goals)$/i;
// Bare lines (no heading marker) count as whole-period headings only with these exact wordings.
const ANNUAL_HEADING =
  /^(?:常规|日常|全年|全年度|常年|长期|常态化|经常性|例行)(?:性)?(?:工作|活动|事项|任务)?$|^(?:ongoing|routine|all[ -]year|annual|year[ -]round|throughout the year|regular|recurring)(?:\s+(?:work|activities|tasks|items))?$/i;

function indentWidth(raw: string): number {
  let w = 0;
  for (const ch of raw) {
    if (ch === " " || ch === "\u00a0") w += 1;
    else if (ch === "\t") w += 4;
    else if (ch === "\u3000") w += 2;
    else break;
  }
  return w;
}

/** A heading's month: a month inside the period, annual, outside the period, or null when it names no month. */
function headingMonth(text: string, period: Period, strictAnnual: boolean): MonthContext | null {
  const h = text
    .replace(/[：:]\s*$/, "")
    .replace(HEADING_SUFFIX_EN, "")
    .trim();
  const core = h.replace(HEADING_SUFFIX_ZH, "").trim() || h;
  if (!core || core.length > 30 || /^\d+$/.test(core)) return null;
  if (ANNUAL_HEADING.test(core)) return { bucket: ANNUAL, original: core, lossy: false, outside: false };
  const r = normalizeMonth(core, period);
  if (r.kind === "month") return { bucket: r.bucket, original: core, lossy: r.lossy, outside: false };
  if (r.kind === "annual" && !strictAnnual) return { bucket: ANNUAL, original: core, lossy: r.lossy, outside: false };
  if (r.kind === "invalid" && r.reason === "outsidePeriod")
    return { bucket: null, original: core, lossy: false, outside: true };
  return null;
}

function classify(raw: string, period: Period): LineInfo {
  const t = cleanText(raw);
  if (!t) return { kind: "blank" };

  const md = MD_HEADING.exec(t);
  if (md) return heading("markdown", md[1].length, md[2], period);
  const zh = ZH_HEADING.exec(t);
  if (zh) return heading("zh", 1, zh[2], period);

  for (const { type, re } of MARKERS) {
    const m = re.exec(t);
    if (m) {
      const indent = Math.floor(indentWidth(raw) / 2);
      return { kind: "item", style: `${type}@${indent}`, text: t.slice(m[0].length).replace(LEADING_PUNCT, "") };
    }
  }

  // A bare line is a heading when it is a month or whole-period wording, alone or before a colon.
  const whole = headingMonth(t, period, true);
  if (whole && t.length <= 30)
    return { kind: "heading", headingKind: "bare", level: 1, month: whole, text: t, inline: "" };
  const colon = COLON.exec(t);
  if (colon && colon.index > 0 && colon.index <= 20) {
    const head = t.slice(0, colon.index);
    const rest = t.slice(colon.index + 1).trim();
    const month = headingMonth(head, period, true);
    if (month) return { kind: "heading", headingKind: "bare", level: 1, month, text: head, inline: rest };
    if (!rest) return { kind: "heading", headingKind: "bare", level: 1, month: null, text: head, inline: "" };
  }
  return { kind: "text", text: t };
}

function heading(headingKind: HeadingKind, level: number, body: string, period: Period): LineInfo {
  const text = body.trim();
  const colon = COLON.exec(text);
  if (colon && colon.index > 0) {
    const head = text.slice(0, colon.index);
    const month = headingMonth(head, period, false);
    if (month)
      return { kind: "heading", headingKind, level, month, text: head, inline: text.slice(colon.index + 1).trim() };
  }
  const month = headingMonth(text, period, false);
  return { kind: "heading", headingKind, level, month, text: text.replace(/[：:]\s*$/, ""), inline: "" };
}

// ---- the item tree ------------------------------------------------------------------------------------------------

type Node = {
  line: number;
  source: string;
  text: string;
  extra: string[];
  marked: boolean;
  month: MonthContext | null;
  section: string;
  parent: Node | null;
  children: Node[];
};

function buildTree(lines: readonly string[], period: Period): Node[] {
  const infos = lines.map((l) => classify(l, period));
  const structured = infos.some((i) => i.kind === "heading" || i.kind === "item");
  const roots: Node[] = [];
  let month: MonthContext | null = null;
  let monthHeading: { kind: HeadingKind; level: number } | null = null;
  let section = "";
  // Unstructured text (no headings, no markers): every line is an item. Otherwise unmarked lines are items only under
  // a month or whole-period heading, and lines before any heading are a preamble.
  const context = structured;
  let stack: { style: string; node: Node }[] = [];

  const add = (node: Node, parent: Node | null) => {
    node.parent = parent;
    if (parent) parent.children.push(node);
    else roots.push(node);
  };
  const newNode = (i: number, text: string, marked: boolean): Node => ({
    line: i + 1,
    source: cleanText(lines[i]),
    text,
    extra: [],
    marked,
    month,
    section,
    parent: null,
    children: [],
  });

  infos.forEach((info, i) => {
    if (info.kind === "blank") return;
    const top = stack.length ? stack[stack.length - 1].node : null;
    // A short "label:" line inside an item (具体安排如下：) belongs to the item, not the outline.
    if (info.kind === "heading" && info.headingKind === "bare" && !info.month && top) {
      top.extra.push(cleanText(lines[i]));
      return;
    }
    if (info.kind === "heading") {
      stack = [];
      if (info.month) {
        month = info.month;
        monthHeading = { kind: info.headingKind, level: info.level };
        section = "";
        if (info.inline) add(newNode(i, info.inline, false), null);
      } else {
        // A section heading ends the month unless it is clearly nested under the month heading (## under #, 一、 under #).
        if (monthHeading && !nestedUnder(info.headingKind, info.level, monthHeading)) {
          month = null;
          monthHeading = null;
        }
        section = info.text;
      }
      return;
    }
    if (info.kind === "item") {
      const at = stack.findIndex((s) => s.style === info.style);
      if (at >= 0) stack = stack.slice(0, at);
      const parent = stack.length ? stack[stack.length - 1].node : null;
      const node = newNode(i, info.text, true);
      add(node, parent);
      stack.push({ style: info.style, node });
      return;
    }
    if (top) top.extra.push(info.text);
    else if (month || !context) add(newNode(i, info.text, false), null);
  });
  return roots;
}

function nestedUnder(kind: HeadingKind, level: number, month: { kind: HeadingKind; level: number }): boolean {
  if (month.kind !== "markdown") return false;
  return kind === "zh" || (kind === "markdown" && level > month.level);
}

// ---- owners -------------------------------------------------------------------------------------------------------

const LABELED_OWNER =
  /[（(【[]?\s*(?:责任(?:单位|部门|科室|处室|人)|牵头(?:单位|部门|人)?|承办(?:单位|部门)?|负责(?:单位|部门|人)|主办(?:单位)?|owner|lead|responsible|assignee)\s*[：:]\s*([^；;，,。\n（）()【】[\]]+?)\s*(?:[）)】\]]|(?=[；;，,。]|\.(?:\s|$)|$))/giu;
const PAREN_DUTY = /[（(]([^（）()]{1,20}?)负责[）)]/gu;
const BY_OWNER = /由([^，,。；;：:（）()由]{1,20}?)(?:负责|承办|牵头|组织|主办|落实)(?!人)/gu;
// "…，由学会部负责" as a clause of its own says only who: it is cut from the activity.
const BY_OWNER_CLAUSE =
  /(^|[，,；;])\s*由[^，,。；;：:（）()由]{1,20}?(?:负责|承办|牵头|主办)(?!人)\s*(?=[，,。；;.]|$)/gu;
const OWNER_DUTY = /(?:^|[，,。；;：:\s])([^，,。；;：:\s（）()由]{2,15}?)负责(?!人)/u;
const LED_BY = /\s*[—–-]*\s*\bled by ([^,;.()]+)/iu;
const PAREN = /[（(]([^（）()]{1,30})[）)]/gu;
const OWNER_SPLIT = /\s*(?:、|\/|／|&|＆|\band\b)\s*/u;
const NOT_OWNER = new Set([
  "主要",
  "具体",
  "专门",
  "共同",
  "全面",
  "分别",
  "各自",
  "统一",
  "直接",
  "亲自",
  "专人",
  "主动",
]);

type Owners = { owners: string[]; text: string };

/** Owners named by labels or duty phrases; labels and （X负责） are cut out of the text, sentences keep their wording. */
function findOwners(text: string): Owners {
  const owners: string[] = [];
  const push = (s: string) => {
    for (const part of s.split(OWNER_SPLIT)) {
      const o = cleanText(part).replace(/[。.]+$/, "");
      if (o && !NOT_OWNER.has(o) && !owners.includes(o)) owners.push(o);
    }
  };
  let rest = text.replace(LABELED_OWNER, (_whole, x: string) => {
    push(x);
    return "";
  });
  rest = rest.replace(PAREN_DUTY, (_whole, x: string) => {
    push(x);
    return "";
  });
  for (const m of rest.matchAll(BY_OWNER)) push(m[1]);
  rest = rest.replace(BY_OWNER_CLAUSE, "");
  if (!owners.length) {
    const m = OWNER_DUTY.exec(rest);
    if (m) push(m[1]);
  }
  rest = rest.replace(LED_BY, (whole, x: string) => {
    if (owners.length) return whole;
    push(x);
    return "";
  });
  return { owners, text: tidy(rest) };
}

// What an organisation's name ends with (办公室, 科普部, 秘书处, 青少年科技中心, 团委 …).
const ORG_SUFFIX_ZH =
  /(?:部|室|处|科|办|会|组|中心|委|局|站|所|队|团|社|院|校|馆|厅|股|班|小组|协会|学会|支部|分会|工作组|专班)$/u;
const ORG_EN = /^[A-Z][\w&'.-]*(?:\s+(?:[A-Z][\w&'.-]*|of|and|for|the|&))*$/u;
const TRAILING_PAREN = /[（(]([^（）()]{1,40})[）)]\s*[。.；;，,]?\s*$/u;

/** A bracket's text that reads as owners: 办公室, 科普部、学会部, Office, Outreach Team — not 线上, online, 第3届. */
function ownerLike(part: string, known: ReadonlySet<string>): boolean {
  if (known.has(part)) return true;
  if (/\d/.test(part)) return false;
  if (/^[\u4e00-\u9fff]{2,15}$/u.test(part)) return ORG_SUFFIX_ZH.test(part);
  return part.split(/\s+/).length <= 5 && ORG_EN.test(part);
}

/**
 * `（办公室）` / `(Office)` closing an item: its owners when every name in the bracket reads as an owner (a known owner,
 * or a name ending like an organisation's), cut from the text.
 */
function trailingOwners(text: string, known: ReadonlySet<string>): Owners {
  const m = TRAILING_PAREN.exec(text);
  if (!m) return { owners: [], text };
  const parts = m[1]
    .split(OWNER_SPLIT)
    .map((p) => cleanText(p))
    .filter((p) => p !== "");
  if (!parts.length || !parts.every((p) => ownerLike(p, known))) return { owners: [], text };
  return { owners: [...new Set(parts)], text: tidy(text.slice(0, m.index)) };
}

/**
 * The owners an activity names in brackets, `(X)` with X a known owner or a bracket closing the text whose names read as
 * owners; the activity without them. For rows parsed before the ledger's owners were at hand (importRows).
 * @example ownersInBrackets("科技周（青少年科技教育）", ["青少年科技教育"]) // { owners: ["青少年科技教育"], text: "科技周" }
 */
export function ownersInBrackets(text: string, knownOwners: readonly string[]): { owners: string[]; text: string } {
  const known = new Set(knownOwners.map((o) => cleanText(o)).filter((o) => o !== ""));
  const paren = knownOwnerInParens(text, known);
  return paren.owners.length ? paren : trailingOwners(text, known);
}

/**
 * Known owners closing the text after a space or comma, with no bracket (`召开理事会 科普部`, `Board meeting, Office`):
 * only names the ledger or the text already has as owners, so `开展讲座 青少年` keeps its last word.
 */
function knownOwnersAtEnd(text: string, known: ReadonlySet<string>): Owners {
  const m =
    /^(.*?\S)[\s\u3000]*[\s\u3000，,；;][\s\u3000]*([^\s\u3000，,；;]+(?:[、\/][^\s\u3000，,；;、\/]+)*)\s*[。.]?$/u.exec(
      text,
    );
  if (!m) return { owners: [], text };
  const parts = m[2]
    .split(/[、/]/)
    .map((p) => cleanText(p))
    .filter((p) => p !== "");
  if (!parts.length || !parts.every((p) => known.has(p))) return { owners: [], text };
  return { owners: [...new Set(parts)], text: tidy(m[1]) };
}

/** `(X)` naming a known owner: the owner, cut out of the text. */
function knownOwnerInParens(text: string, known: ReadonlySet<string>): Owners {
  const owners: string[] = [];
  const rest = text.replace(PAREN, (whole, x: string) => {
    const o = cleanText(x);
    if (!known.has(o)) return whole;
    if (!owners.includes(o)) owners.push(o);
    return "";
  });
  return { owners, text: tidy(rest) };
}

// ---- quantities ---------------------------------------------------------------------------------------------------

const ZH_UNITS = [
  "万人次",
  "人次",
  "场次",
  "家次",
  "期次",
  "课时",
  "小时",
  "万元",
  "次",
  "期",
  "件",
  "个",
  "场",
  "篇",
  "项",
  "家",
  "份",
  "名",
  "人",
  "条",
  "所",
  "处",
  "本",
  "批",
  "届",
  "轮",
  "节",
  "套",
  "台",
  "幅",
  "张",
  "册",
  "支",
  "队",
  "组",
  "天",
  "元",
  "户",
  "门",
  "堂",
  "%",
];
/**
 * The Chinese quantity pattern over a list of measure words (longest first, so 人次 wins over 次). A number starts where
 * its run of digits (or numerals) starts: a match from inside a run would read only the tail of a number, and trying
 * every position of the run made a 32,000-digit line without a measure word take quadratic time (28 s).
 */
function zhQuantity(units: readonly string[]): RegExp {
  return new RegExp(
    String.raw`(约|近|共|累计|达到|达|不少于)?((?<!\d)\d+(?:\.\d+)?(?:\s*[~～\-—–至到]\s*\d+(?:\.\d+)?)?\s*[万千]?|(?<![一二两三四五六七八九十百千万零])[一二两三四五六七八九十][一二两三四五六七八九十百千万零]*)(余|多)?(${units.map(escapeRegExp).join("|")})(?!月|年|星期|小时|工作日|钟|以后|以前|之后|之前|后|前|内|以内|门|长|员|委|级)`,
    "gu",
  );
}
const ZH_QTY = zhQuantity(ZH_UNITS);

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Quantity patterns: the built-in measure words, plus those of the open ledger. */
type Units = { zh: RegExp; en: ReadonlySet<string> };
const BUILT_IN: Units = { zh: ZH_QTY, en: new Set() };

function unitsWith(known: readonly string[] | undefined): Units {
  const extra = (known ?? []).map((u) => cleanText(u)).filter((u) => u !== "" && u.length <= 6 && !/\d/.test(u));
  if (!extra.length) return BUILT_IN;
  const zh = [...new Set([...ZH_UNITS, ...extra.filter((u) => /[\u4e00-\u9fff%]/u.test(u))])];
  zh.sort((a, b) => b.length - a.length);
  return {
    zh: zhQuantity(zh),
    en: new Set(extra.filter((u) => /^[a-z][a-z -]*$/i.test(u)).map((u) => u.toLowerCase())),
  };
}

const EN_UNITS = new RegExp(
  "^(?:sessions?|times|issues?|events?|workshops?|talks?|lectures?|articles?|posts?|people|participants?|visits?|meetings?|reports?|broadcasts?|classes|class|courses?|trainings?|campaigns?|videos?|editions?|copies|schools?|volunteers?|members?|hours?|days?|activities|activity|projects?|seminars?|exhibitions?|competitions?|surveys?|newsletters?|stories|items?|rounds?|groups?|teams?|households?|visitors?|students?)$",
  "i",
);
// A number and the up to three words after it; the measure word is the last unit word before a preposition
// ("2-3 group training sessions" → sessions, "6 issues of the newsletter" → issues).
const EN_QTY =
  /\b(?:(about|around|approx\.?|at least|over|up to)\s+)?(\d+(?:\.\d+)?(?:\s*(?:-|–|~|to)\s*\d+(?:\.\d+)?)?)\+?((?:\s+[a-z][a-z-]*){1,3})/giu;
const EN_STOP = /^(?:of|for|to|with|in|on|at|by|about|and|or|per|each|every|from|the|a|an)$/i;
// Characters before a number that make it an ordinal, a frequency or part of a word, not a target.
const NOT_BEFORE_NUM = /[\d.a-zA-Z第每前这那哪某各几统唯同逐专单之万]$/;
const CLAUSE_BREAK = /[，,。；;：:!?！？]/;
const FREQUENCY_ZH = /每/;
const FREQUENCY_EN = /\b(?:every|each|per|weekly|monthly|daily)\b/i;

/**
 * A number and measure word. `outcome` marks a result measure of the activity (受益群众达1万人次, reaching 500 people),
 * which neither splits an item nor wins over the activity's own quantity.
 */
type Quantity = { index: number; value: number; unit: string; wording: string; lossy: boolean; outcome: boolean };

const OUTCOME = /(?:受益|覆盖|惠及|辐射|人数|reach(?:ing|es)?|benefit(?:ing|s)?)/iu;
const OUTCOME_PREFIX = /^(?:达到|达|累计|共)$/u;
const APPROX_PREFIX = /^(?:约|近|不少于)$/u;

function clauseBefore(text: string, index: number): string {
  let start = index;
  while (start > 0 && !CLAUSE_BREAK.test(text[start - 1])) start--;
  return text.slice(start, index);
}

/** Quantified activities in a text, in order; frequencies, ordinals and numbers inside words are skipped. */
function findQuantities(text: string, units: Units = BUILT_IN): Quantity[] {
  const out: Quantity[] = [];
  for (const m of text.matchAll(units.zh)) {
    const index = m.index ?? 0;
    const numStart = index + (m[1]?.length ?? 0);
    if (NOT_BEFORE_NUM.test(text.slice(0, numStart))) continue;
    if (FREQUENCY_ZH.test(clauseBefore(text, index))) continue;
    // The prefix (约, 达到 …) is judged here; parseQuantity reads the number and measure word.
    const q = parseQuantity(m[0].slice(numStart - index));
    if (q.kind !== "number") continue;
    const outcome = OUTCOME.test(clauseBefore(text, index)) || OUTCOME_PREFIX.test(m[1] ?? "");
    const lossy = q.lossy || APPROX_PREFIX.test(m[1] ?? "");
    out.push({ index, value: q.value, unit: q.unit || m[4], wording: m[0], lossy, outcome });
  }
  for (const m of text.matchAll(EN_QTY)) {
    const index = m.index ?? 0;
    if (FREQUENCY_EN.test(clauseBefore(text, index))) continue;
    let unit = "";
    for (const word of m[3].trim().split(/\s+/)) {
      if (EN_STOP.test(word)) break;
      if (EN_UNITS.test(word) || units.en.has(word.toLowerCase())) unit = word;
    }
    if (!unit) continue;
    const numeric = m[2].replace(/\s*(?:-|–|to)\s*/i, "~");
    const q = parseQuantity(numeric);
    if (q.kind !== "number") continue;
    const lossy = q.lossy || m[1] !== undefined;
    const outcome = OUTCOME.test(clauseBefore(text, index));
    out.push({ index, value: q.value, unit, wording: `${m[2]} ${unit}`, lossy, outcome });
  }
  return out.sort((a, b) => a.index - b.index);
}

/** The quantity that is the activity's target: the first that is not an outcome measure, else the first. */
function targetOf(text: string, units: Units = BUILT_IN): Quantity | undefined {
  const all = findQuantities(text, units);
  return all.find((q) => !q.outcome) ?? all[0];
}

function hasActivityQuantity(text: string, units: Units = BUILT_IN): boolean {
  return findQuantities(text, units).some((q) => !q.outcome);
}

const SPLIT = /([，,；;。、]|\s+and\s+|\s*\band\b\s*(?=\d))/giu;

/** Splits an item listing several quantified activities into one text per activity (commas, 、, "and"). */
function splitByQuantity(text: string, units: Units = BUILT_IN): string[] {
  const parts = text.split(SPLIT);
  // Each group is its text so far and the delimiter after it, which is dropped when the group ends.
  const groups: { text: string; delim: string; quantified: boolean }[] = [];
  for (let i = 0; i < parts.length; i += 2) {
    const piece = parts[i];
    const delim = parts[i + 1] ?? "";
    const quantified = hasActivityQuantity(piece, units);
    const cur = groups[groups.length - 1];
    if (cur && !(quantified && cur.quantified)) {
      cur.text += cur.delim + piece;
      cur.delim = delim;
      cur.quantified ||= quantified;
    } else groups.push({ text: piece, delim, quantified });
  }
  const texts = groups.map((g) => tidy(g.text)).filter((t) => t !== "");
  return groups.filter((g) => g.quantified).length >= 2 ? texts : [text];
}

// ---- emitting rows ------------------------------------------------------------------------------------------------

const TRAILING = /[\s，,；;。.、：:]+$/u;
const EMPTY_BRACKETS = /[（(【[]\s*[）)】\]]/gu;
const SENTENCE_END = /[。！？!?；;]|\.(?=\s|$)/u;
const CJK_END = /[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]$/u;
const CJK_START = /^[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]/u;
const ITEM_MONTH_ZH = /^((?:(?:\d{4}|xx|20xx|20__)年)?\d{1,2}(?:\s*[~～\-—–至到]\s*\d{1,2})?月份?)\s*[：:，,、]\s*/iu;
const ITEM_MONTH_EN =
  /^((?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?(?:\s*[-–]\s*(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?)?(?:\s+\d{4})?)\s*[:：]\s*/iu;

function tidy(s: string): string {
  return cleanText(s.replace(EMPTY_BRACKETS, "")).replace(LEADING_PUNCT, "").replace(TRAILING, "");
}

function joinText(parts: readonly string[]): string {
  // Only the last character so far decides the separator: testing CJK_END on the whole text joined so far made an
  // item with 100,000 continuation lines quadratic (issue 15).
  const out: string[] = [];
  let last = "";
  for (const p of parts) {
    if (!out.length) {
      if (p) {
        out.push(p);
        last = p.slice(-1);
      }
      continue;
    }
    const sep = CJK_END.test(last) || CJK_START.test(p) ? "" : " ";
    out.push(sep, p);
    if (sep + p) last = (sep + p).slice(-1);
  }
  return out.join("");
}

/** An item's own month written at its start (`9月：…`, `Sep: …`), cut from its text. */
function itemMonth(text: string, period: Period): { month: MonthContext | null; text: string } {
  const m = ITEM_MONTH_ZH.exec(text) ?? ITEM_MONTH_EN.exec(text);
  if (!m) return { month: null, text };
  const month = headingMonth(m[1], period, true);
  return month ? { month, text: text.slice(m[0].length) } : { month: null, text };
}

type Resolved = { text: string; owners: string[]; month: MonthContext | null; category?: string };

/**
 * Parses a written plan into plan rows, each with its source line, plus findings (missing owner, item outside any
 * month heading, heading month outside the period, no items at all) with messages in both languages.
 * @example parseTextPlan("一、xx年11月份工作\n1.在桐梓坡小学开展2~3次团训活动，2次心理小广播（心康部负责）", { period })
 * // rows: 在桐梓坡小学开展2~3次团训活动 (2 次, 心康部, 2025-11) and 2次心理小广播 (2 次, 心康部, 2025-11)
 */
export function parseTextPlan(text: string, opts: TextPlanOptions): TextPlanResult {
  const { period } = opts;
  if (!parseMonthKey(period.start) || !parseMonthKey(period.end)) {
    throw new RangeError(`Malformed period: ${String(period.start)}–${String(period.end)}`);
  }
  const lines = String(text ?? "").split(/\r\n|\r|\n/);
  const roots = buildTree(lines, period);
  const units = unitsWith(opts.knownUnits);
  const categories = new Set((opts.knownCategories ?? []).map((c) => cleanText(c)).filter((c) => c !== ""));

  // First pass: owners and months each item names itself, so `(X)` can be matched against every owner seen.
  const resolved = new Map<Node, Resolved>();
  const known = new Set((opts.knownOwners ?? []).map((o) => cleanText(o)).filter((o) => o !== ""));
  const visit = (node: Node) => {
    const own = itemMonth(node.text, period);
    const found = findOwners(joinText([own.text, ...node.extra]));
    const head = findOwners(own.text);
    resolved.set(node, { text: head.text, owners: found.owners, month: own.month });
    found.owners.forEach((o) => known.add(o));
    node.children.forEach(visit);
  };
  roots.forEach(visit);
  for (const r of resolved.values()) {
    // `科普宣传：开展讲座` where 科普宣传 is a category of the open ledger: the category, cut from the activity.
    const pre = /^([^：:，,。；;]{1,20})[：:]\s*(?=\S)/u.exec(r.text);
    if (pre && categories.has(cleanText(pre[1]))) {
      r.category = cleanText(pre[1]);
      r.text = r.text.slice(pre[0].length);
    }
  }
  for (const [node, r] of resolved) {
    if (r.owners.length) continue;
    const paren = knownOwnerInParens(joinText([r.text, ...node.extra]), known);
    if (paren.owners.length) {
      r.owners = paren.owners;
      r.text = knownOwnerInParens(r.text, known).text;
      continue;
    }
    const trailing = trailingOwners(r.text, known);
    if (trailing.owners.length) {
      r.owners = trailing.owners;
      r.text = trailing.text;
      continue;
    }
    const bare = knownOwnersAtEnd(r.text, known);
    if (bare.owners.length) {
      r.owners = bare.owners;
      r.text = bare.text;
    }
  }

  const rows: TextPlanRow[] = [];
  const findings: TextPlanFinding[] = [];
  const finding = (
    line: number,
    code: TextPlanFindingCode,
    field: Field | null,
    value: string,
    params: Record<string, string | number> = {},
  ) =>
    findings.push({
      line,
      code,
      severity: code === "items.none" ? "error" : "warning",
      field,
      value,
      message: formatBoth(SUMMARY_CATALOGS, `textplan.${code}`, { line, value, ...params }),
    });

  const reported = new Set<string>();
  const emit = (node: Node) => {
    const r = resolved.get(node) as Resolved;
    // A parent item is a heading for its sub-items, unless it states a quantity of its own: then it is a row too.
    if (node.children.length && !hasActivityQuantity(r.text, units)) {
      node.children.forEach(emit);
      return;
    }
    let ownerFrom: Node | null = node;
    while (ownerFrom && !resolved.get(ownerFrom)?.owners.length) ownerFrom = ownerFrom.parent;
    const owners = ownerFrom ? (resolved.get(ownerFrom) as Resolved).owners : [];
    let monthFrom: Node | null = node;
    while (monthFrom && !resolved.get(monthFrom)?.month) monthFrom = monthFrom.parent;
    let root = node;
    while (root.parent) root = root.parent;
    const month = monthFrom ? (resolved.get(monthFrom) as Resolved).month : root.month;
    const category = r.category ?? (node.parent ? label(node.parent) : root.section);

    const sentence = SENTENCE_END.exec(r.text);
    const first = sentence ? r.text.slice(0, sentence.index) : r.text;
    const restOfText = sentence ? r.text.slice(sentence.index + sentence[0].length) : "";
    const pieces = splitByQuantity(r.text, units);
    const activities = pieces.length > 1 ? pieces : [tidy(first)];
    const notes = tidy(joinText(pieces.length > 1 ? node.extra : [restOfText, ...node.extra].filter((s) => s)));
    const cleanNotes = findOwners(notes).text;

    for (const activity of activities) {
      if (!activity) continue;
      const q = targetOf(pieces.length > 1 ? activity : r.text, units);
      const originals: Partial<Record<Field, string>> = {};
      if (month?.lossy) originals.month = month.original;
      if (q?.lossy) originals.target = q.wording;
      rows.push({
        gridRow: rows.length,
        bucket: month?.bucket ?? null,
        activity,
        owner: owners[0] ?? "",
        coOwners: owners.slice(1),
        category,
        unit: q?.unit ?? "",
        target: q ? q.value : null,
        actual: null,
        status: "",
        notes: cleanNotes,
        originals,
        source: node.source,
        line: node.line,
      });
      const shown = clip(activity, 30);
      if (!owners.length) finding(node.line, "owner.missing", "owner", shown, { activity: shown });
      if (!month) finding(node.line, "month.missing", "month", shown, { activity: shown });
      else if (month.outside && !reported.has(month.original)) {
        reported.add(month.original);
        finding(node.line, "month.outsidePeriod", "month", month.original, { start: period.start, end: period.end });
      }
    }
    node.children.forEach(emit);
  };
  const label = (node: Node): string => {
    const r = resolved.get(node) as Resolved;
    const sentence = SENTENCE_END.exec(r.text);
    return tidy(sentence ? r.text.slice(0, sentence.index) : r.text);
  };
  roots.forEach(emit);

  if (!rows.length) finding(0, "items.none", null, "");
  return { rows, findings };
}
