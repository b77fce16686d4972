import { useId, useState } from "react";
import { Button, Field, Input, MessageBar, MessageBarBody, Text, makeStyles, tokens } from "@fluentui/react-components";
import { PlanLedgerError, type CollectResult, type ReturnFile, type TemplateResult } from "../../excel/operations";
import { describeError } from "../describeError";
import { useMessages } from "../messages";
import { withoutCell } from "./CheckStep";

/** Findings listed per return; the rest are counted (Check lists every finding of the consolidated plan). */
const FINDINGS_SHOWN = 5;

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalL },
  section: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS, minWidth: 0 },
  heading: { margin: 0, fontSize: tokens.fontSizeBase400, fontWeight: tokens.fontWeightSemibold },
  actions: { display: "flex", flexWrap: "wrap", gap: tokens.spacingHorizontalS },
  // The native file input keeps the browser's own picker (multiple files, keyboard, screen readers); at 320 px its
  // file-name text must wrap instead of widening the pane.
  file: { maxWidth: "100%", minWidth: 0, overflowWrap: "anywhere" },
  list: { margin: 0, paddingLeft: tokens.spacingHorizontalL, minWidth: 0 },
  wrap: { overflowWrap: "anywhere" },
});

export type CollectStepProps = {
  busy: boolean;
  collected: CollectResult | null;
  template: TemplateResult | null;
  onMakeTemplate: (department: string) => void;
  onCollect: (files: ReturnFile[]) => void;
  onOpenSheet: (sheet: string) => void;
};

/** Reads picked files into memory: nothing is uploaded, the bytes go straight to our .xlsx reader. */
async function readFiles(list: FileList | null): Promise<ReturnFile[]> {
  const files = list ? Array.from(list) : [];
  return Promise.all(files.map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) })));
}

/**
 * Step 5: a template to send to departments, and their returns collected into one consolidated plan with a 来源
 * column; a department collected again replaces its earlier items.
 */
export function CollectStep({ busy, collected, template, onMakeTemplate, onCollect, onOpenSheet }: CollectStepProps) {
  const { t } = useMessages();
  const styles = useStyles();
  const [department, setDepartment] = useState("");
  const [files, setFiles] = useState<ReturnFile[]>([]);
  const [reading, setReading] = useState(false);
  const [readError, setReadError] = useState<string | null>(null);
  const fileId = useId();

  return (
    <div className={styles.root}>
      <section className={styles.section} aria-labelledby="template-title">
        <h2 id="template-title" className={styles.heading}>
          {t("collect.template.title")}
        </h2>
        <Text size={200}>{t("collect.template.explain")}</Text>
        <Field label={t("collect.template.department")} hint={t("collect.template.departmentHint")}>
          <Input value={department} onChange={(_ev, data) => setDepartment(data.value)} />
        </Field>
        <div className={styles.actions}>
          <Button disabled={busy} onClick={() => onMakeTemplate(department)}>
            {t("collect.template.button")}
          </Button>
        </div>
        {template && (
          <MessageBar intent="success" layout="multiline">
            <MessageBarBody>
              {t("collect.template.done", {
                sheet: template.sheet,
                months: template.months,
                units: template.units,
                categories: template.categories,
              })}
            </MessageBarBody>
          </MessageBar>
        )}
      </section>

      <section className={styles.section} aria-labelledby="collect-title">
        <h2 id="collect-title" className={styles.heading}>
          {t("collect.returns.title")}
        </h2>
        <Text size={200}>{t("collect.returns.explain")}</Text>
        <label htmlFor={fileId}>
          <Text weight="semibold">{t("collect.returns.files")}</Text>
        </label>
        <input
          id={fileId}
          className={styles.file}
          type="file"
          multiple
          accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          disabled={busy || reading}
          onChange={(ev) => {
            const list = ev.currentTarget.files;
            setReading(true);
            setReadError(null);
            readFiles(list).then(
              (read) => {
                setFiles(read);
                setReading(false);
              },
              (e: unknown) => {
                // A file the browser cannot read (removed or locked since it was picked) is said, not skipped.
                setFiles([]);
                setReading(false);
                setReadError(e instanceof Error ? e.message : String(e));
              },
            );
          }}
        />
        {readError !== null && (
          <MessageBar intent="error" layout="multiline">
            <MessageBarBody>{t("collect.returns.readError", { message: readError })}</MessageBarBody>
          </MessageBar>
        )}
        <div className={styles.actions}>
          <Button
            appearance="primary"
            disabled={busy || reading || files.length === 0}
            onClick={() => onCollect(files)}
          >
            {t("collect.returns.button", { n: files.length })}
          </Button>
        </div>
        {collected && <CollectedReport result={collected} onOpenSheet={onOpenSheet} />}
      </section>
      <Text size={200} className={styles.wrap}>
        {t("collect.returns.identity")}
      </Text>
    </div>
  );
}

function CollectedReport({ result, onOpenSheet }: { result: CollectResult; onOpenSheet: (sheet: string) => void }) {
  const { t, lang } = useMessages();
  const styles = useStyles();
  return (
    <div className={styles.section} role="status">
      {result.sheet !== "" && (
        <MessageBar intent="success" layout="multiline">
          <MessageBarBody>
            {t("collect.returns.done", {
              added: result.added,
              files: result.sources.length,
              replaced: result.replaced,
              sheet: result.sheet,
              rows: result.rows,
            })}
          </MessageBarBody>
        </MessageBar>
      )}
      <ul className={styles.list} aria-label={t("collect.returns.sources")}>
        {result.sources.map((s) => (
          <li key={s.label} className={styles.wrap}>
            <Text weight="semibold">{s.label}</Text>{" "}
            {t("collect.returns.source", { rows: s.rows, replaced: s.replaced, findings: s.findings.length })}
            {s.findings.length > 0 && (
              <ul className={styles.list}>
                {s.findings.slice(0, FINDINGS_SHOWN).map((f, i) => (
                  <li key={`${f.cell}|${i}`}>
                    {t("collect.returns.finding", {
                      sheet: s.sheet,
                      cell: f.cell,
                      message: withoutCell(f.message[lang], f.cell),
                    })}
                  </li>
                ))}
                {s.findings.length > FINDINGS_SHOWN && (
                  <li>{t("collect.returns.moreFindings", { n: s.findings.length - FINDINGS_SHOWN })}</li>
                )}
              </ul>
            )}
          </li>
        ))}
      </ul>
      {result.failed.map((f) => {
        const view = describeError(new PlanLedgerError(f.code, f.params), lang);
        return (
          <MessageBar key={f.file} intent="error" layout="multiline">
            <MessageBarBody className={styles.wrap}>
              {view.what} {view.action}
            </MessageBarBody>
          </MessageBar>
        );
      })}
      {result.sheet !== "" && (
        <div className={styles.actions}>
          <Button onClick={() => onOpenSheet(result.sheet)}>
            {t("collect.returns.open", { sheet: result.sheet })}
          </Button>
          {result.summarySheet !== "" && (
            <Button onClick={() => onOpenSheet(result.summarySheet)}>
              {t("collect.returns.openSummary", { sheet: result.summarySheet })}
            </Button>
          )}
        </div>
      )}
    </div>
  );
}
