/**
 * The cause of a partial failure in the user's language: what Excel refused, from its error code, or its own message
 * when the code is not one we describe. Used by the pane (describeError) and the CLI.
 */
import { format, type Catalogs } from "../core/i18n";
import type { Lang } from "../core/types";
import errorsEn from "../i18n/errors.en-US.json";
import errorsZh from "../i18n/errors.zh-CN.json";

const ERRORS: Catalogs = { "zh-CN": errorsZh, "en-US": errorsEn };

/** What an operation records about the error that stopped it: PlanLedgerError("partial") params. */
export type FailureParams = { error: string; errorCode: string };

/** The params of a partial failure, from the error caught. */
export function failureParams(e: unknown): FailureParams {
  const code = (e as { code?: unknown } | null)?.code;
  return {
    error: e instanceof Error ? e.message || e.name : String(e),
    errorCode: typeof code === "string" ? code : "",
  };
}

/**
 * The cause in words: our text for a known Office error code, else the error's own message with its code.
 * @example causeText("en-US", { error: "…", errorCode: "AccessDenied" }) // "Excel refused the change: …"
 */
export function causeText(lang: Lang, params: Readonly<Record<string, string | number>>): string {
  const catalog = ERRORS[lang];
  const code = String(params.errorCode ?? "");
  const message = String(params.error ?? "");
  if (code && Object.prototype.hasOwnProperty.call(catalog, `cause.${code}`)) return format(catalog, `cause.${code}`);
  if (!code) return message;
  return format(catalog, "cause.unknown", { message, code });
}
