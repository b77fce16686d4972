import fc from "fast-check";
import { ExactSum, compareBuckets, dueUntil, rowStatus, statusMeansDone, summarize } from "../../../src/core/summary";
import type { Period, PlanRow } from "../../../src/core/types";

const PERIOD_2025: Period = { start: "2025-01", end: "2025-12" };
const SCHOOL_YEAR: Period = { start: "2025-09", end: "2026-08" };
const SEP_15 = new Date(2025, 8, 15);

/** Columns of the compact fixtures below: what a structured plan table holds after normalisation. */
type Line = [
  bucket: string | null,
  activity: string,
  owner: string,
  category: string,
  unit: string,
  target: number | null,
  actual: number | null,
  status: string,
];

/** Builds plan rows from a sheet-shaped 2-D array; grid rows start under a header row. */
function rowsOf(lines: readonly Line[]): PlanRow[] {
  return lines.map(([bucket, activity, owner, category, unit, target, actual, status], i) => ({
    gridRow: i + 1,
    bucket,
    activity,
    owner,
    coOwners: [],
    category,
    unit,
    target,
    actual,
    status,
    notes: "",
    originals: {},
  }));
}

function one(line: Line): PlanRow {
  return rowsOf([line])[0];
}

// A science association's 2025 plan as of mid-September: 14 items, 11 done, 2 overdue, 1 due this month.
const ASSOCIATION: Line[] = [
  ["2025-01", "科普宣传进社区", "科普部", "科普宣传", "次", 2, 2, ""],
  ["2025-02", "发行《科普通讯》", "科普部", "科普宣传", "期", 1, 1, ""],
  ["2025-03", "科技活动周", "科普部", "科普宣传", "场", 3, 3, ""],
  ["2025-03", "理事会换届筹备", "办公室", "组织建设", "", null, null, "已完成"],
  ["2025-04", "征集科普作品", "学会部", "学术交流", "件", 30, 31, ""],
  ["2025-05", "学术年会", "学会部", "学术交流", "场", 1, 1, ""],
  ["2025-06", "发行《科普通讯》", "科普部", "科普宣传", "期", 1, 1, ""],
  ["2025-06", "会员发展", "办公室", "组织建设", "人", 50, 62, ""],
  ["2025-07", "青少年科技夏令营", "科普部", "科普宣传", "人次", 200, 120, "进行中"],
  ["2025-07", "科技下乡", "学会部", "学术交流", "次", 2, 2, ""],
  ["2025-08", "财务审计", "办公室", "组织建设", "", null, null, "未完成"],
  ["2025-08", "科普讲座", "科普部", "科普宣传", "场", 4, 4, ""],
  ["2025-09", "全国科普日活动", "科普部", "科普宣传", "场", 1, null, ""],
  ["annual", "每周理事例会", "办公室", "组织建设", "次", 0, null, "完成"],
];

