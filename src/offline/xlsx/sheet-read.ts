/**
 * Reads the two large parts, a worksheet's `<sheetData>` and the shared strings, straight from the XML tokens without
 * building a tree. Handles shared strings, inline strings, shared formulas (moved to each cell) and cached formula
 * results (including a cached 0 and an empty text result, which some readers drop). Rows and cells are checked: a
 * reference outside the sheet (beyond XFD or row 1,048,576), a cell that names another row, a value that is not of
 * its type, or a cell given twice is damage, never a silent misreading.
 */
import type { Cell, Scalar } from "../model";
import { colName, parseCell } from "./a1";
import { PackageError } from "./errors";
import { shiftFormula, fromFileFormula } from "./formula-text";
import { setFilled, type Filled } from "./filled";
import type { XfInfo } from "./styles";
import { decodeOoxmlEscapes, readElement, XmlTokenizer, type XmlElement } from "./xml";

/**
 * The model's formula for the text of `<f>`, memoised in `modelFormulas`: table row formulas repeat one text on every
 * row, so each distinct text is converted once. The memo lives as long as one sheet's reading: its keys are slices of
 * the sheet's XML, which a memo kept across imports held in memory (12 MB for a 50,000-row plan).
 */
function modelFormula(modelFormulas: Map<string, string>, text: string): string {
  let f = modelFormulas.get(text);
  if (f === undefined) {
    if (modelFormulas.size > 50_000) modelFormulas.clear();
    f = own(fromFileFormula(text));
    modelFormulas.set(text, f);
  }
  return f;
}

/**
 * A copy of `s` that holds none of the text it was cut from. A formula's text is a slice of the sheet's XML (and "="
 * before it, a pair pointing at that slice), and V8 keeps a sliced string's whole parent alive: a filled column's one
 * text held the 12 MB XML of a 50,000-row sheet. Parsing a JSON string literal always builds a fresh string.
 */
function own(s: string): string {
  return JSON.parse(JSON.stringify(s)) as string;
}

/** Excel's grid (Excel specifications and limits: 1,048,576 rows by 16,384 columns). */
const MAX_ROW = 1048576;
const MAX_COL = 16384;

/**
 * Cells one workbook may hold when read. Measured with `check` on generated plans of 20 columns: 2,000,000 cells
 * peak at 0.71 GB and 4,000,000 at 1.38 GB (about 170 bytes a cell, model and reading together), so 3,000,000 keeps
 * the 1.5 GB bound with room for long texts. A 50,000-row plan has about 600,000.
 */
export const MAX_CELLS = 3_000_000;
/** Shared strings one workbook may hold when read (each is a JavaScript string, at least ~20 bytes). */
export const MAX_SHARED_STRINGS = 3_000_000;

export type SheetData = {
  rows: Map<number, Map<number, Cell>>;
  rowHeights: Map<number, number>;
  hiddenRows: Set<number>;
};

/** What reading cells shares across the sheets of one workbook. */
export type ReadBudget = { cells: number; elements: number };

const damaged = (key: string, params: Record<string, string | number> = {}) =>
  new PackageError("damaged", { key, params });
const tooLarge = (key: string, max: number) =>
  new PackageError("tooLarge", { key: `tooLarge.${key}`, params: { max: max.toLocaleString("en-US") } });

const NUMBER = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/;

function bool(v: string | undefined): boolean {
  return v === "1" || v === "true";
}

/**
 * Text of the string item (`<si>`, `<is>`) whose start token is current: every `<t>` directly inside it or inside a
 * rich-text run (`<r>`), without phonetic runs (`<rPh>`); leaves the tokenizer on the item's end token.
 */
function stringItem(t: XmlTokenizer): string {
  const depth = t.depth;
  let out = "";
  while (t.next() !== "eof") {
    if (t.kind === "end") {
      if (t.depth < depth) return decodeOoxmlEscapes(out);
    } else if (t.kind === "start") {
      const name = t.localName;
      // Only runs are entered, so a <t> one level further down is a run's text.
      if (name === "t") out += elementText(t);
      else if (name !== "r" || t.depth !== depth + 1) t.skipElement();
    }
  }
  throw damaged("xml.unclosed", { name: "si" });
}

/** Reads xl/sharedStrings.xml into an array of texts. */
export function readSharedStrings(xml: string | undefined): string[] {
  if (!xml) return [];
  const t = new XmlTokenizer(xml);
  const out: string[] = [];
  while (t.next() !== "eof") {
    if (t.kind !== "start" || t.depth !== 2) continue;
    if (t.localName !== "si") {
      t.skipElement();
      continue;
    }
    if (out.length >= MAX_SHARED_STRINGS) throw tooLarge("strings", MAX_SHARED_STRINGS);
    out.push(stringItem(t));
  }
  return out;
}

