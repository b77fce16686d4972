#!/usr/bin/env node
// @ts-check
/*
 * Supply-chain check (`npm run check:licenses`).
 *
 * 1. Licences: walks the installed production dependency tree (dependencies, optionalDependencies and
 *    peerDependencies, resolved the way Node resolves them from each package's folder) and reads each package's
 *    `license`. A licence passes when its SPDX expression can be satisfied with permissive licences that fit shipping
 *    inside an MIT project (OR: one side suffices; AND: both sides needed). Anything else (GPL, AGPL, LGPL, MPL, SSPL,
 *    missing, "SEE LICENSE IN", UNLICENSED) fails unless scripts/license-allowlist.json lists the package with a reason.
 * 2. Vulnerabilities: runs `npm audit --omit=dev --audit-level=high --json` and fails on any high or critical
 *    finding. When npm audit cannot run (offline, or a registry mirror without the advisory endpoint) the check says
 *    so loudly and never reports the audit as passed; with `--require-audit` (for CI) that is a failure (exit 2).
 *    `--skip-audit` leaves the audit out explicitly and says so.
 *
 * Exit codes: 0 licences pass (audit passed, skipped or could not run), 1 licence or audit failure,
 * 2 audit could not run under --require-audit.
 */
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const { spawnSync } = require("node:child_process");

const ROOT = path.resolve(__dirname, "..");

/** Licences that may ship inside an MIT-licensed add-in (attribution-style permissive licences). */
const PERMISSIVE = new Set([
  "MIT",
  "MIT-0",
  "ISC",
  "0BSD",
  "BSD-2-Clause",
  "BSD-3-Clause",
  "Apache-2.0",
  "Zlib",
  "Unlicense",
  "CC0-1.0",
  "BlueOak-1.0.0",
  "Python-2.0",
  "CC-BY-3.0",
  "CC-BY-4.0",
]);

/**
 * @typedef {object} PackageInfo
 * @property {string} name
 * @property {string} version
 * @property {string} license  SPDX expression as declared ("" when missing)
 * @property {string} dir      folder relative to root
 */

/**
 * Reads the licence a package.json declares: `license` (SPDX string or legacy { type }), else legacy `licenses`.
 * @param {Record<string, unknown>} pkg
 * @returns {string}
 */
function declaredLicense(pkg) {
  const { license, licenses } = pkg;
  if (typeof license === "string") return license.trim();
  if (license && typeof license === "object" && "type" in license) return String(license.type);
  if (Array.isArray(licenses)) {
    const types = licenses.map((l) => (l && typeof l === "object" && "type" in l ? String(l.type) : String(l)));
    return types.length > 1 ? `(${types.join(" OR ")})` : (types[0] ?? "");
  }
  return "";
}

/**
 * Finds the installed folder of `name` as Node would from `fromDir` (nearest node_modules upward, within root).
 * @param {string} name
 * @param {string} fromDir
 * @param {string} root
 * @returns {string | undefined}
 */
function resolvePackage(name, fromDir, root) {
  for (let dir = fromDir; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, "node_modules", name);
    if (fs.existsSync(path.join(candidate, "package.json"))) return candidate;
    if (dir === root || path.dirname(dir) === dir) return undefined;
  }
}

/**
 * Every package in the production dependency tree of the project at `root`, each once (name@version@folder).
 * A missing required dependency throws: the tree must be installed to be checked.
 * @example collectProdPackages("/work/main").find((p) => p.name === "react")?.license // "MIT"
 * @param {string} root
 * @returns {PackageInfo[]}
 */
function collectProdPackages(root) {
  /** @type {Map<string, PackageInfo>} */
  const found = new Map();
  /** @param {string} dir @param {boolean} isRoot */
  const visit = (dir, isRoot) => {
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
    /** @type {[string, boolean][]} name, required */
    const deps = [
      ...Object.keys(pkg.dependencies ?? {}).map((n) => /** @type {[string, boolean]} */ ([n, true])),
      ...Object.keys(pkg.optionalDependencies ?? {}).map((n) => /** @type {[string, boolean]} */ ([n, false])),
      // npm ≥ 7 installs peers; optional peers may be absent.
      ...(isRoot ? [] : Object.keys(pkg.peerDependencies ?? {})).map(
        (n) => /** @type {[string, boolean]} */ ([n, !pkg.peerDependenciesMeta?.[n]?.optional]),
      ),
    ];
    for (const [name, required] of deps) {
      const depDir = resolvePackage(name, dir, root);
      if (!depDir) {
        if (required) throw new Error(`${name} (needed by ${pkg.name ?? "the project"}) is not installed`);
        continue;
      }
      if (found.has(depDir)) continue;
      const depPkg = JSON.parse(fs.readFileSync(path.join(depDir, "package.json"), "utf8"));
      found.set(depDir, {
        name: depPkg.name ?? name,
        version: depPkg.version ?? "",
        license: declaredLicense(depPkg),
        dir: path.relative(root, depDir),
      });
      visit(depDir, false);
    }
  };
  visit(root, true);
  return [...found.values()].sort((a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version));
}

