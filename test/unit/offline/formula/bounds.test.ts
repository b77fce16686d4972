/**
 * The engine's bounds (issue 15): ranges are evaluated over their cells, never their nominal size; wildcards match in
 * linear time; deep chains and deeply nested formulas neither overflow the stack nor end the recalculation.
 */
import fc from "fast-check";
import { OfflineHost } from "../../../../src/offline";
import { parseCriterion, wildcard } from "../../../../src/offline/formula/criteria";
import { displayText } from "../../../../src/offline/formula/textFormat";
import type { Cell, Scalar, WorkbookModel } from "../../../../src/offline/model";
import { sheet, workbook } from "../xlsx/builder";

const NOW = new Date(2025, 2, 10);
const FORMULA_ROW = 40_000;

/**
 * Sets cells ("B3" → value) on sheet S, evaluates formulas put in column A from row 40,001 (outside the ranges the
 * tests read), returns their values (errors as text).
 */
function calc(cells: Record<string, Scalar | Cell>, formulas: string[]): unknown[] {
  const s = sheet("S", []);
  const put = (ref: string, entry: Scalar | Cell) => {
    const m = /^([A-Z]+)(\d+)$/.exec(ref)!;
    const c = [...m[1]].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1;
    const r = Number(m[2]) - 1;
    if (!s.rows.has(r)) s.rows.set(r, new Map());
    s.rows
      .get(r)!
      .set(c, typeof entry === "object" && entry !== null && !("error" in entry) ? entry : { value: entry });
  };
  for (const [ref, v] of Object.entries(cells)) put(ref, v);
  formulas.forEach((f, i) => put(`A${FORMULA_ROW + i + 1}`, { formula: f }));
  const model: WorkbookModel = workbook([s]);
  new OfflineHost(model, { now: () => NOW }).recalculate();
  return formulas.map((_, i) => {
    const v = s.rows.get(FORMULA_ROW + i)?.get(0)?.value;
    return typeof v === "object" && v !== null ? v.error : v;
  });
}

