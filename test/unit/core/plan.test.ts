import fc from "fast-check";
import { detectHeader } from "../../../src/core/header";
import { periodFromStart } from "../../../src/core/period";
import { a1, extractPlan, isFooterRow, isTotalRow, sectionTitle, splitOwners } from "../../../src/core/plan";
import type { CellValue, Finding, Grid, HeaderDetection } from "../../../src/core/types";
import { academicEn, hostileSheet, ledgerZh, ledgerZhMerges, messyPlanGrid } from "../../fixtures/sheets";

const y2025 = periodFromStart("2025-01");

/** Findings about cells, without those about columns (roles not found, untracked progress). */
const COLUMN_CODES = new Set([
  "column.missing",
  "column.notMonths",
  "column.unitMismatch",
  "progress.untracked",
  "layout.wide",
]);
function cellFindings(x: { findings: Finding[] }): Finding[] {
  return x.findings.filter((f) => !COLUMN_CODES.has(f.code));
}

function extract(grid: Grid, merges = ledgerZhMerges, period = y2025) {
  return extractPlan(grid, detectHeader(grid, merges), { period, merges });
}

describe("extractPlan on a 工作台账", () => {
  const x = extract(ledgerZh);
  const byRow = new Map(x.rows.map((r) => [r.gridRow, r]));

  it("keeps every data row once and skips sections, the blank row and the 合计 row", () => {
    expect(x.rows.map((r) => r.gridRow)).toEqual([4, 5, 6, 7, 8, 10, 11, 12, 13, 15, 16]);
    expect(x.skipped).toEqual([
      { gridRow: 3, reason: "section" },
      { gridRow: 9, reason: "section" },
      { gridRow: 14, reason: "blank" },
      { gridRow: 17, reason: "total" },
    ]);
    expect(x.findings).toEqual([]);
  });

  it("gives every row a merged month covers that month, without unmerging first", () => {
    expect([4, 5, 6].map((r) => byRow.get(r)?.bucket)).toEqual(["2025-01", "2025-01", "2025-01"]);
    expect([10, 11].map((r) => byRow.get(r)?.bucket)).toEqual(["2025-05", "2025-05"]);
  });

  it("gives the same rows as a grid whose merged cells were filled in", () => {
    const filled = ledgerZh.map((r) => r.slice());
    for (const r of [5, 6]) filled[r][1] = "1月";
    filled[11][1] = "5月";
    expect(extractPlan(filled, detectHeader(filled), { period: y2025 }).rows).toEqual(x.rows);
  });

  it("uses section titles as the category when there is no category column", () => {
    expect(byRow.get(4)?.category).toBe("科普宣传");
    expect(byRow.get(16)?.category).toBe("青少年科技教育");
  });

  it("splits several owners into a lead and co-owners", () => {
    expect(byRow.get(5)).toMatchObject({ owner: "科普部", coOwners: ["办公室"] });
    expect(byRow.get(12)).toMatchObject({ owner: "青少部", coOwners: ["办公室"] });
  });

  it("normalises quantities, keeps lossy wordings and months, and moves measure words to a blank unit", () => {
    expect(byRow.get(5)).toMatchObject({ unit: "期", target: 6, actual: 5, originals: {} });
    expect(byRow.get(7)).toMatchObject({ bucket: "2025-04", target: 2, originals: { month: "3~4月", target: "2~3" } });
    expect(byRow.get(8)).toMatchObject({ unit: "人次", target: 10000, actual: 12000 });
    expect(byRow.get(12)).toMatchObject({ bucket: "2025-09", target: 2, originals: { month: "第三季度" } });
    expect(byRow.get(15)).toMatchObject({ bucket: "annual", status: "进行中" });
    const noUnit = extract(
      [
        ["月份", "工作任务", "责任单位", "目标"],
        ["9月", "宣传", "科普部", "12次"],
      ],
      [],
    );
    expect(noUnit.rows[0]).toMatchObject({ unit: "次", target: 12, originals: {} });
  });

  it("does not count a target whose measure word differs from the unit column, and says so", () => {
    const g: Grid = [
      ["月份", "工作任务", "责任单位", "计量单位", "目标"],
      ["9月", "宣传", "科普部", "期", "12次"],
    ];
    const x = extract(g, []);
    expect(x.rows[0]).toMatchObject({ unit: "期", target: null });
    expect(cellFindings(x).map((f) => [f.cell, f.code, f.severity])).toEqual([
      ["E2", "target.unitMismatch", "warning"],
    ]);
    expect(x.findings[0].message["zh-CN"]).toBe(
      "E2：目标任务「12次」的单位是“次”，本行的计量单位是“期”：未计入统计，单元格保持原样。",
    );
  });
});

