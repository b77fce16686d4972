/** @jest-environment jsdom */
import { act, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { PlanLedgerError, type StructureResult } from "../../../src/excel/operations";
import { TaskPaneApp } from "../../../src/taskpane/App";
import { STRUCTURED, deferred, fakeOps } from "./fakeOps";
import "./lazySteps";

/** A written plan in Chinese: a title, one month heading and two items, each with an owner and a quantity. */
const PLAN_ZH = [
  "2025年科协工作计划",
  "一、9月份工作",
  "1. 开展科普宣传12次（科普部负责）",
  "2. 发行《科普通讯》6期，由办公室负责",
].join("\n");

/** A written plan in English whose second item names no owner (a parser finding). */
const PLAN_EN = ["October", "- Run 2 science workshops (Owner: Outreach)", "- Publish 6 issues of the newsletter"].join(
  "\n",
);

/** Opens the pane in a language, waits for the plan preview, and opens the Import tab. */
async function openImport(ops: ReturnType<typeof fakeOps>, lang: "zh-CN" | "en-US") {
  render(<TaskPaneApp ops={ops} displayLanguage={lang} />);
  await screen.findByText(lang === "zh-CN" ? "表头在第 2 行" : "Header in row 2");
  fireEvent.click(screen.getByRole("tab", { name: lang === "zh-CN" ? "导入文本" : "Import text" }));
  // The step's code loads on first show (React.lazy).
  await screen.findByRole("textbox", { name: lang === "zh-CN" ? "文字计划" : "Written plan" });
}

/** Pastes a text into the plan box and parses it (Parse first reads the ledger's owners: an async step). */
async function pasteAndParse(text: string, box: string, parse: string) {
  fireEvent.change(screen.getByRole("textbox", { name: box }), { target: { value: text } });
  await act(async () => {
    fireEvent.click(screen.getByRole("button", { name: parse }));
  });
}

/** The parsed-rows table's body rows (the header row left out). */
function bodyRows(tableName: string) {
  return within(screen.getByRole("table", { name: tableName }))
    .getAllByRole("row")
    .slice(1);
}

async function pickOption(combobox: HTMLElement, optionText: string) {
  fireEvent.click(combobox);
  const option = await screen.findByRole("option", { name: optionText });
  await act(async () => {
    fireEvent.click(option);
  });
}

describe("TaskPaneApp Import step", () => {
  it("parses a pasted Chinese plan into rows with month, owner, target and source line, and focuses the result", async () => {
    const ops = fakeOps();
    await openImport(ops, "zh-CN");
    expect(screen.getByRole("tab", { name: "导入文本", selected: true })).toBeTruthy();
    // The plan's period start (from the preview) is the default.
    expect(screen.getByRole("textbox", { name: /计划期起始月/ })).toHaveProperty("value", "2025-01");

    await pasteAndParse(PLAN_ZH, "文字计划", "解析");

    const heading = await screen.findByRole("heading", { name: "从文本中解析出 2 条事项，0 条提示。" });
    expect(document.activeElement).toBe(heading);
    const rows = bodyRows("解析出的事项");
    expect(rows).toHaveLength(2);
    expect(rows[0].textContent).toContain("开展科普宣传12次");
    expect(rows[0].textContent).toContain("12次");
    expect(rows[0].textContent).toContain("第 3 行：1. 开展科普宣传12次");
    expect(screen.getByRole("textbox", { name: "“开展科普宣传12次”的责任单位" })).toHaveProperty("value", "科普部");
    expect(screen.getByRole("combobox", { name: "“开展科普宣传12次”的月份" }).textContent).toContain("2025年9月");
    expect(rows[1].textContent).toContain("发行《科普通讯》6期");
    expect(rows[1].textContent).toContain("6期");
    expect(screen.getByRole("textbox", { name: "“发行《科普通讯》6期”的责任单位" })).toHaveProperty("value", "办公室");
    expect(screen.getByRole("button", { name: "追加 2 条事项" })).toHaveProperty("disabled", false);
  });

  it("appends exactly the edited, still-ticked rows, shows progress, then opens Check with the result focused", async () => {
    const ops = fakeOps();
    const held = deferred<StructureResult>();
    ops.importRows.mockImplementation(async (opts) => {
      opts.onProgress?.("table");
      return held.promise;
    });
    await openImport(ops, "zh-CN");
    await pasteAndParse(PLAN_ZH, "文字计划", "解析");
    await screen.findByRole("heading", { name: /解析出 2 条事项/ });

    fireEvent.change(screen.getByRole("textbox", { name: "“开展科普宣传12次”的责任单位" }), {
      target: { value: " 宣传部 " },
    });
    await pickOption(screen.getByRole("combobox", { name: "“开展科普宣传12次”的月份" }), "2025年10月");
    expect(screen.getByRole("combobox", { name: "“开展科普宣传12次”的月份" }).textContent).toContain("2025年10月");
    fireEvent.click(screen.getByRole("checkbox", { name: "追加“发行《科普通讯》6期”" }));
    expect(screen.getByRole("checkbox", { name: "追加“发行《科普通讯》6期”" })).toHaveProperty("checked", false);

    fireEvent.click(screen.getByRole("button", { name: "追加 1 条事项" }));
    expect(await screen.findByText("正在创建表格…")).toBeTruthy();
    expect(screen.getByRole("button", { name: "追加 1 条事项" })).toHaveProperty("disabled", true);
    expect(ops.importRows).toHaveBeenCalledTimes(1);
    expect(ops.importRows.mock.calls[0][0].lang).toBe("zh-CN");
    expect(ops.importRows.mock.calls[0][0].rows).toEqual([
      {
        bucket: "2025-10",
        activity: "开展科普宣传12次",
        owner: "宣传部",
        category: "",
        unit: "次",
        target: 12,
        notes: "",
        originals: {},
      },
    ]);

    await act(async () => held.resolve({ ...STRUCTURED, rows: 5 }));
    expect(await screen.findByRole("tab", { name: "2 检查", selected: true })).toBeTruthy();
    const done = screen.getByText("已从文本追加 1 条事项到工作表“工作计划”的台账，台账现有 5 条事项。");
    expect(done.closest("[tabindex='-1']")).toBe(document.activeElement);
    // Check shows the structure run's findings without a separate check, and the plan preview is read again.
    expect(ops.check).not.toHaveBeenCalled();
    await waitFor(() => expect(ops.preview).toHaveBeenLastCalledWith({ sheet: "工作计划" }));
  });

  it("follows the new plan sheet the rows went to, so Recheck checks that sheet", async () => {
    const ops = fakeOps();
    ops.importRows.mockResolvedValue({ ...STRUCTURED, sheet: "计划", rows: 2 });
    await openImport(ops, "zh-CN");
    await pasteAndParse(PLAN_ZH, "文字计划", "解析");
    fireEvent.click(await screen.findByRole("button", { name: "追加 2 条事项" }));
    expect(await screen.findByRole("tab", { name: "2 检查", selected: true })).toBeTruthy();
    await waitFor(() => expect(ops.preview).toHaveBeenLastCalledWith({ sheet: "计划" }));
    fireEvent.click(screen.getByRole("button", { name: "重新检查" }));
    await waitFor(() => expect(ops.check).toHaveBeenCalledWith({ sheet: "计划" }));
  });

  it("shows a failed append in the error bar, stays on Import and keeps the rows", async () => {
    const ops = fakeOps();
    ops.importRows.mockRejectedValue(new PlanLedgerError("sheetProtected", { sheet: "工作计划" }));
    await openImport(ops, "en-US");
    await pasteAndParse(PLAN_EN, "Written plan", "Parse");
    fireEvent.click(await screen.findByRole("button", { name: "Append 2 activities" }));

    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("Sheet 工作计划 is protected, so it cannot be changed.");
    expect(document.activeElement).toBe(alert);
    expect(screen.getByRole("tab", { name: "Import text", selected: true })).toBeTruthy();
    expect(bodyRows("Parsed activities")).toHaveLength(2);
    expect(screen.getByRole("button", { name: "Append 2 activities" })).toHaveProperty("disabled", false);
  });

  it("lists the parser's findings and asks for a new Parse once the text changes", async () => {
    const ops = fakeOps();
    await openImport(ops, "en-US");
    await pasteAndParse(PLAN_EN, "Written plan", "Parse");

    const findings = await screen.findByRole("region", { name: "Findings in the text (1)" });
    expect(within(findings).getByRole("listitem").textContent).toBe(
      'Line 3: no owner found for "Publish 6 issues of the newsl…"',
    );
    expect(screen.getByRole("textbox", { name: "Owner for “Run 2 science workshops”" })).toHaveProperty(
      "value",
      "Outreach",
    );
    expect(screen.getByRole("combobox", { name: "Month for “Run 2 science workshops”" }).textContent).toContain(
      "Oct 2025",
    );

    fireEvent.change(screen.getByRole("textbox", { name: "Written plan" }), {
      target: { value: `${PLAN_EN}\n- More` },
    });
    expect(
      screen.getByText("The text or the start month changed after Parse. Parse again before appending."),
    ).toBeTruthy();
    expect(screen.getByRole("button", { name: "Append 2 activities" })).toHaveProperty("disabled", true);
    await act(async () => {
      fireEvent.click(screen.getByRole("button", { name: "Parse" }));
    });
    expect(await screen.findByRole("button", { name: "Append 3 activities" })).toHaveProperty("disabled", false);
  });

  it("defaults the start month to January of this year when no plan could be read", async () => {
    const ops = fakeOps();
    ops.preview.mockRejectedValue(new PlanLedgerError("emptySheet", { sheet: "Sheet1" }));
    render(<TaskPaneApp ops={ops} displayLanguage="en-US" initialStep="import" />);
    await screen.findByRole("alert");
    expect(screen.getByRole("textbox", { name: /Plan start month/ })).toHaveProperty(
      "value",
      `${new Date().getFullYear()}-01`,
    );
    expect(screen.getByRole("button", { name: "Parse" })).toHaveProperty("disabled", true);
  });

  it("switches the Import step, its rows and its findings to English with the language toggle", async () => {
    const ops = fakeOps();
    await openImport(ops, "zh-CN");
    await pasteAndParse(PLAN_EN, "文字计划", "解析");
    expect(await screen.findByRole("region", { name: "文本中的提示(1)" })).toBeTruthy();
    expect(screen.getByRole("columnheader", { name: "责任单位" })).toBeTruthy();
    expect(screen.getByRole("combobox", { name: "“Run 2 science workshops”的月份" }).textContent).toContain(
      "2025年10月",
    );

    fireEvent.click(screen.getByRole("button", { name: "English（切换为英文界面）" }));
    expect(screen.getByRole("tab", { name: "Import text", selected: true })).toBeTruthy();
    expect(screen.getByRole("textbox", { name: "Written plan" })).toHaveProperty("value", PLAN_EN);
    expect(screen.getByRole("button", { name: "Parse" })).toBeTruthy();
    const table = screen.getByRole("table", { name: "Parsed activities" });
    expect(
      within(table)
        .getAllByRole("columnheader")
        .map((h) => h.textContent),
    ).toEqual(["Add", "Activity", "Month", "Owner", "Target"]);
    expect(screen.getByRole("combobox", { name: "Month for “Run 2 science workshops”" }).textContent).toContain(
      "Oct 2025",
    );
    const findings = screen.getByRole("region", { name: "Findings in the text (1)" });
    expect(within(findings).getByRole("listitem").textContent).toContain("Line 3: no owner found");
    expect(screen.getByText("Line 2: - Run 2 science workshops (Owner: Outreach)")).toBeTruthy();
    expect(screen.getByRole("button", { name: "Append 2 activities" })).toBeTruthy();
  });
});

describe("the import knows the open ledger's owners", () => {
  it("reads them when parsing, so an owner named after a space is found (zh-CN)", async () => {
    const ops = fakeOps();
    await openImport(ops, "zh-CN");
    await pasteAndParse("9月份工作\n1. 召开理事会 科普部\n2. 开展讲座3场 青少年", "文字计划", "解析");
    const rows = bodyRows("解析出的事项");
    expect(rows).toHaveLength(2);
    expect(ops.knownValues).toHaveBeenCalledTimes(1);
    expect(within(rows[0]).getByRole("textbox", { name: "“召开理事会”的责任单位" })).toHaveProperty("value", "科普部");
    // A last word the ledger does not have as an owner stays in the activity, and no owner is guessed.
    expect(within(rows[1]).getByRole("textbox", { name: "“开展讲座3场 青少年”的责任单位" })).toHaveProperty(
      "value",
      "",
    );
  });
});
