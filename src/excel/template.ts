/**
 * "Make a template" (issue 17 §4): a submission sheet to send to each department, whose returns Collect returns then
 * reads. It is a sheet of the open workbook, not a new file: Office.js can add sheets, and the user sends it with
 * Excel's own Move or Copy → (new book) and Save As. Excel.createWorkbook (ExcelApi 1.8) opens a new workbook from a
 * base64 .xlsx, but would need our .xlsx writer bundled into the pane, and a copy in a new window is something the
 * user still has to save and name; a sheet keeps the template beside the plan it was made from.
 *
 * Everything the template needs lives on its own sheet, so it survives being moved into a new workbook: the
 * drop-down lists are comma-separated lists in the rule itself (at most 255 characters, Excel's limit for a typed list
 * source), never references to the hidden lists sheet, and the department's name is a cell of the sheet that the owner
 * column's formulas read.
 */
import { fieldLabel, monthLabel } from "../core/labels";
import { periodFromStart, periodMonths } from "../core/period";
import { ANNUAL, type Field, type Lang } from "../core/types";
import { columnLetter } from "./a1";
import { CONFIG_KEY, parseConfig, parsePlansConfig, PLANS_KEY } from "./config";
import { DEFAULT_UNITS, planNames, wbText } from "./layout";
import type { TemplateOptions, TemplateResult } from "./operations";
import { translateOfficeError } from "./read";
import { PLAN_FIELDS } from "./rows";

/** Rows prepared with drop-downs (and the owner formula); a department with more items extends them by copying down. */
export const TEMPLATE_ROWS = 100;
/** Excel's limit for a list typed into a validation rule's source. */
const LIST_LIMIT = 255;
/** Title, department, instruction, then the header: the header's 0-based row. */
const HEADER_ROW = 3;
/** Characters Excel refuses in a sheet name, and its length limit (Excel specifications and limits). */
const SHEET_NAME_BAD = /[\\/?*[\]:]/g;
const SHEET_NAME_MAX = 31;

/**
 * The items of a list, as many as fit a typed list source; items with a comma cannot be typed into one and are left
 * out (the cell then takes them with the Warning the rule gives).
 */
export function typedList(items: readonly string[]): string[] {
  const out: string[] = [];
  let length = 0;
  for (const item of items) {
    const t = item.trim();
    if (t === "" || t.includes(",") || out.includes(t)) continue;
    const next = length + (out.length ? 1 : 0) + t.length;
    if (next > LIST_LIMIT) break;
    out.push(t);
    length = next;
  }
  return out;
}

/**
 * The values of defined names' ranges (the lists sheets' units, categories …), by name, flattened; [] for a name that
 * is absent. One round trip to find the names; their values come with the caller's next sync.
 */
async function namedLists(
  context: Excel.RequestContext,
  names: readonly string[],
): Promise<(name: string) => string[]> {
  const items = names.map((n) => [n, context.workbook.names.getItemOrNullObject(n)] as const);
  await context.sync();
  const ranges = new Map<string, Excel.Range>();
  // NamedItem.getRange: ExcelApi 1.4 (@types/office-js).
  for (const [n, item] of items) if (!item.isNullObject) ranges.set(n, item.getRange().load("values"));
  return (name) =>
    (ranges.get(name)?.values ?? [])
      .flat()
      .map((v) => String(v ?? "").trim())
      .filter((v) => v !== "");
}

/** Adds the submission sheet: title, department, instruction, the plan's columns and drop-downs, in the workbook's language. */
export async function makeTemplate(
  context: Excel.RequestContext,
  opts: TemplateOptions & { now: Date },
): Promise<TemplateResult> {
  try {
    return await writeTemplate(context, opts);
  } catch (e) {
    throw translateOfficeError(e);
  }
}

