/**
 * An exported workbook opened by a program we did not write: LibreOffice recalculates every formula (cached values
 * ignored) and must get the numbers we cached; a page with the three chart kinds is rendered to PNG for a person to see;
 * print settings (landscape, fit to one page wide) decide how the sheet is paginated in a PDF.
 */
import { mkdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { PageSetupModel, SheetModel, WorkbookModel } from "../../src/offline";
import { exportXlsx } from "../../src/offline/xlsx";
import { csvNumber, libreOfficeOrSkip, pdfPageSizes, pdfToPng, recalcToCsv, toPdf } from "../support/libreoffice";
import { f, sheet, workbook } from "../unit/offline/xlsx/builder";
import { planWorkbook } from "../unit/offline/xlsx/fixtures";

const OUT = join(__dirname, "..", "..", "test-output", "libreoffice-roundtrip");

function numericFormulaCells(sheet: SheetModel): { r: number; c: number; value: number; formula: string }[] {
  const out: { r: number; c: number; value: number; formula: string }[] = [];
  for (const [r, row] of sheet.rows) {
    for (const [c, cell] of row) {
      if (cell.formula && typeof cell.value === "number") out.push({ r, c, value: cell.value, formula: cell.formula });
    }
  }
  return out;
}

// The summary alone on the printed page: plan sheet hidden, charts stacked to fit one portrait page.
function chartPage(model: WorkbookModel): WorkbookModel {
  const [plan, summary, lists] = model.sheets;
  const charts = summary.charts.map((ch, i) => ({ ...ch, left: 0, top: 130 + i * 190, width: 330, height: 180 }));
  return {
    ...model,
    sheets: [{ ...plan, visibility: "Hidden" }, { ...summary, charts }, lists],
    activeSheet: 1,
  };
}

const describeLo = libreOfficeOrSkip() ? describe : describe.skip;

describeLo("LibreOffice opens exported workbooks", () => {
  beforeAll(() => {
    rmSync(OUT, { recursive: true, force: true });
    mkdirSync(OUT, { recursive: true });
  });

  it("recalculates SUMIFS, COUNTIFS, IFERROR, structured and cross-sheet references to the cached numbers", async () => {
    const model = planWorkbook();
    const file = join(OUT, "plan.xlsx");
    writeFileSync(file, await exportXlsx(model));
    const csv = await recalcToCsv(file, join(OUT, "csv"));

    // 月份 | 目标 | 完成 | 完成率 | 事项数, computed by hand from the plan rows.
    const summary = csv["汇总"].slice(1, 6).map((row) => row.slice(0, 5));
    const close = (x: number) => expect.closeTo(x, 9) as unknown as number;
    expect(summary.map((row) => row.map((v) => (v === "" ? "" : csvNumber(v))))).toEqual([
      [1, 18, 16, close(16 / 18), 2],
      [2, 34, 3, close(3 / 34), 2],
      [3, 2, 1, 0.5, 1],
      [NaN, 54, 20, close(20 / 54), 54], // "合计" is text
      [NaN, 0, 0, "", 0], // IFERROR turns 0/0 into ""
    ]);
    expect(csv["汇总"][4][0]).toBe("合计");
    expect(csv["计划"][6].slice(3, 5).map(Number)).toEqual([54, 20]);

    // Every numeric formula result LibreOffice computed equals the value cached in the file.
    let checked = 0;
    for (const sheet of model.sheets) {
      for (const { r, c, value, formula } of numericFormulaCells(sheet)) {
        const got = csvNumber(csv[sheet.name][r][c]);
        expect({ formula, got }).toEqual({ formula, got: expect.closeTo(value, 9) });
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(18);
  });

  it("really recalculates: a deliberately wrong cached value is replaced by the computed one", async () => {
    const file = join(OUT, "stale.xlsx");
    writeFileSync(file, await exportXlsx(workbook([sheet("S", [[2, f("=A1*21", 999)]])])));
    const csv = await recalcToCsv(file, join(OUT, "stale-csv"));
    expect(csv["S"][0].map(csvNumber)).toEqual([2, 42]);
  });

  it("prints a landscape sheet fitted to one page wide on one landscape page; without the setup it takes more", async () => {
    // 30 columns of 48 pt are ~1,440 pt wide: two or more pages across at 100 % on A4 or Letter, either orientation.
    const grid = Array.from({ length: 4 }, (_, r) =>
      Array.from({ length: 30 }, (_, c) => (r === 0 ? `第${c + 1}列` : r * 100 + c)),
    );
    const pages = async (name: string, pageSetup?: PageSetupModel) => {
      const file = join(OUT, `${name}.xlsx`);
      writeFileSync(file, await exportXlsx(workbook([sheet("宽表", grid, pageSetup ? { pageSetup } : {})])));
      return pdfPageSizes(await toPdf(file, OUT));
    };
    const fitted = await pages("fit-wide", { orientation: "Landscape", fitToWidth: 1, fitToHeight: 0 });
    expect(fitted).toHaveLength(1);
    expect(fitted[0].width).toBeGreaterThan(fitted[0].height);
    // Landscape alone turns the pages but does not fit the columns; with no setup the pages are portrait.
    const landscape = await pages("landscape-only", { orientation: "Landscape" });
    expect(landscape.length).toBeGreaterThan(1);
    expect(landscape.every((p) => p.width > p.height)).toBe(true);
    const plain = await pages("no-setup");
    expect(plain.length).toBeGreaterThan(1);
    expect(plain.every((p) => p.width < p.height)).toBe(true);
  });

  it("renders column, line and combo charts (secondary percent axis) into a PDF page", async () => {
    const file = join(OUT, "charts.xlsx");
    writeFileSync(file, await exportXlsx(chartPage(planWorkbook())));
    const pdf = await toPdf(file, OUT);
    const pngs = await pdfToPng(pdf, join(OUT, "charts-page"), { first: 1, last: 1, dpi: 110 });
    expect(pngs).toHaveLength(1);
    // A page with three filled charts is far larger than a blank or text-only page (a few KB).
    expect(statSync(pngs[0]).size).toBeGreaterThan(40_000);
  });
});
