import JSZip from "jszip";
import { nodeZipCodec } from "../../../../src/cli/codec";
import { exportXlsx, importXlsx } from "../../../../src/offline/xlsx";
import { f, sheet, values, workbook } from "./builder";
import { planWorkbook } from "./fixtures";

describe("xlsx round trip", () => {
  it("brings back a plan workbook with tables, validation, conditional formats, names, settings and charts unchanged", async () => {
    const model = planWorkbook();
    const back = await importXlsx(await exportXlsx(model));
    expect(back).toEqual(model);
  });

  it("brings it back the same when Node's zlib packs it, sheets compressed while they are written", async () => {
    const model = planWorkbook();
    const bytes = await exportXlsx(model, { codec: nodeZipCodec });
    expect(await importXlsx(bytes)).toEqual(model);
    // JSZip checks each part's CRC-32 on request: the pieced-together sheets carry the right one.
    await expect(JSZip.loadAsync(bytes, { checkCRC32: true })).resolves.toBeDefined();
  });

  it("writes conditional-format priorities from 1 as the file format counts them (LibreOffice ignores priority 0)", async () => {
    const model = planWorkbook();
    model.sheets[0].conditionalFormats.forEach((cf, i) => (cf.priority = i));
    const bytes = await exportXlsx(model);
    const zip = await JSZip.loadAsync(bytes);
    const xml = await zip.file("xl/worksheets/sheet1.xml")!.async("string");
    const priorities = [...xml.matchAll(/priority="(\d+)"/g)].map((m) => Number(m[1]));
    expect(priorities.length).toBeGreaterThan(0);
    expect(Math.min(...priorities)).toBe(1);
    expect(await importXlsx(bytes)).toEqual(model);
  });

  it("keeps the 1904 date system of an old Mac workbook (workbookPr date1904)", async () => {
    const model = workbook([sheet("S", [[1]])], { date1904: true });
    const bytes = await exportXlsx(model);
    const xml = await (await JSZip.loadAsync(bytes)).file("xl/workbook.xml")?.async("string");
    expect(xml).toContain('<workbookPr date1904="1"/>');
    expect((await importXlsx(bytes)).date1904).toBe(true);
    expect((await importXlsx(await exportXlsx(workbook([sheet("S", [[1]])])))).date1904).toBeUndefined();
  });

  it("keeps a cached formula result of 0 and of empty text", async () => {
    const model = workbook([sheet("S", [[0, f("=A1*2", 0), f('=IF(A1=0,"","x")', ""), f("=A1=0", true)]])]);
    const back = await importXlsx(await exportXlsx(model));
    expect(values(back.sheets[0], 1, 4)).toEqual([[0, 0, "", true]]);
  });
});

describe("xlsx print settings", () => {
  const model = () =>
    workbook([
      sheet("计划 A1", [["月份", "目标"]], {
        tabColor: "#1F4E78",
        pageSetup: {
          orientation: "Landscape",
          fitToWidth: 1,
          fitToHeight: 0,
          centerHorizontally: true,
          printTitleRows: { r0: 2, r1: 2 },
        },
      }),
      sheet("O'Brien plan", [[1]], {
        pageSetup: { orientation: "Portrait", scale: 75, printTitleRows: { r0: 0, r1: 1 } },
      }),
      sheet("Plain", [[2]]),
    ]);

  it("brings back orientation, scale, fit to pages, centring and print title rows on sheets with quoted names", async () => {
    const m = model();
    const back = await importXlsx(await exportXlsx(m));
    expect(back).toEqual(m);
    expect(back.sheets[2].pageSetup).toBeUndefined();
    expect(back.names).toEqual([]);
  });

  it("writes the elements in CT_Worksheet order and the titles as sheet-scoped _xlnm.Print_Titles", async () => {
    const zip = await JSZip.loadAsync(await exportXlsx(model()));
    const xml = (part: string) => zip.file(part)?.async("string") ?? Promise.resolve("");
    const first = await xml("xl/worksheets/sheet1.xml");
    expect(first).toContain('<sheetPr><tabColor rgb="FF1F4E78"/><pageSetUpPr fitToPage="1"/></sheetPr>');
    expect(first).toMatch(
      /<\/sheetData><printOptions horizontalCentered="1"\/><pageMargins [^>]*\/><pageSetup fitToWidth="1" fitToHeight="0" orientation="landscape"\/><\/worksheet>$/,
    );
    const second = await xml("xl/worksheets/sheet2.xml");
    expect(second).not.toContain("<sheetPr>");
    expect(second).not.toContain("<printOptions");
    expect(second).toContain('<pageSetup scale="75" orientation="portrait"/>');
    expect(await xml("xl/worksheets/sheet3.xml")).not.toContain("<pageSetup");
    const wb = await xml("xl/workbook.xml");
    expect(wb).toContain(`<definedName name="_xlnm.Print_Titles" localSheetId="0">'计划 A1'!$3:$3</definedName>`);
    expect(wb).toContain(`<definedName name="_xlnm.Print_Titles" localSheetId="1">'O''Brien plan'!$1:$2</definedName>`);
  });

  it("reads Excel's own spelling: a stale scale beside fitToPage, default fit sizes, titles with columns", async () => {
    const bytes = await exportXlsx(workbook([sheet("S", [[1]]), sheet("T", [[2]])]));
    const zip = await JSZip.loadAsync(bytes);
    const edit = async (part: string, fn: (xml: string) => string) =>
      zip.file(part, fn((await zip.file(part)?.async("string")) ?? ""));
    await edit("xl/worksheets/sheet1.xml", (x) =>
      x
        .replace("<dimension", '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr><dimension')
        .replace(
          "</worksheet>",
          '<pageSetup paperSize="9" scale="64" fitToHeight="0" orientation="landscape"/></worksheet>',
        ),
    );
    await edit("xl/worksheets/sheet2.xml", (x) =>
      x.replace("<dimension", '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr><dimension'),
    );
    await edit("xl/workbook.xml", (x) =>
      x.replace(
        "</sheets>",
        '</sheets><definedNames><definedName name="_xlnm.Print_Area" localSheetId="0">S!$A$1:$D$9</definedName>' +
          '<definedName name="_xlnm.Print_Titles" localSheetId="0">S!$A:$A,S!$2:$3</definedName></definedNames>',
      ),
    );
    const back = await importXlsx(await zip.generateAsync({ type: "uint8array" }));
    expect(back.sheets[0].pageSetup).toEqual({
      orientation: "Landscape",
      paperSize: 9,
      fitToWidth: 1,
      fitToHeight: 0,
      printTitleRows: { r0: 1, r1: 2 },
    });
    expect(back.sheets[1].pageSetup).toEqual({ fitToWidth: 1, fitToHeight: 1 });
    // Print_Area stays a defined name as before; Print_Titles does not, and its title columns are reported lost.
    expect(back.names.map((n) => n.name)).toEqual(["_xlnm.Print_Area"]);
    expect(back.notCarried).toEqual(["repeated print title columns on sheet S (title rows are kept)"]);
  });
});
