/**
 * Issue 13 (trust): plans kept in common layouts other than the classic ledger, in workbooks written by another
 * program (openpyxl: scripts/fixtures/trust_workbooks.py wrote test/fixtures/xlsx/trust/). Each is read right or the
 * unclear part is named; the user's cells keep what they meant. Run through the CLI, as users run it.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Cell, SheetModel } from "../../src/offline";
import { importXlsx } from "../../src/offline/xlsx";
import { csvNumber, libreOfficeOrSkip, recalcToCsv } from "../support/libreoffice";
import { ensureBuilt, json, openWritten, runCli, sheetNamed, tableRows, tempDir, type Json } from "./harness";

const FIXTURES = path.join(__dirname, "..", "fixtures", "xlsx", "trust");

type Group = { activities: number; completed: number; overdue: number; due: number; rate: number | null };
type Summary = Group & {
  tracked: boolean;
  byMonth: (Group & { month: string | null })[];
  byOwner: (Group & { owner: string })[];
  byUnit: { unit: string; target: number; actual: number | null; rate: number | null }[];
};
type Finding = { cell: string; code: string; severity: string; field: string; message: string };

let dir: string;

beforeAll(() => {
  ensureBuilt();
  dir = tempDir("trust");
  for (const f of fs.readdirSync(FIXTURES)) fs.copyFileSync(path.join(FIXTURES, f), path.join(dir, f));
});

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

async function check(file: string, extra: string[] = []) {
  const r = await runCli(["check", file, "--json", ...extra], { cwd: dir });
  return { code: r.code, stderr: r.stderr, report: r.code === 2 ? undefined : json(r) };
}

async function summarize(file: string, asOf: string, extra: string[] = []) {
  const out = `out-${file}`;
  const args = ["summarize", file, "--out", out, "--force", "--json", "--as-of", asOf, ...extra];
  const r = await runCli(args, { cwd: dir });
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  const report = json(r);
  return { report, summary: report.summary as Summary, out: path.join(dir, out) };
}

const findings = (report: Json | undefined) => (report?.findings ?? []) as Finding[];

async function sheetOf(file: string, name: string): Promise<SheetModel> {
  const model = await importXlsx(new Uint8Array(fs.readFileSync(file)));
  return sheetNamed(model, name);
}

/** The cells of one column below the header, as stored (value and formula), by row. */
function column(sheet: SheetModel, col: number, from = 1): [number, Cell | undefined][] {
  const out: [number, Cell | undefined][] = [];
  for (const r of [...sheet.rows.keys()].sort((a, b) => a - b))
    if (r >= from) out.push([r, sheet.rows.get(r)?.get(col)]);
  return out;
}

const stored = (c: Cell | undefined) => [c?.value ?? null, c?.formula ?? null];

describe("trust: quarters as columns are read without rewriting the user's sheet (issue 17 §1)", () => {
  it("quarters with 计划 | 完成 under each: a planned 5 stays 5, the user's 合计 stays their formula, items are linked", async () => {
    const before = await sheetOf(path.join(dir, "quarterly.xlsx"), "季度计划");
    const c = await check("quarterly.xlsx");
    expect(c.code).toBe(0);
    expect(findings(c.report).some((f) => f.code === "layout.wide")).toBe(false);
    // Three tasks × four quarters, each with a planned or done amount (学术年会's 0 is an amount typed).
    expect(c.report?.rows).toBe(12);
    expect(c.report?.columns).not.toHaveProperty("month");

    const { summary, out } = await summarize("quarterly.xlsx", "2025-07-15");
    expect(summary.activities).toBe(12);
    const after = await sheetOf(out, "季度计划");
    for (const col of [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]) {
      expect(column(after, col, 3).map(([r, c]) => [r, c?.value ?? null])).toEqual(
        column(before, col, 3).map(([r, c]) => [r, c?.value ?? null]),
      );
    }
    expect(column(after, 10, 3).map(([, c]) => c?.formula ?? null)).toEqual(
      column(before, 10, 3).map(([, c]) => c?.formula ?? null),
    );
  });
});

