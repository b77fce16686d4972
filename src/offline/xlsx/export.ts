/**
 * WorkbookModel → .xlsx bytes. The package is written directly (sheet XML as strings, zipped by zip.ts): cells, styles,
 * merges, tables, validation, conditional formats, names, views and native chart parts, with each formula's cached
 * value so previews and readers that do not recalculate show the right numbers.
 */
import { strToU8 } from "fflate";
import type {
  Cell,
  ConditionalFormatModel,
  PageSetupModel,
  Rect,
  Scalar,
  SheetModel,
  TableModel,
  ValidationModel,
  WorkbookModel,
} from "../model";
import { colName, parseSheetRange, quoteSheet, rectRef, sqref } from "./a1";
import { namespaceDeclarations, PartCarrier, relativeTarget, renameRelIds, renumber, SheetCarry } from "./carry";
import { chartXml, drawingXml } from "./chart";
import { isMovedFormula, toFileFormula } from "./formula-text";
import { filledOf, type Filled } from "./filled";
import { CONTENT_TYPE, PLAN_LEDGER_ITEM_ID, PLAN_LEDGER_NS, REL_TYPE, relsPath } from "./parts";
import { StyleWriter } from "./styles";
import { escapeAttr, escapeText } from "./xml";
import { PartStream, zipParts, type PackedPart, type ZipCodec } from "./zip";

export type ExportOptions = {
  /** The compressor for the package; fflate when absent. The CLI passes Node's zlib, which is several times faster. */
  codec?: ZipCodec;
  /**
   * Every cell with its `r`, as Excel and LibreOffice write them, for a reader that requires it (calamine before
   * 0.22, Spout). By default a cell that follows the previous one of its row is written without it (README).
   */
  everyCellRef?: boolean;
};

const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships";

/** Part names this writer gives its own parts: a part carried from the input under such a name is renamed. */
const WRITER_PART =
  /^(\[Content_Types\]\.xml|_rels\/\.rels|xl\/(workbook|styles|sharedStrings)\.xml|xl\/_rels\/workbook\.xml\.rels|xl\/(worksheets\/sheet|tables\/table|charts\/chart|drawings\/drawing)\d+\.xml|customXml\/(item|itemProps)1\.xml)$/;

/** Namespace prefixes our drawing parts declare on their root. */
const DRAWING_NS: Record<string, string> = {
  xdr: "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing",
  a: "http://schemas.openxmlformats.org/drawingml/2006/main",
  r: R_NS,
};

/** Points per unit of the file's column width (a character of the default font, 7 px at 0.75 pt/px). */
export const POINTS_PER_WIDTH_UNIT = 5.25;

class SharedStrings {
  private readonly ids = new Map<string, number>();
  private readonly items: string[] = [];
  count = 0;

  id(s: string): number {
    this.count++;
    let id = this.ids.get(s);
    if (id === undefined) {
      id = this.items.length;
      this.ids.set(s, id);
      this.items.push(s);
    }
    return id;
  }

  toXml(): string {
    const parts: string[] = [];
    for (const s of this.items) {
      const preserve = /^\s|\s$|\n/.test(s) ? ' xml:space="preserve"' : "";
      parts.push(`<si><t${preserve}>${escapeText(s)}</t></si>`);
    }
    return `${XML_HEAD}<sst xmlns="${MAIN_NS}" count="${this.count}" uniqueCount="${this.items.length}">${parts.join("")}</sst>`;
  }
}

type RelOut = { id: string; type: string; target: string; external?: boolean };

function rels(items: readonly RelOut[]): string {
  const body = items.map(
    (r) =>
      `<Relationship Id="${r.id}" Type="${r.type}" Target="${escapeAttr(r.target)}"` +
      `${r.external ? ' TargetMode="External"' : ""}/>`,
  );
  return `${XML_HEAD}<Relationships xmlns="${PKG_REL_NS}">${body.join("")}</Relationships>`;
}

function numText(n: number): string {
  return String(n);
}

function valueXml(v: Scalar, sst: SharedStrings, formula: boolean): { t: string; v: string } {
  if (typeof v === "number") {
    return Number.isFinite(v) ? { t: "", v: numText(v) } : { t: ' t="e"', v: "#NUM!" };
  }
  if (typeof v === "string") {
    // Formula results are stored inline (t="str"), as Excel does; plain text goes to the shared string table.
    return formula ? { t: ' t="str"', v: escapeText(v) } : { t: ' t="s"', v: String(sst.id(v)) };
  }
  if (typeof v === "boolean") return { t: ' t="b"', v: v ? "1" : "0" };
  return { t: ' t="e"', v: escapeText(v.error) };
}

function sortedKeys<T>(m: Map<number, T>): number[] {
  const keys = [...m.keys()];
  for (let i = 1; i < keys.length; i++) {
    if (keys[i - 1] > keys[i]) return keys.sort((a, b) => a - b);
  }
  return keys;
}

