import { newWorkbook, writeSheet, type OutCell } from "../../../src/cli/workbook";

describe("writing a sheet for the CLI", () => {
  it("writes 150,000 rows, more than can be spread as arguments (issue 15: Math.max(...rows) overflowed the stack)", async () => {
    const s = newWorkbook(() => new Date(2025, 5, 30));
    const grid: OutCell[][] = [["Month", "Activity"]];
    for (let i = 1; i <= 150_000; i++) grid.push(i === 150_000 ? ["Jun 2025", `item ${i}`, "wide"] : [`item ${i}`]);
    await writeSheet(s.host, "Plan", grid);
    const sheet = s.model.sheets.find((x) => x.name === "Plan")!;
    expect(sheet.rows.size).toBe(150_001);
    expect(sheet.rows.get(150_000)?.get(2)?.value).toBe("wide");
    expect(sheet.rows.get(1)?.get(0)?.value).toBe("item 1");
  }, 60_000);
});
