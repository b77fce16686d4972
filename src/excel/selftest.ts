/**
 * The self-test inside Excel: the contract rules (src/contract/) run against Excel.run, in scratch sheets whose names
 * start with the run's prefix; afterwards everything under that prefix is removed. Also what the report says about
 * the host: Excel's version, platform and the highest ExcelApi requirement set it supports.
 */
import type { ContractHost } from "../contract/runner";
import type { ExcelRunner } from "./bind";

/** What the self-test report says about the Excel it ran in. */
export type HostInfo = { host: string; version: string; platform: string; highestApi: string };

/** The highest ExcelApi 1.N a requirement checker accepts (sets are cumulative), "none" below 1.1. */
export function highestApiSet(isSetSupported: (version: string) => boolean, upTo = 40): string {
  let highest = "none";
  for (let n = 1; n <= upTo; n++) {
    if (!isSetSupported(`1.${n}`)) break;
    highest = `1.${n}`;
  }
  return highest;
}

/** The contract's view of the Excel the pane runs in. */
export function excelContractHost(): ContractHost {
  return {
    name: "Excel",
    run: (batch) => Excel.run(batch),
    isSetSupported: (v) => Office.context.requirements.isSetSupported("ExcelApi", v),
  };
}

/** Office's description of the running Excel (Office.context.diagnostics) and its highest ExcelApi set. */
export function excelHostInfo(): HostInfo {
  const d = Office.context.diagnostics;
  return {
    host: String(d?.host ?? "Excel"),
    version: d?.version ?? "?",
    platform: String(d?.platform ?? "?"),
    highestApi: highestApiSet((v) => Office.context.requirements.isSetSupported("ExcelApi", v)),
  };
}

/**
 * Removes what a self-test run left: worksheets (with their tables, names and filters), workbook names and settings
 * whose names start with `prefix`. Returns how many items went.
 */
export async function removeScratch(run: ExcelRunner, prefix: string): Promise<number> {
  return run(async (context) => {
    const wb = context.workbook;
    const sheets = wb.worksheets.load("items/name");
    const names = wb.names.load("items/name");
    const settings = wb.settings.load("items/key");
    await context.sync();
    const mine = (n: string) => n.toUpperCase().startsWith(prefix.toUpperCase());
    let removed = 0;
    for (const n of names.items)
      if (mine(n.name)) {
        n.delete();
        removed++;
      }
    for (const s of settings.items)
      if (mine(s.key)) {
        s.delete();
        removed++;
      }
    for (const s of sheets.items)
      if (mine(s.name)) {
        s.delete();
        removed++;
      }
    await context.sync();
    return removed;
  });
}