describe("extractPlan on an English academic-year plan", () => {
  it("places months in Sep 2025 – Aug 2026 and reads the category column", () => {
    const x = extract(academicEn, [], periodFromStart("2025-09"));
    expect(x.rows).toHaveLength(13);
    expect(x.rows.map((r) => r.bucket)).toEqual([
      "2025-09",
      "2025-09",
      "2025-10",
      "2025-11",
      "2025-11",
      "2025-12",
      "2026-04",
      "2026-04",
      "2026-05",
      "2026-05",
      "2026-06",
      "annual",
      "annual",
    ]);
    expect(x.rows[4]).toMatchObject({ owner: "Publicity Dept", coOwners: ["Practice Society"], category: "Outreach" });
    expect(x.skipped).toEqual([{ gridRow: 17, reason: "total" }]);
    expect(x.findings).toEqual([]);
  });
});

describe("extractPlan findings", () => {
  const x = extractPlan(hostileSheet, detectHeader(hostileSheet), { period: y2025, origin: { row: 4, col: 1 } });
  const at = (cell: string) => x.findings.filter((f) => f.cell === cell).map((f) => f.code);

  it("keeps formula-looking activities as plain text", () => {
    expect(x.rows.map((r) => r.activity).slice(0, 4)).toEqual([
      '=HYPERLINK("http://x","y")',
      "+1 讲座",
      "@SUM(A1)",
      "-减号开头",
    ]);
  });

  it("names each problem cell by its A1 address on the sheet, shifted by the origin", () => {
    // Grid row 2 / col 0 sits at sheet row 4+2+1 = 7, column B.
    expect(at("B7")).toEqual(["month.unrecognized"]);
    expect(at("B8")).toEqual(["month.unrecognized"]);
    expect(at("D8")).toEqual(["owner.missing"]);
    // "abc" is wording, not a figure: a qualitative target, told but not an error.
    expect(at("E8")).toEqual(["target.qualitative"]);
    expect(at("B9")).toEqual(["month.outsidePeriod"]);
    expect(at("E9")).toEqual(["target.negative"]);
    // 完成数 holds words as well as numbers, so its words are the status: "NaN" is no error there.
    expect(at("F9")).toEqual([]);
    expect(at("E13")).toEqual(["target.notNumber"]);
    // An actual without an activity is not an item: the missing activity is said, nothing is counted.
    expect(at("C12")).toEqual(["activity.missing"]);
    expect(at("F12")).toEqual([]);
    expect(x.skipped).toContainEqual({ gridRow: 7, reason: "noActivity" });
  });

  it("gives findings their field and severity", () => {
    const find = (code: string) => x.findings.find((f) => f.code === code)!;
    expect(find("owner.missing")).toMatchObject({ field: "owner", severity: "warning" });
    const g: Grid = [
      ["月份", "工作任务", "责任单位", "目标", "完成数"],
      ["9月", "宣传", "科普部", "", 3],
    ];
    const w = extractPlan(g, detectHeader(g), { period: y2025 }).findings.find(
      (f) => f.code === "actual.withoutTarget",
    );
    expect(w).toMatchObject({ cell: "E2", field: "actual", severity: "warning" });
    expect(find("target.notNumber")).toMatchObject({ field: "target", severity: "warning" });
    expect(find("target.qualitative")).toMatchObject({ field: "target", severity: "info", value: "abc" });
    expect(find("actual.negative" as string)).toBeUndefined();
    expect(find("month.outsidePeriod")).toMatchObject({ field: "month", severity: "error", value: "2030年9月" });
  });

  it("writes messages in both languages that name the cell and the value", () => {
    const f = x.findings.find((g) => g.cell === "B7")!;
    expect(f.message["zh-CN"]).toContain("B7");
    expect(f.message["zh-CN"]).toContain("「下旬」");
    expect(f.message["en-US"]).toContain('"下旬"');
    const out = x.findings.find((g) => g.code === "month.outsidePeriod")!;
    expect(out.message["zh-CN"]).toContain("2025年1月至2025年12月");
    expect(out.message["en-US"]).toContain("Jan 2025 to Dec 2025");
    const owner = x.findings.find((g) => g.code === "owner.missing")!;
    expect(owner.message["zh-CN"]).toContain("@SUM(A1)");
  });

  it("keeps an owner padded with spaces whole and lets no NaN or Infinity through", () => {
    // Spaces never separate owners: 　科普部　　办公室　 is one owner, as typed, for the cell.
    const padded = x.rows.find((r) => r.activity === "Infinity 目标")!;
    expect(padded).toMatchObject({ owner: "科普部 办公室", coOwners: [], target: null, bucket: null });
    expect(padded.ownerCell).toBe("　科普部　　办公室　");
    for (const r of x.rows) {
      for (const n of [r.target, r.actual]) if (n !== null) expect(Number.isFinite(n)).toBe(true);
    }
  });

  it("reports a month merged over several rows once, at the cell that holds it", () => {
    const g: Grid = [
      ["月份", "工作任务", "责任单位"],
      ["9月", "z", "x"],
      ["下旬", "a", "x"],
      ["", "b", "x"],
      ["", "c", "x"],
      ["10月", "d", "x"],
    ];
    const r = extractPlan(g, detectHeader(g), {
      period: y2025,
      merges: [{ row: 2, col: 0, rowCount: 3, colCount: 1 }],
    });
    expect(r.findings.filter((f) => f.code.startsWith("month.")).map((f) => f.cell)).toEqual(["A3"]);
  });
});

