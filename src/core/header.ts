/**
 * Header detection: finds the header row of a plan sheet (below titles, 填报单位 lines and blank rows) and maps its
 * columns to fields.
 */
import { FIELDS, type Field, type Grid, type HeaderDetection, type MergedArea, type RefusedColumn } from "./types";
import { headerUnit, isNonFieldHeader, normalizeHeader, sameUnit, scoreHeader, SYNONYMS } from "./schema";
import { cleanText } from "./text";
import { parseMonthParts } from "./month";
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

/** Sub-header words that split a group column (一季度 over 计划 | 完成) without naming a field of their own. */
const SUB_WORDS = new Set(
  [
    "计划",
    "完成",
    "目标",
    "实际",
    "数量",
    "金额",
    "进度",
    "实绩",
    "预计",
    "plan",
    "planned",
    "actual",
    "target",
    "done",
  ].map((w) => w.toLowerCase()),
);

/** A short text that can only be a header cell: a field synonym, 序号, or a sub-header word such as 计划. */
function headerish(v: unknown): boolean {
  if (typeof v !== "string") return false;
  const t = cleanText(v);
  if (!t || t.length > 12 || /\d/.test(t)) return false;
  if (SUB_WORDS.has(t.toLowerCase()) || isNonFieldHeader(t)) return true;
  const top = scoreHeader(t)[0];
  return top !== undefined && top.score >= MIN_SCORE;
}

/**
 * 2 when the row under the header is a sub-header row without merges (一季度 | | 二季度 | over 计划 | 完成 | 计划 | 完成,
 * as LibreOffice and scripts write it): at least two cells, every one header-like, one of them under a blank header cell.
 */
function subHeaderSpan(grid: Grid, headerRow: number): number {
  const main = rowAt(grid, headerRow);
  const sub = rowAt(grid, headerRow + 1);
  let filled = 0;
  let underBlank = false;
  for (let c = 0; c < sub.length; c++) {
    const v = sub[c];
    if (v === "" || v === null || v === undefined) continue;
    if (!headerish(v)) return 1;
    filled++;
    if (cleanText(main[c]) === "") underBlank = true;
  }
  return filled >= 2 && underBlank ? 2 : 1;
}

const M_COLUMN = /^m(1[0-2]|[1-9])$/i;

/** The month (or quarter's last month) a header names when it is only a period: 1月, 一季度, Q3, Jan, M4; else null. */
export function periodOfHeader(text: string): { month: number; quarter: boolean } | null {
  const t = cleanText(text);
  if (!t || t.length > 10) return null;
  const m = M_COLUMN.exec(t);
  if (m) return { month: Number(m[1]), quarter: false };
  const parts = parseMonthParts(t);
  if (parts.kind !== "month") return null;
  return { month: parts.month, quarter: /季|^q[1-4]$|quarter|半年|^h[12]$/i.test(t) };
}

/** Months or quarters laid out as columns: three or more month columns, or two or more quarter (half-year) columns. */
function wideColumns(parents: readonly string[]): HeaderDetection["wide"] {
  const cols: number[] = [];
  const months = new Set<number>();
  let quarters = 0;
  parents.forEach((text, c) => {
    const p = periodOfHeader(text);
    if (!p) return;
    cols.push(c);
    months.add(p.month);
    if (p.quarter) quarters++;
  });
  const quarterly = quarters > 0 && quarters === cols.length;
  if (months.size >= 3 || (quarterly && months.size >= 2)) {
    return { cols, headers: [...new Set(cols.map((c) => cleanText(parents[c])))] };
  }
  return undefined;
}

/** Filled data cells of a column, up to `limit`, for deciding what a column holds. */
function sampleColumn(grid: Grid, col: number, from: number, limit = SAMPLE_CELLS): unknown[] {
  const out: unknown[] = [];
  for (let r = from; r < grid.length && out.length < limit; r++) {
    const v = rowAt(grid, r)[col];
    if (v === "" || v === null || v === undefined) continue;
    if (typeof v === "string" && cleanText(v) === "") continue;
    out.push(v);
  }
  return out;
}

