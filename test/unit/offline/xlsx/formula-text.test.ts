import { fromFileFormula, shiftFormula, toFileFormula } from "../../../../src/offline/xlsx/formula-text";

describe("shared formula shifting", () => {
  it.each([
    ["SUM(A1:$B2)*C$3", 1, 1, "SUM(B2:$B3)*D$3"],
    ["SUMIFS('计划 A1'!$E:$E,'计划 A1'!A:A,$A2)", 2, 1, "SUMIFS('计划 A1'!$E:$E,'计划 A1'!B:B,$A4)"],
    ['IF(A1="B2",LOG10(A1),Sheet1!A1)', 1, 0, 'IF(A2="B2",LOG10(A2),Sheet1!A2)'],
    ["SUM(Plan[Target])+SUM(2:3)", 1, 0, "SUM(Plan[Target])+SUM(3:4)"],
    ["A1-1", -1, 0, "#REF!-1"],
  ])("moves the relative references of %s by (%i, %i)", (formula, dr, dc, expected) => {
    expect(shiftFormula(formula, dr, dc)).toBe(expected);
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
