import * as path from "node:path";
import { periodAssumed, periodLength } from "../../core/period";
import { sourceLabel, type SourceRef } from "../../core/source";
import type { Lang, Period } from "../../core/types";
import { consolidatedHeader, sourceRows } from "../../excel/rows";
import type { CliOptions } from "../args";
import { CliError } from "../errors";
import { checkOutput, displayName } from "../files";
import type { CommandEnv } from "../io";
import { cliText } from "../messages";
import { findingsJson, type SourceJson } from "../report";
import { newWorkbook, readPlan, writeSheet, type OutCell } from "../workbook";
import { clockFor, openPlanSheets, workbookLang, type CommandResult } from "./common";
import { saveAndReport, structureAndSummarize } from "./summarize";

/**
 * Merges the plans of several workbooks into one new workbook: a plan sheet with the rows of every plan sheet of every
 * source and a source column (sourceLabel: the file, or file › sheet where a file has several plan sheets), structured
 * and summarised like any plan. Sources are only read.
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
  const pending: {
    ref: SourceRef;
    read: Awaited<ReturnType<typeof readPlan>>;
    /** Reads the source again in a period the others name; only where its own year was assumed. */
    reread?: (periodStart: string) => Promise<Awaited<ReturnType<typeof readPlan>>>;
    input: string;
    json: SourceJson;
  }[] = [];
  // The file name says which department a row came from; the path as given only where two names are the same. The
  // sheet is added where a file has several plan sheets (sourceLabel, the one rule for 来源).
  const names = o.inputs.map((file) => displayName(file));
  const fileLabel = (i: number) => (names.filter((n) => n === names[i]).length > 1 ? o.inputs[i] : names[i]);
  for (const [i, input] of o.inputs.entries()) {
    env.where = { file: input };
    env.progress.say("source", { n: i + 1, total: o.inputs.length, file: input });
    // Every plan sheet of the workbook is a source: a workbook kept as one sheet per department is several returns.
    const { s, sheets } = await openPlanSheets(env, input, clock);
    for (const sheet of sheets) {
      env.where.sheet = sheet;
      const read = await readPlan(s.host, sheet, { now, fileName: input });
      // The first source decides the language unless --lang does, as a person merging by hand would keep its layout.
      const own = read.meta.config?.sheet === read.meta.name ? read.meta.config : undefined;
      lang ??= workbookLang(undefined, own, read.view.detection.headers);
      const ref = { file: fileLabel(i), sheet: read.meta.name, onlyPlanSheet: sheets.length === 1 };
      const json: SourceJson = {
        file: input,
        sheet: read.meta.name,
        label: sourceLabel(ref),
        period: read.view.period,
        rows: read.view.extract.rows.length,
        findings: findingsJson(read.view.extract.findings, env.lang),
        notCarried: s.model.notCarried,
      };
      const host = s.host;
      const reread = periodAssumed(read.view.periodSource)
        ? (periodStart: string) => readPlan(host, sheet, { now, fileName: input, periodStart })
        : undefined;
      pending.push({ ref, read, reread, input, json });
      sources.push(json);
    }
  }
  // A source whose months name no year (a department sheet without a title) is read in the year the others name,
  // when they agree on one, rather than in the running year: 办公室 beside 2025年学会部工作计划 is 2025's too.
  // Only a year counts: a source that is one month's plan (2025年3月) names its month, not the others' year.
  const named = pending.filter((p) => !periodAssumed(p.read.view.periodSource)).map((p) => p.read.view.period);
  const year = named[0]?.start;
  if (
    o.periodStart === undefined &&
    year !== undefined &&
    named.every((p) => periodLength(p) === 12 && p.start === year)
  ) {
    for (const p of pending) {
      if (!p.reread || p.read.view.period.start === year) continue;
      env.where = { file: p.input, sheet: p.ref.sheet };
      p.read = await p.reread(year);
      p.json.period = p.read.view.period;
      p.json.rows = p.read.view.extract.rows.length;
      p.json.findings = findingsJson(p.read.view.extract.findings, env.lang);
    }
  }
  const periods: Period[] = pending.map((p) => p.read.view.period);
  const wbLang = lang ?? "zh-CN";
  // One period for all: --period-start, else the sources' own when they agree; otherwise the merged months decide.
  const shared = periods.every((p) => p.start === periods[0].start) ? periods[0].start : undefined;
  const periodStart = o.periodStart ?? shared;
  const samePeriod = periodStart !== undefined && periodStart === shared;
  for (const { ref, read } of pending) {
    // A loop, not push(...rows): spreading 100,000 rows as arguments overflows the stack. A wide sheet's items are
    // no rows of its grid: their cells are the items' own values.
    for (const row of sourceRows(read.view, ref, wbLang, samePeriod, !read.wide)) rows.push(row);
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
