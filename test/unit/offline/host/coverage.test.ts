/**
 * Coverage of the offline host, as a checked fact: every Excel API member the product code uses (the check:api list,
 * whose requirement sets are read from the @types/office-js tags) must be implemented by the host, and under the same
 * requirement set: usable on a host running that set, and failing with ApiNotFound on a host one set below, as it
 * would in an Excel that lacks the set. The probes reach each object the way the product does (sheet → range → format
 * …); where the way there needs a newer set than the member (RangeAreas needs 1.13, its `areas` 1.9), the member is
 * tried from the first set that reaches the object.
 */
import { checkApi } from "../../../../scripts/check-api";
import { OfflineHost, createWorkbookModel, sheetFromGrid, type WorkbookModel } from "../../../../src/offline";

const VERSIONS = Array.from({ length: 20 }, (_, i) => `1.${i + 1}`);
const versionIndex = (v: string) => VERSIONS.indexOf(v);

type Ctx = Excel.RequestContext;
type Obj = Record<string, unknown> & { load(p?: unknown): unknown };

/** A workbook holding one of everything the probes reach: data, a table, a chart, a merge, a name, a setting, rules. */
function setupModel(): WorkbookModel {
  const model = createWorkbookModel([]);
  sheetFromGrid(model, "S", [
    ["月份", "目标", "完成"],
    ["1月", 3, 2],
    ["2月", 5, 5],
    ["3月", 4, 1],
  ]);
  sheetFromGrid(model, "Other", [["x"]]);
  return model;
}

async function prepare(model: WorkbookModel): Promise<void> {
  const host = new OfflineHost(model);
  await host.run(async (ctx) => {
    const ws = ctx.workbook.worksheets.getItem("S");
    ws.tables.add("A1:C4", true).name = "T";
    const chart = ws.charts.add("ColumnClustered", ws.getRange("A1:C4"), "Columns");
    chart.name = "C";
    ws.getRange("E1:F2").merge();
    ctx.workbook.names.add("N", ws.getRange("A1"));
    ctx.workbook.settings.add("k", "v");
    // A new rule goes first (priority 0): the custom rule is item 0, the data bar item 1.
    ws.getRange("B2:B4").conditionalFormats.add("DataBar");
    const cf = ws.getRange("B2:B4").conditionalFormats.add("Custom");
    cf.custom.rule.formula = "=$B2>3";
    cf.custom.format.fill.color = "#FF0000";
    ws.getRange("B2:B4").dataValidation.rule = { decimal: { formula1: 0, operator: "GreaterThan" } };
    await ctx.sync();
  });
}

const sheet = (ctx: Ctx) => ctx.workbook.worksheets.getItem("S");
const chart = (ctx: Ctx) => sheet(ctx).charts.getItem("C");
const series = (ctx: Ctx) => chart(ctx).series.getItemAt(0);
const cfCustom = (ctx: Ctx) => sheet(ctx).getRange("B2:B4").conditionalFormats.getItemAt(0);

