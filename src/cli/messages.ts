import { format, type Catalogs } from "../core/i18n";
import type { Lang } from "../core/types";
import zhCN from "../i18n/cli.zh-CN.json";
import enUS from "../i18n/cli.en-US.json";

/** The command line's own strings: help, errors, progress and the text report. */
export const CLI_CATALOGS: Catalogs = { "zh-CN": zhCN, "en-US": enUS };

export type Params = Readonly<Record<string, string | number>>;

/** A CLI message in one language. */
export function cliText(lang: Lang, key: string, params: Params = {}): string {
  return format(CLI_CATALOGS[lang], key, params);
}

/**
 * The language of the CLI's messages when --lang is not given: POSIX locale variables in their order of precedence
 * (LC_ALL, LC_MESSAGES, LANG); any zh locale (zh_CN.UTF-8, zh_TW, zh) means zh-CN.
 * @example envLang({ LANG: "zh_CN.UTF-8" }) // "zh-CN"
 */
export function envLang(env: Readonly<Record<string, string | undefined>>): Lang {
  const locale = [env.LC_ALL, env.LC_MESSAGES, env.LANG].find((v) => v !== undefined && v !== "");
  // core's pickLang wants "zh-CN"-style tags; locale names use "_" (zh_CN.UTF-8), so they are matched here.
  return locale && /^zh(?:[_.@-]|$)/i.test(locale) ? "zh-CN" : "en-US";
}
