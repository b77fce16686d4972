/**
 * What the task pane's first download holds (issue 18: ≤ 250 KB gzipped, measured by `npm run bench`): the modules
 * reachable from its entry through static imports. Steps other than Plan, the text-plan parser and the operations
 * that write summaries, imports, returns and templates are reached only through import(), which webpack splits into
 * chunks loaded on first use; a static import of one of them puts it back into the first download.
 */
import * as fs from "node:fs";
import * as path from "node:path";

const SRC = path.resolve(__dirname, "..", "..", "..", "src");

function resolveSpec(from: string, spec: string): string | undefined {
  const base = path.resolve(path.dirname(from), spec);
  return [".ts", ".tsx", "/index.ts", "/index.tsx"]
    .map((ext) => base + ext)
    .find((f) => fs.existsSync(f) && fs.statSync(f).isFile());
}

/** Relative static value imports of a file (`import type` and `export type` are erased by the compiler: left out). */
function staticImports(file: string): string[] {
  const text = fs.readFileSync(file, "utf8");
  const specs = [...text.matchAll(/(?:^|\n)\s*(import|export)(\s+type\b)?[^;]*?\bfrom\s+"([^"]+)"/g)]
    .filter((m) => m[2] === undefined)
    .map((m) => m[3])
    .filter((s) => s.startsWith("."));
  return specs.flatMap((s) => resolveSpec(file, s) ?? []);
}

function firstDownload(entry: string): Set<string> {
  const seen = new Set<string>();
  const todo = [entry];
  while (todo.length > 0) {
    const f = todo.pop()!;
    if (seen.has(f)) continue;
    seen.add(f);
    todo.push(...staticImports(f));
  }
  return new Set([...seen].map((f) => path.relative(SRC, f).split(path.sep).join("/")));
}

describe("the task pane's first download", () => {
  const reached = firstDownload(path.join(SRC, "taskpane", "index.tsx"));

  it("holds the pane, the Plan step and the operations it opens with", () => {
    // The walk itself is checked: without these the test below would pass on an empty set.
    for (const f of [
      "taskpane/App.tsx",
      "taskpane/components/PlanStep.tsx",
      "taskpane/components/RestoreSection.tsx",
      "excel/bind.ts",
      "excel/check.ts",
      "core/header.ts",
    ])
      expect(reached).toContain(f);
  });

  it.each([
    "taskpane/components/CheckStep.tsx",
    "taskpane/components/SummaryStep.tsx",
    "taskpane/components/ImportStep.tsx",
    "taskpane/components/CollectStep.tsx",
    "taskpane/components/StructurePreview.tsx",
    "taskpane/SelfTestApp.tsx",
    "core/textplan.ts",
    "core/narrative.ts",
    "excel/summary.ts",
    "excel/summary-all.ts",
    "excel/import.ts",
    "excel/collect.ts",
    "excel/template.ts",
    "excel/selftest.ts",
    "hosting/returns.ts",
    "contract/index.ts",
  ])("leaves %s to a chunk loaded on first use", (file) => {
    expect(fs.existsSync(path.join(SRC, file))).toBe(true);
    expect(reached).not.toContain(file);
  });
});
