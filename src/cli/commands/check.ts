import type { CliOptions } from "../args";
import type { CommandEnv } from "../io";
import { changedJson, columnsJson, findingsJson, statsJson, type Report } from "../report";
import { clockFor, hasErrors, openPlanSheet, printReport, resolveMap, textReport, type CommandResult } from "./common";

/** Lists the plan's findings; reads only and writes nothing. Exit code 1 when a finding is an error. */
export async function checkCommand(env: CommandEnv, o: CliOptions): Promise<CommandResult> {
  const started = performance.now();
  const input = o.inputs[0];
  env.where.file = input;
  const { clock } = clockFor(o.asOf);

  env.progress.say("load", { file: input });
  const { s, choice } = await openPlanSheet(env, input, o.sheet, clock);
  s.host.resetStats();
  env.progress.step("read");
  const fileName = input;
  const first = await s.ops.preview({ sheet: choice.sheet, periodStart: o.periodStart, fileName });
  const mapping = o.map ? resolveMap(env, o.map, first) : undefined;
  const preview = mapping
    ? await s.ops.preview({ sheet: choice.sheet, periodStart: o.periodStart, fileName, mapping })
    : first;
  const { findings } = await s.ops.check({ sheet: preview.sheet, periodStart: o.periodStart, mapping, fileName });
  const report: Report = {
    file: input,
    sheet: preview.sheet,
    table: preview.structured && choice.config ? choice.config.table : null,
    period: preview.period,
    periodSource: preview.periodSource,
    periodEvidence: preview.periodEvidence,
    rows: preview.rows,
    columns: columnsJson(preview),
    findings: findingsJson(findings, env.lang),
    changedFormulas: preview.changedFormulas.map(changedJson),
    stats: statsJson(s.host.stats, started),
    notCarried: s.model.notCarried,
  };
  printReport(env, o.json, report, () => textReport(env, report));
  return { exitCode: hasErrors(findings) ? 1 : 0 };
}
