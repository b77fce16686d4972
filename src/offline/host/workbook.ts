import type { DefinedNameModel, Rect, SheetModel, TableModel } from "../model";
import { intersects, parseAddress, qualified, rectRows } from "./address";
import { afterWrite, calculatedAt, checkDims, enterValue, syncHeaders } from "./cells";
import { convertTableToRange } from "./structured";
import { ClientCollection, ClientObject, type ClientResult, type OfflineRequestContext } from "./context";
import { HostError } from "./errors";
import { getCell } from "./modelUtil";
import { Range, type RangeTarget } from "./range";
import { isValidName } from "./runtime";
import { applyShift } from "./shift";
import { AutoFilter, Worksheet, WorksheetCollection } from "./sheet";
import { filledOf, hasFormula } from "../xlsx/filled";

/** Proxy for Excel.Workbook. */
export class Workbook extends ClientObject<null> {
  constructor(context: OfflineRequestContext) {
    super(context, () => null);
  }
  override tryTarget(): null {
    return null;
  }
  override target(): null {
    return null;
  }
  protected get typeName(): string {
    return "Workbook";
  }
  protected scalarNames(): readonly string[] {
    return ["name"];
  }
  protected snapshot(): unknown {
    return "Workbook";
  }
  override applyLoad(tree: Parameters<ClientObject<null>["applyLoad"]>[0]): void {
    for (const [name, sub] of tree.props) {
      const c = this.child(name);
      if (!c) throw new HostError("InvalidArgument", `Cannot load '${name}' on Workbook.`);
      c.applyLoad(sub === true ? { all: true, props: new Map() } : sub);
    }
  }
  protected override child(name: string): ClientObject<unknown> | undefined {
    const map: Record<string, () => ClientObject<unknown>> = {
      worksheets: () => this.worksheets,
      tables: () => this.tables,
      names: () => this.names,
      settings: () => this.settings,
      application: () => this.application,
      functions: () => this.functions,
    };
    return map[name]?.();
  }
  get functions(): Functions {
    const rt = this.context.runtime;
    if (!rt.isSetSupported("1.2"))
      this.context.enqueue("Workbook.functions", undefined, () => rt.require("1.2", "Workbook.functions"));
    return this.kid("functions", () => new Functions(this.context, () => "functions"));
  }
  get worksheets(): WorksheetCollection {
    return this.kid("worksheets", () => new WorksheetCollection(this.context));
  }
  get tables(): TableCollection {
    return this.kid("tables", () => new TableCollection(this.context, () => "workbook"));
  }
  get names(): NamedItemCollection {
    return this.kid("names", () => new NamedItemCollection(this.context, () => ({})));
  }
  get settings(): SettingCollection {
    const rt = this.context.runtime;
    if (!rt.isSetSupported("1.4"))
      this.context.enqueue("Workbook.settings", undefined, () => rt.require("1.4", "Workbook.settings"));
    return this.kid("settings", () => new SettingCollection(this.context, () => "settings"));
  }
  get application(): Application {
    return this.kid("application", () => new Application(this.context, () => "application"));
  }
  getSelectedRange(): Range {
    return new Range(this.context, () => {
      const rt = this.context.runtime;
      const sel = rt.selection;
      const sheet = sel ? rt.sheetById(sel.sheetId) : undefined;
      if (sel && sheet) return { sheet, rect: sel.rect };
      const active = rt.model.sheets[rt.model.activeSheet];
      return { sheet: active, rect: { r0: 0, c0: 0, r1: 0, c1: 0 } };
    });
  }
  getActiveCell(): Range {
    const rt = this.context.runtime;
    if (!rt.isSetSupported("1.7"))
      this.context.enqueue("Workbook.getActiveCell", undefined, () => rt.require("1.7", "Workbook.getActiveCell"));
    return new Range(this.context, () => {
      const sel = rt.selection;
      const sheet = sel ? rt.sheetById(sel.sheetId) : undefined;
      if (sel && sheet) return { sheet, rect: { r0: sel.rect.r0, c0: sel.rect.c0, r1: sel.rect.r0, c1: sel.rect.c0 } };
      return { sheet: rt.model.sheets[rt.model.activeSheet], rect: { r0: 0, c0: 0, r1: 0, c1: 0 } };
    });
  }
}

export class Application extends ClientObject<string> {
  protected get typeName(): string {
    return "Application";
  }
  protected scalarNames(): readonly string[] {
    return ["calculationMode"];
  }
  protected snapshot(): unknown {
    return "Automatic";
  }
  get calculationMode(): string {
    return this.prop("calculationMode");
  }
  /** Recalculation is deferred to reads already; this only checks the requirement set. */
  suspendApiCalculationUntilNextSync(): void {
    const rt = this.context.runtime;
    this.context.enqueue("Application.suspendApiCalculationUntilNextSync", undefined, () =>
      rt.require("1.6", "Application.suspendApiCalculationUntilNextSync"),
    );
  }
  calculate(_calculationType: string): void {
    this.context.enqueue("Application.calculate", undefined, () => {
      this.context.runtime.dirty = true;
      this.context.runtime.ensureCalculated();
    });
  }
}

