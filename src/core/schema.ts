/**
 * The plan schema: which header texts name which field, in Chinese and English, and how well a header text matches.
 */
import { FIELDS, type Field } from "./types";
import { cleanText, toHalfWidth } from "./text";

/**
 * Header synonyms per field, best first: the order breaks ties (责任单位 beats 责任人 because departments group a
 * plan better than people). 完成情况 is listed under both actual and status; header detection decides by the data.
 */
export const SYNONYMS: Record<Field, { zh: string[]; en: string[] }> = {
  month: {
    zh: [
      "月份",
      "月度",
      "计划时间",
      "时间节点",
      "完成时限",
      "完成时间",
      "计划完成时间",
      "时限",
      "时间",
      "期间",
      "季度",
      "日期",
      "截止时间",
      "截止日期",
      "办结时限",
      "进度安排",
      "时间安排",
      "办结时间",
      "完成期限",
      "时间要求",
      "计划月份",
      "实施时间",
      "开展时间",
      "活动时间",
    ],
    en: [
      "month",
      "period",
      "due",
      "due date",
      "deadline",
      "target date",
      "date",
      "quarter",
      "timing",
      "timeline",
      "when",
      "schedule",
    ],
  },
  activity: {
    zh: [
      "工作任务",
      "工作事项",
      "工作内容",
      "重点工作",
      "任务名称",
      "项目名称",
      "活动名称",
      "督办事项",
      "具体措施",
      "工作项目",
      "活动内容",
      "任务内容",
      "主要任务",
      "重点任务",
      "工作措施",
      "具体举措",
      "工作举措",
      "主要措施",
      "具体任务",
      "具体工作",
      "子任务",
      "举措",
      "措施",
      "活动",
      "任务",
      "事项",
      "内容",
      "项目",
    ],
    en: [
      "activity",
      "task",
      "item",
      "work item",
      "action",
      "initiative",
      "deliverable",
      "description",
      "project",
      "key result",
      "key results",
      "kr",
    ],
  },
  owner: {
    zh: [
      "责任部门",
      "责任单位",
      "牵头单位",
      "牵头部门",
      "承办单位",
      "责任科室",
      "主办单位",
      "实施单位",
      "负责部门",
      "责任处室",
      "主责单位",
      "主责部门",
      "责任主体",
      "主办部门",
      "承办部门",
      "负责单位",
      "落实单位",
      "部门",
      "科室",
      "处室",
      "负责",
      "主办",
      "承办",
      "牵头",
      "负责人",
      "责任人",
      "经办人",
      "联系人",
    ],
    en: [
      "owner",
      "responsible",
      "lead",
      "assignee",
      "department",
      "dept",
      "business unit",
      "org unit",
      "team",
      "responsible person",
      "accountable",
    ],
  },
  coOwners: {
    zh: [
      "协办单位",
      "配合单位",
      "参与单位",
      "协办部门",
      "配合部门",
      "参与部门",
      "协助单位",
      "协同单位",
      "协作单位",
      "协办",
      "配合",
      "参与",
    ],
    en: ["co-owner", "co-owners", "supporting", "support", "supporting unit", "contributors", "collaborators"],
  },
  category: {
    zh: ["类别", "分类", "类型", "工作类别", "板块", "领域", "工作类型", "专项", "归口"],
    en: [
      "category",
      "type",
      "workstream",
      "program",
      "programme",
      "theme",
      "area",
      "stream",
      "objective",
      "objectives",
    ],
  },
  unit: {
    zh: ["计量单位", "单位", "量词", "计数单位"],
    en: ["unit", "uom", "units", "unit of measure"],
  },
  target: {
    zh: [
      "目标任务",
      "目标",
      "目标值",
      "计划数",
      "计划量",
      "任务数",
      "年度目标",
      "指标",
      "计划任务",
      "目标数",
      "任务量",
      "计划完成",
      "预期目标",
      "计划参与人数",
      "计划",
    ],
    en: ["target", "plan", "planned", "goal", "budget", "target value", "planned qty", "plan qty", "kpi"],
  },
  actual: {
    zh: [
      "实际完成",
      "完成数",
      "实际数",
      "完成量",
      "累计完成",
      "完成值",
      "已完成",
      "实际完成数",
      "实际参与人数",
      "实际",
      "完成情况",
      "完成",
    ],
    en: ["actual", "achieved", "completed", "done", "result", "actual value", "actuals", "delivered"],
  },
  status: {
    zh: [
      "状态",
      "进展情况",
      "进度",
      "办理状态",
      "是否完成",
      "是否办结",
      "办结情况",
      "完成与否",
      "推进情况",
      "落实情况",
      "完成情况",
      "办理进展",
      "办理情况",
      "进展",
    ],
    en: ["status", "progress", "state", "rag", "rag status"],
  },
  notes: {
    zh: ["备注", "说明", "存在问题", "下步措施", "情况说明", "下一步计划", "问题及建议", "附注"],
    en: ["notes", "note", "remarks", "comments", "comment", "issues", "next steps", "remark"],
  },
};

