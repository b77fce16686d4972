/**
 * .xlsx bytes → WorkbookModel. Reads the package directly: sheet data with a forward scan (sheet-read.ts), the small
 * parts as XML trees. What the model cannot hold is listed in `notCarried`, in plain words and by part name.
 */
import type { Lang } from "../../core/types";
import type {
  ChartModel,
  ConditionalFormatModel,
  DefinedNameModel,
  PageSetupModel,
  SheetModel,
  SheetVisibility,
  TableModel,
  ValidationModel,
  ValidationRule,
  WorkbookModel,
} from "../model";
import { parseRect, parseSqref } from "./a1";
import { carriedAnchorsOf, carriedSheetOf, carriedWorkbookOf, readPackageRels } from "./carry";
import { readChart, readDrawing } from "./chart";
import { PackageError, sniff, XlsxError, xlsxText } from "./errors";
import { POINTS_PER_WIDTH_UNIT } from "./export";
import { fromFileFormula } from "./formula-text";
import { PLAN_LEDGER_NS, REL_TYPE, relsPath, resolveTarget } from "./parts";
import { readSharedStrings, readWorksheet, type ReadBudget } from "./sheet-read";
import { readStyles } from "./styles";
import { ZipReader } from "./unzip";
import type { ZipCodec } from "./zip";
import { attr, boolAttr, child, children, decodeXmlBytes, local, parseXml, type XmlElement } from "./xml";

export type ImportOptions = {
  /** Language of the `notCarried` descriptions; en-US by default. */
  lang?: Lang;
  /** A native inflater and CRC for reading parts (the CLI passes Node's zlib); fflate and ours by default. */
  codec?: Pick<ZipCodec, "crc32" | "inflateRaw">;
};

type Rel = { id: string; type: string; target: string };

/**
 * The package: its zip, whose parts are inflated only when read (within the reader's caps), and what reading the
 * sheets may still hold (cells, tree elements) across the whole workbook.
 */
type Package = { zip: ZipReader; budget: ReadBudget; parts: Readonly<Record<string, Uint8Array>> };

function openPackage(bytes: Uint8Array, codec: ImportOptions["codec"]): Package {
  const zip = ZipReader.open(bytes, { codec });
  return { zip, budget: { cells: 0, elements: 0 }, parts: lazyParts(zip) };
}

/**
 * The package's parts by name for carrying (xlsx/carry.ts), each inflated only when it is looked up (within the
 * reader's caps) and once: carrying follows relationships, so only the parts the workbook reaches are ever inflated.
 * Never enumerate it (that would inflate every part): list names with `zip.names()`.
 */
function lazyParts(zip: ZipReader): Readonly<Record<string, Uint8Array>> {
  const cache = new Map<string, Uint8Array | undefined>();
  const read = (name: string) => {
    if (!cache.has(name))
      cache.set(
        name,
        withPart(name, () => zip.read(name)),
      );
    return cache.get(name);
  };
  return new Proxy({} as Record<string, Uint8Array>, {
    get: (_t, name) => (typeof name === "string" && zip.has(name) ? read(name) : undefined),
    has: (_t, name) => typeof name === "string" && zip.has(name),
  });
}

async function text(pkg: Package, part: string): Promise<string | undefined> {
  return withPart(part, () => {
    const f = pkg.zip.read(part);
    return f ? decodeXmlBytes(f) : undefined;
  });
}

/** Runs a reader over one part, so that damage it finds names the part. */
function withPart<T>(part: string, read: () => T): T {
  try {
    return read();
  } catch (e) {
    if (e instanceof PackageError) throw e.inPart(part);
    throw e;
  }
}

async function readRels(zip: Package, part: string): Promise<Rel[]> {
  const xml = await text(zip, relsPath(part));
  if (!xml) return [];
  return children(
    withPart(relsPath(part), () => parseXml(xml)),
    "Relationship",
  ).map((r) => ({
    id: attr(r, "Id") ?? "",
    type: attr(r, "Type") ?? "",
    target: attr(r, "TargetMode") === "External" ? "" : resolveTarget(part, attr(r, "Target") ?? ""),
  }));
}

const relEnds = (r: Rel, kind: string) => r.type.endsWith(`/${kind}`);

