import fc from "fast-check";
import { normalizeMonth } from "../../src/core/month";
import { periodFromStart } from "../../src/core/period";
import { parseQuantity } from "../../src/core/quantity";
import { cleanText } from "../../src/core/text";
import { createOfflineOperations } from "../../src/hosting/offline";
import { OfflineHost, createWorkbookModel, sheetFromGrid } from "../../src/offline";
import type { SheetModel } from "../../src/offline";
import { messyPlanGrid } from "../fixtures/sheets";
import { addMerges, cellsSnapshot, typedAsText } from "../support/sheets";

const PERIOD = periodFromStart("2025-01");
// messyPlanGrid's header: 序号 月份 工作任务 责任单位 责任人 计量单位 目标任务 完成情况 进展情况 备注
const MONTH = 1;
const OWNER = 3;
const QUANTITIES = new Set([6, 7]);

function rowTexts(sheet: SheetModel, r: number): string {
  return [...(sheet.rows.get(r)?.values() ?? [])].map((c) => (c.value === undefined ? "" : String(c.value))).join("\n");
}

/** Why a cell's new content still carries what the user typed, or undefined when something was lost. */
function kept(original: unknown, after: unknown, col: number, row: string): string | undefined {
  if (after === original) return "unchanged";
  const text = String(original);
  if (row.includes(text)) return "kept in the row";
  if (cleanText(original) !== "" && cleanText(original) === cleanText(after)) return "spaces tidied";
  if (col === MONTH) {
    const m = normalizeMonth(original, PERIOD);
    if ((m.kind === "month" || m.kind === "annual") && !m.lossy) return "month normalised without loss";
    // A date's day, kept in the notes as the date a person reads (2025-08-31), not as its serial number.
    if (m.kind === "month" && row.includes(m.original)) return "date kept in the row";
  }
  if (QUANTITIES.has(col)) {
    const q = parseQuantity(original);
    if (q.kind === "number" && !q.lossy && after === q.value) return "quantity normalised without loss";
  }
  if (
    col === OWNER &&
    cleanText(original)
      .split(/[、，,;；/|\s]+|(?<=..)和(?=..)/)
      .every((p) => row.includes(p))
  ) {
    return "owners split, each kept";
  }
  return undefined;
}

describe("structurePlan loses nothing", () => {
  it("every non-empty value of a messy sheet is still there, unchanged or normalised with its wording kept", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 1, max: 60 }), async (seed, rows) => {
        const { grid, merges } = messyPlanGrid(seed, rows);
        const model = createWorkbookModel([]);
        const sheet = sheetFromGrid(model, "台账", grid);
        // Texts that start with "=" were typed as text.
        typedAsText(sheet);
        addMerges(sheet, merges);
        const other = sheetFromGrid(model, "其他", [["不要动", 42]]);
        const otherBefore = cellsSnapshot(other);
        const host = new OfflineHost(model, { now: () => new Date(2025, 9, 15) });
        await createOfflineOperations(host, { now: () => new Date(2025, 9, 15) }).structure({
          lang: "zh-CN",
          periodStart: "2025-01",
        });
        grid.forEach((line, r) => {
          const row = rowTexts(sheet, r);
          line.forEach((v, c) => {
            if (v === "" || v === null || v === undefined) return;
            const after = sheet.rows.get(r)?.get(c)?.value;
            expect({ cell: `${r},${c}`, v, after, kept: kept(v, after, c, row) !== undefined }).toEqual({
              cell: `${r},${c}`,
              v,
              after,
              kept: true,
            });
          });
        });
        expect(cellsSnapshot(other)).toBe(otherBefore);
      }),
      { numRuns: 40 },
    );
  });
});

describe("structurePlan and the user's formulas", () => {
  it("leaves a formula in a column it normalises as it is, though its value reads as a month or a quantity", async () => {
    const model = createWorkbookModel([]);
    const sheet = sheetFromGrid(model, "台账", [
      ["月份", "工作任务", "责任单位", "目标任务", "实际完成"],
      ["1月", "讲座", "科普部", "4场", 2],
      ['="3"&"月"', "走访", "学会部", '="12"&"家"', 6],
      ["5月", "通讯", "办公室", "6期", 1],
    ]);
    const host = new OfflineHost(model, { now: () => new Date(2025, 9, 15) });
    host.recalculate();
    await createOfflineOperations(host).structure({ lang: "zh-CN" });
    const at = (r: number, c: number) => sheet.rows.get(r)?.get(c);
    // The typed cells around them are normalised (their wording kept), the formulas are not overwritten.
    expect(at(1, 3)?.value).toBe(4);
    expect(at(2, 0)?.formula).toBe('="3"&"月"');
    expect(at(2, 3)?.formula).toBe('="12"&"家"');
  });
});
