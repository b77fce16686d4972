import { checkPlan, previewPlan } from "./check";
import type { PlanOperations } from "./operations";
import { previewStructure, structurePlan } from "./structure";
import { generateSummary } from "./summary";
import { importRows } from "./import";
import { restoreOriginal } from "./restore";

/** Runs a batch against a workbook: Excel.run in Office, the offline host's run elsewhere. */
export type ExcelRunner = <T>(batch: (context: Excel.RequestContext) => Promise<T>) => Promise<T>;

/**
 * Binds the Excel operations to a runner; `now` fixes the clock for tests, the CLI's --as-of and the workbench;
 * `fileName` gives the workbook's name (a source of the plan period) where the caller did not.
 */
export function createOperations(
  run: ExcelRunner,
  opts: { now?: () => Date; fileName?: () => string | undefined } = {},
): PlanOperations {
  const now = () => (opts.now ? opts.now() : new Date());
  const file = (o: { fileName?: string }) => o.fileName ?? opts.fileName?.();
  return {
    preview: (o) => run((ctx) => previewPlan(ctx, { ...o, fileName: file(o), now: now() })),
    structure: (o) => run((ctx) => structurePlan(ctx, { ...o, fileName: file(o), now: now() })),
    previewStructure: (o) => run((ctx) => previewStructure(ctx, { ...o, fileName: file(o), now: now() })),
    check: (o) => run((ctx) => checkPlan(ctx, { ...o, fileName: file(o), now: now() })),
    summarize: (o) =>
      run((ctx) =>
        generateSummary(ctx, {
          ...o,
          restructure: o.restructure ? { ...o.restructure, fileName: file(o.restructure) } : undefined,
          fileName: opts.fileName?.(),
          now: o.asOf ?? now(),
        }),
      ),
    importRows: (o) => run((ctx) => importRows(ctx, { ...o, now: now() })),
    restore: (o) => run((ctx) => restoreOriginal(ctx, o)),
    selectCell: (sheet, address) =>
      run(async (ctx) => {
        const ws = ctx.workbook.worksheets.getItem(sheet);
        ws.activate();
        ws.getRange(address).select();
        await ctx.sync();
      }),
    activateSheet: (sheet) =>
      run(async (ctx) => {
        ctx.workbook.worksheets.getItem(sheet).activate();
        await ctx.sync();
      }),
  };
}
