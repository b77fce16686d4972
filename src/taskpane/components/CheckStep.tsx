import { useEffect, useRef, useState } from "react";
import {
  Accordion,
  AccordionHeader,
  AccordionItem,
  AccordionPanel,
  Badge,
  Button,
  CounterBadge,
  Link,
  MessageBar,
  MessageBarBody,
  Text,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import type { Finding, FindingCode, Severity } from "../../core/types";
import type { CheckResult, StructureResult } from "../../excel/operations";
import { useMessages } from "../messages";
import type { ImportOutcome } from "../usePlanOperations";

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };
const SEVERITY_COLOR: Record<Severity, "danger" | "warning" | "informative"> = {
  error: "danger",
  warning: "warning",
  info: "informative",
};

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  headerText: { display: "flex", alignItems: "center", gap: tokens.spacingHorizontalS, flexWrap: "wrap" },
  list: { listStyleType: "none", margin: 0, padding: 0, display: "flex", flexDirection: "column" },
  item: { paddingBlock: tokens.spacingVerticalXXS },
  cell: { fontFamily: tokens.fontFamilyMonospace, marginRight: tokens.spacingHorizontalS },
  summary: { outlineStyle: "none", display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
});

type Group = { code: FindingCode; severity: Severity; findings: Finding[] };

/**
 * Findings listed per group at first, and added by each "Show more". A 5,000-row plan can have thousands; drawing
 * them all (a Fluent link each) took over half a second and froze the pane (issue 16 §10).
 */
export const FINDINGS_SHOWN = 50;

