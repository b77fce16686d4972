import { useMemo, useRef, useState } from "react";
import type { Field, Lang } from "../core/types";
import type {
  CheckResult,
  CollectResult,
  DiscardResult,
  ImportRowInput,
  KnownValues,
  PlanOperations,
  PlanPreview,
  PreviewOptions,
  RestoreResult,
  ReturnFile,
  StepKey,
  StructurePreview,
  StructureResult,
  SummaryResult,
  TemplateResult,
} from "../excel/operations";
import type { AllSheetsResult } from "../excel/summary-all";

/** The operations the pane runs; the key under which progress and failures are tracked. */
export type OperationName =
  | "preview"
  | "structure"
  | "importRows"
  | "check"
  | "summarize"
  | "summarizeAll"
  | "selectCell"
  | "activateSheet"
  | "previewStructure"
  | "restore"
  | "discardOriginal"
  | "knownValues"
  | "collectReturns"
  | "makeTemplate";

/** A failure kept for the pane to show: the raw error (formatted by the view) and which operation raised it. */
export type OperationFailure = { op: OperationName; error: unknown; sheet: string | undefined };

/** What the user chose on the Plan step; undefined means "as detected". */
export type PlanChoices = {
  sheet: string | undefined;
  mapping: Partial<Record<Field, number | null>>;
  periodStart: string | undefined;
};

/** The last import of a written plan: how many rows were sent, and the structure run that followed. */
export type ImportOutcome = { added: number; result: StructureResult };

export type PlanState = {
  preview: PlanPreview | null;
  choices: PlanChoices;
  structured: StructureResult | null;
  /** The last Append from the Import step (cleared by the next Structure, and vice versa). */
  imported: ImportOutcome | null;
  check: CheckResult | null;
  /** The last summary of the chosen plan sheet. */
  summary: SummaryResult | null;
  /** The last summary over every plan sheet of the workbook. */
  allSheets: AllSheetsResult | null;
  /** What Structure would change, shown for confirmation before it writes (null when not asked for or done). */
  structurePreview: StructurePreview | null;
  /** The last Restore original. */
  restored: RestoreResult | null;
  /** A copy of the chosen sheet is kept for Restore (as the last preview, structure or summary said). */
  originalKept: boolean;
  /** The last removal of a kept copy. */
  discarded: DiscardResult | null;
  /** The last Collect returns. */
  collected: CollectResult | null;
  /** The last template made. */
  template: TemplateResult | null;
  /** The last summary of each plan sheet, by the plan's sheet: choosing a sheet again shows its own. */
  summaries: Readonly<Record<string, SummaryResult>>;
  /** The workbook's visible sheets, read when no plan could be previewed, so another sheet can be chosen. */
  sheets: { sheets: string[]; active: string } | null;
  /** Operations in flight, each with the step it last reported (null before the first report). */
  running: Partial<Record<OperationName, StepKey | null>>;
  failure: OperationFailure | null;
};

