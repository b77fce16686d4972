import { OfflineHost, createWorkbookModel, sheetFromGrid } from "../../../../src/offline";
import type { WorkbookModel } from "../../../../src/offline/model";

/** Evaluates formulas placed in column Z of a sheet built from `grid`; returns their values. */
function calc(grid: unknown[][], formulas: string[], setup?: (m: WorkbookModel) => void): unknown[] {
  const model = createWorkbookModel([]);
  const sheet = sheetFromGrid(model, "S", grid);
  formulas.forEach((f, i) => sheetFromGrid(model, "S", [[f]], { origin: { row: i, col: 25 } }));
  setup?.(model);
  const host = new OfflineHost(model, { now: () => new Date(2025, 2, 10) });
  host.recalculate();
  return formulas.map((_, i) => {
    const v = sheet.rows.get(i)?.get(25)?.value;
    return typeof v === "object" && v !== null ? v.error : v;
  });
}

describe("formula evaluation", () => {
  test("SUBSTITUTE replaces every occurrence or only the nth, and N turns non-numbers into 0", () => {
    expect(
      calc(
        [["a*b*c"]],
        [
          '=SUBSTITUTE(A1,"*","~*")',
          '=SUBSTITUTE(A1,"*","-",2)',
          '=SUBSTITUTE(A1,"","x")',
          "=N(A1)",
          "=N(7)",
          "=N(TRUE)",
        ],
      ),
    ).toEqual(["a~*b~*c", "a*b-c", "a*b*c", 0, 7, 1]);
  });

  test("operators follow Excel precedence: negation before ^, % after, & after arithmetic, comparisons last", () => {
    expect(calc([[]], ["=-2^2", "=2+3*4", "=50%*4", '=1+2&"x"', "=1+1=2", '="a"<"B"', "=2^-1"])).toEqual([
      4,
      14,
      2,
      "3x",
      true,
      true,
      0.5,
    ]);
  });

  test("TODAY comes from the host clock and dates honour the 1900 leap-year quirk", () => {
    expect(calc([[]], ["=TODAY()", "=DATE(1900,2,29)", "=DATE(1900,3,1)", "=DAY(60)", "=EOMONTH(TODAY(),0)"])).toEqual([
      45726, 60, 61, 29, 45747,
    ]);
  });

  test("a 1904 workbook's serials count from 1904-01-01: DATE, TODAY, YEAR, EOMONTH, TEXT and date criteria follow", () => {
    const in1904 = (m: WorkbookModel) => {
      m.date1904 = true;
    };
    // 2025-03-10 is 45726 in the 1900 system, 1462 less in the 1904 one; March's end 45747 - 1462.
    const grid = [[45726 - 1462], [45747 - 1462]];
    expect(
      calc(
        grid,
        [
          "=DATE(1904,1,1)",
          "=TODAY()",
          "=YEAR(A1)*100+MONTH(A1)",
          "=EOMONTH(A1,0)",
          '=TEXT(A1,"yyyy-mm-dd")',
          '=COUNTIF(A1:A2,">=2025-03-31")',
          "=DATE(1903,12,31)",
        ],
        in1904,
      ),
    ).toEqual([0, 44264, 202503, 44285, "2025-03-10", 1, "#NUM!"]);
  });

  test("the host's Functions.date answers in the workbook's date system (how the add-in detects 1904 workbooks)", async () => {
    for (const date1904 of [false, true]) {
      const model = createWorkbookModel([]);
      sheetFromGrid(model, "S", [[1]]);
      if (date1904) model.date1904 = true;
      const value = await new OfflineHost(model).run(async (ctx) => {
        const r = ctx.workbook.functions.date(1904, 1, 1);
        r.load("value,error");
        await ctx.sync();
        return [r.value, r.error];
      });
      expect(value).toEqual(date1904 ? [0, null] : [1462, null]);
    }
  });

  test("COUNTIF-family criteria handle operators, wildcards, blanks and numeric text", () => {
    const grid = [["科普宣传"], ["科普讲座"], [""], [5], ["5"], [12]];
    expect(
      calc(grid, [
        '=COUNTIF(A1:A6,"科普*")',
        '=COUNTIF(A1:A6,">=5")',
        "=COUNTIF(A1:A6,5)",
        '=COUNTIF(A1:A6,"")',
        '=COUNTIF(A1:A6,"<>")',
        '=SUMIF(A1:A6,">6")',
      ]),
    ).toEqual([2, 2, 2, 1, 5, 12]);
  });

  test("text, rounding and lookup functions give Excel's results", () => {
    const grid = [
      ["月份", "目标"],
      ["1月", 3],
      ["2月", 5],
    ];
    expect(
      calc(grid, [
        "=ROUND(2.5,0)+ROUND(-2.5,0)",
        "=ROUND(1.005,2)",
        '=TEXT(0.256,"0.0%")',
        '=TEXT(45658,"yyyy年m月")',
        '=LEN(TRIM("  a  b "))',
        '=INDEX(B1:B3,MATCH("2月",A1:A3,0))',
        '=IFERROR(MATCH("3月",A1:A3,0),"无")',
        "=ISBLANK(C1)",
        "=AND(B2>1,OR(B3<1,NOT(FALSE)))",
        "=MIN(B2:B3)+MAX(B2:B3)+ABS(-1)+COUNT(A1:B3)+COUNTA(A1:B3)",
      ]),
    ).toEqual([0, 1.01, "25.6%", "2025年1月", 3, 5, "无", true, true, 3 + 5 + 1 + 2 + 6]);
  });

  test("errors propagate, IF picks only the branch it needs, and a circular reference is #REF!", () => {
    expect(calc([[0]], ["=1/A1", '=IF(A1=0,"零",1/A1)', "=#N/A", "=UNKNOWNFN(1)", "=Z5+1"])).toEqual([
      "#DIV/0!",
      "零",
      "#N/A",
      "#NAME?",
      "#REF!",
    ]);
  });

  test("structured references cover #All, #Headers, #Data and column ranges", () => {
    const grid = [
      ["A", "B"],
      [1, 2],
      [3, 4],
    ];
    const setup = (m: WorkbookModel): void => {
      m.sheets[0].tables.push({
        name: "T",
        ref: { r0: 0, c0: 0, r1: 2, c1: 1 },
        columns: ["A", "B"],
        style: "TableStyleMedium2",
        showHeaders: true,
        showTotals: false,
      });
    };
    expect(
      calc(
        grid,
        ["=SUM(T[[A]:[B]])", "=COUNTA(T[#All])", "=INDEX(T[[#Headers],[B]],1)", "=SUM(T[[#Data],[B]])", "=ROWS(T)"],
        setup,
      ),
    ).toEqual([10, 6, "B", 6, 2]);
  });

  test("an unsupported function keeps the cached value an imported file carried", () => {
    const model = createWorkbookModel([]);
    const sheet = sheetFromGrid(model, "S", [["=XLOOKUP(1,A2:A3,B2:B3)"]]);
    sheet.rows.get(0)!.get(0)!.value = 42;
    const host = new OfflineHost(model);
    host.recalculate();
    expect(sheet.rows.get(0)?.get(0)?.value).toBe(42);
    expect(host.unsupportedFunctions).toEqual(["XLOOKUP"]);
  });
});

describe("defined names", () => {
  const name = (n: string, formula: string) => ({ name: n, formula, comment: "", visible: true });

  test("a name's value is reused across cells only where it cannot depend on the cell", () => {
    const grid = [[10], [20], [30]];
    const got = calc(grid, ["=Fixed+Here", "=Fixed+Here", "=Fixed+Here+Rel", "=Nested"], (m) => {
      m.names.push(
        name("Fixed", "=S!$A$1*2"), // the same everywhere: 20
        name("Here", "=ROW()"), // the formula cell's row
        name("Rel", "=S!$A1"), // row-relative: $A1 seen from row 1, $A3 from row 3
        name("Nested", "=Here*100"), // goes through a name that depends on the cell
      );
    });
    expect(got).toEqual([20 + 1, 20 + 2, 20 + 3 + 30, 400]);
  });
});
