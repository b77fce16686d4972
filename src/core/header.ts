/**
 * Header detection: finds the header row of a plan sheet (below titles, 填报单位 lines and blank rows) and maps its
 * columns to fields.
 */
import { FIELDS, type Field, type Grid, type HeaderDetection, type MergedArea } from "./types";
import { isNonFieldHeader, scoreHeader } from "./schema";
import { cleanText } from "./text";
import { parseQuantity } from "./quantity";

/** A header cell must score at least this for its field to count. */
const MIN_SCORE = 0.35;
/** A row is a header when it names at least two fields and scores this much. */
const MIN_ROW_SCORE = 1.5;
const DEFAULT_SCAN_ROWS = 30;
/** Data cells sampled to decide 完成情况 (numbers → actual, text → status). */
const SAMPLE_CELLS = 200;

type Candidate = { field: Field; score: number };

function rowAt(grid: Grid, r: number): readonly unknown[] {
  const row: unknown = grid[r];
  return Array.isArray(row) ? row : [];
}

/** How many rows the header spans: more than one when a header cell is merged down over a sub-header row. */
export function headerSpan(headerRow: number, merges: readonly MergedArea[] | undefined): number {
  let span = 1;
  if (headerRow < 0 || !merges) return span;
  for (const m of merges) if (m.row === headerRow && m.rowCount > span && m.rowCount <= 3) span = m.rowCount;
  return span;
}

function coveringMerge(merges: readonly MergedArea[] | undefined, r: number, c: number): MergedArea | undefined {
  if (!merges) return undefined;
  for (const m of merges) {
    if (r >= m.row && r < m.row + m.rowCount && c >= m.col && c < m.col + m.colCount) return m;
  }
  return undefined;
}

/** Scores one row as a header: synonym hits (each field once, at its best), minus numbers, long texts, titles. */
function scoreRow(row: readonly unknown[], r: number, merges: readonly MergedArea[] | undefined): number {
  const best = new Map<Field, number>();
  let nonField = 0;
  let penalty = 0;
  let nonEmpty = 0;
  let lastCol = -1;
  for (let c = 0; c < row.length; c++) {
    const v = row[c];
    if (typeof v === "number") {
      penalty += 0.5;
      nonEmpty++;
      continue;
    }
    const text = cleanText(v);
    if (!text) continue;
    nonEmpty++;
    lastCol = c;
    if (text.length > 30) {
      penalty += 0.5;
      continue;
    }
    if (isNonFieldHeader(text)) {
      nonField++;
      continue;
    }
    const top = scoreHeader(text)[0];
    if (top && top.score >= MIN_SCORE && top.score > (best.get(top.field) ?? 0)) best.set(top.field, top.score);
  }
  // A lone text merged across the sheet is a title, not a header.
  if (nonEmpty === 1 && lastCol >= 0) {
    const m = coveringMerge(merges, r, lastCol);
    if (m && m.colCount >= 3) penalty += 1;
  }
  if (best.size < 2) return [...best.values()].reduce((a, b) => a + b, 0) * 0.5 - penalty;
  return [...best.values()].reduce((a, b) => a + b, 0) + (nonField > 0 ? 0.3 : 0) - penalty;
}

/** Share of non-empty data cells in a column that read as numbers. */
function numericShare(grid: Grid, col: number, from: number): number {
  let seen = 0;
  let numbers = 0;
  for (let r = from; r < grid.length && seen < SAMPLE_CELLS; r++) {
    const v = rowAt(grid, r)[col];
    if (v === "" || v === null || v === undefined) continue;
    seen++;
    if (typeof v === "number" || parseQuantity(v).kind === "number") numbers++;
  }
  return seen === 0 ? 0 : numbers / seen;
}

/**
 * Finds the header row among the first `maxScanRows` rows (default 30) and maps columns to fields. Two columns that
 * compete for a field (责任单位, 责任人): the better keeps it, the other is listed in `alternatives`. 完成情况 maps to
 * actual when its data cells are mostly numbers, else to status. A header cell merged down over a sub-header row
 * uses the sub-header where that names a field. No header: `headerRow` -1 and the best rows in `candidates`.
 * @example detectHeader([["2025年工作台账"], ["月份", "工作任务", "责任单位"], ["9月", "科普宣传", "科普部"]]).mapping
 *   // { month: 0, activity: 1, owner: 2 }
 */
