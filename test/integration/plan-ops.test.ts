import { createOfflineOperations } from "../../src/hosting/offline";
import { runGenerateSummary } from "../../src/commands/run";
import { CONFIG_KEY, parseConfig } from "../../src/excel/config";
import { OfflineHost, createWorkbookModel, sheetFromGrid } from "../../src/offline";
import type { WorkbookModel, SheetModel } from "../../src/offline";
import { academicEn, hostileSheet, ledgerZh, ledgerZhMerges, messyPlanGrid } from "../fixtures/sheets";
import { addMerges, cellsSnapshot, gridOf, typedAsText } from "../support/sheets";

const NOW = new Date(2025, 9, 15); // 2025-10-15

function hostWith(sheets: { name: string; grid: unknown[][]; merges?: typeof ledgerZhMerges }[], apiVersion = "1.17") {
  const model: WorkbookModel = createWorkbookModel([]);
  for (const s of sheets) {
    addMerges(sheetFromGrid(model, s.name, s.grid), s.merges ?? []);
  }
  model.activeSheet = 0;
  const host = new OfflineHost(model, { apiVersion, now: () => NOW });
  const ops = createOfflineOperations(host, { now: () => NOW });
  return { host, ops, model };
}

function cell(sheet: SheetModel, a1: string) {
  const m = /^([A-Z]+)(\d+)$/.exec(a1)!;
  let col = 0;
  for (const ch of m[1]) col = col * 26 + ch.charCodeAt(0) - 64;
  return sheet.rows.get(Number(m[2]) - 1)?.get(col - 1);
}

/** Every text that appears anywhere on the sheet (values, and formula-free text), for "nothing lost" checks. */
function sheetTexts(sheet: SheetModel): string {
  const out: string[] = [];
  for (const row of sheet.rows.values())
    for (const c of row.values()) if (c.value !== undefined) out.push(String(c.value));
  return out.join("\n");
}

