import * as fs from "node:fs";
import * as path from "node:path";
import { CliError } from "./errors";

/** Reads an input file; a missing file, a folder or an unreadable file is a CliError naming it. */
export function readInput(file: string): Uint8Array {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (e) {
    if (errnoCode(e) === "ENOENT" || errnoCode(e) === "ENOTDIR") throw new CliError("error.file.missing", { file });
    throw new CliError("error.file.unreadable", { file, reason: reason(e) });
  }
  if (!stat.isFile()) throw new CliError("error.file.notFile", { file });
  try {
    return new Uint8Array(fs.readFileSync(file));
  } catch (e) {
    throw new CliError("error.file.unreadable", { file, reason: reason(e) });
  }
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

/**
 * Writes through a temporary file beside the target and renames it into place, so a failure (or a crash) never
 * leaves a half-written output and an existing file is replaced in one step. Call {@link checkOutput} first.
 */
export function writeOutput(out: string, bytes: Uint8Array, force: boolean): void {
  const dir = path.dirname(path.resolve(out));
  const tmp = path.join(dir, `.${path.basename(out)}.${process.pid}.tmp`);
  try {
    // "wx": never write through a leftover temporary file or a link someone placed there.
    fs.writeFileSync(tmp, bytes, { flag: "wx" });
    // Checked again at the last moment: the output may have appeared while the workbook was being built.
    if (!force && fs.existsSync(out)) throw new CliError("error.out.exists", { file: out });
    fs.renameSync(tmp, out);
  } catch (e) {
    const left = removeTemp(tmp);
    if (e instanceof CliError && left === undefined) throw e;
    const why = e instanceof CliError ? String(e.params.reason ?? e.key) : reason(e);
    throw new CliError("error.out.unwritable", { file: out, reason: left === undefined ? why : `${why}; ${left}` });
  }
}

/** Removes the temporary file; undefined when it is gone (or was never created), else why it could not be removed. */
function removeTemp(file: string): string | undefined {
  try {
    fs.unlinkSync(file);
    return undefined;
  } catch (e) {
    return errnoCode(e) === "ENOENT" ? undefined : `${file}: ${reason(e)}`;
  }
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