/** How the product reaches an object of each Excel type the check:api list names. */
const FACTORIES: Record<string, (ctx: Ctx) => unknown> = {
  Workbook: (ctx) => ctx.workbook,
  Application: (ctx) => ctx.workbook.application,
  Functions: (ctx) => ctx.workbook.functions,
  FunctionResult: (ctx) => ctx.workbook.functions.date(1904, 1, 1),
  WorksheetCollection: (ctx) => ctx.workbook.worksheets,
  Worksheet: (ctx) => sheet(ctx),
  Range: (ctx) => sheet(ctx).getRange("H6"),
  RangeAreas: (ctx) => sheet(ctx).getRange("E1:F2").getMergedAreasOrNullObject(),
  RangeFormat: (ctx) => sheet(ctx).getRange("H6").format,
  RangeFont: (ctx) => sheet(ctx).getRange("H6").format.font,
  RangeFill: (ctx) => sheet(ctx).getRange("H6").format.fill,
  AutoFilter: (ctx) => sheet(ctx).autoFilter,
  PageLayout: (ctx) => sheet(ctx).pageLayout,
  WorksheetProtection: (ctx) => sheet(ctx).protection,
  WorksheetFreezePanes: (ctx) => sheet(ctx).freezePanes,
  TableCollection: (ctx) => sheet(ctx).tables,
  Table: (ctx) => sheet(ctx).tables.getItem("T"),
  TableRowCollection: (ctx) => sheet(ctx).tables.getItem("T").rows,
  NamedItemCollection: (ctx) => ctx.workbook.names,
  NamedItem: (ctx) => ctx.workbook.names.getItem("N"),
  SettingCollection: (ctx) => ctx.workbook.settings,
  Setting: (ctx) => ctx.workbook.settings.getItem("k"),
  ChartCollection: (ctx) => sheet(ctx).charts,
  Chart: chart,
  ChartAxes: (ctx) => chart(ctx).axes,
  ChartAxis: (ctx) => chart(ctx).axes.valueAxis,
  ChartAxisTitle: (ctx) => chart(ctx).axes.valueAxis.title,
  ChartLegend: (ctx) => chart(ctx).legend,
  ChartTitle: (ctx) => chart(ctx).title,
  ChartSeriesCollection: (ctx) => chart(ctx).series,
  ChartSeries: series,
  ChartSeriesFormat: (ctx) => series(ctx).format,
  ChartFill: (ctx) => series(ctx).format.fill,
  ChartLineFormat: (ctx) => series(ctx).format.line,
  DataValidation: (ctx) => sheet(ctx).getRange("B2:B4").dataValidation,
  ConditionalFormatCollection: (ctx) => sheet(ctx).getRange("B2:B4").conditionalFormats,
  ConditionalFormat: cfCustom,
  CustomConditionalFormat: (ctx) => cfCustom(ctx).custom,
  ConditionalFormatRule: (ctx) => cfCustom(ctx).custom.rule,
  ConditionalRangeFormat: (ctx) => cfCustom(ctx).custom.format,
  ConditionalRangeFill: (ctx) => cfCustom(ctx).custom.format.fill,
  ConditionalRangeFont: (ctx) => cfCustom(ctx).custom.format.font,
  DataBarConditionalFormat: (ctx) => sheet(ctx).getRange("B2:B4").conditionalFormats.getItemAt(1).dataBar,
};

/** Arguments for the methods the product calls (any valid call will do). */
const ARGS: Record<string, (ctx: Ctx) => unknown[]> = {
  "Functions.date": () => [1904, 1, 1],
  "Application.calculate": () => ["Recalculate"],
  "Range.copyFrom": () => ["A2", "Values"],
  "AutoFilter.apply": (ctx) => [sheet(ctx).getRange("H1:I3"), 0, { filterOn: "Values", values: ["x"] }],
  "Table.resize": () => ["A1:C5"],
  "TableCollection.add": () => ["H1:I3", true],
  "TableCollection.getItem": () => ["T"],
  "TableCollection.getItemOrNullObject": () => ["T"],
  "TableRowCollection.add": () => [undefined, [["4月", 1, 1]]],
  "NamedItemCollection.add": (ctx) => ["N2", sheet(ctx).getRange("A2")],
  "NamedItemCollection.getItem": () => ["N"],
  "NamedItemCollection.getItemOrNullObject": () => ["N"],
  "SettingCollection.add": () => ["k2", "v2"],
  "SettingCollection.getItemOrNullObject": () => ["k"],
  "ChartAxes.getItem": () => ["Value", "Primary"],
  "ChartCollection.add": (ctx) => ["Line", sheet(ctx).getRange("A1:C4"), "Columns"],
  "ChartFill.setSolidColor": () => ["#FF0000"],
  "ChartSeries.setValues": (ctx) => [sheet(ctx).getRange("B2:B4")],
  "ChartSeries.setXAxisValues": (ctx) => [sheet(ctx).getRange("A2:A4")],
  "ChartSeriesCollection.add": () => ["s"],
  "ChartSeriesCollection.getItemAt": () => [0],
  "ConditionalFormatCollection.add": () => ["Custom"],
  "PageLayout.setPrintTitleRows": () => ["$1:$1"],
  "Worksheet.getRange": () => ["A1"],
  "Worksheet.getRangeByIndexes": () => [0, 0, 1, 1],
  "WorksheetCollection.add": () => ["New"],
  "WorksheetCollection.getItem": () => ["S"],
  "WorksheetFreezePanes.freezeRows": () => [1],
  "WorksheetFreezePanes.freezeColumns": () => [1],
  "WorksheetFreezePanes.freezeAt": () => ["A1:B2"],
};

