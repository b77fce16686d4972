#!/usr/bin/env node
/*
 * npm run bench — Plan Ledger's benchmarks (issue 8), written to BENCHMARKS.md and compared with the previous run there.
 *
 *   npm run bench                      everything (~3–4 min on the 2-core CI machine)
 *   npm run bench -- --skip-bundle     without the production webpack build
 *   npm run bench -- --skip-cli        without the 50k/100k-row CLI / ExcelJS / in-process runs
 *   npm run bench -- --skip-libreoffice  without opening our output in LibreOffice (10k and 50k rows)
 *   npm run bench -- --no-write        print the results, leave BENCHMARKS.md alone
 *   npm run bench -- --report-only     rewrite BENCHMARKS.md from the last run's .tmp/bench/results.json
 *   npm run bench -- --skip-collect    without Collect returns (20 returns of 1,000 rows)
 *   npm run bench -- --collect-only    only Collect returns: its section and data in BENCHMARKS.md are replaced, the
 *                                      rest of the file (and the run it describes) left as it was
 *
 * How it runs: the measuring code is TypeScript in scripts/bench/ (worker.ts, plan.ts) compiled with the project's own
 * TypeScript (`tsc -p scripts/bench/tsconfig.json`, CommonJS) into .tmp/bench/build — no ts-node, no bundler; the
 * build is skipped when nothing under src/ or scripts/bench/ changed since. Each measurement runs in its own child
 * process (`node .tmp/bench/build/scripts/bench/worker.js <task>`) so sizes do not share a heap or a warmed JIT with
 * each other. The CLI and ExcelJS runs are timed as whole processes (spawn to exit, as a user waits for them), with
 * scripts/bench/cpu-preload.js reporting their CPU time. The bundle is a production webpack build of the task pane
 * into .tmp/bench/webpack (dist/ is not touched), measured per chunk with gzip (zlib default level 6).
 */
"use strict";
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const zlib = require("node:zlib");
const { spawnSync } = require("node:child_process");
const { pathToFileURL } = require("node:url");

const root = path.join(__dirname, "..");
const TMP = path.join(root, ".tmp", "bench");
const BUILD = path.join(TMP, "build");
const STAMP = path.join(BUILD, ".built");
const WORKER = path.join(BUILD, "scripts", "bench", "worker.js");
const FILES = path.join(TMP, "files");
const PRELOAD = path.join(__dirname, "bench", "cpu-preload.js");
const OUT_MD = path.join(root, "BENCHMARKS.md");
const CLI_BIN = path.join(root, "bin", "plan-ledger.js");

/** Plan sizes for the Excel operations, and how many runs each (the median is reported). */
const OP_SIZES = [
  { rows: 1000, runs: 3 },
  { rows: 10000, runs: 3 },
  { rows: 50000, runs: 3 },
];
const CORE_ROWS = 100000;
const CORE_RUNS = 7;
const CLI_ROWS = 50000;
/** The CLI against ExcelJS once more at this size, for the memory target (issue 18: ≤ 800 MB). */
const CLI_BIG_ROWS = 100000;
/** Plan sizes opened in LibreOffice, and how many runs each (bare data and ours alternate; the median is reported). */
const LO_SIZES = [
  { rows: 10000, runs: 2 },
  { rows: 50000, runs: 2 },
];
const AS_OF = "2025-10-15";
/** The program the bench's input says created it, as in a workbook saved by Excel (docProps/app.xml Application). */
const CREATOR = "Microsoft Excel";
/** A change is flagged as a regression when it is this much worse than the previous run. */
const REGRESSION = 0.2;
const MIB = 1024 * 1024;

const argv = new Set(process.argv.slice(2));
if (argv.has("--help") || argv.has("-h")) {
  process.stdout.write(fs.readFileSync(__filename, "utf8").split("\n").slice(2, 10).join("\n") + "\n");
  process.exit(0);
}
const opts = {
  bundle: !argv.has("--skip-bundle"),
  cli: !argv.has("--skip-cli"),
  libreoffice: !argv.has("--skip-libreoffice"),
  write: !argv.has("--no-write"),
  reportOnly: argv.has("--report-only"),
  collect: !argv.has("--skip-collect"),
  collectOnly: argv.has("--collect-only"),
};
/** Collect returns: how many department returns, of how many items each (issue 17 §4). */
const COLLECT = { files: 20, rows: 1000 };
const RESULTS = path.join(TMP, "results.json");

const started = Date.now();
function log(msg) {
  const s = ((Date.now() - started) / 1000).toFixed(0).padStart(4);
  process.stderr.write(`[bench ${s}s] ${msg}\n`);
}

// ---------------------------------------------------------------------------------------------------------------------
// Build and processes

function newestMtime(dirs) {
  let newest = 0;
  const visit = (p) => {
    const st = fs.statSync(p);
    if (st.isDirectory()) {
      for (const name of fs.readdirSync(p)) visit(path.join(p, name));
    } else if (/\.(ts|tsx|json)$/.test(p)) newest = Math.max(newest, st.mtimeMs);
  };
  for (const d of dirs) if (fs.existsSync(d)) visit(d);
  return newest;
}

/** Compiles scripts/bench/*.ts and the src/ modules they import, unless the build is newer than every source. */
function compile() {
  const sources = newestMtime([
    path.join(root, "src"),
    path.join(root, "scripts", "bench"),
    path.join(root, "tsconfig.json"),
  ]);
  if (fs.existsSync(STAMP) && fs.existsSync(WORKER) && fs.statSync(STAMP).mtimeMs > sources) {
    log("bench build is up to date");
    return;
  }
  log("compiling scripts/bench with tsc …");
  const t0 = Date.now();
  const tsc = require.resolve("typescript/bin/tsc", { paths: [root] });
  const r = spawnSync(process.execPath, [tsc, "-p", path.join(__dirname, "bench", "tsconfig.json")], {
    cwd: root,
    encoding: "utf8",
  });
  if (r.status !== 0) {
    // tsc still emits on type errors; others may be mid-edit in src/, so run what was emitted and say so.
    process.stderr.write(r.stdout + r.stderr);
    if (!fs.existsSync(WORKER)) throw new Error("tsc -p scripts/bench/tsconfig.json failed");
    log("WARNING: type errors above; running the JavaScript tsc emitted anyway");
  }
  fs.writeFileSync(STAMP, "");
  fs.utimesSync(STAMP, new Date(t0), new Date(t0));
}

/** Runs one worker task in a fresh process; returns its JSON. */
function worker(task, ...args) {
  const r = spawnSync(process.execPath, [WORKER, task, ...args.map(String)], {
    cwd: root,
    encoding: "utf8",
    maxBuffer: 64 * MIB,
  });
  if (r.status !== 0)
    throw new Error(`worker ${task} ${args.join(" ")} failed (${r.status ?? r.signal}):\n${r.stderr}`);
  const lines = r.stdout.trim().split("\n");
  return JSON.parse(lines[lines.length - 1]);
}

