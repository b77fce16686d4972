#!/usr/bin/env node
// @ts-check
/*
 * Requirement-set gate (`npm run check:api`).
 *
 * Finds every use of an Excel JS API member in src/ (not src/offline/ or src/contract/, not tests) with the type checker,
 * reads the member's `[Api set: ExcelApi 1.N]` tag from @types/office-js, and fails when a member newer than the
 * manifest's minimum is used outside a guard.
 *
 * A "use" is: a method call, navigation property access, enum member or property write whose symbol is declared in
 * `namespace Excel` of @types/office-js; a property named in an object literal typed by an Excel type
 * (`range.set({...})`, `rule = { list: ... }`); a property named in a `load("a,b/c")` string or string array on an
 * Excel object; and a call to a function whose name ends in `_1_N` (rule 3), which counts as a use of ExcelApi 1.N.
 * Reading a scalar property (`range.values` after a load) is listed but exempt: it sends nothing to Excel; the load
 * that fetched it is the checked use.
 *
 * Guard rule. A use of a member in ExcelApi 1.N is guarded when it sits lexically inside one of:
 *   1. the then-branch of `if (isApiSupported("1.M") && …)`, the true arm of `isApiSupported("1.M") ? … : …`, or the
 *      right side of `isApiSupported("1.M") && …`; or the else-branch / false arm when the condition is
 *      `!isApiSupported("1.M")`;
 *   2. the statements after `if (!isApiSupported("1.M")) { …; return | throw }` in the same block;
 *   3. a function whose name ends in `_1_M` (e.g. `readMergedAreas_1_13`); calling such a function is itself a use of
 *      ExcelApi 1.M and must be guarded in turn;
 * with M ≥ N. `isApiSupported` must be the helper exported by src/excel/requirements.ts, called with a string literal.
 * Members tagged with another set (ExcelApiDesktop, ExcelApiOnline) cannot be guarded this way and always fail.
 */
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const ts = require("typescript");

const ROOT = path.resolve(__dirname, "..");

/** What each Excel client supports (GUIDE §2): the highest ExcelApi set, or Infinity for always-current clients. */
const CLIENTS = [
  { name: "Excel 2016 volume licence", max: "1.1" },
  { name: "Excel 2019 volume licence", max: "1.7" },
  { name: "Office 2021", max: "1.14" },
  { name: "Office 2024", max: "1.17" },
  { name: "Microsoft 365 (Windows, Mac), Excel on the web", max: null },
];

/**
 * Compares dotted versions numerically ("1.13" > "1.8").
 * @param {string} a
 * @param {string} b
 * @returns {number}
 */