const DV_OPERATORS: Record<string, Extract<ValidationRule, { operator: unknown }>["operator"]> = {
  between: "Between",
  notBetween: "NotBetween",
  equal: "EqualTo",
  notEqual: "NotEqualTo",
  greaterThan: "GreaterThan",
  lessThan: "LessThan",
  greaterThanOrEqual: "GreaterThanOrEqualTo",
  lessThanOrEqual: "LessThanOrEqualTo",
};
const CF_OPERATORS: Record<string, Extract<ConditionalFormatModel, { type: "cellValue" }>["operator"]> = {
  between: "Between",
  notBetween: "NotBetween",
  equal: "EqualTo",
  notEqual: "NotEqualTo",
  greaterThan: "GreaterThan",
  lessThan: "LessThan",
  greaterThanOrEqual: "GreaterThanOrEqual",
  lessThanOrEqual: "LessThanOrEqual",
};

function operand(s: string): string | number {
  const t = s.trim();
  return t !== "" && Number.isFinite(Number(t)) ? Number(t) : "=" + t;
}

function readValidation(el: XmlElement): ValidationModel | undefined {
  const type = attr(el, "type") ?? "none";
  const f1 = child(el, "formula1")?.text ?? "";
  const f2El = child(el, "formula2");
  let rule: ValidationRule;
  if (type === "list") {
    const source = f1.startsWith('"') && f1.endsWith('"') ? f1.slice(1, -1).replace(/""/g, '"') : "=" + f1;
    rule = { type: "list", source, inCellDropDown: !boolAttr(el, "showDropDown", false) };
  } else if (type === "custom") {
    rule = { type: "custom", formula: "=" + f1 };
  } else if (type === "decimal" || type === "whole" || type === "date" || type === "textLength") {
    rule = {
      type: type === "whole" ? "wholeNumber" : type,
      operator: DV_OPERATORS[attr(el, "operator") ?? "between"] ?? "Between",
      formula1: operand(f1),
    };
    if (f2El) rule.formula2 = operand(f2El.text);
  } else return undefined; // "none" (prompt only) and "time" have no place in the model
  const style = attr(el, "errorStyle");
  return {
    ranges: parseSqref(attr(el, "sqref") ?? ""),
    rule,
    ignoreBlanks: boolAttr(el, "allowBlank", false),
    errorAlert: {
      showAlert: boolAttr(el, "showErrorMessage", false),
      style: style === "warning" ? "Warning" : style === "information" ? "Information" : "Stop",
      title: attr(el, "errorTitle") ?? "",
      message: attr(el, "error") ?? "",
    },
    prompt: {
      showPrompt: boolAttr(el, "showInputMessage", false),
      title: attr(el, "promptTitle") ?? "",
      message: attr(el, "prompt") ?? "",
    },
  };
}

function readCf(rule: XmlElement, ranges: ReturnType<typeof parseSqref>, dxfs: ReturnType<typeof readStyles>["dxfs"]) {
  const type = attr(rule, "type");
  const base = {
    ranges,
    // The file's priorities start at 1 (ECMA-376 §18.3.1.10, as Excel writes them); the API's (and the model's) at 0.
    priority: Math.max(0, Number(attr(rule, "priority") ?? 1) - 1),
    stopIfTrue: boolAttr(rule, "stopIfTrue", false),
  };
  const formulas = children(rule, "formula").map((f) => "=" + f.text);
  const format = { ...(dxfs[Number(attr(rule, "dxfId") ?? -1)] ?? {}) };
  if (type === "cellIs") {
    const operator = CF_OPERATORS[attr(rule, "operator") ?? ""];
    if (!operator || formulas.length === 0) return undefined;
    const cf: ConditionalFormatModel = { ...base, type: "cellValue", operator, formula1: formulas[0], format };
    if (formulas[1] !== undefined) cf.formula2 = formulas[1];
    return cf;
  }
  if (type === "expression" && formulas.length) {
    return { ...base, type: "custom" as const, formula: formulas[0], format };
  }
  if (type === "dataBar") {
    const bar = child(rule, "dataBar");
    const cfvo = children(bar, "cfvo");
    const rgb = attr(child(bar, "color"), "rgb") ?? "FF638EC6";
    const cf: ConditionalFormatModel = { ...base, type: "dataBar", color: "#" + rgb.slice(-6).toUpperCase() };
    if (attr(cfvo[0], "type") === "num") cf.min = Number(attr(cfvo[0], "val"));
    if (attr(cfvo[1], "type") === "num") cf.max = Number(attr(cfvo[1], "val"));
    return cf;
  }
  return undefined;
}

