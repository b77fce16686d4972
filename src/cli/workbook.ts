import type { Lang } from "../core/types";
import type { PlanOperations } from "../excel/operations";
import {
  chooseSheet as chooseSheetIn,
  readPlan as readPlanIn,
  writeSheet as writeSheetIn,
  type OutCell,
  type PlanRead,
  type SheetChoice,
} from "../excel/workbook";
import { findPlanSheets as findPlanSheetsIn, type PlanSheets } from "../excel/plansheets";
import { createOfflineOperations } from "../hosting/offline";
import { OfflineHost, createWorkbookModel, type WorkbookModel } from "../offline";
import { exportXlsx, importXlsx } from "../offline/xlsx";
import { nodeZipCodec } from "./codec";

/** A workbook opened for the CLI: the offline host in "web" mode, so requests stay within Excel on the web's limits. */
export type Session = { host: OfflineHost; ops: PlanOperations; model: WorkbookModel };

/** Opens .xlsx bytes (XlsxError for a file that is not a workbook); `lang` is the language of `notCarried`. */
export async function openWorkbook(bytes: Uint8Array, lang: Lang, now: () => Date): Promise<Session> {
  const model = await importXlsx(bytes, { lang, codec: nodeZipCodec });
  return session(model, now);
}

/** A new empty workbook (for consolidate and import). */
export function newWorkbook(now: () => Date): Session {
  return session(createWorkbookModel([]), now);
}

function session(model: WorkbookModel, now: () => Date): Session {
  const host = new OfflineHost(model, { mode: "web", now });
  return { host, ops: createOfflineOperations(host, { now }), model };
}

/**
 * Computes formulas that changed since the host last did (so cached values in the file are right for readers that do
 * not calculate) and packs. An operation that read its results last (summarize) leaves nothing to compute: a forced
 * recalculation repeated the whole workbook's, 2 s and 100,000 formulas on a 50,000-row plan. A workbook opened and
 * saved without one is calculated, as the host counts a new model as changed.
 */
export async function saveWorkbook(s: Session): Promise<Uint8Array> {
  s.host.calculate();
  return exportXlsx(s.model, { codec: nodeZipCodec });
}

export type { OutCell, SheetChoice } from "../excel/workbook";

/** The plan sheet of the session's workbook (see {@link chooseSheetIn}). */
export async function chooseSheet(host: OfflineHost, requested: string | undefined): Promise<SheetChoice> {
  return host.run((context) => chooseSheetIn(context, requested));
}

/** The plan sheets of the session's workbook (see {@link findPlanSheetsIn}). */
export async function findPlanSheets(host: OfflineHost): Promise<PlanSheets> {
  return host.run((context) => findPlanSheetsIn(context));
}

/** A plan's rows and findings, read-only, as the operations read them. */
export async function readPlan(
  host: OfflineHost,
  sheet: string,
  opts: { periodStart?: string; now: Date; fileName?: string },
): Promise<PlanRead> {
  return host.run((context) => readPlanIn(context, sheet, opts));
}

/** Adds a sheet holding `grid` as literal values. */
export async function writeSheet(
  host: OfflineHost,
  name: string,
  grid: readonly (readonly OutCell[])[],
): Promise<void> {
  await host.run((context) => writeSheetIn(context, name, grid));
}
