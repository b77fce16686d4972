import fc from "fast-check";
import { addMonths, dueDate, normalizeMonth, parseMonthKey, parseMonthParts } from "../../../src/core/month";
import { periodFromStart } from "../../../src/core/period";

const year2025 = periodFromStart("2025-01");
const academic = periodFromStart("2025-09");

describe("normalizeMonth", () => {
  it.each([
    ["9月", "2025-09", false],
    ["9月份", "2025-09", false],
    ["九月", "2025-09", false],
    ["十二月", "2025-12", false],
    ["十一月份", "2025-11", false],
    ["09", "2025-09", false],
    ["9", "2025-09", false],
    ["2025年9月", "2025-09", false],
    ["2025-09", "2025-09", false],
    ["2025/9", "2025-09", false],
    ["2025.9", "2025-09", false],
    ["Sep", "2025-09", false],
    ["September", "2025-09", false],
    ["Sept 2025", "2025-09", false],
    ["sep.", "2025-09", false],
    ["９月", "2025-09", false],
    ["２０２５年９月", "2025-09", false],
    ["xx年9月份", "2025-09", false],
    ["9/2025", "2025-09", false],
    ["Q3", "2025-09", true],
    ["2025 Q3", "2025-09", true],
    ["第三季度", "2025-09", true],
    ["三季度", "2025-09", true],
    ["第1季度", "2025-03", true],
    ["3~4月", "2025-04", true],
    ["3-4月", "2025-04", true],
    ["3至4月", "2025-04", true],
    ["1—5月", "2025-05", true],
    ["3月~4月", "2025-04", true],
    ["xx年3~4月份", "2025-04", true],
    ["5月18—22日", "2025-05", true],
    ["Mar-Apr", "2025-04", true],
    ["October–November", "2025-11", true],
    ["9月15日", "2025-09", true],
    ["9月底前", "2025-09", true],
    ["9月中旬", "2025-09", true],
    ["截至10月", "2025-10", true],
    ["by Sep", "2025-09", true],
    ["mid-September", "2025-09", true],
    ["上半年", "2025-06", true],
    ["2025年下半年", "2025-12", true],
    ["年底前", "2025-12", true],
    ["2025年底", "2025-12", true],
    ["xx年年初", "2025-01", true],
    ["年中", "2025-06", true],
    ["暑假期间", "2025-08", true],
    ["寒假", "2025-02", true],
    ["下学期", "2025-07", true],
    ["秋季", "2025-11", true],
    ["H1", "2025-06", true],
    ["H2 2025", "2025-12", true],
    ["by year-end", "2025-12", true],
    ["End of year", "2025-12", true],
    ["Mid-year", "2025-06", true],
    ["Summer", "2025-08", true],
    ["9.15", "2025-09", true],
    ["1.20", "2025-01", true],
    ["11.20-11.25", "2025-11", true],
    ["11.28-12.3", "2025-12", true],
  ])("reads %s as %s (lossy %s)", (text, bucket, lossy) => {
    // The day a cell names is checked in "the day a due cell names" below.
    const { day: _day, ...month } = normalizeMonth(text, year2025) as { day?: unknown };
    expect(month).toEqual({ kind: "month", bucket, lossy, original: text });
  });

  it.each([
    "全年",
    "全年度",
    "常年",
    "长期",
    "常规",
    "每月",
    "每周",
    "Annual",
    "All year",
    "Ongoing",
    "Monthly",
    "Weekly",
  ])("reads the whole-period word %s as annual", (text) => {
    expect(normalizeMonth(text, year2025)).toMatchObject({ kind: "annual", original: text });
  });

  it("keeps the wording of whole-period words other than 全年 and annual", () => {
    expect(normalizeMonth("全年", year2025)).toMatchObject({ lossy: false });
    expect(normalizeMonth("每周一次", year2025)).toMatchObject({ kind: "annual", lossy: true });
  });

  it("gives a month-only value the year that puts it inside an academic period", () => {
    expect(normalizeMonth("9月", academic)).toMatchObject({ bucket: "2025-09" });
    expect(normalizeMonth("3月", academic)).toMatchObject({ bucket: "2026-03" });
    expect(normalizeMonth("Mar-Apr", academic)).toMatchObject({ bucket: "2026-04" });
    expect(normalizeMonth("8", academic)).toMatchObject({ bucket: "2026-08" });
    expect(normalizeMonth("上学期", academic)).toMatchObject({ bucket: "2026-01", lossy: true });
    expect(normalizeMonth("下学期", academic)).toMatchObject({ bucket: "2026-07", lossy: true });
  });

  it("counts a range across the new year in its last month, in the following year", () => {
    expect(normalizeMonth("2025年11月-2026年1月", academic)).toMatchObject({ bucket: "2026-01", lossy: true });
    expect(normalizeMonth("2025年11月~1月", academic)).toMatchObject({ bucket: "2026-01" });
  });

  it("rejects a month whose explicit year lies outside the period", () => {
    expect(normalizeMonth("2026年9月", year2025)).toEqual({
      kind: "invalid",
      original: "2026年9月",
      reason: "outsidePeriod",
    });
    expect(normalizeMonth("2025-03", academic)).toMatchObject({ kind: "invalid", reason: "outsidePeriod" });
  });

  it("reads Excel date serials in the 1900 date system", () => {
    expect(normalizeMonth(45901, year2025)).toMatchObject({ kind: "month", bucket: "2025-09" }); // 2025-09-01
    expect(normalizeMonth(45930.75, year2025)).toMatchObject({ bucket: "2025-09" }); // 2025-09-30 18:00
    expect(normalizeMonth(45658, year2025)).toMatchObject({ bucket: "2025-01" }); // 2025-01-01
    expect(normalizeMonth(45657, year2025)).toMatchObject({ kind: "invalid", reason: "outsidePeriod" });
  });

  it("reads a number typed as month.day (9.15) as its month, keeping the wording", () => {
    expect(normalizeMonth(9.15, year2025)).toEqual({
      kind: "month",
      bucket: "2025-09",
      lossy: true,
      original: "9.15",
      day: { day: 15, exact: true, evidence: "day" },
    });
    expect(normalizeMonth(12.31, year2025)).toMatchObject({ bucket: "2025-12", lossy: true });
    expect(normalizeMonth(9.5, year2025)).toMatchObject({ bucket: "2025-09" });
  });

  it("reads YYYY.M and YYYYMM numbers as written", () => {
    expect(normalizeMonth(2025.9, year2025)).toMatchObject({ bucket: "2025-09" });
    expect(normalizeMonth(2025.12, year2025)).toMatchObject({ bucket: "2025-12" });
    expect(normalizeMonth(202510, year2025)).toMatchObject({ bucket: "2025-10" });
  });

  it("keeps the day of a date that is not the first of its month as the original, read as a person reads it", () => {
    expect(normalizeMonth(45838, year2025)).toEqual({
      kind: "month",
      bucket: "2025-06",
      lossy: true,
      original: "2025-06-30",
      day: { day: 30, exact: true, evidence: "day" },
    });
    expect(normalizeMonth(45809, year2025)).toEqual({
      kind: "month",
      bucket: "2025-06",
      lossy: false,
      original: "2025-06-01",
      // A date on the 1st is how months are stored: no evidence of a due column.
      day: { day: 1, exact: true, evidence: "none" },
    });
    expect(normalizeMonth(45809.5, year2025)).toMatchObject({ lossy: true, original: "2025-06-01" });
    expect(normalizeMonth(new Date(Date.UTC(2025, 5, 30)), year2025)).toMatchObject({
      lossy: true,
      original: "2025-06-30",
    });
    expect(normalizeMonth(new Date(2025, 5, 1), year2025)).toMatchObject({ lossy: false });
  });

  it("reads JS Dates by their calendar month, UTC midnight as .xlsx readers give them", () => {
    expect(normalizeMonth(new Date(Date.UTC(2025, 8, 1)), year2025)).toMatchObject({ bucket: "2025-09" });
    expect(normalizeMonth(new Date(2025, 8, 30, 15), year2025)).toMatchObject({ bucket: "2025-09" });
  });

  it.each<[unknown]>([
    ["下旬"],
    ["春节前"],
    ["年"],
    ["上半"],
    ["春季学期"],
    ["13.5"],
    ["9.45"],
    ["13月"],
    ["Q5"],
    ["2025"],
    ["3-4"],
    ["TBD"],
    [0],
    [13],
    [2025],
    [-3],
    [Number.NaN],
    [Number.POSITIVE_INFINITY],
    [true],
    [{}],
    [new Date(Number.NaN)],
    ["9".repeat(300)],
  ])("reports %p as unrecognized instead of guessing", (value) => {
    expect(normalizeMonth(value, year2025)).toMatchObject({ kind: "invalid", reason: "unrecognized" });
  });

  it("reads empty cells as blank", () => {
    for (const v of ["", "   ", "　", null, undefined]) expect(normalizeMonth(v, year2025)).toEqual({ kind: "blank" });
  });

  it("maps its own buckets, annual and the display forms 2025年9月 / Sep 2025 to themselves", () => {
    for (const p of [year2025, academic]) {
      let key = p.start;
      for (let i = 0; i < 12; i++, key = addMonths(key, 1)) {
        const { year, month } = parseMonthKey(key)!;
        const en = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][month - 1];
        for (const form of [key, `${year}年${month}月`, `${en} ${year}`]) {
          expect(normalizeMonth(form, p)).toMatchObject({ kind: "month", bucket: key, lossy: false });
        }
      }
    }
    expect(normalizeMonth("annual", year2025)).toMatchObject({ kind: "annual", lossy: false });
  });

  it("is idempotent: normalising a result's bucket gives the same bucket (property)", () => {
    const forms = fc.oneof(
      fc.constantFrom(
        "9月",
        "十二月",
        "Q3",
        "3~4月",
        "Mar-Apr",
        "全年",
        "Weekly",
        "2025年9月",
        "Sept 2025",
        "第三季度",
      ),
      fc.integer({ min: -5, max: 3_000_000 }),
      fc.double({ noNaN: false }),
      fc.string(),
      fc.tuple(fc.integer({ min: 1, max: 12 }), fc.constantFrom("月", "月份", "")).map(([m, s]) => `${m}${s}`),
    );
    const starts = fc
      .tuple(fc.integer({ min: 2000, max: 2090 }), fc.integer({ min: 1, max: 12 }))
      .map(([y, m]) => periodFromStart(`${y}-${String(m).padStart(2, "0")}`));
    fc.assert(
      fc.property(forms, starts, (v, p) => {
        const r = normalizeMonth(v, p);
        if (r.kind === "month") expect(normalizeMonth(r.bucket, p)).toMatchObject({ kind: "month", bucket: r.bucket });
        if (r.kind === "annual") expect(normalizeMonth("annual", p).kind).toBe("annual");
      }),
    );
  });

  it("throws on a malformed period, which is a programming error", () => {
    expect(() => normalizeMonth("9月", { start: "2025-9", end: "" })).toThrow(/Malformed period/);
  });
});