function readTable(xml: string): TableModel | undefined {
  const t = parseXml(xml);
  const ref = parseRect(attr(t, "ref") ?? "");
  if (!ref) return undefined;
  const cols = children(child(t, "tableColumns"), "tableColumn");
  const columnFormulas: Record<number, string> = {};
  const name = attr(t, "displayName") ?? attr(t, "name") ?? "";
  cols.forEach((col, i) => {
    const f = child(col, "calculatedColumnFormula");
    if (f) columnFormulas[i] = fromFileFormula(f.text, name);
  });
  const table: TableModel = {
    name,
    ref,
    columns: cols.map((c) => attr(c, "name") ?? ""),
    style: attr(child(t, "tableStyleInfo"), "name") ?? "",
    showHeaders: attr(t, "headerRowCount") !== "0",
    showTotals: Number(attr(t, "totalsRowCount") ?? 0) > 0,
  };
  if (Object.keys(columnFormulas).length) table.columnFormulas = columnFormulas;
  return table;
}

/** Excel-style worksheet id from the file's sheetId, used when our own part does not hold one. */
function defaultSheetId(sheetId: string | undefined, index: number): string {
  const n = Number(sheetId ?? index + 1);
  return `{00000000-${n.toString(16).toUpperCase().padStart(4, "0")}-0000-0000-000000000000}`;
}

const PART_KINDS: { key: string; re: RegExp; part: string }[] = [
  { key: "pivotTables", re: /^xl\/pivotTables\/pivotTable\d+\.xml$/, part: "xl/pivotTables" },
  { key: "vba", re: /^xl\/vbaProject\.bin$/, part: "xl/vbaProject.bin" },
  { key: "slicers", re: /^xl\/slicers\/[^/]+\.xml$/, part: "xl/slicers" },
  { key: "timelines", re: /^xl\/timelines\/[^/]+\.xml$/, part: "xl/timelines" },
  { key: "externalLinks", re: /^xl\/externalLinks\/externalLink\d+\.xml$/, part: "xl/externalLinks" },
  { key: "chartsheets", re: /^xl\/chartsheets\/sheet\d+\.xml$/, part: "xl/chartsheets" },
  { key: "connections", re: /^xl\/(connections\.xml|queryTables\/[^/]+\.xml)$/, part: "xl/connections.xml" },
  { key: "webextensions", re: /^xl\/webextensions\/webextension\d+\.xml$/, part: "xl/webextensions" },
  { key: "richData", re: /^xl\/richData\/[^/]+$/, part: "xl/richData" },
];

/**
 * Reads .xlsx bytes into a workbook model. Throws {@link XlsxError} for a file that is not a readable workbook
 * (not a zip, legacy .xls, encrypted, damaged). What the model cannot hold is listed in `notCarried`.
 * @example const model = await importXlsx(new Uint8Array(await file.arrayBuffer()));
 */
export async function importXlsx(bytes: Uint8Array, options: ImportOptions = {}): Promise<WorkbookModel> {
  sniff(bytes);
  try {
    return await readPackage(openPackage(bytes, options.codec), options.lang ?? "en-US");
  } catch (e) {
    if (e instanceof XlsxError) throw e;
    if (e instanceof PackageError) {
      throw new XlsxError(e.kind === "tooLarge" ? "tooLarge" : "corrupt", e.detail, { cause: e });
    }
    throw new XlsxError("corrupt", e instanceof Error ? e.message : String(e), { cause: e });
  }
}

