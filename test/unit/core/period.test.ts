import fc from "fast-check";
import { elapsedShare, inferPeriod, periodFromStart, periodMonths } from "../../../src/core/period";

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

  it("starts a plain-year plan at its first month when its months wrap into the next year", () => {
    const r = inferPeriod({ titleTexts: ["2025年度学生会工作计划"], monthCells: ["9月", "10月", "3月"], today });
    expect(r).toMatchObject({ period: { start: "2025-09", end: "2026-08" }, source: "title" });
  });

  it("treats a plan whose first data month is September as an academic year", () => {
    const r = inferPeriod({ monthCells: ["", "9月份", "11月", "12月"], today });
    expect(r).toEqual({ period: periodFromStart("2025-09"), source: "dataMonths", evidence: "9月份" });
    // In March the running academic year began last September.
    expect(inferPeriod({ monthCells: ["Sep"], today: new Date(2026, 2, 1) }).period.start).toBe("2025-09");
  });

  it("takes the year from data months that name it", () => {
    expect(inferPeriod({ monthCells: ["2024年3月", "2024年5月"], today }).period.start).toBe("2024-01");
    expect(inferPeriod({ monthCells: ["2024年9月", "2025年2月"], today }).period.start).toBe("2024-09");
  });

  it("defaults to January of today's year", () => {
    expect(inferPeriod({ titleTexts: ["工作台账"], monthCells: ["3月", "4月"], today })).toEqual({
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
  it("never throws and always returns a twelve-month period for any titles and month cells (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.string()), fc.array(fc.anything()), fc.string(), (titles, cells, sheetName) => {
        const r = inferPeriod({ sheetName, titleTexts: titles, monthCells: cells, today });
        expect(periodMonths(r.period)).toHaveLength(12);
      }),
    );
  });
});
