import { lazy, startTransition, useEffect, useMemo, useState } from "react";
import {
  FluentProvider,
  MessageBar,
  MessageBarBody,
  Tab,
  TabList,
  Text,
  makeStyles,
  mergeClasses,
  teamsHighContrastTheme,
  tokens,
  webLightTheme,
  type Theme,
} from "@fluentui/react-components";
import { pickLang } from "../core/i18n";
import type { Lang } from "../core/types";
import type { PlanOperations } from "../excel/operations";
import { About } from "./components/About";
import { ErrorBar } from "./components/ErrorBar";
import { LanguageToggle } from "./components/LanguageToggle";
import { LazyStep } from "./components/LazyStep";
import { PlanStep } from "./components/PlanStep";
import { ProgressStatus } from "./components/ProgressStatus";
import { RestoreSection } from "./components/RestoreSection";
import { MessagesContext, messagesFor, useDocumentLang } from "./messages";
import { toImportRows, useImportDraft } from "./useImportDraft";
import { usePlanOperations } from "./usePlanOperations";
import { STEPS, type StepId } from "./view";

// Only the Plan step is painted first; the others (and Structure's preview) are downloaded when first shown, so they
// and the Fluent components only they use stay out of the pane's first download (issue 18: ≤ 250 KB gzipped).
const CheckStep = lazy(async () => ({ default: (await import("./components/CheckStep")).CheckStep }));
const SummaryStep = lazy(async () => ({ default: (await import("./components/SummaryStep")).SummaryStep }));
const ImportStep = lazy(async () => ({ default: (await import("./components/ImportStep")).ImportStep }));
const CollectStep = lazy(async () => ({ default: (await import("./components/CollectStep")).CollectStep }));
const StructurePreview = lazy(async () => ({
  default: (await import("./components/StructurePreview")).StructurePreview,
}));

const useStyles = makeStyles({
  provider: { minHeight: "100vh" },
  root: {
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalM,
    padding: `${tokens.spacingVerticalM} ${tokens.spacingHorizontalM}`,
    maxWidth: "450px",
    boxSizing: "border-box",
  },
  header: { display: "flex", alignItems: "center", justifyContent: "space-between", gap: tokens.spacingHorizontalS },
  title: { margin: 0, fontSize: tokens.fontSizeBase500, fontWeight: tokens.fontWeightSemibold },
  // Four tabs do not fit on one line at 320 px in English: they wrap instead of scrolling out of the pane.
  tabs: { flexWrap: "wrap", minWidth: 0 },
  // Fluent marks a focused input or drop-down only by a 2 px underline; a full outline is visible at a glance
  // (WCAG 2.4.7). Buttons, tabs, links and checkboxes have Fluent's own outline.
  focus: {
    "& .fui-Input:focus-within, & .fui-Dropdown:focus-within, & .fui-Textarea:focus-within, & .fui-Combobox:focus-within":
      {
        outlineWidth: "2px",
        outlineStyle: "solid",
        outlineColor: tokens.colorStrokeFocus2,
        outlineOffset: "1px",
      },
  },
});

export type TaskPaneAppProps = {
  ops: PlanOperations;
  /** Office.context.displayLanguage, e.g. "zh-CN"; any Chinese variant shows Chinese, anything else English. */
  displayLanguage?: string;
  initialStep?: StepId;
  /** Where the About section's self-test link leads (the workbench has its own page). */
  selfTestHref?: string;
};

/** Windows high-contrast (forced colours) gets Fluent's high-contrast theme; every colour comes from its tokens. */
function pickTheme(): Theme {
  const forced = typeof window !== "undefined" && window.matchMedia?.("(forced-colors: active)").matches === true;
  return forced ? teamsHighContrastTheme : webLightTheme;
}

/**
 * The task pane: Plan → Check → Summary, plus Import (a written plan pasted as text), over a PlanOperations object; it
 * never calls Excel itself.
 */
/** Removing the activation handler can fail when the workbook is closing: nothing to undo then, but it is said. */
function warnUnfollow(e: unknown): void {
  console.warn("Plan Ledger: cannot stop following the active sheet:", e);
}