/** Values the product assigns (any valid value will do). */
const VALUES: Record<string, unknown> = {
  "Chart.height": 200,
  "Chart.left": 10,
  "Chart.top": 10,
  "Chart.width": 300,
  "ChartAxis.majorUnit": 5,
  "ChartAxis.maximum": 1,
  "ChartAxis.minimum": 0,
  "ChartAxis.numberFormat": "0%",
  "ChartAxisTitle.text": "次数",
  "ChartLegend.position": "Bottom",
  "ChartLegend.visible": true,
  "ChartLineFormat.color": "#FF0000",
  "ChartSeries.axisGroup": "Secondary",
  "ChartSeries.chartType": "Line",
  "ChartSeries.name": "完成",
  "ChartTitle.text": "目标与完成",
  "ConditionalFormatRule.formula": "=TRUE",
  "ConditionalRangeFill.color": "#00FF00",
  "ConditionalRangeFont.color": "#FFFFFF",
  "DataBarConditionalFormat.barDirection": "LeftToRight",
  "DataValidation.errorAlert": { showAlert: true, style: "Stop", title: "t", message: "m" },
  "DataValidation.ignoreBlanks": true,
  "DataValidation.prompt": { showPrompt: true, title: "t", message: "m" },
  "DataValidation.rule": { decimal: { formula1: 0, operator: "GreaterThanOrEqualTo" } },
  "PageLayout.centerHorizontally": true,
  "PageLayout.orientation": "Landscape",
  "PageLayout.paperSize": "A4",
  "PageLayout.zoom": { scale: 80 },
  "Range.formulas": [["=1+1"]],
  "RangeFill.color": "#FF0000",
  "Range.numberFormat": [["0.0"]],
  "Range.values": [[7]],
  "RangeFont.bold": true,
  "RangeFont.color": "#000000",
  "RangeFont.size": 12,
  "RangeFormat.columnWidth": 60,
  "RangeFormat.useStandardWidth": true,
  "RangeFormat.rowHeight": 20,
  "RangeFormat.verticalAlignment": "Top",
  "RangeFormat.wrapText": true,
  "Table.name": "T9",
  "Table.style": "TableStyleLight1",
  "Worksheet.position": 1,
  "Worksheet.visibility": "Hidden",
};

/**
 * Interfaces (plain objects the product passes): how each reaches the host, and the member read back from what the
 * host stored, so a field the host ignored fails.
 */
const CARRIERS: Record<string, { write: (ctx: Ctx, member: string) => void; read: (ctx: Ctx) => () => unknown }> = {
  PageLayoutZoomOptions: {
    write: (ctx, m) => void (sheet(ctx).pageLayout.zoom = m === "scale" ? { scale: 80 } : { [m]: 2 }),
    read: (ctx) => {
      const pl = sheet(ctx).pageLayout.load("zoom");
      return () => pl.zoom;
    },
  },
  DataValidationRule: {
    write: (ctx, m) =>
      void (sheet(ctx).getRange("H2:H4").dataValidation.rule = {
        list: { list: { inCellDropDown: true, source: "a,b" } },
        decimal: { decimal: { formula1: 0, operator: "GreaterThan" } },
        custom: { custom: { formula: "=H2>0" } },
        date: { date: { formula1: "2025-01-01", formula2: "2025-12-31", operator: "Between" } },
      }[m] as Excel.DataValidationRule),
    read: (ctx) => {
      const dv = sheet(ctx).getRange("H2:H4").dataValidation.load("rule");
      return () => dv.rule;
    },
  },
  ListDataValidation: {
    write: (ctx) =>
      void (sheet(ctx).getRange("H2:H4").dataValidation.rule = { list: { inCellDropDown: true, source: "a,b" } }),
    read: (ctx) => {
      const dv = sheet(ctx).getRange("H2:H4").dataValidation.load("rule");
      return () => dv.rule.list;
    },
  },
  BasicDataValidation: {
    write: (ctx) =>
      void (sheet(ctx).getRange("H2:H4").dataValidation.rule = { decimal: { formula1: 0, operator: "GreaterThan" } }),
    read: (ctx) => {
      const dv = sheet(ctx).getRange("H2:H4").dataValidation.load("rule");
      return () => dv.rule.decimal;
    },
  },
  CustomDataValidation: {
    write: (ctx) => void (sheet(ctx).getRange("H2:H4").dataValidation.rule = { custom: { formula: "=H2>0" } }),
    read: (ctx) => {
      const dv = sheet(ctx).getRange("H2:H4").dataValidation.load("rule");
      return () => dv.rule.custom;
    },
  },
  DateTimeDataValidation: {
    write: (ctx) =>
      void (sheet(ctx).getRange("H2:H4").dataValidation.rule = {
        date: { formula1: "2025-01-01", formula2: "2025-12-31", operator: "Between" },
      }),
    read: (ctx) => {
      const dv = sheet(ctx).getRange("H2:H4").dataValidation.load("rule");
      return () => dv.rule.date;
    },
  },
  DataValidationErrorAlert: {
    write: (ctx) =>
      void (sheet(ctx).getRange("B2:B4").dataValidation.errorAlert = {
        showAlert: true,
        style: "Warning",
        title: "标题",
        message: "消息",
      }),
    read: (ctx) => {
      const dv = sheet(ctx).getRange("B2:B4").dataValidation.load("errorAlert");
      return () => dv.errorAlert;
    },
  },
  DataValidationPrompt: {
    write: (ctx) =>
      void (sheet(ctx).getRange("B2:B4").dataValidation.prompt = { showPrompt: true, title: "标题", message: "消息" }),
    read: (ctx) => {
      const dv = sheet(ctx).getRange("B2:B4").dataValidation.load("prompt");
      return () => dv.prompt;
    },
  },
};