/** Runs a node script as a whole process, timed from spawn to exit, with its CPU time and peak memory. */
function timedNode(args, opts2 = {}) {
  const cpuFile = path.join(TMP, `cpu-${process.pid}-${Date.now()}.json`);
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ["--require", PRELOAD, ...args], {
    cwd: root,
    encoding: "utf8",
    maxBuffer: 256 * MIB,
    env: { ...process.env, PLAN_LEDGER_BENCH_CPU: cpuFile, ...opts2.env },
  });
  const wallMs = performance.now() - t0;
  let cpu = { cpuMs: NaN, maxRssKB: NaN };
  if (fs.existsSync(cpuFile)) {
    cpu = JSON.parse(fs.readFileSync(cpuFile, "utf8"));
    fs.rmSync(cpuFile);
  }
  return { wallMs, ...cpu, status: r.status, stdout: r.stdout, stderr: r.stderr };
}

// ---------------------------------------------------------------------------------------------------------------------
// Measurements

function machine() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0] ? cpus[0].model.trim() : "unknown",
    cores: cpus.length,
    memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
  };
}

function git() {
  const run = (...a) => spawnSync("git", a, { cwd: root, encoding: "utf8" });
  const head = run("rev-parse", "--short", "HEAD");
  const dirty = run("--no-optional-locks", "status", "--porcelain"); // read-only: never refreshes the index
  return {
    commit: head.status === 0 ? head.stdout.trim() : "unknown",
    dirty: dirty.status === 0 && dirty.stdout.trim() !== "",
  };
}

function benchOps() {
  const out = [];
  for (const { rows, runs } of OP_SIZES) {
    log(`Excel operations at ${rows} rows (${runs} run${runs > 1 ? "s" : ""}) …`);
    out.push(worker("ops", rows, runs));
  }
  return out;
}

function benchCollect() {
  log(`Collect returns: ${COLLECT.files} returns of ${fmtInt(COLLECT.rows)} rows …`);
  return worker("collect", COLLECT.files, COLLECT.rows);
}

function benchCore() {
  log(`core at ${CORE_ROWS} rows (${CORE_RUNS} runs after a warm-up) …`);
  return worker("core", CORE_ROWS, CORE_RUNS);
}

/**
 * `plan-ledger summarize` on a workbook as a whole process; null when bin/plan-ledger.js is absent. `extra`: more
 * arguments (--no-original).
 */
function runCli(rows, input, output, extra = [], asOf = AS_OF) {
  if (!fs.existsSync(CLI_BIN)) return null;
  // The bin script compiles the CLI when its build is stale; do that outside the timed run.
  log("plan-ledger: making sure the CLI is built …");
  const warm = spawnSync(process.execPath, [CLI_BIN, "--help"], { cwd: root, encoding: "utf8" });
  if (warm.status !== 0) throw new Error(`plan-ledger --help failed:\n${warm.stderr}`);
  const cliArgs = [CLI_BIN, "summarize", input, "--out", output];
  cliArgs.push("--force", "--json", ...(asOf ? ["--as-of", asOf] : []), "--lang", "zh-CN", ...extra);
  let run;
  for (let attempt = 0; attempt < 2; attempt++) {
    log(`plan-ledger summarize on ${rows} rows …`);
    run = timedNode(cliArgs);
    if (run.status !== 0) throw new Error(`plan-ledger summarize failed (${run.status}):\n${run.stderr}`);
    // Someone changed src/ meanwhile and the bin script rebuilt inside the timed run: time it again.
    if (!/building the command line/.test(run.stderr)) break;
  }
  const report = JSON.parse(run.stdout);
  return {
    kind: "cli",
    label: "`plan-ledger summarize` (bin/plan-ledger.js, separate process)",
    wallMs: run.wallMs,
    cpuMs: run.cpuMs,
    maxRssKB: run.maxRssKB,
    syncs: report.stats.syncs,
    maxRequestBytes: report.stats.maxRequestBytes,
    maxResponseBytes: report.stats.maxResponseBytes,
    reportedMs: report.stats.ms,
    planRows: report.rows,
    findings: report.findings.length,
    outputBytes: fs.statSync(output).size,
  };
}

function runExcelJS(rows, input, output) {
  log(`ExcelJS loading and saving the ${rows}-row workbook …`);
  const ej = timedNode([WORKER, "exceljs", input, output]);
  if (ej.status !== 0) throw new Error(`ExcelJS round trip failed:\n${ej.stderr}`);
  const ejIn = JSON.parse(ej.stdout.trim().split("\n").pop());
  return { wallMs: ej.wallMs, cpuMs: ej.cpuMs, maxRssKB: ej.maxRssKB, ...ejIn };
}

/**
 * The generated plan of `rows` rows as .xlsx (our exporter), written once per run, as Excel saves it: every cell with
 * its reference and the extended properties naming Excel (docProps/app.xml). `creator` null: no extended properties.
 */
function planFile(rows, creator = CREATOR) {
  fs.mkdirSync(FILES, { recursive: true });
  const input = path.join(FILES, `plan-${rows / 1000}k${creator ? "" : "-anonymous"}.xlsx`);
  log(`writing the ${rows}-row workbook …`);
  return { input, bytes: worker("xlsx", rows, input, ...(creator ? [creator] : [])).bytes };
}

function benchCli() {
  const { input, bytes } = planFile(CLI_ROWS);
  const result = { rows: CLI_ROWS, inputBytes: bytes };
  const cli = runCli(CLI_ROWS, input, path.join(FILES, `out-${CLI_ROWS / 1000}k.xlsx`));
  if (cli) result.cli = cli;

  log("in-process pipeline (import → structure → summarize → recalculate → export) …");
  const pipe = timedNode([WORKER, "pipeline", input, path.join(FILES, "pipeline-out.xlsx")]);
  if (pipe.status !== 0) throw new Error(`pipeline failed:\n${pipe.stderr}`);
  const stages = JSON.parse(pipe.stdout.trim().split("\n").pop());
  result.pipeline = { wallMs: pipe.wallMs, cpuMs: pipe.cpuMs, maxRssKB: pipe.maxRssKB, ...stages };
  if (!result.cli) {
    result.cli = {
      kind: "pipeline",
      label: "in-process equivalent (bin/plan-ledger.js not present): importXlsx → structure → summarize → export",
      wallMs: pipe.wallMs,
      cpuMs: pipe.cpuMs,
      maxRssKB: pipe.maxRssKB,
      syncs: stages.syncs,
    };
  }

  result.exceljs = runExcelJS(CLI_ROWS, input, path.join(FILES, "exceljs-out.xlsx"));
  result.ratio = result.cli.wallMs / result.exceljs.wallMs;

  // The same comparison at twice the size, for memory: both are whole processes again.
  const big = planFile(CLI_BIG_ROWS);
  const bigCli = runCli(CLI_BIG_ROWS, big.input, path.join(FILES, `out-${CLI_BIG_ROWS / 1000}k.xlsx`));
  if (bigCli) {
    const ej = runExcelJS(CLI_BIG_ROWS, big.input, path.join(FILES, "exceljs-out-big.xlsx"));
    result.big = {
      rows: CLI_BIG_ROWS,
      inputBytes: big.bytes,
      cli: bigCli,
      exceljs: ej,
      ratio: bigCli.wallMs / ej.wallMs,
    };
  }
  return result;
}

