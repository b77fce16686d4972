/**
 * The structured sheet stays readable (issue 16 §6): the table style's white header text is replaced by black or
 * white, whichever contrasts with the fill the user gave a header cell; unfilled header cells keep the style's look;
 * the month column is widened to show 2026年12月 once 3月 has become a date.
 */
import { createOfflineOperations } from "../../src/hosting/offline";
import { OfflineHost, createWorkbookModel, sheetFromGrid } from "../../src/offline";
import { MONTH_WIDTH, textColorOn } from "../../src/excel/readable";

const grid = [
  ["2026年工作台账"],
  ["月份", "工作任务", "责任单位", "目标任务", "实际完成"],
  ["3月", "科普讲座", "科普部", 6, 3],
  ["12月", "年度总结", "办公室", 1, ""],
];

async function structured(fills: Record<number, string>, monthWidth = 30) {
  const model = createWorkbookModel([]);
  const sheet = sheetFromGrid(model, "台账", grid);
  for (const [c, fill] of Object.entries(fills)) {
    const cell = sheet.rows.get(1)?.get(Number(c));
    if (cell) cell.style = { ...cell.style, fill };
  }
  sheet.columnWidths.set(0, monthWidth);
  await createOfflineOperations(new OfflineHost(model)).structure({ lang: "zh-CN" });
  return sheet;
}

describe("a structured sheet stays readable", () => {
  it("gives the user's filled header cells black text on light fills and white on dark; unfilled cells keep the style", async () => {
    const sheet = await structured({ 0: "#D9D9D9", 1: "#DDEBF7", 2: "#1F3864" });
    const font = (c: number) => sheet.rows.get(1)?.get(c)?.style?.fontColor;
    expect([font(0), font(1), font(2)]).toEqual(["#000000", "#000000", "#FFFFFF"]);
    expect(font(3)).toBeUndefined();
    expect(sheet.rows.get(1)?.get(0)?.style?.fill).toBe("#D9D9D9");
  });

  it("widens the month column to its normalised months, and never narrows a wider one", async () => {
    expect((await structured({})).columnWidths.get(0)).toBe(MONTH_WIDTH["zh-CN"]);
    expect((await structured({}, 120)).columnWidths.get(0)).toBe(120);
  });

  it("picks the text colour with the higher contrast ratio", () => {
    expect(["#FFFFFF", "#D9D9D9", "#BDD7EE", "#FFC000", "#808080", "#4472C4", "#000000"].map(textColorOn)).toEqual([
      "#000000",
      "#000000",
      "#000000",
      "#000000",
      "#000000",
      "#FFFFFF",
      "#FFFFFF",
    ]);
    expect(textColorOn("orange")).toBeUndefined();
  });
});
