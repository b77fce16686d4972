import {
  Button,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Text,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import type { ChangeExample, StructurePreview as Preview } from "../../excel/operations";
import { useMessages } from "../messages";

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
  list: { margin: 0, paddingLeft: tokens.spacingHorizontalL, overflowWrap: "anywhere" },
  actions: { display: "flex", flexWrap: "wrap", gap: tokens.spacingHorizontalS },
});

export type StructurePreviewProps = {
  preview: Preview;
  busy: boolean;
  onConfirm: () => void;
  onCancel: () => void;
};

/**
 * What Structure will change, before it writes: cells rewritten (with examples), merges undone, columns added,
 * wordings kept in notes, the user's formulas whose value changes; that Ctrl+Z cannot undo it and Restore can.
 */
export function StructurePreview({ preview, busy, onConfirm, onCancel }: StructurePreviewProps) {
  const { t, integer } = useMessages();
  const styles = useStyles();
  const example = (e: ChangeExample) =>
    e.before === ""
      ? t("preview.example.added", { cell: e.cell, after: e.after })
      : t("preview.example", { cell: e.cell, before: e.before, after: e.after });
  const shown = (v: string | number | boolean | null) => (v === null ? t("preview.unknown") : String(v));
  const added = preview.addedColumns.map((c) => t("preview.column", { column: c.column, header: c.header }));
  return (
    <section className={styles.root} aria-labelledby="structure-preview-title" data-testid="structure-preview">
      <Text as="h2" id="structure-preview-title" weight="semibold">
        {t("preview.title", { sheet: preview.sheet })}
      </Text>
      <ul className={styles.list}>
        <li>
          {t("preview.normalized", { n: integer(preview.normalizedCells) })}
          {preview.normalizedExamples.length > 0 && (
            <ul className={styles.list}>
              {preview.normalizedExamples.map((e) => (
                <li key={e.cell}>{example(e)}</li>
              ))}
            </ul>
          )}
        </li>
        <li>
          {t("preview.unmerged", { n: integer(preview.unmergedAreas) })}
          {preview.unmergedExamples.length > 0 && ` (${preview.unmergedExamples.join(t("preview.separator"))})`}
        </li>
        <li>
          {t("preview.added", { n: integer(preview.addedColumns.length) })}
          {added.length > 0 && ` ${added.join(t("preview.separator"))}`}
        </li>
        <li>
          {t("preview.originals", { n: integer(preview.originalsKept) })}
          {preview.originalExamples.length > 0 && (
            <ul className={styles.list}>
              {preview.originalExamples.map((e) => (
                <li key={e.cell}>{t("preview.example.note", { cell: e.cell, after: e.after })}</li>
              ))}
            </ul>
          )}
        </li>
        {preview.changedFormulas.length > 0 && (
          <li>
            {t("preview.formulas", { n: integer(preview.changedFormulas.length) })}
            <ul className={styles.list}>
              {preview.changedFormulas.slice(0, 5).map((f) => (
                <li key={f.cell}>
                  {t("preview.formula", { cell: f.cell, before: shown(f.before), after: shown(f.after) })}
                </li>
              ))}
            </ul>
          </li>
        )}
      </ul>
      <MessageBar intent="warning" layout="multiline">
        <MessageBarBody>
          <MessageBarTitle>{t("preview.undo.title")}</MessageBarTitle>
          {preview.original === "none" ? t("preview.undo.none") : t("preview.undo.restore")}
        </MessageBarBody>
      </MessageBar>
      <div className={styles.actions}>
        <Button appearance="primary" disabled={busy} onClick={onConfirm}>
          {t("preview.confirm")}
        </Button>
        <Button disabled={busy} onClick={onCancel}>
          {t("preview.cancel")}
        </Button>
      </div>
    </section>
  );
}
