import type { AutoFilterModel, PageSetupModel, Rect, SheetModel, SheetVisibility, TableModel } from "../model";
import { MAX_COLS, MAX_ROWS, parseAddress, sameRect } from "./address";
import { ClientCollection, ClientObject, type ClientResult } from "./context";
import { HostError } from "./errors";
import { createSheet, usedRect } from "./modelUtil";
import { Range } from "./range";
import { validateSheetName } from "./runtime";
import { ChartCollection } from "./chart";
import { NamedItemCollection, TableCollection } from "./workbook";

/** Proxy for Excel.Worksheet. */
export class Worksheet extends ClientObject<SheetModel> {
  protected get typeName(): string {
    return "Worksheet";
  }
  protected override stillValid(t: SheetModel): boolean {
    return this.context.runtime.hasSheet(t);
  }
  protected scalarNames(): readonly string[] {
    return ["name", "id", "position", "visibility", "tabColor"];
  }
  protected snapshot(t: SheetModel, name: string): unknown {
    switch (name) {
      case "name":
        return t.name;
      case "id":
        return t.id;
      case "position":
        return this.context.runtime.model.sheets.indexOf(t);
      case "visibility":
        return t.visibility;
      case "tabColor":
        return t.tabColor ?? "";
    }
    return undefined;
  }
  protected override child(name: string): ClientObject<unknown> | undefined {
    const map: Record<string, () => ClientObject<unknown>> = {
      tables: () => this.tables,
      charts: () => this.charts,
      names: () => this.names,
      protection: () => this.protection,
      freezePanes: () => this.freezePanes,
      autoFilter: () => this.autoFilter,
      customProperties: () => this.customProperties,
      pageLayout: () => this.pageLayout,
    };
    return map[name]?.();
  }

  /** Parses an address on `sheet`; naming another sheet is InvalidArgument. */
  static parse(sheet: SheetModel, address: string): Rect {
    const p = parseAddress(address);
    if (!p) throw new HostError("InvalidArgument", `'${address}' is not a valid range address.`);
    if (p.sheet !== undefined && p.sheet.toLowerCase() !== sheet.name.toLowerCase()) {
      throw new HostError("InvalidArgument", `The address '${address}' is not on the worksheet ${sheet.name}.`);
    }
    return p.rect;
  }

  get name(): string {
    return this.prop("name");
  }
  set name(v: string) {
    this.local("name", v);
    this.act("name", v, (t) => {
      validateSheetName(this.context.runtime.model, v, t);
      t.name = v;
      this.context.runtime.dirty = true;
    });
  }
  get id(): string {
    return this.prop("id");
  }
  get position(): number {
    return this.prop("position");
  }
  set position(v: number) {
    this.local("position", v);
    this.act("position", v, (t) => {
      const sheets = this.context.runtime.model.sheets;
      if (!Number.isInteger(v) || v < 0 || v >= sheets.length)
        throw new HostError("InvalidArgument", "The position is out of range.");
      const active = sheets[this.context.runtime.model.activeSheet];
      sheets.splice(sheets.indexOf(t), 1);
      sheets.splice(v, 0, t);
      this.context.runtime.model.activeSheet = Math.max(0, sheets.indexOf(active));
    });
  }
  get visibility(): SheetVisibility {
    return this.prop("visibility");
  }
  set visibility(v: SheetVisibility) {
    // ExcelApi 1.1 reads it; setting it is 1.2 (@types/office-js).
    this.context.requireSet("1.2", "Worksheet.visibility");
    this.local("visibility", v);
    this.act("visibility", v, (t) => {
      if (!["Visible", "Hidden", "VeryHidden"].includes(v))
        throw new HostError("InvalidArgument", `Invalid visibility ${v}.`);
      const model = this.context.runtime.model;
      if (v !== "Visible" && model.sheets.filter((s) => s !== t && s.visibility === "Visible").length === 0) {
        throw new HostError("InvalidOperation", "A workbook must keep at least one visible worksheet.");
      }
      t.visibility = v;
    });
  }
  get tabColor(): string {
    return this.prop("tabColor");
  }
  set tabColor(v: string) {
    this.local("tabColor", v);
    this.act("tabColor", v, (t) => {
      if (v === "") delete t.tabColor;
      else t.tabColor = v;
    });
  }

