/**
 * Issue 16 §5: the text import knows the owners, categories and units already in the open ledger. knownValues reads
 * them from the plan sheet (workbooks written by openpyxl), before and after Structure, and the parser then finds an
 * owner the text names without brackets.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { periodFromStart } from "../../src/core/period";
import { parseTextPlan } from "../../src/core/textplan";
import { createOfflineOperations } from "../../src/hosting/offline";
import { OfflineHost, createWorkbookModel, sheetFromGrid } from "../../src/offline";
import { importXlsx } from "../../src/offline/xlsx";

const NOW = new Date(2025, 9, 15);
const TRUST = path.join(__dirname, "../fixtures/xlsx/trust");

async function open(file: string) {
  const model = await importXlsx(new Uint8Array(fs.readFileSync(path.join(TRUST, file))));
  const host = new OfflineHost(model, { now: () => NOW });
  return createOfflineOperations(host, { now: () => NOW });
}

describe("knownValues: the open ledger's names for the text import", () => {
  it("reads the owner column's names and the units of an openpyxl ledger, and the same after Structure", async () => {
    const ops = await open("co-owners.xlsx");
    const before = await ops.knownValues();
    expect(before.sheet).toBe("计划");
    // The lead owners; the 配合单位 column (各部门, 办公室、财务部) names helpers, not owners to match.
    expect(before.owners).toEqual(["办公室", "会员部", "科普部"]);
    expect(before.units).toEqual(["次", "家", "场"]);
    await ops.structure({ lang: "zh-CN" });
    const after = await ops.knownValues();
    expect(after.owners).toEqual(before.owners);
    expect(after.units).toEqual(before.units);

    const period = periodFromStart("2025-01");
    const parsed = parseTextPlan("9月份工作\n1. 召开理事会 科普部\n2. 开展讲座3场 青少年", {
      period,
      knownOwners: after.owners,
      knownUnits: after.units,
    });
    expect(parsed.rows.map((r) => [r.activity, r.owner])).toEqual([
      ["召开理事会", "科普部"],
      ["开展讲座3场 青少年", ""],
    ]);
  });

  it("offers one spelling of an owner typed with odd spaces (张　三 and 李  四 / 李四)", async () => {
    const ops = await open("padded-owners.xlsx");
    const known = await ops.knownValues();
    const li = known.owners.filter((o) => o.replace(/\s/g, "") === "李四");
    expect(li).toHaveLength(1);
  });

  it("gives empty lists where there is no plan to read, and changes nothing", async () => {
    const model = createWorkbookModel([]);
    sheetFromGrid(model, "Sheet1", []);
    const ops = createOfflineOperations(new OfflineHost(model, { now: () => NOW }));
    await expect(ops.knownValues()).resolves.toEqual({ sheet: null, owners: [], categories: [], units: [] });
  });
});
