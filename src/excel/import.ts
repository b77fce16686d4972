import { fieldLabel } from "../core/labels";
import { textLanguage } from "../core/text";
import { ownersInBrackets } from "../core/textplan";
import type { Bucket, Field, Grid, Lang } from "../core/types";
import { ANNUAL } from "../core/types";
import { rangeAddress } from "./a1";
import { annualWord, monthFormat, monthSerial, planNames, wbText } from "./layout";
import {
  PlanLedgerError,
  type ImportOptions,
  type ImportRowInput,
  type KnownValues,
  type StructureResult,
} from "./operations";
import { readPlan } from "./check";
import { cleanText } from "../core/text";
import { readMeta, translateOfficeError, type SheetMeta } from "./read";
import { structurePlan, structureWithView } from "./structure";
import { detect } from "./plan-read";
import { CONFIDENT } from "./summary";

/** A row parsed from a written plan, ready to become a plan row. */
export type ImportRow = ImportRowInput & { bucket: Bucket | null };

const FIELDS: Field[] = ["month", "activity", "owner", "category", "unit", "target", "actual", "notes"];

function cellFor(row: ImportRow, field: Field, lang: Lang, meta: SheetMeta): string | number {
  switch (field) {
    case "month":
      return row.bucket === null ? "" : row.bucket === ANNUAL ? `'${annualWord(lang)}` : monthSerial(row.bucket, meta);
    case "target":
      return row.target ?? "";
    case "actual":
      return "";
    case "notes": {
      // The wording normalising lost is kept in the notes, in the same form structurePlan writes.
      const kept = Object.entries(row.originals ?? {}).map(([f, text]) => `${fieldLabel(f as Field, lang)}=${text}`);
      const note = kept.length
        ? wbText(lang, "notes.original", { text: kept.join(wbText(lang, "notes.separator")) })
        : "";
      const all = [row.notes, note].filter((x) => x).join(wbText(lang, "notes.separator"));
      return all ? `'${all}` : "";
    }
    default: {
      // Text from the pasted document is stored literally, never interpreted.
      const v = row[field as "activity" | "owner" | "category" | "unit"];
      return v ? `'${v}` : "";
    }
  }
}

/**
 * Adds rows parsed from a written plan: appended to the plan table when the workbook has one, else written to a new
 * plan sheet; then the plan is structured again so lists, validation, formulas and formats cover the new rows.
 */
export async function importRows(
  context: Excel.RequestContext,
  opts: ImportOptions & { rows: readonly ImportRow[]; now?: Date },
): Promise<StructureResult> {
  let meta = await readMeta(context, undefined, "head");
  let config = meta.config;
  // The items sheet of a wide plan is rebuilt from the wide sheet: rows appended to it would be overwritten.
  if (config?.wide) throw new PlanLedgerError("wideImport", { sheet: config.wide.sheet });
  if ((!config || !meta.sheetNames.includes(config.sheet)) && meta.rows > 0) {
    // The open sheet is a ledger not structured yet: it is structured (the Structure button's path) and the rows go into
    // its table, instead of a sheet 计划 beside it. Only a confident detection, as for the one-click summary.
    if (ledgerConfidence(meta) >= CONFIDENT) {
      const s = await structureWithView(
        context,
        { lang: opts.lang, sheet: meta.name, now: opts.now, onProgress: opts.onProgress, minConfidence: CONFIDENT },
        meta,
      );
      ({ meta, config } = s);
    }
  }
  let sheetName: string;
  let rows = opts.rows;
  let lang = opts.lang;
  try {
    if (config && meta.sheetNames.includes(config.sheet)) {
      rows = await withLedgerOwners(context, rows, config.table);
      sheetName = config.sheet;
      const table = context.workbook.tables.getItem(config.table);
      const header = table.getHeaderRowRange();
      header.load("values");
      await context.sync();
      const headers = (header.values[0] ?? []).map((h) => String(h));
      const colOf = new Map<Field, number>();
      for (const [field, text] of Object.entries(config.columns) as [Field, string][]) {
        const i = headers.indexOf(text);
        if (i >= 0) colOf.set(field, i);
      }
      const values = rows.map((row) => {
        const line: (string | number | null)[] = headers.map(() => null);
        for (const f of FIELDS) {
          const i = colOf.get(f);
          if (i !== undefined) line[i] = cellFor(row, f, config.lang, meta);
        }
        // Computed and unmapped columns are left for the table and structurePlan to fill.
        return line.map((v) => (v === null ? "" : v));
      });
      if (values.length) table.rows.add(undefined, values);
      await context.sync();
    } else {
      // A new sheet is written in the language of the pasted text (headers, annual word, notes), whatever the pane's.
      lang = textLanguage(opts.rows.map((r) => r.activity)) ?? opts.lang;
      const taken = new Set(meta.sheetNames.map((s) => s.toLowerCase()));
      const base = wbText(lang, "sheet.plan");
      sheetName = base;
      for (let i = 2; taken.has(sheetName.toLowerCase()); i++) sheetName = `${base} ${i}`;
      const ws = context.workbook.worksheets.add(sheetName);
      const header = FIELDS.map((f) => fieldLabel(f, lang));
      const grid = [header, ...opts.rows.map((row) => FIELDS.map((f) => cellFor(row, f, lang, meta)))];
      ws.getRange(rangeAddress(0, 0, grid.length - 1, FIELDS.length - 1)).values = grid;
      if (opts.rows.length) {
        const fmt = monthFormat(lang);
        ws.getRange(rangeAddress(1, 0, opts.rows.length, 0)).numberFormat = opts.rows.map((r) => [
          r.bucket !== null && r.bucket !== ANNUAL ? fmt : "General",
        ]);
      }
      ws.activate();
      await context.sync();
    }
  } catch (e) {
    throw translateOfficeError(e);
  }
  return structurePlan(context, { lang: config?.lang ?? lang, sheet: sheetName, now: opts.now });
}

