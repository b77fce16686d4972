/**
 * The workbench's pure parts, without a browser: the sample plan the pane must recognise, the grid model (merges,
 * formats, tables, validation, spilling text, caps), conditional-format evaluation and chart data.
 */
import { createOfflineOperations } from "../../src/hosting/offline";
import { createWorkbookModel, OfflineHost, sheetFromGrid } from "../../src/offline";
import type { ChartModel, ConditionalFormatModel, SheetModel, WorkbookModel } from "../../src/offline";
import { chartData, niceAxis } from "../../src/workbench/chart";
import { buildGrid, buildGridInSlices, cellText, MAX_ROWS } from "../../src/workbench/grid";
import { buildSample, sampleSheetNames } from "../../src/workbench/sample";

const NOW = new Date(2026, 10, 15); // 2026-11-15

function sheetWith(grid: unknown[][]) {
  const model = createWorkbookModel([]);
  const sheet = sheetFromGrid(model, "S", grid);
  return { model, sheet };
}

function cf(rule: Partial<ConditionalFormatModel> & Pick<ConditionalFormatModel, "type">): ConditionalFormatModel {
  return {
    ranges: [{ r0: 0, c0: 0, r1: 3, c1: 1 }],
    priority: 1,
    stopIfTrue: false,
    ...rule,
  } as ConditionalFormatModel;
}

describe("the sample workbook", () => {
  it("is a Chinese ledger (active) and an English plan for the clock's year, both previewed with their header in row 3", async () => {
    const model = buildSample(NOW);
    const names = sampleSheetNames(2026);
    expect(model.sheets.map((s) => s.name)).toEqual([names.ledger, names.plan]);
    expect(model.sheets[model.activeSheet].name).toBe(names.ledger);
    const host = new OfflineHost(model, { now: () => NOW });
    const ops = createOfflineOperations(host, { now: () => NOW });
    const zh = await ops.preview({});
    expect(zh).toMatchObject({ sheet: names.ledger, headerRow: 3, rows: 14 });
    expect(zh.confidence).toBeGreaterThanOrEqual(0.8);
    expect(zh.period.start).toBe("2026-01");
    const en = await ops.preview({ sheet: names.plan });
    expect(en).toMatchObject({ headerRow: 3, rows: 11 });
    expect(Object.keys(en.mapping).sort()).toEqual(
      ["activity", "actual", "category", "month", "notes", "owner", "status", "target", "unit"].sort(),
    );
  });

  it("totals its numeric targets with a live SUM below the items", () => {
    const model = buildSample(NOW);
    new OfflineHost(model).recalculate();
    const total = model.sheets[0].rows.get(21)?.get(6);
    expect(total?.formula).toBe("=SUM(G5:G21)");
    // 12+4+6+31+6+2+4+3+50+1: the text quantities (6期, 2~3, 1万, 两) do not count until structured.
    expect(total?.value).toBe(119);
  });
});

