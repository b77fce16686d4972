import ExcelJS from "exceljs";
import JSZip from "jszip";
import { exportXlsx, importXlsx, XlsxError } from "../../../../src/offline/xlsx";
import { f, sheet, values, workbook } from "./builder";

async function rezip(bytes: Uint8Array, edit: (zip: JSZip) => void | Promise<void>): Promise<Uint8Array> {
  const zip = await JSZip.loadAsync(bytes);
  await edit(zip);
  return zip.generateAsync({ type: "uint8array" });
}

async function failure(bytes: Uint8Array): Promise<XlsxError> {
  try {
    await importXlsx(bytes);
  } catch (e) {
    if (e instanceof XlsxError) return e;
    throw e;
  }
  throw new Error("importXlsx accepted the bytes");
}

function ole(extra: string): Uint8Array {
  const head = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
  const body = Array.from(extra).flatMap((ch) => [ch.charCodeAt(0), 0]);
  return new Uint8Array([...head, ...new Array(504).fill(0), ...body, 0, 0]);
}

describe("importXlsx refuses what is not a readable workbook", () => {
  it("calls a text file notZip, with a message in both languages", async () => {
    const e = await failure(new TextEncoder().encode("月份,工作任务\n1,科普宣传\n"));
    expect(e.code).toBe("notZip");
    expect(e.messages["zh-CN"]).toContain("不是 Excel 工作簿");
    expect(e.message).toContain("not an Excel workbook");
  });

  it("calls an OLE file without encryption streams a legacy .xls", async () => {
    expect((await failure(ole("Workbook"))).code).toBe("legacyXls");
  });

  it("calls an OLE file holding EncryptionInfo an encrypted workbook", async () => {
    const e = await failure(ole("EncryptionInfo"));
    expect(e.code).toBe("encrypted");
    expect(e.messages["en-US"]).toContain("password");
  });

  it("calls a zip without a workbook part, or a truncated zip, corrupt", async () => {
    const noWorkbook = await new JSZip().file("hello.txt", "hi").generateAsync({ type: "uint8array" });
    expect((await failure(noWorkbook)).code).toBe("corrupt");
    const good = await exportXlsx(workbook([sheet("S", [[1]])]));
    expect((await failure(good.slice(0, 200))).code).toBe("corrupt");
  });
});

describe("importXlsx lists what it cannot carry", () => {
  it("names pivot tables and macros by part, in the requested language", async () => {
    const bytes = await rezip(await exportXlsx(workbook([sheet("S", [[1]])])), (zip) => {
      zip.file("xl/pivotTables/pivotTable1.xml", "<pivotTableDefinition/>");
      zip.file("xl/pivotTables/pivotTable2.xml", "<pivotTableDefinition/>");
      zip.file("xl/vbaProject.bin", new Uint8Array([1, 2, 3]));
    });
    const en = await importXlsx(bytes);
    expect(en.notCarried).toEqual(["2 pivot table(s) (xl/pivotTables)", "VBA macros (xl/vbaProject.bin)"]);
    const zh = await importXlsx(bytes, { lang: "zh-CN" });
    expect(zh.notCarried[0]).toBe("2 个数据透视表（xl/pivotTables）");
  });

  it("reports colour scales and filter criteria on a sheet it otherwise reads, and carries its hyperlinks and header", async () => {
    const bytes = await rezip(await exportXlsx(workbook([sheet("Data", [["a"], [1], [2]])])), async (zip) => {
      const part = "xl/worksheets/sheet1.xml";
      const xml = (await zip.file(part)?.async("string")) ?? "";
      zip.file(
        part,
        xml
          .replace(
            "</sheetData>",
            '</sheetData><autoFilter ref="A1:A3"><filterColumn colId="0"><filters><filter val="1"/></filters></filterColumn></autoFilter>' +
              '<conditionalFormatting sqref="A2:A3"><cfRule type="colorScale" priority="1"><colorScale><cfvo type="min"/><cfvo type="max"/>' +
              '<color rgb="FFF8696B"/><color rgb="FF63BE7B"/></colorScale></cfRule></conditionalFormatting>' +
              '<hyperlinks><hyperlink ref="A1" location="Data!A2"/></hyperlinks>',
          )
          .replace(
            "</worksheet>",
            "<headerFooter><oddHeader>&amp;C年度工作计划</oddHeader></headerFooter></worksheet>",
          ),
      );
    });
    const model = await importXlsx(bytes);
    expect(values(model.sheets[0], 3, 1)).toEqual([["a"], [1], [2]]);
    expect(model.sheets[0].autoFilter).toEqual({ ref: { r0: 0, c0: 0, r1: 2, c1: 0 }, active: false });
    expect(model.notCarried).toEqual([
      "filter criteria on sheet Data (the filter buttons stay; the rows the filter hid stay hidden)",
      "1 conditional format rule(s) of other kinds (colour scales, icon sets, top/bottom …) on sheet Data",
    ]);
    const again = await JSZip.loadAsync(await exportXlsx(model));
    const xml = (await again.file("xl/worksheets/sheet1.xml")?.async("string")) ?? "";
    expect(xml).toContain('<hyperlinks><hyperlink ref="A1" location="Data!A2"/></hyperlinks>');
    expect(xml).toContain("<headerFooter><oddHeader>&amp;C年度工作计划</oddHeader></headerFooter>");
  });

  it("says which print title columns it cannot keep, in both languages", async () => {
    const bytes = await rezip(await exportXlsx(workbook([sheet("Data", [["a"], [1]])])), async (zip) => {
      const xml = (await zip.file("xl/workbook.xml")?.async("string")) ?? "";
      zip.file(
        "xl/workbook.xml",
        xml.replace(
          "</sheets>",
          '</sheets><definedNames><definedName name="_xlnm.Print_Titles" localSheetId="0">Data!$A:$A,Data!$1:$1</definedName></definedNames>',
        ),
      );
    });
    expect((await importXlsx(bytes)).notCarried).toEqual([
      "repeated print title columns on sheet Data (title rows are kept)",
    ]);
    expect((await importXlsx(bytes, { lang: "zh-CN" })).notCarried).toEqual([
      "工作表“Data”上的打印标题列（打印标题行保留）",
    ]);
  });
});

