import { fieldLabel } from "../core/labels";
import { ANNUAL, FIELDS, type Field, type Lang, type PlanRow } from "../core/types";
import { sourceLabel, type SourceRef } from "../core/source";
import { annualWord, wbText } from "./layout";
import type { PlanView } from "./plan-read";
import type { OutCell } from "./workbook";

/**
 * Plan rows as cells of a new or consolidated plan sheet: one code for the CLI's consolidate and import and the pane's
 * collect returns, so the same department's return gives the same rows and the same 来源 label whichever way it came.
 */

/**
 * The columns of a plan sheet the CLI writes (consolidate adds a source column after these): every plan field but the
 * co-owners, who are written with the lead owner in one cell, as a department would type them.
 */
export const PLAN_FIELDS: readonly Field[] = FIELDS.filter((f) => f !== "coOwners");

/** The header row in the workbook's language; the labels are the ones detectHeader maps back to the fields. */
export function planHeader(lang: Lang, fields: readonly Field[] = PLAN_FIELDS): string[] {
  return fields.map((f) => fieldLabel(f, lang));
}

export type RowSource = {
  row: PlanRow;
  /** The row's cells as the source held them (for values the core could not read, kept so a check reports them). */
  raw?: (field: Field) => unknown;
  /** True when the new sheet is structured with the source's own period, so year-less month wording still fits. */
  samePeriod: boolean;
};

/**
 * One plan row as cells of a new plan sheet, to be structured again there. Normalised values are written, except
 * where the original wording says more (2~3次, 3~4月): that wording is written and the structure step normalises it
 * and keeps it in the notes, as it does for any sheet. A month the core could not read stays as typed, so the new
 * sheet's check reports it again.
 */
export function planCells(src: RowSource, lang: Lang, fields: readonly Field[] = PLAN_FIELDS): OutCell[] {
  const { row } = src;
  const notes: string[] = row.notes ? [row.notes] : [];
  const rawText = (f: Field): OutCell => {
    const v = src.raw?.(f);
    return typeof v === "number" && Number.isFinite(v) ? v : typeof v === "string" ? v.trim() : "";
  };
  const month = (): OutCell => {
    const original = row.originals.month;
    if (row.bucket === null) return rawText("month");
    // Month-only wording resolves against the period; with another period the normalised month is written instead.
    if (original && src.samePeriod) return original;
    if (original) notes.push(wbText(lang, "notes.original", { text: `${fieldLabel("month", lang)}=${original}` }));
    // A due date keeps its day (a 办结时限 of dates); a month is written as its key.
    return row.bucket === ANNUAL ? annualWord(lang) : (row.due ?? row.bucket);
  };
  const quantity = (f: "target" | "actual"): OutCell => row.originals[f] ?? row[f] ?? rawText(f);
  const cells: Partial<Record<Field, OutCell>> = {
    month: month(),
    activity: row.activity,
    owner: [row.owner, ...row.coOwners].filter((o) => o !== "").join(lang === "zh-CN" ? "、" : ", "),
    category: row.category,
    unit: row.unit,
    target: quantity("target"),
    actual: quantity("actual"),
    status: row.status,
  };
  cells.notes = notes.join(wbText(lang, "notes.separator"));
  return fields.map((f) => cells[f] ?? "");
}

/** The header of a consolidated plan: the plan's columns, then the 来源 / Source column. */
export function consolidatedHeader(lang: Lang): string[] {
  return [...planHeader(lang), wbText(lang, "header.source")];
}

/**
 * Every item of a plan read from a source, as rows of a consolidated plan: the plan's cells ({@link planCells}) and the
 * source's label ({@link sourceLabel}) in the last column.
 */
export function sourceRows(
  view: PlanView,
  source: SourceRef,
  lang: Lang,
  samePeriod: boolean,
  fromGrid = true,
): OutCell[][] {
  const label = sourceLabel(source);
  const mapping = view.detection.mapping;
  const raw = (gridRow: number) => (f: Field) => {
    const c = mapping[f];
    return c === undefined ? undefined : view.grid[gridRow]?.[c];
  };
  // A wide sheet's items are no rows of its grid (fromGrid false): their cells are the items' own values.
  return view.extract.rows.map((row) => [
    ...planCells({ row, raw: fromGrid ? raw(row.gridRow) : undefined, samePeriod }, lang),
    label,
  ]);
}
