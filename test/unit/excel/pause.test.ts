/** The pauses long steps of the operations take so a page paints between them (issue 16 §10). */
import { pause, slices } from "../../../src/excel/pause";

/** Busy work for `ms` milliseconds, as a long loop does between its pauses. */
function work(ms: number): void {
  const start = Date.now();
  while (Date.now() - start < ms) {
    // a row of the loop
  }
}

describe("slices", () => {
  it("pauses each time its slice of work has run out, counting from the end of the last pause", async () => {
    let waits = 0;
    const slice = slices(20, async () => {
      waits++;
      await pause();
    });
    await slice();
    expect(waits).toBe(0);
    work(25);
    await slice();
    expect(waits).toBe(1);
    // The pause just taken started a new slice: the next call goes on at once.
    await slice();
    expect(waits).toBe(1);
    work(25);
    await slice();
    expect(waits).toBe(2);
  });

  it("does not pause within a slice, however often it is called", async () => {
    let waits = 0;
    const slice = slices(60_000, async () => {
      waits++;
      await pause();
    });
    for (let i = 0; i < 5000; i++) await slice();
    expect(waits).toBe(0);
  });
});