const YES_NO = new Set([
  "是",
  "否",
  "y",
  "n",
  "yes",
  "no",
  "√",
  "×",
  "✓",
  "✗",
  "✔",
  "✘",
  "x",
  "已",
  "未",
  "true",
  "false",
  "已办结",
  "未办结",
]);

/** What a column's data cells are: numbers (quantities), yes/no words, month-like values, other text. */
type Profile = { filled: number; numbers: number; yesNo: number; months: number; words: number; examples: string[] };

function profile(grid: Grid, col: number, from: number): Profile {
  const cells = sampleColumn(grid, col, from);
  const p: Profile = { filled: cells.length, numbers: 0, yesNo: 0, months: 0, words: 0, examples: [] };
  for (const v of cells) {
    const text = cleanText(v);
    if (p.examples.length < 3 && !p.examples.includes(text)) p.examples.push(text);
    if (typeof v === "boolean" || YES_NO.has(text.toLowerCase())) p.yesNo++;
    const q = typeof v === "number" ? "number" : parseQuantity(v).kind;
    if (q === "number") p.numbers++;
    else if (typeof v === "string") p.words++;
    const m = parseMonthParts(v).kind;
    if (m === "month" || m === "annual") p.months++;
  }
  return p;
}

// A header naming the concrete measures under a key task: 具体举措 / 工作措施 under 重点任务, Key Result under Objective.
const MEASURE_HEADER = /举措|措施|子任务|具体任务|具体工作|key\s*results?|^krs?$/i;