describe("structurePlan on a Chinese 台账", () => {
  it("makes a table, normalises months and quantities, keeps originals, and leaves other sheets alone", async () => {
    const other = [["别的表", 1, "=B1*2"]];
    const { host, ops, model } = hostWith([
      { name: "2025年台账", grid: ledgerZh as unknown[][], merges: ledgerZhMerges },
      { name: "其他", grid: other },
    ]);
    host.recalculate(); // compare computed results too, not only what was typed
    const otherBefore = cellsSnapshot(model.sheets[1]);
    host.resetStats();
    const result = await ops.structure({ lang: "zh-CN" });
    expect(host.stats.syncs).toBeLessThanOrEqual(3);
    expect(result.table).toBe("Plan");
    const sheet = model.sheets[0];
    const table = sheet.tables.find((t) => t.name === "Plan")!;
    expect(table.ref.r0).toBe(2); // header row 3 kept
    expect(table.ref.r1).toBe(16); // the 合计 row (index 17) stays outside
    expect(cell(sheet, "C3")?.value).toBe("工作任务");
    // Merged 1月 over rows 5–7 became the same month in each row.
    const jan = cell(sheet, "B5")?.value;
    expect(typeof jan).toBe("number");
    expect(cell(sheet, "B6")?.value).toBe(jan);
    expect(cell(sheet, "B7")?.value).toBe(jan);
    expect(sheet.merges.some((m) => m.r0 === 4 && m.c0 === 1)).toBe(false);
    // The title rows above the header keep their merges.
    expect(sheet.merges).toEqual([
      { r0: 0, c0: 0, r1: 0, c1: 9 },
      { r0: 1, c0: 0, r1: 1, c1: 6 },
      { r0: 1, c0: 7, r1: 1, c1: 9 },
    ]);
    // 6期 → 6; 2~3 → 2 with the wording kept; 1万 → 10000.
    expect(cell(sheet, "G6")?.value).toBe(6);
    expect(cell(sheet, "G8")?.value).toBe(2);
    expect(sheetTexts(sheet)).toContain("2~3");
    expect(sheetTexts(sheet)).toContain("3~4月");
    expect(cell(sheet, "G9")?.value).toBe(10000);
    // The title row and the total row are untouched.
    expect(cell(sheet, "A1")?.value).toBe("2025年度市科协重点工作任务台账");
    expect(cell(sheet, "G18")?.value).toBe(88);
    // Validation, formats and configuration exist.
    expect(sheet.validations.length).toBeGreaterThanOrEqual(4);
    expect(sheet.conditionalFormats.length).toBeGreaterThanOrEqual(4);
    expect(sheet.freeze.rows).toBe(3);
    expect(parseConfig(JSON.parse(model.settings.get(CONFIG_KEY)!))?.table).toBe("Plan");
    // The other sheet is byte-for-byte the same.
    expect(cellsSnapshot(model.sheets[1])).toBe(otherBefore);
  });

  it("keeps the columns the user froze while freezing the header rows", async () => {
    const { ops, model } = hostWith([{ name: "台账", grid: ledgerZh as unknown[][], merges: ledgerZhMerges }]);
    model.sheets[0].freeze = { rows: 0, columns: 3 };
    await ops.structure({ lang: "zh-CN" });
    expect(model.sheets[0].freeze).toEqual({ rows: 3, columns: 3 });
  });

  it("keeps every value the user typed", async () => {
    const { ops, model } = hostWith([{ name: "台账", grid: ledgerZh as unknown[][], merges: ledgerZhMerges }]);
    await ops.structure({ lang: "zh-CN" });
    const text = sheetTexts(model.sheets.find((s) => s.name === "台账")!);
    for (const row of ledgerZh) {
      for (const v of row) {
        if (v === "" || v === null || v === undefined) continue;
        const s = String(v);
        // Normalised months and quantities keep their wording in the notes where information would be lost; plain
        // numbers and canonical months may change form.
        if (/^\d+$/.test(s) || /^\d+月$/.test(s) || s === "6期" || s === "1万" || s === "两" || s === "第三季度")
          continue;
        // Several owners in one cell: the lead stays in the owner column and the others move beside it.
        for (const part of s.split(/、|(?<=..)和(?=..)/)) expect(text).toContain(part);
      }
    }
  });

  it("runs again without duplicating the table, lists, names or rules", async () => {
    const { ops, model } = hostWith([{ name: "台账", grid: ledgerZh as unknown[][], merges: ledgerZhMerges }]);
    await ops.structure({ lang: "zh-CN" });
    const counts = () => ({
      sheets: model.sheets.length,
      tables: model.sheets.flatMap((s) => s.tables).length,
      names: model.names.length,
      validations: model.sheets[0].validations.length,
      cfs: model.sheets[0].conditionalFormats.length,
    });
    const first = counts();
    const columns = [...model.sheets[0].tables[0].columns];
    await ops.structure({ lang: "zh-CN" });
    expect(counts()).toEqual(first);
    // The computed 完成率 and 状态 columns are found again and updated, not added a second time.
    expect(model.sheets[0].tables[0].columns).toEqual(columns);
  });

  it("writes user text literally, never as a formula", async () => {
    const { ops, model } = hostWith([{ name: "Hostile", grid: hostileSheet as unknown[][] }]);
    // The fixture's "=…" texts were typed as text (apostrophe), not as formulas.
    typedAsText(model.sheets[0]);
    await ops.structure({ lang: "en-US" });
    const sheet = model.sheets[0];
    for (const row of sheet.rows.values()) {
      for (const c of row.values()) {
        if (c.formula) expect(c.formula).not.toMatch(/HYPERLINK|@SUM|讲座|减号/);
      }
    }
  });
});

describe("checkPlan", () => {
  it("lists findings with cells in two round trips: the values, then the formulas and formats structuring reads", async () => {
    const { host, ops } = hostWith([{ name: "Hostile", grid: hostileSheet as unknown[][] }]);
    host.resetStats();
    const result = await ops.check({});
    expect(host.stats.syncs).toBe(2);
    expect(result.findings.length).toBeGreaterThan(0);
    for (const f of result.findings) expect(f.cell).toMatch(/^[A-Z]+\d+$/);
  });
});

