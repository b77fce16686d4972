/**
 * Make a template (issue 17 §4) through the operations over the offline host: the sheet it writes, its drop-downs,
 * and a department's filled-in copy read back by Collect returns.
 */
import { createOfflineOperations } from "../../src/hosting/offline";
import {
  OfflineHost,
  createWorkbookModel,
  sheetFromGrid,
  type SheetModel,
  type ValidationModel,
  type WorkbookModel,
} from "../../src/offline";
import { exportXlsx, importXlsx } from "../../src/offline/xlsx";
import { TEMPLATE_ROWS, typedList } from "../../src/excel/template";
import { ledgerZh } from "../fixtures/sheets";

const NOW = new Date(2025, 9, 15);

function book(grid?: unknown[][]) {
  const model = createWorkbookModel(grid ? [] : ["Sheet1"]);
  if (grid) sheetFromGrid(model, "台账", grid);
  const host = new OfflineHost(model, { now: () => NOW });
  return { model, host, ops: createOfflineOperations(host, { now: () => NOW }) };
}

function sheetNamed(model: WorkbookModel, name: string): SheetModel {
  const s = model.sheets.find((x) => x.name === name);
  if (!s) throw new Error(`No sheet ${name}; sheets: ${model.sheets.map((x) => x.name).join(", ")}`);
  return s;
}

const value = (s: SheetModel, r: number, c: number) => s.rows.get(r)?.get(c)?.value;

/** The validation rule covering a cell, if any. */
function ruleAt(s: SheetModel, r: number, c: number): ValidationModel | undefined {
  return s.validations.find((v) => v.ranges.some((x) => x.r0 <= r && r <= x.r1 && x.c0 <= c && c <= x.c1));
}