describe("ranges are evaluated over their cells, not their nominal size", () => {
  it("answers over B1:XFC30000 (491 million positions) from the few cells there are", () => {
    const cells = { B2: "xa", C3: "xb", D4: "y", XFC30000: "x!", E5: 4, F6: "" };
    const area = 30000 * 16382;
    expect(
      calc(cells, [
        '=COUNTIF(B1:XFC30000,"x*")',
        "=COUNTBLANK(B1:XFC30000)",
        '=COUNTIF(B1:XFC30000,"")',
        '=COUNTIF(B1:XFC30000,"<>x*")',
        "=COUNTA(B1:XFC30000)",
        "=SUM(B1:XFC30000)",
        '=MATCH("y",D1:D30000,0)',
        '=VLOOKUP("xb",C1:XFC30000,2,FALSE)',
        "=ROWS(B1:XFC30000)*COLUMNS(B1:XFC30000)",
        '=COUNTIFS(B1:B1048576,"",C1:C1048576,"")',
        '=SUMIFS(E1:E1048576,B1:B1048576,"")',
      ]),
    ).toEqual([3, area - 5, area - 5, area - 3, 6, 4, 4, 0, area, 1048576 - 2, 4]);
  });

  const VALUES: (Scalar | undefined)[] = [
    undefined,
    undefined,
    "",
    "x",
    "xa",
    "ab",
    "A",
    0,
    3,
    7,
    true,
    "3",
    { error: "#N/A" },
  ];
  const CRITERIA: Scalar[] = ["", "=", "<>", "x", "x*", "*a?", "?", ">2", "<=3", "<>x", 0, 3, true, "3", "a~*"];

  it("gives what a cell-by-cell count over every position gives (criteria, blanks, sum ranges)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...VALUES), { minLength: 30, maxLength: 30 }),
        fc.array(fc.constantFrom(...VALUES), { minLength: 30, maxLength: 30 }),
        fc.constantFrom(...CRITERIA),
        fc.constantFrom(...CRITERIA),
        (first, second, c1, c2) => {
          // Two 10 × 3 blocks (A1:C10 and E1:G10); undefined is no cell at all.
          const cells: Record<string, Scalar> = {};
          first.forEach((v, i) => v !== undefined && (cells[`${"ABC"[i % 3]}${Math.floor(i / 3) + 1}`] = v));
          second.forEach((v, i) => v !== undefined && (cells[`${"EFG"[i % 3]}${Math.floor(i / 3) + 1}`] = v));
          const lit = (c: Scalar) => (typeof c === "string" ? `"${c}"` : String(c).toUpperCase());
          const got = calc(cells, [
            `=COUNTIF(A1:C10,${lit(c1)})`,
            `=COUNTIFS(A1:C10,${lit(c1)},E1:G10,${lit(c2)})`,
            `=SUMIF(A1:C10,${lit(c1)},E1:G10)`,
            `=SUMIFS(E1:G10,A1:C10,${lit(c1)})`,
            "=COUNTBLANK(A1:C10)",
          ]);
          const t1 = parseCriterion(c1, NOW.getFullYear()).test;
          const t2 = parseCriterion(c2, NOW.getFullYear()).test;
          const at = (list: (Scalar | undefined)[], i: number) => list[i] ?? null;
          let count = 0;
          let both = 0;
          let sum = 0;
          let blank = 0;
          for (let i = 0; i < 30; i++) {
            const a = at(first, i);
            const b = at(second, i);
            if (t1(a)) {
              count++;
              if (t2(b)) both++;
              if (typeof b === "number") sum += b;
            }
            if (a === null || a === "") blank++;
          }
          const errorIn = (list: (Scalar | undefined)[]) =>
            list.some((v, i) => typeof v === "object" && v !== null && t1(at(first, i)));
          const sumWant = errorIn(second) ? "#N/A" : sum;
          expect(got).toEqual([count, both, sumWant, sumWant, blank]);
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe("wildcards", () => {
  /** The backtracking regular expression the engine used to compile wildcards to: a reference on short texts. */
  function reference(pattern: string): RegExp {
    let re = "";
    for (let i = 0; i < pattern.length; i++) {
      const ch = pattern[i];
      if (ch === "~" && i + 1 < pattern.length && "*?~".includes(pattern[i + 1])) re += "\\" + pattern[++i];
      else if (ch === "*") re += "[\\s\\S]*";
      else if (ch === "?") re += "[\\s\\S]";
      else re += ch.replace(/[.+^${}()|[\]\\]/g, "\\$&");
    }
    return new RegExp(`^${re}$`, "i");
  }

  it("match as the regular expression did, ignoring case", () => {
    const chars = fc.constantFrom("a", "b", "A", "*", "?", "~", "计");
    fc.assert(
      fc.property(fc.array(chars, { maxLength: 12 }), fc.array(chars, { maxLength: 40 }), (p, t) => {
        const pattern = p.join("");
        const match = wildcard(pattern);
        // Without a wildcard (or with escaped ones only) the criterion is plain equality.
        fc.pre(match !== null);
        const text = t.join("");
        expect(match!(text)).toBe(reference(pattern).test(text));
      }),
      { numRuns: 2000 },
    );
    // Patterns past 32 positions use several words of bits.
    const long = "a?".repeat(40) + "*b";
    expect(wildcard(long)!("ax".repeat(40) + "zzzb")).toBe(true);
    expect(wildcard(long)!("ax".repeat(39) + "zzzb")).toBe(false);
  });

  it("count 100-character texts against *a*a*a*a*a*a*a*a*b without backtracking", () => {
    const cells = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`A${i + 1}`, "a".repeat(100)]));
    expect(calc(cells, ['=COUNTIF(A1:A10,"*a*a*a*a*a*a*a*a*b")', '=COUNTIF(A1:A10,"*a*a*a*a*a*a*a*a*")'])).toEqual([
      0, 10,
    ]);
  });

  it("give #VALUE! for a text criterion over 255 characters", () => {
    expect(
      calc({ A1: "x" }, [
        `=COUNTIF(A1:A3,"${"?".repeat(256)}")`,
        `=SUMIF(A1:A3,"${"x".repeat(256)}")`,
        `=COUNTIF(A1:A3,"${"?".repeat(255)}")`,
      ]),
    ).toEqual(["#VALUE!", "#VALUE!", 0]);
  });
});

describe("deep and nested formulas", () => {
  it("evaluates a chain of 100,000 formulas, each on the next, without overflowing the stack", () => {
    const s = sheet("S", []);
    const N = 100_000;
    for (let i = 0; i < N; i++) s.rows.set(i, new Map([[0, { formula: i === N - 1 ? "=1" : `=A${i + 2}+1` }]]));
    new OfflineHost(workbook([s]), { now: () => NOW }).recalculate();
    expect([s.rows.get(0)!.get(0)!.value, s.rows.get(N / 2)!.get(0)!.value]).toEqual([N, N / 2]);
  });

  it("finds a cycle through a chain longer than the stack allows", () => {
    const s = sheet("S", []);
    const N = 20_000;
    for (let i = 0; i < N; i++) s.rows.set(i, new Map([[0, { formula: `=A${((i + 1) % N) + 1}+1` }]]));
    s.rows.set(N, new Map([[0, { formula: "=1+1" }]]));
    new OfflineHost(workbook([s]), { now: () => NOW }).recalculate();
    expect(s.rows.get(0)!.get(0)!.value).toEqual({ error: "#REF!" });
    expect(s.rows.get(N)!.get(0)!.value).toBe(2);
  });

  it("evaluates a long run of one operator as a loop; refuses nesting past 128 levels and formulas past 8,192 characters", () => {
    const sum = "=" + Array.from({ length: 1500 }, (_, i) => `A${(i % 3) + 1}`).join("+");
    const nested = (n: number) => "=" + "(".repeat(n) + "1" + ")".repeat(n);
    const long = "=" + "1+".repeat(4100) + "1";
    expect(calc({ A1: 1, A2: 2, A3: 3 }, [sum, nested(128), nested(129), "=" + "-".repeat(200) + "1", long])).toEqual([
      3000,
      1,
      "#NAME?",
      "#NAME?",
      "#NAME?",
    ]);
    // A formula of a file that cannot be read keeps the result the file cached for it.
    expect(calc({ A1: { formula: nested(300), value: 42 } }, ["=A1*2"])).toEqual([84]);
  });
});

describe("format codes that cannot be read", () => {
  it("give TEXT's #VALUE! for the cell, and the General text where a cell is shown", () => {
    expect(calc({ A1: 1 }, ['=TEXT(1,"[Red")', '=TEXT(A1,"0.0")', '=IFERROR(TEXT(1,"[Red"),"bad")'])).toEqual([
      "#VALUE!",
      "1.0",
      "bad",
    ]);
    expect(displayText(1234.5, "[Red")).toBe("1234.5");
    expect(displayText(0.25, "0%")).toBe("25%");
  });
});
