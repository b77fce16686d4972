/**
 * Rules for the places where Excel was found to differ from a naive emulation (issue 14, GUIDE §2), and for the
 * assumptions the offline host makes (src/offline/README.md). Each gives its source; `assumption` marks those the
 * first run inside Excel settles.
 */
import { expect } from "./expect";
import { apiError, type Rule, type RuleEnv } from "./runner";

const ENTRY = "entering values";
const FORMULAS = "formulas";
const VALIDATION = "data validation";
const TABLES = "tables, names and filters";
const MERGES = "merged areas";
const LAYOUT = "page layout";

async function read(env: RuleEnv, address: string, what = "values, formulas, valueTypes, numberFormat") {
  return env.host.run(async (context) => {
    const r = env.sheetOf(context).getRange(address).load(what);
    await context.sync();
    return { values: r.values, formulas: r.formulas, types: r.valueTypes, formats: r.numberFormat };
  });
}

/**
 * A three-row table 目标 | 完成 | 率 with `formula` written into one cell of its empty 率 column, then a row added:
 * the 率 column's formulas and values from the first data row to the added one.
 */
async function fillRateColumn(env: RuleEnv, cell: string, formula: string) {
  return env.host.run(async (context) => {
    const ws = env.sheetOf(context);
    ws.getRange("A1:C4").values = [
      ["目标", "完成", "率"],
      [4, 2, ""],
      [5, 5, ""],
      [8, 2, ""],
    ];
    const t = ws.tables.add("A1:C4", true);
    ws.getRange(cell).formulas = [[formula]];
    t.rows.add(undefined, [[10, 5, null]] as never);
    const c = ws.getRange("C2:C5").load("values, formulas");
    await context.sync();
    return { formulas: c.formulas.map((row) => row[0]), values: c.values.map((row) => row[0]) };
  });
}