/**
 * Header words that mark a header row but name no field (序号, No.). They count a little towards "this row is a
 * header" and are reported as unmapped.
 */
export const NON_FIELD_HEADERS: readonly string[] = ["序号", "编号", "序", "no", "no.", "#", "id", "s/n", "sn", "ref"];

type Syn = { field: Field; text: string; rank: number; ascii: boolean; word?: RegExp; exactOnly: boolean };

/**
 * Synonyms that name their field only as the whole header: 单位 alone is the unit, but 责任单位, 配合单位 and 填报单位
 * name organisations; 参与 / 配合 alone are co-owners, but 参与人数 is a count.
 */
const EXACT_ONLY = new Set([
  "单位",
  "部门",
  "科室",
  "处室",
  "负责",
  "参与",
  "配合",
  "协办",
  "主办",
  "承办",
  "牵头",
  "kr",
  "support",
]);

// Bracketed hints such as 目标任务（次） or "Target (units)" and decorations like * or ： do not change the field.
const DECOR = /[*:：·•]|[(（][^)）]*[)）]|[（(][^)）]*$/g;
// Spaces only matter between ASCII words ("work item"); Chinese headers are often padded (备  注, 序 号).
const PAD_SPACE = / (?![a-z0-9])|(?<![a-z0-9]) /g;
const ASCII_ONLY = /^[\x20-\x7e]+$/;

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Normalises a header cell for matching: half-width, lower case, hints and decorations removed. */
export function normalizeHeader(text: string): string {
  const s = toHalfWidth(cleanText(text)).toLowerCase();
  const bare = s.replace(DECOR, "").trim().replace(PAD_SPACE, "");
  // Keep the inner text when the whole header is a bracketed hint.
  return bare || s.replace(/[\s*:：()（）]/g, "");
}

const SYN_LIST: Syn[] = [];
const EXACT = new Map<string, Syn[]>();
for (const field of FIELDS) {
  const { zh, en } = SYNONYMS[field];
  [...zh, ...en].forEach((raw, rank) => {
    const text = normalizeHeader(raw);
    const ascii = ASCII_ONLY.test(raw);
    // English synonyms match whole words only: "unit" must not hit "community".
    const word = ascii ? new RegExp(`(?:^|[^a-z])${escapeRe(raw.toLowerCase())}(?:[^a-z]|$)`) : undefined;
    const syn: Syn = { field, text, rank, ascii, word, exactOnly: EXACT_ONLY.has(raw.toLowerCase()) };
    SYN_LIST.push(syn);
    const list = EXACT.get(text) ?? [];
    list.push(syn);
    EXACT.set(text, list);
  });
}
const NON_FIELD = new Set(NON_FIELD_HEADERS.map(normalizeHeader));

/** True for header words such as 序号 that belong to a header row but name no field. */
export function isNonFieldHeader(text: string): boolean {
  return NON_FIELD.has(normalizeHeader(text));
}

/**
 * Scores a header text against every field: 1 for an exact synonym (minus a hair per rank, so earlier synonyms win
 * ties), 0.3–0.8 when the header contains a synonym (more when the synonym covers more of it), less for long texts.
 * Returns the fields that match at all, best first.
 * @example scoreHeader("责任单位")[0] // { field: "owner", score: 0.998 }
 */