describe("rowStatus", () => {
  const base: Line = ["2025-09", "科普讲座", "科普部", "", "场", 4, null, ""];

  it("is done when the actual reaches a positive target", () => {
    expect(rowStatus(one(["2025-03", "a", "o", "", "次", 4, 4, ""]), PERIOD_2025, SEP_15)).toBe("done");
    expect(rowStatus(one(["2025-03", "a", "o", "", "次", 4, 5, ""]), PERIOD_2025, SEP_15)).toBe("done");
  });

  it("lets the numbers win over a status text that says done", () => {
    expect(rowStatus(one(["2025-03", "a", "o", "", "次", 4, 3, "已完成"]), PERIOD_2025, SEP_15)).toBe("overdue");
  });

  it("takes a done status text when there is no target or no actual yet", () => {
    expect(rowStatus(one(["2025-03", "a", "o", "", "", null, null, "已完成"]), PERIOD_2025, SEP_15)).toBe("done");
    expect(rowStatus(one(["2025-03", "a", "o", "", "次", 4, null, "Completed"]), PERIOD_2025, SEP_15)).toBe("done");
    expect(rowStatus(one(["2025-03", "a", "o", "", "次", 0, 0, "进行中"]), PERIOD_2025, SEP_15)).toBe("overdue");
  });

  it("marks a month that ended before the as-of month overdue, the as-of month due and later months upcoming", () => {
    expect(rowStatus(one(["2025-08", ...base.slice(1)] as Line), PERIOD_2025, SEP_15)).toBe("overdue");
    expect(rowStatus(one(base), PERIOD_2025, SEP_15)).toBe("due");
    expect(rowStatus(one(base), PERIOD_2025, new Date(2025, 8, 30, 23, 59))).toBe("due");
    expect(rowStatus(one(base), PERIOD_2025, new Date(2025, 9, 1))).toBe("overdue");
    expect(rowStatus(one(["2025-10", ...base.slice(1)] as Line), PERIOD_2025, SEP_15)).toBe("upcoming");
  });

  it("treats an annual item as upcoming before the period, due while it runs and overdue after it ends", () => {
    const annual = one(["annual", "每周理事例会", "办公室", "", "", null, null, ""]);
    expect(rowStatus(annual, SCHOOL_YEAR, new Date(2025, 7, 31))).toBe("upcoming");
    expect(rowStatus(annual, SCHOOL_YEAR, new Date(2025, 8, 1))).toBe("due");
    expect(rowStatus(annual, SCHOOL_YEAR, new Date(2026, 7, 31))).toBe("due");
    expect(rowStatus(annual, SCHOOL_YEAR, new Date(2026, 8, 1))).toBe("overdue");
  });

  it("treats a row without a month as upcoming unless it is done", () => {
    expect(rowStatus(one([null, "a", "o", "", "", null, null, ""]), PERIOD_2025, SEP_15)).toBe("upcoming");
    expect(rowStatus(one([null, "a", "o", "", "次", 1, 1, ""]), PERIOD_2025, SEP_15)).toBe("done");
    expect(rowStatus(one(["下旬", "a", "o", "", "", null, null, ""]), PERIOD_2025, SEP_15)).toBe("upcoming");
  });

  it("treats non-finite numbers as blank", () => {
    expect(rowStatus(one(["2025-03", "a", "o", "", "次", NaN, 5, ""]), PERIOD_2025, SEP_15)).toBe("overdue");
    expect(rowStatus(one(["2025-03", "a", "o", "", "次", 3, Infinity, "完成"]), PERIOD_2025, SEP_15)).toBe("done");
  });

  it("throws a RangeError for an invalid as-of date, a programming error", () => {
    expect(() => rowStatus(one(base), PERIOD_2025, new Date("not a date"))).toThrow(RangeError);
  });
});

describe("statusMeansDone", () => {
  it.each(["已完成", " 完成 ", "已办结", "是", "√", "100%", "Done", "COMPLETED", "finished"])(
    "reads %p as done",
    (text) => expect(statusMeansDone(text)).toBe(true),
  );
  it.each(["未完成", "部分完成", "进行中", "否", "not done", "", "50%"])("does not read %p as done", (text) =>
    expect(statusMeansDone(text)).toBe(false),
  );
  it("does not read non-text as done", () => {
    expect(statusMeansDone(1)).toBe(false);
    expect(statusMeansDone(null)).toBe(false);
  });
});

