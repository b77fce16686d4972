import * as fs from "node:fs";
import * as path from "node:path";
import ts from "typescript";

const I18N = path.join(__dirname, "../../src/i18n");
const TASKPANE = path.join(__dirname, "../../src/taskpane");

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
const readCatalog = (file: string): Record<string, unknown> =>
  JSON.parse(fs.readFileSync(path.join(I18N, file), "utf8"));

const catalogFiles = fs.readdirSync(I18N).filter((f) => /\.(zh-CN|en-US)\.json$/.test(f));
const namespaces = [...new Set(catalogFiles.map((f) => f.replace(/\.(zh-CN|en-US)\.json$/, "")))].sort();

describe("message catalogs", () => {
  it("exist for the pane's namespaces", () => {
    expect(namespaces).toEqual(expect.arrayContaining(["errors", "ui"]));
  });

  it.each(namespaces)("%s exists in both zh-CN and en-US", (ns) => {
    expect(catalogFiles).toContain(`${ns}.zh-CN.json`);
    expect(catalogFiles).toContain(`${ns}.en-US.json`);
  });

  it.each(namespaces)("%s has the same keys, no empty message and the same placeholders in both languages", (ns) => {
    const zh = readCatalog(`${ns}.zh-CN.json`);
    const en = readCatalog(`${ns}.en-US.json`);
    expect(Object.keys(en).sort()).toEqual(Object.keys(zh).sort());
    const problems: string[] = [];
    for (const key of Object.keys(zh)) {
      const [z, e] = [zh[key], en[key]];
      if (typeof z !== "string" || z.trim() === "") problems.push(`${key}: zh-CN empty or not text`);
      if (typeof e !== "string" || e.trim() === "") problems.push(`${key}: en-US empty or not text`);
      if (typeof z === "string" && typeof e === "string" && placeholders(z).join() !== placeholders(e).join()) {
        problems.push(`${key}: placeholders {${placeholders(z).join(",")}} vs {${placeholders(e).join(",")}}`);
      }
    }
    expect(problems).toEqual([]);
  });
});

/** JSX props whose string value a user sees or a screen reader speaks. */
const TEXT_PROPS = new Set([
  "label",
  "title",
  "placeholder",
  "aria-label",
  "aria-description",
  "aria-valuetext",
  "alt",
  "hint",
  "validationMessage",
  "content",
]);
const WORDY = /[\p{L}]/u;

/** Literal user-visible strings in one TSX source: JSX text and text-like props given a string literal. */
export function findLiteralStrings(fileName: string, source: string): string[] {
  const sf = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  const found: string[] = [];
  const where = (n: ts.Node) => `${fileName}:${sf.getLineAndCharacterOfPosition(n.getStart()).line + 1}`;
  const literal = (e: ts.Node | undefined): string | undefined =>
    e && (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) ? e.text : undefined;
  const visit = (node: ts.Node) => {
    if (ts.isJsxText(node) && WORDY.test(node.text)) found.push(`${where(node)} text "${node.text.trim()}"`);
    if (
      (ts.isJsxExpression(node) && ts.isJsxElement(node.parent)) ||
      (ts.isJsxExpression(node) && ts.isJsxFragment(node.parent))
    ) {
      const text = literal(node.expression);
      if (text !== undefined && WORDY.test(text)) found.push(`${where(node)} child "${text}"`);
    }
    if (ts.isJsxAttribute(node) && TEXT_PROPS.has(node.name.getText(sf))) {
      const init = node.initializer;
      const text = init && ts.isJsxExpression(init) ? literal(init.expression) : literal(init);
      if (text !== undefined && WORDY.test(text)) found.push(`${where(node)} ${node.name.getText(sf)}="${text}"`);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

function tsxFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const full = path.join(dir, d.name);
    if (d.isDirectory()) return tsxFiles(full);
    return d.name.endsWith(".tsx") ? [full] : [];
  });
}

describe("task pane components", () => {
  it("the literal-string scan catches text, string props and string children in any script", () => {
    const bad = `const A = () => (
      <div title="Plan" aria-label={"计划"}>
        Structure
        <span>{"检查"}</span>
        <Input placeholder={\`YYYY\`} />
        <>{"Done"}</>
      </div>
    );`;
    expect(findLiteralStrings("bad.tsx", bad)).toHaveLength(6);
    const good = `const A = () => <div title={t("x")} className="root" data-x="y">{t("y")} {n} · ×</div>;`;
    expect(findLiteralStrings("good.tsx", good)).toEqual([]);
  });

  it("hold no literal user-visible strings: every text comes from the ui catalog", () => {
    const files = tsxFiles(TASKPANE);
    expect(files.length).toBeGreaterThan(3);
    const found = files.flatMap((f) => findLiteralStrings(path.relative(TASKPANE, f), fs.readFileSync(f, "utf8")));
    expect(found).toEqual([]);
  });
});