describe("generateSummary", () => {
  it("writes live formulas whose values equal the core model, and regenerates in place", async () => {
    const { host, ops, model } = hostWith([{ name: "AY plan", grid: academicEn as unknown[][] }]);
    await ops.structure({ lang: "en-US" });
    host.resetStats();
    const result = await ops.summarize({ lang: "en-US" });
    expect(host.stats.syncs).toBeLessThanOrEqual(4);
    host.recalculate();
    const sheet = model.sheets.find((s) => s.name === result.sheet)!;
    expect(cell(sheet, "A5")?.value).toBe(result.kpis.activities);
    expect(cell(sheet, "B5")?.value).toBe(result.kpis.completed);
    expect(cell(sheet, "D5")?.value).toBe(result.kpis.overdue);
    expect(sheet.tables.map((t) => t.name)).toEqual(
      expect.arrayContaining(["SummaryByMonth", "SummaryByOwner", "SummaryByUnit", "OverdueItems"]),
    );
    expect(sheet.charts).toHaveLength(3);
    const position = model.sheets.indexOf(sheet);
    const count = model.sheets.length;
    await ops.summarize({ lang: "en-US" });
    expect(model.sheets.length).toBe(count);
    expect(model.sheets[position].name).toBe(result.sheet);
    expect(model.sheets.flatMap((s) => s.tables).filter((t) => t.name === "SummaryByMonth")).toHaveLength(1);
  });

  it("leaves a user's own table named like ours alone, and regenerates around it", async () => {
    const { ops, model } = hostWith([
      { name: "AY plan", grid: academicEn as unknown[][] },
      {
        name: "Mine",
        grid: [
          ["Month", "Note"],
          ["Sep", "x"],
        ],
      },
    ]);
    const mine = model.sheets[1];
    mine.tables.push({
      name: "SummaryByMonth",
      ref: { r0: 0, c0: 0, r1: 1, c1: 1 },
      columns: ["Month", "Note"],
      style: "TableStyleLight1",
      showHeaders: true,
      showTotals: false,
    });
    await ops.structure({ lang: "en-US" });
    for (let run = 0; run < 2; run++) {
      const result = await ops.summarize({ lang: "en-US" });
      const ours = model.sheets.find((s) => s.name === result.sheet)!;
      expect(ours.tables.map((t) => t.name)).toContain("SummaryByMonth2");
      expect(mine.tables.map((t) => t.name)).toEqual(["SummaryByMonth"]);
    }
  });
});

describe("structurePlan refuses clearly and leaves the workbook as it was", () => {
  const snapshot = (model: WorkbookModel) =>
    JSON.stringify(
      model.sheets.map((s) => [s.name, [...s.rows.entries()].map(([r, m]) => [r, [...m.entries()]]), s.tables]),
    );

  it.each([
    ["sheetProtected", (m: WorkbookModel) => void (m.sheets[0].protected = true)],
    [
      "tableOverlap",
      (m: WorkbookModel) =>
        void m.sheets[0].tables.push({
          name: "Mine",
          ref: { r0: 10, c0: 2, r1: 12, c1: 3 },
          columns: ["a", "b"],
          style: "TableStyleLight1",
          showHeaders: true,
          showTotals: false,
        }),
    ],
  ])("%s", async (code, spoil) => {
    const { ops, model } = hostWith([{ name: "台账", grid: ledgerZh as unknown[][] }]);
    spoil(model);
    const before = snapshot(model);
    await expect(ops.structure({ lang: "zh-CN" })).rejects.toMatchObject({ code });
    expect(snapshot(model)).toBe(before);
  });

  it("an empty sheet", async () => {
    const { ops } = hostWith([{ name: "空", grid: [] }]);
    await expect(ops.structure({ lang: "zh-CN" })).rejects.toMatchObject({ code: "emptySheet" });
  });

  it("no recognisable header, naming the closest candidates", async () => {
    const { ops } = hostWith([{ name: "随笔", grid: [["今天天气很好"], ["我们去了公园", 3]] }]);
    await expect(ops.structure({ lang: "zh-CN" })).rejects.toMatchObject({ code: "noHeader" });
  });

  it("a cell in edit mode", async () => {
    const { host, ops } = hostWith([{ name: "台账", grid: ledgerZh as unknown[][] }]);
    host.simulateCellEditMode();
    await expect(ops.structure({ lang: "zh-CN" })).rejects.toMatchObject({ code: "cellEditMode" });
  });
});

describe("the user's own conditional formats", () => {
  it("stay when the plan is structured for the first time", async () => {
    const { ops, model } = hostWith([{ name: "台账", grid: ledgerZh as unknown[][], merges: ledgerZhMerges }]);
    const mine = {
      type: "cellValue" as const,
      ranges: [{ r0: 4, c0: 7, r1: 16, c1: 7 }],
      operator: "LessThan" as const,
      formula1: "=5",
      format: { fill: "#FF0000" },
      priority: 1,
      stopIfTrue: false,
    };
    model.sheets[0].conditionalFormats.push(mine);
    await ops.structure({ lang: "zh-CN" });
    expect(model.sheets[0].conditionalFormats).toContainEqual(
      expect.objectContaining({ formula1: "=5", ranges: mine.ranges }),
    );
    expect(model.sheets[0].conditionalFormats.length).toBeGreaterThan(1);
  });
});