describe("importXlsx and charts it did not write", () => {
  const withChart = () =>
    exportXlsx(
      workbook([
        sheet(
          "S",
          [
            ["月", "数"],
            [1, 2],
            [2, 3],
          ],
          {
            charts: [
              {
                name: "图1",
                type: "ColumnClustered",
                title: "数量",
                series: [{ name: "数", values: "S!$B$2:$B$3", categories: "S!$A$2:$A$3", axisGroup: "Primary" }],
                axes: { category: { title: "" }, value: { title: "" } },
                legend: { visible: false, position: "Right" },
                top: 40,
                left: 10,
                width: 300,
                height: 200,
              },
            ],
          },
        ),
      ]),
    );

  it("keeps a foreign bar chart with data labels but says the labels are lost", async () => {
    const bytes = await rezip(await withChart(), async (zip) => {
      const xml = (await zip.file("xl/charts/chart1.xml")?.async("string")) ?? "";
      zip.file(
        "xl/charts/chart1.xml",
        xml.replace("<c:gapWidth", '<c:dLbls><c:showVal val="1"/></c:dLbls><c:gapWidth'),
      );
    });
    const model = await importXlsx(bytes);
    expect(model.sheets[0].charts.map((c) => c.title)).toEqual(["数量"]);
    expect(model.notCarried).toEqual([
      "1 chart(s) on sheet S keep their series, titles and axes but lose data labels, trendlines and similar details (xl/charts)",
    ]);
  });

  it("carries a chart of a kind it cannot write (scatter) as it was, beside the charts it models", async () => {
    const bytes = await rezip(await withChart(), async (zip) => {
      const xml = (await zip.file("xl/charts/chart1.xml")?.async("string")) ?? "";
      zip.file("xl/charts/chart1.xml", xml.replace(/c:barChart/g, "c:scatterChart"));
    });
    const model = await importXlsx(bytes);
    expect(model.sheets[0].charts).toEqual([]);
    expect(model.notCarried).toEqual([]);
    const source = await JSZip.loadAsync(bytes);
    const scatter = await source.file("xl/charts/chart1.xml")?.async("string");
    // A chart of the model's is added: the carried chart keeps its bytes under a name the writer does not use.
    model.sheets[0].charts.push({ ...(await importXlsx(await withChart())).sheets[0].charts[0], name: "新图" });
    const out = await JSZip.loadAsync(await exportXlsx(model));
    const charts = Object.keys(out.files)
      .filter((n) => /^xl\/charts\/[^/]+\.xml$/.test(n))
      .sort();
    expect(charts).toEqual(["xl/charts/chart1.xml", "xl/charts/chart1_2.xml"]);
    expect(await out.file("xl/charts/chart1_2.xml")?.async("string")).toBe(scatter);
    const drawing = (await out.file("xl/drawings/drawing1.xml")?.async("string")) ?? "";
    const rels = (await out.file("xl/drawings/_rels/drawing1.xml.rels")?.async("string")) ?? "";
    expect(drawing.match(/<c:chart [^>]*r:id="(rId\d+)"/g)).toEqual([
      expect.stringContaining('r:id="rId2"'),
      expect.stringContaining('r:id="rId1"'),
    ]);
    expect(rels).toContain(
      'Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/chart" Target="../charts/chart1.xml"',
    );
    expect(rels).toContain(
      'Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/chart" Target="../charts/chart1_2.xml"',
    );
    const reread = await importXlsx(await exportXlsx(model));
    expect(reread.sheets[0].charts.map((c) => c.name)).toEqual(["新图"]);
    expect(reread.sheets[0].carried?.drawing?.anchors).toHaveLength(1);
  });
});