async function readPackage(zip: Package, lang: Lang): Promise<WorkbookModel> {
  const say = (key: string, params: Record<string, string | number> = {}) =>
    xlsxText(lang, `notCarried.${key}`, params);
  const notCarried: string[] = [];
  const rootRels = await readRels(zip, "");
  const wbPart = rootRels.find((r) => relEnds(r, "officeDocument"))?.target ?? "xl/workbook.xml";
  const wbXml = await text(zip, wbPart);
  if (!wbXml) throw new XlsxError("corrupt", { key: "part.missing", params: { part: wbPart } });
  const wb = withPart(wbPart, () => parseXml(wbXml));
  const wbRels = await readRels(zip, wbPart);
  const relById = new Map(wbRels.map((r) => [r.id, r]));
  const stylesPart = wbRels.find((r) => relEnds(r, "styles"))?.target;
  const sstPart = wbRels.find((r) => relEnds(r, "sharedStrings"))?.target;
  const [stylesXml, sstXml] = await Promise.all([
    stylesPart ? text(zip, stylesPart) : undefined,
    sstPart ? text(zip, sstPart) : undefined,
  ]);
  const styles = withPart(stylesPart ?? "", () => readStyles(stylesXml));
  const sst = withPart(sstPart ?? "", () => readSharedStrings(sstXml));

  // Our own custom XML part: settings, sheet ids, sheet custom properties.
  const settings = new Map<string, string>();
  const ownSheets = new Map<string, { id: string; props: Map<string, string> }>();
  const ownCustomXml = new Set<string>();
  for (const name of zip.zip.names()) {
    if (!/^customXml\/item\d+\.xml$/.test(name)) continue;
    const xml = (await text(zip, name)) ?? "";
    const root = withPart(name, () => parseXml(xml));
    // Other programs' custom XML is carried as it is (xlsx/carry.ts); ours is read and written again.
    if (attr(root, "xmlns") !== PLAN_LEDGER_NS) continue;
    ownCustomXml.add(name);
    for (const s of children(root, "setting")) settings.set(attr(s, "name") ?? "", s.text);
    for (const s of children(root, "sheet")) {
      const props = new Map<string, string>();
      for (const p of children(s, "property")) props.set(attr(p, "name") ?? "", p.text);
      ownSheets.set(attr(s, "name") ?? `#${attr(s, "index")}`, { id: attr(s, "id") ?? "", props });
    }
  }

  const sheetEls = children(child(wb, "sheets"), "sheet");
  const sheets: SheetModel[] = [];
  const sheetNames = new Set<string>();
  for (const [index, el] of sheetEls.entries()) {
    const name = attr(el, "name") ?? `Sheet${index + 1}`;
    checkSheetName(name, sheetNames);
    const part = relById.get(attr(el, "id") ?? "")?.target;
    const xml = part ? await text(zip, part) : undefined;
    if (!part || xml === undefined)
      throw new XlsxError("corrupt", { key: "sheet.partMissing", params: { sheet: name } });
    const state = attr(el, "state");
    const visibility: SheetVisibility =
      state === "hidden" ? "Hidden" : state === "veryHidden" ? "VeryHidden" : "Visible";
    const own = ownSheets.get(name) ?? ownSheets.get(`#${index}`);
    const sheet = await readSheet(zip, part, xml, { sst, styles, name, say, notCarried });
    sheet.id = own?.id || defaultSheetId(attr(el, "sheetId"), index);
    sheet.visibility = visibility;
    if (own) sheet.customProperties = own.props;
    sheets.push(sheet);
  }

  // One notice per sheet, however many title column areas its print titles name.
  const titleColumnsLost = (sheet: string) => {
    const text = say("printTitleColumns", { sheet });
    if (!notCarried.includes(text)) notCarried.push(text);
  };
  const names: DefinedNameModel[] = [];
  for (const dn of children(child(wb, "definedNames"), "definedName")) {
    const name = attr(dn, "name") ?? "";
    if (name === "_xlnm._FilterDatabase") continue; // derived from the sheet's autoFilter on export
    const local = attr(dn, "localSheetId");
    if (name.toLowerCase() === "_xlnm.print_titles") {
      const target = local !== undefined ? sheets[Number(local)] : undefined;
      if (target) {
        readPrintTitles(dn.text, target, () => titleColumnsLost(target.name));
        continue;
      }
    }
    const n: DefinedNameModel = {
      name,
      formula: "=" + dn.text,
      comment: attr(dn, "comment") ?? "",
      visible: !boolAttr(dn, "hidden", false),
    };
    if (local !== undefined && sheets[Number(local)]) n.scopeSheetId = sheets[Number(local)].id;
    names.push(n);
  }

  const files = zip.zip.names();
  for (const kind of PART_KINDS) {
    const n = files.filter((f) => kind.re.test(f)).length;
    if (n > 0) notCarried.push(say(kind.key, { n, part: kind.part }));
  }

  const activeTab = Number(attr(child(child(wb, "bookViews"), "workbookView"), "activeTab") ?? 0);
  const model: WorkbookModel = {
    sheets,
    names,
    settings,
    activeSheet: activeTab >= 0 && activeTab < sheets.length ? activeTab : 0,
    notCarried,
  };
  if (boolAttr(child(wb, "workbookPr"), "date1904", false)) model.date1904 = true;
  const carried = carriedWorkbookOf(
    zip.parts,
    readPackageRels(zip.parts, ""),
    readPackageRels(zip.parts, wbPart),
    (p) => ownCustomXml.has(p),
    sheets.flatMap((s) => [...(s.carried?.rels ?? []), ...(s.carried?.drawing?.rels ?? [])]),
  );
  if (carried.rootRels.length || carried.workbookRels.length || sheets.some((s) => s.carried)) model.carried = carried;
  return model;
}

