import type { Lang } from "../core/types";

/**
 * Keeps a structured sheet readable (issue 16 §6). The table style writes its header in white bold, but a header
 * cell's own fill (the user's light grey or light blue) is direct formatting and wins over the style's blue, so the
 * header became white on light grey. Each header cell the user filled gets black or white text, whichever contrasts
 * more with its fill; cells without a fill keep the style's look. The month column, whose 3月 became 2026年3月, is
 * widened to show the whole month.
 */

/** What is read of the header row, riding along with structuring's second round trip. */
export type HeaderLooks = {
  row: number;
  fills: { col: number; fill: Excel.RangeFill }[];
  monthWidth?: Excel.RangeFormat;
};

/**
 * Queues the loads of the fills of header row `row` (columns `c0`..`c1`) and of the month column's width. Range.format
 * fill colour and columnWidth are ExcelApi 1.1 (@types/office-js); an unfilled cell reads "#FFFFFF" there ("the
 * color of the background … #RRGGBB"), which is taken as no fill.
 */
export function loadHeaderLooks(
  ws: Excel.Worksheet,
  row: number,
  c0: number,
  c1: number,
  monthCol: number | undefined,
): HeaderLooks {
  const fills: HeaderLooks["fills"] = [];
  for (let c = c0; c <= c1; c++) {
    const fill = ws.getRangeByIndexes(row, c, 1, 1).format.fill;
    fill.load("color");
    fills.push({ col: c, fill });
  }
  let monthWidth: Excel.RangeFormat | undefined;
  if (monthCol !== undefined) {
    monthWidth = ws.getRangeByIndexes(row, monthCol, 1, 1).format;
    monthWidth.load("columnWidth");
  }
  return { row, fills, monthWidth };
}

/** Relative luminance of "#RRGGBB" (WCAG 2.x); undefined for anything else (named colours, "", null). */
export function luminance(color: string | null | undefined): number | undefined {
  const m = /^#?([0-9a-f]{6})$/i.exec(String(color ?? "").trim());
  if (!m) return undefined;
  const [r, g, b] = [0, 2, 4].map((i) => {
    const v = parseInt(m[1].slice(i, i + 2), 16) / 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** Black or white, whichever has the higher contrast ratio on `fill` (black from luminance 0.179 up). */
export function textColorOn(fill: string): "#000000" | "#FFFFFF" | undefined {
  const l = luminance(fill);
  if (l === undefined) return undefined;
  return (l + 0.05) / 0.05 >= 1.05 / (l + 0.05) ? "#000000" : "#FFFFFF";
}

/** Width in points that shows the month column's normalised months: 2026年12月 / Sep 2026 in Calibri 11, with padding. */
export const MONTH_WIDTH: Readonly<Record<Lang, number>> = { "zh-CN": 78, "en-US": 64 };

/**
 * Writes what the loads asked for: the header text colour on each user-filled cell of the table's header row
 * (`headerRow`), and the month column's width when it is narrower than the months it now shows.
 */
export function applyHeaderLooks(
  ws: Excel.Worksheet,
  looks: HeaderLooks,
  headerRow: number,
  monthCol: number | undefined,
  lang: Lang,
): void {
  if (looks.row === headerRow) {
    for (const { col, fill } of looks.fills) {
      const color = fill.color;
      if (!color || color.toUpperCase() === "#FFFFFF") continue;
      const text = textColorOn(color);
      if (text) ws.getRangeByIndexes(headerRow, col, 1, 1).format.font.color = text;
    }
  }
  if (monthCol !== undefined && looks.monthWidth && looks.monthWidth.columnWidth < MONTH_WIDTH[lang]) {
    ws.getRangeByIndexes(headerRow, monthCol, 1, 1).format.columnWidth = MONTH_WIDTH[lang];
  }
}
