/**
 * The workbench's preloaded workbook: a Chinese 工作台账 and an English work plan as users type them, after the plans in
 * the seeds (科协 work plans, a student psychology society). Built for the current year so that the status colours show
 * a mix of done, overdue, due and upcoming items on any day.
 */
import { createWorkbookModel, sheetFromGrid } from "../offline";
import type { CellStyle, Rect, SheetModel, WorkbookModel } from "../offline";

type Row = (string | number)[];

const blank = (n: number): Row => Array.from({ length: n }, () => "");

/** The 台账: merged title, 填报 line, header, section rows, month cells merged down over their items, a 合计 row. */
export function ledgerRows(year: number): Row[] {
  return [
    [`${year}年度市科协重点工作任务台账`, "", "", "", "", "", "", "", "", ""],
    ["填报单位：市科协办公室", "", "", "", "", "", "", "填报时间：每月5日前", "", ""],
    ["序号", "月份", "工作任务", "责任单位", "责任人", "计量单位", "目标任务", "完成情况", "进展情况", "备注"],
    ["一、科普宣传", "", "", "", "", "", "", "", "", ""],
    [1, "1月", "组织开展《科普法》学习宣传", "科普部", "张伟", "次", 12, 12, "已完成", ""],
    [2, "", "发行《科普通讯》", "科普部、办公室", "李娜", "期", "6期", 5, "第6期排版中", ""],
    [3, "", "科普画廊宣传", "科普部", "", "期", 4, 4, "已完成", "责任人待定"],
    [4, "3~4月", "“全国科技工作者日”系列宣传活动", "学会部", "王强", "场", "2~3", 3, "已完成", ""],
    [5, "5月", "科技活动周科技知识讲座", "科普部", "张伟", "场", 6, 4, "进行中", ""],
    [6, "9月", "全国科普日主题活动", "科普部", "张伟", "人次", "1万", 12000, "已完成", "受益群众达1.2万人次"],
    ["二、青少年科技教育", "", "", "", "", "", "", "", "", ""],
    [7, "5月", "青少年科技创新大赛作品征集", "青少部", "赵敏", "件", 31, 35, "已完成", ""],
    [8, "", "推荐科学幻想绘画作品参加省赛", "青少部", "赵敏", "件", 6, 6, "已完成", ""],
    [9, "7月", "青少年科技夏令营", "青少部", "刘洋", "期", 2, 1, "进行中", ""],
    [10, "第三季度", "青少年科学教育示范学校授牌", "青少部和办公室", "赵敏", "所", "两", 1, "进行中", ""],
    ["三、学会服务与自身建设", "", "", "", "", "", "", "", "", ""],
    [11, "10月", "所属学会工作调研", "学会部", "王强", "家", 4, 2, "进行中", ""],
    [12, "11月", "企业科协组建", "学会部", "王强", "家", 3, "", "未开始", ""],
    [13, "全年", "常规工作：每周召开理事例会", "办公室", "陈静", "次", 50, 40, "进行中", ""],
    [14, "12月", "召开全委会暨工作总结会", "办公室", "陈静", "次", 1, "", "未开始", ""],
    blank(10),
    ["合 计", "", "", "", "", "", "=SUM(G5:G21)", "=SUM(H5:H21)", "", ""],
  ];
}

/** Merged areas of {@link ledgerRows}: title, the 填报 line, section rows, and 1月 and 5月 (科技教育) down their items. */
const LEDGER_MERGES: Rect[] = [
  { r0: 0, c0: 0, r1: 0, c1: 9 },
  { r0: 1, c0: 0, r1: 1, c1: 6 },
  { r0: 1, c0: 7, r1: 1, c1: 9 },
  { r0: 3, c0: 0, r1: 3, c1: 9 },
  { r0: 4, c0: 1, r1: 6, c1: 1 },
  { r0: 10, c0: 0, r1: 10, c1: 9 },
  { r0: 11, c0: 1, r1: 12, c1: 1 },
  { r0: 15, c0: 0, r1: 15, c1: 9 },
];

