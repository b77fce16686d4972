import { displayText } from "../formula/textFormat";
import type {
  Cell,
  CellStyle,
  CfFormat,
  ConditionalFormatModel,
  Rect,
  SheetModel,
  ValidationModel,
  ValidationRule,
} from "../model";
import {
  contains,
  intersection,
  intersects,
  isUnbounded,
  MAX_COLS,
  MAX_ROWS,
  qualified,
  rectCols,
  rectRows,
  subtract,
  boundingRect,
  parseAddress,
} from "./address";
import { afterWrite, readFormula, readValue, valueType, writeFormats, writeInputs } from "./cells";
import {
  ClientCollection,
  ClientObject,
  type ClientResult,
  type LoadTree,
  type OfflineRequestContext,
} from "./context";
import { HostError } from "./errors";
import { ensureCell, getCell, pruneCell, usedRect } from "./modelUtil";
import { applyShift } from "./shift";
import { shiftFormula as moveRelative } from "../xlsx/formula-text";
import { clearFormula, copyFormulaTo } from "../xlsx/filled";
import { Worksheet } from "./sheet";

export type RangeTarget = { sheet: SheetModel; rect: Rect };

const READ_LIMIT = 5_000_000;
const DEFAULT_WIDTH = 48;
const DEFAULT_HEIGHT = 15;

function grid<T>(t: RangeTarget, fn: (r: number, c: number) => T): T[][] {
  const out: T[][] = [];
  for (let r = t.rect.r0; r <= t.rect.r1; r++) {
    const row: T[] = [];
    for (let c = t.rect.c0; c <= t.rect.c1; c++) row.push(fn(r, c));
    out.push(row);
  }
  return out;
}

function checkRead(t: RangeTarget): boolean {
  if (isUnbounded(t.rect)) return false;
  if (rectRows(t.rect) * rectCols(t.rect) > READ_LIMIT) {
    throw new HostError("RangeExceedsLimit", `The range has more than ${READ_LIMIT} cells; read it in smaller blocks.`);
  }
  return true;
}

/** Bounds a rectangle to the sheet; out of the grid is InvalidArgument. */
function checkRect(rect: Rect): Rect {
  if (
    rect.r0 < 0 ||
    rect.c0 < 0 ||
    rect.r1 >= MAX_ROWS ||
    rect.c1 >= MAX_COLS ||
    rect.r1 < rect.r0 ||
    rect.c1 < rect.c0
  ) {
    throw new HostError("InvalidArgument", "The range would lie outside the worksheet.");
  }
  return rect;
}

/** Proxy for Excel.Range. */
/** Range properties whose snapshot recalculates first (see `snapshot`). */
const CALCULATED = ["values", "text", "valueTypes", "formulas", "formulasLocal"] as const;

export class Range extends ClientObject<RangeTarget> {
  protected get typeName(): string {
    return "Range";
  }

  protected override stillValid(t: RangeTarget): boolean {
    return this.context.runtime.hasSheet(t.sheet);
  }

  protected scalarNames(): readonly string[] {
    return [
      "address",
      "addressLocal",
      "values",
      "formulas",
      "formulasLocal",
      "numberFormat",
      "text",
      "valueTypes",
      "rowCount",
      "columnCount",
      "rowIndex",
      "columnIndex",
      "cellCount",
      "hidden",
      "rowHidden",
      "columnHidden",
      "isEntireRow",
      "isEntireColumn",
    ];
  }

  // Range.rowHidden and columnHidden are ExcelApi 1.2 in @types/office-js (read and write).
  protected override memberSets(): Readonly<Record<string, string>> {
    return { rowHidden: "1.2", columnHidden: "1.2" };
  }

  protected override readsCalculated(tree: LoadTree): boolean {
    return tree.all || [...CALCULATED].some((n) => tree.props.has(n));
  }

  protected snapshot(t: RangeTarget, name: string): unknown {
    const rt = this.context.runtime;
    const { sheet, rect } = t;
    switch (name) {
      case "address":
      case "addressLocal":
        return qualified(sheet.name, rect);
      case "values":
        if (!checkRead(t)) return null;
        rt.ensureCalculated();
        return grid(t, (r, c) => readValue(getCell(sheet, r, c)));
      case "text":
        if (!checkRead(t)) return null;
        rt.ensureCalculated();
        return grid(t, (r, c) => {
          const cell = getCell(sheet, r, c);
          const v = cell?.value;
          return v === undefined ? "" : displayText(v, cell?.numberFormat ?? "General", rt.model.date1904);
        });
      case "valueTypes":
        if (!checkRead(t)) return null;
        rt.ensureCalculated();
        return grid(t, (r, c) => valueType(getCell(sheet, r, c)));
      case "formulas":
      case "formulasLocal":
        if (!checkRead(t)) return null;
        rt.ensureCalculated();
        return grid(t, (r, c) => readFormula(getCell(sheet, r, c)));
      case "numberFormat":
        if (!checkRead(t)) return null;
        return grid(t, (r, c) => getCell(sheet, r, c)?.numberFormat ?? "General");
      case "rowCount":
        return rectRows(rect);
      case "columnCount":
        return rectCols(rect);
      case "rowIndex":
        return rect.r0;
      case "columnIndex":
        return rect.c0;
      case "cellCount":
        return rectRows(rect) * rectCols(rect);
      case "rowHidden":
      case "columnHidden":
      case "hidden": {
        const rows = sheet.hiddenRows ?? new Set<number>();
        const cols = sheet.hiddenColumns ?? new Set<number>();
        const allRows = (): boolean => [...range(rect.r0, rect.r1)].every((r) => rows.has(r));
        const allCols = (): boolean => [...range(rect.c0, rect.c1)].every((c) => cols.has(c));
        // true when all are hidden, false when none, null when some are (Range.rowHidden / columnHidden in
        // @types/office-js, ExcelApi 1.2).
        const mixed = (all: boolean, lo: number, hi: number, set: Set<number>): boolean | null =>
          all ? true : [...range(lo, hi)].some((i) => set.has(i)) ? null : false;
        if (name === "rowHidden") return mixed(allRows(), rect.r0, rect.r1, rows);
        if (name === "columnHidden") return mixed(allCols(), rect.c0, rect.c1, cols);
        return allRows() || allCols();
      }
      case "isEntireRow":
        return rect.c0 === 0 && rect.c1 === MAX_COLS - 1;
      case "isEntireColumn":
        return rect.r0 === 0 && rect.r1 === MAX_ROWS - 1;
    }
    return undefined;
  }

  protected override child(name: string): ClientObject<unknown> | undefined {
    if (name === "format") return this.format;
    if (name === "worksheet") return this.worksheet;
    if (name === "dataValidation") return this.dataValidation;
    if (name === "conditionalFormats") return this.conditionalFormats;
    return undefined;
  }

  // --- properties ---
  get address(): string {
    return this.prop("address");
  }
  get addressLocal(): string {
    return this.prop("addressLocal");
  }
  get rowCount(): number {
    return this.prop("rowCount");
  }
  get columnCount(): number {
    return this.prop("columnCount");
  }
  get rowIndex(): number {
    return this.prop("rowIndex");
  }
  get columnIndex(): number {
    return this.prop("columnIndex");
  }
  get cellCount(): number {
    return this.prop("cellCount");
  }
  get text(): string[][] {
    return this.prop("text");
  }
  get valueTypes(): string[][] {
    return this.prop("valueTypes");
  }
  get hidden(): boolean {
    return this.prop("hidden");
  }
  get isEntireRow(): boolean {
    return this.prop("isEntireRow");
  }
  get isEntireColumn(): boolean {
    return this.prop("isEntireColumn");
  }

  get values(): unknown[][] {
    return this.prop("values");
  }
  set values(v: unknown[][]) {
    this.local("values", v);
    this.act("values", v, (t) => writeInputs(this.context.runtime, t.sheet, t.rect, v, "values"));
  }

  get formulas(): unknown[][] {
    return this.prop("formulas");
  }
  set formulas(v: unknown[][]) {
    this.local("formulas", v);
    this.act("formulas", v, (t) => writeInputs(this.context.runtime, t.sheet, t.rect, v, "formulas"));
  }