describe("buildGrid", () => {
  it("spans merged cells, drops the cells they cover and counts only drawn rows in a span", () => {
    const { model, sheet } = sheetWith([
      ["Title", "", ""],
      ["a", "b", "c"],
      ["d", "e", "f"],
    ]);
    sheet.merges.push({ r0: 0, c0: 0, r1: 0, c1: 2 }, { r0: 1, c0: 0, r1: 2, c1: 0 });
    sheet.hiddenRows = new Set([2]);
    const view = buildGrid(new OfflineHost(model, { now: () => NOW }), sheet);
    expect(view.rows).toEqual([0, 1]);
    expect(view.cells.get("0,0")).toMatchObject({ colSpan: 3, rowSpan: 1, text: "Title" });
    expect(view.cells.get("1,0")).toMatchObject({ rowSpan: 1, colSpan: 1 });
    expect(view.cells.has("0,1")).toBe(false);
    expect(view.covered.has("2,0")).toBe(true);
  });

  it("shows values through their number formats, aligns numbers right and text left", () => {
    expect(cellText({ value: 46023, numberFormat: 'yyyy"年"m"月"' })).toBe("2026年1月");
    expect(cellText({ value: 46023, numberFormat: "mmm yyyy" })).toBe("Jan 2026");
    expect(cellText({ value: 0.4286, numberFormat: "0.0%" })).toBe("42.9%");
    expect(cellText({ value: { error: "#REF!" } })).toBe("#REF!");
    const { model, sheet } = sheetWith([[3, "x"]]);
    const view = buildGrid(new OfflineHost(model, { now: () => NOW }), sheet);
    expect(view.cells.get("0,0")).toMatchObject({ kind: "number", align: "right" });
    expect(view.cells.get("0,1")).toMatchObject({ kind: "text", align: "left" });
  });

  it("marks table headers and bands, validated cells, and lets text spill only into an empty neighbour", () => {
    const { model, sheet } = sheetWith([
      ["Month", "Task"],
      ["Jan", ""],
      ["Feb", "x"],
      ["long text here", ""],
    ]);
    sheet.tables.push({
      name: "T",
      ref: { r0: 0, c0: 0, r1: 2, c1: 1 },
      columns: ["Month", "Task"],
      style: "TableStyleMedium2",
      showHeaders: true,
      showTotals: false,
    });
    sheet.validations.push({
      ranges: [{ r0: 1, c0: 0, r1: 2, c1: 0 }],
      rule: { type: "list", source: "=Lists!$A$2:$A$13", inCellDropDown: true },
      ignoreBlanks: true,
      errorAlert: { showAlert: true, style: "Stop", title: "", message: "" },
      prompt: { showPrompt: false, title: "", message: "" },
    });
    const view = buildGrid(new OfflineHost(model, { now: () => NOW }), sheet);
    expect(view.cells.get("0,0")?.table).toEqual({ name: "T", role: "header" });
    expect(view.cells.get("1,0")?.table?.role).toBe("band");
    expect(view.cells.get("2,0")?.table?.role).toBe("body");
    expect(view.cells.get("3,0")?.table).toBeUndefined();
    expect(view.cells.get("1,0")?.validation).toEqual({ type: "list", detail: "=Lists!$A$2:$A$13" });
    expect(view.cells.get("0,1")?.validation).toBeUndefined();
    expect(view.cells.get("1,0")?.spill).toBe(true);
    expect(view.cells.get("2,0")?.spill).toBe(false);
    expect(view.cells.get("3,0")?.spill).toBe(true);
  });

  it("builds the same view in slices, pausing between them, and gives up once a newer view is wanted", async () => {
    const rows = Array.from({ length: 120 }, (_, i) => [i % 3 === 0 ? "done" : "open", i, `task ${i}`]);
    const { model, sheet } = sheetWith(rows);
    sheet.merges.push({ r0: 0, c0: 2, r1: 1, c1: 2 });
    sheet.conditionalFormats.push(
      cf({
        type: "custom",
        formula: '=$A1="done"',
        format: { fill: "#C6EFCE" },
        ranges: [{ r0: 0, c0: 0, r1: 119, c1: 2 }],
      }),
    );
    const host = new OfflineHost(model, { now: () => NOW });
    let pauses = 0;
    const pause = async () => {
      pauses++;
      await new Promise((resolve) => setTimeout(resolve, 0));
    };
    // A slice of 0 ms pauses after every row: the view must not depend on where the pauses fall.
    const sliced = await buildGridInSlices(host, sheet, 0, pause);
    expect(sliced).toEqual(buildGrid(host, sheet));
    expect(sliced?.cells.get("3,1")).toMatchObject({ text: "3", fill: "#C6EFCE" });
    expect(pauses).toBeGreaterThanOrEqual(120);

    pauses = 0;
    const abandoned = await buildGridInSlices(host, sheet, 0, pause, () => pauses < 5);
    expect(abandoned).toBeNull();
    expect(pauses).toBe(5);
  });

  it("reads the workbook between the host's batches, with its formulas calculated (OfflineHost.readCalculated)", async () => {
    const { model, sheet } = sheetWith([[1]]);
    const host = new OfflineHost(model, { now: () => NOW });
    await host.run(async (context) => {
      context.workbook.worksheets.getItem("S").getRange("B1").formulas = [["=A1*2"]];
      await context.sync();
    });
    // A batch is under way (its sync waits a task before running); the read queued after it sees its result.
    const writing = host.run(async (context) => {
      context.workbook.worksheets.getItem("S").getRange("A1").values = [[5]];
      await context.sync();
    });
    const read = host.readCalculated(
      0,
      () => new Promise((resolve) => setTimeout(resolve, 0)),
      async () => Promise.resolve(sheet.rows.get(0)?.get(1)?.value),
    );
    await writing;
    await expect(read).resolves.toBe(10);
  });

  it("caps the rows drawn and says so", () => {
    const { model, sheet } = sheetWith(Array.from({ length: MAX_ROWS + 50 }, (_, i) => [i]));
    const view = buildGrid(new OfflineHost(model, { now: () => NOW }), sheet);
    expect(view.rows).toHaveLength(MAX_ROWS);
    expect(view).toMatchObject({ capped: true, totalRows: MAX_ROWS + 50 });
  });
});

