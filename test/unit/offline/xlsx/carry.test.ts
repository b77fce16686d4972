/**
 * The .xlsx path keeps what it does not model: parts of the input reached from a sheet, a drawing, the workbook or the
 * package go into the output unchanged, with relationships renumbered and content types declared, however many
 * times the file goes through import and export.
 */
import JSZip from "jszip";
import { exportXlsx, importXlsx } from "../../../../src/offline/xlsx";
import { sheet, workbook } from "./builder";

const R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const PKG = "http://schemas.openxmlformats.org/package/2006/relationships";
const COMMENTS = `<?xml version="1.0" encoding="UTF-8"?>\n<comments xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><authors><author>张三</author></authors><commentList><comment ref="A2" authorId="0"><text><t>请在月底前完成</t></text></comment></commentList></comments>`;
const VML = `<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:x="urn:schemas-microsoft-com:office:excel"><v:shape type="#_x0000_t202"><x:ClientData ObjectType="Note"><x:Row>1</x:Row><x:Column>0</x:Column></x:ClientData></v:shape></xml>`;
const PICTURE_ANCHOR =
  "<xdr:oneCellAnchor><xdr:from><xdr:col>3</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>1</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from>" +
  '<xdr:ext cx="952500" cy="952500"/><xdr:pic><xdr:nvPicPr><xdr:cNvPr id="7" name="Logo"/><xdr:cNvPicPr/></xdr:nvPicPr>' +
  '<xdr:blipFill><a:blip r:embed="rIdPic"/><a:stretch><a:fillRect/></a:stretch></xdr:blipFill>' +
  '<xdr:spPr><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></xdr:spPr></xdr:pic><xdr:clientData/></xdr:oneCellAnchor>';
const PNG = new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10, 0, 0, 0, 0]);
const PRINTER = new Uint8Array([1, 2, 3, 4, 5]);

const rel = (id: string, type: string, target: string, external = false) =>
  `<Relationship Id="${id}" Type="${R}/${type}" Target="${target}"${external ? ' TargetMode="External"' : ""}/>`;
const relsXml = (...items: string[]) => `<Relationships xmlns="${PKG}">${items.join("")}</Relationships>`;

/** A workbook of ours, then edited the way other programs write: comments, a picture, a hyperlink, printer settings. */
async function annotated(): Promise<Uint8Array> {
  const base = workbook([
    sheet("台账", [
      ["月份", "工作任务"],
      ["1月", "科普宣传"],
    ]),
    sheet("说明", [["填报说明"]]),
  ]);
  const zip = await JSZip.loadAsync(await exportXlsx(base));
  const sheetPart = "xl/worksheets/sheet1.xml";
  const xml = (await zip.file(sheetPart)?.async("string")) ?? "";
  zip.file(
    sheetPart,
    xml
      // The relationships prefix declared on each element and not on the root, as openpyxl writes it.
      .replace(` xmlns:r="${R}"`, "")
      .replace("</sheetData>", `</sheetData><hyperlinks><hyperlink xmlns:r="${R}" ref="B2" r:id="link"/></hyperlinks>`)
      .replace(
        /<pageMargins[^>]*\/>/,
        '<pageMargins left="0.5" right="0.5" top="1" bottom="1" header="0.5" footer="0.5"/>',
      )
      .replace(
        "</worksheet>",
        `<pageSetup xmlns:r="${R}" paperSize="9" orientation="landscape" r:id="printer"/>` +
          "<headerFooter><oddFooter>&amp;R第 &amp;P 页</oddFooter></headerFooter>" +
          `<drawing xmlns:r="${R}" r:id="pictures"/><legacyDrawing xmlns:r="${R}" r:id="anysvml"/></worksheet>`,
      ),
  );
  zip.file(
    "xl/worksheets/_rels/sheet1.xml.rels",
    relsXml(
      rel("link", "hyperlink", "https://www.example.org/plan", true),
      rel("printer", "printerSettings", "../printerSettings/printerSettings1.bin"),
      rel("comments", "comments", "/xl/comments/comment1.xml"),
      rel("anysvml", "vmlDrawing", "/xl/drawings/commentsDrawing1.vml"),
      rel("pictures", "drawing", "../drawings/drawing1.xml"),
    ),
  );
  zip.file("xl/printerSettings/printerSettings1.bin", PRINTER);
  zip.file("xl/comments/comment1.xml", COMMENTS);
  zip.file("xl/drawings/commentsDrawing1.vml", VML);
  zip.file(
    "xl/drawings/drawing1.xml",
    '<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing" ' +
      `xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:r="${R}">${PICTURE_ANCHOR}</xdr:wsDr>`,
  );
  zip.file("xl/drawings/_rels/drawing1.xml.rels", relsXml(rel("rIdPic", "image", "../media/image1.png")));
  zip.file("xl/media/image1.png", PNG);
  zip.file(
    "docProps/core.xml",
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>科协办公室</dc:creator></cp:coreProperties>',
  );
  zip.file(
    "docProps/app.xml",
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" ' +
      'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><Application>Microsoft Excel</Application>' +
      '<HeadingPairs><vt:vector size="2" baseType="variant"><vt:variant><vt:lpstr>工作表</vt:lpstr></vt:variant>' +
      "<vt:variant><vt:i4>1</vt:i4></vt:variant></vt:vector></HeadingPairs>" +
      '<TitlesOfParts><vt:vector size="1" baseType="lpstr"><vt:lpstr>Sheet1</vt:lpstr></vt:vector></TitlesOfParts>' +
      "<Manager>王主任</Manager><Company>市科协</Company><TitlesOfParts/></Properties>",
  );
  const root = (await zip.file("_rels/.rels")?.async("string")) ?? "";
  zip.file(
    "_rels/.rels",
    root.replace(
      "</Relationships>",
      '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>' +
        `${rel("rId3", "extended-properties", "docProps/app.xml")}</Relationships>`,
    ),
  );
  const types = (await zip.file("[Content_Types].xml")?.async("string")) ?? "";
  zip.file(
    "[Content_Types].xml",
    types.replace(
      "</Types>",
      '<Default Extension="vml" ContentType="application/vnd.openxmlformats-officedocument.vmlDrawing"/>' +
        '<Default Extension="png" ContentType="image/png"/>' +
        '<Default Extension="bin" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.printerSettings"/>' +
        '<Override PartName="/xl/comments/comment1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml"/>' +
        '<Override PartName="/xl/drawings/drawing1.xml" ContentType="application/vnd.openxmlformats-officedocument.drawing+xml"/>' +
        '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>' +
        '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>',
    ),
  );
  return zip.generateAsync({ type: "uint8array" });
}

