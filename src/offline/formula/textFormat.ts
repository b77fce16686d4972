import SSF from "fast-formula-parser/ssf/ssf";
import type { Scalar } from "../model";
import { isErr, numberToText } from "./values";

/** Quotes literal non-ASCII characters ("yyyy年m月") that Excel accepts bare but SSF rejects. */
function prepare(fmt: string): string {
  let out = "";
  let quoted = false;
  let run = "";
  for (let i = 0; i < fmt.length; i++) {
    const ch = fmt[i];
    if (ch === '"') quoted = !quoted;
    if (!quoted && ch.charCodeAt(0) > 127) {
      run += ch;
      continue;
    }
    if (run) {
      out += `"${run}"`;
      run = "";
    }
    out += ch;
    if (!quoted && ch === "\\" && i + 1 < fmt.length) out += fmt[++i];
  }
  return run ? `${out}"${run}"` : out;
}

/**
 * Formats a value with an Excel number format code, as Range.text and TEXT() show it. Throws on a format code the
 * formatter cannot read; callers turn that into InvalidArgument or #VALUE!.
 * @example formatValue(45658, "yyyy-mm-dd") // "2025-01-01"
 */
export function formatValue(value: Scalar | null, fmt: string, date1904 = false): string {
  if (value === null) return "";
  if (isErr(value)) return value.error;
  if (typeof value === "boolean") return value ? "TRUE" : "FALSE";
  if (fmt === "" || fmt.toLowerCase() === "general") {
    return typeof value === "number" ? numberToText(Number(value.toPrecision(11))) : value;
  }
  if (typeof value === "string" && !fmt.includes("@")) return value;
  try {
    // A 1904 workbook's serials count from 1904-01-01: the same number is a date four years later.
    return SSF.format(prepare(fmt), value, date1904 ? { date1904 } : undefined);
  } catch (e) {
    // SSF throws bare strings for some codes (`unterminated "[" block: |[Red|`): every caller expects an Error.
    if (e instanceof Error) throw e;
    throw new FormatCodeError(String(e));
  }
}

/**
 * The text a cell shows: {@link formatValue}, or the General text when the cell's format code (one a file brought in,
 * such as `[Red` with no closing bracket) cannot be read. Display only: the code itself stays on the cell.
 * @example displayText(1, "[Red") // "1"
 */
export function displayText(value: Scalar | null, fmt: string, date1904 = false): string {
  try {
    return formatValue(value, fmt, date1904);
  } catch (e) {
    if (!(e instanceof Error)) throw e;
    return formatValue(value, "General");
  }
}

/** A number format code the formatter cannot read. */
export class FormatCodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FormatCodeError";
  }
}

// A column's number formats arrive as one text per cell (50,000 of the same); each distinct text is tried once.
const validity = new Map<string, boolean>();

/** True when Excel would accept the format code (checked by formatting a sample number and text). */
export function isValidFormat(fmt: string): boolean {
  let ok = validity.get(fmt);
  if (ok === undefined) {
    try {
      formatValue(1234.5, fmt);
      formatValue(-1, fmt);
      ok = true;
    } catch (e) {
      if (!(e instanceof Error)) throw e;
      ok = false;
    }
    if (validity.size >= 1000) validity.clear();
    validity.set(fmt, ok);
  }
  return ok;
}
