import { useState, type KeyboardEvent } from "react";
import {
  Badge,
  Button,
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
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { FIELDS, type Field as PlanField } from "../../core/types";
import type { PlanPreview } from "../../excel/operations";
import { useMessages } from "../messages";
import type { PlanChoices } from "../usePlanOperations";

const NONE = "none";
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  row: { display: "flex", alignItems: "center", gap: tokens.spacingHorizontalS, flexWrap: "wrap" },
  table: { tableLayout: "fixed", width: "100%" },
  fieldCol: { width: "38%" },
  dropdown: { minWidth: "0", width: "100%" },
  counts: {
    display: "grid",
    gridTemplateColumns: "repeat(4, minmax(0, 1fr))",
    gap: tokens.spacingHorizontalS,
    margin: 0,
  },
  count: { display: "flex", flexDirection: "column", margin: 0 },
  countValue: { fontSize: tokens.fontSizeBase500, fontWeight: tokens.fontWeightSemibold, margin: 0 },
  actions: { display: "flex", gap: tokens.spacingHorizontalS },
  changes: { margin: 0, paddingInlineStart: tokens.spacingHorizontalL, overflowWrap: "anywhere" },
});

export type PlanStepProps = {
  preview: PlanPreview | null;
  /** The workbook's sheets when nothing could be previewed (a cover sheet first): the picker offers them. */
  sheets?: { sheets: string[]; active: string } | null;
  /** The last reading failed (its message is shown above): no "reading…" line then. */
  failed?: boolean;
  choices: PlanChoices;
  /** An operation that changes the workbook is running: choices and buttons wait for it. */
  busy: boolean;
  onChooseSheet: (sheet: string) => void;
  onChooseColumn: (field: PlanField, col: number | null) => void;
  onChoosePeriodStart: (start: string) => void;
  onRefresh: () => void;
  onStructure: () => void;
};

function confidenceLevel(c: number): { key: "high" | "medium" | "low"; color: "success" | "warning" | "danger" } {
  if (c >= 0.8) return { key: "high", color: "success" };
  if (c >= 0.5) return { key: "medium", color: "warning" };
  return { key: "low", color: "danger" };
}