describe("summarize", () => {
  const model = summarize(rowsOf(ASSOCIATION), PERIOD_2025, SEP_15);

  it("counts activities, completed, overdue and due rows and the completion rate", () => {
    expect(model.asOf).toBe("2025-09-15");
    expect(model).toMatchObject({ activities: 14, completed: 11, overdue: 2, due: 1 });
    expect(model.rate).toBeCloseTo(11 / 14, 12);
  });

  it("lists every month of the period in order with the annual bucket last", () => {
    expect(model.byMonth.map((g) => g.key)).toEqual([
      ...Array.from({ length: 12 }, (_, i) => `2025-${String(i + 1).padStart(2, "0")}`),
      "annual",
    ]);
    expect(model.byMonth.find((g) => g.key === "2025-07")).toEqual({
      key: "2025-07",
      activities: 2,
      completed: 1,
      overdue: 1,
      due: 0,
      rate: 0.5,
    });
    expect(model.byMonth.find((g) => g.key === "2025-11")).toMatchObject({ activities: 0, rate: null });
  });

  it("orders a school-year period from September to August", () => {
    const m = summarize([], SCHOOL_YEAR, SEP_15);
    expect(m.byMonth[0].key).toBe("2025-09");
    expect(m.byMonth[11].key).toBe("2026-08");
  });

  it("puts months outside the period in chronological place and rows without a month last", () => {
    const m = summarize(
      rowsOf([
        [null, "a", "o", "", "", null, null, ""],
        ["2024-12", "b", "o", "", "", null, null, ""],
        ["annual", "c", "o", "", "", null, null, ""],
      ]),
      PERIOD_2025,
      SEP_15,
    );
    expect(m.byMonth.map((g) => g.key)).toEqual(["2024-12", ...m.byMonth.slice(1, 13).map((g) => g.key), "annual", ""]);
    expect(m.byMonth.slice(1, 13).every((g) => /^2025-/.test(g.key))).toBe(true);
  });

  it("orders owners lowest completion rate first, ties by name", () => {
    expect(model.byOwner.map((g) => [g.key, g.activities, g.completed])).toEqual([
      ["科普部", 7, 5],
      ["办公室", 4, 3],
      ["学会部", 3, 3],
    ]);
    const tie = summarize(
      rowsOf([
        ["2025-01", "a", "b-team", "", "", null, null, "done"],
        ["2025-01", "b", "a-team", "", "", null, null, "done"],
      ]),
      PERIOD_2025,
      SEP_15,
    );
    expect(tie.byOwner.map((g) => g.key)).toEqual(["a-team", "b-team"]);
  });

  it("orders categories as they first appear in the sheet", () => {
    expect(model.byCategory.map((g) => g.key)).toEqual(["科普宣传", "组织建设", "学术交流"]);
  });

  it("groups owners case-insensitively like COUNTIFS, showing one spelling", () => {
    const m = summarize(
      rowsOf([
        ["2025-01", "a", "office", "", "", null, null, ""],
        ["2025-02", "b", "Office", "", "", null, null, ""],
      ]),
      PERIOD_2025,
      SEP_15,
    );
    // COUNTIFS matches "Office" and "office" alike: one group, one spelling to count.
    expect(m.byOwner).toEqual([
      { key: "Office", spellings: ["Office"], activities: 2, completed: 0, overdue: 2, due: 0, rate: 0 },
    ]);
    expect(m.overdueItems.map((o) => o.owner)).toEqual(["Office", "Office"]);
  });

  it("groups an owner padded with spaces with the unpadded name, and lists each spelling the cells hold", () => {
    const rows = rowsOf([
      ["2025-01", "a", "张三", "", "", null, null, ""],
      ["2025-02", "b", "张 三", "", "", null, null, ""],
      ["2025-03", "c", "李四", "", "", null, null, ""],
    ]);
    rows[0].ownerCell = "张三";
    rows[1].ownerCell = "张　三";
    const m = summarize(rows, PERIOD_2025, SEP_15);
    expect(m.byOwner.map((g) => [g.key, g.spellings, g.activities])).toEqual([
      ["张　三", ["张　三", "张三"], 2],
      ["李四", ["李四"], 1],
    ]);
  });

  it("calls nothing overdue when the plan records no progress", () => {
    const rows = rowsOf([
      ["2025-01", "a", "o", "", "", null, null, ""],
      ["2025-09", "b", "o", "", "", null, null, ""],
      ["2025-12", "c", "o", "", "", null, null, ""],
    ]);
    const m = summarize(rows, PERIOD_2025, SEP_15, { tracked: false });
    expect(m).toMatchObject({ tracked: false, activities: 3, completed: 0, overdue: 0, due: 1 });
    expect(m.overdueItems).toEqual([]);
    expect(rows.map((r) => rowStatus(r, PERIOD_2025, SEP_15, false))).toEqual(["unrecorded", "due", "upcoming"]);
  });

  it("sums quantities per unit and never across units", () => {
    expect(model.byUnit.map((u) => u.unit)).toEqual(["次", "期", "场", "件", "人", "人次"]);
    expect(model.byUnit.find((u) => u.unit === "场")).toEqual({
      unit: "场",
      spellings: ["场"],
      activities: 4,
      target: 9,
      actual: 8,
      variance: -1,
      rate: 8 / 9,
    });
    // 次: 2/2 + 2/2 + the weekly meeting with target 0 → rate over target 4.
    expect(model.byUnit.find((u) => u.unit === "次")).toMatchObject({ activities: 3, target: 4, actual: 4, rate: 1 });
  });

  it("puts targets without a unit in the blank unit and gives a zero target a null rate", () => {
    const m = summarize(
      rowsOf([
        ["2025-01", "a", "o", "", "", 5, 2, ""],
        ["2025-01", "b", "o", "", "", 3, null, ""],
        ["2025-01", "c", "o", "", "次", 0, 0, ""],
        ["2025-01", "d", "o", "", "篇", null, null, ""],
      ]),
      PERIOD_2025,
      SEP_15,
    );
    expect(m.byUnit).toEqual([
      { unit: "", spellings: [""], activities: 2, target: 8, actual: 2, variance: -6, rate: 0.25 },
      { unit: "次", spellings: ["次"], activities: 1, target: 0, actual: 0, variance: 0, rate: null },
    ]);
  });

  it("groups owner, category and unit cells that differ only in spaces, and keeps each spelling for the formulas", () => {
    const rows = rowsOf([
      ["2025-01", "a", "科普部", "宣传", "次", 1, 1, ""],
      ["2025-01", "b", "", "宣传", "次", 1, 0, ""],
      ["2025-01", "c", "", "宣传", "次", 2, 2, ""],
      ["2025-01", "d", "", "", "", 1, 1, ""],
    ]);
    // As the sheet holds them: "宣传 " and "次 " with a trailing space, an owner cell of spaces.
    Object.assign(rows[1], { categoryCell: "宣传 ", unitCell: "次 ", ownerCell: "  " });
    Object.assign(rows[2], { categoryCell: " 宣传", unitCell: "次" });
    const m = summarize(rows, PERIOD_2025, SEP_15);
    expect(m.byCategory.map((g) => [g.key, g.activities, g.spellings])).toEqual([
      ["宣传", 3, ["宣传", " 宣传", "宣传 "]],
      ["", 1, [""]],
    ]);
    expect(m.byUnit.map((u) => [u.unit, u.target, u.spellings])).toEqual([
      ["次", 4, ["次", "次 "]],
      ["", 1, [""]],
    ]);
    // The blank owner group lists the cell of spaces, so the summary's formulas count that row there too.
    expect(m.byOwner.find((g) => g.key === "")).toMatchObject({ activities: 3, spellings: ["", "  "] });
  });

  it("lists overdue items by month then sheet row, and overdue counts by owner, most first", () => {
    expect(model.overdueItems).toEqual([
      {
        gridRow: 9,
        bucket: "2025-07",
        activity: "青少年科技夏令营",
        owner: "科普部",
        target: 200,
        actual: 120,
        unit: "人次",
      },
      { gridRow: 11, bucket: "2025-08", activity: "财务审计", owner: "办公室", target: null, actual: null, unit: "" },
    ]);
    expect(model.overdueByOwner).toEqual([
      { owner: "办公室", count: 1 },
      { owner: "科普部", count: 1 },
    ]);
  });

  it("gives an empty plan zero counts, null rates and all twelve months", () => {
    const m = summarize([], PERIOD_2025, SEP_15);
    expect(m).toMatchObject({ activities: 0, completed: 0, overdue: 0, due: 0, rate: null, byOwner: [], byUnit: [] });
    expect(m.byMonth).toHaveLength(12);
    expect(m.byMonth.every((g) => g.activities === 0 && g.rate === null)).toBe(true);
  });

  it("copes with malformed rows and periods without throwing", () => {
    const junk = [
      {
        gridRow: NaN,
        bucket: 42,
        activity: null,
        owner: undefined,
        category: 7,
        unit: {},
        target: "3",
        actual: -Infinity,
      },
    ] as unknown as PlanRow[];
    const m = summarize(junk, { start: "bad", end: "" }, SEP_15);
    expect(m).toMatchObject({ activities: 1, completed: 0, byUnit: [] });
    expect(m.byMonth).toEqual([{ key: "", activities: 1, completed: 0, overdue: 0, due: 0, rate: 0 }]);
    expect(m.byOwner[0].key).toBe("");
  });
});