export type PlanActions = {
  /** Previews the sheet with the current choices. */
  preview(): Promise<void>;
  /** Chooses another sheet; forgets mapping and period choices that belonged to the previous one. */
  chooseSheet(sheet: string): Promise<void>;
  /** Maps a field to an absolute column, or to no column (null). */
  chooseColumn(field: Field, col: number | null): Promise<void>;
  /** Sets the plan period's start month ("YYYY-MM"). */
  choosePeriodStart(start: string): Promise<void>;
  /** Resolves true when the sheet was structured. */
  structure(lang: Lang): Promise<boolean>;
  /**
   * Appends rows parsed from a written plan; resolves true when they were added and the plan structured again. The
   * plan step then follows the sheet the rows went to and is previewed again.
   */
  importRows(lang: Lang, rows: readonly ImportRowInput[]): Promise<boolean>;
  check(): Promise<boolean>;
  summarize(lang: Lang, asOf?: Date): Promise<boolean>;
  /** Structures every plan sheet and writes one summary over them all, each sheet a source. */
  summarizeAll(lang: Lang, asOf?: Date): Promise<boolean>;
  selectCell(sheet: string, address: string): Promise<void>;
  activateSheet(sheet: string): Promise<void>;
  /** Asks what Structure would change (written nowhere); the pane shows it and asks to confirm. */
  previewStructure(lang: Lang): Promise<boolean>;
  /** Forgets the structure preview (the user cancelled). */
  cancelStructure(): void;
  /**
   * Collects departments' returned workbooks into the consolidated plan; resolves true when it ran (files that could
   * not be read are listed in the result). The plan step then follows the consolidated plan.
   */
  collectReturns(lang: Lang, files: readonly ReturnFile[]): Promise<boolean>;
  /** Adds a submission sheet for a department (or for anyone, without a name). */
  makeTemplate(lang: Lang, department: string): Promise<boolean>;
  /** Puts the plan sheet back as it was before Plan Ledger first changed it; the plan is previewed again. */
  restore(): Promise<boolean>;
  /** Removes the copy kept for Restore of the plan sheet (Restore is then no longer possible). */
  discardOriginal(): Promise<boolean>;
  /**
   * The user activated a sheet in Excel: the pane follows it, as if chosen in the pane, unless it is the plan already
   * chosen or a summary sheet the pane wrote (opening a summary keeps its plan as the target).
   */
  followSheet(sheet: string): Promise<void>;
  /** The open ledger's owners, categories and units for the text import; null when reading them failed (shown). */
  knownValues(): Promise<KnownValues | null>;
  dismissFailure(): void;
};

const INITIAL: PlanState = {
  preview: null,
  choices: { sheet: undefined, mapping: {}, periodStart: undefined },
  structured: null,
  imported: null,
  check: null,
  summary: null,
  allSheets: null,
  structurePreview: null,
  restored: null,
  originalKept: false,
  discarded: null,
  collected: null,
  template: null,
  summaries: {},
  sheets: null,
  running: {},
  failure: null,
};

function previewOptions(choices: PlanChoices): PreviewOptions {
  const opts: PreviewOptions = {};
  if (choices.sheet !== undefined) opts.sheet = choices.sheet;
  if (Object.keys(choices.mapping).length > 0) opts.mapping = { ...choices.mapping };
  if (choices.periodStart !== undefined) opts.periodStart = choices.periodStart;
  return opts;
}

/**
 * Holds the pane's state and runs every PlanOperations call. Actions never reject: a failure lands in
 * `state.failure` for the pane to show, so no error is lost and no promise floats. Only the latest preview counts,
 * because a quick series of mapping changes can return out of order.
 */
