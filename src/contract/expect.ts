/**
 * The assertions of the contract rules: a small subset of Jest's `expect` (toBe, toEqual, toMatchObject, toContain,
 * toBeNull, toThrow, numeric comparisons, `.not`), written here so the same rules run under Jest and inside Excel's
 * task pane without bundling a test framework. A failed assertion throws {@link AssertionError} with both values.
 */

export class AssertionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AssertionError";
  }
}

/** JSON-ish text of a value for messages (undefined, functions and cycles shown plainly). */
export function show(v: unknown): string {
  if (v === undefined) return "undefined";
  if (typeof v === "function") return "[function]";
  try {
    const text = JSON.stringify(v, (_k, x: unknown) => (x === undefined ? "[undefined]" : x));
    return text.length > 400 ? `${text.slice(0, 400)}…` : text;
  } catch {
    return String(v);
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Jest's toEqual: recursive equality where a property set to undefined equals a missing one. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => deepEqual(x, b[i]));
  }
  if (isObject(a) && isObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) if (!deepEqual(a[k], b[k])) return false;
    return true;
  }
  return false;
}

/** Jest's toMatchObject: every property of `expected` is in `actual` with a matching value (arrays match whole). */
export function matchesObject(actual: unknown, expected: unknown): boolean {
  if (isObject(expected)) {
    if (!isObject(actual)) return false;
    return Object.entries(expected).every(([k, v]) => matchesObject(actual[k], v));
  }
  if (Array.isArray(expected)) {
    return (
      Array.isArray(actual) &&
      actual.length === expected.length &&
      expected.every((x, i) => matchesObject(actual[i], x))
    );
  }
  return Object.is(actual, expected);
}

type Matchers = {
  toBe(expected: unknown): void;
  toEqual(expected: unknown): void;
  toMatchObject(expected: Record<string, unknown>): void;
  toContain(item: unknown): void;
  toBeNull(): void;
  toBeUndefined(): void;
  toBeGreaterThan(n: number): void;
  toBeGreaterThanOrEqual(n: number): void;
  toBeLessThan(n: number): void;
  toThrow(): void;
};

function matchers(actual: unknown, negate: boolean): Matchers {
  const check = (pass: boolean, what: string, ...expected: unknown[]) => {
    if (pass !== negate) return;
    const exp = expected.length > 0 ? ` ${show(expected[0])}` : "";
    throw new AssertionError(`expected ${show(actual)} ${negate ? "not " : ""}${what}${exp}`);
  };
  const num = (n: number, what: string, cmp: (a: number) => boolean) =>
    check(typeof actual === "number" && cmp(actual), what, n);
  return {
    toBe: (e) => check(Object.is(actual, e), "to be", e),
    toEqual: (e) => check(deepEqual(actual, e), "to equal", e),
    toMatchObject: (e) => check(matchesObject(actual, e), "to match", e),
    toContain: (item) =>
      check(
        (Array.isArray(actual) || typeof actual === "string") && (actual as unknown[]).includes(item as never),
        "to contain",
        item,
      ),
    toBeNull: () => check(actual === null, "to be null"),
    toBeUndefined: () => check(actual === undefined, "to be undefined"),
    toBeGreaterThan: (n) => num(n, "to be greater than", (a) => a > n),
    toBeGreaterThanOrEqual: (n) => num(n, "to be at least", (a) => a >= n),
    toBeLessThan: (n) => num(n, "to be less than", (a) => a < n),
    toThrow: () => {
      if (typeof actual !== "function") throw new AssertionError("toThrow needs a function");
      let threw = false;
      try {
        (actual as () => unknown)();
      } catch {
        threw = true;
      }
      check(threw, "to throw");
    },
  };
}

/**
 * @example expect(range.values).toEqual([[3]]);
 * @example expect(err).not.toBeNull();
 */
export function expect(actual: unknown): Matchers & { not: Matchers } {
  return { ...matchers(actual, false), not: matchers(actual, true) };
}
