import { terminalLines, terminalSafe } from "../../../src/cli/terminal";

describe("text for a terminal", () => {
  it("escapes C0 and C1 controls, DEL, line separators and bidirectional overrides", () => {
    expect(terminalSafe("Plan\u001b]0;pwned\u0007 \u001b[31mred\u009b\u007f")).toBe(
      "Plan\\x1B]0;pwned\\x07 \\x1B[31mred\\x9B\\x7F",
    );
    expect(terminalSafe("a\nb\tc\rd\u2028e\u202Ef\u2066")).toBe("a\\x0Ab\\x09c\\x0Dd\\u2028e\\u202Ef\\u2066");
  });

  it("leaves ordinary text alone, Chinese and emoji included", () => {
    expect(terminalSafe("2025年台账：科普宣传 12次 😀 — ok")).toBe("2025年台账：科普宣传 12次 😀 — ok");
  });

  it("keeps one message to one line", () => {
    expect(terminalLines(["sheet A\nB", "done"])).toBe("sheet A\\x0AB\ndone\n");
  });
});
