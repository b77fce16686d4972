import fc from "fast-check";
import { normalizeMonth } from "../../../src/core/month";
import { elapsedShare, inferPeriod, periodFromStart, periodLength, periodMonths } from "../../../src/core/period";

const today = new Date(2025, 9, 10); // 10 Oct 2025

describe("inferPeriod", () => {
  it.each([
    ["2025年工作计划", "2025-01"],
    ["市科协2025年度重点工作台账", "2025-01"],
    ["FY2025 plan", "2025-01"],
    ["FY2025-26 Work Plan", "2025-04"],
    ["心理协会2025-2026学年工作计划", "2025-09"],
    ["2025—2026学年", "2025-09"],
    ["Work Plan, Academic Year 2025-26", "2025-09"],
    ["2025年9月—2026年8月工作安排", "2025-09"],
    ["２０２６年度计划", "2026-01"],
    ["Plan 2027", "2027-01"],
  ])("reads the title %s as a period starting %s", (title, start) => {
    const r = inferPeriod({ titleTexts: ["", title], today });
    expect(r).toEqual({ period: periodFromStart(start), source: "title", evidence: title });
  });

  it("reads the sheet name before the title cells", () => {
    const r = inferPeriod({ sheetName: "2024年度", titleTexts: ["2025年工作计划"], today });
    expect(r).toMatchObject({ period: { start: "2024-01" }, source: "sheetName", evidence: "2024年度" });
  });

  it("starts a cross-year fiscal year at the first data month", () => {
    const r = inferPeriod({ titleTexts: ["FY2025-26"], monthCells: ["", "7月", "8月", "1月"], today });
    expect(r.period.start).toBe("2025-07");
  });

  it("keeps every month of a plain-year plan in that year, whatever months follow its first", () => {
    // A title that names 2025 puts 3月 in 2025: no item is moved into the next year.
    const r = inferPeriod({ titleTexts: ["2025年度学生会工作计划"], monthCells: ["9月", "10月", "3月"], today });
    expect(r).toMatchObject({ period: { start: "2025-01", end: "2025-12" }, source: "title" });
    // Sorted by department, a 2026 ledger starting with 3月 still holds 1月 and 2月 of 2026.
    const sorted = inferPeriod({ sheetName: "2026年工作台账", monthCells: ["3月", "1月", "2月", "12月"], today });
    expect(sorted).toMatchObject({ period: { start: "2026-01" }, source: "sheetName", evidence: "2026年工作台账" });
  });

  it("reads the file name after the sheet name and titles", () => {
    const r = inferPeriod({
      sheetName: "Sheet1",
      titleTexts: ["工作台账"],
      fileName: "/tmp/x/2026年工作台账.xlsx",
      today,
    });
    expect(r).toEqual({ period: periodFromStart("2026-01"), source: "fileName", evidence: "2026年工作台账" });
  });

  it("infers a school year from the months present, in any order", () => {
    const months = ["9月", "10月", "11月", "12月", "1月", "3月", "4月", "5月", "6月"];
    const orders = [months, [...months].reverse(), ["3月", "1月", "9月", "6月", "12月", "10月", "4月", "5月", "11月"]];
    for (const cells of orders) {
      expect(inferPeriod({ monthCells: cells, today })).toMatchObject({
        period: periodFromStart("2025-09"),
        // The months name no year: the running school year is assumed, and the source says so.
        source: "months",
        evidence: "9月",
      });
    }
    // Every month of a year present: a calendar year, whichever comes first.
    const all = ["3月", "4月", "5月", "6月", "7月", "8月", "9月", "10月", "11月", "12月", "1月", "2月"];
    expect(inferPeriod({ monthCells: all, today }).period.start).toBe("2025-01");
  });

  it("keeps a calendar plan with a quiet spell in one year: no gap but a summer starts it later than January", () => {
    // 办公室 of a 2025 workbook: nothing in August–October is a quiet autumn, not a plan starting in November with its
    // January meeting moved into the next year.
    for (const cells of [
      ["1月", "3月", "5月", "7月", "11月", "12月"],
      ["3月", "5月", "6月", "8月", "9月", "12月"],
      ["2月", "3月", "4月", "5月", "6月", "11月", "12月"],
      ["1月", "2月", "6月", "7月"],
    ]) {
      const r = inferPeriod({ monthCells: cells, today });
      expect(r.period.start).toBe("2025-01");
      for (const c of cells)
        expect(normalizeMonth(c, r.period)).toMatchObject({ bucket: expect.stringMatching(/^2025-/) });
    }
  });

  it("starts a window without years after January only at a school year's summer, or with autumn months alone", () => {
    const month = fc.integer({ min: 1, max: 12 }).map((m) => `${m}月`);
    fc.assert(
      fc.property(fc.array(month, { minLength: 1, maxLength: 24 }), (cells) => {
        const start = Number(inferPeriod({ monthCells: cells, today }).period.start.slice(5, 7));
        const present = new Set(cells.map((c) => Number(c.replace("月", ""))));
        if (start === 1) return;
        // One month alone is a monthly plan: that month.
        if (present.size === 1 || [...present].every((m) => m >= 9)) {
          expect(start).toBe(Math.min(...present));
          return;
        }
        expect([8, 9, 10]).toContain(start);
        // The summer before it holds no item.
        expect(present.has(start - 1)).toBe(false);
        expect(present.has(start - 2)).toBe(false);
        expect(present.has(7) && present.has(8)).toBe(false);
      }),
    );
  });

  it("treats a plan whose first data month is September as an academic year", () => {
    const r = inferPeriod({ monthCells: ["", "9月份", "11月", "12月"], today });
    expect(r).toEqual({ period: periodFromStart("2025-09"), source: "months", evidence: "9月份" });
    // In March the running academic year began last September.
    expect(inferPeriod({ monthCells: ["Sep"], today: new Date(2026, 2, 1) }).period.start).toBe("2025-09");
  });

  it("takes the year from data months that name it", () => {
    expect(inferPeriod({ monthCells: ["2024年3月", "2024年5月"], today }).period.start).toBe("2024-01");
    expect(inferPeriod({ monthCells: ["2024年9月", "2025年2月"], today }).period.start).toBe("2024-09");
  });

  it("defaults to January of today's year, saying whether months were read", () => {
    expect(inferPeriod({ titleTexts: ["工作台账"], monthCells: ["3月", "4月"], today })).toEqual({
      period: periodFromStart("2025-01"),
      source: "months",
      evidence: "3月",
    });
    expect(inferPeriod({ titleTexts: ["工作台账"], monthCells: ["", "下旬"], today })).toEqual({
      period: periodFromStart("2025-01"),
      source: "default",
      evidence: "",
    });
  });

  it("lets the override win over everything", () => {
    const r = inferPeriod({ sheetName: "2024年", titleTexts: ["2025年"], override: "2023-07", today });
    expect(r).toEqual({ period: periodFromStart("2023-07"), source: "override", evidence: "2023-07" });
  });

  it("throws on an override that names no year, which the caller must validate", () => {
    expect(() => inferPeriod({ override: "9月" })).toThrow(RangeError);
  });

  it("copes with odd month cells and titles without throwing", () => {
    const r = inferPeriod({
      titleTexts: [null as unknown as string, "x".repeat(10000)],
      monthCells: [{}, NaN, true],
      today,
    });
    expect(r.source).toBe("default");
  });
});

