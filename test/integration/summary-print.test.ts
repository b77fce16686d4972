/**
 * The summary on paper (issue 16 §8): exported, printed to PDF by LibreOffice, read back with pdftotext. The narrative
 * must be there whole (not cut, not under a chart), every activity name of the overdue list in full, on one A4
 * landscape page; a long overdue list is capped on the summary and given in full on its own sheet. Pages are rendered
 * to PNG under test-output/ for a person to look at.
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createOfflineOperations } from "../../src/hosting/offline";
import { OfflineHost, createWorkbookModel, sheetFromGrid } from "../../src/offline";
import type { SheetModel, WorkbookModel } from "../../src/offline";
import { exportXlsx } from "../../src/offline/xlsx";
import { OVERDUE_CAP } from "../../src/excel/summary";
import { libreOfficeOrSkip, pdfPageSizes, pdfText, pdfToPng, toPdf } from "../support/libreoffice";

const OUT = join(__dirname, "..", "..", "test-output", "summary-print");

/** Spaces and line breaks removed: pdftotext breaks wrapped cells into lines, and CJK text has no spaces to keep. */
const squash = (s: string) => s.replace(/\s+/g, "");

type Case = { lang: "zh-CN" | "en-US"; sheet: string; grid: unknown[][]; activities: string[] };

/** 30 overdue items with long names over five owners (2025, printed as of today), and 10 done. */
function plan(lang: "zh-CN" | "en-US"): Case {
  const zh = lang === "zh-CN";
  const owners = zh
    ? ["科普部", "办公室", "学会部", "青少年科技教育部", "组织部"]
    : ["Outreach", "Office", "Membership", "Youth Science Education", "Organisation"];
  const header = zh
    ? ["月份", "工作任务", "责任单位", "计量单位", "目标任务", "实际完成"]
    : ["Month", "Activity", "Owner", "Unit", "Target", "Actual"];
  const grid: unknown[][] = [[zh ? "2025年度工作计划" : "Work plan 2025"], header];
  const overdue: { m: number; i: number; name: string }[] = [];
  for (let i = 0; i < 40; i++) {
    const m = (i % 12) + 1;
    const name = zh
      ? `组织开展面向全市中小学生和社区居民的科学素质提升系列讲座与展览活动第${i + 1}期`
      : `Run the science literacy lecture and exhibition series for city schools and neighbourhoods, part ${i + 1}`;
    const done = i % 4 === 0;
    if (!done) overdue.push({ m, i, name });
    grid.push([
      zh
        ? `2025年${m}月`
        : `${["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][m - 1]} 2025`,
      name,
      owners[i % owners.length],
      zh ? "场" : "events",
      2,
      done ? 2 : "",
    ]);
  }
  // The summary lists them longest overdue first: by month, then as they stand in the plan.
  const activities = overdue.sort((a, b) => a.m - b.m || a.i - b.i).map((o) => o.name);
  return { lang, sheet: zh ? "2025年计划" : "Plan 2025", grid, activities };
}

async function printed(c: Case) {
  const model: WorkbookModel = createWorkbookModel([]);
  sheetFromGrid(model, c.sheet, c.grid);
  const host = new OfflineHost(model, { mode: "web" });
  const ops = createOfflineOperations(host);
  await ops.structure({ lang: c.lang });
  const result = await ops.summarize({ lang: c.lang });
  host.recalculate();
  return { model, result };
}

async function pdfOf(model: WorkbookModel, only: string, file: string) {
  // Print one sheet: the others hidden, as a user printing the active sheet gets.
  const copy: WorkbookModel = { ...model, sheets: model.sheets.map((s) => ({ ...s })) };
  for (const s of copy.sheets) s.visibility = s.name === only ? "Visible" : "Hidden";
  copy.activeSheet = copy.sheets.findIndex((s) => s.name === only);
  const path = join(OUT, `${file}.xlsx`);
  writeFileSync(path, await exportXlsx(copy));
  const pdf = await toPdf(path, OUT);
  await pdfToPng(pdf, join(OUT, file), { first: 1, last: 3, dpi: 70 });
  return { pdf, text: (await pdfText(pdf)) ?? "" };
}

const describeLo = libreOfficeOrSkip() ? describe : describe.skip;

describeLo("the summary printed by LibreOffice", () => {
  beforeAll(() => {
    rmSync(OUT, { recursive: true, force: true });
    mkdirSync(OUT, { recursive: true });
  });

  it.each(["zh-CN", "en-US"] as const)(
    "%s: A4 landscape with the whole narrative on page 1 and the most overdue activities' full names",
    async (lang) => {
      const c = plan(lang);
      const { model, result } = await printed(c);
      expect(result.kpis.overdue).toBe(30);
      const { pdf, text } = await pdfOf(model, result.sheet, `summary-${lang}`);
      expect(text).not.toBe("");
      // A4 landscape (842 × 595 pt); the 20 wrapped names take a second page, never the 51 pages of a full list.
      const pages = await pdfPageSizes(pdf);
      expect(pages.length).toBeLessThanOrEqual(3);
      for (const p of pages) expect([Math.round(p.width), Math.round(p.height)]).toEqual([842, 595]);
      // The narrative is on the first page, whole.
      const first = squash((await pdfText(pdf, 1)) ?? "");
      expect(first).toContain(squash(result.narrative));
      const flat = squash(text);
      expect(result.narrative.length).toBeGreaterThan(40);
      expect(flat).toContain(squash(result.narrative));
      // The 20 longest overdue (January first) are listed whole; the rest are counted, not listed.
      const listed = c.activities.slice(0, OVERDUE_CAP);
      for (const name of listed) expect(flat).toContain(squash(name));
      expect(flat).not.toContain(squash(c.activities[OVERDUE_CAP + 5]));
    },
    180_000,
  );

  it("lists every overdue item, in full, on a sheet of its own", async () => {
    const c = plan("zh-CN");
    const { model, result } = await printed(c);
    const summary = model.sheets.find((s) => s.name === result.sheet) as SheetModel;
    const capped = summary.tables.find((t) => t.name === "OverdueItems");
    expect(capped && capped.ref.r1 - capped.ref.r0).toBe(OVERDUE_CAP);
    const rest = summary.tables.find((t) => t.name === "OverdueRest");
    let restCount = 0;
    for (let r = (rest?.ref.r0 ?? 0) + 1; r <= (rest?.ref.r1 ?? -1); r++)
      restCount += Number(summary.rows.get(r)?.get(1)?.value);
    expect(restCount).toBe(30 - OVERDUE_CAP);
    const full = model.sheets.find((s) => s.tables.some((t) => t.name === "OverdueAll")) as SheetModel;
    expect(full.name).toBe("逾期清单");
    const table = full.tables.find((t) => t.name === "OverdueAll")!;
    const names: unknown[] = [];
    for (let r = table.ref.r0 + 1; r <= table.ref.r1; r++) names.push(full.rows.get(r)?.get(0)?.value);
    expect(names).toEqual(c.activities);
    const { text } = await pdfOf(model, full.name, "overdue-list-zh-CN");
    const flat = squash(text);
    for (const name of c.activities) expect(flat).toContain(squash(name));
    // A second summary replaces the list instead of adding 逾期清单 2.
    const ops = createOfflineOperations(new OfflineHost(model, { mode: "web" }));
    await ops.summarize({ lang: "zh-CN" });
    expect(model.sheets.filter((s) => s.name.startsWith("逾期清单")).map((s) => s.name)).toEqual(["逾期清单"]);
  }, 180_000);
});