export function detectHeader(
  grid: Grid,
  merges?: readonly MergedArea[],
  opts?: { maxScanRows?: number },
): HeaderDetection {
  const scan = Math.min(grid.length, Math.max(1, Math.floor(opts?.maxScanRows ?? DEFAULT_SCAN_ROWS)));
  // Only merges near the top matter for titles and header cells; a ledger can have thousands of merged months below.
  const head = merges?.filter((m) => m.row <= scan + 3);
  const scored: { row: number; score: number }[] = [];
  for (let r = 0; r < scan; r++) {
    const row = rowAt(grid, r);
    if (row.length === 0) continue;
    const score = scoreRow(row, r, head);
    if (score > 0) scored.push({ row: r, score });
  }
  const ranked = [...scored].sort((a, b) => b.score - a.score || a.row - b.row);
  const top = ranked[0];
  const textsOf = (r: number): string[] => rowAt(grid, r).map((v) => cleanText(v));
  if (!top || top.score < MIN_ROW_SCORE) {
    return {
      headerRow: -1,
      headers: [],
      mapping: {},
      alternatives: [],
      unmapped: [],
      confidence: 0,
      candidates: ranked.slice(0, 3).map((c) => ({ row: c.row, score: round2(c.score), headers: textsOf(c.row) })),
    };
  }
  return mapHeaderRow(grid, top.row, head);
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

/**
 * Maps the columns of a header row the caller already knows (a structured plan's table header), as detectHeader maps
 * the row it finds.
 * @example detectHeaderAt([["台账"], ["月份", "工作任务"]], 1).mapping // { month: 0, activity: 1 }
 */
export function detectHeaderAt(grid: Grid, headerRow: number, merges?: readonly MergedArea[]): HeaderDetection {
  return mapHeaderRow(
    grid,
    headerRow,
    merges?.filter((m) => m.row <= headerRow + 3),
  );
}

function mapHeaderRow(grid: Grid, headerRow: number, merges: readonly MergedArea[] | undefined): HeaderDetection {
  const span = headerSpan(headerRow, merges);
  const dataFrom = headerRow + span;
  const main = rowAt(grid, headerRow);
  const sub = span > 1 ? rowAt(grid, headerRow + 1) : [];
  const width = Math.max(main.length, sub.length);
  const headers: string[] = [];
  const perCol: Candidate[][] = [];
  for (let c = 0; c < width; c++) {
    // A column under a parent merged across (完成情况 over 数量 | 进度) reads the parent's text too.
    const m = coveringMerge(merges, headerRow, c);
    const own = cleanText(main[c]);
    const parent = own || (m ? cleanText(rowAt(grid, m.row)[m.col]) : "");
    const child = span > 1 ? cleanText(sub[c]) : "";
    headers.push(child && parent && child !== parent ? `${parent}/${child}` : child || parent);
    const fromChild = child ? scoreHeader(child) : [];
    const cands =
      fromChild.length > 0 && fromChild[0].score >= 0.5
        ? fromChild
        : [...fromChild, ...(parent ? scoreHeader(parent).map((x) => ({ ...x, score: x.score * 0.95 })) : [])];
    perCol.push(resolveCompletion(cands, grid, c, dataFrom));
  }

  const pairs: { col: number; field: Field; score: number }[] = [];
  perCol.forEach((cands, col) => {
    for (const x of cands) if (x.score >= MIN_SCORE) pairs.push({ col, field: x.field, score: x.score });
  });
  pairs.sort((a, b) => b.score - a.score || a.col - b.col);
  const mapping: HeaderDetection["mapping"] = {};
  const colField = new Map<number, Field>();
  const used: { col: number; score: number }[] = [];
  for (const p of pairs) {
    if (mapping[p.field] !== undefined || colField.has(p.col)) continue;
    mapping[p.field] = p.col;
    colField.set(p.col, p.field);
    used.push(p);
  }
  const alternatives: HeaderDetection["alternatives"] = [];
  const unmapped: HeaderDetection["unmapped"] = [];
  for (let c = 0; c < width; c++) {
    if (colField.has(c) || !headers[c]) continue;
    const best = perCol[c][0];
    if (best && best.score >= MIN_SCORE) alternatives.push({ field: best.field, col: c, header: headers[c] });
    else unmapped.push({ col: c, header: headers[c] });
  }
  return {
    headerRow,
    headers,
    mapping: orderMapping(mapping),
    alternatives,
    unmapped,
    confidence: confidenceOf(mapping, used, unmapped),
    candidates: [],
  };
}

/** 完成情况 names both actual and status: numbers below it mean actual, text means status. */
function resolveCompletion(cands: Candidate[], grid: Grid, col: number, from: number): Candidate[] {
  const actual = cands.find((x) => x.field === "actual");
  const status = cands.find((x) => x.field === "status");
  if (!actual || !status || Math.abs(actual.score - status.score) > 0.011) return cands;
  const numeric = numericShare(grid, col, from) >= 0.5;
  const loser = numeric ? status : actual;
  return cands.map((x) => (x === loser ? { ...x, score: x.score - 0.1 } : x)).sort((a, b) => b.score - a.score);
}

function orderMapping(m: HeaderDetection["mapping"]): HeaderDetection["mapping"] {
  const out: HeaderDetection["mapping"] = {};
  for (const f of FIELDS) if (m[f] !== undefined) out[f] = m[f];
  return out;
}

/**
 * 0..1: the fields a plan needs (activity most, then month, owner, a quantity) plus how well the headers matched,
 * less a little for header cells nothing understood.
 */
function confidenceOf(
  mapping: HeaderDetection["mapping"],
  used: readonly { score: number }[],
  unmapped: readonly { header: string }[],
): number {
  let c = 0;
  if (mapping.activity !== undefined) c += 0.35;
  if (mapping.month !== undefined) c += 0.2;
  if (mapping.owner !== undefined) c += 0.1;
  if (mapping.target !== undefined || mapping.actual !== undefined) c += 0.1;
  if (used.length > 0) c += (0.25 * used.reduce((a, u) => a + Math.min(u.score, 1), 0)) / used.length;
  const unknown = unmapped.filter((u) => !isNonFieldHeader(u.header)).length;
  c -= 0.05 * Math.min(unknown, 4);
  return round2(Math.max(0, Math.min(1, c)));
}

/**
 * Applies the user's column choices: a number maps the field to that column (taking it from any other field), null
 * unmaps it. A column the user moves a field away from becomes an alternative. The user's word is final, so the
 * confidence becomes 1. Negative or fractional columns, or two fields on one column, are caller errors and throw.
 * @example applyMappingOverride(d, { owner: 4, notes: null }).mapping.owner // 4
 */
export function applyMappingOverride(
  d: HeaderDetection,
  override: Partial<Record<Field, number | null>>,
): HeaderDetection {
  const mapping: HeaderDetection["mapping"] = { ...d.mapping };
  const alternatives = [...d.alternatives];
  const taken = new Map<number, Field>();
  for (const field of FIELDS) {
    const col = override[field];
    if (col === undefined) continue; // absent: keep the detected column
    const previous = mapping[field];
    if (col === null) {
      delete mapping[field];
    } else {
      if (!Number.isInteger(col) || col < 0) throw new RangeError(`Column for ${field} must be ≥ 0: ${String(col)}`);
      const other = taken.get(col);
      if (other) throw new RangeError(`Fields ${other} and ${field} cannot share column ${col}`);
      taken.set(col, field);
      for (const f of FIELDS) if (f !== field && mapping[f] === col && override[f] === undefined) delete mapping[f];
      mapping[field] = col;
    }
    if (previous !== undefined && previous !== mapping[field] && d.headers[previous]) {
      alternatives.push({ field, col: previous, header: d.headers[previous] });
    }
  }
  const mappedCols = new Set(Object.values(mapping));
  const alts = alternatives.filter(
    (a, i) => !mappedCols.has(a.col) && alternatives.findIndex((b) => b.col === a.col && b.field === a.field) === i,
  );
  const altCols = new Set(alts.map((a) => a.col));
  const unmapped: HeaderDetection["unmapped"] = [];
  d.headers.forEach((header, col) => {
    if (header && !mappedCols.has(col) && !altCols.has(col)) unmapped.push({ col, header });
  });
  return { ...d, mapping: orderMapping(mapping), alternatives: alts, unmapped, confidence: 1 };
}