type Rel = { id: string; type: string; target: string; external: boolean };

function relsOf(xml: string): Rel[] {
  return [...xml.matchAll(/<Relationship ([^>]*)\/>/g)].map((m) => {
    const a = (name: string) => new RegExp(`${name}="([^"]*)"`).exec(m[1])?.[1] ?? "";
    return { id: a("Id"), type: a("Type"), target: a("Target"), external: a("TargetMode") === "External" };
  });
}

function resolve(from: string, target: string): string {
  if (target.startsWith("/")) return target.slice(1);
  const out = from.split("/").slice(0, -1);
  for (const p of target.split("/")) {
    if (p === "..") out.pop();
    else if (p !== ".") out.push(p);
  }
  return out.join("/");
}

/** What is wrong with a package: relationships to missing parts or with repeated ids, parts without a content type. */
async function packageProblems(zip: JSZip): Promise<string[]> {
  const problems: string[] = [];
  const names = Object.keys(zip.files).filter((n) => !zip.files[n].dir);
  const types = (await zip.file("[Content_Types].xml")?.async("string")) ?? "";
  const defaults = new Set([...types.matchAll(/<Default Extension="([^"]+)"/g)].map((m) => m[1].toLowerCase()));
  const overrides = new Set([...types.matchAll(/<Override PartName="\/([^"]+)"/g)].map((m) => m[1]));
  for (const o of overrides) if (!names.includes(o)) problems.push(`override for missing ${o}`);
  for (const name of names) {
    if (name === "[Content_Types].xml") continue;
    const ext = /\.([^./]+)$/.exec(name)?.[1]?.toLowerCase() ?? "";
    if (!overrides.has(name) && !defaults.has(ext)) problems.push(`no content type for ${name}`);
    const m = /^(.*?)_rels\/([^/]+)\.rels$/.exec(name);
    if (!m) continue;
    const source = `${m[1]}${m[2]}`;
    const rels = relsOf((await zip.file(name)?.async("string")) ?? "");
    const ids = rels.map((r) => r.id);
    if (new Set(ids).size !== ids.length) problems.push(`repeated relationship ids in ${name}`);
    for (const r of rels) {
      if (!r.external && !names.includes(resolve(source, r.target)))
        problems.push(`${name}: ${r.id} → missing ${r.target}`);
    }
  }
  return problems;
}

describe("exportXlsx carries what importXlsx did not model", () => {
  it("writes comments, the picture, the hyperlink, printer settings, margins, footer and core properties back unchanged", async () => {
    const input = await annotated();
    const model = await importXlsx(input);
    expect(model.notCarried).toEqual([]);
    const out = await JSZip.loadAsync(await exportXlsx(model));
    expect(await packageProblems(out)).toEqual([]);

    expect(await out.file("xl/comments/comment1.xml")?.async("string")).toBe(COMMENTS);
    expect(await out.file("xl/drawings/commentsDrawing1.vml")?.async("string")).toBe(VML);
    expect(await out.file("xl/media/image1.png")?.async("uint8array")).toEqual(PNG);
    expect(await out.file("xl/printerSettings/printerSettings1.bin")?.async("uint8array")).toEqual(PRINTER);
    expect(await out.file("docProps/core.xml")?.async("string")).toContain("科协办公室");
    // The extended properties keep the user's company and manager and the creating program; their list of sheets,
    // stale once the tool adds one, is left out (Excel writes it again on save).
    expect(await out.file("docProps/app.xml")?.async("string")).toBe(
      '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" ' +
        'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><Application>Microsoft Excel</Application>' +
        "<Manager>王主任</Manager><Company>市科协</Company></Properties>",
    );

    const sheetXml = (await out.file("xl/worksheets/sheet1.xml")?.async("string")) ?? "";
    const rels = relsOf((await out.file("xl/worksheets/_rels/sheet1.xml.rels")?.async("string")) ?? "");
    const byType = (t: string) => rels.find((r) => r.type === `${R}/${t}`);
    expect(byType("hyperlink")).toMatchObject({ target: "https://www.example.org/plan", external: true });
    expect(sheetXml).toContain(`<hyperlink xmlns:r="${R}" ref="B2" r:id="${byType("hyperlink")?.id}"/>`);
    expect(rels.map((r) => r.id)).toEqual(["rId1", "rId2", "rId3", "rId4", "rId5"]);
    expect(sheetXml).toContain(`<legacyDrawing xmlns:r="${R}" r:id="${byType("vmlDrawing")?.id}"/>`);
    expect(byType("comments")?.target).toBe("../comments/comment1.xml");
    // Printer settings kept beside the paper size and orientation the model writes (the local xmlns:r comes along).
    expect(sheetXml).toContain(
      `<pageSetup xmlns:r="${R}" r:id="${byType("printerSettings")?.id}" paperSize="9" orientation="landscape"/>`,
    );
    expect(sheetXml).toContain('<pageMargins left="0.5" right="0.5" top="1" bottom="1" header="0.5" footer="0.5"/>');
    expect(sheetXml).toContain("<headerFooter><oddFooter>&amp;R第 &amp;P 页</oddFooter></headerFooter>");
    // CT_Worksheet order: hyperlinks, pageMargins, pageSetup, headerFooter, drawing, legacyDrawing.
    const at = (tag: string) => sheetXml.indexOf(`<${tag}`);
    const order = ["hyperlinks", "pageMargins", "pageSetup", "headerFooter", "drawing", "legacyDrawing"].map(at);
    expect(order.every((i, k) => i > 0 && (k === 0 || i > order[k - 1]))).toBe(true);

    const drawing = (await out.file("xl/drawings/drawing1.xml")?.async("string")) ?? "";
    const drawingRels = relsOf((await out.file("xl/drawings/_rels/drawing1.xml.rels")?.async("string")) ?? "");
    expect(drawingRels).toEqual([{ id: "rId1", type: `${R}/image`, target: "../media/image1.png", external: false }]);
    expect(drawing).toContain(PICTURE_ANCHOR.replace('r:embed="rIdPic"', 'r:embed="rId1"'));
  });

  it("keeps the package the same through a second import and export: nothing doubled, nothing lost", async () => {
    const once = await exportXlsx(await importXlsx(await annotated()));
    const twice = await exportXlsx(await importXlsx(once));
    const [a, b] = await Promise.all([JSZip.loadAsync(once), JSZip.loadAsync(twice)]);
    expect(Object.keys(b.files).sort()).toEqual(Object.keys(a.files).sort());
    for (const name of Object.keys(a.files)) {
      expect({ name, bytes: await b.file(name)?.async("uint8array") }).toEqual({
        name,
        bytes: await a.file(name)?.async("uint8array"),
      });
    }
  });

  it("takes the carried sheet content along when the host renames the sheet and drops it with a deleted sheet", async () => {
    const model = await importXlsx(await annotated());
    model.sheets[0].name = "2025年台账";
    const renamed = await JSZip.loadAsync(await exportXlsx(model));
    expect(await renamed.file("xl/comments/comment1.xml")?.async("string")).toBe(COMMENTS);
    model.sheets.splice(0, 1);
    model.activeSheet = 0;
    const deleted = await JSZip.loadAsync(await exportXlsx(model));
    expect(deleted.file("xl/comments/comment1.xml")).toBeNull();
    expect(deleted.file("xl/media/image1.png")).toBeNull();
    expect(await packageProblems(deleted)).toEqual([]);
  });
});
