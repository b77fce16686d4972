/**
 * Hostile and broken inputs (issue 15), each built here, run through the CLI in a child process: every run ends with
 * exit 0 (the right reading), 1 (check found errors) or 2 (one line naming the file and the problem), within 60 s
 * and 1.5 GB, measured in the child (peak resident memory from process.resourceUsage, preloaded by
 * test/support/measure-child.js).
 */
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import type { WorkbookModel } from "../../src/offline";
import fc from "fast-check";
import { importXlsx, XlsxError } from "../../src/offline/xlsx";
import { bigLedger, writeXlsx } from "../fixtures/workbooks";
import {
  deflatedParts,
  formulaCell,
  numCell,
  pack,
  packageParts,
  planRows,
  planWithCalc,
  planXlsx,
  row,
  sheetXml,
  SPACES_MIB,
  textCell,
} from "../support/hostile-xlsx";
import { ensureBuilt, ROOT, tempDir } from "./harness";

const BIN = path.join(ROOT, "bin/plan-ledger.js");
const MEASURE = path.join(ROOT, "test/support/measure-child.js");
const MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
/** The issue's bounds for every input: 60 s and 1.5 GB on a 2-core machine. */
const LIMIT_MS = 60_000;
const LIMIT_KB = 1.5 * 1024 * 1024;
/** The notice the bin prints when it rebuilds (someone edited the sources during the run); not the CLI's output. */
const BUILD_NOTICE = /^plan-ledger: building the command line.*\n/gm;

type Run = {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
  kb: number;
};

let dir: string;
let runs = 0;
/** The slowest and the largest run, reported once at the end: how far from the bounds the suite ran. */
const worst = { ms: 0, kb: 0 };

/** Runs `plan-ledger args…` in the test folder, measuring wall time and the child's peak memory. */
function cli(args: readonly string[], env: Record<string, string> = {}): Promise<Run> {
  const measure = path.join(dir, `.measure-${++runs}.json`);
  const base: NodeJS.ProcessEnv = { ...process.env };
  for (const k of ["LANG", "LC_ALL", "LC_MESSAGES", "LANGUAGE", "PLAN_LEDGER_DEBUG"]) delete base[k];
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(process.execPath, ["-r", MEASURE, BIN, ...args], {
      cwd: dir,
      env: { ...base, PLAN_LEDGER_MEASURE: measure, ...env },
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (b: Buffer) => out.push(b));
    child.stderr.on("data", (b: Buffer) => err.push(b));
    child.on("error", reject);
    child.on("close", (code, signal) => {
      const ms = Date.now() - started;
      const kb = fs.existsSync(measure)
        ? (JSON.parse(fs.readFileSync(measure, "utf8")) as { maxRssKb: number }).maxRssKb
        : 0;
      fs.rmSync(measure, { force: true });
      resolve({
        code,
        signal,
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8").replace(BUILD_NOTICE, ""),
        ms,
        kb,
      });
    });
  });
}

/** Within the issue's bounds, with no stack trace anywhere. */
function bounded(r: Run): void {
  worst.ms = Math.max(worst.ms, r.ms);
  worst.kb = Math.max(worst.kb, r.kb);
  expect({ ms: r.ms < LIMIT_MS, kb: r.kb > 0 && r.kb < LIMIT_KB }).toEqual({ ms: true, kb: true });
  expect(r.stderr + r.stdout).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/);
}

/** A refusal: exit 2, nothing on stdout, one line on stderr starting with the file's name; returns the line. */
function refused(r: Run, file: string): string {
  bounded(r);
  expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 2, stdout: "" });
  expect(r.stderr).toMatch(/^[^\n]+\n$/);
  expect(r.stderr.startsWith(file)).toBe(true);
  return r.stderr.trim();
}

