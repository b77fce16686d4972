/**
 * What the tool does not model survives `plan-ledger summarize`: cell comments, hyperlinks, frozen panes, headers and
 * footers, margins and paper size of workbooks written by openpyxl and by LibreOffice. Read back by openpyxl (another
 * reader than ours), and the output opened and saved again by LibreOffice keeps them too.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { hasLibreOffice, libreOfficeOrSkip, toXlsx } from "../support/libreoffice";
import { ensureBuilt, json, runCli, tempDir } from "./harness";

const FIXTURES = path.join(__dirname, "../fixtures/openpyxl");
const PYTHON = "/usr/bin/python3"; // Debian's python3-openpyxl

type Annotations = Record<
  string,
  {
    /** By cell: the comment and the value of the cell it sits on. */
    comments: Record<string, { text: string; author: string; on: unknown }>;
    hyperlinks: Record<string, { target: string; on: unknown }>;
    freeze: string | null;
    header: string | null;
    footer: string | null;
    marginLeft: number;
    paperSize: number | null;
    gridlines: boolean | null;
    zoom: number | null;
  }
>;

/** What openpyxl finds in a file: comments, hyperlinks, panes, header and footer, margin, paper size, gridlines, zoom. */
function annotations(file: string): Annotations {
  const out = execFileSync(PYTHON, [path.join(FIXTURES, "read_annotations.py"), file], { encoding: "utf8" });
  return JSON.parse(out) as Annotations;
}

let dir: string;
const inputs: [string, string][] = [];

beforeAll(async () => {
  ensureBuilt();
  dir = tempDir("carry");
  const written = path.join(dir, "openpyxl.xlsx");
  execFileSync(PYTHON, [path.join(FIXTURES, "annotated_ledger.py"), written]);
  inputs.push(["written by openpyxl", "openpyxl.xlsx"]);
  if (libreOfficeOrSkip()) {
    // The same workbook opened and saved by LibreOffice: its own part names (xl/comments1.xml) and VML.
    const saved = await toXlsx(written, path.join(dir, "lo"));
    fs.copyFileSync(saved, path.join(dir, "libreoffice.xlsx"));
    inputs.push(["saved by LibreOffice", "libreoffice.xlsx"]);
  }
}, 180_000);

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe.each([
  ["written by openpyxl", "openpyxl"],
  ["saved by LibreOffice", "libreoffice"],
])("plan-ledger summarize on a workbook %s", (label, base) => {
  const input = `${base}.xlsx`;
  const out = `${base}.summary.xlsx`;
  const run = () => inputs.some(([l]) => l === label);

  it("keeps every comment, hyperlink, frozen pane, header, footer, margin, paper size, gridline and zoom setting", async () => {
    if (!run()) return; // the LibreOffice-saved input needs LibreOffice (libreOfficeOrSkip said why)
    const before = annotations(path.join(dir, input));
    // The fixture holds what the test is about: a test that found nothing to keep would prove nothing.
    expect(Object.keys(before["2025年台账"].comments)).toEqual(["C2", "F3"]);
    expect(before["2025年台账"].hyperlinks).toEqual({ H2: { target: "https://www.example.org/plan", on: "方案" } });
    expect(before["说明"].hyperlinks).toEqual({
      A2: { target: "https://www.example.org/template.xlsx", on: "模板下载" },
    });
    // LibreOffice converting headless writes no view settings (no view exists: panes, gridlines and zoom are gone,
    // seen with xlsx and .fods inputs alike), so those are checked on the openpyxl input; the notes sheet's panes are
    // ones the plan's structuring never sets.
    if (base === "openpyxl") {
      expect([before["2025年台账"].freeze, before["说明"].freeze]).toEqual(["A2", "B3"]);
      expect([before["2025年台账"].gridlines, before["2025年台账"].zoom]).toEqual([false, 85]);
    }

    const cli = await runCli(["summarize", input, "--as-of", "2025-10-15", "--json"], { cwd: dir });
    expect(cli.stderr).toBe("");
    expect(cli.code).toBe(0);
    const report = json(cli);
    expect(report.out).toBe(out);
    expect(report.notCarried).toEqual([]);

    const after = annotations(path.join(dir, out));
    // Structuring freezes the plan's header row (what the add-in does); a sheet that had no panes gets them then.
    const { freeze, ...plan } = after["2025年台账"];
    const { freeze: frozenBefore, ...planBefore } = before["2025年台账"];
    expect(plan).toEqual(planBefore);
    if (frozenBefore !== null) expect(freeze).toBe(frozenBefore);
    expect(after["说明"]).toEqual(before["说明"]);
    expect(Object.keys(after)).toContain(report.summarySheet);
  }, 180_000);

  it("writes a file LibreOffice opens, with the comments and hyperlinks still there", async () => {
    if (!run() || !hasLibreOffice()) return;
    const before = annotations(path.join(dir, input));
    const resaved = await toXlsx(path.join(dir, out), path.join(dir, `${base}-reopened`));
    const after = annotations(resaved);
    // Comment texts and cells: LibreOffice reads the authors of openpyxl's comments as " " (its re-save of the input
    // does too).
    const texts = (a: Annotations[string]) =>
      Object.fromEntries(Object.entries(a.comments).map(([cell, c]) => [cell, [c.text, c.on]]));
    for (const sheet of ["2025年台账", "说明"]) {
      expect(texts(after[sheet])).toEqual(texts(before[sheet]));
      expect(after[sheet].hyperlinks).toEqual(before[sheet].hyperlinks);
    }
  }, 180_000);
});