export const DIFFERENCE_RULES: readonly Rule[] = [
  {
    id: "entry.single-value",
    group: ENTRY,
    title: "one value (not an array) written to values or numberFormat fills every cell of the range",
    source:
      "office-js-docs-reference #578 (the docs' former wording: a single value is applied to all cells); office-js-docs-pr #2013",
    run: async (env) => {
      await env.host.run(async (context) => {
        const r = env.sheetOf(context).getRange("A1:B2");
        r.values = "计划" as never;
        r.numberFormat = "@" as never;
        await context.sync();
      });
      const r = await read(env, "A1:B2");
      expect(r.values).toEqual([
        ["计划", "计划"],
        ["计划", "计划"],
      ]);
      expect(r.formats).toEqual([
        ["@", "@"],
        ["@", "@"],
      ]);
    },
  },
  {
    id: "entry.single-formula",
    group: ENTRY,
    title: "one formula written to a range goes into every cell with its relative references moved, as a fill does",
    assumption:
      "a single formula fills the range like Ctrl+Enter (VBA's Range.Formula does this); the removed docs did not say how",
    run: async (env) => {
      await env.host.run(async (context) => {
        const ws = env.sheetOf(context);
        ws.getRange("A1:A3").values = [[1], [2], [3]];
        ws.getRange("B1:B3").formulas = "=A1*2" as never;
        await context.sync();
      });
      const r = await read(env, "B1:B3");
      expect(r.formulas).toEqual([["=A1*2"], ["=A2*2"], ["=A3*2"]]);
      expect(r.values).toEqual([[2], [4], [6]]);
    },
  },
  {
    id: "entry.locale-dates",
    group: ENTRY,
    title:
      "date text is read in the en-US locale: ISO and month/day forms become dates, other locales' forms stay text",
    source: "office-js #1559 (the API reads values in the US locale; formulasLocal follows the user's)",
    assumption:
      "2025年3月1日 and 31/12/2025 stay text whatever the user's locale, as the en-US entry parser leaves them",
    run: async (env) => {
      await env.host.run(async (context) => {
        env.sheetOf(context).getRange("A1:D1").values = [["2025-03-01", "12/31/2025", "31/12/2025", "2025年3月1日"]];
        await context.sync();
      });
      const r = await read(env, "A1:D1");
      expect(r.types).toEqual([["Double", "Double", "String", "String"]]);
      expect(r.values[0].slice(0, 2)).toEqual([45717, 46022]);
      expect(r.values[0].slice(2)).toEqual(["31/12/2025", "2025年3月1日"]);
    },
  },
  {
    id: "countif.blank-criteria",
    group: FORMULAS,
    title: 'COUNTIF criteria: "" counts empty cells and empty text, "=" only empty cells, "<>" every cell not empty',
    source: 'Microsoft COUNTIF/COUNTBLANK documentation; a formula\'s "" is text, not an empty cell',
    run: async (env) => {
      const r = await env.host.run(async (context) => {
        const ws = env.sheetOf(context);
        ws.getRange("A1").values = [[1]];
        ws.getRange("A3").formulas = [['=""']];
        ws.getRange("A4").values = [["x"]];
        ws.getRange("C1:C3").formulas = [['=COUNTIF(A1:A4,"")'], ['=COUNTIF(A1:A4,"=")'], ['=COUNTIF(A1:A4,"<>")']];
        const out = ws.getRange("C1:C3").load("values");
        await context.sync();
        return out.values.map((x) => x[0]);
      });
      expect(r).toEqual([2, 1, 3]);
    },
  },
  {
    id: "validation.mixed-criteria",
    group: VALIDATION,
    needs: "1.8",
    title:
      "a range that has validation on some cells only reads MixedCriteria; different rules on every cell read Inconsistent",
    source: "@types/office-js DataValidationType",
    run: async (env) => {
      const types = await env.host.run(async (context) => {
        const ws = env.sheetOf(context);
        ws.getRange("A2:A5").dataValidation.rule = { decimal: { formula1: 0, operator: "GreaterThanOrEqualTo" } };
        ws.getRange("B2:B5").dataValidation.rule = { decimal: { formula1: 0, operator: "GreaterThanOrEqualTo" } };
        ws.getRange("B6:B9").dataValidation.rule = { list: { inCellDropDown: true, source: "甲,乙" } };
        const mixed = ws.getRange("A2:A9").dataValidation.load("type, rule");
        const inconsistent = ws.getRange("B2:B9").dataValidation.load("type");
        const whole = ws.getRange("A2:A5").dataValidation.load("type");
        await context.sync();
        return [mixed.type, inconsistent.type, whole.type];
      });
      expect(types).toEqual(["MixedCriteria", "Inconsistent", "Decimal"]);
    },
  },
  {
    id: "validation.other-type-needs-clear",
    group: VALIDATION,
    needs: "1.8",
    title:
      "a rule of another type over cells that already have validation is refused until clear() removes the old one",
    assumption: "Excel refuses to replace a rule by one of another type in place (the host takes the stricter reading)",
    run: async (env) => {
      const r = env.host.run(async (context) => {
        const ws = env.sheetOf(context);
        ws.getRange("A2:A5").dataValidation.rule = { decimal: { formula1: 0, operator: "GreaterThan" } };
        await context.sync();
        ws.getRange("A2:A5").dataValidation.rule = { list: { inCellDropDown: true, source: "甲,乙" } };
        await context.sync();
      });
      expect(await apiError(() => r)).not.toBeNull();
      const type = await env.host.run(async (context) => {
        const dv = env.sheetOf(context).getRange("A2:A5").dataValidation;
        dv.clear();
        dv.rule = { list: { inCellDropDown: true, source: "甲,乙" } };
        dv.load("type");
        await context.sync();
        return dv.type;
      });
      expect(type).toBe("List");
    },
  },
  {
    id: "names.shared-namespace",
    group: TABLES,
    needs: "1.4",
    title: "tables and defined names share one namespace: a defined name blocks a table of the same name",
    source: "GUIDE §2; Excel's Name Manager lists both",
    run: async (env) => {
      const name = env.scratch("_Plan");
      await env.host.run(async (context) => {
        const ws = env.sheetOf(context);
        ws.getRange("A1:B2").values = [
          ["月份", "目标"],
          ["1月", 1],
        ];
        context.workbook.names.add(name, ws.getRange("D1"));
        await context.sync();
      });
      const err = await apiError(() =>
        env.host.run(async (context) => void (env.sheetOf(context).tables.add("A1:B2", true).name = name)),
      );
      expect(err).not.toBeNull();
    },
  },
  {
    id: "tables.convert-to-range",
    group: TABLES,
    needs: "1.2",
    title: "convertToRange turns every structured reference to the table into an A1 reference and keeps the values",
    source: "GUIDE §2; Microsoft: Convert an Excel table to a range of data",
    run: async (env) => {
      const t = env.scratch("_C");
      const other = env.scratch("_S");
      const r = await env.host.run(async (context) => {
        const ws = env.sheetOf(context);
        ws.getRange("A1:B3").values = [
          ["月份", "目标"],
          ["1月", 3],
          ["2月", 4],
        ];
        ws.tables.add("A1:B3", true).name = t;
        ws.getRange("D1").formulas = [[`=SUM(${t}[目标])`]];
        const ws2 = context.workbook.worksheets.add(other);
        ws2.getRange("A1").formulas = [[`=COUNTA(${t}[月份])+MAX(${t}[目标])`]];
        await context.sync();
        ws.tables.getItem(t).convertToRange();
        const d1 = ws.getRange("D1").load("formulas, values");
        const a1 = ws2.getRange("A1").load("formulas, values");
        const tables = ws.tables.load("items/name");
        await context.sync();
        return {
          d1: [d1.formulas[0][0], d1.values[0][0]],
          a1: [a1.formulas[0][0], a1.values[0][0]],
          n: tables.items.length,
        };
      });
      expect(r.n).toBe(0);
      expect(r.d1[1]).toBe(7);
      expect(r.a1[1]).toBe(6);
      for (const f of [r.d1[0], r.a1[0]]) {
        expect(String(f).includes("[")).toBe(false);
        expect(String(f).includes(t)).toBe(false);
      }
      expect(String(r.a1[0]).includes("!")).toBe(true);
    },
  },
  {
    id: "tables.convert-keeps-style",
    group: TABLES,
    needs: "1.2",
    title: "convertToRange leaves the table style's look as direct cell formatting (a filled header)",
    source: "GUIDE §2; Microsoft: Convert an Excel table to a range of data",
    assumption: "with TableStyleMedium2 in the default theme the header keeps the fill #4472C4",
    run: async (env) => {
      const fill = await env.host.run(async (context) => {
        const ws = env.sheetOf(context);
        ws.getRange("A1:B3").values = [
          ["月份", "目标"],
          ["1月", 3],
          ["2月", 4],
        ];
        const table = ws.tables.add("A1:B3", true);
        table.style = "TableStyleMedium2";
        await context.sync();
        table.convertToRange();
        const header = ws.getRange("A1").load("format/fill/color");
        await context.sync();
        return header.format.fill.color;
      });
      expect(fill).toBe("#4472C4");
    },
  },
  {
    id: "tables.autofilter-moves",
    group: TABLES,
    needs: "1.9",
    title: "adding a table over a sheet AutoFilter leaves no sheet filter over the table's cells",
    source: "GUIDE §2: a sheet AutoFilter and a table over the same cells make a file Excel repairs",
    assumption:
      "as in the UI, the filter moves onto the new table (the host does so); an error would also keep the file sound",
    run: async (env) => {
      const outcome = await env.host.run(async (context) => {
        const ws = env.sheetOf(context);
        ws.getRange("A1:B3").values = [
          ["月份", "目标"],
          ["1月", 3],
          ["2月", 4],
        ];
        ws.autoFilter.apply(ws.getRange("A1:B3"));
        await context.sync();
        const err = await apiError(async () => {
          ws.tables.add("A1:B3", true);
          await context.sync();
        });
        const filter = ws.autoFilter.load("enabled");
        await context.sync();
        return { err: err?.code ?? null, sheetFilter: filter.enabled };
      });
      expect(outcome.err === null ? outcome.sheetFilter : false).toBe(false);
    },
  },
  {
    id: "merges.areas",
    group: MERGES,
    needs: "1.13",
    title: "merged areas are listed as areas whose row and column indexes give each area's extent",
    source: "@types/office-js RangeAreas.areas; office-js #1590 (read the areas, not the address)",
    run: async (env) => {
      const areas = await env.host.run(async (context) => {
        const ws = env.sheetOf(context);
        ws.getRange("B2:C3").merge();
        ws.getRange("E5:E7").merge();
        const merged = ws.getRange("A1:F10").getMergedAreasOrNullObject();
        merged.load("areas/items/rowIndex,areas/items/columnIndex,areas/items/rowCount,areas/items/columnCount");
        await context.sync();
        return merged.areas.items.map((a) => [a.rowIndex, a.columnIndex, a.rowCount, a.columnCount]);
      });
      expect(areas).toEqual([
        [1, 1, 2, 2],
        [4, 4, 3, 1],
      ]);
    },
  },
  {
    id: "merges.top-left-inside",
    group: MERGES,
    needs: "1.13",
    title: "getMergedAreasOrNullObject returns only the areas whose top-left cell lies in the range",
    source: "office-js #3611",
    run: async (env) => {
      const isNull = await env.host.run(async (context) => {
        const ws = env.sheetOf(context);
        ws.getRange("B2:C3").merge();
        const merged = ws.getRange("C3:D4").getMergedAreasOrNullObject();
        merged.load("areaCount");
        await context.sync();
        return merged.isNullObject;
      });
      expect(isNull).toBe(true);
    },
  },
  {
    id: "merges.address-top-left",
    group: MERGES,
    needs: "1.13",
    title: "the joined address of merged areas names each area's top-left cell only",
    source: "office-js #1590",
    assumption: "what #1590 reports still holds (the host does the same, so no code relies on the address)",
    run: async (env) => {
      const address = await env.host.run(async (context) => {
        const ws = env.sheetOf(context);
        ws.getRange("B2:C3").merge();
        const merged = ws.getRange("A1:F10").getMergedAreasOrNullObject();
        merged.load("address");
        await context.sync();
        return merged.address;
      });
      expect(address).toBe(`${env.sheet}!B2`);
    },
  },
  {
    id: "copy.all-carries-parts",
    group: MERGES,
    needs: "1.13",
    title: "copyFrom with All carries merged areas, data validation and conditional formats, as a paste does",
    source:
      'learn.microsoft.com "Cut, copy, and paste ranges using the Excel JavaScript API" (copyFrom replicates paste)',
    assumption: "Paste All in Excel's UI carries merges, validation and conditional formats; copyFrom does the same",
    run: async (env) => {
      const r = await env.host.run(async (context) => {
        const ws = env.sheetOf(context);
        ws.getRange("A1:B3").values = [
          ["月份", "数"],
          ["3月", 1],
          ["", 2],
        ];
        ws.getRange("A2:A3").merge();
        ws.getRange("B2:B3").dataValidation.rule = { wholeNumber: { formula1: 0, operator: "GreaterThanOrEqualTo" } };
        const cf = ws.getRange("B2:B3").conditionalFormats.add("Custom");
        cf.custom.rule.formula = "=B2>1";
        cf.custom.format.fill.color = "#FFC7CE";
        ws.getRange("D1:E3").copyFrom(ws.getRange("A1:B3"), "All");
        const merged = ws.getRange("D1:E3").getMergedAreasOrNullObject();
        merged.load("areaCount");
        const dv = ws.getRange("E2:E3").dataValidation.load("type");
        const cfs = ws.getRange("E2:E3").conditionalFormats.load("items/type");
        await context.sync();
        return { merges: merged.isNullObject ? 0 : merged.areaCount, dv: dv.type, cfs: cfs.items.map((x) => x.type) };
      });
      expect(r).toEqual({ merges: 1, dv: "WholeNumber", cfs: ["Custom"] });
    },
  },
  {
    id: "sheets.very-hidden-delete",
    group: TABLES,
    needs: "1.4",
    title: "a very hidden sheet reads back as VeryHidden, and made Visible then deleted in one request it is gone",
    source: "Excel.SheetVisibility and Worksheet.delete (ExcelApi 1.1), getItemOrNullObject (1.4), @types/office-js",
    assumption:
      "Restore and Remove the kept original delete the very hidden copy by showing it first, in the same request, since the UI cannot delete a hidden sheet",
    run: async (env) => {
      const name = env.scratch("_H");
      const r = await env.host.run(async (context) => {
        const ws = context.workbook.worksheets.add(name);
        ws.getRange("A1").values = [["原表"]];
        ws.visibility = "VeryHidden";
        await context.sync();
        const back = context.workbook.worksheets.getItem(name).load("visibility");
        await context.sync();
        const seen = back.visibility;
        back.visibility = "Visible";
        back.delete();
        await context.sync();
        const gone = context.workbook.worksheets.getItemOrNullObject(name);
        await context.sync();
        return { seen, gone: gone.isNullObject };
      });
      expect(r).toEqual({ seen: "VeryHidden", gone: true });
    },
  },
  {
    id: "layout.zoom-both",
    group: LAYOUT,
    needs: "1.9",
    title: "a zoom with both a scale and fit-to-pages values is InvalidArgument",
    assumption: "the two ways to size a printout exclude each other in one assignment",
    run: async (env) => {
      const err = await apiError(() =>
        env.host.run(
          async (context) => void (env.sheetOf(context).pageLayout.zoom = { scale: 80, horizontalFitToPages: 1 }),
        ),
      );
      expect(err?.code).toBe("InvalidArgument");
    },
  },
  {
    id: "layout.fit-kept",
    group: LAYOUT,
    needs: "1.9",
    title: "a fit direction left out keeps its value (1 page when none was set)",
    assumption: "zoom = { horizontalFitToPages: 2 } leaves the vertical fit as it was",
    run: async (env) => {
      const zoom = await env.host.run(async (context) => {
        const pl = env.sheetOf(context).pageLayout;
        pl.zoom = { horizontalFitToPages: 2 };
        pl.load("zoom");
        await context.sync();
        return pl.zoom;
      });
      expect([zoom.horizontalFitToPages, zoom.verticalFitToPages]).toEqual([2, 1]);
    },
  },
  {
    id: "layout.title-rows-any-range",
    group: LAYOUT,
    needs: "1.9",
    title: "setPrintTitleRows takes any range by its rows",
    assumption: "a range that is not whole rows (B4:C5) is taken as rows 4–5 (the typings say it must span whole rows)",
    run: async (env) => {
      const rows = await env.host.run(async (context) => {
        const pl = env.sheetOf(context).pageLayout;
        pl.setPrintTitleRows(env.sheetOf(context).getRange("B4:C5"));
        const r = pl.getPrintTitleRowsOrNullObject().load("rowIndex, rowCount");
        await context.sync();
        return [r.rowIndex, r.rowCount];
      });
      expect(rows).toEqual([3, 2]);
    },
  },
  {
    id: "tables.calculated-fill-empty-column",
    group: TABLES,
    title: "a formula written into one cell of an empty table column is filled into every data row",
    source:
      'Microsoft support, "Use calculated columns in an Excel table"; office-js #2093 (AutoCorrect applies to API writes, by design)',
    run: async (env) => {
      const r = await fillRateColumn(env, "C3", "=[@完成]/[@目标]");
      expect(r.formulas).toEqual(["=[@完成]/[@目标]", "=[@完成]/[@目标]", "=[@完成]/[@目标]", "=[@完成]/[@目标]"]);
      expect(r.values).toEqual([0.5, 1, 0.25, 0.5]);
    },
  },
  {
    id: "tables.calculated-fill-a1",
    group: TABLES,
    title:
      "a formula with cell references written into one cell of an empty table column fills every data row, and rows " +
      "added later, with its references moved to each row",
    source:
      'Microsoft support, "Use calculated columns in an Excel table" (a formula with cell references makes a ' +
      "calculated column too); office-js #2093",
    assumption:
      "Plan Ledger's status and completion columns use cell references (shared formulas in the file): Excel must fill " +
      "and extend them as it does a structured formula",
    run: async (env) => {
      const r = await fillRateColumn(env, "C2", "=B2/A2");
      expect(r.formulas).toEqual(["=B2/A2", "=B3/A3", "=B4/A4", "=B5/A5"]);
      expect(r.values).toEqual([0.5, 1, 0.25, 0.5]);
    },
  },
  {
    id: "tables.calculated-not-over-data",
    group: TABLES,
    title: "a formula written into one cell of a table column that holds data is not filled into the other rows",
    source: 'Microsoft support, "Use calculated columns in an Excel table" (a column that already contains data)',
    run: async (env) => {
      const r = await env.host.run(async (context) => {
        const ws = env.sheetOf(context);
        ws.getRange("A1:B4").values = [
          ["目标", "备注"],
          [4, "手填"],
          [5, ""],
          [8, ""],
        ];
        ws.tables.add("A1:B4", true);
        ws.getRange("B3").formulas = [["=[@目标]*2"]];
        const c = ws.getRange("B2:B4").load("formulas");
        await context.sync();
        return c.formulas.map((row) => row[0]);
      });
      expect(r).toEqual(["手填", "=[@目标]*2", ""]);
    },
  },
  {
    id: "tables.calculated-change-spreads",
    group: TABLES,
    title: "a new formula written into one cell of a calculated column replaces the formula in every data row",
    source:
      'Microsoft support, "Use calculated columns in an Excel table" (the change expands to the rest of the column)',
    run: async (env) => {
      const r = await env.host.run(async (context) => {
        const ws = env.sheetOf(context);
        ws.getRange("A1:B3").values = [
          ["目标", "两倍"],
          [4, ""],
          [5, ""],
        ];
        ws.tables.add("A1:B3", true);
        ws.getRange("B2:B3").formulas = [["=[@目标]*2"], ["=[@目标]*2"]];
        await context.sync();
        ws.getRange("B2").formulas = [["=[@目标]*3"]];
        const c = ws.getRange("B2:B3").load("values, formulas");
        await context.sync();
        return { formulas: c.formulas.map((row) => row[0]), values: c.values.map((row) => row[0]) };
      });
      expect(r).toEqual({ formulas: ["=[@目标]*3", "=[@目标]*3"], values: [12, 15] });
    },
  },
  {
    id: "tables.calculated-resize",
    group: TABLES,
    needs: "1.13",
    title: "rows a table gains through resize take its calculated column formula where they are empty",
    source: 'Microsoft support, "Use calculated columns in an Excel table" (they adjust as rows are added)',
    assumption: "Table.resize fills calculated columns into the empty cells of the rows it adds, as the UI does",
    run: async (env) => {
      const r = await env.host.run(async (context) => {
        const ws = env.sheetOf(context);
        ws.getRange("A1:B2").values = [
          ["目标", "两倍"],
          [4, ""],
        ];
        ws.getRange("A3:A4").values = [[5], [6]];
        const t = ws.tables.add("A1:B2", true);
        ws.getRange("B2").formulas = [["=[@目标]*2"]];
        await context.sync();
        t.resize("A1:B4");
        const c = ws.getRange("B3:B4").load("values");
        await context.sync();
        return c.values.map((row) => row[0]);
      });
      expect(r).toEqual([10, 12]);
    },
  },
  {
    id: "formulas.date-system",
    group: FORMULAS,
    title: "Functions.date(1904,1,1) gives what =DATE(1904,1,1) gives in a cell: 1462, or 0 in a 1904 workbook",
    source:
      "@types/office-js Excel.Functions.date (ExcelApi 1.2): the year is read 'depending on the workbook's date system'",
    assumption:
      "the add-in tells a 1904 workbook by this value (the API has no date-system property), so it must follow the workbook",
    needs: "1.2",
    run: async (env) => {
      const [fromApi, fromCell] = await env.host.run(async (context) => {
        const cell = env.sheetOf(context).getRange("A1");
        cell.formulas = [["=DATE(1904,1,1)"]];
        const api = context.workbook.functions.date(1904, 1, 1);
        api.load("value,error");
        cell.load("values");
        await context.sync();
        return [api.value, cell.values[0][0]];
      });
      expect([0, 1462]).toContain(fromApi);
      expect(fromApi).toBe(fromCell);
    },
  },
];
