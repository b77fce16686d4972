import fc from "fast-check";
import { chineseNumber, parseQuantity } from "../../../src/core/quantity";

const num = (value: number, unit = "", lossy = false) => ({ kind: "number", value, unit, lossy });

describe("parseQuantity", () => {
  it.each<[unknown, ReturnType<typeof num>]>([
    [12, num(12)],
    [0, num(0)],
    [2.5, num(2.5)],
    ["12", num(12)],
    ["12次", num(12, "次")],
    ["6期", num(6, "期")],
    ["31件", num(31, "件")],
    ["12 sessions", num(12, "sessions")],
    ["1万", num(10000)],
    ["1.5万", num(15000)],
    ["3千", num(3000)],
    ["2百", num(200)],
    ["1万人次", num(10000, "人次")],
    ["5万元", num(5, "万元")],
    ["3千克", num(3, "千克")],
    ["1,200", num(1200)],
    ["１２", num(12)],
    ["１２次", num(12, "次")],
    ["十二", num(12)],
    ["三十一", num(31)],
    ["两", num(2)],
    ["两次", num(2, "次")],
    ["一百二十", num(120)],
    ["一千零五", num(1005)],
    ["一亿五千万", num(150000000)],
    ["共12次", num(12, "次")],
    ["达1万人次", num(10000, "人次")],
    ["约20", num(20, "", true)],
    ["20余", num(20, "", true)],
    ["近20", num(20, "", true)],
    ["20多", num(20, "", true)],
    ["20余次", num(20, "次", true)],
    ["二十余次", num(20, "次", true)],
    ["不少于3场", num(3, "场", true)],
    ["20次以上", num(20, "次", true)],
    ["2~3", num(2, "", true)],
    ["2-3", num(2, "", true)],
    ["2至3", num(2, "", true)],
    ["2～3次", num(2, "次", true)],
    ["5-6人", num(5, "人", true)],
    ["95%", num(0.95, "%")],
    ["95.5％", num(0.955, "%")],
    ["-5", num(-5)],
    ["-5次", num(-5, "次")],
    ["+3", num(3)],
  ])("reads %p", (value, expected) => {
    expect(parseQuantity(value)).toEqual({ ...expected, original: String(value) });
  });

  it.each<[unknown]>([
    ["abc"],
    ["已完成"],
    ["完成"],
    ["次"],
    ["一二三"],
    ["1e5"],
    ["NaN"],
    ["宣传12次"],
    [Number.NaN],
    [Number.POSITIVE_INFINITY],
    [true],
    [new Date(2025, 0, 1)],
    ["1".repeat(100)],
  ])("reports %p as invalid instead of guessing", (value) => {
    expect(parseQuantity(value)).toMatchObject({ kind: "invalid" });
  });

  it("reads empty cells and dash or slash placeholders as blank", () => {
    for (const v of ["", "  ", null, undefined, "—", "-", "/", "——"])
      expect(parseQuantity(v)).toEqual({ kind: "blank" });
  });

  it("never throws, whatever the cell holds (property)", () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything(), fc.string(), fc.double()), (v) => {
        const r = parseQuantity(v);
        if (r.kind === "number") expect(Number.isFinite(r.value)).toBe(true);
      }),
    );
  });
});

describe("chineseNumber", () => {
  it("reads Chinese numerals and rejects character runs that are not numerals", () => {
    expect(chineseNumber("十")).toBe(10);
    expect(chineseNumber("两万三千")).toBe(23000);
    expect(chineseNumber("十万")).toBe(100000);
    expect(chineseNumber("万")).toBeNaN();
    expect(chineseNumber("一二")).toBeNaN();
  });
});
