/**
 * Reads `<sheetData>` with a single forward scan, without building an XML tree: it is by far the largest part of a
 * workbook. Handles shared strings, inline strings, shared formulas (moved to each cell) and cached formula results
 * (including a cached 0 and an empty text result, which some readers drop).
 */
import type { Cell, Scalar } from "../model";
import { parseCell } from "./a1";
import { shiftFormula, fromFileFormula } from "./formula-text";

// Table row formulas repeat one text on every row: convert each distinct text once.
const modelFormulas = new Map<string, string>();
function modelFormula(text: string): string {
  let f = modelFormulas.get(text);
  if (f === undefined) {
    if (modelFormulas.size > 50_000) modelFormulas.clear();
    f = fromFileFormula(text);
    modelFormulas.set(text, f);
  }
  return f;
}
import type { XfInfo } from "./styles";
import { decodeOoxmlEscapes, decodeXml, parseAttrs } from "./xml";

export type SheetData = {
  rows: Map<number, Map<number, Cell>>;
  rowHeights: Map<number, number>;
  hiddenRows: Set<number>;
};

function getAttr(attrs: string, name: string): string | undefined {
  const key = ` ${name}="`;
  let i = attrs.indexOf(key);
  if (i < 0) {
    // Attributes separated by other whitespace are rare; fall back to the general parser for them.
    if (!/[\t\n\r]/.test(attrs)) return undefined;
    return parseAttrs(attrs)[name];
  }
  i += key.length;
  return attrs.slice(i, attrs.indexOf('"', i));
}

function textOf(raw: string): string {
  return decodeOoxmlEscapes(decodeXml(raw));
}

// Text of an inline or shared string item: all <t> runs, without phonetic (<rPh>) runs.
export function stringItemText(inner: string, p: string): string {
  let body = inner;
  if (body.indexOf(`<${p}rPh`) >= 0) body = body.replace(new RegExp(`<${p}rPh\\b[\\s\\S]*?</${p}rPh>`, "g"), "");
  const re = new RegExp(`<${p}t(?:\\s[^>]*)?>([\\s\\S]*?)</${p}t>`, "g");
  let out = "";
  let m: RegExpExecArray | null;
  while ((m = re.exec(body))) out += m[1];
  return textOf(out);
}

/** Reads xl/sharedStrings.xml into an array of texts. */
export function readSharedStrings(xml: string | undefined): string[] {
  if (!xml) return [];
  const p = /<([A-Za-z0-9_]+:)?sst\b/.exec(xml)?.[1] ?? "";
  const out: string[] = [];
  const re = new RegExp(`<${p}si>([\\s\\S]*?)</${p}si>|<${p}si/>`, "g");
  let m: RegExpExecArray | null;
  while ((m = re.exec(xml))) out.push(m[1] === undefined ? "" : stringItemText(m[1], p));
  return out;
}

// Excel's serial date for an ISO date (t="d" cells, written by a few tools).
function isoToSerial(iso: string): number {
  const ms = Date.parse(iso.length <= 10 ? iso + "T00:00:00Z" : iso.endsWith("Z") ? iso : iso + "Z");
  return ms / 86_400_000 + 25569;
}

/**
 * Scans the `<sheetData>` element of a worksheet. `p` is the element prefix the file uses ("" or e.g. "x:").
 */