/** The JSON report of a successful run. */
function report(r: Run): Record<string, unknown> {
  bounded(r);
  if (r.code !== 0 && r.code !== 1) throw new Error(`exit ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

const put = (file: string, bytes: Uint8Array | string) => fs.writeFileSync(path.join(dir, file), bytes);

/** Cached values of the written workbook's sheet, by A1 reference (as the CLI computed and wrote them). */
async function cached(file: string, sheet: string, refs: string[]): Promise<unknown[]> {
  const model: WorkbookModel = await importXlsx(new Uint8Array(fs.readFileSync(path.join(dir, file))));
  const s = model.sheets.find((x) => x.name === sheet)!;
  return refs.map((ref) => {
    const m = /^([A-Z]+)(\d+)$/.exec(ref)!;
    const c = [...m[1]].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1;
    const v = s.rows.get(Number(m[2]) - 1)?.get(c)?.value;
    return typeof v === "object" && v !== null ? v.error : v;
  });
}

beforeAll(() => {
  ensureBuilt();
  dir = tempDir("hostile");
}, 180_000);

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
  console.log(`hostile inputs: ${runs} CLI runs, slowest ${worst.ms} ms, largest ${Math.round(worst.kb / 1024)} MB`);
});

describe("formulas over huge ranges, wildcards and deep chains", () => {
  it("evaluates COUNTIF/MATCH/VLOOKUP/COUNTBLANK over B1:XFC30000 on any sheet by the cells there are", async () => {
    put(
      "ranges.xlsx",
      planWithCalc(
        row(1, formulaCell("A1", 'COUNTIF(B1:XFC30000,"x*")', 0) + textCell("B1", "xa")) +
          row(2, formulaCell("A2", 'MATCH("y",D1:D30000,0)', 0)) +
          row(3, formulaCell("A3", 'VLOOKUP("xa",B1:XFC30000,1,FALSE)', 0)) +
          row(4, formulaCell("A4", "COUNTBLANK(B1:XFC30000)", 0)) +
          row(5, formulaCell("A5", 'COUNTIF(B1:XFC5000,"x*")', 0) + textCell("D5", "y")) +
          row(30000, textCell("XFC30000", "x-ray")),
      ),
    );
    const check = report(await cli(["check", "ranges.xlsx", "--json"]));
    expect(check.rows).toBe(3);
    report(await cli(["summarize", "ranges.xlsx", "--out", "ranges.out.xlsx", "--json", "--as-of", "2025-06-30"]));
    expect(await cached("ranges.out.xlsx", "Calc", ["A1", "A2", "A3", "A4", "A5"])).toEqual([
      2,
      5,
      "xa",
      30000 * 16382 - 3,
      1,
    ]);
  });

  it("matches *a*a*a*a*a*a*a*a*b against 100-character texts at once", async () => {
    const texts = Array.from({ length: 10 }, (_, i) => row(i + 1, textCell(`A${i + 1}`, "a".repeat(100)))).join("");
    put(
      "wildcard.xlsx",
      planWithCalc(
        texts +
          row(11, formulaCell("B11", 'COUNTIF(A1:A10,"*a*a*a*a*a*a*a*a*b")', 5)) +
          row(12, formulaCell("B12", 'COUNTIF(A1:A10,"*a*a*a*a*a*a*a*a*")', 5)),
      ),
    );
    report(await cli(["summarize", "wildcard.xlsx", "--out", "wildcard.out.xlsx", "--json"]));
    expect(await cached("wildcard.out.xlsx", "Calc", ["B11", "B12"])).toEqual([0, 10]);
  });

  it('evaluates a 100,000-deep chain of formulas, and gives #VALUE! for TEXT(1,"[Red") without failing the run', async () => {
    const N = 100_000;
    const chain = Array.from({ length: N }, (_, i) => {
      const red = i === 0 ? formulaCell("B1", 'TEXT(1,"[Red")', "x") : "";
      return row(i + 1, formulaCell(`A${i + 1}`, i === N - 1 ? "1" : `A${i + 2}+1`, 0) + red);
    }).join("");
    put("chain.xlsx", planWithCalc(chain));
    report(await cli(["summarize", "chain.xlsx", "--out", "chain.out.xlsx", "--json"]));
    expect(await cached("chain.out.xlsx", "Calc", ["A1", "A50000", "B1"])).toEqual([N, N / 2 + 1, "#VALUE!"]);
  }, 120_000);
});

describe("package and XML damage", () => {
  it("reads only the parts the workbook uses: two unreferenced 1 GiB entries cost nothing", async () => {
    const gib = deflatedParts([[SPACES_MIB, 1024]]);
    put("bomb.xlsx", pack([...packageParts(), ["xl/media/blob1.bin", gib], ["docProps/blob2.bin", gib]]));
    const r = report(await cli(["check", "bomb.xlsx", "--json"]));
    expect(r.rows).toBe(3);
  });

  it("refuses a sheet that inflates to 400 MB of whitespace, and 10,000 cached texts of 32,767 characters", async () => {
    const padded = deflatedParts([
      [`<?xml version="1.0" encoding="UTF-8"?>\n<worksheet xmlns="${MAIN}">`, 1],
      [SPACES_MIB, 400],
      [`<sheetData>${planRows()}</sheetData></worksheet>`, 1],
    ]);
    put("spaces.xlsx", pack(packageParts({ sheets: [{ name: "Plan", data: "", xml: padded }] })));
    expect(refused(await cli(["check", "spaces.xlsx"]), "spaces.xlsx")).toBe(
      "spaces.xlsx: This workbook is too large or damaged to read safely (xl/worksheets/sheet1.xml would inflate to 400 MB; the limit is 160 MB).",
    );
    const x = "x".repeat(32767);
    const rept = deflatedParts([
      [`<?xml version="1.0" encoding="UTF-8"?>\n<worksheet xmlns="${MAIN}"><sheetData>${planRows()}`, 1],
      ...Array.from(
        { length: 10_000 },
        (_, i) => [row(10 + i, `<c r="H${10 + i}" t="str"><f>REPT("x",32767)</f><v>${x}</v></c>`), 1] as const,
      ),
      ["</sheetData></worksheet>", 1],
    ]);
    put("rept.xlsx", pack(packageParts({ sheets: [{ name: "Plan", data: "", xml: rept }] })));
    expect(refused(await cli(["summarize", "rept.xlsx", "--lang", "zh-CN"]), "rept.xlsx")).toMatch(
      /^rept\.xlsx：该工作簿过大或已损坏，无法安全读取（xl\/worksheets\/sheet1\.xml 解压后将达 313\.\d MB，上限为 160 MB）。$/,
    );
  }, 120_000);

  it("refuses 300,000 unclosed string items at once, whether they compress well or not", async () => {
    put("sst.xlsx", planXlsx("", { sharedStrings: `<sst xmlns="${MAIN}">` + "<si><t>a".repeat(300_000) }));
    expect(refused(await cli(["check", "sst.xlsx"]), "sst.xlsx")).toMatch(
      /too large or damaged.*sharedStrings\.xml is compressed \d+:1/,
    );
    const varied = Array.from({ length: 300_000 }, (_, i) => `<si><t>${(i * 7919) % 100_003}`).join("");
    put("sst2.xlsx", planXlsx("", { sharedStrings: `<sst xmlns="${MAIN}">` + varied }));
    expect(refused(await cli(["check", "sst2.xlsx"]), "sst2.xlsx")).toMatch(
      /damaged and cannot be read \(xl\/sharedStrings\.xml: <si> inside a text value at character \d+\)/,
    );
  });

  it("refuses a wrong CRC, a part given twice and a missing </c>, naming the part", async () => {
    put("crc.xlsx", pack(packageParts(), { badCrc: "xl/worksheets/sheet1.xml" }));
    expect(refused(await cli(["check", "crc.xlsx"]), "crc.xlsx")).toContain(
      "xl/worksheets/sheet1.xml fails its CRC check",
    );
    put(
      "twice.xlsx",
      pack([...packageParts(), ["xl/worksheets/sheet1.xml", sheetXml(row(1, textCell("A1", "other")))]]),
    );
    expect(refused(await cli(["check", "twice.xlsx"]), "twice.xlsx")).toContain(
      "the zip holds xl/worksheets/sheet1.xml twice",
    );
    const noEnd = planRows().replace(/<\/c><\/row><row r="3">/, '</row><row r="3">');
    put("noend.xlsx", pack(packageParts({ sheets: [{ name: "Plan", data: noEnd }] })));
    expect(refused(await cli(["summarize", "noend.xlsx"]), "noend.xlsx")).toMatch(
      /sheet1\.xml: <\/row> at character \d+ closes <c>/,
    );
  });

  it("refuses rows numbered -5, 2.5, abc or 0, and cells beyond XFD or row 1,048,576", async () => {
    for (const [name, r] of [
      ["neg", "-5"],
      ["frac", "2.5"],
      ["abc", "abc"],
      ["zero", "0"],
    ]) {
      put(`row-${name}.xlsx`, planXlsx(`<row r="${r}">${numCell("A5", 1).replace(' r="A5"', "")}</row>`));
      expect(refused(await cli(["check", `row-${name}.xlsx`]), `row-${name}.xlsx`)).toContain(`a row numbered "${r}"`);
    }
    put("xfe.xlsx", planXlsx(row(6, textCell("XFE6", "far"))));
    expect(refused(await cli(["check", "xfe.xlsx"]), "xfe.xlsx")).toContain('cell "XFE6" lies outside the sheet');
    put("deep.xlsx", planXlsx(row(1048577, textCell("A1048577", "far"))));
    expect(refused(await cli(["check", "deep.xlsx"]), "deep.xlsx")).toContain('a row numbered "1048577"');
  });

  it("reads comments, processing instructions and CDATA in sheet data as XML means them", async () => {
    put(
      "markup.xlsx",
      planXlsx(
        `<!-- ${row(5, textCell("A5", "Apr 2025") + textCell("B5", "Hidden item") + textCell("C5", "Office"))} -->` +
          `<?pi <row r="5"/>?>` +
          row(
            6,
            textCell("A6", "May 2025") +
              '<c r="B6" t="inlineStr"><is><t><![CDATA[Fair & <expo>]]></t></is></c>' +
              '<![CDATA[<c r="D6"><v>99</v></c>]]>' +
              textCell("C6", "Office"),
          ),
      ),
    );
    const r = report(await cli(["check", "markup.xlsx", "--json"]));
    expect(r.rows).toBe(4);
    expect(r.findings).toEqual([]);
    report(await cli(["summarize", "markup.xlsx", "--out", "markup.out.xlsx", "--json"]));
    expect(await cached("markup.out.xlsx", "Plan", ["B5", "B6", "D6"])).toEqual([
      undefined,
      "Fair & <expo>",
      undefined,
    ]);
  });

  it("reads UTF-16 shared strings and sheets", async () => {
    const utf16 = (s: string) =>
      Uint8Array.from([0xff, 0xfe, ...Array.from(s).flatMap((ch) => [ch.charCodeAt(0) & 0xff, ch.charCodeAt(0) >> 8])]);
    const words = ["Month", "Activity", "Owner", "Jan 2025", "科普周", "办公室"];
    const sst = utf16(
      `<?xml version="1.0" encoding="UTF-16"?><sst xmlns="${MAIN}">${words.map((w) => `<si><t>${w}</t></si>`).join("")}</sst>`,
    );
    const s = (ref: string, i: number) => `<c r="${ref}" t="s"><v>${i}</v></c>`;
    const sheet = utf16(
      sheetXml(
        row(1, s("A1", 0) + s("B1", 1) + s("C1", 2)) + row(2, s("A2", 3) + s("B2", 4) + s("C2", 5)),
        '<?xml version="1.0" encoding="UTF-16"?>',
      ),
    );
    put("utf16.xlsx", pack(packageParts({ sheets: [{ name: "Plan", data: "", xml: sheet }], sharedStrings: sst })));
    const r = report(await cli(["check", "utf16.xlsx", "--json"]));
    expect([r.rows, r.columns]).toEqual([1, { month: "Month", activity: "Activity", owner: "Owner" }]);
    // Every cell read right: the only findings are the plan's, that it has no target and records no progress.
    expect((r.findings as { code: string; cell: string }[]).map((f) => [f.code, f.cell])).toEqual([
      ["column.missing", "A1:C1"],
      ["progress.untracked", "A1:C1"],
    ]);
  });

  it("refuses a 20-million-character sheet name as an invalid name", async () => {
    // Letters from a linear congruential generator: no run for deflate to shrink, so no ratio cap stops it first.
    const letters = new Uint8Array(20_000_000);
    let seed = 7;
    for (let i = 0; i < letters.length; i++) letters[i] = 97 + ((seed = (seed * 48271) % 2147483647) % 26);
    const name = new TextDecoder("latin1").decode(letters);
    put("longname.xlsx", pack(packageParts({ sheets: [{ name, data: planRows() }] })));
    expect(refused(await cli(["check", "longname.xlsx"]), "longname.xlsx")).toMatch(
      /damaged and cannot be read \(the sheet name "[a-z]{40}…" is not valid/,
    );
  }, 120_000);
});

describe("sheets the operations cannot read", () => {
  it("refuses a plan with a value in column XFD, or one reaching row 1,048,576, naming the cell", async () => {
    put("xfd.xlsx", planXlsx(row(6, textCell("XFD6", "far"))));
    expect(refused(await cli(["check", "xfd.xlsx"]), "xfd.xlsx")).toBe(
      "xfd.xlsx: sheet Plan has data in column XFD, the last column of a sheet (cell XFD6); a plan is read from columns A to XFC. Clear or move that cell and try again.",
    );
    put("far.xlsx", planXlsx(row(1048576, textCell("A1048576", "far"))));
    expect(refused(await cli(["summarize", "far.xlsx"]), "far.xlsx")).toMatch(
      /^far\.xlsx: sheet Plan reaches cell A1048576, so reading it means reading 5,242,880 cells/,
    );
  });
});

describe("terminal output", () => {
  it("escapes control characters from cell text and sheet names in text, and keeps them in JSON", async () => {
    put(
      "ctrl.xlsx",
      pack(
        packageParts({
          sheets: [
            { name: "Plan_x001B_(0;pwned_x0007_", data: planRows().replace("Science week", "Science_x001B_[31m week") },
          ],
        }),
      ),
    );
    const text = await cli(["check", "ctrl.xlsx"]);
    bounded(text);
    expect(text.code).toBe(0);
    expect(text.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    expect(text.stdout).toContain("plan sheet Plan\\x1B(0;pwned\\x07");
    const json = report(await cli(["check", "ctrl.xlsx", "--json"]));
    expect(json.sheet).toBe("Plan\u001b(0;pwned\u0007");
    const error = refused(await cli(["check", "ctrl.xlsx", "--sheet", "Other\u001b[2J"]), "ctrl.xlsx");
    expect(error).toBe("ctrl.xlsx: there is no sheet named Other\\x1B[2J; the sheets are: Plan\\x1B(0;pwned\\x07.");
  });
});

describe("inputs that are not files, and text too large to import", () => {
  it("refuses a FIFO, a folder and a file over 200 MB without reading them", async () => {
    const fifo = spawnSync("mkfifo", [path.join(dir, "pipe.xlsx")]);
    if (fifo.status === 0) {
      expect(refused(await cli(["check", "pipe.xlsx"]), "pipe.xlsx")).toBe(
        "pipe.xlsx is not a regular file (it is a pipe, a device or a socket); give the path of a saved file.",
      );
    } else console.warn("mkfifo is not available: the FIFO case is skipped");
    fs.mkdirSync(path.join(dir, "folder.xlsx"));
    expect(refused(await cli(["check", "folder.xlsx"]), "folder.xlsx")).toBe("folder.xlsx is a folder, not a file.");
    // Sparse: 250 MB long without taking the disk space.
    fs.closeSync(fs.openSync(path.join(dir, "huge.xlsx"), "w"));
    fs.truncateSync(path.join(dir, "huge.xlsx"), 250 * 1024 * 1024);
    expect(refused(await cli(["check", "huge.xlsx", "--lang", "zh-CN"]), "huge.xlsx")).toBe(
      "huge.xlsx 大小为 250 MB，超过了计划台账可读取的 200 MB。",
    );
  });

  it("imports 20,000 items within bounds; refuses a 50 MB text, 150,000 lines, or a text too slow to read, in one line", async () => {
    // A line of 32,000 digits took the reader's whole 30 s (the quantity pattern tried each digit as a number's start):
    // it is read now, as one item without a quantity.
    put("digits.txt", "一、9月份工作\n1. " + "1".repeat(32_000) + "\n");
    const digits = report(await cli(["import", "digits.txt", "--period-start", "2025-01", "--json"]));
    expect((digits.rows as { month: string; target: number | null }[]).map((x) => [x.month, x.target])).toEqual([
      ["2025-09", null],
    ]);
    const item = (n: number) => `${(n % 999) + 1}. 开展科普宣传活动第${n}项，共12次，由科普部负责`;
    const plan = (items: number) => {
      const lines = ["2025年度工作计划"];
      for (let n = 0; n < items; n++) {
        if (n % 999 === 0)
          lines.push(
            `${["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二"][(n / 999) % 12]}、${((n / 999) % 12) + 1}月份工作`,
          );
        lines.push(item(n));
      }
      return lines.join("\n") + "\n";
    };
    put("plan20k.txt", plan(20_000));
    const r = report(await cli(["import", "plan20k.txt", "--out", "plan20k.xlsx", "--json"]));
    const rows = r.rows as { month: string; owner: string; target: number; unit: string; line: number }[];
    expect(rows.length).toBe(20_000);
    expect([rows[0], rows[19_999]].map((x) => [x.month, x.owner, x.target, x.unit, x.line])).toEqual([
      ["2025-01", "科普部", 12, "次", 3],
      ["2025-09", "科普部", 12, "次", 20_022],
    ]);
    expect(r.table).toBe("Plan");
    const many = plan(150_000);
    put("plan150k.txt", many);
    expect(refused(await cli(["import", "plan150k.txt"]), "plan150k.txt")).toBe(
      `plan150k.txt has ${many.trim().split("\n").length} lines; import reads written plans of at most 100000 lines.`,
    );
    const big = Buffer.alloc(50 * 1024 * 1024, "一、9月份工作\n1. 开展科普宣传12次\n");
    put("big.txt", big);
    expect(refused(await cli(["import", "big.txt"]), "big.txt")).toBe(
      "big.txt is 50 MB, larger than the 16 MB Plan Ledger reads.",
    );
    // The time limit, lowered to reach it without a text slow on purpose: 20,000 items take seconds, not 0.2 s.
    put("plan20k-long.txt", plan(20_000) + "1. " + "1".repeat(3_000) + "\n");
    expect(
      refused(
        await cli(["import", "plan20k-long.txt", "--out", "slow.xlsx"], { PLAN_LEDGER_READ_SECONDS: "0.2" }),
        "plan20k-long.txt",
      ),
    ).toBe(
      "plan20k-long.txt: reading the written plan took longer than 0.2 seconds and was stopped. Very long lines slow the reader: the longest is line 20023, 3003 characters.",
    );
    expect(refused(await cli(["import", "plan20k.txt"], { PLAN_LEDGER_READ_SECONDS: "0.2" }), "plan20k.txt")).toBe(
      "plan20k.txt: reading the written plan (20022 lines) took longer than 0.2 seconds and was stopped. Split it into smaller files and import them one by one.",
    );
    expect(fs.existsSync(path.join(dir, "slow.xlsx"))).toBe(false);
  }, 180_000);
});

describe("random damage", () => {
  /** The plan every mutation starts from, and its parts (for mutations inside a part, repacked with a right CRC). */
  const parts = packageParts({
    sheets: [{ name: "Plan", data: planRows() }],
    sharedStrings: `<sst xmlns="${MAIN}"><si><t>x</t></si></sst>`,
  });
  const valid = pack(parts);
  const text = (p: string | Uint8Array | unknown) =>
    typeof p === "string" ? new TextEncoder().encode(p) : (p as Uint8Array);

  /** A mutation: bytes of the zip changed, or bytes of one part changed and the package packed again. */
  const mutation = fc.oneof(
    fc.record({
      kind: fc.constant("zip" as const),
      edits: fc.array(fc.tuple(fc.nat(valid.length - 1), fc.integer({ min: 0, max: 255 })), {
        minLength: 1,
        maxLength: 8,
      }),
      cut: fc.option(fc.nat(valid.length - 1), { nil: undefined }),
    }),
    fc.record({
      kind: fc.constant("part" as const),
      part: fc.nat(parts.length - 1),
      edits: fc.array(
        fc.tuple(
          fc.nat(4000),
          fc.constantFrom(...Array.from("<>/=\"'&;!?[]-x0 \u0000\u00ff\u4e00").map((c) => c.charCodeAt(0) & 0xff)),
        ),
        { minLength: 1, maxLength: 6 },
      ),
    }),
  );

  function apply(m: typeof mutation extends fc.Arbitrary<infer T> ? T : never): Uint8Array {
    if (m.kind === "zip") {
      const bytes = valid.slice(0, m.cut ?? valid.length);
      for (const [at, v] of m.edits) if (at < bytes.length) bytes[at] = v;
      return bytes;
    }
    const copy = parts.map(([name, content]) => [name, text(content).slice()] as [string, Uint8Array]);
    const body = copy[m.part][1];
    for (const [at, v] of m.edits) if (body.length) body[at % body.length] = v;
    return pack(copy);
  }

  it("never makes the reader fail with anything but an XlsxError", async () => {
    await fc.assert(
      fc.asyncProperty(mutation, async (m) => {
        try {
          await importXlsx(apply(m));
        } catch (e) {
          if (!(e instanceof XlsxError)) throw e;
        }
      }),
      { numRuns: 400 },
    );
  });

  it("ends every CLI run with exit 0 or 2 and one line, within bounds", async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(mutation, async (m) => {
        const file = `fuzz-${++n}.xlsx`;
        put(file, apply(m));
        const r = await cli(["summarize", file, "--out", `fuzz-${n}.out.xlsx`, "--json"]);
        bounded(r);
        expect([0, 2]).toContain(r.code);
        if (r.code === 2) expect(r.stderr).toMatch(/^[^\n]+\n$/);
        else expect(() => JSON.parse(r.stdout) as unknown).not.toThrow();
      }),
      { numRuns: 24 },
    );
  }, 240_000);
});

describe("signals", () => {
  /** Starts plan-ledger with `args`; returns the child and its exit. */
  function start(args: string[]) {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: dir, env: { ...process.env, LANG: "" } });
    const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.on("close", (code, signal) => resolve({ code, signal })),
    );
    return { child, exit };
  }

  it.each(["SIGTERM", "SIGINT"] as const)(
    "removes the temporary output file when stopped by %s while writing it",
    async (signal) => {
      if (!fs.existsSync(path.join(dir, "signal.xlsx"))) await writeXlsx(dir, "signal.xlsx", bigLedger(4000, 3));
      const out = `signal-${signal}.out.xlsx`;
      const tmpName = (pid: number) => `.${out}.${pid}.tmp`;
      let caught = false;
      for (let attempt = 0; attempt < 6 && !caught; attempt++) {
        fs.rmSync(path.join(dir, out), { force: true });
        const run = start(["summarize", "signal.xlsx", "--out", out, "--as-of", "2025-10-15"]);
        const pid = run.child.pid!;
        // Stopped the moment the temporary file appears, then sent the signal and let go: the handler must remove it.
        const watcher = fs.watch(dir, (_event, name) => {
          if (name !== tmpName(pid) || caught) return;
          process.kill(pid, "SIGSTOP");
          if (fs.existsSync(path.join(dir, tmpName(pid)))) {
            caught = true;
            process.kill(pid, signal);
          }
          process.kill(pid, "SIGCONT");
        });
        const end = await run.exit;
        watcher.close();
        expect(fs.readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
        if (!caught) {
          expect(end).toEqual({ code: 0, signal: null });
          continue;
        }
        expect(end).toEqual({ code: null, signal });
        // Stopped after its last write, the rename may run before the signal is handled: then the output is whole
        // (the reader checks every part's CRC) and holds the summary beside the plan.
        if (fs.existsSync(path.join(dir, out))) {
          const model = await importXlsx(new Uint8Array(fs.readFileSync(path.join(dir, out))));
          expect(model.sheets.length).toBeGreaterThan(1);
        }
      }
      // The write takes several turns of the event loop (1 MB each, then fsync): one of the attempts lands in it.
      expect(caught).toBe(true);
    },
    180_000,
  );

  it("ends by SIGINT while reading, writing nothing", async () => {
    if (!fs.existsSync(path.join(dir, "signal.xlsx"))) await writeXlsx(dir, "signal.xlsx", bigLedger(4000, 3));
    const run = start(["summarize", "signal.xlsx", "--out", "sigint.out.xlsx", "--progress"]);
    await new Promise<void>((resolve) =>
      run.child.stderr.on("data", (b: Buffer) => b.toString().includes("Reading") && resolve()),
    );
    run.child.kill("SIGINT");
    expect(await run.exit).toEqual({ code: null, signal: "SIGINT" });
    expect(fs.readdirSync(dir).filter((f) => f.startsWith("sigint") || f.includes("sigint.out"))).toEqual([]);
  }, 60_000);
});
