import { useEffect, useRef, useState } from "react";
import {
  Button,
  Caption1,
  Checkbox,
  Dropdown,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  Option,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  Textarea,
  makeStyles,
  mergeClasses,
  tokens,
} from "@fluentui/react-components";
import { monthLabel } from "../../core/labels";
import { periodMonths } from "../../core/period";
import { ANNUAL, type Bucket } from "../../core/types";
import { useMessages } from "../messages";
import type { DraftRow, ImportDraft, ImportDraftActions } from "../useImportDraft";

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  actions: { display: "flex", gap: tokens.spacingHorizontalS },
  heading: { outlineStyle: "none", margin: 0, fontSize: tokens.fontSizeBase400, fontWeight: tokens.fontWeightSemibold },
  subheading: { margin: 0, fontSize: tokens.fontSizeBase300, fontWeight: tokens.fontWeightSemibold },
  findings: { margin: 0, paddingLeft: tokens.spacingHorizontalL },
  // Each parsed row wraps onto two lines (activity, then month, owner and target), so every column keeps a readable
  // width from 320 px up; a five-column row left the activity 0–36 px there. The header row is for screen readers.
  table: { width: "100%", minWidth: 0 },
  header: {
    position: "absolute",
    width: "1px",
    height: "1px",
    overflow: "hidden",
    clip: "rect(0 0 0 0)",
    whiteSpace: "nowrap",
  },
  row: {
    display: "grid",
    gridTemplateColumns: "32px minmax(0, 1fr) minmax(0, 1fr)",
    gridTemplateAreas: '"include activity activity" ". month owner" ". target target"',
    columnGap: tokens.spacingHorizontalS,
    rowGap: tokens.spacingVerticalXXS,
    paddingBlock: tokens.spacingVerticalS,
    height: "auto",
    alignItems: "start",
  },
  cell: { display: "block", minWidth: 0, padding: 0, height: "auto" },
  includeCell: { gridArea: "include" },
  activityCell: { gridArea: "activity" },
  monthCell: { gridArea: "month" },
  ownerCell: { gridArea: "owner" },
  targetCell: { gridArea: "target" },
  activity: { display: "block", overflowWrap: "anywhere", fontWeight: tokens.fontWeightSemibold },
  excluded: { color: tokens.colorNeutralForegroundDisabled },
  wrap: { display: "block", overflowWrap: "anywhere" },
  source: { display: "block", overflowWrap: "anywhere", color: tokens.colorNeutralForeground3 },
  control: { minWidth: "0", width: "100%" },
});

export type ImportStepProps = {
  draft: ImportDraft;
  actions: ImportDraftActions;
  /** The previewed plan's period start, or null when no plan has been read: January of this year then. */
  planPeriodStart: string | null;
  /** An operation that changes the workbook is running. */
  busy: boolean;
  onAppend: (rows: readonly DraftRow[]) => void;
};

/**
 * Import: paste a written plan, parse it into rows, correct owners and months, leave rows out, and append the rest
 * to the plan. Parsing happens in the pane; only Append writes to the workbook.
 */
