import { useState } from "react";
import { Button, MessageBar, MessageBarBody, Text, makeStyles, tokens } from "@fluentui/react-components";
import type { DiscardResult, RestoreResult } from "../../excel/operations";
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
  /** A copy of the sheet is kept for Restore: the pane offers to remove it. */
  originalKept: boolean;
  discarded: DiscardResult | null;
  onDiscard: () => void;
};

/**
 * "Restore original": Excel's Ctrl+Z cannot undo what Plan Ledger wrote, so this puts the sheet back as it was before
 * Plan Ledger first changed it. It asks first, since edits made after structuring are replaced too. The copy that
 * makes it possible travels in the file (about doubling it, old cells included), so the user may remove it once
 * content; that asks first too, since Restore is gone after it.
 */
export function RestoreSection(props: RestoreSectionProps) {
  const { sheet, busy, restored, onRestore, originalKept, discarded, onDiscard } = props;
  const { t, integer } = useMessages();
  const styles = useStyles();
  const [asking, setAsking] = useState<"restore" | "discard" | null>(null);
  return (
    <section className={styles.root} aria-labelledby="restore-title">
      <Text as="h2" id="restore-title" weight="semibold">
        {t("restore.title")}
      </Text>
      <Text size={200}>{t("restore.explain")}</Text>
      {originalKept && <Text size={200}>{t("restore.keptExplain")}</Text>}
      {asking !== null ? (
        <MessageBar intent="warning" layout="multiline">
          <MessageBarBody>
            {t(asking === "restore" ? "restore.confirmText" : "restore.discardConfirmText", { sheet: sheet ?? "" })}
          </MessageBarBody>
        </MessageBar>
      ) : null}
      <div className={styles.actions}>
        {asking !== null ? (
          <>
            <Button
              appearance="primary"
              disabled={busy}
              onClick={() => {
                setAsking(null);
                if (asking === "restore") onRestore();
                else onDiscard();
              }}
            >
              {t(asking === "restore" ? "restore.confirm" : "restore.discardConfirm")}
            </Button>
            <Button disabled={busy} onClick={() => setAsking(null)}>
              {t("restore.cancel")}
            </Button>
          </>
        ) : (
          <>
            <Button disabled={busy || sheet === undefined} onClick={() => setAsking("restore")}>
              {t("restore.button")}
            </Button>
            {originalKept && (
              <Button disabled={busy || sheet === undefined} onClick={() => setAsking("discard")}>
                {t("restore.discardButton")}
              </Button>
            )}
          </>
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
      {discarded && <Text role="status">{t("restore.discarded", { sheet: discarded.sheet })}</Text>}
    </section>
  );
}
