import { fieldLabel } from "../core/labels";
import type { Bucket, Field, Lang } from "../core/types";
import { ANNUAL } from "../core/types";
import { rangeAddress } from "./a1";
import { annualWord, monthFormat, monthSerial, wbText } from "./layout";
import type { ImportOptions, ImportRowInput, StructureResult } from "./operations";
import { readMeta, translateOfficeError, type SheetMeta } from "./read";
import { structurePlan } from "./structure";

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
  const meta = await readMeta(context, undefined, "head");
  const config = meta.config;
  let sheetName: string;
  try {
    if (config && meta.sheetNames.includes(config.sheet)) {
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
      const values = opts.rows.map((row) => {
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
      const taken = new Set(meta.sheetNames.map((s) => s.toLowerCase()));
      const base = wbText(opts.lang, "sheet.plan");
      sheetName = base;
      for (let i = 2; taken.has(sheetName.toLowerCase()); i++) sheetName = `${base} ${i}`;
      const ws = context.workbook.worksheets.add(sheetName);
      const header = FIELDS.map((f) => fieldLabel(f, opts.lang));
      const grid = [header, ...opts.rows.map((row) => FIELDS.map((f) => cellFor(row, f, opts.lang, meta)))];
      ws.getRange(rangeAddress(0, 0, grid.length - 1, FIELDS.length - 1)).values = grid;
      if (opts.rows.length) {
        const fmt = monthFormat(opts.lang);
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
  return structurePlan(context, { lang: config?.lang ?? opts.lang, sheet: sheetName, now: opts.now });
}
