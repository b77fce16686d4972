/**
 * Runs the built CLI the way users do (`node bin/plan-ledger.js …` in a child process) and reads back what it wrote.
 */
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { OfflineHost } from "../../src/offline";
import type { Cell, SheetModel, TableModel, WorkbookModel } from "../../src/offline";
import { importXlsx } from "../../src/offline/xlsx";

export const ROOT = path.join(__dirname, "../..");
const BIN = path.join(ROOT, "bin/plan-ledger.js");
/** The notice the bin prints when it (re)builds; a rebuild can happen mid-run when someone edits the sources. */
const BUILD_NOTICE = /^plan-ledger: building the command line.*\n/gm;

/** Builds the CLI when it is missing or older than the sources (the bin's own rule); call from beforeAll. */
export function ensureBuilt(): void {
  const r = spawnSync(process.execPath, [BIN, "--help"], { cwd: ROOT, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`CLI build failed (${r.status}): ${r.stderr}`);
}

export type CliRun = { code: number | null; stdout: string; stderr: string };

/** A locale-free environment plus `env`: tests choose LANG themselves. */
function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = { ...process.env };
  for (const k of ["LANG", "LC_ALL", "LC_MESSAGES", "LANGUAGE", "PLAN_LEDGER_DEBUG"]) delete base[k];
  return { ...base, ...env };
}

/** Runs `plan-ledger args…` in `cwd`. */
export function runCli(args: readonly string[], opts: { cwd: string; env?: Record<string, string> }): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: opts.cwd, env: childEnv(opts.env ?? {}) });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (b: Buffer) => out.push(b));
    child.stderr.on("data", (b: Buffer) => err.push(b));
    child.on("error", reject);
    child.on("close", (code) =>
      resolve({
        code,
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8").replace(BUILD_NOTICE, ""),
      }),
    );
  });
}

/** A fresh temporary folder. */
export function tempDir(label: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `plan-ledger-cli-${label}-`));
}

/** Every file in a folder with its bytes' size and mtime, to show that nothing was written or changed. */
export function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of fs.readdirSync(dir).sort()) {
    const st = fs.statSync(path.join(dir, name));
    out[name] = `${st.size}:${st.mtimeMs}`;
  }
  return out;
}

/** Opens a written workbook and recalculates every formula with the offline engine, as Excel does on open. */
export async function openWritten(file: string, now: Date): Promise<WorkbookModel> {
  const model = await importXlsx(new Uint8Array(fs.readFileSync(file)));
  new OfflineHost(model, { now: () => now }).recalculate();
  return model;
}

export function sheetNamed(model: WorkbookModel, name: string): SheetModel {
  const s = model.sheets.find((x) => x.name === name);
  if (!s) throw new Error(`No sheet ${name}; sheets: ${model.sheets.map((x) => x.name).join(", ")}`);
  return s;
}

export function cellAt(sheet: SheetModel, row: number, col: number): Cell | undefined {
  return sheet.rows.get(row)?.get(col);
}

/** A table's body rows (below its header) as computed values. */
export function tableRows(sheet: SheetModel, name: string): { table: TableModel; rows: unknown[][] } {
  const table = sheet.tables.find((t) => t.name === name);
  if (!table)
    throw new Error(`No table ${name} on ${sheet.name}; tables: ${sheet.tables.map((t) => t.name).join(", ")}`);
  const rows: unknown[][] = [];
  for (let r = table.ref.r0 + 1; r <= table.ref.r1; r++) {
    const row: unknown[] = [];
    for (let c = table.ref.c0; c <= table.ref.c1; c++) row.push(cellAt(sheet, r, c)?.value ?? "");
    rows.push(row);
  }
  return { table, rows };
}

/** The values of the row below the cell whose value is `label` (the summary's KPI row sits under its labels). */
export function rowBelow(sheet: SheetModel, label: string): unknown[] {
  for (const [r, row] of sheet.rows) {
    for (const [c, cell] of row) {
      if (cell.value !== label) continue;
      const out: unknown[] = [];
      for (let i = c; i < c + 5; i++) out.push(cellAt(sheet, r + 1, i)?.value);
      return out;
    }
  }
  throw new Error(`No cell ${label} on ${sheet.name}`);
}

export type Json = Record<string, unknown>;

/** Parses stdout, which with --json must be one JSON document and nothing else. */
export function json(run: CliRun): Json {
  return JSON.parse(run.stdout) as Json;
}
