import { periodAssumed } from "../../core/period";
import { cleanText } from "../../core/text";
import type { Field, Lang } from "../../core/types";
import type { PlanPreview } from "../../excel/operations";
import { colToLetters, hasFormula, type SheetModel } from "../../offline";
import { CliError } from "../errors";
import type { PlanConfig } from "../../excel/config";
import type { CommandEnv } from "../io";
import { cliText } from "../messages";
import type { FindingJson, Report } from "../report";
import { readInput } from "../files";
import { terminalLines } from "../terminal";
import { chooseSheet, findPlanSheets, openWorkbook, type Session, type SheetChoice } from "../workbook";

/** What a command returns to main: the exit code (0 ok, 1 check found errors). Failures throw instead (exit 2). */
export type CommandResult = { exitCode: 0 | 1 };

const HAN = /\p{Script=Han}/u;

/**
 * Opens an input workbook and chooses its plan sheet (`sheet`, else the stored or most confident one), noting the
 * sheets there are and the one chosen for the messages of a failure further on.
 */
export async function openPlanSheet(
  env: CommandEnv,
  input: string,
  sheet: string | undefined,
  clock: () => Date,
): Promise<{ s: Session; choice: SheetChoice }> {
  const s = await openWorkbook(readInput(input), env.lang, clock);
  // For messages about a missing or empty sheet, which list the sheets there are.
  env.where.sheets = s.model.sheets.map((x) => x.name);
  const choice = await chooseSheet(s.host, sheet);
  env.where.sheet = choice.sheet;
  const model = s.model.sheets.find((x) => x.name === choice.sheet);
  if (model) checkReadable(input, model);
  return { s, choice };
}

/**
 * Opens an input workbook and lists every plan sheet it has, in tab order (consolidate takes them all). A workbook in
 * which none reads as a plan gives the one sheet {@link openPlanSheet} chooses, so that reading it fails with the
 * same message (no header, the closest rows) as a summary of it would.
 */
export async function openPlanSheets(
  env: CommandEnv,
  input: string,
  clock: () => Date,
): Promise<{ s: Session; sheets: string[] }> {
  const { s, choice } = await openPlanSheet(env, input, undefined, clock);
  const found = (await findPlanSheets(s.host)).plans.map((p) => p.name);
  if (found.length === 0) return { s, sheets: [choice.sheet] };
  for (const name of found) {
    const model = s.model.sheets.find((x) => x.name === name);
    if (model) checkReadable(input, model);
  }
  return { s, sheets: found };
}

/** Index of column XFD, the last of the 16,384 a sheet has (Excel specifications and limits). */
const LAST_COLUMN = 16383;
/** The most cells Excel on the web reads in one request (README, "Shapes and limits"); past it values read as null. */
const MAX_READ_CELLS = 5_000_000;

/**
 * The operations read the plan sheet from A1 to the end of its used range. Two shapes cannot be read, and are refused
 * naming the cell that makes them so: content in column XFD, where the used range spans whole rows and Excel reads
 * the values of whole-row ranges as null (learn.microsoft.com, "Read or write to an unbounded range"); and a used
 * range over {@link MAX_READ_CELLS} cells (a stray value in row 1,048,576), whose values read as null too. Both
 * made src/excel/read.ts fail with "Cannot read properties of null".
 */
function checkReadable(file: string, sheet: SheetModel): void {
  let lastRow = -1;
  let lastCol = -1;
  let far: { r: number; c: number } | undefined;
  let inXfd: number | undefined;
  for (const [r, row] of sheet.rows) {
    for (const [c, cell] of row) {
      if (!hasFormula(cell) && (cell.value === undefined || cell.value === "")) continue;
      if (c === LAST_COLUMN && (inXfd === undefined || r < inXfd)) inXfd = r;
      if (r > lastRow || c > lastCol) far = { r, c };
      lastRow = Math.max(lastRow, r);
      lastCol = Math.max(lastCol, c);
    }
  }
  if (inXfd !== undefined) {
    throw new CliError("error.sheet.lastColumn", { file, sheet: sheet.name, cell: `XFD${inXfd + 1}` });
  }
  const cells = (lastRow + 1) * (lastCol + 1);
  if (far && cells > MAX_READ_CELLS) {
    const cell = colToLetters(far.c) + (far.r + 1);
    throw new CliError("error.sheet.tooLarge", { file, sheet: sheet.name, cell, cells: cells.toLocaleString("en-US") });
  }
}

/**
 * The language of what is written into the workbook: --lang, else the stored configuration's, else zh-CN when the
 * plan's headers are Chinese, else en-US.
 */
export function workbookLang(
  requested: Lang | undefined,
  config: PlanConfig | undefined,
  headers: readonly string[],
): Lang {
  if (requested) return requested;
  if (config) return config.lang;
  return headers.some((h) => HAN.test(h)) ? "zh-CN" : "en-US";
}

/** Clock for the whole run: --as-of, else the moment the command started, so every step sees the same date. */
export function clockFor(asOf: Date | undefined): { now: Date; clock: () => Date } {
  const now = asOf ?? new Date();
  return { now, clock: () => now };
}

