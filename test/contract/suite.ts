/**
 * Behaviour contract of the Excel JS API subset Plan Ledger relies on. Written against the API alone, so the same
 * suite can run inside real Excel; tests marked "assumption:" rest on undocumented behaviour and take the stricter rule.
 */
import { apiError, freshSheet, type ContractHost } from "./runner";

export function defineContract(makeHost: () => ContractHost): void {
  let host: ContractHost;
  let sheetName: string;
  beforeEach(async () => {
    host = makeHost();
    sheetName = await freshSheet(host);
  });
  const sheetOf = (context: Excel.RequestContext): Excel.Worksheet => context.workbook.worksheets.getItem(sheetName);

  describe("proxies and loading", () => {
    test("reading a property before sync throws RichApi.Error PropertyNotLoaded", async () => {
      const err = await apiError(() =>
        host.run(async (context) => {
          const range = sheetOf(context).getRange("A1");
          range.load("values");
          // eslint-disable-next-line office-addins/call-sync-after-load, office-addins/call-sync-before-read -- the test proves this misuse throws
          void range.values;
        }),
      );
      expect(err).toMatchObject({ name: "RichApi.Error", code: "PropertyNotLoaded" });
    });

    test("a property that was never loaded stays unreadable after sync", async () => {
      const err = await apiError(() =>
        host.run(async (context) => {
          const range = sheetOf(context).getRange("A1:B2");
          range.load("address");
          await context.sync();
          expect(range.address).toBe(`${sheetName}!A1:B2`);
          // eslint-disable-next-line office-addins/load-object-before-read -- the test proves this misuse throws
          void range.rowCount;
        }),
      );
      expect(err?.code).toBe("PropertyNotLoaded");
    });

    test("queued writes run in order before a later load in the same batch", async () => {
      const values = await host.run(async (context) => {
        const range = sheetOf(context).getRange("A1:B1");
        range.values = [[1, 2]];
        const sum = sheetOf(context).getRange("C1");
        sum.formulas = [["=A1+B1"]];
        sum.load("values");
        await context.sync();
        return sum.values;
      });
      expect(values).toEqual([[3]]);
    });

    test("loaded values are a snapshot taken at sync and do not follow later writes", async () => {
      await host.run(async (context) => {
        const range = sheetOf(context).getRange("A1");
        range.values = [["before"]];
        range.load("values");
        await context.sync();
        const writer = sheetOf(context).getRange("A1");
        writer.values = [["after"]];
        await context.sync();
        expect(range.values).toEqual([["before"]]);
        range.load("values");
        await context.sync();
        expect(range.values).toEqual([["after"]]);
      });
    });

    test("load accepts a list string, an array and a property bag with navigation paths", async () => {
      await host.run(async (context) => {
        const range = sheetOf(context).getRange("B2:C3");
        range.format.fill.color = "#FFFF00";
        const a = sheetOf(context).getRange("B2:C3").load("rowCount, columnCount");
        const b = sheetOf(context).getRange("B2:C3").load(["address", "format/fill/color"]);
        const c = sheetOf(context)
          .getRange("B2:C3")
          .load({ cellCount: true, format: { fill: { color: true } } } as never);
        await context.sync();
        expect([a.rowCount, a.columnCount]).toEqual([2, 2]);
        expect(b.format.fill.color).toBe("#FFFF00");
        expect(c.cellCount).toBe(4);
        expect(c.toJSON()).toEqual({ cellCount: 4, format: { fill: { color: "#FFFF00" } } });
      });
    });

    test("set() assigns several properties including nested ones", async () => {
      const fmt = await host.run(async (context) => {
        const range = sheetOf(context).getRange("A1");
        range.set({ values: [["标题"]], format: { font: { bold: true }, fill: { color: "#DDEBF7" } } } as never);
        const check = sheetOf(context).getRange("A1").load("values, format/font/bold, format/fill/color");
        await context.sync();
        return [check.values[0][0], check.format.font.bold, check.format.fill.color];
      });
      expect(fmt).toEqual(["标题", true, "#DDEBF7"]);
    });

    test("getItemOrNullObject reports a missing sheet through isNullObject after sync", async () => {
      await host.run(async (context) => {
        const missing = context.workbook.worksheets.getItemOrNullObject("不存在的表");
        const present = context.workbook.worksheets.getItemOrNullObject(sheetName.toUpperCase());
        // eslint-disable-next-line office-addins/call-sync-before-read -- the test proves this misuse throws
        expect(() => missing.isNullObject).toThrow();
        await context.sync();
        expect(missing.isNullObject).toBe(true);
        expect(present.isNullObject).toBe(false);
      });
    });

    test("getItem on a missing sheet fails the sync with ItemNotFound", async () => {
      const err = await apiError(() =>
        host.run(async (context) => void context.workbook.worksheets.getItem("nope").load("name")),
      );
      expect(err?.code).toBe("ItemNotFound");
    });

    test("loading a collection gives items with the requested property", async () => {
      const names = await host.run(async (context) => {
        const sheets = context.workbook.worksheets.load("items/name");
        await context.sync();
        return sheets.items.map((s) => s.name);
      });
      expect(names).toContain(sheetName);
    });

    test("method results are readable after sync", async () => {
      await host.run(async (context) => {
        const count = context.workbook.worksheets.getCount();
        await context.sync();
        // eslint-disable-next-line office-addins/load-object-before-read -- a ClientResult needs no load, only the sync above
        expect(count.value).toBeGreaterThanOrEqual(1);
      });
    });
  });

  describe("entering values", () => {
    const enter = async (
      inputs: unknown[][],
      format?: string,
    ): Promise<{ values: unknown[][]; formulas: unknown[][]; types: unknown[][] }> =>
      host.run(async (context) => {
        const range = sheetOf(context)
          .getRange("A1")
          .getResizedRange(inputs.length - 1, inputs[0].length - 1);
        if (format) range.numberFormat = inputs.map((r) => r.map(() => format));
        range.values = inputs as never;
        range.load("values, formulas, valueTypes");
        await context.sync();
        return { values: range.values, formulas: range.formulas, types: range.valueTypes };
      });

    test("a string starting with = becomes a formula and reads back as its result", async () => {
      const r = await enter([["=1+2", '="计划"&"台账"']]);
      expect(r.values).toEqual([[3, "计划台账"]]);
      expect(r.formulas).toEqual([["=1+2", '="计划"&"台账"']]);
    });

    test("numeric text becomes a number; a leading apostrophe keeps text and is not shown", async () => {
      const r = await enter([["0012", "12.50", "'0012", "'=A1"]]);
      expect(r.values).toEqual([[12, 12.5, "0012", "=A1"]]);
      expect(r.types).toEqual([["Double", "Double", "String", "String"]]);
      expect(r.formulas[0][2]).toBe("0012");
    });

    test("with the text format @ set before the write, input is stored as typed", async () => {
      const r = await enter([["0012", "=1+2", "-减号开头"]], "@");
      expect(r.values).toEqual([["0012", "=1+2", "-减号开头"]]);
    });

    // assumption: Excel's entry parser treats a leading - as the start of a formula, so the text is not kept literally.
    test("text starting with - is interpreted rather than kept as typed", async () => {
      const err = await apiError(async () => {
        const r = await enter([["-减号开头"]]);
        expect(r.values[0][0]).not.toBe("-减号开头");
        expect(String(r.formulas[0][0]).startsWith("=")).toBe(true);
      });
      if (err) expect(err.code).toBe("InvalidArgument");
    });

    // assumption: "+1 讲座" is read as a formula that Excel cannot parse; the write fails or yields an error value.
    test("text starting with + is interpreted rather than kept as typed", async () => {
      const err = await apiError(async () => {
        const r = await enter([["+1 讲座"]]);
        expect(r.values[0][0]).not.toBe("+1 讲座");
      });
      if (err) expect(err.code).toBe("InvalidArgument");
    });

    test("a 2-D array of the wrong size fails with InvalidArgument", async () => {
      const err = await apiError(() =>
        host.run(async (context) => void (sheetOf(context).getRange("A1:B2").values = [[1, 2]])),
      );
      expect(err?.code).toBe("InvalidArgument");
    });

    test("null leaves a cell unchanged and an empty string clears it", async () => {
      await enter([["a", "b", "c"]]);
      const r = await enter([[null, "", "z"]]);
      expect(r.values).toEqual([["a", "", "z"]]);
    });

    test("writing cell values to an unbounded range throws; reading it gives null values", async () => {
      const err = await apiError(() =>
        host.run(async (context) => void (sheetOf(context).getRange("A:B").values = [["x", "y"]])),
      );
      expect(err).not.toBeNull();
      const read = await host.run(async (context) => {
        const r = sheetOf(context).getRange("A:F").load("values, address, cellCount");
        await context.sync();
        return { values: r.values, address: r.address, cells: r.cellCount };
      });
      expect(read).toEqual({ values: null, address: `${sheetName}!A:F`, cells: 6 * 1048576 });
    });
  });

  describe("names and structures", () => {
    const addSheet = (name: string) =>
      apiError(() => host.run(async (context) => void context.workbook.worksheets.add(name)));

    test("sheet names longer than 31 characters, with : \\ / ? * [ ] or taken ignoring case are rejected", async () => {
      for (const bad of ["x".repeat(32), "a:b", "a\\b", "a/b", "a?b", "a*b", "a[b", "a]b", sheetName.toLowerCase()]) {
        expect(await addSheet(bad)).not.toBeNull();
      }
      expect(await addSheet("汇总 2025")).toBeNull();
    });

    test("renaming a sheet follows the same rules", async () => {
      const err = await apiError(() => host.run(async (context) => void (sheetOf(context).name = "bad/name")));
      expect(err?.code).toBe("InvalidArgument");
    });

    test("table names must be valid and unique; tables may not overlap tables or merged cells", async () => {
      await host.run(async (context) => {
        const ws = sheetOf(context);
        ws.getRange("A1:B3").values = [
          ["月份", "目标"],
          ["1月", 3],
          ["2月", 4],
        ];
        ws.tables.add(`${sheetName}!A1:B3`, true).name = `T_${sheetName}`;
        ws.getRange("E1:F1").merge();
      });
      const bad = (fn: (ws: Excel.Worksheet) => void) =>
        apiError(() => host.run(async (context) => fn(sheetOf(context))));
      expect(await bad((ws) => void ws.tables.add("B2:C4", true))).not.toBeNull();
      expect(await bad((ws) => void ws.tables.add("E1:F3", true))).not.toBeNull();
      expect(await bad((ws) => void (ws.tables.add("H1:I3", true).name = "A1"))).not.toBeNull();
      expect(await bad((ws) => void (ws.tables.add("H1:I3", true).name = "has space"))).not.toBeNull();
      expect(await bad((ws) => void (ws.tables.add("K1:L3", true).name = `t_${sheetName}`))).not.toBeNull();
    });

    test("defined names must be valid and unique", async () => {
      const add = (name: string) =>
        apiError(() =>
          host.run(async (context) => void context.workbook.names.add(name, sheetOf(context).getRange("A1"))),
        );
      expect(await add(`N_${sheetName}`)).toBeNull();
      expect((await add(`n_${sheetName}`))?.code).toBe("ItemAlreadyExists");
      expect(await add("R1C1")).not.toBeNull();
      expect(await add("1abc")).not.toBeNull();
    });

    test("a data validation rule has one type, and an inline list may not exceed 255 characters", async () => {
      const setRule = (rule: Excel.DataValidationRule) =>
        apiError(() =>
          host.run(async (context) => void (sheetOf(context).getRange("A2:A20").dataValidation.rule = rule)),
        );
      expect(
        await setRule({
          list: { source: "a,b", inCellDropDown: true },
          wholeNumber: { formula1: 0, operator: "GreaterThan" },
        }),
      ).not.toBeNull();
      expect(await setRule({ list: { source: "x,".repeat(128), inCellDropDown: true } })).not.toBeNull();
      expect(await setRule({ list: { source: "已完成,进行中,未开始", inCellDropDown: true } })).toBeNull();
      const rule = await host.run(async (context) => {
        const dv = sheetOf(context).getRange("A2:A20").dataValidation.load("type, rule");
        await context.sync();
        return [dv.type, dv.rule.list?.source];
      });
      expect(rule).toEqual(["List", "已完成,进行中,未开始"]);
    });

    test("settings store JSON values", async () => {
      const v = await host.run(async (context) => {
        context.workbook.settings.add(`cfg_${sheetName}`, { header: 3, fields: ["月份", "目标"] });
        await context.sync();
        const s = context.workbook.settings.getItemOrNullObject(`cfg_${sheetName}`).load("value");
        await context.sync();
        return s.value;
      });
      expect(v).toEqual({ header: 3, fields: ["月份", "目标"] });
    });

    test("writing to a protected sheet fails", async () => {
      const err = await apiError(() =>
        host.run(async (context) => {
          sheetOf(context).protection.protect();
          await context.sync();
          sheetOf(context).getRange("A1").values = [[1]];
        }),
      );
      expect(err).not.toBeNull();
      await host.run(async (context) => void sheetOf(context).protection.unprotect());
    });
  });

  describe("formulas", () => {
    test("copyFrom fills a range from one row of formulas, moving relative references like a paste", async () => {
      const result = await host.run(async (context) => {
        const ws = sheetOf(context);
        ws.getRange("A1:A4").values = [[1], [2], [3], [4]];
        ws.getRange("B1").formulas = [["=A1*10"]];
        ws.getRange("B2:B4").copyFrom(ws.getRange("B1"), "Formulas");
        const out = ws.getRange("B1:B4");
        out.load("formulas,values");
        await context.sync();
        return { formulas: out.formulas, values: out.values };
      });
      expect(result.formulas).toEqual([["=A1*10"], ["=A2*10"], ["=A3*10"], ["=A4*10"]]);
      expect(result.values).toEqual([[10], [20], [30], [40]]);
    });

    const evaluate = async (
      grid: unknown[][],
      address: string,
      formula: string,
      extra?: (ws: Excel.Worksheet, context: Excel.RequestContext) => void,
    ): Promise<unknown> =>
      host.run(async (context) => {
        const ws = sheetOf(context);
        ws.getRange("A1").getResizedRange(grid.length - 1, grid[0].length - 1).values = grid as never;
        extra?.(ws, context);
        const cell = ws.getRange(address);
        cell.formulas = [[formula]];
        cell.load("values");
        await context.sync();
        return cell.values[0][0];
      });

    const plan = [
      ["月份", "责任部门", "目标", "完成"],
      ["1月", "科普部", 12, 12],
      ["1月", "办公室", 6, 2],
      ["2月", "科普部", 4, ""],
    ];

    test("SUMIFS and COUNTIFS over structured references to a table", async () => {
      const tableName = `P${sheetName}`;
      const setup = (ws: Excel.Worksheet) => void (ws.tables.add("A1:D4", true).name = tableName);
      expect(await evaluate(plan, "F1", `=SUMIFS(${tableName}[目标],${tableName}[责任部门],"科普部")`, setup)).toBe(16);
      expect(await evaluate(plan, "F2", `=COUNTIFS(${tableName}[月份],"1月",${tableName}[完成],">=2")`)).toBe(2);
      expect(await evaluate(plan, "F3", `=SUM(${tableName}[[#Data],[完成]])+COUNTA(${tableName}[#All])`)).toBe(14 + 15);
    });

    test("row formulas with [@Column] and IF/IFERROR evaluate per row", async () => {
      const r = await host.run(async (context) => {
        const ws = sheetOf(context);
        ws.getRange("A1:D4").values = plan as never;
        const t = ws.tables.add("A1:D4", true);
        t.name = `R${sheetName}`;
        t.columns.add(undefined, [
          ["状态"],
          ['=IF([@目标]="","",IF([@完成]>=[@目标],"完成","未完成"))'],
          ['=IF([@目标]="","",IF([@完成]>=[@目标],"完成","未完成"))'],
          ['=IF([@目标]="","",IF([@完成]>=[@目标],"完成","未完成"))'],
        ]);
        ws.getRange("G1").formulas = [[`=IFERROR(1/0,"无")`]];
        ws.getRange("G2").formulas = [[`=COUNTIFS(R${sheetName}[状态],"完成",R${sheetName}[月份],"1月")`]];
        const out = ws.getRange("E2:E4").load("values");
        const g = ws.getRange("G1:G2").load("values");
        await context.sync();
        return [out.values.map((x) => x[0]), g.values.map((x) => x[0])];
      });
      expect(r).toEqual([
        ["完成", "未完成", "未完成"],
        ["无", 1],
      ]);
    });

    test("dates are 1900-system serials and EOMONTH, YEAR, MONTH work on them", async () => {
      expect(await evaluate([[""]], "A1", "=DATE(2025,1,31)")).toBe(45688);
      expect(await evaluate([[""]], "A1", "=EOMONTH(DATE(2025,1,15),1)")).toBe(45716);
      expect(await evaluate([[""]], "A1", "=YEAR(45688)*100+MONTH(45688)")).toBe(202501);
      expect(await evaluate([[""]], "A1", "=DATE(1900,3,1)-DATE(1900,2,28)")).toBe(2);
    });

    test("cross-sheet references with quoted names and defined names evaluate", async () => {
      const other = `汇总 ${sheetName}`;
      const v = await host.run(async (context) => {
        const ws2 = context.workbook.worksheets.add(other);
        ws2.getRange("B2").values = [[40]];
        context.workbook.names.add(`Rate_${sheetName}`, ws2.getRange("B2"));
        const cell = sheetOf(context).getRange("A1");
        cell.formulas = [[`='${other}'!B2+Rate_${sheetName}*2&"人次"`]];
        cell.load("values");
        await context.sync();
        return cell.values[0][0];
      });
      expect(v).toBe("120人次");
    });

    test("a circular reference yields an error value instead of hanging", async () => {
      const v = await host.run(async (context) => {
        const ws = sheetOf(context);
        ws.getRange("A1:B1").formulas = [["=B1+1", "=A1+1"]];
        const r = ws.getRange("A1:B1").load("valueTypes");
        await context.sync();
        return r.valueTypes[0];
      });
      expect(v.some((t) => t === "Error" || t === "Double")).toBe(true);
    });

    test("inserting rows moves cells and updates the references of formulas", async () => {
      const r = await host.run(async (context) => {
        const ws = sheetOf(context);
        ws.getRange("A1:A3").values = [[1], [2], [3]];
        ws.getRange("C1").formulas = [["=SUM(A1:A3)"]];
        ws.getRange("2:3").insert("Down");
        ws.getRange("A2:A3").values = [[10], [20]];
        const c = ws.getRange("C1").load("formulas, values");
        await context.sync();
        return [c.formulas[0][0], c.values[0][0]];
      });
      expect(r).toEqual(["=SUM(A1:A5)", 36]);
    });

    test("rows added to a table take its calculated column formula", async () => {
      const r = await host.run(async (context) => {
        const ws = sheetOf(context);
        ws.getRange("A1:C2").values = [
          ["目标", "完成", "率"],
          [4, 2, ""],
        ];
        const t = ws.tables.add("A1:C2", true);
        ws.getRange("C2").formulas = [["=[@完成]/[@目标]"]];
        t.rows.add(undefined, [[10, 5, null]] as never);
        const c = ws.getRange("C3").load("values, formulas");
        await context.sync();
        return [c.values[0][0], c.formulas[0][0]];
      });
      expect(r).toEqual([0.5, "=[@完成]/[@目标]"]);
    });
  });

  describe("page layout", () => {
    const layoutOf = async (
      context: Excel.RequestContext,
    ): Promise<{ orientation: string; zoom: Excel.PageLayoutZoomOptions; centerHorizontally: boolean }> => {
      const pl = sheetOf(context).pageLayout.load("orientation, zoom, centerHorizontally");
      await context.sync();
      return { orientation: pl.orientation, zoom: pl.zoom, centerHorizontally: pl.centerHorizontally };
    };

    // assumption: a new sheet prints portrait at 100 % and not centred (Excel's defaults; the API reference gives none).
    test("assumption: a new sheet's page layout is Portrait, scale 100, not centred", async () => {
      const layout = await host.run(layoutOf);
      expect(layout).toMatchObject({ orientation: "Portrait", zoom: { scale: 100 }, centerHorizontally: false });
    });

    test("orientation, zoom and centerHorizontally read back what was set", async () => {
      const layout = await host.run(async (context) => {
        const pl = sheetOf(context).pageLayout;
        pl.orientation = "Landscape";
        pl.zoom = { scale: 80 };
        pl.centerHorizontally = true;
        return layoutOf(context);
      });
      expect(layout).toMatchObject({ orientation: "Landscape", zoom: { scale: 80 }, centerHorizontally: true });
      const fitted = await host.run(async (context) => {
        sheetOf(context).pageLayout.zoom = { horizontalFitToPages: 1, verticalFitToPages: 0 };
        return layoutOf(context);
      });
      expect(fitted.zoom).toMatchObject({ horizontalFitToPages: 1, verticalFitToPages: 0 });
      expect(fitted.orientation).toBe("Landscape");
    });

    // assumption: scale and fit-to-pages exclude each other, and zoom reads back only the one in effect (the typings
    // say the others "can be null" then).
    test("assumption: setting fit-to-pages clears the scale, and setting a scale clears the fit", async () => {
      const fitted = await host.run(async (context) => {
        const pl = sheetOf(context).pageLayout;
        pl.zoom = { scale: 60 };
        pl.zoom = { horizontalFitToPages: 2, verticalFitToPages: 3 };
        return (await layoutOf(context)).zoom;
      });
      expect(fitted.scale ?? null).toBeNull();
      expect([fitted.horizontalFitToPages, fitted.verticalFitToPages]).toEqual([2, 3]);
      const scaled = await host.run(async (context) => {
        sheetOf(context).pageLayout.zoom = { scale: 150 };
        return (await layoutOf(context)).zoom;
      });
      expect(scaled.scale).toBe(150);
      expect(scaled.horizontalFitToPages ?? null).toBeNull();
      expect(scaled.verticalFitToPages ?? null).toBeNull();
    });

    const titleRows = (context: Excel.RequestContext) => {
      const rows = sheetOf(context).pageLayout.getPrintTitleRowsOrNullObject();
      rows.load("rowIndex, rowCount, isEntireRow");
      return rows;
    };

    test("setPrintTitleRows takes an address or a Range of whole rows; getPrintTitleRowsOrNullObject reads them", async () => {
      const r = await host.run(async (context) => {
        const before = titleRows(context);
        await context.sync();
        const wasNull = before.isNullObject;
        sheetOf(context).pageLayout.setPrintTitleRows("$3:$3");
        const byAddress = titleRows(context);
        await context.sync();
        const first = [byAddress.rowIndex, byAddress.rowCount, byAddress.isEntireRow];
        sheetOf(context).pageLayout.setPrintTitleRows(sheetOf(context).getRange("B4:C5").getEntireRow());
        const byRange = titleRows(context);
        await context.sync();
        return { wasNull, first, second: [byRange.rowIndex, byRange.rowCount, byRange.isEntireRow] };
      });
      expect(r).toEqual({ wasNull: true, first: [2, 1, true], second: [3, 2, true] });
    });

    test("an orientation other than Portrait/Landscape or a scale outside 10–400 fails with InvalidArgument", async () => {
      const set = (fn: (pl: Excel.PageLayout) => void) =>
        apiError(() => host.run(async (context) => fn(sheetOf(context).pageLayout)));
      expect((await set((pl) => void (pl.orientation = "Sideways" as never)))?.code).toBe("InvalidArgument");
      expect((await set((pl) => void (pl.zoom = { scale: 5 })))?.code).toBe("InvalidArgument");
      expect((await set((pl) => void (pl.zoom = { scale: 401 })))?.code).toBe("InvalidArgument");
      expect(await set((pl) => void (pl.zoom = { scale: 400 }))).toBeNull();
      const layout = await host.run(layoutOf);
      expect(layout).toMatchObject({ orientation: "Portrait", zoom: { scale: 400 } });
    });

    // assumption: print title rows belong to their sheet, so an address on another sheet is rejected.
    test("assumption: setPrintTitleRows with an address on another sheet fails with InvalidArgument", async () => {
      const other = `Other${sheetName}`;
      const err = await apiError(() =>
        host.run(async (context) => {
          context.workbook.worksheets.add(other);
          await context.sync();
          sheetOf(context).pageLayout.setPrintTitleRows(`${other}!$1:$1`);
        }),
      );
      expect(err?.code).toBe("InvalidArgument");
    });
  });

  describe("charts", () => {
    test("a chart built from a source range takes series names from the header row and categories from the first column", async () => {
      const r = await host.run(async (context) => {
        const ws = sheetOf(context);
        ws.getRange("A1:C3").values = [
          ["月份", "目标", "完成"],
          ["1月", 3, 2],
          ["2月", 5, 5],
        ];
        const chart = ws.charts.add("ColumnClustered", ws.getRange("A1:C3"), "Columns");
        chart.title.text = "目标与完成";
        chart.axes.valueAxis.title.text = "次数";
        chart.legend.position = "Bottom";
        const series = chart.series.load("items/name");
        const title = chart.title.load("text");
        await context.sync();
        return [series.items.map((s) => s.name), title.text];
      });
      expect(r).toEqual([["目标", "完成"], "目标与完成"]);
    });
  });
}
