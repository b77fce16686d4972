/**
 * The layering the README draws, checked on the source: folders import each other without cycles (host → formula,
 * never back), and only src/excel/ calls the Excel JS API (the CLI, the pane, the ribbon and the workbench go through
 * its operations). The boundary of the offline host's public entry is an ESLint rule (eslint.config.mjs).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { checkApi } from "../../scripts/check-api";

const ROOT = path.resolve(__dirname, "..", "..");
const SRC = path.join(ROOT, "src");

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(e.name) && !e.name.endsWith(".d.ts") ? [full] : [];
  });
}

/** Relative module specifiers of import / export … from / import() in a file, resolved to files under src/. */
function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, "utf8");
  const specs = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^;]*?from\s+"([^"]+)"|import\(\s*"([^"]+)"\s*\)/g)]
    .map((m) => m[1] ?? m[2])
    .filter((s) => s.startsWith("."));
  return specs.flatMap((s) => {
    const base = path.resolve(path.dirname(file), s);
    const found = [".ts", ".tsx", "/index.ts", "/index.tsx", ""].map((ext) => base + ext).find((f) => isFile(f));
    return found && found.startsWith(SRC) ? [found] : [];
  });
}

function isFile(f: string): boolean {
  return fs.existsSync(f) && fs.statSync(f).isFile();
}

/**
 * The unit of layering: a top-level folder of src/ (core, excel …); inside src/offline/ each subfolder (host, formula,
 * xlsx) and each root file (index, model, grid) on its own, since the entry re-exports what sits below it.
 */
function areaOf(file: string): string {
  const parts = path.relative(SRC, file).split(path.sep);
  if (parts[0] !== "offline") return parts.length === 1 ? parts[0].replace(/\.tsx?$/, "") : parts[0];
  return parts.length === 2 ? `offline/${parts[1].replace(/\.tsx?$/, "")}` : `offline/${parts[1]}`;
}

/** Strongly connected components of more than one node (Tarjan): the import cycles. */
function cycles(graph: Map<string, Set<string>>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const comp: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        comp.push(w);
      } while (w !== v);
      if (comp.length > 1) out.push(comp.sort());
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) visit(v);
  return out;
}

describe("architecture", () => {
  const files = sourceFiles(SRC);
  const edges = new Map<string, Set<string>>();
  const why = new Map<string, string>();
  for (const f of files) {
    const from = areaOf(f);
    if (!edges.has(from)) edges.set(from, new Set());
    for (const target of importsOf(f)) {
      const to = areaOf(target);
      if (to === from) continue;
      edges.get(from)!.add(to);
      why.set(`${from}→${to}`, `${path.relative(ROOT, f)} imports ${path.relative(ROOT, target)}`);
    }
  }

  it("finds the imports it checks (the offline host's layers are seen)", () => {
    expect(edges.get("offline/host")).toEqual(expect.any(Set));
    expect([...edges.get("offline/host")!]).toContain("offline/formula");
    expect([...edges.get("offline/formula")!]).toContain("offline/model");
  });

  it("has no import cycle between folders (host → formula, never back)", () => {
    const found = cycles(edges).map((c) => {
      const links = c.flatMap((a) => c.filter((b) => edges.get(a)?.has(b)).map((b) => why.get(`${a}→${b}`)));
      return `${c.join(" ↔ ")}: ${links.join("; ")}`;
    });
    expect(found).toEqual([]);
  });

  it("detects a cycle when there is one", () => {
    const g = new Map([
      ["a", new Set(["b"])],
      ["b", new Set(["c"])],
      ["c", new Set(["a"])],
      ["d", new Set(["a"])],
    ]);
    expect(cycles(g)).toEqual([["a", "b", "c"]]);
  });

  it("calls the Excel API from src/excel/ only: the CLI, the pane, the ribbon and the workbench use its operations", () => {
    // The contract rules (src/contract/) probe the API on purpose: they are the self-test, not product code.
    const outside = checkApi()
      .uses.filter((u) => !u.file.startsWith(`src${path.sep}excel${path.sep}`))
      .map((u) => `${u.file}:${u.line} ${u.member}`);
    expect(outside).toEqual([]);
  });
});
