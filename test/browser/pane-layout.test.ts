/**
 * The task pane at Excel's widths (320 and 450 px) in both languages, in a real browser: every tab visited, the
 * Import preview filled; the pane never scrolls sideways and axe-core finds no serious or critical violation in it.
 * Screenshots of each step at 320 px go to test-output/. Then the long tasks of structuring and summarising a 5,000-row
 * ledger in the workbench, measured with the browser's long-task timing (PerformanceObserver "longtask") and reported
 * in test-output/longtasks-5000.json. Not asserted (issue 16 §10 wants it measured and reported), as it is not reliably
 * met on these shared 2-core machines: with the grid built in slices, drawn as transitions, and Structure's planning
 * sliced, six runs at a load average of 3.5–5 had no task over 200 ms (the longest 133–195 ms), but a busier machine
 * (load 8–9) stretches the steps still done in one task past it: the copy of the sheet Structure keeps for Restore (one
 * copyFrom action of the offline host), core's extractPlan over 5,000 rows, and a recalculation step where one summary
 * formula first evaluates thousands of table cells.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { format, type Catalogs } from "../../src/core/i18n";
import type { Lang } from "../../src/core/types";
import uiEn from "../../src/i18n/ui.en-US.json";
import uiZh from "../../src/i18n/ui.zh-CN.json";
import wbZh from "../../src/i18n/workbench.zh-CN.json";
import { exportXlsx } from "../../src/offline/xlsx";
import { bigLedger, workbookModel } from "../fixtures/workbooks";
import { browserAvailability, startWorkbench } from "./harness";

const OUT = resolve(__dirname, "../../test-output");
const UI: Catalogs = { "zh-CN": uiZh, "en-US": uiEn };
const ui = (lang: Lang, key: string, params: Record<string, string | number> = {}) => format(UI[lang], key, params);
/** Returns written by openpyxl and LibreOffice (scripts/fixtures/returns_workbooks.py), for the Collect tab. */
const RETURNS = ["办公室.xlsx", "学会部.xlsx", "科普部.xlsx"].map((f) =>
  resolve(__dirname, "../fixtures/xlsx/returns", f),
);
const AXE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

const WRITTEN: Record<Lang, string> = {
  "zh-CN": "9月份工作\n1. 召开理事会（办公室）\n2. 开展科普进社区宣传活动12次，由科普部负责\n3. 发行《科普通讯》6期",
  "en-US":
    "September\n1. Run 2 science workshops (Owner: Outreach)\n2. Publish 6 newsletters\n3. Hold the board meeting",
};

type Overflow = { scroll: number; client: number; wide: string[] };

/** Whether the pane scrolls sideways, and which of its visible elements reach past its right edge. */
async function overflow(page: Page): Promise<Overflow> {
  return page.getByTestId("pane").evaluate((pane) => {
    const edge = pane.getBoundingClientRect().right + 0.5;
    const wide: string[] = [];
    for (const el of pane.querySelectorAll<HTMLElement>("*")) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0 || r.right <= edge) continue;
      // Visually hidden text (1 px, clipped) is for screen readers; it draws nothing.
      if (r.width <= 1 && r.height <= 1) continue;
      wide.push(
        `${el.tagName.toLowerCase()}.${el.className.toString().split(" ")[0]} "${(el.textContent ?? "").slice(0, 30)}" right ${Math.round(r.right)} > ${Math.round(edge)}`,
      );
    }
    return { scroll: pane.scrollWidth, client: pane.clientWidth, wide: wide.slice(0, 5) };
  });
}

type AxeViolation = { id: string; impact: string | null; help: string; nodes: { target: string[] }[] };

/**
 * axe-core over the pane: the serious and critical violations, with the elements they were found on. Left out: the
 * focus-trap sentinels Fluent's keyboard library (tabster) puts around its groups, `<i tabindex="0" aria-hidden>`
 * marked data-tabster-dummy, which hand focus on as soon as they get it: not our code, and no stop for a user.
 */
async function axeViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => "axe" in window))) await page.addScriptTag({ content: AXE });
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: AxeViolation[] }> } }
    ).axe;
    const result = await axe.run(
      { include: [['[data-testid="pane"]']], exclude: [["[data-tabster-dummy]"]] },
      { resultTypes: ["violations"] },
    );
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target })),
    }));
  });
  return violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map(
      (v) =>
        `${v.impact} ${v.id} (${v.help}): ${v.nodes
          .slice(0, 3)
          .map((n) => n.target.join(" "))
          .join(", ")}`,
    );
}

async function paneAlert(page: Page): Promise<string | null> {
  const alert = page.getByTestId("pane").getByRole("alert");
  return (await alert.count()) === 0 ? null : alert.first().innerText();
}

