/**
 * xl/styles.xml both ways: the writer collects each distinct (number format, style, quote prefix) as one cell format
 * and each conditional-format look as one differential format; the reader turns cell formats back into model fields.
 */
import type { CellStyle, CfFormat } from "../model";
import { attr, boolAttr, child, children, escapeAttr, parseXml, type XmlElement } from "./xml";

/** Number formats with a built-in id. Id 14 is locale-dependent in Excel; the API reports it as "m/d/yyyy". */
const BUILTIN_FORMATS: Record<number, string> = {
  0: "General",
  1: "0",
  2: "0.00",
  3: "#,##0",
  4: "#,##0.00",
  9: "0%",
  10: "0.00%",
  11: "0.00E+00",
  12: "# ?/?",
  13: "# ??/??",
  14: "m/d/yyyy",
  15: "d-mmm-yy",
  16: "d-mmm",
  17: "mmm-yy",
  18: "h:mm AM/PM",
  19: "h:mm:ss AM/PM",
  20: "h:mm",
  21: "h:mm:ss",
  22: "m/d/yyyy h:mm",
  37: "#,##0 ;(#,##0)",
  38: "#,##0 ;[Red](#,##0)",
  39: "#,##0.00;(#,##0.00)",
  40: "#,##0.00;[Red](#,##0.00)",
  45: "mm:ss",
  46: "[h]:mm:ss",
  47: "mmss.0",
  48: "##0.0E+0",
  49: "@",
};
const BUILTIN_IDS = new Map<string, number>(
  Object.entries(BUILTIN_FORMATS)
    .filter(([id]) => id !== "14" && id !== "22")
    .map(([id, f]) => [f, Number(id)]),
);

/** What one cell format (`s` index) means in model terms. Shared and frozen: cells with one format share one object. */
export type XfInfo = { numberFormat?: string; style?: Readonly<CellStyle>; quotePrefix: boolean };

const DEFAULT_FONT = { name: "Calibri", size: 11 };

/** "FFRRGGBB" or "RRGGBB" to "#RRGGBB"; theme and indexed colours are not carried. */
function readColor(el: XmlElement | undefined): string | undefined {
  const rgb = attr(el, "rgb");
  if (!rgb || !/^[0-9A-Fa-f]{6,8}$/.test(rgb)) return undefined;
  return "#" + rgb.slice(-6).toUpperCase();
}