const INVALID_SHEET_CHARS = /[:\\/?*[\]]/;

/**
 * Excel's rules for sheet names (1–31 characters, none of : \ / ? * [ ], no apostrophe first or last, unique ignoring
 * case): a name outside them (a 20-million-character name, two sheets of one name) makes the workbook damaged.
 */
function checkSheetName(name: string, seen: Set<string>): void {
  if (
    name.length === 0 ||
    name.length > 31 ||
    INVALID_SHEET_CHARS.test(name) ||
    name.startsWith("'") ||
    name.endsWith("'")
  ) {
    const shown = name.length > 40 ? `${name.slice(0, 40)}…` : name;
    throw new XlsxError("corrupt", { key: "sheet.name", params: { sheet: shown } });
  }
  const key = name.toLowerCase();
  if (seen.has(key)) throw new XlsxError("corrupt", { key: "sheet.duplicateName", params: { sheet: name } });
  seen.add(key);
}

/** Orientation, scale or fit to pages, and horizontal centring; undefined when the sheet sets none of them. */
function readPageSetup(root: XmlElement): PageSetupModel | undefined {
  const ps: PageSetupModel = {};
  const el = child(root, "pageSetup");
  const orientation = attr(el, "orientation");
  if (orientation === "landscape") ps.orientation = "Landscape";
  else if (orientation === "portrait") ps.orientation = "Portrait";
  const whole = (name: string, fallback?: number): number | undefined => {
    const n = Number(attr(el, name) ?? fallback);
    return Number.isInteger(n) && n >= 0 ? n : fallback;
  };
  const paper = whole("paperSize");
  if (paper !== undefined && paper > 0) ps.paperSize = paper;
  if (boolAttr(child(child(root, "sheetPr"), "pageSetUpPr"), "fitToPage", false)) {
    // Excel keeps a stale scale next to fitToPage; only the fit counts then. Both sizes default to 1 page.
    ps.fitToWidth = whole("fitToWidth", 1);
    ps.fitToHeight = whole("fitToHeight", 1);
  } else {
    const scale = whole("scale");
    if (scale !== undefined && scale >= 10 && scale <= 400) ps.scale = scale;
  }
  if (boolAttr(child(root, "printOptions"), "horizontalCentered", false)) ps.centerHorizontally = true;
  return Object.keys(ps).length ? ps : undefined;
}

/**
 * Reads `_xlnm.Print_Titles` ("'S'!$1:$2", or with title columns "'S'!$A:$A,'S'!$1:$2") into the sheet's print title
 * rows. Title columns have no place in the model: `lost` reports them.
 */