async function writeTemplate(
  context: Excel.RequestContext,
  opts: TemplateOptions & { now: Date },
): Promise<TemplateResult> {
  const wb = context.workbook;
  const setting = wb.settings.getItemOrNullObject(CONFIG_KEY);
  setting.load("value");
  const plansSetting = wb.settings.getItemOrNullObject(PLANS_KEY);
  plansSetting.load("value");
  const sheets = wb.worksheets.load("items/name");
  await context.sync();
  const config = setting.isNullObject ? undefined : parseConfig(setting.value);
  // Every plan's lists (Plan, Plan2 … of a workbook with several plan sheets), the current plan's first: a department
  // fills in one template whichever sheet its items go to.
  const plans = plansSetting.isNullObject ? undefined : parsePlansConfig(plansSetting.value);
  const tables = [...new Set([config?.table ?? "Plan", ...(plans?.plans ?? []).map((p) => p.table)])];
  const lists = tables.map((t) => planNames(t));
  const valuesOf = await namedLists(
    context,
    lists.flatMap((n) => [n.units, n.categories]),
  );
  await context.sync();
  const lang: Lang = config?.lang ?? opts.lang;
  const period = config?.period ?? periodFromStart(`${opts.now.getFullYear()}-01`);
  const department = (opts.department ?? "").trim();

  const months = typedList([...periodMonths(period).map((m) => monthLabel(m, lang)), monthLabel(ANNUAL, lang)]);
  const units = typedList([...lists.flatMap((n) => valuesOf(n.units)), ...DEFAULT_UNITS]);
  const categories = typedList(lists.flatMap((n) => valuesOf(n.categories)));

  const taken = new Set(sheets.items.map((s) => s.name.toLowerCase()));
  const base = (
    department
      ? wbText(lang, "template.sheetFor", { department: department.replace(SHEET_NAME_BAD, " ") })
      : wbText(lang, "template.sheet")
  ).slice(0, SHEET_NAME_MAX - 3);
  let name = base;
  for (let i = 2; taken.has(name.toLowerCase()); i++) name = `${base} ${i}`;

  const ws = wb.worksheets.add(name);
  const fields: readonly Field[] = PLAN_FIELDS;
  const columns = fields.map((f) => fieldLabel(f, lang));
  const col = (f: Field) => fields.indexOf(f);
  const title = wbText(lang, "template.title", {
    period: `${monthLabel(period.start, lang)} – ${monthLabel(period.end, lang)}`,
  });
  // Text cells go in with a leading apostrophe: a department name such as "=x" or "3-4" stays text.
  ws.getRangeByIndexes(0, 0, HEADER_ROW, 2).values = [
    [`'${title}`, ""],
    [`'${wbText(lang, "template.department")}`, department ? `'${department}` : ""],
    [`'${wbText(lang, "template.instruction")}`, ""],
  ];
  ws.getRangeByIndexes(HEADER_ROW, 0, 1, columns.length).values = [columns.map((c) => `'${c}`)];
  const header = ws.getRangeByIndexes(HEADER_ROW, 0, 1, columns.length);
  header.format.font.bold = true;
  header.format.fill.color = "#DDEBF7";
  ws.getRangeByIndexes(0, 0, 1, 1).format.font.bold = true;
  ws.getRangeByIndexes(0, 0, 1, 1).format.font.size = 14;
  ws.getRangeByIndexes(2, 0, 1, 1).format.font.italic = true;

  const body = (f: Field) => ws.getRangeByIndexes(HEADER_ROW + 1, col(f), TEMPLATE_ROWS, 1);
  // DataValidation (ExcelApi 1.8): a typed list source is "a,b,c" (learn.microsoft.com/javascript/api/excel/
  // excel.listdatavalidation); Warning lets a department enter a value the list lacks, after a question.
  const rule = (f: Field, r: Excel.DataValidationRule, key: "month" | "owner" | "category" | "number") => {
    const dv = body(f).dataValidation;
    dv.clear();
    dv.rule = r;
    dv.ignoreBlanks = true;
    dv.errorAlert = {
      showAlert: true,
      style: "Warning",
      title: wbText(lang, `validation.${key}.title`),
      message: wbText(lang, `validation.${key}.error`),
    };
    dv.prompt = {
      showPrompt: true,
      title: wbText(lang, `validation.${key}.title`),
      message: wbText(lang, `validation.${key}.prompt`),
    };
  };
  const list = (items: string[]): Excel.DataValidationRule => ({
    list: { inCellDropDown: true, source: items.join(",") },
  });
  rule("month", list(months), "month");
  if (units.length) rule("unit", list(units), "category");
  if (categories.length) rule("category", list(categories), "category");
  rule("target", { decimal: { formula1: 0, operator: "GreaterThanOrEqualTo" } }, "number");
  rule("actual", { decimal: { formula1: 0, operator: "GreaterThanOrEqualTo" } }, "number");
  if (department) {
    const own = typedList([department]);
    // A name with a comma cannot be a typed list item: the owner column then has the formula without a drop-down.
    if (own.length) rule("owner", list(own), "owner");
    // The owner fills itself in once an activity is typed: IF only (Excel 2010), reading the department's cell B2, so
    // the department's name never becomes part of a formula. A row without an activity stays empty.
    const a = `$${columnLetter(col("activity"))}`;
    body("owner").formulas = Array.from({ length: TEMPLATE_ROWS }, (_, i) => [
      `=IF(${a}${HEADER_ROW + 2 + i}="","",$B$2)`,
    ]);
  }
  ws.getRangeByIndexes(HEADER_ROW, col("activity"), 1, 1).format.columnWidth = 220;
  ws.getRangeByIndexes(HEADER_ROW, col("notes"), 1, 1).format.columnWidth = 160;
  ws.getRangeByIndexes(HEADER_ROW, col("month"), 1, 1).format.columnWidth = 80;
  // Freeze through the header (ExcelApi 1.7).
  ws.freezePanes.freezeRows(HEADER_ROW + 1);
  ws.activate();
  await context.sync();
  return { sheet: name, columns, months: months.length, units: units.length, categories: categories.length };
}
