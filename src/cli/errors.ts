import type { Lang } from "../core/types";
import { causeText } from "../excel/failure";
import { PlanLedgerError } from "../excel/operations";
import { XlsxError } from "../offline/xlsx";
import { cliText, type Params } from "./messages";

/** A failure the user can act on: a cli catalog key and its parameters. Always exit code 2. */
export class CliError extends Error {
  constructor(
    readonly key: string,
    readonly params: Params = {},
  ) {
    super(`${key}: ${JSON.stringify(params)}`);
    this.name = "CliError";
  }
}

/** What the failing step was working on, so the message names the file and sheet. */
export type ErrorContext = { file?: string; sheet?: string; sheets?: readonly string[] };

/** Error codes of PlanLedgerError whose messages take the sheet name. */
const PLAN_CODES = new Set([
  "sheetProtected",
  "filterActive",
  "tableOverlap",
  "emptySheet",
  "noHeader",
  "wideLayout",
  "wideImport",
  "cellEditMode",
  "sheetNotFound",
  "noPlan",
  "noOriginal",
  "restoreUnsupported",
  "lowConfidence",
  "requestTooLarge",
  "partial",
  "unexpected",
]);

/**
 * Turns anything thrown into one line for stderr, in `lang`. CLI errors and the operations' PlanLedgerError use the
 * cli catalog; XlsxError carries its own bilingual message; anything else is an unexpected error with its message,
 * so a bug is still reported rather than hidden.
 */
export function describeCliError(error: unknown, lang: Lang, ctx: ErrorContext = {}): string {
  const file = ctx.file ?? "";
  if (error instanceof CliError) return cliText(lang, error.key, error.params);
  if (error instanceof XlsxError) return cliText(lang, "error.xlsx", { file, message: error.messages[lang] });
  if (error instanceof PlanLedgerError && PLAN_CODES.has(error.code)) {
    const params: Record<string, string | number> = {
      file,
      sheet: ctx.sheet ?? "",
      sheets: (ctx.sheets ?? []).join(lang === "zh-CN" ? "、" : ", "),
      table: "",
      error: "",
      candidates: "",
      columns: "",
      ...error.params,
      cause: causeText(lang, error.params),
    };
    const key =
      error.code === "noHeader" && String(params.candidates) === ""
        ? "error.plan.noHeader.none"
        : `error.plan.${error.code}`;
    return cliText(lang, key, params);
  }
  const message = error instanceof Error ? error.message || error.name : String(error);
  return cliText(lang, "error.unexpected", { file, message });
}
