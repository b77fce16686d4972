/**
 * Where a consolidated plan row came from, as the 来源 / Source column shows it. One rule for every way rows are
 * merged (the CLI's consolidate, the pane's collect returns, one summary over several plan sheets), so the same
 * department's rows carry the same label whichever way they arrived, and collecting it again can find them.
 */
export type SourceRef = {
  /** The file's name without its folder; absent for a sheet of the open workbook. */
  file?: string;
  sheet: string;
  /** True when the sheet is the only plan sheet its file has, so the file name alone says where the rows came from. */
  onlyPlanSheet: boolean;
};

/** The separator between a file and a sheet: not a character Excel allows in a sheet name, rarely in a file name. */
export const SOURCE_SEPARATOR = " › ";

/**
 * The label of a source: the file alone for a file's only plan sheet, file › sheet for one of several, the sheet's
 * name for a sheet of the open workbook.
 * @example sourceLabel({ file: "办公室.xlsx", sheet: "计划", onlyPlanSheet: true }) // "办公室.xlsx"
 * @example sourceLabel({ file: "全会.xlsx", sheet: "学会部", onlyPlanSheet: false }) // "全会.xlsx › 学会部"
 * @example sourceLabel({ sheet: "科普部", onlyPlanSheet: false }) // "科普部"
 */
export function sourceLabel(ref: SourceRef): string {
  if (ref.file === undefined) return ref.sheet;
  return ref.onlyPlanSheet ? ref.file : ref.file + SOURCE_SEPARATOR + ref.sheet;
}