function compareVersions(a, b) {
  const pa = a.split(".").map(Number);
  const pb = b.split(".").map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * The ExcelApi minimum declared in manifest.xml (`<Set Name="ExcelApi" MinVersion>`, else `<Sets DefaultMinVersion>`).
 * @param {string} manifestXml
 * @returns {string}
 */
function manifestMinVersion(manifestXml) {
  const set = /<Set\s[^>]*Name="ExcelApi"[^>]*>/.exec(manifestXml);
  const own = set && /MinVersion="([\d.]+)"/.exec(set[0]);
  if (own) return own[1];
  const sets = /<Sets\s[^>]*DefaultMinVersion="([\d.]+)"/.exec(manifestXml);
  if (sets) return sets[1];
  throw new Error("manifest.xml declares no ExcelApi minimum (<Sets DefaultMinVersion> or <Set MinVersion>)");
}

/**
 * Reads an `[Api set: …]` tag. `version` is the ExcelApi version needed to use the member at all (or to write it, for
 * tags such as "ExcelApi 1.1 for get, 1.8 for set"); null when the set is not ExcelApi (Desktop, Online only).
 * @param {string} tag
 * @param {boolean} write
 * @returns {{ set: string, version: string | null }}
 */
function parseApiSet(tag, write) {
  const base = /^ExcelApi (\d+\.\d+)/.exec(tag);
  if (!base) return { set: tag, version: null };
  const setter = /(\d+\.\d+) for (?:set|setting)\b/.exec(tag);
  const version = write && setter ? setter[1] : base[1];
  return { set: `ExcelApi ${version}`, version };
}

/** @param {string} fileName */
function isOfficeTypings(fileName) {
  return fileName.replace(/\\/g, "/").includes("/node_modules/@types/office-js/");
}

/**
 * The `[Api set: …]` tag of a declaration in `namespace Excel` of @types/office-js, or undefined when the declaration
 * is elsewhere or untagged (load, toJSON, Excel.run: no requirement beyond the base).
 * @param {ts.Declaration} decl
 * @returns {{ tag: string, owner: string } | undefined}
 */
function excelApiTag(decl) {
  const sf = decl.getSourceFile();
  if (!isOfficeTypings(sf.fileName)) return undefined;
  /** @type {ts.Node | undefined} */
  let top = decl;
  while (top && top.parent && !ts.isSourceFile(top.parent)) top = top.parent;
  if (!top || !ts.isModuleDeclaration(top) || top.name.getText(sf) !== "Excel") return undefined;
  const leading = sf.text.slice(decl.getFullStart(), decl.getStart(sf));
  const match = /\[Api set: ([^\]]+)\]/.exec(leading);
  if (!match) return undefined;
  const parent = decl.parent;
  const owner =
    parent && "name" in parent && parent.name && ts.isIdentifier(/** @type {ts.Node} */ (parent.name))
      ? /** @type {ts.Identifier} */ (parent.name).text
      : "Excel";
  return { tag: match[1].trim(), owner };
}

/** @param {ts.Node} node */
function isWriteTarget(node) {
  const p = node.parent;
  return (
    !!p &&
    ts.isBinaryExpression(p) &&
    p.left === node &&
    p.operatorToken.kind >= ts.SyntaxKind.FirstAssignment &&
    p.operatorToken.kind <= ts.SyntaxKind.LastAssignment
  );
}

/** @param {ts.Expression} e */
function unwrap(e) {
  while (ts.isParenthesizedExpression(e)) e = e.expression;
  return e;
}

/** @param {ts.Node} node */
function functionName(node) {
  if ((ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node) || ts.isFunctionExpression(node)) && node.name) {
    return node.name.getText();
  }
  if ((ts.isArrowFunction(node) || ts.isFunctionExpression(node)) && node.parent) {
    const p = node.parent;
    if ((ts.isVariableDeclaration(p) || ts.isPropertyAssignment(p) || ts.isPropertyDeclaration(p)) && p.name) {
      return p.name.getText();
    }
  }
  return undefined;
}

const SUFFIX = /_1_(\d+)$/;

/** @param {ts.Statement} s */
function alwaysExits(s) {
  if (ts.isReturnStatement(s) || ts.isThrowStatement(s)) return true;
  if (ts.isBlock(s) && s.statements.length > 0) return alwaysExits(s.statements[s.statements.length - 1]);
  return false;
}

/** Reusing parsed lib and @types files across runs (tests call checkApi several times in one process). */
/** @type {Map<string, ts.SourceFile>} */
const sourceCache = new Map();

/**
 * @param {ts.CompilerOptions} options
 * @returns {ts.CompilerHost}
 */
function cachingHost(options) {
  const host = ts.createCompilerHost(options, true);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
    const shared = fileName.includes("/node_modules/");
    const cached = shared ? sourceCache.get(fileName) : undefined;
    if (cached) return cached;
    const sf = getSourceFile(fileName, languageVersion, onError, shouldCreate);
    if (sf && shared) sourceCache.set(fileName, sf);
    return sf;
  };
  return host;
}

/** @param {string} dir @returns {string[]} */
function sourceFiles(dir) {
  /** @type {string[]} */
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== "__tests__" && entry.name !== "node_modules") out.push(...sourceFiles(full));
    } else if (
      /\.tsx?$/.test(entry.name) &&
      !/\.(test|spec)\.tsx?$/.test(entry.name) &&
      !entry.name.endsWith(".d.ts")
    ) {
      out.push(full);
    }
  }
  return out;
}

