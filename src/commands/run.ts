import { pickLang } from "../core/i18n";
import type { Lang } from "../core/types";
import type { PlanOperations, SummaryResult } from "../excel/operations";

/** What a ribbon function needs: the event to complete and a way to show a failure. */
export type CommandEvent = { completed: () => void };
export type Notify = (kind: "error", code: string, detail: string) => void;

/**
 * The "Generate summary" ribbon command: runs the operation, tells the user when it fails, and always completes the
 * event (Office stops a command that never does, after five minutes).
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
    const code = (e as { code?: string } | null)?.code ?? "unexpected";
    notify("error", code, e instanceof Error ? e.message : String(e));
    return undefined;
  } finally {
    event.completed();
  }
}
