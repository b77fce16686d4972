/**
 * Issue 14 §3g: a workbook in the 1904 date system (old Mac files) stores every date 1,462 days lower than a 1900
 * workbook. Its month cells must read as the months they show, and every date we write (months, the lists sheet, the
 * as-of cell) must be in its system. The fixture is written by openpyxl (scripts/fixtures/date1904_workbook.py).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { importXlsx } from "../../src/offline/xlsx";
import { csvNumber, libreOfficeOrSkip, recalcToCsv } from "../support/libreoffice";
import { cellAt, ensureBuilt, json, runCli, sheetNamed, tempDir } from "./harness";

const FIXTURE = path.join(__dirname, "..", "fixtures", "xlsx", "date1904", "mac-1904.xlsx");
/** 1900-system serial of a calendar date, and the same date as a 1904 workbook stores it. */
const serial1900 = (y: number, m: number, d: number) => Date.UTC(y, m - 1, d) / 86400000 + 25569;
const serial1904 = (y: number, m: number, d: number) => serial1900(y, m, d) - 1462;

type Group = { activities: number; completed: number };
type Summary = Group & { byMonth: (Group & { month: string | null })[] };

let dir: string;

beforeAll(() => {
  ensureBuilt();
  dir = tempDir("date1904");
  fs.copyFileSync(FIXTURE, path.join(dir, "mac-1904.xlsx"));
});

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

async function summarize() {
  const args = ["summarize", "mac-1904.xlsx", "--out", "out.xlsx", "--force", "--json", "--as-of", "2026-06-30"];
  const r = await runCli(args, { cwd: dir });
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  return json(r);
}

describe("a plan in the 1904 date system", () => {
  it("check reads its month dates as the months they show, in the sheet's year", async () => {
    const r = await runCli(["check", "mac-1904.xlsx", "--json"], { cwd: dir });
    expect(r.code).not.toBe(2);
    const report = json(r);
    expect(report.period).toEqual({ start: "2026-01", end: "2026-12" });
    const codes = ((report.findings ?? []) as { code: string; cell: string }[]).map((f) => `${f.cell} ${f.code}`);
    // Read in the 1900 system these would be months of 2022, outside the plan's year.
    expect(codes.filter((c) => / month\./.test(c) && !c.startsWith("A6 "))).toEqual([]);
  });

  it("summarize counts each month's items and writes every date in the workbook's own system", async () => {
    const report = await summarize();
    const summary = report.summary as Summary;
    expect(summary.activities).toBe(7);
    const counts = Object.fromEntries(
      summary.byMonth.filter((m) => m.activities > 0).map((m) => [m.month, m.activities]),
    );
    expect(counts).toEqual({ "2026-01": 1, "2026-02": 1, "2026-03": 2, "2026-06": 1, "2026-09": 1, "2026-12": 1 });

    const model = await importXlsx(new Uint8Array(fs.readFileSync(path.join(dir, "out.xlsx"))));
    expect(model.date1904).toBe(true);
    const plan = sheetNamed(model, "工作计划");
    // First-of-month dates stay as they were; 2026-03-15 becomes March's first day, its day kept in the notes.
    expect(cellAt(plan, 2, 0)?.value).toBe(serial1904(2026, 1, 1));
    expect(cellAt(plan, 5, 0)?.value).toBe(serial1904(2026, 3, 1));
    const notes = [...(plan.rows.get(5)?.values() ?? [])].map((c) => c.value).filter((v) => typeof v === "string");
    expect(notes.join(" ")).toContain("2026-03-15");
    // The lists sheet's months and the summary's as-of date are 1904 serials too.
    const lists = model.sheets.find((s) => s.visibility === "Hidden");
    expect(lists).toBeDefined();
    expect(cellAt(lists!, 1, 0)?.value).toBe(serial1904(2026, 1, 1));
    const summarySheet = model.sheets.find((s) => /汇总/.test(s.name));
    expect(cellAt(summarySheet!, 1, 1)?.value).toBe(serial1904(2026, 6, 30));
  });

  it("LibreOffice shows the same dates and computes the same numbers from the written file", async () => {
    if (!libreOfficeOrSkip()) return;
    const report = await summarize();
    const summary = report.summary as Summary;
    const sheets = await recalcToCsv(path.join(dir, "out.xlsx"), path.join(dir, "lo"));
    const name = Object.keys(sheets).find((s) => /汇总/.test(s)) as string;
    const rows = sheets[name];
    const asOfRow = rows.findIndex((r) => r[0] === "统计截至：");
    expect(csvNumber(rows[asOfRow][1])).toBe(serial1900(2026, 6, 30));
    const labels = rows.findIndex((r) => r[0] === "计划事项");
    const kpi = rows[labels + 1].slice(0, 2).map(csvNumber);
    expect(kpi).toEqual([summary.activities, summary.completed]);
    // LibreOffice writes the raw dates of the plan's month column as MM/DD/YYYY: the dates the sheet shows.
    const planRows = sheets["工作计划"];
    expect([planRows[2][0], planRows[5][0], planRows[8][0]]).toEqual(["01/01/2026", "03/01/2026", "12/01/2026"]);
  }, 120_000);
});
