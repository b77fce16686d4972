import { format, type Catalogs } from "../core/i18n";
import type { Lang } from "../core/types";
import zh from "../i18n/workbench.zh-CN.json";
import en from "../i18n/workbench.en-US.json";

/** The workbench's own strings (toolbar, tabs, grid, charts); the pane keeps its ui catalog. */
export const WORKBENCH_CATALOGS: Catalogs = { "zh-CN": zh, "en-US": en };

export type WbText = (key: string, params?: Readonly<Record<string, string | number>>) => string;

/** A formatter for one language's workbench messages. */
export function workbenchText(lang: Lang): WbText {
  const catalog = WORKBENCH_CATALOGS[lang];
  return (key, params) => format(catalog, key, params);
}
