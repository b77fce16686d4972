/**
 * A failure half-way says what was done and why it stopped, in both languages (issue 14 §4): the cause reaches the
 * pane's message and the CLI's line, where the catalogs used to have no place for it; what is reported as done is
 * what Excel accepted before the failure.
 */
import { describeCliError } from "../../src/cli/errors";
import { PlanLedgerError } from "../../src/excel/operations";
import { createOfflineOperations } from "../../src/hosting/offline";
import { OfflineHost, createWorkbookModel, sheetFromGrid } from "../../src/offline";
import { describeError } from "../../src/taskpane/describeError";

const NOW = new Date(2025, 9, 15);
const PLAN = [
  ["月份", "工作任务", "责任单位", "目标", "完成"],
  ["1月", "科普法学习宣传", "科普部", 12, 12],
  ["2月", "发行科普通讯", "办公室", 6, 5],
];

/**
 * Structures, then protects the hidden lists sheet and grows the plan, so the second run stops when it writes the
 * lists. On ExcelApi 1.12 the table is converted and added again, whose repair sends the earlier steps first.
 */
async function failHalfWay(apiVersion: string): Promise<PlanLedgerError> {
  const model = createWorkbookModel([]);
  sheetFromGrid(model, "计划", PLAN);
  const host = new OfflineHost(model, { now: () => NOW, apiVersion });
  const ops = createOfflineOperations(host, { now: () => NOW });
  await ops.structure({ lang: "zh-CN" });
  await host.run(async (context) => {
    context.workbook.worksheets.getItem("计划").getRange("A4:E4").values = [["3月", "科普讲座", "学会部", 3, 1]];
  });
  model.sheets.find((s) => s.visibility === "Hidden")!.protected = true;
  try {
    await ops.structure({ lang: "zh-CN" });
  } catch (e) {
    if (e instanceof PlanLedgerError) return e;
    throw e;
  }
  throw new Error("structure did not fail");
}

describe("a partial failure", () => {
  it("records Excel's error and, as done, only what a successful sync carried", async () => {
    const e = await failHalfWay("1.12");
    expect(e.code).toBe("partial");
    expect(e.params).toMatchObject({ errorCode: "AccessDenied" });
    expect(e.done).toEqual(["normalize"]);
    expect((await failHalfWay("1.17")).done).toEqual([]);
  });

  it("says in the pane, in both languages, why it stopped, and lists what was done", async () => {
    const e = await failHalfWay("1.12");
    const en = describeError(e, "en-US");
    expect(en.what).toBe(
      "The operation stopped before it finished: Excel refused the change: the sheet or workbook is protected or open " +
        "read-only.",
    );
    expect(en.done).toEqual(["Months and quantities normalised"]);
    const zh = describeError(e, "zh-CN");
    expect(zh.what).toContain("工作表或工作簿受保护");
    expect(zh.done).toEqual(["已规范月份和数量"]);
  });

  it("gives an unknown Office error's own message and code", () => {
    const e = new PlanLedgerError("partial", { error: "Something odd.", errorCode: "WeirdCode" }, []);
    expect(describeError(e, "en-US").what).toBe(
      "The operation stopped before it finished: Something odd. (WeirdCode).",
    );
    expect(describeError(e, "zh-CN").what).toContain("Something odd.（WeirdCode）");
  });

  it("says the same on the command line", async () => {
    const e = await failHalfWay("1.17");
    expect(describeCliError(e, "en-US", { file: "plan.xlsx" })).toBe(
      "plan.xlsx: the operation stopped before it finished (Excel refused the change: the sheet or workbook is " +
        "protected or open read-only); nothing was written.",
    );
    expect(describeCliError(e, "zh-CN", { file: "plan.xlsx" })).toContain("工作表或工作簿受保护");
  });
});
