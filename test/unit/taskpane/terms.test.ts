/**
 * One term per concept, the same in the pane as in the sheet: the pane's key figures carry the summary sheet's own
 * labels, and English counts agree in number ("1 error", "2 errors").
 */
import { format } from "../../../src/core/i18n";
import { PERIOD_SOURCES } from "../../../src/core/types";
import uiEn from "../../../src/i18n/ui.en-US.json";
import uiZh from "../../../src/i18n/ui.zh-CN.json";
import workbookEn from "../../../src/i18n/workbook.en-US.json";
import workbookZh from "../../../src/i18n/workbook.zh-CN.json";
import cliEn from "../../../src/i18n/cli.en-US.json";
import cliZh from "../../../src/i18n/cli.zh-CN.json";
import errorsEn from "../../../src/i18n/errors.en-US.json";
import errorsZh from "../../../src/i18n/errors.zh-CN.json";
import findingsEn from "../../../src/i18n/findings.en-US.json";
import findingsZh from "../../../src/i18n/findings.zh-CN.json";
import summaryEn from "../../../src/i18n/summary.en-US.json";
import summaryZh from "../../../src/i18n/summary.zh-CN.json";
import workbenchEn from "../../../src/i18n/workbench.en-US.json";
import workbenchZh from "../../../src/i18n/workbench.zh-CN.json";

const UI = { "zh-CN": uiZh as Record<string, string>, "en-US": uiEn as Record<string, string> };
const WORKBOOK = { "zh-CN": workbookZh as Record<string, string>, "en-US": workbookEn as Record<string, string> };

describe("the pane's words", () => {
  it.each(["zh-CN", "en-US"] as const)("labels the key figures as the summary sheet does (%s)", (lang) => {
    for (const k of ["activities", "completed", "rate", "overdue", "pace"])
      expect(UI[lang][`summary.kpi.${k}`]).toBe(WORKBOOK[lang][`summary.kpi.${k}`]);
  });

  it.each(["zh-CN", "en-US"] as const)("says where every period source comes from (%s)", (lang) => {
    for (const source of PERIOD_SOURCES)
      expect([source, UI[lang][`plan.period.source.${source}`]]).toEqual([source, expect.any(String)]);
  });

  it("puts English counts in the singular for one and the plural otherwise", () => {
    const one = { rows: 1, sheet: "Plan 2026", errors: 1, warnings: 1, infos: 1 };
    expect(format(uiEn, "check.summary", one)).toBe(
      "Checked 1 activity on sheet Plan 2026: 1 error, 1 warning, 1 note. Choose a finding to select its cell.",
    );
    expect(format(uiEn, "check.summary", { ...one, rows: 14, errors: 0, warnings: 2 })).toContain(
      "14 activities on sheet Plan 2026: 0 errors, 2 warnings, 1 note",
    );
    expect(format(uiEn, "plan.changedFormulas", { n: 1 })).toContain("changes the result of 1 formula of yours");
  });

  it("names no internal table in a sentence and writes Chinese punctuation in Chinese", () => {
    for (const [key, text] of Object.entries(uiZh as Record<string, string>)) {
      expect([key, text.includes("{table}")]).toEqual([key, false]);
      // An ASCII comma, colon or semicolon after a Chinese character or closing quote belongs in full width.
      expect([key, /[\u4e00-\u9fff”）][,;:]/.test(text)]).toEqual([key, false]);
    }
    for (const [key, text] of Object.entries(uiEn as Record<string, string>))
      expect([key, text.includes("{table}")]).toEqual([key, false]);
  });
});

const SUMMARY = { "zh-CN": summaryZh as Record<string, string>, "en-US": summaryEn as Record<string, string> };

/**
 * The figures the narrative states beside the summary sheet's key-figure labels (summary.kpi.*): the narrative
 * names each figure with the label its cell has on the sheet. Chinese puts the label right before the number (计划事项
 * 14项); English after it, in lower case and in the singular for one ("1 activity", "14 activities"), except the pace,
 * which is named before it ("time elapsed 75.0%"). The English rate stands in brackets after "completed", unlabelled.
 */