describe("importXlsx reads files written by other programs", () => {
  it("reads an ExcelJS workbook: cached 0 and empty-text results, shared formulas, validation, names, views", async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("台账", { views: [{ state: "frozen", xSplit: 1, ySplit: 2 }] });
    ws.getCell("A1").value = 5;
    ws.getCell("A2").value = 7;
    ws.getCell("B1").value = { formula: "A1*0", result: 0 };
    ws.getCell("B2").value = { formula: 'IFERROR(1/0,"")', result: "" };
    ws.getCell("C1").value = { formula: "A1*2", result: 10 }; // ExcelJS writes it as the master of a shared formula
    ws.getCell("C2").value = { sharedFormula: "C1", result: 14 };
    ws.getCell("D1").value = 0.25;
    ws.getCell("D1").numFmt = "0.0%";
    ws.getColumn(1).width = 20;
    ws.mergeCells("E1:F2");
    ws.getCell("A3").dataValidation = {
      type: "list",
      allowBlank: true,
      formulae: ['"科普部,办公室"'],
      showErrorMessage: true,
      errorStyle: "warning",
      error: "请选择",
    };
    wb.definedNames.add("'台账'!$A$1:$A$2", "Inputs");
    const model = await importXlsx(new Uint8Array(await wb.xlsx.writeBuffer()));
    const s = model.sheets[0];
    expect(values(s, 2, 4)).toEqual([
      [5, 0, 10, 0.25],
      [7, "", 14, ""],
    ]);
    expect(s.rows.get(1)?.get(2)?.formula).toBe("=A2*2");
    expect(s.rows.get(0)?.get(3)?.numberFormat).toBe("0.0%");
    expect(s.freeze).toEqual({ rows: 2, columns: 1 });
    expect(s.merges).toEqual([{ r0: 0, c0: 4, r1: 1, c1: 5 }]);
    expect(s.columnWidths.get(0)).toBe(105);
    expect(s.validations).toEqual([
      {
        ranges: [{ r0: 2, c0: 0, r1: 2, c1: 0 }],
        rule: { type: "list", source: "科普部,办公室", inCellDropDown: true },
        ignoreBlanks: true,
        errorAlert: { showAlert: true, style: "Warning", title: "", message: "请选择" },
        prompt: { showPrompt: false, title: "", message: "" },
      },
    ]);
    expect(model.names).toEqual([{ name: "Inputs", formula: "='台账'!$A$1:$A$2", comment: "", visible: true }]);
    expect(model.notCarried).toEqual([]);
  });

  it("reads hand-written sheet XML: cells without r, inline and rich text, phonetic runs, prefixed elements", async () => {
    const bytes = await rezip(await exportXlsx(workbook([sheet("S", [[1]])])), async (zip) => {
      zip.file(
        "xl/sharedStrings.xml",
        '<x:sst xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:si><x:r><x:t>科普</x:t></x:r>' +
          '<x:r><x:t xml:space="preserve"> 宣传</x:t></x:r><x:rPh sb="0" eb="1"><x:t>ke</x:t></x:rPh></x:si></x:sst>',
      );
      zip.file(
        "xl/worksheets/sheet1.xml",
        '<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>' +
          '<x:row><x:c t="s"><x:v>0</x:v></x:c><x:c t="inlineStr"><x:is><x:t>行内</x:t></x:is></x:c><x:c t="b"><x:v>1</x:v></x:c></x:row>' +
          '<x:row r="3"><x:c r="B3" t="e"><x:v>#N/A</x:v></x:c><x:c><x:f>B3</x:f></x:c></x:row>' +
          "</x:sheetData></x:worksheet>",
      );
    });
    const s = (await importXlsx(bytes)).sheets[0];
    expect(values(s, 3, 3)).toEqual([
      ["科普 宣传", "行内", true],
      ["", "", ""],
      ["", { error: "#N/A" }, ""],
    ]);
    expect(s.rows.get(2)?.get(2)).toEqual({ formula: "=B3" });
  });
});

describe("exportXlsx output is readable by another library", () => {
  it("ExcelJS reads back values, cached results, formulas, merges, validation and column widths", async () => {
    const model = workbook([
      sheet(
        "S",
        [
          ["月份", "目标"],
          [1, 12],
          ["合计", f("=SUM(B2:B2)", 12)],
        ],
        {
          merges: [{ r0: 4, c0: 0, r1: 4, c1: 1 }],
          columnWidths: new Map([[0, 52.5]]),
          validations: [
            {
              ranges: [{ r0: 1, c0: 1, r1: 10, c1: 1 }],
              rule: { type: "decimal", operator: "GreaterThanOrEqualTo", formula1: 0 },
              ignoreBlanks: true,
              errorAlert: { showAlert: true, style: "Stop", title: "目标", message: "请输入非负数" },
              prompt: { showPrompt: false, title: "", message: "" },
            },
          ],
        },
      ),
    ]);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await exportXlsx(model)).buffer as ArrayBuffer);
    const ws = wb.getWorksheet("S");
    expect(ws?.getCell("A1").value).toBe("月份");
    expect(ws?.getCell("B3").value).toEqual({ formula: "SUM(B2:B2)", result: 12 });
    expect(ws?.getCell("A5").isMerged).toBe(true);
    expect(ws?.getColumn(1).width).toBe(10);
    expect(ws?.getCell("B7").dataValidation).toMatchObject({
      type: "decimal",
      operator: "greaterThanOrEqual",
      formulae: [0],
    });
  });
});
