/** The contract's own assertions fail where Jest's would, with both values in the message. */
import { AssertionError, expect as check } from "../../../src/contract/expect";

const fails = (fn: () => void): string => {
  try {
    fn();
  } catch (e) {
    if (e instanceof AssertionError) return e.message;
    throw e;
  }
  throw new Error("did not fail");
};

describe("contract expect", () => {
  it("passes what holds", () => {
    check([[1, "a"]]).toEqual([[1, "a"]]);
    check({ a: 1, b: undefined }).toEqual({ a: 1 });
    check({ a: { b: 2, c: 3 }, d: 4 }).toMatchObject({ a: { b: 2 } });
    check([1, 2]).toContain(2);
    check(null).toBeNull();
    check(3).toBeGreaterThanOrEqual(3);
    check(() => {
      throw new Error("x");
    }).toThrow();
    check(1).not.toBe(2);
  });

  it("fails what does not, naming both values", () => {
    expect(fails(() => check([[1]]).toEqual([[2]]))).toBe("expected [[1]] to equal [[2]]");
    expect(fails(() => check({ a: 1 }).toMatchObject({ a: 2 }))).toContain('to match {"a":2}');
    expect(fails(() => check(null).not.toBeNull())).toBe("expected null not to be null");
    expect(fails(() => check(2).toBeGreaterThan(3))).toBe("expected 2 to be greater than 3");
    expect(fails(() => check(() => 1).toThrow())).toBe("expected [function] to throw");
    expect(fails(() => check("a").toBe("b"))).toBe('expected "a" to be "b"');
  });
});