/**
 * Proxy for Excel.Functions (ExcelApi 1.2): worksheet functions evaluated without a cell. Only what the product calls
 * is here; arguments are numbers, evaluated by the engine in the workbook's date system as Excel does.
 */
export class Functions extends ClientObject<string> {
  protected get typeName(): string {
    return "Functions";
  }
  protected scalarNames(): readonly string[] {
    return [];
  }
  protected snapshot(): unknown {
    return undefined;
  }
  date(year: number, month: number, day: number): FunctionResult<number> {
    return new FunctionResult<number>(this.context, `DATE(${numberArg(year)},${numberArg(month)},${numberArg(day)})`);
  }
}

function numberArg(v: unknown): string {
  if (typeof v !== "number" || !Number.isFinite(v)) {
    throw new HostError("InvalidArgument", "The offline host's worksheet functions take numbers only.", "Functions");
  }
  return String(v);
}

/**
 * Proxy for Excel.FunctionResult: `value`, or `error` (the error in English, "#NUM!") when the function fails; the
 * other one is null, as Office documents (error "If the error string is not set, then the function succeeded").
 */
export class FunctionResult<T> extends ClientObject<{ value: T | null; error: string | null }> {
  constructor(context: OfflineRequestContext, formula: string) {
    super(context, () => {
      const rt = context.runtime;
      const { value } = rt.engine.evaluateAt(`=${formula}`, 0, { row: 0, col: 0 }, { row: 0, col: 0 });
      if (value !== null && typeof value === "object") return { value: null, error: value.error };
      return { value: value as T, error: null };
    });
  }
  protected get typeName(): string {
    return "FunctionResult";
  }
  protected scalarNames(): readonly string[] {
    return ["value", "error"];
  }
  protected snapshot(t: { value: T | null; error: string | null }, name: string): unknown {
    return name === "value" ? t.value : t.error;
  }
  get value(): T {
    return this.prop("value");
  }
  get error(): string {
    return this.prop("error");
  }
}

// --- names ---

type NamesTarget = { sheet?: SheetModel };
type NameTarget = { model: DefinedNameModel };

export class NamedItemCollection extends ClientCollection<NamesTarget, NamedItem> {
  protected get typeName(): string {
    return "NamedItemCollection";
  }
  private list(t: NamesTarget): DefinedNameModel[] {
    return this.context.runtime.model.names.filter((n) => n.scopeSheetId === t.sheet?.id);
  }
  protected itemProxies(t: NamesTarget): NamedItem[] {
    return this.list(t).map((model) => new NamedItem(this.context, () => ({ model })));
  }
  add(name: string, reference: Range | string, comment?: string): NamedItem {
    let created: DefinedNameModel | null = null;
    const rt = this.context.runtime;
    this.context.enqueue(
      "NamedItemCollection.add",
      { name, reference: typeof reference === "string" ? reference : "range", comment },
      () => {
        rt.require("1.4", "NamedItemCollection.add");
        const t = this.target();
        if (!isValidName(name)) throw new HostError("InvalidArgument", `The name '${name}' is not valid.`);
        if (rt.nameTaken(name, t.sheet?.id))
          throw new HostError("ItemAlreadyExists", `The name '${name}' already exists.`);
        let formula: string;
        if (typeof reference === "string") formula = reference.startsWith("=") ? reference : `=${reference}`;
        else {
          const r = reference.target();
          formula = `=${qualified(r.sheet.name, r.rect, true)}`;
        }
        rt.engine.checkSyntax(formula);
        created = { name, formula, comment: comment ?? "", visible: true };
        if (t.sheet) created.scopeSheetId = t.sheet.id;
        rt.model.names.push(created);
        rt.dirty = true;
      },
    );
    return new NamedItem(this.context, () => (created ? { model: created } : null));
  }
  private find(t: NamesTarget, name: string): DefinedNameModel | undefined {
    return this.list(t).find((n) => n.name.toLowerCase() === name.toLowerCase());
  }
  getItem(name: string): NamedItem {
    return new NamedItem(this.context, () => {
      const m = this.find(this.target(), name);
      if (!m) throw new HostError("ItemNotFound", `The name '${name}' doesn't exist.`);
      return { model: m };
    });
  }
  getItemOrNullObject(name: string): NamedItem {
    return new NamedItem(
      this.context,
      () => {
        // ExcelApi 1.4 (@types/office-js), as names.add.
        this.context.runtime.require("1.4", "NamedItemCollection.getItemOrNullObject");
        const m = this.find(this.target(), name);
        return m ? { model: m } : null;
      },
      true,
    );
  }
  getCount(): ClientResult<number> {
    return this.result("getCount", undefined, (t) => this.list(t).length);
  }
}

