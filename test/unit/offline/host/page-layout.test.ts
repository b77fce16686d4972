import { OfflineHost, createWorkbookModel } from "../../../../src/offline";
import { exportXlsx, importXlsx } from "../../../../src/offline/xlsx";
import { codeOf } from "../../../support/errors";

const active = (context: Excel.RequestContext) => context.workbook.worksheets.getActiveWorksheet();

describe("PageLayout on the offline host", () => {
  test("a host running ExcelApi 1.8 rejects worksheet.pageLayout with ApiNotFound, in a write and in a load path", async () => {
    const old = new OfflineHost(undefined, { apiVersion: "1.8" });
    const write = await codeOf(old.run(async (context) => void (active(context).pageLayout.orientation = "Landscape")));
    expect(write).toBe("ApiNotFound");
    expect(old.model.sheets[0].pageSetup).toBeUndefined();
    // The load reaches pageLayout while the sync runs: that same sync must fail, not the next one.
    let first: string | null = "not reached";
    await old.run(async (context) => {
      active(context).load("name, pageLayout/orientation");
      first = await codeOf(context.sync());
    });
    expect(first).toBe("ApiNotFound");
    const current = new OfflineHost(undefined, { apiVersion: "1.9" });
    expect(
      await codeOf(current.run(async (context) => void (active(context).pageLayout.orientation = "Landscape"))),
    ).toBeNull();
    expect(current.model.sheets[0].pageSetup).toEqual({ orientation: "Landscape" });
  });

  test("the model holds no pageSetup until something is set, then exactly what was set", async () => {
    const host = new OfflineHost();
    await host.run(async (context) => {
      active(context).pageLayout.load("orientation, zoom, centerHorizontally");
      await context.sync();
    });
    expect(host.model.sheets[0].pageSetup).toBeUndefined();
    await host.run(async (context) => {
      const pl = active(context).pageLayout;
      pl.zoom = { scale: 70 };
      pl.centerHorizontally = true;
      pl.setPrintTitleRows("A3:J4"); // the brief's form: any range is taken by its rows
    });
    expect(host.model.sheets[0].pageSetup).toEqual({
      scale: 70,
      centerHorizontally: true,
      printTitleRows: { r0: 2, r1: 3 },
    });
    await host.run(
      async (context) => void (active(context).pageLayout.zoom = { horizontalFitToPages: 1, verticalFitToPages: 0 }),
    );
    expect(host.model.sheets[0].pageSetup).toEqual({
      fitToWidth: 1,
      fitToHeight: 0,
      centerHorizontally: true,
      printTitleRows: { r0: 2, r1: 3 },
    });
  });

  test("a fit direction left out keeps its value; both fit values and a scale together, or non-integers, are rejected", async () => {
    const host = new OfflineHost();
    const zoom = (z: Excel.PageLayoutZoomOptions) =>
      codeOf(host.run(async (context) => void (active(context).pageLayout.zoom = z)));
    expect(await zoom({ horizontalFitToPages: 2 })).toBeNull();
    expect(host.model.sheets[0].pageSetup).toEqual({ fitToWidth: 2, fitToHeight: 1 });
    expect(await zoom({ verticalFitToPages: 0 })).toBeNull();
    expect(host.model.sheets[0].pageSetup).toEqual({ fitToWidth: 2, fitToHeight: 0 });
    expect(await zoom({ scale: 50, horizontalFitToPages: 1 })).toBe("InvalidArgument");
    expect(await zoom({ horizontalFitToPages: -1 })).toBe("InvalidArgument");
    expect(await zoom({ verticalFitToPages: 1.5 })).toBe("InvalidArgument");
    expect(await zoom({ scale: 9 })).toBe("InvalidArgument");
    expect(await zoom({ scale: 55.5 })).toBe("InvalidArgument");
    expect(host.model.sheets[0].pageSetup).toEqual({ fitToWidth: 2, fitToHeight: 0 });
  });

  test("print title rows from a Range on another sheet are rejected; getPrintTitleRows fails when none are set", async () => {
    const host = new OfflineHost(createWorkbookModel(["计划", "汇总"]));
    const other = await codeOf(
      host.run(async (context) => {
        const sheets = context.workbook.worksheets;
        sheets.getItem("计划").pageLayout.setPrintTitleRows(sheets.getItem("汇总").getRange("1:1"));
      }),
    );
    expect(other).toBe("InvalidArgument");
    const missing = await codeOf(
      host.run(async (context) => void active(context).pageLayout.getPrintTitleRows().load("address")),
    );
    expect(missing).toBe("ItemNotFound");
  });

  test("whole-row inserts and deletes move print title rows; deleting all of them drops them", async () => {
    const host = new OfflineHost();
    const sheet = host.model.sheets[0];
    const edit = (fn: (ws: Excel.Worksheet) => void) => host.run(async (context) => fn(active(context)));
    await edit((ws) => ws.pageLayout.setPrintTitleRows("$3:$4"));
    await edit((ws) => void ws.getRange("1:2").insert("Down"));
    expect(sheet.pageSetup?.printTitleRows).toEqual({ r0: 4, r1: 5 });
    // Cells inserted in part of the rows do not move whole rows.
    await edit((ws) => void ws.getRange("A1:C1").insert("Down"));
    expect(sheet.pageSetup?.printTitleRows).toEqual({ r0: 4, r1: 5 });
    await edit((ws) => void ws.getRange("6:7").delete("Up"));
    expect(sheet.pageSetup?.printTitleRows).toEqual({ r0: 4, r1: 4 });
    await edit((ws) => void ws.getRange("5:5").delete("Up"));
    expect(sheet.pageSetup).toBeUndefined();
  });

  test("paperSize takes Excel's PaperType names, is held as the ECMA-376 code and survives .xlsx", async () => {
    const host = new OfflineHost();
    expect(await codeOf(host.run(async (context) => void (active(context).pageLayout.paperSize = "A4")))).toBeNull();
    expect(host.model.sheets[0].pageSetup).toEqual({ paperSize: 9 });
    const bad = host.run(async (context) => void (active(context).pageLayout.paperSize = "B9" as Excel.PaperType));
    expect(await codeOf(bad)).toBe("InvalidArgument");
    const back = await importXlsx(await exportXlsx(host.model));
    expect(back.sheets[0].pageSetup).toEqual({ paperSize: 9 });
    const again = new OfflineHost(back);
    let read = "";
    await again.run(async (context) => {
      const pl = active(context).pageLayout;
      pl.load("paperSize");
      await context.sync();
      read = pl.paperSize;
    });
    expect(read).toBe("A4");
  });
});
