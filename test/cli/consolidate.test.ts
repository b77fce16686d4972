import * as fs from "node:fs";
import * as path from "node:path";
import { departmentPlan, hostileBook, writeXlsx } from "../fixtures/workbooks";
import { ensureBuilt, json, openWritten, rowBelow, runCli, sheetNamed, snapshot, tableRows, tempDir } from "./harness";

const AS_OF = "2025-10-15";
const NOW = new Date(2025, 9, 15);

let dir: string;

beforeAll(async () => {
  ensureBuilt();
  dir = tempDir("consolidate");
  await writeXlsx(dir, "科普部.xlsx", departmentPlan("科普部", 30, 1));
  await writeXlsx(dir, "学会部.xlsx", departmentPlan("学会部", 20, 2));
  await writeXlsx(dir, "hostile.xlsx", hostileBook);
}, 120_000);

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("plan-ledger consolidate", () => {
  it("merges two departments into one plan with a source column, structured and summarised", async () => {
    const inputs = {
      a: fs.readFileSync(path.join(dir, "科普部.xlsx")),
      b: fs.readFileSync(path.join(dir, "学会部.xlsx")),
    };
    const r = await runCli(
      ["consolidate", "科普部.xlsx", "学会部.xlsx", "--out", "合并.xlsx", "--as-of", AS_OF, "--json"],
      {
        cwd: dir,
      },
    );
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    const report = json(r);
    expect(report).toMatchObject({
      file: "合并.xlsx",
      out: "合并.xlsx",
      sheet: "合并计划",
      table: "Plan",
      period: { start: "2025-01", end: "2025-12" },
      rows: 50,
      findings: [],
      sources: [
        { file: "科普部.xlsx", sheet: "计划", rows: 30, period: { start: "2025-01", end: "2025-12" }, findings: [] },
        { file: "学会部.xlsx", sheet: "计划", rows: 20, period: { start: "2025-01", end: "2025-12" }, findings: [] },
      ],
    });
    expect(report.columns).toMatchObject({ month: "月份", activity: "工作任务", owner: "责任单位", target: "目标" });
    const summary = report.summary as { activities: number; byOwner: { owner: string; activities: number }[] };
    expect(summary.activities).toBe(50);
    expect(Object.fromEntries(summary.byOwner.map((o) => [o.owner, o.activities]))).toEqual({ 科普部: 30, 学会部: 20 });

    // Inputs untouched.
    expect(fs.readFileSync(path.join(dir, "科普部.xlsx")).equals(inputs.a)).toBe(true);
    expect(fs.readFileSync(path.join(dir, "学会部.xlsx")).equals(inputs.b)).toBe(true);

    const model = await openWritten(path.join(dir, "合并.xlsx"), NOW);
    const plan = sheetNamed(model, "合并计划");
    const { table, rows } = tableRows(plan, "Plan");
    expect(table.columns).toEqual([
      "月份",
      "工作任务",
      "责任单位",
      "类别",
      "单位",
      "目标",
      "实际完成",
      "状态",
      "备注",
      "来源",
      "完成率",
      "督办状态",
    ]);
    const source = 9;
    expect(rows).toHaveLength(50);
    expect(rows.filter((row) => row[source] === "科普部.xlsx")).toHaveLength(30);
    expect(rows.filter((row) => row[source] === "学会部.xlsx")).toHaveLength(20);
    expect(rows.find((row) => row[1] === "学会部任务7")?.[2]).toBe("学会部");
    const kpis = rowBelow(sheetNamed(model, "汇总"), "计划事项");
    expect(kpis[0]).toBe(50);
    expect(kpis[1]).toBe((report.summary as { completed: number }).completed);
  });

  it("reports each source's findings at its own cells and carries odd values over as typed", async () => {
    const r = await runCli(
      [
        "consolidate",
        "hostile.xlsx",
        "学会部.xlsx",
        "--out",
        "mixed.xlsx",
        "--as-of",
        AS_OF,
        "--period-start",
        "2025-01",
        "--json",
      ],
      { cwd: dir },
    );
    expect(r.code).toBe(0);
    const report = json(r);
    const sources = report.sources as { file: string; findings: { cell: string; code: string }[] }[];
    expect(sources[0].findings).toEqual(
      expect.arrayContaining([expect.objectContaining({ cell: "A3", code: "month.unrecognized" })]),
    );
    // 下旬 is still not a month in the merged plan, now at the merged sheet's cell.
    const merged = report.findings as { cell: string; code: string; value: string }[];
    expect(merged).toEqual(
      expect.arrayContaining([expect.objectContaining({ code: "month.unrecognized", value: "下旬" })]),
    );
    const model = await openWritten(path.join(dir, "mixed.xlsx"), NOW);
    const { rows } = tableRows(sheetNamed(model, "合并计划"), "Plan");
    expect(rows.some((row) => row[1] === '=HYPERLINK("http://x","y")')).toBe(true);
  });

  it("tells sources apart by path when two departments sent files of the same name", async () => {
    for (const [sub, dept] of [
      ["一部", "科普部"],
      ["二部", "学会部"],
    ]) {
      fs.mkdirSync(path.join(dir, sub), { recursive: true });
      await writeXlsx(path.join(dir, sub), "计划.xlsx", departmentPlan(dept, 3, 5));
    }
    const r = await runCli(["consolidate", "一部/计划.xlsx", "二部/计划.xlsx", "--out", "same-names.xlsx", "--json"], {
      cwd: dir,
    });
    expect(r.code).toBe(0);
    const model = await openWritten(path.join(dir, "same-names.xlsx"), NOW);
    const { rows } = tableRows(sheetNamed(model, "合并计划"), "Plan");
    expect([...new Set(rows.map((row) => row[9]))]).toEqual(["一部/计划.xlsx", "二部/计划.xlsx"]);
  });

  it("refuses an output that is one of the inputs, and a workbook given twice", async () => {
    const before = snapshot(dir);
    const same = await runCli(["consolidate", "科普部.xlsx", "学会部.xlsx", "--out", "学会部.xlsx", "--force"], {
      cwd: dir,
    });
    expect(same.code).toBe(2);
    expect(same.stderr).toMatch(/^学会部\.xlsx is an input file/);
    const twice = await runCli(["consolidate", "科普部.xlsx", "./科普部.xlsx", "--out", "x.xlsx"], { cwd: dir });
    expect(twice.code).toBe(2);
    expect(twice.stderr).toBe("./科普部.xlsx is given more than once; each workbook can be merged only once.\n");
    expect(snapshot(dir)).toEqual(before);
  });

  it("names the failing source when one input is not a workbook, and writes nothing", async () => {
    fs.writeFileSync(path.join(dir, "broken.xlsx"), "not a workbook");
    const before = snapshot(dir);
    const r = await runCli(["consolidate", "科普部.xlsx", "broken.xlsx", "--out", "never.xlsx"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^broken\.xlsx: This file is not an Excel workbook/);
    expect(snapshot(dir)).toEqual(before);
  });
});