  get formulasLocal(): unknown[][] {
    return this.prop("formulasLocal");
  }
  set formulasLocal(v: unknown[][]) {
    this.formulas = v;
  }

  get numberFormat(): unknown[][] {
    return this.prop("numberFormat");
  }
  set numberFormat(v: unknown[][]) {
    this.local("numberFormat", v);
    this.act("numberFormat", v, (t) => writeFormats(this.context.runtime, t.sheet, t.rect, v));
  }

  get rowHidden(): boolean {
    return this.prop("rowHidden");
  }
  set rowHidden(v: boolean) {
    this.local("rowHidden", v);
    this.act("rowHidden", v, (t) => {
      const set = (t.sheet.hiddenRows ??= new Set());
      for (let r = t.rect.r0; r <= Math.min(t.rect.r1, MAX_ROWS - 1); r++)
        if (v) set.add(r);
        else set.delete(r);
    });
  }

  get columnHidden(): boolean {
    return this.prop("columnHidden");
  }
  set columnHidden(v: boolean) {
    this.needsSet("columnHidden", true);
    this.local("columnHidden", v);
    this.act("columnHidden", v, (t) => {
      const set = (t.sheet.hiddenColumns ??= new Set());
      for (let c = t.rect.c0; c <= t.rect.c1; c++)
        if (v) set.add(c);
        else set.delete(c);
    });
  }

  // --- navigation ---
  get format(): RangeFormat {
    return this.kid("format", () => new RangeFormat(this.context, () => this.target()));
  }

  get worksheet(): Worksheet {
    return this.kid("worksheet", () => new Worksheet(this.context, () => this.target().sheet));
  }

  get dataValidation(): DataValidation {
    this.needs("1.8", "Range.dataValidation");
    return this.kid("dataValidation", () => new DataValidation(this.context, () => this.target()));
  }

  get conditionalFormats(): ConditionalFormatCollection {
    this.needs("1.6", "Range.conditionalFormats");
    return this.kid("conditionalFormats", () => new ConditionalFormatCollection(this.context, () => this.target()));
  }

  /** Queues a requirement-set check that fails the sync like a missing API does. */
  needs(version: string, api: string): void {
    this.context.requireSet(version, api);
  }

  // --- derived ranges ---
  private derive(fn: (t: RangeTarget) => RangeTarget | null, nullable = false): Range {
    return new Range(this.context, () => fn(this.target()), nullable);
  }

  private at(fn: (rect: Rect) => Rect): Range {
    return this.derive((t) => ({ sheet: t.sheet, rect: checkRect(fn(t.rect)) }));
  }

  getCell(row: number, column: number): Range {
    return this.at((r) => ({ r0: r.r0 + row, c0: r.c0 + column, r1: r.r0 + row, c1: r.c0 + column }));
  }
  getRow(row: number): Range {
    return this.at((r) => ({ r0: r.r0 + row, r1: r.r0 + row, c0: r.c0, c1: r.c1 }));
  }
  getColumn(column: number): Range {
    return this.at((r) => ({ r0: r.r0, r1: r.r1, c0: r.c0 + column, c1: r.c0 + column }));
  }
  getLastRow(): Range {
    return this.at((r) => ({ ...r, r0: r.r1 }));
  }
  getLastColumn(): Range {
    return this.at((r) => ({ ...r, c0: r.c1 }));
  }
  getLastCell(): Range {
    return this.at((r) => ({ r0: r.r1, r1: r.r1, c0: r.c1, c1: r.c1 }));
  }
  getEntireRow(): Range {
    return this.at((r) => ({ r0: r.r0, r1: r.r1, c0: 0, c1: MAX_COLS - 1 }));
  }
  getEntireColumn(): Range {
    return this.at((r) => ({ r0: 0, r1: MAX_ROWS - 1, c0: r.c0, c1: r.c1 }));
  }
  getOffsetRange(rowOffset: number, columnOffset: number): Range {
    return this.at((r) => ({
      r0: r.r0 + rowOffset,
      r1: r.r1 + rowOffset,
      c0: r.c0 + columnOffset,
      c1: r.c1 + columnOffset,
    }));
  }
  getResizedRange(deltaRows: number, deltaColumns: number): Range {
    return this.at((r) => ({ r0: r.r0, c0: r.c0, r1: r.r1 + deltaRows, c1: r.c1 + deltaColumns }));
  }
  getAbsoluteResizedRange(numRows: number, numColumns: number): Range {
    this.needs("1.7", "Range.getAbsoluteResizedRange");
    return this.at((r) => ({ r0: r.r0, c0: r.c0, r1: r.r0 + numRows - 1, c1: r.c0 + numColumns - 1 }));
  }
  getBoundingRect(anotherRange: Range | string): Range {
    return this.derive((t) => ({ sheet: t.sheet, rect: boundingRect(t.rect, this.other(t, anotherRange)) }));
  }
  getIntersection(anotherRange: Range | string): Range {
    return this.derive((t) => {
      const i = intersection(t.rect, this.other(t, anotherRange));
      if (!i) throw new HostError("ItemNotFound", "The ranges do not intersect.");
      return { sheet: t.sheet, rect: i };
    });
  }
  getIntersectionOrNullObject(anotherRange: Range | string): Range {
    this.needs("1.4", "Range.getIntersectionOrNullObject");
    return this.derive((t) => {
      const i = intersection(t.rect, this.other(t, anotherRange));
      return i ? { sheet: t.sheet, rect: i } : null;
    }, true);
  }
  getUsedRange(valuesOnly?: boolean): Range {
    return this.derive((t) => {
      const u = usedRect(t.sheet, valuesOnly === true);
      const i = u ? intersection(u, t.rect) : null;
      if (!i) throw new HostError("ItemNotFound", "The range has no used cells.");
      return { sheet: t.sheet, rect: i };
    });
  }
  getUsedRangeOrNullObject(valuesOnly?: boolean): Range {
    return this.derive((t) => {
      const u = usedRect(t.sheet, valuesOnly === true);
      const i = u ? intersection(u, t.rect) : null;
      return i ? { sheet: t.sheet, rect: i } : null;
    }, true);
  }

  private other(t: RangeTarget, another: Range | string): Rect {
    if (typeof another === "string") {
      const p = Worksheet.parse(t.sheet, another);
      return p;
    }
    const o = another.target();
    if (o.sheet !== t.sheet) throw new HostError("InvalidArgument", "The ranges are on different worksheets.");
    return o.rect;
  }

  /**
   * The merged areas whose top-left cell lies in the range: Excel leaves out an area that only reaches into it
   * (office-js #3611). Their joined `address` names each area's top-left cell only (assumption, from office-js #1590,
   * where Microsoft's answer was to read `areas`); `areas` items carry the full extent.
   */
  getMergedAreasOrNullObject(): RangeAreas {
    this.needs("1.13", "Range.getMergedAreasOrNullObject");
    return new RangeAreas(
      this.context,
      () => {
        const t = this.target();
        const rects = t.sheet.merges.filter(
          (m) => m.r0 >= t.rect.r0 && m.r0 <= t.rect.r1 && m.c0 >= t.rect.c0 && m.c0 <= t.rect.c1,
        );
        return rects.length === 0 ? null : { sheet: t.sheet, rects, topLeftAddress: true };
      },
      true,
    );
  }

  /**
   * Range.getCellProperties (ExcelApi 1.9), for the cell formats the host models: fill colour ("#FFFFFF" for none, as
   * `format.fill.color` reads), font colour and bold. Other requested properties are left out.
   */
  getCellProperties(options: {
    format?: { fill?: { color?: boolean }; font?: { color?: boolean; bold?: boolean } };
  }): ClientResult<{ format?: { fill?: { color: string }; font?: { color?: string; bold?: boolean } } }[][]> {
    this.needs("1.9", "Range.getCellProperties");
    const want = options?.format;
    return this.result("getCellProperties", options, (t) => {
      if (!checkRead(t))
        throw new HostError("InvalidArgument", "Cell properties of an unbounded range cannot be read.");
      return grid(t, (r, c) => {
        const st = getCell(t.sheet, r, c)?.style;
        const format: { fill?: { color: string }; font?: { color?: string; bold?: boolean } } = {};
        if (want?.fill?.color) format.fill = { color: st?.fill ?? "#FFFFFF" };
        if (want?.font?.color || want?.font?.bold) {
          format.font = {};
          if (want.font.color) format.font.color = st?.fontColor ?? "#000000";
          if (want.font.bold) format.font.bold = st?.fontBold ?? false;
        }
        return want ? { format } : {};
      });
    });
  }