/**
 * Whether an SPDX expression can be satisfied with permissive licences only.
 * @example licenseFits("(MIT OR GPL-3.0-or-later)") // true
 * @example licenseFits("MIT AND LGPL-2.1") // false
 * @param {string} expression
 * @returns {boolean}
 */
function licenseFits(expression) {
  // npm's "SEE LICENSE IN <file>" points at a custom licence: a person has to read it.
  if (/^SEE LICEN[CS]E IN\b/i.test(expression.trim())) return false;
  const tokens = expression.match(/\(|\)|[^\s()]+/g) ?? [];
  let pos = 0;
  /** @returns {boolean} */
  const orExpr = () => {
    let ok = andExpr();
    while (tokens[pos]?.toUpperCase() === "OR") {
      pos++;
      ok = andExpr() || ok;
    }
    return ok;
  };
  /** @returns {boolean} */
  const andExpr = () => {
    let ok = atom();
    while (tokens[pos]?.toUpperCase() === "AND") {
      pos++;
      ok = atom() && ok;
    }
    return ok;
  };
  /** @returns {boolean} */
  const atom = () => {
    const token = tokens[pos++];
    if (token === "(") {
      const ok = orExpr();
      if (tokens[pos++] !== ")") throw new Error(`Unbalanced licence expression: ${expression}`);
      return ok;
    }
    if (token === undefined || token === ")") throw new Error(`Malformed licence expression: ${expression}`);
    // "Apache-2.0 WITH LLVM-exception": an exception only adds permissions.
    if (tokens[pos]?.toUpperCase() === "WITH") pos += 2;
    return PERMISSIVE.has(token.replace(/\+$/, ""));
  };
  if (tokens.length === 0) return false;
  const ok = orExpr();
  if (pos !== tokens.length) throw new Error(`Malformed licence expression: ${expression}`);
  return ok;
}

/**
 * @typedef {{ package: string, license: string, reason: string }} AllowEntry
 * `package` is a name or name@version; `license` must match the declared licence exactly.
 */

/**
 * Reads and validates the allowlist (each entry needs a package, the licence it accepts and a reason).
 * @param {string} file
 * @returns {AllowEntry[]}
 */
function readAllowlist(file) {
  if (!fs.existsSync(file)) return [];
  const list = JSON.parse(fs.readFileSync(file, "utf8"));
  if (!Array.isArray(list)) throw new Error(`${file} must hold a JSON array`);
  for (const entry of list) {
    if (!entry || typeof entry.package !== "string" || typeof entry.license !== "string") {
      throw new Error(`${file}: each entry needs "package" and "license"`);
    }
    if (typeof entry.reason !== "string" || entry.reason.trim().length < 10) {
      throw new Error(`${file}: ${entry.package} needs a "reason" that explains the exception`);
    }
  }
  return list;
}

/**
 * Classifies each production package: "ok", "allowed" (by the allowlist, with its reason) or "fail".
 * @param {PackageInfo[]} packages
 * @param {AllowEntry[]} allowlist
 */
function evaluateLicenses(packages, allowlist) {
  return packages.map((p) => {
    /** @type {"ok" | "allowed" | "fail"} */
    let verdict = "fail";
    let note = p.license === "" ? "no licence declared" : "does not fit MIT";
    try {
      if (licenseFits(p.license)) verdict = "ok";
    } catch (err) {
      note = /** @type {Error} */ (err).message;
    }
    if (verdict === "fail") {
      const entry = allowlist.find(
        (a) => (a.package === p.name || a.package === `${p.name}@${p.version}`) && a.license === p.license,
      );
      if (entry) {
        verdict = "allowed";
        note = entry.reason;
      }
    }
    return { ...p, verdict, note: verdict === "ok" ? "" : note };
  });
}

/**
 * @typedef {{ status: "ok" | "findings" | "could-not-run", counts?: Record<string, number>, message: string }} AuditResult
 */

/**
 * Interprets `npm audit --json` output. Network failures become "could-not-run", never a pass.
 * @param {string} stdout
 * @param {string} stderr
 * @returns {AuditResult}
 */
