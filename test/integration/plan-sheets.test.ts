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

/** The value of a cell of a sheet, by A1 address. */
function valueAt(s: SheetModel, a1: string): unknown {
  const m = /^([A-Z]+)(\d+)$/.exec(a1) as RegExpExecArray;
  let col = 0;
  for (const ch of m[1]) col = col * 26 + ch.charCodeAt(0) - 64;
  return s.rows.get(Number(m[2]) - 1)?.get(col - 1)?.value;
}

/** Rows of a table on a sheet, values by column name. */
function tableOf(model: WorkbookModel, name: string): Record<string, unknown>[] {
  for (const s of model.sheets) {
    const t = s.tables.find((x) => x.name === name);
    if (!t) continue;
    const out: Record<string, unknown>[] = [];
    for (let r = t.ref.r0 + 1; r <= t.ref.r1; r++) {
      const row: Record<string, unknown> = {};
      t.columns.forEach((c, i) => (row[c] = s.rows.get(r)?.get(t.ref.c0 + i)?.value));
      out.push(row);
    }
    return out;
  }
  throw new Error(`no table ${name}`);
}

describe("the summary over all plan sheets", () => {
  it("structures each department sheet as its own table and sums live formulas over them, each sheet a source", async () => {
    const { host, ops, model } = await openFixture();
    const before = cells(sheet(model, "汇总"));
    const result = await ops.summarizeAll({ lang: "zh-CN", asOf: NOW });
    expect(result.sources.map((s) => [s.label, s.table, s.rows])).toEqual([
      ["办公室", "Plan", 6],
      ["学会部", "Plan2", 5],
      ["科普部", "Plan3", 6],
    ]);
    expect(result.kpis).toMatchObject({ activities: 17, completed: 5, overdue: 8 });
    host.recalculate();
    const out = sheet(model, result.sheet);
    expect([valueAt(out, "A5"), valueAt(out, "B5"), valueAt(out, "D5")]).toEqual([17, 5, 8]);
    const bySource = tableOf(model, "AllSummaryBySource");
    expect(bySource.map((r) => [r["来源"], r["事项数"], r["已完成"], r["逾期"]])).toEqual([
      ["办公室", 6, 2, 2],
      ["学会部", 5, 2, 2],
      ["科普部", 6, 1, 4],
    ]);
    const byUnit = Object.fromEntries(
      tableOf(model, "AllSummaryByUnit").map((r) => [r["计量单位"], [r["目标"], r["实际"]]]),
    );
    expect(byUnit).toEqual({
      次: [6, 3],
      卷: [40, 25],
      人: [420, 270],
      场: [29, 19],
      期: [6, 4],
      人次: [10000, 8000],
      件: [30, "—"],
    });
    const sourceUnits = tableOf(model, "AllSummaryBySourceUnit").map((r) => [
      r["来源"],
      r["计量单位"],
      r["目标"],
      r["实际"],
    ]);
    expect(sourceUnits).toEqual(
      expect.arrayContaining([
        ["办公室", "人", 300, 180],
        ["学会部", "人", 120, 90],
        ["学会部", "场", 6, 5],
        ["科普部", "场", 23, 14],
      ]),
    );
    // The user's roll-up is left exactly as it was, and our summary is a sheet of its own.
    expect(cells(sheet(model, "汇总"))).toEqual(before);
    expect(result.sheet).not.toBe("汇总");

    // A department records more: the summary follows after recalculation, with no add-in involved.
    const xuehui = sheet(model, "学会部");
    const actualCol = [...(xuehui.rows.get(2) ?? [])].find(([, c]) => c.value === "实际完成")?.[0] as number;
    // 学术沙龙 (row 6): 3 of 4 sessions → 4 of 4, done.
    xuehui.rows.get(5)!.get(actualCol)!.value = 4;
    host.recalculate();
    expect([valueAt(out, "A5"), valueAt(out, "B5"), valueAt(out, "D5")]).toEqual([17, 6, 7]);
    const after = Object.fromEntries(
      tableOf(model, "AllSummaryByUnit").map((r) => [r["计量单位"], [r["目标"], r["实际"]]]),
    );
    expect(after["场"]).toEqual([29, 20]);
  });

  it("draws the one-sheet summary's charts over every sheet's counts, and they follow the formulas", async () => {
    const { host, ops, model } = await openFixture();
    const result = await ops.summarizeAll({ lang: "zh-CN", asOf: NOW });
    host.recalculate();
    const out = sheet(model, result.sheet);
    const [byMonth, byOwner, byUnit] = out.charts;
    expect(out.charts.map((c) => c.title)).toEqual(["各月计划与完成", "各单位完成率", "各计量单位完成率"]);
    // Each series reads its table on this sheet: the month table's counts and rate, the owner and unit tables' rates.
    const table = (name: string) => {
      const t = out.tables.find((x) => x.name === name);
      if (!t) throw new Error(`no table ${name}`);
      return t.ref;
    };
    const column = (name: string, col: string) => {
      const t = table(name);
      return `${result.sheet}!$${col}$${t.r0 + 2}:$${col}$${t.r1 + 1}`;
    };
    const months = tableOf(model, "AllSummaryByMonth").filter((r) => r["月份"] !== "（未填月份）");
    expect(months.length).toBeGreaterThan(0);
    expect(byMonth.series.map((x) => x.values)).toEqual([
      column("AllSummaryByMonth", "B").replace(/\$\d+$/, `$${table("AllSummaryByMonth").r0 + 1 + months.length}`),
      column("AllSummaryByMonth", "C").replace(/\$\d+$/, `$${table("AllSummaryByMonth").r0 + 1 + months.length}`),
      column("AllSummaryByMonth", "E").replace(/\$\d+$/, `$${table("AllSummaryByMonth").r0 + 1 + months.length}`),
    ]);
    expect(byOwner.series.map((x) => x.values)).toEqual([column("AllSummaryByOwner", "E")]);
    expect(byUnit.series.map((x) => x.values)).toEqual([column("AllSummaryByUnit", "E")]);
    // Rates on a fixed 0–100 % axis (higher only when a rate exceeds it), counts in whole steps.
    expect(byMonth.axes.secondaryValue).toMatchObject({ min: 0, max: 1, numberFormat: "0%" });
    expect(byMonth.axes.value).toMatchObject({ min: 0, numberFormat: "0" });
    expect(byOwner.axes.value).toMatchObject({ min: 0, numberFormat: "0%" });
    // A month without items has no rate (#N/A, a gap in the line), not 0 %; the others are each month's completed share.
    for (const m of months) {
      const [n, done, rate] = [m["事项数"], m["已完成"], m["完成率"]];
      expect(rate).toEqual(n === 0 ? { error: "#N/A" } : (done as number) / (n as number));
    }
    // Right of the tables, one above the other, not over the helper columns.
    expect(byMonth.left).toBeGreaterThanOrEqual(538);
    expect(byOwner.top).toBeGreaterThan(byMonth.top);
  });

  it("leaves a gap in the rate line for a month without items, and charts no row for items without a month", async () => {
    const model = createWorkbookModel([]);
    const header = ["月份", "工作任务", "责任部门", "目标任务", "实际完成"];
    sheetFromGrid(model, "甲部", [header, ["1月", "甲一", "甲部", 2, 2], ["3月", "甲二", "甲部", 3, 1]]);
    sheetFromGrid(model, "乙部", [header, ["3月", "乙一", "乙部", 4, 4], ["", "乙二", "乙部", 5, 0]]);
    const host = new OfflineHost(model, { now: () => NOW });
    const result = await createOfflineOperations(host, { now: () => NOW }).summarizeAll({ lang: "zh-CN", asOf: NOW });
    host.recalculate();
    const rows = tableOf(model, "AllSummaryByMonth");
    const feb = rows.find((r) => r["月份"] === "2025年2月");
    expect(feb).toMatchObject({ 事项数: 0, 完成率: { error: "#N/A" } });
    expect(rows.find((r) => r["月份"] === "2025年3月")).toMatchObject({ 事项数: 2, 完成率: 0.5 });
    expect(rows[rows.length - 1]).toMatchObject({ 月份: "（未填月份）", 事项数: 1 });
    // The chart's series end at the last month: the row of items without a month is not a month.
    const out = sheet(model, result.sheet);
    const t = out.tables.find((x) => x.name === "AllSummaryByMonth")!.ref;
    expect(out.charts[0].series[0].values).toBe(`${result.sheet}!$B$${t.r0 + 2}:$B$${t.r1}`);
    // #N/A is hidden in the cell (white on white), as on the one-sheet summary.
    expect(out.conditionalFormats.some((cf) => cf.type === "custom" && /ISNA\(E/.test(cf.formula))).toBe(true);
  });

  it("takes the year a later sheet's title names for every sheet, but not a month a title names", async () => {
    const header = ["月份", "工作任务", "责任部门", "目标任务", "实际完成"];
    const untitled = [header, ["1月", "理事会", "办公室", 1, 0], ["11月", "年终总结", "办公室", 1, 0]];
    const run = async (title: string) => {
      const model = createWorkbookModel([]);
      sheetFromGrid(model, "办公室", untitled);
      sheetFromGrid(model, "学会部", [[title], header, ["3月", "沙龙", "学会部", 2, 1]]);
      const host = new OfflineHost(model, { now: () => NOW });
      // No year in the file name either: only the title can say it.
      const ops = createOfflineOperations(host, { now: () => NOW, fileName: () => "计划.xlsx" });
      return ops.summarizeAll({ lang: "zh-CN", asOf: NOW });
    };
    const named = await run("2024年学会部工作计划");
    expect(named.period).toEqual({ start: "2024-01", end: "2024-12" });
    expect(named.sources.map((x) => x.period.start)).toEqual(["2024-01", "2024-01"]);
    // 1月 and 3月 of 2024, both past on 15 October 2025 and not done; 11月 2024 too.
    expect(named.kpis.overdue).toBe(3);
    // A title naming one month is that sheet's span, not a year from March for every sheet: this year's calendar.
    const monthly = await run("2025年3月重点工作安排");
    expect(monthly.period).toEqual({ start: "2025-01", end: "2025-12" });
  });

  it("lists every sheet's overdue items with their source, the longest overdue first, as many as the KPI counts", async () => {
    const { host, ops, model } = await openFixture();
    const result = await ops.summarizeAll({ lang: "zh-CN", asOf: NOW });
    host.recalculate();
    const listed = tableOf(model, "AllOverdueItems");
    expect(listed).toHaveLength(result.kpis.overdue);
    expect(listed.length).toBe(8);
    // Each item's source is the sheet whose table says it is overdue.
    const overdueOf = (table: string, source: string) =>
      tableOf(model, table)
        .filter((r) => r["状态"] === "逾期" || r["跟踪状态"] === "逾期")
        .map(() => source);
    const expected = [
      ...overdueOf("Plan", "办公室"),
      ...overdueOf("Plan2", "学会部"),
      ...overdueOf("Plan3", "科普部"),
    ].sort();
    expect(listed.map((r) => r["来源"]).sort()).toEqual(expected);
    // Longest overdue first: months never go back down the list.
    const months = listed.map((r) => String(r["月份"]));
    const key = (m: string) => Number(/(\d+)年(\d+)月/.exec(m)?.slice(1).join("").padEnd(6, "0") ?? 0);
    expect(months.map(key)).toEqual([...months.map(key)].sort((a, b) => a - b));
    expect(listed.every((r) => typeof r["工作任务"] === "string" && r["工作任务"] !== "")).toBe(true);
  });

  it("lists the 20 longest overdue of many and counts the rest by source", async () => {
    const model = createWorkbookModel([]);
    const header = ["月份", "工作任务", "责任部门", "目标任务", "实际完成"];
    const plan = (dept: string, n: number) => [
      header,
      ...Array.from({ length: n }, (_, i) => [`${(i % 9) + 1}月`, `${dept}任务${i + 1}`, dept, 2, 0]),
    ];
    sheetFromGrid(model, "甲部", plan("甲部", 15));
    sheetFromGrid(model, "乙部", plan("乙部", 12));
    const host = new OfflineHost(model, { now: () => NOW });
    const result = await createOfflineOperations(host, { now: () => NOW }).summarizeAll({ lang: "zh-CN", asOf: NOW });
    host.recalculate();
    expect(result.kpis.overdue).toBe(27);
    const listed = tableOf(model, "AllOverdueItems");
    expect(listed).toHaveLength(20);
    // The 20 longest overdue: the four January items of both sheets, then the four of February, and so on.
    expect(listed.slice(0, 8).map((r) => r["月份"])).toEqual([
      ...Array<string>(4).fill("2025年1月"),
      ...Array<string>(4).fill("2025年2月"),
    ]);
    const rest = tableOf(model, "AllOverdueRest");
    expect(rest.reduce((n, r) => n + (r["其余逾期"] as number), 0)).toBe(7);
    expect(rest.map((r) => r["来源"]).every((x) => x === "甲部" || x === "乙部")).toBe(true);
    const out = sheet(model, result.sheet);
    const texts = [...out.rows.values()].flatMap((row) => [...row.values()].map((c) => String(c.value)));
    expect(texts).toContain("另有7项逾期（共27项），下表按来源计数；单独汇总某张计划表可列出它的全部逾期事项。");
  });

  it("replaces its own summary on a second run and keeps each sheet's own table", async () => {
    const { ops, model } = await openFixture();
    const first = await ops.summarizeAll({ lang: "zh-CN", asOf: NOW });
    const second = await ops.summarizeAll({ lang: "zh-CN", asOf: NOW });
    expect(second.sheet).toBe(first.sheet);
    expect(second.sources.map((s) => s.table)).toEqual(["Plan", "Plan2", "Plan3"]);
    expect(model.sheets.filter((s) => s.name.startsWith(first.sheet))).toHaveLength(1);
    expect(second.kpis.activities).toBe(17);
  });
});

describe("one plan sheet after the summary over all of them", () => {
  it("summarises a department sheet alone over its own table, not a second table laid over it", async () => {
    const { ops, model } = await openFixture();
    await ops.summarizeAll({ lang: "zh-CN", asOf: NOW });
    const one = await ops.summarize({ lang: "zh-CN", sheet: "学会部", asOf: NOW });
    expect(one.plan.table).toBe("Plan2");
    expect(one.kpis).toMatchObject({ activities: 5, completed: 2, overdue: 2 });
    expect(sheet(model, "学会部").tables.map((t) => t.name)).toEqual(["Plan2"]);
    // And the summary over all of them again finds every sheet's own table.
    const again = await ops.summarizeAll({ lang: "zh-CN", asOf: NOW });
    expect(again.sources.map((s) => s.table)).toEqual(["Plan", "Plan2", "Plan3"]);
    expect(again.kpis.activities).toBe(17);
  });
});

describe("restore after the summary over all plan sheets", () => {
  it("removes that summary and the restored sheet's entry, keeps the other sheets working, and clears all at the last", async () => {
    const { host, ops, model } = await openFixture();
    const before = cells(sheet(model, "学会部"));
    const all = await ops.summarizeAll({ lang: "zh-CN", asOf: NOW });
    const plansOf = () => {
      const v = model.settings.get("planLedger.plans");
      return v === undefined
        ? undefined
        : (JSON.parse(JSON.parse(v as string) as string) as { plans: { sheet: string }[] });
    };
    expect(plansOf()?.plans.map((p) => p.sheet)).toEqual(["办公室", "学会部", "科普部"]);
    const ours = () => model.names.filter((n) => n.name.startsWith("PlanLedger_")).map((n) => n.name);

    // 学会部 is not the sheet structured last (科普部 is): its lists sheet and names go all the same.
    const r = await ops.restore({ sheet: "学会部" });
    expect(r.removedSheets).toEqual(expect.arrayContaining([all.sheet]));
    expect(model.sheets.map((s) => s.name)).not.toContain(all.sheet);
    expect(cells(sheet(model, "学会部"))).toEqual(before);
    expect(plansOf()?.plans.map((p) => p.sheet)).toEqual(["办公室", "科普部"]);
    expect(ours().filter((n) => n.endsWith("_Plan2"))).toEqual([]);
    expect(ours().filter((n) => n.endsWith("_Plan3")).length).toBeGreaterThan(0);
    // The other sheets' statuses still compute from their own names (the shared as-of included).
    host.recalculate();
    const statuses = tableOf(model, "Plan3").map((row) => row["状态"] ?? row["跟踪状态"]);
    expect(statuses.every((v) => typeof v === "string" && v !== "" && !v.startsWith("#"))).toBe(true);

    await ops.restore({ sheet: "办公室" });
    await ops.restore({ sheet: "科普部" });
    expect(plansOf()).toBeUndefined();
    expect(ours()).toEqual([]);
    expect(model.sheets.filter((s) => s.visibility !== "Visible").map((s) => s.name)).toEqual([]);
  });
});

describe("a wide sheet among the plan sheets", () => {
  const MIXED = path.join(__dirname, "../fixtures/xlsx/multi/2025年办公室和宣传部计划.xlsx");

  it("is summarised through its items sheet, and Restore of it leaves the classic sheet's plan working", async () => {
    const model = await importXlsx(new Uint8Array(fs.readFileSync(MIXED)));
    const host = new OfflineHost(model, { now: () => NOW });
    const ops = createOfflineOperations(host, { now: () => NOW, fileName: () => path.basename(MIXED) });
    const found = await host.run((ctx) => findPlanSheets(ctx));
    expect(found.plans.map((p) => [p.name, p.wide ?? false])).toEqual([
      ["办公室", false],
      ["宣传部", true],
    ]);
    const wideBefore = cells(sheet(model, "宣传部"));
    const all = await ops.summarizeAll({ lang: "zh-CN", asOf: NOW });
    expect(all.sources.map((s) => [s.label, s.table, s.rows])).toEqual([
      ["办公室", "Plan", 6],
      ["宣传部", "Plan2", 7],
    ]);
    // The items sheet is Plan Ledger's: discovery does not list it, nor take it for a roll-up.
    const again = await host.run((ctx) => findPlanSheets(ctx));
    expect(again).toEqual({ plans: found.plans, rollUps: [] });

    const r = await ops.restore({ sheet: "宣传部" });
    expect(r.removedSheets).toEqual(expect.arrayContaining(["计划明细", all.sheet]));
    expect(cells(sheet(model, "宣传部"))).toEqual(wideBefore);
    const plans = JSON.parse(JSON.parse(model.settings.get("planLedger.plans") as string) as string) as {
      plans: { sheet: string }[];
    };
    expect(plans.plans.map((p) => p.sheet)).toEqual(["办公室"]);
    host.recalculate();
    const statuses = tableOf(model, "Plan").map((row) => row["状态"]);
    expect(statuses.filter((v) => typeof v !== "string" || v === "")).toEqual([]);
  });

  it("structured sheet by sheet, each keeps its configuration, and a summary of the first names the wide sheet", async () => {
    const model = await importXlsx(new Uint8Array(fs.readFileSync(MIXED)));
    const host = new OfflineHost(model, { now: () => NOW });
    const ops = createOfflineOperations(host, { now: () => NOW, fileName: () => path.basename(MIXED) });
    await ops.structure({ lang: "zh-CN", sheet: "办公室" });
    await ops.structure({ lang: "zh-CN", sheet: "宣传部" });
    const plans = JSON.parse(JSON.parse(model.settings.get("planLedger.plans") as string) as string) as {
      plans: { sheet: string; table: string; wide?: { sheet: string } }[];
    };
    expect(plans.plans.map((p) => [p.sheet, p.table, p.wide?.sheet])).toEqual([
      ["办公室", "Plan", undefined],
      ["计划明细", "Plan2", "宣传部"],
    ]);
    // 办公室 was not structured last: its own table is found again, not taken for a user's.
    const one = await ops.summarize({ lang: "zh-CN", sheet: "办公室", asOf: NOW });
    expect(one.kpis.activities).toBe(6);
    expect(one.planSheets).toEqual(["办公室", "宣传部"]);
    expect(model.sheets.filter((s) => s.tables.length > 0).map((s) => s.tables.map((t) => t.name))).toEqual(
      expect.arrayContaining([["Plan"], ["Plan2"]]),
    );
  });
});
