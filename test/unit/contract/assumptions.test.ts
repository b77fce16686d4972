/**
 * Every behaviour the offline host's README marks _assumption_ is a contract rule marked `assumption`, so the first
 * run of the self-test inside Excel settles it; and every such rule is named in the README.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { CONTRACT_RULES } from "../../../src/contract";

const README = fs.readFileSync(path.resolve(__dirname, "../../../src/offline/README.md"), "utf8");
const RULE_ID = /`([a-z][a-z0-9-]*\.[a-z0-9-]+)`/g;

/** Each _assumption_ mark with the rule ids named after it, up to the next mark or the end of its paragraph/item. */
function marks(text: string): { at: string; ids: string[] }[] {
  const re = /_assumptions?_/gi;
  const found = [...text.matchAll(re)];
  return found.map((m, i) => {
    const start = m.index ?? 0;
    const next = found[i + 1]?.index ?? text.length;
    const para = text.slice(start).search(/\n\s*\n|\n- /);
    const end = Math.min(next, para < 0 ? text.length : start + para);
    const span = text.slice(start, end);
    return { at: span.slice(0, 60).replace(/\s+/g, " "), ids: [...span.matchAll(RULE_ID)].map((x) => x[1]) };
  });
}

describe("assumptions of the offline host are self-test rules", () => {
  const byId = new Map(CONTRACT_RULES.map((r) => [r.id, r]));
  const found = marks(README);

  it("finds the README's assumptions", () => {
    expect(found.length).toBeGreaterThanOrEqual(6);
  });

  it("names at least one rule for every assumption, each one a rule marked assumption", () => {
    const problems = found.flatMap(({ at, ids }) =>
      ids.length === 0
        ? [`no rule named after "${at}"`]
        : ids.filter((id) => !byId.get(id)?.assumption).map((id) => `${id} (after "${at}") is not an assumption rule`),
    );
    expect(problems).toEqual([]);
  });

  it("names every assumption rule in the README", () => {
    const named = new Set(found.flatMap((m) => m.ids));
    const missing = CONTRACT_RULES.filter((r) => r.assumption && !named.has(r.id)).map((r) => r.id);
    expect(missing).toEqual([]);
  });
});