export function readSheetData(xml: string, p: string, sst: readonly string[], xfs: readonly XfInfo[]): SheetData {
  const rows = new Map<number, Map<number, Cell>>();
  const rowHeights = new Map<number, number>();
  const hiddenRows = new Set<number>();
  const open = new RegExp(`<${p}(row|c)\\b([^>]*?)(/?)>`, "g");
  const endC = `</${p}c>`;
  const fOpen = `<${p}f`;
  const vOpen = `<${p}v>`;
  const vClose = `</${p}v>`;
  const shared = new Map<string, { text: string; r: number; c: number }>();
  let r = -1;
  let c = -1;
  let row: Map<number, Cell> | undefined;
  let m: RegExpExecArray | null;
  while ((m = open.exec(xml))) {
    const attrs = m[2];
    if (m[1] === "row") {
      const rAttr = getAttr(attrs, "r");
      r = rAttr ? Number(rAttr) - 1 : r + 1;
      c = -1;
      row = undefined;
      const ht = getAttr(attrs, "ht");
      const custom = getAttr(attrs, "customHeight");
      if (ht !== undefined && (custom === "1" || custom === "true")) rowHeights.set(r, Number(ht));
      const hidden = getAttr(attrs, "hidden");
      if (hidden === "1" || hidden === "true") hiddenRows.add(r);
      continue;
    }
    const ref = getAttr(attrs, "r");
    if (ref) {
      const pos = parseCell(ref);
      if (pos) c = pos.c;
      else c++;
    } else c++;
    let inner = "";
    if (m[3] !== "/") {
      const end = xml.indexOf(endC, open.lastIndex);
      if (end < 0) throw new Error(`Unterminated cell ${ref ?? ""}`);
      inner = xml.slice(open.lastIndex, end);
      open.lastIndex = end + endC.length;
    }
    const s = getAttr(attrs, "s");
    const xf = s ? xfs[Number(s)] : undefined;
    const t = getAttr(attrs, "t");
    let value: Scalar | undefined;
    let formula: string | undefined;
    if (inner) {
      const fi = inner.indexOf(fOpen);
      if (
        fi >= 0 &&
        (inner[fi + fOpen.length] === ">" || inner[fi + fOpen.length] === " " || inner[fi + fOpen.length] === "/")
      ) {
        const tagEnd = inner.indexOf(">", fi);
        const selfClosing = inner[tagEnd - 1] === "/";
        const fAttrs = inner.slice(fi + fOpen.length, selfClosing ? tagEnd - 1 : tagEnd);
        let text = "";
        if (!selfClosing) {
          const close = inner.indexOf(`</${p}f>`, tagEnd);
          text = textOf(inner.slice(tagEnd + 1, close));
        }
        const si = getAttr(fAttrs, "si");
        if (getAttr(fAttrs, "t") === "shared" && si !== undefined) {
          if (text) shared.set(si, { text, r, c });
          else {
            const master = shared.get(si);
            if (master) text = shiftFormula(master.text, r - master.r, c - master.c);
          }
        }
        if (text) formula = modelFormula(text);
      }
      const vi = inner.indexOf(vOpen);
      if (vi >= 0) {
        const raw = inner.slice(vi + vOpen.length, inner.indexOf(vClose, vi));
        switch (t) {
          case "s":
            value = sst[Number(raw)] ?? "";
            break;
          case "str":
            value = textOf(raw);
            break;
          case "b":
            value = raw === "1" || raw === "true";
            break;
          case "e":
            value = { error: textOf(raw) };
            break;
          case "d":
            value = isoToSerial(raw);
            break;
          default:
            // An empty <v/> of a formula with t="str" is handled above; an empty numeric <v> means no value.
            value = raw === "" ? undefined : Number(raw);
        }
      } else if (t === "inlineStr") {
        value = stringItemText(inner, p);
      } else if (t === "str" && formula !== undefined && inner.indexOf(`<${p}v/>`) >= 0) {
        value = "";
      }
    }
    if (value === undefined && formula === undefined && !xf?.style && !xf?.numberFormat && !xf?.quotePrefix) continue;
    const cell: Cell = {};
    if (value !== undefined) cell.value = value;
    if (formula !== undefined) cell.formula = formula;
    if (xf) {
      if (xf.numberFormat !== undefined) cell.numberFormat = xf.numberFormat;
      if (xf.style) cell.style = xf.style;
      if (xf.quotePrefix) cell.quotePrefix = true;
    }
    if (!row) {
      row = rows.get(r);
      if (!row) rows.set(r, (row = new Map()));
    }
    row.set(c, cell);
  }
  return { rows, rowHeights, hiddenRows };
}
