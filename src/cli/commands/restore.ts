import type { CliOptions } from "../args";
import { checkOutput, writeOutput } from "../files";
import type { CommandEnv } from "../io";
import { cliText } from "../messages";
import { statsJson } from "../report";
import { terminalLines } from "../terminal";
import { openWorkbook, saveWorkbook } from "../workbook";
import { readInput } from "../files";
import { clockFor, printReport, type CommandResult } from "./common";

/**
 * Puts a plan sheet back as it was before Plan Ledger first changed it (the original kept on a very hidden sheet) and
 * removes what Plan Ledger added; writes the result to --out. A workbook Plan Ledger never changed is refused (exit 2)
 * and nothing is written.
 */
export async function restoreCommand(env: CommandEnv, o: CliOptions): Promise<CommandResult> {
  const started = performance.now();
  const input = o.inputs[0];
  env.where.file = input;
  if (!o.out) throw new Error("restore without --out"); // parseArgs refuses it first
  checkOutput(o.out, [input], o.force);
  const { clock } = clockFor(o.asOf);

  env.progress.say("load", { file: input });
  const s = await openWorkbook(readInput(input), env.lang, clock);
  env.where.sheets = s.model.sheets.filter((x) => x.visibility === "Visible").map((x) => x.name);
  if (o.sheet) env.where.sheet = o.sheet;
  s.host.resetStats();
  env.progress.say("restore");
  const result = await s.ops.restore({ sheet: o.sheet });
  const stats = statsJson(s.host.stats, started);
  env.progress.say("write", { file: o.out });
  await writeOutput(o.out, await saveWorkbook(s), o.force);
  const report = {
    file: input,
    out: o.out,
    ...result,
    stats: { ...stats, ms: Math.round(performance.now() - started) },
    notCarried: s.model.notCarried,
  };
  printReport(env, o.json, report, () => {
    const lang = env.lang;
    const list = (xs: readonly string[]) => xs.join(lang === "zh-CN" ? "、" : ", ");
    const lines = [cliText(lang, "restore.done", { sheet: result.sheet, rows: result.rows, columns: result.columns })];
    const removed = [...result.removedSheets, ...result.removedTables];
    if (removed.length > 0 || result.removedNames > 0) {
      lines.push(cliText(lang, "restore.removed", { items: list(removed), names: result.removedNames }));
    }
    lines.push(cliText(lang, "report.written", { file: o.out ?? "" }));
    return terminalLines(lines);
  });
  return { exitCode: 0 };
}
