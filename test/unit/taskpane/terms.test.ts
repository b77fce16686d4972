/**
 * One term per concept, the same in the pane as in the sheet: the pane's key figures carry the summary sheet's own
 * labels, and English counts agree in number ("1 error", "2 errors").
 */
import { format } from "../../../src/core/i18n";
import uiEn from "../../../src/i18n/ui.en-US.json";
import uiZh from "../../../src/i18n/ui.zh-CN.json";
import workbookEn from "../../../src/i18n/workbook.en-US.json";
import workbookZh from "../../../src/i18n/workbook.zh-CN.json";

const UI = { "zh-CN": uiZh as Record<string, string>, "en-US": uiEn as Record<string, string> };
const WORKBOOK = { "zh-CN": workbookZh as Record<string, string>, "en-US": workbookEn as Record<string, string> };

describe("the pane's words", () => {
  it.each(["zh-CN", "en-US"] as const)("labels the key figures as the summary sheet does (%s)", (lang) => {
    for (const k of ["activities", "completed", "rate", "overdue", "pace"])
      expect(UI[lang][`summary.kpi.${k}`]).toBe(WORKBOOK[lang][`summary.kpi.${k}`]);
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
