/**
 * The requirement-set gate (scripts/check-api.js) run on small fixture files written to a temporary folder. Fixtures
 * import the real guard from src/excel/requirements.ts, as production code does.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { checkApi, clientSupport, compareVersions, manifestMinVersion, parseApiSet } from "../../scripts/check-api";
import type { CheckApiResult } from "../../scripts/check-api";

const ROOT = path.resolve(__dirname, "..", "..");
const HELPER = path.join(ROOT, "src", "excel", "requirements").replace(/\\/g, "/");

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "check-api-"));
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

let counter = 0;
/** Writes one fixture module (lines joined) and runs the gate on it alone. */
function check(lines: string[], minVersion = "1.8"): CheckApiResult {
  const file = path.join(dir, `fixture${++counter}.ts`);
  fs.writeFileSync(file, [`import { isApiSupported } from "${HELPER}";`, ...lines, ""].join("\n"));
  return checkApi({ files: [file], minVersion });
}

const summary = (r: CheckApiResult): string[] => r.violations.map((v) => `${v.member} ${v.set} line ${v.line}`);

const MERGES = [
  "  const areas = ws.getRange().getMergedAreasOrNullObject();",
  '  areas.load("address");',
  "  await ws.context.sync();",
  "  return areas.isNullObject ? [] : areas.address.split(',');",
];