export class NamedItem extends ClientObject<NameTarget> {
  protected get typeName(): string {
    return "NamedItem";
  }
  protected scalarNames(): readonly string[] {
    return ["name", "type", "value", "formula", "comment", "visible", "scope"];
  }
  // NamedItem.formula is ExcelApi 1.7, comment and scope 1.4 (@types/office-js).
  protected override memberSets(): Readonly<Record<string, string>> {
    return { formula: "1.7", comment: "1.4", scope: "1.4" };
  }
  private rangeOf(m: DefinedNameModel): RangeTarget | null {
    const p = parseAddress(m.formula.slice(1));
    if (!p || p.sheet === undefined) return null;
    const sheet = this.context.runtime.sheetByName(p.sheet);
    return sheet ? { sheet, rect: p.rect } : null;
  }
  protected snapshot(t: NameTarget, name: string): unknown {
    const m = t.model;
    const body = m.formula.slice(1);
    switch (name) {
      case "name":
        return m.name;
      case "formula":
        return m.formula;
      case "comment":
        return m.comment;
      case "visible":
        return m.visible;
      case "scope":
        return m.scopeSheetId === undefined ? "Workbook" : "Worksheet";
      case "type":
        if (this.rangeOf(m)) return "Range";
        if (/^-?\d+$/.test(body)) return "Integer";
        if (/^-?\d*\.\d+$/.test(body)) return "Double";
        if (/^(TRUE|FALSE)$/i.test(body)) return "Boolean";
        if (/^".*"$/.test(body)) return "String";
        return "Error";
      case "value":
        return /^".*"$/.test(body) ? body.slice(1, -1).replace(/""/g, '"') : body;
    }
    return undefined;
  }
  get name(): string {
    return this.prop("name");
  }
  get type(): string {
    return this.prop("type");
  }
  get value(): unknown {
    return this.prop("value");
  }
  get formula(): string {
    return this.prop("formula");
  }
  set formula(v: string) {
    this.local("formula", v);
    this.act("formula", v, (t) => {
      const f = v.startsWith("=") ? v : `=${v}`;
      this.context.runtime.engine.checkSyntax(f);
      t.model.formula = f;
      this.context.runtime.dirty = true;
    });
  }
  get comment(): string {
    return this.prop("comment");
  }
  set comment(v: string) {
    this.local("comment", v);
    this.act("comment", v, (t) => (t.model.comment = v));
  }
  get visible(): boolean {
    return this.prop("visible");
  }
  set visible(v: boolean) {
    this.local("visible", v);
    this.act("visible", v, (t) => (t.model.visible = v));
  }
  getRange(): Range {
    return new Range(this.context, () => {
      const r = this.rangeOf(this.target().model);
      if (!r) throw new HostError("InvalidArgument", "The name does not refer to a range.");
      return r;
    });
  }
  getRangeOrNullObject(): Range {
    return new Range(this.context, () => this.rangeOf(this.target().model), true);
  }
  delete(): void {
    this.context.requireSet("1.4", "NamedItem.delete");
    this.act("delete", undefined, (t) => {
      const rt = this.context.runtime;
      rt.model.names = rt.model.names.filter((n) => n !== t.model);
      rt.dirty = true;
    });
  }
}

// --- settings ---

export class SettingCollection extends ClientCollection<string, Setting> {
  protected get typeName(): string {
    return "SettingCollection";
  }
  protected itemProxies(): Setting[] {
    return [...this.context.runtime.model.settings.keys()].map((key) => new Setting(this.context, () => key));
  }
  /** Stores the value as JSON text, as Excel does. */
  add(key: string, value: unknown): Setting {
    const json = JSON.stringify(value);
    this.context.enqueue("SettingCollection.add", { key, value }, () => {
      if (typeof key !== "string" || key === "")
        throw new HostError("InvalidArgument", "A setting key must be non-empty text.");
      if (json === undefined) throw new HostError("InvalidArgument", "The setting value cannot be stored as JSON.");
      this.context.runtime.model.settings.set(key, json);
    });
    return new Setting(this.context, () => key);
  }
  private find(key: string): string | undefined {
    return [...this.context.runtime.model.settings.keys()].find((k) => k.toLowerCase() === key.toLowerCase());
  }
  getItem(key: string): Setting {
    return new Setting(this.context, () => {
      const k = this.find(key);
      if (k === undefined) throw new HostError("ItemNotFound", `The setting '${key}' doesn't exist.`);
      return k;
    });
  }
  getItemOrNullObject(key: string): Setting {
    return new Setting(this.context, () => this.find(key) ?? null, true);
  }
  getCount(): ClientResult<number> {
    return this.result("getCount", undefined, () => this.context.runtime.model.settings.size);
  }
}

export class Setting extends ClientObject<string> {
  protected get typeName(): string {
    return "Setting";
  }
  protected scalarNames(): readonly string[] {
    return ["key", "value"];
  }
  protected snapshot(key: string, name: string): unknown {
    if (name === "key") return key;
    const json = this.context.runtime.model.settings.get(key);
    return json === undefined ? null : (JSON.parse(json) as unknown);
  }
  get key(): string {
    return this.prop("key");
  }
  get value(): unknown {
    return this.prop("value");
  }
  set value(v: unknown) {
    this.local("value", v);
    const json = JSON.stringify(v);
    this.act("value", v, (key) => this.context.runtime.model.settings.set(key, json));
  }
  delete(): void {
    this.act("delete", undefined, (key) => this.context.runtime.model.settings.delete(key));
  }
}

