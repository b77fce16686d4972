/**
 * Repairs what Table.convertToRange breaks, for the re-run path of Excels without Table.resize (ExcelApi below 1.13):
 * Excel rewrites every structured reference to the table, in every formula, into A1 references (so the summary, a
 * total row or the user's own formulas stop following the table), and leaves the table style as direct formatting
 * (GUIDE §2). After the table is added again under its name, references that name exactly the old table's parts are
 * written back as structured references, and the style's fills are cleared where they are still the style's.
 */
import { columnLetter, type Rect0 } from "./a1";
import { cellBytes, REQUEST_BUDGET, rowsPerBlock, SyncBudget } from "./budget";

/** The table as it was before convertToRange: its sheet, cells (header row included) and column names. */
export type TableShape = { name: string; sheet: string; rect: Rect0; columns: readonly string[] };

/** A reference in formula text: an optional sheet, then a cell or a range of cells ($ signs optional). */
const REF =
  /(^|[^A-Za-z0-9_.\u00A1-\uFFFF$'!\]])((?:'(?:[^']|'')+'|[A-Za-z_\u00A1-\uFFFF][A-Za-z0-9_.\u00A1-\uFFFF]*)!)?(\$?)([A-Z]{1,3})(\$?)(\d{1,7})(?::(\$?)([A-Z]{1,3})(\$?)(\d{1,7}))?(?![A-Za-z0-9_(\u00A1-\uFFFF])/g;

function colIndex(letters: string): number {
  let n = 0;
  for (const ch of letters) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

function sheetOf(prefix: string | undefined): string | undefined {
  if (prefix === undefined) return undefined;
  const name = prefix.slice(0, -1);
  return name.startsWith("'") ? name.slice(1, -1).replace(/''/g, "'") : name;
}

/** Escapes a column name inside a structured reference ([, ], #, ' are escaped with ' ). */
function col(name: string): string {
  return `[${name.replace(/(['[\]#])/g, "'$1")}]`;
}

/**
 * The formula with A1 references to the old table's parts written back as structured references, or null when it
 * has none: a column's data → `Plan[目标]`, several columns → `Plan[[A]:[B]]`, all data → `Plan[#Data]`, everything →
 * `Plan[#All]`, the header row → `Plan[#Headers]`, and in a row of the table a single cell of that row → `Plan[@目标]`.
 * Text in quotes is left alone.
 * @example restoreStructured("=SUM($C$4:$C$9)", { sheet: "计划", row: 0, col: 9 }, shape) // "=SUM(Plan[目标])"
 */
export function restoreStructured(
  formula: string,
  at: { sheet: string; row: number; col: number },
  shape: TableShape,
): string | null {
  const { rect } = shape;
  const top = rect.r0 + 1;
  let changed = false;
  const rewrite = (text: string) =>
    text.replace(REF, (whole, lead: string, prefix: string | undefined, ...m: string[]) => {
      const sheet = sheetOf(prefix) ?? at.sheet;
      if (sheet.toLowerCase() !== shape.sheet.toLowerCase()) return whole;
      const c0 = colIndex(m[1]);
      const r0 = Number(m[3]) - 1;
      const c1 = m[5] === undefined ? c0 : colIndex(m[5]);
      const r1 = m[7] === undefined ? r0 : Number(m[7]) - 1;
      if (c0 < rect.c0 || c1 > rect.c1 || c1 < c0) return whole;
      const names = shape.columns.slice(c0 - rect.c0, c1 - rect.c0 + 1);
      const cols = names.length === 1 ? col(names[0]) : `${col(names[0])}:${col(names[names.length - 1])}`;
      const all = c0 === rect.c0 && c1 === rect.c1;
      let structured: string | undefined;
      const data = names.length === 1 ? `${shape.name}${cols}` : `${shape.name}[${cols}]`;
      if (r0 === top && r1 === rect.r1) structured = all ? `${shape.name}[#Data]` : data;
      else if (r0 === rect.r0 && r1 === rect.r1)
        structured = all ? `${shape.name}[#All]` : `${shape.name}[[#All],${cols}]`;
      else if (r0 === rect.r0 && r1 === rect.r0)
        structured = all ? `${shape.name}[#Headers]` : `${shape.name}[[#Headers],${cols}]`;
      else if (
        r0 === r1 &&
        r0 === at.row &&
        r0 >= top &&
        r0 <= rect.r1 &&
        sheet.toLowerCase() === at.sheet.toLowerCase() &&
        m[2] === "" &&
        (m[7] === undefined || m[6] === "")
      )
        structured = `${shape.name}[@${cols}]`;
      if (structured === undefined) return whole;
      changed = true;
      return `${lead}${structured}`;
    });
  // Quoted text is split off so that a reference-shaped word inside a string stays as typed.
  const out = formula
    .split(/("(?:[^"]|"")*")/)
    .map((part, i) => (i % 2 === 1 ? part : rewrite(part)))
    .join("");
  return changed ? out : null;
}

/** Fills Excel leaves from TableStyleMedium2 in the default theme: header and odd data rows (band 1). */
const STYLE_FILLS = { header: "#4472C4", band: "#D9E1F2" };

/**
 * Clears the fills the table style left on the old table's cells where they are still exactly the style's (a fill of
 * the user's own of another colour stays). ExcelApi 1.9 for per-cell properties.
 */
export async function clearStyleFills_1_9(
  context: Excel.RequestContext,
  ws: Excel.Worksheet,
  rect: Rect0,
  budget: SyncBudget,
): Promise<void> {
  const cols = rect.c1 - rect.c0 + 1;
  const block = rowsPerBlock(cols, 40);
  for (let s = rect.r0; s <= rect.r1; s += block) {
    const n = Math.min(block, rect.r1 - s + 1);
    const props = ws.getRangeByIndexes(s, rect.c0, n, cols).getCellProperties({ format: { fill: { color: true } } });
    // One read per block of rows: a block exists only because of the 5 MB response limit.
    // eslint-disable-next-line office-addins/no-context-sync-in-loop
    await context.sync();
    for (let i = 0; i < n; i++) {
      const r = s + i;
      const want = r === rect.r0 ? STYLE_FILLS.header : (r - rect.r0) % 2 === 1 ? STYLE_FILLS.band : undefined;
      if (want === undefined) continue;
      let run = -1;
      // eslint-disable-next-line office-addins/load-object-before-read -- a ClientResult needs no load, only the sync above
      const row = props.value[i];
      for (let j = 0; j <= cols; j++) {
        const hit = j < cols && String(row[j]?.format?.fill?.color ?? "").toUpperCase() === want;
        if (hit && run < 0) run = j;
        if (!hit && run >= 0) {
          const start = run;
          await budget.queue(120, () => ws.getRangeByIndexes(r, rect.c0 + start, 1, j - start).format.fill.clear());
          run = -1;
        }
      }
    }
  }
}

/**
 * Reads the formulas of every sheet (in row blocks under the response limit) and writes back, cell by cell, those
 * that name the old table's parts by A1 reference, as structured references (see {@link restoreStructured}), except in
 * the `rewritten` columns of the table's sheet. Returns how many formulas were repaired.
 */
export async function restoreFormulas(
  context: Excel.RequestContext,
  sheets: readonly string[],
  shape: TableShape,
  budget: SyncBudget,
  rewritten: ReadonlySet<number> = new Set(),
): Promise<number> {
  const used = sheets.map((name) => {
    const r = context.workbook.worksheets.getItem(name).getUsedRangeOrNullObject();
    r.load("rowIndex,columnIndex,rowCount,columnCount");
    return { name, r };
  });
  await context.sync();
  let repaired = 0;
  for (const { name, r } of used) {
    if (r.isNullObject) continue;
    const ws = context.workbook.worksheets.getItem(name);
    const block = Math.max(1, Math.floor(rowsPerBlock(r.columnCount, 60, REQUEST_BUDGET)));
    for (let s = 0; s < r.rowCount; s += block) {
      const n = Math.min(block, r.rowCount - s);
      const part = ws.getRangeByIndexes(r.rowIndex + s, r.columnIndex, n, r.columnCount).load("formulas");
      // One read per block of rows (5 MB response limit).
      // eslint-disable-next-line office-addins/no-context-sync-in-loop
      await context.sync();
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < r.columnCount; j++) {
          const f = part.formulas[i][j];
          if (typeof f !== "string" || !f.startsWith("=")) continue;
          const row = r.rowIndex + s + i;
          const c = r.columnIndex + j;
          // Columns of the table's sheet that the caller writes again anyway are not repaired cell by cell.
          if (rewritten.has(c) && name.toLowerCase() === shape.sheet.toLowerCase()) continue;
          const to = restoreStructured(f, { sheet: name, row, col: c }, shape);
          if (to === null) continue;
          repaired++;
          await budget.queue(cellBytes(to) + 100, () => {
            ws.getRange(`${columnLetter(c)}${row + 1}`).formulas = [[to]];
          });
        }
      }
    }
  }
  return repaired;
}