// Excel's serial date for an ISO date (t="d" cells, written by a few tools).
function isoToSerial(iso: string): number {
  const ms = Date.parse(iso.length <= 10 ? iso + "T00:00:00Z" : iso.endsWith("Z") ? iso : iso + "Z");
  return ms / 86_400_000 + 25569;
}

/** Text content of the element whose start token is current; leaves the tokenizer on its end token. */
function elementText(t: XmlTokenizer): string {
  const depth = t.depth;
  let out = "";
  while (t.next() !== "eof") {
    if (t.kind === "text") out += t.text();
    else if (t.kind === "start") throw damaged("sheet.markupInText", { name: t.name, at: t.offset });
    else if (t.depth < depth) return out;
  }
  throw damaged("xml.unclosed", { name: "v" });
}

/**
 * Reads a worksheet part: `<sheetData>` cell by cell, every other child of the root as a tree (returned without
 * the sheet data). `part` names the part in messages.
 */
export function readWorksheet(
  xml: string,
  ctx: { sst: readonly string[]; xfs: readonly XfInfo[]; budget: ReadBudget },
): { data: SheetData; root: XmlElement } {
  const t = new XmlTokenizer(xml);
  let root: XmlElement | undefined;
  let data: SheetData = { rows: new Map(), rowHeights: new Map(), hiddenRows: new Set() };
  while (t.next() !== "eof") {
    if (t.kind !== "start") continue;
    if (t.depth === 1) {
      root = { name: t.name, attrs: t.attrs(), children: [], text: "" };
      continue;
    }
    if (t.depth === 2 && root) {
      if (t.localName === "sheetData") data = readSheetData(t, ctx);
      else root.children.push(readElement(t, ctx.budget));
    }
  }
  if (!root) throw damaged("xml.noRoot");
  return { data, root };
}

/** Reads the `<sheetData>` element whose start token is current. */
function readSheetData(
  t: XmlTokenizer,
  ctx: { sst: readonly string[]; xfs: readonly XfInfo[]; budget: ReadBudget },
): SheetData {
  const { sst, xfs, budget } = ctx;
  const rows = new Map<number, Map<number, Cell>>();
  const rowHeights = new Map<number, number>();
  const hiddenRows = new Set<number>();
  const shared = new Map<string, { text: string; r: number; c: number }>();
  const modelFormulas = new Map<string, string>();
  const depth = t.depth;
  let r = -1;
  let c = -1;
  let row: Map<number, Cell> | undefined;
  while (t.next() !== "eof") {
    if (t.kind === "end") {
      if (t.depth < depth) return { rows, rowHeights, hiddenRows };
      continue;
    }
    if (t.kind !== "start") continue;
    const name = t.localName;
    if (name === "row" && t.depth === depth + 1) {
      const rAttr = t.attr("r");
      if (rAttr === undefined) r++;
      else {
        const n = /^[0-9]{1,7}$/.test(rAttr) ? Number(rAttr) : NaN;
        if (!(n >= 1 && n <= MAX_ROW)) throw damaged("sheet.row", { row: rAttr.slice(0, 20) });
        r = n - 1;
      }
      if (r >= MAX_ROW) throw damaged("sheet.rowAfterLast");
      c = -1;
      row = undefined;
      const ht = t.attr("ht");
      if (ht !== undefined && bool(t.attr("customHeight"))) {
        const h = Number(ht);
        if (Number.isFinite(h) && h >= 0) rowHeights.set(r, h);
      }
      if (bool(t.attr("hidden"))) hiddenRows.add(r);
      continue;
    }
    if (name === "c" && t.depth === depth + 1) throw damaged("sheet.cellNoRow", { row: r + 1 });
    if (name !== "c" || t.depth !== depth + 2) {
      t.skipElement();
      continue;
    }
    const ref = t.attr("r");
    if (ref !== undefined) {
      const pos = parseCell(ref);
      if (!pos) throw damaged("sheet.cellOutside", { cell: ref.slice(0, 20) });
      if (pos.r !== r) throw damaged("sheet.cellRow", { cell: ref, row: r + 1 });
      c = pos.c;
    } else if (++c >= MAX_COL) throw damaged("sheet.cellAfterXfd", { row: r + 1 });
    const s = t.attr("s");
    const xf = s !== undefined ? xfs[Number(s)] : undefined;
    const type = t.attr("t") ?? "n";
    let rawValue: string | undefined;
    let inline: string | undefined;
    let formula: string | undefined;
    let fill: Filled | undefined;
    let selfClosedValue = false;
    if (!t.selfClosing) {
      const cellDepth = t.depth;
      for (let k = t.next(); k !== "eof"; k = t.next()) {
        if (k === "end") {
          if (t.depth < cellDepth) break;
          continue;
        }
        if (k !== "start") continue;
        const part = t.localName;
        if (part === "v") {
          selfClosedValue = t.selfClosing;
          rawValue = elementText(t);
        } else if (part === "is") {
          inline = stringItem(t);
        } else if (part === "f") {
          const ft = t.attr("t");
          const si = t.attr("si");
          const text = decodeOoxmlEscapes(elementText(t));
          if (ft === "shared" && si !== undefined && !text) {
            // A member before its master (or without one) is a damaged file: the formula would be lost silently.
            const master = shared.get(si);
            if (!master) throw damaged("sheet.sharedFormula", { cell: cellRefOf(ref, r, c), si: si.slice(0, 20) });
            // The master's model formula moved to this cell, kept as a fill of it (filled.ts) rather than one text
            // per cell. A this-row reference is rewritten in the model's spelling, so that text is moved as written.
            if (master.text.indexOf("#This Row") < 0) {
              fill = { source: modelFormula(modelFormulas, master.text), dr: r - master.r, dc: c - master.c };
            } else formula = modelFormula(modelFormulas, shiftFormula(master.text, r - master.r, c - master.c));
          } else if (text) {
            if (ft === "shared" && si !== undefined) shared.set(si, { text, r, c });
            formula = modelFormula(modelFormulas, text);
          }
        } else t.skipElement();
      }
    }
    // <v/> without a formula is no value; a formula's empty text result is written <v/> or <v></v>.
    const hasFormula = formula !== undefined || fill !== undefined;
    const raw = selfClosedValue && !hasFormula ? undefined : rawValue;
    const value = cellValue(type, raw, inline, sst, ref, r, c);
    if (value === undefined && !hasFormula && !xf?.style && !xf?.numberFormat && !xf?.quotePrefix) continue;
    if (++budget.cells > MAX_CELLS) throw tooLarge("cells", MAX_CELLS);
    const cell: Cell = {};
    if (value !== undefined) cell.value = value;
    if (formula !== undefined) cell.formula = formula;
    else if (fill !== undefined) setFilled(cell, fill.source, fill.dr, fill.dc);
    if (xf) {
      if (xf.numberFormat !== undefined) cell.numberFormat = xf.numberFormat;
      if (xf.style) cell.style = xf.style;
      if (xf.quotePrefix) cell.quotePrefix = true;
    }
    if (!row) {
      row = rows.get(r);
      if (!row) rows.set(r, (row = new Map()));
    }
    if (row.has(c)) throw damaged("sheet.duplicate", { cell: cellRefOf(ref, r, c) });
    row.set(c, cell);
  }
  throw damaged("xml.unclosed", { name: "sheetData" });
}

