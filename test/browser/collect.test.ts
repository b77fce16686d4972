/**
 * Collect returns in the workbench, in a real browser (issue 17 §4): a template made for a department, then three
 * returns written by openpyxl and LibreOffice (test/fixtures/xlsx/returns/, scripts/fixtures/returns_workbooks.py)
 * picked in the pane's file input, read in the page by our .xlsx reader and collected into one plan with 来源; then
 * one of them collected again, changed: no duplicates, the changed values, the others untouched.
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { format, type Catalogs } from "../../src/core/i18n";
import uiEn from "../../src/i18n/ui.en-US.json";
import uiZh from "../../src/i18n/ui.zh-CN.json";
import wbZh from "../../src/i18n/workbench.zh-CN.json";
import { importXlsx } from "../../src/offline/xlsx";
import { browserAvailability, startWorkbench } from "./harness";

const UI: Catalogs = { "zh-CN": uiZh, "en-US": uiEn };
const ui = (key: string, params: Record<string, string | number> = {}) => format(UI["zh-CN"], key, params);
const wb = (key: string) => format(wbZh, key, {});
const RETURNS = resolve(__dirname, "../fixtures/xlsx/returns");

/** The first table of a sheet in the page's workbook, each body row keyed by its column header. */
async function tableRows(page: Page, sheet: string): Promise<Record<string, unknown>[]> {
  return page.evaluate((name) => {
    const host = window.__planLedger?.host;
    if (!host) throw new Error("window.__planLedger.host is not set");
    host.recalculate();
    const s = host.model.sheets.find((x) => x.name === name);
    if (!s) throw new Error(`no sheet ${name}: ${host.model.sheets.map((x) => x.name).join(", ")}`);
    const t = s.tables[0];
    if (!t) throw new Error(`no table on ${name}`);
    const out: Record<string, unknown>[] = [];
    for (let r = t.ref.r0 + 1; r <= t.ref.r1; r++) {
      const row: Record<string, unknown> = {};
      t.columns.forEach((c, i) => {
        const v = s.rows.get(r)?.get(t.ref.c0 + i)?.value;
        row[c] = typeof v === "object" && v !== null ? v.error : (v ?? "");
      });
      out.push(row);
    }
    return out;
  }, sheet);
}

async function sheetNames(page: Page): Promise<string[]> {
  return page.evaluate(() => window.__planLedger?.host.model.sheets.map((s) => s.name) ?? []);
}

function bySource(rows: Record<string, unknown>[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of rows) out[String(r["来源"])] = (out[String(r["来源"])] ?? 0) + 1;
  return out;
}

/** Waits for `text` in the pane; an error the pane shows instead fails at once with its message. */
async function waitForText(page: Page, text: string, what: string): Promise<void> {
  const pane = page.getByTestId("pane");
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (await pane.getByText(text, { exact: false }).first().isVisible()) return;
    const alert = pane.getByRole("alert");
    if ((await alert.count()) > 0) throw new Error(`${what} failed in the pane: ${await alert.first().innerText()}`);
    await page.waitForTimeout(100);
  }
  throw new Error(`${what}: timed out waiting for “${text}”`);
}

const availability = browserAvailability();

if (!availability.run && availability.required) {
  describe("collect returns in the workbench", () => {
    it("needs chromium (PLAN_LEDGER_REQUIRE_BROWSER=1)", () => {
      throw new Error("chromium is required (PLAN_LEDGER_REQUIRE_BROWSER=1) but was not found at /usr/bin/chromium");
    });
  });
}