// --- tables ---

type TableTarget = { sheet: SheetModel; table: TableModel };

function dataRows(t: TableModel): { top: number; bottom: number } {
  return { top: t.showHeaders ? t.ref.r0 + 1 : t.ref.r0, bottom: t.showTotals ? t.ref.r1 - 1 : t.ref.r1 };
}

/** A table may not overlap another table or a merged area. */
function checkPlacement(sheet: SheetModel, rect: Rect, except?: TableModel): void {
  if (sheet.tables.some((t) => t !== except && intersects(t.ref, rect)))
    throw new HostError("InvalidOperation", "A table can't overlap another table.");
  if (sheet.merges.some((m) => intersects(m, rect)))
    throw new HostError("InvalidOperation", "A table can't overlap a range that contains merged cells.");
}

export class TableCollection extends ClientCollection<SheetModel | "workbook", Table> {
  protected get typeName(): string {
    return "TableCollection";
  }
  private list(t: SheetModel | "workbook"): TableTarget[] {
    const sheets = t === "workbook" ? this.context.runtime.model.sheets : [t];
    return sheets.flatMap((sheet) => sheet.tables.map((table) => ({ sheet, table })));
  }
  protected itemProxies(t: SheetModel | "workbook"): Table[] {
    return this.list(t).map((x) => new Table(this.context, () => x));
  }
  add(address: Range | string, hasHeaders: boolean): Table {
    let created: TableTarget | null = null;
    this.act("add", { address: typeof address === "string" ? address : "range", hasHeaders }, (scope) => {
      const rt = this.context.runtime;
      let target: RangeTarget;
      if (typeof address === "string") {
        const p = parseAddress(address);
        if (!p) throw new HostError("InvalidArgument", `'${address}' is not a valid range address.`);
        const sheet =
          p.sheet !== undefined
            ? rt.sheetByName(p.sheet)
            : scope === "workbook"
              ? rt.model.sheets[rt.model.activeSheet]
              : scope;
        if (!sheet) throw new HostError("ItemNotFound", `The worksheet in '${address}' doesn't exist.`);
        if (scope !== "workbook" && sheet !== scope)
          throw new HostError("InvalidArgument", "The address is on another worksheet.");
        target = { sheet, rect: p.rect };
      } else target = address.target();
      const { sheet } = target;
      let rect = { ...target.rect };
      if (rect.r1 - rect.r0 > 1048574 || rect.c1 - rect.c0 > 16382)
        throw new HostError("InvalidArgument", "A table needs a bounded range.");
      rt.assertEditable(sheet);
      if (!hasHeaders) {
        checkPlacement(sheet, rect);
        // Excel inserts a header row above data that has none.
        applyShift(rt, { sheet, axis: "row", at: rect.r0, count: 1, lo: rect.c0, hi: rect.c1 });
        rect = { ...rect, r1: rect.r1 + 1 };
      } else if (rect.r0 === rect.r1) rect = { ...rect, r1: rect.r1 + 1 }; // a table always has a data row
      checkPlacement(sheet, rect);
      // A sheet AutoFilter and a table over the same cells cannot coexist in a file (Excel repairs it by removing the
      // table: ClosedXML #1213, XlsxWriter #1102). Creating a table in the UI moves the filter onto the table
      // (assumption: the API does the same), which gets its own filter buttons; criteria are not modelled.
      if (sheet.autoFilter && intersects(sheet.autoFilter.ref, rect)) delete sheet.autoFilter;
      let k = 1;
      while (rt.nameTaken(`Table${k}`)) k++;
      const table: TableModel = {
        name: `Table${k}`,
        ref: rect,
        columns: [],
        style: "TableStyleMedium2",
        showHeaders: true,
        showTotals: false,
      };
      syncHeaders(sheet, rect, table);
      sheet.tables.push(table);
      afterWrite(rt, sheet, rect);
      rt.dirty = true;
      created = { sheet, table };
    });
    return new Table(this.context, () => created);
  }
  private find(t: SheetModel | "workbook", key: string): TableTarget | undefined {
    return this.list(t).find((x) => x.table.name.toLowerCase() === key.toLowerCase());
  }
  getItem(key: string): Table {
    return new Table(this.context, () => {
      const x = this.find(this.target(), key);
      if (!x) throw new HostError("ItemNotFound", `The table '${key}' doesn't exist.`);
      return x;
    });
  }
  getItemOrNullObject(key: string): Table {
    return new Table(
      this.context,
      () => {
        // ExcelApi 1.4 (@types/office-js).
        this.context.runtime.require("1.4", "TableCollection.getItemOrNullObject");
        return this.find(this.target(), key) ?? null;
      },
      true,
    );
  }
  getItemAt(index: number): Table {
    return new Table(this.context, () => {
      const x = this.list(this.target())[index];
      if (!x) throw new HostError("ItemNotFound", `No table at ${index}.`);
      return x;
    });
  }
  getCount(): ClientResult<number> {
    return this.result("getCount", undefined, (t) => this.list(t).length);
  }
}

