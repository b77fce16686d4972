import { periodFromStart } from "../../src/core/period";
import { parseTextPlan } from "../../src/core/textplan";
import { createOfflineOperations } from "../../src/hosting/offline";
import { OfflineHost, createWorkbookModel, sheetFromGrid } from "../../src/offline";
import type { ImportRowInput } from "../../src/excel/operations";
import { academicEn, ledgerZh, ledgerZhMerges } from "../fixtures/sheets";
import { addMerges } from "../support/sheets";

const NOW = new Date(2025, 9, 15);
const TEXT = `一、2025年9月份工作
1. 由心康部负责开展新生心理普查，发放问卷800份
2. 在桐梓坡小学开展2~3次团训活动，2次心理小广播（心理实践社负责）
二、2025年10月份工作
1. =HYPERLINK("x") 宣传部负责出版《心晴》报1期
常规工作：
1. 每周召开理事例会（秘书处负责）`;

function rowsOf(text: string, start: string): ImportRowInput[] {
  return parseTextPlan(text, { period: periodFromStart(start) }).rows.map((r) => ({
    bucket: r.bucket,
    activity: r.activity,
    owner: r.owner,
    category: r.category,
    unit: r.unit,
    target: r.target,
    notes: "",
    originals: r.originals,
  }));
}

describe("importing a written plan", () => {
  it("creates a structured plan sheet when the workbook has none, keeping text literal", async () => {
    const model = createWorkbookModel(["Sheet1"]);
    const host = new OfflineHost(model, { now: () => NOW });
    const ops = createOfflineOperations(host, { now: () => NOW });
    const rows = rowsOf(TEXT, "2025-09");
    expect(rows.length).toBeGreaterThanOrEqual(5);
    const result = await ops.importRows({ lang: "zh-CN", rows });
    expect(result.sheet).toBe("计划");
    expect(result.rows).toBe(rows.length);
    const sheet = model.sheets.find((s) => s.name === "计划")!;
    expect(sheet.tables).toHaveLength(1);
    for (const row of sheet.rows.values()) {
      for (const c of row.values()) if (c.formula) expect(c.formula).not.toContain("HYPERLINK");
    }
    const owners = [...sheet.rows.values()].map((r) => r.get(2)?.value);
    expect(owners).toEqual(expect.arrayContaining(["心康部", "心理实践社"]));
    // 2~3次 became target 2; its wording is kept in the notes.
    const texts = [...sheet.rows.values()].flatMap((r) => [...r.values()].map((c) => String(c.value ?? "")));
    expect(texts.some((t) => t.includes("2~3"))).toBe(true);
  });

  it("appends to an existing plan table and keeps its rows", async () => {
    const model = createWorkbookModel([]);
    sheetFromGrid(model, "AY plan", academicEn as unknown[][]);
    const host = new OfflineHost(model, { now: () => NOW });
    const ops = createOfflineOperations(host, { now: () => NOW });
    const before = await ops.structure({ lang: "en-US" });
    const rows = rowsOf("September\n- Poster campaign (Owner: Publicity) 3 posters\n", "2025-09");
    const after = await ops.importRows({ lang: "en-US", rows });
    expect(after.sheet).toBe("AY plan");
    expect(after.rows).toBe(before.rows + rows.length);
    expect(model.sheets.filter((s) => s.tables.some((t) => t.name === "Plan"))).toHaveLength(1);
  });

  it("appends to the open ledger that is not structured yet: structures it instead of adding a sheet 计划", async () => {
    const model = createWorkbookModel([]);
    addMerges(sheetFromGrid(model, "2025年台账", ledgerZh as unknown[][]), ledgerZhMerges);
    const ops = createOfflineOperations(new OfflineHost(model, { now: () => NOW }), { now: () => NOW });
    const rows = rowsOf("一、2025年11月份工作\n1. 召开理事会（办公室）\n2. 科技周（青少部）", "2025-01");
    expect(rows.map((r) => [r.activity, r.owner])).toEqual([
      ["召开理事会", "办公室"],
      ["科技周", "青少部"],
    ]);
    const result = await ops.importRows({ lang: "zh-CN", rows });
    expect(result.sheet).toBe("2025年台账");
    expect(model.sheets.map((s) => s.name)).not.toContain("计划");
    const sheet = model.sheets.find((s) => s.name === "2025年台账")!;
    const plan = sheet.tables.find((t) => t.name === "Plan")!;
    const activities = [];
    for (let r = plan.ref.r0 + 1; r <= plan.ref.r1; r++) activities.push(sheet.rows.get(r)?.get(2)?.value);
    expect(activities).toEqual(expect.arrayContaining(["组织开展《科普法》学习宣传", "召开理事会", "科技周"]));
  });

  it("gives rows the ledger's own owners named in brackets that the text alone could not tell", async () => {
    const model = createWorkbookModel([]);
    sheetFromGrid(model, "2025年台账", [
      ["月份", "工作任务", "责任单位", "目标任务", "实际完成"],
      ["1月", "科普讲座", "青少年科技教育", 4, 2],
    ]);
    const ops = createOfflineOperations(new OfflineHost(model, { now: () => NOW }), { now: () => NOW });
    await ops.structure({ lang: "zh-CN" });
    const rows = rowsOf("一、2025年11月份工作\n1. 科技周（青少年科技教育）", "2025-01");
    expect(rows.map((r) => r.owner)).toEqual([""]);
    await ops.importRows({ lang: "zh-CN", rows });
    const sheet = model.sheets.find((s) => s.name === "2025年台账")!;
    expect([sheet.rows.get(2)?.get(1)?.value, sheet.rows.get(2)?.get(2)?.value]).toEqual(["科技周", "青少年科技教育"]);
  });
});