describe("compareBuckets", () => {
  it("orders months chronologically, then annual, then no month", () => {
    expect(["annual", "", "2026-01", "2025-12", null].sort(compareBuckets)).toEqual([
      "2025-12",
      "2026-01",
      "annual",
      "",
      null,
    ]);
  });
});

describe("ExactSum", () => {
  it("gives the correctly rounded sum whatever the order of the terms", () => {
    const sum = (xs: number[]) => {
      const s = new ExactSum();
      xs.forEach((x) => s.add(x));
      return s.value();
    };
    expect(sum([0.1, 0.2, 0.3])).toBe(0.6);
    expect(sum([0.3, 0.2, 0.1])).toBe(0.6);
    expect(sum([1e100, 1, -1e100])).toBe(1);
    expect(sum([])).toBe(0);
  });
});

// ---- properties -------------------------------------------------------------------------------------------------

const lineArb: fc.Arbitrary<Line> = fc.tuple(
  fc.constantFrom<string | null>(null, "annual", "2024-12", "2025-01", "2025-06", "2025-09", "2025-12", "2026-01"),
  fc.constantFrom("a", "b", "c"),
  fc.constantFrom("", "科普部", "办公室", "Office", "office", "学会部"),
  fc.constantFrom("", "宣传", "组织"),
  fc.constantFrom("", "次", "期", "Times", "times"),
  fc.option(fc.oneof(fc.integer({ min: -5, max: 50 }), fc.double({ min: 0, max: 100, noNaN: true })), { nil: null }),
  fc.option(fc.oneof(fc.integer({ min: 0, max: 50 }), fc.double({ min: 0, max: 100, noNaN: true })), { nil: null }),
  fc.constantFrom("", "已完成", "未完成", "Done"),
);