/** How sure header detection is that the sheet is a plan; 0 when it finds no header (the sheet is something else). */
function ledgerConfidence(meta: SheetMeta): number {
  try {
    const d = detect((meta.head ?? []) as Grid, meta.merges, undefined, meta.name, undefined);
    // Months as columns is no ledger to append rows to (its items sheet is rebuilt from it): the rows get a sheet.
    return d.wide ? 0 : d.confidence;
  } catch (e) {
    // No header is the answer "not a ledger" here: the rows then go to a new plan sheet, as before.
    if (e instanceof PlanLedgerError && e.code === "noHeader") return 0;
    throw e;
  }
}

/**
 * Rows without an owner whose activity names one of the ledger's owners in brackets (`科技周（青少年科技教育）`) take
 * it: the pane parsed the text before the ledger's owners were at hand. The owners are the lists sheet's
 * (the table's PlanLedger_Owners, NamedItem.getRange: ExcelApi 1.4 in @types/office-js).
 */
async function withLedgerOwners(
  context: Excel.RequestContext,
  rows: readonly ImportRow[],
  table: string,
): Promise<readonly ImportRow[]> {
  if (!rows.some((r) => !r.owner)) return rows;
  const name = context.workbook.names.getItemOrNullObject(planNames(table).owners);
  await context.sync();
  if (name.isNullObject) return rows;
  const range = name.getRange();
  range.load("values");
  await context.sync();
  const owners = range.values
    .flat()
    .map((v) => String(v ?? ""))
    .filter((v) => v !== "");
  return rows.map((row) => {
    if (row.owner) return row;
    const found = ownersInBrackets(row.activity, owners);
    return found.owners.length ? { ...row, activity: found.text, owner: found.owners[0] } : row;
  });
}

/** Where there is no plan to learn names from: an empty sheet, a sheet without a header, a cover. */
const NO_PLAN = new Set(["emptySheet", "noHeader", "noPlan", "wideLayout", "lowConfidence"]);

/**
 * The owners, categories and units the open plan uses, read from the plan sheet as check reads it (the stored plan,
 * else the active sheet; one round trip, two when number formats are needed): the rows as they are now, not the
 * lists sheet written at the last Structure. No plan on that sheet gives empty lists, as the import then starts one.
 */
export async function knownValues(context: Excel.RequestContext, now: Date): Promise<KnownValues> {
  let plan;
  try {
    plan = await readPlan(context, undefined, now, {});
  } catch (e) {
    if (e instanceof PlanLedgerError && NO_PLAN.has(e.code))
      return { sheet: null, owners: [], categories: [], units: [] };
    throw e;
  }
  const distinct = (values: string[]) => {
    const seen = new Map<string, string>();
    for (const v of values) {
      const text = cleanText(v);
      // 李四 and 李 四 are one owner (README): the first spelling met is the one offered.
      const key = text.replace(/\s+/g, "").toLowerCase();
      if (text !== "" && !seen.has(key)) seen.set(key, text);
    }
    return [...seen.values()];
  };
  const rows = plan.view.extract.rows;
  return {
    sheet: plan.meta.name,
    owners: distinct(rows.flatMap((r) => [r.owner, ...r.coOwners])),
    categories: distinct(rows.map((r) => r.category)),
    units: distinct(rows.map((r) => r.unit)),
  };
}
