/**
 * worksheets.onActivated in the offline host, as Excel raises it (ExcelApi 1.7, WorksheetActivatedEventArgs): after
 * the change, with the activated sheet's id, for activations by the API and by the user, until the handler is removed.
 */
import { createOperations } from "../../../../src/excel/bind";
import { OfflineHost, createWorkbookModel, sheetFromGrid } from "../../../../src/offline";

function host(apiVersion = "1.17"): OfflineHost {
  const model = createWorkbookModel([]);
  sheetFromGrid(model, "封面", [["2026年工作计划"]]);
  sheetFromGrid(model, "计划", [["月份", "工作任务"]]);
  sheetFromGrid(model, "隐藏", [["x"]]).visibility = "Hidden";
  return new OfflineHost(model, { apiVersion });
}

const tick = () => new Promise((r) => setTimeout(r, 5));

describe("worksheets.onActivated in the offline host", () => {
  it("calls the handler after Worksheet.activate() with the sheet's id, outside the sync", async () => {
    const h = host();
    const seen: string[] = [];
    const result = await h.run(async (ctx) => {
      const r = ctx.workbook.worksheets.onActivated.add(async (e) => void seen.push(`${e.type}:${e.worksheetId}`));
      await ctx.sync();
      return r;
    });
    const id = h.model.sheets[1].id;
    await h.run(async (ctx) => {
      ctx.workbook.worksheets.getItem("计划").activate();
      await ctx.sync();
      expect(seen).toEqual([]);
    });
    await tick();
    expect(seen).toEqual([`WorksheetActivated:${id}`]);
    // Activating the active sheet again is no change: no event.
    await h.run(async (ctx) => ctx.workbook.worksheets.getItem("计划").activate());
    await tick();
    expect(seen).toHaveLength(1);
    await h.run(async (ctx) => {
      void ctx;
      result.remove();
      await result.context.sync();
    });
    await h.run(async (ctx) => ctx.workbook.worksheets.getItem("封面").activate());
    await tick();
    expect(seen).toHaveLength(1);
  });

  it("tells the handlers when the user clicks a visible tab, not a hidden one", async () => {
    const h = host();
    const ops = createOperations((batch) => h.run(batch));
    const seen: string[] = [];
    const stop = await ops.onSheetActivated((name) => seen.push(name));
    expect(h.activateSheetAsUser("计划")).toBe(true);
    expect(h.activateSheetAsUser("隐藏")).toBe(false);
    await tick();
    await tick();
    expect(seen).toEqual(["计划"]);
    expect(h.model.sheets[h.model.activeSheet].name).toBe("计划");
    await ops.activateSheet("封面");
    await tick();
    await tick();
    expect(seen).toEqual(["计划", "封面"]);
    await stop();
    h.activateSheetAsUser("计划");
    await tick();
    await tick();
    expect(seen).toEqual(["计划", "封面"]);
  });

  it("lists the visible sheets and the active one", async () => {
    const h = host();
    const ops = createOperations((batch) => h.run(batch));
    await expect(ops.listSheets()).resolves.toEqual({ sheets: ["封面", "计划"], active: "封面" });
  });

  it("needs ExcelApi 1.7", async () => {
    const h = host("1.6");
    await expect(
      h.run(async (ctx) => {
        ctx.workbook.worksheets.onActivated.add(async () => undefined);
        await ctx.sync();
      }),
    ).rejects.toMatchObject({ code: "ApiNotFound" });
  });
});