export class Table extends ClientObject<TableTarget> {
  protected get typeName(): string {
    return "Table";
  }
  protected override stillValid(t: TableTarget): boolean {
    return this.context.runtime.hasSheet(t.sheet) && t.sheet.tables.includes(t.table);
  }
  protected scalarNames(): readonly string[] {
    return ["name", "id", "showHeaders", "showTotals", "style"];
  }
  protected snapshot(t: TableTarget, name: string): unknown {
    const m = t.table;
    if (name === "name" || name === "id") return m.name;
    if (name === "showHeaders") return m.showHeaders;
    if (name === "showTotals") return m.showTotals;
    return m.style;
  }
  protected override child(name: string): ClientObject<unknown> | undefined {
    if (name === "columns") return this.columns;
    if (name === "rows") return this.rows;
    if (name === "worksheet") return this.worksheet;
    if (name === "autoFilter") return this.autoFilter;
    return undefined;
  }
  get name(): string {
    return this.prop("name");
  }
  set name(v: string) {
    this.local("name", v);
    this.act("name", v, (t) => {
      const rt = this.context.runtime;
      if (!isValidName(v)) throw new HostError("InvalidArgument", `The table name '${v}' is not valid.`);
      if (v.toLowerCase() !== t.table.name.toLowerCase() && rt.nameTaken(v))
        throw new HostError("ItemAlreadyExists", `The name '${v}' is already in use.`);
      const old = t.table.name;
      t.table.name = v;
      renameInFormulas(rt.model.sheets, old, v);
      rt.dirty = true;
    });
  }
  get id(): string {
    return this.prop("id");
  }
  get showHeaders(): boolean {
    return this.prop("showHeaders");
  }
  get showTotals(): boolean {
    return this.prop("showTotals");
  }
  set showTotals(v: boolean) {
    this.local("showTotals", v);
    this.act("showTotals", v, (t) => {
      if (v === t.table.showTotals) return;
      const next = { ...t.table.ref, r1: t.table.ref.r1 + (v ? 1 : -1) };
      if (v) checkPlacement(t.sheet, next, t.table);
      t.table.ref = next;
      t.table.showTotals = v;
      this.context.runtime.dirty = true;
    });
  }
  get style(): string {
    return this.prop("style");
  }
  set style(v: string) {
    this.local("style", v);
    this.act("style", v, (t) => (t.table.style = v));
  }
  /** The filter of the table's header row (ExcelApi 1.9). */
  get autoFilter(): AutoFilter {
    this.context.requireSet("1.9", "Table.autoFilter");
    return this.kid("autoFilter", () => new AutoFilter(this.context, () => this.target()));
  }
  get worksheet(): Worksheet {
    this.context.requireSet("1.2", "Table.worksheet");
    return this.kid("worksheet", () => new Worksheet(this.context, () => this.target().sheet));
  }
  get columns(): TableColumnCollection {
    return this.kid("columns", () => new TableColumnCollection(this.context, () => this.target()));
  }
  get rows(): TableRowCollection {
    return this.kid("rows", () => new TableRowCollection(this.context, () => this.target()));
  }
  private part(fn: (t: TableModel) => Rect | null, what: string): Range {
    return new Range(this.context, () => {
      const t = this.target();
      const rect = fn(t.table);
      if (!rect) throw new HostError("ItemNotFound", `The table has no ${what}.`);
      return { sheet: t.sheet, rect };
    });
  }
  getRange(): Range {
    return this.part((t) => t.ref, "range");
  }
  getDataBodyRange(): Range {
    return this.part((t) => ({ ...t.ref, ...{ r0: dataRows(t).top, r1: dataRows(t).bottom } }), "data body");
  }
  getHeaderRowRange(): Range {
    return this.part((t) => (t.showHeaders ? { ...t.ref, r1: t.ref.r0 } : null), "header row");
  }
  getTotalRowRange(): Range {
    return this.part((t) => (t.showTotals ? { ...t.ref, r0: t.ref.r1 } : null), "total row");
  }
  /** Changes the table's extent; the header row stays where it is (ExcelApi 1.13). */
  resize(newRange: Range | string): void {
    const rt = this.context.runtime;
    this.act("resize", typeof newRange === "string" ? newRange : "range", (t) => {
      rt.require("1.13", "Table.resize");
      const rect = typeof newRange === "string" ? Worksheet.parse(t.sheet, newRange) : newRange.target().rect;
      if (rect.r0 !== t.table.ref.r0 || !intersects(rect, t.table.ref))
        throw new HostError(
          "InvalidArgument",
          "The header row must stay in the same row and the new range must overlap the table.",
        );
      checkPlacement(t.sheet, rect, t.table);
      const before = t.table.ref;
      // Calculated columns stay with their cells (the left edge may move) and are filled into the rows the table
      // gains where those are empty: "calculated columns continue to adjust as you add or delete rows in the table"
      // (Microsoft support, "Use calculated columns in an Excel table").
      const formulas: Record<number, string> = {};
      for (const [k, f] of Object.entries(t.table.columnFormulas ?? {})) {
        const c = before.c0 + Number(k);
        if (c >= rect.c0 && c <= rect.c1) formulas[c - rect.c0] = f;
      }
      t.table.ref = rect;
      syncHeaders(t.sheet, rect, t.table);
      if (Object.keys(formulas).length) t.table.columnFormulas = formulas;
      else delete t.table.columnFormulas;
      const { top, bottom } = dataRows(t.table);
      for (const [k, f] of Object.entries(formulas)) {
        const c = rect.c0 + Number(k);
        for (let r = Math.max(top, before.r1 + 1); r <= bottom; r++) {
          const cell = t.sheet.rows.get(r)?.get(c);
          if (!hasFormula(cell) && (cell?.value === undefined || cell.value === ""))
            enterValue(rt, t.sheet, r, c, calculatedAt(t.table, f, r));
        }
      }
      rt.dirty = true;
    });
  }
  /** Deletes the table and its cells' contents. */
  delete(): void {
    this.act("delete", undefined, (t) => {
      const { ref } = t.table;
      t.sheet.tables = t.sheet.tables.filter((x) => x !== t.table);
      for (let r = ref.r0; r <= ref.r1; r++) {
        const row = t.sheet.rows.get(r);
        if (!row) continue;
        for (let c = ref.c0; c <= ref.c1; c++) row.delete(c);
        if (row.size === 0) t.sheet.rows.delete(r);
      }
      this.context.runtime.dirty = true;
    });
  }
  /**
   * Removes the table but keeps its cells; as in Excel, structured references to it become A1 references in every
   * formula and its style stays as direct formatting (see convertTableToRange).
   */
  convertToRange(): Range {
    this.context.requireSet("1.2", "Table.convertToRange");
    // The range is the table's former cells: taken when the table goes, since the table can no longer be found.
    let former: { sheet: SheetModel; rect: Rect } | undefined;
    this.act("convertToRange", undefined, (t) => {
      this.context.runtime.assertEditable(t.sheet);
      convertTableToRange(this.context.runtime.model, t.sheet, t.table);
      t.sheet.tables = t.sheet.tables.filter((x) => x !== t.table);
      former = { sheet: t.sheet, rect: { ...t.table.ref } };
      this.context.runtime.dirty = true;
    });
    return new Range(this.context, () => former ?? { sheet: this.target().sheet, rect: this.target().table.ref });
  }
}

