/**
 * Text written into a workbook is in the workbook's language, whatever language the pane shows (issue 16 §9): the rule
 * is the language of the plan's own header and title texts (core textLanguage), kept once stored.
 */
import { textLanguage } from "../../src/core/text";
import { CONFIG_KEY, parseConfig } from "../../src/excel/config";
import { createOfflineOperations } from "../../src/hosting/offline";
import { OfflineHost, createWorkbookModel, sheetFromGrid, type WorkbookModel } from "../../src/offline";
import { academicEn, ledgerZh, ledgerZhMerges } from "../fixtures/sheets";
import { addMerges } from "../support/sheets";

const NOW = new Date(2025, 9, 15);

async function summarised(name: string, grid: unknown[][], paneLang: "zh-CN" | "en-US", merges = ledgerZhMerges) {
  const model: WorkbookModel = createWorkbookModel([]);
  addMerges(sheetFromGrid(model, name, grid), merges);
  const ops = createOfflineOperations(new OfflineHost(model, { now: () => NOW }), { now: () => NOW });
  const result = await ops.summarize({ lang: paneLang, restructure: {} });
  const config = parseConfig(JSON.parse(model.settings.get(CONFIG_KEY) as string));
  return { model, result, config };
}

describe("the workbook's language", () => {
  it("a Chinese ledger gets Chinese headers, statuses, lists and summary with the pane in English", async () => {
    const { model, result, config } = await summarised("2025年台账", ledgerZh as unknown[][], "en-US");
    expect(config?.lang).toBe("zh-CN");
    expect(result.sheet).toBe("汇总");
    expect(config?.computed.status).toBe("状态");
    expect(model.sheets.map((s) => s.name)).toEqual(expect.arrayContaining(["计划台账列表", "汇总"]));
    expect(result.narrative).toMatch(/^截至/);
  });

  it("an English plan gets English words with the pane in Chinese", async () => {
    const { model, result, config } = await summarised("AY plan", academicEn as unknown[][], "zh-CN", []);
    expect(config?.lang).toBe("en-US");
    expect(result.sheet).toBe("Summary");
    expect(model.sheets.map((s) => s.name)).toContain("PlanLists");
    expect(result.narrative).toMatch(/^As of/);
  });

  it("judges from the texts' Han characters against Latin words, and says nothing about numbers", () => {
    expect(textLanguage(["月份", "工作任务", "责任单位", "Owner"])).toBe("zh-CN");
    expect(textLanguage(["Month", "Activity", "Owner", "备注"])).toBe("en-US");
    expect(textLanguage(["2025", 3, null, ""])).toBeUndefined();
  });
});
