/**
 * The offline Excel host: the subset of the Excel JavaScript API that Plan Ledger uses, over an in-memory workbook.
 * Product code written against @types/office-js runs unchanged on it (see README.md in this folder).
 */
import type { WorkbookModel } from "./model";
import { OfflineRequestContext } from "./host/context";
import { emptyStats, HostRuntime, type HostMode, type HostStats } from "./host/runtime";
import { Workbook } from "./host/workbook";
import { createWorkbookModel } from "./host/modelUtil";
import { evaluateConditionalFormats, type SheetConditionalFormats } from "./host/conditional";

export type { HostMode, HostStats } from "./host/runtime";
export type { CfResult, SheetConditionalFormats } from "./host/conditional";
export { HostError, type HostErrorCode } from "./host/errors";
export { nextTask } from "./host/context";
export { createWorkbookModel, sheetFromGrid, type GridOptions } from "./host/modelUtil";
export { colToLetters, lettersToCol, parseAddress, rectToA1 } from "./host/address";
export { FUNCTION_NAMES } from "./formula/functions";
export { formatValue } from "./formula/textFormat";
export { isErr } from "./formula/values";
export { clearFormula, filledOf, hasFormula, type Filled } from "./xlsx/filled";
export type {
  Cell,
  CellStyle,
  CfFormat,
  ChartModel,
  ChartSeriesModel,
  ChartTypeName,
  ConditionalFormatModel,
  DefinedNameModel,
  ErrorValue,
  PageSetupModel,
  Rect,
  Scalar,
  SheetModel,
  SheetVisibility,
  TableModel,
  ValidationModel,
  ValidationRule,
  WorkbookModel,
} from "./model";

export type OfflineHostOptions = {
  /** "web" enforces Excel on the web's 5 MB request/response limits. Default "desktop". */
  mode?: HostMode;
  /** Highest ExcelApi requirement set the host implements; newer members fail like a missing API. Default "1.17". */
  apiVersion?: string;
  /** Clock for TODAY(). */
  now?: () => Date;
  /**
   * Excel's AutoCorrect option "Fill formulas in tables to create calculated columns", which applies to API writes too
   * (office-js #2093, by design): a formula written into part of an empty table column (or over a calculated column)
   * is filled into every data row. On by default, as in Excel; off only to test what a user who turned AutoCorrect's
   * "Fill formulas in tables" off gets.
   */
  fillFormulasInTables?: boolean;
};

/**
 * Runs Excel JS API batches against a WorkbookModel.
 * @example
 * const host = new OfflineHost();
 * await host.run(async (context) => { context.workbook.worksheets.getActiveWorksheet().getRange("A1").values = [[1]]; });
 */
export class OfflineHost {
  readonly model: WorkbookModel;
  private readonly runtime: HostRuntime;

  constructor(model?: WorkbookModel, opts: OfflineHostOptions = {}) {
    this.model = model ?? createWorkbookModel();
    this.runtime = new HostRuntime(this.model, {
      mode: opts.mode ?? "desktop",
      apiVersion: opts.apiVersion ?? "1.17",
      now: opts.now ?? (() => new Date()),
      fillFormulasInTables: opts.fillFormulasInTables ?? true,
    });
  }

  get stats(): HostStats {
    return this.runtime.stats;
  }

  resetStats(): void {
    Object.assign(this.runtime.stats, emptyStats());
  }

  /** Like Excel.run: a fresh RequestContext for the batch; pending work is synced when the batch's promise settles. */
  async run<T>(batch: (context: Excel.RequestContext) => Promise<T>): Promise<T> {
    const context = new OfflineRequestContext(this.runtime);
    context.workbook = new Workbook(context);
    const result = await batch(context as unknown as Excel.RequestContext);
    if (context.hasPending) await context.sync();
    return result;
  }

  /**
   * Recomputes the formula cells' values when something changed since the last calculation (a view after an
   * operation: a read-only one such as a preview costs nothing then).
   */
  calculate(): void {
    this.runtime.ensureCalculated();
  }

  /**
   * calculate(), in slices of about `sliceMs` with `pause` awaited between them (a page stays responsive while a
   * 5,000-row plan recalculates). It runs as a batch: no Excel.run batch changes the workbook meanwhile.
   */
  async calculateInSlices(sliceMs: number, pause: () => Promise<void>): Promise<void> {
    await this.runtime.exclusive(() => this.runtime.calculateInSlices(sliceMs, pause));
  }

  /**
   * Runs `read` (a view reading the workbook in slices of its own, such as the workbench grid) between batches: after
   * every batch started before it and before any started after, with the formulas calculated first in slices of about
   * `sliceMs`, `pause` awaited between them. The reader sees one state of the workbook, never half of a batch, and
   * never sets off a whole recalculation in one task.
   */
  async readCalculated<T>(sliceMs: number, pause: () => Promise<void>, read: () => Promise<T>): Promise<T> {
    return this.runtime.exclusive(async () => {
      await this.runtime.calculateInSlices(sliceMs, pause);
      return read();
    });
  }

  /** Recomputes every formula cell's value in the model (export calls this so cached values are right). */
  recalculate(): void {
    this.runtime.dirty = true;
    this.runtime.ensureCalculated();
  }

  /** ExcelApi requirement-set check against `apiVersion`, like Office.context.requirements.isSetSupported("ExcelApi", v). */
  isSetSupported(version: string): boolean {
    return this.runtime.isSetSupported(version);
  }

  /**
   * How the conditional formats of a sheet apply, cell by cell, evaluated with this host's formula engine and clock
   * (what Excel would draw); the host stores rules without enforcing them, this is for views such as the workbench.
   */
  conditionalFormats(sheetName: string): SheetConditionalFormats {
    const sheet = this.runtime.sheetByName(sheetName);
    if (!sheet) throw new Error(`No sheet named ${sheetName}`);
    return evaluateConditionalFormats(this.runtime, sheet);
  }

  /**
   * The user clicks a sheet's tab (a view such as the workbench): the visible sheet becomes active and the
   * `worksheets.onActivated` handlers hear of it, as in Excel. A hidden sheet cannot be active; false then.
   */
  activateSheetAsUser(sheetName: string): boolean {
    const sheet = this.runtime.sheetByName(sheetName);
    if (!sheet || sheet.visibility !== "Visible") return false;
    const index = this.model.sheets.indexOf(sheet);
    if (index === this.model.activeSheet) return true;
    this.model.activeSheet = index;
    this.runtime.sheetActivated(sheet);
    return true;
  }

  /** Makes the next sync fail with InvalidOperationInCellEditMode, as when the user is typing in a cell. */
  simulateCellEditMode(): void {
    this.runtime.failNextSyncInCellEditMode();
  }

  /** Formula functions met in the workbook that the engine does not evaluate (those cells keep cached values). */
  get unsupportedFunctions(): string[] {
    return [...this.runtime.engine.unsupported].sort();
  }

  /** Time and size of the last recalculation. */
  get calcStats(): { formulas: number; shapes: number; ms: number } {
    return this.runtime.engine.stats;
  }
}