  // --- actions ---
  merge(across?: boolean): void {
    this.needs("1.2", "Range.merge");
    this.act("merge", across, (t) => {
      const rt = this.context.runtime;
      rt.assertEditable(t.sheet);
      if (t.sheet.tables.some((tb) => intersects(tb.ref, t.rect)))
        throw new HostError("InvalidOperation", "Cells in a table cannot be merged.");
      const areas: Rect[] = across
        ? [...range(t.rect.r0, t.rect.r1)].map((r) => ({ r0: r, r1: r, c0: t.rect.c0, c1: t.rect.c1 }))
        : [t.rect];
      for (const a of areas) {
        if (a.r0 === a.r1 && a.c0 === a.c1) continue;
        t.sheet.merges = t.sheet.merges.filter((m) => !intersects(m, a));
        // Excel keeps only the top-left value of a merged area.
        for (let r = a.r0; r <= a.r1; r++) {
          for (let c = a.c0; c <= a.c1; c++) {
            if (r === a.r0 && c === a.c0) continue;
            const cell = getCell(t.sheet, r, c);
            if (cell) {
              delete cell.value;
              clearFormula(cell);
              pruneCell(t.sheet, r, c);
            }
          }
        }
        t.sheet.merges.push(a);
      }
      rt.dirty = true;
    });
  }

  unmerge(): void {
    this.needs("1.2", "Range.unmerge");
    this.act("unmerge", undefined, (t) => {
      this.context.runtime.assertEditable(t.sheet);
      // In place: structuring unmerges thousands of areas one call each, and a new array per call made that quadratic
      // in allocations (6,000 merges of a 50k-row sheet: 0.4 s).
      const merges = t.sheet.merges;
      let kept = 0;
      for (const m of merges) if (!intersects(m, t.rect)) merges[kept++] = m;
      merges.length = kept;
    });
  }

  /**
   * Range.copyFrom (ExcelApi 1.9): copies cells, tiling the source over a destination that is a whole multiple of it
   * (else pasting the source's size at the top-left), with relative references moved as Excel's paste does.
   */
  copyFrom(
    source: Range | string,
    copyType: "All" | "Formulas" | "Values" | "Formats" | "Link" = "All",
    skipBlanks = false,
    transpose = false,
  ): void {
    this.needs("1.9", "Range.copyFrom");
    this.act("copyFrom", { copyType, skipBlanks, transpose }, (t) => {
      const rt = this.context.runtime;
      rt.assertEditable(t.sheet);
      if (transpose || copyType === "Link")
        throw new HostError(
          "NotImplemented",
          `copyFrom with ${transpose ? "transpose" : copyType} is not implemented offline.`,
        );
      let src: RangeTarget;
      if (typeof source === "string") {
        const parsed = parseAddress(source);
        if (!parsed) throw new HostError("InvalidArgument", `Not a range address: ${source}`);
        src = { sheet: t.sheet, rect: checkRect(parsed.rect) };
      } else src = source.target();
      // Only pasting values needs computed results; "All" copies formulas as formulas.
      if (copyType === "Values") rt.ensureCalculated();
      const h = src.rect.r1 - src.rect.r0 + 1;
      const w = src.rect.c1 - src.rect.c0 + 1;
      const dh = t.rect.r1 - t.rect.r0 + 1;
      const dw = t.rect.c1 - t.rect.c0 + 1;
      const rows = dh % h === 0 ? dh : h;
      const cols = dw % w === 0 ? dw : w;
      // Read the whole source first, so a destination that overlaps it copies what was there before. Each source
      // cell once: a pasted tile repeats them (a row filled down 50,000 rows reads its two cells, not 100,000 copies).
      const sources: (Cell | undefined)[] = [];
      for (let i = 0; i < h; i++) {
        for (let j = 0; j < w; j++) {
          const from = getCell(src.sheet, src.rect.r0 + i, src.rect.c0 + j);
          sources.push(from ? { ...from } : undefined);
        }
      }
      for (let k = 0; k < rows * cols; k++) {
        const i = Math.floor(k / cols);
        const j = k % cols;
        const r = t.rect.r0 + i;
        const c = t.rect.c0 + j;
        const sr = src.rect.r0 + (i % h);
        const sc = src.rect.c0 + (j % w);
        const from = sources[(i % h) * w + (j % w)];
        const blank = !from || (from.formula === undefined && (from.value === undefined || from.value === ""));
        if (skipBlanks && blank) continue;
        const cell = ensureCell(t.sheet, r, c);
        if (copyType !== "Formats") {
          delete cell.value;
          clearFormula(cell);
          delete cell.quotePrefix;
          if (from?.formula !== undefined && copyType !== "Values") {
            // Pasted down a column, one formula becomes many: each cell keeps the source's text and its offset.
            copyFormulaTo(from, sr, sc, cell, r, c);
          } else if (from?.value !== undefined) {
            cell.value = from.value;
            if (from.quotePrefix) cell.quotePrefix = true;
          }
        }
        if (copyType === "Formats" || copyType === "All") {
          if (from?.numberFormat !== undefined) cell.numberFormat = from.numberFormat;
          else delete cell.numberFormat;
          if (from?.style) cell.style = { ...from.style };
        }
        pruneCell(t.sheet, r, c);
      }
      if (copyType === "All" || copyType === "Formats") {
        const tiles: { dr: number; dc: number }[] = [];
        for (let i = 0; i < rows; i += h) for (let j = 0; j < cols; j += w) tiles.push({ dr: i, dc: j });
        pasteRangeParts(src, t, tiles, copyType);
      }
      rt.dirty = true;
    });
  }

  clear(applyTo?: "All" | "Formats" | "Contents" | "Hyperlinks" | "RemoveHyperlinks"): void {
    this.act("clear", applyTo, (t) => {
      const rt = this.context.runtime;
      rt.assertEditable(t.sheet);
      const what = applyTo ?? "All";
      for (const [r, row] of t.sheet.rows) {
        if (r < t.rect.r0 || r > t.rect.r1) continue;
        for (const [c, cell] of row) {
          if (c < t.rect.c0 || c > t.rect.c1) continue;
          if (what === "All" || what === "Contents") {
            delete cell.value;
            clearFormula(cell);
            delete cell.quotePrefix;
          }
          if (what === "All" || what === "Formats") {
            delete cell.style;
            delete cell.numberFormat;
          }
          pruneCell(t.sheet, r, c);
        }
      }
      if (what === "All" || what === "Formats") {
        t.sheet.conditionalFormats = trimRanges(t.sheet.conditionalFormats, t.rect);
        t.sheet.validations = trimRanges(t.sheet.validations, t.rect);
      }
      rt.dirty = true;
      afterWrite(rt, t.sheet, t.rect);
    });
  }

  delete(shift: "Up" | "Left"): void {
    this.act("delete", shift, (t) => this.shift(t, shift === "Up" ? "row" : "col", -1));
  }

  insert(shift: "Down" | "Right"): Range {
    this.act("insert", shift, (t) => this.shift(t, shift === "Down" ? "row" : "col", 1));
    return this.derive((t) => t);
  }