/** The cell's reference as the file gives it, else from its position. */
function cellRefOf(ref: string | undefined, r: number, c: number): string {
  return ref ?? colName(c) + (r + 1);
}

/** A cell's value from its type (`t`) and its `<v>` or inline string; undefined for none. */
function cellValue(
  type: string,
  raw: string | undefined,
  inline: string | undefined,
  sst: readonly string[],
  ref: string | undefined,
  r: number,
  c: number,
): Scalar | undefined {
  const name = () => cellRefOf(ref, r, c);
  switch (type) {
    case "inlineStr":
      return inline;
    case "s": {
      if (raw === undefined) return undefined;
      const i = /^\s*[0-9]{1,10}\s*$/.test(raw) ? Number(raw) : -1;
      if (!(i >= 0 && i < sst.length))
        throw damaged("sheet.sharedString", { cell: name(), index: raw.trim().slice(0, 20) });
      return sst[i];
    }
    case "str":
      return raw === undefined ? undefined : decodeOoxmlEscapes(raw);
    case "b":
      if (raw === undefined || raw === "") return undefined;
      if (raw !== "0" && raw !== "1" && raw !== "true" && raw !== "false")
        throw damaged("sheet.boolean", { cell: name(), value: raw.slice(0, 20) });
      return raw === "1" || raw === "true";
    case "e":
      return raw === undefined ? undefined : { error: decodeOoxmlEscapes(raw) };
    case "d": {
      if (raw === undefined || raw === "") return undefined;
      const serial = isoToSerial(raw.trim());
      if (!Number.isFinite(serial)) throw damaged("sheet.date", { cell: name(), value: raw.slice(0, 30) });
      return serial;
    }
    case "n":
      // An empty <v> means no value.
      if (raw === undefined || raw === "") return undefined;
      if (!NUMBER.test(raw) || !Number.isFinite(Number(raw)))
        throw damaged("sheet.number", { cell: name(), value: raw.slice(0, 20) });
      return Number(raw);
    default:
      throw damaged("sheet.type", { cell: name(), type: type.slice(0, 20) });
  }
}