function mapHeaderRow(grid: Grid, headerRow: number, merges: readonly MergedArea[] | undefined): HeaderDetection {
  const mergeSpan = headerSpan(headerRow, merges);
  const span = mergeSpan > 1 ? mergeSpan : subHeaderSpan(grid, headerRow);
  const dataFrom = headerRow + span;
  const main = rowAt(grid, headerRow);
  const sub = span > 1 ? rowAt(grid, headerRow + 1) : [];
  const width = Math.max(main.length, sub.length);
  const headers: string[] = [];
  const parents: string[] = [];
  const perCol: Candidate[][] = [];
  let group = "";
  for (let c = 0; c < width; c++) {
    // A column under a parent merged across (完成情况 over 数量 | 进度) reads the parent's text too; without merges, a
    // sub-header word under a blank cell belongs to the group text on its left (一季度 | over 计划 | 完成).
    const m = coveringMerge(merges, headerRow, c);
    const own = cleanText(main[c]);
    const child = span > 1 ? cleanText(sub[c]) : "";
    if (own) group = child ? own : "";
    const inGroup = !own && !m && child && SUB_WORDS.has(child.toLowerCase()) ? group : "";
    const parent = own || (m ? cleanText(rowAt(grid, m.row)[m.col]) : inGroup);
    parents.push(parent);
    headers.push(child && parent && child !== parent ? `${parent}/${child}` : child || parent);
    const fromChild = child ? scoreHeader(child) : [];
    const cands =
      fromChild.length > 0 && fromChild[0].score >= 0.5
        ? fromChild
        : [...fromChild, ...(parent ? scoreHeader(parent).map((x) => ({ ...x, score: x.score * 0.95 })) : [])];
    perCol.push(cands.sort((a, b) => b.score - a.score));
  }

  // Months or quarters as columns are a layout of their own: none of those columns is read as a field here.
  const wide = wideColumns(parents);
  const wideCols = new Set(wide?.cols ?? []);
  const profiles = new Map<number, Profile>();
  const profileOf = (c: number): Profile => {
    let p = profiles.get(c);
    if (!p) {
      p = profile(grid, c, dataFrom);
      profiles.set(c, p);
    }
    return p;
  };
  perCol.forEach((cands, c) => {
    if (wideCols.has(c)) {
      perCol[c] = [];
      return;
    }
    perCol[c] = adjustByData(cands, headers[c], () => profileOf(c));
  });

  // Two activity columns, one naming measures (具体举措) beside a key task (重点任务): the measure is the item, the task
  // its parent.
  const activityCols = perCol
    .map((cands, col) => ({ col, score: cands.find((x) => x.field === "activity")?.score ?? 0 }))
    .filter((x) => x.score >= MIN_SCORE);
  let parentCol: number | undefined;
  const measure = activityCols.find((x) => MEASURE_HEADER.test(normalizeHeader(headers[x.col])));
  if (measure && activityCols.length >= 2) {
    const parent = activityCols
      .filter((x) => x.col < measure.col)
      .sort((a, b) => b.score - a.score || b.col - a.col)[0];
    if (parent) {
      parentCol = parent.col;
      perCol[measure.col] = perCol[measure.col].map((x) => (x.field === "activity" ? { ...x, score: 1.6 } : x));
      perCol[parent.col] = perCol[parent.col].filter((x) => x.field !== "activity");
    }
  }

  const pairs: { col: number; field: Field; score: number }[] = [];
  perCol.forEach((cands, col) => {
    for (const x of cands) if (x.score >= MIN_SCORE) pairs.push({ col, field: x.field, score: x.score });
  });
  pairs.sort((a, b) => b.score - a.score || a.col - b.col);
  const mapping: HeaderDetection["mapping"] = {};
  const colField = new Map<number, Field>();
  const used: { col: number; score: number }[] = [];
  const refused: RefusedColumn[] = [];
  for (const p of pairs) {
    if (mapping[p.field] !== undefined || colField.has(p.col)) continue;
    // A column is the month column only if most of its cells read as months: planned counts under a 季度 header must
    // never be rewritten as dates.
    if (p.field === "month") {
      const prof = profileOf(p.col);
      if (prof.filled > 0 && prof.months / prof.filled < 0.5) {
        if (!refused.some((x) => x.col === p.col))
          refused.push({
            col: p.col,
            header: headers[p.col],
            field: "month",
            reason: "notMonths",
            detail: prof.examples.join("、"),
          });
        continue;
      }
    }
    mapping[p.field] = p.col;
    colField.set(p.col, p.field);
    used.push(p);
  }

  // 完成情况 holding numbers in some rows and words (已完成, 部分完成, √) in others is both: numbers → actual, words →
  // status. So is an actual column with words when there is no status column.
  const act = mapping.actual;
  if (act !== undefined && mapping.status === undefined && profileOf(act).words > 0) mapping.status = act;
  const st = mapping.status;
  if (st !== undefined && mapping.actual === undefined && st !== act) {
    const scoredActual = perCol[st].some((x) => x.field === "actual" && x.score >= MIN_SCORE);
    if (scoredActual && profileOf(st).numbers > 0) mapping.actual = st;
  }

  // A parent column is the category when the sheet has none.
  if (parentCol !== undefined && !colField.has(parentCol) && mapping.category === undefined) {
    mapping.category = parentCol;
    colField.set(parentCol, "category");
    parentCol = undefined;
  }

  // A unit in a header is the unit of every number below it: 目标（场次） beside 完成数（人次） are not a pair.
  const headerUnits: Record<number, string> = {};
  headers.forEach((h, c) => {
    const u = headerUnit(h);
    if (u) headerUnits[c] = u;
  });
  const tu = mapping.target !== undefined ? headerUnits[mapping.target] : undefined;
  const au = mapping.actual !== undefined ? headerUnits[mapping.actual] : undefined;
  if (tu && au && !sameUnit(tu, au) && mapping.actual !== undefined) {
    refused.push({
      col: mapping.actual,
      header: headers[mapping.actual],
      field: "actual",
      reason: "unitMismatch",
      detail: `${au}|${tu}`,
    });
    if (mapping.status !== mapping.actual) colField.delete(mapping.actual);
    delete mapping.actual;
  }

  const mappedCols = new Set(Object.values(mapping));
  const alternatives: HeaderDetection["alternatives"] = [];
  const unmapped: HeaderDetection["unmapped"] = [];
  for (let c = 0; c < width; c++) {
    if (mappedCols.has(c) || !headers[c] || c === parentCol) continue;
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
    span,
    ...(parentCol !== undefined ? { parent: parentCol } : {}),
    headerUnits,
    refused,
    ...(wide ? { wide } : {}),
  };
}

/**
 * Data decides between fields a header names alike: 完成情况 (actual and status) leans to actual when its cells are
 * mostly numbers, else to status; a column of yes/no answers (是/否, √/×, Y/N) is the status, above free-text progress.
 */