  private shift(t: RangeTarget, axis: "row" | "col", sign: 1 | -1): void {
    const rt = this.context.runtime;
    rt.assertEditable(t.sheet);
    const { rect } = t;
    const [at, n, lo, hi] =
      axis === "row" ? [rect.r0, rectRows(rect), rect.c0, rect.c1] : [rect.c0, rectCols(rect), rect.r0, rect.r1];
    // Excel refuses to shift part of a table or merged area sideways through the band's edge.
    for (const tb of t.sheet.tables) {
      const [o0, o1, a1] = axis === "row" ? [tb.ref.c0, tb.ref.c1, tb.ref.r1] : [tb.ref.r0, tb.ref.r1, tb.ref.c1];
      const crosses = (o0 < lo && o1 >= lo) || (o1 > hi && o0 <= hi);
      if (crosses && a1 >= at)
        throw new HostError("InvalidOperation", "This operation would shift cells in a table on the worksheet.");
    }
    if (
      sign < 0 &&
      t.sheet.tables.some(
        (tb) =>
          tb.showHeaders &&
          intersects(tb.ref, rect) &&
          (axis === "row" ? tb.ref.r0 >= rect.r0 && tb.ref.r0 <= rect.r1 && !contains(rect, tb.ref) : false),
      )
    ) {
      throw new HostError("InvalidOperation", "A table's header row cannot be deleted on its own.");
    }
    applyShift(rt, { sheet: t.sheet, axis, at, count: sign * n, lo, hi });
  }

  select(): void {
    this.act("select", undefined, (t) => {
      const rt = this.context.runtime;
      rt.selection = { sheetId: t.sheet.id, rect: t.rect };
      rt.model.activeSheet = rt.model.sheets.indexOf(t.sheet);
    });
  }
}

function* range(a: number, b: number): Generator<number> {
  for (let i = a; i <= b; i++) yield i;
}

/** Removes `rect` from the ranges of validations or conditional formats, dropping emptied ones. */
function trimRanges<T extends { ranges: Rect[] }>(items: T[], rect: Rect): T[] {
  return items.filter((it) => {
    it.ranges = it.ranges.flatMap((r) => subtract(r, rect));
    return it.ranges.length > 0;
  });
}

/**
 * What a paste carries besides cells (Range.copyFrom "replicates Excel's copy and paste behavior", learn.microsoft.com
 * "Cut, copy, and paste ranges"): merged areas and conditional formats with "All" and "Formats", data validation with
 * "All" (Excel's Paste Special lists Validation apart from Formats). _Assumption_, rule `copy.all-carries-parts`:
 * parts read before the paste from the source's areas, pasted at each tile (offsets `dr`/`dc` from the destination's
 * top-left), replacing what the destination cells had; rule formulas move their relative references as cells do.
 */
function pasteRangeParts(
  src: RangeTarget,
  dest: RangeTarget,
  tiles: readonly { dr: number; dc: number }[],
  copyType: "All" | "Formats",
): void {
  const s = src.rect;
  const h = s.r1 - s.r0 + 1;
  const w = s.c1 - s.c0 + 1;
  const within = (r: Rect) => intersection(r, s);
  const merges = src.sheet.merges.filter((m) => m.r0 >= s.r0 && m.r1 <= s.r1 && m.c0 >= s.c0 && m.c1 <= s.c1);
  const cfs = src.sheet.conditionalFormats
    .map((m) => ({ m, parts: m.ranges.map(within).filter((r): r is Rect => r !== null) }))
    .filter((x) => x.parts.length > 0)
    .sort((a, b) => a.m.priority - b.m.priority);
  const dvs = src.sheet.validations
    .map((m) => ({ m, parts: m.ranges.map(within).filter((r): r is Rect => r !== null) }))
    .filter((x) => x.parts.length > 0);
  const area = tiles
    .map(({ dr, dc }) => ({
      r0: dest.rect.r0 + dr,
      c0: dest.rect.c0 + dc,
      r1: dest.rect.r0 + dr + h - 1,
      c1: dest.rect.c0 + dc + w - 1,
    }))
    .reduce(boundingRect);
  const sheet = dest.sheet;
  sheet.merges = sheet.merges.filter((m) => !intersects(m, area));
  sheet.conditionalFormats = trimRanges(sheet.conditionalFormats, area);
  if (copyType === "All")
    sheet.validations = sheet.validations.flatMap((v) => {
      const ranges = v.ranges.flatMap((r) => subtract(r, area));
      return ranges.length > 0 ? [{ ...v, ranges }] : [];
    });
  let priority = sheet.conditionalFormats.reduce((p, m) => Math.max(p, m.priority), -1);
  for (const { dr, dc } of tiles) {
    const moveR = dest.rect.r0 + dr - s.r0;
    const moveC = dest.rect.c0 + dc - s.c0;
    const at = (r: Rect): Rect => ({ r0: r.r0 + moveR, c0: r.c0 + moveC, r1: r.r1 + moveR, c1: r.c1 + moveC });
    const move = (f: string) => (f.startsWith("=") ? moveRelative(f, moveR, moveC) : f);
    for (const m of merges) sheet.merges.push(at(m));
    for (const { m, parts } of cfs) {
      const copy = structuredClone(m);
      copy.ranges = parts.map(at);
      copy.priority = ++priority;
      if (copy.type === "custom") copy.formula = move(copy.formula);
      if (copy.type === "cellValue") {
        copy.formula1 = move(copy.formula1);
        if (copy.formula2 !== undefined) copy.formula2 = move(copy.formula2);
      }
      sheet.conditionalFormats.push(copy);
    }
    if (copyType !== "All") continue;
    for (const { m, parts } of dvs) {
      const copy = structuredClone(m);
      copy.ranges = parts.map(at);
      const rule = copy.rule;
      if (rule.type === "list") rule.source = move(rule.source);
      else if (rule.type === "custom") rule.formula = move(rule.formula);
      else {
        if (typeof rule.formula1 === "string") rule.formula1 = move(rule.formula1);
        if (typeof rule.formula2 === "string") rule.formula2 = move(rule.formula2);
      }
      sheet.validations.push(copy);
    }
  }
}

/** Proxy for Excel.RangeAreas (only what getMergedAreasOrNullObject needs). */
type AreasTarget = { sheet: SheetModel; rects: Rect[]; topLeftAddress?: boolean };

export class RangeAreas extends ClientObject<AreasTarget> {
  protected get typeName(): string {
    return "RangeAreas";
  }
  protected scalarNames(): readonly string[] {
    return ["address", "areaCount", "cellCount"];
  }
  protected snapshot(t: AreasTarget, name: string): unknown {
    if (name === "address") {
      const shown = t.topLeftAddress ? t.rects.map((r) => ({ r0: r.r0, c0: r.c0, r1: r.r0, c1: r.c0 })) : t.rects;
      return shown.map((r) => qualified(t.sheet.name, r)).join(",");
    }
    if (name === "areaCount") return t.rects.length;
    return t.rects.reduce((s, r) => s + rectRows(r) * rectCols(r), 0);
  }
  protected override child(name: string): ClientObject<unknown> | undefined {
    return name === "areas" ? this.areas : undefined;
  }
  get address(): string {
    return this.prop("address");
  }
  get areaCount(): number {
    return this.prop("areaCount");
  }
  get cellCount(): number {
    return this.prop("cellCount");
  }
  get areas(): RangeCollection {
    return this.kid("areas", () => new RangeCollection(this.context, () => this.target()));
  }
}

export class RangeCollection extends ClientCollection<AreasTarget, Range> {
  protected get typeName(): string {
    return "RangeCollection";
  }
  protected itemProxies(t: AreasTarget): Range[] {
    return t.rects.map((rect) => new Range(this.context, () => ({ sheet: t.sheet, rect })));
  }
}

// --- formats ---

/** Reads a style key over a range: the common value, or null when cells differ. */
function readStyle<K extends keyof CellStyle>(t: RangeTarget, key: K, dflt: CellStyle[K]): CellStyle[K] | null {
  const bounded = isUnbounded(t.rect) ? (intersection(t.rect, usedRect(t.sheet, false) ?? t.rect) ?? t.rect) : t.rect;
  let first: CellStyle[K] | undefined;
  let seen = false;
  for (let r = bounded.r0; r <= bounded.r1; r++) {
    for (let c = bounded.c0; c <= bounded.c1; c++) {
      const v = getCell(t.sheet, r, c)?.style?.[key] ?? dflt;
      if (!seen) {
        first = v;
        seen = true;
      } else if (v !== first) return null;
    }
  }
  return first ?? dflt;
}