/**
 * The files the gate covers by default: src/ without src/offline/ (the host implements the API) and src/contract/ (the
 * self-test's rules probe the API on purpose; each declares the set it needs and is skipped on an Excel without it).
 */
function defaultFiles(root = ROOT) {
  const src = path.join(root, "src");
  const skipped = ["offline", "contract"].map((d) => path.join(src, d) + path.sep);
  return sourceFiles(src).filter((f) => !skipped.some((d) => f.startsWith(d)));
}

/**
 * How the code touches a member. "read" is a read of an already loaded scalar property: exempt from the gate.
 * @typedef {"call" | "property" | "write" | "read" | "load" | "literal"} UseKind
 */

/**
 * @typedef {object} ApiUse
 * @property {string} member   e.g. "Range.getMergedAreasOrNullObject"
 * @property {string} set      e.g. "ExcelApi 1.13", or the raw tag for non-ExcelApi sets
 * @property {string | null} version  "1.13"; null for sets the helper cannot guard
 * @property {UseKind} kind
 * @property {string} file     path relative to root
 * @property {number} line     1-based
 * @property {boolean} guarded true when the version is within the minimum or a guard covers it
 */

/**
 * Runs the requirement-set gate over TypeScript files and returns every Excel API use found.
 * @example checkApi({ files: ["src/excel/summary.ts"] }).violations // [] when every newer member is guarded
 * @param {{ root?: string, files?: string[], minVersion?: string, helperFile?: string }} [opts]
 */
