/**
 * Collect returns (issue 17 §4) through the operations over the offline host, with returns written by openpyxl and
 * LibreOffice (scripts/fixtures/returns_workbooks.py → test/fixtures/xlsx/returns/).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { CollectResult, ReturnFile } from "../../src/excel/operations";
import { createOfflineOperations } from "../../src/hosting/offline";
import {
  OfflineHost,
  createWorkbookModel,
  sheetFromGrid,
  type SheetModel,
  type WorkbookModel,
} from "../../src/offline";
import { exportXlsx } from "../../src/offline/xlsx";

const NOW = new Date(2026, 5, 15);
const DIR = path.join(__dirname, "..", "fixtures", "xlsx", "returns");

function returnFile(rel: string): ReturnFile {
  return { name: path.basename(rel), bytes: new Uint8Array(fs.readFileSync(path.join(DIR, rel))) };
}

function officeBook() {
  const model = createWorkbookModel(["说明"]);
  const host = new OfflineHost(model, { now: () => NOW });
  const ops = createOfflineOperations(host, { now: () => NOW });
  return { model, host, ops };
}

function sheetNamed(model: WorkbookModel, name: string): SheetModel {
  const s = model.sheets.find((x) => x.name === name);
  if (!s) throw new Error(`No sheet ${name}; sheets: ${model.sheets.map((x) => x.name).join(", ")}`);
  return s;
}

/** The Plan table's header and body as values, each row keyed by header text. */
function planTable(model: WorkbookModel, sheet: string): Record<string, unknown>[] {
  const ws = sheetNamed(model, sheet);
  const table = ws.tables.find((t) => t.name === "Plan");
  if (!table) throw new Error(`No Plan table on ${sheet}`);
  const at = (r: number, c: number) => ws.rows.get(r)?.get(c)?.value ?? "";
  const headers: string[] = [];
  for (let c = table.ref.c0; c <= table.ref.c1; c++) headers.push(String(at(table.ref.r0, c)));
  const rows: Record<string, unknown>[] = [];
  for (let r = table.ref.r0 + 1; r <= table.ref.r1; r++) {
    rows.push(Object.fromEntries(headers.map((h, i) => [h, at(r, table.ref.c0 + i)])));
  }
  return rows;
}

function bySource(rows: Record<string, unknown>[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of rows) out[String(r["来源"])] = (out[String(r["来源"])] ?? 0) + 1;
  return out;
}

