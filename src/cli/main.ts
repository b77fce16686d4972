/**
 * plan-ledger: the add-in's operations on .xlsx files, headless (issue 7), and written plans → plan rows (issue 9).
 * Runs the same Excel code as the add-in over the offline host. Exit codes: 0 ok, 1 check found errors, 2 bad input
 * or failure (one line on stderr; nothing written).
 */
import { parseArgs, type Command, type CliOptions } from "./args";
import { checkCommand } from "./commands/check";
import type { CommandResult } from "./commands/common";
import { consolidateCommand } from "./commands/consolidate";
import { importCommand } from "./commands/import";
import { restoreCommand } from "./commands/restore";
import { summarizeCommand } from "./commands/summarize";
import { describeCliError } from "./errors";
import { removeTempsOnSignals } from "./files";
import { Progress, type CliIO, type CommandEnv } from "./io";
import { cliText, envLang } from "./messages";
import { terminalSafe } from "./terminal";
import type { Lang } from "../core/types";
import { setFlagsFromString } from "node:v8";

const COMMAND_RUNNERS: Record<Command, (env: CommandEnv, o: CliOptions) => Promise<CommandResult>> = {
  summarize: summarizeCommand,
  check: checkCommand,
  consolidate: consolidateCommand,
  import: importCommand,
  restore: restoreCommand,
};

/** Runs one command line; returns the exit code. Never throws: every failure becomes one line on stderr and 2. */
export async function main(argv: readonly string[], io: CliIO): Promise<number> {
  // Until the arguments are read, messages follow the environment; a --lang given anywhere applies even to a usage
  // error about another option.
  const langArg = argv.findIndex((a) => a === "--lang" || a.startsWith("--lang="));
  const early = langArg >= 0 ? (argv[langArg].split("=")[1] ?? argv[langArg + 1] ?? "") : "";
  let lang: Lang = /^zh/i.test(early) ? "zh-CN" : /^en/i.test(early) ? "en-US" : envLang(io.env);
  const env: CommandEnv = { io, lang, progress: Progress.for(io, lang, false), where: {} };
  try {
    const parsed = parseArgs(argv);
    if (parsed.kind === "help") {
      io.stdout(cliText(lang, parsed.command ? `help.${parsed.command}` : "help") + "\n");
      return 0;
    }
    const o = parsed.options;
    lang = o.lang ?? lang;
    env.lang = lang;
    env.progress = Progress.for(io, lang, o.progress);
    const result = await COMMAND_RUNNERS[o.command](env, o);
    return result.exitCode;
  } catch (e) {
    env.progress.end();
    io.stderr(terminalSafe(describeCliError(e, env.lang, env.where)) + "\n");
    if (io.env.PLAN_LEDGER_DEBUG && e instanceof Error && e.stack) io.stderr(e.stack + "\n");
    return 2;
  }
}

/**
 * How far past what was live at its last full collection V8 lets the heap grow before the next one, in percent (V8's
 * --heap-growing-percent, read at each collection). With memory to spare V8 allows up to four times: a command holds
 * one large workbook (a 50,000-row plan is about 130 MB of model) and makes hundreds of MB of short-lived arrays
 * between collections, so `summarize` of 50,000 rows peaked at ~510 MB where the work fits in ~370 MB. Measured side
 * by side (issue 18): 365–378 MB at 50 %, 389–393 MB at 100 %, 509–520 MB without; CPU time within the machine's
 * noise (11.6–12.5 s user at 50 %, 10.9–11.8 s without). Node warns that flags changed after start may do nothing:
 * this one is read when a collection sizes the heap, and set before the command reads anything.
 */
const HEAP_GROWING_PERCENT = 50;

/** The process entry: real stdout/stderr, then the exit code once the output has been flushed. */
export function run(): void {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  // A reader that stops early (`… --json | head`) closes the pipe: that ends the run, it is not a failure to report.
  process.stdout.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code !== "EPIPE") throw e;
    process.exit(process.exitCode ?? 0);
  });
  const io: CliIO = {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    stderrIsTTY: process.stderr.isTTY === true,
    env: process.env,
  };
  // Ctrl-C or a kill while an output is being written must not leave its temporary file behind.
  removeTempsOnSignals((file, why) =>
    process.stderr.write(
      terminalSafe(cliText(envLang(process.env), "error.out.tempLeft", { file, reason: why })) + "\n",
    ),
  );
  main(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      // main() catches everything; reaching here is a bug in the error path itself, reported as such.
      process.stderr.write(`plan-ledger: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = 2;
    },
  );
}

if (require.main === module) run();
