import { parseMonthKey } from "../core/month";
import { FIELDS, type Field, type Lang } from "../core/types";
import { CliError } from "./errors";

export type Command = "summarize" | "check" | "consolidate" | "import" | "restore";

export const COMMANDS: readonly Command[] = ["summarize", "check", "consolidate", "import", "restore"];

/** Options that take a value, and the flags. */
const VALUE_OPTIONS = ["sheet", "period-start", "as-of", "lang", "out", "map"] as const;
const FLAGS = ["json", "force", "progress", "no-progress", "help", "all-sheets", "no-original"] as const;

type ValueOption = (typeof VALUE_OPTIONS)[number];
type Flag = (typeof FLAGS)[number];

/** Which options each command accepts; anything else is refused rather than silently ignored. */
const ACCEPTS: Record<Command, readonly (ValueOption | Flag)[]> = {
  summarize: [
    "sheet",
    "period-start",
    "as-of",
    "lang",
    "out",
    "map",
    "all-sheets",
    "no-original",
    "json",
    "force",
    "progress",
    "no-progress",
    "help",
  ],
  check: ["sheet", "period-start", "as-of", "lang", "map", "json", "progress", "no-progress", "help"],
  consolidate: ["period-start", "as-of", "lang", "out", "json", "force", "progress", "no-progress", "help"],
  import: ["period-start", "as-of", "lang", "out", "json", "force", "progress", "no-progress", "help"],
  restore: ["sheet", "lang", "out", "json", "force", "progress", "no-progress", "help"],
};

export type CliOptions = {
  command: Command;
  inputs: string[];
  sheet?: string;
  periodStart?: string;
  /** --as-of as a local calendar date. */
  asOf?: Date;
  /** --map: field → header text or column letter ("" unmaps the field), checked against the sheet later. */
  map?: Partial<Record<Field, string>>;
  lang?: Lang;
  out?: string;
  json: boolean;
  force: boolean;
  /** summarize --all-sheets: one summary over every plan sheet of the workbook, each sheet a source. */
  allSheets?: boolean;
  /**
   * summarize --no-original: no hidden copy of the plan sheet is kept for `restore` (the input file is the original);
   * the output is about half the size.
   */
  noOriginal?: boolean;
  /** true / false when asked for explicitly; undefined = on when stderr is a terminal. */
  progress?: boolean;
};

export type ParsedArgs = { kind: "help"; command?: Command } | { kind: "run"; options: CliOptions };

/**
 * Parses argv (without node and the script). `--name value` and `--name=value` both work; `--` ends the options.
 * Throws CliError (exit 2) for an unknown command or option, a missing value or a malformed date, month or language.
 * @example parseArgs(["check", "plan.xlsx", "--json"]) // { kind: "run", options: { command: "check", … } }
 */
