/**
 * Issue 16 §2: the preview of Structure comes from Structure's own planning step, writes nothing, and says what the
 * run will then do: the same counts, examples of the cells it rewrites, the merges it undoes, the columns it adds, the
 * wordings it keeps in notes and the user's formulas whose value changes.
 */
import { createOfflineOperations } from "../../src/hosting/offline";
import { OfflineHost, createWorkbookModel, sheetFromGrid, type WorkbookModel } from "../../src/offline";
import { ledgerZh, ledgerZhMerges } from "../fixtures/sheets";
import { addMerges, sheetState } from "../support/sheets";

const NOW = new Date(2025, 9, 15);

async function ledger() {
  const model = createWorkbookModel([]);
  addMerges(sheetFromGrid(model, "2025年台账", ledgerZh as unknown[][]), ledgerZhMerges);
  model.activeSheet = 0;
  const host = new OfflineHost(model, { now: () => NOW });
  await host.run(async (context) => {
    context.workbook.worksheets.getItem("2025年台账").getRange("G18").formulas = [["=SUM(G5:G17)"]];
    await context.sync();
  });
  return { model, host, ops: createOfflineOperations(host, { now: () => NOW }) };
}

function everything(model: WorkbookModel) {
  return JSON.stringify({
    sheets: model.sheets.map((s) => sheetState(s)),
    names: model.names,
    settings: [...model.settings],
  });
}

describe("previewStructure", () => {
  it("writes nothing and announces exactly what Structure then does", async () => {
    const { model, ops, host } = await ledger();
    host.recalculate(); // results computed, so a read by the preview changes nothing in the comparison
    const before = everything(model);
    const preview = await ops.previewStructure({ lang: "zh-CN" });
    expect(everything(model)).toBe(before);

    expect(preview.sheet).toBe("2025年台账");
    expect(preview.original).toBe("now");
    expect(preview.structured).toBe(false);
    // Examples name the cell and show the text before and after.
    expect(preview.normalizedExamples).toContainEqual({
      cell: "B5",
      field: "month",
      before: "1月",
      after: "2025年1月",
    });
    expect(preview.normalizedExamples.length).toBeGreaterThan(0);
    expect(preview.unmergedExamples).toContain("B5:B7");
    expect(preview.originalExamples.some((e) => e.cell.startsWith("J") && e.after.includes("3~4月"))).toBe(true);
    expect(preview.addedColumns.map((c) => c.field)).toEqual(expect.arrayContaining(["completion", "tracking"]));
    // 1万 becomes 10000: the user's 合计 changes value.
    expect(preview.changedFormulas.map((c) => c.cell)).toContain("G18");

    const result = await ops.structure({ lang: "zh-CN" });
    expect(preview.normalizedCells).toBe(result.normalizedCells);
    expect(preview.unmergedAreas).toBe(result.unmergedAreas);
    expect(preview.originalsKept).toBe(result.originalsKept);
    expect(preview.rows).toBe(result.rows);
    expect(
      preview.addedColumns.filter((c) => c.field !== "completion" && c.field !== "tracking").map((c) => c.field),
    ).toEqual(result.addedColumns);
    expect(preview.changedFormulas).toEqual(result.changedFormulas);
    expect(preview.findings).toEqual(result.findings);
    // The cells it showed are the cells Structure wrote.
    const sheet = model.sheets[0];
    const month = sheet.rows.get(4)?.get(1);
    expect(typeof month?.value).toBe("number");

    const again = await ops.previewStructure({ lang: "zh-CN" });
    expect(again.structured).toBe(true);
    expect(again.original).toBe("already");
    expect(again.normalizedCells).toBe(0);
  });
});