describe("the user's own data validation", () => {
  it("stays on its column through a first and a second run, while the other columns get ours", async () => {
    const { ops, model } = hostWith([{ name: "台账", grid: ledgerZh as unknown[][], merges: ledgerZhMerges }]);
    const sheet = model.sheets[0];
    // ledgerZh's 责任单位 is column D (index 3); the user allows only three departments there.
    const mine = {
      ranges: [{ r0: 3, c0: 3, r1: 16, c1: 3 }],
      rule: { type: "list" as const, source: "科普部,学会部,办公室", inCellDropDown: true },
      ignoreBlanks: true,
      errorAlert: { showAlert: true, style: "Stop" as const, title: "", message: "只能选三个部门" },
      prompt: { showPrompt: false, title: "", message: "" },
    };
    sheet.validations.push(mine);
    for (let run = 0; run < 2; run++) {
      await ops.structure({ lang: "zh-CN" });
      const ownerRules = sheet.validations.filter((v) => v.ranges.some((r) => r.c0 <= 3 && r.c1 >= 3 && r.r1 > 3));
      expect(ownerRules.map((v) => v.rule)).toEqual([mine.rule]);
      // The month column (B) has ours.
      const monthRules = sheet.validations.filter((v) => v.ranges.some((r) => r.c0 <= 1 && r.c1 >= 1 && r.r1 > 3));
      expect(monthRules.map((v) => v.rule)).toEqual([
        expect.objectContaining({ type: "list", source: "=PlanLedger_Months" }),
      ]);
    }
  });
});

describe("an activity merged over the rows of several departments", () => {
  it("is filled into each row it covers, not reported missing", async () => {
    const grid = [
      ["月份", "工作任务", "责任部门", "目标任务", "完成情况"],
      ["4月", "展览", "办公室", "2次", "2次"],
      [null, null, "组织部", "3次", ""],
    ];
    const merges = [0, 1].map((col) => ({ row: 1, col, rowCount: 2, colCount: 1 }));
    const { ops, model } = hostWith([{ name: "台账", grid, merges }]);
    const result = await ops.structure({ lang: "zh-CN" });
    expect(result.findings).toEqual([]);
    expect([cell(model.sheets[0], "B2")?.value, cell(model.sheets[0], "B3")?.value]).toEqual(["展览", "展览"]);
  });
});

describe("rows typed under a structured plan in another editor", () => {
  it("are taken into the table before the summary, so its formulas count them too", async () => {
    const grid = [
      ["月份", "工作任务", "责任部门", "目标任务", "完成情况"],
      ["1月", "讲座", "科普部", "12场", "5场"],
      ["2月", "团训", "心理部", "2~3次", ""],
    ];
    const { host, ops, model } = hostWith([{ name: "台账", grid }]);
    await ops.structure({ lang: "zh-CN" });
    const sheet = model.sheets[0];
    // WPS or LibreOffice do not extend an Excel table when rows are typed under it.
    sheetFromGrid(
      model,
      "台账",
      [
        ["3月", "新任务", "科普部", "3场", "3场"],
        ["9月", "又一任务", "新部门", 5],
      ],
      {
        origin: { row: 3, col: 0 },
      },
    );
    const result = await ops.summarize({ lang: "zh-CN" });
    host.recalculate();
    expect(result.kpis.activities).toBe(4);
    expect(sheet.tables[0].ref.r1).toBe(4);
    expect(cell(sheet, "D4")?.value).toBe(3);
    const summary = model.sheets.find((s) => s.name === result.sheet)!;
    expect(cell(summary, "A5")?.value).toBe(4);
  });
});

describe("percent quantities", () => {
  it("keep reading as percents once normalised: 95% becomes 0.95 shown as a percent", async () => {
    const grid = [
      ["月份", "工作任务", "责任部门", "目标任务", "完成情况"],
      ["3月", "满意度", "办公室", "95%", "96%"],
      ["3月", "讲座", "科普部", "12场", "10场"],
    ];
    const { ops, model } = hostWith([{ name: "台账", grid }]);
    await ops.structure({ lang: "zh-CN" });
    const sheet = model.sheets[0];
    expect([cell(sheet, "D2"), cell(sheet, "E2")].map((x) => [x?.value, x?.numberFormat])).toEqual([
      [0.95, "0.0%"],
      [0.96, "0.0%"],
    ]);
    expect(cell(sheet, "D3")?.numberFormat).toBeUndefined();
  });
});

