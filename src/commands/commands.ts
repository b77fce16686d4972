import { createOfficeOperations } from "../excel/office";
import { errorDialogUrl, type ReportedFailure } from "../taskpane/view";
import { runGenerateSummary } from "./run";

/** The dialog closes itself after this long, so the command completes well within Office's five-minute limit. */
const DIALOG_LIFETIME_MS = 4 * 60 * 1000;

/**
 * Shows a failure in a dialog: taskpane.html in its error view, which reads everything it shows from the URL and makes
 * no Excel call (a dialog can only message its parent). Resolves when the dialog is closed by its button, by the
 * user, after {@link DIALOG_LIFETIME_MS}, or at once when it cannot open.
 */
function showError(failure: ReportedFailure): Promise<void> {
  return new Promise((resolve) => {
    Office.context.ui.displayDialogAsync(
      errorDialogUrl(window.location.origin, failure),
      { height: 40, width: 30, displayInIframe: true },
      (result) => {
        if (result.status === Office.AsyncResultStatus.Failed) {
          resolve();
          return;
        }
        const dialog = result.value;
        let open = true;
        const close = () => {
          if (!open) return;
          open = false;
          clearTimeout(timer);
          dialog.close();
          resolve();
        };
        const timer = setTimeout(close, DIALOG_LIFETIME_MS);
        dialog.addEventHandler(Office.EventType.DialogMessageReceived, close);
        // Closed with its X (12006) or failed to load: nothing left to close.
        dialog.addEventHandler(Office.EventType.DialogEventReceived, () => {
          open = false;
          clearTimeout(timer);
          resolve();
        });
      },
    );
  });
}

async function generateSummary(event: Office.AddinCommands.Event): Promise<void> {
  await runGenerateSummary(createOfficeOperations(), Office.context.displayLanguage, event, showError);
}

void Office.onReady(() => {
  Office.actions.associate("generateSummary", generateSummary);
});
