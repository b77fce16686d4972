import { createOperations } from "./bind";
import type { WorkbookOpener } from "./collect";
import type { PlanOperations } from "./operations";

/**
 * The operations inside Excel: each call is one Excel.run batch. The workbook's file name (Office.context.document.url,
 * a path or URL; empty for a new unsaved workbook) is one source of the plan period. `openReturn` reads the returns
 * departments send (the pane gives it our .xlsx reader, loaded on demand).
 */
export function createOfficeOperations(openReturn?: WorkbookOpener): PlanOperations {
  return createOperations((batch) => Excel.run(batch), {
    openReturn,
    runIn: (context, batch) => Excel.run(context, batch),
    fileName: () => {
      const url = typeof Office !== "undefined" ? Office.context?.document?.url : undefined;
      if (!url) return undefined;
      const bare = url.replace(/[?#].*$/, "");
      // A local path is not URL-encoded and may hold a bare % (100%计划.xlsx): then the text is the name.
      try {
        return decodeURIComponent(bare);
      } catch {
        return bare;
      }
    },
  });
}