describe("trust: what the user typed keeps its meaning", () => {
  it("owners padded with spaces stay one name each (张　三, 李  四, 欧阳 明), in the sheet and the summary", async () => {
    const { summary, out } = await summarize("padded-owners.xlsx", "2026-07-15");
    const owners = summary.byOwner.map((o) => o.owner);
    expect(owners).toEqual(expect.arrayContaining(["张　三", "欧阳 明"]));
    for (const bad of ["张", "三", "李", "四", "欧阳", "明"]) expect(owners).not.toContain(bad);
    // 李  四 and 李四 are one person, counted once under one name.
    const li = summary.byOwner.filter((o) => o.owner.replace(/\s/g, "") === "李四");
    expect(li).toHaveLength(1);
    expect(li[0].activities).toBe(2);
    // The owner cells keep the user's spelling byte for byte, apart from a list of several owners.
    const input = await sheetOf(path.join(dir, "padded-owners.xlsx"), "工作计划");
    const output = await sheetOf(out, "工作计划");
    for (const [r, cell] of column(input, 2)) {
      if (cell?.value === "王五、赵六") continue;
      expect([r, output.rows.get(r)?.get(2)?.value]).toEqual([r, cell?.value]);
    }
  });

  it("a 2026 sheet sorted by department keeps January and February in 2026", async () => {
    const { report, summary, out } = await summarize("sorted-2026.xlsx", "2026-07-15");
    expect(report.period).toEqual({ start: "2026-01", end: "2026-12" });
    expect(report.periodSource).toBe("sheetName");
    expect(summary.byMonth.find((m) => m.month === "2026-01")?.activities).toBe(1);
    expect(summary.byMonth.find((m) => m.month === "2026-02")?.activities).toBe(1);
    expect(summary.byMonth.some((m) => (m.month ?? "").startsWith("2027"))).toBe(false);
    // 3月 done, 6月/5月/2月 (4 of 3) overdue, July due.
    expect([summary.completed, summary.overdue, summary.due]).toEqual([2, 3, 1]);
    const sheet = await sheetOf(out, "2026年工作台账");
    for (const [, cell] of column(sheet, 2)) {
      const serial = cell?.value as number;
      expect(typeof serial).toBe("number");
      const year = new Date(Date.UTC(1899, 11, 30) + serial * 86400000).getUTCFullYear();
      expect(year).toBe(2026);
    }
  });

  it("a target in 场次 and an actual in 人次 are never paired; the actual column is named", async () => {
    const c = await check("unit-mismatch.xlsx");
    expect(c.code).toBe(0);
    expect(findings(c.report).find((f) => f.code === "column.unitMismatch")).toMatchObject({ cell: "E1" });
    const { summary, out } = await summarize("unit-mismatch.xlsx", "2026-07-15");
    // No 12,500 %: nothing is recorded in the target's unit, so nothing is done or overdue and there is no rate.
    expect(summary.tracked).toBe(false);
    expect([summary.overdue, summary.rate]).toEqual([0, null]);
    for (const u of summary.byUnit) {
      expect(u.actual).toBeNull();
      expect(u.rate).toBeNull();
    }
    const input = await sheetOf(path.join(dir, "unit-mismatch.xlsx"), "活动计划");
    const output = await sheetOf(out, "活动计划");
    expect(column(output, 4).map(([, c]) => stored(c))).toEqual(column(input, 4).map(([, c]) => stored(c)));
  });

  it("numbers in a 完成情况 column with words in other rows are actuals; the words are statuses", async () => {
    const c = await check("mixed-progress.xlsx");
    expect(c.report?.columns).toMatchObject({ actual: "完成情况", status: "完成情况" });
    const { summary } = await summarize("mixed-progress.xlsx", "2026-07-15");
    // 12 of 10, 已完成 and √ are done; 部分完成 (March) and 1 of 3 (May) are overdue.
    expect([summary.completed, summary.overdue]).toEqual([3, 2]);
    expect(summary.byUnit).toEqual([expect.objectContaining({ unit: "", target: 20, actual: 13 })]);
  });

  it("是否办结 is the status of a 督办台账, not the free-text 办理进展", async () => {
    const { report, summary } = await summarize("duban.xlsx", "2025-07-15");
    expect(report.columns).toMatchObject({ status: "是否办结", activity: "督办事项", owner: "牵头单位" });
    expect([summary.completed, summary.overdue]).toEqual([2, 2]);
  });

  it("percent-formatted numbers, 已完成N场, 全覆盖 and FY are read without errors, each in its own unit", async () => {
    const c = await check("quantities.xlsx");
    expect(c.code).toBe(0);
    expect(findings(c.report).filter((f) => f.severity === "error")).toEqual([]);
    expect(findings(c.report).find((f) => f.cell === "E5")).toMatchObject({ code: "target.qualitative" });
    const { summary } = await summarize("quantities.xlsx", "2026-07-15");
    const units = Object.fromEntries(summary.byUnit.map((u) => [u.unit, u]));
    // 0.9 (90 %) is not added to counts of 场 or 人次.
    expect(units["%"]).toMatchObject({ target: 0.9, actual: 0.85 });
    // 已完成34场 of 30 is done, 已完成4场 of 6 is not.
    expect(units["场"]).toMatchObject({ target: 36, actual: 38 });
    expect(summary.byMonth.find((m) => m.month === "2026-02")).toMatchObject({ completed: 1, overdue: 0 });
    expect(summary.byMonth.find((m) => m.month === "annual")?.activities).toBe(1);
  });

  it("the user's 合计 =SUM whose value structuring changes is reported, before and after", async () => {
    const c = await check("quantities.xlsx");
    expect(c.report?.changedFormulas).toEqual([
      { cell: "E8", formula: "=SUM(E3:E4)+E7", before: "#VALUE!", after: 10036 },
    ]);
    expect(findings(c.report).find((f) => f.code === "formula.mixedUnits")).toMatchObject({ cell: "E8" });
    const { report, out } = await summarize("quantities.xlsx", "2026-07-15");
    expect(report.changedFormulas).toEqual(c.report?.changedFormulas);
    // The formula itself is the user's and stays as typed.
    const sheet = await sheetOf(out, "台账");
    expect(sheet.rows.get(7)?.get(4)?.formula).toBe("=SUM(E3:E4)+E7");
  });
});