export function hasErrors(findings: readonly { severity: string }[]): boolean {
  return findings.some((f) => f.severity === "error");
}

function pct(lang: Lang, share: number | null): string {
  return share === null
    ? cliText(lang, "report.none")
    : new Intl.NumberFormat(lang, { style: "percent", maximumFractionDigits: 1 }).format(share);
}

/** Finding lines for the text report: cell, severity word, message. */
export function findingLines(env: CommandEnv, findings: readonly FindingJson[]): string[] {
  return findings.map((f) =>
    cliText(env.lang, "report.finding", {
      cell: f.cell,
      severity: cliText(env.lang, `severity.${f.severity}`),
      message: f.message,
    }),
  );
}

function counts(findings: readonly FindingJson[]): { errors: number; warnings: number; infos: number } {
  return {
    errors: findings.filter((f) => f.severity === "error").length,
    warnings: findings.filter((f) => f.severity === "warning").length,
    infos: findings.filter((f) => f.severity === "info").length,
  };
}

/**
 * The human-readable report (without --json): what was read, found and written, in the message language. Control
 * characters from the files are escaped (see terminal.ts).
 */
export function textReport(env: CommandEnv, r: Report): string {
  const { lang } = env;
  const lines: string[] = [];
  for (const s of r.sources ?? []) {
    lines.push(
      cliText(lang, "report.source", { file: s.file, sheet: s.sheet, rows: s.rows, findings: s.findings.length }),
    );
  }
  lines.push(cliText(lang, "report.sheet", { file: r.file, sheet: r.sheet }));
  if (r.table) lines.push(cliText(lang, "report.table", { table: r.table }));
  lines.push(cliText(lang, "report.period", { start: r.period.start, end: r.period.end }));
  // An assumed year moves every month, and with it what is overdue: said where the numbers are read, with the remedy.
  if (r.periodSource !== undefined && periodAssumed(r.periodSource))
    lines.push(`  ${cliText(lang, "report.periodAssumed")}`);
  lines.push(cliText(lang, "report.rows", { rows: r.rows }));
  lines.push(cliText(lang, "report.findings", counts(r.findings)));
  for (const l of findingLines(env, r.findings)) lines.push(`  ${l}`);
  if (r.summary) {
    const s = r.summary;
    lines.push(
      cliText(lang, "report.kpis", {
        asOf: s.asOf,
        activities: s.activities,
        completed: s.completed,
        overdue: s.overdue,
        rate: pct(lang, s.rate),
        pace: pct(lang, s.pace),
      }),
    );
  }
  if (r.items) {
    const i = r.items;
    lines.push(cliText(lang, "report.items", { sheet: i.sheet, source: i.source, items: i.items }));
    if (i.added > 0 || i.removed > 0)
      lines.push(cliText(lang, "report.itemsChanged", { added: i.added, removed: i.removed }));
  }
  if (r.summarySheet) lines.push(cliText(lang, "report.summarySheet", { sheet: r.summarySheet }));
  const notCarried = [...(r.sources ?? []).flatMap((s) => s.notCarried.map((n) => `${s.file}: ${n}`)), ...r.notCarried];
  if (notCarried.length) {
    lines.push(cliText(lang, "report.notCarried"));
    for (const n of notCarried) lines.push(`  ${n}`);
  }
  if (r.out) lines.push(cliText(lang, "report.written", { file: r.out }));
  return terminalLines(lines);
}

/** Prints the report: JSON alone on stdout with --json, else the text report. */
export function printReport(env: CommandEnv, json: boolean, report: unknown, text: () => string): void {
  env.progress.end();
  env.io.stdout(json ? JSON.stringify(report, null, 2) + "\n" : text());
}

/**
 * The columns --map names, as a mapping override: a header text (as the preview reads it, spaces and case aside) or a
 * column letter; "" unmaps the field. A name that is neither is refused with the sheet's headers listed (exit 2).
 */
export function resolveMap(
  env: CommandEnv,
  map: Partial<Record<Field, string>>,
  preview: PlanPreview,
): Partial<Record<Field, number | null>> {
  const out: Partial<Record<Field, number | null>> = {};
  const norm = (t: string) => cleanText(t).toLowerCase();
  for (const [field, value] of Object.entries(map) as [Field, string][]) {
    if (value === "") {
      out[field] = null;
      continue;
    }
    const byHeader = preview.headers.find((h) => norm(h.text) === norm(value));
    const byLetter = /^[A-Za-z]{1,3}$/.test(value) ? columnIndex(value) : undefined;
    const col = byHeader?.col ?? byLetter;
    if (col === undefined) {
      throw new CliError("error.map.noColumn", {
        file: env.where.file ?? "",
        sheet: preview.sheet,
        value,
        field,
        headers: preview.headers.map((h) => `${h.letter} ${h.text}`).join(env.lang === "zh-CN" ? "、" : ", "),
      });
    }
    out[field] = col;
  }
  return out;
}

function columnIndex(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}