describe("extractPlan and units that differ between target and actual", () => {
  const header = ["月份", "工作任务", "责任部门", "目标任务", "完成情况"];

  it("warns at the actual cell when 3次 planned was 2场 done, and not when the units agree or one is bare", () => {
    const g: Grid = [
      header,
      ["3月", "讲座", "科普部", "3次", "2场"],
      ["3月", "征文", "办公室", "10篇", "12篇"],
      ["4月", "培训", "学会部", "4次", 4],
    ];
    const x = extract(g, []);
    expect(cellFindings(x).map((f) => [f.cell, f.code, f.severity])).toEqual([
      ["E2", "actual.unitMismatch", "warning"],
    ]);
    expect(x.findings[0].message["zh-CN"]).toBe(
      "E2：完成数「2场」的单位是“场”，本行按“次”计量，二者不能相比：不计算完成率，单元格保持原样。",
    );
    expect(x.findings[0].message["en-US"]).toContain("counted in 场 but this row in 次");
    // No rate: the actual in another unit is not read as this row's actual.
    expect(x.rows[0]).toMatchObject({ target: 3, actual: null, unit: "次" });
    expect(x.rows[2]).toMatchObject({ target: 4, actual: 4, unit: "次" });
  });
});

describe("extractPlan quantities in 万 units", () => {
  const header = ["月份", "工作任务", "责任部门", "目标任务", "完成情况"];

  it("reads 12万 in a row counted in 万元 as 12 万元, whichever cell names the unit", () => {
    const g: Grid = [header, ["3月", "展览", "办公室", "10万元", "12万"], ["4月", "募捐", "办公室", "8万", "6.5万元"]];
    const rows = extract(g, []).rows;
    expect(rows.map((r) => [r.target, r.actual, r.unit])).toEqual([
      [10, 12, "万元"],
      [8, 6.5, "万元"],
    ]);
  });

  it("leaves 3千 alone in a 千克 row and 1万 in a row without a 万 unit", () => {
    const g: Grid = [header, ["3月", "采购", "办公室", "5千克", "3千"], ["4月", "参观", "科普部", "1万人", "1万"]];
    expect(extract(g, []).rows.map((r) => [r.target, r.actual])).toEqual([
      [5, 3000],
      [10000, 10000],
    ]);
  });
});

