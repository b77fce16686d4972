/**
 * Benchmark worker, compiled by scripts/bench.js (tsc -p scripts/bench/tsconfig.json → .tmp/bench/build) and run as
 * `node …/worker.js <task> [args]`, one child process per task so sizes do not share a heap. Prints one JSON line.
 *
 * Tasks:
 *   ops <rows> <runs>        structurePlan, checkPlan, generateSummary through the offline host in "web" mode
 *   core <rows> <runs>       detection + period + normalisation (extractPlan) + summary model, pure core
 *   xlsx <rows> <file> [app] writes the unstructured plan workbook (our exporter) for the CLI and ExcelJS runs; with
 *                            app, the extended properties a program of that name writes on saving ("Microsoft Excel")
 *   pipeline <in> <out>      the CLI's work in-process, by stage: import → structure → summarize → recalc → export
 *   exceljs <in> <out>       ExcelJS merely loading and saving the workbook
 *   bare <in> <out>          the workbook with every formula replaced by its cached value (LibreOffice's baseline)
 *   collect <files> <rows>   Collect returns: <files> returned workbooks of <rows> items into an empty workbook, then
 *                            one of them again, then all of them again
 */
import { readFileSync, writeFileSync } from "node:fs";
import { strFromU8, strToU8, unzipSync, zipSync } from "fflate";
import { detectHeader } from "../../src/core/header";
import { inferPeriod } from "../../src/core/period";
import { extractPlan } from "../../src/core/plan";
import { summarize } from "../../src/core/summary";
import type { Grid } from "../../src/core/types";
import { createOfflineOperations } from "../../src/hosting/offline";
import { OfflineHost, clearFormula, createWorkbookModel, hasFormula, sheetFromGrid } from "../../src/offline";
import type { WorkbookModel } from "../../src/offline";
import { exportXlsx, importXlsx } from "../../src/offline/xlsx";
import { nodeZipCodec } from "../../src/cli/codec";
import type { ReturnFile } from "../../src/excel/operations";
import { AS_OF, PLAN_SHEET, benchPlan } from "./plan";

type OpSample = {
  ms: number;
  cpuMs: number;
  syncs: number;
  maxRequestBytes: number;
  /** Largest response the host delivered (a response over 5 MiB is rejected, and the operation retries in blocks). */
  maxResponseBytes: number;
  /** Syncs the host rejected for their size (RequestPayloadSizeLimitExceeded / ResponsePayloadSizeLimitExceeded). */
  rejected: number;
  rejectedResponseBytes: number;
  requests: number[];
  responses: number[];
};

const now = () => AS_OF;

