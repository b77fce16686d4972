/** @jest-environment jsdom */
import { act, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { PlanLedgerError, type PlanPreview, type StructureResult } from "../../../src/excel/operations";
import { TaskPaneApp } from "../../../src/taskpane/App";
import { otherPlanSheetsFinding } from "../../../src/core/plansheets";
import type { AllSheetsResult } from "../../../src/excel/summary-all";
import { CHECKED, LEDGER, LEDGER_MAPPING, STRUCTURED, SUMMARY, deferred, fakeOps, previewOf } from "./fakeOps";
import "./lazySteps";

/** Renders the pane in English at the Plan step and waits for the first preview to show. */
async function openPane(ops: ReturnType<typeof fakeOps>) {
  render(<TaskPaneApp ops={ops} displayLanguage="en-US" />);
  await screen.findByText("Header in row 2");
}

/** Structure asks first: the preview of what it changes, then "Structure now" runs it. */
async function structureNow() {
  fireEvent.click(screen.getByRole("button", { name: "Structure" }));
  // The pane renders the preview after the fake answers; a shared 2-core machine can take over a second for it.
  fireEvent.click(await screen.findByRole("button", { name: "Structure now" }, { timeout: 5000 }));
}

/** Opens a Fluent Dropdown by its accessible name and picks an option by its text. */
async function pick(comboboxName: string, optionText: string) {
  fireEvent.click(screen.getByRole("combobox", { name: comboboxName }));
  const option = await screen.findByRole("option", { name: optionText });
  // The choice starts a preview whose answer lands after the click; act() lets it settle before the test looks.
  await act(async () => {
    fireEvent.click(option);
  });
}

describe("TaskPaneApp", () => {
  it("previews the active sheet on opening: header row, mapping, period source, counts and confidence", async () => {
    const ops = fakeOps();
    await openPane(ops);

    expect(ops.preview).toHaveBeenCalledWith({});
    expect(screen.getByRole("combobox", { name: "Sheet" }).textContent).toContain("工作计划");
    expect(screen.getByRole("combobox", { name: "Column for Owner" }).textContent).toContain("D · 责任单位");
    expect(screen.getByRole("combobox", { name: "Column for Category" }).textContent).toContain("(none)");
    expect(screen.getByText("High confidence (92%)")).toBeTruthy();
    expect(screen.getByRole("textbox", { name: /Plan start month/ })).toHaveProperty("value", "2025-01");
    expect(screen.getByText("Inferred from the title: 2025年度科协工作台账")).toBeTruthy();
    const counts = screen.getByRole("region", { name: "Preview" });
    expect(
      within(counts)
        .getAllByRole("definition")
        .map((d) => d.textContent),
    ).toEqual(["4", "3", "3", "2"]);
  });

  it("re-previews with the chosen column when a field's mapping dropdown changes, including to (none)", async () => {
    const ops = fakeOps();
    await openPane(ops);

    await pick("Column for Owner", "E · 责任人");
    await waitFor(() => expect(ops.preview).toHaveBeenLastCalledWith({ sheet: "工作计划", mapping: { owner: 4 } }));
    await pick("Column for Target", "(none)");
    await waitFor(() =>
      expect(ops.preview).toHaveBeenLastCalledWith({ sheet: "工作计划", mapping: { owner: 4, target: null } }),
    );
  });

  it("re-previews another sheet and forgets the previous sheet's mapping when the sheet changes", async () => {
    const ops = fakeOps();
    await openPane(ops);
    await pick("Column for Owner", "E · 责任人");
    await pick("Sheet", "2024年");
    await waitFor(() => expect(ops.preview).toHaveBeenLastCalledWith({ sheet: "2024年" }));
    await waitFor(() => expect(screen.getByRole("combobox", { name: "Sheet" }).textContent).toContain("2024年"));
    expect(screen.getByRole("combobox", { name: "Column for Owner" }).textContent).toContain("D · 责任单位");
  });

  it("commits a typed start month on Enter and refuses one that is not YYYY-MM", async () => {
    const ops = fakeOps();
    await openPane(ops);
    const input = screen.getByRole("textbox", { name: /Plan start month/ });

    fireEvent.change(input, { target: { value: "2025-13" } });
    fireEvent.keyDown(input, { key: "Enter" });
    expect(screen.getByText("Use YYYY-MM, for example 2025-01.")).toBeTruthy();
    expect(ops.preview).toHaveBeenCalledTimes(1);

    fireEvent.change(input, { target: { value: "2025-09" } });
    fireEvent.keyDown(input, { key: "Enter" });
    await waitFor(() => expect(ops.preview).toHaveBeenLastCalledWith({ sheet: "工作计划", periodStart: "2025-09" }));
  });

  it("shows the current step while structuring, then opens Check with findings grouped by code", async () => {
    const ops = fakeOps();
    const held = deferred<StructureResult>();
    ops.structure.mockImplementation(async (opts) => {
      opts.onProgress?.("table");
      return held.promise;
    });
    await openPane(ops);
    await pick("Column for Owner", "E · 责任人");
    await waitFor(() => expect(ops.preview).toHaveBeenCalledTimes(2));

    await structureNow();
    expect(await screen.findByText("Creating the table…")).toBeTruthy();
    expect(screen.getByRole("button", { name: "Structure" })).toHaveProperty("disabled", true);
    expect(ops.structure).toHaveBeenCalledWith(
      expect.objectContaining({ sheet: "工作计划", mapping: { owner: 4 }, lang: "en-US" }),
    );

    await act(async () =>
      held.resolve({
        ...CHECKED,
        table: "PlanTable",
        unmergedAreas: 1,
        normalizedCells: 5,
        originalsKept: 2,
        addedColumns: [],
        changedFormulas: [],
      }),
    );

    expect(await screen.findByRole("tab", { name: "2 Check", selected: true })).toBeTruthy();
    expect(screen.getByText(/Structured 4 activities on sheet 工作计划 into a plan table/)).toBeTruthy();
    const summary = screen.getByText(/Checked 4 activities on sheet 工作计划: 1 error, 2 warnings, 0 notes/);
    expect(summary.closest("[tabindex='-1']")).toBe(document.activeElement);
    const headers = screen
      .getAllByRole("button", { expanded: true })
      .concat(screen.getAllByRole("button", { expanded: false }));
    expect(headers.map((h) => h.textContent)).toEqual(
      expect.arrayContaining([
        expect.stringContaining("Month not recognised"),
        expect.stringContaining("Owner missing"),
      ]),
    );
    expect(ops.check).not.toHaveBeenCalled();
  });

  it("selects a finding's cell in Excel when the finding is activated", async () => {
    const ops = fakeOps();
    render(<TaskPaneApp ops={ops} displayLanguage="en-US" initialStep="check" />);
    fireEvent.click(await screen.findByRole("button", { name: "B5 “下旬” is not a month (select the cell)" }));
    await waitFor(() => expect(ops.selectCell).toHaveBeenCalledWith("工作计划", "B5"));

    fireEvent.click(screen.getByRole("button", { name: /Owner missing/ }));
    fireEvent.click(await screen.findByRole("button", { name: "D6 No owner (row 6) (select the cell)" }));
    await waitFor(() => expect(ops.selectCell).toHaveBeenLastCalledWith("工作计划", "D6"));
  });

  it("runs the check straight away when opened at Check, and again on Recheck", async () => {
    const ops = fakeOps();
    render(<TaskPaneApp ops={ops} displayLanguage="en-US" initialStep="check" />);
    expect(await screen.findByRole("tab", { name: "2 Check", selected: true })).toBeTruthy();
    await waitFor(() => expect(ops.check).toHaveBeenCalledTimes(1));
    fireEvent.click(await screen.findByRole("button", { name: "Recheck" }));
    await waitFor(() => expect(ops.check).toHaveBeenCalledTimes(2));
    expect(ops.check).toHaveBeenLastCalledWith({ sheet: "工作计划" });
  });

  it("reports a clean sheet when the check finds nothing", async () => {
    const ops = fakeOps();
    ops.check.mockResolvedValue({ sheet: "工作计划", rows: 4, findings: [] });
    await openPane(ops);
    fireEvent.click(screen.getByRole("tab", { name: "2 Check" }));
    expect(await screen.findByText("No problems found in 4 activities on sheet 工作计划.")).toBeTruthy();
  });

  it("shows the errors-catalog message and what to do, focused, when an operation fails with a PlanLedgerError", async () => {
    const ops = fakeOps();
    ops.structure.mockRejectedValue(new PlanLedgerError("sheetProtected", { sheet: "工作计划" }));
    await openPane(ops);
    await structureNow();

    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("Sheet 工作计划 is protected, so it cannot be changed.");
    expect(alert.textContent).toContain("Unprotect it (Review > Unprotect Sheet) and try again.");
    expect(document.activeElement).toBe(alert);
    expect(screen.getByRole("tab", { name: "1 Plan", selected: true })).toBeTruthy();

    fireEvent.click(within(alert).getByRole("button", { name: "Dismiss message" }));
    expect(screen.queryByRole("alert")).toBeNull();
  });

  it("lists the steps done before a partial failure in the user's language", async () => {
    const ops = fakeOps();
    ops.structure.mockRejectedValue(new PlanLedgerError("partial", {}, ["unmerge", "table"]));
    await openPane(ops);
    await structureNow();
    const alert = await screen.findByRole("alert");
    expect(
      within(alert)
        .getAllByRole("listitem")
        .map((li) => li.textContent),
    ).toEqual(["Cells unmerged", "Table created"]);
  });

  it("shows a generic message carrying the original text when an operation fails with another error", async () => {
    const ops = fakeOps();
    ops.summarize.mockRejectedValue(new Error("RichApi.Error: GeneralException"));
    await openPane(ops);
    fireEvent.click(screen.getByRole("tab", { name: "3 Summary" }));
    // The step's code loads on first show (React.lazy): its button appears once it has.
    fireEvent.click(await screen.findByRole("button", { name: "Generate summary" }));
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("An unexpected error occurred: RichApi.Error: GeneralException");
    expect(alert.textContent).toContain("Try again; if it keeps happening");
  });

  it("shows a preview failure instead of an empty pane", async () => {
    const ops = fakeOps();
    ops.preview.mockRejectedValue(new PlanLedgerError("emptySheet", { sheet: "Sheet1" }));
    render(<TaskPaneApp ops={ops} displayLanguage="en-US" />);
    expect((await screen.findByRole("alert")).textContent).toContain("Sheet Sheet1 has no data.");
    expect(screen.getByRole("button", { name: "Refresh preview" })).toBeTruthy();
  });

  it("follows the sheet the user activates in Excel, and activates a sheet chosen in the pane", async () => {
    const ops = fakeOps();
    await openPane(ops);
    await waitFor(() => expect(ops.onSheetActivated).toHaveBeenCalledTimes(1));
    await act(async () => ops.userActivates("2024年"));
    await waitFor(() => expect(ops.preview).toHaveBeenLastCalledWith({ sheet: "2024年" }));
    expect(screen.getByRole("combobox", { name: "Sheet" }).textContent).toContain("2024年");
    // The sheet already targeted: no second reading.
    const calls = ops.preview.mock.calls.length;
    await act(async () => ops.userActivates("2024年"));
    expect(ops.preview.mock.calls.length).toBe(calls);
    await pick("Sheet", "工作计划");
    await waitFor(() => expect(ops.activateSheet).toHaveBeenCalledWith("工作计划"));
  });

  it("keeps each plan's own last summary and does not follow into the summary sheet", async () => {
    const ops = fakeOps();
    await openPane(ops);
    fireEvent.click(screen.getByRole("tab", { name: "3 Summary" }));
    // The step's code loads on first show (React.lazy): its button appears once it has.
    fireEvent.click(await screen.findByRole("button", { name: "Generate summary" }));
    await screen.findByRole("heading", { name: "Summary sheet 汇总 written with 3 charts." });
    expect(ops.summarize).toHaveBeenCalledWith(expect.objectContaining({ sheet: "工作计划" }));
    // Opening the summary sheet activates it: the pane stays on its plan.
    await act(async () => ops.userActivates("汇总"));
    expect(ops.preview).not.toHaveBeenCalledWith({ sheet: "汇总" });
    // Another plan has no summary yet; coming back shows the first plan's.
    await act(async () => ops.userActivates("2024年"));
    await screen.findByRole("button", { name: "Generate summary" });
    expect(screen.queryByRole("heading", { name: /Summary sheet/ })).toBeNull();
    await act(async () => ops.userActivates("工作计划"));
    await screen.findByRole("heading", { name: "Summary sheet 汇总 written with 3 charts." });
  });

  it("offers the workbook's sheets when the first sheet is a cover without a plan, with no stale reading line", async () => {
    const ops = fakeOps();
    ops.preview.mockRejectedValueOnce(
      new PlanLedgerError("noHeader", { sheet: "封面", candidates: "1: 2026年工作计划" }),
    );
    render(<TaskPaneApp ops={ops} displayLanguage="en-US" />);
    expect((await screen.findByRole("alert")).textContent).toContain("2026年工作计划");
    const picker = await screen.findByRole("combobox", { name: /Sheet/ });
    expect(screen.queryByText(/Reading the active sheet/)).toBeNull();
    fireEvent.click(picker);
    await act(async () => {
      fireEvent.click(await screen.findByRole("option", { name: "工作计划" }));
    });
    await screen.findByText("Header in row 2");
    expect(ops.preview).toHaveBeenLastCalledWith({ sheet: "工作计划" });
    expect(ops.activateSheet).toHaveBeenCalledWith("工作计划");
  });

  it("generates the summary with the pane's language and shows KPIs, narrative and a link to the sheet", async () => {
    const ops = fakeOps();
    render(<TaskPaneApp ops={ops} displayLanguage="zh-CN" />);
    expect(await screen.findByText("表头在第 2 行")).toBeTruthy();
    fireEvent.click(screen.getByRole("tab", { name: "3 汇总" }));
    // The step's code loads on first show (React.lazy): its button appears once it has.
    fireEvent.click(await screen.findByRole("button", { name: "生成汇总" }));

    const heading = await screen.findByRole("heading", { name: "已生成汇总表“汇总”，含 3 张图表。" });
    expect(ops.summarize).toHaveBeenCalledWith(expect.objectContaining({ lang: "zh-CN" }));
    expect(document.activeElement).toBe(heading);
    const kpis = within(screen.getByRole("region", { name: "关键指标" })).getAllByRole("definition");
    expect(kpis.map((d) => d.textContent)).toEqual(["4", "1", "25%", "2", "50%"]);
    expect(screen.getByText(SUMMARY.narrative)).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "打开汇总表“汇总”" }));
    await waitFor(() => expect(ops.activateSheet).toHaveBeenCalledWith("汇总"));
  });

  it("switches every pane string between Chinese and English with the language toggle", async () => {
    const ops = fakeOps();
    render(<TaskPaneApp ops={ops} displayLanguage="zh-TW" />);
    expect(await screen.findByText("表头在第 2 行")).toBeTruthy();
    expect(screen.getByRole("button", { name: "整理为台账" })).toBeTruthy();

    fireEvent.click(screen.getByRole("button", { name: "English（切换为英文界面）" }));
    expect(screen.getByText("Header in row 2")).toBeTruthy();
    expect(screen.queryByText("表头在第 2 行")).toBeNull();
    await structureNow();
    await waitFor(() => expect(ops.structure).toHaveBeenCalledWith(expect.objectContaining({ lang: "en-US" })));
    fireEvent.click(await screen.findByRole("button", { name: "中文 (switch the pane to Chinese)" }));
    expect(await screen.findByRole("tab", { name: "2 检查", selected: true })).toBeTruthy();
  });

  it("keeps the newest preview when an older one answers later", async () => {
    const ops = fakeOps();
    const slow = deferred<PlanPreview>();
    await openPane(ops);
    ops.preview.mockImplementationOnce(() => slow.promise);
    await pick("Column for Owner", "E · 责任人");
    await pick("Column for Owner", "(none)");
    await waitFor(() => expect(ops.preview).toHaveBeenCalledTimes(3));
    await screen.findByText("Header in row 2");
    await act(async () => slow.resolve(previewOf(LEDGER, 0, LEDGER_MAPPING)));
    expect(screen.getByText("Header in row 2")).toBeTruthy();
    expect(screen.queryByText("Header in row 1")).toBeNull();
  });
});