describe("header texts typed over two lines or with odd spaces", () => {
  it("become the one-line names the table and its formulas share, and the summary counts right", async () => {
    const grid = [
      ["月　份", "工作\n任务", "责任部门", "目标\n任务", "完成  情况 "],
      ["3月", "讲座", "科普部", "12场", "10场"],
      ["4月", "展览", "办公室", "2次", "2次"],
    ];
    const now = new Date(2025, 4, 15);
    const model = createWorkbookModel([]);
    const sheet = sheetFromGrid(model, "台账", grid);
    const host = new OfflineHost(model, { now: () => now });
    const ops = createOfflineOperations(host, { now: () => now });
    const result = await ops.structure({ lang: "zh-CN" });
    const table = sheet.tables.find((t) => t.name === result.table)!;
    expect(table.columns.slice(0, 5)).toEqual(["月 份", "工作 任务", "责任部门", "目标 任务", "完成 情况"]);
    expect(sheet.rows.get(0)!.get(3)!.style?.wrap).toBe(true);
    const summary = await ops.summarize({ lang: "zh-CN" });
    host.recalculate();
    expect(
      gridOf(sheet)
        .slice(1)
        .map((r) => r.slice(-2)),
    ).toEqual([
      [10 / 12, "逾期"],
      [1, "已完成"],
    ]);
    const sum = model.sheets.find((s) => s.name === summary.sheet)!;
    expect([cell(sum, "A5")?.value, cell(sum, "B5")?.value, cell(sum, "D5")?.value]).toEqual([2, 1, 1]);
  });
});

describe("a header over two rows", () => {
  // 计划 over 时间 | 目标 and 完成情况 over 数量 | 进度, with 序号 / 工作任务 / 责任单位 / 备注 merged down beside them.
  const grid = [
    ["2025年度重点工作任务台账"],
    ["序号", "工作任务", "责任单位", "计划", "", "完成情况", "", "备注"],
    ["", "", "", "时间", "目标", "数量", "进度", ""],
    [1, "科普讲座", "科普部", "3月", "12场", 10, "进行中", ""],
    [2, "编印通讯", "办公室", "全年", "6期", 6, "已完成", ""],
    [3, "青少年科技节", "青少部", "5月", "1次", "", "", ""],
  ];
  const merges = [
    { row: 1, col: 3, rowCount: 1, colCount: 2 },
    { row: 1, col: 5, rowCount: 1, colCount: 2 },
    ...[0, 1, 2, 7].map((col) => ({ row: 1, col, rowCount: 2, colCount: 1 })),
  ];

  it("makes the lower row the table's header, keeps the group row above it, and counts only the plan rows", async () => {
    const { host, ops, model } = hostWith([{ name: "台账", grid, merges }]);
    const result = await ops.structure({ lang: "zh-CN" });
    const sheet = model.sheets[0];
    const table = sheet.tables.find((t) => t.name === result.table)!;
    expect(table.ref.r0).toBe(2);
    expect(table.columns.slice(0, 8)).toEqual(["序号", "工作任务", "责任单位", "时间", "目标", "数量", "进度", "备注"]);
    // The group row stays as typed, its group merges too; nothing of the header leaked into the data.
    expect([1, 2, 3, 4, 5, 6, 7].map((c) => sheet.rows.get(1)?.get(c)?.value ?? "")).toEqual([
      "工作任务",
      "责任单位",
      "计划",
      "",
      "完成情况",
      "",
      "备注",
    ]);
    expect(sheet.merges).toEqual(
      expect.arrayContaining([
        { r0: 1, c0: 3, r1: 1, c1: 4 },
        { r0: 1, c0: 5, r1: 1, c1: 6 },
      ]),
    );
    expect(result.rows).toBe(3);
    const summary = await ops.summarize({ lang: "zh-CN" });
    host.recalculate();
    expect(summary.kpis.activities).toBe(3);
    const sum = model.sheets.find((s) => s.name === summary.sheet)!;
    expect(cell(sum, "A5")?.value).toBe(3);

    // A second run finds the same table header and changes nothing; the check finds nothing to report.
    const before = { grid: gridOf(sheet), columns: [...table.columns], merges: [...sheet.merges] };
    const again = await ops.structure({ lang: "zh-CN" });
    host.recalculate();
    expect(again.table).toBe(result.table);
    expect({ grid: gridOf(sheet), columns: table.columns, merges: sheet.merges }).toEqual(before);
    expect((await ops.check({})).findings).toEqual([]);
  });
});