// LibreOffice: how heavy our output is for the program many users open it with.

function hasSoffice() {
  return spawnSync("sh", ["-c", "command -v soffice"], { encoding: "utf8" }).status === 0;
}

/**
 * A LibreOffice profile whose recalculation on load of .xlsx files is `mode`: 0 always (cached values ignored), 1
 * never (cached values trusted), per /org.openoffice.Office.Calc/Formula/Load/OOXMLRecalcMode (see ../shared/GUIDE.md).
 * Started once on a tiny file so the profile's first-start cost is not timed.
 */
function loProfile(mode) {
  const dir = path.join(TMP, `lo-profile-${mode}`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.join(dir, "user"), { recursive: true });
  fs.writeFileSync(
    path.join(dir, "user", "registrymodifications.xcu"),
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
      '<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" ' +
      'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
      '<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse">' +
      `<value>${mode}</value></prop></item></oor:items>\n`,
  );
  const profile = pathToFileURL(dir).href;
  const tiny = path.join(FILES, "lo-warm.csv");
  fs.writeFileSync(tiny, "a,1\n");
  openInLibreOffice(tiny, profile, "xlsx");
  return profile;
}

/**
 * Opens a workbook in LibreOffice headless and writes its first sheet as CSV (load, then a small write), timed from
 * spawn to exit; peak memory from GNU time when it is installed.
 */
function openInLibreOffice(file, profile, to = "csv") {
  const outDir = path.join(FILES, "lo-out");
  fs.rmSync(outDir, { recursive: true, force: true });
  const args = [
    `-env:UserInstallation=${profile}`,
    "--headless",
    "--norestore",
    "--convert-to",
    to,
    "--outdir",
    outDir,
  ];
  args.push(file);
  const gnuTime = fs.existsSync("/usr/bin/time");
  const t0 = performance.now();
  const r = gnuTime
    ? spawnSync("/usr/bin/time", ["-f", "maxrss %M", "soffice", ...args], { encoding: "utf8", timeout: 600_000 })
    : spawnSync("soffice", args, { encoding: "utf8", timeout: 600_000 });
  const wallMs = performance.now() - t0;
  const out = path.join(outDir, `${path.basename(file, path.extname(file))}.${to}`);
  if (r.status !== 0 || !fs.existsSync(out)) {
    throw new Error(`LibreOffice did not open ${file} (${r.status ?? r.signal}):\n${r.stderr}`);
  }
  const rss = /maxrss (\d+)/.exec(r.stderr || "");
  return { wallMs, maxRssKB: rss ? Number(rss[1]) : NaN };
}