/** An English calendar-year plan with a title, a "Prepared by" line and the month forms people type. */
export function planRowsEn(year: number): Row[] {
  return [
    [`Outreach Office — Work Plan ${year}`, "", "", "", "", "", "", "", ""],
    ["Prepared by: Secretariat", "", "", "", "", "", "", "", ""],
    ["Month", "Activity", "Owner", "Category", "Unit", "Target", "Actual", "Status", "Notes"],
    [
      "Jan",
      "Recruit new members through class representatives",
      "Membership Team",
      "Membership",
      "members",
      40,
      46,
      "Done",
      "",
    ],
    ["February", "Peer counsellor training", "Mind Health Dept", "Training", "sessions", "5~6", 6, "Done", ""],
    [
      "Mar-Apr",
      "Interest groups (astronomy, robotics)",
      "Academic Dept",
      "Learning",
      "groups",
      4,
      3,
      "In progress",
      "",
    ],
    ["Q2", "Science week lectures", "Outreach Team", "Outreach", "lectures", 6, 4, "In progress", ""],
    [`Jun ${year}`, "Mental health day lecture", "Mind Health Dept", "Events", "lectures", 1, 1, "Done", ""],
    ["Sep", "Freshman group training", "Practice Society", "Training", "sessions", "2-3", 1, "In progress", ""],
    ["Oct", "Science newsletter", "Publicity Dept, Outreach Team", "Outreach", "issues", 2, "", "Not started", ""],
    ["Nov", "Community science day", "Outreach Team", "Events", "visitors", "1,000", "", "Not started", ""],
    ["Dec", "Council year-end review meeting", "Council", "Governance", "meetings", 1, "", "Not started", ""],
    ["Weekly", "Council weekly meeting", "Council", "Governance", "meetings", 40, 38, "In progress", ""],
    ["Ongoing", "Open sessions in the psychology corner", "Practice Society", "Outreach", "sessions", 30, 21, "", ""],
    ["Total", "", "", "", "", "=SUM(F4:F14)", "=SUM(G4:G14)", "", ""],
  ];
}

function style(sheet: SheetModel, rect: Rect, s: CellStyle): void {
  for (let r = rect.r0; r <= rect.r1; r++) {
    for (let c = rect.c0; c <= rect.c1; c++) {
      let row = sheet.rows.get(r);
      if (!row) {
        row = new Map();
        sheet.rows.set(r, row);
      }
      const cell = row.get(c) ?? {};
      cell.style = { ...cell.style, ...s };
      row.set(c, cell);
    }
  }
}

/** Sheet names of the sample, for callers and tests that look the sheets up. */
export function sampleSheetNames(year: number): { ledger: string; plan: string } {
  return { ledger: `${year}年工作台账`, plan: `Plan ${year}` };
}

/**
 * Builds the sample workbook for the year of `now`: the Chinese ledger (active) and the English plan.
 * @example buildSample(new Date()).sheets.map((s) => s.name) // ["2026年工作台账", "Plan 2026"]
 */
export function buildSample(now: Date): WorkbookModel {
  const year = now.getFullYear();
  const names = sampleSheetNames(year);
  const model = createWorkbookModel([]);

  const zh = sheetFromGrid(model, names.ledger, ledgerRows(year));
  zh.merges.push(...LEDGER_MERGES.map((m) => ({ ...m })));
  style(zh, { r0: 0, c0: 0, r1: 0, c1: 0 }, { fontBold: true, fontSize: 14, hAlign: "Center" });
  style(zh, { r0: 2, c0: 0, r1: 2, c1: 9 }, { fontBold: true, fill: "#D9D9D9", hAlign: "Center", border: true });
  for (const r of [3, 10, 15]) style(zh, { r0: r, c0: 0, r1: r, c1: 0 }, { fontBold: true });
  style(zh, { r0: 4, c0: 1, r1: 12, c1: 1 }, { vAlign: "Center", hAlign: "Center" });
  style(zh, { r0: 21, c0: 0, r1: 21, c1: 9 }, { fontBold: true });
  [36, 64, 220, 96, 52, 52, 60, 60, 80, 140].forEach((w, c) => zh.columnWidths.set(c, w));

  const en = sheetFromGrid(model, names.plan, planRowsEn(year));
  style(en, { r0: 0, c0: 0, r1: 0, c1: 0 }, { fontBold: true, fontSize: 14 });
  style(en, { r0: 1, c0: 0, r1: 1, c1: 0 }, { fontItalic: true });
  style(en, { r0: 2, c0: 0, r1: 2, c1: 8 }, { fontBold: true, fill: "#D9D9D9", border: true });
  style(en, { r0: 14, c0: 0, r1: 14, c1: 8 }, { fontBold: true });
  [64, 260, 150, 90, 70, 52, 52, 80, 120].forEach((w, c) => en.columnWidths.set(c, w));

  model.activeSheet = 0;
  return model;
}
