/** The licence and audit check (scripts/check-licenses.js): SPDX evaluation, the tree walk and audit outcomes. */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  collectProdPackages,
  declaredLicense,
  evaluateLicenses,
  interpretAudit,
  licenseFits,
  readAllowlist,
} from "../../scripts/check-licenses";

const ROOT = path.resolve(__dirname, "..", "..");

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "licenses-"));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Writes package.json files: keys are folders relative to the fixture root. */
function tree(packages: Record<string, Record<string, unknown>>): void {
  for (const [folder, pkg] of Object.entries(packages)) {
    fs.mkdirSync(path.join(dir, folder), { recursive: true });
    fs.writeFileSync(path.join(dir, folder, "package.json"), JSON.stringify(pkg));
  }
}

describe("licenseFits", () => {
  it.each([
    ["MIT", true],
    ["Apache-2.0", true],
    ["(MIT OR GPL-3.0-or-later)", true],
    ["(MIT AND Zlib)", true],
    ["Apache-2.0 WITH LLVM-exception", true],
    ["GPL-3.0-only", false],
    ["AGPL-3.0", false],
    ["LGPL-2.1-or-later", false],
    ["SSPL-1.0", false],
    ["MIT AND LGPL-2.1", false],
    ["SEE LICENSE IN LICENSE.txt", false],
    ["UNLICENSED", false],
    ["", false],
  ])("judges %p as fitting MIT: %p", (expression, fits) => {
    expect(licenseFits(expression)).toBe(fits);
  });

  it("throws on an unbalanced expression", () => {
    expect(() => licenseFits("(MIT OR ISC")).toThrow("Unbalanced");
  });
});

describe("declaredLicense", () => {
  it("reads SPDX strings and the legacy object and array forms", () => {
    expect(declaredLicense({ license: " MIT " })).toBe("MIT");
    expect(declaredLicense({ license: { type: "BSD-3-Clause" } })).toBe("BSD-3-Clause");
    expect(declaredLicense({ licenses: [{ type: "MIT" }, { type: "Apache-2.0" }] })).toBe("(MIT OR Apache-2.0)");
    expect(declaredLicense({})).toBe("");
  });
});

describe("collectProdPackages", () => {
  it("walks dependencies, nested copies and peers but not devDependencies", () => {
    tree({
      ".": { name: "app", dependencies: { a: "1" }, devDependencies: { dev: "1" } },
      "node_modules/a": { name: "a", version: "1.0.0", license: "MIT", dependencies: { b: "2" } },
      "node_modules/a/node_modules/b": { name: "b", version: "2.0.0", license: "ISC", peerDependencies: { p: "1" } },
      "node_modules/b": { name: "b", version: "1.0.0", license: "GPL-3.0" },
      "node_modules/p": { name: "p", version: "1.0.0", license: "Apache-2.0" },
      "node_modules/dev": { name: "dev", version: "1.0.0", license: "GPL-3.0" },
    });
    expect(collectProdPackages(dir).map((p) => `${p.name}@${p.version} ${p.license}`)).toEqual([
      "a@1.0.0 MIT",
      "b@2.0.0 ISC",
      "p@1.0.0 Apache-2.0",
    ]);
  });

  it("skips a missing optional dependency and throws on a missing required one", () => {
    tree({ ".": { name: "app", dependencies: { a: "1" }, optionalDependencies: { o: "1" } } });
    expect(() => collectProdPackages(dir)).toThrow("a (needed by app) is not installed");
    tree({ "node_modules/a": { name: "a", version: "1.0.0", license: "MIT" } });
    expect(collectProdPackages(dir).map((p) => p.name)).toEqual(["a"]);
  });
});

describe("evaluateLicenses", () => {
  const pkgs = [
    { name: "ok", version: "1.0.0", license: "MIT", dir: "node_modules/ok" },
    { name: "gpl", version: "1.0.0", license: "GPL-3.0", dir: "node_modules/gpl" },
    { name: "odd", version: "0.1.0", license: "MIT/X11", dir: "node_modules/odd" },
  ];

  it("fails non-permissive licences unless the allowlist names the package, the licence and a reason", () => {
    const allow = [{ package: "odd@0.1.0", license: "MIT/X11", reason: "pre-SPDX spelling of MIT" }];
    expect(evaluateLicenses(pkgs, allow).map((r) => [r.name, r.verdict])).toEqual([
      ["ok", "ok"],
      ["gpl", "fail"],
      ["odd", "allowed"],
    ]);
  });

  it("does not carry an allowlist entry over to a different licence", () => {
    const allow = [{ package: "gpl", license: "LGPL-2.1", reason: "a different licence than the installed one" }];
    expect(evaluateLicenses(pkgs, allow)[1].verdict).toBe("fail");
  });

  it("rejects an allowlist entry without a reason", () => {
    const file = path.join(dir, "allow.json");
    fs.writeFileSync(file, JSON.stringify([{ package: "gpl", license: "GPL-3.0", reason: "" }]));
    expect(() => readAllowlist(file)).toThrow('gpl needs a "reason"');
  });
});

describe("interpretAudit", () => {
  it("passes a report without high or critical findings", () => {
    const report = { metadata: { vulnerabilities: { info: 0, low: 1, moderate: 2, high: 0, critical: 0, total: 3 } } };
    expect(interpretAudit(JSON.stringify(report), "")).toMatchObject({ status: "ok" });
  });

  it("fails a report with a high finding and names the package", () => {
    const report = {
      vulnerabilities: { semver: { name: "semver", severity: "high" } },
      metadata: { vulnerabilities: { info: 0, low: 0, moderate: 0, high: 1, critical: 0, total: 1 } },
    };
    const result = interpretAudit(JSON.stringify(report), "");
    expect(result.status).toBe("findings");
    expect(result.message).toContain("semver (high)");
  });

  it("reports a registry error or missing network as could-not-run, never as a pass", () => {
    const refused = {
      message: "405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk",
      error: { summary: "", detail: "" },
    };
    expect(interpretAudit(JSON.stringify(refused), "")).toEqual({
      status: "could-not-run",
      message: `npm audit could not run: ${refused.message}`,
    });
    const offline = { error: { code: "ENOTFOUND", summary: "request to https://registry.npmjs.org failed" } };
    expect(interpretAudit(JSON.stringify(offline), "").status).toBe("could-not-run");
    expect(interpretAudit("", "npm error network").status).toBe("could-not-run");
  });
});

describe("the project's production dependencies", () => {
  it("all carry a licence that fits MIT or an allowlisted exception", () => {
    const results = evaluateLicenses(
      collectProdPackages(ROOT),
      readAllowlist(path.join(ROOT, "scripts", "license-allowlist.json")),
    );
    expect(results.length).toBeGreaterThan(50);
    expect(results.filter((r) => r.verdict === "fail").map((r) => `${r.name}@${r.version} ${r.license}`)).toEqual([]);
  });
});
