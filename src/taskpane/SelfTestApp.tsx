import { useEffect, useMemo, useRef, useState } from "react";
import {
  Badge,
  Button,
  FluentProvider,
  Text,
  Textarea,
  makeStyles,
  tokens,
  webLightTheme,
} from "@fluentui/react-components";
import { CONTRACT_RULES, runContract, runPrefix, type ContractHost, type RuleResult } from "../contract";
import { pickLang } from "../core/i18n";
import type { HostInfo } from "../excel/selftest";
import { MessagesContext, messagesFor, useDocumentLang, useMessages } from "./messages";

const useStyles = makeStyles({
  provider: { minHeight: "100vh" },
  root: {
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalM,
    padding: `${tokens.spacingVerticalM} ${tokens.spacingHorizontalM}`,
    maxWidth: "720px",
    boxSizing: "border-box",
  },
  title: { margin: 0, fontSize: tokens.fontSizeBase500, fontWeight: tokens.fontWeightSemibold },
  host: { margin: 0, display: "grid", gridTemplateColumns: "max-content 1fr", columnGap: tokens.spacingHorizontalM },
  list: { margin: 0, padding: 0, listStyleType: "none", display: "flex", flexDirection: "column", gap: "4px" },
  rule: { display: "flex", gap: tokens.spacingHorizontalS, alignItems: "baseline" },
  detail: { display: "block", color: tokens.colorPaletteRedForeground1, fontFamily: tokens.fontFamilyMonospace },
  report: { fontFamily: tokens.fontFamilyMonospace, minHeight: "160px" },
});

export type SelfTestProps = {
  host: ContractHost;
  info: HostInfo;
  /** Removes what the run left in the workbook (sheets, names, settings under the run's prefix). */
  cleanup: (prefix: string) => Promise<number>;
  displayLanguage?: string;
  /** Clock for the report's time stamp. */
  now?: () => Date;
};

/** The plain-text report a user copies and sends back: host, totals, then every rule with its outcome. */
export function selfTestReport(info: HostInfo, results: readonly RuleResult[], at: Date, cleanup?: string): string {
  const count = (s: RuleResult["status"]) => results.filter((r) => r.status === s).length;
  const failed = count("failed");
  const lines = [
    `Plan Ledger self-test, ${at.toISOString()}`,
    `Host: ${info.host} ${info.version} on ${info.platform}; highest ExcelApi set ${info.highestApi}`,
    `Result: ${failed > 0 ? "FAILED" : "PASSED"}: ${count("passed")} passed, ${failed} failed, ${count("skipped")} skipped of ${results.length} rules`,
    ...(cleanup ? [`Cleanup: ${cleanup}`] : []),
    "",
    ...results.map((r) => {
      const tag = r.status === "passed" ? "PASS" : r.status === "failed" ? "FAIL" : "SKIP";
      const assumption = r.assumption ? " [assumption]" : "";
      return `${tag} ${r.id}${assumption}: ${r.title}${r.detail ? `\n     ${r.detail}` : ""}`;
    }),
  ];
  return lines.join("\n");
}

/**
 * Runs the contract rules once, showing each result as it arrives, the host, and a report to copy. When done it marks
 * `<html data-selftest="passed|failed" data-selftest-count="N">` (N rules run), for browser tests and support.
 */
function SelfTest({ host, info, cleanup, now = () => new Date() }: Omit<SelfTestProps, "displayLanguage">) {
  const styles = useStyles();
  const { t } = useMessages();
  const [results, setResults] = useState<RuleResult[]>([]);
  const [cleaned, setCleaned] = useState<string | undefined>(undefined);
  const [finished, setFinished] = useState(false);
  const [copied, setCopied] = useState(false);
  const started = useRef(false);
  const reportRef = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    // One run per page, even when React mounts the component twice in development.
    if (started.current) return;
    started.current = true;
    const prefix = runPrefix();
    void (async () => {
      const all = await runContract(host, CONTRACT_RULES, {
        prefix,
        onResult: (r) => setResults((prev) => [...prev, r]),
      });
      let note: string;
      try {
        note = `removed ${await cleanup(prefix)} item(s) named ${prefix}…`;
      } catch (e) {
        note = `could not remove the items named ${prefix}… (${e instanceof Error ? e.message : String(e)})`;
      }
      setCleaned(note);
      const ran = all.filter((r) => r.status !== "skipped");
      document.documentElement.dataset.selftest = all.some((r) => r.status === "failed") ? "failed" : "passed";
      document.documentElement.dataset.selftestCount = String(ran.length);
      setFinished(true);
    })();
  }, [host, cleanup]);

  const at = useMemo(() => now(), [finished]); // eslint-disable-line react-hooks/exhaustive-deps
  const report = selfTestReport(info, results, at, cleaned);
  const failed = results.filter((r) => r.status === "failed").length;
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(report);
      setCopied(true);
    } catch {
      // Clipboard access is often denied inside Office: select the text so Ctrl+C copies it.
      reportRef.current?.select();
    }
  };

  return (
    <div className={styles.root}>
      <h1 className={styles.title}>{t("selftest.title")}</h1>
      <Text>{t("selftest.intro")}</Text>
      <dl className={styles.host} aria-label={t("selftest.host")}>
        <dt>{t("selftest.host.name")}</dt>
        <dd>{`${info.host} ${info.version}`}</dd>
        <dt>{t("selftest.host.platform")}</dt>
        <dd>{info.platform}</dd>
        <dt>{t("selftest.host.api")}</dt>
        <dd>{info.highestApi}</dd>
      </dl>
      <Text role="status" weight="semibold">
        {finished
          ? failed > 0
            ? t("selftest.failed", { failed, total: results.length })
            : t("selftest.passed", { total: results.length })
          : t("selftest.running", { done: results.length, total: CONTRACT_RULES.length })}
      </Text>
      {finished && (
        <>
          <Text>{t("selftest.send")}</Text>
          <Button appearance="primary" onClick={() => void copy()}>
            {copied ? t("selftest.copied") : t("selftest.copy")}
          </Button>
          <Textarea
            ref={reportRef}
            textarea={{ className: styles.report }}
            readOnly
            value={report}
            aria-label={t("selftest.report")}
            resize="vertical"
          />
        </>
      )}
      <ul className={styles.list} aria-label={t("selftest.rules")}>
        {results.map((r) => (
          <li key={r.id} className={styles.rule} data-rule={r.id} data-status={r.status}>
            <Badge
              appearance="filled"
              color={r.status === "passed" ? "success" : r.status === "failed" ? "danger" : "informative"}
            >
              {t(`selftest.status.${r.status}`)}
            </Badge>
            <span>
              <code>{r.id}</code> {r.title}
              {r.assumption ? ` (${t("selftest.assumption")})` : null}
              {r.detail && <span className={styles.detail}>{r.detail}</span>}
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** The self-test page: in the add-in (taskpane.html?view=selftest) over Excel, in the workbench over the offline host. */
export function SelfTestApp({ displayLanguage, ...props }: SelfTestProps) {
  const styles = useStyles();
  const messages = useMemo(() => messagesFor(pickLang(displayLanguage)), [displayLanguage]);
  useDocumentLang(messages.lang);
  return (
    <FluentProvider theme={webLightTheme} lang={messages.lang} className={styles.provider}>
      <MessagesContext.Provider value={messages}>
        <SelfTest {...props} />
      </MessagesContext.Provider>
    </FluentProvider>
  );
}