export function parseArgs(argv: readonly string[]): ParsedArgs {
  if (argv.length === 0 || argv[0] === "--help" || argv[0] === "-h" || argv[0] === "help") {
    const topic = argv[1];
    return { kind: "help", command: COMMANDS.find((c) => c === topic) };
  }
  const command = COMMANDS.find((c) => c === argv[0]);
  if (!command) throw new CliError("error.usage.unknownCommand", { command: argv[0] });
  const accepts = ACCEPTS[command];
  const values: Partial<Record<ValueOption, string>> = {};
  const flags = new Set<Flag>();
  const inputs: string[] = [];
  let onlyInputs = false;
  for (let i = 1; i < argv.length; i++) {
    const arg = argv[i];
    if (onlyInputs || !arg.startsWith("-") || arg === "-") {
      inputs.push(arg);
      continue;
    }
    if (arg === "--") {
      onlyInputs = true;
      continue;
    }
    if (arg === "-h") {
      flags.add("help");
      continue;
    }
    const eq = arg.indexOf("=");
    const name = (eq >= 0 ? arg.slice(2, eq) : arg.slice(2)) as ValueOption | Flag;
    if (!arg.startsWith("--") || !accepts.includes(name)) {
      throw new CliError("error.usage.unknownOption", { option: eq >= 0 ? arg.slice(0, eq) : arg, command });
    }
    if ((VALUE_OPTIONS as readonly string[]).includes(name)) {
      const value = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
      if (value === undefined || value === "" || (eq < 0 && value.startsWith("--"))) {
        throw new CliError("error.usage.missingValue", { option: `--${name}` });
      }
      values[name as ValueOption] = value;
    } else if ((FLAGS as readonly string[]).includes(name)) {
      if (eq >= 0) throw new CliError("error.usage.flagValue", { option: `--${name}` });
      flags.add(name as Flag);
    }
  }
  if (flags.has("help")) return { kind: "help", command };

  if (inputs.length === 0) throw new CliError("error.usage.missingInput", { command });
  if (command !== "consolidate" && inputs.length > 1) {
    throw new CliError("error.usage.tooManyInputs", { command, count: inputs.length });
  }
  if (command === "consolidate" && !values.out) throw new CliError("error.usage.outRequired");
  // The restored workbook is a new file: the input, as always, is left as it is.
  if (command === "restore" && !values.out) throw new CliError("error.usage.restoreOutRequired");

  const options: CliOptions = {
    command,
    inputs,
    json: flags.has("json"),
    force: flags.has("force"),
    progress: flags.has("no-progress") ? false : flags.has("progress") ? true : undefined,
  };
  if (flags.has("all-sheets")) {
    // Every plan sheet is summarised, each with its own columns: one sheet's name or column choice would not apply.
    const clash = values.sheet !== undefined ? "--sheet" : values.map !== undefined ? "--map" : undefined;
    if (clash) throw new CliError("error.usage.allSheets", { option: clash });
    options.allSheets = true;
  }
  if (flags.has("no-original")) options.noOriginal = true;
  if (values.sheet !== undefined) options.sheet = values.sheet;
  if (values.out !== undefined) options.out = values.out;
  if (values.lang !== undefined) options.lang = parseLang(values.lang);
  if (values["period-start"] !== undefined) options.periodStart = parsePeriodStart(values["period-start"]);
  if (values["as-of"] !== undefined) options.asOf = parseAsOf(values["as-of"]);
  if (values.map !== undefined) options.map = parseMap(values.map);
  return { kind: "run", options };
}

function parseLang(v: string): Lang {
  if (/^zh(-cn)?$/i.test(v)) return "zh-CN";
  if (/^en(-us)?$/i.test(v)) return "en-US";
  throw new CliError("error.usage.badLang", { value: v });
}

/** "YYYY-MM", checked strictly: a typo must not silently become another period. */
function parsePeriodStart(v: string): string {
  if (!/^\d{4}-\d{2}$/.test(v) || !parseMonthKey(v)) throw new CliError("error.usage.badMonth", { value: v });
  return v;
}

/** "YYYY-MM-DD" as local midnight, the calendar date the summary counts up to; 2025-02-30 is refused. */
function parseAsOf(v: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
  if (m) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const date = new Date(y, mo - 1, d);
    if (date.getFullYear() === y && date.getMonth() === mo - 1 && date.getDate() === d) return date;
  }
  throw new CliError("error.usage.badDate", { value: v });
}

/** Field names --map accepts: the plan's fields, and "due" for the month (a deadline column). */
const MAP_FIELDS: Record<string, Field> = Object.fromEntries([
  ...FIELDS.map((f) => [f.toLowerCase(), f] as const),
  ["due", "month"],
  ["co-owners", "coOwners"],
]);

/**
 * "status=是否办结,activity=具体举措,notes=none": field=header text or column letter, pairs separated by commas (, ， or
 * ；). none or - unmaps a field. An unknown field or a pair without "=" is refused (exit 2).
 * @example parseMap("status=是否办结,activity=C") // { status: "是否办结", activity: "C" }
 */
export function parseMap(v: string): Partial<Record<Field, string>> {
  const out: Partial<Record<Field, string>> = {};
  for (const pair of v.split(/[,，;；]/)) {
    if (pair.trim() === "") continue;
    const eq = pair.search(/[=＝]/);
    const name = eq < 0 ? "" : pair.slice(0, eq).trim().toLowerCase();
    const field = MAP_FIELDS[name];
    if (eq < 0 || !field)
      throw new CliError("error.usage.badMap", { value: pair.trim(), fields: [...FIELDS, "due"].join(", ") });
    const target = pair.slice(eq + 1).trim();
    out[field] = /^(?:none|-|—)$/i.test(target) ? "" : target;
  }
  return out;
}