describe("TaskPaneApp with several plan sheets", () => {
  it("warns after a one-sheet summary, lists the plan sheets, and summarises all of them on request", async () => {
    const ops = fakeOps();
    const others = otherPlanSheetsFinding("工作计划", ["学会部", "科普部"]);
    ops.summarize.mockResolvedValue({
      ...SUMMARY,
      planSheets: ["工作计划", "学会部", "科普部"],
      otherPlanSheets: others,
    });
    const all: AllSheetsResult = {
      sheet: "全部计划汇总",
      period: SUMMARY.plan.period,
      sources: ["工作计划", "学会部", "科普部"].map((sheet, i) => ({
        sheet,
        label: sheet,
        table: i === 0 ? "Plan" : `Plan${i + 1}`,
        period: SUMMARY.plan.period,
        rows: 4 + i,
        activities: 4 + i,
        completed: i,
        overdue: 1,
        rate: i / (4 + i),
        findings: [],
        structured: STRUCTURED,
      })),
      kpis: { activities: 15, completed: 3, rate: 0.2, overdue: 3, pace: 0.5 },
      narrative: "三个计划工作表共15项。",
      model: SUMMARY.model,
    };
    ops.summarizeAll.mockResolvedValue(all);
    render(<TaskPaneApp ops={ops} displayLanguage="zh-CN" />);
    expect(await screen.findByText("表头在第 2 行")).toBeTruthy();
    fireEvent.click(screen.getByRole("tab", { name: "3 汇总" }));
    // The step's code loads on first show (React.lazy): its button appears once it has.
    fireEvent.click(await screen.findByRole("button", { name: "生成汇总" }));

    expect(await screen.findByText(others.message["zh-CN"])).toBeTruthy();
    expect(screen.getByText("本工作簿中的计划工作表：工作计划、学会部、科普部。")).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "汇总全部计划工作表" }));
    const heading = await screen.findByRole("heading", { name: "已生成汇总表“全部计划汇总”，汇总 3 个计划工作表。" });
    expect(ops.summarizeAll).toHaveBeenCalledWith(expect.objectContaining({ lang: "zh-CN" }));
    expect(document.activeElement).toBe(heading);
    expect(screen.getByText("学会部：5 项，已完成 1 项，逾期 1 项")).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "打开汇总表“全部计划汇总”" }));
    await waitFor(() => expect(ops.activateSheet).toHaveBeenCalledWith("全部计划汇总"));
  });
});
