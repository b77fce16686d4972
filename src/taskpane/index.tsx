import { createRoot } from "react-dom/client";
import { createOfficeOperations } from "../excel/office";
import { paneRoot } from "./root";

/* Composition root: the only place that knows the pane runs inside Office. */
void Office.onReady().then(() => {
  const container = document.getElementById("root");
  if (container === null) throw new Error("taskpane.html has no #root element");
  createRoot(container).render(
    paneRoot(window.location.search, {
      // The .xlsx reader for collected returns is loaded only when the user collects some.
      ops: () =>
        createOfficeOperations(async (file, lang) => (await import("../hosting/returns")).openReturnFile(file, lang)),
      selfTest: async () => {
        const { excelContractHost, excelHostInfo, removeScratch } = await import("../excel/selftest");
        return {
          host: excelContractHost(),
          info: excelHostInfo(),
          cleanup: (prefix) => removeScratch((batch) => Excel.run(batch), prefix),
        };
      },
      // In the ribbon's error dialog the only Office call available: ask the command to close the dialog.
      closeDialog: () => Office.context.ui.messageParent("close"),
      displayLanguage: Office.context.displayLanguage,
    }),
  );
});
