import type { Lang } from "../../core/types";
import type { PlanConfig } from "../../excel/config";
import type { CommandEnv } from "../io";
import { cliText } from "../messages";
import type { FindingJson, Report } from "../report";
import { readInput } from "../files";
import { chooseSheet, openWorkbook, type Session, type SheetChoice } from "../workbook";

/** What a command returns to main: the exit code (0 ok, 1 check found errors). Failures throw instead (exit 2). */
import { terminalLines } from "../terminal";
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
  return { s, choice };
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
  lines.push(cliText(lang, "report.rows", { rows: r.rows }));
  lines.push(cliText(lang, "report.findings", counts(r.findings)));
  lines.push(...findingLines(env, r.findings).map((l) => `  ${l}`));
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
  if (r.summarySheet) lines.push(cliText(lang, "report.summarySheet", { sheet: r.summarySheet }));
  const notCarried = [...(r.sources ?? []).flatMap((s) => s.notCarried.map((n) => `${s.file}: ${n}`)), ...r.notCarried];
  if (notCarried.length) {
    lines.push(cliText(lang, "report.notCarried"));
    lines.push(...notCarried.map((n) => `  ${n}`));
  }
  if (r.out) lines.push(cliText(lang, "report.written", { file: r.out }));
  return terminalLines(lines);
}

/** Prints the report: JSON alone on stdout with --json, else the text report. */
export function printReport(env: CommandEnv, json: boolean, report: unknown, text: () => string): void {
  env.progress.end();
  env.io.stdout(json ? JSON.stringify(report, null, 2) + "\n" : text());
}