/** Applies a style change to every cell of a bounded range; for whole rows/columns, to the cells in use. */
function writeStyle(rt: { assertEditable(s: SheetModel): void }, t: RangeTarget, mutate: (s: CellStyle) => void): void {
  rt.assertEditable(t.sheet);
  // Styles read from a file are shared between cells and frozen: each write gives the cell its own copy.
  const restyle = (cell: Cell) => {
    const style = { ...cell.style };
    mutate(style);
    cell.style = style;
  };
  if (isUnbounded(t.rect)) {
    for (const [r, row] of t.sheet.rows) {
      if (r < t.rect.r0 || r > t.rect.r1) continue;
      for (const [c, cell] of row) if (c >= t.rect.c0 && c <= t.rect.c1) restyle(cell);
    }
    return;
  }
  for (let r = t.rect.r0; r <= t.rect.r1; r++) {
    for (let c = t.rect.c0; c <= t.rect.c1; c++) restyle(ensureCell(t.sheet, r, c));
  }
}

function cleanStyle(s: CellStyle, key: keyof CellStyle): void {
  delete s[key];
}

abstract class FormatPart extends ClientObject<RangeTarget> {
  protected styled(label: string, v: unknown, mutate: (s: CellStyle) => void): void {
    this.act(label, v, (t) => writeStyle(this.context.runtime, t, mutate));
  }
}

export class RangeFormat extends FormatPart {
  protected override memberSets(): Readonly<Record<string, string>> {
    return { columnWidth: "1.2", rowHeight: "1.2", useStandardWidth: "1.7" };
  }
  protected get typeName(): string {
    return "RangeFormat";
  }
  protected scalarNames(): readonly string[] {
    return ["wrapText", "columnWidth", "rowHeight", "horizontalAlignment", "verticalAlignment", "useStandardWidth"];
  }
  protected snapshot(t: RangeTarget, name: string): unknown {
    switch (name) {
      case "wrapText":
        return readStyle(t, "wrap", false);
      case "horizontalAlignment":
        return readStyle(t, "hAlign", "General");
      case "verticalAlignment":
        return readStyle(t, "vAlign", "Bottom");
      case "columnWidth": {
        const ws = [...range(t.rect.c0, Math.min(t.rect.c1, t.rect.c0 + 1000))].map(
          (c) => t.sheet.columnWidths.get(c) ?? DEFAULT_WIDTH,
        );
        return ws.every((w) => w === ws[0]) ? ws[0] : null;
      }
      case "useStandardWidth": {
        // @types/office-js: true when every column has the sheet's standard width, null when the columns differ.
        const std = [...range(t.rect.c0, Math.min(t.rect.c1, t.rect.c0 + 1000))].map(
          (c) => (t.sheet.columnWidths.get(c) ?? DEFAULT_WIDTH) === DEFAULT_WIDTH,
        );
        return std.every((x) => x === std[0]) ? std[0] : null;
      }
      case "rowHeight": {
        const hs = [...range(t.rect.r0, Math.min(t.rect.r1, t.rect.r0 + 100000))].map(
          (r) => t.sheet.rowHeights.get(r) ?? DEFAULT_HEIGHT,
        );
        return hs.every((h) => h === hs[0]) ? hs[0] : null;
      }
    }
    return undefined;
  }
  protected override child(name: string): ClientObject<unknown> | undefined {
    if (name === "fill") return this.fill;
    if (name === "font") return this.font;
    if (name === "borders") return this.borders;
    return undefined;
  }
  get fill(): RangeFill {
    return this.kid("fill", () => new RangeFill(this.context, () => this.target()));
  }
  get font(): RangeFont {
    return this.kid("font", () => new RangeFont(this.context, () => this.target()));
  }
  get borders(): RangeBorderCollection {
    return this.kid("borders", () => new RangeBorderCollection(this.context, () => this.target()));
  }
  get wrapText(): boolean {
    return this.prop("wrapText");
  }
  set wrapText(v: boolean) {
    this.local("wrapText", v);
    this.styled("wrapText", v, (s) => (v ? (s.wrap = true) : cleanStyle(s, "wrap")));
  }
  get horizontalAlignment(): string {
    return this.prop("horizontalAlignment");
  }
  set horizontalAlignment(v: string) {
    this.local("horizontalAlignment", v);
    if (!["General", "Left", "Center", "Right"].includes(v))
      throw new HostError(
        "NotImplemented",
        `The offline host supports General, Left, Center and Right alignment, not ${v}.`,
      );
    this.styled("horizontalAlignment", v, (s) =>
      v === "General" ? cleanStyle(s, "hAlign") : (s.hAlign = v as CellStyle["hAlign"]),
    );
  }
  get verticalAlignment(): string {
    return this.prop("verticalAlignment");
  }
  set verticalAlignment(v: string) {
    this.local("verticalAlignment", v);
    if (!["Top", "Center", "Bottom"].includes(v))
      throw new HostError("NotImplemented", `The offline host supports Top, Center and Bottom alignment, not ${v}.`);
    this.styled("verticalAlignment", v, (s) =>
      v === "Bottom" ? cleanStyle(s, "vAlign") : (s.vAlign = v as CellStyle["vAlign"]),
    );
  }
  get columnWidth(): number {
    return this.prop("columnWidth");
  }
  set columnWidth(v: number) {
    this.needsSet("columnWidth");
    this.local("columnWidth", v);
    this.act("columnWidth", v, (t) => {
      if (!(v >= 0 && v <= 1600))
        throw new HostError("InvalidArgument", "Column width must be between 0 and 1600 points.");
      for (let c = t.rect.c0; c <= t.rect.c1; c++) t.sheet.columnWidths.set(c, v);
    });
  }
  get useStandardWidth(): boolean {
    return this.prop("useStandardWidth");
  }
  /** Only `true` does something (@types/office-js: "Setting it to false has no effect"): the columns lose their width. */
  set useStandardWidth(v: boolean) {
    this.needsSet("useStandardWidth");
    this.local("useStandardWidth", v);
    this.act("useStandardWidth", v, (t) => {
      if (v !== true) return;
      for (let c = t.rect.c0; c <= t.rect.c1; c++) t.sheet.columnWidths.delete(c);
    });
  }
  get rowHeight(): number {
    return this.prop("rowHeight");
  }
  set rowHeight(v: number) {
    this.needsSet("rowHeight");
    this.local("rowHeight", v);
    this.act("rowHeight", v, (t) => {
      if (!(v >= 0 && v <= 409)) throw new HostError("InvalidArgument", "Row height must be between 0 and 409 points.");
      if (isUnbounded(t.rect) && t.rect.r1 - t.rect.r0 > 100000)
        throw new HostError("InvalidArgument", "Set row heights on bounded rows.");
      for (let r = t.rect.r0; r <= t.rect.r1; r++) t.sheet.rowHeights.set(r, v);
    });
  }
  /** Sizes columns to their longest text (CJK characters count double), like Excel's autofit, approximately. */
  autofitColumns(): void {
    this.act("autofitColumns", undefined, (t) => {
      const rt = this.context.runtime;
      rt.ensureCalculated();
      const rect = isUnbounded(t.rect) ? (intersection(t.rect, usedRect(t.sheet, true) ?? t.rect) ?? t.rect) : t.rect;
      const widths = new Map<number, number>();
      for (const [r, row] of t.sheet.rows) {
        if (r < rect.r0 || r > rect.r1) continue;
        for (const [c, cell] of row) {
          if (c < rect.c0 || c > rect.c1 || cell.value === undefined) continue;
          if (t.sheet.merges.some((m) => m.r0 <= r && m.r1 >= r && m.c0 <= c && m.c1 >= c && m.c1 > m.c0)) continue;
          const text = displayText(cell.value, cell.numberFormat ?? "General", rt.model.date1904);
          const units = [...text].reduce((n, ch) => n + (ch.charCodeAt(0) > 0x2e80 ? 2 : 1), 0);
          const pts = units * 5.5 * ((cell.style?.fontSize ?? 11) / 11) + 6;
          widths.set(c, Math.max(widths.get(c) ?? 0, pts));
        }
      }
      for (const [c, w] of widths) t.sheet.columnWidths.set(c, Math.min(255 * 5.5, Math.round(w * 4) / 4));
    });
  }
  autofitRows(): void {
    this.act("autofitRows", undefined, (t) => {
      for (let r = t.rect.r0; r <= Math.min(t.rect.r1, MAX_ROWS - 1); r++) t.sheet.rowHeights.delete(r);
    });
  }
}