/** Table renames carry into structured references, as in Excel. */
function renameInFormulas(sheets: SheetModel[], oldName: string, newName: string): void {
  const re = new RegExp(`(^|[^A-Za-z0-9_.\\u00A1-\\uFFFF])${oldName.replace(/[.\\]/g, "\\$&")}\\[`, "gi");
  // A table's row formulas repeat one text on every row: each distinct text is rewritten once.
  const renamed = new Map<string, string>();
  for (const s of sheets) {
    for (const row of s.rows.values()) {
      for (const cell of row.values()) {
        // A filled formula has a bracket where the text it was filled from has one.
        if (filledOf(cell)?.source.includes("[") === false) continue;
        const f = cell.formula;
        if (f === undefined || !f.includes("[")) continue;
        let to = renamed.get(f);
        if (to === undefined) {
          to = f.replace(re, `$1${newName}[`);
          renamed.set(f, to);
        }
        if (to !== f) cell.formula = to;
      }
    }
  }
}

type ColTarget = { sheet: SheetModel; table: TableModel; index: number };

export class TableColumnCollection extends ClientCollection<TableTarget, TableColumn> {
  protected get typeName(): string {
    return "TableColumnCollection";
  }
  protected itemProxies(t: TableTarget): TableColumn[] {
    return t.table.columns.map((_, index) => new TableColumn(this.context, () => ({ ...t, index })));
  }
  /** Adds a column (at the right by default); `values` includes the header row, `name` sets the header. */
  add(index?: number | null, values?: unknown[][] | boolean | string | number, name?: string): TableColumn {
    let created: ColTarget | null = null;
    this.act("add", { index, values, name }, (t) => {
      const rt = this.context.runtime;
      rt.assertEditable(t.sheet);
      const { table, sheet } = t;
      const at = index === undefined || index === null ? table.columns.length : index;
      if (at < 0 || at > table.columns.length)
        throw new HostError("InvalidArgument", "The column index is out of range.");
      const col = table.ref.c0 + at;
      const rows = rectRows(table.ref);
      const grid = values === undefined ? null : checkDims(values, rows, 1, "values");
      // Insert a column of cells inside the table's rows, pushing what is to the right.
      applyShift(rt, { sheet, axis: "col", at: col, count: 1, lo: table.ref.r0, hi: table.ref.r1 });
      if (table.ref.c1 < col) table.ref = { ...table.ref, c1: col };
      if (grid) grid.forEach((row, i) => enterValue(rt, sheet, table.ref.r0 + i, col, row[0]));
      if (name !== undefined) enterValue(rt, sheet, table.ref.r0, col, `'${name}`);
      const formulas: Record<number, string> = {};
      for (const [k, f] of Object.entries(table.columnFormulas ?? {}))
        formulas[Number(k) >= at ? Number(k) + 1 : Number(k)] = f;
      table.columnFormulas = formulas;
      syncHeaders(sheet, table.ref, table);
      afterWrite(rt, sheet, { r0: table.ref.r0, r1: table.ref.r1, c0: col, c1: col });
      if (Object.keys(table.columnFormulas ?? {}).length === 0) delete table.columnFormulas;
      rt.dirty = true;
      created = { sheet, table, index: at };
    });
    return new TableColumn(this.context, () => created);
  }
  private find(t: TableTarget, key: number | string): ColTarget | undefined {
    const index =
      typeof key === "number" ? key - 1 : t.table.columns.findIndex((c) => c.toLowerCase() === key.toLowerCase());
    return index >= 0 && index < t.table.columns.length ? { ...t, index } : undefined;
  }
  getItem(key: number | string): TableColumn {
    return new TableColumn(this.context, () => {
      const x = this.find(this.target(), key);
      if (!x) throw new HostError("ItemNotFound", `The table column '${key}' doesn't exist.`);
      return x;
    });
  }
  getItemOrNullObject(key: number | string): TableColumn {
    return new TableColumn(this.context, () => this.find(this.target(), key) ?? null, true);
  }
  getItemAt(index: number): TableColumn {
    return new TableColumn(this.context, () => {
      const t = this.target();
      if (index < 0 || index >= t.table.columns.length) throw new HostError("ItemNotFound", `No column at ${index}.`);
      return { ...t, index };
    });
  }
  getCount(): ClientResult<number> {
    return this.result("getCount", undefined, (t) => t.table.columns.length);
  }
}

