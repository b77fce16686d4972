/**
 * The operations where Excel differs from a naive emulation (issue 14 §3 d–g), through the same code path the pane
 * and the CLI use, on an offline host that behaves as Excel does there.
 */
import { createOfflineOperations } from "../../src/hosting/offline";
import {
  OfflineHost,
  createWorkbookModel,
  sheetFromGrid,
  type SheetModel,
  type WorkbookModel,
} from "../../src/offline";
import { exportXlsx, importXlsx } from "../../src/offline/xlsx";

const NOW = new Date(2025, 9, 15);

const PLAN = [
  ["月份", "工作任务", "责任单位", "计量单位", "目标", "完成"],
  ["1月", "科普法学习宣传", "科普部", "次", 12, 12],
  ["2月", "发行科普通讯", "办公室", "期", 6, 5],
  ["3月", "科普画廊宣传", "科普部", "期", 4, 4],
];

function setup(apiVersion: string, grid: unknown[][] = PLAN) {
  const model: WorkbookModel = createWorkbookModel([]);
  sheetFromGrid(model, "计划", grid);
  model.activeSheet = 0;
  const host = new OfflineHost(model, { apiVersion, now: () => NOW });
  const ops = createOfflineOperations(host, { now: () => NOW });
  return { host, ops, model };
}

const allFormulas = (sheet: SheetModel) =>
  [...sheet.rows.values()].flatMap((row) => [...row.values()].map((c) => c.formula).filter((f) => f !== undefined));

/** Rows typed under the table, as a user of an editor that does not extend tables (WPS, LibreOffice) adds them. */
async function typeRowsUnder(host: OfflineHost, rows: unknown[][]): Promise<void> {
  await host.run(async (context) => {
    const ws = context.workbook.worksheets.getItem("计划");
    ws.getRange(`A5:F${4 + rows.length}`).values = rows as never;
  });
}

describe("re-running structure where Table.resize is missing (ExcelApi 1.9–1.12)", () => {
  it("repairs what convertToRange breaks: structured references everywhere, and the style left as direct fills", async () => {
    const { host, ops, model } = setup("1.12");
    await ops.structure({ lang: "zh-CN" });
    await ops.summarize({ lang: "zh-CN" });
    await host.run(async (context) => {
      const mine = context.workbook.worksheets.add("我的");
      mine.getRange("A1").formulas = [["=SUM(Plan[目标])"]];
    });
    await typeRowsUnder(host, [["4月", "科普讲座", "学会部", "场", 3, 1]]);
    await ops.structure({ lang: "zh-CN" });

    const plan = model.sheets[0];
    expect(plan.tables.find((t) => t.name === "Plan")?.ref).toMatchObject({ r0: 0, r1: 4 });
    const summary = model.sheets.find((s) => s.name === "汇总")!;
    const summaryFormulas = allFormulas(summary);
    expect(summaryFormulas.some((f) => f.includes("Plan["))).toBe(true);
    expect(summaryFormulas.filter((f) => /\$[A-Z]+\$\d+:\$[A-Z]+\$\d+/.test(f) && f.includes("计划"))).toEqual([]);
    const mine = model.sheets.find((s) => s.name === "我的")!;
    expect(mine.rows.get(0)?.get(0)?.formula).toBe("=SUM(Plan[目标])");
    host.recalculate();
    expect(mine.rows.get(0)?.get(0)?.value).toBe(25);
    // No fill of the old style is left on the cells: the table's own style draws them again.
    const fills = [...plan.rows.values()].flatMap((row) => [...row.values()].map((c) => c.style?.fill));
    expect(fills.filter((f) => f === "#4472C4" || f === "#D9E1F2")).toEqual([]);
  });

  it("keeps a user's own fill in the table while clearing the style's", async () => {
    const { host, ops, model } = setup("1.12");
    await ops.structure({ lang: "zh-CN" });
    await host.run(async (context) => {
      context.workbook.worksheets.getItem("计划").getRange("B3").format.fill.color = "#FFFF00";
    });
    await typeRowsUnder(host, [["4月", "科普讲座", "学会部", "场", 3, 1]]);
    await ops.structure({ lang: "zh-CN" });
    expect(model.sheets[0].rows.get(2)?.get(1)?.style?.fill).toBe("#FFFF00");
  });

  it("leaves the table alone when its cells are the same (no convertToRange at all)", async () => {
    const { host, ops, model } = setup("1.12");
    await ops.structure({ lang: "zh-CN" });
    await host.run(async (context) => {
      context.workbook.worksheets.add("我的").getRange("A1").formulas = [["=SUM(Plan[目标])"]];
    });
    await ops.structure({ lang: "zh-CN" });
    expect(
      model.sheets
        .find((s) => s.name === "我的")
        ?.rows.get(0)
        ?.get(0)?.formula,
    ).toBe("=SUM(Plan[目标])");
    const fills = [...model.sheets[0].rows.values()].flatMap((row) => [...row.values()].map((c) => c.style?.fill));
    expect(fills.filter((f) => f !== undefined)).toEqual([]);
  });
});

