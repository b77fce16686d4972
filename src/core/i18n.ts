import type { Lang } from "./types";

/** A message catalog: key → text with `{name}` placeholders. Catalogs are JSON data files under src/i18n/. */
export type Catalog = Readonly<Record<string, string>>;

/** Catalogs of one namespace in both languages. */
export type Catalogs = Readonly<Record<Lang, Catalog>>;

/**
 * Formats a catalog message, replacing `{name}` with `params.name`, and `{name:one|other}` with `one` when the number
 * `params.name` is 1 and `other` otherwise (English plurals: "1 error", "2 errors"; Chinese needs none). A missing key
 * is a programming error and throws, so a test catches it; a missing parameter leaves the placeholder visible.
 * @example format({ "x": "共{n}项" }, "x", { n: 3 }) // "共3项"
 * @example format({ "x": "{n} {n:row|rows}" }, "x", { n: 1 }) // "1 row"
 */
export function format(catalog: Catalog, key: string, params: Readonly<Record<string, string | number>> = {}): string {
  const text = catalog[key];
  if (text === undefined) throw new Error(`Missing message key: ${key}`);
  return text
    .replace(/\{(\w+):([^|{}]*)\|([^{}]*)\}/g, (whole, name: string, one: string, other: string) =>
      name in params ? (Number(params[name]) === 1 ? one : other) : whole,
    )
    .replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** Formats a message in both languages at once, for findings and narratives that carry both. */
export function formatBoth(
  catalogs: Catalogs,
  key: string,
  params: Readonly<Record<string, string | number>> = {},
): Record<Lang, string> {
  return { "zh-CN": format(catalogs["zh-CN"], key, params), "en-US": format(catalogs["en-US"], key, params) };
}

/**
 * Chooses zh-CN for any Chinese display language, else en-US.
 * @example pickLang("zh_CN.UTF-8") // "zh-CN"
 */
export function pickLang(displayLanguage: string | undefined): Lang {
  // "zh-CN" (Office), "zh_CN.UTF-8" (POSIX locales), "zh".
  return displayLanguage && /^zh(?:[-_.]|$)/i.test(displayLanguage) ? "zh-CN" : "en-US";
}
