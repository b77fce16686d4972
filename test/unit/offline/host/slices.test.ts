/**
 * The offline host runs a large batch in slices: the page's event loop runs between them (a browser paints the pane's
 * progress), a recalculation before a read is sliced too, and batches still run one at a time, whole.
 */
import { OfflineHost, createWorkbookModel, sheetFromGrid } from "../../../../src/offline";

const ROWS = 20_000;

function ledger(): OfflineHost {
  const model = createWorkbookModel([]);
  const grid: (string | number)[][] = [["目标", "完成", "完成率"]];
  for (let i = 0; i < ROWS; i++) grid.push([10 + (i % 7), i % 11, ""]);
  sheetFromGrid(model, "计划", grid);
  return new OfflineHost(model);
}

/** Counts the event-loop turns (setImmediate, as the host's pause in Node) taken while `work` runs. */
async function turnsDuring<T>(work: () => Promise<T>): Promise<{ turns: number; result: T }> {
  let turns = 0;
  let running = true;
  const spin = () => {
    if (!running) return;
    turns++;
    setImmediate(spin);
  };
  setImmediate(spin);
  try {
    const result = await work();
    return { turns, result };
  } finally {
    running = false;
  }
}

const formulas = () => Array.from({ length: ROWS }, (_, i) => [`=IFERROR(B${i + 2}/A${i + 2},"")`]);

describe("a large batch in the offline host", () => {
  it("lets the event loop run between slices of the writes and of the recalculation before a read", async () => {
    const host = ledger();
    // Slices end at action boundaries after 30 ms: with actions of a few ms each, a loaded machine only makes more.
    const started = Date.now();
    const { turns, result } = await turnsDuring(() =>
      host.run(async (ctx) => {
        const ws = ctx.workbook.worksheets.getItem("计划");
        const all = formulas();
        for (let r = 0; r < ROWS; r += 100) {
          const block = all.slice(r, r + 100);
          ws.getRange(`C${r + 2}:C${r + 1 + block.length}`).formulas = block;
        }
        const read = ws.getRange(`C2:C${ROWS + 1}`);
        read.load("values");
        await ctx.sync();
        return read.values.map((row) => row[0] as number | string);
      }),
    );
    const elapsed = Date.now() - started;
    expect(result[0]).toBe(0);
    expect(result[12]).toBeCloseTo(1 / 15);
    expect(result).toHaveLength(ROWS);
    // A turn every 100 ms of work at least (slices are 30 ms), never one turn for the whole batch.
    expect(turns).toBeGreaterThanOrEqual(Math.max(3, Math.floor(elapsed / 100)));
  });

  it("runs a second batch only after the first has ended, even while the first pauses", async () => {
    const host = ledger();
    const first = host.run(async (context) => {
      const ws = context.workbook.worksheets.getItem("计划");
      ws.getRange(`C2:C${ROWS + 1}`).formulas = formulas();
      // Written after 20,000 formulas (several slices): the second batch must not see A2 between the two writes.
      ws.getRange("A2").values = [[20]];
      const read = ws.getRange("C2:C3");
      read.load("values");
      await context.sync();
      return read.values;
    });
    const second = host.run(async (context) => {
      const a2 = context.workbook.worksheets.getItem("计划").getRange("A2");
      a2.load("values");
      await context.sync();
      const seen = a2.values[0][0] as number;
      a2.values = [[seen + 1]];
      await context.sync();
      return seen;
    });
    const [values, seen] = await Promise.all([first, second]);
    expect(values).toEqual([[0], [1 / 11]]);
    expect(seen).toBe(20);
    expect(host.model.sheets[0].rows.get(1)?.get(0)?.value).toBe(21);
  });
});
