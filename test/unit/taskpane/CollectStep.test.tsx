/** @jest-environment jsdom */
import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { PlanLedgerError } from "../../../src/excel/operations";
import { TaskPaneApp } from "../../../src/taskpane/App";
import { fakeOps } from "./fakeOps";
import "./lazySteps";

/** A picked file: jsdom's File has no arrayBuffer(), so the bytes are given the way browsers give them. */
function picked(name: string, bytes: number[]): File {
  const file = new File([new Uint8Array(bytes)], name);
  Object.defineProperty(file, "arrayBuffer", { value: async () => new Uint8Array(bytes).buffer });
  return file;
}

async function openCollect(ops: ReturnType<typeof fakeOps>) {
  render(<TaskPaneApp ops={ops} displayLanguage="zh-CN" />);
  await screen.findByText("表头在第 2 行");
  fireEvent.click(screen.getByRole("tab", { name: "收集报表" }));
  // The step's code loads on first show (React.lazy).
  await screen.findByRole("button", { name: "收集 0 个文件" });
}

describe("TaskPaneApp Collect step", () => {
  it("sends the picked files' names and bytes, then lists each source and names the file it could not read", async () => {
    const ops = fakeOps();
    await openCollect(ops);
    const button = screen.getByRole("button", { name: "收集 0 个文件" });
    expect(button).toHaveProperty("disabled", true);
    fireEvent.change(screen.getByLabelText("报表文件"), {
      target: { files: [picked("科普部.xlsx", [1, 2, 3]), picked("旧表.xls", [9])] },
    });
    fireEvent.click(await screen.findByRole("button", { name: "收集 2 个文件" }));

    await waitFor(() => expect(ops.collectReturns).toHaveBeenCalledTimes(1));
    const { files, lang } = ops.collectReturns.mock.calls[0][0];
    expect(lang).toBe("zh-CN");
    expect(files.map((f) => [f.name, [...f.bytes]])).toEqual([
      ["科普部.xlsx", [1, 2, 3]],
      ["旧表.xls", [9]],
    ]);
    const list = await screen.findByRole("list", { name: "各来源的收集结果" });
    expect(within(list).getByText("科普部.xlsx")).toBeTruthy();
    expect(list.textContent).toContain("3 条事项，替换 0 条，0 条提示");
    expect(screen.getByText(/无法读取“旧表\.xls”：不是 \.xlsx/)).toBeTruthy();
    // The consolidated plan becomes the pane's plan: the preview reads it.
    await waitFor(() => expect(ops.preview).toHaveBeenLastCalledWith(expect.objectContaining({ sheet: "合并计划" })));
  });

  it("makes a template for the department typed in, and shows a failure like any operation's", async () => {
    const ops = fakeOps();
    await openCollect(ops);
    fireEvent.change(screen.getByRole("textbox", { name: /部门（可选）/ }), { target: { value: "科普部" } });
    fireEvent.click(screen.getByRole("button", { name: "制作模板" }));
    await screen.findByText(/已新建工作表“填报模板”/);
    expect(ops.makeTemplate).toHaveBeenCalledWith({ lang: "zh-CN", department: "科普部" });

    ops.makeTemplate.mockRejectedValueOnce(new PlanLedgerError("sheetProtected", { sheet: "填报模板" }));
    fireEvent.click(screen.getByRole("button", { name: "制作模板" }));
    expect(await screen.findByText(/工作表“填报模板”受保护/)).toBeTruthy();
  });
});