  get tables(): TableCollection {
    return this.kid("tables", () => new TableCollection(this.context, () => this.target()));
  }
  get charts(): ChartCollection {
    return this.kid("charts", () => new ChartCollection(this.context, () => this.target()));
  }
  get names(): NamedItemCollection {
    this.needs("1.4", "Worksheet.names");
    return this.kid("names", () => new NamedItemCollection(this.context, () => ({ sheet: this.target() })));
  }
  get protection(): WorksheetProtection {
    this.needs("1.2", "Worksheet.protection");
    return this.kid("protection", () => new WorksheetProtection(this.context, () => this.target()));
  }
  get freezePanes(): WorksheetFreezePanes {
    this.needs("1.7", "Worksheet.freezePanes");
    return this.kid("freezePanes", () => new WorksheetFreezePanes(this.context, () => this.target()));
  }
  get autoFilter(): AutoFilter {
    this.needs("1.9", "Worksheet.autoFilter");
    return this.kid("autoFilter", () => new AutoFilter(this.context, () => ({ sheet: this.target() })));
  }
  get pageLayout(): PageLayout {
    this.needs("1.9", "Worksheet.pageLayout");
    return this.kid("pageLayout", () => new PageLayout(this.context, () => this.target()));
  }
  get customProperties(): WorksheetCustomPropertyCollection {
    this.needs("1.12", "Worksheet.customProperties");
    return this.kid("customProperties", () => new WorksheetCustomPropertyCollection(this.context, () => this.target()));
  }

  needs(version: string, api: string): void {
    this.context.requireSet(version, api);
  }

  getRange(address?: string): Range {
    return new Range(this.context, () => {
      const sheet = this.target();
      const rect =
        address === undefined || address === ""
          ? { r0: 0, c0: 0, r1: MAX_ROWS - 1, c1: MAX_COLS - 1 }
          : Worksheet.parse(sheet, address);
      return { sheet, rect };
    });
  }
  getRangeByIndexes(startRow: number, startColumn: number, rowCount: number, columnCount: number): Range {
    this.needs("1.7", "Worksheet.getRangeByIndexes");
    return new Range(this.context, () => {
      const rect = { r0: startRow, c0: startColumn, r1: startRow + rowCount - 1, c1: startColumn + columnCount - 1 };
      if (rowCount < 1 || columnCount < 1 || rect.r0 < 0 || rect.c0 < 0 || rect.r1 >= MAX_ROWS || rect.c1 >= MAX_COLS) {
        throw new HostError("InvalidArgument", "The indexes lie outside the worksheet.");
      }
      return { sheet: this.target(), rect };
    });
  }
  getCell(row: number, column: number): Range {
    return this.getRangeByIndexesUnchecked(row, column);
  }
  private getRangeByIndexesUnchecked(row: number, column: number): Range {
    return new Range(this.context, () => {
      if (row < 0 || column < 0 || row >= MAX_ROWS || column >= MAX_COLS)
        throw new HostError("InvalidArgument", "The cell lies outside the worksheet.");
      return { sheet: this.target(), rect: { r0: row, c0: column, r1: row, c1: column } };
    });
  }
  /** Used range; an empty sheet gives A1, as Excel does. */
  getUsedRange(valuesOnly?: boolean): Range {
    return new Range(this.context, () => {
      const sheet = this.target();
      return { sheet, rect: usedRect(sheet, valuesOnly === true) ?? { r0: 0, c0: 0, r1: 0, c1: 0 } };
    });
  }
  getUsedRangeOrNullObject(valuesOnly?: boolean): Range {
    this.needs("1.4", "Worksheet.getUsedRangeOrNullObject");
    return new Range(
      this.context,
      () => {
        const sheet = this.target();
        const rect = usedRect(sheet, valuesOnly === true);
        return rect ? { sheet, rect } : null;
      },
      true,
    );
  }
  activate(): void {
    this.act("activate", undefined, (t) => {
      if (t.visibility !== "Visible")
        throw new HostError("InvalidOperation", "A hidden worksheet cannot be activated.");
      this.context.runtime.model.activeSheet = this.context.runtime.model.sheets.indexOf(t);
    });
  }
  delete(): void {
    this.act("delete", undefined, (t) => {
      const model = this.context.runtime.model;
      if (model.sheets.filter((s) => s !== t && s.visibility === "Visible").length === 0) {
        throw new HostError("InvalidOperation", "A workbook must contain at least one visible worksheet.");
      }
      const active = model.sheets[model.activeSheet];
      model.sheets.splice(model.sheets.indexOf(t), 1);
      model.names = model.names.filter((n) => n.scopeSheetId !== t.id);
      const idx = model.sheets.indexOf(active);
      model.activeSheet = idx >= 0 ? idx : model.sheets.findIndex((s) => s.visibility === "Visible");
      this.context.runtime.dirty = true;
    });
  }
}