/** Step 1: which sheet, which header row, which column holds which field, the plan period, and a preview. */
export function PlanStep(props: PlanStepProps) {
  const { preview, choices, busy } = props;
  const { t, percent, integer } = useMessages();
  const styles = useStyles();

  if (preview === null) {
    const listed = props.sheets ?? null;
    const current = choices.sheet ?? listed?.active ?? "";
    return (
      <div className={styles.root}>
        {listed !== null && listed.sheets.length > 0 && (
          <Field label={t("plan.sheet")} hint={t("plan.sheet.choose")}>
            <Dropdown
              className={styles.dropdown}
              value={current}
              selectedOptions={[current]}
              disabled={busy}
              onOptionSelect={(_ev, data) => {
                if (data.optionValue !== undefined) props.onChooseSheet(data.optionValue);
              }}
            >
              {listed.sheets.map((s) => (
                <Option key={s} value={s}>
                  {s}
                </Option>
              ))}
            </Dropdown>
          </Field>
        )}
        {props.failed !== true && <Text>{t("plan.loading")}</Text>}
        <div className={styles.actions}>
          <Button onClick={props.onRefresh} disabled={busy}>
            {t("plan.refresh")}
          </Button>
        </div>
      </div>
    );
  }

  const level = confidenceLevel(preview.confidence);
  const headerText = (col: number) => {
    const h = preview.headers.find((x) => x.col === col);
    return h === undefined ? "" : h.text ? t("plan.columnOption", { letter: h.letter, header: h.text }) : h.letter;
  };
  const selectedCol = (field: PlanField): number | null => {
    const chosen = choices.mapping[field];
    if (chosen !== undefined) return chosen;
    return preview.mapping[field] ?? null;
  };

  return (
    <div className={styles.root}>
      <Field label={t("plan.sheet")}>
        <Dropdown
          className={styles.dropdown}
          value={preview.sheet}
          selectedOptions={[preview.sheet]}
          disabled={busy}
          onOptionSelect={(_ev, data) => {
            if (data.optionValue !== undefined && data.optionValue !== preview.sheet)
              props.onChooseSheet(data.optionValue);
          }}
        >
          {preview.sheets.map((s) => (
            <Option key={s} value={s}>
              {s}
            </Option>
          ))}
        </Dropdown>
      </Field>

      <div className={styles.row}>
        <Text>{preview.headerRow > 0 ? t("plan.headerRow", { row: preview.headerRow }) : t("plan.noHeaderRow")}</Text>
        <Badge appearance="tint" color={level.color}>
          {t(`plan.confidence.${level.key}`, { pct: percent(preview.confidence) })}
        </Badge>
      </div>

      {preview.structured && (
        <MessageBar intent="info">
          <MessageBarBody>{t("plan.alreadyStructured")}</MessageBarBody>
        </MessageBar>
      )}

      <Table size="small" className={styles.table} aria-label={t("plan.mapping")}>
        <TableHeader>
          <TableRow>
            <TableHeaderCell className={styles.fieldCol}>{t("plan.mapping.field")}</TableHeaderCell>
            <TableHeaderCell>{t("plan.mapping.column")}</TableHeaderCell>
          </TableRow>
        </TableHeader>
        <TableBody>
          {FIELDS.map((field) => {
            const col = selectedCol(field);
            // The month column is also where a deadline (完成时限, Due) goes: the label says so.
            const fieldName = field === "month" ? t("plan.mapping.monthDue") : t(`field.${field}`);
            return (
              <TableRow key={field}>
                <TableCell>{fieldName}</TableCell>
                <TableCell>
                  <Dropdown
                    className={styles.dropdown}
                    size="small"
                    disabled={busy}
                    aria-label={t("plan.mapping.columnFor", { field: fieldName })}
                    value={col === null ? t("plan.mapping.none") : headerText(col)}
                    selectedOptions={[col === null ? NONE : String(col)]}
                    onOptionSelect={(_ev, data) => {
                      const v = data.optionValue;
                      if (v === undefined) return;
                      const next = v === NONE ? null : Number(v);
                      if (next !== col) props.onChooseColumn(field, next);
                    }}
                  >
                    <Option value={NONE}>{t("plan.mapping.none")}</Option>
                    {preview.headers.map((h) => (
                      <Option key={h.col} value={String(h.col)}>
                        {headerText(h.col)}
                      </Option>
                    ))}
                  </Dropdown>
                </TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>

      <PeriodInput
        value={choices.periodStart ?? preview.period.start}
        hint={t(`plan.period.source.${preview.periodSource}`, { evidence: preview.periodEvidence })}
        disabled={busy}
        onCommit={props.onChoosePeriodStart}
      />

      {preview.changedFormulas.length > 0 && (
        <MessageBar intent="warning">
          <MessageBarBody>
            {t("plan.changedFormulas", { n: preview.changedFormulas.length })}
            <ul className={styles.changes}>
              {preview.changedFormulas.slice(0, 5).map((c) => (
                <li key={c.cell}>
                  {t("plan.changedFormula", {
                    cell: c.cell,
                    formula: c.formula,
                    before: shownValue(c.before),
                    after: c.after === null ? t("plan.changedFormula.unknown") : shownValue(c.after),
                  })}
                </li>
              ))}
            </ul>
          </MessageBarBody>
        </MessageBar>
      )}

      <section aria-label={t("plan.counts")}>
        <dl className={styles.counts}>
          {(
            [
              ["rows", preview.rows],
              ["months", preview.months],
              ["owners", preview.owners],
              ["findings", preview.findings],
            ] as const
          ).map(([key, n]) => (
            <div key={key} className={styles.count}>
              <dt>{t(`plan.count.${key}`)}</dt>
              <dd className={styles.countValue}>{integer(n)}</dd>
            </div>
          ))}
        </dl>
      </section>

      <div className={styles.actions}>
        <Button appearance="primary" disabled={busy || preview.headerRow === 0} onClick={props.onStructure}>
          {t("plan.structure")}
        </Button>
        <Button disabled={busy} onClick={props.onRefresh}>
          {t("plan.refresh")}
        </Button>
      </div>
    </div>
  );
}

/** A formula's value as the preview lists it: numbers as they are, text as text, blank as nothing. */
function shownValue(v: string | number | boolean | null): string {
  return v === null ? "" : typeof v === "number" ? String(Number(v.toPrecision(12))) : String(v);
}

type PeriodInputProps = { value: string; hint: string; disabled: boolean; onCommit: (start: string) => void };

/** The start month as YYYY-MM; commits on Enter or leaving the field, so typing does not re-read the sheet. */
function PeriodInput({ value, hint, disabled, onCommit }: PeriodInputProps) {
  const { t } = useMessages();
  const [draft, setDraft] = useState(value);
  const [shown, setShown] = useState(value);
  // When a new preview brings another value, show it (React's documented "adjust state on prop change" pattern).
  if (shown !== value) {
    setShown(value);
    setDraft(value);
  }
  const valid = MONTH.test(draft);
  const commit = () => {
    if (valid && draft !== value) onCommit(draft);
  };
  return (
    <Field
      label={t("plan.period")}
      hint={hint}
      validationState={valid ? "none" : "error"}
      validationMessage={valid ? undefined : t("plan.period.invalid")}
    >
      <Input
        value={draft}
        disabled={disabled}
        placeholder={t("plan.period.placeholder")}
        onChange={(_ev, data) => setDraft(data.value.trim())}
        onBlur={commit}
        onKeyDown={(ev: KeyboardEvent<HTMLInputElement>) => {
          if (ev.key === "Enter") commit();
        }}
      />
    </Field>
  );
}
