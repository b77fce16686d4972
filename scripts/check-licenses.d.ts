/** Types for scripts/check-licenses.js (plain Node script, used by test/unit/licenses.test.ts). */

export type PackageInfo = {
  name: string;
  version: string;
  /** SPDX expression as declared; "" when missing. */
  license: string;
  /** Folder relative to the root. */
  dir: string;
};

export type AllowEntry = { package: string; license: string; reason: string };

export type LicenseVerdict = PackageInfo & { verdict: "ok" | "allowed" | "fail"; note: string };

export type AuditResult = {
  status: "ok" | "findings" | "could-not-run";
  counts?: Record<string, number>;
  message: string;
};

export function collectProdPackages(root: string): PackageInfo[];
export function declaredLicense(pkg: Record<string, unknown>): string;
export function licenseFits(expression: string): boolean;
export function evaluateLicenses(packages: PackageInfo[], allowlist: AllowEntry[]): LicenseVerdict[];
export function readAllowlist(file: string): AllowEntry[];
export function interpretAudit(stdout: string, stderr: string): AuditResult;