export class TableColumn extends ClientObject<ColTarget> {
  protected get typeName(): string {
    return "TableColumn";
  }
  protected scalarNames(): readonly string[] {
    return ["name", "index", "id", "values"];
  }
  private rect(t: ColTarget): Rect {
    const c = t.table.ref.c0 + t.index;
    return { r0: t.table.ref.r0, r1: t.table.ref.r1, c0: c, c1: c };
  }
  protected snapshot(t: ColTarget, name: string): unknown {
    if (name === "name") return t.table.columns[t.index];
    if (name === "index") return t.index;
    if (name === "id") return t.index + 1;
    this.context.runtime.ensureCalculated();
    const rect = this.rect(t);
    const out: unknown[][] = [];
    for (let r = rect.r0; r <= rect.r1; r++) {
      const v = getCell(t.sheet, r, rect.c0)?.value;
      out.push([v === undefined ? "" : typeof v === "object" ? v.error : v]);
    }
    return out;
  }
  get name(): string {
    return this.prop("name");
  }
  set name(v: string) {
    this.local("name", v);
    this.act("name", v, (t) => {
      const rt = this.context.runtime;
      enterValue(rt, t.sheet, t.table.ref.r0, t.table.ref.c0 + t.index, `'${v}`);
      syncHeaders(t.sheet, t.table.ref, t.table);
      rt.dirty = true;
    });
  }
  get index(): number {
    return this.prop("index");
  }
  get id(): number {
    return this.prop("id");
  }
  get values(): unknown[][] {
    return this.prop("values");
  }
  getRange(): Range {
    return new Range(this.context, () => ({ sheet: this.target().sheet, rect: this.rect(this.target()) }));
  }
  getDataBodyRange(): Range {
    return new Range(this.context, () => {
      const t = this.target();
      const { top, bottom } = dataRows(t.table);
      return { sheet: t.sheet, rect: { ...this.rect(t), r0: top, r1: bottom } };
    });
  }
  getHeaderRowRange(): Range {
    return new Range(this.context, () => {
      const t = this.target();
      return { sheet: t.sheet, rect: { ...this.rect(t), r1: t.table.ref.r0 } };
    });
  }
  getTotalRowRange(): Range {
    return new Range(this.context, () => {
      const t = this.target();
      if (!t.table.showTotals) throw new HostError("ItemNotFound", "The table has no total row.");
      return { sheet: t.sheet, rect: { ...this.rect(t), r0: t.table.ref.r1 } };
    });
  }
  delete(): void {
    this.act("delete", undefined, (t) => {
      if (t.table.columns.length === 1) throw new HostError("InvalidOperation", "A table must keep one column.");
      const c = t.table.ref.c0 + t.index;
      applyShift(this.context.runtime, {
        sheet: t.sheet,
        axis: "col",
        at: c,
        count: -1,
        lo: t.table.ref.r0,
        hi: t.table.ref.r1,
      });
      const formulas: Record<number, string> = {};
      for (const [k, f] of Object.entries(t.table.columnFormulas ?? {})) {
        const i = Number(k);
        if (i !== t.index) formulas[i > t.index ? i - 1 : i] = f;
      }
      t.table.columnFormulas = formulas;
      if (Object.keys(formulas).length === 0) delete t.table.columnFormulas;
      syncHeaders(t.sheet, t.table.ref, t.table);
    });
  }
}

