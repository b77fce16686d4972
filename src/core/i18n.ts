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
  let out = "";
  for (const part of parts(text)) {
    if (typeof part === "string") out += part;
    else if (!(part.name in params)) out += part.whole;
    else if (part.one === undefined) out += String(params[part.name]);
    else out += Number(params[part.name]) === 1 ? part.one : part.other;
  }
  return out;
}

type Part = string | { whole: string; name: string; one?: string; other?: string };

/**
 * A message split once into text and placeholders. Findings format a message in both languages for each of thousands
 * of rows: two regular-expression passes per message were a fifth of reading a 5,000-row plan (issue 16 §10).
 */
const PARTS = new Map<string, Part[]>();
const PLACEHOLDER = /\{(\w+):([^|{}]*)\|([^{}]*)\}|\{(\w+)\}/g;

function parts(text: string): Part[] {
  let cached = PARTS.get(text);
  if (cached) return cached;
  cached = [];
  let at = 0;
  for (const m of text.matchAll(PLACEHOLDER)) {
    if (m.index > at) cached.push(text.slice(at, m.index));
    cached.push(
      m[4] !== undefined ? { whole: m[0], name: m[4] } : { whole: m[0], name: m[1], one: m[2], other: m[3] ?? "" },
    );
    at = m.index + m[0].length;
  }
  if (at < text.length) cached.push(text.slice(at));
  PARTS.set(text, cached);
  return cached;
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