const DV_TYPE = {
  list: "list",
  decimal: "decimal",
  wholeNumber: "whole",
  date: "date",
  textLength: "textLength",
  custom: "custom",
} as const;
const DV_OPERATOR: Record<string, string> = {
  Between: "between",
  NotBetween: "notBetween",
  EqualTo: "equal",
  NotEqualTo: "notEqual",
  GreaterThan: "greaterThan",
  LessThan: "lessThan",
  GreaterThanOrEqualTo: "greaterThanOrEqual",
  LessThanOrEqualTo: "lessThanOrEqual",
};
const CF_OPERATOR: Record<string, string> = {
  Between: "between",
  NotBetween: "notBetween",
  EqualTo: "equal",
  NotEqualTo: "notEqual",
  GreaterThan: "greaterThan",
  LessThan: "lessThan",
  GreaterThanOrEqual: "greaterThanOrEqual",
  LessThanOrEqual: "lessThanOrEqual",
};

function formulaOperand(x: string | number): string {
  if (typeof x === "number") return numText(x);
  return escapeText(x.startsWith("=") ? x.slice(1) : x);
}

function validationXml(dv: ValidationModel): string {
  const rule = dv.rule;
  const a: string[] = [`type="${DV_TYPE[rule.type]}"`];
  let formulas = "";
  if (rule.type === "list") {
    if (!rule.inCellDropDown) a.push('showDropDown="1"'); // the attribute means "hide the arrow"
    const src = rule.source.startsWith("=") ? rule.source.slice(1) : `"${rule.source.replace(/"/g, '""')}"`;
    formulas = `<formula1>${escapeText(src)}</formula1>`;
  } else if (rule.type === "custom") {
    formulas = `<formula1>${formulaOperand(rule.formula)}</formula1>`;
  } else {
    if (rule.operator !== "Between") a.push(`operator="${DV_OPERATOR[rule.operator]}"`);
    formulas = `<formula1>${formulaOperand(rule.formula1)}</formula1>`;
    if (rule.formula2 !== undefined) formulas += `<formula2>${formulaOperand(rule.formula2)}</formula2>`;
  }
  if (dv.ignoreBlanks) a.push('allowBlank="1"');
  const e = dv.errorAlert;
  if (e.style !== "Stop") a.push(`errorStyle="${e.style.toLowerCase()}"`);
  if (dv.prompt.showPrompt) a.push('showInputMessage="1"');
  if (e.showAlert) a.push('showErrorMessage="1"');
  if (e.title) a.push(`errorTitle="${escapeAttr(e.title)}"`);
  if (e.message) a.push(`error="${escapeAttr(e.message)}"`);
  if (dv.prompt.title) a.push(`promptTitle="${escapeAttr(dv.prompt.title)}"`);
  if (dv.prompt.message) a.push(`prompt="${escapeAttr(dv.prompt.message)}"`);
  a.push(`sqref="${sqref(dv.ranges)}"`);
  return `<dataValidation ${a.join(" ")}>${formulas}</dataValidation>`;
}

function cfXml(cf: ConditionalFormatModel, styles: StyleWriter): string {
  // The model's priority is the API's, from 0; the file's starts at 1, and LibreOffice ignores a rule of priority 0.
  const priority = cf.priority + 1;
  const stop = cf.stopIfTrue ? ' stopIfTrue="1"' : "";
  let rule: string;
  if (cf.type === "cellValue") {
    const f2 = cf.formula2 !== undefined ? `<formula>${formulaOperand(cf.formula2)}</formula>` : "";
    rule =
      `<cfRule type="cellIs" dxfId="${styles.dxfFor(cf.format)}" priority="${priority}"${stop} ` +
      `operator="${CF_OPERATOR[cf.operator]}"><formula>${formulaOperand(cf.formula1)}</formula>${f2}</cfRule>`;
  } else if (cf.type === "custom") {
    rule =
      `<cfRule type="expression" dxfId="${styles.dxfFor(cf.format)}" priority="${priority}"${stop}>` +
      `<formula>${formulaOperand(cf.formula)}</formula></cfRule>`;
  } else {
    const lo = cf.min !== undefined ? `<cfvo type="num" val="${cf.min}"/>` : '<cfvo type="min"/>';
    const hi = cf.max !== undefined ? `<cfvo type="num" val="${cf.max}"/>` : '<cfvo type="max"/>';
    rule =
      `<cfRule type="dataBar" priority="${priority}"${stop}><dataBar>${lo}${hi}` +
      `<color rgb="FF${cf.color.replace(/^#/, "").toUpperCase()}"/></dataBar></cfRule>`;
  }
  return `<conditionalFormatting sqref="${sqref(cf.ranges)}">${rule}</conditionalFormatting>`;
}

/**
 * The text stored in `<f>` for a model formula in a cell of `table` (if any), memoised by text in `fileFormulas`; not
 * escaped. Row formulas of a table repeat the same text on every row ([@Col] references do not change with the row),
 * so the file form of each distinct formula is worked out once. The memo lives as long as one sheet's writing: kept
 * across exports it held the last sheet's texts (up to 50,000 of them) after the model itself had let them go.
 */
function fileFormula(fileFormulas: Map<string, string>, formula: string, table: string | undefined): string {
  const key = table === undefined ? formula : `${table}\u0000${formula}`;
  let f = fileFormulas.get(key);
  if (f === undefined) {
    if (fileFormulas.size > 50_000) fileFormulas.clear();
    f = toFileFormula(formula, table);
    fileFormulas.set(key, f);
  }
  return f;
}