export function ImportStep({ draft, actions, planPeriodStart, busy, onAppend }: ImportStepProps) {
  const { t, lang } = useMessages();
  const styles = useStyles();
  const headingRef = useRef<HTMLHeadingElement>(null);
  const parsed = draft.parsed;
  // Focus goes to the outcome of a new Parse, not to one already shown when the step opens.
  const announced = useRef(parsed?.id);
  // Parse downloads the parser on first use: a failed download (or any other) is said here, not lost.
  const [parseFailure, setParseFailure] = useState<string | null>(null);

  useEffect(() => {
    if (parsed && parsed.id !== announced.current) {
      announced.current = parsed.id;
      headingRef.current?.focus();
    }
  }, [parsed]);

  const fallbackStart = planPeriodStart ?? `${new Date().getFullYear()}-01`;
  const start = draft.periodStart ?? fallbackStart;
  const valid = MONTH.test(start);
  const stale = parsed !== null && (parsed.text !== draft.text || parsed.period.start !== start);
  const included = parsed?.rows.filter((r) => r.included).length ?? 0;
  const buckets: Bucket[] = parsed ? [...periodMonths(parsed.period), ANNUAL] : [];

  return (
    <div className={styles.root}>
      <Text>{t("import.intro")}</Text>
      <Field label={t("import.text")}>
        <Textarea
          value={draft.text}
          rows={8}
          resize="vertical"
          placeholder={t("import.text.placeholder")}
          onChange={(_ev, data) => actions.setText(data.value)}
        />
      </Field>
      <Field
        label={t("import.period")}
        hint={planPeriodStart === null ? t("import.period.default") : t("import.period.fromPlan", { start })}
        validationState={valid ? "none" : "error"}
        validationMessage={valid ? undefined : t("plan.period.invalid")}
      >
        <Input
          value={start}
          placeholder={t("plan.period.placeholder")}
          onChange={(_ev, data) => actions.setPeriodStart(data.value.trim())}
        />
      </Field>
      <div className={styles.actions}>
        <Button
          appearance={parsed && !stale ? "secondary" : "primary"}
          disabled={!valid || draft.text.trim() === ""}
          onClick={() => {
            setParseFailure(null);
            actions.parse(start).catch((e: unknown) => setParseFailure(e instanceof Error ? e.message : String(e)));
          }}
        >
          {t("import.parse")}
        </Button>
      </div>

      {parseFailure !== null && (
        <MessageBar intent="error" layout="multiline">
          <MessageBarBody>{t("import.parseFailed", { detail: parseFailure })}</MessageBarBody>
        </MessageBar>
      )}

      {parsed !== null && (
        <>
          <h2 ref={headingRef} tabIndex={-1} className={styles.heading}>
            {t("import.parsed", { rows: parsed.rows.length, findings: parsed.findings.length })}
          </h2>
          {stale && (
            <MessageBar intent="warning" layout="multiline">
              <MessageBarBody>{t("import.stale")}</MessageBarBody>
            </MessageBar>
          )}
          {parsed.findings.length > 0 && (
            <section aria-labelledby="import-findings">
              <h3 id="import-findings" className={styles.subheading}>
                {t("import.findings", { n: parsed.findings.length })}
              </h3>
              <ul className={styles.findings}>
                {parsed.findings.map((f, i) => (
                  <li key={`${f.line}|${f.code}|${i}`}>{f.message[lang]}</li>
                ))}
              </ul>
            </section>
          )}
          {parsed.rows.length > 0 && (
            <Table noNativeElements size="small" className={styles.table} aria-label={t("import.rows")}>
              <TableHeader className={styles.header}>
                <TableRow>
                  <TableHeaderCell>{t("import.col.include")}</TableHeaderCell>
                  <TableHeaderCell>{t("field.activity")}</TableHeaderCell>
                  <TableHeaderCell>{t("field.month")}</TableHeaderCell>
                  <TableHeaderCell>{t("field.owner")}</TableHeaderCell>
                  <TableHeaderCell>{t("field.target")}</TableHeaderCell>
                </TableRow>
              </TableHeader>
              <TableBody>
                {parsed.rows.map((row, i) => (
                  <ImportRow
                    key={`${parsed.id}|${i}`}
                    row={row}
                    buckets={buckets}
                    disabled={busy}
                    onChange={(patch) => actions.editRow(i, patch)}
                  />
                ))}
              </TableBody>
            </Table>
          )}
          <Text>{t("import.append.hint")}</Text>
          <div className={styles.actions}>
            <Button
              appearance="primary"
              disabled={busy || stale || included === 0}
              onClick={() => onAppend(parsed.rows)}
            >
              {t("import.append", { n: included })}
            </Button>
          </div>
        </>
      )}
    </div>
  );
}

type ImportRowProps = {
  row: DraftRow;
  buckets: readonly Bucket[];
  disabled: boolean;
  onChange: (patch: Partial<Pick<DraftRow, "owner" | "bucket" | "included">>) => void;
};

/** One parsed row: include it or not, its activity with category and source line, its month, owner and target. */
function ImportRow({ row, buckets, disabled, onChange }: ImportRowProps) {
  const { t, lang } = useMessages();
  const styles = useStyles();
  const name = row.activity;
  const target =
    row.target === null
      ? t("import.noTarget")
      : row.wording
        ? t("import.targetWording", { target: row.target, unit: row.unit, wording: row.wording })
        : t("import.target", { target: row.target, unit: row.unit });
  return (
    <TableRow className={mergeClasses(styles.row, !row.included && styles.excluded)}>
      <TableCell className={mergeClasses(styles.cell, styles.includeCell)}>
        <Checkbox
          checked={row.included}
          disabled={disabled}
          aria-label={t("import.include", { activity: name })}
          onChange={(_ev, data) => onChange({ included: data.checked === true })}
        />
      </TableCell>
      <TableCell className={mergeClasses(styles.cell, styles.activityCell)}>
        <span className={styles.activity}>{row.activity}</span>
        {row.category !== "" && (
          <Caption1 className={styles.source}>{t("import.category", { category: row.category })}</Caption1>
        )}
        <Caption1 className={styles.source}>{t("import.source", { line: row.line, source: row.source })}</Caption1>
      </TableCell>
      <TableCell className={mergeClasses(styles.cell, styles.monthCell)}>
        <Dropdown
          className={styles.control}
          size="small"
          disabled={disabled || !row.included}
          aria-label={t("import.monthFor", { activity: name })}
          value={monthLabel(row.bucket, lang)}
          selectedOptions={row.bucket === null ? [] : [row.bucket]}
          onOptionSelect={(_ev, data) => {
            if (data.optionValue !== undefined && data.optionValue !== row.bucket)
              onChange({ bucket: data.optionValue });
          }}
        >
          {buckets.map((b) => (
            <Option key={b} value={b}>
              {monthLabel(b, lang)}
            </Option>
          ))}
        </Dropdown>
      </TableCell>
      <TableCell className={mergeClasses(styles.cell, styles.ownerCell)}>
        <Input
          className={styles.control}
          size="small"
          value={row.owner}
          disabled={disabled || !row.included}
          aria-label={t("import.ownerFor", { activity: name })}
          placeholder={t("import.owner.placeholder")}
          onChange={(_ev, data) => onChange({ owner: data.value })}
        />
      </TableCell>
      <TableCell className={mergeClasses(styles.cell, styles.targetCell)}>
        <span className={styles.wrap}>{t("import.targetLabel", { target })}</span>
      </TableCell>
    </TableRow>
  );
}