describe("make a template", () => {
  it("writes the plan's columns, the period's months, the plan's units and categories, and an instruction line", async () => {
    const { ops, model } = book(ledgerZh as unknown[][]);
    await ops.structure({ lang: "zh-CN" });
    const t = await ops.makeTemplate({ lang: "en-US", department: "科普部" });
    // The workbook's language (its plan is Chinese), not the pane's.
    expect(t.sheet).toBe("填报模板（科普部）");
    const s = sheetNamed(model, t.sheet);
    expect(String(value(s, 0, 0))).toContain("2025年1月");
    expect([value(s, 1, 0), value(s, 1, 1)]).toEqual(["填报单位：", "科普部"]);
    expect(String(value(s, 2, 0))).toMatch(/^填写说明/);
    const header = [...Array(9).keys()].map((c) => value(s, 3, c));
    expect(header).toEqual(t.columns);
    expect(header.slice(0, 3)).toEqual(["月份", "工作任务", "责任单位"]);

    const list = (c: number) => {
      const rule = ruleAt(s, 4, c)?.rule;
      return rule?.type === "list" ? rule.source.split(",") : undefined;
    };
    const months = list(header.indexOf("月份"));
    expect(months).toEqual([...Array(12).keys()].map((i) => `2025年${i + 1}月`).concat("全年"));
    // The units the plan uses come first, then the usual ones; the categories are the plan's (from its sections).
    expect(list(header.indexOf("单位"))).toEqual(expect.arrayContaining(["次", "期", "场", "人次", "件", "所", "家"]));
    expect(list(header.indexOf("类别"))).toEqual(expect.arrayContaining(["科普宣传", "青少年科技教育"]));
    expect(list(header.indexOf("责任单位"))).toEqual(["科普部"]);
    // The rules cover the prepared rows and only them; lists are typed into the rule (no reference to another sheet).
    const monthRule = ruleAt(s, 4, 0)!;
    expect(monthRule.ranges).toEqual([{ r0: 4, c0: 0, r1: 3 + TEMPLATE_ROWS, c1: 0 }]);
    for (const v of s.validations) {
      const src = v.rule.type === "list" ? v.rule.source : "";
      expect(src.length).toBeLessThanOrEqual(255);
      expect(src).not.toContain("!");
    }
    // The owner fills itself from B2 once an activity is typed; nothing else is in the data rows.
    const ownerCol = header.indexOf("责任单位");
    expect(s.rows.get(4)?.get(ownerCol)?.formula).toBe('=IF($B5="","",$B$2)');
    expect(value(s, 4, 1)).toBeUndefined();
  });

  it("offers the units and categories of every plan sheet, not only the first table's", async () => {
    const model = createWorkbookModel([]);
    const header = ["月份", "工作任务", "责任部门", "类别", "计量单位", "目标任务", "实际完成"];
    sheetFromGrid(model, "甲部", [header, ["1月", "讲座", "甲部", "科普", "场", 2, 1]]);
    sheetFromGrid(model, "乙部", [header, ["2月", "走访", "乙部", "组织建设", "家", 5, 1]]);
    const host = new OfflineHost(model, { now: () => NOW });
    const ops = createOfflineOperations(host, { now: () => NOW });
    await ops.summarizeAll({ lang: "zh-CN", asOf: NOW });
    const t = await ops.makeTemplate({ lang: "zh-CN" });
    const s = sheetNamed(model, t.sheet);
    const list = (field: string) => {
      const rule = ruleAt(s, 4, t.columns.indexOf(field))?.rule;
      return rule?.type === "list" ? rule.source.split(",") : [];
    };
    expect(list("单位")).toEqual(expect.arrayContaining(["场", "家"]));
    expect(list("类别")).toEqual(expect.arrayContaining(["科普", "组织建设"]));
  });

  it("works without a plan: this year's months, the usual units, no department", async () => {
    const { ops, model } = book();
    const t = await ops.makeTemplate({ lang: "en-US" });
    expect(t.sheet).toBe("Return template");
    const s = sheetNamed(model, t.sheet);
    expect(value(s, 3, 0)).toBe("Month");
    expect(t.months).toBe(13);
    expect(t.categories).toBe(0);
    expect(s.rows.get(4)?.get(2)?.formula).toBeUndefined();
    expect(ruleAt(s, 4, 2)).toBeUndefined();
  });

  it("gives a department's filled-in copy back to Collect returns: its rows, with the department as owner", async () => {
    const office = book(ledgerZh as unknown[][]);
    await office.ops.structure({ lang: "zh-CN" });
    const t = await office.ops.makeTemplate({ lang: "zh-CN", department: "科普部" });

    // The department's copy: the template sheet alone in a workbook (Move or Copy → new book), filled in and saved.
    const dept = await importXlsx(await exportXlsx(office.model));
    dept.sheets = dept.sheets.filter((s) => s.name === t.sheet);
    dept.activeSheet = 0;
    const deptHost = new OfflineHost(dept, { now: () => NOW });
    await deptHost.run(async (context) => {
      context.workbook.worksheets.getItem(t.sheet).getRange("A5:B6").values = [
        ["2025年11月", "科普进校园"],
        ["2025年12月", "科普讲座"],
      ];
      context.workbook.worksheets.getItem(t.sheet).getRange("E5:F6").values = [
        ["场", 3],
        ["场", 2],
      ];
      await context.sync();
    });
    deptHost.recalculate();
    const bytes = await exportXlsx(dept);

    const r = await office.ops.collectReturns({ lang: "zh-CN", files: [{ name: "科普部.xlsx", bytes }] });
    expect(r.failed).toEqual([]);
    expect(r.sources.map((s) => [s.label, s.rows, s.findings.filter((f) => f.severity !== "info")])).toEqual([
      ["科普部.xlsx", 2, []],
    ]);
    const plan = sheetNamed(office.model, r.sheet);
    const table = plan.tables[0];
    const rows = [table.ref.r0 + 1, table.ref.r0 + 2].map((row) => [1, 2, 5, 9].map((c) => value(plan, row, c)));
    expect(rows).toEqual([
      ["科普进校园", "科普部", 3, "科普部.xlsx"],
      ["科普讲座", "科普部", 2, "科普部.xlsx"],
    ]);
  });
});

describe("typedList", () => {
  it("keeps items in order, drops blanks, repeats and items with a comma, and stops at 255 characters", () => {
    expect(typedList([" 次", "期", "", "次", "a,b"])).toEqual(["次", "期"]);
    const long = [...Array(100).keys()].map((i) => `单位${i}`);
    const out = typedList(long);
    expect(out.join(",").length).toBeLessThanOrEqual(255);
    expect(out.join(",").length + 1 + long[out.length].length).toBeGreaterThan(255);
  });
});
