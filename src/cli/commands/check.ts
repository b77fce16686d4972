import type { CliOptions } from "../args";
import type { CommandEnv } from "../io";
import { columnsJson, findingsJson, statsJson, type Report } from "../report";
import { readPlan } from "../workbook";
import { clockFor, hasErrors, openPlanSheet, printReport, textReport, type CommandResult } from "./common";

/** Lists the plan's findings; reads only and writes nothing. Exit code 1 when a finding is an error. */
export async function checkCommand(env: CommandEnv, o: CliOptions): Promise<CommandResult> {
  const started = performance.now();
  const input = o.inputs[0];
  env.where.file = input;
  const { now, clock } = clockFor(o.asOf);

  env.progress.say("load", { file: input });
  const { s, choice } = await openPlanSheet(env, input, o.sheet, clock);
  s.host.resetStats();
  env.progress.step("read");
  const preview = await s.ops.preview({ sheet: choice.sheet, periodStart: o.periodStart });
  // The check operation reads with the stored or inferred period and has no period option; with --period-start the
  // plan is read the way check reads it, with that period.
  const findings =
    o.periodStart === undefined
      ? (await s.ops.check({ sheet: preview.sheet })).findings
      : (await readPlan(s.host, preview.sheet, { periodStart: o.periodStart, now })).view.extract.findings;
  const report: Report = {
    file: input,
    sheet: preview.sheet,
    table: preview.structured && choice.config ? choice.config.table : null,
    period: preview.period,
    rows: preview.rows,
    columns: columnsJson(preview),
    findings: findingsJson(findings, env.lang),
    stats: statsJson(s.host.stats, started),
    notCarried: s.model.notCarried,
  };
  printReport(env, o.json, report, () => textReport(env, report));
  return { exitCode: hasErrors(findings) ? 1 : 0 };
}
