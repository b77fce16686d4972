/**
 * Reads a written plan (import) with bounds: the text is parsed in a worker thread that is stopped past a time and a
 * memory limit, so no text (a line of 32,000 digits takes the parser minutes) can hang or exhaust the command.
 */
import * as path from "node:path";
import { Worker } from "node:worker_threads";
import { inferPeriod, periodFromStart } from "../core/period";
import { isMonthKey } from "../core/summary";
import { parseTextPlan, type TextPlanResult } from "../core/textplan";
import type { Period } from "../core/types";
import { CliError } from "./errors";
import { megabytes } from "./files";

/** What reading a written plan gives. */
export type WrittenPlan = { period: Period; parsed: TextPlanResult };

/**
 * Reads a written plan in this thread. The period is --period-start; else a year in the title lines; else the order
 * of its month headings (a plan whose months run 9, 11, 12, 3 … is a school year starting in September), found by a
 * first parse. That first parse is the answer when the period it assumed is the one inferred (a title with a year,
 * the usual case): parsing twice doubled the time of a large import.
 */
export function readWrittenPlan(text: string, periodStart: string | undefined, now: Date): WrittenPlan {
  if (periodStart) {
    const period = periodFromStart(periodStart);
    return { period, parsed: parseTextPlan(text, { period }) };
  }
  const titleTexts = text
    .split(/\r\n|\r|\n/)
    .map((l) => l.trim())
    .filter((l) => l !== "")
    .slice(0, 3);
  const guess = inferPeriod({ titleTexts, today: now }).period;
  const first = parseTextPlan(text, { period: guess });
  // Month numbers only, in text order: the first parse's years are guesses from the default period, so only the
  // order (9, 11, 12, 3 …: a school year) is evidence.
  const monthCells = first.rows
    .map((r) => r.bucket)
    .filter((b) => isMonthKey(b))
    .map((b) => `${Number(b.slice(5))}月`);
  const period = inferPeriod({ titleTexts, monthCells, chronological: true, today: now }).period;
  if (period.start === guess.start && period.end === guess.end) return { period, parsed: first };
  return { period, parsed: parseTextPlan(text, { period }) };
}

/** Texts of more lines than this are refused before reading: a plan has tens to thousands of items. */
export const MAX_LINES = 100_000;
/** Written plans are refused past this size (a 100,000-item plan is about 8 MB of UTF-8). */
export const MAX_TEXT_BYTES = 16 * 1024 * 1024;
/**
 * Time and heap the reading may take. 99,000 items took 17.5 s of CPU for the whole import, 45 s of wall time at a
 * load average of 6 on 2 cores (measured). A line of 32,000 digits took 28 s until the quantity pattern stopped
 * trying every digit as a number's start (0.3 s now); the limit cuts short whatever else reads slowly.
 */
const READ_SECONDS = 30;

/**
 * The reading's time limit in seconds: {@link READ_SECONDS}, or PLAN_LEDGER_READ_SECONDS when set to a positive number
 * (a slower machine's operator may raise it; the tests lower it to reach the refusal without a text that is slow on
 * purpose).
 */
export function readSeconds(env: NodeJS.ProcessEnv = process.env): number {
  const v = Number(env.PLAN_LEDGER_READ_SECONDS);
  return env.PLAN_LEDGER_READ_SECONDS !== undefined && Number.isFinite(v) && v > 0 ? v : READ_SECONDS;
}
const READ_HEAP_MB = 768;
/** A line this long is named when the reading is too slow; plan items are tens to hundreds of characters. */
const LONG_LINE = 2000;

/**
 * The refusal when reading passes its time limit ({@link readSeconds}): it names the longest line when that line is thousands of
 * characters long (the parser is slow on those); otherwise the time went on the number of lines.
 */
export function slowReading(
  file: string,
  lines: readonly string[],
  count: number,
  seconds: number = READ_SECONDS,
): CliError {
  const longest = lines.reduce((best, l, i) => (l.length > lines[best].length ? i : best), 0);
  const params = { file, seconds, lines: count };
  return lines[longest].length >= LONG_LINE
    ? new CliError("error.import.tooSlow", { ...params, line: longest + 1, length: lines[longest].length })
    : new CliError("error.import.tooSlowLines", params);
}

/**
 * Reads a written plan in a worker thread, within {@link readSeconds} and {@link READ_HEAP_MB}; throws a CliError
 * naming `file` when the text has too many lines or the reading passes a limit.
 */
export async function readWrittenPlanBounded(
  file: string,
  text: string,
  periodStart: string | undefined,
  now: Date,
): Promise<WrittenPlan> {
  const lines = text.split(/\r\n|\r|\n/);
  const count = lines.filter((l) => l.trim() !== "").length;
  if (count > MAX_LINES) throw new CliError("error.import.tooManyLines", { file, lines: count, limit: MAX_LINES });
  const worker = new Worker(path.join(__dirname, "written-plan-worker.js"), {
    workerData: { text, periodStart, now: now.getTime() },
    resourceLimits: { maxOldGenerationSizeMb: READ_HEAP_MB },
    stdout: true,
    stderr: true,
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    return await new Promise<WrittenPlan>((resolve, reject) => {
      const seconds = readSeconds();
      timer = setTimeout(() => reject(slowReading(file, lines, count, seconds)), seconds * 1000);
      worker.once("message", (result: WrittenPlan) => resolve(result));
      worker.once("error", (e: Error & { code?: string }) => {
        if (e.code === "ERR_WORKER_OUT_OF_MEMORY") {
          reject(new CliError("error.import.tooMuchMemory", { file, limit: megabytes(READ_HEAP_MB * 1024 * 1024) }));
        } else reject(e);
      });
      worker.once("exit", (code) => reject(new Error(`the reader stopped (exit ${code})`)));
    });
  } finally {
    clearTimeout(timer);
    await worker.terminate();
  }
}
