import type { Lang } from "../core/types";
import type { StepKey } from "../excel/operations";
import type { ErrorContext } from "./errors";
import { cliText, type Params } from "./messages";
import { terminalSafe } from "./terminal";

/** Where a command writes: stdout for the report (JSON alone with --json), stderr for progress and errors. */
export type CliIO = {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** stderr is a terminal: progress is shown by default and redrawn on one line. */
  stderrIsTTY: boolean;
  env: Readonly<Record<string, string | undefined>>;
};

/**
 * Context every command gets: the message language, the IO, the progress reporter, and `where`, which the command
 * keeps current (file, sheet) so that an error message names what was being worked on.
 */
export type CommandEnv = { io: CliIO; lang: Lang; progress: Progress; where: ErrorContext };

/**
 * Progress on stderr. On a terminal each step replaces the previous one on a single line and the line is cleared at
 * the end; with --progress and no terminal (logs, CI) each step is its own line; otherwise nothing is printed, so
 * scripts see only errors on stderr.
 */
export class Progress {
  private shown = false;

  constructor(
    private readonly io: CliIO,
    private readonly lang: Lang,
    private readonly mode: "off" | "tty" | "lines",
  ) {}

  static for(io: CliIO, lang: Lang, requested: boolean | undefined): Progress {
    const on = requested ?? io.stderrIsTTY;
    return new Progress(io, lang, !on ? "off" : io.stderrIsTTY ? "tty" : "lines");
  }

  /** Shows a cli catalog message (`progress.<key>`). */
  say(key: string, params: Params = {}): void {
    if (this.mode === "off") return;
    const text = terminalSafe(cliText(this.lang, `progress.${key}`, params));
    if (this.mode === "tty") {
      this.io.stderr(`\r\x1b[K${text}`);
      this.shown = true;
    } else this.io.stderr(`${text}\n`);
  }

  /** The operations' step callback. */
  readonly step = (step: StepKey): void => this.say(`step.${step}`);

  /** Clears the terminal line before anything else is printed. */
  end(): void {
    if (this.mode === "tty" && this.shown) this.io.stderr("\r\x1b[K");
    this.shown = false;
  }
}
