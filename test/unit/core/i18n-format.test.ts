/**
 * format() splits a message into parts once and reuses them (issue 16 §10: findings format thousands of messages). It
 * must give what the two regular-expression passes it replaced gave, for every message of every catalog.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { format } from "../../../src/core/i18n";

/** The former implementation, as an oracle. */
function byRegex(text: string, params: Readonly<Record<string, string | number>>): string {
  return text
    .replace(/\{(\w+):([^|{}]*)\|([^{}]*)\}/g, (whole, name: string, one: string, other: string) =>
      name in params ? (Number(params[name]) === 1 ? one : other) : whole,
    )
    .replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

const DIR = path.join(__dirname, "../../../src/i18n");
const catalogs = fs
  .readdirSync(DIR)
  .filter((f) => f.endsWith(".json"))
  .map((f) => [f, JSON.parse(fs.readFileSync(path.join(DIR, f), "utf8")) as Record<string, string>] as const);

describe("format", () => {
  it.each(catalogs)(
    "formats every message of %s as before, with each parameter given, missing, 1 or many",
    (_f, catalog) => {
      for (const [key, text] of Object.entries(catalog)) {
        const names = [...text.matchAll(/\{(\w+)/g)].map((m) => m[1]);
        const variants: Record<string, string | number>[] = [
          {},
          Object.fromEntries(names.map((n) => [n, 1])),
          Object.fromEntries(names.map((n, i) => [n, i % 2 === 0 ? 2 : "文本{x}"])),
          Object.fromEntries(names.slice(1).map((n) => [n, 0])),
        ];
        for (const params of variants)
          expect([key, format(catalog, key, params)]).toEqual([key, byRegex(text, params)]);
      }
    },
  );

  it("keeps a placeholder it has no value for, and plurals for English counts", () => {
    const c = { a: "{n} {n:row|rows} in {sheet}", b: "共{n}项" };
    expect(format(c, "a", { n: 1 })).toBe("1 row in {sheet}");
    expect(format(c, "a", { n: 3, sheet: "S" })).toBe("3 rows in S");
    expect(format(c, "b", { n: 3 })).toBe("共3项");
    expect(() => format(c, "missing")).toThrow("Missing message key: missing");
  });
});
