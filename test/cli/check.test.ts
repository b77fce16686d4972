import * as fs from "node:fs";
import { academicEnBook, hostileBook, ledgerZhBook, writeXlsx } from "../fixtures/workbooks";
import { ensureBuilt, json, runCli, snapshot, tempDir } from "./harness";

type FindingJson = { cell: string; field: string; severity: string; code: string; value: string; message: string };

let dir: string;

beforeAll(async () => {
  ensureBuilt();
  dir = tempDir("check");
  await writeXlsx(dir, "ledger-zh.xlsx", ledgerZhBook, 0);
  await writeXlsx(dir, "academic-en.xlsx", academicEnBook);
  await writeXlsx(dir, "hostile.xlsx", hostileBook);
}, 120_000);

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("plan-ledger check", () => {
  it("exits 1 on a plan with errors, lists each finding with its cell, and writes nothing", async () => {
    const before = snapshot(dir);
    const r = await runCli(["check", "hostile.xlsx", "--json"], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("");
    const report = json(r);
    // Two rows hold content but no activity: reported at their activity cells, not counted as items.
    expect(report).toMatchObject({ file: "hostile.xlsx", sheet: "Hostile", table: null, rows: 9 });
    expect(report.summary).toBeUndefined();
    const findings = report.findings as FindingJson[];
    expect(findings.find((f) => f.cell === "A3")).toEqual({
      cell: "A3",
      field: "month",
      severity: "error",
      code: "month.unrecognized",
      value: "下旬",
      message: expect.stringContaining("下旬"),
    });
    expect(findings.filter((f) => f.code === "owner.missing").map((f) => f.cell)).toEqual(["C4", "C14"]);
    // Row 10 holds only a month: its missing activity is the finding, not its owner.
    expect(findings.filter((f) => f.code === "activity.missing").map((f) => f.cell)).toContain("B10");
    expect(findings.every((f) => /^[A-Z]+\d+$/.test(f.cell))).toBe(true);
    expect(snapshot(dir)).toEqual(before);
  });

  it("exits 0 on a clean plan", async () => {
    const r = await runCli(["check", "academic-en.xlsx", "--json"], { cwd: dir });
    expect(r.code).toBe(0);
    expect(json(r)).toMatchObject({ sheet: "Plan 2025-26", rows: 13, findings: [] });
  });

  it("checks against --period-start: a month outside the default period is inside the given one", async () => {
    const plain = json(await runCli(["check", "hostile.xlsx", "--json", "--period-start", "2025-01"], { cwd: dir }));
    const later = json(await runCli(["check", "hostile.xlsx", "--json", "--period-start", "2030-01"], { cwd: dir }));
    const outside = (r: typeof plain) =>
      (r.findings as FindingJson[]).filter((f) => f.code === "month.outsidePeriod").map((f) => f.cell);
    expect(outside(plain)).toContain("A5"); // 2030年9月
    expect(outside(later)).not.toContain("A5");
    expect(later.period).toEqual({ start: "2030-01", end: "2030-12" });
  });

  it("picks the sheet named by --sheet, and prints findings as text in Chinese under a zh locale", async () => {
    const r = await runCli(["check", "ledger-zh.xlsx", "--sheet", "2025年台账"], {
      cwd: dir,
      env: { LC_ALL: "zh_CN.UTF-8", LANG: "en_US.UTF-8" },
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("计划表 2025年台账");
    expect(r.stdout).toContain("问题：错误 0 个，警告 0 个，提示 0 个");
  });
});
