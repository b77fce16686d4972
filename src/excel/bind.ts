import { checkPlan, previewPlan } from "./check";
import type { PlanOperations } from "./operations";
import { previewStructure, structurePlan } from "./structure";
import { discardOriginal, restoreOriginal } from "./restore";
import type { WorkbookOpener } from "./collect";

/** Runs a batch against a workbook: Excel.run in Office, the offline host's run elsewhere. */
export type ExcelRunner = <T>(batch: (context: Excel.RequestContext) => Promise<T>) => Promise<T>;

/** Runs a batch in an existing request context (Excel.run(context, batch)): removing an event handler needs its own. */
export type ContextRunner = <T>(
  context: Excel.RequestContext,
  batch: (context: Excel.RequestContext) => Promise<T>,
) => Promise<T>;

/** Like Excel.run(context, batch) where the host has no such overload: the batch, then a sync of what it queued. */
const inContext: ContextRunner = async (context, batch) => {
  const result = await batch(context);
  await context.sync();
  return result;
};

/**
 * Binds the Excel operations to a runner; `now` fixes the clock for tests, the CLI's --as-of and the workbench;
 * `fileName` gives the workbook's name (a source of the plan period) where the caller did not.
 */
export function createOperations(
  run: ExcelRunner,
  opts: {
    now?: () => Date;
    fileName?: () => string | undefined;
    runIn?: ContextRunner;
    /** Opens a returned .xlsx for collectReturns (the offline host over its bytes; see src/hosting/returns.ts). */
    openReturn?: WorkbookOpener;
  } = {},
): PlanOperations {
  const now = () => (opts.now ? opts.now() : new Date());
  // Summaries, import, collect and templates are loaded on first call: the pane opens with the preview and check
  // only, so their code stays out of its first download (issue 18: ≤ 250 KB gzipped); the CLI just requires them.
  const file = (o: { fileName?: string }) => o.fileName ?? opts.fileName?.();
  return {
    preview: (o) => run((ctx) => previewPlan(ctx, { ...o, fileName: file(o), now: now() })),
    structure: (o) => run((ctx) => structurePlan(ctx, { ...o, fileName: file(o), now: now() })),
    previewStructure: (o) => run((ctx) => previewStructure(ctx, { ...o, fileName: file(o), now: now() })),
    check: (o) => run((ctx) => checkPlan(ctx, { ...o, fileName: file(o), now: now() })),
    summarize: async (o) => {
      const { generateSummary } = await import("./summary");
      return run((ctx) =>
        generateSummary(ctx, {
          ...o,
          restructure: o.restructure ? { ...o.restructure, fileName: file(o.restructure) } : undefined,
          fileName: opts.fileName?.(),
          now: o.asOf ?? now(),
        }),
      );
    },
    summarizeAll: async (o) => {
      const { generateAllSheetsSummary } = await import("./summary-all");
      return run((ctx) => generateAllSheetsSummary(ctx, { ...o, fileName: file(o), now: o.asOf ?? now() }));
    },
    importRows: async (o) => {
      const { importRows } = await import("./import");
      return run((ctx) => importRows(ctx, { ...o, now: now() }));
    },
    knownValues: async () => {
      const { knownValues } = await import("./import");
      return run((ctx) => knownValues(ctx, now()));
    },
    restore: (o) => run((ctx) => restoreOriginal(ctx, o)),
    discardOriginal: (o) => run((ctx) => discardOriginal(ctx, o)),
    collectReturns: async (o) => {
      const open = opts.openReturn;
      // A binding without a reader of .xlsx files is a wiring mistake, said as such rather than collecting nothing.
      if (open === undefined) throw new Error("collectReturns: no .xlsx reader was bound");
      const { collectReturns } = await import("./collect");
      return run((ctx) => collectReturns(ctx, open, { ...o, now: now() }));
    },
    makeTemplate: async (o) => {
      const { makeTemplate } = await import("./template");
      return run((ctx) => makeTemplate(ctx, { ...o, now: now() }));
    },
    selectCell: (sheet, address) =>
      run(async (ctx) => {
        const ws = ctx.workbook.worksheets.getItem(sheet);
        ws.activate();
        ws.getRange(address).select();
        await ctx.sync();
      }),
    listSheets: () =>
      run(async (ctx) => {
        const sheets = ctx.workbook.worksheets.load("items/name,items/visibility");
        const active = ctx.workbook.worksheets.getActiveWorksheet().load("name");
        await ctx.sync();
        return {
          sheets: sheets.items.filter((s) => s.visibility === "Visible").map((s) => s.name),
          active: active.name,
        };
      }),
    onSheetActivated: (handler) =>
      run(async (ctx) => {
        // worksheets.onActivated: ExcelApi 1.7, under the manifest's 1.8 (learn.microsoft.com/javascript/api/excel/
        // excel.worksheetcollection#excel-excel-worksheetcollection-onactivated-member). The event names the sheet by
        // id; the handler reads its name in a batch of its own, as Microsoft's event samples do.
        const registration = ctx.workbook.worksheets.onActivated.add(async (event) => {
          const name = await run(async (c) => {
            const ws = c.workbook.worksheets.getItem(event.worksheetId).load("name");
            await c.sync();
            return ws.name;
          });
          handler(name);
        });
        await ctx.sync();
        // Removing goes through the context that added the handler ("Remove an event handler", learn.microsoft.com
        // /office/dev/add-ins/excel/excel-add-ins-events).
        return () =>
          (opts.runIn ?? inContext)(registration.context as Excel.RequestContext, async (c) => {
            registration.remove();
            await c.sync();
          });
      }),
    activateSheet: (sheet) =>
      run(async (ctx) => {
        ctx.workbook.worksheets.getItem(sheet).activate();
        await ctx.sync();
      }),
  };
}
