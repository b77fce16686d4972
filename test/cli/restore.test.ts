/**
 * Issue 16 §1 through the CLI, as users run it: summarize (which structures first) → restore gives back the original
 * plan sheet cell for cell, on a workbook written by openpyxl (scripts/fixtures/restore_workbook.py) and on the
 * workbench's sample; a workbook Plan Ledger never changed is refused in both languages and nothing is written.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { WorkbookModel } from "../../src/offline";
import { exportXlsx } from "../../src/offline/xlsx";
import { buildSample, sampleSheetNames } from "../../src/workbench/sample";
import { sheetState } from "../support/sheets";
import { ensureBuilt, json, openWritten, runCli, snapshot, tempDir } from "./harness";

const FIXTURE = path.join(__dirname, "..", "fixtures", "xlsx", "restore", "ledger-openpyxl.xlsx");
const NOW = new Date(2026, 9, 15);

let dir: string;

beforeAll(async () => {
  ensureBuilt();
  dir = tempDir("restore");
  fs.copyFileSync(FIXTURE, path.join(dir, "ledger.xlsx"));
  fs.writeFileSync(path.join(dir, "sample.xlsx"), await exportXlsx(buildSample(NOW)));
});

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A written workbook, recalculated as Excel does on open (openpyxl writes formulas without results). */
async function read(file: string): Promise<WorkbookModel> {
  return openWritten(path.join(dir, file), NOW);
}

/**
 * Every sheet the user had, as they see it, and the workbook's names and settings. Page setup apart: print title rows
 * cannot be removed through the Excel API, so restore resets orientation and scale only (checked below).
 */
function userView(model: WorkbookModel) {
  return {
    sheets: model.sheets.map((s) => ({ ...sheetState(s), pageSetup: undefined })),
    names: model.names.map((n) => n.name),
    settings: [...model.settings.keys()],
  };
}

async function summarizeThenRestore(file: string, sheet?: string) {
  const base = path.basename(file, ".xlsx");
  const sheetArgs = sheet ? ["--sheet", sheet] : [];
  const s = await runCli(
    ["summarize", file, "--out", `${base}.summary.xlsx`, "--as-of", "2026-10-15", "--json", ...sheetArgs],
    { cwd: dir },
  );
  expect(s.stderr).toBe("");
  expect(s.code).toBe(0);
  const r = await runCli(["restore", `${base}.summary.xlsx`, "--out", `${base}.restored.xlsx`, "--json"], {
    cwd: dir,
  });
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  return {
    summarized: await read(`${base}.summary.xlsx`),
    restored: await read(`${base}.restored.xlsx`),
    report: json(r),
  };
}

describe("plan-ledger restore", () => {
  it("gives back an openpyxl ledger cell for cell after summarize (values, formulas, merges, formats, validation, CF, widths)", async () => {
    const input = await read("ledger.xlsx");
    const before = userView(input);
    const plan = before.sheets[0];
    // The fixture holds what the test is about.
    expect(plan.merges).toHaveLength(2);
    expect(plan.validations).toHaveLength(1);
    expect(plan.conditionalFormats).toHaveLength(1);
    expect(plan.columnWidths.length).toBeGreaterThanOrEqual(2);
    expect(plan.freeze).toEqual({ rows: 2, columns: 0 });

    const { summarized, restored, report } = await summarizeThenRestore("ledger.xlsx");
    expect(userView(summarized)).not.toEqual(before);
    expect(report).toMatchObject({ sheet: "2026年工作台账", removedTables: ["Plan"], removedSettings: true });
    expect(userView(restored)).toEqual(before);
    const page = restored.sheets[0].pageSetup;
    expect(page).toMatchObject({ orientation: "Portrait", scale: 100 });
  });

  it("gives back the workbench sample's ledger, leaving its other sheet as it was", async () => {
    const input = await read("sample.xlsx");
    const before = userView(input);
    const { ledger } = sampleSheetNames(NOW.getFullYear());
    const { restored } = await summarizeThenRestore("sample.xlsx", ledger);
    expect(userView(restored)).toEqual(before);
  });

  it("refuses a workbook Plan Ledger never changed, in both languages, and writes nothing", async () => {
    const files = snapshot(dir);
    const zh = await runCli(["restore", "ledger.xlsx", "--out", "never.xlsx", "--lang", "zh-CN"], { cwd: dir });
    expect(zh.code).toBe(2);
    expect(zh.stderr.trim()).toBe(
      "ledger.xlsx：工作表 2026年工作台账 没有保存原表（计划台账从未修改过它、已恢复过，或汇总时用了 --no-original），无需恢复；未写入任何文件。",
    );
    const en = await runCli(["restore", "ledger.xlsx", "--out", "never.xlsx", "--lang", "en-US"], { cwd: dir });
    expect(en.code).toBe(2);
    expect(en.stderr.trim()).toBe(
      "ledger.xlsx: sheet 2026年工作台账 has no saved original (Plan Ledger has never changed it, it was already restored, or it was summarised with --no-original); nothing to restore, no file written.",
    );
    expect(snapshot(dir)).toEqual(files);
  });

  it("summarize --no-original writes no copy: a smaller file, and restore then says there is none", async () => {
    const kept = await runCli(["summarize", "sample.xlsx", "--out", "kept.xlsx", "--as-of", "2026-10-15"], {
      cwd: dir,
    });
    expect(kept.code).toBe(0);
    const lean = await runCli(
      ["summarize", "sample.xlsx", "--out", "lean.xlsx", "--as-of", "2026-10-15", "--no-original", "--json"],
      { cwd: dir },
    );
    expect(lean.stderr).toBe("");
    expect(lean.code).toBe(0);
    expect(json(lean)).toMatchObject({ originalKept: false });
    const [withCopy, without] = [await read("kept.xlsx"), await read("lean.xlsx")];
    expect(withCopy.sheets.filter((s) => s.visibility === "VeryHidden")).toHaveLength(1);
    expect(without.sheets.filter((s) => s.visibility === "VeryHidden")).toHaveLength(0);
    // Everything the user sees is the same.
    const seen = (m: WorkbookModel) => m.sheets.filter((s) => s.visibility !== "VeryHidden").map((s) => sheetState(s));
    expect(seen(without)).toEqual(seen(withCopy));
    expect(fs.statSync(path.join(dir, "lean.xlsx")).size).toBeLessThan(fs.statSync(path.join(dir, "kept.xlsx")).size);
    const r = await runCli(["restore", "lean.xlsx", "--out", "lean.restored.xlsx", "--lang", "en-US"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/has no saved original .*--no-original/);
  });

  it("needs --out, and says so", async () => {
    const r = await runCli(["restore", "ledger.xlsx", "--lang", "en-US"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe("restore needs --out FILE for the restored workbook.");
  });
});
