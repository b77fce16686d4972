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
export function formatValue(value: Scalar | null, fmt: string): string {
  if (value === null) return "";
  if (isErr(value)) return value.error;
  if (typeof value === "boolean") return value ? "TRUE" : "FALSE";
  if (fmt === "" || fmt.toLowerCase() === "general") {
    return typeof value === "number" ? numberToText(Number(value.toPrecision(11))) : value;
  }
  if (typeof value === "string" && !fmt.includes("@")) return value;
  return SSF.format(prepare(fmt), value);
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