function argb(color: string): string {
  return "FF" + color.replace(/^#/, "").toUpperCase();
}

type FontInfo = { bold: boolean; italic: boolean; color?: string; size?: number; name?: string };

function readFont(el: XmlElement): FontInfo {
  const b = child(el, "b");
  const i = child(el, "i");
  const sz = attr(child(el, "sz"), "val");
  return {
    bold: b !== undefined && boolAttr(b, "val", true),
    italic: i !== undefined && boolAttr(i, "val", true),
    color: readColor(child(el, "color")),
    size: sz === undefined ? undefined : Number(sz),
    name: attr(child(el, "name"), "val"),
  };
}

function fillColor(el: XmlElement | undefined, dxf: boolean): string | undefined {
  const pf = child(el, "patternFill");
  if (!pf) return undefined;
  const type = attr(pf, "patternType");
  // In a differential format the solid colour is the background colour and the pattern type may be omitted.
  if (dxf) return readColor(child(pf, "bgColor")) ?? readColor(child(pf, "fgColor"));
  if (type !== "solid") return undefined;
  return readColor(child(pf, "fgColor"));
}

/** Parses styles.xml into per-`s` cell format info and per-`dxfId` conditional-format looks. */
export function readStyles(xml: string | undefined): { xfs: XfInfo[]; dxfs: CfFormat[] } {
  if (!xml) return { xfs: [{ quotePrefix: false }], dxfs: [] };
  const root = parseXml(xml);
  const numFmts = new Map<number, string>();
  for (const nf of children(child(root, "numFmts"), "numFmt")) {
    numFmts.set(Number(attr(nf, "numFmtId")), attr(nf, "formatCode") ?? "General");
  }
  const fonts = children(child(root, "fonts"), "font").map(readFont);
  const baseFont = fonts[0] ?? { bold: false, italic: false, ...DEFAULT_FONT };
  const fills = children(child(root, "fills"), "fill").map((f) => fillColor(f, false));
  const borders = children(child(root, "borders"), "border").map((b) =>
    b.children.some((side) => attr(side, "style") !== undefined && attr(side, "style") !== "none"),
  );
  const xfs = children(child(root, "cellXfs"), "xf").map((xf): XfInfo => {
    const id = Number(attr(xf, "numFmtId") ?? 0);
    const fmt = numFmts.get(id) ?? BUILTIN_FORMATS[id] ?? "General";
    const style: CellStyle = {};
    const fill = fills[Number(attr(xf, "fillId") ?? 0)];
    if (fill) style.fill = fill;
    const font = fonts[Number(attr(xf, "fontId") ?? 0)];
    if (font) {
      if (font.color) style.fontColor = font.color;
      if (font.bold) style.fontBold = true;
      if (font.italic) style.fontItalic = true;
      if (font.size !== undefined && font.size !== baseFont.size) style.fontSize = font.size;
      if (font.name !== undefined && font.name !== baseFont.name) style.fontName = font.name;
    }
    const al = child(xf, "alignment");
    if (al) {
      if (boolAttr(al, "wrapText", false)) style.wrap = true;
      const h = attr(al, "horizontal");
      if (h === "left") style.hAlign = "Left";
      else if (h === "center" || h === "centerContinuous") style.hAlign = "Center";
      else if (h === "right") style.hAlign = "Right";
      const v = attr(al, "vertical");
      if (v === "top") style.vAlign = "Top";
      else if (v === "center") style.vAlign = "Center";
      else if (v === "bottom") style.vAlign = "Bottom";
    }
    if (borders[Number(attr(xf, "borderId") ?? 0)]) style.border = true;
    const info: XfInfo = { quotePrefix: boolAttr(xf, "quotePrefix", false) };
    if (fmt !== "General") info.numberFormat = fmt;
    if (Object.keys(style).length > 0) info.style = Object.freeze(style);
    return info;
  });
  if (xfs.length === 0) xfs.push({ quotePrefix: false });
  const dxfs = children(child(root, "dxfs"), "dxf").map((dxf): CfFormat => {
    const f: CfFormat = {};
    const fill = fillColor(child(dxf, "fill"), true);
    if (fill) f.fill = fill;
    const font = child(dxf, "font");
    if (font) {
      const info = readFont(font);
      if (info.color) f.fontColor = info.color;
      if (info.bold) f.fontBold = true;
    }
    return f;
  });
  return { xfs, dxfs };
}

type Font = { bold: boolean; italic: boolean; color?: string; size: number; name: string };

/** Builds styles.xml while the sheets are written. Index 0 of everything is the default. */
export class StyleWriter {
  private readonly xfIds = new Map<string, number>();
  private readonly xfs: string[] = ['<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'];
  private readonly numFmtIds = new Map<string, number>();
  private readonly fontIds = new Map<string, number>();
  private readonly fonts: string[] = [];
  private readonly fillIds = new Map<string, number>();
  private readonly fills: string[] = [
    '<fill><patternFill patternType="none"/></fill>',
    '<fill><patternFill patternType="gray125"/></fill>',
  ];
  private readonly dxfs: string[] = [];
  private readonly dxfIds = new Map<string, number>();
  private readonly styleKeys = new WeakMap<object, string>();

  constructor() {
    this.fontId({ bold: false, italic: false, ...DEFAULT_FONT });
  }

  /** The `s` index for a cell's format; 0 when it has none. */
  xfFor(numberFormat: string | undefined, style: CellStyle | undefined, quotePrefix: boolean | undefined): number {
    const nf = numberFormat && numberFormat !== "General" ? numberFormat : "";
    if (!nf && !style && !quotePrefix) return 0;
    const key = `${nf}\u0001${style ? this.styleKey(style) : ""}\u0001${quotePrefix ? 1 : 0}`;
    let id = this.xfIds.get(key);
    if (id === undefined) {
      id = this.xfs.length;
      this.xfIds.set(key, id);
      this.xfs.push(this.buildXf(nf, style ?? {}, quotePrefix === true));
    }
    return id;
  }

  /** The `dxfId` for a conditional format's look. */
  dxfFor(format: CfFormat): number {
    const key = `${format.fill ?? ""}|${format.fontColor ?? ""}|${format.fontBold ? 1 : 0}`;
    let id = this.dxfIds.get(key);
    if (id === undefined) {
      id = this.dxfs.length;
      this.dxfIds.set(key, id);
      let font = "";
      if (format.fontBold || format.fontColor) {
        font = `<font>${format.fontBold ? "<b/>" : ""}${format.fontColor ? `<color rgb="${argb(format.fontColor)}"/>` : ""}</font>`;
      }
      const fill = format.fill
        ? `<fill><patternFill patternType="solid"><bgColor rgb="${argb(format.fill)}"/></patternFill></fill>`
        : "";
      this.dxfs.push(`<dxf>${font}${fill}</dxf>`);
    }
    return id;
  }

  private styleKey(style: CellStyle): string {
    let k = this.styleKeys.get(style);
    if (k === undefined) {
      k = [
        style.fill,
        style.fontColor,
        style.fontBold,
        style.fontItalic,
        style.fontSize,
        style.fontName,
        style.wrap,
        style.hAlign,
        style.vAlign,
        style.border,
      ].join("|");
      this.styleKeys.set(style, k);
    }
    return k;
  }

  private numFmtId(nf: string): number {
    if (!nf) return 0;
    const builtin = BUILTIN_IDS.get(nf);
    if (builtin !== undefined) return builtin;
    let id = this.numFmtIds.get(nf);
    if (id === undefined) {
      id = 164 + this.numFmtIds.size;
      this.numFmtIds.set(nf, id);
    }
    return id;
  }

  private fontId(f: Font): number {
    const key = `${f.bold}|${f.italic}|${f.color ?? ""}|${f.size}|${f.name}`;
    let id = this.fontIds.get(key);
    if (id === undefined) {
      id = this.fonts.length;
      this.fontIds.set(key, id);
      this.fonts.push(
        `<font>${f.bold ? "<b/>" : ""}${f.italic ? "<i/>" : ""}<sz val="${f.size}"/>` +
          `${f.color ? `<color rgb="${argb(f.color)}"/>` : '<color theme="1"/>'}<name val="${escapeAttr(f.name)}"/>` +
          `<family val="2"/></font>`,
      );
    }
    return id;
  }

  private fillId(color: string | undefined): number {
    if (!color) return 0;
    let id = this.fillIds.get(color);
    if (id === undefined) {
      id = this.fills.length;
      this.fillIds.set(color, id);
      this.fills.push(
        `<fill><patternFill patternType="solid"><fgColor rgb="${argb(color)}"/><bgColor indexed="64"/></patternFill></fill>`,
      );
    }
    return id;
  }

  private buildXf(nf: string, s: CellStyle, quotePrefix: boolean): string {
    const numFmtId = this.numFmtId(nf);
    const fontId = this.fontId({
      bold: s.fontBold === true,
      italic: s.fontItalic === true,
      color: s.fontColor,
      size: s.fontSize ?? DEFAULT_FONT.size,
      name: s.fontName ?? DEFAULT_FONT.name,
    });
    const fillId = this.fillId(s.fill);
    const borderId = s.border ? 1 : 0;
    const align: string[] = [];
    if (s.hAlign && s.hAlign !== "General") align.push(`horizontal="${s.hAlign.toLowerCase()}"`);
    if (s.vAlign) align.push(`vertical="${s.vAlign.toLowerCase()}"`);
    if (s.wrap) align.push('wrapText="1"');
    const attrs =
      `numFmtId="${numFmtId}" fontId="${fontId}" fillId="${fillId}" borderId="${borderId}" xfId="0"` +
      (numFmtId ? ' applyNumberFormat="1"' : "") +
      (fontId ? ' applyFont="1"' : "") +
      (fillId ? ' applyFill="1"' : "") +
      (borderId ? ' applyBorder="1"' : "") +
      (align.length ? ' applyAlignment="1"' : "") +
      (quotePrefix ? ' quotePrefix="1"' : "");
    return align.length ? `<xf ${attrs}><alignment ${align.join(" ")}/></xf>` : `<xf ${attrs}/>`;
  }

  /** The finished styles.xml. */
  toXml(): string {
    const numFmts = [...this.numFmtIds].map(([f, id]) => `<numFmt numFmtId="${id}" formatCode="${escapeAttr(f)}"/>`);
    const thin = '<left style="thin"/><right style="thin"/><top style="thin"/><bottom style="thin"/><diagonal/>';
    return (
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
      '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' +
      (numFmts.length ? `<numFmts count="${numFmts.length}">${numFmts.join("")}</numFmts>` : "") +
      `<fonts count="${this.fonts.length}">${this.fonts.join("")}</fonts>` +
      `<fills count="${this.fills.length}">${this.fills.join("")}</fills>` +
      `<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border><border>${thin}</border></borders>` +
      '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
      `<cellXfs count="${this.xfs.length}">${this.xfs.join("")}</cellXfs>` +
      '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>' +
      `<dxfs count="${this.dxfs.length}">${this.dxfs.join("")}</dxfs>` +
      '<tableStyles count="0" defaultTableStyle="TableStyleMedium2" defaultPivotStyle="PivotStyleLight16"/>' +
      "</styleSheet>"
    );
  }
}
