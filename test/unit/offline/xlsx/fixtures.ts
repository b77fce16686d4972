/** A plan-shaped workbook that exercises every feature the .xlsx module carries. */
import type { CellStyle, ChartModel, WorkbookModel } from "../../../../src/offline/model";
import { f, sheet, workbook } from "./builder";

const HEAD: CellStyle = { fill: "#1F4E78", fontColor: "#FFFFFF", fontBold: true, wrap: true, hAlign: "Center" };
const PCT = "0%";

/** Plan rows: 月份, 工作任务, 责任部门, 目标, 实际. */
export const PLAN_ROWS: [number, string, string, number, number][] = [
  [1, "科普宣传", "科普部", 12, 10],
  [1, "发行《科普通讯》", "办公室", 6, 6],
  [2, "青少年科技创新大赛", "青少年部", 31, 0],
  [2, "科技活动周", "科普部", 3, 3],
  [3, "团训活动", "心康部", 2, 1],
];

/** Charts of the three kinds the summary uses: clustered column, line, combo column + line on a secondary axis. */
export function summaryCharts(sheetName: string, n: number): ChartModel[] {
  const last = 1 + n;
  const q = `'${sheetName}'`;
  const cats = `${q}!$A$2:$A$${last}`;
  const common = { legend: { visible: true, position: "Bottom" as const }, width: 360, height: 216 };
  return [
    {
      name: "目标与完成",
      type: "ColumnClustered",
      title: "各月目标与完成",
      series: [
        { name: "目标", values: `${q}!$B$2:$B$${last}`, categories: cats, axisGroup: "Primary", fill: "#4472C4" },
        { name: "完成", values: `${q}!$C$2:$C$${last}`, categories: cats, axisGroup: "Primary", fill: "#ED7D31" },
      ],
      axes: { category: { title: "月份" }, value: { title: "数量", min: 0 } },
      ...common,
      top: 120,
      left: 0,
    },
    {
      name: "完成率走势",
      type: "Line",
      title: "完成率",
      series: [
        { name: "完成率", values: `${q}!$D$2:$D$${last}`, categories: cats, axisGroup: "Primary", line: "#70AD47" },
      ],
      axes: { category: { title: "月份" }, value: { title: "完成率", min: 0, max: 1, numberFormat: PCT } },
      ...common,
      top: 120,
      left: 372,
    },
    {
      name: "组合图",
      type: "ColumnClustered",
      title: "完成数与完成率",
      series: [
        { name: "完成", values: `${q}!$C$2:$C$${last}`, categories: cats, axisGroup: "Primary", fill: "#5B9BD5" },
        {
          name: "完成率",
          values: `${q}!$D$2:$D$${last}`,
          categories: cats,
          axisGroup: "Secondary",
          chartType: "LineMarkers",
          line: "#C00000",
        },
      ],
      axes: {
        category: { title: "月份" },
        value: { title: "完成数" },
        secondaryValue: { title: "完成率", min: 0, max: 1, numberFormat: PCT },
      },
      ...common,
      top: 348,
      left: 0,
    },
  ];
}

/**
 * The plan sheet 计划 (table Plan over A1:E6, a total row), a summary sheet with SUMIFS/COUNTIFS/IFERROR over the
 * table, a cross-sheet reference, charts, a hidden lists sheet, names, validation and conditional formats. Cached
 * values are the true results, computed by hand.
 */
