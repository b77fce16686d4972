import { useEffect, useRef } from "react";
import { Button, Link, Text, makeStyles, tokens } from "@fluentui/react-components";
import type { SummaryResult } from "../../excel/operations";
import { useMessages } from "../messages";

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  heading: { outlineStyle: "none", margin: 0, fontSize: tokens.fontSizeBase400, fontWeight: tokens.fontWeightSemibold },
  kpis: {
    display: "grid",
    gridTemplateColumns: "repeat(auto-fit, minmax(88px, 1fr))",
    gap: tokens.spacingHorizontalS,
    margin: 0,
  },
  kpi: {
    margin: 0,
    padding: tokens.spacingHorizontalS,
    borderRadius: tokens.borderRadiusMedium,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
  kpiValue: { margin: 0, fontSize: tokens.fontSizeBase500, fontWeight: tokens.fontWeightSemibold },
  narrative: { whiteSpace: "pre-wrap", margin: 0 },
});

export type SummaryStepProps = {
  result: SummaryResult | null;
  busy: boolean;
  onSummarize: () => void;
  onOpenSheet: (sheet: string) => void;
};

/** Step 3: generate the summary sheet, then show its KPIs and narrative with a link to the sheet. */
export function SummaryStep({ result, busy, onSummarize, onOpenSheet }: SummaryStepProps) {
  const { t, percent, integer } = useMessages();
  const styles = useStyles();
  const headingRef = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    if (result) headingRef.current?.focus();
  }, [result]);

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
      <div>
        <Button appearance={result ? "secondary" : "primary"} disabled={busy} onClick={onSummarize}>
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
        </>
      )}
    </div>
  );
}
