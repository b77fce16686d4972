/**
 * The one guard for Excel API members above the manifest's minimum (ExcelApi 1.8). `npm run check:api` accepts a use
 * of a newer member only inside a branch guarded by this function.
 */
type Checker = (version: string) => boolean;

let checker: Checker | undefined;

/** Lets a host without Office.js (the offline host) answer requirement-set questions. */
export function setRequirementChecker(fn: Checker | undefined): void {
  checker = fn;
}

/** True when the running Excel supports `ExcelApi <version>`. */
export function isApiSupported(version: string): boolean {
  if (checker) return checker(version);
  if (typeof Office !== "undefined" && Office.context?.requirements) {
    return Office.context.requirements.isSetSupported("ExcelApi", version);
  }
  return false;
}
