import { PackageError } from "../../../../src/offline/xlsx/errors";
import { decodeXmlBytes, parseXml, XmlTokenizer } from "../../../../src/offline/xlsx/xml";

/** The tokens of a document as short strings: "<a x=1>", "text", "</a>". */
function tokens(xml: string): string[] {
  const t = new XmlTokenizer(xml);
  const out: string[] = [];
  while (t.next() !== "eof") {
    if (t.kind === "start") {
      const attrs = Object.entries(t.attrs()).map(([k, v]) => ` ${k}=${v}`);
      out.push(`<${t.name}${attrs.join("")}>`);
    } else if (t.kind === "end") out.push(`</${t.name}>`);
    else out.push(t.text());
  }
  return out;
}

/** The detail key (and parameters) of the damage a document is refused for. */
function damage(xml: string): { key: string; params: Record<string, unknown> } {
  try {
    tokens(xml);
  } catch (e) {
    if (e instanceof PackageError && e.kind === "damaged") return { key: e.detail.key, params: { ...e.detail.params } };
    throw e;
  }
  throw new Error(`accepted: ${xml.slice(0, 60)}`);
}

describe("XML tokenizer", () => {
  it("skips comments and processing instructions, reads CDATA as text and decodes references", () => {
    expect(
      tokens(
        `<?xml version="1.0"?>\n<!-- <row r="1"/> --><a x='1 &amp; 2' y="&#x41;&#66;"><?pi <c/>?><![CDATA[<c r="B7"/> & ]]>t&lt;&#x1F600;<b/></a>`,
      ),
    ).toEqual(["<a x=1 & 2 y=AB>", '<c r="B7"/> & ', "t<😀", "<b>", "</b>", "</a>"]);
  });

  it("normalises literal tabs and line breaks in attribute values, keeping character references", () => {
    expect(tokens('<a v="x\ty\r\nz&#10;w"/>')).toEqual(["<a v=x y z\nw>", "</a>"]);
  });

  it("finds attributes by local name and keeps prefixes in tag names", () => {
    const t = new XmlTokenizer('<x:c r:id="rId1" id="own"/>');
    t.next();
    expect([t.name, t.localName, t.attr("id"), t.attr("r:id")]).toEqual(["x:c", "c", "own", "rId1"]);
  });

  const short = (xml: string) => JSON.stringify(xml.length > 40 ? `${xml.slice(0, 36)}…` : xml);
  it.each(
    (
      [
        ["<a><b></a></b>", "xml.mismatch", { name: "a", open: "b" }],
        ["<a><b>", "xml.unclosed", { name: "b" }],
        ["<a/></a>", "xml.stray", { name: "a" }],
        ["<a>&nbsp;</a>", "xml.entity", { ref: "&nbsp;" }],
        ["<a>fish & chips</a>", "xml.ampersand", {}],
        ['<a x="&#0;"/>', "xml.charRef", { ref: "&#0;" }],
        ["<a>\u001b[31m</a>", "xml.char", { code: "U+001B" }],
        ['<!DOCTYPE a [<!ENTITY e "x">]><a>&e;</a>', "xml.dtd", {}],
        ["<a/><b/>", "xml.secondRoot", {}],
        ["<a/>text", "xml.outside", {}],
        ['<a x="1" x="2"/>', "xml.duplicateAttribute", { attribute: "x" }],
        ['<a x="1"y="2"/>', "xml.attribute", { name: "a" }],
        ["<a x=1/>", "xml.attribute", { name: "a" }],
        ['<a x="<"/>', "xml.attribute", { name: "a" }],
        ["<1a/>", "xml.name", {}],
        ["<a><!-- never closed </a>", "xml.unfinished", {}],
        ["<a><![CDATA[ never closed </a>", "xml.unfinished", {}],
        ['<a><?xml version="1.0"?></a>', "xml.declaration", {}],
        ["", "xml.noRoot", {}],
        ["<a" + "<b>".repeat(10), "xml.name", {}],
        ["<r>" + "<e>".repeat(300), "xml.depth", { max: 256 }],
      ] as const
    ).map(([xml, key, params]) => [short(xml), key, xml, params] as const),
  )("refuses %s as damaged (%s)", (_label, key, xml, params) => {
    const d = damage(xml);
    expect(d.key).toBe(key);
    expect(d.params).toMatchObject(params);
  });

  it("reports the place of the damage as a character offset", () => {
    expect(damage('<a>\n  <b x="1">\n  </c>\n</a>').params).toEqual({ name: "c", open: "b", at: 18 });
  });

  it("refuses 300,000 unclosed string items as soon as they nest too deep", () => {
    // The regular expressions it replaces looked for each "</si>" to the end of the part: 300,000 scans of 2.7 MB.
    expect(damage("<sst>" + "<si><t>a".repeat(300_000))).toEqual({ key: "xml.depth", params: { max: 256, at: 1025 } });
    expect(damage("<sst>" + "<si><t>a</t>".repeat(100))).toEqual({ key: "xml.unclosed", params: { name: "si" } });
  });

  it("builds trees with text decoded, including OOXML _xHHHH_ escapes", () => {
    const root = parseXml('<r><c n="a_x0009_b">x_x000D_y</c><d/></r>');
    expect(root.children.map((c) => [c.name, c.attrs, c.text])).toEqual([
      ["c", { n: "a\tb" }, "x\ry"],
      ["d", {}, ""],
    ]);
  });
});

describe("part bytes to text", () => {
  const utf16 = (s: string, bom: number[], le = true) =>
    Uint8Array.from([...bom, ...Array.from(s).flatMap((ch) => (le ? [ch.charCodeAt(0), 0] : [0, ch.charCodeAt(0)]))]);

  it("follows the byte order mark, else the first bytes of <?xml, else UTF-8", () => {
    const xml = '<?xml version="1.0" encoding="UTF-16"?><a>x</a>';
    expect(decodeXmlBytes(utf16(xml, [0xff, 0xfe]))).toBe(xml);
    expect(decodeXmlBytes(utf16(xml, [0xfe, 0xff], false))).toBe(xml);
    expect(decodeXmlBytes(utf16(xml, []))).toBe(xml);
    expect(decodeXmlBytes(Uint8Array.from([0xef, 0xbb, 0xbf, ...new TextEncoder().encode("<a>计划</a>")]))).toBe(
      "<a>计划</a>",
    );
  });

  it("refuses bytes that are not valid in their encoding, and encodings other than UTF-8 and UTF-16", () => {
    const invalid = () => decodeXmlBytes(Uint8Array.from([0x3c, 0x61, 0x3e, 0xc3, 0x28, 0x3c, 0x2f, 0x61, 0x3e]));
    expect(invalid).toThrow(PackageError);
    expect(invalid).toThrow("is not valid UTF-8");
    const gbk = new TextEncoder().encode('<?xml version="1.0" encoding="GBK"?><a/>');
    expect(() => decodeXmlBytes(gbk)).toThrow("declares the encoding GBK");
  });
});