function cpuMs(since: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1000;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function round(x: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

function planModel(rows: number): WorkbookModel {
  const plan = benchPlan(rows);
  const model = createWorkbookModel([]);
  const sheet = sheetFromGrid(model, PLAN_SHEET, plan.grid);
  for (const m of plan.merges)
    sheet.merges.push({ r0: m.row, c0: m.col, r1: m.row + m.rowCount - 1, c1: m.col + m.colCount - 1 });
  model.activeSheet = 0;
  return model;
}

async function measure(host: OfflineHost, op: () => Promise<unknown>): Promise<OpSample> {
  host.resetStats();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await op();
  const ms = performance.now() - t0;
  const s = host.stats;
  return {
    ms,
    cpuMs: cpuMs(c0),
    syncs: s.syncs,
    maxRequestBytes: s.maxRequestBytes,
    // The host's maxResponseBytes also counts responses it rejected; the delivered ones are listed apart.
    maxResponseBytes: Math.max(0, ...s.responses),
    rejected: s.rejectedSyncs,
    rejectedResponseBytes: s.maxRejectedResponseBytes,
    requests: [...s.requests],
    responses: [...s.responses],
  };
}

async function ops(rows: number, runs: number) {
  const samples: Record<"structure" | "check" | "summary", OpSample[]> = { structure: [], check: [], summary: [] };
  let planRows = 0;
  for (let i = 0; i < runs; i++) {
    const model = planModel(rows);
    const host = new OfflineHost(model, { mode: "web", now });
    const o = createOfflineOperations(host, { now });
    samples.structure.push(
      await measure(host, async () => {
        planRows = (await o.structure({ lang: "zh-CN" })).rows;
      }),
    );
    samples.check.push(await measure(host, () => o.check({})));
    samples.summary.push(await measure(host, () => o.summarize({ lang: "zh-CN", asOf: AS_OF })));
  }
  const out: Record<string, unknown> = { rows, planRows, runs };
  for (const [name, list] of Object.entries(samples)) {
    const last = list[list.length - 1];
    out[name] = {
      ms: round(median(list.map((s) => s.ms))),
      cpuMs: round(median(list.map((s) => s.cpuMs))),
      all: list.map((s) => round(s.ms)),
      syncs: Math.max(...list.map((s) => s.syncs)),
      maxRequestBytes: Math.max(...list.map((s) => s.maxRequestBytes)),
      maxResponseBytes: Math.max(...list.map((s) => s.maxResponseBytes)),
      rejected: Math.max(...list.map((s) => s.rejected)),
      rejectedResponseBytes: Math.max(...list.map((s) => s.rejectedResponseBytes)),
      requests: last.requests,
      responses: last.responses,
    };
  }
  return out;
}

/** The plan's values as range.values returns them: the 合计 formulas read back as numbers. */
function valuesGrid(rows: number): Grid {
  const g = benchPlan(rows).grid;
  return g.map((r) => r.map((v) => (typeof v === "string" && v.startsWith("=") ? 0 : v))) as Grid;
}

function core(rows: number, runs: number) {
  const plan = benchPlan(rows);
  const grid = valuesGrid(rows);
  const stage = { detect: [] as number[], period: [] as number[], extract: [] as number[], summarize: [] as number[] };
  const totals: number[] = [];
  const cpu: number[] = [];
  let planRows = 0;
  let findings = 0;
  // The first run warms the JIT and is not counted; runs then alternate with nothing else in the process.
  for (let i = 0; i <= runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const det = detectHeader(grid, plan.merges);
    const t1 = performance.now();
    const monthCol = det.mapping.month as number;
    const period = inferPeriod({
      sheetName: PLAN_SHEET,
      titleTexts: grid
        .slice(0, det.headerRow)
        .flat()
        .filter((v): v is string => typeof v === "string" && v !== ""),
      monthCells: grid.slice(det.headerRow + 1).map((r) => r[monthCol]),
      today: AS_OF,
    }).period;
    const t2 = performance.now();
    const ex = extractPlan(grid, det, { period, merges: plan.merges });
    const t3 = performance.now();
    const model = summarize(ex.rows, period, AS_OF);
    const t4 = performance.now();
    const c = cpuMs(c0);
    if (model.activities !== ex.rows.length) throw new Error("summary lost rows");
    planRows = ex.rows.length;
    findings = ex.findings.length;
    if (i === 0) continue;
    stage.detect.push(t1 - t0);
    stage.period.push(t2 - t1);
    stage.extract.push(t3 - t2);
    stage.summarize.push(t4 - t3);
    totals.push(t4 - t0);
    cpu.push(c);
  }
  const ms = median(totals);
  return {
    rows,
    planRows,
    findings,
    runs,
    ms: round(ms),
    min: round(Math.min(...totals)),
    all: totals.map((t) => round(t)),
    cpuMs: round(median(cpu)),
    rowsPerSec: Math.round(rows / (ms / 1000)),
    stages: Object.fromEntries(Object.entries(stage).map(([k, v]) => [k, round(median(v))])),
  };
}

async function xlsx(rows: number, file: string, creator?: string) {
  const model = planModel(rows);
  new OfflineHost(model, { now }).recalculate();
  // As Excel, WPS and LibreOffice save a workbook (every cell names itself): the files users bring.
  let bytes = await exportXlsx(model, { everyCellRef: true });
  if (creator) bytes = withExtendedProperties(bytes, creator);
  writeFileSync(file, bytes);
  return { rows, file, bytes: bytes.length, creator: creator ?? null };
}

/**
 * The package with the extended properties a spreadsheet program writes on saving (docProps/app.xml: the program,
 * the sheet list). Excel, WPS and LibreOffice all write this part; our exporter does not make one up.
 */
function withExtendedProperties(bytes: Uint8Array, application: string): Uint8Array {
  const files = unzipSync(bytes);
  const text = (name: string) => strFromU8(files[name]);
  const sheets = [...text("xl/workbook.xml").matchAll(/<sheet [^>]*name="([^"]*)"/g)].map((m) => m[1]);
  files["docProps/app.xml"] = strToU8(
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
      '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" ' +
      'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">' +
      `<Application>${application}</Application><DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop>` +
      '<HeadingPairs><vt:vector size="2" baseType="variant"><vt:variant><vt:lpstr>工作表</vt:lpstr></vt:variant>' +
      `<vt:variant><vt:i4>${sheets.length}</vt:i4></vt:variant></vt:vector></HeadingPairs>` +
      `<TitlesOfParts><vt:vector size="${sheets.length}" baseType="lpstr">` +
      sheets.map((n) => `<vt:lpstr>${n}</vt:lpstr>`).join("") +
      "</vt:vector></TitlesOfParts><Company></Company><LinksUpToDate>false</LinksUpToDate>" +
      "<SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged><AppVersion>16.0300</AppVersion></Properties>",
  );
  files["_rels/.rels"] = strToU8(
    text("_rels/.rels").replace(
      "</Relationships>",
      '<Relationship Id="rIdApp" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/></Relationships>',
    ),
  );
  files["[Content_Types].xml"] = strToU8(
    text("[Content_Types].xml").replace(
      "</Types>",
      '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>',
    ),
  );
  return zipSync(files, { level: 6 });
}

async function pipeline(input: string, output: string) {
  const t: Record<string, number> = {};
  let t0 = performance.now();
  const lap = (name: string) => {
    const t1 = performance.now();
    t[name] = round(t1 - t0);
    t0 = t1;
  };
  const bytes = readFileSync(input);
  lap("read");
  const model = await importXlsx(bytes, { lang: "zh-CN" });
  lap("import");
  const host = new OfflineHost(model, { mode: "web", now });
  const o = createOfflineOperations(host, { now });
  host.resetStats();
  await o.structure({ lang: "zh-CN" });
  lap("structure");
  await o.summarize({ lang: "zh-CN", asOf: AS_OF });
  lap("summarize");
  const syncs = host.stats.syncs;
  host.recalculate();
  lap("recalculate");
  const out = await exportXlsx(model, { codec: nodeZipCodec });
  lap("export");
  writeFileSync(output, out);
  lap("write");
  const ms = round(Object.values(t).reduce((a, b) => a + b, 0));
  return { ms, stages: t, syncs, formulas: host.calcStats.formulas };
}

async function exceljs(input: string, output: string) {
  // Loaded lazily so the other tasks do not pay for it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ExcelJS = require("exceljs") as typeof import("exceljs");
  const t0 = performance.now();
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(input);
  const t1 = performance.now();
  await wb.xlsx.writeFile(output);
  const t2 = performance.now();
  return { ms: round(t2 - t0), load: round(t1 - t0), save: round(t2 - t1) };
}

/** The same workbook without formulas: what LibreOffice's open time of our output is compared with. */
async function bare(input: string, output: string) {
  const model = await importXlsx(readFileSync(input), { lang: "zh-CN" });
  let formulas = 0;
  for (const sheet of model.sheets) {
    for (const row of sheet.rows.values()) {
      for (const cell of row.values()) {
        if (!hasFormula(cell)) continue;
        clearFormula(cell);
        formulas++;
      }
    }
    for (const t of sheet.tables) delete t.columnFormulas;
  }
  const out = await exportXlsx(model, { codec: nodeZipCodec });
  writeFileSync(output, out);
  return { formulas, bytes: out.length };
}

/**
 * Collect returns as the pane runs it: every return is the benchmark plan written as .xlsx by our exporter (one per
 * department, 部门01.xlsx …), read in memory by our reader (fflate, as in the browser) and collected into one workbook
 * through the offline host in "web" mode. Syncs are those of the open workbook (Excel's round trips); reading a
 * return is in-memory work with no round trip to Excel. Three runs: the first collection, one department again
 * (1 × <rows> replaced), and every department again (all replaced).
 */
async function collect(files: number, rows: number) {
  const plan = benchPlan(rows);
  const returns: ReturnFile[] = [];
  for (let d = 1; d <= files; d++) {
    const model = createWorkbookModel([]);
    const sheet = sheetFromGrid(model, PLAN_SHEET, plan.grid);
    for (const m of plan.merges)
      sheet.merges.push({ r0: m.row, c0: m.col, r1: m.row + m.rowCount - 1, c1: m.col + m.colCount - 1 });
    model.activeSheet = 0;
    returns.push({
      name: `部门${String(d).padStart(2, "0")}.xlsx`,
      bytes: await exportXlsx(model, { codec: nodeZipCodec }),
    });
  }
  const host = new OfflineHost(createWorkbookModel(["说明"]), { mode: "web", now });
  const o = createOfflineOperations(host, { now });
  const run = async (list: typeof returns) => {
    let result: Awaited<ReturnType<typeof o.collectReturns>> | undefined;
    const sample = await measure(host, async () => {
      result = await o.collectReturns({ lang: "zh-CN", files: list });
    });
    if (!result || result.failed.length) throw new Error(`collect failed: ${JSON.stringify(result?.failed)}`);
    return {
      ms: round(sample.ms),
      cpuMs: round(sample.cpuMs),
      syncs: sample.syncs,
      maxRequestBytes: sample.maxRequestBytes,
      maxResponseBytes: sample.maxResponseBytes,
      rejected: sample.rejected,
      added: result.added,
      replaced: result.replaced,
      planRows: result.rows,
      findings: result.sources.reduce((n, x) => n + x.findings.length, 0),
    };
  };
  const first = await run(returns);
  const one = await run(returns.slice(0, 1));
  const all = await run(returns);
  return { files, rows, returnBytes: returns[0].bytes.length, first, one, all };
}

async function main(argv: string[]): Promise<unknown> {
  const [task, a, b, c] = argv;
  switch (task) {
    case "ops":
      return ops(Number(a), Number(b));
    case "core":
      return core(Number(a), Number(b));
    case "xlsx":
      return xlsx(Number(a), b, c);
    case "pipeline":
      return pipeline(a, b);
    case "exceljs":
      return exceljs(a, b);
    case "bare":
      return bare(a, b);
    case "collect":
      return collect(Number(a), Number(b));
    default:
      throw new Error(`unknown task ${task}`);
  }
}

main(process.argv.slice(2)).then(
  (r) => process.stdout.write(JSON.stringify(r) + "\n"),
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 1;
  },
);
