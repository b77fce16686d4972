import { isNonFieldHeader, normalizeHeader, scoreHeader, SYNONYMS } from "../../../src/core/schema";
import { FIELDS } from "../../../src/core/types";

const best = (text: string) => scoreHeader(text)[0];

describe("SYNONYMS", () => {
  it("has Chinese and English synonyms for every field", () => {
    for (const f of FIELDS) {
      expect(SYNONYMS[f].zh.length).toBeGreaterThan(0);
      expect(SYNONYMS[f].en.length).toBeGreaterThan(0);
    }
  });

  it("maps every synonym back to its own field with an exact score", () => {
    for (const f of FIELDS) {
      for (const s of [...SYNONYMS[f].zh, ...SYNONYMS[f].en]) {
        const hit = scoreHeader(s).find((x) => x.field === f);
        expect(hit && hit.score).toBeGreaterThan(0.95);
      }
    }
  });
});

describe("scoreHeader", () => {
  it.each([
    ["月份", "month"],
    ["完成时限", "month"],
    ["工作任务", "activity"],
    ["督办事项", "activity"],
    ["责任单位", "owner"],
    ["牵头单位", "owner"],
    ["类别", "category"],
    ["计量单位", "unit"],
    ["目标任务", "target"],
    ["累计完成", "actual"],
    ["进展情况", "status"],
    ["备注", "notes"],
    ["Month", "month"],
    ["Due", "month"],
    ["Deadline", "month"],
    ["Quarter", "month"],
    ["Target date", "month"],
    ["Activity", "activity"],
    ["Work item", "activity"],
    ["Owner", "owner"],
    ["Business unit", "owner"],
    ["Category", "category"],
    ["Unit", "unit"],
    ["UoM", "unit"],
    ["Target", "target"],
    ["Actual", "actual"],
    ["RAG status", "status"],
    ["Next steps", "notes"],
  ])("maps the header %s to %s", (text, field) => {
    expect(best(text).field).toBe(field);
  });

  it("scores an exact synonym above a header that merely contains one", () => {
    expect(best("工作任务").score).toBeGreaterThan(best("本年度重点工作任务清单").score);
  });

  it("ignores hints in brackets, decoration and padding spaces", () => {
    expect(best("目标任务（次）")).toMatchObject({ field: "target" });
    expect(best("*责任单位：")).toMatchObject({ field: "owner" });
    expect(best("备  注").score).toBeGreaterThan(0.95);
    expect(normalizeHeader("Target (units)")).toBe("target");
  });

  it("prefers 责任单位 to 责任人 when both are exact owner synonyms", () => {
    expect(best("责任单位").score).toBeGreaterThan(best("责任人").score);
  });

  it("gives 完成情况 the same score as actual and as status, for the data to decide", () => {
    const [a, b] = scoreHeader("完成情况");
    expect(new Set([a.field, b.field])).toEqual(new Set(["actual", "status"]));
    expect(a.score).toBe(b.score);
  });

  it("matches English synonyms as whole words only", () => {
    expect(scoreHeader("Community").find((x) => x.field === "unit")).toBeUndefined();
    expect(best("Planned target value")).toBeDefined();
  });

  it("scores long texts and filler lines low and empty or huge texts not at all", () => {
    // 填报单位 names the organisation filling the form in, not a unit of measure: no field at all.
    expect(best("填报单位：市科学技术协会办公室（盖章）")?.score ?? 0).toBeLessThan(0.5);
    expect(scoreHeader("")).toEqual([]);
    expect(scoreHeader("任务".repeat(100))).toEqual([]);
  });
});

describe("isNonFieldHeader", () => {
  it("recognises 序号 and No. as header words that name no field", () => {
    expect(isNonFieldHeader("序 号")).toBe(true);
    expect(isNonFieldHeader("No.")).toBe(true);
    expect(isNonFieldHeader("月份")).toBe(false);
  });
});
