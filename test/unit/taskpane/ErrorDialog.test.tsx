/** @jest-environment jsdom */
import { fireEvent, render, screen } from "@testing-library/react";
import { reportFailure } from "../../../src/commands/run";
import { PlanLedgerError } from "../../../src/excel/operations";
import { describeError } from "../../../src/taskpane/describeError";
import { paneRoot, type PaneDeps } from "../../../src/taskpane/root";
import { errorDialogUrl, paneViewFromSearch } from "../../../src/taskpane/view";

function deps(): PaneDeps & { [K in "ops" | "selfTest" | "closeDialog"]: jest.Mock } {
  return {
    ops: jest.fn(() => {
      throw new Error("the error dialog must not create the Excel operations");
    }),
    selfTest: jest.fn(() => {
      throw new Error("the error dialog must not start the self-test");
    }),
    closeDialog: jest.fn(),
    displayLanguage: "en-US",
  };
}

const search = (url: string) => new URL(url).search;

describe("the ribbon's error dialog (taskpane.html?…&error=)", () => {
  it("shows the real error, its action and what was done, in the user's language, and makes no Excel call", () => {
    const error = new PlanLedgerError("noHeader", { sheet: "随笔", candidates: "1: 今天天气很好" }, ["unmerge"]);
    const url = errorDialogUrl("https://localhost:3000", reportFailure(error, "zh-CN"));
    const d = deps();
    render(paneRoot(search(url), d));
    const view = describeError(error, "zh-CN");
    const alert = screen.getByRole("alert");
    expect(alert.getAttribute("data-error-code")).toBe("noHeader");
    expect(alert.textContent).toContain(view.what);
    expect(alert.textContent).toContain(view.action);
    expect(alert.textContent).toContain(view.done[0]);
    expect(d.ops).not.toHaveBeenCalled();
    expect(d.selfTest).not.toHaveBeenCalled();
    fireEvent.click(screen.getByRole("button", { name: "关闭" }));
    expect(d.closeDialog).toHaveBeenCalledTimes(1);
  });

  it("shows an Office error's own message when it is not one of ours", () => {
    const office = Object.assign(new Error("The argument is invalid or missing."), { code: "InvalidArgument" });
    const url = errorDialogUrl("https://x", reportFailure(office, "en-US"));
    render(paneRoot(search(url), deps()));
    expect(screen.getByRole("alert").textContent).toContain("The argument is invalid or missing.");
  });

  it("takes error= over view= (the old URL opened the summary step, which called Excel inside the dialog)", () => {
    const d = deps();
    render(paneRoot("?view=summary&error=cellEditMode&detail=x", d));
    expect(screen.getByRole("alert").getAttribute("data-error-code")).toBe("cellEditMode");
    expect(d.ops).not.toHaveBeenCalled();
  });

  it("loads the self-test page on demand (view=selftest), and only there asks for its host", async () => {
    const d = deps();
    const info = { host: "Excel", version: "16.0", platform: "PC", highestApi: "1.17" };
    // No Excel here: the page only has to load; its rules then fail against this host.
    const host = { name: "none", isSetSupported: () => false, run: () => Promise.reject(new Error("no Excel")) };
    d.selfTest.mockImplementation(async () => ({ host, info, cleanup: async () => 0 }));
    render(paneRoot("?view=selftest", d));
    expect(await screen.findByText("Plan Ledger self-test")).toBeTruthy();
    expect(d.selfTest).toHaveBeenCalledTimes(1);
    expect(d.ops).not.toHaveBeenCalled();
  });

  it("round-trips a failure through the URL", () => {
    const f = reportFailure(new PlanLedgerError("partial", { error: "x & y", step: "table" }, ["normalize"]), "en-US");
    expect(paneViewFromSearch(search(errorDialogUrl("https://x", f)))).toEqual({ kind: "error", failure: f });
  });

  it("opens the steps or the self-test otherwise", () => {
    expect(paneViewFromSearch("?view=check")).toEqual({ kind: "steps", step: "check" });
    expect(paneViewFromSearch("?view=selftest")).toEqual({ kind: "selftest" });
    expect(paneViewFromSearch("?view=help")).toEqual({ kind: "steps", step: "plan" });
  });
});
