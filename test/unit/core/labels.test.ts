import {
  MONTH_NUMBER_FORMAT,
  SUMMARY_CATALOGS,
  categoryLabel,
  fieldLabel,
  dateLabel,
  monthLabel,
  oneDecimal,
  ownerLabel,
  percentLabel,
  statusLabel,
  unitLabel,
} from "../../../src/core/labels";
import { FIELDS } from "../../../src/core/types";

describe("dateLabel", () => {
  it("shows a due date as its column does, in each language; other text as it is", () => {
    expect(dateLabel("2025-03-20", "zh-CN")).toBe("2025年3月20日");
    expect(dateLabel("2025-03-05", "en-US")).toBe("Mar 5, 2025");
    expect(dateLabel("2025-03", "en-US")).toBe("2025-03");
  });
});

describe("monthLabel", () => {
  it.each([
    ["2025-09", "zh-CN", "2025年9月"],
    ["2025-09", "en-US", "Sep 2025"],
    ["2026-01", "zh-CN", "2026年1月"],
    ["2026-12", "en-US", "Dec 2026"],
    ["annual", "zh-CN", "全年"],
    ["annual", "en-US", "Annual"],
    ["", "zh-CN", "（未填月份）"],
    ["", "en-US", "(no month)"],
  ] as const)("shows %p in %s as %p", (bucket, lang, label) => {
    expect(monthLabel(bucket, lang)).toBe(label);
  });

  it("shows a null bucket as no month and text that is not a month key as it is", () => {
    expect(monthLabel(null, "en-US")).toBe("(no month)");
    expect(monthLabel("2025-13", "zh-CN")).toBe("2025-13");
  });
});

describe("statusLabel", () => {
  it("names the four statuses in both languages", () => {
    const statuses = ["done", "overdue", "due", "upcoming"] as const;
    expect(statuses.map((s) => statusLabel(s, "zh-CN"))).toEqual(["已完成", "逾期", "本月到期", "未到期"]);
    expect(statuses.map((s) => statusLabel(s, "en-US"))).toEqual(["Done", "Overdue", "Due", "Upcoming"]);
  });
});

describe("fieldLabel", () => {
  it("names every field in both languages, distinctly", () => {
    for (const lang of ["zh-CN", "en-US"] as const) {
      const labels = FIELDS.map((f) => fieldLabel(f, lang));
      expect(new Set(labels).size).toBe(FIELDS.length);
    }
    expect(fieldLabel("month", "zh-CN")).toBe("月份");
    expect(fieldLabel("owner", "en-US")).toBe("Owner");
  });
});

describe("blank owner, unit and category labels", () => {
  it("shows blanks with a placeholder and other text unchanged", () => {
    expect(unitLabel("", "zh-CN")).toBe("（无单位）");
    expect(unitLabel("", "en-US")).toBe("(no unit)");
    expect(unitLabel("人次", "en-US")).toBe("人次");
    expect(ownerLabel("", "zh-CN")).toBe("（未指定部门）");
    expect(ownerLabel("科普部", "zh-CN")).toBe("科普部");
    expect(categoryLabel("", "en-US")).toBe("(uncategorised)");
  });
});

describe("percentLabel", () => {
  it("shows one decimal, rounding half away from zero like Excel", () => {
    expect(percentLabel(11 / 14)).toBe("78.6%");
    expect(percentLabel(0.75)).toBe("75.0%");
    expect(percentLabel(0.7855)).toBe("78.6%");
    expect(percentLabel(0.00049)).toBe("0.0%");
    expect(percentLabel(1)).toBe("100.0%");
    expect(percentLabel(null)).toBe("—");
    expect(percentLabel(NaN)).toBe("—");
  });

  it("rounds negative values away from zero without printing minus zero", () => {
    expect(oneDecimal(-1.25)).toBe("-1.3");
    expect(oneDecimal(-0.01)).toBe("0.0");
  });
});

describe("number formats and catalogs", () => {
  it("formats month dates as 2025年9月 in Chinese and Sep 2025 in English", () => {
    expect(MONTH_NUMBER_FORMAT["zh-CN"]).toBe('yyyy"年"m"月"');
    expect(MONTH_NUMBER_FORMAT["en-US"]).toBe("mmm yyyy");
  });

  it("has the same keys in both summary catalogs", () => {
    expect(Object.keys(SUMMARY_CATALOGS["zh-CN"]).sort()).toEqual(Object.keys(SUMMARY_CATALOGS["en-US"]).sort());
  });
});