/**
 * The `<f>` element of every formula cell of a sheet, by `r * 16384 + c`. A formula filled down a column (the same
 * text on each row once its relative references are moved, as the reader's shiftFormula moves them) is written as
 * Excel writes a copied-down column: a shared formula (ECMA-376 Part 1 §18.3.1.40 `f`, §18.18.6 ST_CellFormulaType),
 * its text once in the first cell with the range it covers (`<f t="shared" ref="K5:K50004" si="0">…</f>`) and
 * `<f t="shared" si="0"/>` in the others. On a 50,000-row plan that is the difference between writing the status
 * formula 50,000 times and once, for every reader that parses the sheet.
 */
function formulaElements(sheet: SheetModel, rowKeys: readonly number[]): Map<number, string> {
  // `fill`: what the run's first cell holds as a fill (a plain formula is its own fill at no offset).
  type Run = { c: number; r0: number; r1: number; text: string; fill: Filled };
  const out = new Map<number, string>();
  const open = new Map<number, Run>();
  const fileFormulas = new Map<string, string>();
  let si = 0;
  const close = (run: Run) => {
    const text = escapeText(run.text);
    if (run.r1 === run.r0) {
      out.set(run.r0 * 16384 + run.c, `<f>${text}</f>`);
      return;
    }
    const ref = `${colName(run.c)}${run.r0 + 1}:${colName(run.c)}${run.r1 + 1}`;
    out.set(run.r0 * 16384 + run.c, `<f t="shared" ref="${ref}" si="${si}">${text}</f>`);
    const member = `<f t="shared" si="${si}"/>`;
    for (let r = run.r0 + 1; r <= run.r1; r++) out.set(r * 16384 + run.c, member);
    si++;
  };
  for (const r of rowKeys) {
    const row = sheet.rows.get(r) as Map<number, Cell>;
    for (const [c, cell] of row) {
      const filled = filledOf(cell);
      const run = open.get(c);
      // A cell filled from the text the run's first cell was filled from, one row further on, continues it: its text
      // is the first cell's moved by the rows between (a fill moving forwards puts no reference off the grid), so it
      // is not built. Otherwise the cell's own text is compared, as for any formula.
      if (filled && run && run.r1 === r - 1 && sameFill(run.fill, filled, r - run.r0)) {
        run.r1 = r;
        continue;
      }
      const formula = cell.formula;
      if (!formula) continue;
      const text = fileFormula(fileFormulas, formula, tableAt(sheet, r, c));
      if (!shareable(text)) {
        if (run) close(run);
        open.delete(c);
        out.set(r * 16384 + c, `<f>${escapeText(text)}</f>`);
        continue;
      }
      if (run && run.r1 === r - 1 && isMovedFormula(run.text, r - run.r0, 0, text)) {
        run.r1 = r;
        continue;
      }
      if (run) close(run);
      open.set(c, { c, r0: r, r1: r, text, fill: filled ?? { source: formula, dr: 0, dc: 0 } });
    }
  }
  for (const run of open.values()) close(run);
  return out;
}

/** Whether `b` is the fill `a` moved `rows` further down, with no reference of `a` off the grid (see formulaElements). */
function sameFill(a: Filled, b: Filled, rows: number): boolean {
  return a.dr >= 0 && a.dc >= 0 && b.dc === a.dc && b.dr - a.dr === rows && b.source === a.source;
}

/**
 * Whether a formula may be written as a shared formula. Excel's shared formulas may not hold references to other
 * sheets or external names (MS-XLS 2.5.198.118 SharedParsedFormula: no PtgRef3d, PtgArea3d, PtgNameX …) and, by report,
 * no this-row references of a table (MS-XLSB 2.5.98.98; ExcelGen #62), nor array constants (PtgArray). Such a formula
 * is written in full in each cell, as Excel writes a table's calculated column; the test is by characters, so a `[`,
 * `!` or `{` inside a text literal also keeps a formula unshared, which costs only size.
 */
