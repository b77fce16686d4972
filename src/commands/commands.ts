import { createOfficeOperations } from "../excel/office";
import { runGenerateSummary } from "./run";

/** Shows a failure where the user sees it: the task pane page in a dialog, opened at the error. */
function showError(_kind: "error", code: string, detail: string): void {
  const url = `${window.location.origin}/taskpane.html?view=summary&error=${encodeURIComponent(code)}&detail=${encodeURIComponent(detail)}`;
  Office.context.ui.displayDialogAsync(url, { height: 40, width: 30 });
}

async function generateSummary(event: Office.AddinCommands.Event): Promise<void> {
  await runGenerateSummary(createOfficeOperations(), Office.context.displayLanguage, event, showError);
}

void Office.onReady(() => {
  Office.actions.associate("generateSummary", generateSummary);
});
