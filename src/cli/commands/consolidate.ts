import * as path from "node:path";
import type { Lang, Period } from "../../core/types";
import { consolidatedHeader, sourceRows } from "../../excel/rows";
import type { CliOptions } from "../args";
import { CliError } from "../errors";
import { checkOutput, displayName } from "../files";
import type { CommandEnv } from "../io";
import { cliText } from "../messages";
import { findingsJson, type SourceJson } from "../report";
import { newWorkbook, readPlan, writeSheet, type OutCell } from "../workbook";
import { clockFor, openPlanSheet, workbookLang, type CommandResult } from "./common";
import { saveAndReport, structureAndSummarize } from "./summarize";

/**
 * Merges the plans of several workbooks into one new workbook: a plan sheet with every source's rows and a source
 * column (the file name), structured and summarised like any plan. Sources are only read.
 */
export async function consolidateCommand(env: CommandEnv, o: CliOptions): Promise<CommandResult> {
  const started = performance.now();
  const out = o.out as string;
  const seen = new Set<string>();
  for (const input of o.inputs) {
    const key = path.resolve(input);
    if (seen.has(key)) throw new CliError("error.usage.duplicateInput", { file: input });
    seen.add(key);
  }
  checkOutput(out, o.inputs, o.force);
  const { now, clock } = clockFor(o.asOf);

  const sources: SourceJson[] = [];
  const rows: OutCell[][] = [];
  let lang: Lang | undefined = o.lang;
  const periods: Period[] = [];
  const pending: { file: string; read: Awaited<ReturnType<typeof readPlan>> }[] = [];
  for (const [i, input] of o.inputs.entries()) {
    env.where = { file: input };
    env.progress.say("source", { n: i + 1, total: o.inputs.length, file: input });
    const { s, choice } = await openPlanSheet(env, input, undefined, clock);
    const read = await readPlan(s.host, choice.sheet, { now, fileName: input });
    // The first source decides the language unless --lang does, as a person merging by hand would keep its layout.
    const own = read.meta.config?.sheet === read.meta.name ? read.meta.config : undefined;
    lang ??= workbookLang(undefined, own, read.view.detection.headers);
    periods.push(read.view.period);
    pending.push({ file: input, read });
    sources.push({
      file: input,
      sheet: read.meta.name,
      period: read.view.period,
      rows: read.view.extract.rows.length,
      findings: findingsJson(read.view.extract.findings, env.lang),
      notCarried: s.model.notCarried,
    });
  }
  const wbLang = lang ?? "zh-CN";
  // One period for all: --period-start, else the sources' own when they agree; otherwise the merged months decide.
  const shared = periods.every((p) => p.start === periods[0].start) ? periods[0].start : undefined;
  const periodStart = o.periodStart ?? shared;
  const samePeriod = periodStart !== undefined && periodStart === shared;
  // The file name says which department a row came from (sourceLabel); the path as given only where two names are
  // the same.
  const names = pending.map(({ file }) => displayName(file));
  const label = (i: number) => (names.filter((n) => n === names[i]).length > 1 ? pending[i].file : names[i]);
  for (const [i, { read }] of pending.entries()) {
    // A loop, not push(...rows): spreading 100,000 rows as arguments overflows the stack.
    const ref = { file: label(i), sheet: read.meta.name, onlyPlanSheet: true };
    for (const row of sourceRows(read.view, ref, wbLang, samePeriod)) rows.push(row);
  }

  env.where = { file: out };
  const target = newWorkbook(clock);
  const sheet = cliText(wbLang, "workbook.consolidatedSheet");
  env.where.sheet = sheet;
  env.progress.say("merge", { rows: rows.length });
  await writeSheet(target.host, sheet, [consolidatedHeader(wbLang), ...rows]);
  const result = await structureAndSummarize(env, target, {
    sheet,
    config: undefined,
    lang: wbLang,
    periodStart,
    now,
    fixedAsOf: o.asOf !== undefined,
    started,
  });

  return saveAndReport(env, o, target, out, { file: out, sources }, result, started);
}
