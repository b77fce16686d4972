/**
 * The pane's steps, in tab order: the guided flow Plan → Check → Summary, then Import, a second way in (a written plan
 * pasted as text) that ends at Check like Structure does, and Collect (templates for departments, their returns
 * gathered into one plan). Import and Collect come last so the flow keeps its numbers.
 */
export type StepId = "plan" | "check" | "summary" | "import" | "collect";

export const STEPS: readonly StepId[] = ["plan", "check", "summary", "import", "collect"];

/**
 * Reads the step to open from the pane URL's `view` parameter (the ribbon's "Check plan" opens `?view=check`).
 * @example initialStepFromSearch("?view=check") // "check"
 */
export function initialStepFromSearch(search: string): StepId {
  const view = new URLSearchParams(search).get("view");
  return STEPS.find((s) => s === view) ?? "plan";
}

/** A failure as the ribbon reports it to its dialog: what PlanLedgerError carries, or the message of anything else. */
export type ReportedFailure = {
  code: string;
  params: Record<string, string | number>;
  done: string[];
  detail: string;
  lang: string;
};

/** What taskpane.html shows: the steps, the self-test, or (in the ribbon's dialog) one error. */
export type PaneView =
  { kind: "steps"; step: StepId } | { kind: "selftest" } | { kind: "error"; failure: ReportedFailure };

/**
 * The URL of the ribbon's error dialog: taskpane.html with `error=<code>` and what the message needs, so the dialog can
 * say what happened without calling Excel (a dialog can only message its parent).
 * @example errorDialogUrl("https://localhost:3000", { code: "noHeader", params: {}, done: [], detail: "", lang: "zh-CN" })
 */
export function errorDialogUrl(origin: string, f: ReportedFailure): string {
  const q = new URLSearchParams({
    error: f.code,
    params: JSON.stringify(f.params),
    done: JSON.stringify(f.done),
    detail: f.detail,
    lang: f.lang,
  });
  return `${origin}/taskpane.html?${q.toString()}`;
}

function parseJson<T>(text: string | null, fallback: T, ok: (v: unknown) => boolean): T {
  if (text === null) return fallback;
  try {
    const v: unknown = JSON.parse(text);
    return ok(v) ? (v as T) : fallback;
  } catch {
    return fallback;
  }
}

/**
 * Reads the view from taskpane.html's query: `error=` (from {@link errorDialogUrl}) wins over `view=`.
 * @example paneViewFromSearch("?view=selftest") // { kind: "selftest" }
 */
export function paneViewFromSearch(search: string): PaneView {
  const q = new URLSearchParams(search);
  const code = q.get("error");
  if (code !== null) {
    const isRecord = (v: unknown) =>
      typeof v === "object" &&
      v !== null &&
      !Array.isArray(v) &&
      Object.values(v).every((x) => typeof x === "string" || typeof x === "number");
    const isList = (v: unknown) => Array.isArray(v) && v.every((x) => typeof x === "string");
    return {
      kind: "error",
      failure: {
        code,
        params: parseJson(q.get("params"), {}, isRecord),
        done: parseJson(q.get("done"), [], isList),
        detail: q.get("detail") ?? "",
        lang: q.get("lang") ?? "",
      },
    };
  }
  if (q.get("view") === "selftest") return { kind: "selftest" };
  return { kind: "steps", step: initialStepFromSearch(search) };
}
