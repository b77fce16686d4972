import { FIELDS, type Field, type Finding, type Lang } from "../../core/types";
import type { PlanConfig } from "../../excel/config";
import type { CliOptions } from "../args";
import { checkOutput, defaultSummaryOut, writeOutput } from "../files";
import type { CommandEnv } from "../io";
import { changedJson, findingsJson, statsJson, summaryJsonOf, type Report } from "../report";
import { findPlanSheets, saveWorkbook, type Session } from "../workbook";
import {
  clockFor,
  openPlanSheet,
  printReport,
  resolveMap,
  textReport,
  workbookLang,
  type CommandResult,
} from "./common";

/**
 * Structures the plan sheet (unless it already is, for this period and language) and runs the summary operation —
 * what the add-in's steps do — in one operation, whose result carries what the report needs. `stats` count the round
 * trips of structure and summary only: the CLI's own reads (sheet choice) are not something the add-in does.
 */
export async function structureAndSummarize(
  env: CommandEnv,
  s: Session,
  opts: {
    sheet: string;
    /** The stored configuration when it is for `sheet`. */
    config: PlanConfig | undefined;
    lang: Lang;
    periodStart?: string;
    /** Column choices (--map), applied by structuring again. */
    mapping?: Partial<Record<Field, number | null>>;
    now: Date;
    /** True with --as-of: the summary's as-of cell holds that date instead of =TODAY(). */
    fixedAsOf: boolean;
    fileName?: string;
    started: number;
    /** --no-original: structuring keeps no copy of the sheet for `restore`. */
    noOriginal?: boolean;
  },
): Promise<Omit<Report, "file" | "notCarried">> {
  const { ops, host } = s;
  const { config, lang } = opts;
  const restructure =
    !config ||
    opts.mapping !== undefined ||
    (opts.periodStart !== undefined && opts.periodStart !== config.period.start) ||
    lang !== config.lang;
  host.resetStats();
  let findings: Finding[] | undefined;
  let added: Field[] = [];
  let table = config?.table ?? null;
  // One operation: structuring (when needed) and the summary share one reading of the plan.
  const summary = await ops.summarize({
    lang,
    asOf: opts.fixedAsOf ? opts.now : undefined,
    onProgress: env.progress.step,
    restructure: restructure
      ? {
          sheet: opts.sheet,
          periodStart: opts.periodStart,
          mapping: opts.mapping,
          fileName: opts.fileName,
          // The CLI has chosen the workbook's language (--lang, else the stored one, else the headers').
          workbookLang: lang,
          ...(opts.noOriginal ? { keepOriginal: false } : {}),
        }
      : undefined,
  });
  if (summary.structured) {
    // Computed from the sheet before anything was written: the cells are the ones the user left.
    findings = summary.structured.findings;
    added = summary.structured.addedColumns;
    table = summary.structured.table;
  }
  const stats = statsJson(host.stats, opts.started);

  // The operation returns what it read in the same batch: no second reading of a large plan for the report.
  const plan = summary.plan;
  const columns: Partial<Record<Field, string>> = {};
  for (const f of FIELDS) {
    const header = plan.columns[f];
    // Columns structure added (unit, actual, category from section rows …) were not mapped: the user had none.
    if (header !== undefined && !added.includes(f)) columns[f] = header;
  }
  return {
    sheet: plan.sheet,
    table: table ?? plan.table,
    period: plan.period,
    periodSource: plan.periodSource,
    periodEvidence: plan.periodEvidence,
    rows: plan.rows,
    columns,
    // The workbook's other plan sheets are a warning of this summary, beside the plan's own findings.
    findings: findingsJson(
      [...(findings ?? plan.findings), ...(summary.otherPlanSheets ? [summary.otherPlanSheets] : [])],
      env.lang,
    ),
    changedFormulas: (summary.structured?.changedFormulas ?? []).map(changedJson),
    summary: summaryJsonOf(summary.model),
    summarySheet: summary.sheet,
    ...(summary.structured?.items ? { items: summary.structured.items } : {}),
    ...(summary.structured ? { originalKept: summary.structured.originalKept === true } : {}),
    planSheets: summary.planSheets,
    stats,
  };
}

