/**
 * The CLI's consolidate and the pane's Collect returns build their rows with the same code (src/excel/rows.ts): the
 * same three returns (written by openpyxl and LibreOffice) give the same plan rows and 来源 labels either way.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { createOfflineOperations } from "../../src/hosting/offline";
import { OfflineHost, createWorkbookModel } from "../../src/offline";
import { ensureBuilt, openWritten, runCli, sheetNamed, tableRows, tempDir } from "./harness";

const NOW = new Date(2026, 5, 15);
const RETURNS = path.join(__dirname, "..", "fixtures", "xlsx", "returns");
const FILES = ["办公室.xlsx", "学会部.xlsx", "科普部.xlsx"];

let dir: string;

beforeAll(() => {
  ensureBuilt();
  dir = tempDir("collect-parity");
  for (const f of FILES) fs.copyFileSync(path.join(RETURNS, f), path.join(dir, f));
}, 180_000);

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** The plan columns through 来源 (the computed completion and status after it are left out). */
function planCells(rows: unknown[][], columns: string[]): unknown[][] {
  const end = columns.indexOf("来源") + 1;
  return rows.map((r) => r.slice(0, end));
}

it("gives the same rows and labels as Collect returns in the pane", async () => {
  const r = await runCli(["consolidate", ...FILES, "--out", "合并.xlsx", "--as-of", "2026-06-15", "--json"], {
    cwd: dir,
  });
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  const cli = tableRows(sheetNamed(await openWritten(path.join(dir, "合并.xlsx"), NOW), "合并计划"), "Plan");

  const model = createWorkbookModel(["说明"]);
  const host = new OfflineHost(model, { now: () => NOW });
  const ops = createOfflineOperations(host, { now: () => NOW });
  const files = FILES.map((f) => ({ name: f, bytes: new Uint8Array(fs.readFileSync(path.join(RETURNS, f))) }));
  const collected = await ops.collectReturns({ lang: "zh-CN", files });
  const pane = tableRows(sheetNamed(model, collected.sheet), "Plan");

  expect(pane.table.columns).toEqual(cli.table.columns);
  expect(cli.rows).toHaveLength(14);
  expect(planCells(pane.rows, pane.table.columns)).toEqual(planCells(cli.rows, cli.table.columns));
}, 120_000);
