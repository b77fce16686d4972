/**
 * .xlsx in and out for the offline host: {@link importXlsx} reads a package into a WorkbookModel (listing what it
 * cannot carry), {@link exportXlsx} writes one with native charts and cached formula values. Runs in Node and in the
 * browser (fflate only; no fs, no Buffer at the API).
 */
export { importXlsx, type ImportOptions } from "./import";
export { exportXlsx, type ExportOptions } from "./export";
export { zipParts, crc32, type ZipCodec } from "./zip";
export { XlsxError, XLSX_MESSAGES, type XlsxErrorCode } from "./errors";
export { SUPPORTED_CHART_TYPES } from "./chart";
export { PLAN_LEDGER_NS } from "./parts";
