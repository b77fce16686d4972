/**
 * Offline validation of manifest.xml. `office-addin-manifest validate` posts the manifest to a Microsoft web service,
 * so this test checks the rules that most often break sideloading without it: schema element order, resource ids and
 * string limits, zh-CN overrides, icon files and sizes, the ExcelApi minimum and the ribbon function registrations.
 */
import * as fs from "node:fs";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "..", "..");
const DEV_ORIGIN = "https://localhost:3000/";

type XmlNode = { name: string; attrs: Record<string, string>; children: XmlNode[]; text: string; line: number };

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

function decode(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (whole, ref: string) => {
    if (ref[0] === "#") return String.fromCodePoint(ref[1] === "x" ? parseInt(ref.slice(2), 16) : Number(ref.slice(1)));
    const named = ENTITIES[ref];
    if (named === undefined) throw new Error(`Unknown XML entity ${whole}`);
    return named;
  });
}

/** A small stack-based XML reader: enough for a manifest (no DTDs, no CDATA); throws on mismatched tags. */
function parseXml(xml: string): XmlNode {
  const root: XmlNode = { name: "#document", attrs: {}, children: [], text: "", line: 0 };
  const stack: XmlNode[] = [root];
  const token =
    /<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<\/([\w:.-]+)\s*>|<([\w:.-]+)((?:\s+[\w:.-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>|([^<]+)|(<)/g;
  let match: RegExpExecArray | null;
  while ((match = token.exec(xml)) !== null) {
    const [whole, endName, startName, attrText, selfClose, text, stray] = match;
    const line = xml.slice(0, match.index).split("\n").length;
    const top = stack[stack.length - 1];
    if (stray !== undefined) throw new Error(`Malformed markup at line ${line}`);
    if (text !== undefined) {
      top.text += decode(text);
    } else if (endName !== undefined) {
      if (top.name !== endName) throw new Error(`Line ${line}: </${endName}> closes <${top.name}>`);
      stack.pop();
    } else if (startName !== undefined) {
      const attrs: Record<string, string> = {};
      for (const a of attrText.matchAll(/([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
        if (a[1] in attrs) throw new Error(`Line ${line}: duplicate attribute ${a[1]}`);
        attrs[a[1]] = decode(a[2] ?? a[3]);
      }
      const node: XmlNode = { name: startName, attrs, children: [], text: "", line };
      top.children.push(node);
      if (selfClose !== "/") stack.push(node);
    } else if (!whole.startsWith("<!--") && !whole.startsWith("<?")) {
      throw new Error(`Unexpected token at line ${line}`);
    }
  }
  if (stack.length !== 1) throw new Error(`Unclosed <${stack[stack.length - 1].name}>`);
  const elements = root.children;
  if (elements.length !== 1) throw new Error("An XML document has exactly one root element");
  return elements[0];
}

const local = (name: string): string => name.slice(name.indexOf(":") + 1);

function* walk(node: XmlNode): Generator<XmlNode> {
  yield node;
  for (const child of node.children) yield* walk(child);
}

function child(node: XmlNode, name: string): XmlNode {
  const found = node.children.find((c) => local(c.name) === name);
  if (!found) throw new Error(`<${node.name}> at line ${node.line} has no <${name}>`);
  return found;
}

/**
 * Checks that the children of every element named `parent` follow the schema's xs:sequence `order` (optional
 * elements may be missing, repeated ones must be adjacent) and that `required` ones are present.
 */
function orderProblems(doc: XmlNode, parent: string, order: string[], required: string[] = []): string[] {
  const problems: string[] = [];
  for (const node of walk(doc)) {
    if (local(node.name) !== parent) continue;
    let last = -1;
    for (const c of node.children) {
      const at = order.indexOf(local(c.name));
      if (at < 0) problems.push(`line ${c.line}: <${c.name}> is not a child of <${parent}>`);
      else if (at < last) problems.push(`line ${c.line}: <${c.name}> must come before <${order[last]}> in <${parent}>`);
      else last = at;
    }
    for (const name of required) {
      if (!node.children.some((c) => local(c.name) === name)) problems.push(`<${parent}> needs <${name}>`);
    }
  }
  return problems;
}

// Sequences from the TaskPaneApp and VersionOverridesV1_0 schemas (Microsoft's "manifest element ordering" page).
const SCHEMA_ORDER: [parent: string, order: string[], required?: string[]][] = [
  [
    "OfficeApp",
    [
      "Id",
      "AlternateId",
      "Version",
      "ProviderName",
      "DefaultLocale",
      "DisplayName",
      "Description",
      "IconUrl",
      "HighResolutionIconUrl",
      "SupportUrl",
      "AppDomains",
      "Hosts",
      "Requirements",
      "DefaultSettings",
      "Permissions",
      "Dictionary",
      "VersionOverrides",
      "ExtendedOverrides",
    ],
    ["Id", "Version", "ProviderName", "DefaultLocale", "DisplayName", "Description", "DefaultSettings", "Permissions"],
  ],
  ["Requirements", ["Sets", "Methods"]],
  ["VersionOverrides", ["Description", "Requirements", "Hosts", "Resources", "WebApplicationInfo", "EquivalentAddins"]],
  ["DesktopFormFactor", ["GetStarted", "FunctionFile", "ExtensionPoint"], ["ExtensionPoint"]],
  ["GetStarted", ["Title", "Description", "LearnMoreUrl"], ["Title", "Description"]],
  ["Group", ["OverriddenByRibbonApi", "Label", "Icon", "Control"], ["Label"]],
  [
    "Control",
    ["OverriddenByRibbonApi", "Label", "Supertip", "Icon", "Action", "Enabled", "Items"],
    ["Label", "Supertip"],
  ],
  ["Supertip", ["Title", "Description"], ["Title", "Description"]],
  ["Action", ["TaskpaneId", "SourceLocation", "Title", "FunctionName"]],
  ["Resources", ["Images", "Urls", "ShortStrings", "LongStrings"]],
];

type ResourceKind = "Images" | "Urls" | "ShortStrings" | "LongStrings";

/** Which resource collection a `resid` must name, by the referring element (and its parent). */
function expectedKind(node: XmlNode, parent: XmlNode): ResourceKind {
  const name = local(node.name);
  if (name === "Image") return "Images";
  if (name === "SourceLocation" || name === "FunctionFile" || name === "LearnMoreUrl") return "Urls";
  if (name === "Label" || name === "Title") return "ShortStrings";
  if (name === "Description" && ["Supertip", "GetStarted"].includes(local(parent.name))) return "LongStrings";
  throw new Error(`line ${node.line}: unexpected resid on <${node.name}>`);
}

type ResourceDef = { kind: ResourceKind; node: XmlNode };

function resources(doc: XmlNode): Map<string, ResourceDef> {
  const defs = new Map<string, ResourceDef>();
  const res = child(child(doc, "VersionOverrides"), "Resources");
  for (const group of res.children) {
    const kind = local(group.name) as ResourceKind;
    for (const def of group.children) {
      const id = def.attrs.id;
      if (defs.has(id)) throw new Error(`resource id ${id} is defined twice`);
      defs.set(id, { kind, node: def });
    }
  }
  return defs;
}

/** Every problem with resource ids: length, dangling references, wrong kind, unused definitions. */
function residProblems(doc: XmlNode): string[] {
  const problems: string[] = [];
  const defs = resources(doc);
  const used = new Set<string>();
  const visit = (node: XmlNode, parent: XmlNode): void => {
    const resid = node.attrs.resid;
    if (resid !== undefined) {
      used.add(resid);
      if (resid.length > 32) problems.push(`line ${node.line}: resid ${resid} is longer than 32 characters`);
      const def = defs.get(resid);
      const kind = expectedKind(node, parent);
      if (!def) problems.push(`line ${node.line}: resid ${resid} is not defined`);
      else if (def.kind !== kind)
        problems.push(`line ${node.line}: resid ${resid} is in ${def.kind}, expected ${kind}`);
    }
    for (const c of node.children) visit(c, node);
  };
  visit(doc, doc);
  for (const [id, def] of defs) {
    if (id.length > 32) problems.push(`line ${def.node.line}: resource id ${id} is longer than 32 characters`);
    if (!used.has(id)) problems.push(`line ${def.node.line}: resource ${id} is never used`);
  }
  return problems;
}

const CJK = /[\u4e00-\u9fff]/;

/** Strings over their limit (short 125, long 250) or without a Chinese zh-CN override. */
function stringProblems(doc: XmlNode): string[] {
  const problems: string[] = [];
  for (const [id, def] of resources(doc)) {
    if (def.kind !== "ShortStrings" && def.kind !== "LongStrings") continue;
    const limit = def.kind === "ShortStrings" ? 125 : 250;
    const zh = def.node.children.find((c) => local(c.name) === "Override" && c.attrs.Locale === "zh-CN");
    const values = [def.node.attrs.DefaultValue, ...def.node.children.map((c) => c.attrs.Value)];
    for (const value of values) {
      if (!value) problems.push(`${id}: empty value`);
      else if (value.length > limit) problems.push(`${id}: "${value}" is longer than ${limit} characters`);
    }
    if (!zh || !CJK.test(zh.attrs.Value ?? "")) problems.push(`${id}: no Chinese zh-CN override`);
  }
  for (const name of ["DisplayName", "Description"]) {
    const node = child(doc, name);
    const zh = node.children.find((c) => c.name === "Override" && c.attrs.Locale === "zh-CN");
    if (!zh || !CJK.test(zh.attrs.Value ?? "")) problems.push(`<${name}> has no Chinese zh-CN override`);
    const max = name === "DisplayName" ? 125 : 250;
    for (const v of [node.attrs.DefaultValue, zh?.attrs.Value ?? ""]) {
      if (v.length > max) problems.push(`<${name}> "${v}" is longer than ${max} characters`);
    }
  }
  return problems;
}

/** Width and height from a PNG's IHDR chunk; throws when the file is not a PNG. */
function pngSize(file: string): { width: number; height: number } {
  const head = fs.readFileSync(file).subarray(0, 24);
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  if (!head.subarray(0, 8).equals(signature) || head.toString("ascii", 12, 16) !== "IHDR") {
    throw new Error(`${file} is not a PNG`);
  }
  return { width: head.readUInt32BE(16), height: head.readUInt32BE(20) };
}

/** Maps a manifest URL on the dev origin to its file under the repository (assets are served from /assets/). */
function assetFile(url: string): string {
  if (!url.startsWith(`${DEV_ORIGIN}assets/`)) throw new Error(`${url} is not an asset on ${DEV_ORIGIN}`);
  return path.join(ROOT, url.slice(DEV_ORIGIN.length));
}

/** Every referenced icon must exist with the pixel size its reference (or file name) declares. */
function iconProblems(doc: XmlNode): string[] {
  const problems: string[] = [];
  const expectSize = (url: string, size: number, where: string): void => {
    const file = assetFile(url);
    if (!fs.existsSync(file)) {
      problems.push(`${where}: ${path.relative(ROOT, file)} does not exist`);
      return;
    }
    const { width, height } = pngSize(file);
    if (width !== size || height !== size) problems.push(`${where}: ${url} is ${width}×${height}, expected ${size}`);
  };
  expectSize(child(doc, "IconUrl").attrs.DefaultValue, 32, "IconUrl");
  expectSize(child(doc, "HighResolutionIconUrl").attrs.DefaultValue, 64, "HighResolutionIconUrl");
  const defs = resources(doc);
  for (const node of walk(doc)) {
    if (local(node.name) !== "Image" || node.attrs.size === undefined) continue;
    const def = defs.get(node.attrs.resid);
    if (def) expectSize(def.node.attrs.DefaultValue, Number(node.attrs.size), `line ${node.line}`);
  }
  for (const [id, def] of defs) {
    if (def.kind !== "Images") continue;
    const named = /-(\d+)\.png$/.exec(def.node.attrs.DefaultValue);
    if (!named) problems.push(`${id}: icon file names end in -<size>.png`);
    else expectSize(def.node.attrs.DefaultValue, Number(named[1]), id);
  }
  return problems;
}

const manifestXml = fs.readFileSync(path.join(ROOT, "manifest.xml"), "utf8");
const manifest = parseXml(manifestXml);

/** The manifest with one edit, for tests showing that a check catches a broken manifest. */
function broken(edit: (xml: string) => string): XmlNode {
  const xml = edit(manifestXml);
  if (xml === manifestXml) throw new Error("The edit did not change the manifest");
  return parseXml(xml);
}

describe("the XML reader used by the manifest test", () => {
  it("reads nested elements, attributes and entities", () => {
    const doc = parseXml(`<?xml version="1.0"?><a x="1 &amp; 2"><!-- c --><b:c y='z'/>t&lt;</a>`);
    expect(doc).toMatchObject({ name: "a", attrs: { x: "1 & 2" }, text: "t<", children: [{ name: "b:c" }] });
  });

  it("rejects a mismatched closing tag", () => {
    expect(() => parseXml("<a><b></a></b>")).toThrow("</a> closes <b>");
  });
});

describe("manifest.xml", () => {
  it("is a task pane add-in for Excel workbooks", () => {
    expect(manifest.name).toBe("OfficeApp");
    expect(manifest.attrs["xsi:type"]).toBe("TaskPaneApp");
    expect(child(manifest, "Id").text).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(child(manifest, "DefaultLocale").text).toBe("en-US");
    expect(child(child(manifest, "Hosts"), "Host").attrs.Name).toBe("Workbook");
    expect(child(manifest, "Permissions").text).toBe("ReadWriteDocument");
    expect(child(child(manifest, "DefaultSettings"), "SourceLocation").attrs.DefaultValue).toBe(
      `${DEV_ORIGIN}taskpane.html`,
    );
  });

  it("carries the package version as its four-part Version", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string };
    expect(child(manifest, "Version").text).toBe(`${pkg.version}.0`);
  });

  it("orders every element as the TaskPaneApp and VersionOverrides schemas require", () => {
    const problems = SCHEMA_ORDER.flatMap(([parent, order, required]) =>
      orderProblems(manifest, parent, order, required),
    );
    expect(problems).toEqual([]);
  });

  it("reports an element out of schema order", () => {
    const doc = broken((xml) => xml.replace(/(<Id>.*<\/Id>)\s*(<Version>.*<\/Version>)/, "$2$1"));
    expect(orderProblems(doc, "OfficeApp", SCHEMA_ORDER[0][1])).toEqual([
      expect.stringContaining("<Id> must come before <Version>"),
    ]);
  });

  it("requires ExcelApi 1.8 at least", () => {
    const sets = child(child(manifest, "Requirements"), "Sets");
    const excel = sets.children.find((s) => s.attrs.Name === "ExcelApi");
    expect(excel?.attrs.MinVersion ?? sets.attrs.DefaultMinVersion).toBe("1.8");
  });

  it("defines every resid it references, in the right resource kind, within 32 characters, and uses every one", () => {
    expect(residProblems(manifest)).toEqual([]);
  });

  it("reports a dangling resid and the resource left unused", () => {
    const doc = broken((xml) => xml.replace('<Label resid="Group.Label"/>', '<Label resid="Group.Labl"/>'));
    expect(residProblems(doc)).toEqual([
      expect.stringContaining("resid Group.Labl is not defined"),
      expect.stringContaining("resource Group.Label is never used"),
    ]);
  });

  it("keeps short strings within 125 and long strings within 250 characters, each with a zh-CN override", () => {
    expect(stringProblems(manifest)).toEqual([]);
  });

  it("reports a string without its zh-CN override", () => {
    const doc = broken((xml) => xml.replace('<bt:Override Locale="zh-CN" Value="生成汇总"/>', ""));
    expect(stringProblems(doc)).toEqual(["SummaryButton.Label: no Chinese zh-CN override"]);
  });

  it("labels the Home tab group Plan Ledger / 计划台账 with three buttons", () => {
    const tab = [...walk(manifest)].find((n) => n.name === "OfficeTab");
    expect(tab?.attrs.id).toBe("TabHome");
    const group = child(tab as XmlNode, "Group");
    const defs = resources(manifest);
    const label = defs.get(child(group, "Label").attrs.resid)?.node;
    expect(label?.attrs.DefaultValue).toBe("Plan Ledger");
    expect(label?.children[0].attrs.Value).toBe("计划台账");
    const actions = group.children
      .filter((c) => c.name === "Control")
      .map((c) => {
        const action = child(c, "Action");
        const source = action.children.find((a) => a.name === "SourceLocation");
        return {
          type: action.attrs["xsi:type"],
          pane: action.children.find((a) => a.name === "TaskpaneId")?.text,
          url: source && defs.get(source.attrs.resid)?.node.attrs.DefaultValue,
          fn: action.children.find((a) => a.name === "FunctionName")?.text,
        };
      });
    expect(actions).toEqual([
      { type: "ShowTaskpane", pane: "PlanLedger.Pane", url: `${DEV_ORIGIN}taskpane.html`, fn: undefined },
      { type: "ExecuteFunction", pane: undefined, url: undefined, fn: "generateSummary" },
      { type: "ShowTaskpane", pane: "PlanLedger.Pane", url: `${DEV_ORIGIN}taskpane.html?view=check`, fn: undefined },
    ]);
  });

  it("points the function file at commands.html", () => {
    const file = [...walk(manifest)].find((n) => n.name === "FunctionFile") as XmlNode;
    expect(resources(manifest).get(file.attrs.resid)?.node.attrs.DefaultValue).toBe(`${DEV_ORIGIN}commands.html`);
  });

  it("uses only https URLs", () => {
    const urls = [...walk(manifest)].flatMap((n) =>
      [n.attrs.DefaultValue, n.attrs.Value, n.text].filter((v): v is string => !!v && /^\w+:\/\//.test(v.trim())),
    );
    expect(urls.length).toBeGreaterThan(10);
    expect(urls.filter((u) => !u.startsWith("https://"))).toEqual([]);
  });

  it("references only icon files that exist in assets/ with the declared pixel size", () => {
    expect(iconProblems(manifest)).toEqual([]);
  });

  it("reports an icon whose file has the wrong size", () => {
    const doc = broken((xml) => xml.replace("assets/icon-32.png", "assets/icon-80.png"));
    expect(iconProblems(doc)).toContain(`IconUrl: ${DEV_ORIGIN}assets/icon-80.png is 80×80, expected 32`);
  });

  it("ships the add-in icon at 16, 32, 64, 80 and 128 px", () => {
    const sizes = [16, 32, 64, 80, 128].map((s) => pngSize(path.join(ROOT, "assets", `icon-${s}.png`)).width);
    expect(sizes).toEqual([16, 32, 64, 80, 128]);
  });

  it("registers every ExecuteFunction FunctionName with Office.actions.associate in src/commands", () => {
    const names = [...walk(manifest)].filter((n) => n.name === "FunctionName").map((n) => n.text.trim());
    expect(names).toEqual(["generateSummary"]);
    const dir = path.join(ROOT, "src", "commands");
    const sources = fs
      .readdirSync(dir)
      .filter((f) => /\.tsx?$/.test(f) && !/\.test\.tsx?$/.test(f))
      .map((f) => fs.readFileSync(path.join(dir, f), "utf8"))
      .join("\n");
    const registered = [...sources.matchAll(/Office\.actions\.associate\(\s*["'`]([^"'`]+)["'`]/g)].map((m) => m[1]);
    expect(names.filter((n) => !registered.includes(n))).toEqual([]);
  });
});
