/**
 * Property: import(export(model)) equals the model for everything the .xlsx module supports. Generated models stay
 * within the documented normalisations (formulas start with "=", "General" and default fonts are absent, a table's
 * header cells hold its column names, colours are upper-case "#RRGGBB").
 */
import fc from "fast-check";
import type {
  Cell,
  CellStyle,
  ChartModel,
  ChartSeriesModel,
  ConditionalFormatModel,
  DefinedNameModel,
  Rect,
  Scalar,
  SheetModel,
  TableModel,
  ValidationModel,
  WorkbookModel,
} from "../../../../src/offline/model";
import { exportXlsx, importXlsx } from "../../../../src/offline/xlsx";

const SHEET_NAMES = ["计划", "Summary", "汇总 2025", "Data (raw)", "O'Brien", "列表"];
const hex = fc
  .tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }))
  .map((rgb) => "#" + rgb.map((n) => n.toString(16).padStart(2, "0").toUpperCase()).join(""));
const text = fc.oneof(
  fc.string({ unit: "binary", maxLength: 12 }),
  fc.constantFrom("", " 前后空格 ", "a\nb", "a\r\nb", "_x0041_", "<&>\"'", "=1+1", "\u0001\u001f", "宣传12次"),
);
const number = fc.oneof(
  fc.integer({ min: -1e9, max: 1e9 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((x) => (Object.is(x, -0) ? 0 : x)),
);
const error = fc.constantFrom("#DIV/0!", "#N/A", "#VALUE!", "#REF!", "#NAME?").map((e): Scalar => ({ error: e }));
const scalar: fc.Arbitrary<Scalar> = fc.oneof(number, text, fc.boolean(), error);

const style: fc.Arbitrary<CellStyle | undefined> = fc
  .record(
    {
      fill: hex,
      fontColor: hex,
      fontBold: fc.constant(true),
      fontItalic: fc.constant(true),
      fontSize: fc.constantFrom(9, 10, 12, 16),
      fontName: fc.constantFrom("宋体", "Arial", "Microsoft YaHei"),
      wrap: fc.constant(true),
      hAlign: fc.constantFrom("Left" as const, "Center" as const, "Right" as const),
      vAlign: fc.constantFrom("Top" as const, "Center" as const, "Bottom" as const),
      border: fc.constant(true),
    },
    { requiredKeys: [] },
  )
  .map((s) => (Object.keys(s).length ? s : undefined));

const FORMULAS = [
  "=SUM(A1:A3)",
  '=IFERROR(B2/C2,"")',
  "=Plan[@Target]*2",
  "=SUMIFS('计划'!$E:$E,'计划'!$A:$A,$A2)",
  '=A1&"件"',
];
const cell: fc.Arbitrary<Cell> = fc
  .record(
    {
      value: scalar,
      formula: fc.constantFrom(...FORMULAS),
      numberFormat: fc.constantFrom("0", "0.00", "0%", "yyyy-mm-dd", "@", '#,##0"件"', "m/d/yyyy"),
      style,
      quotePrefix: fc.constant(true),
    },
    { requiredKeys: [] },
  )
  .filter((c) => c.value !== undefined || c.formula !== undefined)
  .map((c) => {
    const out: Cell = { ...c };
    if (out.style === undefined) delete out.style;
    return out;
  });

const rect = fc
  .tuple(fc.nat(30), fc.nat(8), fc.nat(5), fc.nat(3))
  .map(([r0, c0, h, w]): Rect => ({ r0, c0, r1: r0 + h, c1: c0 + w }));

const DV_OPS = [
  "Between",
  "NotBetween",
  "EqualTo",
  "NotEqualTo",
  "GreaterThan",
  "LessThan",
  "GreaterThanOrEqualTo",
  "LessThanOrEqualTo",
] as const;
const operand = fc.oneof(fc.integer({ min: -1000, max: 50000 }), fc.constantFrom("=$A$1", "=TODAY()", "=Lists!$B$1"));
const validation: fc.Arbitrary<ValidationModel> = fc.record({
  ranges: fc.array(rect, { minLength: 1, maxLength: 2 }),
  rule: fc.oneof(
    fc.record({
      type: fc.constant("list" as const),
      source: fc.constantFrom("=Lists!$A$1:$A$3", "科普部,办公室", 'a "quoted", b'),
      inCellDropDown: fc.boolean(),
    }),
    fc
      .record({
        type: fc.constantFrom("decimal" as const, "wholeNumber" as const, "date" as const, "textLength" as const),
        operator: fc.constantFrom(...DV_OPS),
        formula1: operand,
        formula2: operand,
      })
      .map((r) => {
        if (r.operator === "Between" || r.operator === "NotBetween") return r;
        const { formula2: _ignored, ...rest } = r;
        return rest;
      }),
    fc.record({ type: fc.constant("custom" as const), formula: fc.constantFrom("=ISNUMBER(A1)", "=LEN(B2)<=50") }),
  ),
  ignoreBlanks: fc.boolean(),
  errorAlert: fc.record({
    showAlert: fc.boolean(),
    style: fc.constantFrom("Stop" as const, "Warning" as const, "Information" as const),
    title: text,
    message: text,
  }),
  prompt: fc.record({ showPrompt: fc.boolean(), title: text, message: text }),
});

const CF_OPS = [
  "Between",
  "NotBetween",
  "EqualTo",
  "NotEqualTo",
  "GreaterThan",
  "LessThan",
  "GreaterThanOrEqual",
  "LessThanOrEqual",
] as const;
const cfFormat = fc.record({ fill: hex, fontColor: hex, fontBold: fc.constant(true) }, { requiredKeys: [] });
const conditionalFormat: fc.Arbitrary<ConditionalFormatModel> = fc
  .tuple(
    fc.record({
      ranges: fc.array(rect, { minLength: 1, maxLength: 2 }),
      priority: fc.integer({ min: 1, max: 20 }),
      stopIfTrue: fc.boolean(),
    }),
    fc.oneof(
      fc
        .record({
          type: fc.constant("cellValue" as const),
          operator: fc.constantFrom(...CF_OPS),
          formula1: fc.constantFrom("=0", "=$B$2", '="完成"'),
          formula2: fc.constantFrom("=100", "=$C$2"),
          format: cfFormat,
        })
        .map((r) => {
          if (r.operator === "Between" || r.operator === "NotBetween") return r;
          const { formula2: _ignored, ...rest } = r;
          return rest;
        }),
      fc.record({
        type: fc.constant("custom" as const),
        formula: fc.constantFrom("=AND($D2>0,$E2<$D2)", '=$A2=""'),
        format: cfFormat,
      }),
      fc.record(
        {
          type: fc.constant("dataBar" as const),
          color: hex,
          min: fc.integer({ min: 0, max: 10 }),
          max: fc.integer({ min: 11, max: 99 }),
        },
        { requiredKeys: ["type", "color"] },
      ),
    ),
  )
  .map(([base, rule]) => ({ ...base, ...rule }) as ConditionalFormatModel);

const CHART_TYPES = ["ColumnClustered", "ColumnStacked", "BarClustered", "Line", "LineMarkers", "LineStacked"];
const COMBO_TYPES = ["Line", "LineMarkers", "ColumnClustered", "ColumnStacked"];
const axis = fc.record(
  {
    title: text,
    min: fc.integer({ min: -10, max: 0 }),
    max: fc.integer({ min: 1, max: 1000 }),
    numberFormat: fc.constantFrom("0%", "#,##0", "0.0"),
  },
  { requiredKeys: ["title"] },
);

function chartArb(sheetName: string): fc.Arbitrary<ChartModel> {
  const q = `'${sheetName.replace(/'/g, "''")}'`;
  const seriesArb = fc.record(
    {
      name: text,
      values: fc.constantFrom(`${q}!$B$2:$B$5`, `${q}!$C$2:$C$5`),
      categories: fc.constant(`${q}!$A$2:$A$5`),
      chartType: fc.constantFrom(...COMBO_TYPES),
      axisGroup: fc.constantFrom("Primary" as const, "Secondary" as const),
      fill: hex,
      line: hex,
    },
    { requiredKeys: ["name", "values", "axisGroup"] },
  );
  const common = {
    name: text,
    title: text,
    top: fc.nat(800),
    left: fc.nat(600),
    width: fc.integer({ min: 50, max: 500 }),
    height: fc.integer({ min: 50, max: 400 }),
    legend: fc.oneof(
      fc.record({
        visible: fc.constant(true),
        position: fc.constantFrom("Top" as const, "Bottom" as const, "Left" as const, "Right" as const),
      }),
      fc.constant({ visible: false, position: "Right" as const }),
    ),
  };
  const axisChart = fc
    .record({
      ...common,
      type: fc.constantFrom(...CHART_TYPES),
      series: fc.array(seriesArb, { minLength: 1, maxLength: 3 }),
      cat: text,
      value: axis,
      secondary: axis,
    })
    .map(({ cat, value, secondary, series, ...rest }): ChartModel => {
      const fixed: ChartSeriesModel[] = series.map((s, i) => {
        const out = { ...s };
        // The chart's type is read back from its first series; a per-series type equal to the chart's is implied.
        if (i === 0 || out.chartType === rest.type) delete out.chartType;
        if (i === 0) out.axisGroup = "Primary";
        return out;
      });
      const chart: ChartModel = { ...rest, series: fixed, axes: { category: { title: cat }, value } };
      if (fixed.some((s) => s.axisGroup === "Secondary")) chart.axes.secondaryValue = secondary;
      return chart;
    });
  const pie = fc
    .record({ ...common, values: fc.constantFrom(`${q}!$B$2:$B$5`), name2: text, fill: hex })
    .map(({ values, name2, fill, ...rest }): ChartModel => ({
      ...rest,
      type: "Pie",
      series: [{ name: name2, values, axisGroup: "Primary", fill }],
      axes: { category: { title: "" }, value: { title: "" } },
    }));
  return fc.oneof({ arbitrary: axisChart, weight: 4 }, { arbitrary: pie, weight: 1 });
}

function sheetArb(name: string, index: number): fc.Arbitrary<SheetModel> {
  return fc
    .record({
      cells: fc.array(fc.tuple(fc.nat(35), fc.nat(10), cell), { maxLength: 40 }),
      merges: fc.array(rect, { maxLength: 2 }),
      table: fc.option(
        fc.record({
          columns: fc.uniqueArray(fc.constantFrom("月份", "Target", "Actual", "责任 部门", "Notes#1"), {
            minLength: 1,
            maxLength: 4,
          }),
          rows: fc.integer({ min: 1, max: 6 }),
          style: fc.constantFrom("TableStyleMedium2", "TableStyleLight9", ""),
          showTotals: fc.boolean(),
          formula: fc.option(fc.constantFrom("=[@Target]*2", "=Plan[@Target]-1"), { nil: undefined }),
        }),
        { nil: undefined },
      ),
      validations: fc.array(validation, { maxLength: 2 }),
      conditionalFormats: fc.array(conditionalFormat, { maxLength: 3 }),
      charts: fc.array(chartArb(name), { maxLength: 2 }),
      widths: fc.array(
        fc.tuple(
          fc.nat(12),
          fc.integer({ min: 100, max: 30000 }).map((x) => x / 100),
        ),
        { maxLength: 4 },
      ),
      heights: fc.array(
        fc.tuple(
          fc.nat(40),
          fc.integer({ min: 20, max: 400 }).map((x) => x / 4),
        ),
        { maxLength: 4 },
      ),
      hiddenRows: fc.uniqueArray(fc.nat(45), { maxLength: 3 }),
      hiddenColumns: fc.uniqueArray(fc.nat(12), { maxLength: 3 }),
      freeze: fc.record({ rows: fc.nat(3), columns: fc.nat(2) }),
      visibility: fc.constantFrom("Visible" as const, "Hidden" as const, "VeryHidden" as const),
      protected: fc.boolean(),
      autoFilter: fc.option(
        rect.map((ref) => ({ ref, active: false })),
        { nil: undefined },
      ),
      props: fc.array(fc.tuple(fc.constantFrom("role", "planLedger.version"), text), { maxLength: 2 }),
      tabColor: fc.option(hex, { nil: undefined }),
      id: fc.constantFrom(`{sheet-${index}}`, `{00000000-000${index + 1}-0000-0000-000000000000}`),
    })
    .map((g): SheetModel => {
      const rows = new Map<number, Map<number, Cell>>();
      const put = (r: number, c: number, v: Cell) => {
        let row = rows.get(r);
        if (!row) rows.set(r, (row = new Map()));
        row.set(c, v);
      };
      for (const [r, c, v] of g.cells) put(r, c, v);
      const tables: TableModel[] = [];
      if (g.table) {
        const r0 = 40;
        const t: TableModel = {
          name: `Tbl${index}`,
          ref: { r0, c0: 1, r1: r0 + g.table.rows, c1: g.table.columns.length },
          columns: g.table.columns,
          style: g.table.style,
          showHeaders: true,
          showTotals: g.table.showTotals,
        };
        if (g.table.formula) t.columnFormulas = { 0: g.table.formula };
        g.table.columns.forEach((col, i) => put(r0, 1 + i, { value: col }));
        tables.push(t);
      }
      const s: SheetModel = {
        id: g.id,
        name,
        visibility: g.visibility,
        rows,
        merges: g.merges,
        tables,
        validations: g.validations,
        conditionalFormats: g.conditionalFormats,
        charts: g.charts,
        columnWidths: new Map(g.widths),
        rowHeights: new Map(g.heights),
        freeze: g.freeze,
        protected: g.protected,
        customProperties: new Map(g.props),
      };
      if (g.autoFilter) s.autoFilter = g.autoFilter;
      if (g.hiddenRows.length) s.hiddenRows = new Set(g.hiddenRows);
      if (g.hiddenColumns.length) s.hiddenColumns = new Set(g.hiddenColumns);
      if (g.tabColor) s.tabColor = g.tabColor;
      return s;
    });
}

const workbookArb: fc.Arbitrary<WorkbookModel> = fc
  .shuffledSubarray(SHEET_NAMES, { minLength: 1, maxLength: 3 })
  .chain((names) =>
    fc.record({
      sheets: fc.tuple(...names.map((n, i) => sheetArb(n, i))),
      names: fc.uniqueArray(
        fc.record({
          name: fc.constantFrom("Owners", "Start_Date", "计划范围", "_Hidden1"),
          formula: fc.constantFrom("=Lists!$A$1:$A$3", "=DATE(2025,1,1)", `='${names[0]}'!$B$2`),
          comment: text,
          visible: fc.boolean(),
          scope: fc.nat(names.length),
        }),
        { selector: (n) => n.name, maxLength: 3 },
      ),
      settings: fc.array(fc.tuple(fc.constantFrom("planLedger.mapping", "k", "设置"), fc.json()), { maxLength: 3 }),
      active: fc.nat(names.length - 1),
    }),
  )
  .map((g): WorkbookModel => ({
    sheets: g.sheets,
    names: g.names.map(({ scope, ...n }): DefinedNameModel => {
      const sheetId = g.sheets[scope]?.id;
      return sheetId ? { ...n, scopeSheetId: sheetId } : n;
    }),
    settings: new Map(g.settings),
    activeSheet: g.active,
    notCarried: [],
  }));

describe("xlsx round trip (property)", () => {
  it("import(export(model)) equals the model for every supported feature", async () => {
    await fc.assert(
      fc.asyncProperty(workbookArb, async (model) => {
        const back = await importXlsx(await exportXlsx(model));
        expect(back).toEqual(model);
      }),
      { numRuns: 150 },
    );
  });
});
