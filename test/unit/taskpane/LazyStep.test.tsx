/** @jest-environment jsdom */
/**
 * Steps loaded on first use (React.lazy): a named spinner while the code downloads, and a failed download said in the
 * pane's language instead of unmounting the whole pane. The Import step's parser is downloaded by Parse: its failure
 * is said too.
 */
import { lazy, type ComponentType } from "react";
import { fireEvent, render, screen } from "@testing-library/react";
import type { Lang } from "../../../src/core/types";
import { ImportStep } from "../../../src/taskpane/components/ImportStep";
import { LazyStep } from "../../../src/taskpane/components/LazyStep";
import { MessagesContext, messagesFor } from "../../../src/taskpane/messages";
import type { ImportDraftActions } from "../../../src/taskpane/useImportDraft";

function inLang(lang: Lang, node: React.ReactNode) {
  return render(<MessagesContext.Provider value={messagesFor(lang)}>{node}</MessagesContext.Provider>);
}

describe("LazyStep", () => {
  it.each([
    ["en-US", "Loading this step…"],
    ["zh-CN", "正在加载此步骤…"],
  ] as const)("names what it waits for in %s while the step downloads", async (lang, text) => {
    const Pending = lazy(() => new Promise<{ default: ComponentType }>(() => undefined));
    inLang(
      lang,
      <LazyStep>
        <Pending />
      </LazyStep>,
    );
    expect(await screen.findByText(text)).toBeTruthy();
  });

  it.each([
    ["en-US", "This step could not be loaded (Loading chunk 262 failed.)."],
    ["zh-CN", "此步骤未能加载（Loading chunk 262 failed.）。"],
  ] as const)("says in %s that the step could not be downloaded, and why", async (lang, text) => {
    const error = jest.spyOn(console, "error").mockImplementation(() => undefined);
    try {
      const Broken = lazy(() => Promise.reject<{ default: ComponentType }>(new Error("Loading chunk 262 failed.")));
      inLang(
        lang,
        <>
          <p>still here</p>
          <LazyStep>
            <Broken />
          </LazyStep>
        </>,
      );
      expect((await screen.findByText(text, { exact: false })).textContent).toContain(text);
      // Only the step is replaced: the rest of the pane stays.
      expect(screen.getByText("still here")).toBeTruthy();
      expect(error).toHaveBeenCalledWith(
        "Plan Ledger: a step of the pane could not be loaded:",
        expect.objectContaining({ message: "Loading chunk 262 failed." }),
        expect.anything(),
      );
    } finally {
      error.mockRestore();
    }
  });
});

describe("ImportStep Parse", () => {
  it("says when parsing fails (the parser could not be downloaded), and clears the message on the next try", async () => {
    const parse = jest
      .fn<Promise<void>, [string]>()
      .mockRejectedValueOnce(new Error("Loading chunk 551 failed."))
      .mockResolvedValueOnce(undefined);
    const actions: ImportDraftActions = {
      setText: jest.fn(),
      setPeriodStart: jest.fn(),
      parse,
      editRow: jest.fn(),
      clear: jest.fn(),
    };
    inLang(
      "zh-CN",
      <ImportStep
        draft={{ text: "1. 开展科普宣传12次", periodStart: undefined, parsed: null }}
        actions={actions}
        planPeriodStart="2025-01"
        busy={false}
        onAppend={() => undefined}
      />,
    );
    fireEvent.click(screen.getByRole("button", { name: "解析" }));
    expect(await screen.findByText(/文本未能解析（Loading chunk 551 failed\.）/)).toBeTruthy();
    expect(parse).toHaveBeenCalledWith("2025-01");
    fireEvent.click(screen.getByRole("button", { name: "解析" }));
    expect(screen.queryByText(/文本未能解析/)).toBeNull();
    expect(parse).toHaveBeenCalledTimes(2);
  });
});
