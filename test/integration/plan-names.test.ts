/**
 * Two plan sheets in one workbook, one recording progress (实际完成) and one not: each sheet's status formulas and
 * drop-downs read its own lists sheet, in the offline host, after an .xlsx round trip, and in LibreOffice.
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { statusLabel } from "../../src/core/labels";
import type { RowStatus } from "../../src/core/types";
import { CONFIG_KEY, parseConfig, type PlanConfig } from "../../src/excel/config";
import { createOfflineOperations } from "../../src/hosting/offline";
import { OfflineHost, createWorkbookModel, sheetFromGrid } from "../../src/offline";
import type { WorkbookModel } from "../../src/offline";
import { exportXlsx, importXlsx } from "../../src/offline/xlsx";
import { libreOfficeOrSkip, recalcToCsv } from "../support/libreoffice";

const OUT = join(__dirname, "..", "..", "test-output", "plan-names");
const NOW = new Date(2025, 9, 15);

const word = (s: RowStatus) => statusLabel(s, "zh-CN");

/** 甲部 records progress; 乙部 has no status or actual column. Same months, different owners. */
function twoPlans(): WorkbookModel {
  const model = createWorkbookModel([]);
  sheetFromGrid(model, "甲部", [
    ["2025年度甲部工作计划"],
    ["月份", "工作任务", "责任单位", "计量单位", "目标任务", "实际完成"],
    ["1月", "甲部年会", "甲一科", "次", 2, 2],
    ["2月", "甲部培训", "甲二科", "期", 3, 1],
    ["11月", "甲部调研", "甲一科", "次", 1, ""],
  ]);
  sheetFromGrid(model, "乙部", [
    ["2025年度乙部工作计划"],
    ["月份", "工作任务", "责任单位", "计量单位", "目标任务"],
    ["1月", "乙部年会", "乙一科", "次", 2],
    ["2月", "乙部培训", "乙二科", "期", 3],
    ["11月", "乙部调研", "乙一科", "次", 1],
  ]);
  return model;
}

/** Structures 甲部, then 乙部, each on its own; returns each sheet's stored configuration. */
async function structureBoth(host: OfflineHost, model: WorkbookModel): Promise<Record<string, PlanConfig>> {
  const ops = createOfflineOperations(host, { now: () => NOW });
  const configs: Record<string, PlanConfig> = {};
  for (const sheet of ["甲部", "乙部"]) {
    await ops.structure({ lang: "zh-CN", sheet });
    configs[sheet] = parseConfig(JSON.parse(model.settings.get(CONFIG_KEY) as string))!;
  }
  return configs;
}

/** A table's column values (data rows), by column header. */
function column(model: WorkbookModel, table: string, header: string): unknown[] {
  for (const s of model.sheets) {
    const t = s.tables.find((x) => x.name === table);
    if (!t) continue;
    const c = t.ref.c0 + t.columns.indexOf(header);
    const out: unknown[] = [];
    for (let r = t.ref.r0 + 1; r <= t.ref.r1; r++) out.push(s.rows.get(r)?.get(c)?.value);
    return out;
  }
  throw new Error(`no table ${table}`);
}

/** The values a list validation's defined name stands for, through the model's own names and cells. */
function listValues(model: WorkbookModel, sheet: string, col: number): string[] {
  const s = model.sheets.find((x) => x.name === sheet)!;
  const rule = s.validations.find((v) => v.ranges.some((r) => r.c0 <= col && r.c1 >= col))?.rule;
  if (!rule || rule.type !== "list") throw new Error(`no list on ${sheet} column ${col}`);
  const name = rule.source.replace(/^=/, "");
  const def = model.names.find((n) => n.name === name && n.scopeSheetId === undefined);
  if (!def) throw new Error(`no name ${name}`);
  const m = /^=?'?(.+?)'?!\$([A-Z]+)\$(\d+):\$[A-Z]+\$(\d+)$/.exec(def.formula)!;
  const lists = model.sheets.find((x) => x.name === m[1])!;
  const c = m[2].charCodeAt(0) - 65;
  const out: string[] = [];
  for (let r = Number(m[3]) - 1; r < Number(m[4]); r++) out.push(String(lists.rows.get(r)?.get(c)?.value ?? ""));
  return out.filter((v) => v !== "");
}

