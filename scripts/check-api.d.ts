/** Types for scripts/check-api.js (plain Node script, used by test/unit/check-api.test.ts). */

/** How the code touches a member; "read" (a loaded scalar value) is exempt from the gate. */
export type UseKind = "call" | "property" | "write" | "read" | "load" | "literal";

export type ApiUse = {
  /** e.g. "Range.getMergedAreasOrNullObject" */
  member: string;
  /** e.g. "ExcelApi 1.13", or the raw tag of a set the helper cannot guard (ExcelApiDesktop 1.1) */
  set: string;
  /** "1.13"; null for sets the helper cannot guard */
  version: string | null;
  kind: UseKind;
  /** Path relative to the root. */
  file: string;
  /** 1-based line. */
  line: number;
  /** True when within the manifest minimum, covered by a guard, or a read of a loaded value. */
  guarded: boolean;
};

export type CheckApiResult = {
  minVersion: string;
  uses: ApiUse[];
  violations: ApiUse[];
  highestUsed: string | null;
  highestUnguarded: string | null;
};

export type CheckApiOptions = {
  /** Repository root; default: the folder above scripts/. */
  root?: string;
  /** Files to check; default: src/**\/*.ts(x) without src/offline/, src/contract/ and tests. */
  files?: string[];
  /** ExcelApi minimum; default: read from root/manifest.xml. */
  minVersion?: string;
  /** The file exporting the guard `isApiSupported`; default: root/src/excel/requirements.ts. */
  helperFile?: string;
};

export type ClientVerdict = { client: string; max: string; runs: boolean; full: boolean };

export function checkApi(opts?: CheckApiOptions): CheckApiResult;
export function clientSupport(result: CheckApiResult): ClientVerdict[];
export function manifestMinVersion(manifestXml: string): string;
export function parseApiSet(tag: string, write: boolean): { set: string; version: string | null };
export function compareVersions(a: string, b: string): number;