(availability.run ? describe : describe.skip)("collect returns in the workbench", () => {
  const problems: string[] = [];
  let context: BrowserContext;
  let page: Page;
  let closeAll: () => Promise<void> = async () => undefined;
  let broken: string | undefined;
  const step = (name: string, fn: () => Promise<void>) =>
    it(name, async () => {
      if (broken !== undefined) throw new Error(`not run: the earlier step "${broken}" failed`);
      try {
        await fn();
      } catch (e) {
        broken = name;
        throw e;
      }
    });

  beforeAll(async () => {
    if (!availability.run) return;
    const started = await startWorkbench(availability.path, { width: 1440, height: 900 });
    ({ context, close: closeAll } = started);
    page = await context.newPage();
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    page.on("console", (m) => {
      if (m.type() === "error") problems.push(`console error: ${m.text()}`);
    });
    await page.goto(`${started.baseUrl}workbench.html?lang=zh-CN`);
  }, 300_000);

  afterAll(async () => {
    await closeAll();
  });

  step("makes a template for a department", async () => {
    await page
      .getByTestId("pane")
      .getByRole("tab", { name: ui("tab.collect") })
      .click();
    await page.getByRole("textbox", { name: ui("collect.template.department") }).fill("科普部");
    await page.getByRole("button", { name: ui("collect.template.button") }).click();
    await waitForText(page, "填报模板（科普部）", "make a template");
    expect(await sheetNames(page)).toContain("填报模板（科普部）");
    // The workbench's stand-in for Move or Copy → (new book) and Save As: the template alone as a download.
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: wb("toolbar.downloadSheet") }).click(),
    ]);
    expect(download.suggestedFilename()).toBe("填报模板（科普部）.xlsx");
    const copy = await importXlsx(new Uint8Array(readFileSync(await download.path())));
    expect(copy.sheets.map((s) => s.name)).toEqual(["填报模板（科普部）"]);
    const header = [...Array(3).keys()].map((c) => copy.sheets[0].rows.get(3)?.get(c)?.value);
    expect(header).toEqual(["月份", "工作任务", "责任单位"]);
    expect(copy.sheets[0].rows.get(1)?.get(1)?.value).toBe("科普部");
  });

  step("collects three returns: counts per file and the 来源 column", async () => {
    const input = page.getByLabel(ui("collect.returns.files"));
    await input.setInputFiles(["办公室.xlsx", "学会部.xlsx", "科普部.xlsx"].map((f) => join(RETURNS, f)));
    await page.getByRole("button", { name: ui("collect.returns.button", { n: 3 }) }).click();
    const done = ui("collect.returns.done", { added: 14, files: 3, replaced: 0, sheet: "合并计划", rows: 14 });
    await waitForText(page, done, "collect returns");
    const sources = page.getByRole("list", { name: ui("collect.returns.sources") });
    const lines = await sources.locator(":scope > li").allInnerTexts();
    expect(lines.map((l) => l.replace(/\s+/g, " ").trim())).toEqual([
      `办公室.xlsx ${ui("collect.returns.source", { rows: 6, replaced: 0, findings: 0 })}`,
      `学会部.xlsx ${ui("collect.returns.source", { rows: 4, replaced: 0, findings: 0 })}`,
      `科普部.xlsx ${ui("collect.returns.source", { rows: 4, replaced: 0, findings: 0 })}`,
    ]);
    const rows = await tableRows(page, "合并计划");
    expect(bySource(rows)).toEqual({ "办公室.xlsx": 6, "学会部.xlsx": 4, "科普部.xlsx": 4 });
    expect(rows.find((r) => r["工作任务"] === "科普讲座")?.["目标"]).toBe(4);
    expect(await sheetNames(page)).toContain("汇总");
  });

  step("collects one department again, changed: its items replaced, no duplicates, the others kept", async () => {
    const input = page.getByLabel(ui("collect.returns.files"));
    await input.setInputFiles([join(RETURNS, "changed", "科普部.xlsx")]);
    await page.getByRole("button", { name: ui("collect.returns.button", { n: 1 }) }).click();
    const done = ui("collect.returns.done", { added: 4, files: 1, replaced: 4, sheet: "合并计划", rows: 14 });
    await waitForText(page, done, "collect again");
    const rows = await tableRows(page, "合并计划");
    expect(bySource(rows)).toEqual({ "办公室.xlsx": 6, "学会部.xlsx": 4, "科普部.xlsx": 4 });
    const keys = rows.map((r) => `${String(r["来源"])}|${String(r["工作任务"])}`);
    expect(new Set(keys).size).toBe(keys.length);
    const science = Object.fromEntries(
      rows.filter((r) => r["来源"] === "科普部.xlsx").map((r) => [r["工作任务"], r["目标"]]),
    );
    expect(science).toEqual({ 科普讲座: 5, 全国科普日: 12000, 科普进社区: 6, 科普作品征集: 30 });
    expect(rows.filter((r) => r["来源"] === "学会部.xlsx").map((r) => r["工作任务"])).toEqual([
      "学术年会",
      "青年论坛",
      "学术沙龙",
      "会员服务",
    ]);
  });

  step("ran without page errors", async () => {
    expect(problems).toEqual([]);
  });
});