export class RangeFill extends FormatPart {
  protected get typeName(): string {
    return "RangeFill";
  }
  protected scalarNames(): readonly string[] {
    return ["color"];
  }
  protected snapshot(t: RangeTarget): unknown {
    return readStyle(t, "fill", "#FFFFFF");
  }
  get color(): string {
    return this.prop("color");
  }
  set color(v: string) {
    this.local("color", v);
    const c = normColor(v);
    this.styled("fill", v, (s) => (c === "" ? cleanStyle(s, "fill") : (s.fill = c)));
  }
  clear(): void {
    this.styled("clear", undefined, (s) => cleanStyle(s, "fill"));
  }
}

export class RangeFont extends FormatPart {
  protected get typeName(): string {
    return "RangeFont";
  }
  protected scalarNames(): readonly string[] {
    return ["bold", "italic", "color", "size", "name"];
  }
  protected snapshot(t: RangeTarget, name: string): unknown {
    if (name === "bold") return readStyle(t, "fontBold", false);
    if (name === "italic") return readStyle(t, "fontItalic", false);
    if (name === "color") return readStyle(t, "fontColor", "#000000");
    if (name === "size") return readStyle(t, "fontSize", 11);
    return readStyle(t, "fontName", "Calibri");
  }
  get bold(): boolean {
    return this.prop("bold");
  }
  set bold(v: boolean) {
    this.local("bold", v);
    this.styled("bold", v, (s) => (v ? (s.fontBold = true) : cleanStyle(s, "fontBold")));
  }
  get italic(): boolean {
    return this.prop("italic");
  }
  set italic(v: boolean) {
    this.local("italic", v);
    this.styled("italic", v, (s) => (v ? (s.fontItalic = true) : cleanStyle(s, "fontItalic")));
  }
  get color(): string {
    return this.prop("color");
  }
  set color(v: string) {
    this.local("color", v);
    const c = normColor(v);
    this.styled("color", v, (s) => (c === "" ? cleanStyle(s, "fontColor") : (s.fontColor = c)));
  }
  get size(): number {
    return this.prop("size");
  }
  set size(v: number) {
    this.local("size", v);
    this.styled("size", v, (s) => (s.fontSize = v));
  }
  get name(): string {
    return this.prop("name");
  }
  set name(v: string) {
    this.local("name", v);
    this.styled("name", v, (s) => (s.fontName = v));
  }
}

