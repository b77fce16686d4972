/**
 * The contract rules (src/contract/) on the offline host, each on a host that runs exactly the ExcelApi set the rule
 * declares it needs (so a rule that uses more than it declares fails here, before a user's older Excel skips it wrongly).
 */
import { CONTRACT_RULES } from "../../src/contract";
import { runRule, type ContractHost } from "../../src/contract/runner";
import { OfflineHost } from "../../src/offline";

function offlineHost(apiVersion: string): ContractHost {
  // Excel's default AutoCorrect setting: a formula written into a table column fills the column.
  const host = new OfflineHost(undefined, { now: () => new Date(2025, 5, 15), apiVersion, fillFormulasInTables: true });
  return { name: "offline", run: (batch) => host.run(batch), isSetSupported: (v) => host.isSetSupported(v) };
}

describe("Excel API contract on the offline host", () => {
  it("has at least the 40 rules the suite started with", () => {
    expect(CONTRACT_RULES.length).toBeGreaterThanOrEqual(40);
    expect(new Set(CONTRACT_RULES.map((r) => r.id)).size).toBe(CONTRACT_RULES.length);
  });

  const groups = [...new Set(CONTRACT_RULES.map((r) => r.group))];
  for (const group of groups) {
    describe(group, () => {
      for (const rule of CONTRACT_RULES.filter((r) => r.group === group)) {
        test(`${rule.assumption ? "assumption: " : ""}${rule.title}`, async () => {
          const result = await runRule(rule, offlineHost(rule.needs ?? "1.1"), "PLST", 1);
          expect({ status: result.status, detail: result.detail }).toEqual({ status: "passed", detail: undefined });
        });
      }
    });
  }
});