/** The host's evaluation of a sheet's conditional formats, with the test's clock. */
function conditionalFormatsOf(model: WorkbookModel, sheet: SheetModel, now: Date) {
  return new OfflineHost(model, { now: () => now }).conditionalFormats(sheet.name);
}

describe("conditional formats drawn with the engine's evaluation", () => {
  it("moves relative references with the cell and keeps $-anchored ones", () => {
    const { model, sheet } = sheetWith([
      ["done", 1],
      ["late", 2],
      ["done", 3],
      ["", 4],
    ]);
    sheet.conditionalFormats.push(cf({ type: "custom", formula: '=$A1="done"', format: { fill: "#C6EFCE" } }));
    const { at, skipped } = conditionalFormatsOf(model, sheet, NOW);
    expect(skipped).toBe(0);
    expect([0, 1, 2, 3].map((r) => at(r, 1)?.fill)).toEqual(["#C6EFCE", undefined, "#C6EFCE", undefined]);
  });

  it("applies rules by priority, first fill wins, and stops after a stopIfTrue match", () => {
    const { model, sheet } = sheetWith([[5], [50]]);
    sheet.conditionalFormats.push(
      cf({ type: "cellValue", operator: "GreaterThan", formula1: "=10", format: { fill: "#FF0000" }, priority: 2 }),
      cf({
        type: "cellValue",
        operator: "Between",
        formula1: "1",
        formula2: "100",
        format: { fill: "#00FF00", fontColor: "#000000" },
        priority: 1,
      }),
      cf({ type: "custom", formula: "=TRUE", format: { fontBold: true }, priority: 3 }),
    );
    const { at } = conditionalFormatsOf(model, sheet, NOW);
    expect(at(1, 0)).toEqual({ fill: "#00FF00", fontColor: "#000000", fontBold: true });
    sheet.conditionalFormats[1].stopIfTrue = true;
    expect(conditionalFormatsOf(model, sheet, NOW).at(1, 0)).toEqual({ fill: "#00FF00", fontColor: "#000000" });
  });

  it("evaluates dates against the clock through defined names (the 'behind' rule's shape)", () => {
    const { model, sheet } = sheetWith([[0.2], [0.99]]);
    const lists = sheetFromGrid(model, "Lists", [[46023]]); // 2026-01-01
    expect(lists.name).toBe("Lists");
    model.names.push({ name: "Start", formula: "=Lists!$A$1", comment: "", visible: true });
    sheet.conditionalFormats.push(
      cf({
        type: "custom",
        formula: "=$A1<(TODAY()-Start+1)/(EOMONTH(Start,11)-Start+1)",
        format: { fill: "#FFEB9C" },
      }),
    );
    const { at } = conditionalFormatsOf(model, sheet, NOW);
    expect(at(0, 0)?.fill).toBe("#FFEB9C"); // 20% done, ~87% of the year gone
    expect(at(1, 0)).toBeUndefined();
  });

  it("counts rules with functions the engine lacks as skipped instead of guessing", () => {
    const { model, sheet } = sheetWith([[1]]);
    sheet.conditionalFormats.push(
      cf({ type: "custom", formula: "=XLOOKUP($A1,$A:$A,$B:$B)>1", format: { fill: "#FF0000" } }),
      cf({ type: "cellValue", operator: "EqualTo", formula1: "=FILTERXML(1,2)", format: { fill: "#FF0000" } }),
    );
    const { at, skipped } = conditionalFormatsOf(model, sheet, NOW);
    expect(skipped).toBe(2);
    expect(at(0, 0)).toBeUndefined();
  });

  it("evaluates what the engine evaluates: ranges, COUNTIF and structured references (the old view's own evaluator skipped them)", () => {
    const { model, sheet } = sheetWith([
      ["目标", "完成"],
      [3, 3],
      [4, 1],
    ]);
    sheet.tables.push({
      name: "T",
      ref: { r0: 0, c0: 0, r1: 2, c1: 1 },
      columns: ["目标", "完成"],
      style: "",
      showHeaders: true,
      showTotals: false,
    });
    sheet.conditionalFormats.push(
      cf({
        ranges: [{ r0: 1, c0: 1, r1: 2, c1: 1 }],
        type: "custom",
        formula: "=SUM($A$2:$A$3)=7",
        format: { fontBold: true },
      }),
      cf({
        ranges: [{ r0: 1, c0: 1, r1: 2, c1: 1 }],
        type: "custom",
        formula: "=$B2>=INDEX(T[目标],ROW()-1)",
        format: { fill: "#C6EFCE" },
      }),
      cf({
        ranges: [{ r0: 1, c0: 0, r1: 2, c1: 0 }],
        type: "custom",
        formula: '=COUNTIF($B$2:$B$3,">2")=1',
        format: { fill: "#BDD7EE" },
      }),
    );
    const { at, skipped } = conditionalFormatsOf(model, sheet, NOW);
    expect(skipped).toBe(0);
    expect(at(1, 1)).toEqual({ fontBold: true, fill: "#C6EFCE" });
    expect(at(2, 1)).toEqual({ fontBold: true });
    expect(at(1, 0)?.fill).toBe("#BDD7EE");
  });

  it("sizes data bars between the range's minimum (or zero) and maximum", () => {
    const { model, sheet } = sheetWith([[0.5], [1], [""]]);
    sheet.conditionalFormats.push(cf({ type: "dataBar", color: "#638EC6" }));
    const { at } = conditionalFormatsOf(model, sheet, NOW);
    expect(at(0, 0)?.bar).toEqual({ ratio: 0.5, color: "#638EC6" });
    expect(at(1, 0)?.bar?.ratio).toBe(1);
    expect(at(2, 0)).toBeUndefined();
  });
});