function checkApi(opts = {}) {
  const root = opts.root ?? ROOT;
  const minVersion = opts.minVersion ?? manifestMinVersion(fs.readFileSync(path.join(root, "manifest.xml"), "utf8"));
  const helperFile = path.resolve(opts.helperFile ?? path.join(root, "src", "excel", "requirements.ts"));
  const files = (opts.files ?? defaultFiles(root)).map((f) => path.resolve(root, f));

  const configPath = path.join(ROOT, "tsconfig.json");
  const read = ts.readConfigFile(configPath, ts.sys.readFile);
  if (read.error) throw new Error(ts.flattenDiagnosticMessageText(read.error.messageText, "\n"));
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, ROOT, undefined, configPath);
  /** @type {ts.CompilerOptions} */
  const options = { ...parsed.options, noEmit: true, typeRoots: [path.join(ROOT, "node_modules", "@types")] };
  const program = ts.createProgram(files, options, cachingHost(options));
  const checker = program.getTypeChecker();

  /** @type {ApiUse[]} */
  const uses = [];

  /**
   * Versions proven by a guard expression that is true: `isApiSupported("1.N")` conjuncts.
   * @param {ts.Expression} e
   * @returns {string[]}
   */
  const whenTrue = (e) => {
    e = unwrap(e);
    if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken) {
      return [...whenTrue(e.left), ...whenTrue(e.right)];
    }
    if (ts.isPrefixUnaryExpression(e) && e.operator === ts.SyntaxKind.ExclamationToken) {
      return whenFalse(e.operand);
    }
    const v = guardCallVersion(e);
    return v ? [v] : [];
  };
  /**
   * Versions proven when the expression is false: `!isApiSupported("1.N")` disjuncts.
   * @param {ts.Expression} e
   * @returns {string[]}
   */
  const whenFalse = (e) => {
    e = unwrap(e);
    if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.BarBarToken) {
      return [...whenFalse(e.left), ...whenFalse(e.right)];
    }
    if (ts.isPrefixUnaryExpression(e) && e.operator === ts.SyntaxKind.ExclamationToken) return whenTrue(e.operand);
    return [];
  };
  /** @param {ts.Expression} e @returns {string | undefined} */
  const guardCallVersion = (e) => {
    if (!ts.isCallExpression(e) || e.arguments.length !== 1) return undefined;
    const arg = e.arguments[0];
    if (!ts.isStringLiteralLike(arg) || !/^\d+\.\d+$/.test(arg.text)) return undefined;
    let sym = checker.getSymbolAtLocation(e.expression);
    if (sym && sym.flags & ts.SymbolFlags.Alias) sym = checker.getAliasedSymbol(sym);
    const decl = sym?.declarations?.[0];
    if (!decl || sym?.name !== "isApiSupported") return undefined;
    return path.resolve(decl.getSourceFile().fileName) === helperFile ? arg.text : undefined;
  };

  /**
   * The highest ExcelApi version any enclosing guard proves, or undefined.
   * @param {ts.Node} node
   */
  const guardedUpTo = (node) => {
    /** @type {string[]} */
    const proven = [];
    /** @type {ts.Node} */
    let from = node;
    for (let at = node.parent; at; from = at, at = at.parent) {
      if (ts.isIfStatement(at)) {
        if (from === at.thenStatement) proven.push(...whenTrue(at.expression));
        else if (from === at.elseStatement) proven.push(...whenFalse(at.expression));
      } else if (ts.isConditionalExpression(at)) {
        if (from === at.whenTrue) proven.push(...whenTrue(at.condition));
        else if (from === at.whenFalse) proven.push(...whenFalse(at.condition));
      } else if (ts.isBinaryExpression(at) && from === at.right) {
        if (at.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken) proven.push(...whenTrue(at.left));
        if (at.operatorToken.kind === ts.SyntaxKind.BarBarToken) proven.push(...whenFalse(at.left));
      } else if (ts.isBlock(at) || ts.isSourceFile(at) || ts.isCaseClause(at) || ts.isDefaultClause(at)) {
        for (const s of at.statements) {
          if (s === from) break;
          if (ts.isIfStatement(s) && !s.elseStatement && alwaysExits(s.thenStatement)) {
            proven.push(...whenFalse(s.expression));
          }
        }
      }
      const name = functionName(at);
      const suffix = name && SUFFIX.exec(name);
      if (suffix) proven.push(`1.${suffix[1]}`);
    }
    return proven.sort(compareVersions).pop();
  };

  /**
   * @param {ts.Node} node
   * @param {string} member
   * @param {{ set: string, version: string | null }} api
   * @param {UseKind} kind
   */
  const record = (node, member, api, kind) => {
    const sf = node.getSourceFile();
    const { line } = sf.getLineAndCharacterOfPosition(node.getStart(sf));
    let guarded = false;
    if (kind === "read") guarded = true;
    else if (api.version !== null) {
      if (compareVersions(api.version, minVersion) <= 0) guarded = true;
      else {
        const proven = guardedUpTo(node);
        guarded = proven !== undefined && compareVersions(proven, api.version) >= 0;
      }
    }
    const file = path.relative(root, sf.fileName);
    uses.push({ member, set: api.set, version: api.version, kind, file, line: line + 1, guarded });
  };

  /**
   * Records the lowest-set Excel declaration among `decls` (overloads, union members).
   * @param {ts.Node} node
   * @param {readonly ts.Declaration[] | undefined} decls
   * @param {string} name
   * @param {UseKind} kind
   */
  const recordDecls = (node, decls, name, kind) => {
    /** @type {{ set: string, version: string | null, owner: string } | undefined} */
    let best;
    for (const d of decls ?? []) {
      const tagged = excelApiTag(d);
      if (!tagged) continue;
      const api = parseApiSet(tagged.tag, kind === "write" || kind === "literal");
      if (
        !best ||
        (api.version !== null && (best.version === null || compareVersions(api.version, best.version) < 0))
      ) {
        best = { ...api, owner: tagged.owner };
      }
    }
    if (best) record(node, `${best.owner}.${name}`, best, kind);
  };

  /** @param {ts.Type} type */
  const constituents = (type) => (type.isUnion() ? type.types : [type]);

  /**
   * Property paths in load("a, b/c") resolved on the receiver's Excel type.
   * @param {ts.StringLiteralLike} lit
   * @param {ts.Type} receiver
   */
  const recordLoadPaths = (lit, receiver) => {
    for (const raw of lit.text.split(",")) {
      /** @type {ts.Type[]} */
      let types = [receiver];
      for (const segment of raw.trim().split("/").filter(Boolean)) {
        /** @type {ts.Symbol[]} */
        const props = [];
        for (const t of types) {
          const target = checker.getNonNullableType(t);
          for (const c of constituents(target.getNumberIndexType() ?? target)) {
            const p = c.getProperty(segment);
            if (p) props.push(p);
          }
        }
        recordDecls(
          lit,
          props.flatMap((p) => p.declarations ?? []),
          segment,
          "load",
        );
        types = props.map((p) => checker.getTypeOfSymbolAtLocation(p, lit));
      }
    }
  };

  /** @param {ts.Node} node */
  const visit = (node) => {
    if (ts.isPropertyAccessExpression(node)) {
      const call =
        node.parent && ts.isCallExpression(node.parent) && node.parent.expression === node ? node.parent : undefined;
      const signature = call ? checker.getResolvedSignature(call) : undefined;
      const sym = checker.getSymbolAtLocation(node.name);
      const decls = signature?.declaration ? [signature.declaration] : sym?.declarations;
      /** @type {UseKind} */
      let kind = call ? "call" : isWriteTarget(node) ? "write" : "property";
      // Reading a scalar property only returns the value an earlier load fetched: no request reaches Excel, and the
      // load (a checked use) is what needs the set. Navigation properties (ClientObjects) build requests: checked.
      if (kind === "property" && sym && sym.flags & ts.SymbolFlags.Property) {
        const type = checker.getNonNullableType(checker.getTypeAtLocation(node));
        if (!type.getProperty("isNullObject")) kind = "read";
      }
      recordDecls(node.name, decls, node.name.text, kind);
      if (
        call &&
        node.name.text === "load" &&
        sym?.declarations?.some((d) => isOfficeTypings(d.getSourceFile().fileName))
      ) {
        const receiver = checker.getTypeAtLocation(node.expression);
        for (const arg of call.arguments) {
          if (ts.isStringLiteralLike(arg)) recordLoadPaths(arg, receiver);
          else if (ts.isArrayLiteralExpression(arg)) {
            for (const el of arg.elements) if (ts.isStringLiteralLike(el)) recordLoadPaths(el, receiver);
          }
        }
      }
    } else if (
      (ts.isPropertyAssignment(node) || ts.isShorthandPropertyAssignment(node)) &&
      ts.isObjectLiteralExpression(node.parent) &&
      (ts.isIdentifier(node.name) || ts.isStringLiteral(node.name))
    ) {
      const contextual = checker.getContextualType(node.parent);
      if (contextual) {
        const name = node.name.text;
        const decls = constituents(contextual).flatMap((t) => t.getProperty(name)?.declarations ?? []);
        recordDecls(node.name, decls, name, "literal");
      }
    } else if (ts.isCallExpression(node)) {
      let sym = checker.getSymbolAtLocation(
        ts.isPropertyAccessExpression(node.expression) ? node.expression.name : node.expression,
      );
      if (sym && sym.flags & ts.SymbolFlags.Alias) sym = checker.getAliasedSymbol(sym);
      const suffix = sym && SUFFIX.exec(sym.name);
      const decl = sym?.declarations?.[0];
      if (suffix && decl && !isOfficeTypings(decl.getSourceFile().fileName)) {
        const version = `1.${suffix[1]}`;
        record(node.expression, `${sym?.name}()`, { set: `ExcelApi ${version}`, version }, "call");
      }
    }
    ts.forEachChild(node, visit);
  };

  for (const file of files) {
    const sf = program.getSourceFile(file);
    if (!sf) throw new Error(`TypeScript could not read ${file}`);
    visit(sf);
  }

  const versions = (/** @type {ApiUse[]} */ list) =>
    list
      .map((u) => u.version)
      .filter((v) => v !== null)
      .sort(compareVersions);
  const violations = uses.filter((u) => !u.guarded);
  const base = uses.filter((u) => u.version !== null && compareVersions(u.version, minVersion) <= 0);
  return {
    minVersion,
    uses,
    violations,
    /** Highest ExcelApi set used anywhere, guarded or not: what a client needs for every feature. */
    highestUsed: versions(uses).pop() ?? null,
    /** Highest ExcelApi set used without a guard (within the minimum or not): what a client needs to run at all. */
    highestUnguarded: versions([...base, ...violations]).pop() ?? null,
  };
}

