import { narrative } from "../../../src/core/narrative";
import { percentLabel } from "../../../src/core/labels";
import { summarize, type SummaryModel } from "../../../src/core/summary";
import type { PlanRow } from "../../../src/core/types";

/** A model as summarize returns it; narrative reads only the totals and the overdue-by-owner list. */
function model(over: Partial<SummaryModel>): SummaryModel {
  return {
    asOf: "2025-09-30",
    tracked: true,
    period: { start: "2025-01", end: "2025-12" },
    activities: 14,
    completed: 11,
    overdue: 2,
    due: 1,
    rate: 11 / 14,
    pace: 0.75,
    byMonth: [],
    byOwner: [],
    byCategory: [],
    byUnit: [],
    overdueItems: [],
    overdueByOwner: [
      { owner: "科普部", count: 1 },
      { owner: "办公室", count: 1 },
    ],
    ...over,
  };
}

describe("narrative", () => {
  it("states plan, completion, overdue owners and pace in one Chinese line", () => {
    expect(narrative(model({}), "zh-CN")).toBe(
      "截至2025年9月，计划事项14项，已完成11项，完成率78.6%；逾期2项（科普部1项、办公室1项）；序时进度75.0%。",
    );
  });

  it("states the same in English", () => {
    const m = model({
      overdueByOwner: [
        { owner: "Science Dept", count: 1 },
        { owner: "Office", count: 1 },
      ],
    });
    expect(narrative(m, "en-US")).toBe(
      "As of Sep 2025, 14 activities planned, 11 completed (78.6%); 2 overdue (Science Dept 1, Office 1); time elapsed 75.0%.",
    );
  });

  it("says nothing is overdue when nothing is", () => {
    const m = model({ completed: 13, rate: 13 / 14, overdue: 0, overdueByOwner: [] });
    expect(narrative(m, "zh-CN")).toBe(
      "截至2025年9月，计划事项14项，已完成13项，完成率92.9%；无逾期事项；序时进度75.0%。",
    );
    expect(narrative(m, "en-US")).toBe(
      "As of Sep 2025, 14 activities planned, 13 completed (92.9%); none overdue; time elapsed 75.0%.",
    );
  });

  it("handles a plan with no activities", () => {
    const m = model({ activities: 0, completed: 0, overdue: 0, due: 0, rate: null, overdueByOwner: [] });
    expect(narrative(m, "zh-CN")).toBe("截至2025年9月，计划中尚无事项；序时进度75.0%。");
    expect(narrative(m, "en-US")).toBe("As of Sep 2025, no activities planned; time elapsed 75.0%.");
  });

  it("says progress is not recorded when the plan tracks none, naming its activities as the key figures do", () => {
    const m = model({ tracked: false, completed: 0, overdue: 0, rate: null, overdueByOwner: [] });
    expect(narrative(m, "zh-CN")).toBe(
      "截至2025年9月，计划事项14项；表中未记录完成情况，无法判断进度；序时进度75.0%。",
    );
    expect(narrative(m, "en-US")).toBe(
      "As of Sep 2025, 14 activities planned; progress is not recorded, so it cannot be judged; time elapsed 75.0%.",
    );
    expect(narrative({ ...m, activities: 1 }, "en-US")).toMatch(/^As of Sep 2025, 1 activity planned; progress/);
  });

  it("uses the singular for a single activity in English", () => {
    const m = model({ activities: 1, completed: 1, rate: 1, overdue: 0, overdueByOwner: [] });
    expect(narrative(m, "en-US")).toBe(
      "As of Sep 2025, 1 activity planned, 1 completed (100.0%); none overdue; time elapsed 75.0%.",
    );
  });

  it("names the top three owners and counts the rest", () => {
    const m = model({
      overdue: 7,
      completed: 7,
      rate: 0.5,
      pace: 0.5,
      overdueByOwner: [
        { owner: "科普部", count: 3 },
        { owner: "办公室", count: 1 },
        { owner: "学会部", count: 1 },
        { owner: "组织部", count: 1 },
        { owner: "", count: 1 },
      ],
    });
    expect(narrative(m, "zh-CN")).toBe(
      "截至2025年9月，计划事项14项，已完成7项，完成率50.0%；逾期7项（科普部3项、办公室1项、学会部1项等5个部门（另有2个未列出））；序时进度50.0%。",
    );
    expect(narrative(m, "en-US")).toBe(
      "As of Sep 2025, 14 activities planned, 7 completed (50.0%); 7 overdue (科普部 3, 办公室 1, 学会部 1, and 2 more (5 owners)); time elapsed 50.0%.",
    );
  });

  it("names rows without an owner", () => {
    const m = model({ overdue: 1, completed: 12, rate: 12 / 14, overdueByOwner: [{ owner: "", count: 1 }] });
    expect(narrative(m, "zh-CN")).toContain("逾期1项（（未指定部门）1项）");
    expect(narrative(m, "en-US")).toContain("1 overdue ((no owner) 1)");
  });

  it("adds the points behind pace when completion trails time elapsed", () => {
    const m = model({ completed: 9, rate: 9 / 14, overdue: 4, overdueByOwner: [{ owner: "科普部", count: 4 }] });
    expect(narrative(m, "zh-CN")).toBe(
      "截至2025年9月，计划事项14项，已完成9项，完成率64.3%；逾期4项（科普部4项）；序时进度75.0%；完成率落后序时进度10.7个百分点。",
    );
    expect(narrative(m, "en-US")).toMatch(/; completion 10\.7 points behind time elapsed\.$/);
    expect(narrative(m, "en-US", { behindPace: "hide" })).toMatch(/time elapsed 75\.0%\.$/);
  });

  it("says 时间过半、任务未过半 when more than half the time but under half the work has gone", () => {
    const m = model({ completed: 5, rate: 5 / 14, overdue: 0, overdueByOwner: [], pace: 0.6 });
    expect(narrative(m, "zh-CN")).toMatch(/；序时进度60\.0%；时间过半、任务未过半。$/);
    expect(narrative(m, "en-US")).toMatch(/over half the time gone, under half the work done\.$/);
  });

  it("reads a model made by summarize", () => {
    const row = (gridRow: number, bucket: string, owner: string, actual: number | null): PlanRow => ({
      gridRow,
      bucket,
      activity: `工作${gridRow}`,
      owner,
      coOwners: [],
      category: "",
      unit: "次",
      target: 2,
      actual,
      status: "",
      notes: "",
      originals: {},
    });
    const m = summarize(
      [row(1, "2025-01", "科普部", 2), row(2, "2025-02", "办公室", null), row(3, "2025-12", "科普部", null)],
      { start: "2025-01", end: "2025-12" },
      new Date(2025, 8, 15),
    );
    expect(narrative(m, "zh-CN", { behindPace: "hide" })).toBe(
      `截至2025年9月，计划事项3项，已完成1项，完成率33.3%；逾期1项（办公室1项）；序时进度${percentLabel(m.pace)}。`,
    );
  });
});
