import {
  PlanLedgerError,
  type CheckOptions,
  type CheckResult,
  type PlanPreview,
  type PreviewOptions,
} from "./operations";
import { detect } from "./plan-read";
import { readMeta, type SheetMeta } from "./read";
import { previewFormulaEffects, readPlanView } from "./structure";
import { columnLetter } from "./a1";
import { findWide, readWideTyped, wideView } from "./wide";
import { cleanText } from "../core/text";
import type { ColumnMapping, Grid, Lang } from "../core/types";

/**
 * Lists every problem of the plan sheet (the configured one, else the named or active sheet) with its cell: the
 * core's findings and the user's totals that add different units. Reads only; one round trip for sheets whose values
 * fit one response, two when the quantity columns' number formats must be read (a percentage counts in %).
 */
export async function checkPlan(
  context: Excel.RequestContext,
  opts: CheckOptions & { now?: Date },
): Promise<CheckResult> {
  const { meta, view, formulas, formulaRows } = await readPlan(context, opts.sheet, opts.now ?? new Date(), opts);
  const lang: Lang = meta.config?.lang ?? "zh-CN";
  const effects = await previewFormulaEffects(meta, view, formulas, formulaRows, lang);
  return {
    sheet: meta.name,
    rows: view.extract.rows.length,
    findings: [...view.extract.findings, ...effects.findings],
  };
}

/** Reads a plan as check and preview see it: values and formulas, then the quantity columns' number formats. */
export async function readPlan(
  context: Excel.RequestContext,
  sheet: string | undefined,
  now: Date,
  opts: PreviewOptions,
) {
  // The head block first, as structure reads: a whole-sheet read of a large plan is refused by Excel on the web only
  // after it built the response (6.4 MB at 50,000 rows), a wasted round trip; up to about 10,000 rows the body then
  // takes one more, as the whole-sheet read's formulas did.
  const first = await readMeta(context, sheet, "head");
  // A wide sheet (or the items sheet built from one) is read as its items, computed without writing.
  const { src } = await findWide(context, { ...opts, sheet, known: first, now });
  if (src) {
    const view = wideView(src, await readWideTyped(context, src));
    return { meta: src.meta, view, formulas: new Map<string, string>(), formulaRows: new Map<number, Set<number>>() };
  }
  const meta = first;
  if (meta.rows === 0) throw new PlanLedgerError("emptySheet", { sheet: meta.name });
  const head = detect((meta.head ?? []) as Grid, meta.merges, meta.config, meta.name, opts.mapping);
  const { body, view } = await readPlanView(context, meta, head, opts, now);
  return { meta, view, formulas: body.formulas, formulaRows: body.formulaRows };
}

/** What the pane shows before structuring: sheet, header, mapping, period, counts and formulas that would change. */
export async function previewPlan(
  context: Excel.RequestContext,
  opts: PreviewOptions & { now?: Date; lang?: Lang },
): Promise<PlanPreview> {
  const { meta, view, formulas, formulaRows } = await readPlan(context, opts.sheet, opts.now ?? new Date(), opts);
  const d = view.detection;
  const headers = d.headers
    .map((text, col) => ({ col, letter: columnLetter(col), text: cleanText(text) }))
    .filter((h) => h.text !== "");
  const rows = view.extract.rows;
  const months = new Set(rows.map((r) => r.bucket).filter((b) => b !== null));
  const owners = new Set(rows.map((r) => r.owner.toLowerCase()).filter((o) => o !== ""));
  const effects = await previewFormulaEffects(
    meta,
    view,
    formulas,
    formulaRows,
    opts.lang ?? meta.config?.lang ?? "zh-CN",
  );
  return {
    sheet: meta.name,
    sheets: meta.visibleSheetNames,
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
    findings: view.extract.findings.length + effects.findings.length,
    structured: !!meta.config && meta.config.sheet === meta.name,
    originalKept: meta.originals.some((r) => r.sheetId === meta.id),
    changedFormulas: effects.changed,
  };
}

export type { SheetMeta };