describe("collect returns", () => {
  let first: CollectResult;
  const book = officeBook();
  const files = ["办公室.xlsx", "学会部.xlsx", "科普部.xlsx"].map(returnFile);
  const before = files.map((f) => f.bytes.slice());

  beforeAll(async () => {
    first = await book.ops.collectReturns({ lang: "zh-CN", files });
  }, 60_000);

  it("reads each return with the plan reader and reports its items and findings", () => {
    expect(first.failed).toEqual([]);
    expect(first.sheet).toBe("合并计划");
    expect(first.sources.map((s) => [s.label, s.sheet, s.rows, s.replaced])).toEqual([
      ["办公室.xlsx", "2026年工作计划", 6, 0],
      ["学会部.xlsx", "学会部", 4, 0],
      ["科普部.xlsx", "科普部", 4, 0],
    ]);
    expect(first.sources.every((s) => s.period.start === "2026-01")).toBe(true);
    expect(first.added).toBe(14);
    expect(first.rows).toBe(14);
    expect(first.summarySheet).toBe("汇总");
  });

  it("writes the items with their source into a structured plan, units and quantities read as in the return", () => {
    const rows = planTable(book.model, "合并计划");
    expect(bySource(rows)).toEqual({ "办公室.xlsx": 6, "学会部.xlsx": 4, "科普部.xlsx": 4 });
    // 6期 in the office's return: target 6 in unit 期; its merged month 3月 reaches the second item.
    const gazette = rows.find((r) => r["工作任务"] === "发行会刊")!;
    expect([gazette["目标"], gazette["单位"]]).toEqual([6, "期"]);
    const serial = (y: number, m: number) => Date.UTC(y, m - 1, 1) / 86_400_000 + 25_569;
    expect(gazette["月份"]).toBe(serial(2026, 3));
    expect(rows.find((r) => r["工作任务"] === "学术年会")!["月份"]).toBe(serial(2026, 4));
    expect(rows.find((r) => r["工作任务"] === "会员服务")!["月份"]).toBe("全年");
    // The 合计 row under the society's items is no item.
    expect(rows.some((r) => String(r["工作任务"]).includes("合计"))).toBe(false);
    const day = rows.find((r) => r["工作任务"] === "全国科普日")!;
    expect(day["目标"]).toBe(10000);
  });

  it("never changes the returned files", () => {
    files.forEach((f, i) => expect(Buffer.from(f.bytes).equals(Buffer.from(before[i]))).toBe(true));
  });

  it("replaces a department collected again, keeps the others and what the office typed in them", async () => {
    const ws = sheetNamed(book.model, "合并计划");
    // The office types a note into one of the society's rows of its consolidated sheet.
    const note = "办公室已核对";
    const table = ws.tables.find((t) => t.name === "Plan")!;
    const header = [...Array(table.ref.c1 - table.ref.c0 + 1).keys()].map(
      (i) => ws.rows.get(table.ref.r0)?.get(table.ref.c0 + i)?.value,
    );
    const notesCol = table.ref.c0 + header.indexOf("备注");
    const activityCol = table.ref.c0 + header.indexOf("工作任务");
    let forumRow = -1;
    for (let r = table.ref.r0 + 1; r <= table.ref.r1; r++) {
      if (ws.rows.get(r)?.get(activityCol)?.value === "青年论坛") forumRow = r;
    }
    await book.host.run(async (context) => {
      context.workbook.worksheets.getItem("合并计划").getRangeByIndexes(forumRow, notesCol, 1, 1).values = [[note]];
      await context.sync();
    });

    const again = await book.ops.collectReturns({ lang: "zh-CN", files: [returnFile("changed/科普部.xlsx")] });
    expect(again.sheet).toBe("合并计划");
    expect(again.sources.map((s) => [s.label, s.rows, s.replaced])).toEqual([["科普部.xlsx", 4, 4]]);
    expect(again.rows).toBe(14);

    const rows = planTable(book.model, "合并计划");
    expect(bySource(rows)).toEqual({ "办公室.xlsx": 6, "学会部.xlsx": 4, "科普部.xlsx": 4 });
    const keys = rows.map((r) => `${String(r["来源"])}|${String(r["工作任务"])}`);
    expect(new Set(keys).size).toBe(keys.length);
    const science = Object.fromEntries(
      rows.filter((r) => r["来源"] === "科普部.xlsx").map((r) => [r["工作任务"], r["目标"]]),
    );
    expect(science).toEqual({ 科普讲座: 5, 全国科普日: 12000, 科普进社区: 6, 科普作品征集: 30 });
    expect(rows.find((r) => r["工作任务"] === "青年论坛")!["备注"]).toBe(note);
  });

  it("summarises the consolidated plan: the KPI count follows the items", () => {
    const summary = sheetNamed(book.model, "汇总");
    book.host.recalculate();
    let count: unknown;
    for (const [r, row] of summary.rows) {
      for (const [c, cell] of row) if (cell.value === "计划事项") count = summary.rows.get(r + 1)?.get(c)?.value;
    }
    expect(count).toBe(14);
  });
});

