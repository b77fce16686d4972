/**
 * The plan rows the CLI writes (consolidate, import) are built by the same code as the pane's collect returns, in
 * src/excel/rows.ts, so both give the same rows and source labels.
 */
export { PLAN_FIELDS, planCells, planHeader, type RowSource } from "../excel/rows";
