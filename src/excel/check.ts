import { PlanLedgerError, type CheckResult, type PlanPreview, type PreviewOptions } from "./operations";
import { viewPlan } from "./plan-read";
import { readMeta, readValues } from "./read";
import { columnLetter } from "./a1";
import { cleanText } from "../core/text";
import type { ColumnMapping } from "../core/types";

/**
 * Lists every problem of the plan sheet (the configured one, else the named or active sheet) with its cell. Reads only;
 * one round trip for sheets whose values fit one response.
 */
export async function checkPlan(
  context: Excel.RequestContext,
  opts: { sheet?: string; now?: Date },
): Promise<CheckResult> {
  const { meta, view } = await readPlan(context, opts.sheet, opts.now ?? new Date(), {});
  return { sheet: meta.name, rows: view.extract.rows.length, findings: view.extract.findings };
}

async function readPlan(context: Excel.RequestContext, sheet: string | undefined, now: Date, opts: PreviewOptions) {
  const meta = await readMeta(context, sheet);
  if (meta.rows === 0) throw new PlanLedgerError("emptySheet", { sheet: meta.name });
  const values = await readValues(context, meta);
  const view = viewPlan(meta, values, { override: opts.mapping, periodStart: opts.periodStart, now });
  return { meta, view };
}

/** What the pane shows before structuring: sheet, header, mapping, period and counts. Reads only. */
export async function previewPlan(
  context: Excel.RequestContext,
  opts: PreviewOptions & { now?: Date },
): Promise<PlanPreview> {
  const { meta, view } = await readPlan(context, opts.sheet, opts.now ?? new Date(), opts);
  const d = view.detection;
  const headers = d.headers
    .map((text, col) => ({ col, letter: columnLetter(col), text: cleanText(text) }))
    .filter((h) => h.text !== "");
  const rows = view.extract.rows;
  const months = new Set(rows.map((r) => r.bucket).filter((b) => b !== null));
  const owners = new Set(rows.map((r) => r.owner.toLowerCase()).filter((o) => o !== ""));
  return {
    sheet: meta.name,
    sheets: meta.sheetNames,
    headerRow: d.headerRow + 1,
    headers,
    mapping: { ...d.mapping } as ColumnMapping,
    confidence: d.confidence,
    period: view.period,
    periodSource: view.periodSource,
    periodEvidence: view.periodEvidence,
    rows: rows.length,
    months: months.size,
    owners: owners.size,
    findings: view.extract.findings.length,
    structured: !!meta.config && meta.config.sheet === meta.name,
  };
}
