/**
 * Runs the contract rules against an Excel host: the offline host (Jest, the workbench's self-test page) or Excel.run
 * inside Excel (the pane's self-test view). Every sheet, table, name and setting a rule creates starts with the run's
 * prefix, so the run's leftovers can be found and removed afterwards (src/excel/selftest.ts).
 */

/** The contract suite's view of an Excel host: only Excel.run-shaped batches, and the requirement sets it has. */
export type ContractHost = {
  /** A short label for reports ("offline", "Excel" …). */
  name: string;
  run<T>(batch: (context: Excel.RequestContext) => Promise<T>): Promise<T>;
  /** Office.context.requirements.isSetSupported("ExcelApi", v), or the offline host's answer. */
  isSetSupported(version: string): boolean;
};

/** Error shape shared by Office's OfficeExtension.Error and the offline HostError. */
export type ApiError = { name: string; code: string; message: string };

/** Runs `fn` and returns the API error it raised, or null when it raised none; anything else is rethrown. */
export async function apiError(fn: () => Promise<unknown>): Promise<ApiError | null> {
  try {
    await fn();
    return null;
  } catch (e) {
    const err = e as Partial<ApiError>;
    if (typeof err.code !== "string") throw e;
    return { name: String(err.name), code: err.code, message: String(err.message) };
  }
}

/** What a rule gets: the host, a fresh worksheet of its own, and names under the run's prefix. */
export type RuleEnv = {
  host: ContractHost;
  /** The rule's own worksheet (added before it runs). */
  sheet: string;
  /** The worksheet, in a batch. */
  sheetOf(context: Excel.RequestContext): Excel.Worksheet;
  /** A name for anything else the rule creates (a second sheet, a table, a defined name, a setting). */
  scratch(suffix: string): string;
};

export type Rule = {
  /** Stable id for reports, e.g. "entry.minus-text". */
  id: string;
  group: string;
  title: string;
  /**
   * Set when the rule rests on undocumented behaviour and the offline host takes the stricter reading: running the
   * rule inside Excel settles it. The text says what is assumed.
   */
  assumption?: string;
  /** Where the behaviour is documented (Microsoft docs, @types/office-js, an office-js issue). */
  source?: string;
  /** The ExcelApi set the rule needs; it is skipped on an Excel without it. Default 1.1. */
  needs?: string;
  run(env: RuleEnv): Promise<void>;
};

export type RuleResult = {
  id: string;
  group: string;
  title: string;
  assumption?: string;
  status: "passed" | "failed" | "skipped";
  /** Why it failed (the assertion or the API error), or why it was skipped. */
  detail?: string;
  ms: number;
};

/** A prefix unique to one run: a letter first, so it starts valid sheet, table and defined names. */
export function runPrefix(now = Date.now()): string {
  return `PLST${now.toString(36).slice(-5).toUpperCase()}`;
}

/** Runs one rule on a fresh sheet named `${prefix}${n}`. */
export async function runRule(rule: Rule, host: ContractHost, prefix: string, n: number): Promise<RuleResult> {
  const base = { id: rule.id, group: rule.group, title: rule.title, assumption: rule.assumption };
  const needs = rule.needs ?? "1.1";
  if (!host.isSetSupported(needs)) {
    return { ...base, status: "skipped", detail: `needs ExcelApi ${needs}`, ms: 0 };
  }
  const sheet = `${prefix}${n}`;
  const t0 = Date.now();
  try {
    await host.run(async (context) => {
      context.workbook.worksheets.add(sheet);
      await context.sync();
    });
    await rule.run({
      host,
      sheet,
      sheetOf: (context) => context.workbook.worksheets.getItem(sheet),
      scratch: (suffix) => `${sheet}${suffix}`,
    });
    return { ...base, status: "passed", ms: Date.now() - t0 };
  } catch (e) {
    return { ...base, status: "failed", detail: describeFailure(e), ms: Date.now() - t0 };
  }
}

/** An assertion's message, or an API error's code and message. */
export function describeFailure(e: unknown): string {
  const err = e as { name?: string; code?: unknown; message?: string } | null;
  if (err && typeof err.code === "string") return `${err.name ?? "Error"} ${err.code}: ${err.message ?? ""}`.trim();
  if (e instanceof Error) return `${e.name}: ${e.message}`;
  return String(e);
}

/** Runs the rules in order, reporting each result as it comes; returns them all. */
export async function runContract(
  host: ContractHost,
  rules: readonly Rule[],
  opts: { prefix: string; onResult?: (r: RuleResult) => void },
): Promise<RuleResult[]> {
  const results: RuleResult[] = [];
  for (const [i, rule] of rules.entries()) {
    // One rule after another: each builds on a fresh sheet and some rename or protect it.
    const r = await runRule(rule, host, opts.prefix, i + 1);
    results.push(r);
    opts.onResult?.(r);
  }
  return results;
}
