/**
 * Behaviour contract of the Excel JS API subset Plan Ledger relies on, written against the API alone so that the same
 * rules run on the offline host (test/contract/, the workbench's self-test page) and inside Excel (the pane's
 * self-test view). Rules marked `assumption` rest on undocumented behaviour where the offline host takes the stricter
 * reading; running them in Excel settles them.
 */
import { expect } from "./expect";
import { apiError, type Rule, type RuleEnv } from "./runner";

type Ctx = Excel.RequestContext;

const PROXIES = "proxies and loading";
const ENTRY = "entering values";
const NAMES = "names and structures";
const FORMULAS = "formulas";
const LAYOUT = "page layout";
const CHARTS = "charts";

/** Writes `inputs` from A1 (with a number format first, when given) and reads values, formulas and types back. */
async function enter(
  env: RuleEnv,
  inputs: unknown[][],
  format?: string,
): Promise<{ values: unknown[][]; formulas: unknown[][]; types: unknown[][] }> {
  return env.host.run(async (context) => {
    const range = env
      .sheetOf(context)
      .getRange("A1")
      .getResizedRange(inputs.length - 1, inputs[0].length - 1);
    if (format) range.numberFormat = inputs.map((r) => r.map(() => format));
    range.values = inputs as never;
    range.load("values, formulas, valueTypes");
    await context.sync();
    return { values: range.values, formulas: range.formulas, types: range.valueTypes };
  });
}

/** Writes `grid` from A1, then `formula` into `address`, and returns its value. */
async function evaluate(
  env: RuleEnv,
  grid: unknown[][],
  address: string,
  formula: string,
  extra?: (ws: Excel.Worksheet, context: Ctx) => void,
): Promise<unknown> {
  return env.host.run(async (context) => {
    const ws = env.sheetOf(context);
    ws.getRange("A1").getResizedRange(grid.length - 1, grid[0].length - 1).values = grid as never;
    extra?.(ws, context);
    const cell = ws.getRange(address);
    cell.formulas = [[formula]];
    cell.load("values");
    await context.sync();
    return cell.values[0][0];
  });
}

const PLAN = [
  ["月份", "责任部门", "目标", "完成"],
  ["1月", "科普部", 12, 12],
  ["1月", "办公室", 6, 2],
  ["2月", "科普部", 4, ""],
];

async function layoutOf(
  env: RuleEnv,
  context: Ctx,
): Promise<{ orientation: string; zoom: Excel.PageLayoutZoomOptions; centerHorizontally: boolean }> {
  const pl = env.sheetOf(context).pageLayout.load("orientation, zoom, centerHorizontally");
  await context.sync();
  return { orientation: pl.orientation, zoom: pl.zoom, centerHorizontally: pl.centerHorizontally };
}

