import * as fs from "node:fs";
import * as path from "node:path";
import { CliError } from "./errors";

/**
 * Inputs larger than this are refused before they are read: a workbook is held in memory whole, and its parts may
 * inflate to 384 MB more (the zip reader's cap). A 50,000-row plan is 3–10 MB.
 */
export const MAX_WORKBOOK_BYTES = 200 * 1024 * 1024;

/**
 * Reads an input file of at most `limit` bytes. A missing file, a folder, a pipe or device (reading a FIFO would wait
 * for a writer forever), a file over the limit or an unreadable one is a CliError naming it.
 */
export function readInput(file: string, limit = MAX_WORKBOOK_BYTES): Uint8Array {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (e) {
    if (errnoCode(e) === "ENOENT" || errnoCode(e) === "ENOTDIR") throw new CliError("error.file.missing", { file });
    throw new CliError("error.file.unreadable", { file, reason: reason(e) });
  }
  if (stat.isDirectory()) throw new CliError("error.file.notFile", { file });
  if (!stat.isFile()) throw new CliError("error.file.notRegular", { file });
  if (stat.size > limit) throw tooLarge(file, stat.size, limit);
  let fd: number | undefined;
  try {
    // Non-blocking, so that a file swapped for a pipe after the check above does not hang the open.
    fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
    const opened = fs.fstatSync(fd);
    if (!opened.isFile()) throw new CliError("error.file.notRegular", { file });
    // Read to the end, never past limit + 1 bytes: the file may have grown since it was measured.
    let buf = new Uint8Array(Math.min(opened.size, limit) + 1);
    let n = 0;
    for (;;) {
      const got = fs.readSync(fd, buf, n, buf.length - n, null);
      if (got === 0) break;
      n += got;
      if (n > limit) throw tooLarge(file, n, limit);
      if (n === buf.length) {
        const grown = new Uint8Array(Math.min(buf.length * 2, limit + 1));
        grown.set(buf);
        buf = grown;
      }
    }
    return buf.subarray(0, n);
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError("error.file.unreadable", { file, reason: reason(e) });
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

function tooLarge(file: string, size: number, limit: number): CliError {
  return new CliError("error.file.tooLarge", { file, size: megabytes(size), limit: megabytes(limit) });
}

/** "12.3 MB" (1 MB = 1,048,576 bytes). */
export function megabytes(bytes: number): string {
  return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
}

/** The same file on disk (symlinks and "./a/../a" resolved); false when `b` does not exist. */
function sameFile(a: string, b: string): boolean {
  try {
    const sa = fs.statSync(a);
    const sb = fs.statSync(b);
    return sa.dev === sb.dev && sa.ino === sb.ino;
  } catch (e) {
    if (errnoCode(e) === "ENOENT") return false;
    throw e;
  }
}

/**
 * Checks an output path before any work is done, so a long run does not end in "cannot write": never an input
 * (not even with --force), an existing file only with --force, and its folder must exist and be writable.
 */
export function checkOutput(out: string, inputs: readonly string[], force: boolean): void {
  if (inputs.some((input) => sameFile(input, out) || path.resolve(input) === path.resolve(out))) {
    throw new CliError("error.out.isInput", { file: out });
  }
  let exists = false;
  try {
    const stat = fs.statSync(out);
    exists = true;
    if (!stat.isFile()) throw new CliError("error.out.notFile", { file: out });
  } catch (e) {
    if (e instanceof CliError) throw e;
    if (errnoCode(e) !== "ENOENT") throw new CliError("error.out.unwritable", { file: out, reason: reason(e) });
  }
  if (exists && !force) throw new CliError("error.out.exists", { file: out });
  const dir = path.dirname(path.resolve(out));
  let dirStat: fs.Stats;
  try {
    dirStat = fs.statSync(dir);
  } catch (e) {
    if (errnoCode(e) === "ENOENT" || errnoCode(e) === "ENOTDIR") {
      throw new CliError("error.out.dirMissing", { file: out, dir });
    }
    throw new CliError("error.out.unwritable", { file: out, reason: reason(e) });
  }
  if (!dirStat.isDirectory()) throw new CliError("error.out.dirMissing", { file: out, dir });
  try {
    fs.accessSync(dir, fs.constants.W_OK);
  } catch (e) {
    throw new CliError("error.out.unwritable", { file: out, reason: reason(e) });
  }
}

/** Temporary files this process is writing; removed when it is stopped by a signal. */
const temps = new Set<string>();

/** Bytes written per call: each call is a turn of the event loop, where a signal can be handled. */
const WRITE_CHUNK = 1024 * 1024;

/**
 * Writes through a temporary file beside the target and renames it into place, so a failure (or a crash) never
 * leaves a half-written output and an existing file is replaced in one step. The temporary file is removed on every
 * error and, through {@link removeTempsOnSignals}, when the process is interrupted. Call {@link checkOutput} first.
 */
export async function writeOutput(out: string, bytes: Uint8Array, force: boolean): Promise<void> {
  const dir = path.dirname(path.resolve(out));
  const tmp = path.join(dir, `.${path.basename(out)}.${process.pid}.tmp`);
  let fd: number | undefined;
  try {
    // "wx": never write through a leftover temporary file or a link someone placed there. Created synchronously and
    // only then recorded: a signal handled while the creation was still running in the background would find no file
    // to remove, and the file would appear after it.
    fd = fs.openSync(tmp, "wx");
    temps.add(tmp);
    for (let at = 0; at < bytes.length; at += WRITE_CHUNK) {
      await writeChunk(fd, bytes, at, Math.min(WRITE_CHUNK, bytes.length - at));
    }
    // On disk before the rename: after a power loss the output is the old file or the new one, never an empty one.
    await new Promise<void>((resolve, reject) => fs.fsync(fd!, (e) => (e ? reject(e) : resolve())));
    const closing = fd;
    fd = undefined;
    fs.closeSync(closing);
    // Checked again at the last moment: the output may have appeared while the workbook was being built.
    if (!force && fs.existsSync(out)) throw new CliError("error.out.exists", { file: out });
    fs.renameSync(tmp, out);
  } catch (e) {
    const notes: string[] = [];
    if (fd !== undefined) {
      try {
        fs.closeSync(fd);
      } catch (closeError) {
        notes.push(reason(closeError));
      }
    }
    // Not ours to remove when the exclusive create failed: the file there is someone else's.
    const left = temps.has(tmp) ? removeTemp(tmp) : undefined;
    if (left !== undefined) notes.push(`${tmp}: ${left}`);
    if (e instanceof CliError && notes.length === 0) throw e;
    const why = e instanceof CliError ? String(e.params.reason ?? e.key) : reason(e);
    throw new CliError("error.out.unwritable", { file: out, reason: [why, ...notes].join("; ") });
  } finally {
    temps.delete(tmp);
  }
}

function writeChunk(fd: number, bytes: Uint8Array, at: number, length: number): Promise<void> {
  return new Promise((resolve, reject) =>
    fs.write(fd, bytes, at, length, at, (e, written) => {
      if (e) reject(e);
      // A short write (a full disk) continues where it stopped.
      else if (written < length) writeChunk(fd, bytes, at + written, length - written).then(resolve, reject);
      else resolve();
    }),
  );
}

/** Removes a temporary file; the reason it could not be removed, or undefined when it is gone. */
function removeTemp(file: string): string | undefined {
  try {
    fs.unlinkSync(file);
    return undefined;
  } catch (e) {
    return errnoCode(e) === "ENOENT" ? undefined : reason(e);
  }
}

const SIGNALS: readonly NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];

/**
 * On SIGINT, SIGTERM or SIGHUP: removes the temporary files being written (`report` gets a line for each that
 * cannot be removed), then ends the process by the same signal, as if no handler had been installed, so the shell
 * sees the usual status (130 for Ctrl-C). Node's default for these signals ends the process at once, in the middle
 * of a write, leaving `.NAME.xlsx.PID.tmp` behind.
 */
export function removeTempsOnSignals(report: (file: string, why: string) => void): void {
  const handler = (signal: NodeJS.Signals) => {
    for (const tmp of temps) {
      const left = removeTemp(tmp);
      if (left !== undefined) report(tmp, left);
    }
    temps.clear();
    for (const s of SIGNALS) process.removeListener(s, handler);
    process.kill(process.pid, signal);
  };
  for (const s of SIGNALS) process.on(s, handler);
}

/** The default summary output: `<name>.summary.xlsx` beside the input. */
export function defaultSummaryOut(input: string): string {
  const parsed = path.parse(input);
  const stem = /\.xls[xm]?$/i.test(parsed.base) ? parsed.name : parsed.base;
  return path.join(parsed.dir, `${stem}.summary.xlsx`);
}

/** The file name shown in reports and the consolidated source column. */
export function displayName(file: string): string {
  return path.basename(file);
}

function errnoCode(e: unknown): string | undefined {
  return (e as { code?: string } | null)?.code;
}

/** The OS reason without Node's "ENOENT: …, open '/x'" wrapping, which repeats the path we already name. */
function reason(e: unknown): string {
  const code = errnoCode(e);
  const message = e instanceof Error ? e.message : String(e);
  return code ? `${code} (${message.replace(/^[A-Z]+:\s*/, "").replace(/,\s*\w+\s+'.*'$/, "")})` : message;
}