describe("a sheet AutoFilter over the plan", () => {
  it("moves onto the table with its criteria, so the sheet never holds both", async () => {
    const { host, ops, model } = setup("1.17");
    await host.run(async (context) => {
      const ws = context.workbook.worksheets.getItem("计划");
      ws.autoFilter.apply(ws.getRange("A1:F4"), 2, { filterOn: "Values", values: ["科普部"] });
    });
    expect(model.sheets[0].autoFilter?.active).toBe(true);
    const result = await ops.structure({ lang: "zh-CN" });
    const sheet = model.sheets[0];
    expect(sheet.autoFilter).toBeUndefined();
    const table = sheet.tables.find((t) => t.name === result.table)!;
    expect(table.filterCriteria).toEqual({ 2: { filterOn: "Values", values: ["科普部"] } });
  });

  it("is never written beside a table over the same cells", async () => {
    const model = createWorkbookModel([]);
    const sheet = sheetFromGrid(model, "S", PLAN);
    sheet.tables.push({
      name: "T",
      ref: { r0: 0, c0: 0, r1: 3, c1: 5 },
      columns: PLAN[0] as string[],
      style: "TableStyleMedium2",
      showHeaders: true,
      showTotals: false,
    });
    sheet.autoFilter = { ref: { r0: 0, c0: 0, r1: 3, c1: 5 }, active: false };
    const back = await importXlsx(await exportXlsx(model));
    expect(back.sheets[0].autoFilter).toBeUndefined();
    expect(back.sheets[0].tables.map((t) => t.name)).toEqual(["T"]);
    expect(back.names.map((n) => n.name)).not.toContain("_xlnm._FilterDatabase");
  });
});

describe("validation on re-runs", () => {
  it("extends ours to rows added since the first run (Excel reads MixedCriteria there, not the user's rule)", async () => {
    const { host, ops, model } = setup("1.17");
    await ops.structure({ lang: "zh-CN" });
    await typeRowsUnder(host, [["4月", "科普讲座", "学会部", "场", 3, 1]]);
    await ops.structure({ lang: "zh-CN" });
    const target = model.sheets[0].validations.filter((v) => v.ranges.some((r) => r.c0 === 4 && r.c1 === 4));
    expect(target).toHaveLength(1);
    expect(target[0].ranges).toEqual([{ r0: 1, c0: 4, r1: 4, c1: 4 }]);
  });
});

describe("a defined name Plan already in the workbook", () => {
  it("gives the table a free name before anything is written", async () => {
    const { host, ops, model } = setup("1.17");
    await host.run(async (context) => {
      context.workbook.names.add("Plan", context.workbook.worksheets.getItem("计划").getRange("H1"));
    });
    const result = await ops.structure({ lang: "zh-CN" });
    expect(result.table).toBe("Plan2");
    expect(model.sheets[0].tables.map((t) => t.name)).toEqual(["Plan2"]);
    const summary = await ops.summarize({ lang: "zh-CN" });
    expect(summary.kpis.activities).toBe(3);
  });
});

describe("calculated columns reach rows that are not plan items (§3a, office-js #2093)", () => {
  // Excel fills a table column's formula into every row of the table, headings and subtotals included: the status
  // and completion formulas must give "" there by their own logic, so such rows never count as items.
  const MIXED = [
    ["月份", "工作任务", "责任单位", "计量单位", "目标", "完成"],
    ["一、宣传工作", null, null, null, null, null],
    ["1月", "科普法学习宣传", "科普部", "次", 12, 12],
    ["2月", "发行科普通讯", "办公室", "期", 6, 5],
    [null, "小计", null, null, 18, 17],
    ["二、培训工作", null, null, null, null, null],
    ["3月", "科普画廊宣传", "科普部", "期", 4, 4],
  ];

  it("status and completion are blank on heading and subtotal rows, and the KPI counts only the items", async () => {
    const { host, ops, model } = setup("1.17", MIXED);
    await ops.structure({ lang: "zh-CN" });
    const plan = model.sheets[0];
    const table = plan.tables.find((t) => t.name === "Plan")!;
    const completion = table.ref.c0 + table.columns.indexOf("完成率");
    const status = table.ref.c0 + table.columns.indexOf("状态");
    const itemRow = table.ref.r0 + 2;
    const formulas = [completion, status].map((c) => plan.rows.get(itemRow)?.get(c)?.formula);
    expect(formulas.every((f) => typeof f === "string" && f.startsWith("="))).toBe(true);
    // Excel's calculated column puts the same formulas into every row of the table (office-js #2093, by design), their
    // cell references moved to each row as a copy moves them.
    await host.run(async (context) => {
      const ws = context.workbook.worksheets.getItem("计划");
      const source = ws.getRangeByIndexes(itemRow, completion, 1, 2);
      for (let r = table.ref.r0 + 1; r <= table.ref.r1; r++) {
        if (r !== itemRow) ws.getRangeByIndexes(r, completion, 1, 2).copyFrom(source, "Formulas");
      }
    });
    host.recalculate();
    const value = (r: number, c: number) => plan.rows.get(r)?.get(c)?.value ?? "";
    const label = (r: number) => String(value(r, table.ref.c0 + 1) || value(r, table.ref.c0));
    const nonItems: string[] = [];
    for (let r = table.ref.r0 + 1; r <= table.ref.r1; r++) {
      if (["一、宣传工作", "二、培训工作", "小计"].includes(label(r))) {
        nonItems.push(label(r));
        expect([label(r), value(r, completion), value(r, status)]).toEqual([label(r), "", ""]);
      } else {
        expect([label(r), value(r, status)]).not.toEqual([label(r), ""]);
      }
    }
    // The subtotal is inside the table here; headings may be above it. Each one found is blank.
    expect(nonItems).toContain("小计");
    const summary = await ops.summarize({ lang: "zh-CN" });
    expect(summary.kpis.activities).toBe(3);
  });
});
