/**
 * Issue 16 §1: the original of a plan sheet is kept before Plan Ledger first writes to it, and restore puts it back
 * cell for cell (values, formulas, merges, number formats, validation, conditional formats, widths, frozen panes) and
 * removes what Plan Ledger added — also after the workbook was saved and opened again (.xlsx round trip).
 */
import { createOfflineOperations } from "../../src/hosting/offline";
import { CONFIG_KEY } from "../../src/excel/config";
import { PlanLedgerError } from "../../src/excel/operations";
import { ORIGINAL_KEY, parseOriginals } from "../../src/excel/config";
import { OfflineHost, createWorkbookModel, sheetFromGrid, type WorkbookModel } from "../../src/offline";
import { exportXlsx, importXlsx } from "../../src/offline/xlsx";
import { ledgerZh, ledgerZhMerges } from "../fixtures/sheets";
import { addMerges, sheetState } from "../support/sheets";

const NOW = new Date(2025, 9, 15);

function open(model: WorkbookModel) {
  const host = new OfflineHost(model, { now: () => NOW });
  return { host, ops: createOfflineOperations(host, { now: () => NOW }), model };
}

/** The ledger as a user keeps it: merges, a total formula, their own validation, colours, widths, frozen header. */
async function usersLedger(): Promise<WorkbookModel> {
  const model = createWorkbookModel([]);
  addMerges(sheetFromGrid(model, "2025年台账", ledgerZh as unknown[][]), ledgerZhMerges);
  sheetFromGrid(model, "其他", [["计划合计", "='2025年台账'!G18"]]);
  model.activeSheet = 0;
  const { host } = open(model);
  await host.run(async (context) => {
    const ws = context.workbook.worksheets.getItem("2025年台账");
    ws.getRange("G18:H18").formulas = [["=SUM(G5:G17)", "=SUM(H5:H17)"]];
    ws.getRange("D5:D17").dataValidation.rule = {
      list: { inCellDropDown: true, source: "科普部,学会部,青少部,办公室" },
    };
    const cf = ws.getRange("H5:H17").conditionalFormats.add("CellValue");
    cf.cellValue.rule = { formula1: "10", operator: "GreaterThan" };
    cf.cellValue.format.fill.color = "#FFEB9C";
    ws.getRange("A3:J3").format.fill.color = "#D9E1F2";
    ws.getRange("A3:J3").format.font.bold = true;
    ws.getRange("G5:H17").numberFormat = Array.from({ length: 13 }, () => ["#,##0", "#,##0"]);
    ws.getRange("C:C").format.columnWidth = 150;
    ws.getRange("J:J").format.columnWidth = 90;
    ws.freezePanes.freezeRows(3);
    await context.sync();
  });
  return model;
}

async function roundTrip(model: WorkbookModel): Promise<WorkbookModel> {
  return importXlsx(await exportXlsx(model));
}

function sheet(model: WorkbookModel, name: string) {
  const s = model.sheets.find((x) => x.name === name);
  if (!s) throw new Error(`no sheet ${name}: ${model.sheets.map((x) => x.name).join(", ")}`);
  return s;
}

/** What the user sees of a plan sheet; page setup apart (see the test on it). */
function planStateOf(model: WorkbookModel, name: string) {
  const { pageSetup: _ignored, ...rest } = sheetState(sheet(model, name));
  return rest;
}

function planState(model: WorkbookModel) {
  return planStateOf(model, "2025年台账");
}

/** The originals recorded in the workbook's settings (the model keeps each setting's value as JSON). */
function kept(model: WorkbookModel) {
  const stored = model.settings.get(ORIGINAL_KEY);
  return stored === undefined ? [] : parseOriginals(JSON.parse(stored));
}

function workbookState(model: WorkbookModel) {
  return {
    sheets: model.sheets.map((s) => [s.name, s.visibility]),
    names: model.names.map((n) => n.name),
    settings: [...model.settings.keys()],
  };
}

