import type { TextPlanFinding, TextPlanRow } from "../../core/textplan";
import type { Bucket, Lang, Period } from "../../core/types";
import type { CliOptions } from "../args";
import { CliError } from "../errors";
import { checkOutput, readInput, writeOutput } from "../files";
import type { CommandEnv } from "../io";
import { cliText } from "../messages";
import { terminalLines } from "../terminal";
import { planCells, planHeader } from "../plangrid";
import { findingsJson, statsJson, type FindingJson } from "../report";
import { newWorkbook, saveWorkbook, writeSheet, type OutCell } from "../workbook";
import { MAX_TEXT_BYTES, readWrittenPlanBounded } from "../written-plan";
import { clockFor, findingLines, hasErrors, printReport, type CommandResult } from "./common";

/** The columns of the plan sheet `import --out` writes; status is left to the structure step's computed column. */
const IMPORT_FIELDS = ["month", "activity", "owner", "category", "unit", "target", "actual", "notes"] as const;

const HAN = /\p{Script=Han}/u;

/** Characters an Excel cell holds (Excel specifications and limits). */
const MAX_CELL_TEXT = 32767;

export type ImportRowJson = {
  month: Bucket | null;
  activity: string;
  owner: string;
  coOwners: string[];
  target: number | null;
  unit: string;
  category: string;
  notes: string;
  source: string;
  line: number;
};

export type ImportFindingJson = {
  line: number;
  field: string | null;
  severity: TextPlanFinding["severity"];
  code: TextPlanFinding["code"];
  value: string;
  message: string;
};

/**
 * Text bytes as a string: a BOM decides (UTF-8, UTF-16LE/BE); otherwise UTF-8, and GB18030 when the bytes are not
 * valid UTF-8 — plans saved from Notepad or WPS on Chinese Windows are often in that encoding.
 */
export function decodeText(bytes: Uint8Array): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)
    return new TextDecoder("utf-8").decode(bytes.subarray(3));
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder("utf-16le").decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder("utf-16be").decode(bytes.subarray(2));
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch (e) {
    if (!(e instanceof TypeError)) throw e;
    return new TextDecoder("gb18030").decode(bytes);
  }
}

function rowJson(r: TextPlanRow): ImportRowJson {
  return {
    month: r.bucket,
    activity: r.activity,
    owner: r.owner,
    coOwners: r.coOwners,
    target: r.target,
    unit: r.unit,
    category: r.category,
    notes: r.notes,
    source: r.source,
    line: r.line,
  };
}

function findingJson(f: TextPlanFinding, lang: Lang): ImportFindingJson {
  return { line: f.line, field: f.field, severity: f.severity, code: f.code, value: f.value, message: f.message[lang] };
}

/**
 * `import <plan.txt>`: a written plan → plan rows (issue 9). Prints the rows; with --out also writes a workbook with a
 * plan sheet (header in the workbook's language) and structures it. Exit code 1 when a finding is an error (no items).
 */
export async function importCommand(env: CommandEnv, o: CliOptions): Promise<CommandResult> {
  const started = performance.now();
  const input = o.inputs[0];
  env.where.file = input;
  if (o.out) checkOutput(o.out, [input], o.force);
  const { now, clock } = clockFor(o.asOf);

  env.progress.say("parse", { file: input });
  const text = decodeText(readInput(input, MAX_TEXT_BYTES));
  const { period, parsed } = await readWrittenPlanBounded(input, text, o.periodStart, now);
  const findings = parsed.findings.map((f) => findingJson(f, env.lang));
  const report: {
    file: string;
    period: Period;
    rows: ImportRowJson[];
    findings: ImportFindingJson[];
    out?: string;
    sheet?: string;
    table?: string;
    sheetFindings?: FindingJson[];
    stats?: ReturnType<typeof statsJson>;
  } = { file: input, period, rows: parsed.rows.map(rowJson), findings };

  if (o.out) {
    if (parsed.rows.length === 0) throw new CliError("error.import.noRows", { file: input });
    const lang: Lang = o.lang ?? (HAN.test(text) ? "zh-CN" : "en-US");
    const s = newWorkbook(clock);
    const sheet = cliText(lang, "workbook.importSheet");
    env.where = { file: o.out, sheet };
    const grid: OutCell[][] = [planHeader(lang, IMPORT_FIELDS)];
    for (const row of parsed.rows) {
      const cells = planCells({ row, samePeriod: true }, lang, IMPORT_FIELDS);
      const long = cells.find((c) => typeof c === "string" && c.length > MAX_CELL_TEXT);
      if (typeof long === "string") {
        throw new CliError("error.import.cellTooLong", { file: input, line: row.line, length: long.length });
      }
      grid.push(cells);
    }
    await writeSheet(s.host, sheet, grid);
    s.host.resetStats();
    const result = await s.ops.structure({
      sheet,
      lang,
      workbookLang: lang,
      periodStart: period.start,
      onProgress: env.progress.step,
    });
    report.stats = statsJson(s.host.stats, started);
    env.progress.say("write", { file: o.out });
    await writeOutput(o.out, await saveWorkbook(s), o.force);
    Object.assign(report, {
      out: o.out,
      sheet: result.sheet,
      table: result.table,
      sheetFindings: findingsJson(result.findings, env.lang),
    });
  }

  printReport(env, o.json, report, () => {
    const lines = report.rows.map((r) =>
      cliText(env.lang, "import.row", {
        line: r.line,
        month: r.month ?? "-",
        activity: r.activity,
        owner: r.owner || "-",
        quantity: r.target === null ? "" : `${r.target}${r.unit}`,
      }),
    );
    for (const f of findings) {
      lines.push(
        cliText(env.lang, "report.finding", {
          severity: cliText(env.lang, `severity.${f.severity}`),
          message: f.message,
        }),
      );
    }
    for (const l of findingLines(env, report.sheetFindings ?? [])) lines.push(l);
    lines.push(cliText(env.lang, "import.total", { rows: report.rows.length, findings: findings.length }));
    if (report.out) lines.push(cliText(env.lang, "report.written", { file: report.out }));
    return terminalLines(lines);
  });
  return { exitCode: hasErrors(findings) ? 1 : 0 };
}