const asOfArb = fc.date({ min: new Date(2024, 0, 1), max: new Date(2027, 0, 1), noInvalidDate: true });

describe("summary properties", () => {
  it("does not depend on the order of the rows", () => {
    fc.assert(
      fc.property(fc.array(lineArb, { maxLength: 40 }), asOfArb, fc.nat(), (lines, asOf, seed) => {
        const rows = rowsOf(lines);
        const shuffled = [...rows];
        let s = seed;
        for (let i = shuffled.length - 1; i > 0; i--) {
          s = (s * 1103515245 + 12345) % 2147483648;
          const j = s % (i + 1);
          [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
        }
        expect(summarize(shuffled, PERIOD_2025, asOf)).toEqual(summarize(rows, PERIOD_2025, asOf));
      }),
    );
  });

  it("sums each unit to the sum of its rows' targets and actuals", () => {
    fc.assert(
      fc.property(fc.array(lineArb, { maxLength: 40 }), (lines) => {
        const rows = rowsOf(lines);
        const m = summarize(rows, PERIOD_2025, SEP_15);
        for (const u of m.byUnit) {
          const mine = rows.filter(
            (r) => r.unit.toLowerCase() === u.unit.toLowerCase() && (r.target !== null || r.actual !== null),
          );
          expect(u.activities).toBe(mine.length);
          expect(u.target).toBeCloseTo(
            mine.reduce((a, r) => a + (r.target ?? 0), 0),
            9,
          );
          // No actual recorded in the unit is null, not 0.
          if (mine.every((r) => r.actual === null)) expect(u.actual).toBeNull();
          else
            expect(u.actual).toBeCloseTo(
              mine.reduce((a, r) => a + (r.actual ?? 0), 0),
              9,
            );
        }
        const quantified = rows.filter((r) => r.target !== null || r.actual !== null).length;
        expect(m.byUnit.reduce((a, u) => a + u.activities, 0)).toBe(quantified);
      }),
    );
  });

  it("counts each row exactly once by month, by owner and by category", () => {
    fc.assert(
      fc.property(fc.array(lineArb, { maxLength: 40 }), asOfArb, (lines, asOf) => {
        const m = summarize(rowsOf(lines), PERIOD_2025, asOf);
        expect(m.activities).toBe(lines.length);
        for (const groups of [m.byMonth, m.byOwner, m.byCategory]) {
          for (const k of ["activities", "completed", "overdue", "due"] as const) {
            expect(groups.reduce((a, g) => a + g[k], 0)).toBe(m[k]);
          }
        }
        expect(m.overdueItems).toHaveLength(m.overdue);
        expect(m.overdueByOwner.reduce((a, o) => a + o.count, 0)).toBe(m.overdue);
        expect(m.completed + m.overdue + m.due).toBeLessThanOrEqual(m.activities);
      }),
    );
  });
});

describe("rowStatus with a due date (a column that keeps days)", () => {
  const due = (date: string, status = ""): PlanRow => ({
    ...one([date.slice(0, 7), "督办", "办公室", "", "", null, null, status]),
    due: date,
  });

  it("is due on the due day and overdue from the day after", () => {
    expect(rowStatus(due("2025-03-05"), PERIOD_2025, new Date(2025, 2, 5))).toBe("due");
    expect(rowStatus(due("2025-03-05"), PERIOD_2025, new Date(2025, 2, 6))).toBe("overdue");
    expect(rowStatus(due("2025-03-05"), PERIOD_2025, new Date(2025, 2, 6), false)).toBe("unrecorded");
    expect(rowStatus(due("2025-03-05", "是"), PERIOD_2025, new Date(2025, 5, 1))).toBe("done");
  });

  it("is due for the rest of the as-of month, or the next 7 days when they reach into the next month", () => {
    expect(rowStatus(due("2025-03-31"), PERIOD_2025, new Date(2025, 2, 1))).toBe("due");
    expect(rowStatus(due("2025-04-01"), PERIOD_2025, new Date(2025, 2, 10))).toBe("upcoming");
    expect(rowStatus(due("2025-04-04"), PERIOD_2025, new Date(2025, 2, 28))).toBe("due");
    expect(rowStatus(due("2025-04-05"), PERIOD_2025, new Date(2025, 2, 28))).toBe("upcoming");
    // Across the turn of the year.
    expect(rowStatus(due("2026-01-03"), PERIOD_2025, new Date(2025, 11, 30))).toBe("due");
  });

  it("dueUntil is the later of next month's first day and the 8th day after the as-of date", () => {
    expect(dueUntil(new Date(2025, 2, 10))).toBe("2025-04-01");
    expect(dueUntil(new Date(2025, 2, 28))).toBe("2025-04-05");
    expect(dueUntil(new Date(2025, 1, 24))).toBe("2025-03-04");
  });

  it("groups an item by its due date's month", () => {
    const s = summarize([due("2025-03-05"), due("2025-03-31"), due("2025-04-01")], PERIOD_2025, new Date(2025, 2, 20));
    const byMonth = Object.fromEntries(s.byMonth.filter((g) => g.activities > 0).map((g) => [g.key, g.activities]));
    expect(byMonth).toEqual({ "2025-03": 2, "2025-04": 1 });
    expect([s.overdue, s.due]).toEqual([1, 1]);
  });
});