type RowTarget = { sheet: SheetModel; table: TableModel; index: number };

export class TableRowCollection extends ClientCollection<TableTarget, TableRow> {
  protected get typeName(): string {
    return "TableRowCollection";
  }
  protected itemProxies(t: TableTarget): TableRow[] {
    const { top, bottom } = dataRows(t.table);
    return Array.from({ length: bottom - top + 1 }, (_, index) => new TableRow(this.context, () => ({ ...t, index })));
  }
  /** Adds rows (at the end by default), filling calculated columns; rows below the table move down. */
  add(index?: number | null, values?: unknown[][], _alwaysInsert?: boolean): void {
    this.act("add", { index, values }, (t) => {
      const rt = this.context.runtime;
      rt.assertEditable(t.sheet);
      const { table, sheet } = t;
      const { top, bottom } = dataRows(table);
      const count = values === undefined ? 1 : values.length;
      if (values !== undefined) checkDims(values, count, table.columns.length, "values");
      const at = index === undefined || index === null ? bottom + 1 : top + index;
      if (at < top || at > bottom + 1) throw new HostError("InvalidArgument", "The row index is out of range.");
      if (at <= bottom) {
        // Inside the table: applyShift grows the table and fills calculated columns.
        applyShift(rt, { sheet, axis: "row", at, count, lo: table.ref.c0, hi: table.ref.c1 });
      } else {
        const free =
          !table.showTotals && isEmpty(sheet, { r0: at, r1: at + count - 1, c0: table.ref.c0, c1: table.ref.c1 });
        // Rows below (and a total row) move down, within the table's columns.
        if (!free) applyShift(rt, { sheet, axis: "row", at, count, lo: table.ref.c0, hi: table.ref.c1 });
        if (!table.showTotals) table.ref = { ...table.ref, r1: table.ref.r1 + count };
        for (const [k, f] of Object.entries(table.columnFormulas ?? {})) {
          for (let r = at; r < at + count; r++) {
            enterValue(rt, sheet, r, table.ref.c0 + Number(k), calculatedAt(table, f, r));
          }
        }
      }
      if (values) {
        values.forEach((row, i) => row.forEach((v, j) => enterValue(rt, sheet, at + i, table.ref.c0 + j, v)));
      }
      // Values written with the rows are a write like any other: AutoCorrect fills a formula into an empty column
      // (office-js #6745: rows.add on an emptied table fills a column with the formula added).
      afterWrite(rt, sheet, { r0: at, r1: at + count - 1, c0: table.ref.c0, c1: table.ref.c1 }, values !== undefined);
      rt.dirty = true;
    });
  }
  getCount(): ClientResult<number> {
    return this.result("getCount", undefined, (t) => dataRows(t.table).bottom - dataRows(t.table).top + 1);
  }
  getItemAt(index: number): TableRow {
    return new TableRow(this.context, () => {
      const t = this.target();
      const { top, bottom } = dataRows(t.table);
      if (index < 0 || top + index > bottom) throw new HostError("ItemNotFound", `No row at ${index}.`);
      return { ...t, index };
    });
  }
}

function isEmpty(sheet: SheetModel, rect: Rect): boolean {
  for (let r = rect.r0; r <= rect.r1; r++) {
    const row = sheet.rows.get(r);
    if (!row) continue;
    for (let c = rect.c0; c <= rect.c1; c++) {
      const cell = row.get(c);
      if (cell && (cell.value !== undefined || hasFormula(cell))) return false;
    }
  }
  return !sheet.tables.some((t) => intersects(t.ref, rect)) && !sheet.merges.some((m) => intersects(m, rect));
}

export class TableRow extends ClientObject<RowTarget> {
  protected get typeName(): string {
    return "TableRow";
  }
  protected scalarNames(): readonly string[] {
    return ["index", "values"];
  }
  private rect(t: RowTarget): Rect {
    const r = dataRows(t.table).top + t.index;
    return { r0: r, r1: r, c0: t.table.ref.c0, c1: t.table.ref.c1 };
  }
  protected snapshot(t: RowTarget, name: string): unknown {
    if (name === "index") return t.index;
    this.context.runtime.ensureCalculated();
    const rect = this.rect(t);
    const row: unknown[] = [];
    for (let c = rect.c0; c <= rect.c1; c++) {
      const v = getCell(t.sheet, rect.r0, c)?.value;
      row.push(v === undefined ? "" : typeof v === "object" ? v.error : v);
    }
    return [row];
  }
  get index(): number {
    return this.prop("index");
  }
  get values(): unknown[][] {
    return this.prop("values");
  }
  getRange(): Range {
    return new Range(this.context, () => ({ sheet: this.target().sheet, rect: this.rect(this.target()) }));
  }
  delete(): void {
    this.act("delete", undefined, (t) => {
      const rect = this.rect(t);
      applyShift(this.context.runtime, {
        sheet: t.sheet,
        axis: "row",
        at: rect.r0,
        count: -1,
        lo: rect.c0,
        hi: rect.c1,
      });
    });
  }
}