describe("periodMonths and periodFromStart", () => {
  it("lists twelve months across the year boundary", () => {
    const p = periodFromStart("2025-09");
    expect(p.end).toBe("2026-08");
    expect(periodMonths(p)).toEqual([
      "2025-09",
      "2025-10",
      "2025-11",
      "2025-12",
      "2026-01",
      "2026-02",
      "2026-03",
      "2026-04",
      "2026-05",
      "2026-06",
      "2026-07",
      "2026-08",
    ]);
  });

  it("throws on a malformed start", () => {
    expect(() => periodFromStart("2025-13")).toThrow(RangeError);
  });
});

describe("elapsedShare", () => {
  const p = periodFromStart("2025-01");

  it("counts ended months plus the current month by day", () => {
    expect(elapsedShare(p, new Date(2025, 6, 1))).toBeCloseTo((6 + 1 / 31) / 12, 10);
    expect(elapsedShare(p, new Date(2025, 5, 30))).toBeCloseTo(6 / 12, 10);
    expect(elapsedShare(periodFromStart("2025-09"), new Date(2026, 1, 14))).toBeCloseTo((5 + 14 / 28) / 12, 10);
  });

  it("is 0 before the period, 1 after it, and 0 for an invalid date", () => {
    expect(elapsedShare(p, new Date(2024, 11, 31))).toBe(0);
    expect(elapsedShare(p, new Date(2026, 0, 1))).toBe(1);
    expect(elapsedShare(p, new Date(Number.NaN))).toBe(0);
  });
});

describe("inferPeriod totality", () => {
  it("never throws and returns a year, a term or one month for any titles and month cells (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.string()), fc.array(fc.anything()), fc.string(), (titles, cells, sheetName) => {
        const r = inferPeriod({ sheetName, titleTexts: titles, monthCells: cells, today });
        expect([1, 5, 6, 12]).toContain(periodMonths(r.period).length);
      }),
    );
  });
});