function benchLibreOffice(cliResult) {
  const modes = { open: loProfile(1), recalc: loProfile(0) };
  const out = [];
  for (const { rows, runs } of LO_SIZES) {
    // The input, our output (plan-ledger summarize) and the same output with every formula replaced by its value.
    const made = rows === CLI_ROWS && cliResult && cliResult.cli.kind === "cli";
    const { input, bytes } = made
      ? { input: path.join(FILES, `plan-${rows / 1000}k.xlsx`), bytes: cliResult.inputBytes }
      : planFile(rows);
    const ours = path.join(FILES, `out-${rows / 1000}k.xlsx`);
    if (!made && !runCli(rows, input, ours)) throw new Error("LibreOffice bench: bin/plan-ledger.js is missing");
    const bare = path.join(FILES, `bare-${rows / 1000}k.xlsx`);
    const b = worker("bare", ours, bare);
    const entry = { rows, runs, inputBytes: bytes, oursBytes: fs.statSync(ours).size, bareBytes: b.bytes };
    // The same summary without the hidden copy kept for Restore (--no-original; the pane's "Remove the kept original"
    // gives the same file): its size only.
    const lean = path.join(FILES, `out-${rows / 1000}k-lean.xlsx`);
    if (runCli(rows, input, lean, ["--no-original"])) entry.leanBytes = fs.statSync(lean).size;
    entry.formulas = b.formulas;
    // Two more of our outputs, opened only: summarised without --as-of (the as-of cell is =TODAY(), volatile, so
    // LibreOffice recomputes the statuses and what reads them on every opening), and from an input whose creator is
    // not named (no docProps/app.xml: LibreOffice then recomputes every formula with a text result on opening).
    const today = path.join(FILES, `out-${rows / 1000}k-today.xlsx`);
    runCli(rows, input, today, [], null);
    const anonymousInput = planFile(rows, null).input;
    const anonymous = path.join(FILES, `out-${rows / 1000}k-anonymous.xlsx`);
    runCli(rows, anonymousInput, anonymous);
    const files = { bare, ours, today, anonymous };
    for (const [mode, profile] of Object.entries(modes)) {
      const kinds = mode === "open" ? ["bare", "ours", "today", "anonymous"] : ["bare", "ours"];
      const samples = Object.fromEntries(kinds.map((k) => [k, []]));
      for (let i = 0; i < runs; i++) {
        // Alternated, so a change in the machine's load falls on all alike.
        for (const which of kinds) {
          log(
            `LibreOffice ${mode === "open" ? "opening" : "recalculating"} ${which} ${rows} rows (${i + 1}/${runs}) …`,
          );
          samples[which].push(openInLibreOffice(files[which], profile));
        }
      }
      const med = (list, k) => median(list.map((x) => x[k]));
      entry[mode] = {
        bare: {
          wallMs: med(samples.bare, "wallMs"),
          maxRssKB: med(samples.bare, "maxRssKB"),
          all: samples.bare.map((x) => Math.round(x.wallMs)),
        },
        ours: {
          wallMs: med(samples.ours, "wallMs"),
          maxRssKB: med(samples.ours, "maxRssKB"),
          all: samples.ours.map((x) => Math.round(x.wallMs)),
        },
      };
      entry[mode].ratio = entry[mode].ours.wallMs / entry[mode].bare.wallMs;
      for (const k of kinds.slice(2)) {
        entry[mode][k] = {
          wallMs: med(samples[k], "wallMs"),
          maxRssKB: med(samples[k], "maxRssKB"),
          all: samples[k].map((x) => Math.round(x.wallMs)),
          ratio: med(samples[k], "wallMs") / entry[mode].bare.wallMs,
        };
      }
    }
    out.push(entry);
  }
  return out;
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function benchBundle() {
  log("production webpack build of the task pane into .tmp/bench/webpack …");
  const outDir = path.join(TMP, "webpack");
  const statsFile = path.join(TMP, "webpack-stats.json");
  const webpack = require.resolve("webpack/bin/webpack.js", { paths: [root] });
  const t0 = Date.now();
  const r = spawnSync(
    process.execPath,
    [webpack, "--mode", "production", "--env", "only=taskpane", "--output-path", outDir, `--json=${statsFile}`],
    { cwd: root, encoding: "utf8", maxBuffer: 64 * MIB },
  );
  if (r.status !== 0) throw new Error(`webpack failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  const stats = JSON.parse(fs.readFileSync(statsFile, "utf8"));
  const entry = stats.entrypoints.taskpane;
  if (!entry) throw new Error("webpack stats have no taskpane entry");
  const initial = new Set(entry.assets.map((a) => (typeof a === "string" ? a : a.name)));
  const onlyTaskpane = Object.keys(stats.entrypoints).length === 1;
  const chunkFiles = [];
  for (const c of stats.chunks) {
    for (const f of c.files) {
      if (!f.endsWith(".js")) continue;
      if (initial.has(f)) chunkFiles.push({ file: f, name: c.names[0] || `chunk ${c.id}`, initial: true });
      else if (onlyTaskpane) chunkFiles.push({ file: f, name: c.names[0] || `chunk ${c.id}`, initial: false });
    }
  }
  const chunks = chunkFiles.map((c) => {
    const buf = fs.readFileSync(path.join(outDir, c.file));
    return { ...c, raw: buf.length, gzip: zlib.gzipSync(buf).length };
  });
  const sum = (list, k) => list.reduce((s, c) => s + c[k], 0);
  const init = chunks.filter((c) => c.initial);
  return {
    buildMs: Date.now() - t0,
    chunks,
    initialRaw: sum(init, "raw"),
    initialGzip: sum(init, "gzip"),
    lazyGzip: sum(
      chunks.filter((c) => !c.initial),
      "gzip",
    ),
  };
}

// ---------------------------------------------------------------------------------------------------------------------
// Targets, comparison and the report

const fmtMs = (ms) =>
  Number.isFinite(ms) ? (ms >= 10000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`) : "–";
const fmtS = (ms) => (Number.isFinite(ms) ? `${(ms / 1000).toFixed(1)} s` : "–");
const fmtKB = (b) => (Number.isFinite(b) ? `${(b / 1024).toFixed(1)} KB` : "–");
const fmtBytes = (b) => {
  if (!Number.isFinite(b)) return "–";
  if (b >= MIB) return `${(b / MIB).toFixed(2)} MiB`;
  if (b >= 1024) return `${(b / 1024).toFixed(0)} KiB`;
  return `${b} B`;
};
const kib = (b) => (b < 10240 ? (b / 1024).toFixed(1) : String(Math.round(b / 1024)));
const fmtInt = (n) => (Number.isFinite(n) ? Math.round(n).toLocaleString("en-US") : "–");
const yes = (ok) => (ok ? "✅ met" : "❌ not met");

function targets(r) {
  const list = [];
  const op = (rows) => r.ops.find((o) => o.rows === rows);
  const upTo10k = r.ops.filter((o) => o.rows <= 10000);
  if (r.core) {
    list.push({
      target: `Core: detection + normalisation + summary of ${fmtInt(CORE_ROWS)} rows < 300 ms`,
      measured: `${fmtMs(r.core.ms)} median of ${r.core.runs} (min ${fmtMs(r.core.min)}; ${fmtInt(r.core.rowsPerSec)} rows/s)`,
      met: r.core.ms < 300,
    });
  }
  const syncTarget = (name, label, max) => {
    list.push({
      target: `${label} ≤ ${max} sync${max > 1 ? "s" : ""} up to 10k rows`,
      measured: upTo10k.map((o) => `${o.rows / 1000}k: ${o[name].syncs}`).join(", "),
      met: upTo10k.every((o) => o[name].syncs <= max),
    });
  };
  syncTarget("structure", "structurePlan", 3);
  // Two since issue 13: values first, then the formulas and number formats of the columns structuring may write (a
  // user's 合计 whose value would change, a percent-formatted target), which only the header found in the first says.
  syncTarget("check", "checkPlan", 2);
  syncTarget("summary", "generateSummary", 4);
  const big = op(50000);
  if (big) {
    list.push({
      target: "generateSummary of 50k rows < 2 s (offline host, web mode)",
      measured: `${fmtMs(big.summary.ms)} (${big.summary.syncs} syncs)`,
      met: big.summary.ms < 2000,
    });
    const worst = Math.max(...r.ops.flatMap((o) => ["structure", "check", "summary"].map((k) => o[k].maxRequestBytes)));
    list.push({
      target: "Every request under Excel on the web's 5 MB (largest estimate)",
      measured: fmtBytes(worst),
      met: worst <= 5 * MIB,
    });
  }
  if (r.cli) {
    const c = r.cli.cli;
    const what = c.kind === "cli" ? "CLI `summarize`" : "In-process pipeline (no CLI yet)";
    list.push({
      target: "CLI `summarize` on 50k rows < 10 s",
      measured: `${fmtS(c.wallMs)} (${what})`,
      met: c.wallMs < 10000,
    });
    list.push({
      target: "CLI syncs ≤ 8 for structure + summary (50k rows)",
      measured: `${c.syncs}${c.kind === "cli" ? " (stats.syncs: preview + structure + summary)" : ""}`,
      met: c.syncs <= 8,
    });
    list.push({
      target: "CLI ÷ ExcelJS load + save ≤ 2×",
      measured: `${r.cli.ratio.toFixed(2)}× (${fmtS(c.wallMs)} ÷ ${fmtS(r.cli.exceljs.wallMs)})`,
      met: r.cli.ratio <= 2,
    });
  }
  if (r.cli && r.cli.cli.kind === "cli") {
    const c = r.cli.cli;
    list.push({
      target: "`summarize` ≤ 1.0× ExcelJS load + save and ≤ 400 MB (50k rows)",
      measured: `${r.cli.ratio.toFixed(2)}×, ${fmtInt(c.maxRssKB / 1024)} MiB (ExcelJS ${fmtInt(r.cli.exceljs.maxRssKB / 1024)} MiB)`,
      met: r.cli.ratio <= 1 && c.maxRssKB <= 400 * 1024,
    });
  }
  if (r.cli && r.cli.big) {
    const b = r.cli.big;
    list.push({
      target: "`summarize` of 100k rows ≤ 800 MB",
      measured: `${fmtInt(b.cli.maxRssKB / 1024)} MiB, ${fmtS(b.cli.wallMs)} = ${b.ratio.toFixed(2)}× ExcelJS (${fmtInt(b.exceljs.maxRssKB / 1024)} MiB)`,
      met: b.cli.maxRssKB <= 800 * 1024,
    });
  }
  const lo = (r.libreoffice || []).find((e) => e.rows === 50000);
  if (lo) {
    list.push({
      target: "LibreOffice opens our 50k output within 2× the same data without our formulas",
      measured: `${lo.open.ratio.toFixed(2)}× (${fmtS(lo.open.ours.wallMs)} ÷ ${fmtS(lo.open.bare.wallMs)})`,
      met: lo.open.ratio <= 2,
    });
    if (lo.open.today) {
      list.push({
        target: "… opens it within 2× when its as-of date is =TODAY() (no --as-of)",
        measured: `${lo.open.today.ratio.toFixed(2)}× (${fmtS(lo.open.today.wallMs)} ÷ ${fmtS(lo.open.bare.wallMs)})`,
        met: lo.open.today.ratio <= 2,
      });
    }
    if (lo.open.anonymous) {
      list.push({
        target: "… opens it within 2× when the input names no creating program (no docProps/app.xml)",
        measured: `${lo.open.anonymous.ratio.toFixed(2)}× (${fmtS(lo.open.anonymous.wallMs)} ÷ ${fmtS(lo.open.bare.wallMs)})`,
        met: lo.open.anonymous.ratio <= 2,
      });
    }
    list.push({
      target: "… and recalculates it within 3×",
      measured: `${lo.recalc.ratio.toFixed(2)}× (${fmtS(lo.recalc.ours.wallMs)} ÷ ${fmtS(lo.recalc.bare.wallMs)})`,
      met: lo.recalc.ratio <= 3,
    });
    list.push({
      target: "Our 50k output ≤ 1.3× the input's size",
      measured:
        `${(lo.oursBytes / lo.inputBytes).toFixed(2)}× (${fmtBytes(lo.oursBytes)} ÷ ${fmtBytes(lo.inputBytes)})` +
        (lo.leanBytes
          ? `; without the Restore copy (--no-original) ${(lo.leanBytes / lo.inputBytes).toFixed(2)}× (${fmtBytes(lo.leanBytes)})`
          : ""),
      met: lo.oursBytes <= 1.3 * lo.inputBytes,
    });
  }
  if (r.bundle) {
    list.push({
      target: "Task pane bundle ≤ 250 KB gzipped",
      measured: `${fmtKB(r.bundle.initialGzip)} (initial chunks)`,
      met: r.bundle.initialGzip <= 250 * 1024,
    });
  }
  return list;
}

/** Flat "lower is better" metrics, the ones compared between runs. */
function metrics(r) {
  const m = {};
  for (const o of r.ops || []) {
    for (const k of ["structure", "check", "summary"]) {
      m[`ops.${o.rows}.${k}.ms`] = o[k].ms;
      m[`ops.${o.rows}.${k}.cpuMs`] = o[k].cpuMs;
      m[`ops.${o.rows}.${k}.syncs`] = o[k].syncs;
      m[`ops.${o.rows}.${k}.maxRequestBytes`] = o[k].maxRequestBytes;
    }
  }
  if (r.core) {
    m["core.ms"] = r.core.ms;
    m["core.cpuMs"] = r.core.cpuMs;
  }
  if (r.cli) {
    m["cli.wallMs"] = r.cli.cli.wallMs;
    m["cli.cpuMs"] = r.cli.cli.cpuMs;
    m["cli.syncs"] = r.cli.cli.syncs;
    m["exceljs.wallMs"] = r.cli.exceljs.wallMs;
    m["cli.ratio"] = r.cli.ratio;
  }
  if (r.cli && r.cli.big) {
    m["cli100k.wallMs"] = r.cli.big.cli.wallMs;
    m["cli100k.cpuMs"] = r.cli.big.cli.cpuMs;
    m["cli100k.maxRssBytes"] = r.cli.big.cli.maxRssKB * 1024;
  }
  for (const e of r.libreoffice || []) {
    m[`lo.${e.rows}.open.ratio`] = e.open.ratio;
    m[`lo.${e.rows}.recalc.ratio`] = e.recalc.ratio;
    m[`lo.${e.rows}.oursBytes`] = e.oursBytes;
    if (e.leanBytes) m[`lo.${e.rows}.leanBytes`] = e.leanBytes;
  }
  if (r.bundle) m["bundle.initialGzip"] = r.bundle.initialGzip;
  if (r.collect) {
    m["collect.first.ms"] = r.collect.first.ms;
    m["collect.first.cpuMs"] = r.collect.first.cpuMs;
    m["collect.first.syncs"] = r.collect.first.syncs;
    m["collect.one.ms"] = r.collect.one.ms;
    m["collect.one.cpuMs"] = r.collect.one.cpuMs;
    m["collect.one.syncs"] = r.collect.one.syncs;
  }
  return m;
}

function formatMetric(key, v) {
  if (!Number.isFinite(v)) return "–";
  if (key.endsWith("Bytes")) return fmtBytes(v);
  if (key.endsWith("Gzip")) return fmtKB(v);
  if (key.endsWith("ms") || key.endsWith("Ms")) return fmtMs(v);
  if (key.endsWith("ratio")) return `${v.toFixed(2)}×`;
  if (key.endsWith("Rss") || key.endsWith("RssBytes")) return fmtBytes(v);
  return String(v);
}

function readPrevious() {
  if (!fs.existsSync(OUT_MD)) return undefined;
  const m = /<!-- bench-data\n([\s\S]*?)\n-->/.exec(fs.readFileSync(OUT_MD, "utf8"));
  if (!m) return undefined;
  try {
    return JSON.parse(m[1]);
  } catch {
    return undefined;
  }
}

/** The CPU time measured beside a wall time, when there is one ("ops.1000.structure.ms" → "….cpuMs"). */
function cpuTwin(key) {
  if (/\.wallMs$/.test(key)) return key.replace(/wallMs$/, "cpuMs");
  if (/\.ms$/.test(key)) return key.replace(/ms$/, "cpuMs");
  return undefined;
}

/**
 * "prev → cur" with the change, flagged when more than 20% worse. A wall time is flagged only when its CPU time is
 * more than 20% worse too: on a shared machine a slower wall time with the same CPU time is the machine's load, not
 * the code (the 12-03 11:35 run flagged every timing so).
 */
function compare(prev, cur) {
  if (!prev) return [];
  const pm = metrics(prev);
  const cm = metrics(cur);
  const worse = (k) => {
    const [p, c] = [pm[k], cm[k]];
    return p === 0 ? c > 0 : (c - p) / p > REGRESSION;
  };
  const known = (k) => k in pm && Number.isFinite(pm[k]) && Number.isFinite(cm[k]);
  // CPU times back the wall times they stand beside; they are not results of their own.
  return Object.keys(cm)
    .filter((k) => known(k) && !k.endsWith(".cpuMs"))
    .map((k) => {
      const p = pm[k];
      const c = cm[k];
      const change = p === 0 ? (c === 0 ? 0 : Infinity) : (c - p) / p;
      const twin = cpuTwin(k);
      const cpuBacked = twin === undefined || !known(twin) || worse(twin);
      return { key: k, prev: p, cur: c, change, regression: worse(k) && cpuBacked, loadOnly: worse(k) && !cpuBacked };
    });
}

/** Keys of the run being written whose wall time is worse only with the machine's load (see compare). */
let loadOnly = new Set();

function cell(prevMetrics, key, value, fmt) {
  const text = fmt(value);
  if (!prevMetrics || !(key in prevMetrics) || !Number.isFinite(prevMetrics[key])) return text;
  const p = prevMetrics[key];
  if (p === value) return text;
  const worse = p === 0 ? value > 0 : (value - p) / p > REGRESSION;
  return `${fmt(p)} → ${text}${worse && !loadOnly.has(key) ? " ⚠️" : ""}`;
}

function markdown(r, prev) {
  const pm = prev ? metrics(prev) : undefined;
  loadOnly = new Set(
    compare(prev, r)
      .filter((d) => d.loadOnly)
      .map((d) => d.key),
  );
  const L = [];
  const m = r.machine;
  L.push("# Benchmarks", "");
  L.push(
    "Written by `npm run bench` ([scripts/bench.js](scripts/bench.js); measuring code in [scripts/bench/](scripts/bench/)). " +
      "Regenerate rather than edit: the data block at the end is what the next run compares against. " +
      "Where a previous run exists, cells show previous → current; ⚠️ marks a result more than 20% worse.",
    "",
  );
  L.push(
    `- **Run:** ${r.date} · commit \`${r.git.commit}\`${r.git.dirty ? " with uncommitted changes in the tree" : ""} · ` +
      `bench took ${fmtS(r.benchMs)}`,
  );
  L.push(
    `- **Machine:** ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB RAM, ${m.os}, Node ${m.node}; ` +
      `load average (1 min) ${r.load.start.toFixed(2)} at the start, ${r.load.end.toFixed(2)} at the end` +
      (Math.max(r.load.start, r.load.end) > m.cores * 0.5
        ? " — other work was running, so wall times are inflated; CPU times are given beside them"
        : ""),
  );
  if (prev) {
    const pl = prev.load ? `; load average ${prev.load.start.toFixed(2)} → ${prev.load.end.toFixed(2)}` : "";
    L.push(`- **Previous run:** ${prev.date} · commit \`${prev.git.commit}\`${pl}`);
  }
  L.push("");

  L.push("## Targets", "", "| Target | Measured | Status |", "| --- | --- | --- |");
  for (const t of r.targets) L.push(`| ${t.target} | ${t.measured} | ${yes(t.met)} |`);
  L.push("");

  if (r.ops) {
    L.push(
      '## Excel operations through the offline host ("web" mode)',
      "",
      "A generated Chinese 工作台账 (merged title and 填报 lines; 月份 | 工作任务 | 责任单位 | 类别 | 计量单位 | 目标任务 | " +
        "实际完成 | 进展情况; month cells merged over runs of up to 4 items for January–June; mixed units and quantities " +
        "typed with measure words, ranges and 万; routine 全年 items; a few unrecognised months and missing owners; a " +
        "合计 row of SUMs), structured, checked and summarised in that order on a fresh workbook per run, as of " +
        `${AS_OF}. The host enforces Excel on the web's 5 MB request and response limits. Sizes are the host's estimates; ` +
        '"rejected" counts syncs the host refused for size (the operation then retries in blocks; each is a round trip).',
      "",
      "| Rows | Operation | Wall time | CPU | Syncs | Largest request | Largest response | Rejected (size) |",
      "| --- | --- | --- | --- | --- | --- | --- | --- |",
    );
    const names = { structure: "structurePlan", check: "checkPlan", summary: "generateSummary" };
    for (const o of r.ops) {
      for (const k of ["structure", "check", "summary"]) {
        const s = o[k];
        const base = `ops.${o.rows}.${k}`;
        const runs = o.runs > 1 ? ` (median of ${o.runs})` : " (1 run)";
        L.push(
          `| ${fmtInt(o.rows)} | ${names[k]} | ${cell(pm, `${base}.ms`, s.ms, fmtMs)}${runs} | ${fmtMs(s.cpuMs)} | ` +
            `${cell(pm, `${base}.syncs`, s.syncs, String)} | ${cell(pm, `${base}.maxRequestBytes`, s.maxRequestBytes, fmtBytes)} | ` +
            `${fmtBytes(s.maxResponseBytes)} | ${s.rejected ? `${s.rejected} (${fmtBytes(s.rejectedResponseBytes)} response)` : "0"} |`,
        );
      }
    }
    L.push("", "Request sizes per sync (KiB):", "");
    for (const o of r.ops) {
      const parts = ["structure", "check", "summary"].map((k) => `${names[k]} [${o[k].requests.map(kib).join(", ")}]`);
      L.push(`- ${fmtInt(o.rows)} rows: ${parts.join("; ")}`);
    }
    L.push("");
  }

  if (r.collect) L.push(...collectSection(r.collect, pm));

  if (r.core) {
    const c = r.core;
    L.push(
      "## Core throughput",
      "",
      `\`detectHeader\` → \`inferPeriod\` → \`extractPlan\` (month and quantity normalisation, findings) → \`summarize\` on ` +
        `the same plan as a values grid of ${fmtInt(c.rows)} rows, in one process: one warm-up run, then ${c.runs} runs.`,
      "",
      "| Rows | Median | Min | CPU (median) | Rows/s | detect | period | extract | summarize |",
      "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
      `| ${fmtInt(c.rows)} | ${cell(pm, "core.ms", c.ms, fmtMs)} | ${fmtMs(c.min)} | ${fmtMs(c.cpuMs)} | ` +
        `${fmtInt(c.rowsPerSec)} | ${fmtMs(c.stages.detect)} | ${fmtMs(c.stages.period)} | ${fmtMs(c.stages.extract)} | ` +
        `${fmtMs(c.stages.summarize)} |`,
      "",
      `All runs (ms): ${c.all.join(", ")}. Plan rows ${fmtInt(c.planRows)}, findings ${fmtInt(c.findings)}.`,
      "",
    );
  }

  if (r.cli) {
    const c = r.cli;
    const p = c.pipeline;
    L.push(
      `## Command line on ${fmtInt(c.rows)} rows`,
      "",
      `Input: the same generated plan written as .xlsx by our exporter as Excel, WPS and LibreOffice save a workbook, ` +
        `every cell with its reference (${fmtBytes(c.inputBytes)}; our own output leaves out a reference that follows ` +
        `the cell before). Whole processes, ` +
        "timed from spawn to exit, one run each.",
      "",
      "| What | Wall time | CPU | Peak RSS | Syncs |",
      "| --- | --- | --- | --- | --- |",
      `| ${c.cli.label} | ${cell(pm, "cli.wallMs", c.cli.wallMs, fmtS)} | ${fmtS(c.cli.cpuMs)} | ` +
        `${fmtInt(c.cli.maxRssKB / 1024)} MiB | ${cell(pm, "cli.syncs", c.cli.syncs, String)} |`,
      `| ExcelJS 4.4 \`readFile\` + \`writeFile\` (load ${fmtS(c.exceljs.load)}, save ${fmtS(c.exceljs.save)}) | ` +
        `${cell(pm, "exceljs.wallMs", c.exceljs.wallMs, fmtS)} | ${fmtS(c.exceljs.cpuMs)} | ${fmtInt(c.exceljs.maxRssKB / 1024)} MiB | – |`,
      `| **Ratio CLI ÷ ExcelJS** (goal ≤ 2×) | ${cell(pm, "cli.ratio", c.ratio, (v) => `${v.toFixed(2)}×`)} | ` +
        `${(c.cli.cpuMs / c.exceljs.cpuMs).toFixed(2)}× CPU | | |`,
      "",
    );
    if (c.cli.kind === "cli") {
      L.push(
        `The CLI's own JSON report: stats.syncs ${c.cli.syncs}, largest request ${fmtBytes(c.cli.maxRequestBytes)}, ` +
          `largest response ${fmtBytes(c.cli.maxResponseBytes)} (the host's figure, which includes a rejected attempt), ` +
          `stats.ms ${fmtS(c.cli.reportedMs)}; ${fmtInt(c.cli.planRows)} plan rows, ${fmtInt(c.cli.findings)} findings.`,
        "",
      );
    }
    const st = p.stages;
    L.push(
      "Where the time goes — the same work in one process (importXlsx → structure → summarize → recalculate → " +
        `exportXlsx), ${p.syncs} syncs for structure + summary, ${fmtInt(p.formulas)} formulas recalculated:`,
      "",
      "| Stage | import | structure | summarize | recalculate | export | total | process wall |",
      "| --- | --- | --- | --- | --- | --- | --- | --- |",
      `| ms | ${fmtInt(st.import)} | ${fmtInt(st.structure)} | ${fmtInt(st.summarize)} | ${fmtInt(st.recalculate)} | ` +
        `${fmtInt(st.export)} | ${fmtInt(p.ms)} | ${fmtInt(p.wallMs)} |`,
      "",
    );
  }

  if (r.cli && r.cli.big) {
    const b = r.cli.big;
    L.push(
      `The same at ${fmtInt(b.rows)} rows (input ${fmtBytes(b.inputBytes)}), for memory:`,
      "",
      "| What | Wall time | CPU | Peak RSS |",
      "| --- | --- | --- | --- |",
      `| \`plan-ledger summarize\` | ${cell(pm, "cli100k.wallMs", b.cli.wallMs, fmtS)} | ${fmtS(b.cli.cpuMs)} | ` +
        `${fmtInt(b.cli.maxRssKB / 1024)} MiB |`,
      `| ExcelJS load + save | ${fmtS(b.exceljs.wallMs)} | ${fmtS(b.exceljs.cpuMs)} | ${fmtInt(b.exceljs.maxRssKB / 1024)} MiB |`,
      `| **Ratio** | ${b.ratio.toFixed(2)}× | ${(b.cli.cpuMs / b.exceljs.cpuMs).toFixed(2)}× CPU | ` +
        `${(b.cli.maxRssKB / b.exceljs.maxRssKB).toFixed(2)}× |`,
      "",
    );
  }

  if (r.libreoffice && r.libreoffice.length) {
    L.push(
      "## Our output in LibreOffice",
      "",
      "The plan above, run through `plan-ledger summarize`, opened by LibreOffice headless (`soffice --convert-to csv`: " +
        "load, then write the first sheet; timed from spawn to exit, peak memory from GNU time) beside the same " +
        "workbook with every formula replaced by its value (`bare`: our output imported, formulas dropped, exported " +
        "again). Open: a profile with OOXMLRecalcMode 1 (cached values trusted); recalculating: 0 (every formula " +
        "computed on load). The files alternate run by run; the median is shown. The input is written as Excel saves " +
        `a workbook (every cell's reference; docProps/app.xml naming "${CREATOR}", which our output keeps as the ` +
        "document's creator). Two more outputs are opened: `today`, summarised without --as-of (its as-of cell is " +
        "=TODAY(), so LibreOffice recomputes the statuses on every opening), and `anonymous`, from an input without " +
        "docProps/app.xml (LibreOffice then trusts no cached text result).",
      "",
      "| Rows | Input | Our output | Without the Restore copy | Bare | Formulas | Open: bare | Open: ours | Ratio | Open: today | Ratio | Open: anonymous | Ratio | Recalc: bare | Recalc: ours | Ratio |",
      "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    );
    for (const e of r.libreoffice) {
      const side = (x) => `${fmtS(x.wallMs)}, ${fmtInt(x.maxRssKB / 1024)} MiB`;
      L.push(
        `| ${fmtInt(e.rows)} | ${fmtBytes(e.inputBytes)} | ${cell(pm, `lo.${e.rows}.oursBytes`, e.oursBytes, fmtBytes)} ` +
          `(${(e.oursBytes / e.inputBytes).toFixed(2)}×) | ` +
          `${e.leanBytes ? `${fmtBytes(e.leanBytes)} (${(e.leanBytes / e.inputBytes).toFixed(2)}×)` : "–"} | ` +
          `${fmtBytes(e.bareBytes)} | ${fmtInt(e.formulas)} | ` +
          `${side(e.open.bare)} | ${side(e.open.ours)} | ${cell(pm, `lo.${e.rows}.open.ratio`, e.open.ratio, (v) => `${v.toFixed(2)}×`)} | ` +
          (e.open.today ? `${side(e.open.today)} | ${e.open.today.ratio.toFixed(2)}× | ` : "– | – | ") +
          (e.open.anonymous ? `${side(e.open.anonymous)} | ${e.open.anonymous.ratio.toFixed(2)}× | ` : "– | – | ") +
          `${side(e.recalc.bare)} | ${side(e.recalc.ours)} | ${cell(pm, `lo.${e.rows}.recalc.ratio`, e.recalc.ratio, (v) => `${v.toFixed(2)}×`)} |`,
      );
    }
    L.push("", "All runs (ms):", "");
    for (const e of r.libreoffice) {
      L.push(
        `- ${fmtInt(e.rows)} rows: open bare [${e.open.bare.all.join(", ")}], ours [${e.open.ours.all.join(", ")}]` +
          (e.open.today ? `, today [${e.open.today.all.join(", ")}]` : "") +
          (e.open.anonymous ? `, anonymous [${e.open.anonymous.all.join(", ")}]` : "") +
          "; " +
          `recalculating bare [${e.recalc.bare.all.join(", ")}], ours [${e.recalc.ours.all.join(", ")}]`,
      );
    }
    L.push("");
  }

  if (r.bundle) {
    const b = r.bundle;
    L.push(
      "## Task pane bundle",
      "",
      "`webpack --mode production --env only=taskpane` (the project's config, output redirected to .tmp/bench/webpack); " +
        "gzip at zlib's default level. Office.js comes from Microsoft's CDN and is not included.",
      "",
      "| Chunk | File | Loaded | Raw | Gzipped |",
      "| --- | --- | --- | --- | --- |",
    );
    for (const c of b.chunks) {
      L.push(`| ${c.name} | ${c.file} | ${c.initial ? "initial" : "lazy"} | ${fmtKB(c.raw)} | ${fmtKB(c.gzip)} |`);
    }
    L.push(
      `| **Total initial** | | | ${fmtKB(b.initialRaw)} | ${cell(pm, "bundle.initialGzip", b.initialGzip, fmtKB)} |`,
      "",
    );
  }

  const diffs = compare(prev, r);
  if (diffs.length) {
    const worse = diffs.filter((d) => d.regression);
    L.push(
      "## Compared with the previous run",
      "",
      (worse.length
        ? `${worse.length} regression${worse.length > 1 ? "s" : ""} over 20%: ${worse.map((d) => `\`${d.key}\``).join(", ")}.`
        : "No result is more than 20% worse than the previous run.") +
        (diffs.some((d) => d.loadOnly)
          ? " Wall times marked (load) are over 20% slower while their CPU time is not: the machine's load, not flagged."
          : ""),
      "",
      "| Metric | Previous | Current | Change |",
      "| --- | --- | --- | --- |",
    );
    for (const d of diffs) {
      const pct = Number.isFinite(d.change) ? `${d.change >= 0 ? "+" : ""}${(d.change * 100).toFixed(0)}%` : "new";
      L.push(
        `| \`${d.key}\` | ${formatMetric(d.key, d.prev)} | ${formatMetric(d.key, d.cur)} | ${pct}${d.regression ? " ⚠️" : d.loadOnly ? " (load)" : ""} |`,
      );
    }
    L.push("");
  }

  L.push("<!-- bench-data", JSON.stringify(r), "-->", "");
  return L.join("\n");
}

/** The Collect returns section (also spliced alone into BENCHMARKS.md by --collect-only). */
function collectSection(c, pm) {
  const L = [
    `## Collect returns: ${c.files} returns of ${fmtInt(c.rows)} rows`,
    "",
    `Each return is the plan above at ${fmtInt(c.rows)} rows, written as .xlsx by our exporter (${fmtBytes(c.returnBytes)} ` +
      "each), read in memory by our reader (fflate, as in the browser) and collected with `collectReturns` through the " +
      'offline host in "web" mode into a workbook with no plan: a new 合并计划 sheet, structured and summarised. Syncs are ' +
      "the open workbook's round trips (reading a return needs none). Then one department again (its rows replaced), " +
      "then all of them again." +
      (c.ranAlone
        ? ` Run on its own (\`--collect-only\`): ${c.ranAlone.date}, commit \`${c.ranAlone.commit}\`` +
          (c.ranAlone.load
            ? `, load average ${c.ranAlone.load.map((x) => x.toFixed(2)).join(" → ")} on ${c.ranAlone.cores} cores` +
              (Math.max(...c.ranAlone.load) > c.ranAlone.cores * 0.5 ? " (wall times inflated; see CPU)" : "")
            : "") +
          "."
        : ""),
    "",
    "| Run | Wall time | CPU | Syncs | Largest request | Items added | Replaced | Plan rows after | Findings |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
  ];
  const rowsOf = { first: `all ${c.files}, first time`, one: "1 again", all: `all ${c.files} again` };
  for (const k of ["first", "one", "all"]) {
    const x = c[k];
    const ms = k === "all" ? fmtMs(x.ms) : cell(pm, `collect.${k}.ms`, x.ms, fmtMs);
    const syncs = k === "all" ? String(x.syncs) : cell(pm, `collect.${k}.syncs`, x.syncs, String);
    L.push(
      `| ${rowsOf[k]} | ${ms} | ${fmtMs(x.cpuMs)} | ${syncs} | ${fmtBytes(x.maxRequestBytes)} | ${fmtInt(x.added)} | ` +
        `${fmtInt(x.replaced)} | ${fmtInt(x.planRows)} | ${fmtInt(x.findings)} |`,
    );
  }
  L.push("");
  return L;
}

/**
 * --collect-only: measures Collect returns alone and puts its section into BENCHMARKS.md (replacing an earlier one,
 * else before the core throughput section) with its numbers in the data block, leaving the rest of the file as the
 * full run wrote it.
 */
async function collectOnly() {
  compile();
  const load = os.loadavg()[0];
  const c = benchCollect();
  c.ranAlone = {
    date: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
    commit: git().commit,
    load: [load, os.loadavg()[0]],
    cores: os.cpus().length,
  };
  const prev = readPrevious();
  const text = fs.readFileSync(OUT_MD, "utf8");
  const section = collectSection(c, prev ? metrics(prev) : undefined).join("\n");
  const start = text.indexOf("## Collect returns");
  let out;
  if (start >= 0) {
    const end = text.indexOf("\n## ", start + 1);
    out = text.slice(0, start) + section + text.slice(end + 1);
  } else {
    const at = text.indexOf("## Core throughput");
    out = text.slice(0, at) + section + "\n" + text.slice(at);
  }
  const data = { ...(prev ?? {}), collect: c };
  out = out.replace(/<!-- bench-data\n[\s\S]*?\n-->/, () => `<!-- bench-data\n${JSON.stringify(data)}\n-->`);
  if (opts.write) await writeReport(out);
  process.stdout.write(section + "\n");
}

async function writeReport(text) {
  // Prettier checks Markdown too (npm run format:check): write the file as Prettier would.
  const prettier = require("prettier");
  const config = (await prettier.resolveConfig(OUT_MD)) || {};
  fs.writeFileSync(OUT_MD, await prettier.format(text, { ...config, filepath: OUT_MD }));
}

function finish(r, prev) {
  const md = markdown(r, prev);
  for (const t of r.targets) process.stdout.write(`${t.met ? "met    " : "NOT MET"}  ${t.target}: ${t.measured}\n`);
  for (const d of compare(prev, r).filter((x) => x.regression)) {
    process.stdout.write(`REGRESSION ${d.key}: ${formatMetric(d.key, d.prev)} → ${formatMetric(d.key, d.cur)}\n`);
  }
  return md;
}

async function main() {
  fs.mkdirSync(TMP, { recursive: true });
  if (opts.reportOnly) {
    // For work on the report itself: the last run's results and the comparison base it was written against.
    const { results, previous } = JSON.parse(fs.readFileSync(RESULTS, "utf8"));
    results.targets = targets(results);
    await writeReport(finish(results, previous));
    log(`rewrote ${path.relative(root, OUT_MD)} from ${path.relative(root, RESULTS)}`);
    return;
  }
  if (opts.collectOnly) {
    await collectOnly();
    log(`done in ${fmtS(Date.now() - started)}`);
    return;
  }
  const load = { start: os.loadavg()[0], end: NaN };
  if (load.start > os.cpus().length * 0.5) {
    log(`note: load average ${load.start.toFixed(2)} on ${os.cpus().length} cores — other work is running`);
  }
  compile();
  const r = { date: new Date().toISOString().replace(/\.\d+Z$/, "Z"), machine: machine(), git: git(), load };
  r.ops = benchOps();
  r.core = benchCore();
  if (opts.collect) r.collect = benchCollect();
  if (opts.cli) r.cli = benchCli();
  if (opts.libreoffice) {
    if (hasSoffice()) r.libreoffice = benchLibreOffice(r.cli);
    else log("LibreOffice (soffice) is not installed: skipping the LibreOffice measurement");
  }
  if (opts.bundle) r.bundle = benchBundle();
  load.end = os.loadavg()[0];
  r.benchMs = Date.now() - started;
  r.targets = targets(r);

  const prev = readPrevious();
  fs.writeFileSync(RESULTS, JSON.stringify({ results: r, previous: prev }, null, 1));
  const md = finish(r, prev);
  if (opts.write) {
    await writeReport(md);
    log(`wrote ${path.relative(root, OUT_MD)}`);
  }
  log(`done in ${fmtS(Date.now() - started)}`);
}

main().catch((e) => {
  process.stderr.write(`bench: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
