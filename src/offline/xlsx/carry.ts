/**
 * Carrying what the model does not hold: the parts of an imported package that we do not change (comments and their
 * VML, threaded comments, pictures and shapes in drawings, hyperlinks, headers and footers, the theme, document
 * properties, other programs' custom XML …) go into the exported package unchanged, with their relationships and
 * content types kept consistent. The reader records them (per sheet: the worksheet's child elements it does not
 * model, as written, and the drawing anchors that are not our charts; per workbook: the parts related from the
 * package and the workbook); the writer puts them back at their place in the schema and copies the parts they need.
 */
import { strFromU8 } from "fflate";
import type { CarriedSheet, CarriedWorkbook, PackageRel } from "../model";
import { relsPath, resolveTarget } from "./parts";
import { attr, children, escapeAttr, parseXml } from "./xml";

const REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006";

/** Relationships of a part, external targets kept as written. */
export function readPackageRels(parts: Readonly<Record<string, Uint8Array>>, part: string): PackageRel[] {
  const f = parts[relsPath(part)];
  if (!f) return [];
  return children(parseXml(strFromU8(f)), "Relationship").map((r) => {
    const external = attr(r, "TargetMode") === "External";
    const target = attr(r, "Target") ?? "";
    return {
      id: attr(r, "Id") ?? "",
      type: attr(r, "Type") ?? "",
      target: external ? target : resolveTarget(part, target),
      external,
    };
  });
}

