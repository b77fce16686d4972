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
      "活动",
      "任务",
      "事项",
      "内容",
      "项目",
    ],
    en: ["activity", "task", "item", "work item", "action", "initiative", "deliverable", "description", "project"],
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
      "负责人",
      "责任人",
      "经办人",
      "联系人",
      "配合单位",
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
  category: {
    zh: ["类别", "分类", "类型", "工作类别", "板块", "领域", "工作类型", "专项", "归口"],
    en: ["category", "type", "workstream", "program", "programme", "theme", "area", "stream"],
  },
  unit: {
    zh: ["计量单位", "单位", "量词", "计数单位"],
    en: ["unit", "uom", "units", "unit of measure", "measure"],
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
    ],
    en: ["target", "plan", "planned", "goal", "budget", "target value", "planned qty", "plan qty", "kpi"],
  },
  actual: {
    zh: ["实际完成", "完成数", "实际数", "完成量", "累计完成", "完成值", "已完成", "实际", "完成情况"],
    en: ["actual", "achieved", "completed", "done", "result", "actual value", "actuals", "delivered"],
  },
  status: {
    zh: ["状态", "进展情况", "进度", "办理状态", "是否完成", "推进情况", "落实情况", "进展", "完成情况"],
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

type Syn = { field: Field; text: string; rank: number; ascii: boolean; word?: RegExp };

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
    const syn: Syn = { field, text, rank, ascii, word };
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
    if (s.text.length >= h.length) continue;
    const hit = s.word ? s.word.test(h) : h.includes(s.text);
    if (!hit) continue;
    put(s.field, (0.3 + 0.5 * (s.text.length / h.length) - s.rank * 0.001) * lengthFactor);
  }
  return [...best.entries()].map(([field, score]) => ({ field, score })).sort((a, b) => b.score - a.score);
}