/** Proxy for Excel.WorksheetCollection. */
export class WorksheetCollection extends ClientCollection<null, Worksheet> {
  constructor(context: ConstructorParameters<typeof ClientObject>[0]) {
    super(context, () => null);
  }
  override target(): null {
    return null;
  }
  override tryTarget(): null {
    return null;
  }
  protected get typeName(): string {
    return "WorksheetCollection";
  }
  protected itemProxies(): Worksheet[] {
    return this.context.runtime.model.sheets.map((s) => new Worksheet(this.context, () => s));
  }
  add(name?: string): Worksheet {
    let created: SheetModel | null = null;
    this.context.enqueue("WorksheetCollection.add", name, () => {
      const model = this.context.runtime.model;
      let n = name;
      if (n === undefined || n === null || n === "") {
        let k = model.sheets.length + 1;
        while (model.sheets.some((s) => s.name.toLowerCase() === `sheet${k}`)) k++;
        n = `Sheet${k}`;
      }
      validateSheetName(model, n);
      created = createSheet(n);
      model.sheets.push(created);
      this.context.runtime.dirty = true;
    });
    return new Worksheet(this.context, () => created);
  }
  private find(key: string): SheetModel | undefined {
    const rt = this.context.runtime;
    return rt.sheetById(key) ?? rt.sheetByName(key);
  }
  getItem(key: string): Worksheet {
    return new Worksheet(this.context, () => {
      const s = this.find(key);
      if (!s) throw new HostError("ItemNotFound", `The worksheet '${key}' doesn't exist.`);
      return s;
    });
  }
  getItemOrNullObject(key: string): Worksheet {
    return new Worksheet(this.context, () => this.find(key) ?? null, true);
  }
  /**
   * Occurs when any worksheet of the workbook is activated (ExcelApi 1.7; typings: `WorksheetCollection.onActivated`).
   * The handler is registered when the batch syncs, as Excel does with `add`.
   */
  get onActivated(): WorksheetEvents {
    this.context.requireSet("1.7", "WorksheetCollection.onActivated");
    return new WorksheetEvents(this.context);
  }
  getActiveWorksheet(): Worksheet {
    return new Worksheet(
      this.context,
      () => this.context.runtime.model.sheets[this.context.runtime.model.activeSheet] ?? null,
    );
  }
  getFirst(visibleOnly?: boolean): Worksheet {
    return new Worksheet(
      this.context,
      () => this.context.runtime.model.sheets.find((s) => !visibleOnly || s.visibility === "Visible") ?? null,
    );
  }
  getLast(visibleOnly?: boolean): Worksheet {
    return new Worksheet(
      this.context,
      () =>
        [...this.context.runtime.model.sheets].reverse().find((s) => !visibleOnly || s.visibility === "Visible") ??
        null,
    );
  }
  getCount(visibleOnly?: boolean): ClientResult<number> {
    return this.result(
      "getCount",
      visibleOnly,
      () => this.context.runtime.model.sheets.filter((s) => !visibleOnly || s.visibility === "Visible").length,
    );
  }
}

export class WorksheetProtection extends ClientObject<SheetModel> {
  protected get typeName(): string {
    return "WorksheetProtection";
  }
  protected scalarNames(): readonly string[] {
    return ["protected"];
  }
  protected snapshot(t: SheetModel): unknown {
    return t.protected;
  }
  get protected(): boolean {
    return this.prop("protected");
  }
  protect(_options?: unknown, _password?: string): void {
    this.act("protect", undefined, (t) => {
      if (t.protected) throw new HostError("InvalidOperation", "The worksheet is already protected.");
      t.protected = true;
    });
  }
  unprotect(_password?: string): void {
    this.act("unprotect", undefined, (t) => (t.protected = false));
  }
}

