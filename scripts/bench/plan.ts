/**
 * The benchmark's plan: a Chinese 工作台账 of `n` items as people type them — merged title and 填报 lines, the header
 * 月份 | 工作任务 | 责任单位 | 类别 | 计量单位 | 目标任务 | 实际完成 | 进展情况, items in month order with month cells merged
 * down over runs of items in the first half of the year, month spellings that vary, mixed units, quantities typed with
 * their measure word (6期, 1万, 2~3), routine 全年 items, a few unfinished or missing actuals, and a 合计 row of SUMs.
 * Deterministic: the same `n` always gives the same sheet.
 */
import type { MergedArea } from "../../src/core/types";

export const HEADER = ["月份", "工作任务", "责任单位", "类别", "计量单位", "目标任务", "实际完成", "进展情况"];
export const PLAN_SHEET = "2025年工作台账";
/** The date every run is "as of": the plan is for 2025, so Jan–Sep have ended. */
export const AS_OF = new Date(2025, 9, 15);
/** Rows above the first item: title, 填报 line, header. */
export const TOP_ROWS = 3;

const ACTIVITIES = [
  "开展科普进社区宣传活动",
  "发行《科普通讯》",
  "组织青少年科技创新大赛作品征集",
  "举办学术年会分会场",
  "发展新会员并更新会员档案",
  "征集优秀科普作品",
  "召开科技工作者日座谈会",
  "开展心理健康团体训练",
  "走访所属学会开展工作调研",
  "举办科普讲座进校园",
  "编印年度工作简报",
  "组织专家开展决策咨询",
];
const OWNERS = ["科普部", "办公室", "学会部", "青少部", "组织人事部", "心康部", "宣传部"];
const CATEGORIES = ["科普宣传", "学术交流", "组织建设", "青少年教育", "服务会员"];
const UNITS = ["次", "期", "件", "人次", "场", "篇", "项", "个"];

export type BenchPlan = { grid: unknown[][]; merges: MergedArea[]; items: number };

function monthText(m: number, i: number): string {
  if (i % 50 === 7) return "全年";
  if (i % 503 === 100) return "待定";
  if (i % 211 === 5) return `${m}~${Math.min(12, m + 1)}月`;
  switch (m % 3) {
    case 0:
      return `${m}月份`;
    case 1:
      return `${m}月`;
    default:
      return `2025年${m}月`;
  }
}

/** The plan sheet as `range.values` would return it, with its merged areas (0-based grid coordinates). */
export function benchPlan(n: number): BenchPlan {
  const cols = HEADER.length;
  const grid: unknown[][] = [
    ["2025年度市科协重点工作任务台账", ...Array(cols - 1).fill("")],
    ["填报单位：市科协办公室", "", "", "", "", "填报时间：2025年10月15日", "", ""],
    [...HEADER],
  ];
  const merges: MergedArea[] = [
    { row: 0, col: 0, rowCount: 1, colCount: cols },
    { row: 1, col: 0, rowCount: 1, colCount: 5 },
    { row: 1, col: 5, rowCount: 1, colCount: 3 },
  ];
  let runStart = -1;
  let runMonth = "";
  const closeRun = (end: number) => {
    if (runStart >= 0 && end - runStart > 1)
      merges.push({ row: runStart, col: 0, rowCount: end - runStart, colCount: 1 });
    runStart = -1;
  };
  for (let i = 0; i < n; i++) {
    const m = Math.floor((i * 12) / n) + 1;
    const month = monthText(m, i);
    const r = grid.length;
    // Months Jan–Jun: the month cell merged down over runs of up to 4 items of that month, as ledgers do.
    const mergeable = m <= 6 && month !== "全年" && !month.includes("~");
    let monthCell: unknown = month;
    if (mergeable && runStart >= 0 && runMonth === month && r - runStart < 4) monthCell = "";
    else {
      closeRun(r);
      if (mergeable) {
        runStart = r;
        runMonth = month;
      }
    }
    const unit = UNITS[(i * 7 + (i >> 4)) % UNITS.length];
    const owner =
      i % 397 === 200
        ? ""
        : i % 17 === 3
          ? `${OWNERS[i % OWNERS.length]}、${OWNERS[(i + 2) % OWNERS.length]}`
          : OWNERS[i % 7];
    const target = unit === "人次" ? 100 * ((i % 9) + 1) : (i % 12) + 1;
    // Quantities typed with their measure word, a range, a 万; the unit cell left blank for some of them.
    let targetCell: unknown = target;
    let unitCell = unit;
    if (i % 9 === 4) {
      targetCell = `${target}${unit}`;
      if (i % 2 === 0) unitCell = "";
    } else if (i % 97 === 11) targetCell = `${target}~${target + 1}`;
    else if (unit === "人次" && i % 41 === 0) targetCell = "1万";
    const ended = m <= 9;
    let actual: unknown = "";
    if (ended && i % 13 !== 0) actual = i % 5 === 0 ? Math.max(0, target - 1) : target + (i % 11 === 0 ? 2 : 0);
    else if (!ended && i % 5 === 0) actual = Math.floor(target / 2);
    const done = typeof actual === "number" && actual >= target;
    const status = done ? "已完成" : actual === "" ? (ended ? "滞后" : "未开始") : "推进中";
    grid.push([
      monthCell,
      `${ACTIVITIES[i % ACTIVITIES.length]}（第${i + 1}项）`,
      owner,
      CATEGORIES[(i >> 2) % CATEGORIES.length],
      unitCell,
      targetCell,
      actual,
      status,
    ]);
  }
  closeRun(grid.length);
  const first = TOP_ROWS + 1;
  const last = TOP_ROWS + n;
  grid.push(["合计", "", "", "", "", `=SUM(F${first}:F${last})`, `=SUM(G${first}:G${last})`, ""]);
  return { grid, merges, items: n };
}