describe("the day a due cell names", () => {
  it.each([
    ["2025-03-05", 5, true, "day"],
    ["2025.3.15", 15, true, "day"],
    ["2025/3/25", 25, true, "day"],
    ["3.28", 28, true, "day"],
    ["3月28日", 28, true, "day"],
    ["3月20日前", 20, false, "day"],
    ["2.17-2.21", 21, false, "day"],
    ["5月18—22日", 22, false, "day"],
    ["11.28-12.3", 3, false, "day"],
    ["Mar 15 2025", 15, true, "day"],
    ["15 Mar 2025", 15, true, "day"],
    ["3月上旬", 10, false, "word"],
    ["3月初", 10, false, "word"],
    ["3月中旬", 20, false, "word"],
    ["3月下旬", "end", false, "word"],
    ["3月底", "end", false, "word"],
    ["3月末", "end", false, "word"],
    ["3月底前", "end", false, "word"],
    ["early March", 10, false, "word"],
    ["mid-March", 20, false, "word"],
    ["late March", "end", false, "word"],
  ])("reads the day of %s as %s (exact %s, evidence %s)", (text, day, exact, evidence) => {
    expect(normalizeMonth(text, year2025)).toMatchObject({ kind: "month", day: { day, exact, evidence } });
  });

  it.each(["3月", "2025年3月", "2025-03", "Q1", "3~4月", "上半年", "March"])("reads no day in %s", (text) => {
    expect(normalizeMonth(text, year2025)).toMatchObject({ kind: "month" });
    expect((normalizeMonth(text, year2025) as { day?: unknown }).day).toBeUndefined();
  });

  it("reads the day of a date serial and of a number typed as month.day", () => {
    expect(normalizeMonth(45721, year2025)).toMatchObject({ bucket: "2025-03", day: { day: 5, evidence: "day" } });
    expect(normalizeMonth(3.28, year2025)).toMatchObject({ bucket: "2025-03", day: { day: 28, exact: true } });
  });

  it("gives the due date: the day named, else the month's last day, exact only when nothing else was said", () => {
    expect(dueDate("2025-03", { day: 5, exact: true, evidence: "day" })).toEqual({ date: "2025-03-05", exact: true });
    expect(dueDate("2025-03", { day: 10, exact: false, evidence: "word" })).toEqual({
      date: "2025-03-10",
      exact: false,
    });
    expect(dueDate("2025-02", { day: "end", exact: false, evidence: "word" })).toEqual({
      date: "2025-02-28",
      exact: false,
    });
    expect(dueDate("2024-02", undefined)).toEqual({ date: "2024-02-29", exact: false });
    expect(dueDate("2025-02", { day: 30, exact: true, evidence: "day" })).toEqual({ date: "2025-02-28", exact: false });
  });
});

describe("parseMonthParts", () => {
  it("reads a month without a period, leaving the year open when the cell names none", () => {
    expect(parseMonthParts("3~4月")).toEqual({ kind: "month", year: null, month: 4, lossy: true });
    expect(parseMonthParts("2026年1月")).toEqual({ kind: "month", year: 2026, month: 1, lossy: false });
  });
});