export const CORE_RULES: readonly Rule[] = [
  {
    id: "load.before-sync",
    group: PROXIES,
    title: "reading a property before sync throws RichApi.Error PropertyNotLoaded",
    run: async (env) => {
      const err = await apiError(() =>
        env.host.run(async (context) => {
          const range = env.sheetOf(context).getRange("A1");
          range.load("values");
          // eslint-disable-next-line office-addins/call-sync-after-load, office-addins/call-sync-before-read -- the rule proves this misuse throws
          void range.values;
        }),
      );
      expect(err).toMatchObject({ name: "RichApi.Error", code: "PropertyNotLoaded" });
    },
  },
  {
    id: "load.never-loaded",
    group: PROXIES,
    title: "a property that was never loaded stays unreadable after sync",
    run: async (env) => {
      const err = await apiError(() =>
        env.host.run(async (context) => {
          const range = env.sheetOf(context).getRange("A1:B2");
          range.load("address");
          await context.sync();
          expect(range.address).toBe(`${env.sheet}!A1:B2`);
          // eslint-disable-next-line office-addins/load-object-before-read -- the rule proves this misuse throws
          void range.rowCount;
        }),
      );
      expect(err?.code).toBe("PropertyNotLoaded");
    },
  },
  {
    id: "sync.order",
    group: PROXIES,
    title: "queued writes run in order before a later load in the same batch",
    run: async (env) => {
      const values = await env.host.run(async (context) => {
        const range = env.sheetOf(context).getRange("A1:B1");
        range.values = [[1, 2]];
        const sum = env.sheetOf(context).getRange("C1");
        sum.formulas = [["=A1+B1"]];
        sum.load("values");
        await context.sync();
        return sum.values;
      });
      expect(values).toEqual([[3]]);
    },
  },
  {
    id: "load.snapshot",
    group: PROXIES,
    title: "loaded values are a snapshot taken at sync and do not follow later writes",
    run: async (env) => {
      await env.host.run(async (context) => {
        const range = env.sheetOf(context).getRange("A1");
        range.values = [["before"]];
        range.load("values");
        await context.sync();
        const writer = env.sheetOf(context).getRange("A1");
        writer.values = [["after"]];
        await context.sync();
        expect(range.values).toEqual([["before"]]);
        range.load("values");
        await context.sync();
        expect(range.values).toEqual([["after"]]);
      });
    },
  },
  {
    id: "load.forms",
    group: PROXIES,
    title: "load accepts a list string, an array and a property bag with navigation paths",
    run: async (env) => {
      await env.host.run(async (context) => {
        const range = env.sheetOf(context).getRange("B2:C3");
        range.format.fill.color = "#FFFF00";
        const a = env.sheetOf(context).getRange("B2:C3").load("rowCount, columnCount");
        const b = env.sheetOf(context).getRange("B2:C3").load(["address", "format/fill/color"]);
        const c = env
          .sheetOf(context)
          .getRange("B2:C3")
          .load({ cellCount: true, format: { fill: { color: true } } } as never);
        await context.sync();
        expect([a.rowCount, a.columnCount]).toEqual([2, 2]);
        expect(b.format.fill.color).toBe("#FFFF00");
        expect(c.cellCount).toBe(4);
        expect(c.toJSON()).toEqual({ cellCount: 4, format: { fill: { color: "#FFFF00" } } });
      });
    },
  },
  {
    id: "set.nested",
    group: PROXIES,
    title: "set() assigns several properties including nested ones",
    run: async (env) => {
      const fmt = await env.host.run(async (context) => {
        const range = env.sheetOf(context).getRange("A1");
        range.set({ values: [["标题"]], format: { font: { bold: true }, fill: { color: "#DDEBF7" } } } as never);
        const check = env.sheetOf(context).getRange("A1").load("values, format/font/bold, format/fill/color");
        await context.sync();
        return [check.values[0][0], check.format.font.bold, check.format.fill.color];
      });
      expect(fmt).toEqual(["标题", true, "#DDEBF7"]);
    },
  },
  {
    id: "null-object.sheet",
    group: PROXIES,
    title: "getItemOrNullObject reports a missing sheet through isNullObject after sync",
    run: async (env) => {
      await env.host.run(async (context) => {
        const missing = context.workbook.worksheets.getItemOrNullObject("不存在的表");
        const present = context.workbook.worksheets.getItemOrNullObject(env.sheet.toUpperCase());
        // eslint-disable-next-line office-addins/call-sync-before-read -- the rule proves this misuse throws
        expect(() => missing.isNullObject).toThrow();
        await context.sync();
        expect(missing.isNullObject).toBe(true);
        expect(present.isNullObject).toBe(false);
      });
    },
  },
  {
    id: "range.row-hidden",
    group: PROXIES,
    title: "rowHidden is false with no row hidden, null with some, true with all (collect returns refuses on a filter)",
    // Range.rowHidden is ExcelApi 1.2 (@types/office-js).
    needs: "1.2",
    run: async (env) => {
      const read = await env.host.run(async (context) => {
        const ws = env.sheetOf(context);
        ws.getRange("A1:A4").values = [["a"], ["b"], ["c"], ["d"]];
        ws.getRange("A2:A3").rowHidden = true;
        const none = ws.getRange("A4:A4").load("rowHidden");
        const some = ws.getRange("A1:A4").load("rowHidden");
        const all = ws.getRange("A2:A3").load("rowHidden");
        await context.sync();
        return [none.rowHidden, some.rowHidden, all.rowHidden];
      });
      expect(read).toEqual([false, null, true]);
    },
  },
  {
    id: "get-item.missing",
    group: PROXIES,
    title: "getItem on a missing sheet fails the sync with ItemNotFound",
    run: async (env) => {
      const err = await apiError(() =>
        env.host.run(async (context) => void context.workbook.worksheets.getItem("nope").load("name")),
      );
      expect(err?.code).toBe("ItemNotFound");
    },
  },
  {
    id: "collection.items",
    group: PROXIES,
    title: "loading a collection gives items with the requested property",
    run: async (env) => {
      const names = await env.host.run(async (context) => {
        const sheets = context.workbook.worksheets.load("items/name");
        await context.sync();
        return sheets.items.map((s) => s.name);
      });
      expect(names).toContain(env.sheet);
    },
  },
  {
    id: "client-result",
    group: PROXIES,
    title: "method results are readable after sync",
    run: async (env) => {
      await env.host.run(async (context) => {
        const count = context.workbook.worksheets.getCount();
        await context.sync();
        // eslint-disable-next-line office-addins/load-object-before-read -- a ClientResult needs no load, only the sync above
        expect(count.value).toBeGreaterThanOrEqual(1);
      });
    },
  },

  {
    id: "entry.formula",
    group: ENTRY,
    title: "a string starting with = becomes a formula and reads back as its result",
    run: async (env) => {
      const r = await enter(env, [["=1+2", '="计划"&"台账"']]);
      expect(r.values).toEqual([[3, "计划台账"]]);
      expect(r.formulas).toEqual([["=1+2", '="计划"&"台账"']]);
    },
  },
  {
    id: "entry.numbers-apostrophe",
    group: ENTRY,
    title: "numeric text becomes a number; a leading apostrophe keeps text and is not shown",
    run: async (env) => {
      const r = await enter(env, [["0012", "12.50", "'0012", "'=A1"]]);
      expect(r.values).toEqual([[12, 12.5, "0012", "=A1"]]);
      expect(r.types).toEqual([["Double", "Double", "String", "String"]]);
      expect(r.formulas[0][2]).toBe("0012");
    },
  },
  {
    id: "entry.text-format",
    group: ENTRY,
    title: "with the text format @ set before the write, input is stored as typed",
    run: async (env) => {
      const r = await enter(env, [["0012", "=1+2", "-减号开头"]], "@");
      expect(r.values).toEqual([["0012", "=1+2", "-减号开头"]]);
    },
  },
  {
    id: "entry.minus-text",
    group: ENTRY,
    title: "text starting with - is interpreted rather than kept as typed",
    assumption: "Excel's entry parser treats a leading - as the start of a formula, so the text is not kept literally",
    source: "@types/office-js Range.values: a value starting with +, - or = is interpreted as a formula",
    run: async (env) => {
      const err = await apiError(async () => {
        const r = await enter(env, [["-减号开头"]]);
        expect(r.values[0][0]).not.toBe("-减号开头");
        expect(String(r.formulas[0][0]).startsWith("=")).toBe(true);
      });
      if (err) expect(err.code).toBe("InvalidArgument");
    },
  },
  {
    id: "entry.plus-text",
    group: ENTRY,
    title: "text starting with + is interpreted rather than kept as typed",
    assumption: '"+1 讲座" is read as a formula that Excel cannot parse; the write fails or yields an error value',
    source: "@types/office-js Range.values: a value starting with +, - or = is interpreted as a formula",
    run: async (env) => {
      const err = await apiError(async () => {
        const r = await enter(env, [["+1 讲座"]]);
        expect(r.values[0][0]).not.toBe("+1 讲座");
      });
      if (err) expect(err.code).toBe("InvalidArgument");
    },
  },
  {
    id: "entry.wrong-size",
    group: ENTRY,
    title: "a 2-D array of the wrong size fails with InvalidArgument",
    run: async (env) => {
      const err = await apiError(() =>
        env.host.run(async (context) => void (env.sheetOf(context).getRange("A1:B2").values = [[1, 2]])),
      );
      expect(err?.code).toBe("InvalidArgument");
    },
  },
  {
    id: "entry.null-and-empty",
    group: ENTRY,
    title: "null leaves a cell unchanged and an empty string clears it",
    run: async (env) => {
      await enter(env, [["a", "b", "c"]]);
      const r = await enter(env, [[null, "", "z"]]);
      expect(r.values).toEqual([["a", "", "z"]]);
    },
  },
  {
    id: "entry.unbounded",
    group: ENTRY,
    title: "writing cell values to an unbounded range throws; reading it gives null values",
    run: async (env) => {
      const err = await apiError(() =>
        env.host.run(async (context) => void (env.sheetOf(context).getRange("A:B").values = [["x", "y"]])),
      );
      expect(err).not.toBeNull();
      const read = await env.host.run(async (context) => {
        const r = env.sheetOf(context).getRange("A:F").load("values, address, cellCount");
        await context.sync();
        return { values: r.values, address: r.address, cells: r.cellCount };
      });
      expect(read).toEqual({ values: null, address: `${env.sheet}!A:F`, cells: 6 * 1048576 });
    },
  },

  {
    id: "names.sheet",
    group: NAMES,
    title: "sheet names longer than 31 characters, with : \\ / ? * [ ] or taken ignoring case are rejected",
    run: async (env) => {
      const addSheet = (name: string) =>
        apiError(() => env.host.run(async (context) => void context.workbook.worksheets.add(name)));
      for (const bad of ["x".repeat(32), "a:b", "a\\b", "a/b", "a?b", "a*b", "a[b", "a]b", env.sheet.toLowerCase()]) {
        expect(await addSheet(bad)).not.toBeNull();
      }
      expect(await addSheet(env.scratch(" 汇总"))).toBeNull();
    },
  },
  {
    id: "names.rename",
    group: NAMES,
    title: "renaming a sheet follows the same rules",
    run: async (env) => {
      const err = await apiError(() => env.host.run(async (context) => void (env.sheetOf(context).name = "bad/name")));
      expect(err?.code).toBe("InvalidArgument");
    },
  },
  {
    id: "names.table",
    group: NAMES,
    needs: "1.2",
    title: "table names must be valid and unique; tables may not overlap tables or merged cells",
    run: async (env) => {
      await env.host.run(async (context) => {
        const ws = env.sheetOf(context);
        ws.getRange("A1:B3").values = [
          ["月份", "目标"],
          ["1月", 3],
          ["2月", 4],
        ];
        ws.tables.add(`${env.sheet}!A1:B3`, true).name = env.scratch("_T");
        ws.getRange("E1:F1").merge();
      });
      const bad = (fn: (ws: Excel.Worksheet) => void) =>
        apiError(() => env.host.run(async (context) => fn(env.sheetOf(context))));
      expect(await bad((ws) => void ws.tables.add("B2:C4", true))).not.toBeNull();
      expect(await bad((ws) => void ws.tables.add("E1:F3", true))).not.toBeNull();
      expect(await bad((ws) => void (ws.tables.add("H1:I3", true).name = "A1"))).not.toBeNull();
      expect(await bad((ws) => void (ws.tables.add("H1:I3", true).name = "has space"))).not.toBeNull();
      expect(
        await bad((ws) => void (ws.tables.add("K1:L3", true).name = env.scratch("_t").toLowerCase())),
      ).not.toBeNull();
    },
  },
  {
    id: "names.defined",
    group: NAMES,
    needs: "1.4",
    title: "defined names must be valid and unique",
    run: async (env) => {
      const add = (name: string) =>
        apiError(() =>
          env.host.run(async (context) => void context.workbook.names.add(name, env.sheetOf(context).getRange("A1"))),
        );
      expect(await add(env.scratch("_N"))).toBeNull();
      expect((await add(env.scratch("_n").toLowerCase()))?.code).toBe("ItemAlreadyExists");
      expect(await add("R1C1")).not.toBeNull();
      expect(await add("1abc")).not.toBeNull();
    },
  },
  {
    id: "validation.one-type",
    group: NAMES,
    needs: "1.8",
    title: "a data validation rule has one type, and an inline list may not exceed 255 characters",
    run: async (env) => {
      const setRule = (rule: Excel.DataValidationRule) =>
        apiError(() =>
          env.host.run(async (context) => void (env.sheetOf(context).getRange("A2:A20").dataValidation.rule = rule)),
        );
      expect(
        await setRule({
          list: { source: "a,b", inCellDropDown: true },
          wholeNumber: { formula1: 0, operator: "GreaterThan" },
        }),
      ).not.toBeNull();
      expect(await setRule({ list: { source: "x,".repeat(128), inCellDropDown: true } })).not.toBeNull();
      expect(await setRule({ list: { source: "已完成,进行中,未开始", inCellDropDown: true } })).toBeNull();
      const rule = await env.host.run(async (context) => {
        const dv = env.sheetOf(context).getRange("A2:A20").dataValidation.load("type, rule");
        await context.sync();
        return [dv.type, dv.rule.list?.source];
      });
      expect(rule).toEqual(["List", "已完成,进行中,未开始"]);
    },
  },
  {
    id: "settings.json",
    group: NAMES,
    needs: "1.4",
    title: "settings store JSON values",
    run: async (env) => {
      const v = await env.host.run(async (context) => {
        context.workbook.settings.add(env.scratch("_cfg"), { header: 3, fields: ["月份", "目标"] });
        await context.sync();
        const s = context.workbook.settings.getItemOrNullObject(env.scratch("_cfg")).load("value");
        await context.sync();
        return s.value;
      });
      expect(v).toEqual({ header: 3, fields: ["月份", "目标"] });
    },
  },
  {
    id: "protection.write",
    group: NAMES,
    needs: "1.2",
    title: "writing to a protected sheet fails",
    run: async (env) => {
      const err = await apiError(() =>
        env.host.run(async (context) => {
          env.sheetOf(context).protection.protect();
          await context.sync();
          env.sheetOf(context).getRange("A1").values = [[1]];
        }),
      );
      expect(err).not.toBeNull();
      await env.host.run(async (context) => void env.sheetOf(context).protection.unprotect());
    },
  },

  {
    id: "formulas.copy-from",
    group: FORMULAS,
    needs: "1.9",
    title: "copyFrom fills a range from one row of formulas, moving relative references like a paste",
    run: async (env) => {
      const result = await env.host.run(async (context) => {
        const ws = env.sheetOf(context);
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
    },
  },
  {
    id: "formulas.structured",
    group: FORMULAS,
    title: "SUMIFS and COUNTIFS over structured references to a table",
    run: async (env) => {
      const t = env.scratch("P");
      const setup = (ws: Excel.Worksheet) => void (ws.tables.add("A1:D4", true).name = t);
      expect(await evaluate(env, PLAN, "F1", `=SUMIFS(${t}[目标],${t}[责任部门],"科普部")`, setup)).toBe(16);
      expect(await evaluate(env, PLAN, "F2", `=COUNTIFS(${t}[月份],"1月",${t}[完成],">=2")`)).toBe(2);
      expect(await evaluate(env, PLAN, "F3", `=SUM(${t}[[#Data],[完成]])+COUNTA(${t}[#All])`)).toBe(14 + 15);
    },
  },
  {
    id: "formulas.this-row",
    group: FORMULAS,
    title: "row formulas with [@Column] and IF/IFERROR evaluate per row",
    run: async (env) => {
      const t = env.scratch("R");
      const r = await env.host.run(async (context) => {
        const ws = env.sheetOf(context);
        ws.getRange("A1:D4").values = PLAN as never;
        const table = ws.tables.add("A1:D4", true);
        table.name = t;
        const f = '=IF([@目标]="","",IF([@完成]>=[@目标],"完成","未完成"))';
        table.columns.add(undefined, [["状态"], [f], [f], [f]]);
        ws.getRange("G1").formulas = [[`=IFERROR(1/0,"无")`]];
        ws.getRange("G2").formulas = [[`=COUNTIFS(${t}[状态],"完成",${t}[月份],"1月")`]];
        const out = ws.getRange("E2:E4").load("values");
        const g = ws.getRange("G1:G2").load("values");
        await context.sync();
        return [out.values.map((x) => x[0]), g.values.map((x) => x[0])];
      });
      expect(r).toEqual([
        ["完成", "未完成", "未完成"],
        ["无", 1],
      ]);
    },
  },
  {
    id: "formulas.dates",
    group: FORMULAS,
    title: "dates are 1900-system serials and EOMONTH, YEAR, MONTH work on them",
    run: async (env) => {
      expect(await evaluate(env, [[""]], "A1", "=DATE(2025,1,31)")).toBe(45688);
      expect(await evaluate(env, [[""]], "A1", "=EOMONTH(DATE(2025,1,15),1)")).toBe(45716);
      expect(await evaluate(env, [[""]], "A1", "=YEAR(45688)*100+MONTH(45688)")).toBe(202501);
      expect(await evaluate(env, [[""]], "A1", "=DATE(1900,3,1)-DATE(1900,2,28)")).toBe(2);
    },
  },
  {
    id: "formulas.cross-sheet",
    group: FORMULAS,
    needs: "1.4",
    title: "cross-sheet references with quoted names and defined names evaluate",
    run: async (env) => {
      const other = env.scratch(" 汇总");
      const v = await env.host.run(async (context) => {
        const ws2 = context.workbook.worksheets.add(other);
        ws2.getRange("B2").values = [[40]];
        context.workbook.names.add(env.scratch("_Rate"), ws2.getRange("B2"));
        const cell = env.sheetOf(context).getRange("A1");
        cell.formulas = [[`='${other}'!B2+${env.scratch("_Rate")}*2&"人次"`]];
        cell.load("values");
        await context.sync();
        return cell.values[0][0];
      });
      expect(v).toBe("120人次");
    },
  },
  {
    id: "formulas.circular",
    group: FORMULAS,
    title: "a circular reference yields an error value instead of hanging",
    run: async (env) => {
      const v = await env.host.run(async (context) => {
        const ws = env.sheetOf(context);
        ws.getRange("A1:B1").formulas = [["=B1+1", "=A1+1"]];
        const r = ws.getRange("A1:B1").load("valueTypes");
        await context.sync();
        return r.valueTypes[0];
      });
      expect(v.some((t) => t === "Error" || t === "Double")).toBe(true);
    },
  },
  {
    id: "formulas.insert-rows",
    group: FORMULAS,
    title: "inserting rows moves cells and updates the references of formulas",
    run: async (env) => {
      const r = await env.host.run(async (context) => {
        const ws = env.sheetOf(context);
        ws.getRange("A1:A3").values = [[1], [2], [3]];
        ws.getRange("C1").formulas = [["=SUM(A1:A3)"]];
        ws.getRange("2:3").insert("Down");
        ws.getRange("A2:A3").values = [[10], [20]];
        const c = ws.getRange("C1").load("formulas, values");
        await context.sync();
        return [c.formulas[0][0], c.values[0][0]];
      });
      expect(r).toEqual(["=SUM(A1:A5)", 36]);
    },
  },
  {
    id: "formulas.table-rows-add",
    group: FORMULAS,
    title: "rows added to a table take its calculated column formula",
    run: async (env) => {
      const r = await env.host.run(async (context) => {
        const ws = env.sheetOf(context);
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
    },
  },

  {
    id: "layout.defaults",
    group: LAYOUT,
    needs: "1.9",
    title: "a new sheet's page layout is Portrait, scale 100, not centred",
    assumption: "a new sheet prints portrait at 100 % and not centred (Excel's defaults; the API reference gives none)",
    run: async (env) => {
      const layout = await env.host.run((context) => layoutOf(env, context));
      expect(layout).toMatchObject({ orientation: "Portrait", zoom: { scale: 100 }, centerHorizontally: false });
    },
  },
  {
    id: "layout.read-back",
    group: LAYOUT,
    needs: "1.9",
    title: "orientation, zoom and centerHorizontally read back what was set",
    run: async (env) => {
      const layout = await env.host.run(async (context) => {
        const pl = env.sheetOf(context).pageLayout;
        pl.orientation = "Landscape";
        pl.zoom = { scale: 80 };
        pl.centerHorizontally = true;
        return layoutOf(env, context);
      });
      expect(layout).toMatchObject({ orientation: "Landscape", zoom: { scale: 80 }, centerHorizontally: true });
      const fitted = await env.host.run(async (context) => {
        env.sheetOf(context).pageLayout.zoom = { horizontalFitToPages: 1, verticalFitToPages: 0 };
        return layoutOf(env, context);
      });
      expect(fitted.zoom).toMatchObject({ horizontalFitToPages: 1, verticalFitToPages: 0 });
      expect(fitted.orientation).toBe("Landscape");
    },
  },
  {
    id: "layout.scale-or-fit",
    group: LAYOUT,
    needs: "1.9",
    title: "setting fit-to-pages clears the scale, and setting a scale clears the fit",
    assumption:
      'scale and fit-to-pages exclude each other, and zoom reads back only the one in effect (the typings say the others "can be null" then)',
    run: async (env) => {
      const fitted = await env.host.run(async (context) => {
        const pl = env.sheetOf(context).pageLayout;
        pl.zoom = { scale: 60 };
        pl.zoom = { horizontalFitToPages: 2, verticalFitToPages: 3 };
        return (await layoutOf(env, context)).zoom;
      });
      expect(fitted.scale ?? null).toBeNull();
      expect([fitted.horizontalFitToPages, fitted.verticalFitToPages]).toEqual([2, 3]);
      const scaled = await env.host.run(async (context) => {
        env.sheetOf(context).pageLayout.zoom = { scale: 150 };
        return (await layoutOf(env, context)).zoom;
      });
      expect(scaled.scale).toBe(150);
      expect(scaled.horizontalFitToPages ?? null).toBeNull();
      expect(scaled.verticalFitToPages ?? null).toBeNull();
    },
  },
  {
    id: "layout.title-rows",
    group: LAYOUT,
    needs: "1.9",
    title: "setPrintTitleRows takes an address or a Range of whole rows; getPrintTitleRowsOrNullObject reads them",
    run: async (env) => {
      const titleRows = (context: Ctx) => {
        const rows = env.sheetOf(context).pageLayout.getPrintTitleRowsOrNullObject();
        rows.load("rowIndex, rowCount, isEntireRow");
        return rows;
      };
      const r = await env.host.run(async (context) => {
        const before = titleRows(context);
        await context.sync();
        const wasNull = before.isNullObject;
        env.sheetOf(context).pageLayout.setPrintTitleRows("$3:$3");
        const byAddress = titleRows(context);
        await context.sync();
        const first = [byAddress.rowIndex, byAddress.rowCount, byAddress.isEntireRow];
        env.sheetOf(context).pageLayout.setPrintTitleRows(env.sheetOf(context).getRange("B4:C5").getEntireRow());
        const byRange = titleRows(context);
        await context.sync();
        return { wasNull, first, second: [byRange.rowIndex, byRange.rowCount, byRange.isEntireRow] };
      });
      expect(r).toEqual({ wasNull: true, first: [2, 1, true], second: [3, 2, true] });
    },
  },
  {
    id: "layout.invalid",
    group: LAYOUT,
    needs: "1.9",
    title: "an orientation other than Portrait/Landscape or a scale outside 10–400 fails with InvalidArgument",
    run: async (env) => {
      const set = (fn: (pl: Excel.PageLayout) => void) =>
        apiError(() => env.host.run(async (context) => fn(env.sheetOf(context).pageLayout)));
      expect((await set((pl) => void (pl.orientation = "Sideways" as never)))?.code).toBe("InvalidArgument");
      expect((await set((pl) => void (pl.zoom = { scale: 5 })))?.code).toBe("InvalidArgument");
      expect((await set((pl) => void (pl.zoom = { scale: 401 })))?.code).toBe("InvalidArgument");
      expect(await set((pl) => void (pl.zoom = { scale: 400 }))).toBeNull();
      const layout = await env.host.run((context) => layoutOf(env, context));
      expect(layout).toMatchObject({ orientation: "Portrait", zoom: { scale: 400 } });
    },
  },
  {
    id: "layout.title-rows-other-sheet",
    group: LAYOUT,
    needs: "1.9",
    title: "setPrintTitleRows with an address on another sheet fails with InvalidArgument",
    assumption: "print title rows belong to their sheet, so an address on another sheet is rejected",
    run: async (env) => {
      const other = env.scratch("Other");
      const err = await apiError(() =>
        env.host.run(async (context) => {
          context.workbook.worksheets.add(other);
          await context.sync();
          env.sheetOf(context).pageLayout.setPrintTitleRows(`${other}!$1:$1`);
        }),
      );
      expect(err?.code).toBe("InvalidArgument");
    },
  },

  {
    id: "charts.source",
    group: CHARTS,
    title:
      "a chart built from a source range takes series names from the header row and categories from the first column",
    run: async (env) => {
      const r = await env.host.run(async (context) => {
        const ws = env.sheetOf(context);
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
    },
  },
];