export class WorksheetFreezePanes extends ClientObject<SheetModel> {
  protected get typeName(): string {
    return "WorksheetFreezePanes";
  }
  protected scalarNames(): readonly string[] {
    return [];
  }
  protected snapshot(): unknown {
    return undefined;
  }
  freezeRows(count?: number): void {
    this.act("freezeRows", count, (t) => (t.freeze = { rows: count ?? 1, columns: 0 }));
  }
  freezeColumns(count?: number): void {
    this.act("freezeColumns", count, (t) => (t.freeze = { rows: 0, columns: count ?? 1 }));
  }
  freezeAt(frozenRange: Range | string): void {
    this.act("freezeAt", typeof frozenRange === "string" ? frozenRange : undefined, (t) => {
      const rect = typeof frozenRange === "string" ? Worksheet.parse(t, frozenRange) : frozenRange.target().rect;
      t.freeze = { rows: rect.r1 + 1, columns: rect.c1 === MAX_COLS - 1 ? 0 : rect.c1 + 1 };
      if (rect.r1 === MAX_ROWS - 1) t.freeze.rows = 0;
    });
  }
  unfreeze(): void {
    this.act("unfreeze", undefined, (t) => (t.freeze = { rows: 0, columns: 0 }));
  }
  getLocationOrNullObject(): Range {
    return new Range(
      this.context,
      () => {
        const t = this.target();
        const { rows, columns } = t.freeze;
        if (rows === 0 && columns === 0) return null;
        return {
          sheet: t,
          rect: {
            r0: 0,
            c0: 0,
            r1: rows === 0 ? MAX_ROWS - 1 : rows - 1,
            c1: columns === 0 ? MAX_COLS - 1 : columns - 1,
          },
        };
      },
      true,
    );
  }
}

type ZoomOptions = { scale?: number | null; horizontalFitToPages?: number | null; verticalFitToPages?: number | null };

/** The sheet's print settings, created on first write. */
function pageSetupOf(t: SheetModel): PageSetupModel {
  t.pageSetup ??= {};
  return t.pageSetup;
}

/**
 * Excel.PaperType names in the order of their ECMA-376 codes (`paperSize` 1–41, the same numbering as Excel's
 * XlPaperSize): the name at index i has code i + 1. The list is the union in @types/office-js's PageLayout.paperSize.
 */
export const PAPER_TYPES = [
  "Letter",
  "LetterSmall",
  "Tabloid",
  "Ledger",
  "Legal",
  "Statement",
  "Executive",
  "A3",
  "A4",
  "A4Small",
  "A5",
  "B4",
  "B5",
  "Folio",
  "Quatro",
  "Paper10x14",
  "Paper11x17",
  "Note",
  "Envelope9",
  "Envelope10",
  "Envelope11",
  "Envelope12",
  "Envelope14",
  "Csheet",
  "Dsheet",
  "Esheet",
  "EnvelopeDL",
  "EnvelopeC5",
  "EnvelopeC3",
  "EnvelopeC4",
  "EnvelopeC6",
  "EnvelopeC65",
  "EnvelopeB4",
  "EnvelopeB5",
  "EnvelopeB6",
  "EnvelopeItaly",
  "EnvelopeMonarch",
  "EnvelopePersonal",
  "FanfoldUS",
  "FanfoldStdGerman",
  "FanfoldLegalGerman",
] as const;

const isCount = (n: unknown): n is number => typeof n === "number" && Number.isInteger(n) && n >= 0;

/**
 * Part of Excel.PageLayout (ExcelApi 1.9): orientation, zoom (scale or fit to pages), horizontal centring and print
 * title rows, kept in `SheetModel.pageSetup`.
 */