function readPrintTitles(text: string, sheet: SheetModel, lost: () => void): void {
  for (const part of text.match(/(?:'(?:[^']|'')*'|[^,])+/g) ?? []) {
    const area = part.slice(part.lastIndexOf("!") + 1).trim();
    const rows = /^\$?(\d+):\$?(\d+)$/.exec(area);
    if (rows) {
      const [a, b] = [Number(rows[1]) - 1, Number(rows[2]) - 1];
      sheet.pageSetup ??= {};
      sheet.pageSetup.printTitleRows = { r0: Math.min(a, b), r1: Math.max(a, b) };
    } else lost();
  }
}

type SheetContext = {
  sst: string[];
  styles: ReturnType<typeof readStyles>;
  name: string;
  say: (key: string, params?: Record<string, string | number>) => string;
  notCarried: string[];
};

/**
 * The worksheet's XML without its <sheetData>, for carrying the elements the model does not hold. The tokenizer has
 * already read the part as well-formed; one scan for the element's start and one for its end.
 */
function withoutSheetData(xml: string): string {
  const start = /<([A-Za-z0-9_]+:)?sheetData\b/.exec(xml);
  if (!start) return xml;
  const gt = xml.indexOf(">", start.index);
  if (gt < 0) return xml;
  if (xml[gt - 1] === "/") return xml.slice(0, start.index) + xml.slice(gt + 1);
  const close = `</${start[1] ?? ""}sheetData>`;
  const end = xml.indexOf(close, gt);
  return end < 0 ? xml : xml.slice(0, start.index) + xml.slice(end + close.length);
}

async function readSheet(zip: Package, part: string, xml: string, ctx: SheetContext): Promise<SheetModel> {
  // <sheetData> is read cell by cell, the rest of the sheet as a tree.
  const { data, root } = withPart(part, () =>
    readWorksheet(xml, { sst: ctx.sst, xfs: ctx.styles.xfs, budget: zip.budget }),
  );
  const sheet: SheetModel = {
    id: "",
    name: ctx.name,
    visibility: "Visible",
    rows: data.rows,
    merges: [],
    tables: [],
    validations: [],
    conditionalFormats: [],
    charts: [],
    columnWidths: new Map(),
    rowHeights: data.rowHeights,
    freeze: { rows: 0, columns: 0 },
    protected: false,
    customProperties: new Map(),
  };
  const tab = attr(child(child(root, "sheetPr"), "tabColor"), "rgb");
  if (tab && /^[0-9A-Fa-f]{6,8}$/.test(tab)) sheet.tabColor = "#" + tab.slice(-6).toUpperCase();
  const pane = child(child(child(root, "sheetViews"), "sheetView"), "pane");
  const paneState = attr(pane, "state");
  if (pane && (paneState === "frozen" || paneState === "frozenSplit")) {
    sheet.freeze = { rows: Number(attr(pane, "ySplit") ?? 0), columns: Number(attr(pane, "xSplit") ?? 0) };
  }
  if (data.hiddenRows.size) sheet.hiddenRows = data.hiddenRows;
  const hiddenColumns = new Set<number>();
  for (const col of children(child(root, "cols"), "col")) {
    const width = attr(col, "width");
    const custom = width !== undefined && boolAttr(col, "customWidth", false);
    const hidden = boolAttr(col, "hidden", false);
    if (!custom && !hidden) continue;
    const pt = Math.round(Number(width) * POINTS_PER_WIDTH_UNIT * 100) / 100;
    const min = Number(attr(col, "min") ?? 1);
    const max = Math.min(Number(attr(col, "max") ?? min), 16384);
    for (let c = min; c <= max; c++) {
      if (custom) sheet.columnWidths.set(c - 1, pt);
      if (hidden) hiddenColumns.add(c - 1);
    }
  }
  if (hiddenColumns.size) sheet.hiddenColumns = hiddenColumns;
  for (const m of children(child(root, "mergeCells"), "mergeCell")) {
    const r = parseRect(attr(m, "ref") ?? "");
    if (r) sheet.merges.push(r);
  }
  const prot = child(root, "sheetProtection");
  sheet.protected = prot !== undefined && boolAttr(prot, "sheet", false);
  const af = child(root, "autoFilter");
  const afRef = parseRect(attr(af, "ref") ?? "");
  if (af && afRef) {
    const active = children(af, "filterColumn").length > 0;
    sheet.autoFilter = { ref: afRef, active: false };
    if (active) ctx.notCarried.push(ctx.say("filterCriteria", { sheet: ctx.name }));
  }
  let otherCf = 0;
  for (const cfEl of children(root, "conditionalFormatting")) {
    const ranges = parseSqref(attr(cfEl, "sqref") ?? "");
    for (const rule of children(cfEl, "cfRule")) {
      const cf = readCf(rule, ranges, ctx.styles.dxfs);
      if (cf) sheet.conditionalFormats.push(cf);
      else otherCf++;
    }
  }
  if (otherCf) ctx.notCarried.push(ctx.say("conditionalFormats", { n: otherCf, sheet: ctx.name }));
  for (const dv of children(child(root, "dataValidations"), "dataValidation")) {
    const v = readValidation(dv);
    if (v) sheet.validations.push(v);
  }
  const pageSetup = readPageSetup(root);
  if (pageSetup) sheet.pageSetup = pageSetup;
  const ext = child(root, "extLst");
  if (ext) {
    const names = new Set<string>();
    const walk = (el: XmlElement) => {
      names.add(local(el.name));
      el.children.forEach(walk);
    };
    walk(ext);
    if (names.has("sparklineGroups")) ctx.notCarried.push(ctx.say("sparklines", { sheet: ctx.name }));
    if (names.has("dataValidations")) ctx.notCarried.push(ctx.say("extValidations", { sheet: ctx.name }));
  }

  const rels = await readRels(zip, part);
  const relById = new Map(rels.map((r) => [r.id, r]));
  // What the model does not hold (comments, hyperlinks, headers and footers …) is carried as written.
  const carried = carriedSheetOf(withoutSheetData(xml), readPackageRels(zip.parts, part));
  if (carried) sheet.carried = carried;
  for (const tp of children(child(root, "tableParts"), "tablePart")) {
    const rel = relById.get(attr(tp, "id") ?? "");
    const xml = rel ? await text(zip, rel.target) : undefined;
    const table = xml && rel ? withPart(rel.target, () => readTable(xml)) : undefined;
    if (table) sheet.tables.push(table);
  }
  const drawingRel = relById.get(attr(child(root, "drawing"), "id") ?? "");
  if (drawingRel && relEnds(drawingRel, "drawing")) {
    sheet.charts = await readCharts(zip, drawingRel.target, sheet, ctx);
  }
  return sheet;
}