async function waitFor(page: Page, target: ReturnType<Page["getByRole"]>, what: string, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await target.first().isVisible()) return;
    const error = await paneAlert(page);
    if (error) throw new Error(`${what} failed in the pane: ${error}`);
    await page.waitForTimeout(100);
  }
  // What the pane showed when time ran out (a spinner, a progress line, a stale step) says where it stopped.
  const shown = await page
    .getByTestId("pane")
    .innerText()
    .catch((e: unknown) => `(unreadable: ${String(e)})`);
  throw new Error(`${what}: timed out after ${ms} ms; the pane showed:\n${shown.slice(0, 2000)}`);
}

const availability = browserAvailability();

(availability.run ? describe : describe.skip)("the task pane at Excel's widths, in a real browser", () => {
  let context: BrowserContext;
  let baseUrl = "";
  let closeAll: () => Promise<void> = async () => undefined;
  const problems: string[] = [];

  beforeAll(async () => {
    if (!availability.run) return;
    mkdirSync(OUT, { recursive: true });
    const started = await startWorkbench(availability.path, { width: 1280, height: 1800 });
    ({ context, baseUrl, close: closeAll } = started);
  }, 300_000);

  afterAll(async () => {
    await closeAll();
  });

  async function open(lang: Lang, width: number): Promise<Page> {
    const page = await context.newPage();
    page.on("pageerror", (e) => problems.push(`${lang} ${width}: page error: ${e.message}`));
    page.on("console", (m) => {
      if (m.type() === "error") problems.push(`${lang} ${width}: console error: ${m.text()}`);
    });
    await page.goto(`${baseUrl}workbench.html?lang=${lang}&paneWidth=${width}`);
    await waitFor(page, page.getByRole("button", { name: ui(lang, "plan.structure") }), "preview");
    return page;
  }

  for (const lang of ["zh-CN", "en-US"] as const)
    for (const width of [320, 450]) {
      it(`${lang} at ${width} px: every tab fits the pane and passes axe`, async () => {
        const page = await open(lang, width);
        const pane = page.getByTestId("pane");
        expect(await pane.evaluate((el) => Math.round(el.getBoundingClientRect().width))).toBe(width);
        expect(await page.evaluate(() => document.documentElement.lang)).toBe(lang);
        const failures: string[] = [];
        const look = async (stepName: string) => {
          // Measured at rest: the pointer off the pane and Fluent's colour transitions (up to 200 ms) finished; axe
          // once sampled a button mid-transition from its pressed colour.
          await page.mouse.move(0, 0);
          await page.waitForTimeout(400);
          const o = await overflow(page);
          if (o.scroll > o.client || o.wide.length > 0)
            failures.push(`${stepName}: scrollWidth ${o.scroll} > ${o.client}; ${o.wide.join("; ")}`);
          for (const v of await axeViolations(page)) failures.push(`${stepName}: ${v}`);
          if (width === 320) await pane.screenshot({ path: join(OUT, `pane-${width}-${lang}-${stepName}.png`) });
        };
        const tab = (key: string, n?: number) =>
          page.getByTestId("pane").getByRole("tab", { name: ui(lang, key, n === undefined ? {} : { n }) });

        await look("1-plan");
        // Keyboard focus on an input shows a full outline, not only Fluent's underline.
        await pane.getByRole("textbox", { name: new RegExp(ui(lang, "plan.period").replace(/[()]/g, "\\$&")) }).focus();
        const outline = await page.evaluate(() => {
          const wrapper = document.activeElement?.closest(".fui-Input");
          return wrapper ? getComputedStyle(wrapper).outlineStyle : "none";
        });
        expect(outline).toBe("solid");

        // Opening Check runs the check when the plan has not been checked yet.
        await tab("tab.check", 2).click();
        await waitFor(page, pane.getByRole("button", { name: ui(lang, "check.recheck") }), "check");
        await look("2-check");

        await tab("tab.summary", 3).click();
        await pane.getByRole("button", { name: ui(lang, "summary.generate") }).click();
        await waitFor(page, pane.getByRole("button", { name: ui(lang, "summary.regenerate") }), "summary");
        await look("3-summary");

        await tab("tab.import").click();
        await pane.getByRole("textbox", { name: ui(lang, "import.text") }).fill(WRITTEN[lang]);
        await pane.getByRole("button", { name: ui(lang, "import.parse") }).click();
        const rows = pane.getByRole("table", { name: ui(lang, "import.rows") });
        await rows.waitFor();
        expect(await rows.getByRole("row").count()).toBe(4);
        await look("4-import");
        // The activity of a parsed row gets most of the pane's width, not a sliver beside the month.
        const activityWidth = await rows
          .getByText(lang === "zh-CN" ? "开展科普进社区宣传活动" : "Run 2 science workshops", { exact: false })
          .first()
          .evaluate((el) => el.getBoundingClientRect().width);
        expect(activityWidth).toBeGreaterThan(width * 0.5);

        // Collect: a template and three returns collected, with the per-file report shown.
        await tab("tab.collect").click();
        await pane.getByRole("button", { name: ui(lang, "collect.template.button") }).click();
        await pane.getByLabel(ui(lang, "collect.returns.files")).setInputFiles(RETURNS);
        await pane.getByRole("button", { name: ui(lang, "collect.returns.button", { n: RETURNS.length }) }).click();
        await waitFor(page, pane.getByRole("list", { name: ui(lang, "collect.returns.sources") }), "collect returns");
        await look("5-collect");

        expect(failures).toEqual([]);
        await page.close();
      }, 240_000);
    }

  it("structures and summarises a 5,000-row ledger, reporting its long tasks and the progress lines it showed", async () => {
    const dir = mkdtempSync(join(tmpdir(), "plan-ledger-5k-"));
    try {
      const file = join(dir, "5000行台账.xlsx");
      writeFileSync(file, await exportXlsx(workbookModel(bigLedger(5000))));
      const page = await open("zh-CN", 360);
      await page.getByTestId("open-xlsx").setInputFiles(file);
      // The sample's pane has a Structure button too: wait for the workbench to say the file is open (and the pane be
      // the new workbook's) first. On a loaded machine the click landed on the sample's pane, which the opened
      // workbook then replaced, and no preview ever came.
      await page.getByText(format(wbZh, "status.opened", { name: "5000行台账.xlsx" })).waitFor({ timeout: 120_000 });
      await waitFor(
        page,
        page.getByRole("button", { name: ui("zh-CN", "plan.structure") }),
        "preview of 5,000 rows",
        120_000,
      );
      // Long tasks (PerformanceObserver "longtask", over 50 ms) and each progress line the pane showed, with its time.
      await page.evaluate(() => {
        const w = window as unknown as { __longTasks: [number, number][]; __steps: [number, string][] };
        w.__longTasks = [];
        w.__steps = [];
        new PerformanceObserver((list) => {
          for (const e of list.getEntries()) w.__longTasks.push([e.startTime, e.duration]);
        }).observe({ type: "longtask" });
        const pane = document.querySelector('[data-testid="pane"]') as HTMLElement;
        new MutationObserver(() => {
          const text = pane.querySelector('[role="status"]')?.textContent ?? "";
          if (text !== "" && w.__steps[w.__steps.length - 1]?.[1] !== text) w.__steps.push([performance.now(), text]);
        }).observe(pane, { subtree: true, childList: true, characterData: true });
      });
      const now = () => page.evaluate(() => performance.now());
      const t0 = await now();
      const started = Date.now();
      await page.getByRole("button", { name: ui("zh-CN", "plan.structure") }).click();
      // Structure first shows what it will change (read-only work, timed too), then writes on confirmation.
      const confirm = page.getByRole("button", { name: ui("zh-CN", "preview.confirm") });
      await waitFor(page, confirm, "preview of the changes to 5,000 rows", 180_000);
      await confirm.click();
      await waitFor(
        page,
        page.getByRole("button", { name: ui("zh-CN", "check.recheck") }),
        "structure of 5,000 rows",
        180_000,
      );
      const structureWall = Date.now() - started;
      const t1 = await now();
      await page
        .getByTestId("pane")
        .getByRole("tab", { name: ui("zh-CN", "tab.summary", { n: 3 }) })
        .click();
      await page.getByRole("button", { name: ui("zh-CN", "summary.generate") }).click();
      await waitFor(
        page,
        page.getByRole("button", { name: ui("zh-CN", "summary.regenerate") }),
        "summary of 5,000 rows",
        180_000,
      );
      const summaryWall = Date.now() - started - structureWall;
      const { tasks, steps } = await page.evaluate(() => {
        const w = window as unknown as { __longTasks: [number, number][]; __steps: [number, string][] };
        return { tasks: w.__longTasks, steps: w.__steps };
      });
      const report = (from: number, to: number) => {
        const d = tasks.filter(([s]) => s >= from && s < to).map(([, ms]) => ms);
        return {
          longTasks: d.length,
          longest: Math.round(Math.max(0, ...d)),
          over200: d.filter((x) => x > 200).length,
        };
      };
      const structure = { wall: structureWall, ...report(t0, t1) };
      const summary = { wall: summaryWall, ...report(t1, Infinity) };
      const shown = steps.map(([t, text]) => `${Math.round(t - t0)} ms ${text}`);
      console.log(
        `5,000 rows in the workbench — Structure: ${structure.wall} ms wall, ${structure.longTasks} long tasks, longest ` +
          `${structure.longest} ms, ${structure.over200} over 200 ms; Summary: ${summary.wall} ms wall, ` +
          `${summary.longTasks} long tasks, longest ${summary.longest} ms, ${summary.over200} over 200 ms; progress ` +
          `lines: ${shown.join(" | ")}`,
      );
      writeFileSync(
        join(OUT, "longtasks-5000.json"),
        JSON.stringify(
          { structure, summary, progress: shown, tasks: tasks.map(([s, d]) => [Math.round(s - t0), d]) },
          null,
          1,
        ),
      );
      await page.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 600_000);

  it("raised no page or console errors", () => {
    expect(problems).toEqual([]);
  });
});