export function planWorkbook(): WorkbookModel {
  const plan = sheet(
    "计划",
    [
      ["月份", "工作任务", "责任部门", "目标", "实际"].map((v) => ({ value: v, style: HEAD })),
      ...PLAN_ROWS.map(([m, a, o, t, x]) => [m, a, o, t, x]),
      [
        { value: "合计", style: { fontBold: true } },
        null,
        null,
        f("=SUM(Plan[目标])", 54, { style: { fontBold: true } }),
        f("=SUM(Plan[实际])", 20, { style: { fontBold: true } }),
      ],
    ],
    {
      tables: [
        {
          name: "Plan",
          ref: { r0: 0, c0: 0, r1: 5, c1: 4 },
          columns: ["月份", "工作任务", "责任部门", "目标", "实际"],
          style: "TableStyleMedium2",
          showHeaders: true,
          showTotals: false,
        },
      ],
      validations: [
        {
          ranges: [{ r0: 1, c0: 0, r1: 200, c1: 0 }],
          rule: { type: "wholeNumber", operator: "Between", formula1: 1, formula2: 12 },
          ignoreBlanks: true,
          errorAlert: { showAlert: true, style: "Stop", title: "月份", message: "请输入 1–12 的月份" },
          prompt: { showPrompt: true, title: "月份", message: "1–12" },
        },
        {
          ranges: [{ r0: 1, c0: 2, r1: 200, c1: 2 }],
          rule: { type: "list", source: "=Lists!$A$1:$A$3", inCellDropDown: true },
          ignoreBlanks: true,
          errorAlert: { showAlert: true, style: "Warning", title: "", message: "不在列表中" },
          prompt: { showPrompt: false, title: "", message: "" },
        },
      ],
      conditionalFormats: [
        {
          ranges: [{ r0: 1, c0: 4, r1: 5, c1: 4 }],
          priority: 1,
          stopIfTrue: false,
          type: "custom",
          formula: "=AND($D2>0,$E2<$D2)",
          format: { fill: "#FFEB9C", fontColor: "#9C5700" },
        },
        {
          ranges: [{ r0: 1, c0: 3, r1: 5, c1: 3 }],
          priority: 2,
          stopIfTrue: false,
          type: "dataBar",
          color: "#638EC6",
        },
        {
          ranges: [{ r0: 1, c0: 4, r1: 5, c1: 4 }],
          priority: 3,
          stopIfTrue: true,
          type: "cellValue",
          operator: "EqualTo",
          formula1: "=0",
          format: { fill: "#FFC7CE", fontBold: true },
        },
      ],
      columnWidths: new Map([
        [1, 180],
        [2, 72.75],
      ]),
      rowHeights: new Map([[0, 30]]),
      freeze: { rows: 1, columns: 0 },
      merges: [],
      customProperties: new Map([["planLedger.role", "plan"]]),
      tabColor: "#4472C4",
    },
  );
  const summary = sheet(
    "汇总",
    [
      ["月份", "目标", "完成", "完成率", "事项数"],
      ...[1, 2, 3].map((m, i) => {
        const r = i + 2;
        const target = PLAN_ROWS.filter((p) => p[0] === m).reduce((s, p) => s + p[3], 0);
        const done = PLAN_ROWS.filter((p) => p[0] === m).reduce((s, p) => s + p[4], 0);
        const count = PLAN_ROWS.filter((p) => p[0] === m).length;
        return [
          m,
          f(`=SUMIFS(Plan[目标],Plan[月份],$A${r})`, target),
          f(`=SUMIFS('计划'!$E$2:$E$6,'计划'!$A$2:$A$6,$A${r})`, done),
          f(`=IFERROR(C${r}/B${r},"")`, target ? done / target : "", { numberFormat: PCT }),
          f(`=COUNTIFS(Plan[月份],$A${r})`, count),
        ];
      }),
      [
        "合计",
        f("=SUM(B2:B4)", 54),
        f("=SUM(C2:C4)", 20),
        f('=IFERROR(C5/B5,"")', 20 / 54, { numberFormat: PCT }),
        f("='计划'!D7", 54),
      ],
      ["空目标", 0, 0, f('=IFERROR(C6/B6,"")', ""), f("=B6*C6", 0)],
    ],
    { merges: [{ r0: 7, c0: 0, r1: 7, c1: 4 }], freeze: { rows: 1, columns: 1 } },
  );
  summary.rows.set(
    7,
    new Map([
      [0, { value: "说明：完成率 = 完成 / 目标", style: { wrap: true, vAlign: "Top" } }],
      [6, { value: "=不是公式", quotePrefix: true }],
    ]),
  );
  summary.charts = summaryCharts("汇总", 3);
  const lists = sheet("Lists", [["科普部"], ["办公室"], ["青少年部"]], { visibility: "Hidden" });
  return workbook([plan, summary, lists], {
    names: [
      { name: "Owners", formula: "=Lists!$A$1:$A$3", comment: "责任部门", visible: true },
      { name: "PlanStart", formula: "=DATE(2025,1,1)", comment: "", visible: false, scopeSheetId: plan.id },
    ],
    settings: new Map([
      ["planLedger.mapping", JSON.stringify({ month: "A", activity: "B" })],
      ["planLedger.lang", '"zh-CN"'],
    ]),
    activeSheet: 1,
  });
}
