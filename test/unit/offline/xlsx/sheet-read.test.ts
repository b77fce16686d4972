import type { Cell } from "../../../../src/offline/model";
import { importXlsx, XlsxError } from "../../../../src/offline/xlsx";
import { PackageError } from "../../../../src/offline/xlsx/errors";
import { MAX_CELLS, readSharedStrings, readWorksheet } from "../../../../src/offline/xlsx/sheet-read";
import { pack, packageParts, planRows, planXlsx, row, sheetXml, textCell } from "../../../support/hostile-xlsx";

const MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

function read(sheetData: string, sst: string[] = [], budget = { cells: 0, elements: 0 }) {
  return readWorksheet(sheetXml(sheetData), { sst, xfs: [{ quotePrefix: false }], budget });
}

/** The sheet's values as "A1=value" entries in row order. */
function values(sheetData: string, sst: string[] = []): string[] {
  const out: string[] = [];
  for (const [r, cells] of [...read(sheetData, sst).data.rows].sort((a, b) => a[0] - b[0])) {
    for (const [c, cell] of [...cells].sort((a, b) => a[0] - b[0])) {
      out.push(`${String.fromCharCode(65 + c)}${r + 1}=${JSON.stringify((cell as Cell).value)}`);
    }
  }
  return out;
}

function damage(sheetData: string, sst: string[] = []): { key: string; params: Record<string, unknown> } {
  try {
    read(sheetData, sst);
  } catch (e) {
    if (e instanceof PackageError && e.kind === "damaged") return { key: e.detail.key, params: { ...e.detail.params } };
    throw e;
  }
  throw new Error("accepted");
}

describe("sheet data reader", () => {
  it("reads markup as XML does: a row inside a comment is no row, CDATA between cells is no cell", () => {
    const data =
      row(1, textCell("A1", "Month") + textCell("B1", "Activity")) +
      `<!-- ${row(2, textCell("A2", "Hidden") + textCell("B2", "item"))} -->` +
      `<?pi <row r="3"/>?>` +
      row(4, textCell("A4", "Apr") + '<![CDATA[<c r="B4" t="inlineStr"><is><t>injected</t></is></c>]]>') +
      row(5, '<c r="A5" t="inlineStr"><is><t><![CDATA[Fair & <expo>]]></t></is></c>');
    expect(values(data)).toEqual(['A1="Month"', 'B1="Activity"', 'A4="Apr"', 'A5="Fair & <expo>"']);
  });

  it("reads rich-text runs without their phonetic runs, and OOXML escapes", () => {
    const data = row(
      1,
      '<c r="A1" t="inlineStr"><is><r><t>科普</t></r><r><rPr><b/></rPr><t>宣传_x000D_</t></r><rPh sb="0" eb="2"><t>かがく</t></rPh></is></c>',
    );
    expect(values(data)).toEqual(['A1="科普宣传\\r"']);
  });

  it("places cells without references one after another, and rows without numbers below the last", () => {
    expect(
      values(
        '<row><c><v>1</v></c><c><v>2</v></c></row><row r="5"><c r="C5"><v>3</v></c><c><v>4</v></c></row><row><c><v>5</v></c></row>',
      ),
    ).toEqual(["A1=1", "B1=2", "C5=3", "D5=4", "A6=5"]);
  });

  it.each([
    ['<row r="-5"><c><v>1</v></c></row>', "sheet.row", { row: "-5" }],
    ['<row r="2.5"/>', "sheet.row", { row: "2.5" }],
    ['<row r="abc"/>', "sheet.row", { row: "abc" }],
    ['<row r="0"/>', "sheet.row", { row: "0" }],
    ['<row r="1048577"/>', "sheet.row", { row: "1048577" }],
    ['<row r="1048576"/><row/>', "sheet.rowAfterLast", {}],
    ['<row r="6"><c r="XFE6"><v>1</v></c></row>', "sheet.cellOutside", { cell: "XFE6" }],
    ['<row r="6"><c r="A1048577"><v>1</v></c></row>', "sheet.cellOutside", { cell: "A1048577" }],
    ['<row r="6"><c r="B7"><v>1</v></c></row>', "sheet.cellRow", { cell: "B7", row: 6 }],
    ['<row r="6"><c r="XFD6"><v>1</v></c><c><v>2</v></c></row>', "sheet.cellAfterXfd", { row: 6 }],
    ['<row r="6"><c r="A6"><v>1</v></c><c r="A6"><v>2</v></c></row>', "sheet.duplicate", { cell: "A6" }],
    ['<c r="A1"><v>1</v></c>', "sheet.cellNoRow", {}],
    ['<row r="5"><c r="B5"><v>abc</v></c></row>', "sheet.number", { cell: "B5", value: "abc" }],
    ['<row r="5"><c r="B5"><v>1e999</v></c></row>', "sheet.number", { cell: "B5" }],
    ['<row r="5"><c r="B5" t="b"><v>2</v></c></row>', "sheet.boolean", { cell: "B5", value: "2" }],
    ['<row r="5"><c r="B5" t="d"><v>someday</v></c></row>', "sheet.date", { cell: "B5" }],
    ['<row r="5"><c r="B5" t="s"><v>7</v></c></row>', "sheet.sharedString", { cell: "B5", index: "7" }],
    ['<row r="5"><c r="B5" t="zz"><v>1</v></c></row>', "sheet.type", { cell: "B5", type: "zz" }],
    ['<row r="5"><c r="B5" t="inlineStr"><is><t>a<b/></t></is></c></row>', "sheet.markupInText", { name: "b" }],
    [
      '<row r="2"><c r="A2" t="inlineStr"><is><t>lost</t></is></row><row r="3"/>',
      "xml.mismatch",
      { name: "row", open: "c" },
    ],
  ])("refuses %s as damaged (%s)", (data, key, params) => {
    const d = damage(data);
    expect(d.key).toBe(key);
    expect(d.params).toMatchObject(params);
  });

  it("stops at the workbook's cell budget", () => {
    const budget = { cells: MAX_CELLS - 1, elements: 0 };
    expect(() => read(row(1, "<c><v>1</v></c><c><v>2</v></c>"), [], budget)).toThrow(
      expect.objectContaining({ kind: "tooLarge", detail: { key: "tooLarge.cells", params: { max: "3,000,000" } } }),
    );
  });

  it("reads shared strings, and refuses a string item left open", () => {
    const sst = (items: string) => `<sst xmlns="${MAIN}">${items}</sst>`;
    expect(readSharedStrings(sst("<si><t>a</t></si><si/><si><r><t>b</t></r><r><t>c</t></r></si>"))).toEqual([
      "a",
      "",
      "bc",
    ]);
    expect(() => readSharedStrings(sst("<si><t>a<si><t>b</t></si>"))).toThrow(PackageError);
  });
});

