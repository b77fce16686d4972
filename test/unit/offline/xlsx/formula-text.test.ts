import { fromFileFormula, shiftFormula, toFileFormula } from "../../../../src/offline/xlsx/formula-text";

describe("shared formula shifting", () => {
  it.each([
    ["SUM(A1:$B2)*C$3", 1, 1, "SUM(B2:$B3)*D$3"],
    ["SUMIFS('计划 A1'!$E:$E,'计划 A1'!A:A,$A2)", 2, 1, "SUMIFS('计划 A1'!$E:$E,'计划 A1'!B:B,$A4)"],
    ['IF(A1="B2",LOG10(A1),Sheet1!A1)', 1, 0, 'IF(A2="B2",LOG10(A2),Sheet1!A2)'],
    ["SUM(Plan[Target])+SUM(2:3)", 1, 0, "SUM(Plan[Target])+SUM(3:4)"],
    ["A1-1", -1, 0, "#REF!-1"],
    ["IF([@Target]>0,$A$1,Plan[@Actual])", 5, 3, "IF([@Target]>0,$A$1,Plan[@Actual])"],
  ])("moves the relative references of %s by (%i, %i)", (formula, dr, dc, expected) => {
    expect(shiftFormula(formula, dr, dc)).toBe(expected);
  });

  it("gives each row its own references when one formula is filled down many rows", () => {
    // The formula is cut up once and reused: every shift must still start from the original text.
    const got = [1, 2, 3, 1000, 1].map((dr) => shiftFormula("B1*$C$1+SUM($D1:D2)", dr, 0));
    expect(got).toEqual([
      "B2*$C$1+SUM($D2:D3)",
      "B3*$C$1+SUM($D3:D4)",
      "B4*$C$1+SUM($D4:D5)",
      "B1001*$C$1+SUM($D1001:D1002)",
      "B2*$C$1+SUM($D2:D3)",
    ]);
  });
});

describe("formula text between the model and the file", () => {
  it("spells this-row references the file's way and back", () => {
    const model = '=Plan[@Target]*2+Plan[@[Work item]]&"[@x]"';
    const file = toFileFormula(model);
    expect(file).toBe('Plan[[#This Row],[Target]]*2+Plan[[#This Row],[Work item]]&"[@x]"');
    expect(fromFileFormula(file)).toBe(model);
  });

  it("names the containing table for this-row references written without it, as the file format requires", () => {
    expect(toFileFormula("=IF([@Target]>0,[@Actual]/Plan[@Target],COUNTA([@[A]:[B]]))", "Plan")).toBe(
      "IF(Plan[[#This Row],[Target]]>0,Plan[[#This Row],[Actual]]/Plan[[#This Row],[Target]],COUNTA(Plan[[#This Row],[A]:[B]]))",
    );
  });
});