describe("restore", () => {
  it("structure → summarise → save and reopen → restore gives the original sheet back cell for cell", async () => {
    const original = await roundTrip(await usersLedger());
    const before = planState(original);
    const wbBefore = workbookState(original);
    expect(before.merges.length).toBe(7);
    expect(before.validations.length).toBe(1);
    expect(before.conditionalFormats.length).toBe(1);

    const { ops } = open(original);
    const structured = await ops.structure({ lang: "zh-CN" });
    expect(structured.originalKept).toBe(true);
    await ops.summarize({ lang: "zh-CN", asOf: NOW });
    // The sheet changed (table, unmerged months, numbers) and the original rides in the file, very hidden.
    const saved = await roundTrip(original);
    expect(planState(saved)).not.toEqual(before);
    const originals = kept(saved);
    expect(originals.map((k) => k.sheet)).toEqual(["2025年台账"]);
    expect(sheet(saved, originals[0].backup).visibility).toBe("VeryHidden");

    const { ops: reopened } = open(saved);
    const result = await reopened.restore({});
    expect(result.sheet).toBe("2025年台账");
    expect(result.removedTables).toEqual(["Plan"]);
    expect(result.removedSheets.sort()).toEqual(["汇总", "计划台账列表"].sort());
    expect(result.removedSettings).toBe(true);
    expect(result.removedNames).toBeGreaterThan(5);

    const after = await roundTrip(saved);
    expect(planState(after)).toEqual(before);
    expect(workbookState(after)).toEqual(wbBefore);
    expect(after.settings.has(CONFIG_KEY)).toBe(false);
    // The other sheet's formula still points at the plan's total, which adds the original numbers again (12+4+31+6+4+50+1;
    // structuring had made 1万 a number it added).
    const { host } = open(after);
    host.recalculate();
    expect(sheet(after, "其他").rows.get(0)?.get(1)).toMatchObject({ formula: "='2025年台账'!G18", value: 108 });
  });

  it("removes the full overdue list a long summary put on its own sheet", async () => {
    const grid: unknown[][] = [["2025年工作计划"], ["月份", "工作任务", "责任部门", "计划数", "完成数"]];
    for (let i = 1; i <= 30; i++) grid.push([`${(i % 6) + 1}月`, `任务${i}`, i % 2 ? "办公室" : "科普部", 2, ""]);
    const model = createWorkbookModel([]);
    sheetFromGrid(model, "计划", grid);
    const wbBefore = workbookState(model);
    const { ops } = open(model);
    await ops.structure({ lang: "zh-CN" });
    await ops.summarize({ lang: "zh-CN", asOf: NOW });
    // More than 20 overdue items: the whole list is on a sheet of its own.
    expect(model.sheets.length).toBe(wbBefore.sheets.length + 4);
    const result = await open(model).ops.restore({});
    expect(result.removedSheets).toHaveLength(3);
    expect(workbookState(model)).toEqual(wbBefore);
  });

  it("keeps only the first original: a second structure does not replace it, and restore brings back the first", async () => {
    const model = await usersLedger();
    const before = planState(model);
    const { ops } = open(model);
    expect((await ops.structure({ lang: "zh-CN" })).originalKept).toBe(true);
    // The user edits the structured plan, then structures again.
    const { host } = open(model);
    await host.run(async (context) => {
      context.workbook.worksheets.getItem("2025年台账").getRange("C6").values = [["改过的任务"]];
      await context.sync();
    });
    expect((await ops.structure({ lang: "zh-CN" })).originalKept).toBe(false);
    expect(kept(model)).toHaveLength(1);
    await ops.restore({ sheet: "2025年台账" });
    expect(planState(model)).toEqual(before);
  });

  it("puts the page setup structuring chose back to Excel's defaults", async () => {
    const model = await usersLedger();
    const { ops } = open(model);
    await ops.structure({ lang: "zh-CN" });
    expect(sheet(model, "2025年台账").pageSetup?.orientation).toBe("Landscape");
    await ops.restore({});
    const page = sheet(model, "2025年台账").pageSetup ?? {};
    expect(page.orientation).toBe("Portrait");
    expect(page.scale).toBe(100);
    expect(page.centerHorizontally).toBe(false);
  });

  it("structures again after a restore, keeping a new original", async () => {
    const model = await usersLedger();
    const before = planState(model);
    const { ops } = open(model);
    await ops.structure({ lang: "zh-CN" });
    await ops.restore({});
    const again = await ops.structure({ lang: "zh-CN" });
    expect(again.originalKept).toBe(true);
    expect(again.table).toBe("Plan");
    const summary = await ops.summarize({ lang: "zh-CN", asOf: NOW });
    expect(summary.kpis.activities).toBe(11);
    await ops.restore({});
    expect(planState(model)).toEqual(before);
  });

  it("says so when Plan Ledger never changed the sheet, and changes nothing", async () => {
    const model = await usersLedger();
    const before = JSON.stringify(workbookState(model)) + JSON.stringify(planState(model));
    const { ops } = open(model);
    const err = await ops.restore({}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PlanLedgerError);
    expect((err as PlanLedgerError).code).toBe("noOriginal");
    expect((err as PlanLedgerError).params).toEqual({ sheet: "2025年台账" });
    expect(JSON.stringify(workbookState(model)) + JSON.stringify(planState(model))).toBe(before);
  });

  describe("removing the kept original", () => {
    it("drops the very hidden copy and its record, leaves the plan and summary as they are, and shrinks the file", async () => {
      const model = await usersLedger();
      const { ops } = open(model);
      await ops.summarize({ lang: "zh-CN", asOf: NOW });
      expect((await ops.preview({})).originalKept).toBe(true);
      const withCopy = await exportXlsx(model);
      const plan = JSON.stringify(planState(model));
      const others = model.sheets.filter((s) => s.visibility !== "VeryHidden").map((s) => s.name);

      const result = await ops.discardOriginal({});
      expect(result).toEqual({ sheet: "2025年台账", backup: "PlanLedger_Original" });
      expect(model.sheets.map((s) => s.name)).toEqual(others);
      expect(model.settings.has(ORIGINAL_KEY)).toBe(false);
      expect(JSON.stringify(planState(model))).toBe(plan);
      expect(model.settings.has(CONFIG_KEY)).toBe(true);
      expect((await ops.preview({})).originalKept).toBe(false);
      const without = await exportXlsx(model);
      expect(without.byteLength).toBeLessThan(withCopy.byteLength);

      // Restore is then refused, and so is a second removal, both with the same message; nothing changes.
      const saved = await roundTrip(model);
      const state = JSON.stringify(workbookState(saved)) + JSON.stringify(planState(saved));
      const { ops: reopened } = open(saved);
      for (const attempt of [() => reopened.restore({}), () => reopened.discardOriginal({})]) {
        const err = await attempt().catch((e: unknown) => e);
        expect(err).toBeInstanceOf(PlanLedgerError);
        expect((err as PlanLedgerError).code).toBe("noOriginal");
      }
      expect(JSON.stringify(workbookState(saved)) + JSON.stringify(planState(saved))).toBe(state);
    });

    it("removes only the asked sheet's copy: another plan sheet can still be restored", async () => {
      const model = await usersLedger();
      const grid: unknown[][] = [["月份", "工作任务", "责任部门", "计划数"]];
      for (let i = 1; i <= 6; i++) grid.push([`${i}月`, `任务${i}`, "办公室", 2]);
      sheetFromGrid(model, "二季度", grid);
      const second = planStateOf(model, "二季度");
      const { ops } = open(model);
      await ops.summarizeAll({ lang: "zh-CN", asOf: NOW });
      expect(
        kept(model)
          .map((k) => k.sheet)
          .sort(),
      ).toEqual(["2025年台账", "二季度"].sort());

      await ops.discardOriginal({ sheet: "2025年台账" });
      expect(kept(model).map((k) => k.sheet)).toEqual(["二季度"]);
      await ops.restore({ sheet: "二季度" });
      expect(planStateOf(model, "二季度")).toEqual(second);
      const err = await ops.restore({ sheet: "2025年台账" }).catch((e: unknown) => e);
      expect((err as PlanLedgerError).code).toBe("noOriginal");
    });

    it("is not kept at all when structuring is asked not to (the command line's --no-original)", async () => {
      const model = await usersLedger();
      const { ops } = open(model);
      const preview = await ops.previewStructure({ lang: "zh-CN", keepOriginal: false });
      expect(preview.original).toBe("none");
      const result = await ops.structure({ lang: "zh-CN", keepOriginal: false });
      expect(result.originalKept).toBe(false);
      expect(model.sheets.some((s) => s.visibility === "VeryHidden")).toBe(false);
      expect(model.settings.has(ORIGINAL_KEY)).toBe(false);
    });
  });
});