const NARRATIVE_FIGURES: { key: string; figures: { kpi: string; placeholder: string; en?: "before" | "none" }[] }[] = [
  {
    key: "narrative.head",
    figures: [
      { kpi: "activities", placeholder: "activities" },
      { kpi: "completed", placeholder: "completed" },
      { kpi: "rate", placeholder: "rate", en: "none" },
    ],
  },
  { key: "narrative.untracked", figures: [{ kpi: "activities", placeholder: "activities" }] },
  { key: "narrative.overdue", figures: [{ kpi: "overdue", placeholder: "count" }] },
  { key: "narrative.pace", figures: [{ kpi: "pace", placeholder: "pace", en: "before" }] },
];

describe("the narrative's words", () => {
  it.each(["zh-CN", "en-US"] as const)("names its figures with the key figures' labels (%s)", (lang) => {
    const missing: string[] = [];
    for (const { key, figures } of NARRATIVE_FIGURES)
      for (const k of [key, `${key}.one`]) {
        const text = SUMMARY[lang][k];
        if (text === undefined) continue;
        for (const { kpi, placeholder, en } of figures) {
          const label = WORKBOOK[lang][`summary.kpi.${kpi}`];
          const p = `{${placeholder}}`;
          let expected: string | null;
          if (lang === "zh-CN") expected = label + p;
          else if (en === "none") expected = null;
          else if (en === "before") expected = `${label.toLowerCase()} ${p}`;
          else expected = `${p} ${(k.endsWith(".one") ? label.replace(/ies$/, "y") : label).toLowerCase()}`;
          if (expected !== null && !text.includes(expected)) missing.push(`${k}: "${expected}" in "${text}"`);
        }
      }
    expect(missing).toEqual([]);
  });
});

/** Every catalog a user reads (pane, sheet, narrative, findings, errors, command line, workbench), by language. */
const ALL = {
  "zh-CN": {
    ui: uiZh,
    workbook: workbookZh,
    summary: summaryZh,
    findings: findingsZh,
    errors: errorsZh,
    cli: cliZh,
    workbench: workbenchZh,
  },
  "en-US": {
    ui: uiEn,
    workbook: workbookEn,
    summary: summaryEn,
    findings: findingsEn,
    errors: errorsEn,
    cli: cliEn,
    workbench: workbenchEn,
  },
} as const;

/**
 * Concepts settled on one term per language (issue 16 §9), with the other names they had. A synonym coming back in any
 * catalog fails here. Placeholders ({items}) are not words and are left out of the match.
 */
const CONCEPTS: { lang: "zh-CN" | "en-US"; concept: string; term: RegExp; synonyms: RegExp[]; except?: RegExp }[] = [
  // 事项 in the pane, the KPI row (计划事项), the summary columns (事项数), findings, narrative and CLI.
  {
    lang: "zh-CN",
    concept: "a plan activity",
    term: /事项/,
    synonyms: [/工作项/, /计划工作(?!表)/, /(?<!事)项数/, /条目/],
  },
  { lang: "zh-CN", concept: "overdue", term: /逾期/, synonyms: [/已逾期/, /超期/, /过期/, /延期/] },
  // "activity" everywhere; restore.* counts other things (sheets, tables, names Plan Ledger added).
  {
    lang: "en-US",
    concept: "a plan activity",
    term: /\bactivit(?:y|ies)\b/,
    synonyms: [/\bitems?\b/i, /\{\w+:row\|rows\}/, /\bwork items?\b/i, /\btasks?\b(?! pane)/i],
    except: /^restore\./,
  },
  { lang: "en-US", concept: "overdue", term: /\boverdue\b/i, synonyms: [/\blate\b/i, /\bpast due\b/i, /\bdelayed\b/i] },
];

describe("one term per concept in every catalog", () => {
  it.each(CONCEPTS)("$lang: $concept has one name", ({ lang, term, synonyms, except }) => {
    const found: string[] = [];
    let used = 0;
    for (const [catalog, messages] of Object.entries(ALL[lang]))
      for (const [key, text] of Object.entries(messages as Record<string, string>)) {
        if (except?.test(key)) continue;
        const words = text.replace(/\{\w+\}/g, "");
        if (term.test(words)) used++;
        for (const s of synonyms) if (s.test(words)) found.push(`${catalog}.${key}: ${s} in "${text.slice(0, 60)}"`);
      }
    // The settled term is in use (the list would prove nothing about a concept no catalog names).
    expect(used).toBeGreaterThan(0);
    expect(found).toEqual([]);
  });
});
