import { OfflineHost, createWorkbookModel, sheetFromGrid } from "../../../../src/offline";
import { parseAddress, rectToA1 } from "../../../../src/offline/host/address";
import { codeOf } from "../../../support/errors";

describe("offline host limits and options", () => {
  test("in web mode a sync whose request exceeds 5 MB fails with RequestPayloadSizeLimitExceeded", async () => {
    const host = new OfflineHost(undefined, { mode: "web" });
    const rows = Array.from({ length: 70000 }, (_, i) => [`第${i}项工作任务说明文字`, i, "科普部", "备注备注备注备注"]);
    const code = await codeOf(
      host.run(
        async (context) =>
          void (context.workbook.worksheets.getActiveWorksheet().getRange(`A1:D${rows.length}`).values = rows),
      ),
    );
    expect(code).toBe("RequestPayloadSizeLimitExceeded");
    expect(host.stats.maxRequestBytes).toBeGreaterThan(5 * 1024 * 1024);
    expect(host.stats.rejectedSyncs).toBe(1);
    expect(host.stats.responses).toEqual([]);
  });

  test("in desktop mode the same write succeeds and the counters record it", async () => {
    const host = new OfflineHost();
    const rows = Array.from({ length: 60000 }, (_, i) => [`第${i}项工作任务说明文字`, i, "科普部", "备注备注备注备注"]);
    await host.run(
      async (context) =>
        void (context.workbook.worksheets.getActiveWorksheet().getRange(`A1:D${rows.length}`).values = rows),
    );
    expect(host.stats.syncs).toBe(1);
    expect(host.stats.requests).toHaveLength(1);
    expect(host.stats.responses).toHaveLength(1);
    expect(host.stats.rejectedSyncs).toBe(0);
    expect(host.stats.objectsCreated).toBeGreaterThanOrEqual(3);
    host.resetStats();
    expect(host.stats).toEqual({
      syncs: 0,
      maxRequestBytes: 0,
      maxResponseBytes: 0,
      objectsCreated: 0,
      requests: [],
      responses: [],
      rejectedSyncs: 0,
      maxRejectedResponseBytes: 0,
    });
  });

  test("reading more than 5,000,000 cells of a bounded range fails with RangeExceedsLimit", async () => {
    const host = new OfflineHost();
    const code = await codeOf(
      host.run(
        async (context) => void context.workbook.worksheets.getActiveWorksheet().getRange("A1:F1000000").load("values"),
      ),
    );
    expect(code).toBe("RangeExceedsLimit");
  });

  test("a host running ExcelApi 1.8 rejects 1.12 custom properties and 1.13 resize, and says so in isSetSupported", async () => {
    const host = new OfflineHost(undefined, { apiVersion: "1.8" });
    expect(host.isSetSupported("1.8")).toBe(true);
    expect(host.isSetSupported("1.12")).toBe(false);
    const code = await codeOf(
      host.run(async (context) => void context.workbook.worksheets.getActiveWorksheet().customProperties.add("k", "v")),
    );
    expect(code).toBe("ApiNotFound");
    const ok = await codeOf(
      host.run(
        async (context) =>
          void (context.workbook.worksheets.getActiveWorksheet().getRange("A1:A3").dataValidation.rule = {
            wholeNumber: { formula1: 0, operator: "GreaterThan" },
          }),
      ),
    );
    expect(ok).toBeNull();
  });

  test("simulated cell-edit mode fails the next sync only", async () => {
    const host = new OfflineHost();
    host.simulateCellEditMode();
    const write = (v: number) =>
      host.run(
        async (context) => void (context.workbook.worksheets.getActiveWorksheet().getRange("A1").values = [[v]]),
      );
    expect(await codeOf(write(1))).toBe("InvalidOperationInCellEditMode");
    expect(await codeOf(write(2))).toBeNull();
  });

  test("a failed sync keeps earlier actions of the batch and delivers no loaded values", async () => {
    const host = new OfflineHost();
    const range = await host.run(async (context) => {
      const ws = context.workbook.worksheets.getActiveWorksheet();
      ws.getRange("A1").values = [["kept"]];
      const r = ws.getRange("A1").load("values");
      ws.getRange("B1:C1").values = [[1]];
      await context.sync().catch((e: { code: string }) => expect(e.code).toBe("InvalidArgument"));
      return r;
    });
    expect(() => range.values).toThrow();
    expect(host.model.sheets[0].rows.get(0)?.get(0)?.value).toBe("kept");
  });

  test("recalculate() refreshes cached formula values in the model for exporters", () => {
    const model = createWorkbookModel([]);
    sheetFromGrid(model, "计划", [[2, 3, "=A1*B1"]]);
    const host = new OfflineHost(model);
    host.recalculate();
    expect(model.sheets[0].rows.get(0)?.get(2)?.value).toBe(6);
  });

  test("addresses parse and print in A1 forms including whole rows and columns", () => {
    expect(parseAddress("'汇总 表'!B2:C3")).toEqual({ sheet: "汇总 表", rect: { r0: 1, c0: 1, r1: 2, c1: 2 } });
    expect(rectToA1(parseAddress("A:F")!.rect)).toBe("A:F");
    expect(rectToA1(parseAddress("2:4")!.rect)).toBe("2:4");
    expect(rectToA1(parseAddress("$XFD$1048576")!.rect, true)).toBe("$XFD$1048576");
    expect(parseAddress("A0")).toBeNull();
    expect(parseAddress("XFE1")).toBeNull();
  });
});