export class PageLayout extends ClientObject<SheetModel> {
  protected get typeName(): string {
    return "PageLayout";
  }
  protected override stillValid(t: SheetModel): boolean {
    return this.context.runtime.hasSheet(t);
  }
  protected scalarNames(): readonly string[] {
    return ["orientation", "paperSize", "zoom", "centerHorizontally"];
  }
  protected snapshot(t: SheetModel, name: string): unknown {
    const ps = t.pageSetup ?? {};
    switch (name) {
      case "orientation":
        return ps.orientation ?? "Portrait";
      case "zoom":
        // Only the setting in effect: the typings say the other members "can be null" then.
        return ps.fitToWidth !== undefined || ps.fitToHeight !== undefined
          ? { horizontalFitToPages: ps.fitToWidth ?? 1, verticalFitToPages: ps.fitToHeight ?? 1 }
          : { scale: ps.scale ?? 100 };
      case "centerHorizontally":
        return ps.centerHorizontally ?? false;
      case "paperSize":
        // A new sheet has the printer's default; Letter is the file format's (ECMA-376 default of paperSize is 1).
        return PAPER_TYPES[(ps.paperSize ?? 1) - 1] ?? "Letter";
    }
    return undefined;
  }

  get orientation(): "Portrait" | "Landscape" {
    return this.prop("orientation");
  }
  set orientation(v: "Portrait" | "Landscape") {
    this.local("orientation", v);
    this.act("orientation", v, (t) => {
      if (v !== "Portrait" && v !== "Landscape") throw new HostError("InvalidArgument", `Invalid orientation ${v}.`);
      pageSetupOf(t).orientation = v;
    });
  }
  get paperSize(): string {
    return this.prop("paperSize");
  }
  set paperSize(v: string) {
    this.local("paperSize", v);
    this.act("paperSize", v, (t) => {
      const i = (PAPER_TYPES as readonly string[]).indexOf(v);
      if (i < 0) throw new HostError("InvalidArgument", `Invalid paper size ${v}.`);
      pageSetupOf(t).paperSize = i + 1;
    });
  }
  get centerHorizontally(): boolean {
    return this.prop("centerHorizontally");
  }
  set centerHorizontally(v: boolean) {
    this.local("centerHorizontally", v);
    this.act("centerHorizontally", v, (t) => {
      if (typeof v !== "boolean") throw new HostError("InvalidArgument", "centerHorizontally must be a boolean.");
      pageSetupOf(t).centerHorizontally = v;
    });
  }
  get zoom(): ZoomOptions {
    return this.prop("zoom");
  }
  set zoom(v: ZoomOptions) {
    this.local("zoom", v && typeof v === "object" ? { ...v } : v);
    this.act("zoom", v, (t) => {
      if (!v || typeof v !== "object") throw new HostError("InvalidArgument", "zoom must be an object.");
      const scale = v.scale ?? undefined;
      const w = v.horizontalFitToPages ?? undefined;
      const h = v.verticalFitToPages ?? undefined;
      const fit = w !== undefined || h !== undefined;
      // Scale and fit-to-pages are one choice in Excel's dialog; asking for both at once has no single meaning.
      if (scale !== undefined && fit)
        throw new HostError("InvalidArgument", "zoom takes either scale or fit-to-pages values, not both.");
      if (scale !== undefined) {
        if (typeof scale !== "number" || !Number.isInteger(scale) || scale < 10 || scale > 400)
          throw new HostError("InvalidArgument", "The print scale must be a whole percentage from 10 to 400.");
        const ps = pageSetupOf(t);
        ps.scale = scale;
        delete ps.fitToWidth;
        delete ps.fitToHeight;
      } else if (fit) {
        if ((w !== undefined && !isCount(w)) || (h !== undefined && !isCount(h)))
          throw new HostError("InvalidArgument", "Fit-to-pages values must be whole numbers of at least 0.");
        const ps = pageSetupOf(t);
        // A direction not given keeps its value; Excel's (and the file format's) starting value is 1 page.
        ps.fitToWidth = w ?? ps.fitToWidth ?? 1;
        ps.fitToHeight = h ?? ps.fitToHeight ?? 1;
        delete ps.scale;
      }
    });
  }