/** Events reach their handlers on a later task than the sync that caused them, as in Excel. */
const laterTask = () => new Promise((r) => setTimeout(r, 0));

/** The arguments the last worksheets.onActivated handler of a probe received. */
let activated: Excel.WorksheetActivatedEventArgs | undefined;
CARRIERS.WorksheetActivatedEventArgs = {
  write: (ctx) => {
    activated = undefined;
    ctx.workbook.worksheets.onActivated.add(async (e) => void (activated = e));
    ctx.workbook.worksheets.getItem("Other").activate();
  },
  read: () => () => activated,
};

/** Cell properties read through getCellProperties: each interface is a level of the nested result. */
function cellProperties(level: (p: Record<string, Record<string, Record<string, unknown>>>) => unknown) {
  return {
    write: (ctx: Ctx) => void ctx,
    read: (ctx: Ctx) => {
      const r = sheet(ctx)
        .getRange("B2:C3")
        .getCellProperties({ format: { fill: { color: true } } });
      // eslint-disable-next-line office-addins/call-sync-before-read, office-addins/load-object-before-read -- read after the caller's sync; a ClientResult needs no load
      return () => level(r.value[0][0] as never);
    },
  };
}
const everything = (p: unknown) => ({ format: p, fill: p, color: p }) as Record<string, unknown>;
Object.assign(CARRIERS, {
  CellPropertiesLoadOptions: cellProperties((p) => everything(p.format)),
  SettableCellProperties: cellProperties((p) => p),
  CellPropertiesFormatLoadOptions: cellProperties((p) => everything(p.format.fill)),
  CellPropertiesFormat: cellProperties((p) => p.format),
  CellPropertiesFillLoadOptions: cellProperties((p) => everything(p.format.fill.color)),
  CellPropertiesFill: cellProperties((p) => p.format.fill),
  FilterCriteria: {
    write: (ctx: Ctx) =>
      sheet(ctx).autoFilter.apply(sheet(ctx).getRange("H1:I3"), 0, { filterOn: "Values", values: ["x"] }),
    read: (ctx: Ctx) => {
      const f = sheet(ctx).autoFilter.load("criteria");
      return () => f.criteria[0];
    },
  },
});

type Probe = { owner: string; member: string; mode: "call" | "write" | "read" | "literal"; version: string };

/** The members the product uses, one probe per owner, member and way of use (reads and loads are one). */
function probes(): Probe[] {
  const seen = new Map<string, Probe>();
  for (const u of checkApi().uses) {
    if (u.member.endsWith("()") || u.version === null) continue;
    const [owner, member] = u.member.split(".");
    const mode = CARRIERS[owner] ? "literal" : u.kind === "call" ? "call" : u.kind === "write" ? "write" : "read";
    const key = `${owner}.${member}.${mode}`;
    const prev = seen.get(key);
    if (!prev || versionIndex(u.version) < versionIndex(prev.version))
      seen.set(key, { owner, member, mode, version: u.version });
  }
  return [...seen.values()].sort((a, b) => `${a.owner}.${a.member}`.localeCompare(`${b.owner}.${b.member}`));
}