function interpretAudit(stdout, stderr) {
  /** @type {any} */
  let report;
  try {
    report = JSON.parse(stdout);
  } catch {
    const reason = (stderr || stdout).trim().split("\n").slice(-3).join(" ") || "no output";
    return { status: "could-not-run", message: `npm audit gave no report: ${reason}` };
  }
  if (report.error) {
    // npm puts the HTTP or network failure in `message` (e.g. a registry mirror without the bulk advisory endpoint
    // answers 405) and sometimes a code in `error`.
    const reason = [report.message, report.error.code, report.error.summary].filter(Boolean).join("; ");
    return { status: "could-not-run", message: `npm audit could not run: ${reason || "unknown error"}` };
  }
  const counts = report.metadata?.vulnerabilities;
  if (!counts) return { status: "could-not-run", message: "npm audit report has no vulnerability counts" };
  const serious = (counts.high ?? 0) + (counts.critical ?? 0);
  const list = Object.entries(counts)
    .filter(([k]) => k !== "total")
    .map(([k, v]) => `${k} ${v}`)
    .join(", ");
  if (serious === 0) return { status: "ok", counts, message: `npm audit (production): ${list}` };
  const names = Object.values(report.vulnerabilities ?? {})
    .filter((v) => /** @type {any} */ (v).severity === "high" || /** @type {any} */ (v).severity === "critical")
    .map((v) => `${/** @type {any} */ (v).name} (${/** @type {any} */ (v).severity})`);
  return { status: "findings", counts, message: `npm audit (production): ${list}; high/critical: ${names.join(", ")}` };
}

/** @param {string} root @returns {AuditResult} */
function runAudit(root) {
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  const res = spawnSync(npm, ["audit", "--omit=dev", "--audit-level=high", "--json"], {
    cwd: root,
    encoding: "utf8",
    timeout: 120000,
    shell: process.platform === "win32",
  });
  if (res.error) return { status: "could-not-run", message: `npm audit could not start: ${res.error.message}` };
  return interpretAudit(res.stdout ?? "", res.stderr ?? "");
}

/** @param {string[][]} rows */
function table(rows) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows
    .map((r) =>
      r
        .map((cell, i) => cell.padEnd(widths[i]))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

function main() {
  const skipAudit = process.argv.includes("--skip-audit");
  const requireAudit = process.argv.includes("--require-audit");
  const packages = collectProdPackages(ROOT);
  const results = evaluateLicenses(packages, readAllowlist(path.join(__dirname, "license-allowlist.json")));
  // One row per name@version; nested copies of the same version are counted, not repeated.
  /** @type {Map<string, (typeof results)[number] & { copies: number }>} */
  const rows = new Map();
  for (const r of results) {
    const row = rows.get(`${r.name}@${r.version}`);
    if (row) row.copies++;
    else rows.set(`${r.name}@${r.version}`, { ...r, copies: 1 });
  }
  console.log(`Production dependencies: ${rows.size} (${results.length} installed copies)\n`);
  console.log(
    table([
      ["package", "version", "licence", "verdict", "note"],
      ...[...rows.values()].map((r) => [
        r.copies > 1 ? `${r.name} (x${r.copies})` : r.name,
        r.version,
        r.license || "-",
        r.verdict,
        r.note,
      ]),
    ]),
  );
  /** @type {Map<string, number>} */
  const byLicense = new Map();
  for (const r of rows.values()) byLicense.set(r.license || "-", (byLicense.get(r.license || "-") ?? 0) + 1);
  console.log(`\nLicences: ${[...byLicense].map(([l, n]) => `${l} ${n}`).join(", ")}`);
  const failed = results.filter((r) => r.verdict === "fail");
  if (failed.length > 0) {
    console.error(
      `\ncheck:licenses FAILED: ${failed.length} production package(s) with a licence that does not fit MIT:`,
    );
    for (const f of failed) console.error(`  ${f.name}@${f.version}: ${f.license || "(none)"} (${f.note})`);
    process.exitCode = 1;
  }

  let auditNote = "npm audit passed";
  if (skipAudit) {
    auditNote = "npm audit skipped (--skip-audit): vulnerabilities NOT checked";
  } else {
    const audit = runAudit(ROOT);
    if (audit.status === "ok") console.log(`\n${audit.message}`);
    else if (audit.status === "findings") {
      console.error(`\ncheck:licenses FAILED: ${audit.message}`);
      process.exitCode = 1;
    } else {
      console.error(`\nWARNING: ${audit.message}`);
      console.error("WARNING: production dependencies were NOT checked for vulnerabilities; this is not a pass.");
      auditNote = "npm audit could NOT run: vulnerabilities NOT checked (--require-audit makes this fail)";
      if (requireAudit && !process.exitCode) process.exitCode = 2;
    }
  }
  if (!process.exitCode) console.log(`\ncheck:licenses: licences passed; ${auditNote}.`);
}

if (require.main === module) main();

module.exports = { collectProdPackages, declaredLicense, licenseFits, evaluateLicenses, readAllowlist, interpretAudit };
