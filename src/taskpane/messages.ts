import { createContext, useContext, useEffect } from "react";
import { format, type Catalog, type Catalogs } from "../core/i18n";
import type { Lang } from "../core/types";
import uiZh from "../i18n/ui.zh-CN.json";
import uiEn from "../i18n/ui.en-US.json";
import errorsZh from "../i18n/errors.zh-CN.json";
import errorsEn from "../i18n/errors.en-US.json";

/** The pane's own strings. */
export const UI_CATALOGS: Catalogs = { "zh-CN": uiZh, "en-US": uiEn };

/** Messages for PlanLedgerError codes: `<code>` says what happened, `<code>.action` what to do. */
export const ERROR_CATALOGS: Catalogs = { "zh-CN": errorsZh, "en-US": errorsEn };

export type Params = Readonly<Record<string, string | number>>;

/** Everything a component needs to speak the current language. */
export type Messages = {
  lang: Lang;
  /** A ui catalog message. */
  t: (key: string, params?: Params) => string;
  /** True when the ui catalog has the key (for open-ended keys such as step names from an error). */
  has: (key: string) => boolean;
  /** A 0..1 ratio as a whole percentage in the current language. */
  percent: (ratio: number) => string;
  integer: (n: number) => string;
};

/** Builds the message functions for one language. */
export function messagesFor(lang: Lang): Messages {
  const catalog: Catalog = UI_CATALOGS[lang];
  const pct = new Intl.NumberFormat(lang, { style: "percent", maximumFractionDigits: 0 });
  const int = new Intl.NumberFormat(lang, { maximumFractionDigits: 0 });
  return {
    lang,
    t: (key, params) => format(catalog, key, params),
    has: (key) => Object.prototype.hasOwnProperty.call(catalog, key),
    percent: (ratio) => pct.format(ratio),
    integer: (n) => int.format(n),
  };
}

/** Provides the current language's messages to the pane's components. */
export const MessagesContext = createContext<Messages>(messagesFor("en-US"));

/** The current language's messages. */
export function useMessages(): Messages {
  return useContext(MessagesContext);
}

/**
 * Keeps `<html lang>` on the page's language: screen readers pick their voice and browsers their CJK fonts and line
 * breaking from it (WCAG 3.1.1). The pages are bilingual, so the static HTML carries none.
 */
export function useDocumentLang(lang: Lang): void {
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
}