/** The content types of a package: defaults by extension and overrides by part name (without the leading "/"). */
export function readContentTypes(parts: Readonly<Record<string, Uint8Array>>): {
  defaults: Record<string, string>;
  overrides: Record<string, string>;
} {
  const defaults: Record<string, string> = {};
  const overrides: Record<string, string> = {};
  const f = parts["[Content_Types].xml"];
  if (f) {
    const root = parseXml(strFromU8(f));
    for (const d of children(root, "Default"))
      defaults[(attr(d, "Extension") ?? "").toLowerCase()] = attr(d, "ContentType") ?? "";
    for (const o of children(root, "Override"))
      overrides[(attr(o, "PartName") ?? "").replace(/^\//, "")] = attr(o, "ContentType") ?? "";
  }
  return { defaults, overrides };
}

/** One child element of a root, as written in the file. */
export type RawChild = { name: string; local: string; xml: string };

/**
 * The root element's namespace declarations and its child elements as raw text, found by scanning tags (comments,
 * CDATA, processing instructions and quoted attribute values are skipped over).
 */
export function scanChildren(xml: string): {
  namespaces: Record<string, string>;
  ignorable: string[];
  children: RawChild[];
} {
  const namespaces: Record<string, string> = {};
  let ignorable: string[] = [];
  const out: RawChild[] = [];
  let depth = 0;
  let start = -1;
  let startName = "";
  let i = 0;
  while (i < xml.length) {
    const lt = xml.indexOf("<", i);
    if (lt < 0) break;
    if (xml.startsWith("<!--", lt)) {
      i = xml.indexOf("-->", lt + 4) + 3;
      if (i < 3) break;
      continue;
    }
    if (xml.startsWith("<![CDATA[", lt)) {
      i = xml.indexOf("]]>", lt + 9) + 3;
      if (i < 3) break;
      continue;
    }
    if (xml.startsWith("<?", lt) || xml.startsWith("<!", lt)) {
      i = xml.indexOf(">", lt) + 1;
      if (i < 1) break;
      continue;
    }
    // The end of this tag, past quoted attribute values.
    let j = lt + 1;
    let quote = "";
    for (; j < xml.length; j++) {
      const ch = xml[j];
      if (quote) {
        if (ch === quote) quote = "";
      } else if (ch === '"' || ch === "'") quote = ch;
      else if (ch === ">") break;
    }
    const tag = xml.slice(lt, j + 1);
    i = j + 1;
    if (tag.startsWith("</")) {
      depth--;
      if (depth === 1 && start >= 0) {
        out.push({ name: startName, local: localName(startName), xml: xml.slice(start, i) });
        start = -1;
      }
      continue;
    }
    const name = /^<([^\s/>]+)/.exec(tag)?.[1] ?? "";
    const selfClosing = tag.endsWith("/>");
    if (depth === 0) {
      for (const m of tag.matchAll(/\sxmlns:([\w.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) namespaces[m[1]] = m[2] ?? m[3];
      const ign = /\s[\w.-]+:Ignorable\s*=\s*(?:"([^"]*)"|'([^']*)')/.exec(tag);
      if (ign) ignorable = (ign[1] ?? ign[2]).split(/\s+/).filter(Boolean);
      if (!selfClosing) depth = 1;
      continue;
    }
    if (depth === 1) {
      if (selfClosing) out.push({ name, local: localName(name), xml: tag });
      else {
        start = lt;
        startName = name;
        depth = 2;
      }
      continue;
    }
    if (!selfClosing) depth++;
  }
  return { namespaces, ignorable, children: out };
}

function localName(name: string): string {
  const c = name.indexOf(":");
  return c < 0 ? name : name.slice(c + 1);
}

/**
 * Worksheet children the model holds, rewritten from it on export; the others are carried as written. `pageSetup` and
 * `printOptions` are rewritten, but keep the attributes the model does not hold (see {@link carriedSheetOf}).
 */
const MODELLED = new Set([
  "sheetPr",
  "dimension",
  "sheetViews",
  "sheetFormatPr",
  "cols",
  "sheetData",
  "sheetProtection",
  "autoFilter",
  "mergeCells",
  "conditionalFormatting",
  "dataValidations",
  "printOptions",
  "pageSetup",
  "drawing",
  "tableParts",
  // Extension blocks hold x14 rules tied to rules the model rewrites (data bars, validations): not carried alone.
  "extLst",
]);

/** CT_Worksheet's children in schema order: where a carried element goes back. */
export const WORKSHEET_ORDER = [
  "sheetPr",
  "dimension",
  "sheetViews",
  "sheetFormatPr",
  "cols",
  "sheetData",
  "sheetCalcPr",
  "sheetProtection",
  "protectedRanges",
  "scenarios",
  "autoFilter",
  "sortState",
  "dataConsolidate",
  "customSheetViews",
  "mergeCells",
  "phoneticPr",
  "conditionalFormatting",
  "dataValidations",
  "hyperlinks",
  "printOptions",
  "pageMargins",
  "pageSetup",
  "headerFooter",
  "rowBreaks",
  "colBreaks",
  "customProperties",
  "cellWatches",
  "ignoredErrors",
  "smartTags",
  "drawing",
  "legacyDrawing",
  "legacyDrawingHF",
  "drawingHF",
  "picture",
  "oleObjects",
  "controls",
  "webPublishItems",
  "tableParts",
  "extLst",
] as const;

export type WorksheetChild = (typeof WORKSHEET_ORDER)[number];

/** The schema position of a carried element; an mc:AlternateContent goes where its first choice's element goes. */
export function schemaIndex(el: RawChild): number {
  let name = el.local;
  if (name === "AlternateContent")
    name = /<(?:[\w.-]+:)?(oleObjects|controls|legacyDrawing|picture)\b/.exec(el.xml)?.[1] ?? "controls";
  const i = (WORKSHEET_ORDER as readonly string[]).indexOf(name);
  return i < 0 ? WORKSHEET_ORDER.indexOf("tableParts") - 0.5 : i;
}

/** Sheet relationships that no element names but that belong to the sheet: its comments and threaded comments. */
const IMPLICIT_SHEET_RELS = [/\/comments$/, /\/threadedComment$/];

/** pageSetup attributes the model holds (paper size, scale, fit to pages, orientation); the others are carried. */
const PAGE_SETUP_MODELLED = new Set(["paperSize", "scale", "fitToWidth", "fitToHeight", "orientation"]);
/**
 * sheetView attributes the writer sets (the selected tab, the workbook view) or that are only where the window was
 * scrolled (topLeftCell, stale once panes change); the others (gridlines, zoom, page layout view, right to left …) are
 * carried.
 */
const SHEET_VIEW_MODELLED = new Set(["tabSelected", "workbookViewId", "topLeftCell"]);
/** printOptions attributes the model holds (horizontal centring); the others are carried. */
const PRINT_OPTIONS_MODELLED = new Set(["horizontalCentered"]);

/** The attributes of an element's start tag, as written, minus those named in `drop` (by local name). */
function attributesOf(tag: string, drop: ReadonlySet<string>): string {
  const out: string[] = [];
  for (const m of tag.matchAll(/\s([\w.:-]+)\s*=\s*("[^"]*"|'[^']*')/g)) {
    if (!drop.has(localName(m[1]))) out.push(`${m[1]}=${m[2]}`);
  }
  return out.join(" ");
}

/** Excel's default margins in inches, which the writer puts on every sheet without margins of its own. */
const DEFAULT_MARGINS: Record<string, number> = {
  left: 0.7,
  right: 0.7,
  top: 0.75,
  bottom: 0.75,
  header: 0.3,
  footer: 0.3,
};

/** Whether a pageMargins element holds the default margins (nothing to carry then). */
function defaultMargins(xml: string): boolean {
  const found = [...xml.matchAll(/\s(\w+)\s*=\s*"([^"]*)"/g)];
  return found.length === 6 && found.every(([, name, value]) => DEFAULT_MARGINS[name] === Number(value));
}

/** Of a worksheet's XML (sheetData already cut out) and relationships, what the model does not hold. */
export function carriedSheetOf(xml: string, rels: readonly PackageRel[]): CarriedSheet | undefined {
  const { namespaces, ignorable, children: kids } = scanChildren(xml);
  const elements = kids
    .filter((k) => !MODELLED.has(k.local) && !(k.local === "pageMargins" && defaultMargins(k.xml)))
    .map((k) => ({ name: k.local, xml: k.xml, order: schemaIndex(k) }));
  const start = (local: string) => {
    const el = kids.find((k) => k.local === local);
    return el ? (/^<[^>]*>/.exec(el.xml)?.[0] ?? "") : "";
  };
  // Paper size, margins' companions, printer settings (r:id), gridlines …: kept beside what the model rewrites.
  const pageSetup = attributesOf(start("pageSetup"), PAGE_SETUP_MODELLED);
  const printOptions = attributesOf(start("printOptions"), PRINT_OPTIONS_MODELLED);
  const views = kids.find((k) => k.local === "sheetViews")?.xml ?? "";
  const sheetView = attributesOf(/<(?:[\w.-]+:)?sheetView\b[^>]*>/.exec(views)?.[0] ?? "", SHEET_VIEW_MODELLED);
  const named = new Set([...elements.flatMap((e) => relIdsIn(e.xml)), ...relIdsIn(` ${pageSetup}`)]);
  const used = rels.filter((r) => named.has(r.id) || IMPLICIT_SHEET_RELS.some((re) => re.test(r.type)));
  if (elements.length === 0 && used.length === 0 && !pageSetup && !printOptions && !sheetView) return undefined;
  const carried: CarriedSheet = { namespaces, ignorable, elements, rels: used };
  if (sheetView) carried.sheetView = sheetView;
  if (pageSetup) carried.pageSetup = pageSetup;
  if (printOptions) carried.printOptions = printOptions;
  return carried;
}

/** Relationship ids an XML fragment names: r:id, r:embed, r:link, r:pict and the like. */
function relIdsIn(xml: string): string[] {
  return [...xml.matchAll(/\s[\w.-]+:(?:id|embed|link|pict|dm|lo|qs|cs|href)\s*=\s*"([^"]+)"/g)].map((m) => m[1]);
}

/** Replaces relationship ids in a fragment (attributes of the relationships namespace only). */
export function renameRelIds(
  xml: string,
  namespaces: Record<string, string>,
  ids: ReadonlyMap<string, string>,
): string {
  // The prefix may be declared on the root or on the element itself (openpyxl declares r: on each element).
  const local = [...xml.matchAll(/\sxmlns:([\w.-]+)\s*=\s*"([^"]*)"/g)].filter((m) => m[2] === REL_NS).map((m) => m[1]);
  const prefixes = [
    ...new Set([
      ...Object.entries(namespaces)
        .filter(([, uri]) => uri === REL_NS)
        .map(([p]) => p),
      ...local,
    ]),
  ].map((p) => p.replace(/[.-]/g, "\\$&"));
  if (prefixes.length === 0 || ids.size === 0) return xml;
  const re = new RegExp(`(\\s(?:${prefixes.join("|")}):[\\w]+\\s*=\\s*")([^"]+)(")`, "g");
  return xml.replace(re, (whole, a: string, id: string, b: string) => (ids.has(id) ? `${a}${ids.get(id)}${b}` : whole));
}

/** Drawing anchors that are not the charts the model holds (pictures, shapes, charts of other kinds), as written. */
export function carriedAnchorsOf(
  drawingXml: string,
  rels: readonly PackageRel[],
  modelled: (anchorIndex: number) => boolean,
): CarriedSheet["drawing"] {
  const { namespaces, ignorable, children: kids } = scanChildren(drawingXml);
  let anchorIndex = -1;
  const anchors: string[] = [];
  for (const k of kids) {
    // The same count as chart.ts readDrawing: anchors directly under the drawing's root.
    const isAnchor = k.local === "twoCellAnchor" || k.local === "oneCellAnchor" || k.local === "absoluteAnchor";
    if (isAnchor) anchorIndex++;
    if (isAnchor && modelled(anchorIndex)) continue;
    anchors.push(k.xml);
  }
  if (anchors.length === 0) return undefined;
  const ids = new Set(anchors.flatMap(relIdsIn));
  return { namespaces, ignorable, anchors, rels: rels.filter((r) => ids.has(r.id)) };
}

/**
 * Package relationships not carried: the workbook (written anew) and the add-in task pane list. The core properties
 * (author, dates), the custom properties and the extended properties (docProps/app.xml) are carried, the last
 * without its list of sheets (see {@link withoutPartTitles}).
 */
const ROOT_SKIPPED = [/\/officeDocument$/, /\/taskpanes$/];
const EXTENDED_PROPERTIES = /\/extended-properties$/;

/**
 * The extended properties without HeadingPairs and TitlesOfParts, which list the sheets by name and count and are
 * stale once a sheet is added or renamed (both are optional: ECMA-376 Part 1 §22.2.2.12, §22.2.2.26; Excel writes
 * them again on save). The rest is the user's (Company, Manager, the hyperlink base) or says which program created
 * the document (Application, "the name of the application that created this document", §22.2.2.2): an edit by this
 * tool does not make it the creator. LibreOffice keeps a formula's cached text result only when that program is
 * Excel or LibreOffice (tdf#98481); otherwise it recomputes such formulas on opening.
 */
export function withoutPartTitles(xml: string): string {
  return xml.replace(/<((?:\w+:)?(?:HeadingPairs|TitlesOfParts))\b(?:[^>]*\/>|[^>]*>[\s\S]*?<\/\1>)/g, "");
}
/** Workbook relationships carried: the theme, threaded-comment persons and other programs' custom XML. */
const WORKBOOK_CARRIED = [/\/theme$/, /\/person$/, /\/customXml$/];

/**
 * What a workbook carries besides its sheets; `ownCustomXml` tells our own custom XML part, which is rewritten, and
 * `sheetRels` are the relationships the sheets carry (their parts are kept too).
 */
export function carriedWorkbookOf(
  parts: Readonly<Record<string, Uint8Array>>,
  rootRels: readonly PackageRel[],
  workbookRels: readonly PackageRel[],
  ownCustomXml: (part: string) => boolean,
  sheetRels: readonly PackageRel[],
): CarriedWorkbook {
  const { defaults, overrides } = readContentTypes(parts);
  const root = rootRels.filter((r) => !ROOT_SKIPPED.some((re) => re.test(r.type)));
  const workbook = workbookRels.filter(
    (r) => WORKBOOK_CARRIED.some((re) => re.test(r.type)) && !(r.type.endsWith("/customXml") && ownCustomXml(r.target)),
  );
  const carried = reachableParts(parts, [...root, ...workbook, ...sheetRels]);
  for (const r of root) {
    const part = carried[r.target];
    if (!EXTENDED_PROPERTIES.test(r.type) || part === undefined) continue;
    carried[r.target] = new TextEncoder().encode(withoutPartTitles(new TextDecoder().decode(part)));
  }
  return {
    parts: carried,
    defaults,
    overrides,
    rootRels: root,
    workbookRels: workbook,
  };
}

/**
 * The parts carried relationships reach, directly or through the relationships of the parts they reach, with those
 * parts' own .rels: all a later export can need. The rest of the package (sheets, styles, strings … rewritten from
 * the model) is not kept, so a large sheet's XML is not held in memory with the model.
 */
export function reachableParts(
  parts: Readonly<Record<string, Uint8Array>>,
  starts: readonly PackageRel[],
): Record<string, Uint8Array> {
  const out: Record<string, Uint8Array> = {};
  const queue = starts.filter((r) => !r.external).map((r) => r.target);
  while (queue.length) {
    const name = queue.pop() as string;
    if (name in out || parts[name] === undefined) continue;
    out[name] = parts[name];
    const rels = relsPath(name);
    if (parts[rels] === undefined) continue;
    out[rels] = parts[rels];
    for (const r of readPackageRels(parts, name)) if (!r.external) queue.push(r.target);
  }
  return out;
}

/** A relationship target as a .rels part writes it: relative to the folder of the part that holds the relationship. */
export function relativeTarget(fromPart: string, toPart: string): string {
  const from = fromPart.split("/").slice(0, -1);
  const to = toPart.split("/");
  let i = 0;
  while (i < from.length && i < to.length - 1 && from[i] === to[i]) i++;
  return [...from.slice(i).map(() => ".."), ...to.slice(i)].join("/");
}

/**
 * Copies carried parts into the package being written: each part once, under its own name unless the writer uses
 * that name (then a free one), with its own relationships carried in turn; and the content types they need.
 */
export class PartCarrier {
  private readonly placed = new Map<string, string>();
  private readonly types = new Map<string, string>();
  private readonly extensions = new Map<string, string>();

  constructor(
    private readonly source: CarriedWorkbook,
    /** Whether the writer uses (or may use) a part name. */
    private readonly taken: (name: string) => boolean,
    private readonly write: (name: string, data: Uint8Array) => void,
    private readonly writeRels: (part: string, rels: readonly PackageRel[]) => void,
  ) {}

  /** The part a carried relationship points to, placed in the package (external targets stay as they are). */
  place(rel: PackageRel): PackageRel {
    if (rel.external) return rel;
    return { ...rel, target: this.copy(rel.target) };
  }

  private copy(name: string): string {
    const done = this.placed.get(name);
    if (done !== undefined) return done;
    const data = this.source.parts[name];
    if (data === undefined) return name; // a dangling relationship in the input: it keeps pointing where it pointed
    const used = new Set(this.placed.values());
    let target = name;
    for (let k = 2; this.taken(target) || used.has(target); k++) {
      target = name.replace(/(\.[^./]+)?$/, (ext) => `_${k}${ext}`);
    }
    // Placed before its own relationships are followed, so a cycle between parts ends here.
    this.placed.set(name, target);
    const type = this.source.overrides[name];
    if (type) this.types.set(target, type);
    else {
      const ext = /\.([^./]+)$/.exec(name)?.[1]?.toLowerCase();
      const def = ext ? this.source.defaults[ext] : undefined;
      if (ext && def) this.extensions.set(ext, def);
    }
    this.write(target, data);
    const rels = readPackageRels(this.source.parts, name);
    if (rels.length)
      this.writeRels(
        target,
        rels.map((r) => this.place(r)),
      );
    return target;
  }

  /** Overrides for the carried parts by name, and defaults for their extensions. */
  contentTypes(): { overrides: [string, string][]; defaults: [string, string][] } {
    return { overrides: [...this.types], defaults: [...this.extensions] };
  }
}

/** Relationships renumbered for the part being written: the new id of each old one, and the placed relationships. */
export function renumber(
  rels: readonly PackageRel[],
  nextId: (k: number) => string,
  carrier: PartCarrier,
): { ids: Map<string, string>; rels: PackageRel[] } {
  const ids = new Map<string, string>();
  const out = rels.map((r, k) => {
    const id = nextId(k);
    ids.set(r.id, id);
    return { ...carrier.place(r), id };
  });
  return { ids, rels: out };
}

/** `xmlns:p="…"` declarations (and mc:Ignorable) for carried content, leaving out prefixes the writer declares. */
export function namespaceDeclarations(
  namespaces: Record<string, string>,
  ignorable: readonly string[],
  declared: Readonly<Record<string, string>>,
): string {
  const extra = Object.entries(namespaces).filter(([p]) => !(p in declared));
  let out = extra.map(([p, uri]) => ` xmlns:${p}="${escapeAttr(uri)}"`).join("");
  const mc = Object.entries({ ...declared, ...namespaces }).find(([, uri]) => uri === MC_NS)?.[0];
  const ign = ignorable.filter((p) => p in namespaces);
  if (mc && ign.length) out += ` ${mc}:Ignorable="${ign.join(" ")}"`;
  return out;
}

/**
 * The carried part of one worksheet as the writer puts it back: extra namespace declarations for the root, the
 * carried elements before each modelled element in schema order, the attributes kept on sheetView, pageSetup and
 * printOptions,
 * and the sheet relationships they use (renumbered from rId1; the writer numbers its own after them).
 */
export class SheetCarry {
  readonly rels: PackageRel[] = [];
  readonly namespaces: string = "";
  readonly pageSetup: string = "";
  readonly printOptions: string = "";
  readonly sheetView: string = "";
  private readonly pending: { xml: string; order: number }[] = [];

  constructor(carried: CarriedSheet | undefined, carrier: PartCarrier | undefined, declared: Record<string, string>) {
    if (!carried || !carrier) return;
    const { ids, rels } = renumber(carried.rels, (k) => `rId${k + 1}`, carrier);
    this.rels = rels;
    this.namespaces = namespaceDeclarations(carried.namespaces, carried.ignorable, declared);
    const fix = (xml: string) => renameRelIds(xml, carried.namespaces, ids);
    this.pending = carried.elements.map((e) => ({ xml: fix(e.xml), order: e.order })).sort((a, b) => a.order - b.order);
    if (carried.pageSetup) this.pageSetup = fix(` ${carried.pageSetup}`).trim();
    if (carried.printOptions) this.printOptions = carried.printOptions;
    if (carried.sheetView) this.sheetView = ` ${carried.sheetView}`;
  }

  /** Carried elements that come before the modelled element `name` (and were not written yet). */
  before(name: WorksheetChild): string {
    const at = WORKSHEET_ORDER.indexOf(name);
    let k = 0;
    while (k < this.pending.length && this.pending[k].order < at) k++;
    return this.pending
      .splice(0, k)
      .map((e) => e.xml)
      .join("");
  }

  /** Whether a carried element of this name is still to be written (the writer then leaves out its default). */
  has(name: WorksheetChild): boolean {
    return this.pending.some((e) => e.order === WORKSHEET_ORDER.indexOf(name));
  }

  /** The carried elements left, at the end of the worksheet. */
  rest(): string {
    return this.pending
      .splice(0)
      .map((e) => e.xml)
      .join("");
  }
}