export function TaskPaneApp({
  ops,
  displayLanguage,
  initialStep = "plan",
  selfTestHref = "taskpane.html?view=selftest",
}: TaskPaneAppProps) {
  const styles = useStyles();
  const [lang, setLang] = useState<Lang>(() => pickLang(displayLanguage));
  const messages = useMemo(() => messagesFor(lang), [lang]);
  const theme = useMemo(pickTheme, []);
  const [step, setStep] = useState<StepId>(initialStep);
  const { state, actions } = usePlanOperations(ops);
  const importDraft = useImportDraft(actions.knownValues);
  const { t } = messages;

  // Opening reads the sheet once; the ribbon's "Check plan" opens at Check and runs the check straight away.
  useEffect(() => {
    void actions.preview();
    if (initialStep === "check") void actions.check();
  }, [actions, initialStep]);

  // The pane follows the sheet the user looks at: a tab clicked in Excel becomes the pane's target.
  useEffect(() => {
    let stop: (() => Promise<void>) | undefined;
    let unmounted = false;
    ops
      .onSheetActivated((sheet) => void actions.followSheet(sheet))
      .then(
        (remove) => {
          if (unmounted) void remove().catch(warnUnfollow);
          else stop = remove;
        },
        // Without the event the pane still works: the sheet picker and Refresh remain.
        (e: unknown) => console.warn("Plan Ledger: cannot follow the active sheet:", e),
      );
    return () => {
      unmounted = true;
      if (stop) void stop().catch(warnUnfollow);
    };
  }, [ops, actions]);

  useDocumentLang(lang);

  const writing =
    "structure" in state.running ||
    "importRows" in state.running ||
    "summarize" in state.running ||
    "summarizeAll" in state.running ||
    "restore" in state.running ||
    "discardOriginal" in state.running ||
    "collectReturns" in state.running ||
    "makeTemplate" in state.running;
  const checking = "check" in state.running;

  /**
   * Moves to the Check step with the findings of a write just made. A transition: React renders the step in short
   * slices with the page's event loop between them (non-blocking, react.dev/reference/react/startTransition; time
   * slicing, facebook/react#21662). After Structure of a 5,000-row plan, rendered as a plain update, it was one task of
   * 0.2–0.3 s in the workbench (issue 16 §10).
   */
  const showFindings = () => startTransition(() => setStep("check"));

  const goTo = (next: StepId) => {
    setStep(next);
    if (next === "check" && state.check === null && !checking && !writing) void actions.check();
  };

  // The provider's full-height class must not reach popups: Fluent copies it onto their portal layer.
  return (
    <FluentProvider theme={theme} lang={lang} className={styles.provider} applyStylesToPortals={false}>
      <MessagesContext.Provider value={messages}>
        <div className={mergeClasses(styles.root, styles.focus)}>
          <div className={styles.header}>
            <h1 className={styles.title}>{t("app.title")}</h1>
            <LanguageToggle onChange={setLang} />
          </div>
          <Text size={200}>{t("app.subtitle")}</Text>
          <TabList
            className={styles.tabs}
            selectedValue={step}
            aria-label={t("app.steps")}
            onTabSelect={(_ev, data) => {
              const next = STEPS.find((s) => s === data.value);
              if (next !== undefined) goTo(next);
            }}
          >
            {STEPS.map((s, i) => (
              <Tab key={s} value={s} id={`tab-${s}`} aria-controls={`panel-${s}`}>
                {t(`tab.${s}`, { n: i + 1 })}
              </Tab>
            ))}
          </TabList>
          <ProgressStatus running={state.running} />
          {state.failure && <ErrorBar failure={state.failure} onDismiss={actions.dismissFailure} />}
          <div role="tabpanel" id={`panel-${step}`} aria-labelledby={`tab-${step}`}>
            {step === "plan" && (
              <PlanStep
                preview={state.preview}
                sheets={state.sheets}
                failed={state.failure !== null}
                choices={state.choices}
                busy={writing}
                onChooseSheet={(sheet) =>
                  // A sheet chosen in the pane is the one shown in Excel too; the preview does not wait for it.
                  void Promise.all([actions.chooseSheet(sheet), actions.activateSheet(sheet)])
                }
                onChooseColumn={(field, col) => void actions.chooseColumn(field, col)}
                onChoosePeriodStart={(start) => void actions.choosePeriodStart(start)}
                onRefresh={() => void actions.preview()}
                onStructure={() => void actions.previewStructure(lang)}
              />
            )}
            {step === "plan" && state.structurePreview && (
              <LazyStep key="structurePreview">
                <StructurePreview
                  preview={state.structurePreview}
                  busy={writing}
                  onConfirm={() =>
                    void actions.structure(lang).then((ok) => {
                      if (ok) showFindings();
                    })
                  }
                  onCancel={actions.cancelStructure}
                />
              </LazyStep>
            )}
            {step === "check" && (
              <LazyStep key="check">
                <CheckStep
                  result={state.check}
                  structured={state.structured}
                  imported={state.imported}
                  busy={writing || checking}
                  onCheck={() => void actions.check()}
                  onSelectCell={(sheet, cell) => void actions.selectCell(sheet, cell)}
                />
              </LazyStep>
            )}
            {step === "import" && (
              <LazyStep key="import">
                <ImportStep
                  draft={importDraft.draft}
                  actions={importDraft.actions}
                  planPeriodStart={state.preview?.period.start ?? null}
                  busy={writing}
                  onAppend={(rows) =>
                    void actions.importRows(lang, toImportRows(rows)).then((ok) => {
                      if (!ok) return;
                      importDraft.actions.clear();
                      showFindings();
                    })
                  }
                />
              </LazyStep>
            )}
            {step === "collect" && (
              <LazyStep key="collect">
                <CollectStep
                  busy={writing}
                  collected={state.collected}
                  template={state.template}
                  onMakeTemplate={(department) => void actions.makeTemplate(lang, department)}
                  onCollect={(files) => void actions.collectReturns(lang, files)}
                  onOpenSheet={(sheet) => void actions.activateSheet(sheet)}
                />
              </LazyStep>
            )}
            {step === "summary" && state.preview && !state.preview.structured && (
              <MessageBar intent="info" layout="multiline">
                <MessageBarBody>{t("summary.willStructure")}</MessageBarBody>
              </MessageBar>
            )}
            {step === "summary" && (
              <LazyStep key="summary">
                <SummaryStep
                  result={state.summary}
                  allSheets={state.allSheets}
                  busy={writing}
                  onSummarize={(asOf) => void actions.summarize(lang, asOf)}
                  onSummarizeAll={(asOf) => void actions.summarizeAll(lang, asOf)}
                  onOpenSheet={(sheet) => void actions.activateSheet(sheet)}
                />
              </LazyStep>
            )}
          </div>
          <RestoreSection
            sheet={state.choices.sheet}
            busy={writing}
            restored={state.restored}
            onRestore={() => void actions.restore()}
            originalKept={state.originalKept}
            discarded={state.discarded}
            onDiscard={() => void actions.discardOriginal()}
          />
          <About selfTestHref={selfTestHref} />
        </div>
      </MessagesContext.Provider>
    </FluentProvider>
  );
}
