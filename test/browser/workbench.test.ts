/**
 * The workbench in a real browser: the task pane's whole flow over the sample workbook (structure after changing a
 * mapping, check, summary, language switch), asserted on the workbook model the operations wrote and on the pane's
 * text; then download and reopen the result. Screenshots of the pane in both languages go to test-output/.
 */
import { mkdirSync, readFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { format, type Catalogs } from "../../src/core/i18n";
import type { Lang } from "../../src/core/types";
import { CONFIG_KEY, parseConfig } from "../../src/excel/config";
import { SUMMARY_TABLES } from "../../src/excel/summary";
import uiEn from "../../src/i18n/ui.en-US.json";
import uiZh from "../../src/i18n/ui.zh-CN.json";
import wbEn from "../../src/i18n/workbench.en-US.json";
import wbZh from "../../src/i18n/workbench.zh-CN.json";
import workbookZh from "../../src/i18n/workbook.zh-CN.json";
import { importXlsx } from "../../src/offline/xlsx";
import { sampleSheetNames } from "../../src/workbench/sample";
import { browserAvailability, startWorkbench } from "./harness";

const OUT = resolve(__dirname, "../../test-output");
const UI: Catalogs = { "zh-CN": uiZh, "en-US": uiEn };
const WB: Catalogs = { "zh-CN": wbZh, "en-US": wbEn };
const ui = (lang: Lang, key: string, params: Record<string, string | number> = {}) => format(UI[lang], key, params);
const wb = (lang: Lang, key: string, params: Record<string, string | number> = {}) => format(WB[lang], key, params);

/** A plain-data snapshot of the offline workbook, read in the page from window.__planLedger.host.model. */
type Snapshot = {
  active: string;
  settings: Record<string, string>;
  sheets: {
    name: string;
    visibility: string;
    tables: { name: string; columns: string[]; r0: number; r1: number; c0: number }[];
    validations: { type: string; ranges: number }[];
    conditionalFormats: { type: string; fill: string | null }[];
    charts: { name: string; type: string; title: string; series: number }[];
    cells: Record<string, string | number | boolean | null>;
  }[];
};

async function snapshot(page: Page): Promise<Snapshot> {
  return page.evaluate(() => {
    const host = window.__planLedger?.host;
    if (!host) throw new Error("window.__planLedger.host is not set");
    host.recalculate();
    const m = host.model;
    const letters = (c: number) => {
      let s = "";
      for (let n = c + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
      return s;
    };
    return {
      active: m.sheets[m.activeSheet].name,
      settings: Object.fromEntries(m.settings),
      sheets: m.sheets.map((s) => {
        const cells: Record<string, string | number | boolean | null> = {};
        for (const [r, row] of s.rows)
          for (const [c, cell] of row) {
            const v = cell.value;
            if (v !== undefined) cells[`${letters(c)}${r + 1}`] = typeof v === "object" ? v.error : v;
          }
        return {
          name: s.name,
          visibility: s.visibility,
          tables: s.tables.map((t) => ({ name: t.name, columns: t.columns, r0: t.ref.r0, r1: t.ref.r1, c0: t.ref.c0 })),
          validations: s.validations.map((v) => ({ type: v.rule.type, ranges: v.ranges.length })),
          conditionalFormats: s.conditionalFormats.map((f) => ({
            type: f.type,
            fill: f.type === "dataBar" ? null : (f.format.fill ?? null),
          })),
          charts: s.charts.map((c) => ({ name: c.name, type: c.type, title: c.title, series: c.series.length })),
          cells,
        };
      }),
    };
  });
}

const sheetOf = (snap: Snapshot, name: string) => {
  const s = snap.sheets.find((x) => x.name === name);
  if (!s) throw new Error(`no sheet ${name} in ${snap.sheets.map((x) => x.name).join(", ")}`);
  return s;
};

/** The texts of the pane's KPI cards, label → value, in the order shown. */
async function kpiTexts(page: Page, lang: Lang): Promise<Record<string, string>> {
  const region = page.getByRole("region", { name: ui(lang, "summary.kpis") });
  const labels = await region.locator("dt").allTextContents();
  const values = await region.locator("dd").allTextContents();
  return Object.fromEntries(labels.map((l, i) => [l, values[i]]));
}

/** Fails with the pane's error message when an operation reported one, instead of timing out silently. */
async function paneErrorText(page: Page): Promise<string | null> {
  const alert = page.getByTestId("pane").getByRole("alert");
  if ((await alert.count()) === 0) return null;
  return alert.first().innerText();
}

async function waitForPane(page: Page, target: ReturnType<Page["getByRole"]>, what: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (await target.isVisible()) return;
    const error = await paneErrorText(page);
    if (error) throw new Error(`${what} failed in the pane: ${error}`);
    await page.waitForTimeout(100);
  }
  throw new Error(`${what}: timed out waiting for the pane`);
}

const availability = browserAvailability();

if (!availability.run && availability.required) {
  describe("workbench in a real browser", () => {
    it("needs chromium (PLAN_LEDGER_REQUIRE_BROWSER=1)", () => {
      throw new Error("chromium is required (PLAN_LEDGER_REQUIRE_BROWSER=1) but was not found at /usr/bin/chromium");
    });
  });
}

(availability.run ? describe : describe.skip)("workbench in a real browser", () => {
  const year = new Date().getFullYear();
  const names = sampleSheetNames(year);
  const problems: string[] = [];
  let context: BrowserContext;
  let page: Page;
  let closeAll: () => Promise<void> = async () => undefined;
  let baseUrl = "";
  const summaryName = workbookZh["sheet.summary"];
  // The steps build on each other: after a failure the rest report it at once instead of each timing out.
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
    mkdirSync(OUT, { recursive: true });
    const started = await startWorkbench(availability.path, { width: 1440, height: 900 });
    ({ context, baseUrl, close: closeAll } = started);
    page = await context.newPage();
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    page.on("console", (m) => {
      if (m.type() === "error") problems.push(`console error: ${m.text()}`);
    });
    await page.goto(`${baseUrl}workbench.html?lang=zh-CN`);
  }, 300_000);

  afterAll(async () => {
    await closeAll();
  });

  step("opens with the bilingual sample and the pane previewing the active sheet", async () => {
    await waitForPane(page, page.getByText(ui("zh-CN", "plan.headerRow", { row: 3 })), "preview");
    expect(await page.title()).toBe(wb("zh-CN", "doc.title"));
    const tabs = page.getByRole("tablist", { name: wb("zh-CN", "sheets.label") }).getByRole("tab");
    // innerText: Fluent tabs also hold a hidden copy of their label (reserved space for the selected bold text).
    expect(await tabs.allInnerTexts()).toEqual([names.ledger, names.plan]);
    await expect(page.locator('td[data-address="C3"]').innerText()).resolves.toBe("工作任务");
    // The merged 1月 cell spans its three items; the title spans the ten columns.
    await expect(page.locator('td[data-address="B5"]').getAttribute("rowspan")).resolves.toBe("3");
    await expect(page.locator('td[data-address="A1"]').getAttribute("colspan")).resolves.toBe("10");
    const snap = await snapshot(page);
    expect(snap.active).toBe(names.ledger);
    expect(sheetOf(snap, names.plan).cells.B3).toBe("Activity");
  });

  step("changes the owner column from 责任单位 to 责任人 in the mapping", async () => {
    const counts = page.getByRole("region", { name: ui("zh-CN", "plan.counts") }).locator("dd");
    const ownersBefore = await counts.nth(2).innerText();
    const combo = page.getByRole("combobox", {
      name: ui("zh-CN", "plan.mapping.columnFor", { field: ui("zh-CN", "field.owner") }),
    });
    await combo.click();
    // An open drop-down must not hide the page under its portal layer: Fluent copies the FluentProvider's className to
    // portal mount nodes, so a full-height class there paints a white layer over everything.
    const covered = await page.evaluate(() => {
      const el = document.elementFromPoint(200, 300);
      return el !== null && el.closest("main") === null ? el.outerHTML.slice(0, 160) : null;
    });
    if (covered !== null)
      throw new Error(`An open drop-down covers the page (check the pane's FluentProvider): ${covered}`);
    const option = ui("zh-CN", "plan.columnOption", { letter: "E", header: "责任人" });
    await page.getByRole("option", { name: option }).click();
    await expect(combo.innerText()).resolves.toContain(option);
    await page.waitForFunction(([selector, before]) => document.querySelectorAll(selector)[2]?.textContent !== before, [
      "section[aria-label] dl dd",
      ownersBefore,
    ] as const);
    expect(await counts.nth(2).innerText()).not.toBe(ownersBefore);
  });

  step("structures the sample: table, validation, hidden lists, traffic-light colours in the grid", async () => {
    await page.getByRole("button", { name: ui("zh-CN", "plan.structure") }).click();
    // Structure shows what it will change and that Restore, not Ctrl+Z, undoes it; then it runs on confirmation.
    await waitForPane(page, page.getByTestId("structure-preview"), "structure preview");
    expect(await page.getByTestId("structure-preview").innerText()).toContain(ui("zh-CN", "preview.undo.title"));
    await page.getByRole("button", { name: ui("zh-CN", "preview.confirm") }).click();
    await waitForPane(page, page.getByRole("button", { name: ui("zh-CN", "check.recheck") }), "structure");
    const snap = await snapshot(page);
    const ledger = sheetOf(snap, names.ledger);
    const plan = ledger.tables.find((t) => t.name === "Plan");
    expect(plan).toBeDefined();
    expect(plan?.r0).toBe(2); // header kept in row 3
    expect(ledger.validations.length).toBeGreaterThanOrEqual(4);
    expect(ledger.validations.some((v) => v.type === "list")).toBe(true);
    expect(ledger.conditionalFormats.length).toBeGreaterThanOrEqual(4);
    // workbook.settings hold JSON text; the configuration is itself stored as a JSON string.
    const config = parseConfig(JSON.parse(snap.settings[CONFIG_KEY] ?? "null"));
    expect(config?.columns.owner).toBe("责任人");
    const lists = snap.sheets.find((s) => s.name === workbookZh["sheet.lists"]);
    expect(lists?.visibility).toBe("Hidden");
    // The view marks the hidden sheet, the validated cells, and paints the status colours the rules compute.
    await expect(
      page.getByRole("tab", { name: wb("zh-CN", "sheet.hidden", { name: workbookZh["sheet.lists"] }) }).count(),
    ).resolves.toBe(1);
    expect(await page.locator("td[data-validation=list]").count()).toBeGreaterThan(10);
    const ruleFills = new Set(ledger.conditionalFormats.map((f) => f.fill).filter((f): f is string => f !== null));
    const drawn = await page.locator("td[data-fill]").evaluateAll((tds) => tds.map((td) => td.dataset.fill ?? ""));
    expect(drawn.filter((f) => ruleFills.has(f)).length).toBeGreaterThan(10);
    // The success message names what was done: the sample has 14 items.
    await page.getByText(ui("zh-CN", "structure.done", { sheet: names.ledger, table: "Plan", rows: 14 })).waitFor();
  });

  step("checks the plan, lists the findings and selects a finding's cell in the grid", async () => {
    await page.getByRole("button", { name: ui("zh-CN", "check.recheck") }).click();
    // The blank 责任人 of item 3 is a finding now that 责任人 is the owner column.
    const header = page.getByRole("button", { name: new RegExp(ui("zh-CN", "finding.owner.missing")) });
    await waitForPane(page, header, "check");
    if ((await header.getAttribute("aria-expanded")) !== "true") await header.click();
    // A finding's link is named by its visible text (cell and message) followed by what it does.
    const suffix = ui("zh-CN", "check.select").split("{message}")[1];
    const links = page.locator(".fui-AccordionItem").filter({ has: header }).locator(`button[aria-label$="${suffix}"]`);
    expect(await links.count()).toBe(1);
    const cell = (await links.first().locator("span").first().innerText()).trim();
    const table = sheetOf(await snapshot(page), names.ledger).tables.find((t) => t.name === "Plan");
    const ownerLetter = String.fromCharCode(65 + (table?.c0 ?? 0) + (table?.columns.indexOf("责任人") ?? -99));
    expect(cell).toMatch(new RegExp(`^${ownerLetter}\\d+$`));
    await links.first().click();
    await page.waitForSelector(`td[data-address="${cell}"][data-selected="true"]`);
    await expect(page.getByTestId("name-box").innerText()).resolves.toBe(cell);
    const snap = await snapshot(page);
    const ledger = sheetOf(snap, names.ledger);
    expect(ledger.cells[cell] ?? "").toBe("");
    // Same row: the item whose owner is missing (科普画廊宣传 in the sample).
    expect(ledger.cells[`C${cell.slice(ownerLetter.length)}`]).toBe("科普画廊宣传");
  });

  step("generates the summary: four tables, three charts, KPIs equal to the pane's figures", async () => {
    await page.getByRole("tab", { name: ui("zh-CN", "tab.summary", { n: 3 }) }).click();
    await page.getByRole("button", { name: ui("zh-CN", "summary.generate") }).click();
    const heading = page.getByRole("heading", { name: ui("zh-CN", "summary.done", { sheet: summaryName, charts: 3 }) });
    await waitForPane(page, heading, "summary");
    const snap = await snapshot(page);
    const summary = sheetOf(snap, summaryName);
    expect(summary.tables.map((t) => t.name)).toEqual(
      expect.arrayContaining(SUMMARY_TABLES.filter((t) => t !== "SummaryByCategory")),
    );
    expect(summary.charts).toHaveLength(3);
    for (const c of summary.charts) {
      expect(c.title).not.toBe("");
      expect(c.series).toBeGreaterThan(0);
    }
    // KPI row 5 of the summary sheet (live formulas) against the pane's cards.
    const kpis = await kpiTexts(page, "zh-CN");
    const int = new Intl.NumberFormat("zh-CN", { maximumFractionDigits: 0 });
    const pct = new Intl.NumberFormat("zh-CN", { style: "percent", maximumFractionDigits: 0 });
    const cells = summary.cells;
    expect(kpis[ui("zh-CN", "summary.kpi.activities")]).toBe(int.format(Number(cells.A5)));
    expect(kpis[ui("zh-CN", "summary.kpi.completed")]).toBe(int.format(Number(cells.B5)));
    expect(kpis[ui("zh-CN", "summary.kpi.rate")]).toBe(pct.format(Number(cells.C5)));
    expect(kpis[ui("zh-CN", "summary.kpi.overdue")]).toBe(int.format(Number(cells.D5)));
    expect(kpis[ui("zh-CN", "summary.kpi.pace")]).toBe(pct.format(Number(cells.E5)));
    expect(Number(cells.A5)).toBe(14);

    // Opening the sheet from the pane shows it with its three charts drawn.
    await page.getByRole("button", { name: ui("zh-CN", "summary.openSheet", { sheet: summaryName }) }).click();
    await page.waitForSelector('svg[role="img"][data-chart]');
    const drawnTitles = await page
      .locator('svg[role="img"][data-chart]')
      .evaluateAll((svgs) => svgs.map((s) => s.getAttribute("aria-label")));
    expect(drawnTitles).toEqual(summary.charts.map((c) => wb("zh-CN", "chart.label", { title: c.title })));
    expect(await page.locator("svg[data-chart] rect, svg[data-chart] polyline").count()).toBeGreaterThan(10);
    await page.getByTestId("pane").screenshot({ path: join(OUT, "pane-zh-CN.png") });
    await page.screenshot({ path: join(OUT, "workbench-zh-CN.png") });
  });

  step("switches the pane (and the workbench around it) to English", async () => {
    const zhKpis = await kpiTexts(page, "zh-CN");
    await page.getByRole("button", { name: ui("zh-CN", "lang.switch") }).click();
    await page.getByRole("tab", { name: ui("en-US", "tab.summary", { n: 3 }) }).waitFor();
    const pane = page.getByTestId("pane");
    for (const key of ["app.title", "summary.regenerate"])
      await expect(pane.getByText(ui("en-US", key), { exact: true }).count()).resolves.toBe(1);
    expect(await pane.getByRole("tab").allInnerTexts()).toEqual(
      expect.arrayContaining(["plan", "check", "summary"].map((s, i) => ui("en-US", `tab.${s}`, { n: i + 1 }))),
    );
    const enKpis = await kpiTexts(page, "en-US");
    expect(Object.keys(enKpis)).toEqual(
      ["activities", "completed", "rate", "overdue", "pace"].map((k) => ui("en-US", `summary.kpi.${k}`)),
    );
    // Same figures, now labelled in English.
    expect(Object.values(enKpis).map((v) => v.replace(/\s/g, ""))).toEqual(
      Object.values(zhKpis).map((v) => v.replace(/\s/g, "")),
    );
    await page.getByRole("button", { name: wb("en-US", "toolbar.download") }).waitFor();
    expect(await page.title()).toBe(wb("en-US", "doc.title"));
    await pane.screenshot({ path: join(OUT, "pane-en-US.png") });
    await page.screenshot({ path: join(OUT, "workbench-en-US.png") });
  });

  step("downloads the workbook as .xlsx and opens it again", async () => {
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: wb("en-US", "toolbar.download") }).click(),
    ]);
    // The sample's download, named so it is told apart from (and does not replace) the file it came from.
    expect(download.suggestedFilename()).toBe("plan-ledger-sample.plan-ledger.xlsx");
    const file = join(OUT, "workbench-download.xlsx");
    await download.saveAs(file);
    const model = await importXlsx(new Uint8Array(readFileSync(file)));
    const summary = model.sheets.find((s) => s.name === summaryName);
    expect(summary?.charts).toHaveLength(3);
    expect(model.sheets.find((s) => s.name === names.ledger)?.tables.map((t) => t.name)).toContain("Plan");
    expect(model.settings.has(CONFIG_KEY)).toBe(true);

    await page.getByTestId("open-xlsx").setInputFiles(file);
    await page.getByText(wb("en-US", "status.opened", { name: basename(file) })).waitFor();
    const snap = await snapshot(page);
    expect(snap.sheets.map((s) => s.name)).toEqual(model.sheets.map((s) => s.name));
    // A fresh pane over the reopened workbook, still in English, recognises the structured plan on the ledger sheet.
    const sheetChoice = page.getByRole("combobox", { name: ui("en-US", "plan.sheet") });
    await waitForPane(page, sheetChoice, "preview after reopening");
    await sheetChoice.click();
    await page.getByRole("option", { name: names.ledger }).click();
    await waitForPane(page, page.getByText(ui("en-US", "plan.alreadyStructured")), "preview after reopening");
  });

  step("links the self-test from the pane's About section", async () => {
    const link = page.getByRole("link", { name: ui("en-US", "about.selftest") });
    await expect(link.getAttribute("href")).resolves.toBe("selftest.html");
  });

  it("runs the self-test page against the offline host: every contract rule passes, and it cleans up", async () => {
    const self = await context.newPage();
    self.on("pageerror", (e) => problems.push(`self-test page error: ${e.message}`));
    self.on("console", (m) => {
      if (m.type() === "error") problems.push(`self-test console error: ${m.text()}`);
    });
    await self.goto(`${baseUrl}selftest.html?lang=en-US`);
    await self.waitForFunction(() => document.documentElement.dataset.selftest !== undefined, undefined, {
      timeout: 120_000,
    });
    const result = await self.evaluate(() => ({
      status: document.documentElement.dataset.selftest,
      count: Number(document.documentElement.dataset.selftestCount),
      failed: [...document.querySelectorAll('[data-status="failed"]')].map((e) => e.textContent),
      sheets: window.__planLedger?.host.model.sheets.map((s) => s.name) ?? [],
      names: window.__planLedger?.host.model.names.map((n) => n.name) ?? [],
    }));
    expect(result.failed).toEqual([]);
    expect(result.status).toBe("passed");
    expect(result.count).toBeGreaterThanOrEqual(40);
    expect([...result.sheets, ...result.names].filter((n) => n.startsWith("PLST"))).toEqual([]);
    const report = await self.getByRole("textbox", { name: ui("en-US", "selftest.report") }).inputValue();
    expect(report).toMatch(/^Plan Ledger self-test, /);
    expect(report).toContain(`Result: PASSED: ${result.count} passed, 0 failed`);
    await self.screenshot({ path: join(OUT, "selftest-en-US.png"), fullPage: false });
    await self.close();
  }, 150_000);

  it("raised no page or console errors", () => {
    expect(problems).toEqual([]);
  });
});
