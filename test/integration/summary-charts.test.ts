/**
 * Charts that do not mislead (issue 16 §7): completion rates on a fixed 0–100 % axis (higher only when a rate exceeds
 * 100 %), counts in whole steps, and units compared by completion on one scale, never their quantities on one axis.
 * Checked on the model and in the .xlsx written for Excel and LibreOffice.
 */
import JSZip from "jszip";
import { createOfflineOperations } from "../../src/hosting/offline";
import { OfflineHost, createWorkbookModel, sheetFromGrid, type ChartModel } from "../../src/offline";
import { exportXlsx } from "../../src/offline/xlsx";
import { wholeStep } from "../../src/excel/charts";

const grid = [
  ["2025年工作台账"],
  ["月份", "工作任务", "责任单位", "计量单位", "目标任务", "实际完成"],
  ["1月", "科普讲座", "科普部", "场", 6, 3],
  ["1月", "受益群众", "科普部", "人次", 10000, 12500],
  ["2月", "会员走访", "学会部", "家", 20, 20],
  ["3月", "通讯", "办公室", "期", 4, 1],
];

async function charts(): Promise<{ charts: ChartModel[]; xml: string[] }> {
  const model = createWorkbookModel([]);
  sheetFromGrid(model, "2025年台账", grid);
  const ops = createOfflineOperations(new OfflineHost(model, { now: () => new Date(2025, 11, 20) }));
  const result = await ops.summarize({ lang: "zh-CN", restructure: {} });
  const summary = model.sheets.find((s) => s.name === result.sheet);
  const zip = await JSZip.loadAsync(await exportXlsx(model));
  const parts = Object.keys(zip.files).filter((f) => /^xl\/charts\/chart\d+\.xml$/.test(f));
  const xml = await Promise.all(parts.sort().map(async (p) => (await zip.file(p)?.async("string")) ?? ""));
  return { charts: summary?.charts ?? [], xml };
}

describe("summary charts", () => {
  it("fix rate axes at 0–100 %, or higher when a rate exceeds it, and count axes in whole steps", async () => {
    const {
      charts: [byMonth, byOwner, byUnit],
      xml,
    } = await charts();
    expect(byMonth.axes.value).toMatchObject({ min: 0, majorUnit: 1, numberFormat: "0" });
    expect(byMonth.axes.secondaryValue).toMatchObject({ min: 0, max: 1, numberFormat: "0%" });
    expect(byOwner.axes.value).toMatchObject({ min: 0, max: 1, numberFormat: "0%" });
    // 12,500 of 10,000 人次 is 125 %: the unit axis reaches 140 %, not 100 % with a bar running off it.
    expect(byUnit.axes.value).toMatchObject({ min: 0, max: 1.4, numberFormat: "0%" });
    // One series: each unit's completion (the rate column E), not target and actual quantities on one axis.
    expect(byUnit.series).toHaveLength(1);
    expect(byUnit.series[0].values).toMatch(/!\$E\$\d+:\$E\$\d+$/);
    expect(xml[0]).toContain('<c:majorUnit val="1"/>');
    expect(xml[2]).toMatch(/<c:max val="1.4"\/><c:min val="0"\/>/);
  });

  it("chooses whole steps of 1, 2 or 5 × 10ⁿ, about five to the largest count", () => {
    expect([0, 3, 5, 6, 12, 40, 130, 999].map(wholeStep)).toEqual([1, 1, 1, 2, 5, 10, 50, 200]);
  });
});