describe("two plan sheets, one tracking progress and one not", () => {
  it("each sheet's statuses read its own progress flag, and each owner drop-down offers its own owners", async () => {
    const model = twoPlans();
    const host = new OfflineHost(model, { now: () => NOW });
    const configs = await structureBoth(host, model);
    expect([configs["甲部"].table, configs["乙部"].table]).toEqual(["Plan", "Plan2"]);
    host.recalculate();
    const expected = {
      甲部: [word("done"), word("overdue"), word("upcoming")],
      乙部: [word("unrecorded"), word("unrecorded"), word("upcoming")],
    };
    const statuses = (m: WorkbookModel) => ({
      甲部: column(m, configs["甲部"].table, configs["甲部"].computed.status),
      乙部: column(m, configs["乙部"].table, configs["乙部"].computed.status),
    });
    expect(statuses(model)).toEqual(expected);
    // Owners are column C on both sheets.
    expect(listValues(model, "甲部", 2)).toEqual(["甲一科", "甲二科"]);
    expect(listValues(model, "乙部", 2)).toEqual(["乙一科", "乙二科"]);

    // Written to .xlsx and read back, recalculated from the formulas alone: the same.
    const back = await importXlsx(await exportXlsx(model));
    const again = new OfflineHost(back, { now: () => NOW });
    again.recalculate();
    expect(statuses(back)).toEqual(expected);
    expect(listValues(back, "乙部", 2)).toEqual(["乙一科", "乙二科"]);

    // The summary over both counts 甲部's overdue item and none of 乙部's, live formulas over each table included.
    const ops = createOfflineOperations(host, { now: () => NOW });
    const all = await ops.summarizeAll({ lang: "zh-CN", asOf: NOW });
    expect(all.kpis).toMatchObject({ activities: 6, completed: 1, overdue: 1 });
    host.recalculate();
    expect(statuses(model)).toEqual(expected);
    const out = model.sheets.find((s) => s.name === all.sheet)!;
    expect([1, 3].map((c) => out.rows.get(4)?.get(c)?.value)).toEqual([1, 1]);
  });

  const lo = libreOfficeOrSkip() ? it : it.skip;
  lo(
    "LibreOffice recalculates the exported workbook to the same statuses: overdue on one sheet, not recorded on the other",
    async () => {
      const model = twoPlans();
      // LibreOffice evaluates TODAY() with the real clock, so the host does too; every month of 2025 is past by now.
      const host = new OfflineHost(model, { mode: "web" });
      const ops = createOfflineOperations(host);
      const configs: Record<string, PlanConfig> = {};
      for (const sheet of ["甲部", "乙部"]) {
        await ops.structure({ lang: "zh-CN", sheet });
        configs[sheet] = parseConfig(JSON.parse(model.settings.get(CONFIG_KEY) as string))!;
      }
      rmSync(OUT, { recursive: true, force: true });
      mkdirSync(OUT, { recursive: true });
      const file = join(OUT, "two-plans.xlsx");
      writeFileSync(file, await exportXlsx(model));
      const csv = await recalcToCsv(file, join(OUT, "csv"));
      const statusesOf = (sheet: string) => {
        const rows = csv[sheet];
        const header = rows.findIndex((r) => r.includes(configs[sheet].computed.status));
        const c = rows[header].indexOf(configs[sheet].computed.status);
        return rows.slice(header + 1, header + 4).map((r) => r[c]);
      };
      expect(statusesOf("甲部")).toEqual([word("done"), word("overdue"), word("overdue")]);
      expect(statusesOf("乙部")).toEqual([word("unrecorded"), word("unrecorded"), word("unrecorded")]);
    },
    240_000,
  );
});