/** Groups findings by code, most severe and most frequent first; findings keep their sheet order within a group. */
export function groupFindings(findings: readonly Finding[]): Group[] {
  const groups = new Map<FindingCode, Group>();
  for (const f of findings) {
    const g = groups.get(f.code) ?? { code: f.code, severity: f.severity, findings: [] };
    if (SEVERITY_ORDER[f.severity] < SEVERITY_ORDER[g.severity]) g.severity = f.severity;
    g.findings.push(f);
    groups.set(f.code, g);
  }
  return [...groups.values()].sort(
    (a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || b.findings.length - a.findings.length,
  );
}

export type CheckStepProps = {
  result: CheckResult | null;
  /** The last Structure run, reported above its findings. */
  structured: StructureResult | null;
  /** The last Append from the Import step, reported like a Structure run. */
  imported?: ImportOutcome | null;
  busy: boolean;
  onCheck: () => void;
  onSelectCell: (sheet: string, cell: string) => void;
};

/** Step 2: the findings, grouped by kind, each one a link to its cell; Recheck after fixing. */
export function CheckStep({ result, structured, imported = null, busy, onCheck, onSelectCell }: CheckStepProps) {
  const { t, lang } = useMessages();
  const styles = useStyles();
  const summaryRef = useRef<HTMLDivElement>(null);
  // How many findings of each group are listed; a new result starts again from the first FINDINGS_SHOWN.
  const [shownFor, setShownFor] = useState<{ result: CheckResult | null; by: Partial<Record<FindingCode, number>> }>({
    result,
    by: {},
  });
  const shown = shownFor.result === result ? shownFor.by : {};
  const setShown = (update: (by: Partial<Record<FindingCode, number>>) => Partial<Record<FindingCode, number>>): void =>
    setShownFor((s) => ({ result, by: update(s.result === result ? s.by : {}) }));

  // A fresh result moves focus to its summary line so the outcome is announced and the list is next in tab order.
  useEffect(() => {
    if (result) summaryRef.current?.focus();
  }, [result]);

  const groups = result ? groupFindings(result.findings) : [];
  const count = (s: Severity) => result?.findings.filter((f) => f.severity === s).length ?? 0;

  return (
    <div className={styles.root}>
      <div>
        <Button appearance={result ? "secondary" : "primary"} disabled={busy} onClick={onCheck}>
          {result ? t("check.recheck") : t("check.run")}
        </Button>
      </div>
      {result === null && <Text>{t("check.notYet")}</Text>}
      {(result !== null || structured !== null || imported !== null) && (
        // The outcome of the last write and of the check, focused together so both are read out.
        <div ref={summaryRef} tabIndex={-1} className={styles.summary}>
          {structured !== null && (
            <MessageBar intent="success" layout="multiline">
              <MessageBarBody>
                {t("structure.done", { sheet: structured.sheet, table: structured.table, rows: structured.rows })}{" "}
                {t("structure.details", {
                  unmerged: structured.unmergedAreas,
                  normalized: structured.normalizedCells,
                  originals: structured.originalsKept,
                })}
              </MessageBarBody>
            </MessageBar>
          )}
          {imported !== null && (
            <MessageBar intent="success" layout="multiline">
              <MessageBarBody>
                {t("import.done", {
                  added: imported.added,
                  sheet: imported.result.sheet,
                  table: imported.result.table,
                  rows: imported.result.rows,
                })}
              </MessageBarBody>
            </MessageBar>
          )}
          {result !== null &&
            (result.findings.length === 0 ? (
              <MessageBar intent="success">
                <MessageBarBody>{t("check.clean", { sheet: result.sheet, rows: result.rows })}</MessageBarBody>
              </MessageBar>
            ) : (
              <Text>
                {t("check.summary", {
                  sheet: result.sheet,
                  rows: result.rows,
                  errors: count("error"),
                  warnings: count("warning"),
                  infos: count("info"),
                })}
              </Text>
            ))}
        </div>
      )}
      {groups.length > 0 && (
        <Accordion multiple collapsible defaultOpenItems={[groups[0].code]}>
          {groups.map((g) => (
            <AccordionItem key={g.code} value={g.code}>
              <AccordionHeader>
                <span className={styles.headerText}>
                  {t(`finding.${g.code}`)}
                  <CounterBadge
                    count={g.findings.length}
                    overflowCount={999}
                    color={g.severity === "error" ? "danger" : "informative"}
                    aria-label={t("check.count", { n: g.findings.length })}
                  />
                  <Badge appearance="outline" color={SEVERITY_COLOR[g.severity]}>
                    {t(`severity.${g.severity}`)}
                  </Badge>
                </span>
              </AccordionHeader>
              <AccordionPanel>
                <ul className={styles.list}>
                  {g.findings.slice(0, shown[g.code] ?? FINDINGS_SHOWN).map((f, i) => (
                    <li key={`${f.cell}|${i}`} className={styles.item}>
                      <Link
                        as="button"
                        aria-label={t("check.select", { cell: f.cell, message: withoutCell(f.message[lang], f.cell) })}
                        onClick={() => onSelectCell(result?.sheet ?? "", f.cell)}
                      >
                        <span className={styles.cell}>{f.cell}</span> {withoutCell(f.message[lang], f.cell)}
                      </Link>
                    </li>
                  ))}
                </ul>
                {g.findings.length > (shown[g.code] ?? FINDINGS_SHOWN) && (
                  <Button
                    appearance="subtle"
                    size="small"
                    onClick={() =>
                      setShown((all) => ({ ...all, [g.code]: (all[g.code] ?? FINDINGS_SHOWN) + FINDINGS_SHOWN * 4 }))
                    }
                  >
                    {t("check.more", {
                      n: Math.min(FINDINGS_SHOWN * 4, g.findings.length - (shown[g.code] ?? FINDINGS_SHOWN)),
                      rest: g.findings.length - (shown[g.code] ?? FINDINGS_SHOWN),
                    })}
                  </Button>
                )}
              </AccordionPanel>
            </AccordionItem>
          ))}
        </Accordion>
      )}
    </div>
  );
}

/** Finding messages start with their cell (the CLI prints them alone); the pane shows the cell beside the text. */
export function withoutCell(message: string, cell: string): string {
  for (const sep of ["：", ": ", ":"])
    if (message.startsWith(cell + sep)) return message.slice(cell.length + sep.length);
  return message;
}
