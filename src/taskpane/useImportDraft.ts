import { useMemo, useRef, useState } from "react";
import { periodFromStart } from "../core/period";
import type { TextPlanFinding, TextPlanRow } from "../core/textplan";
import type { Bucket, Period } from "../core/types";
import type { ImportRowInput, KnownValues } from "../excel/operations";

/** A parsed row as the Import step shows and edits it. */
export type DraftRow = ImportRowInput & {
  bucket: Bucket | null;
  /** Unchecked rows are left out of the append. */
  included: boolean;
  /** The text line the row came from, and its 1-based number. */
  source: string;
  line: number;
  /** The target as written when it says more than the number (2~3次); empty otherwise. */
  wording: string;
};

export type ParsedDraft = {
  /** Increases with every Parse, so the view can tell a new parse from an edit. */
  id: number;
  /** The text and period the rows were parsed from; the view compares them with the current ones. */
  text: string;
  period: Period;
  rows: DraftRow[];
  findings: TextPlanFinding[];
};

export type ImportDraft = {
  text: string;
  /** The start month as the user typed it; undefined until they type one, when the pane shows its default. */
  periodStart: string | undefined;
  parsed: ParsedDraft | null;
};

export type ImportDraftActions = {
  setText(text: string): void;
  setPeriodStart(start: string): void;
  /** Parses the text with the twelve months from `start` ("YYYY-MM"); a malformed start throws (RangeError). */
  /** Parses the text with the open ledger's owners, categories and units known; resolves when the rows are set. */
  parse(start: string): Promise<void>;
  editRow(index: number, patch: Partial<Pick<DraftRow, "owner" | "bucket" | "included">>): void;
  /** Forgets the parsed rows (after they were appended), keeping the text. */
  clear(): void;
};

const HAN = /\p{Script=Han}/u;

/** A parsed row with its co-owners written into the owner cell, as the structure step reads them back. */
function draftRow(r: TextPlanRow): DraftRow {
  const owners = [r.owner, ...r.coOwners].filter((o) => o !== "");
  return {
    bucket: r.bucket,
    activity: r.activity,
    owner: owners.join(owners.some((o) => HAN.test(o)) ? "、" : ", "),
    category: r.category,
    unit: r.unit,
    target: r.target,
    notes: r.notes,
    originals: r.originals,
    included: true,
    source: r.source,
    line: r.line,
    wording: r.originals.target ?? "",
  };
}

/**
 * The rows to append: the checked ones, as ImportRowInput and nothing more.
 * @example toImportRows(draft.parsed.rows).length // rows still checked
 */
export function toImportRows(rows: readonly DraftRow[]): ImportRowInput[] {
  return rows
    .filter((r) => r.included)
    .map((r) => ({
      bucket: r.bucket,
      activity: r.activity,
      owner: r.owner.trim(),
      category: r.category,
      unit: r.unit,
      target: r.target,
      notes: r.notes,
      originals: r.originals,
    }));
}

const EMPTY: ImportDraft = { text: "", periodStart: undefined, parsed: null };

/**
 * The Import step's draft: the pasted text, the start month and the parsed rows with the user's edits. Held by the
 * pane (not the step) so switching tabs keeps it. Parsing is pure core code; nothing here touches the workbook.
 */
export function useImportDraft(loadKnown: () => Promise<KnownValues | null>): {
  draft: ImportDraft;
  actions: ImportDraftActions;
} {
  const [draft, setDraft] = useState<ImportDraft>(EMPTY);
  // Read at each parse, so the names are the ledger's as it is then; a ref keeps the actions stable.
  const loadKnownRef = useRef(loadKnown);
  loadKnownRef.current = loadKnown;
  const actions = useMemo<ImportDraftActions>(
    () => ({
      setText: (text) => setDraft((d) => ({ ...d, text })),
      setPeriodStart: (periodStart) => setDraft((d) => ({ ...d, periodStart })),
      parse: async (start) => {
        const period = periodFromStart(start);
        // The open ledger's owners, categories and units: `召开理事会 科普部` finds 科普部 when the ledger has it. A
        // failure to read them is the pane's to show (null); the text is parsed without them then.
        // The parser is downloaded on the first Parse: only the Import step needs it (issue 18's bundle budget).
        const [known, { parseTextPlan }] = await Promise.all([loadKnownRef.current(), import("../core/textplan")]);
        setDraft((d) => {
          const result = parseTextPlan(d.text, {
            period,
            knownOwners: known?.owners ?? [],
            knownCategories: known?.categories ?? [],
            knownUnits: known?.units ?? [],
          });
          const id = (d.parsed?.id ?? 0) + 1;
          return {
            ...d,
            parsed: { id, text: d.text, period, rows: result.rows.map(draftRow), findings: result.findings },
          };
        });
      },
      editRow: (index, patch) =>
        setDraft((d) =>
          d.parsed === null
            ? d
            : {
                ...d,
                parsed: { ...d.parsed, rows: d.parsed.rows.map((r, i) => (i === index ? { ...r, ...patch } : r)) },
              },
        ),
      clear: () => setDraft((d) => ({ ...d, parsed: null })),
    }),
    [],
  );
  return { draft, actions };
}
