import { format } from "./i18n";
import { monthLabel, oneDecimal, ownerLabel, percentLabel, SUMMARY_CATALOGS } from "./labels";
import type { SummaryModel } from "./summary";
import type { Lang } from "./types";

export type NarrativeOptions = {
  /** How many owners to name in the overdue list before "等N个部门" / "and N more". Default 3. */
  maxOwners?: number;
  /** Add a hint when the completion rate trails the pace (序时进度). Default "show". */
  behindPace?: "show" | "hide";
};

/**
 * One-line summary of a plan in the reader's language, every phrase from the summary catalogs.
 * @example narrative(model, "zh-CN")
 * // "截至2025年9月，计划事项14项，已完成11项，完成率78.6%；逾期2项（科普部1项、办公室1项）；序时进度75.0%。"
 * @example narrative(model, "en-US")
 * // "As of Sep 2025, 14 activities planned, 11 completed (78.6%); 2 overdue (Science Dept 1, Office 1); time elapsed 75.0%."
 */
export function narrative(model: SummaryModel, lang: Lang, opts: NarrativeOptions = {}): string {
  const catalog = SUMMARY_CATALOGS[lang];
  const asOf = monthLabel(model.asOf.slice(0, 7), lang);
  const pace = format(catalog, "narrative.pace", { pace: percentLabel(model.pace) });
  const parts: string[] = [];

  if (model.activities === 0) {
    parts.push(format(catalog, "narrative.empty", { asOf }), pace);
  } else if (model.tracked === false) {
    // Without a status or an actual nothing can be called done or overdue: say so instead of a rate.
    parts.push(
      format(catalog, model.activities === 1 ? "narrative.untracked.one" : "narrative.untracked", {
        asOf,
        activities: model.activities,
      }),
      pace,
    );
  } else {
    parts.push(
      format(catalog, model.activities === 1 ? "narrative.head.one" : "narrative.head", {
        asOf,
        activities: model.activities,
        completed: model.completed,
        rate: percentLabel(model.rate),
      }),
      overduePhrase(model, lang, opts.maxOwners ?? 3),
      pace,
    );
    const behind = opts.behindPace === "hide" ? null : behindPhrase(model, lang);
    if (behind) parts.push(behind);
  }
  return parts.join(format(catalog, "narrative.sep")) + format(catalog, "narrative.end");
}

function overduePhrase(model: SummaryModel, lang: Lang, maxOwners: number): string {
  const catalog = SUMMARY_CATALOGS[lang];
  if (model.overdue === 0) return format(catalog, "narrative.overdue.none");
  const owners = model.overdueByOwner;
  const shown = Math.max(1, Math.floor(maxOwners));
  const items = owners
    .slice(0, shown)
    .map((o) => format(catalog, "narrative.owner", { owner: ownerLabel(o.owner, lang), count: o.count }));
  let list = items.join(format(catalog, "narrative.listSep"));
  if (owners.length > shown) {
    list = format(catalog, "narrative.owners.more", { list, total: owners.length, more: owners.length - shown });
  }
  return format(catalog, "narrative.overdue", { count: model.overdue, list });
}

/** "时间过半、任务未过半" when more than half the time but under half the work is gone, else the gap in points. */
function behindPhrase(model: SummaryModel, lang: Lang): string | null {
  const catalog = SUMMARY_CATALOGS[lang];
  if (model.rate === null || model.rate >= model.pace) return null;
  if (model.pace >= 0.5 && model.rate < 0.5) return format(catalog, "narrative.behind.half");
  const gap = oneDecimal((model.pace - model.rate) * 100);
  return gap === "0.0" ? null : format(catalog, "narrative.behind", { gap });
}