export function usePlanOperations(ops: PlanOperations): { state: PlanState; actions: PlanActions } {
  const [state, setState] = useState<PlanState>(INITIAL);
  // Choices are read by async actions after awaits; a ref gives them the latest without re-creating the actions.
  const choicesRef = useRef<PlanChoices>(INITIAL.choices);
  const previewSeq = useRef(0);
  // Read by followSheet, which an Excel event calls at any time: kept in step with the state without waiting for it.
  const summariesRef = useRef<Record<string, SummaryResult>>({});

  const actions = useMemo<PlanActions>(() => {
    const start = (op: OperationName) =>
      setState((s) => ({
        ...s,
        running: { ...s.running, [op]: null },
        // A new attempt replaces the message about the last one.
        failure: null,
      }));
    const progress = (op: OperationName) => (step: StepKey) =>
      setState((s) => (op in s.running ? { ...s, running: { ...s.running, [op]: step } } : s));
    const finish = (op: OperationName, patch: Partial<PlanState> = {}) =>
      setState((s) => {
        const running = { ...s.running };
        delete running[op];
        return { ...s, ...patch, running };
      });
    const fail = (op: OperationName, error: unknown) =>
      finish(op, { failure: { op, error, sheet: choicesRef.current.sheet } });

    const setChoices = (choices: PlanChoices) => {
      choicesRef.current = choices;
      setState((s) => ({ ...s, choices }));
    };

    const preview = async () => {
      const seq = ++previewSeq.current;
      start("preview");
      try {
        const result = await ops.preview(previewOptions(choicesRef.current));
        if (seq !== previewSeq.current) return;
        // Remember the sheet the preview resolved to (the active one) so later operations name it explicitly.
        if (choicesRef.current.sheet === undefined) choicesRef.current = { ...choicesRef.current, sheet: result.sheet };
        finish("preview", {
          preview: result,
          choices: choicesRef.current,
          sheets: null,
          originalKept: result.originalKept,
        });
      } catch (error) {
        if (seq !== previewSeq.current) return;
        // Nothing to preview (a cover sheet, no header): list the sheets so the pane can offer the others.
        let sheets: PlanState["sheets"] = null;
        try {
          sheets = await ops.listSheets();
        } catch {
          // The preview's own failure is the one to show; without the list the pane offers Refresh only.
        }
        if (seq !== previewSeq.current) return;
        finish("preview", {
          preview: null,
          sheets,
          failure: { op: "preview", error, sheet: choicesRef.current.sheet },
        });
      }
    };
    const chooseSheet = async (sheet: string) => {
      setChoices({ sheet, mapping: {}, periodStart: undefined });
      setState((s) => ({
        ...s,
        check: null,
        structured: null,
        imported: null,
        summary: summariesRef.current[sheet] ?? null,
      }));
      await preview();
    };

    return {
      preview,
      chooseSheet,
      async followSheet(sheet) {
        if (sheet === choicesRef.current.sheet) return;
        if (Object.values(summariesRef.current).some((r) => r.sheet === sheet)) return;
        await chooseSheet(sheet);
      },
      async chooseColumn(field, col) {
        setChoices({ ...choicesRef.current, mapping: { ...choicesRef.current.mapping, [field]: col } });
        await preview();
      },
      async choosePeriodStart(periodStart) {
        setChoices({ ...choicesRef.current, periodStart });
        await preview();
      },
      async structure(lang) {
        start("structure");
        try {
          const result = await ops.structure({
            ...previewOptions(choicesRef.current),
            lang,
            onProgress: progress("structure"),
          });
          finish("structure", {
            structurePreview: null,
            restored: null,
            discarded: null,
            ...(result.originalKept ? { originalKept: true } : {}),
            structured: result,
            imported: null,
            check: { sheet: result.sheet, rows: result.rows, findings: result.findings },
          });
          return true;
        } catch (error) {
          fail("structure", error);
          return false;
        }
      },
      async importRows(lang, rows) {
        start("importRows");
        let sheet: string;
        try {
          const result = await ops.importRows({ lang, rows, onProgress: progress("importRows") });
          sheet = result.sheet;
          finish("importRows", {
            imported: { added: rows.length, result },
            structured: null,
            check: { sheet: result.sheet, rows: result.rows, findings: result.findings },
          });
        } catch (error) {
          fail("importRows", error);
          return false;
        }
        // The rows may have gone to a new plan sheet: Recheck and the Plan step are about that sheet from now on, and
        // the preview is read again either way, since the plan has more rows.
        if (choicesRef.current.sheet !== sheet) setChoices({ sheet, mapping: {}, periodStart: undefined });
        void preview();
        return true;
      },
      async collectReturns(lang, files) {
        start("collectReturns");
        let sheet: string;
        try {
          const result = await ops.collectReturns({ lang, files, onProgress: progress("collectReturns") });
          sheet = result.sheet;
          finish("collectReturns", { collected: result, structured: null, imported: null, check: null });
        } catch (error) {
          fail("collectReturns", error);
          return false;
        }
        // The consolidated plan is the plan from now on (structured and summarised); nothing written, nothing to follow.
        if (sheet === "") return true;
        if (choicesRef.current.sheet !== sheet) setChoices({ sheet, mapping: {}, periodStart: undefined });
        void preview();
        return true;
      },
      async makeTemplate(lang, department) {
        start("makeTemplate");
        try {
          const result = await ops.makeTemplate({ lang, ...(department.trim() ? { department } : {}) });
          finish("makeTemplate", { template: result });
          return true;
        } catch (error) {
          fail("makeTemplate", error);
          return false;
        }
      },
      async check() {
        start("check");
        try {
          const sheet = choicesRef.current.sheet;
          const result = await ops.check(sheet === undefined ? {} : { sheet });
          finish("check", { check: result });
          return true;
        } catch (error) {
          fail("check", error);
          return false;
        }
      },
      async summarize(lang, asOf) {
        start("summarize");
        try {
          const sheet = choicesRef.current.sheet;
          const result = await ops.summarize({
            lang,
            onProgress: progress("summarize"),
            ...(sheet !== undefined ? { sheet } : {}),
            ...(asOf ? { asOf } : {}),
          });
          summariesRef.current = { ...summariesRef.current, [result.plan.sheet]: result };
          finish("summarize", {
            summary: result,
            summaries: summariesRef.current,
            // The one-click summary structured the sheet first and kept its original.
            ...(result.structured?.originalKept ? { originalKept: true, discarded: null } : {}),
          });
          return true;
        } catch (error) {
          fail("summarize", error);
          return false;
        }
      },
      async summarizeAll(lang, asOf) {
        start("summarizeAll");
        try {
          const result = await ops.summarizeAll({
            lang,
            onProgress: progress("summarizeAll"),
            ...(asOf ? { asOf } : {}),
          });
          finish("summarizeAll", { allSheets: result });
          return true;
        } catch (error) {
          fail("summarizeAll", error);
          return false;
        }
      },
      async selectCell(sheet, address) {
        start("selectCell");
        try {
          await ops.selectCell(sheet, address);
          finish("selectCell");
        } catch (error) {
          fail("selectCell", error);
        }
      },
      async activateSheet(sheet) {
        start("activateSheet");
        try {
          await ops.activateSheet(sheet);
          finish("activateSheet");
        } catch (error) {
          fail("activateSheet", error);
        }
      },
      async previewStructure(lang) {
        start("previewStructure");
        try {
          const result = await ops.previewStructure({ ...previewOptions(choicesRef.current), lang });
          finish("previewStructure", { structurePreview: result });
          return true;
        } catch (error) {
          fail("previewStructure", error);
          return false;
        }
      },
      cancelStructure() {
        setState((s) => ({ ...s, structurePreview: null }));
      },
      async restore() {
        start("restore");
        try {
          const sheet = choicesRef.current.sheet;
          const result = await ops.restore(sheet === undefined ? {} : { sheet });
          finish("restore", {
            restored: result,
            originalKept: false,
            structured: null,
            imported: null,
            check: null,
            summary: null,
            structurePreview: null,
          });
        } catch (error) {
          fail("restore", error);
          return false;
        }
        // The sheet is as it was: read it again, as the Plan step shows it before structuring.
        void preview();
        return true;
      },
      async discardOriginal() {
        start("discardOriginal");
        try {
          const sheet = choicesRef.current.sheet;
          const result = await ops.discardOriginal(sheet === undefined ? {} : { sheet });
          finish("discardOriginal", { discarded: result, originalKept: false, restored: null });
          return true;
        } catch (error) {
          fail("discardOriginal", error);
          return false;
        }
      },
      async knownValues() {
        start("knownValues");
        try {
          const result = await ops.knownValues();
          finish("knownValues");
          return result;
        } catch (error) {
          fail("knownValues", error);
          return null;
        }
      },
      dismissFailure() {
        setState((s) => ({ ...s, failure: null }));
      },
    };
  }, [ops]);

  return { state, actions };
}