  /** Sets the rows repeated at the top of each printed page; any range is taken by its rows. */
  setPrintTitleRows(printTitleRows: Range | string): void {
    this.act("setPrintTitleRows", typeof printTitleRows === "string" ? printTitleRows : undefined, (t) => {
      let rect: Rect;
      if (typeof printTitleRows === "string") rect = Worksheet.parse(t, printTitleRows);
      else {
        const target = printTitleRows.target();
        if (target.sheet !== t)
          throw new HostError("InvalidArgument", "The print title rows must be on the same worksheet.");
        rect = target.rect;
      }
      pageSetupOf(t).printTitleRows = { r0: rect.r0, r1: rect.r1 };
    });
  }
  getPrintTitleRows(): Range {
    return this.titleRows(false);
  }
  getPrintTitleRowsOrNullObject(): Range {
    return this.titleRows(true);
  }
  private titleRows(nullable: boolean): Range {
    return new Range(
      this.context,
      () => {
        const t = this.target();
        const rows = t.pageSetup?.printTitleRows;
        if (rows) return { sheet: t, rect: { r0: rows.r0, r1: rows.r1, c0: 0, c1: MAX_COLS - 1 } };
        if (nullable) return null;
        throw new HostError("ItemNotFound", "The worksheet has no print title rows.");
      },
      nullable,
    );
  }
}

/** Enough of Excel.AutoFilter to report and manage an active filter. */
/** What an AutoFilter proxy works on: a sheet's filter, or the filter of a table's header row (Table.autoFilter). */
export type FilterTarget = { sheet: SheetModel; table?: TableModel };

/**
 * Proxy for Excel.AutoFilter (ExcelApi 1.9), of a sheet or of a table. It records the range and the criteria per
 * column (FilterCriteria objects as given); it hides no rows.
 */
export class AutoFilter extends ClientObject<FilterTarget> {
  protected get typeName(): string {
    return "AutoFilter";
  }
  protected scalarNames(): readonly string[] {
    return ["enabled", "isDataFiltered", "criteria"];
  }
  private model(t: FilterTarget): AutoFilterModel | undefined {
    if (!t.table) return t.sheet.autoFilter;
    const criteria = t.table.filterCriteria ?? {};
    return { ref: t.table.ref, active: Object.keys(criteria).length > 0, criteria };
  }
  protected snapshot(t: FilterTarget, name: string): unknown {
    const m = this.model(t);
    if (name === "enabled") return m !== undefined;
    if (name === "isDataFiltered") return m?.active ?? false;
    if (!m) return [];
    const width = m.ref.c1 - m.ref.c0 + 1;
    // Columns without criteria read as empty criteria.
    return Array.from({ length: width }, (_, i) => ({ ...(m.criteria?.[i] ?? {}) }));
  }
  get enabled(): boolean {
    return this.prop("enabled");
  }
  get isDataFiltered(): boolean {
    return this.prop("isDataFiltered");
  }
  get criteria(): Record<string, unknown>[] {
    return this.prop("criteria");
  }
  apply(range: Range | string, columnIndex?: number, criteria?: Record<string, unknown>): void {
    this.act("apply", { columnIndex, criteria }, (t) => {
      const rect = typeof range === "string" ? Worksheet.parse(t.sheet, range) : range.target().rect;
      const set = (all: Record<number, Record<string, unknown>>) => {
        if (columnIndex !== undefined && criteria !== undefined) all[columnIndex] = { ...criteria };
        return all;
      };
      if (t.table) {
        if (rect.c0 !== t.table.ref.c0 || rect.c1 !== t.table.ref.c1)
          throw new HostError("InvalidArgument", "A table's filter applies to the table's range.");
        t.table.filterCriteria = set({ ...(t.table.filterCriteria ?? {}) });
        return;
      }
      const same = t.sheet.autoFilter && sameRect(t.sheet.autoFilter.ref, rect);
      const all = set(same ? { ...(t.sheet.autoFilter?.criteria ?? {}) } : {});
      t.sheet.autoFilter = { ref: rect, active: Object.keys(all).length > 0, criteria: all };
    });
  }
  clearCriteria(): void {
    this.act("clearCriteria", undefined, (t) => {
      if (t.table) delete t.table.filterCriteria;
      else if (t.sheet.autoFilter) t.sheet.autoFilter = { ref: t.sheet.autoFilter.ref, active: false };
    });
  }
  remove(): void {
    this.act("remove", undefined, (t) => {
      if (t.table) throw new HostError("InvalidOperation", "A table's filter buttons cannot be removed this way.");
      delete t.sheet.autoFilter;
    });
  }
  getRangeOrNullObject(): Range {
    return new Range(
      this.context,
      () => {
        const t = this.target();
        const m = this.model(t);
        return m ? { sheet: t.sheet, rect: m.ref } : null;
      },
      true,
    );
  }
}

