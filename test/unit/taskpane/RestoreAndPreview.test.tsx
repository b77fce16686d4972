/** @jest-environment jsdom */
import { act, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { PlanLedgerError } from "../../../src/excel/operations";
import { TaskPaneApp } from "../../../src/taskpane/App";
import { LEDGER, LEDGER_MAPPING, STRUCTURED, STRUCTURE_PREVIEW, fakeOps, previewOf } from "./fakeOps";
import "./lazySteps";

async function openPane(ops: ReturnType<typeof fakeOps>, lang = "en-US") {
  render(<TaskPaneApp ops={ops} displayLanguage={lang} />);
  await screen.findByText(lang === "en-US" ? "Header in row 2" : "表头在第 2 行");
}

describe("Structure preview and Restore original (issue 16 §1–2)", () => {
  it("shows what Structure will change and that Ctrl+Z cannot undo it, and writes nothing until confirmed", async () => {
    const ops = fakeOps();
    await openPane(ops);
    fireEvent.click(screen.getByRole("button", { name: "Structure" }));
    const preview = await screen.findByTestId("structure-preview", {}, { timeout: 5000 });
    expect(ops.previewStructure).toHaveBeenCalledWith(expect.objectContaining({ sheet: "工作计划", lang: "en-US" }));
    expect(ops.structure).not.toHaveBeenCalled();
    const text = preview.textContent ?? "";
    expect(text).toContain("Structure will change sheet 工作计划:");
    expect(text).toContain("3 cells rewritten as dates, numbers and units:");
    expect(text).toContain("B3: 3月 → 2025年3月");
    expect(text).toContain("F4: 1万 → 10000");
    expect(text).toContain("1 merged areas undone, their cells filled (B3:B4)");
    expect(text).toContain("2 columns added at the right: H 完成率, I 状态");
    expect(text).toContain("G5: 原文：目标任务=2~3场");
    expect(text).toContain("Ctrl+Z cannot undo this.");
    expect(text).toContain("Restore original puts it back.");

    fireEvent.click(screen.getByRole("button", { name: "Cancel" }));
    expect(screen.queryByTestId("structure-preview")).toBeNull();
    expect(ops.structure).not.toHaveBeenCalled();

    fireEvent.click(screen.getByRole("button", { name: "Structure" }));
    fireEvent.click(await screen.findByRole("button", { name: "Structure now" }, { timeout: 5000 }));
    await waitFor(() => expect(ops.structure).toHaveBeenCalledTimes(1));
  });

  it("says when a sheet has no original to restore, before structuring", async () => {
    const ops = fakeOps();
    ops.previewStructure.mockResolvedValue({ ...STRUCTURE_PREVIEW, original: "none", structured: true });
    await openPane(ops, "zh-CN");
    fireEvent.click(screen.getByRole("button", { name: "整理为台账" }));
    expect((await screen.findByTestId("structure-preview", {}, { timeout: 5000 })).textContent).toContain(
      "没有可恢复的原表",
    );
  });

  it("restores the original after asking, then reads the sheet again", async () => {
    const ops = fakeOps();
    await openPane(ops);
    const previews = ops.preview.mock.calls.length;
    fireEvent.click(screen.getByRole("button", { name: "Restore original" }));
    expect(screen.getByText(/Changes made to it since it was structured are replaced/)).toBeTruthy();
    expect(ops.restore).not.toHaveBeenCalled();
    await act(async () => {
      fireEvent.click(screen.getByRole("button", { name: "Restore" }));
    });
    expect(ops.restore).toHaveBeenCalledWith({ sheet: "工作计划" });
    expect(
      await screen.findByText("Sheet 工作计划 is as it was before; 3 items Plan Ledger had added were removed."),
    ).toBeTruthy();
    await waitFor(() => expect(ops.preview.mock.calls.length).toBeGreaterThan(previews));
  });

  it("tells the user plainly, in Chinese too, when Plan Ledger never changed the sheet", async () => {
    const ops = fakeOps();
    ops.restore.mockRejectedValue(new PlanLedgerError("noOriginal", { sheet: "工作计划" }));
    await openPane(ops, "zh-CN");
    fireEvent.click(screen.getByRole("button", { name: "恢复原表" }));
    fireEvent.click(screen.getByRole("button", { name: "恢复" }));
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain(
      "工作表“工作计划”没有保存原表：计划台账从未修改过它，原表已经恢复过，或原表备份已被删除。",
    );
  });

  it("offers to remove the kept original only once one is kept, asks first, and then says it is gone", async () => {
    const ops = fakeOps();
    ops.structure.mockResolvedValue({ ...STRUCTURED, originalKept: true });
    await openPane(ops);
    // Not structured yet: no copy, nothing to remove.
    expect(screen.queryByRole("button", { name: "Remove the kept original" })).toBeNull();
    fireEvent.click(screen.getByRole("button", { name: "Structure" }));
    fireEvent.click(await screen.findByRole("button", { name: "Structure now" }, { timeout: 5000 }));
    await waitFor(() => expect(ops.structure).toHaveBeenCalledTimes(1));
    // Structure kept the copy (the preview is not read again after it): the pane says what it costs and offers removal.
    expect(await screen.findByText(/It about doubles the file's size/)).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Remove the kept original" }));
    expect(
      screen.getByText("Remove the kept original of sheet 工作计划? Restore will no longer be possible for it."),
    ).toBeTruthy();
    expect(ops.discardOriginal).not.toHaveBeenCalled();
    await act(async () => {
      fireEvent.click(screen.getByRole("button", { name: "Remove" }));
    });
    expect(ops.discardOriginal).toHaveBeenCalledWith({ sheet: "工作计划" });
    expect(
      await screen.findByText("The kept original of sheet 工作计划 was removed; the file is smaller once saved."),
    ).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Remove the kept original" })).toBeNull();
  });

  it("shows the removal in Chinese when the sheet read already has a copy kept, and Cancel keeps it", async () => {
    const ops = fakeOps();
    ops.preview.mockResolvedValue(previewOf(LEDGER, 1, { ...LEDGER_MAPPING }, { originalKept: true }));
    await openPane(ops, "zh-CN");
    fireEvent.click(await screen.findByRole("button", { name: "删除原表备份" }));
    expect(screen.getByText("确定删除工作表“工作计划”的原表备份吗？删除后将无法再恢复原表。")).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "保持不变" }));
    expect(ops.discardOriginal).not.toHaveBeenCalled();
    expect(screen.getByRole("button", { name: "删除原表备份" })).toBeTruthy();
  });

  it("says on the Summary step that an unstructured sheet will be structured first", async () => {
    const ops = fakeOps();
    await openPane(ops);
    fireEvent.click(screen.getByRole("tab", { name: "3 Summary" }));
    expect(screen.getByText(/This sheet is not structured yet: Generate summary structures it first/)).toBeTruthy();
  });
});