function shareable(text: string): boolean {
  return !/[[!{]/.test(text);
}

/** Collects package parts in order and zips them with the caller's codec. */
class PartWriter {
  private readonly parts = new Map<string, Uint8Array | Promise<PackedPart>>();

  file(path: string, content: string): void {
    this.parts.set(path, strToU8(content));
  }

  /** A part carried from the input, as its bytes. */
  bytes(path: string, content: Uint8Array): void {
    this.parts.set(path, content);
  }

  /** A part being compressed in the background. */
  packed(path: string, part: Promise<PackedPart>): void {
    this.parts.set(path, part);
  }

  async toBytes(codec: ZipCodec | undefined): Promise<Uint8Array> {
    const parts: [string, Uint8Array | PackedPart][] = [];
    for (const [path, part] of this.parts) parts.push([path, await part]);
    return zipParts(parts, codec);
  }
}

/**
 * Whether the sheet's AutoFilter is written: never over cells of a table, which has its own filter. Excel repairs a
 * file holding both by removing the table (ClosedXML #1213, XlsxWriter #1102); the host moves a sheet filter onto a
 * table added over it, so both can only meet in a model built by hand.
 */
function sheetFilter(sheet: SheetModel): boolean {
  const f = sheet.autoFilter;
  return f !== undefined && !sheet.tables.some((t) => intersectsRect(t.ref, f.ref));
}

function intersectsRect(a: Rect, b: Rect): boolean {
  return a.r0 <= b.r1 && b.r0 <= a.r1 && a.c0 <= b.c1 && b.c0 <= a.c1;
}

/** The name of the table whose range holds a cell, for qualifying this-row references. */
function tableAt(sheet: SheetModel, r: number, c: number): string | undefined {
  return sheet.tables.find((t) => r >= t.ref.r0 && r <= t.ref.r1 && c >= t.ref.c0 && c <= t.ref.c1)?.name;
}

function tableXml(t: TableModel, id: number): string {
  const ref = rectRef(t.ref);
  const cols = t.columns.map((name, i) => {
    const f = t.columnFormulas?.[i];
    const calc = f ? `<calculatedColumnFormula>${escapeText(toFileFormula(f, t.name))}</calculatedColumnFormula>` : "";
    return calc
      ? `<tableColumn id="${i + 1}" name="${escapeAttr(name)}">${calc}</tableColumn>`
      : `<tableColumn id="${i + 1}" name="${escapeAttr(name)}"/>`;
  });
  const filterRect: Rect = { ...t.ref, r1: t.showTotals ? t.ref.r1 - 1 : t.ref.r1 };
  const head = t.showHeaders ? "" : ' headerRowCount="0"';
  const totals = t.showTotals ? ' totalsRowCount="1"' : ' totalsRowShown="0"';
  const style = t.style ? ` name="${escapeAttr(t.style)}"` : "";
  return (
    `${XML_HEAD}<table xmlns="${MAIN_NS}" id="${id}" name="${escapeAttr(t.name)}" ` +
    `displayName="${escapeAttr(t.name)}" ref="${ref}"${head}${totals}>` +
    (t.showHeaders ? `<autoFilter ref="${rectRef(filterRect)}"/>` : "") +
    `<tableColumns count="${t.columns.length}">${cols.join("")}</tableColumns>` +
    `<tableStyleInfo${style} showFirstColumn="0" showLastColumn="0" showRowStripes="1" showColumnStripes="0"/></table>`
  );
}

const NO_CELL: Cell = {};

/** Whether the sheet prints fitted to pages (then `scale` does not apply). */
function fitsToPages(ps: PageSetupModel | undefined): boolean {
  return ps !== undefined && (ps.fitToWidth !== undefined || ps.fitToHeight !== undefined);
}

/** `<pageSetup>` for the orientation and zoom, or "" when neither is set (Excel's defaults then apply). */
function pageSetupXml(ps: PageSetupModel | undefined, carried: string): string {
  const a: string[] = carried ? [carried] : [];
  if (!ps) return a.length ? `<pageSetup ${a.join(" ")}/>` : "";
  // Attributes in the schema's order: paperSize, scale, fitToWidth, fitToHeight, orientation.
  if (ps.paperSize !== undefined) a.push(`paperSize="${ps.paperSize}"`);
  if (fitsToPages(ps)) a.push(`fitToWidth="${ps.fitToWidth ?? 1}"`, `fitToHeight="${ps.fitToHeight ?? 1}"`);
  else if (ps.scale !== undefined) a.push(`scale="${ps.scale}"`);
  if (ps.orientation) a.push(`orientation="${ps.orientation.toLowerCase()}"`);
  return a.length ? `<pageSetup ${a.join(" ")}/>` : "";
}

type SheetParts = { rels: RelOut[] };

/** Where sheet XML goes as it is written: an array to join, or a {@link PartStream} compressing as it fills. */
type XmlSink = { push(...texts: string[]): unknown };

function sheetXml(
  sheet: SheetModel,
  active: boolean,
  ctx: {
    styles: StyleWriter;
    sst: SharedStrings;
    tableIds: number[];
    drawingId?: number;
    carry: SheetCarry;
    part: string;
    everyCellRef?: boolean;
  },
  out: XmlSink,
): SheetParts {
  const { styles, sst, carry } = ctx;
  // What the input held that the model does not goes back at its place; its relationships come first (rId1 …).
  const relList: SheetParts["rels"] = carry.rels.map((r) => ({
    ...r,
    target: r.external ? r.target : relativeTarget(ctx.part, r.target),
  }));
  // Extent of the data, for <dimension>, and letters per column computed once.
  let maxR = 0;
  let maxC = 0;
  const rowKeys = sortedKeys(sheet.rows);
  for (const r of rowKeys) {
    const row = sheet.rows.get(r) as Map<number, Cell>;
    if (row.size === 0) continue;
    maxR = Math.max(maxR, r);
    for (const c of row.keys()) if (c > maxC) maxC = c;
  }
  // A table's header cells must hold its column names, or Excel repairs the file; they are written even when the
  // model lacks them.
  const headers = new Map<number, string>();
  const headerCols = new Map<number, number[]>();
  for (const t of sheet.tables) {
    if (!t.showHeaders) continue;
    const cols = headerCols.get(t.ref.r0) ?? [];
    t.columns.forEach((name, i) => {
      headers.set(t.ref.r0 * 16384 + t.ref.c0 + i, name);
      cols.push(t.ref.c0 + i);
    });
    headerCols.set(t.ref.r0, cols);
    maxR = Math.max(maxR, t.ref.r0);
    maxC = Math.max(maxC, t.ref.c1);
  }
  const letters: string[] = [];
  for (let c = 0; c <= maxC; c++) letters.push(colName(c));
  const formulas = formulaElements(sheet, rowKeys);

  out.push(`${XML_HEAD}<worksheet xmlns="${MAIN_NS}" xmlns:r="${R_NS}"${carry.namespaces}>`);
  // CT_SheetPr order: tabColor, outlinePr, pageSetUpPr. Fitting to pages is switched on here, sized in <pageSetup>.
  const tab = sheet.tabColor ? `<tabColor rgb="FF${sheet.tabColor.replace(/^#/, "").toUpperCase()}"/>` : "";
  const fit = fitsToPages(sheet.pageSetup) ? '<pageSetUpPr fitToPage="1"/>' : "";
  if (tab || fit) out.push(`<sheetPr>${tab}${fit}</sheetPr>`);
  out.push(carry.before("dimension"), `<dimension ref="A1:${colName(maxC)}${maxR + 1}"/>`);
  const { rows: fr, columns: fc } = sheet.freeze;
  let pane = "";
  if (fr > 0 || fc > 0) {
    const activePane = fr > 0 && fc > 0 ? "bottomRight" : fr > 0 ? "bottomLeft" : "topRight";
    pane =
      `<pane${fc > 0 ? ` xSplit="${fc}"` : ""}${fr > 0 ? ` ySplit="${fr}"` : ""} topLeftCell="${colName(fc)}${fr + 1}" ` +
      `activePane="${activePane}" state="frozen"/><selection pane="${activePane}"/>`;
  }
  out.push(
    carry.before("sheetViews"),
    `<sheetViews><sheetView${active ? ' tabSelected="1"' : ""}${carry.sheetView} workbookViewId="0">${pane}</sheetView></sheetViews>`,
  );
  // The default sizes are stated so every reader places charts (anchored to cells) where this writer computed them.
  out.push(`<sheetFormatPr defaultColWidth="${48 / POINTS_PER_WIDTH_UNIT}" defaultRowHeight="15"/>`);
  const hiddenCols = sheet.hiddenColumns ?? new Set<number>();
  if (sheet.columnWidths.size > 0 || hiddenCols.size > 0) {
    out.push("<cols>");
    for (const c of [...new Set([...sheet.columnWidths.keys(), ...hiddenCols])].sort((a, b) => a - b)) {
      const pt = sheet.columnWidths.get(c);
      const width = pt === undefined ? "" : ` width="${pt / POINTS_PER_WIDTH_UNIT}" customWidth="1"`;
      out.push(`<col min="${c + 1}" max="${c + 1}"${width}${hiddenCols.has(c) ? ' hidden="1"' : ""}/>`);
    }
    out.push("</cols>");
  }

  out.push(carry.before("sheetData"), "<sheetData>");
  const hiddenRows = sheet.hiddenRows ?? new Set<number>();
  const extraRows = [...sheet.rowHeights.keys(), ...hiddenRows, ...headerCols.keys()];
  const allRows = extraRows.length ? [...new Set([...rowKeys, ...extraRows])].sort((a, b) => a - b) : rowKeys;
  for (const r of allRows) {
    const row = sheet.rows.get(r);
    const ht = sheet.rowHeights.get(r);
    const rn = r + 1;
    const hidden = hiddenRows.has(r);
    const attrs = (ht !== undefined ? ` ht="${ht}" customHeight="1"` : "") + (hidden ? ' hidden="1"' : "");
    const parts: string[] = [`<row r="${rn}"${attrs}>`];
    let any = attrs !== "";
    const hc = headerCols.get(r);
    const cols = hc
      ? [...new Set([...(row ? row.keys() : []), ...hc])].sort((a, b) => a - b)
      : row
        ? sortedKeys(row)
        : [];
    {
      // The column of the cell last written in this row: a cell right after it is written without its `r`.
      let prev = -2;
      for (const c of cols) {
        const cell = row?.get(c) ?? NO_CELL;
        const header = headers.size ? headers.get(r * 16384 + c) : undefined;
        // As formulaElements decides, without building a filled cell's text.
        const hasF = filledOf(cell) !== undefined || !!cell.formula;
        const value = header !== undefined && !hasF ? header : cell.value;
        const s = styles.xfFor(cell.numberFormat, cell.style, cell.quotePrefix);
        const sAttr = s ? ` s="${s}"` : "";
        // A cell's `r` is optional (ECMA-376 Part 1 §18.3.1.4): without it a cell is the one after the previous cell
        // of its row. Omitting it where that holds halves a large sheet's zipped size, since the row number in every
        // cell's reference is what deflate cannot compress. Kept on a row's first cell (ExcelJS 4 places a cell without
        // `r` only after one with it), after a gap, and on formulas (openpyxl moves a shared formula's references
        // from its cell's `r`).
        const rAttr = c === prev + 1 && !hasF && !ctx.everyCellRef ? "" : ` r="${(letters[c] ?? colName(c)) + rn}"`;
        if (hasF) {
          const f = formulas.get(r * 16384 + c) as string;
          if (value === undefined) parts.push(`<c${rAttr}${sAttr}>${f}</c>`);
          else {
            const v = valueXml(value, sst, true);
            parts.push(`<c${rAttr}${sAttr}${v.t}>${f}<v>${v.v}</v></c>`);
          }
        } else if (value !== undefined) {
          const v = valueXml(value, sst, false);
          parts.push(`<c${rAttr}${sAttr}${v.t}><v>${v.v}</v></c>`);
        } else if (s) parts.push(`<c${rAttr}${sAttr}/>`);
        else continue;
        prev = c;
        any = true;
      }
    }
    if (any) out.push(parts.join(""), "</row>");
  }
  out.push("</sheetData>");
  out.push(carry.before("sheetProtection"));
  if (sheet.protected) out.push('<sheetProtection sheet="1" objects="1" scenarios="1"/>');
  out.push(carry.before("autoFilter"));
  if (sheetFilter(sheet)) out.push(`<autoFilter ref="${rectRef(sheet.autoFilter!.ref)}"/>`);
  out.push(carry.before("mergeCells"));
  if (sheet.merges.length) {
    out.push(`<mergeCells count="${sheet.merges.length}">`);
    for (const m of sheet.merges) out.push(`<mergeCell ref="${rectRef(m)}"/>`);
    out.push("</mergeCells>");
  }
  out.push(carry.before("conditionalFormatting"));
  for (const cf of sheet.conditionalFormats) out.push(cfXml(cf, styles));
  out.push(carry.before("dataValidations"));
  if (sheet.validations.length) {
    out.push(`<dataValidations count="${sheet.validations.length}">`);
    for (const dv of sheet.validations) out.push(validationXml(dv));
    out.push("</dataValidations>");
  }
  out.push(carry.before("printOptions"));
  const centred = sheet.pageSetup?.centerHorizontally ? 'horizontalCentered="1"' : "";
  const printOptions = [centred, carry.printOptions].filter(Boolean).join(" ");
  if (printOptions) out.push(`<printOptions ${printOptions}/>`);
  // The input's margins are carried as they were; a sheet without any gets Excel's defaults.
  const ownMargins = !carry.has("pageMargins");
  out.push(carry.before("pageMargins"));
  if (ownMargins) out.push('<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>');
  out.push(carry.before("pageSetup"), pageSetupXml(sheet.pageSetup, carry.pageSetup));
  out.push(carry.before("drawing"));
  if (ctx.drawingId !== undefined) {
    const id = `rId${relList.length + 1}`;
    relList.push({ id, type: REL_TYPE.drawing, target: `../drawings/drawing${ctx.drawingId}.xml` });
    out.push(`<drawing r:id="${id}"/>`);
  }
  out.push(carry.before("tableParts"));
  if (ctx.tableIds.length) {
    out.push(`<tableParts count="${ctx.tableIds.length}">`);
    for (const tid of ctx.tableIds) {
      const id = `rId${relList.length + 1}`;
      relList.push({ id, type: REL_TYPE.table, target: `../tables/table${tid}.xml` });
      out.push(`<tablePart r:id="${id}"/>`);
    }
    out.push("</tableParts>");
  }
  out.push(carry.rest(), "</worksheet>");
  return { rels: relList };
}

function ownPartXml(model: WorkbookModel): string {
  const sheets = model.sheets.map((s, i) => {
    const props = [...s.customProperties].map(
      ([k, v]) => `<property name="${escapeAttr(k)}">${escapeText(v)}</property>`,
    );
    return `<sheet index="${i}" id="${escapeAttr(s.id)}">${props.join("")}</sheet>`;
  });
  const settings = [...model.settings].map(([k, v]) => `<setting name="${escapeAttr(k)}">${escapeText(v)}</setting>`);
  return `${XML_HEAD}<planLedger xmlns="${PLAN_LEDGER_NS}">${sheets.join("")}${settings.join("")}</planLedger>`;
}

function resolver(model: WorkbookModel): (ref: string) => Scalar[] | undefined {
  return (ref) => {
    const parsed = parseSheetRange(ref);
    if (!parsed) return undefined;
    const lower = parsed.sheet.toLowerCase();
    const sheet = model.sheets.find((s) => s.name.toLowerCase() === lower);
    if (!sheet) return undefined;
    const out: Scalar[] = [];
    const { r0, c0, r1, c1 } = parsed.rect;
    for (let r = r0; r <= r1; r++) {
      const row = sheet.rows.get(r);
      for (let c = c0; c <= c1; c++) out.push(row?.get(c)?.value ?? "");
    }
    return out;
  };
}

/**
 * Writes a workbook model as .xlsx bytes. Settings, worksheet ids and worksheet custom properties go to a custom XML
 * part of our own (see {@link PLAN_LEDGER_NS}); charts become native chart parts.
 * @example const bytes = await exportXlsx(model); // Uint8Array, a zip package
 * @example await exportXlsx(model, { codec: nodeZlibCodec }) // same package, packed by another compressor
 */
export async function exportXlsx(model: WorkbookModel, options: ExportOptions = {}): Promise<Uint8Array> {
  const zip = new PartWriter();
  zip.file("[Content_Types].xml", ""); // placeholder so the content types come first in the package
  const styles = new StyleWriter();
  const sst = new SharedStrings();
  const overrides: { part: string; type: string }[] = [{ part: "xl/workbook.xml", type: CONTENT_TYPE.workbook }];
  const resolve = resolver(model);
  let tableId = 0;
  let chartId = 0;
  let drawingId = 0;
  const active = Math.min(Math.max(model.activeSheet, 0), Math.max(model.sheets.length - 1, 0));
  // Parts of the input the model does not hold are copied as they are, under names this writer never uses.
  const carrier = model.carried
    ? new PartCarrier(
        model.carried,
        (name) => WRITER_PART.test(name),
        (name, data) => zip.bytes(name, data),
        (part, list) =>
          zip.file(
            relsPath(part),
            rels(list.map((r) => ({ ...r, target: r.external ? r.target : relativeTarget(part, r.target) }))),
          ),
      )
    : undefined;

  model.sheets.forEach((sheet, i) => {
    const tableIds: number[] = [];
    for (const t of sheet.tables) {
      tableId++;
      tableIds.push(tableId);
      zip.file(`xl/tables/table${tableId}.xml`, tableXml(t, tableId));
      overrides.push({ part: `xl/tables/table${tableId}.xml`, type: CONTENT_TYPE.table });
    }
    let sheetDrawing: number | undefined;
    const carriedDrawing = carrier ? sheet.carried?.drawing : undefined;
    if (sheet.charts.length || carriedDrawing) {
      sheetDrawing = ++drawingId;
      const drawingPart = `xl/drawings/drawing${sheetDrawing}.xml`;
      const drawingRels: RelOut[] = sheet.charts.map((ch, k) => {
        chartId++;
        zip.file(`xl/charts/chart${chartId}.xml`, chartXml(ch, resolve));
        overrides.push({ part: `xl/charts/chart${chartId}.xml`, type: CONTENT_TYPE.chart });
        return { id: `rId${k + 1}`, type: REL_TYPE.chart, target: `../charts/chart${chartId}.xml` };
      });
      let carriedAnchors: { anchors: string[]; declarations: string } | undefined;
      if (carriedDrawing && carrier) {
        // Pictures, shapes and charts of other kinds from the input, numbered after the model's charts.
        const base = drawingRels.length;
        const { ids, rels: placed } = renumber(carriedDrawing.rels, (k) => `rId${base + k + 1}`, carrier);
        for (const r of placed) {
          drawingRels.push({ ...r, target: r.external ? r.target : relativeTarget(drawingPart, r.target) });
        }
        carriedAnchors = {
          anchors: carriedDrawing.anchors.map((a) => renameRelIds(a, carriedDrawing.namespaces, ids)),
          declarations: namespaceDeclarations(carriedDrawing.namespaces, carriedDrawing.ignorable, DRAWING_NS),
        };
      }
      zip.file(drawingPart, drawingXml(sheet, carriedAnchors));
      if (drawingRels.length) zip.file(relsPath(drawingPart), rels(drawingRels));
      overrides.push({ part: drawingPart, type: CONTENT_TYPE.drawing });
    }
    const sheetPath = `xl/worksheets/sheet${i + 1}.xml`;
    const carry = new SheetCarry(sheet.carried, carrier, { r: R_NS });
    const sheetCtx = {
      styles,
      sst,
      tableIds,
      drawingId: sheetDrawing,
      carry,
      part: sheetPath,
      everyCellRef: options.everyCellRef,
    };
    let parts: SheetParts;
    const codec = options.codec;
    if (codec?.deflateRawPiece) {
      // Compressed while it is written: another thread deflates as this one writes the rest of the sheet.
      const stream = new PartStream({ ...codec, deflateRawPiece: codec.deflateRawPiece.bind(codec) });
      parts = sheetXml(sheet, i === active, sheetCtx, stream);
      zip.packed(sheetPath, stream.end());
    } else {
      const texts: string[] = [];
      parts = sheetXml(sheet, i === active, sheetCtx, texts);
      zip.file(sheetPath, texts.join(""));
    }
    if (parts.rels.length) zip.file(`xl/worksheets/_rels/sheet${i + 1}.xml.rels`, rels(parts.rels));
    overrides.push({ part: `xl/worksheets/sheet${i + 1}.xml`, type: CONTENT_TYPE.worksheet });
  });

  const sheetsXml = model.sheets.map((s, i) => {
    const state =
      s.visibility === "Hidden" ? ' state="hidden"' : s.visibility === "VeryHidden" ? ' state="veryHidden"' : "";
    return `<sheet name="${escapeAttr(s.name)}" sheetId="${i + 1}"${state} r:id="rId${i + 1}"/>`;
  });
  const names: string[] = [];
  const titled = (i: number) => model.sheets[i]?.pageSetup?.printTitleRows !== undefined;
  for (const n of model.names) {
    const scope = n.scopeSheetId === undefined ? -1 : model.sheets.findIndex((s) => s.id === n.scopeSheetId);
    // The sheet's own print titles are written below; a second name of the same scope would make Excel repair the file.
    if (n.name.toLowerCase() === "_xlnm.print_titles" && titled(scope)) continue;
    const a =
      `name="${escapeAttr(n.name)}"` +
      (scope >= 0 ? ` localSheetId="${scope}"` : "") +
      (n.visible ? "" : ' hidden="1"') +
      (n.comment ? ` comment="${escapeAttr(n.comment)}"` : "");
    names.push(
      `<definedName ${a}>${escapeText(n.formula.startsWith("=") ? n.formula.slice(1) : n.formula)}</definedName>`,
    );
  }
  model.sheets.forEach((s, i) => {
    // LibreOffice and older Excel find a sheet's filter range through this hidden name.
    if (sheetFilter(s)) {
      const ref = `${quoteSheet(s.name)}!${rectRef(s.autoFilter!.ref).replace(/([A-Z]+)(\d+)/g, "$$$1$$$2")}`;
      names.push(
        `<definedName name="_xlnm._FilterDatabase" localSheetId="${i}" hidden="1">${escapeText(ref)}</definedName>`,
      );
    }
    // Print title rows live in a built-in sheet-scoped name, as Excel keeps them.
    const rows = s.pageSetup?.printTitleRows;
    if (rows) {
      const ref = `${quoteSheet(s.name)}!$${rows.r0 + 1}:$${rows.r1 + 1}`;
      names.push(`<definedName name="_xlnm.Print_Titles" localSheetId="${i}">${escapeText(ref)}</definedName>`);
    }
  });
  // The 1904 date system is a property of the whole workbook: every date serial in it counts from 1904-01-01.
  const workbookPr = model.date1904 ? '<workbookPr date1904="1"/>' : "<workbookPr/>";
  const workbookXml =
    `${XML_HEAD}<workbook xmlns="${MAIN_NS}" xmlns:r="${R_NS}">${workbookPr}` +
    `<bookViews><workbookView activeTab="${active}"/></bookViews><sheets>${sheetsXml.join("")}</sheets>` +
    (names.length ? `<definedNames>${names.join("")}</definedNames>` : "") +
    // Recalculate on open: the cached values serve previews and non-calculating readers, Excel recomputes anyway.
    '<calcPr calcId="191029" fullCalcOnLoad="1"/></workbook>';
  zip.file("xl/workbook.xml", workbookXml);

  const n = model.sheets.length;
  const wbRels: { id: string; type: string; target: string }[] = model.sheets.map((_s, i) => ({
    id: `rId${i + 1}`,
    type: REL_TYPE.worksheet,
    target: `worksheets/sheet${i + 1}.xml`,
  }));
  wbRels.push({ id: `rId${n + 1}`, type: REL_TYPE.styles, target: "styles.xml" });
  wbRels.push({ id: `rId${n + 2}`, type: REL_TYPE.sharedStrings, target: "sharedStrings.xml" });
  wbRels.push({ id: `rId${n + 3}`, type: REL_TYPE.customXml, target: "../customXml/item1.xml" });
  // The input's theme, threaded-comment persons and other programs' custom XML parts.
  if (carrier && model.carried) {
    const { rels: placed } = renumber(model.carried.workbookRels, (k) => `rId${n + 4 + k}`, carrier);
    for (const r of placed) wbRels.push({ ...r, target: relativeTarget("xl/workbook.xml", r.target) });
  }
  zip.file("xl/_rels/workbook.xml.rels", rels(wbRels));
  zip.file("xl/styles.xml", styles.toXml());
  zip.file("xl/sharedStrings.xml", sst.toXml());
  overrides.push({ part: "xl/styles.xml", type: CONTENT_TYPE.styles });
  overrides.push({ part: "xl/sharedStrings.xml", type: CONTENT_TYPE.sharedStrings });

  zip.file("customXml/item1.xml", ownPartXml(model));
  zip.file(
    "customXml/itemProps1.xml",
    `${XML_HEAD}<ds:datastoreItem ds:itemID="${PLAN_LEDGER_ITEM_ID}" ` +
      'xmlns:ds="http://schemas.openxmlformats.org/officeDocument/2006/customXml"><ds:schemaRefs/></ds:datastoreItem>',
  );
  zip.file(
    "customXml/_rels/item1.xml.rels",
    rels([{ id: "rId1", type: REL_TYPE.customXmlProps, target: "itemProps1.xml" }]),
  );
  overrides.push({ part: "customXml/itemProps1.xml", type: CONTENT_TYPE.customXmlProps });

  const rootRels: RelOut[] = [{ id: "rId1", type: REL_TYPE.officeDocument, target: "xl/workbook.xml" }];
  if (carrier && model.carried) {
    // Document properties (core, custom) and the thumbnail of the input.
    const { rels: placed } = renumber(model.carried.rootRels, (k) => `rId${k + 2}`, carrier);
    rootRels.push(...placed);
  }
  zip.file("_rels/.rels", rels(rootRels));
  const carriedTypes = carrier?.contentTypes() ?? { overrides: [], defaults: [] };
  const defaults = carriedTypes.defaults.filter(([ext]) => ext !== "rels" && ext !== "xml");
  zip.file(
    "[Content_Types].xml",
    `${XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
      '<Default Extension="xml" ContentType="application/xml"/>' +
      defaults
        .map(([ext, type]) => `<Default Extension="${escapeAttr(ext)}" ContentType="${escapeAttr(type)}"/>`)
        .join("") +
      overrides.map((o) => `<Override PartName="/${o.part}" ContentType="${o.type}"/>`).join("") +
      carriedTypes.overrides
        .map(([part, type]) => `<Override PartName="/${escapeAttr(part)}" ContentType="${escapeAttr(type)}"/>`)
        .join("") +
      "</Types>",
  );
  return zip.toBytes(options.codec);
}