export function scoreHeader(text: string): { field: Field; score: number }[] {
  const h = normalizeHeader(text);
  if (!h || h.length > 60) return [];
  const best = new Map<Field, number>();
  const put = (field: Field, score: number): void => {
    if (score > (best.get(field) ?? 0)) best.set(field, score);
  };
  const exact = EXACT.get(h);
  if (exact) for (const s of exact) put(s.field, 1 - s.rank * 0.001);
  // Longer headers are less likely to be headers at all (titles, data, 填报单位：xx).
  const lengthFactor = h.length <= 8 ? 1 : h.length <= 16 ? 0.8 : 0.5;
  for (const s of SYN_LIST) {
    if (s.exactOnly || s.text.length >= h.length) continue;
    const hit = s.word ? s.word.test(h) : h.includes(s.text);
    if (!hit) continue;
    put(s.field, (0.3 + 0.5 * (s.text.length / h.length) - s.rank * 0.001) * lengthFactor);
  }
  // Counts named by what they count: 计划参与人数, 预计服务人次 are targets; 实际参与人数, 完成场次 actuals.
  if (PLANNED_COUNT.test(h)) put("target", 0.9);
  if (ACTUAL_COUNT.test(h)) put("actual", 0.9);
  // 是否办结, 是否按期完成: a yes/no column is the item's status.
  if (YES_NO_HEADER.test(h)) put("status", 0.9);
  return [...best.entries()].map(([field, score]) => ({ field, score })).sort((a, b) => b.score - a.score);
}

const PLANNED_COUNT =
  /^(?:计划|目标|预计|预期|拟|应)\S{0,8}(?:数|量|人数|人次|次数|场次|规模|值)$|^(?:planned|target(?:ed)?)\s+\w+/;
const ACTUAL_COUNT =
  /^(?:实际|已完成|完成|累计|实到)\S{0,8}(?:数|量|人数|人次|次数|场次|值)$|^(?:actual|achieved)\s+\w+/;
const YES_NO_HEADER = /^是否\S{1,8}$|\?$|\(y\/n\)$/;

/**
 * Measure words a header may name in brackets, the unit of every number below it: 目标（场次）, 完成数（人次）,
 * Target (events). Other bracketed hints (必填, 选填, 数字) are not units.
 */
const HEADER_UNITS = new Set(
  [
    "次",
    "场",
    "场次",
    "期",
    "期次",
    "件",
    "个",
    "篇",
    "项",
    "家",
    "人",
    "人次",
    "名",
    "万人次",
    "元",
    "万元",
    "亿元",
    "千元",
    "户",
    "所",
    "批",
    "轮",
    "届",
    "班",
    "册",
    "本",
    "份",
    "部",
    "条",
    "幅",
    "台",
    "套",
    "处",
    "座",
    "张",
    "天",
    "日",
    "小时",
    "学时",
    "课时",
    "节",
    "门",
    "支",
    "队",
    "组",
    "万册",
    "个百分点",
    "%",
    "公里",
    "km",
    "平方米",
    "亩",
    "吨",
    "万字",
    "字",
    "分钟",
    "周",
    "月",
    "所次",
    "家次",
    "人天",
    "events",
    "event",
    "sessions",
    "session",
    "people",
    "persons",
    "participants",
    "visitors",
    "attendees",
    "members",
    "issues",
    "articles",
    "items",
    "times",
    "courses",
    "classes",
    "visits",
    "hours",
    "days",
    "usd",
    "$",
    "eur",
    "rmb",
    "cny",
    "pieces",
    "reports",
    "meetings",
    "workshops",
    "trainings",
    "schools",
    "households",
  ].map((u) => u.toLowerCase()),
);

/**
 * The unit a header names in brackets (目标（场次） → 场次, "Target (events)" → events, 完成数（单位：人次） → 人次); "" when
 * it names none.
 * @example headerUnit("完成数（人次）") // "人次"
 */
export function headerUnit(text: string): string {
  const t = toHalfWidth(cleanText(text));
  const m = /\(([^()]{1,16})\)\s*$|\(([^()]{1,16})\)/.exec(t);
  if (!m) return "";
  const inner = (m[1] ?? m[2]).trim().replace(/^(?:计量单位|单位|units?|in)\s*[:：]?\s*/i, "");
  return HEADER_UNITS.has(inner.toLowerCase()) ? inner : "";
}

// 场 and 场次, 期 and 期次 count the same things; 人 and 人次 do not (people vs attendances).
const SAME_WITH_CI = new Set(["场", "期", "批", "轮", "届", "班", "所", "家"]);

/**
 * Whether two measure words count the same thing: equal ignoring case, or one is the other with 次 (场 / 场次).
 * @example sameUnit("场", "场次") // true
 * @example sameUnit("人", "人次") // false
 */
export function sameUnit(a: string, b: string): boolean {
  const x = a.trim().toLowerCase();
  const y = b.trim().toLowerCase();
  if (x === y) return true;
  const base = (u: string) => (u.length === 2 && u.endsWith("次") && SAME_WITH_CI.has(u[0]) ? u[0] : u);
  return base(x) === base(y);
}
