import { cleanText, clip, toHalfWidth } from "../../../src/core/text";

describe("toHalfWidth", () => {
  it("turns full-width digits, letters, punctuation and the ideographic space into ASCII", () => {
    expect(toHalfWidth("１２次，Ｑ３　２０２５／９～１０％")).toBe("12次,Q3 2025/9~10%");
  });

  it("leaves Chinese text and plain ASCII unchanged", () => {
    expect(toHalfWidth("科普宣传 Sep 2025")).toBe("科普宣传 Sep 2025");
  });
});

describe("cleanText", () => {
  it("collapses full-width, no-break and line-break spaces into single spaces and trims", () => {
    expect(cleanText("　科普部 \n\t 办公室\u00a0 ")).toBe("科普部 办公室");
  });

  it("returns plain strings untouched when there is nothing to clean", () => {
    expect(cleanText("科普部")).toBe("科普部");
  });

  it("reads null and undefined as empty and numbers and booleans as their text", () => {
    expect(cleanText(null)).toBe("");
    expect(cleanText(undefined)).toBe("");
    expect(cleanText(12.5)).toBe("12.5");
    expect(cleanText(true)).toBe("true");
  });

  it("shows a Date as YYYY-MM-DD and an invalid Date as empty", () => {
    expect(cleanText(new Date(2025, 8, 3))).toBe("2025-09-03");
    expect(cleanText(new Date(Number.NaN))).toBe("");
  });

  it("never throws on objects without a usable toString", () => {
    const hostile = {
      toString() {
        throw new Error("boom");
      },
    };
    expect(cleanText(Object.create(null))).toBe("");
    expect(cleanText(hostile)).toBe("");
    expect(cleanText({})).toBe("[object Object]");
  });
});

describe("clip", () => {
  it("shortens long text for messages with an ellipsis and keeps short text", () => {
    expect(clip("长".repeat(100), 10)).toBe("长".repeat(9) + "…");
    expect(clip("短")).toBe("短");
  });
});