describe("check:api requirement-set gate", () => {
  it("fails an ExcelApi 1.13 method called without a guard, and the 1.9 property it loads", () => {
    const r = check([
      "export async function merges(ws: Excel.Worksheet): Promise<string[]> {",
      ...MERGES,
      "}",
      "void isApiSupported;",
    ]);
    expect(summary(r)).toEqual([
      "Range.getMergedAreasOrNullObject ExcelApi 1.13 line 3",
      "RangeAreas.address ExcelApi 1.9 line 4",
    ]);
  });

  it("passes the same calls inside if (isApiSupported('1.13'))", () => {
    const r = check([
      "export async function merges(ws: Excel.Worksheet): Promise<string[]> {",
      '  if (isApiSupported("1.13")) {',
      ...MERGES,
      "  }",
      "  return [];",
      "}",
    ]);
    expect(r.violations).toEqual([]);
    expect(r.uses).toContainEqual(
      expect.objectContaining({ member: "Range.getMergedAreasOrNullObject", version: "1.13", guarded: true }),
    );
    expect(r.highestUsed).toBe("1.13");
  });

  it("fails a 1.13 call guarded only by a 1.9 check", () => {
    const r = check([
      "export function merges(ws: Excel.Worksheet): Excel.RangeAreas | undefined {",
      '  return isApiSupported("1.9") ? ws.getRange().getMergedAreasOrNullObject() : undefined;',
      "}",
    ]);
    expect(summary(r)).toEqual(["Range.getMergedAreasOrNullObject ExcelApi 1.13 line 3"]);
  });

  it("passes ExcelApi 1.1 members used anywhere", () => {
    const r = check([
      "export async function read(context: Excel.RequestContext): Promise<unknown[][]> {",
      '  const range = context.workbook.worksheets.getActiveWorksheet().getRange("A1:B2");',
      '  range.load("values,numberFormat,format/font/name");',
      "  await context.sync();",
      '  range.format.fill.color = "#FFFF00";',
      "  return range.values;",
      "}",
      "void isApiSupported;",
    ]);
    expect(r.violations).toEqual([]);
    expect(r.uses.map((u) => u.member)).toEqual(
      expect.arrayContaining(["Range.values", "Range.numberFormat", "RangeFont.name", "RangeFill.color"]),
    );
    expect(r.uses.every((u) => u.version === "1.1")).toBe(true);
  });

  it("passes uses after an early return on !isApiSupported, and inside the true arm of &&", () => {
    const r = check([
      "export function merges(ws: Excel.Worksheet): Excel.RangeAreas | undefined {",
      '  if (!isApiSupported("1.13")) {',
      "    return undefined;",
      "  }",
      "  return ws.getRange().getMergedAreasOrNullObject();",
      "}",
      "export function resize(t: Excel.Table, r: Excel.Range): boolean {",
      '  return isApiSupported("1.13") && (t.resize(r), true);',
      "}",
    ]);
    expect(r.violations).toEqual([]);
    expect(r.uses.filter((u) => u.version === "1.13")).toHaveLength(2);
  });

  it("treats a function named *_1_13 as guarded inside, and its unguarded call as a 1.13 use", () => {
    const r = check([
      "function merges_1_13(ws: Excel.Worksheet): Excel.RangeAreas {",
      "  return ws.getRange().getMergedAreasOrNullObject();",
      "}",
      "export function guarded(ws: Excel.Worksheet): Excel.RangeAreas | undefined {",
      '  return isApiSupported("1.13") ? merges_1_13(ws) : undefined;',
      "}",
      "export function unguarded(ws: Excel.Worksheet): Excel.RangeAreas {",
      "  return merges_1_13(ws);",
      "}",
    ]);
    expect(summary(r)).toEqual(["merges_1_13() ExcelApi 1.13 line 9"]);
  });

  it("does not accept a look-alike isApiSupported that is not the helper", () => {
    const file = path.join(dir, "lookalike.ts");
    fs.writeFileSync(
      file,
      [
        "const isApiSupported = (_v: string): boolean => true;",
        "export function merges(ws: Excel.Worksheet): Excel.RangeAreas | undefined {",
        '  return isApiSupported("1.13") ? ws.getRange().getMergedAreasOrNullObject() : undefined;',
        "}",
      ].join("\n"),
    );
    expect(checkApi({ files: [file], minVersion: "1.8" }).violations).toHaveLength(1);
  });

  it("checks a write against the setter's set and object-literal properties against their Excel type", () => {
    const lines = [
      "export function setup(context: Excel.RequestContext, range: Excel.Range): void {",
      '  context.workbook.application.calculationMode = "Manual";',
      '  range.dataValidation.rule = { list: { inCellDropDown: true, source: "=Lists!$A$2:$A$13" } };',
      "}",
      "void isApiSupported;",
    ];
    expect(check(lines, "1.8").violations).toEqual([]);
    expect(summary(check(lines, "1.7"))).toEqual([
      "Application.calculationMode ExcelApi 1.8 line 3",
      "DataValidation.rule ExcelApi 1.8 line 4",
      "Range.dataValidation ExcelApi 1.8 line 4",
      "DataValidationRule.list ExcelApi 1.8 line 4",
      "ListDataValidation.inCellDropDown ExcelApi 1.8 line 4",
      "ListDataValidation.source ExcelApi 1.8 line 4",
    ]);
  });

  it("exempts reading a loaded scalar property, since only the load reaches Excel", () => {
    const r = check([
      "export async function filtered(ws: Excel.Worksheet): Promise<boolean | undefined> {",
      "  let filter: Excel.AutoFilter | undefined;",
      '  if (isApiSupported("1.9")) {',
      "    filter = ws.autoFilter;",
      '    filter.load("enabled");',
      "  }",
      "  await ws.context.sync();",
      "  return filter ? filter.enabled : undefined;",
      "}",
    ]);
    expect(r.violations).toEqual([]);
    expect(r.uses).toContainEqual(expect.objectContaining({ member: "AutoFilter.enabled", kind: "read", line: 9 }));
    expect(r.uses).toContainEqual(expect.objectContaining({ member: "AutoFilter.enabled", kind: "load", line: 6 }));
  });

  it("reads the ExcelApi minimum from manifest.xml", () => {
    expect(manifestMinVersion(fs.readFileSync(path.join(ROOT, "manifest.xml"), "utf8"))).toBe("1.8");
    expect(manifestMinVersion('<Sets DefaultMinVersion="1.1"><Set Name="ExcelApi" MinVersion="1.9"/></Sets>')).toBe(
      "1.9",
    );
    expect(() => manifestMinVersion("<Sets/>")).toThrow("no ExcelApi minimum");
  });

  it("parses set tags, including per-direction ones and non-ExcelApi sets", () => {
    expect(parseApiSet("ExcelApi 1.13", false)).toEqual({ set: "ExcelApi 1.13", version: "1.13" });
    expect(parseApiSet("ExcelApi 1.1 for get, 1.8 for set", false).version).toBe("1.1");
    expect(parseApiSet("ExcelApi 1.1 for get, 1.8 for set", true).version).toBe("1.8");
    expect(parseApiSet("ExcelApiDesktop 1.1", false)).toEqual({ set: "ExcelApiDesktop 1.1", version: null });
    expect(compareVersions("1.13", "1.8")).toBeGreaterThan(0);
  });

  it("maps the sets needed to the Excel versions that run the add-in", () => {
    const result: CheckApiResult = {
      minVersion: "1.8",
      uses: [],
      violations: [],
      highestUsed: "1.13",
      highestUnguarded: "1.8",
    };
    expect(clientSupport(result).map((c) => [c.max, c.runs, c.full])).toEqual([
      ["1.1", false, false],
      ["1.7", false, false],
      ["1.14", true, true],
      ["1.17", true, true],
      ["current", true, true],
    ]);
  });
});