describe("import of damaged packages", () => {
  it("names the part and the problem in both languages", async () => {
    const bytes = planXlsx(row(5, '<c r="B5"><v>abc</v></c>'));
    const error = await importXlsx(bytes).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(XlsxError);
    expect((error as XlsxError).code).toBe("corrupt");
    expect((error as XlsxError).messages).toEqual({
      "en-US":
        'The workbook file is damaged and cannot be read (xl/worksheets/sheet1.xml: cell B5 holds "abc" as a number).',
      "zh-CN": "工作簿文件已损坏，无法读取（xl/worksheets/sheet1.xml：单元格 B5 的数值为“abc”，不是数字）。",
    });
  });

  it("says too large for a part over the caps, and damaged for a wrong CRC", async () => {
    const crc = pack(packageParts(), { badCrc: "xl/worksheets/sheet1.xml" });
    await expect(importXlsx(crc)).rejects.toMatchObject({
      code: "corrupt",
      message: "The workbook file is damaged and cannot be read (xl/worksheets/sheet1.xml fails its CRC check).",
    });
  });

  it("refuses sheet names Excel cannot hold, and two sheets of one name", async () => {
    const long = pack(packageParts({ sheets: [{ name: "P".repeat(100), data: planRows() }] }));
    await expect(importXlsx(long)).rejects.toMatchObject({
      message: expect.stringContaining(`"${"P".repeat(40)}…" is not valid`),
    });
    const twice = pack(
      packageParts({
        sheets: [
          { name: "Plan", data: planRows() },
          { name: "PLAN", data: planRows() },
        ],
      }),
    );
    await expect(importXlsx(twice)).rejects.toMatchObject({
      message: expect.stringContaining('two sheets are named "PLAN"'),
    });
  });

  it("reads UTF-16 parts", async () => {
    const utf16 = (s: string) =>
      Uint8Array.from([0xff, 0xfe, ...Array.from(s).flatMap((ch) => [ch.charCodeAt(0) & 0xff, ch.charCodeAt(0) >> 8])]);
    const sst = utf16(
      `<?xml version="1.0" encoding="UTF-16"?><sst xmlns="${MAIN}"><si><t>Month</t></si><si><t>科普周</t></si></sst>`,
    );
    const sheet = utf16(
      sheetXml(
        row(1, '<c r="A1" t="s"><v>0</v></c>') + row(2, '<c r="A2" t="s"><v>1</v></c>'),
        '<?xml version="1.0" encoding="UTF-16"?>',
      ),
    );
    const model = await importXlsx(
      pack(packageParts({ sheets: [{ name: "Plan", data: "", xml: sheet }], sharedStrings: sst })),
    );
    expect([model.sheets[0].rows.get(0)?.get(0)?.value, model.sheets[0].rows.get(1)?.get(0)?.value]).toEqual([
      "Month",
      "科普周",
    ]);
  });
});