describe("extractPlan row kinds", () => {
  const header = ["序号", "月份", "工作任务", "责任单位", "目标"];

  it.each(["合计", "合 计", "小计", "总计", "Total", "Subtotal", "Grand total", "合计（12项）"])(
    "skips a total row labelled %s",
    (label) => {
      const g: Grid = [header, [1, "9月", "宣传", "科普部", 3], ["", "", label, "", 3]];
      expect(extract(g, []).skipped).toEqual([{ gridRow: 2, reason: "total" }]);
    },
  );

  it("skips the form's sign-off and note lines under the plan, wherever their label sits", () => {
    const g: Grid = [
      header,
      [1, "9月", "宣传", "科普部", 3],
      ["", "填表人：张三", "", "审核人：李四", ""],
      ["填报日期：", 45900, "", "", ""],
      ["注：1. 目标为全年累计数。", "", "", "", ""],
      ["", "", "Prepared by: Li", "", ""],
    ];
    const x = extract(g, []);
    expect(x.rows.map((r) => r.gridRow)).toEqual([1]);
    expect(cellFindings(x)).toEqual([]);
    expect(x.skipped).toEqual([2, 3, 4, 5].map((gridRow) => ({ gridRow, reason: "footer" })));
  });

  it("does not take an activity that names a role or a note without a colon as a footer", () => {
    expect(isFooterRow([1, "9月", "负责人培训", "科普部"])).toBe(false);
    expect(isFooterRow(["", "说明会", "办公室"])).toBe(false);
    expect(isFooterRow(["负责人培训", "科普部"])).toBe(false);
    expect(isFooterRow(["Date night lecture", "Sep"])).toBe(false);
    expect(isFooterRow(["审核：王五"])).toBe(true);
    expect(isFooterRow(["  联系电话：12345678"])).toBe(true);
  });

  it("does not take an activity that starts with 总计 or Total as a total", () => {
    const g: Grid = [header, [1, "9月", "总计划编制", "科普部", 1], [2, "9月", "Total quality training", "科普部", 1]];
    expect(extract(g, []).rows).toHaveLength(2);
  });

  it.each(["一、科普宣传", "（二）青少年活动", "第三部分 学会服务"])("takes a lone %s as a section", (title) => {
    const g: Grid = [header, ["", "", title, "", ""], [1, "9月", "宣传", "科普部", 3]];
    const x = extract(g, []);
    expect(x.skipped).toEqual([{ gridRow: 1, reason: "section" }]);
    expect(x.rows[0].category).not.toBe("");
  });

  it("takes an ordinal in the 序号 column beside a lone title as a section", () => {
    const g: Grid = [header, ["一", "", "科普宣传", "", ""], [1, "9月", "宣传", "科普部", 3]];
    expect(extract(g, []).rows[0].category).toBe("科普宣传");
  });

  it("keeps the category column when there is one, even under a section", () => {
    const g: Grid = [
      ["月份", "工作任务", "责任单位", "类别"],
      ["一、科普宣传", "", "", ""],
      ["9月", "宣传", "科普部", "宣传"],
      ["9月", "讲座", "科普部", ""],
    ];
    expect(extract(g, []).rows.map((r) => r.category)).toEqual(["宣传", ""]);
  });

  it("skips a row with content only in unmapped columns as blank", () => {
    const g: Grid = [header.concat("其他"), [7, "", "", "", "", "x"], [1, "9月", "宣传", "科普部", 3]];
    const d = detectHeader(g);
    const x = extractPlan(g, applyless(d, 5), { period: y2025 });
    expect(x.skipped).toEqual([{ gridRow: 1, reason: "blank" }]);
  });

  it("extracts from row 0 when no header was found but the user mapped columns", () => {
    const d: HeaderDetection = {
      headerRow: -1,
      headers: [],
      mapping: { month: 0, activity: 1 },
      alternatives: [],
      unmapped: [],
      confidence: 1,
      candidates: [],
    };
    expect(extractPlan([["9月", "宣传"]], d, { period: y2025 }).rows).toHaveLength(1);
  });
});

