/**
 * The summary as colleagues without the add-in see it: exported, opened in LibreOffice with recalculation forced (so
 * our cached values count for nothing), every summary number must equal both the cached value we wrote and the core
 * summary model. The summary page is rendered to PNG under test-output/ for a person to look at.
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { summarize } from "../../src/core/summary";
import { detectHeader } from "../../src/core/header";
import { extractPlan } from "../../src/core/plan";
import type { Grid } from "../../src/core/types";
import { CONFIG_KEY, parseConfig } from "../../src/excel/config";
import { createOfflineOperations } from "../../src/hosting/offline";
import { OfflineHost, createWorkbookModel, sheetFromGrid } from "../../src/offline";
import type { SheetModel, WorkbookModel } from "../../src/offline";
import { exportXlsx } from "../../src/offline/xlsx";
import { academicEn, ledgerZh, ledgerZhMerges } from "../fixtures/sheets";
import { csvNumber, libreOfficeOrSkip, pdfPageSizes, pdfToPng, recalcToCsv, toPdf } from "../support/libreoffice";
import { addMerges, gridOf } from "../support/sheets";

const OUT = join(__dirname, "..", "..", "test-output", "summary-libreoffice");

/** A plan of `n` rows over a year with mixed units, several owners and categories. */
function bigPlan(n: number): unknown[][] {
  const owners = ["科普部", "办公室", "学会部", "青少部", "组织部"];
  const units = ["次", "期", "件", "人次"];
  const rows: unknown[][] = [
    ["2025年度工作计划"],
    ["月份", "工作任务", "责任单位", "类别", "计量单位", "目标任务", "实际完成"],
  ];
  for (let i = 0; i < n; i++) {
    const target = (i % 7) + 1;
    rows.push([
      `${(i % 12) + 1}月`,
      `工作${i + 1}`,
      owners[i % owners.length],
      i % 3 === 0 ? "宣传" : "培训",
      units[i % units.length],
      target,
      i % 4 === 0 ? "" : target - (i % 3),
    ]);
  }
  return rows;
}

async function summarised(
  name: string,
  grid: unknown[][],
  lang: "zh-CN" | "en-US",
  merges = ledgerZhMerges.slice(0, 0),
) {
  const model: WorkbookModel = createWorkbookModel([]);
  addMerges(sheetFromGrid(model, name, grid), merges);
  // LibreOffice evaluates TODAY() with the real clock, so the host does too.
  const host = new OfflineHost(model, { mode: "web" });
  const ops = createOfflineOperations(host);
  await ops.structure({ lang });
  const result = await ops.summarize({ lang });
  host.recalculate();
  return { model, result };
}

const describeLo = libreOfficeOrSkip() ? describe : describe.skip;

describeLo("summaries recalculated by LibreOffice", () => {
  beforeAll(() => {
    rmSync(OUT, { recursive: true, force: true });
    mkdirSync(OUT, { recursive: true });
  });

  const cases: [string, string, () => unknown[][], "zh-CN" | "en-US", typeof ledgerZhMerges][] = [
    ["ledger-zh", "2025年台账", () => ledgerZh as unknown[][], "zh-CN", ledgerZhMerges],
    ["academic-en", "AY plan", () => academicEn as unknown[][], "en-US", []],
    ["big-10k", "2025年计划", () => bigPlan(10000), "zh-CN", []],
    // Blank owners, categories and units at the top of their columns: the blank groups' criteria must still count.
    [
      "blanks-first",
      "计划",
      () => [
        ["月份", "类别", "工作任务", "责任部门", "计量单位", "目标任务", "完成情况"],
        ["3月", null, "公众号推文", null, null, 12, 12],
        ["3月", null, "短视频", null, null, 5, 3],
        ["5月", "组织建设", "换届", "组织部", "次", 1, 1],
        ["全年", null, "例会", null, "次", 12, 6],
      ],
      "zh-CN",
      [],
    ],
  ];

  it.each(cases)(
    "%s: every summary number equals the cached value and the core model",
    async (file, name, grid, lang, merges) => {
      const { model, result } = await summarised(name, grid(), lang, merges);
      const path = join(OUT, `${file}.xlsx`);
      writeFileSync(path, await exportXlsx(model));
      const csv = await recalcToCsv(path, join(OUT, `${file}-csv`));
      const summary = model.sheets.find((s) => s.name === result.sheet) as SheetModel;
      const lo = csv[result.sheet];
      expect(lo).toBeDefined();

      // Every numeric formula cell on the summary: LibreOffice's number = our cached number.
      let compared = 0;
      for (const [r, row] of summary.rows) {
        for (const [c, cell] of row) {
          if (!cell.formula) continue;
          const ours = cell.value;
          const theirs = lo[r]?.[c] ?? "";
          if (typeof ours === "number") {
            expect({ cell: `${r},${c}`, v: csvNumber(theirs) }).toEqual({
              cell: `${r},${c}`,
              v: expect.closeTo(ours, 6),
            });
            compared++;
          } else {
            // An error value (the month rate's #N/A) is written by LibreOffice as its text.
            const shown = ours === undefined ? "" : typeof ours === "object" && "error" in ours ? ours.error : ours;
            expect({ cell: `${r},${c}`, v: theirs }).toEqual({ cell: `${r},${c}`, v: shown });
          }
        }
      }
      expect(compared).toBeGreaterThan(10);

      // And the KPI row equals the core model.
      const plan = model.sheets[0];
      const config = parseConfig(JSON.parse(model.settings.get(CONFIG_KEY) as string))!;
      const g = gridOf(plan) as Grid;
      const m = summarize(extractPlan(g, detectHeader(g), { period: config.period }).rows, config.period, new Date());
      expect(csvNumber(lo[4][0])).toBe(m.activities);
      expect(csvNumber(lo[4][1])).toBe(m.completed);
      expect(csvNumber(lo[4][3])).toBe(m.overdue);
    },
    // LibreOffice recalculating 10,000 rows takes 20–30 s on a loaded 2-core machine.
    180_000,
  );

  it("renders the Chinese summary page with its charts to PNG", async () => {
    const { model, result } = await summarised("2025年台账", ledgerZh as unknown[][], "zh-CN", ledgerZhMerges);
    // Print only the summary: the other sheets hidden.
    for (const s of model.sheets) if (s.name !== result.sheet) s.visibility = "Hidden";
    model.activeSheet = model.sheets.findIndex((s) => s.name === result.sheet);
    const path = join(OUT, "summary-zh.xlsx");
    writeFileSync(path, await exportXlsx(model));
    const pdf = await toPdf(path, OUT);
    const pngs = await pdfToPng(pdf, join(OUT, "summary-zh"), { first: 1, last: 6, dpi: 60 });
    expect(pngs.length).toBeGreaterThan(0);
    // Set up for printing: tables and charts side by side on one landscape page (portrait at 100 % took five).
    const pages = await pdfPageSizes(pdf);
    expect(pages).toHaveLength(1);
    expect(pages[0].width).toBeGreaterThan(pages[0].height);
  });
});