describe("chart data", () => {
  it("chooses round ticks that include zero", () => {
    expect(niceAxis(0, 37).ticks).toEqual([0, 10, 20, 30, 40]);
    expect(niceAxis(0, 0.667)).toMatchObject({ min: 0, max: 0.8 });
    expect(niceAxis(-3, 4).ticks).toContain(0);
  });

  it("draws the chart's own major unit: whole steps on a count axis, 20 % steps on a 0–100 % rate axis", () => {
    expect(niceAxis(0, 2).ticks).toContain(0.5);
    expect(niceAxis(0, 2, 1).ticks).toEqual([0, 1, 2]);
    expect(niceAxis(0, 1, 0.2)).toEqual({ min: 0, max: 1, ticks: [0, 0.2, 0.4, 0.6, 0.8, 1] });
  });

  it("resolves series and categories from the sheet, with a secondary line axis formatted like its cells", () => {
    const model = createWorkbookModel([]);
    const s: SheetModel = sheetFromGrid(model, "汇总", [
      ["Month", "Plan", "Done", "Rate"],
      ["Jan", 3, 2, 0.667],
      ["Feb", 0, 0, ""],
    ]);
    for (const r of [1, 2]) s.rows.get(r)!.set(3, { ...s.rows.get(r)!.get(3), numberFormat: "0.0%" });
    const chart: ChartModel = {
      name: "Chart 1",
      type: "ColumnClustered",
      title: "By month",
      series: [
        {
          name: "Plan",
          values: "'汇总'!$B$2:$B$3",
          categories: "'汇总'!$A$2:$A$3",
          axisGroup: "Primary",
          fill: "#D9D9D9",
        },
        { name: "Done", values: "'汇总'!$C$2:$C$3", axisGroup: "Primary" },
        { name: "Rate", values: "'汇总'!$D$2:$D$3", chartType: "Line", axisGroup: "Secondary", line: "#000000" },
      ],
      axes: { category: { title: "Month" }, value: { title: "Items" }, secondaryValue: { title: "Rate" } },
      legend: { visible: true, position: "Bottom" },
      top: 0,
      left: 0,
      width: 400,
      height: 250,
    };
    const d = chartData(model, chart);
    expect(d.categories).toEqual(["Jan", "Feb"]);
    expect(d.series.map((x) => [x.kind, x.secondary, x.values])).toEqual([
      ["column", false, [3, 0]],
      ["column", false, [2, 0]],
      ["line", true, [0.667, null]],
    ]);
    expect(d.series[1].fill).toBeDefined(); // a palette colour when the model gives none
    expect(d.primary).toMatchObject({ min: 0, title: "Items" });
    expect(d.secondary).toMatchObject({ numberFormat: "0.0%", title: "Rate" });
    expect(d.horizontal).toBe(false);
  });
});
