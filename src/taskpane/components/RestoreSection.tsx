import { useState } from "react";
import { Button, MessageBar, MessageBarBody, Text, makeStyles, tokens } from "@fluentui/react-components";
import type { RestoreResult } from "../../excel/operations";
import { useMessages } from "../messages";

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
  actions: { display: "flex", flexWrap: "wrap", gap: tokens.spacingHorizontalS },
});

export type RestoreSectionProps = {
  /** The sheet Restore acts on (the pane's plan sheet). */
  sheet: string | undefined;
  busy: boolean;
  restored: RestoreResult | null;
  onRestore: () => void;
};

/**
 * "Restore original": Excel's Ctrl+Z cannot undo what Plan Ledger wrote, so this puts the sheet back as it was before
 * Plan Ledger first changed it. It asks first, since edits made after structuring are replaced too.
 */
export function RestoreSection({ sheet, busy, restored, onRestore }: RestoreSectionProps) {
  const { t, integer } = useMessages();
  const styles = useStyles();
  const [asking, setAsking] = useState(false);
  return (
    <section className={styles.root} aria-labelledby="restore-title">
      <Text as="h2" id="restore-title" weight="semibold">
        {t("restore.title")}
      </Text>
      <Text size={200}>{t("restore.explain")}</Text>
      {asking ? (
        <MessageBar intent="warning" layout="multiline">
          <MessageBarBody>{t("restore.confirmText", { sheet: sheet ?? "" })}</MessageBarBody>
        </MessageBar>
      ) : null}
      <div className={styles.actions}>
        {asking ? (
          <>
            <Button
              appearance="primary"
              disabled={busy}
              onClick={() => {
                setAsking(false);
                onRestore();
              }}
            >
              {t("restore.confirm")}
            </Button>
            <Button disabled={busy} onClick={() => setAsking(false)}>
              {t("restore.cancel")}
            </Button>
          </>
        ) : (
          <Button disabled={busy || sheet === undefined} onClick={() => setAsking(true)}>
            {t("restore.button")}
          </Button>
        )}
      </div>
      {restored && (
        <Text role="status">
          {t("restore.done", {
            sheet: restored.sheet,
            removed: integer(restored.removedSheets.length + restored.removedTables.length),
          })}
        </Text>
      )}
    </section>
  );
}
