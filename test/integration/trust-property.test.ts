/**
 * Issue 13 (trust) as properties, through the pane's operations over the offline host:
 * - structuring never changes a number outside the month column (numbers are the user's, not dates);
 * - an owner whose name holds spaces (张　三, 李  四) is never split;
 * - the order of the rows changes neither the period nor any number of the summary;
 * - no month moves into another year than the sheet name says.
 */
import fc from "fast-check";
import { createOfflineOperations } from "../../src/hosting/offline";
import { OfflineHost, createWorkbookModel, sheetFromGrid } from "../../src/offline";
import type { SheetModel } from "../../src/offline";

const HEADER = ["序号", "月份", "工作事项", "责任人", "目标数", "完成数", "备注"];
const MONTHS = ["1月", "2月", "3月", "4月", "5月", "6月", "7月", "8月", "9月", "10月", "11月", "12月"];
const PADDED = ["张　三", "李  四", "欧阳 明", "王 五", "Li  Si", "科普部"];
const NUMBERS = [0, 1, 2, 3, 5, 6, 12, 31, 45, 100, 2025];

const rowArb = fc.tuple(
  fc.constantFrom(...MONTHS),
  fc.constantFrom("讲座", "通讯", "培训", "调研"),
  fc.constantFrom(...PADDED),
  fc.constantFrom(...NUMBERS),
  fc.option(fc.constantFrom(...NUMBERS), { nil: "" }),
  fc.option(fc.constantFrom(...NUMBERS), { nil: "" }),
);

function grid(rows: readonly (readonly unknown[])[]): unknown[][] {
  return [HEADER, ...rows.map((r, i) => [i + 1, ...r])];
}

async function structured(name: string, g: unknown[][], now: Date) {
  const model = createWorkbookModel([]);
  sheetFromGrid(model, name, g);
  const host = new OfflineHost(model, { now: () => now });
  const ops = createOfflineOperations(host, { now: () => now });
  await ops.structure({ lang: "zh-CN" });
  const result = await ops.summarize({ lang: "zh-CN" });
  host.recalculate();
  return { sheet: model.sheets[0], summary: model.sheets.find((s) => s.name === result.sheet) as SheetModel };
}

const at = (s: SheetModel, r: number, c: number) => s.rows.get(r)?.get(c)?.value;

/** The summary's title (it names the period), KPI row and group tables, each table's rows in sorted order. */
function summaryNumbers(s: SheetModel): unknown {
  const kpiLabels = [...s.rows.entries()].find(([, row]) => row.get(0)?.value === "计划事项")?.[0] as number;
  const tables: Record<string, string[]> = {};
  for (const t of s.tables) {
    if (t.name === "OverdueItems") continue;
    const rows: string[] = [];
    for (let r = t.ref.r0 + 1; r <= t.ref.r1; r++) {
      rows.push(JSON.stringify([0, 1, 2, 3, 4].map((c) => at(s, r, t.ref.c0 + c) ?? null)));
    }
    tables[t.name] = rows.sort();
  }
  return { title: at(s, 0, 0), kpi: [0, 1, 2, 3, 4].map((c) => at(s, kpiLabels + 1, c)), tables };
}

const NOW = new Date(2026, 6, 15);

describe("structuring keeps what the user meant", () => {
  it("changes no number outside the month column and never splits a name with spaces", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(rowArb, { minLength: 1, maxLength: 15 }), async (rows) => {
        const g = grid(rows);
        const { sheet } = await structured("2026年工作台账", g, NOW);
        for (let r = 1; r < g.length; r++) {
          for (const c of [0, 4, 5, 6]) expect([r, c, at(sheet, r, c) ?? ""]).toEqual([r, c, g[r][c]]);
          expect(at(sheet, r, 3)).toBe(g[r][3]);
          // Every month stays in the sheet's year.
          const serial = at(sheet, r, 1) as number;
          expect(new Date(Date.UTC(1899, 11, 30) + serial * 86400000).getUTCFullYear()).toBe(2026);
        }
      }),
      { numRuns: 25 },
    );
  });

  it("gives the same period and summary whatever the order of the rows", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(rowArb, { minLength: 2, maxLength: 15 }),
        fc.integer({ min: 1, max: 1000 }),
        // With a year in the sheet name, and without one (the period then comes from the months present).
        fc.constantFrom("2026年工作台账", "工作台账"),
        async (rows, seed, name) => {
          // Sorted by owner (as a sheet sorted by department) against the typed order, and a rotation.
          const byOwner = [...rows].sort((a, b) => (a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0));
          const k = seed % rows.length;
          const rotated = [...rows.slice(k), ...rows.slice(0, k)];
          const base = summaryNumbers((await structured(name, grid(rows), NOW)).summary);
          for (const other of [byOwner, rotated]) {
            const s = summaryNumbers((await structured(name, grid(other), NOW)).summary);
            expect(s).toEqual(base);
          }
        },
      ),
      { numRuns: 16 },
    );
  });
});