describe("inferPeriod properties", () => {
  const monthCell = fc.constantFrom(
    "1月",
    "2月",
    "3月",
    "4月",
    "5月",
    "6月",
    "7月",
    "8月",
    "9月",
    "10月",
    "11月",
    "12月",
    "全年",
    "",
  );
  it("gives the same period for the month cells in any order", () => {
    fc.assert(
      fc.property(fc.array(monthCell, { maxLength: 30 }), fc.integer({ min: 0, max: 1000 }), (cells, seed) => {
        // Fisher–Yates with a seeded generator: any order of the same cells.
        const shuffled = [...cells];
        let x = seed + 1;
        for (let i = shuffled.length - 1; i > 0; i--) {
          x = (x * 48271) % 2147483647;
          const j = x % (i + 1);
          [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
        }
        expect(inferPeriod({ monthCells: shuffled, today }).period).toEqual(
          inferPeriod({ monthCells: cells, today }).period,
        );
        expect(inferPeriod({ monthCells: [...cells].reverse(), today }).period).toEqual(
          inferPeriod({ monthCells: cells, today }).period,
        );
      }),
    );
  });

  it("never moves a month out of the year a title names", () => {
    fc.assert(
      fc.property(fc.array(monthCell, { maxLength: 30 }), fc.integer({ min: 2000, max: 2099 }), (cells, year) => {
        const { period } = inferPeriod({ titleTexts: [`${year}年度工作台账`], monthCells: cells, today });
        for (const c of cells) {
          const m = normalizeMonth(c, period);
          if (m.kind === "month") expect(m.bucket.slice(0, 4)).toBe(String(year));
        }
      }),
    );
  });
});

describe("inferPeriod: plans that span one month or one school term", () => {
  const today = new Date(2025, 2, 10);

  it("a plan whose dated items all fall in one month spans that month", () => {
    const r = inferPeriod({
      titleTexts: ["重点工作督办表"],
      monthCells: [45721, 45731, "2025-03-28", "3月20日前"],
      today,
    });
    expect(r.period).toEqual({ start: "2025-03", end: "2025-03" });
    expect(r.source).toBe("dataMonths");
  });

  it("a title naming one month of a year is that month; a form's 填报时间 line is not", () => {
    expect(inferPeriod({ titleTexts: ["2025年3月重点工作安排"], monthCells: ["3.5", "3.20"], today }).period).toEqual({
      start: "2025-03",
      end: "2025-03",
    });
    const form = inferPeriod({ titleTexts: ["填报时间：2025年3月"], monthCells: ["3月", "5月", "9月"], today });
    expect(periodMonths(form.period)).toHaveLength(12);
    // A note naming when the plan was adopted is not the plan's month.
    const note = inferPeriod({ titleTexts: ["2025年1月理事会审议通过"], monthCells: ["3月", "5月", "9月"], today });
    expect(note.period).toEqual({ start: "2025-01", end: "2025-12" });
    expect(inferPeriod({ titleTexts: ["2025年9月—2026年8月工作计划"], today }).period).toEqual({
      start: "2025-09",
      end: "2026-08",
    });
  });

  it("a year named by the sheet keeps its twelve months even when every item falls in one month", () => {
    const r = inferPeriod({ sheetName: "2025年工作台账", monthCells: ["3月", "3月"], today });
    expect(r.period).toEqual({ start: "2025-01", end: "2025-12" });
  });

  it("a title naming a term is that term: spring February–July, autumn September–January", () => {
    expect(inferPeriod({ titleTexts: ["2024-2025学年第二学期校历"], today }).period).toEqual({
      start: "2025-02",
      end: "2025-07",
    });
    expect(inferPeriod({ titleTexts: ["2024-2025学年第一学期工作安排"], today }).period).toEqual({
      start: "2024-09",
      end: "2025-01",
    });
    expect(inferPeriod({ titleTexts: ["2025年春季学期"], today }).period).toEqual({ start: "2025-02", end: "2025-07" });
  });

  it("a school's sheet whose months fall in one term spans the term; without school words it stays a year", () => {
    const weeks = ["2.17-2.21", "2.24-2.28", "3.3-3.7", "4.14-4.18", "6.23-6.27"];
    expect(inferPeriod({ titleTexts: ["2025年校历"], monthCells: weeks, today }).period).toEqual({
      start: "2025-02",
      end: "2025-07",
    });
    expect(inferPeriod({ titleTexts: ["2025年工作安排"], monthCells: weeks, today }).period).toEqual({
      start: "2025-01",
      end: "2025-12",
    });
  });

  it("pace runs over the period's own months", () => {
    expect(elapsedShare(periodFromStart("2025-03", 1), new Date(2025, 2, 10))).toBeCloseTo(10 / 31, 10);
    expect(elapsedShare(periodFromStart("2025-02", 6), new Date(2025, 3, 15))).toBeCloseTo((2 + 15 / 30) / 6, 10);
    expect(periodLength({ start: "2025-02", end: "2025-07" })).toBe(6);
  });
});
