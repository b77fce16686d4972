import * as fs from "node:fs";
import * as path from "node:path";
import { ledgerZhBook, noHeaderBook, writeXlsx } from "../fixtures/workbooks";
import { ensureBuilt, runCli, snapshot, tempDir } from "./harness";

let dir: string;

/** An OLE compound file header: what .xls files and password-protected .xlsx files start with. */
const OLE = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

beforeAll(async () => {
  ensureBuilt();
  dir = tempDir("bad");
  await writeXlsx(dir, "ledger.xlsx", ledgerZhBook, 0);
  await writeXlsx(dir, "minutes.xlsx", noHeaderBook);
  fs.writeFileSync(path.join(dir, "notes.xlsx"), "这不是工作簿\n");
  fs.writeFileSync(
    path.join(dir, "old.xls"),
    Buffer.concat([OLE, Buffer.alloc(504), Buffer.from("Workbook", "utf16le")]),
  );
  fs.writeFileSync(
    path.join(dir, "locked.xlsx"),
    Buffer.concat([OLE, Buffer.alloc(504), Buffer.from("EncryptionInfo", "utf16le"), Buffer.alloc(64)]),
  );
  fs.writeFileSync(path.join(dir, "truncated.xlsx"), fs.readFileSync(path.join(dir, "ledger.xlsx")).subarray(0, 400));
}, 120_000);

/** Runs a failing command: exit 2, nothing on stdout, exactly one line on stderr, no file written or changed. */
async function fails(args: string[], env: Record<string, string> = {}): Promise<string> {
  const before = snapshot(dir);
  const r = await runCli(args, { cwd: dir, env });
  expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 2, stdout: "" });
  expect(r.stderr).toMatch(/^[^\n]+\n$/);
  expect(snapshot(dir)).toEqual(before);
  return r.stderr.trim();
}

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("bad input: one clear line on stderr, exit 2, nothing written", () => {
  it("a file that is not a zip package", async () => {
    expect(await fails(["summarize", "notes.xlsx"])).toBe(
      "notes.xlsx: This file is not an Excel workbook (.xlsx): it is not a zip package.",
    );
  });

  it("a legacy .xls workbook", async () => {
    expect(await fails(["check", "old.xls"])).toMatch(/^old\.xls: This is an old Excel 97–2003 workbook \(\.xls\)/);
  });

  it("an encrypted workbook", async () => {
    expect(await fails(["summarize", "locked.xlsx", "--lang", "zh-CN"])).toMatch(/^locked\.xlsx：.*密码/);
  });

  it("a damaged workbook", async () => {
    expect(await fails(["check", "truncated.xlsx"])).toMatch(/^truncated\.xlsx: /);
  });

  it("a missing file", async () => {
    expect(await fails(["summarize", "nowhere.xlsx"])).toBe("File not found: nowhere.xlsx");
    expect(await fails(["check", "nowhere.xlsx"], { LANG: "zh_CN.UTF-8" })).toBe("找不到文件：nowhere.xlsx");
  });

  it("a missing sheet, naming the sheets there are", async () => {
    expect(await fails(["summarize", "ledger.xlsx", "--sheet", "2026年台账"])).toBe(
      "ledger.xlsx: there is no sheet named 2026年台账; the sheets are: 填表说明, 2025年台账.",
    );
  });

  it("no recognisable header, naming the closest rows", async () => {
    const line = await fails(["summarize", "minutes.xlsx"], { LANG: "zh_CN.UTF-8" });
    expect(line).toMatch(/^minutes\.xlsx：工作表 杂项 中没有找到表头行/);
    expect(line).toContain("最接近的行：2: 时间：周一");
  });

  it("an output folder that does not exist", async () => {
    expect(await fails(["summarize", "ledger.xlsx", "--out", "missing/dir/out.xlsx"])).toMatch(
      /^Cannot write missing\/dir\/out\.xlsx: the folder .*missing\/dir does not exist\.$/,
    );
  });

  it("an output that is a folder", async () => {
    fs.mkdirSync(path.join(dir, "a-folder.xlsx"), { recursive: true });
    expect(await fails(["summarize", "ledger.xlsx", "--out", "a-folder.xlsx", "--force"])).toBe(
      "a-folder.xlsx exists and is not a file; choose another --out.",
    );
  });

  it("usage mistakes", async () => {
    expect(await fails(["summarise", "ledger.xlsx"])).toMatch(/^Unknown command "summarise"/);
    expect(await fails(["check", "ledger.xlsx", "--out", "x.xlsx"])).toBe(
      "Unknown option --out for check (plan-ledger help check).",
    );
    expect(await fails(["summarize", "ledger.xlsx", "--as-of", "2025-02-30"])).toMatch(/^--as-of must be a date/);
    expect(await fails(["summarize", "ledger.xlsx", "--period-start", "2025-13"])).toMatch(/^--period-start must be/);
    expect(await fails(["summarize", "ledger.xlsx", "--lang", "fr"])).toBe('--lang must be zh-CN or en-US, not "fr".');
    expect(await fails(["summarize", "ledger.xlsx", "--sheet"])).toBe("Option --sheet needs a value.");
    expect(await fails(["summarize"])).toMatch(/^summarize needs an input file/);
    expect(await fails(["check", "a.xlsx", "b.xlsx"])).toBe("check takes one input file, but 2 were given.");
    expect(await fails(["consolidate", "ledger.xlsx", "minutes.xlsx"], { LANG: "zh_CN.UTF-8" })).toBe(
      "consolidate 需要用 --out 文件 指定合并后的工作簿。",
    );
  });

  it("prints help on stdout with exit 0", async () => {
    const r = await runCli(["--help"], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("plan-ledger summarize <in.xlsx>");
    const zh = await runCli(["help", "import"], { cwd: dir, env: { LANG: "zh_CN.UTF-8" } });
    expect(zh.stdout).toContain("读取文字版计划");
  });
});
