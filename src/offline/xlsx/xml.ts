/**
 * The XML of an .xlsx package: escaping for the writer; for the reader a tokenizer ({@link XmlTokenizer}, linear in
 * its input, strict about well-formedness) with a tree builder over it for the small parts. Sheet data and shared
 * strings (the large parts) are read from the tokens directly in sheet-read.ts.
 */
import { PackageError } from "./errors";

/** One parsed element. Names keep their prefix as written ("c:chart"); use {@link local} to compare. */
export type XmlElement = {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  /** Text directly inside the element (entities decoded), concatenated. */
  text: string;
};

/** Undoes OOXML's `_xHHHH_` escapes (used for control characters in cell text and names). */
export function decodeOoxmlEscapes(s: string): string {
  if (s.indexOf("_x") < 0) return s;
  return s.replace(/_x([0-9A-Fa-f]{4})_/g, (_w, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

// Characters XML 1.0 cannot carry, plus a literal "_xHHHH_" that would otherwise be decoded on the way back.
// Carriage returns are escaped too: XML parsers turn a raw CR into LF.
const NEEDS_OOXML_ESCAPE = /[\x00-\x08\x0B-\x1F\uFFFE\uFFFF]|_x[0-9A-Fa-f]{4}_/;
const OOXML_ESCAPE_ALL = /[\x00-\x08\x0B-\x1F\uFFFE\uFFFF]|_(?=x[0-9A-Fa-f]{4}_)/g;

/** Escapes text for element content, including OOXML `_xHHHH_` escapes for characters XML cannot hold. */
export function escapeText(s: string): string {
  let out = s;
  if (NEEDS_OOXML_ESCAPE.test(out)) {
    out = out.replace(OOXML_ESCAPE_ALL, (ch) => `_x${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}_`);
  }
  if (!/[&<>]/.test(out)) return out;
  return out.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Escapes text for an attribute value in double quotes. */
export function escapeAttr(s: string): string {
  return escapeText(s).replace(/"/g, "&quot;").replace(/\n/g, "&#10;").replace(/\r/g, "&#13;").replace(/\t/g, "&#9;");
}

/** The name without its namespace prefix. */
export function local(name: string): string {
  const i = name.indexOf(":");
  return i < 0 ? name : name.slice(i + 1);
}

/** The first child with the given local name. */
export function child(el: XmlElement | undefined, name: string): XmlElement | undefined {
  if (!el) return undefined;
  for (const c of el.children) if (local(c.name) === name) return c;
  return undefined;
}

/** All children with the given local name. */
export function children(el: XmlElement | undefined, name: string): XmlElement[] {
  return el ? el.children.filter((c) => local(c.name) === name) : [];
}

/** Follows a path of local names through first children. */
export function path(el: XmlElement | undefined, ...names: string[]): XmlElement | undefined {
  let cur = el;
  for (const n of names) cur = child(cur, n);
  return cur;
}

/** An attribute by local name ("id" finds "r:id"). */
export function attr(el: XmlElement | undefined, name: string): string | undefined {
  if (!el) return undefined;
  const direct = el.attrs[name];
  if (direct !== undefined) return direct;
  for (const k of Object.keys(el.attrs)) if (local(k) === name) return el.attrs[k];
  return undefined;
}

/** The `val` attribute of a child element, a common DrawingML shape. */
export function childVal(el: XmlElement | undefined, name: string): string | undefined {
  return attr(child(el, name), "val");
}

/** OOXML booleans: "1"/"true" are true; absent gives the fallback. */
export function boolAttr(el: XmlElement | undefined, name: string, fallback: boolean): boolean {
  const v = attr(el, name);
  if (v === undefined) return fallback;
  return v === "1" || v === "true";
}

/** Markup that is not well-formed: a {@link PackageError} with an `xml.*` detail (the importer adds the part). */
const damaged = (key: string, params: Record<string, string | number> = {}) =>
  new PackageError("damaged", { key: `xml.${key}`, params });

/**
 * Part bytes as text. OPC requires UTF-8 or UTF-16 and no other encoding declared (ECMA-376 Part 2 §8.1.4, [M1.17]);
 * a byte order mark decides, else the first bytes of `<?xml` (XML 1.0 Appendix F), else UTF-8. Bytes that are not
 * valid in their encoding are damage, not characters to replace.
 * @example decodeXmlBytes(new Uint8Array([0xff, 0xfe, 0x3c, 0, 0x61, 0, 0x2f, 0, 0x3e, 0])) // "<a/>"
 */
export function decodeXmlBytes(bytes: Uint8Array): string {
  let encoding = "utf-8";
  let skip = 0;
  const [b0, b1, b2] = bytes;
  if (b0 === 0xef && b1 === 0xbb && b2 === 0xbf) skip = 3;
  else if (b0 === 0xff && b1 === 0xfe) [encoding, skip] = ["utf-16le", 2];
  else if (b0 === 0xfe && b1 === 0xff) [encoding, skip] = ["utf-16be", 2];
  else if (b0 === 0x3c && b1 === 0x00) encoding = "utf-16le";
  else if (b0 === 0x00 && b1 === 0x3c) encoding = "utf-16be";
  let text: string;
  try {
    text = new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(bytes.subarray(skip));
  } catch (e) {
    // By name: the platform's TextDecoder may throw from another realm (test runners), where instanceof fails.
    if ((e as { name?: unknown } | null)?.name === "TypeError")
      throw damaged("bytes", { encoding: encoding.toUpperCase() });
    throw e;
  }
  const declared = /^<\?xml[^>]*?\sencoding\s*=\s*["']([^"']*)["']/.exec(text.slice(0, 200))?.[1];
  if (declared !== undefined && !/^utf-?(8|16)$/i.test(declared)) {
    throw damaged("encoding", { encoding: declared.slice(0, 40) });
  }
  return text;
}

/** The five entities XML predefines; a package may declare no others (DTDs are forbidden, [M1.18]). */
const ENTITY: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

/** Characters XML 1.0 §2.2 does not allow anywhere in a document, even escaped as character references. */
const NOT_XML_CHAR = /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]/;

function isXmlChar(code: number): boolean {
  return (
    code === 0x9 ||
    code === 0xa ||
    code === 0xd ||
    (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    (code >= 0x10000 && code <= 0x10ffff)
  );
}

/**
 * Decodes entity and character references in `s` (text or an attribute value). A reference that is not one of the
 * five predefined entities, a character reference to a character XML does not allow, or a bare `&` is damage.
 */
export function decodeEntities(s: string, at = 0): string {
  let amp = s.indexOf("&");
  if (amp < 0) return s;
  let out = "";
  let from = 0;
  while (amp >= 0) {
    const semi = s.indexOf(";", amp + 1);
    // The longest reference is "&#x10FFFF;" (10 characters) or "&#1114111;".
    if (semi < 0 || semi - amp > 12) throw damaged("ampersand", { at: at + amp });
    const body = s.slice(amp + 1, semi);
    let ch: string | undefined;
    if (body[0] === "#") {
      const code = /^#x[0-9a-fA-F]{1,6}$/.test(body)
        ? parseInt(body.slice(2), 16)
        : /^#[0-9]{1,7}$/.test(body)
          ? parseInt(body.slice(1), 10)
          : -1;
      if (!isXmlChar(code)) throw damaged("charRef", { ref: `&${body};`, at: at + amp });
      ch = String.fromCodePoint(code);
    } else {
      ch = ENTITY[body];
      if (ch === undefined) throw damaged("entity", { ref: `&${body};`, at: at + amp });
    }
    out += s.slice(from, amp) + ch;
    from = semi + 1;
    amp = s.indexOf("&", from);
  }
  return out + s.slice(from);
}

/** Whether `s[from, to)` holds a "&" (searched only there: a search past `to` would make tokenizing quadratic). */
function hasAmp(s: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (s.charCodeAt(i) === 38) return true;
  return false;
}

/** ASCII characters that may start (NAME_START) or continue (NAME_CHAR) an XML name: letters, _ and :; then digits, . and -. */
const NAME_START = new Uint8Array(128);
const NAME_CHAR = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  NAME_START[c] = /[A-Za-z_:]/.test(ch) ? 1 : 0;
  NAME_CHAR[c] = /[A-Za-z_:0-9.\-]/.test(ch) ? 1 : 0;
}

/** Tokens the tokenizer yields. A self-closing tag yields "start" then "end". */
export type XmlTokenKind = "start" | "end" | "text" | "eof";

/** No package part nests this deep; deeper is a crafted file (and would overflow recursive readers). */
const MAX_DEPTH = 256;

/**
 * A pull tokenizer over a whole XML document, linear in its length: every construct ends at the first occurrence of
 * its terminator, found with one forward search, so no input makes it scan a part twice. Comments and processing
 * instructions are skipped, CDATA sections are text, entity and character references are decoded, and anything that
 * is not well-formed XML throws {@link PackageError}: mismatched or unclosed tags, text or a second element outside the
 * root, a DTD ([M1.18]), undeclared entities, duplicate attributes, characters XML does not allow.
 * @example
 * const t = new XmlTokenizer('<a x="1">hi<!-- no --></a>');
 * t.next(); // "start" (t.name "a", t.attr("x") "1"); t.next(); // "text" (t.text() "hi"); t.next(); // "end"
 */
export class XmlTokenizer {
  kind: XmlTokenKind = "eof";
  /** Qualified name of the current start or end tag. */
  name = "";
  /** {@link name} without its prefix. */
  localName = "";
  /** The current start tag closes itself (`<a/>`); its "end" token follows at once. */
  selfClosing = false;
  /** The current text token is a CDATA section. */
  cdata = false;
  private pos = 0;
  private readonly stack: string[] = [];
  private readonly stackLocal: string[] = [];
  private pendingEnd = false;
  private rootSeen = false;
  private readonly names: string[] = [];
  private readonly values: string[] = [];
  private count = 0;
  private textFrom = 0;
  private textTo = 0;
  private decoded: string | undefined;

  constructor(private readonly xml: string) {
    const bad = NOT_XML_CHAR.exec(xml);
    if (bad) {
      const code = `U+${bad[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`;
      throw damaged("char", { code, at: bad.index });
    }
    // A byte order mark decoded into the text is not part of the document.
    if (xml.charCodeAt(0) === 0xfeff) this.pos = 1;
  }

  /** Elements open around the current position (a start token counts its own element). */
  get depth(): number {
    return this.stack.length + (this.pendingEnd ? 1 : 0);
  }

  /** Character offset of the tokenizer in the document, for messages. */
  get offset(): number {
    return this.pos;
  }

  /** Advances to the next token. */
  next(): XmlTokenKind {
    if (this.pendingEnd) {
      this.pendingEnd = false;
      this.selfClosing = false;
      return (this.kind = "end");
    }
    const xml = this.xml;
    const n = xml.length;
    for (;;) {
      const pos = this.pos;
      if (pos >= n) {
        if (this.stack.length) throw damaged("unclosed", { name: this.stack[this.stack.length - 1] });
        if (!this.rootSeen) throw damaged("noRoot");
        return (this.kind = "eof");
      }
      if (xml.charCodeAt(pos) !== 60 /* < */) {
        const lt = xml.indexOf("<", pos);
        const end = lt < 0 ? n : lt;
        this.pos = end;
        if (this.stack.length === 0) {
          if (xml.slice(pos, end).trim() !== "") throw damaged("outside", { at: pos });
          continue;
        }
        this.textFrom = pos;
        this.textTo = end;
        this.cdata = false;
        // References are checked here, so text no reader asks for is still well-formed.
        this.decoded = hasAmp(xml, pos, end) ? decodeEntities(xml.slice(pos, end), pos) : undefined;
        return (this.kind = "text");
      }
      const c1 = xml.charCodeAt(pos + 1);
      if (c1 === 47 /* / */) {
        const open = this.stack.pop();
        // The usual case, compared in place: the name of the open element, then optional spaces and ">".
        let gt = -1;
        if (open !== undefined && xml.startsWith(open, pos + 2)) {
          let j = pos + 2 + open.length;
          while (j < n && xml.charCodeAt(j) <= 32) j++;
          if (xml.charCodeAt(j) === 62) gt = j;
        }
        if (gt < 0) {
          const end = xml.indexOf(">", pos + 2);
          if (end < 0) throw damaged("unfinished", { at: pos });
          const name = xml.slice(pos + 2, Math.min(end, pos + 42)).trimEnd();
          if (open === undefined) throw damaged("stray", { name, at: pos });
          throw damaged("mismatch", { name, open, at: pos });
        }
        this.pos = gt + 1;
        this.name = open!;
        this.localName = this.stackLocal.pop()!;
        this.selfClosing = false;
        return (this.kind = "end");
      }
      if (c1 === 63 /* ? */) {
        const end = xml.indexOf("?>", pos + 2);
        if (end < 0) throw damaged("unfinished", { at: pos });
        if (/^xml\s/i.test(xml.slice(pos + 2, pos + 6)) && pos > (xml.charCodeAt(0) === 0xfeff ? 1 : 0)) {
          throw damaged("declaration", { at: pos });
        }
        this.pos = end + 2;
        continue;
      }
      if (c1 === 33 /* ! */) {
        if (xml.startsWith("<!--", pos)) {
          const end = xml.indexOf("-->", pos + 4);
          if (end < 0) throw damaged("unfinished", { at: pos });
          this.pos = end + 3;
          continue;
        }
        if (xml.startsWith("<![CDATA[", pos)) {
          if (this.stack.length === 0) throw damaged("outside", { at: pos });
          const end = xml.indexOf("]]>", pos + 9);
          if (end < 0) throw damaged("unfinished", { at: pos });
          this.textFrom = pos + 9;
          this.textTo = end;
          this.pos = end + 3;
          this.cdata = true;
          this.decoded = undefined;
          return (this.kind = "text");
        }
        if (xml.startsWith("<!DOCTYPE", pos)) throw damaged("dtd", { at: pos });
        throw damaged("markup", { at: pos });
      }
      return this.startTag(pos);
    }
  }

  private startTag(pos: number): XmlTokenKind {
    const xml = this.xml;
    const n = xml.length;
    if (this.rootSeen && this.stack.length === 0) throw damaged("secondRoot", { at: pos });
    let i = this.scanName(pos + 1);
    const name = xml.slice(pos + 1, i);
    const localName = local(name);
    this.count = 0;
    let selfClosing = false;
    for (;;) {
      const ws = i;
      while (i < n && xml.charCodeAt(i) <= 32) i++;
      if (i >= n) throw damaged("unfinished", { at: pos });
      const ch = xml.charCodeAt(i);
      if (ch === 62 /* > */) {
        i++;
        break;
      }
      if (ch === 47 /* / */) {
        if (xml.charCodeAt(i + 1) !== 62) throw damaged("attribute", { name, at: i });
        selfClosing = true;
        i += 2;
        break;
      }
      if (i === ws) throw damaged("attribute", { name, at: i });
      const nameEnd = this.scanName(i);
      const attrName = xml.slice(i, nameEnd);
      i = nameEnd;
      while (i < n && xml.charCodeAt(i) <= 32) i++;
      if (xml.charCodeAt(i) !== 61 /* = */) throw damaged("attribute", { name, at: i });
      i++;
      while (i < n && xml.charCodeAt(i) <= 32) i++;
      const quote = xml.charCodeAt(i);
      if (quote !== 34 && quote !== 39) throw damaged("attribute", { name, at: i });
      // One pass over the value: its end, and whether it needs decoding or normalising.
      let j = i + 1;
      let amp = false;
      let space = false;
      for (; j < n; j++) {
        const c = xml.charCodeAt(j);
        if (c === quote) break;
        if (c === 60 /* < */) throw damaged("attribute", { name, at: j });
        if (c === 38 /* & */) amp = true;
        else if (c === 9 || c === 10 || c === 13) space = true;
      }
      if (j >= n) throw damaged("attribute", { name, at: i });
      let value = xml.slice(i + 1, j);
      // Attribute-value normalisation (XML 1.0 §3.3.3): literal tabs and line breaks are spaces; references are not.
      if (space) value = value.replace(/\r\n|[\t\n\r]/g, " ");
      if (amp) value = decodeEntities(value, i + 1);
      for (let k = 0; k < this.count; k++) {
        if (this.names[k] === attrName) throw damaged("duplicateAttribute", { name, attribute: attrName, at: pos });
      }
      this.names[this.count] = attrName;
      this.values[this.count] = value;
      this.count++;
      i = j + 1;
    }
    this.pos = i;
    this.rootSeen = true;
    this.name = name;
    this.localName = localName;
    this.selfClosing = selfClosing;
    if (selfClosing) this.pendingEnd = true;
    else {
      this.stack.push(name);
      this.stackLocal.push(localName);
      if (this.stack.length > MAX_DEPTH) throw damaged("depth", { max: MAX_DEPTH, at: pos });
    }
    return (this.kind = "start");
  }

  /**
   * The end of the XML name starting at `from` (XML 1.0 §2.3, with every character from U+00C0 up allowed, as
   * NameStartChar almost is): throws when there is none, or when a character that cannot be in a name ends it.
   */
  private scanName(from: number): number {
    const xml = this.xml;
    const n = xml.length;
    const first = xml.charCodeAt(from);
    if (!(first >= 0xc0 || NAME_START[first] === 1))
      throw damaged("name", { name: xml.slice(from, from + 40), at: from });
    let i = from + 1;
    for (; i < n; i++) {
      const ch = xml.charCodeAt(i);
      if (ch < 128 ? NAME_CHAR[ch] !== 1 : ch < 0xc0 && ch !== 0xb7) break;
    }
    const end = i < n ? xml.charCodeAt(i) : 0;
    // A name ends at whitespace, "=", "/" or ">"; anything else there is a character no name may hold.
    if (!(end <= 32 || end === 61 || end === 47 || end === 62)) {
      throw damaged("name", { name: xml.slice(from, Math.min(n, i + 1, from + 40)), at: from });
    }
    return i;
  }

  /** Number of attributes of the current start tag. */
  get attrCount(): number {
    return this.count;
  }

  /** The current start tag's attribute by qualified name, else by local name ("id" finds "r:id"); decoded. */
  attr(name: string): string | undefined {
    let byLocal: string | undefined;
    for (let k = 0; k < this.count; k++) {
      const n = this.names[k];
      if (n === name) return this.values[k];
      if (
        byLocal === undefined &&
        n.length > name.length &&
        n.endsWith(name) &&
        n.charCodeAt(n.length - name.length - 1) === 58
      ) {
        byLocal = this.values[k];
      }
    }
    return byLocal;
  }

  /** All attributes of the current start tag, by qualified name. */
  attrs(): Record<string, string> {
    const out: Record<string, string> = {};
    for (let k = 0; k < this.count; k++) out[this.names[k]] = this.values[k];
    return out;
  }

  /** The current text token, references decoded (CDATA as written). */
  text(): string {
    if (this.decoded !== undefined) return this.decoded;
    return this.xml.slice(this.textFrom, this.textTo);
  }

  /** The current text token is only whitespace. */
  isWhitespace(): boolean {
    const xml = this.xml;
    for (let i = this.textFrom; i < this.textTo; i++) if (xml.charCodeAt(i) > 32) return false;
    return true;
  }

  /** On a start token: skips the element's content through its end token (still checking that it is well-formed). */
  skipElement(): void {
    const depth = this.depth;
    while (this.next() !== "eof") if (this.kind === "end" && this.stack.length < depth) return;
  }
}

/** Elements one tree may hold: a part's tree is kept whole in memory (about 200 bytes an element). */
export const MAX_TREE_ELEMENTS = 500_000;

/**
 * Reads the element whose start token is current (and all inside it) into a tree, leaving the tokenizer on its end
 * token. Text is decoded (references, and OOXML `_xHHHH_` escapes, which this module's writer adds for characters
 * XML cannot carry). `budget.elements` counts elements across calls; past {@link MAX_TREE_ELEMENTS} it throws
 * ("tooLarge").
 */
export function readElement(t: XmlTokenizer, budget = { elements: 0 }): XmlElement {
  const root: XmlElement = { name: t.name, attrs: ooxmlAttrs(t), children: [], text: "" };
  const stack: { el: XmlElement; text: string[] }[] = [{ el: root, text: [] }];
  const count = () => {
    if (++budget.elements > MAX_TREE_ELEMENTS) {
      throw new PackageError("tooLarge", {
        key: "tooLarge.elements",
        params: { max: MAX_TREE_ELEMENTS.toLocaleString("en-US") },
      });
    }
  };
  count();
  while (stack.length) {
    const kind = t.next();
    const top = stack[stack.length - 1];
    if (kind === "start") {
      count();
      const el: XmlElement = { name: t.name, attrs: ooxmlAttrs(t), children: [], text: "" };
      top.el.children.push(el);
      stack.push({ el, text: [] });
    } else if (kind === "text") top.text.push(t.text());
    else if (kind === "end") {
      if (top.text.length) top.el.text = decodeOoxmlEscapes(top.text.join(""));
      stack.pop();
    } else throw damaged("unclosed", { name: top.el.name });
  }
  return root;
}

function ooxmlAttrs(t: XmlTokenizer): Record<string, string> {
  const attrs = t.attrs();
  for (const k in attrs) attrs[k] = decodeOoxmlEscapes(attrs[k]);
  return attrs;
}

/**
 * Parses a whole XML document into a tree of its root element; text and attributes come decoded. Throws
 * {@link PackageError} for a document that is not well-formed, so the importer can report the part as damaged.
 * @example parseXml('<a x="1"><b>hi</b></a>').children[0].text // "hi"
 */
export function parseXml(xml: string): XmlElement {
  const t = new XmlTokenizer(xml);
  let root: XmlElement | undefined;
  while (t.next() !== "eof") if (t.kind === "start") root = readElement(t);
  if (!root) throw damaged("noRoot");
  return root;
}