const CHART_DETAILS = /<(\w+:)?(dLbls|trendline|errBars|dPt|dTable|upDownBars|dropLines|hiLowLines|userShapes)\b/;

async function readCharts(zip: Package, part: string, sheet: SheetModel, ctx: SheetContext): Promise<ChartModel[]> {
  const xml = await text(zip, part);
  if (!xml) return [];
  const items = readDrawing(
    withPart(part, () => parseXml(xml)),
    sheet,
  );
  const rels = new Map((await readRels(zip, part)).map((r) => [r.id, r]));
  const charts: ChartModel[] = [];
  const modelled = new Set<number>();
  let simplified = 0;
  for (const [index, item] of items.entries()) {
    if (item.kind === "other") continue;
    const rel = rels.get(item.rid);
    const chartXml = rel && rel.type === REL_TYPE.chart ? await text(zip, rel.target) : undefined;
    const chart =
      chartXml && rel
        ? readChart(
            withPart(rel.target, () => parseXml(chartXml)),
            item,
          )
        : undefined;
    if (chart) {
      charts.push(chart);
      modelled.add(index);
      // Elements this module never writes: the chart came from elsewhere and loses them.
      if (chartXml && CHART_DETAILS.test(chartXml)) simplified++;
    }
  }
  // Pictures, shapes and charts of other kinds stay in the drawing as written, beside the charts the model holds.
  const anchors = carriedAnchorsOf(xml, readPackageRels(zip.parts, part), (i) => modelled.has(i));
  if (anchors) {
    sheet.carried ??= { namespaces: {}, ignorable: [], elements: [], rels: [] };
    sheet.carried.drawing = anchors;
  }
  if (simplified) ctx.notCarried.push(ctx.say("chartDetails", { n: simplified, sheet: ctx.name, part: "xl/charts" }));
  return charts;
}