describe("page setup for printing", () => {
  const across = { orientation: "Landscape", fitToWidth: 1, fitToHeight: 0, centerHorizontally: true };

  it("prints the plan landscape, one page across, with its header row on every page, and the summary likewise on A4", async () => {
    const { ops, model } = hostWith([{ name: "台账", grid: ledgerZh as unknown[][], merges: ledgerZhMerges }]);
    await ops.structure({ lang: "zh-CN" });
    expect(model.sheets[0].pageSetup).toEqual({ ...across, printTitleRows: { r0: 2, r1: 2 } });
    const result = await ops.summarize({ lang: "zh-CN" });
    expect(model.sheets.find((s) => s.name === result.sheet)!.pageSetup).toEqual({ ...across, paperSize: 9 });
  });

  it("leaves a page setup the user chose alone", async () => {
    const { ops, model } = hostWith([{ name: "台账", grid: ledgerZh as unknown[][], merges: ledgerZhMerges }]);
    model.sheets[0].pageSetup = { orientation: "Portrait", scale: 80, printTitleRows: { r0: 0, r1: 2 } };
    await ops.structure({ lang: "zh-CN" });
    expect(model.sheets[0].pageSetup).toEqual({ orientation: "Portrait", scale: 80, printTitleRows: { r0: 0, r1: 2 } });
  });

  it("sets nothing on Excel without ExcelApi 1.9, and still structures and summarises", async () => {
    const { ops, model } = hostWith([{ name: "台账", grid: ledgerZh as unknown[][], merges: ledgerZhMerges }], "1.8");
    await ops.structure({ lang: "zh-CN" });
    await ops.summarize({ lang: "zh-CN" });
    expect(model.sheets.map((s) => s.pageSetup)).toEqual(model.sheets.map(() => undefined));
  });
});

describe("structurePlan and the form's footer", () => {
  it("ends the table above the sign-off lines and leaves them as typed", async () => {
    const grid = [
      ...(ledgerZh as unknown[][]),
      [],
      ["填表人：张三", "", "", "审核人：李四", "", "填报日期：2025年12月31日"],
    ];
    const { ops, model } = hostWith([{ name: "台账", grid, merges: ledgerZhMerges }]);
    const result = await ops.structure({ lang: "zh-CN" });
    const sheet = model.sheets[0];
    expect(sheet.tables.find((t) => t.name === result.table)!.ref.r1).toBe(16);
    expect(result.findings.filter((f) => f.cell.endsWith("20"))).toEqual([]);
    expect([cell(sheet, "A20")?.value, cell(sheet, "D20")?.value, cell(sheet, "F20")?.value]).toEqual([
      "填表人：张三",
      "审核人：李四",
      "填报日期：2025年12月31日",
    ]);
  });
});

describe("structurePlan and merged areas that reach outside the table", () => {
  it("splits a merge straddling the table's last row whole, and leaves merges outside the table merged", async () => {
    // J17:J18 joins the last plan row's notes with the 合计 row below the table; U5:V6 is a note block beside it.
    const straddling = { row: 16, col: 9, rowCount: 2, colCount: 1 };
    const beside = { row: 4, col: 20, rowCount: 2, colCount: 2 };
    const grid = (ledgerZh as unknown[][]).map((r, i) =>
      i === 4 ? [...r, ...Array(20 - r.length).fill(""), "说明"] : r,
    );
    const { ops, model } = hostWith([{ name: "台账", grid, merges: [...ledgerZhMerges, straddling, beside] }]);
    const result = await ops.structure({ lang: "zh-CN" });
    const sheet = model.sheets[0];
    const table = sheet.tables.find((t) => t.name === result.table)!;
    const t = table.ref;
    expect(sheet.merges.filter((m) => m.r1 >= t.r0 && m.r0 <= t.r1 && m.c1 >= t.c0 && m.c0 <= t.c1)).toEqual([]);
    expect(table.ref.c1).toBeLessThan(20);
    expect(sheet.merges).toContainEqual({ r0: 4, c0: 20, r1: 5, c1: 21 });
    expect(sheet.merges).toContainEqual({ r0: 0, c0: 0, r1: 0, c1: 9 });
    expect(cell(sheet, "U5")?.value).toBe("说明");
  });
});

describe("structurePlan on Excel without ExcelApi 1.13 (merged areas cannot be listed)", () => {
  it("unmerges the data range and still produces the table and normalised months", async () => {
    const { ops, model } = hostWith([{ name: "台账", grid: ledgerZh as unknown[][], merges: ledgerZhMerges }], "1.8");
    const result = await ops.structure({ lang: "zh-CN" });
    const sheet = model.sheets[0];
    expect(result.table).toBe("Plan");
    expect(sheet.merges.filter((m) => m.r0 >= 3)).toHaveLength(0);
    expect(typeof cell(sheet, "B5")?.value).toBe("number");
    expect(cell(sheet, "A1")?.value).toBe("2025年度市科协重点工作任务台账");
  });
});