/** The detection without a column, as if that header were unmapped. */
function applyless(d: HeaderDetection, col: number): HeaderDetection {
  return { ...d, mapping: Object.fromEntries(Object.entries(d.mapping).filter(([, c]) => c !== col)) };
}

describe("extractPlan properties", () => {
  it("puts every generated data row in the rows exactly once, in order, and skips the rest (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 0, max: 300 }), (seed, n) => {
        const { grid, merges, kinds } = messyPlanGrid(seed, n);
        const x = extract(grid, merges);
        const expected = kinds.flatMap((k, r) => (k === "data" ? [r] : []));
        expect(x.rows.map((r) => r.gridRow)).toEqual(expected);
        expect(x.skipped.map((s) => s.reason)).toEqual(
          kinds.filter((k) => k === "blank" || k === "section" || k === "total"),
        );
      }),
      { numRuns: 60 },
    );
  });

  it("never throws on arbitrary grids and keeps rows and skips disjoint (property)", () => {
    const cell = fc.oneof(
      fc.constantFrom<CellValue>(
        "",
        "9月",
        "合计",
        "一、科普",
        "月份",
        "工作任务",
        "责任单位",
        "目标",
        "完成情况",
        "全年",
      ),
      fc.string(),
      fc.double(),
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
      fc.constant(undefined),
    );
    const grid = fc.array(fc.array(cell, { maxLength: 8 }), { maxLength: 25 });
    const merges = fc.array(
      fc.record({
        row: fc.integer({ min: 0, max: 30 }),
        col: fc.integer({ min: 0, max: 9 }),
        rowCount: fc.integer({ min: 1, max: 5 }),
        colCount: fc.integer({ min: 1, max: 4 }),
      }),
      { maxLength: 4 },
    );
    fc.assert(
      fc.property(grid, merges, (g, m) => {
        const x = extractPlan(g, detectHeader(g, m), { period: y2025, merges: m });
        const seen = new Set<number>();
        for (const r of [...x.rows.map((row) => row.gridRow), ...x.skipped.map((s) => s.gridRow)]) {
          expect(seen.has(r)).toBe(false);
          seen.add(r);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe("row helpers", () => {
  it("isTotalRow looks at the activity cell and the first text cell", () => {
    expect(isTotalRow(["", "合 计", "", 12], 1)).toBe(true);
    expect(isTotalRow(["小计", "", 3])).toBe(true);
    expect(isTotalRow([1, "9月", "宣传"], 2)).toBe(false);
  });

  it("sectionTitle strips the numbering and needs the row otherwise empty", () => {
    expect(sectionTitle(["一、科普宣传", "", ""])).toBe("科普宣传");
    expect(sectionTitle(["一、科普宣传", "9月", ""])).toBeNull();
    expect(sectionTitle(["科普宣传", ""], [{ row: 4, col: 0, rowCount: 1, colCount: 6 }], 4)).toBe("科普宣传");
    expect(sectionTitle(["1. 组织学习", ""])).toBeNull();
  });

  it("splitOwners splits on list marks and on 和 between names, but not inside a name", () => {
    expect(splitOwners("科普部、办公室；学会部")).toEqual({ lead: "科普部", coOwners: ["办公室", "学会部"] });
    expect(splitOwners("心康部和实践社")).toEqual({ lead: "心康部", coOwners: ["实践社"] });
    expect(splitOwners("和平街道")).toEqual({ lead: "和平街道", coOwners: [] });
    expect(splitOwners("共和社区")).toEqual({ lead: "共和社区", coOwners: [] });
    // Spaces are padding, never separators: 张　三 and 欧阳 明 are one name each.
    expect(splitOwners("　科普部　　办公室　")).toEqual({ lead: "科普部　　办公室", coOwners: [] });
    expect(splitOwners("张　三")).toEqual({ lead: "张　三", coOwners: [] });
    expect(splitOwners("欧阳 明、李  四")).toEqual({ lead: "欧阳 明", coOwners: ["李  四"] });
    expect(splitOwners("科普部\n办公室")).toEqual({ lead: "科普部", coOwners: ["办公室"] });
    expect(splitOwners("宣传与联络部")).toEqual({ lead: "宣传与联络部", coOwners: [] });
    expect(splitOwners("张三和李四")).toEqual({ lead: "张三", coOwners: ["李四"] });
    expect(splitOwners("Office & Science Dept")).toEqual({ lead: "Office", coOwners: ["Science Dept"] });
    expect(splitOwners("John Smith, Jane Doe")).toEqual({ lead: "John Smith", coOwners: ["Jane Doe"] });
    expect(splitOwners("")).toEqual({ lead: "", coOwners: [] });
  });

  it("a1 converts grid coordinates to sheet addresses", () => {
    expect(a1(0, 0)).toBe("A1");
    expect(a1(9, 26, { row: 2, col: 1 })).toBe("AB12");
  });
});

describe("extractPlan: a due column keeps its days", () => {
  const sheet = (header: string, cells: CellValue[]): Grid => [
    [header, "督办事项", "是否办结"],
    ...cells.map((c, i): CellValue[] => [c, `事项${i + 1}`, "否"]),
  ];
  const read = (grid: Grid) => extractPlan(grid, detectHeader(grid), { period: y2025 });

  it("reads dates, month.day, 3月20日前 and month words as due dates, keeping the wording that says more", () => {
    const x = read(sheet("办结时限", [45721, "3.28", "3月20日前", "3月上旬", "3月中旬", "3月底", "3月", "全年"]));
    expect(x.dueDays).toBe(true);
    expect(x.rows.map((r) => [r.bucket, r.due ?? null, r.originals.month ?? null])).toEqual([
      ["2025-03", "2025-03-05", null],
      ["2025-03", "2025-03-28", null],
      ["2025-03", "2025-03-20", "3月20日前"],
      ["2025-03", "2025-03-10", "3月上旬"],
      ["2025-03", "2025-03-20", "3月中旬"],
      ["2025-03", "2025-03-31", "3月底"],
      ["2025-03", "2025-03-31", "3月"],
      ["annual", null, null],
    ]);
  });

  it("leaves a column of months as months: first-of-month dates, 3月, and a stray day among many months", () => {
    expect(read(sheet("月份", ["3月", "2026年3月", 45717, "4月"])).dueDays).toBe(false);
    const stray = read(sheet("月份", ["3月", "4月", "5月", "9月15日", "6月"]));
    expect(stray.dueDays).toBe(false);
    expect(stray.rows[3]).toMatchObject({ bucket: "2025-09", originals: { month: "9月15日" } });
    expect(stray.rows[3].due).toBeUndefined();
  });

  it("says which day a number such as 3.1 was read as: it may have been typed 3.10, whose zero a number drops", () => {
    const x = read(sheet("办结时限", [3.1, 3.2, 3.3, 3.28, 3.4]));
    expect(x.rows.map((r) => [r.due ?? null, r.originals.month ?? null])).toEqual([
      ["2025-03-01", "3.1"],
      ["2025-03-02", "3.2"],
      ["2025-03-03", "3.3"],
      ["2025-03-28", null],
      ["2025-03-04", null],
    ]);
    const ambiguous = x.findings.filter((f) => f.code === "month.dayAmbiguous");
    expect(ambiguous.map((f) => [f.cell, f.severity])).toEqual([
      ["A2", "warning"],
      ["A3", "warning"],
      ["A4", "warning"],
    ]);
    expect(ambiguous[0].message["zh-CN"]).toContain("3月10日");
    expect(ambiguous[0].message["en-US"]).toContain("3/10");
  });

  it("under a header that is not a deadline's, days must be at least half of the months", () => {
    expect(read(sheet("时间", ["3.5", "3.12", "3月", "4月"])).dueDays).toBe(true);
    expect(read(sheet("时间", ["3.5", "3月", "4月", "5月"])).dueDays).toBe(false);
    expect(read(sheet("办结时限", ["3.5", "3月", "4月", "5月"])).dueDays).toBe(true);
  });
});
