import { format } from "../core/i18n";
import type { Lang } from "../core/types";
import { causeText } from "../excel/failure";
import { PlanLedgerError } from "../excel/operations";
import { ERROR_CATALOGS, UI_CATALOGS } from "./messages";

/** A failure in words: what happened, what to do, and what was already done before it stopped. */
export type ErrorView = {
  /** The error's code for PlanLedgerError, "generic" otherwise; lets tests and telemetry tell them apart. */
  code: string;
  what: string;
  action: string;
  /** Steps that completed before the failure, in the user's language. */
  done: string[];
};

/**
 * Turns any thrown value into a message for the user. A PlanLedgerError uses its code's catalog message with its
 * params (the current sheet fills `{sheet}` when the error did not name one); anything else says that something
 * unexpected happened and carries the original message so it can be reported.
 * @example describeError(new PlanLedgerError("sheetProtected", { sheet: "计划" }), "en-US").what
 */
export function describeError(error: unknown, lang: Lang, context: { sheet?: string } = {}): ErrorView {
  const catalog = ERROR_CATALOGS[lang];
  if (error instanceof PlanLedgerError) {
    const params: Record<string, string | number> = {
      ...(context.sheet === undefined ? {} : { sheet: context.sheet }),
      message: error.cause instanceof Error ? error.cause.message : String(error.params.error ?? error.code),
      ...error.params,
      // What stopped an operation, in words the user can act on (the pane used to fall back to the bare code).
      cause: causeText(lang, error.params),
    };
    const ui = UI_CATALOGS[lang];
    return {
      code: error.code,
      // A noHeader without close rows says so instead of ending on "Closest rows:" with nothing after it.
      what: format(
        catalog,
        error.code === "noHeader" && params.candidates === "" ? "noHeader.none" : error.code,
        params,
      ),
      action: format(catalog, `${error.code}.action`, params),
      // Done entries are step keys when they name one; anything else is shown as given rather than dropped.
      done: error.done.map((d) => (ui[`step.${d}.done`] === undefined ? d : format(ui, `step.${d}.done`))),
    };
  }
  const detail = error instanceof Error ? error.message || error.name : String(error);
  return {
    code: "generic",
    what: format(catalog, "generic", { message: detail }),
    action: format(catalog, "generic.action"),
    done: [],
  };
}
