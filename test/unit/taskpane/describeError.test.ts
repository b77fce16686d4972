import { withoutCell } from "../../../src/taskpane/components/CheckStep";
import { PlanLedgerError, type PlanErrorCode } from "../../../src/excel/operations";
import { describeError } from "../../../src/taskpane/describeError";
import { initialStepFromSearch } from "../../../src/taskpane/view";

// Typed as a record so adding a PlanErrorCode without listing it here fails to compile.
const CODES: Record<PlanErrorCode, true> = {
  sheetProtected: true,
  filterActive: true,
  tableOverlap: true,
  emptySheet: true,
  noHeader: true,
  wideLayout: true,
  wideImport: true,
  cellEditMode: true,
  sheetNotFound: true,
  noPlan: true,
  noOriginal: true,
  restoreUnsupported: true,
  lowConfidence: true,
  requestTooLarge: true,
  returnUnreadable: true,
  partial: true,
  unexpected: true,
};

describe("describeError", () => {
  it.each(Object.keys(CODES) as PlanErrorCode[])(
    "gives %s a message and an action in both languages with every placeholder filled",
    (code) => {
      // The parameters operations send: tableOverlap names the table, noHeader the closest rows, wideLayout the columns.
      const error = new PlanLedgerError(
        code,
        {
          table: "计划表",
          candidates: "3: 月份 | 工作任务",
          columns: "一季度、二季度",
          file: "科普部.xls",
          reason: "旧格式",
        },
        [],
      );
      for (const lang of ["zh-CN", "en-US"] as const) {
        const view = describeError(error, lang, { sheet: "工作计划" });
        expect(view.code).toBe(code);
        expect(view.what).not.toMatch(/\{\w+\}/);
        expect(view.action).not.toMatch(/\{\w+\}/);
        expect(view.action.length).toBeGreaterThan(5);
      }
    },
  );

  it("lists the closest rows of a noHeader, and says when no row comes close", () => {
    const close = describeError(
      new PlanLedgerError("noHeader", { sheet: "封面", candidates: "1: 2026年工作计划" }),
      "zh-CN",
    );
    expect(close.what).toBe(
      "在工作表“封面”中找不到表头行（如 月份 | 工作任务 | 责任单位）。最接近的行：1: 2026年工作计划。",
    );
    const none = describeError(new PlanLedgerError("noHeader", { sheet: "Cover", candidates: "" }), "en-US");
    expect(none.what).toBe(
      "No header row (such as Month | Activity | Owner) was found on sheet Cover, and no row comes close.",
    );
    // It points to the sheet picker, which the pane shows when nothing could be read.
    expect(none.action).toContain("under Sheet in step 1");
  });

  it("names the sheet the error reports over the sheet the pane had chosen", () => {
    const view = describeError(new PlanLedgerError("sheetNotFound", { sheet: "旧表" }), "zh-CN", { sheet: "工作计划" });
    expect(view.what).toBe("找不到工作表“旧表”，它可能已被重命名或删除。");
  });

  it("translates done steps it knows and keeps the others as given", () => {
    const view = describeError(new PlanLedgerError("partial", {}, ["table", "custom step"]), "zh-CN");
    expect(view.done).toEqual(["已创建表格", "custom step"]);
  });

  it("wraps any other error in the generic message with the original text", () => {
    expect(describeError(new TypeError("x is undefined"), "en-US")).toEqual({
      code: "generic",
      what: "An unexpected error occurred: x is undefined",
      action: "Try again; if it keeps happening, reopen the add-in and report this message.",
      done: [],
    });
    expect(describeError("plain text thrown", "zh-CN").what).toBe("发生意外错误：plain text thrown");
  });
});

describe("initialStepFromSearch", () => {
  it("opens the step named by ?view= and falls back to Plan for anything else", () => {
    expect(initialStepFromSearch("?view=check")).toBe("check");
    expect(initialStepFromSearch("?_host_Info=Excel&view=summary")).toBe("summary");
    expect(initialStepFromSearch("?view=import")).toBe("import");
    expect(initialStepFromSearch("?view=admin")).toBe("plan");
    expect(initialStepFromSearch("")).toBe("plan");
  });
});

describe("withoutCell", () => {
  it("drops the leading cell the message carries, in either language's punctuation", () => {
    expect(withoutCell("E7：工作任务未填写责任单位。", "E7")).toBe("工作任务未填写责任单位。");
    expect(withoutCell("E7: no owner.", "E7")).toBe("no owner.");
    expect(withoutCell("E70: no owner.", "E7")).toBe("E70: no owner.");
  });
});
