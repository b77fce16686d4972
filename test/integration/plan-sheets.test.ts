import * as fs from "node:fs";
import * as path from "node:path";
import { createOfflineOperations } from "../../src/hosting/offline";
import { findPlanSheets } from "../../src/excel/plansheets";
import { OfflineHost, createWorkbookModel, sheetFromGrid } from "../../src/offline";
import type { SheetModel, WorkbookModel } from "../../src/offline";
import { importXlsx } from "../../src/offline/xlsx";

const NOW = new Date(2025, 9, 15);
const FIXTURE = path.join(__dirname, "../fixtures/xlsx/multi/2025年各部门工作计划.xlsx");

async function openFixture() {
  const model = await importXlsx(new Uint8Array(fs.readFileSync(FIXTURE)));
  const host = new OfflineHost(model, { now: () => NOW });
  const ops = createOfflineOperations(host, { now: () => NOW, fileName: () => path.basename(FIXTURE) });
  return { model, host, ops };
}

/**
 * Every cell of a sheet as its formula, or its value where it has none, with its number format: what the user typed.
 * (openpyxl stores no cached results, so a formula's value is whatever the last recalculation gave.)
 */
function cells(sheet: SheetModel): string[] {
  const out: string[] = [];
  for (const [r, row] of [...sheet.rows].sort((a, b) => a[0] - b[0]))
    for (const [c, cell] of [...row].sort((a, b) => a[0] - b[0]))
      out.push(`${r},${c}:${cell.formula ?? String(cell.value)}|${cell.numberFormat ?? ""}`);
  return out;
}

function sheet(model: WorkbookModel, name: string): SheetModel {
  const s = model.sheets.find((x) => x.name === name);
  if (!s) throw new Error(`no sheet ${name}`);
  return s;
}

describe("plan-sheet discovery", () => {
  it("finds the three department sheets of the openpyxl workbook and takes the user's 汇总 for a roll-up", async () => {
    const { host } = await openFixture();
    host.resetStats();
    const found = await host.run((ctx) => findPlanSheets(ctx));
    expect(found.plans.map((p) => p.name)).toEqual(["办公室", "学会部", "科普部"]);
    // 学会部 has two title rows above its header.
    expect(found.plans.map((p) => p.headerRow)).toEqual([1, 3, 1]);
    expect(found.rollUps).toEqual(["汇总"]);
    expect(host.stats.syncs).toBe(2);
  });

  it("decides a roll-up by its rows, not its name: a plan-like header over department names and formulas", async () => {
    const model = createWorkbookModel([]);
    const header = ["月份", "工作任务", "责任部门", "目标任务", "实际完成"];
    sheetFromGrid(model, "甲部", [header, ["1月", "甲一", "甲部", 2, 1], ["2月", "甲二", "甲部", 3, 1]]);
    sheetFromGrid(model, "乙部", [header, ["3月", "乙一", "乙部", 4, 2], ["4月", "乙二", "乙部", 5, 0]]);
    // Named like a plan sheet, laid out like one, but its rows are the other sheets and a total.
    sheetFromGrid(model, "全年计划", [
      header,
      ["全年", "甲部", "甲部", "=SUM(甲部!D2:D3)", "=SUM(甲部!E2:E3)"],
      ["全年", "乙部", "乙部", "=SUM(乙部!D2:D3)", "=SUM(乙部!E2:E3)"],
      ["", "合计", "", "=SUM(D2:D3)", "=SUM(E2:E3)"],
    ]);
    // Called 汇总 but holding tasks of its own: a plan.
    sheetFromGrid(model, "汇总", [header, ["5月", "总结会", "办公室", 1, 0], ["6月", "甲部", "甲部", 1, 0]]);
    const host = new OfflineHost(model, { now: () => NOW });
    const found = await host.run((ctx) => findPlanSheets(ctx));
    expect(found.plans.map((p) => p.name)).toEqual(["甲部", "乙部", "汇总"]);
    expect(found.rollUps).toEqual(["全年计划"]);
  });

  it("leaves out hidden sheets, sheets without a plan header and Plan Ledger's own summary", async () => {
    const { host, ops, model } = await openFixture();
    sheet(model, "科普部").visibility = "Hidden";
    sheetFromGrid(model, "说明", [["本工作簿按部门分表填报"], ["联系人：办公室"]]);
    const result = await ops.summarize({ lang: "zh-CN", sheet: "办公室" });
    const found = await host.run((ctx) => findPlanSheets(ctx));
    expect(found.plans.map((p) => p.name)).toEqual(["办公室", "学会部"]);
    expect(model.sheets.map((s) => s.name)).toContain(result.sheet);
  });
});

describe("a summary of one plan sheet among several", () => {
  it("counts that sheet's items, names the other plan sheets in a warning, and leaves the user's 汇总 untouched", async () => {
    const { host, ops, model } = await openFixture();
    const before = cells(sheet(model, "汇总"));
    host.resetStats();
    const result = await ops.summarize({ lang: "zh-CN", sheet: "办公室" });
    expect(result.kpis.activities).toBe(6);
    expect(result.planSheets).toEqual(["办公室", "学会部", "科普部"]);
    expect(result.otherPlanSheets).toMatchObject({ code: "workbook.otherPlanSheets", severity: "warning" });
    expect(result.otherPlanSheets?.message["zh-CN"]).toContain("学会部、科普部");
    expect(result.otherPlanSheets?.message["en-US"]).toContain("2 more plan sheets (学会部, 科普部)");
    // Our summary is a new sheet, not the user's 汇总.
    expect(result.sheet).not.toBe("汇总");
    expect(cells(sheet(model, "汇总"))).toEqual(before);
    // Discovery rides on the summary's own round trips: as many as a one-sheet workbook's structure and summary.
    const single = createWorkbookModel([]);
    sheetFromGrid(single, "办公室", [...sheetGrid(sheet(model, "办公室"))]);
    const one = new OfflineHost(single, { now: () => NOW });
    const oneOps = createOfflineOperations(one, { now: () => NOW, fileName: () => path.basename(FIXTURE) });
    one.resetStats();
    const alone = await oneOps.summarize({ lang: "zh-CN", sheet: "办公室" });
    expect(alone.otherPlanSheets).toBeUndefined();
    expect(alone.planSheets).toEqual(["办公室"]);
    expect(host.stats.syncs).toBe(one.stats.syncs);
  });
});

/** A sheet's values as a grid (formulas as "=…"), to copy it into another workbook. */
function sheetGrid(s: SheetModel): unknown[][] {
  const grid: unknown[][] = [];
  for (const [r, row] of s.rows) {
    grid[r] ??= [];
    for (const [c, cell] of row) grid[r][c] = cell.formula ? `=${cell.formula.replace(/^=/, "")}` : cell.value;
  }
  for (let r = 0; r < grid.length; r++) grid[r] ??= [];
  return grid;
}
