import { FormulaEngine } from "../formula/engine";
import type { Rect, SheetModel, TableModel, WorkbookModel } from "../model";
import { HostError } from "./errors";

export type HostMode = "desktop" | "web";

export type HostStats = {
  syncs: number;
  maxRequestBytes: number;
  maxResponseBytes: number;
  objectsCreated: number;
  /** Estimated request size of each sync, in order. */
  requests: number[];
  /** Estimated response size of each sync that delivered its results, in order. */
  responses: number[];
  /** Syncs rejected for a request or response over Excel on the web's limit, and the largest response among them. */
  rejectedSyncs: number;
  maxRejectedResponseBytes: number;
};

export type RuntimeOptions = {
  mode: HostMode;
  apiVersion: string;
  now: () => Date;
  /** Excel's AutoCorrect "Fill formulas in tables to create calculated columns" (see OfflineHostOptions). */
  fillFormulasInTables: boolean;
};

/** Counters as a fresh host has them. */
export function emptyStats(): HostStats {
  return {
    syncs: 0,
    maxRequestBytes: 0,
    maxResponseBytes: 0,
    objectsCreated: 0,
    requests: [],
    responses: [],
    rejectedSyncs: 0,
    maxRejectedResponseBytes: 0,
  };
}

function versionNumber(v: string): number {
  const [major, minor] = v.split(".").map(Number);
  return (major || 0) * 1000 + (minor || 0);
}

/** Shared state of one offline host: the model, the formula engine, options, counters and the selection. */
export class HostRuntime {
  readonly engine: FormulaEngine;
  readonly stats: HostStats = emptyStats();
  private changed = true;
  /** Counts the times something changed, so a recalculation in slices knows whether a change came in meanwhile. */
  private changes = 0;
  /** Something changed since the last recalculation. */
  get dirty(): boolean {
    return this.changed;
  }
  set dirty(value: boolean) {
    this.changed = value;
    if (value) this.changes++;
  }
  /** The end of the last sync's batch: batches run one after another (see {@link exclusive}). */
  private batchTail: Promise<void> = Promise.resolve();
  selection: { sheetId: string; rect: Rect } | null = null;
  /** Handlers added with `worksheets.onActivated.add` and not removed. */
  readonly activatedHandlers = new Set<(args: Excel.WorksheetActivatedEventArgs) => Promise<unknown>>();
  private cellEditFailures = 0;

  constructor(
    readonly model: WorkbookModel,
    readonly opts: RuntimeOptions,
  ) {
    this.engine = new FormulaEngine(model, opts.now);
  }

  /**
   * Tells the `worksheets.onActivated` handlers that `sheet` became the active sheet. Excel raises the event after the
   * change, apart from the call that made it (WorksheetActivatedEventArgs, ExcelApi 1.7, learn.microsoft.com
   * /javascript/api/excel/excel.worksheetactivatedeventargs): handlers run on a later task, never inside the sync.
   */
  sheetActivated(sheet: SheetModel): void {
    const args: Excel.WorksheetActivatedEventArgs = { type: "WorksheetActivated", worksheetId: sheet.id };
    for (const handler of [...this.activatedHandlers])
      setTimeout(() => {
        // A handler's failure is its own (Excel reports it to the console, not to whoever activated the sheet).
        handler(args).catch((e: unknown) => console.error("worksheets.onActivated handler failed:", e));
      }, 0);
  }

  get mode(): HostMode {
    return this.opts.mode;
  }

  /** True when the host implements ExcelApi `version`. */
  isSetSupported(version: string): boolean {
    return versionNumber(version) <= versionNumber(this.opts.apiVersion);
  }

  /** Throws ApiNotFound when `api` needs a newer requirement set than the host runs. */
  require(version: string, api: string): void {
    if (!this.isSetSupported(version)) {
      throw new HostError(
        "ApiNotFound",
        `The API '${api}' (ExcelApi ${version}) is not supported by this host (ExcelApi ${this.opts.apiVersion}).`,
        api,
      );
    }
  }

  /** Makes the next sync fail as Excel does while the user edits a cell. */
  failNextSyncInCellEditMode(): void {
    this.cellEditFailures++;
  }

  takeCellEditFailure(): boolean {
    if (this.cellEditFailures === 0) return false;
    this.cellEditFailures--;
    return true;
  }