describe("trust: missing or unusual columns are named, never answered with confidence", () => {
  it("a school calendar without status or actual has nothing overdue and says progress is not recorded", async () => {
    const c = await check("school-calendar.xlsx");
    expect(c.code).toBe(0);
    expect(c.report?.columns).toMatchObject({ owner: "负责" });
    expect(findings(c.report).map((f) => f.code)).toContain("progress.untracked");
    const { summary, out } = await summarize("school-calendar.xlsx", "2026-07-15");
    expect([summary.tracked, summary.overdue, summary.rate]).toEqual([false, 0, null]);
    // The KPI cells say "—", not 0 % (recalculated as Excel does on open).
    const model = await openWritten(out, new Date(2026, 6, 15));
    const sheet = model.sheets.find((s) => /汇总/.test(s.name)) as SheetModel;
    const kpi = [...sheet.rows.values()].find((row) => row.get(0)?.value === "计划事项");
    expect(kpi).toBeDefined();
    const values = [...sheet.rows.entries()].find(([, row]) => row === kpi)![0] + 1;
    expect([1, 2, 3].map((c) => sheet.rows.get(values)?.get(c)?.value)).toEqual(["—", "—", "—"]);
  });

  it("主办 is the owner, 计划参与人数 and 实际参与人数 the target and actual", async () => {
    const c = await check("host-participants.xlsx");
    expect(c.report?.columns).toMatchObject({ owner: "主办", target: "计划参与人数", actual: "实际参与人数" });
    expect(findings(c.report).filter((f) => f.code === "column.missing")).toEqual([]);
  });

  it("an OKR sheet: Key Result is the activity, Objective the category, Quarter the month", async () => {
    const { report, summary } = await summarize("okr.xlsx", "2026-07-15");
    expect(report.columns).toMatchObject({ activity: "Key Result", category: "Objective", month: "Quarter" });
    expect(summary.byMonth.filter((m) => m.activities > 0).map((m) => m.month)).toEqual(["2026-03", "2026-06"]);
  });

  it("配合单位 is a co-owner column, not the unit; the unit dropdown holds units", async () => {
    const { report, summary } = await summarize("co-owners.xlsx", "2026-07-15");
    expect(report.columns).toMatchObject({ coOwners: "配合单位", unit: "计量单位", owner: "牵头单位" });
    expect(summary.byUnit.map((u) => u.unit).sort()).toEqual(["场", "家", "次"].sort());
  });

  it("具体举措 under 重点任务 are the items; a 注：line under the plan stays out of the table", async () => {
    const { report, summary, out } = await summarize("two-levels.xlsx", "2026-07-15");
    expect(report.columns).toMatchObject({ activity: "具体举措", category: "重点任务" });
    expect(summary.activities).toBe(4);
    const model = await openWritten(out, new Date(2026, 6, 15));
    const plan = sheetNamed(model, "重点任务");
    const { table, rows } = tableRows(plan, "Plan");
    expect(rows.map((r) => r[1])).toEqual(["走访会员单位", "会员培训", "科普讲座", "科普展览"]);
    expect(table.ref.r1).toBeLessThan(6);
    expect(plan.rows.get(6)?.get(0)?.value).toBe("注：完成数按季度更新，以办公室汇总为准。");
    const summarySheet = model.sheets.find((s) => /汇总/.test(s.name)) as SheetModel;
    const overdue = tableRows(summarySheet, "OverdueItems").rows.map((r) => r[0]);
    expect(overdue).toEqual(expect.arrayContaining(["走访会员单位", "会员培训"]));
    expect(overdue).not.toContain("一、加强会员服务");
  });
});

describe("trust: --as-of holds in the file", () => {
  it("LibreOffice recalculating the written summary shows the numbers of the as-of date beside its header", async () => {
    if (!libreOfficeOrSkip()) return;
    // Today the September and November items would be overdue too; as of 2026-07-15 they are not.
    const { summary, out } = await summarize("sorted-2026.xlsx", "2026-07-15");
    const sheets = await recalcToCsv(out, path.join(dir, "lo-asof"));
    const name = Object.keys(sheets).find((s) => /汇总/.test(s)) as string;
    const rows = sheets[name];
    const asOfRow = rows.findIndex((r) => r[0] === "统计截至：");
    expect(csvNumber(rows[asOfRow][1])).toBe(Date.UTC(2026, 6, 15) / 86400000 + 25569);
    const labels = rows.findIndex((r) => r[0] === "计划事项");
    const kpi = rows[labels + 1].slice(0, 4).map(csvNumber);
    expect(kpi[0]).toBe(summary.activities);
    expect(kpi[1]).toBe(summary.completed);
    expect(kpi[2]).toBeCloseTo(summary.rate as number, 9);
    expect(kpi[3]).toBe(summary.overdue);
    expect(summary.overdue).toBe(3);
  }, 120_000);
});
