/**
 * A small XML toolkit for the parts of an .xlsx package: escaping for the writer and a tree parser for the reader.
 * Sheet data (the large part) is scanned separately in sheet-read.ts; the tree parser serves the small parts only.
 */

/** One parsed element. Names keep their prefix as written ("c:chart"); use {@link local} to compare. */
export type XmlElement = {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  /** Text directly inside the element (entities decoded), concatenated. */
  text: string;
};

const ENTITY: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

/** Decodes XML entities and character references. */
export function decodeXml(s: string): string {
  if (s.indexOf("&") < 0) return s;
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);/g, (whole, body: string) => {
    if (body[0] === "#") {
      const code = body[1] === "x" ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return String.fromCodePoint(code);
    }
    return ENTITY[body] ?? whole;
  });
}

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

const ATTR_RE = /([^\s=]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

/** Parses attributes from the inside of a start tag; entities and OOXML `_xHHHH_` escapes are decoded. */
export function parseAttrs(s: string): Record<string, string> {
  const attrs: Record<string, string> = {};
  ATTR_RE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = ATTR_RE.exec(s))) attrs[m[1]] = decodeOoxmlEscapes(decodeXml(m[2] ?? m[3] ?? ""));
  return attrs;
}

/**
 * Parses a whole XML document into a tree; text and attributes come decoded (entities and OOXML `_xHHHH_` escapes,
 * which this module's writer adds for characters XML cannot carry). Throws on a malformed document so the importer can report it as corrupt.
 * @example parseXml('<a x="1"><b>hi</b></a>').children[0].text // "hi"
 */
export function parseXml(xml: string): XmlElement {
  const root: XmlElement = { name: "#document", attrs: {}, children: [], text: "" };
  const stack: XmlElement[] = [root];
  let i = 0;
  const n = xml.length;
  while (i < n) {
    const lt = xml.indexOf("<", i);
    const top = stack[stack.length - 1];
    if (lt < 0) {
      top.text += decodeText(xml.slice(i));
      break;
    }
    if (lt > i) top.text += decodeText(xml.slice(i, lt));
    if (xml.startsWith("<!--", lt)) {
      const end = xml.indexOf("-->", lt + 4);
      if (end < 0) throw new Error("Unterminated comment");
      i = end + 3;
    } else if (xml.startsWith("<![CDATA[", lt)) {
      const end = xml.indexOf("]]>", lt + 9);
      if (end < 0) throw new Error("Unterminated CDATA");
      top.text += xml.slice(lt + 9, end);
      i = end + 3;
    } else if (xml[lt + 1] === "?" || xml[lt + 1] === "!") {
      const end = xml.indexOf(">", lt);
      if (end < 0) throw new Error("Unterminated declaration");
      i = end + 1;
    } else if (xml[lt + 1] === "/") {
      const end = xml.indexOf(">", lt);
      if (end < 0) throw new Error("Unterminated end tag");
      const name = xml.slice(lt + 2, end).trim();
      const open = stack.pop();
      if (!open || open.name !== name || stack.length === 0) throw new Error(`Mismatched end tag </${name}>`);
      i = end + 1;
    } else {
      const end = findTagEnd(xml, lt);
      const selfClosing = xml[end - 1] === "/";
      const inner = xml.slice(lt + 1, selfClosing ? end - 1 : end);
      const sp = inner.search(/\s/);
      const name = sp < 0 ? inner : inner.slice(0, sp);
      const el: XmlElement = { name, attrs: sp < 0 ? {} : parseAttrs(inner.slice(sp)), children: [], text: "" };
      top.children.push(el);
      if (!selfClosing) stack.push(el);
      i = end + 1;
    }
  }
  if (stack.length !== 1) throw new Error(`Unclosed element <${stack[stack.length - 1].name}>`);
  const docEl = root.children[0];
  if (!docEl) throw new Error("Empty XML document");
  return docEl;
}

function decodeText(raw: string): string {
  return decodeOoxmlEscapes(decodeXml(raw));
}

// A ">" inside a quoted attribute value does not end the tag.
function findTagEnd(xml: string, from: number): number {
  let quote = "";
  for (let j = from + 1; j < xml.length; j++) {
    const ch = xml[j];
    if (quote) {
      if (ch === quote) quote = "";
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === ">") return j;
  }
  throw new Error("Unterminated start tag");
}