  /** Recalculates when cells changed since the last time. */
  ensureCalculated(): void {
    if (!this.dirty) return;
    this.engine.recalculate();
    this.dirty = false;
  }

  /**
   * ensureCalculated in slices of about `sliceMs`, awaiting `pause` between them so a page stays responsive while
   * thousands of formulas recalculate. A change or another recalculation during a pause leaves the host dirty (the
   * next read recalculates), so a slice never makes a stale value look current.
   */
  async calculateInSlices(sliceMs: number, pause: () => Promise<void>): Promise<void> {
    if (!this.dirty) return;
    const changes = this.changes;
    const complete = await this.engine.recalculateInSlices(sliceMs, pause);
    if (complete && changes === this.changes) this.dirty = false;
  }

  /**
   * Runs `batch` after every batch started before it has ended. Excel runs one request at a time; the offline host's
   * sync pauses between actions (so a page can paint), and another Excel.run's sync must not slip in between.
   */
  async exclusive<T>(batch: () => Promise<T>): Promise<T> {
    const before = this.batchTail;
    let release = (): void => undefined;
    this.batchTail = new Promise<void>((resolve) => (release = resolve));
    await before;
    try {
      return await batch();
    } finally {
      release();
    }
  }

  sheetByName(name: string): SheetModel | undefined {
    const key = name.toLowerCase();
    return this.model.sheets.find((s) => s.name.toLowerCase() === key);
  }

  sheetById(id: string): SheetModel | undefined {
    return this.model.sheets.find((s) => s.id === id);
  }

  hasSheet(sheet: SheetModel): boolean {
    return this.model.sheets.includes(sheet);
  }

  findTable(name: string): { sheet: SheetModel; table: TableModel } | undefined {
    const key = name.toLowerCase();
    for (const sheet of this.model.sheets) {
      const table = sheet.tables.find((t) => t.name.toLowerCase() === key);
      if (table) return { sheet, table };
    }
    return undefined;
  }

  /** A name taken by a table or a defined name (they share one namespace in Excel). */
  nameTaken(name: string, scopeSheetId?: string): boolean {
    const key = name.toLowerCase();
    if (this.findTable(name)) return true;
    return this.model.names.some((n) => n.name.toLowerCase() === key && n.scopeSheetId === scopeSheetId);
  }

  /** Throws AccessDenied for a write to a protected sheet. */
  assertEditable(sheet: SheetModel): void {
    if (sheet.protected)
      throw new HostError(
        "AccessDenied",
        `The cell or chart you're trying to change is on a protected sheet (${sheet.name}).`,
      );
  }
}

const INVALID_SHEET_CHARS = /[:\\/?*[\]]/;

/** Excel's sheet-name rules: 1–31 characters, none of : \ / ? * [ ], not starting or ending with ', unique ignoring case. */
export function validateSheetName(model: WorkbookModel, name: string, except?: SheetModel): void {
  if (
    typeof name !== "string" ||
    name.length === 0 ||
    name.length > 31 ||
    INVALID_SHEET_CHARS.test(name) ||
    name.startsWith("'") ||
    name.endsWith("'")
  ) {
    throw new HostError("InvalidArgument", `The sheet name '${name}' is not valid.`);
  }
  if (name.toLowerCase() === "history") throw new HostError("InvalidArgument", "The sheet name 'History' is reserved.");
  const key = name.toLowerCase();
  if (model.sheets.some((s) => s !== except && s.name.toLowerCase() === key)) {
    throw new HostError("ItemAlreadyExists", `A sheet named '${name}' already exists.`);
  }
}

/**
 * Excel's rules for table and defined names: start with a letter, _ or \; then letters, digits, _ and .; no spaces;
 * at most 255 characters; not a cell reference (A1, R1C1) and not "R" or "C".
 */
export function isValidName(name: string): boolean {
  if (typeof name !== "string" || name.length === 0 || name.length > 255) return false;
  if (!/^[A-Za-z_\\\u00A1-\uFFFF][A-Za-z0-9_.\\\u00A1-\uFFFF]*$/.test(name)) return false;
  if (/^[A-Za-z]{1,3}\d+$/.test(name)) {
    const letters = name.match(/^[A-Za-z]+/)![0].toUpperCase();
    const value = [...letters].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0);
    if (value <= 16384) return false;
  }
  if (/^[RrCc]$/.test(name) || /^[Rr]\d*[Cc]\d*$/.test(name)) return false;
  return true;
}