type PropTarget = { sheet: SheetModel; key: string };

export class WorksheetCustomPropertyCollection extends ClientCollection<SheetModel, WorksheetCustomProperty> {
  protected get typeName(): string {
    return "WorksheetCustomPropertyCollection";
  }
  protected itemProxies(t: SheetModel): WorksheetCustomProperty[] {
    return [...t.customProperties.keys()].map(
      (key) => new WorksheetCustomProperty(this.context, () => ({ sheet: t, key })),
    );
  }
  add(key: string, value: string): WorksheetCustomProperty {
    this.act("add", { key, value }, (t) => {
      if (typeof key !== "string" || key === "" || key.length > 255)
        throw new HostError("InvalidArgument", "A custom property key must be 1–255 characters.");
      t.customProperties.set(key, String(value));
    });
    return new WorksheetCustomProperty(this.context, () => ({ sheet: this.target(), key }));
  }
  private find(t: SheetModel, key: string): string | undefined {
    return [...t.customProperties.keys()].find((k) => k.toLowerCase() === key.toLowerCase());
  }
  getItem(key: string): WorksheetCustomProperty {
    return new WorksheetCustomProperty(this.context, () => {
      const t = this.target();
      const k = this.find(t, key);
      if (k === undefined) throw new HostError("ItemNotFound", `No custom property '${key}'.`);
      return { sheet: t, key: k };
    });
  }
  getItemOrNullObject(key: string): WorksheetCustomProperty {
    return new WorksheetCustomProperty(
      this.context,
      () => {
        const t = this.target();
        const k = this.find(t, key);
        return k === undefined ? null : { sheet: t, key: k };
      },
      true,
    );
  }
  getCount(): ClientResult<number> {
    return this.result("getCount", undefined, (t) => t.customProperties.size);
  }
}

export class WorksheetCustomProperty extends ClientObject<PropTarget> {
  protected get typeName(): string {
    return "WorksheetCustomProperty";
  }
  protected scalarNames(): readonly string[] {
    return ["key", "value"];
  }
  protected snapshot(t: PropTarget, name: string): unknown {
    return name === "key" ? t.key : t.sheet.customProperties.get(t.key);
  }
  get key(): string {
    return this.prop("key");
  }
  get value(): string {
    return this.prop("value");
  }
  set value(v: string) {
    this.local("value", v);
    this.act("value", v, (t) => t.sheet.customProperties.set(t.key, String(v)));
  }
  delete(): void {
    this.act("delete", undefined, (t) => t.sheet.customProperties.delete(t.key));
  }
}

type ActivatedHandler = (args: Excel.WorksheetActivatedEventArgs) => Promise<unknown>;

/** Like OfficeExtension.EventHandlers for `worksheets.onActivated`: `add` and `remove` are queued to the next sync. */
export class WorksheetEvents {
  constructor(private readonly context: ConstructorParameters<typeof ClientObject>[0]) {}
  add(handler: ActivatedHandler): WorksheetEventResult {
    this.context.enqueue("WorksheetCollection.onActivated.add", undefined, () => {
      this.context.runtime.activatedHandlers.add(handler);
    });
    return new WorksheetEventResult(this.context, handler);
  }
  remove(handler: ActivatedHandler): void {
    this.context.enqueue("WorksheetCollection.onActivated.remove", undefined, () => {
      this.context.runtime.activatedHandlers.delete(handler);
    });
  }
}

/** Like OfficeExtension.EventHandlerResult: its `context` and a `remove()` queued there. */
export class WorksheetEventResult {
  constructor(
    readonly context: ConstructorParameters<typeof ClientObject>[0],
    private readonly handler: ActivatedHandler,
  ) {}
  remove(): void {
    this.context.enqueue("EventHandlerResult.remove", undefined, () => {
      this.context.runtime.activatedHandlers.delete(this.handler);
    });
  }
}