describe("collect returns: sources and failures", () => {
  it("labels each plan sheet of a file with several as file › sheet and leaves out the sheet that is no plan", async () => {
    const { ops, model } = officeBook();
    const r = await ops.collectReturns({ lang: "zh-CN", files: [returnFile("联合.xlsx")] });
    expect(r.sources.map((s) => [s.label, s.rows])).toEqual([
      ["联合.xlsx › 青少部", 2],
      ["联合.xlsx › 组织部", 1],
    ]);
    expect(bySource(planTable(model, r.sheet))).toEqual({ "联合.xlsx › 青少部": 2, "联合.xlsx › 组织部": 1 });
  });

  it("counts a return's own 汇总 of its other sheets once: the roll-up is no source, as in consolidate", async () => {
    // One workbook with a sheet per department and the user's 汇总 of formulas over them (written by openpyxl).
    const book = path.join(__dirname, "..", "fixtures", "xlsx", "multi", "2025年各部门工作计划.xlsx");
    const { ops, model } = officeBook();
    const file = { name: path.basename(book), bytes: new Uint8Array(fs.readFileSync(book)) };
    const r = await ops.collectReturns({ lang: "zh-CN", files: [file] });
    expect(r.sources.map((s) => [s.sheet, s.rows])).toEqual([
      ["办公室", 6],
      ["学会部", 5],
      ["科普部", 6],
    ]);
    expect(planTable(model, r.sheet)).toHaveLength(17);
  });

  it("reads a return its department structured and summarised with Plan Ledger: the plan alone, not the summary's tables", async () => {
    // The department's own workbook: its plan structured and summarised, with more than 20 overdue items so the
    // summary lists them and the full overdue list sheet exists too.
    const dept = createWorkbookModel([]);
    sheetFromGrid(dept, "计划", [
      ["月份", "工作任务", "责任单位", "计量单位", "目标", "实际完成"],
      ...Array.from({ length: 30 }, (_, i) => [`2026年${(i % 5) + 1}月`, `任务${i + 1}`, "青少部", "次", 2, ""]),
    ]);
    const deptHost = new OfflineHost(dept, { now: () => NOW });
    const deptOps = createOfflineOperations(deptHost, { now: () => NOW });
    const summary = await deptOps.summarize({ lang: "zh-CN" });
    expect(summary.kpis.overdue).toBe(30);
    expect(dept.sheets.filter((s) => s.visibility === "Visible").length).toBeGreaterThan(2);
    const bytes = await exportXlsx(dept);

    const { ops, model } = officeBook();
    const r = await ops.collectReturns({ lang: "zh-CN", files: [{ name: "青少部.xlsx", bytes }] });
    expect(r.sources.map((s) => [s.label, s.sheet, s.rows])).toEqual([["青少部.xlsx", "计划", 30]]);
    expect(bySource(planTable(model, r.sheet))).toEqual({ "青少部.xlsx": 30 });
  });

  it("refuses to replace rows while some rows of the consolidated plan are hidden, writing nothing", async () => {
    const { ops, host, model } = officeBook();
    const r = await ops.collectReturns({
      lang: "zh-CN",
      files: [returnFile("科普部.xlsx"), returnFile("学会部.xlsx")],
    });
    const table = sheetNamed(model, r.sheet).tables[0];
    await host.run(async (context) => {
      // A filter hides the society's rows: a deletion could not be sure to take the hidden ones.
      const ws = context.workbook.worksheets.getItem(r.sheet);
      ws.getRangeByIndexes(table.ref.r0 + 5, 0, 4, 1).rowHidden = true;
      await context.sync();
    });
    host.recalculate();
    const before = planTable(model, r.sheet);
    await expect(
      ops.collectReturns({ lang: "zh-CN", files: [returnFile("changed/科普部.xlsx")] }),
    ).rejects.toMatchObject({ code: "filterActive", params: { sheet: r.sheet } });
    host.recalculate();
    expect(planTable(model, r.sheet)).toEqual(before);
  });

  it("reports a file that is not a workbook and still collects the others", async () => {
    const { ops, model } = officeBook();
    const bad: ReturnFile = { name: "旧表.xlsx", bytes: new TextEncoder().encode("not a zip at all") };
    const r = await ops.collectReturns({ lang: "zh-CN", files: [bad, returnFile("学会部.xlsx")] });
    expect(r.failed).toEqual([
      { file: "旧表.xlsx", code: "returnUnreadable", params: { file: "旧表.xlsx", reason: expect.any(String) } },
    ]);
    expect(bySource(planTable(model, r.sheet))).toEqual({ "学会部.xlsx": 4 });
  });

  it("writes nothing when no return can be read", async () => {
    const { ops, model } = officeBook();
    const bad: ReturnFile = { name: "x.xlsx", bytes: new Uint8Array([1, 2, 3]) };
    const r = await ops.collectReturns({ lang: "zh-CN", files: [bad] });
    expect(r.sheet).toBe("");
    expect(model.sheets.map((s) => s.name)).toEqual(["说明"]);
  });
});
