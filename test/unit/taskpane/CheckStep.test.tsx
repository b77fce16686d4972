/** @jest-environment jsdom */
/**
 * The Check step lists a long group of findings a page at a time (a 5,000-row plan has thousands; drawing them all
 * froze the pane, issue 16 §10), and "Show more" lists the rest.
 */
import { fireEvent, render, screen } from "@testing-library/react";
import type { Finding } from "../../../src/core/types";
import { CheckStep, FINDINGS_SHOWN } from "../../../src/taskpane/components/CheckStep";
import { MessagesContext, messagesFor } from "../../../src/taskpane/messages";

function findings(n: number): Finding[] {
  return Array.from({ length: n }, (_, i) => ({
    code: "owner.missing",
    field: "owner",
    severity: "warning",
    value: "",
    cell: `D${i + 3}`,
    message: { "zh-CN": `D${i + 3}：没有责任单位`, "en-US": `D${i + 3}: no owner` },
  }));
}

function show(n: number) {
  const onSelectCell = jest.fn();
  render(
    <MessagesContext.Provider value={messagesFor("zh-CN")}>
      <CheckStep
        result={{ sheet: "计划", rows: n, findings: findings(n) }}
        structured={null}
        busy={false}
        onCheck={() => undefined}
        onSelectCell={onSelectCell}
      />
    </MessagesContext.Provider>,
  );
  return onSelectCell;
}

describe("the Check step with many findings", () => {
  it("lists the first findings of a group and the rest on request, each still selecting its cell", () => {
    const onSelectCell = show(480);
    const cells = () => screen.getAllByText(/^D\d+$/).map((e) => e.textContent);
    expect(cells()).toHaveLength(FINDINGS_SHOWN);
    expect(cells()[0]).toBe("D3");
    fireEvent.click(
      screen.getByRole("button", { name: `再显示 ${FINDINGS_SHOWN * 4} 条（还有 ${480 - FINDINGS_SHOWN} 条未列出）` }),
    );
    expect(cells()).toHaveLength(FINDINGS_SHOWN * 5);
    fireEvent.click(screen.getByText(`D${FINDINGS_SHOWN * 5 + 2}`));
    expect(onSelectCell).toHaveBeenCalledWith("计划", `D${FINDINGS_SHOWN * 5 + 2}`);
    // Until the last ones, which need no button after them.
    for (let i = 0; i < 2; i++) fireEvent.click(screen.getByRole("button", { name: /^再显示/ }));
    expect(cells()).toHaveLength(480);
    expect(screen.queryByRole("button", { name: /^再显示/ })).toBeNull();
  });

  it("lists a short group whole, with no button", () => {
    show(12);
    expect(screen.getAllByText(/^D\d+$/)).toHaveLength(12);
    expect(screen.queryByRole("button", { name: /^再显示/ })).toBeNull();
  });
});
