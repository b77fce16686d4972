import { pickLang } from "../core/i18n";
import type { Lang } from "../core/types";
import { PlanLedgerError, type PlanOperations, type SummaryResult } from "../excel/operations";
import type { ReportedFailure } from "../taskpane/view";

/** What a ribbon function needs: the event to complete and a way to show a failure. */
export type CommandEvent = { completed: () => void };

/** Shows a failure to the user and resolves once it is no longer shown (the dialog was closed). */
export type Notify = (failure: ReportedFailure) => Promise<void>;

/** Everything the error dialog needs to describe a failure in the user's language, without calling Excel. */
export function reportFailure(e: unknown, lang: Lang): ReportedFailure {
  if (e instanceof PlanLedgerError) {
    return { code: e.code, params: { ...e.params }, done: [...e.done], detail: e.message, lang };
  }
  const code = (e as { code?: unknown } | null)?.code;
  return {
    code: typeof code === "string" ? code : "unexpected",
    params: {},
    done: [],
    detail: e instanceof Error ? e.message || e.name : String(e),
    lang,
  };
}

/**
 * The "Generate summary" ribbon command: runs the operation and, when it fails, shows the failure and waits until the
 * user has read it; then completes the event. A function command's runtime (and any dialog it opened) ends when
 * `completed()` is called (Office.AddinCommands.Event: "the add-in has completed processing and will automatically be
 * closed"), and Office stops a command that never calls it after five minutes.
 */
export async function runGenerateSummary(
  ops: PlanOperations,
  displayLanguage: string | undefined,
  event: CommandEvent,
  notify: Notify,
): Promise<SummaryResult | undefined> {
  const lang: Lang = pickLang(displayLanguage);
  try {
    return await ops.summarize({ lang });
  } catch (e) {
    await notify(reportFailure(e, lang));
    return undefined;
  } finally {
    event.completed();
  }
}