export async function summarizeCommand(env: CommandEnv, o: CliOptions): Promise<CommandResult> {
  const started = performance.now();
  const input = o.inputs[0];
  const out = o.out ?? defaultSummaryOut(input);
  env.where.file = input;
  checkOutput(out, [input], o.force);
  const { now, clock } = clockFor(o.asOf);

  env.progress.say("load", { file: input });
  const { s, choice } = await openPlanSheet(env, input, o.sheet, clock);
  if (o.allSheets && (await findPlanSheets(s.host)).plans.length > 0) {
    const lang = workbookLang(o.lang, choice.config, choice.headers);
    return allSheets(env, o, s, { input, out, now, started, lang });
  }
  const config = choice.config?.sheet === choice.sheet ? choice.config : undefined;
  const mapping = o.map
    ? resolveMap(env, o.map, await s.ops.preview({ sheet: choice.sheet, periodStart: o.periodStart, fileName: input }))
    : undefined;
  const result = await structureAndSummarize(env, s, {
    sheet: choice.sheet,
    config,
    lang: workbookLang(o.lang, config, choice.headers),
    periodStart: o.periodStart,
    mapping,
    now,
    fixedAsOf: o.asOf !== undefined,
    fileName: input,
    started,
    noOriginal: o.noOriginal,
  });

  return saveAndReport(env, o, s, out, { file: input }, result, started);
}

/**
 * summarize --all-sheets: every plan sheet structured as its own table and one summary over them, each sheet a source.
 * The report lists the sources; the findings of every sheet are listed together, each cell named with its sheet. A
 * workbook without a plan sheet is summarised as without the option, so it fails (or not) the same way.
 */
async function allSheets(
  env: CommandEnv,
  o: CliOptions,
  s: Session,
  run: { input: string; out: string; now: Date; started: number; lang: Lang },
): Promise<CommandResult> {
  s.host.resetStats();
  const result = await s.ops.summarizeAll({
    lang: run.lang,
    asOf: o.asOf !== undefined ? run.now : undefined,
    periodStart: o.periodStart,
    workbookLang: run.lang,
    fileName: run.input,
    onProgress: env.progress.step,
    ...(o.noOriginal ? { keepOriginal: false } : {}),
  });
  const stats = statsJson(s.host.stats, run.started);
  const findings = result.sources.flatMap((src) =>
    findingsJson(src.findings, env.lang).map((f) => ({ ...f, cell: `${src.sheet}!${f.cell}` })),
  );
  return saveAndReport(
    env,
    o,
    s,
    run.out,
    {
      file: run.input,
      sources: result.sources.map((src) => ({
        file: run.input,
        sheet: src.sheet,
        label: src.label,
        table: src.table,
        period: src.period,
        rows: src.rows,
        findings: findingsJson(src.findings, env.lang),
        notCarried: [],
        originalKept: src.structured.originalKept === true,
      })),
    },
    {
      // The plan sheets it read, as the text report's "plan sheet" line names them.
      sheet: result.sources.map((src) => src.sheet).join(env.lang === "zh-CN" ? "、" : ", "),
      table: null,
      period: result.period,
      rows: result.sources.reduce((n, src) => n + src.rows, 0),
      columns: {},
      findings,
      summary: summaryJsonOf(result.model),
      summarySheet: result.sheet,
      planSheets: result.sources.map((src) => src.sheet),
      stats,
    },
    run.started,
  );
}

/** Writes the workbook to `out` (never over an input) and prints the report of a structure-and-summarise run. */
export async function saveAndReport(
  env: CommandEnv,
  o: CliOptions,
  s: Session,
  out: string,
  head: Pick<Report, "file" | "sources">,
  result: Omit<Report, "file" | "notCarried">,
  started: number,
): Promise<CommandResult> {
  env.progress.say("write", { file: out });
  await writeOutput(out, await saveWorkbook(s), o.force);
  const report: Report = {
    ...head,
    out,
    ...result,
    stats: { ...result.stats, ms: Math.round(performance.now() - started) },
    notCarried: s.model.notCarried,
  };
  printReport(env, o.json, report, () => textReport(env, report));
  return { exitCode: 0 };
}