/** Runs one use of the member on a fresh workbook at `version`; the error code it fails with, or null. */
async function attempt(p: Probe, version: string, check?: (value: unknown) => void): Promise<string | null> {
  const model = setupModel();
  await prepare(model);
  const host = new OfflineHost(model, { apiVersion: version });
  try {
    await host.run(async (ctx) => {
      if (p.mode === "literal") {
        const carrier = CARRIERS[p.owner];
        carrier.write(ctx, p.member);
        await ctx.sync();
        await laterTask();
        const read = carrier.read(ctx);
        await ctx.sync();
        check?.((read() as Record<string, unknown>)[p.member]);
        return;
      }
      const obj = FACTORIES[p.owner](ctx) as Obj;
      const name = `${p.owner}.${p.member}`;
      if (p.mode === "call") {
        const fn = obj[p.member] as (...a: unknown[]) => unknown;
        fn.apply(obj, ARGS[name]?.(ctx) ?? []);
        await ctx.sync();
      } else if (p.mode === "write") {
        obj[p.member] = VALUES[name];
        await ctx.sync();
      } else {
        let value: unknown;
        try {
          value = obj[p.member];
        } catch (e) {
          // A scalar property: readable once loaded.
          if ((e as { code?: string }).code !== "PropertyNotLoaded") throw e;
          obj.load(p.member);
          await ctx.sync();
          value = obj[p.member];
        }
        await ctx.sync();
        check?.(value);
      }
    });
    return null;
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string") return code;
    throw e;
  }
}

/** The first requirement set at which the host reaches an object of the owner's type (its way there may need one). */
const reachCache = new Map<string, string>();
async function reach(owner: string): Promise<string> {
  const hit = reachCache.get(owner);
  if (hit) return hit;
  for (const v of VERSIONS) {
    const model = setupModel();
    await prepare(model);
    const host = new OfflineHost(model, { apiVersion: v });
    try {
      await host.run(async (ctx) => {
        const carrier = CARRIERS[owner];
        if (carrier) {
          carrier.write(ctx, "");
          await ctx.sync();
          await laterTask();
          carrier.read(ctx);
          await ctx.sync();
          return;
        }
        const obj = FACTORIES[owner](ctx) as Obj;
        obj.load();
        await ctx.sync();
      });
      reachCache.set(owner, v);
      return v;
    } catch (e) {
      const code = (e as { code?: string }).code;
      // A carrier written without a member fails otherwise once the API is there: reached.
      if (CARRIERS[owner] && code !== undefined && code !== "ApiNotFound") {
        reachCache.set(owner, v);
        return v;
      }
      if (code !== "ApiNotFound") throw e;
    }
  }
  throw new Error(`the host never reaches a ${owner}`);
}

describe("offline host coverage of the Excel API members the product uses", () => {
  const list = probes();

  it("has the product's members to check (read from check:api)", () => {
    expect(list.length).toBeGreaterThan(100);
    expect(list).toContainEqual({
      owner: "Range",
      member: "getMergedAreasOrNullObject",
      mode: "call",
      version: "1.13",
    });
  });

  it("has a way to reach every type the product uses", () => {
    const missing = [...new Set(list.map((p) => p.owner))].filter((o) => !FACTORIES[o] && !CARRIERS[o]);
    expect(missing).toEqual([]);
  });

  it.each(list.map((p) => [`${p.owner}.${p.member} (${p.mode}, ExcelApi ${p.version})`, p] as const))(
    "%s is implemented under the set @types/office-js gives",
    async (_label, p) => {
      const from = VERSIONS[Math.max(versionIndex(p.version), versionIndex(await reach(p.owner)))];
      const problems: string[] = [];
      if (p.mode !== "literal") {
        const model = setupModel();
        await new OfflineHost(model).run(async (ctx) => {
          const obj = FACTORIES[p.owner](ctx) as object;
          if (!(p.member in obj)) problems.push(`the host's ${p.owner} has no ${p.member}`);
        });
      }
      let seen: unknown;
      const code = await attempt(p, from, (v) => (seen = v));
      if (code === "ApiNotFound") problems.push(`needs a newer set than ExcelApi ${from} on the host`);
      if (p.mode === "literal" && code === null && (seen === undefined || seen === null))
        problems.push(`the host does not keep ${p.member}`);
      const below = VERSIONS[versionIndex(p.version) - 1];
      if (below !== undefined) {
        const low = await attempt(p, below);
        if (low !== "ApiNotFound") problems.push(`works on a host running ExcelApi ${below} (${low ?? "no error"})`);
      }
      expect(problems).toEqual([]);
    },
  );
});