describe("large plans in Excel on the web", () => {
  function plan(n: number): unknown[][] {
    const rows: unknown[][] = [
      ["2025年度工作计划"],
      ["月份", "工作任务", "责任单位", "计量单位", "目标任务", "实际完成"],
    ];
    for (let i = 0; i < n; i++)
      rows.push([`${(i % 12) + 1}月`, `工作${i}`, `部门${i % 9}`, "次", `${(i % 5) + 1}次`, i % 3]);
    return rows;
  }

  it.each([
    [10000, 3, 4],
    [50000, 12, 8],
  ])(
    "%i rows: structure within %i syncs, summary within %i, every request under 5 MB",
    async (n, maxStructure, maxSummary) => {
      const model = createWorkbookModel([]);
      sheetFromGrid(model, "计划", plan(n));
      const host = new OfflineHost(model, { mode: "web", now: () => NOW });
      const ops = createOfflineOperations(host, { now: () => NOW });
      host.resetStats();
      const s = await ops.structure({ lang: "zh-CN" });
      expect(s.rows).toBe(n);
      expect(host.stats.syncs).toBeLessThanOrEqual(maxStructure);
      expect(host.stats.maxRequestBytes).toBeLessThan(5 * 1024 * 1024);
      host.resetStats();
      await ops.check({});
      if (n <= 10000) expect(host.stats.syncs).toBe(2);
      host.resetStats();
      const r = await ops.summarize({ lang: "zh-CN" });
      expect(r.kpis.activities).toBe(n);
      expect(host.stats.syncs).toBeLessThanOrEqual(maxSummary);
      expect(host.stats.maxRequestBytes).toBeLessThan(5 * 1024 * 1024);
    },
  );
});

describe("generateSummary in the cases users meet", () => {
  it("a Chinese ledger: the summary sheet is named 汇总 and its KPIs match the pane's", async () => {
    const { host, ops, model } = hostWith([
      { name: "2025年台账", grid: ledgerZh as unknown[][], merges: ledgerZhMerges },
    ]);
    const result = await ops.summarize({ lang: "zh-CN" });
    expect(result.sheet).toBe("汇总");
    host.recalculate();
    const sheet = model.sheets.find((s) => s.name === "汇总")!;
    expect(cell(sheet, "A5")?.value).toBe(result.kpis.activities);
    expect(result.narrative).toMatch(/^截至2025年10月，计划事项\d+项，/);
  });

  it("never touches a user's own sheet of the same name", async () => {
    const { ops, model } = hostWith([
      { name: "AY plan", grid: academicEn as unknown[][] },
      { name: "Summary", grid: [["my own notes"]] },
    ]);
    const result = await ops.summarize({ lang: "en-US" });
    expect(result.sheet).not.toBe("Summary");
    const mine = model.sheets.find((s) => s.name === "Summary")!;
    expect(cell(mine, "A1")?.value).toBe("my own notes");
    expect(mine.tables).toHaveLength(0);
    const again = await ops.summarize({ lang: "en-US" });
    expect(again.sheet).toBe(result.sheet);
    expect(model.sheets.filter((s) => s.name.startsWith("Plan Summary"))).toHaveLength(1);
  });

  it("an empty plan gives zero counts and blank rates, not errors", async () => {
    const { host, ops, model } = hostWith([
      { name: "Plan", grid: [["Month", "Activity", "Owner", "Target", "Actual"]] },
    ]);
    const result = await ops.summarize({ lang: "en-US" });
    host.recalculate();
    const sheet = model.sheets.find((s) => s.name === result.sheet)!;
    expect([0, 1, 2, 3].map((c) => sheet.rows.get(4)?.get(c)?.value)).toEqual([0, 0, "", 0]);
    // The one error value is the month rate's #N/A (issue 14 §3b: a gap in the rate line, hidden by its format).
    const months = sheet.tables.find((t) => t.name === "SummaryByMonth")!;
    for (const [r, row] of sheet.rows)
      for (const [c, cell] of row) {
        if (typeof cell.value !== "object") continue;
        expect([r > months.ref.r0 && r <= months.ref.r1 && c === months.ref.c0 + 4, cell.value]).toEqual([
          true,
          { error: "#N/A" },
        ]);
      }
  });

  it("a plan with only annual items counts them in the annual row", async () => {
    const grid = [
      ["Month", "Activity", "Owner", "Unit", "Target", "Actual"],
      ["Annual", "Weekly council meeting", "Office", "meetings", 50, 40],
      ["Ongoing", "Newsletter", "Comms", "issues", 12, 12],
    ];
    const { host, ops, model } = hostWith([{ name: "Plan", grid }]);
    const result = await ops.summarize({ lang: "en-US" });
    host.recalculate();
    const sheet = model.sheets.find((s) => s.name === result.sheet)!;
    const t = sheet.tables.find((x) => x.name === "SummaryByMonth")!;
    const annual = sheet.rows.get(t.ref.r1)!;
    expect(annual.get(0)?.value).toBe("Annual");
    expect([annual.get(1)?.value, annual.get(2)?.value]).toEqual([2, 1]);
    // Units are summed apart: meetings and issues never add up.
    const u = sheet.tables.find((x) => x.name === "SummaryByUnit")!;
    const units = [u.ref.r0 + 1, u.ref.r0 + 2].map((r) => [0, 1, 2].map((c) => sheet.rows.get(r)?.get(c)?.value));
    expect(units).toEqual([
      ["meetings", 50, 40],
      ["issues", 12, 12],
    ]);
  });
});