/**
 * Per-client verdict: a client runs the add-in when its highest set reaches the manifest minimum (and no unguarded
 * newer member remains); it gets every feature when it also reaches the highest guarded set used.
 * @param {ReturnType<typeof checkApi>} result
 */
function clientSupport(result) {
  const floor = [result.minVersion, result.highestUnguarded ?? result.minVersion].sort(compareVersions)[1];
  // A member outside ExcelApi (desktop-only or web-only) used without a guard breaks some client of every version.
  const portable = result.violations.every((v) => v.version !== null);
  return CLIENTS.map((c) => {
    const reaches = (/** @type {string | null} */ v) => v === null || c.max === null || compareVersions(c.max, v) >= 0;
    const runs = portable && reaches(floor);
    const full = runs && reaches(result.highestUsed);
    return { client: c.name, max: c.max ?? "current", runs, full };
  });
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
  const result = checkApi();
  /** @type {Map<string, { set: string, version: string | null, count: number }>} */
  const members = new Map();
  for (const u of result.uses) {
    const m = members.get(u.member + u.set) ?? { set: u.set, version: u.version, count: 0 };
    m.count++;
    members.set(u.member + u.set, m);
  }
  const byMember = [...members.entries()]
    .map(([key, m]) => ({ member: key.slice(0, key.length - m.set.length), ...m }))
    .sort((a, b) => compareVersions(b.version ?? "99", a.version ?? "99") || a.member.localeCompare(b.member));
  console.log(`Excel API members used in src/ (manifest minimum ExcelApi ${result.minVersion}):\n`);
  console.log(table([["member", "set", "uses"], ...byMember.map((m) => [m.member, m.set, String(m.count)])]));

  const newer = result.uses.filter((u) => u.version === null || compareVersions(u.version, result.minVersion) > 0);
  if (newer.length > 0) {
    console.log(`\nUses above ExcelApi ${result.minVersion}:\n`);
    console.log(
      table([
        ["member", "set", "where", "guarded?"],
        ...newer.map((u) => [
          u.member,
          u.set,
          `${u.file}:${u.line}`,
          u.kind === "read" ? "n/a (reads a loaded value)" : u.guarded ? "yes" : "NO",
        ]),
      ]),
    );
  }
  console.log(
    `\nHighest set used: ExcelApi ${result.highestUsed ?? "-"}; highest without a guard: ExcelApi ${result.highestUnguarded ?? "-"}`,
  );
  for (const c of clientSupport(result)) {
    const verdict = !c.runs ? "no" : c.full ? "yes" : "yes, with fallbacks for newer features";
    console.log(`  runs on ${c.client} (${c.max})? ${verdict}`);
  }
  if (result.violations.length > 0) {
    console.error(
      `\ncheck:api FAILED: ${result.violations.length} use(s) above ExcelApi ${result.minVersion} outside an isApiSupported() guard:`,
    );
    for (const v of result.violations) console.error(`  ${v.file}:${v.line}  ${v.member}  (${v.set})`);
    process.exitCode = 1;
  } else {
    console.log("\ncheck:api passed.");
  }
}

if (require.main === module) main();

module.exports = { checkApi, clientSupport, manifestMinVersion, parseApiSet, compareVersions };