function adjustByData(cands: Candidate[], header: string, prof: () => Profile): Candidate[] {
  if (cands.length === 0) return cands;
  let out = cands;
  const actual = out.find((x) => x.field === "actual");
  const status = out.find((x) => x.field === "status");
  if (actual && status && Math.abs(actual.score - status.score) <= 0.011) {
    const p = prof();
    const numeric = p.filled > 0 && p.numbers / p.filled >= 0.5;
    const loser = numeric ? status : actual;
    out = out.map((x) => (x === loser ? { ...x, score: x.score - 0.1 } : x));
  }
  if (status || YES_NO_HEADER_HINT.test(header)) {
    const p = prof();
    if (p.filled > 0 && p.yesNo / p.filled >= 0.8) {
      out = [{ field: "status", score: 1.5 }, ...out.filter((x) => x.field !== "status")];
    }
  }
  return out.sort((a, b) => b.score - a.score);
}

const YES_NO_HEADER_HINT = /是否|办结|完成|done|complete/i;

/**
 * The headers most like a field's names, for a message about a role that was not found: unmapped and alternative
 * headers ranked by the characters they share with the field's synonyms; when none shares any, the unmapped headers.
 * @example closestHeaders(detectHeader([["月份", "任务说明", "主持"], ["9月", "讲座", "张三"]]), "owner") // [...]
 */
export function closestHeaders(d: HeaderDetection, field: Field, max = 3): string[] {
  const names = [...SYNONYMS[field].zh, ...SYNONYMS[field].en].map(normalizeHeader);
  const mapped = new Set(Object.values(d.mapping));
  const pool = d.headers
    .map((header, col) => ({ header, col }))
    .filter((h) => h.header !== "" && !mapped.has(h.col) && !isNonFieldHeader(h.header));
  const scored = pool
    .map((h) => ({ ...h, score: Math.max(0, ...names.map((n) => overlap(normalizeHeader(h.header), n))) }))
    .sort((a, b) => b.score - a.score || a.col - b.col);
  const near = scored.filter((h) => h.score > 0);
  return (near.length > 0 ? near : scored).slice(0, max).map((h) => h.header);
}

/** Dice coefficient of the characters (CJK) or words (ASCII) two header texts share. */
function overlap(a: string, b: string): number {
  const units = (s: string) => (/^[\x20-\x7e]+$/.test(s) ? s.split(/[^a-z0-9]+/).filter(Boolean) : [...s]);
  const x = units(a);
  const y = new Set(units(b));
  if (x.length === 0 || y.size === 0) return 0;
  let shared = 0;
  for (const u of new Set(x)) if (y.has(u)) shared++;
  return (2 * shared) / (new Set(x).size + y.size);
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
      if (other && !sharable(other, field))
        throw new RangeError(`Fields ${other} and ${field} cannot share column ${col}`);
      taken.set(col, field);
      for (const f of FIELDS) {
        if (f !== field && mapping[f] === col && override[f] === undefined && !sharable(f, field)) delete mapping[f];
      }
      mapping[field] = col;
    }
    if (previous !== undefined && previous !== mapping[field] && d.headers[previous]) {
      alternatives.push({ field, col: previous, header: d.headers[previous] });
    }
  }
  const mappedCols = new Set(Object.values(mapping));
  // The user's word is final: a column they chose is read, whatever detection thought of it.
  const refused = (d.refused ?? []).filter((x) => !mappedCols.has(x.col));
  const alts = alternatives.filter(
    (a, i) => !mappedCols.has(a.col) && alternatives.findIndex((b) => b.col === a.col && b.field === a.field) === i,
  );
  const altCols = new Set(alts.map((a) => a.col));
  const unmapped: HeaderDetection["unmapped"] = [];
  d.headers.forEach((header, col) => {
    if (header && !mappedCols.has(col) && !altCols.has(col)) unmapped.push({ col, header });
  });
  return { ...d, mapping: orderMapping(mapping), alternatives: alts, unmapped, refused, confidence: 1 };
}

/** Only actual and status may share a column: 完成情况 holding numbers and words. */
function sharable(a: Field, b: Field): boolean {
  return (a === "actual" && b === "status") || (a === "status" && b === "actual");
}
