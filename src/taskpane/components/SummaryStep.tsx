import { useEffect, useRef, useState } from "react";
import {
  Button,
  Field,
  Input,
  Link,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Text,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import type { SummaryResult } from "../../excel/operations";
import type { AllSheetsResult } from "../../excel/summary-all";
import { useMessages } from "../messages";

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  heading: { outlineStyle: "none", margin: 0, fontSize: tokens.fontSizeBase400, fontWeight: tokens.fontWeightSemibold },
  kpis: {
    display: "grid",
    // Wide enough for "Completion rate" without breaking inside a word: two cards a row at 320 px, three at 450.
    gridTemplateColumns: "repeat(auto-fit, minmax(112px, 1fr))",
    gap: tokens.spacingHorizontalS,
    margin: 0,
  },
  kpi: {
    margin: 0,
    minWidth: 0,
    overflowWrap: "break-word",
    padding: tokens.spacingHorizontalS,
    borderRadius: tokens.borderRadiusMedium,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
  kpiValue: { margin: 0, fontSize: tokens.fontSizeBase500, fontWeight: tokens.fontWeightSemibold },
  narrative: { whiteSpace: "pre-wrap", margin: 0 },
});

export type SummaryStepProps = {
  result: SummaryResult | null;
  /** The last summary over every plan sheet. */
  allSheets: AllSheetsResult | null;
  busy: boolean;
  /** Generates the summary; with a date, the workbook counts as of that date instead of today, whenever opened. */
  onSummarize: (asOf?: Date) => void;
  /** Generates the summary over every plan sheet, each a source. */
  onSummarizeAll: (asOf?: Date) => void;
  onOpenSheet: (sheet: string) => void;
};

/** Step 3: generate the summary sheet, then show its KPIs and narrative with a link to the sheet. */
export function SummaryStep({ result, allSheets, busy, onSummarize, onSummarizeAll, onOpenSheet }: SummaryStepProps) {
  const { t, percent, integer, lang } = useMessages();
  const allRef = useRef<HTMLHeadingElement>(null);
  const styles = useStyles();
  const headingRef = useRef<HTMLHeadingElement>(null);
  // "" = today (=TODAY() in the workbook); a date = that date, kept in the file.
  const [asOf, setAsOf] = useState("");
  const asOfDate = parseDay(asOf);
  const asOfValid = asOf === "" || asOfDate !== undefined;

  useEffect(() => {
    if (result) headingRef.current?.focus();
  }, [result]);
  useEffect(() => {
    if (allSheets) allRef.current?.focus();
  }, [allSheets]);
  const list = (names: readonly string[]) => names.join(lang === "zh-CN" ? "、" : ", ");

  const kpis = result
    ? ([
        ["activities", integer(result.kpis.activities)],
        ["completed", integer(result.kpis.completed)],
        ["rate", result.kpis.rate === null ? t("summary.noValue") : percent(result.kpis.rate)],
        ["overdue", integer(result.kpis.overdue)],
        ["pace", percent(result.kpis.pace)],
      ] as const)
    : [];

  return (
    <div className={styles.root}>
      <Field
        label={t("summary.asOf")}
        hint={t("summary.asOf.hint")}
        validationState={asOfValid ? "none" : "error"}
        validationMessage={asOfValid ? undefined : t("summary.asOf.invalid")}
      >
        <Input type="date" value={asOf} disabled={busy} onChange={(_ev, data) => setAsOf(data.value)} />
      </Field>
      <div>
        <Button
          appearance={result ? "secondary" : "primary"}
          disabled={busy || !asOfValid}
          onClick={() => onSummarize(asOfDate)}
        >
          {result ? t("summary.regenerate") : t("summary.generate")}
        </Button>
      </div>
      {result === null && <Text>{t("summary.notYet")}</Text>}
      {result !== null && (
        <>
          <h2 ref={headingRef} tabIndex={-1} className={styles.heading}>
            {t("summary.done", { sheet: result.sheet, charts: result.charts })}
          </h2>
          <section aria-label={t("summary.kpis")}>
            <dl className={styles.kpis}>
              {kpis.map(([key, value]) => (
                <div key={key} className={styles.kpi}>
                  <dt>{t(`summary.kpi.${key}`)}</dt>
                  <dd className={styles.kpiValue}>{value}</dd>
                </div>
              ))}
            </dl>
          </section>
          <p className={styles.narrative}>{result.narrative}</p>
          <div>
            <Link as="button" onClick={() => onOpenSheet(result.sheet)}>
              {t("summary.openSheet", { sheet: result.sheet })}
            </Link>
          </div>
          {result.otherPlanSheets && (
            <MessageBar intent="warning" layout="multiline">
              <MessageBarBody>
                <MessageBarTitle>{t("summary.otherSheets.title")}</MessageBarTitle>
                {result.otherPlanSheets.message[lang]}
              </MessageBarBody>
            </MessageBar>
          )}
        </>
      )}
      {/* The workbook's plan sheets, known once a summary has looked; the summary over all of them is offered always. */}
      {result !== null && result.planSheets.length > 1 && (
        <Text>{t("summary.otherSheets.list", { sheets: list(result.planSheets) })}</Text>
      )}
      <div>
        <Button
          appearance="secondary"
          aria-describedby="plan-ledger-all-sheets-hint"
          disabled={busy || !asOfValid}
          onClick={() => onSummarizeAll(asOfDate)}
        >
          {t("summary.all.generate")}
        </Button>
      </div>
      <Text id="plan-ledger-all-sheets-hint" size={200}>
        {t("summary.all.hint")}
      </Text>
      {allSheets !== null && (
        <section aria-labelledby="plan-ledger-all-sheets">
          <h2 id="plan-ledger-all-sheets" ref={allRef} tabIndex={-1} className={styles.heading}>
            {t("summary.all.done", { sheet: allSheets.sheet, n: allSheets.sources.length })}
          </h2>
          <h3 className={styles.heading}>{t("summary.all.sources")}</h3>
          <ul>
            {allSheets.sources.map((s) => (
              <li key={s.sheet}>
                {t("summary.all.source", {
                  label: s.label,
                  activities: s.activities,
                  completed: s.completed,
                  overdue: s.overdue,
                })}
              </li>
            ))}
          </ul>
          <p className={styles.narrative}>{allSheets.narrative}</p>
          <Link as="button" onClick={() => onOpenSheet(allSheets.sheet)}>
            {t("summary.openSheet", { sheet: allSheets.sheet })}
          </Link>
        </section>
      )}
    </div>
  );
}

/** "2025-07-15" (what a date input gives) as that local calendar date; undefined for "" or an impossible date. */
function parseDay(v: string): Date | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
  if (!m) return undefined;
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return d.getDate() === Number(m[3]) && d.getMonth() === Number(m[2]) - 1 ? d : undefined;
}
