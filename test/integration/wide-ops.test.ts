/**
 * Issue 17 §1 through the operations the task pane calls (preview, previewStructure, structure, check, summarize,
 * restore) over the offline host, on the wide workbooks openpyxl wrote (scripts/fixtures/wide_workbooks.py). The wide
 * sheet is never changed; the items sheet is built once and rebuilt only when the wide sheet's amounts change.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { createOfflineOperations } from "../../src/hosting/offline";
import { CONFIG_KEY, parseConfig } from "../../src/excel/config";
import { OfflineHost, type WorkbookModel } from "../../src/offline";
import { importXlsx } from "../../src/offline/xlsx";
import { sheetState } from "../support/sheets";

const FIXTURES = path.join(__dirname, "..", "fixtures", "xlsx", "wide");
const NOW = new Date(2026, 6, 15);
const WIDE = "2026年季度计划";

async function open(file: string) {
  const model = await importXlsx(new Uint8Array(fs.readFileSync(path.join(FIXTURES, file))));
  const host = new OfflineHost(model, { now: () => NOW });
  // openpyxl writes no cached values: computed once, as Excel does on open, so the snapshots compare what the user has.
  host.recalculate();
  return { model, host, ops: createOfflineOperations(host, { now: () => NOW, fileName: () => file }) };
}

const sheetOf = (model: WorkbookModel, name: string) => {
  const s = model.sheets.find((x) => x.name === name);
  if (!s) throw new Error(`no sheet ${name}: ${model.sheets.map((x) => x.name).join(", ")}`);
  return s;
};
const names = (model: WorkbookModel) => model.sheets.map((s) => s.name);

describe("wide layouts through the pane's operations", () => {
  it("preview and previewStructure read the items and write nothing", async () => {
    const { model, ops } = await open("quarters.xlsx");
    const before = JSON.stringify(sheetState(sheetOf(model, WIDE)));
    const preview = await ops.preview({ sheet: WIDE });
    expect(preview).toMatchObject({ sheet: WIDE, rows: 11, months: 4, owners: 3, structured: false });
    expect(preview.period).toEqual({ start: "2026-01", end: "2026-12" });
    // The wide sheet's own columns: the 全年计划 row total is not the target.
    expect(preview.mapping).toEqual({ activity: 1, owner: 2, unit: 3, notes: 13 });
    const p = await ops.previewStructure({ sheet: WIDE, lang: "zh-CN" });
    expect(p.items).toMatchObject({ sheet: "计划明细", source: WIDE, items: 11, added: 11, removed: 0 });
    expect(p).toMatchObject({ rows: 11, normalizedCells: 0, unmergedAreas: 0, addedColumns: [] });
    expect(names(model)).toEqual([WIDE]);
    expect(JSON.stringify(sheetState(sheetOf(model, WIDE)))).toBe(before);
  });

  it("structure builds the linked items sheet as a Plan table; a re-run writes nothing new; the wide sheet is unchanged", async () => {
    const { model, ops } = await open("quarters.xlsx");
    const before = JSON.stringify(sheetState(sheetOf(model, WIDE)));
    const r = await ops.structure({ sheet: WIDE, lang: "en-US" });
    // The workbook's language is its own (Chinese headers), whatever the pane shows.
    expect(r).toMatchObject({ sheet: "计划明细", table: "Plan", rows: 11, originalKept: false });
    expect(r.items).toMatchObject({ sheet: "计划明细", items: 11, added: 11, rebuilt: true });
    const items = sheetOf(model, "计划明细");
    expect(items.tables.map((t) => [t.name, t.ref])).toEqual([["Plan", { r0: 1, c0: 0, r1: 12, c1: 8 }]]);
    const config = parseConfig(JSON.parse(model.settings.get(CONFIG_KEY)!));
    expect(config?.sheet).toBe("计划明细");
    expect(config?.wide).toMatchObject({ sheet: WIDE });
    expect(JSON.stringify(sheetState(sheetOf(model, WIDE)))).toBe(before);

    const again = await ops.structure({ lang: "zh-CN" });
    expect(again.items).toMatchObject({ items: 11, added: 0, removed: 0, rebuilt: false });
    expect(names(model)).toEqual([WIDE, "计划明细", "计划台账列表"]);
    expect(sheetOf(model, "计划明细").tables).toHaveLength(1);
    expect(JSON.stringify(sheetState(sheetOf(model, WIDE)))).toBe(before);
  });

  it("check names the wide sheet's cells; emptying an amount removes its item and shrinks the table", async () => {
    const { model, ops, host } = await open("quarters.xlsx");
    await ops.summarize({ sheet: WIDE, lang: "zh-CN" });
    // The user types a word where 会员发展's Q3 plan was (I5) and clears 学术年会's only amount (I6).
    await host.run(async (context) => {
      const ws = context.workbook.worksheets.getItem(WIDE);
      ws.getRange("I5").values = [["待定"]];
      ws.getRange("I6").values = [[""]];
      await context.sync();
    });
    const c = await ops.check({});
    expect(c.sheet).toBe(WIDE);
    expect(c.rows).toBe(10);
    expect(c.findings.find((f) => f.code === "target.qualitative")).toMatchObject({ cell: "I5", field: "target" });
    expect(c.findings.find((f) => f.code === "target.qualitative")?.message["zh-CN"].startsWith("I5")).toBe(true);

    const s = await ops.summarize({ lang: "zh-CN" });
    expect(s.structured?.items).toMatchObject({ items: 10, added: 0, removed: 1, rebuilt: true });
    expect(s.model.activities).toBe(10);
    const byUnit = Object.fromEntries(s.model.byUnit.map((u) => [u.unit, u.target]));
    // 场: 5 + 6 + 8 + 7 (学术年会's 1 gone); 人: 20 × 3 (待定 is no number).
    expect(byUnit).toEqual({ 场: 26, 人: 60, 家: 5 });
    expect(sheetOf(model, "计划明细").tables[0].ref).toMatchObject({ r0: 1, r1: 11 });
    expect(names(model).filter((n) => n.startsWith("计划明细"))).toEqual(["计划明细"]);
  });

  it("an actual typed on the items sheet of a planned-only plan moves with its item when rows shift, and keeps it", async () => {
    const { model, ops, host } = await open("months.xlsx");
    const wide = "2026年度计划";
    await ops.summarize({ sheet: wide, lang: "zh-CN" });
    const items = () => sheetOf(model, "计划明细");
    const header = () => [...(items().rows.get(1)?.entries() ?? [])].find(([, c]) => c.value === "实际完成")?.[0];
    const actualCol = header();
    expect(actualCol).toBeDefined();
    // Items 5–8 are 会员发展's 1月, 2月, 4月, 7月 (科普讲座's five come first): 4 done of 2月's 5, typed on row 9.
    expect(
      items()
        .rows.get(2 + 6)
        ?.get(0)?.value,
    ).toBe(46054); // 2026-02-01
    await host.run(async (context) => {
      context.workbook.worksheets.getItem("计划明细").getCell(2 + 6, actualCol as number).values = [[4]];
      // A February talk for 科普讲座 (F3) comes before it: every later item moves down a row.
      context.workbook.worksheets.getItem(wide).getRange("F3").values = [[1]];
      await context.sync();
    });
    // Check, which writes nothing, sees the plan as the next summary will: 22 items, progress recorded.
    const c = await ops.check({});
    expect(c.rows).toBe(22);
    expect(c.findings.some((f) => f.code === "progress.untracked")).toBe(false);
    const s = await ops.summarize({ lang: "zh-CN" });
    expect(s.structured?.items).toMatchObject({ items: 22, added: 1, removed: 0, rebuilt: true });
    expect(s.model.tracked).toBe(true);
    host.recalculate();
    expect(
      items()
        .rows.get(2 + 7)
        ?.get(actualCol as number)?.value,
    ).toBe(4);
    expect(
      items()
        .rows.get(2 + 7)
        ?.get(1)?.value,
    ).toBe("会员发展");
    expect(
      items()
        .rows.get(2 + 6)
        ?.get(actualCol as number)?.value ?? "",
    ).toBe("");
    expect(s.model.byUnit.find((u) => u.unit === "人")).toMatchObject({ target: 33, actual: 4 });

    // 会员发展's 2月 plan emptied on the wide sheet: the item keeps its row while it holds the typed 4.
    await host.run(async (context) => {
      context.workbook.worksheets.getItem(wide).getRange("F4").values = [[""]];
      await context.sync();
    });
    const again = await ops.summarize({ lang: "zh-CN" });
    expect(again.structured?.items).toMatchObject({ items: 22 });
    expect(again.model.byUnit.find((u) => u.unit === "人")).toMatchObject({ target: 28, actual: 4 });
  });

  it("rows imported from a written plan are refused once the plan is a wide sheet's items (they would be overwritten)", async () => {
    const { model, ops, host } = await open("quarters.xlsx");
    await ops.structure({ sheet: WIDE, lang: "zh-CN" });
    host.recalculate();
    const items = JSON.stringify(sheetState(sheetOf(model, "计划明细")));
    const row = { bucket: null, activity: "新任务", owner: "科普部", category: "", unit: "场", target: 1, notes: "" };
    await expect(ops.importRows({ lang: "zh-CN", rows: [row] })).rejects.toMatchObject({
      code: "wideImport",
      params: { sheet: WIDE },
    });
    expect(JSON.stringify(sheetState(sheetOf(model, "计划明细")))).toBe(items);
  });

  it("restore removes what was added and leaves the wide sheet as it was", async () => {
    const { model, ops } = await open("quarters-en.xlsx");
    const wide = "Team's plan 2026";
    const before = JSON.stringify(sheetState(sheetOf(model, wide)));
    const s = await ops.summarize({ sheet: wide, lang: "en-US" });
    expect(s.plan.sheet).toBe("Plan activities");
    expect(s.model.activities).toBe(10);
    const r = await ops.restore({});
    expect(r.sheet).toBe(wide);
    expect(r.removedSheets.sort()).toEqual(["Plan activities", "PlanLists", "Summary"]);
    expect(r.removedTables).toEqual(["Plan"]);
    expect(names(model)).toEqual([wide]);
    expect(model.names.filter((n) => n.name.startsWith("PlanLedger_"))).toEqual([]);
    expect(model.settings.has(CONFIG_KEY)).toBe(false);
    expect(JSON.stringify(sheetState(sheetOf(model, wide)))).toBe(before);
  });
});