describe("the Generate summary ribbon command", () => {
  it("summarises and always completes the event", async () => {
    const { ops, model } = hostWith([{ name: "AY plan", grid: academicEn as unknown[][] }]);
    const completed = jest.fn();
    const notify = jest.fn();
    const result = await runGenerateSummary(ops, "en-US", { completed }, notify);
    expect(result?.charts).toBe(3);
    expect(model.sheets.some((s) => s.name === "Summary")).toBe(true);
    expect(completed).toHaveBeenCalledTimes(1);
    expect(notify).not.toHaveBeenCalled();
  });

  it("tells the user when it fails, waits until the message is closed, then completes the event", async () => {
    const { ops } = hostWith([{ name: "随笔", grid: [["今天天气很好"]] }]);
    const order: string[] = [];
    const completed = jest.fn(() => void order.push("completed"));
    let close: () => void = () => undefined;
    const notify = jest.fn(
      () =>
        new Promise<void>((resolve) => {
          order.push("shown");
          close = () => {
            order.push("closed");
            resolve();
          };
        }),
    );
    const run = runGenerateSummary(ops, "zh-CN", { completed }, notify);
    await new Promise((r) => setTimeout(r, 50));
    expect(order).toEqual(["shown"]);
    close();
    await run;
    expect(order).toEqual(["shown", "closed", "completed"]);
    expect(notify).toHaveBeenCalledWith(
      expect.objectContaining({ code: "noHeader", lang: "zh-CN", params: expect.objectContaining({ sheet: "随笔" }) }),
    );
  });

  it("completes the event even when the message cannot be shown", async () => {
    const { ops } = hostWith([{ name: "随笔", grid: [["今天天气很好"]] }]);
    const completed = jest.fn();
    const notify = jest.fn(() => Promise.reject(new Error("no dialog")));
    await expect(runGenerateSummary(ops, "zh-CN", { completed }, notify)).rejects.toThrow("no dialog");
    expect(completed).toHaveBeenCalledTimes(1);
  });
});

describe("one-click summary on an unstructured sheet", () => {
  it("asks (lowConfidence) instead of structuring when detection is unsure, and changes nothing", async () => {
    const grid = [
      ["Name", "Phone", "Remarks"],
      ["Li", "123", "x"],
    ];
    const { ops, model } = hostWith([{ name: "Contacts", grid }]);
    const before = cellsSnapshot(model.sheets[0]);
    await expect(ops.summarize({ lang: "en-US" })).rejects.toMatchObject({
      code: expect.stringMatching(/lowConfidence|noHeader/),
    });
    expect(cellsSnapshot(model.sheets[0])).toBe(before);
    expect(model.sheets).toHaveLength(1);
  });
});

describe("naming a sheet that is not there", () => {
  it("reports sheetNotFound with the name", async () => {
    const { ops } = hostWith([{ name: "台账", grid: ledgerZh as unknown[][] }]);
    await expect(ops.check({ sheet: "不存在" })).rejects.toMatchObject({
      code: "sheetNotFound",
      params: { sheet: "不存在" },
    });
    await expect(ops.structure({ sheet: "不存在", lang: "zh-CN" })).rejects.toMatchObject({ code: "sheetNotFound" });
  });
});

describe("structure and summary in one batch (the CLI's summarize)", () => {
  it("a 50,000-row messy ledger on the web takes at most 8 round trips, each request under 5 MB", async () => {
    const model = createWorkbookModel([]);
    const { grid, merges } = messyPlanGrid(7, 50_000);
    addMerges(sheetFromGrid(model, "2025年台账", grid), merges);
    const host = new OfflineHost(model, { mode: "web", now: () => NOW });
    const ops = createOfflineOperations(host, { now: () => NOW });
    const result = await ops.summarize({ lang: "zh-CN", restructure: {} });
    expect(result.structured?.table).toBe("Plan");
    expect(result.kpis.activities).toBe(result.structured?.rows);
    expect(host.stats.syncs).toBeLessThanOrEqual(8);
    expect(host.stats.maxRequestBytes).toBeLessThan(5 * 1024 * 1024);
  });
});
