import { describeCliError } from "../../../src/cli/errors";
import { slowReading } from "../../../src/cli/written-plan";

describe("a written plan too slow to read", () => {
  it("names the longest line when it is thousands of characters long", () => {
    const lines = ["一、9月份工作", "1. " + "1".repeat(5000), "2. 开展科普宣传12次"];
    expect(describeCliError(slowReading("plan.txt", lines, 3), "en-US")).toBe(
      "plan.txt: reading the written plan took longer than 30 seconds and was stopped. Very long lines slow the reader: the longest is line 2, 5003 characters.",
    );
  });

  it("blames the number of lines when none is long, in both languages", () => {
    const lines = Array.from({ length: 5 }, (_, i) => `${i + 1}. 开展科普宣传12次`);
    expect(describeCliError(slowReading("plan.txt", lines, 90_000), "en-US")).toBe(
      "plan.txt: reading the written plan (90000 lines) took longer than 30 seconds and was stopped. Split it into smaller files and import them one by one.",
    );
    expect(describeCliError(slowReading("plan.txt", lines, 90_000), "zh-CN")).toBe(
      "plan.txt：读取文字版计划（共 90000 行）超过 30 秒，已停止。请把它拆成几个较小的文件分别导入。",
    );
  });
});