/** Excel accepts "#RRGGBB" and a few colour names; anything else is InvalidArgument. */
function normColor(v: string): string {
  if (v === "") return "";
  const named: Record<string, string> = {
    red: "#FF0000",
    green: "#008000",
    blue: "#0000FF",
    yellow: "#FFFF00",
    white: "#FFFFFF",
    black: "#000000",
    orange: "#FFA500",
    gray: "#808080",
    grey: "#808080",
  };
  if (named[v.toLowerCase()]) return named[v.toLowerCase()];
  if (/^#[0-9A-Fa-f]{6}$/.test(v)) return v.toUpperCase();
  throw new HostError("InvalidArgument", `'${v}' is not a colour Excel accepts (use #RRGGBB).`);
}

export class RangeBorderCollection extends FormatPart {
  protected get typeName(): string {
    return "RangeBorderCollection";
  }
  protected scalarNames(): readonly string[] {
    return [];
  }
  protected snapshot(): unknown {
    return undefined;
  }
  /** Borders are kept coarsely: any edge style other than None marks the cells as bordered. */
  getItem(index: string): RangeBorder {
    return new RangeBorder(this.context, () => this.target(), index);
  }
}

export class RangeBorder extends FormatPart {
  constructor(
    context: OfflineRequestContext,
    resolver: () => RangeTarget | null,
    readonly sideIndex: string,
  ) {
    super(context, resolver);
  }
  protected get typeName(): string {
    return "RangeBorder";
  }
  protected scalarNames(): readonly string[] {
    return ["style", "color", "sideIndex"];
  }
  protected snapshot(t: RangeTarget, name: string): unknown {
    if (name === "sideIndex") return this.sideIndex;
    const b = readStyle(t, "border", false);
    if (name === "style") return b === null ? null : b ? "Continuous" : "None";
    return "#000000";
  }
  get style(): string {
    return this.prop("style");
  }
  set style(v: string) {
    this.local("style", v);
    this.styled("style", v, (s) => (v === "None" ? cleanStyle(s, "border") : (s.border = true)));
  }
  get color(): string {
    return this.prop("color");
  }
  set color(v: string) {
    this.local("color", v);
    normColor(v);
  }
}

// --- data validation ---

const DEFAULT_ALERT: ValidationModel["errorAlert"] = { showAlert: true, style: "Stop", title: "", message: "" };
const DEFAULT_PROMPT: ValidationModel["prompt"] = { showPrompt: false, title: "", message: "" };
const VALIDATION_TYPES = ["list", "decimal", "wholeNumber", "date", "textLength", "custom"] as const;

/** Parses a DataValidationRule object; exactly one rule type, inline lists ≤ 255 characters. */
function parseRule(rule: Record<string, unknown>): ValidationRule {
  if (rule === null || typeof rule !== "object")
    throw new HostError("InvalidArgument", "A data validation rule must be an object with one rule type.");
  const keys = Object.keys(rule).filter((k) => rule[k] !== undefined && rule[k] !== null);
  if (keys.length !== 1)
    throw new HostError("InvalidArgument", "A data validation rule must have exactly one rule type.");
  const type = keys[0];
  if (!(VALIDATION_TYPES as readonly string[]).includes(type))
    throw new HostError("InvalidArgument", `Unsupported data validation type '${type}'.`);
  const body = rule[type] as Record<string, unknown>;
  if (type === "list") {
    let source = body.source;
    if (source && typeof source === "object" && "address" in (source as object)) {
      const t = (source as Range).target();
      source = `=${qualified(t.sheet.name, t.rect, true)}`;
    }
    if (typeof source !== "string" || source === "")
      throw new HostError("InvalidArgument", "A list rule needs a source.");
    if (!source.startsWith("=") && source.length > 255)
      throw new HostError("InvalidArgument", "An inline list source may not exceed 255 characters.");
    return { type: "list", source, inCellDropDown: body.inCellDropDown !== false };
  }
  if (type === "custom") {
    if (typeof body.formula !== "string") throw new HostError("InvalidArgument", "A custom rule needs a formula.");
    return { type: "custom", formula: body.formula };
  }
  const operator = body.operator as Extract<ValidationRule, { operator: unknown }>["operator"];
  const f1 = body.formula1 as string | number;
  if (f1 === undefined || typeof operator !== "string")
    throw new HostError("InvalidArgument", "A rule needs an operator and formula1.");
  if ((operator === "Between" || operator === "NotBetween") && body.formula2 === undefined)
    throw new HostError("InvalidArgument", "Between needs formula2.");
  const out: ValidationRule = { type: type as "decimal", operator, formula1: f1 };
  if (body.formula2 !== undefined) out.formula2 = body.formula2 as string | number;
  return out;
}

function ruleToApi(rule: ValidationRule): Record<string, unknown> {
  if (rule.type === "list") return { list: { source: rule.source, inCellDropDown: rule.inCellDropDown } };
  if (rule.type === "custom") return { custom: { formula: rule.formula } };
  const body: Record<string, unknown> = { operator: rule.operator, formula1: rule.formula1 };
  if (rule.formula2 !== undefined) body.formula2 = rule.formula2;
  return { [rule.type]: body };
}

/** Splits validations so that the part inside `rect` is its own model; returns the models covering rect. */
function isolate(sheet: SheetModel, rect: Rect): ValidationModel[] {
  const inside: ValidationModel[] = [];
  const next: ValidationModel[] = [];
  for (const v of sheet.validations) {
    const ins = v.ranges.map((r) => intersection(r, rect)).filter((r): r is Rect => r !== null);
    if (ins.length === 0) {
      next.push(v);
      continue;
    }
    const outs = v.ranges.flatMap((r) => subtract(r, rect));
    if (outs.length > 0) next.push({ ...v, ranges: outs });
    const part = { ...v, ranges: ins, errorAlert: { ...v.errorAlert }, prompt: { ...v.prompt } };
    next.push(part);
    inside.push(part);
  }
  sheet.validations = next;
  return inside;
}

export class DataValidation extends ClientObject<RangeTarget> {
  protected get typeName(): string {
    return "DataValidation";
  }
  protected scalarNames(): readonly string[] {
    return ["type", "rule", "errorAlert", "prompt", "ignoreBlanks"];
  }
  private models(t: RangeTarget): ValidationModel[] {
    return t.sheet.validations.filter((v) => v.ranges.some((r) => intersects(r, t.rect)));
  }
  protected snapshot(t: RangeTarget, name: string): unknown {
    const ms = this.models(t);
    const covered = ms.length === 1 && ms[0].ranges.some((r) => contains(r, t.rect));
    const m = ms[0];
    switch (name) {
      case "type":
        // @types/office-js: "MixedCriteria" when some cells of the range have validation and others none,
        // "Inconsistent" when every cell has some but the rules differ.
        if (ms.length === 0) return "None";
        if (!covered) return everyCellValidated(t, ms) ? "Inconsistent" : "MixedCriteria";
        return m.rule.type === "list"
          ? "List"
          : m.rule.type === "custom"
            ? "Custom"
            : m.rule.type[0].toUpperCase() + m.rule.type.slice(1);
      case "rule":
        return covered ? ruleToApi(m.rule) : {};
      case "errorAlert":
        return covered ? { ...m.errorAlert } : { ...DEFAULT_ALERT };
      case "prompt":
        return covered ? { ...m.prompt } : { ...DEFAULT_PROMPT };
      case "ignoreBlanks":
        return covered ? m.ignoreBlanks : true;
    }
    return undefined;
  }
  get type(): string {
    return this.prop("type");
  }
  get rule(): Record<string, unknown> {
    return this.prop("rule");
  }
  set rule(v: Record<string, unknown>) {
    this.local("rule", v);
    this.act("rule", v, (t) => {
      this.context.runtime.assertEditable(t.sheet);
      const parsed = parseRule(v);
      const existing = isolate(t.sheet, t.rect);
      // assumption: Excel refuses a different rule type over cells that already have one (clear() first).
      if (existing.some((e) => e.rule.type !== parsed.type)) {
        throw new HostError(
          "InvalidOperation",
          "The range already has a data validation rule of another type; clear it first.",
        );
      }
      t.sheet.validations = t.sheet.validations.filter((e) => !existing.includes(e));
      const keep = existing[0];
      t.sheet.validations.push({
        ranges: [t.rect],
        rule: parsed,
        ignoreBlanks: keep?.ignoreBlanks ?? true,
        errorAlert: keep ? { ...keep.errorAlert } : { ...DEFAULT_ALERT },
        prompt: keep ? { ...keep.prompt } : { ...DEFAULT_PROMPT },
      });
    });
  }
  get errorAlert(): ValidationModel["errorAlert"] {
    return this.prop("errorAlert");
  }
  set errorAlert(v: Partial<ValidationModel["errorAlert"]>) {
    this.local("errorAlert", v);
    this.act("errorAlert", v, (t) => {
      for (const m of isolate(t.sheet, t.rect)) m.errorAlert = { ...m.errorAlert, ...v };
    });
  }
  get prompt(): ValidationModel["prompt"] {
    return this.prop("prompt");
  }
  set prompt(v: Partial<ValidationModel["prompt"]>) {
    this.local("prompt", v);
    this.act("prompt", v, (t) => {
      for (const m of isolate(t.sheet, t.rect)) m.prompt = { ...m.prompt, ...v };
    });
  }
  get ignoreBlanks(): boolean {
    return this.prop("ignoreBlanks");
  }
  set ignoreBlanks(v: boolean) {
    this.local("ignoreBlanks", v);
    this.act("ignoreBlanks", v, (t) => {
      for (const m of isolate(t.sheet, t.rect)) m.ignoreBlanks = v;
    });
  }
  clear(): void {
    this.act("clear", undefined, (t) => {
      this.context.runtime.assertEditable(t.sheet);
      const inside = isolate(t.sheet, t.rect);
      t.sheet.validations = t.sheet.validations.filter((v) => !inside.includes(v));
    });
  }
}

/** Whether the validations `ms` together cover every cell of the range (unbounded ranges: their used part). */
function everyCellValidated(t: RangeTarget, ms: readonly ValidationModel[]): boolean {
  let left: Rect[] = [t.rect];
  for (const m of ms) for (const r of m.ranges) left = left.flatMap((x) => subtract(x, r));
  return left.length === 0;
}

// --- conditional formats ---

type CfTarget = { sheet: SheetModel; model: ConditionalFormatModel };

export class ConditionalFormatCollection extends ClientCollection<RangeTarget, ConditionalFormat> {
  protected get typeName(): string {
    return "ConditionalFormatCollection";
  }
  protected itemProxies(t: RangeTarget): ConditionalFormat[] {
    return this.list(t).map((m) => new ConditionalFormat(this.context, () => ({ sheet: t.sheet, model: m })));
  }
  private list(t: RangeTarget): ConditionalFormatModel[] {
    return t.sheet.conditionalFormats
      .filter((m) => m.ranges.some((r) => intersects(r, t.rect)))
      .sort((a, b) => a.priority - b.priority);
  }
  add(type: "CellValue" | "Custom" | "DataBar" | string): ConditionalFormat {
    let created: CfTarget | null = null;
    this.act("add", type, (t) => {
      this.context.runtime.assertEditable(t.sheet);
      const base = { ranges: [t.rect], priority: 0, stopIfTrue: false };
      for (const m of t.sheet.conditionalFormats) m.priority++;
      let model: ConditionalFormatModel;
      if (type === "CellValue") model = { ...base, type: "cellValue", operator: "EqualTo", formula1: "0", format: {} };
      else if (type === "Custom") model = { ...base, type: "custom", formula: "=FALSE", format: {} };
      else if (type === "DataBar") model = { ...base, type: "dataBar", color: "#638EC6" };
      else throw new HostError("NotImplemented", `Conditional format type ${type} is not supported offline.`);
      t.sheet.conditionalFormats.push(model);
      created = { sheet: t.sheet, model };
    });
    return new ConditionalFormat(this.context, () => created);
  }
  getCount(): ClientResult<number> {
    return this.result("getCount", undefined, (t) => this.list(t).length);
  }
  getItemAt(index: number): ConditionalFormat {
    return new ConditionalFormat(this.context, () => {
      const t = this.target();
      const m = this.list(t)[index];
      if (!m) throw new HostError("ItemNotFound", `No conditional format at ${index}.`);
      return { sheet: t.sheet, model: m };
    });
  }
  clearAll(): void {
    this.act("clearAll", undefined, (t) => {
      t.sheet.conditionalFormats = trimRanges(t.sheet.conditionalFormats, t.rect);
    });
  }
}

export class ConditionalFormat extends ClientObject<CfTarget> {
  protected get typeName(): string {
    return "ConditionalFormat";
  }
  protected scalarNames(): readonly string[] {
    return ["type", "priority", "stopIfTrue"];
  }
  protected snapshot(t: CfTarget, name: string): unknown {
    if (name === "type") return { cellValue: "CellValue", custom: "Custom", dataBar: "DataBar" }[t.model.type];
    if (name === "priority") return t.model.priority;
    return t.model.stopIfTrue;
  }
  protected override child(name: string): ClientObject<unknown> | undefined {
    if (name === "cellValue") return this.cellValue;
    if (name === "custom") return this.custom;
    if (name === "dataBar") return this.dataBar;
    return undefined;
  }
  get type(): string {
    return this.prop("type");
  }
  get priority(): number {
    return this.prop("priority");
  }
  set priority(v: number) {
    this.local("priority", v);
    this.act("priority", v, (t) => (t.model.priority = v));
  }
  get stopIfTrue(): boolean {
    return this.prop("stopIfTrue");
  }
  set stopIfTrue(v: boolean) {
    this.local("stopIfTrue", v);
    this.act("stopIfTrue", v, (t) => (t.model.stopIfTrue = v));
  }
  get cellValue(): CfRule {
    return this.kid("cellValue", () => new CfRule(this.context, () => this.target(), "cellValue"));
  }
  get custom(): CfRule {
    return this.kid("custom", () => new CfRule(this.context, () => this.target(), "custom"));
  }
  get dataBar(): DataBarFormat {
    return this.kid("dataBar", () => new DataBarFormat(this.context, () => this.target()));
  }
  getRange(): Range {
    return new Range(this.context, () => {
      const t = this.target();
      return { sheet: t.sheet, rect: t.model.ranges[0] };
    });
  }
  delete(): void {
    this.act("delete", undefined, (t) => {
      t.sheet.conditionalFormats = t.sheet.conditionalFormats.filter((m) => m !== t.model);
    });
  }
}

/** cellValue / custom conditional format: `rule` and `format` (fill, font). */
export class CfRule extends ClientObject<CfTarget> {
  constructor(
    context: OfflineRequestContext,
    resolver: () => CfTarget | null,
    private readonly kind: "cellValue" | "custom",
  ) {
    super(context, resolver);
  }
  protected get typeName(): string {
    return this.kind === "cellValue" ? "CellValueConditionalFormat" : "CustomConditionalFormat";
  }
  protected scalarNames(): readonly string[] {
    return this.kind === "cellValue" ? ["rule"] : [];
  }
  protected snapshot(t: CfTarget): unknown {
    const m = t.model;
    if (m.type !== "cellValue") return null;
    return m.formula2 === undefined
      ? { formula1: m.formula1, operator: m.operator }
      : { formula1: m.formula1, formula2: m.formula2, operator: m.operator };
  }
  private model(): Extract<ConditionalFormatModel, { type: "cellValue" | "custom" }> {
    const m = this.target().model;
    if (m.type !== this.kind)
      throw new HostError("InvalidOperation", `This conditional format is not of type ${this.kind}.`);
    return m as Extract<ConditionalFormatModel, { type: "cellValue" | "custom" }>;
  }
  get rule(): unknown {
    if (this.kind === "custom") return this.kid("rule", () => new CfCustomRule(this.context, () => this.target()));
    return this.prop("rule");
  }
  set rule(v: unknown) {
    if (this.kind !== "cellValue")
      throw new HostError("InvalidArgument", "Set rule.formula on a custom conditional format.");
    const r = v as { formula1: string | number; formula2?: string | number; operator: string };
    this.local("rule", v);
    this.context.enqueue("CellValueConditionalFormat.rule", v, () => {
      const m = this.model();
      if (m.type !== "cellValue") return;
      m.operator = r.operator as typeof m.operator;
      m.formula1 = String(r.formula1);
      if (r.formula2 !== undefined) m.formula2 = String(r.formula2);
      else delete m.formula2;
    });
  }
  get format(): CfFormatProxy {
    return this.kid(
      "format",
      () => new CfFormatProxy(this.context, () => this.model() as unknown as { format: CfFormat }),
    );
  }
}

export class CfCustomRule extends ClientObject<CfTarget> {
  protected get typeName(): string {
    return "ConditionalFormatRule";
  }
  protected scalarNames(): readonly string[] {
    return ["formula"];
  }
  protected snapshot(t: CfTarget): unknown {
    return t.model.type === "custom" ? t.model.formula : null;
  }
  get formula(): string {
    return this.prop("formula");
  }
  set formula(v: string) {
    this.local("formula", v);
    this.act("formula", v, (t) => {
      if (t.model.type !== "custom") throw new HostError("InvalidOperation", "Not a custom conditional format.");
      t.model.formula = v.startsWith("=") ? v : `=${v}`;
    });
  }
}

export class CfFormatProxy extends ClientObject<{ format: CfFormat }> {
  protected get typeName(): string {
    return "ConditionalRangeFormat";
  }
  protected scalarNames(): readonly string[] {
    return [];
  }
  protected snapshot(): unknown {
    return undefined;
  }
  protected override child(name: string): ClientObject<unknown> | undefined {
    if (name === "fill") return this.fill;
    if (name === "font") return this.font;
    return undefined;
  }
  get fill(): CfPart {
    return this.kid("fill", () => new CfPart(this.context, () => this.target().format, "fill"));
  }
  get font(): CfPart {
    return this.kid("font", () => new CfPart(this.context, () => this.target().format, "font"));
  }
}

export class CfPart extends ClientObject<CfFormat> {
  constructor(
    context: OfflineRequestContext,
    resolver: () => CfFormat | null,
    private readonly part: "fill" | "font",
  ) {
    super(context, resolver);
  }
  protected get typeName(): string {
    return this.part === "fill" ? "ConditionalRangeFill" : "ConditionalRangeFont";
  }
  protected scalarNames(): readonly string[] {
    return this.part === "fill" ? ["color"] : ["color", "bold"];
  }
  protected snapshot(t: CfFormat, name: string): unknown {
    if (this.part === "fill") return t.fill ?? null;
    return name === "bold" ? (t.fontBold ?? false) : (t.fontColor ?? null);
  }
  get color(): string {
    return this.prop("color");
  }
  set color(v: string) {
    this.local("color", v);
    const c = normColor(v);
    this.act("color", v, (t) => {
      if (this.part === "fill") t.fill = c;
      else t.fontColor = c;
    });
  }
  get bold(): boolean {
    return this.prop("bold");
  }
  set bold(v: boolean) {
    this.local("bold", v);
    this.act("bold", v, (t) => (t.fontBold = v));
  }
  clear(): void {
    this.act("clear", undefined, (t) => {
      if (this.part === "fill") delete t.fill;
      else {
        delete t.fontColor;
        delete t.fontBold;
      }
    });
  }
}

export class DataBarFormat extends ClientObject<CfTarget> {
  protected get typeName(): string {
    return "DataBarConditionalFormat";
  }
  protected scalarNames(): readonly string[] {
    return ["barDirection"];
  }
  protected snapshot(t: CfTarget): unknown {
    return t.model.type === "dataBar" ? (t.model.barDirection ?? "Context") : null;
  }
  get barDirection(): string {
    return this.prop("barDirection");
  }
  set barDirection(v: "Context" | "LeftToRight" | "RightToLeft") {
    this.local("barDirection", v);
    this.act("barDirection", v, (t) => {
      if (!["Context", "LeftToRight", "RightToLeft"].includes(v))
        throw new HostError("InvalidArgument", `Invalid bar direction ${String(v)}.`);
      if (t.model.type === "dataBar") t.model.barDirection = v;
    });
  }
  protected override child(name: string): ClientObject<unknown> | undefined {
    return name === "positiveFormat" ? this.positiveFormat : undefined;
  }
  get positiveFormat(): DataBarPositive {
    return this.kid("positiveFormat", () => new DataBarPositive(this.context, () => this.target()));
  }
  set lowerBoundRule(v: { type: string; formula?: string }) {
    this.act("lowerBoundRule", v, (t) => {
      if (t.model.type !== "dataBar") return;
      if (v.type === "Number" && v.formula !== undefined) t.model.min = Number(v.formula);
      else delete t.model.min;
    });
  }
  set upperBoundRule(v: { type: string; formula?: string }) {
    this.act("upperBoundRule", v, (t) => {
      if (t.model.type !== "dataBar") return;
      if (v.type === "Number" && v.formula !== undefined) t.model.max = Number(v.formula);
      else delete t.model.max;
    });
  }
}

export class DataBarPositive extends ClientObject<CfTarget> {
  protected get typeName(): string {
    return "ConditionalDataBarPositiveFormat";
  }
  protected scalarNames(): readonly string[] {
    return ["fillColor"];
  }
  protected snapshot(t: CfTarget): unknown {
    return t.model.type === "dataBar" ? t.model.color : null;
  }
  get fillColor(): string {
    return this.prop("fillColor");
  }
  set fillColor(v: string) {
    this.local("fillColor", v);
    const c = normColor(v);
    this.act("fillColor", v, (t) => {
      if (t.model.type === "dataBar") t.model.color = c;
    });
  }
}
