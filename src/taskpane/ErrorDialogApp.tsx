import { useMemo } from "react";
import { Button, FluentProvider, Text, makeStyles, tokens, webLightTheme } from "@fluentui/react-components";
import { pickLang } from "../core/i18n";
import { PlanLedgerError, type PlanErrorCode } from "../excel/operations";
import { describeError } from "./describeError";
import { ERROR_CATALOGS, MessagesContext, messagesFor, useDocumentLang } from "./messages";
import type { ReportedFailure } from "./view";

const useStyles = makeStyles({
  root: {
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalM,
    padding: `${tokens.spacingVerticalL} ${tokens.spacingHorizontalL}`,
  },
  title: { margin: 0, fontSize: tokens.fontSizeBase400, fontWeight: tokens.fontWeightSemibold },
  done: { margin: 0, paddingLeft: tokens.spacingHorizontalL },
});

/** The error the ribbon reported, as the pane would describe it: a PlanLedgerError when its code is one of ours. */
export function reportedError(f: ReportedFailure): unknown {
  const known = Object.prototype.hasOwnProperty.call(ERROR_CATALOGS["en-US"], f.code) && f.code !== "generic";
  return known ? new PlanLedgerError(f.code as PlanErrorCode, f.params, f.done) : new Error(f.detail || f.code);
}

export type ErrorDialogProps = {
  failure: ReportedFailure;
  /** Closes the dialog (Office.context.ui.messageParent in Office); the only call this view makes. */
  onClose: () => void;
};

/**
 * The ribbon command's error dialog: says what went wrong, what to do and what was done, from the URL alone. It makes
 * no Excel call: a dialog can only message its parent (and check requirement sets).
 */
export function ErrorDialogApp({ failure, onClose }: ErrorDialogProps) {
  const styles = useStyles();
  const messages = useMemo(() => messagesFor(pickLang(failure.lang || undefined)), [failure.lang]);
  useDocumentLang(messages.lang);
  const view = describeError(reportedError(failure), messages.lang);
  const { t } = messages;
  return (
    <FluentProvider theme={webLightTheme} lang={messages.lang}>
      <MessagesContext.Provider value={messages}>
        <div className={styles.root} role="alert" data-error-code={view.code}>
          <h1 className={styles.title}>{view.what}</h1>
          <Text>{view.action}</Text>
          {view.done.length > 0 && (
            <>
              <Text>{t("error.doneBefore")}</Text>
              <ul className={styles.done}>
                {view.done.map((d) => (
                  <li key={d}>{d}</li>
                ))}
              </ul>
            </>
          )}
          <Button appearance="primary" onClick={onClose}>
            {t("error.close")}
          </Button>
        </div>
      </MessagesContext.Provider>
    </FluentProvider>
  );
}
