/**
 * The in-memory workbook behind the offline Excel host: plain data, shared by the API layer (host/) and the .xlsx
 * reader/writer (xlsx/). It knows nothing about plans. Coordinates are 0-based.
 */

/** A rectangle of cells, inclusive of both corners. */
export type Rect = { r0: number; c0: number; r1: number; c1: number };

/** An Excel error value such as #DIV/0!, kept apart from text that merely looks like one. */
export type ErrorValue = { error: string };

/** What a cell holds once computed. */
export type Scalar = string | number | boolean | ErrorValue;

export type CellStyle = {
  fill?: string; // "#RRGGBB"
  fontColor?: string;
  fontBold?: boolean;
  fontItalic?: boolean;
  fontSize?: number;
  fontName?: string;
  wrap?: boolean;
  hAlign?: "General" | "Left" | "Center" | "Right";
  vAlign?: "Top" | "Center" | "Bottom";
  border?: boolean;
};

/**
 * One cell. A cell with `formula` has `value` as its computed (or cached) result. `text` marks a value entered as
 * literal text (apostrophe or text format), which Excel shows and keeps as typed.
 */
export type Cell = {
  value?: Scalar;
  /** Formula text including the leading "=", in A1 style with English function names. */
  formula?: string;
  numberFormat?: string;
  style?: CellStyle;
  /** Entered with a leading apostrophe: Excel stores the text literally and shows no apostrophe. */
  quotePrefix?: boolean;
};

/**
 * A filter over a range: its cells (header row first) and the criteria applied per column (index within the range),
 * as the API's FilterCriteria objects. The host hides no rows; `active` says whether any criteria apply.
 */
export type AutoFilterModel = { ref: Rect; active: boolean; criteria?: Record<number, Record<string, unknown>> };

export type TableModel = {
  name: string;
  ref: Rect; // includes the header row
  columns: string[]; // header names, unique within the table
  style: string; // e.g. "TableStyleMedium2"
  showHeaders: boolean;
  showTotals: boolean;
  /** Calculated column formulas by column index, as Excel keeps them for new rows. */
  columnFormulas?: Record<number, string>;
  /** Criteria applied through the table's own filter buttons, by column index (see AutoFilterModel). */
  filterCriteria?: Record<number, Record<string, unknown>>;
};

export type ValidationRule =
  | { type: "list"; source: string; inCellDropDown: boolean }
  | {
      type: "decimal" | "wholeNumber" | "date" | "textLength";
      operator:
        | "Between"
        | "NotBetween"
        | "EqualTo"
        | "NotEqualTo"
        | "GreaterThan"
        | "LessThan"
        | "GreaterThanOrEqualTo"
        | "LessThanOrEqualTo";
      formula1: string | number;
      formula2?: string | number;
    }
  | { type: "custom"; formula: string };

export type ValidationModel = {
  ranges: Rect[];
  rule: ValidationRule;
  ignoreBlanks: boolean;
  errorAlert: { showAlert: boolean; style: "Stop" | "Warning" | "Information"; title: string; message: string };
  prompt: { showPrompt: boolean; title: string; message: string };
};

export type CfFormat = { fill?: string; fontColor?: string; fontBold?: boolean };

export type ConditionalFormatModel = { ranges: Rect[]; priority: number; stopIfTrue: boolean } & (
  | {
      type: "cellValue";
      operator:
        | "Between"
        | "NotBetween"
        | "EqualTo"
        | "NotEqualTo"
        | "GreaterThan"
        | "LessThan"
        | "GreaterThanOrEqual"
        | "LessThanOrEqual";
      formula1: string;
      formula2?: string;
      format: CfFormat;
    }
  | { type: "custom"; formula: string; format: CfFormat }
  | {
      type: "dataBar";
      color: string;
      min?: number;
      max?: number;
      /** Set through the API; Excel's default, Context, follows the sheet's direction. */
      barDirection?: "Context" | "LeftToRight" | "RightToLeft";
    }
);

/** A chart type name as the Excel JS API spells it (Excel.ChartType), e.g. "ColumnClustered", "Line", "BarClustered". */
export type ChartTypeName = string;

export type ChartSeriesModel = {
  name: string;
  /** Sheet-qualified absolute reference, e.g. "'汇总'!$C$5:$C$17". */
  values: string;
  categories?: string;
  chartType?: ChartTypeName; // when it differs from the chart's
  axisGroup: "Primary" | "Secondary";
  /** Fill colour "#RRGGBB"; outline-only series have `line` and no fill. */
  fill?: string;
  line?: string;
};

/** A value axis: bounds and the step between major ticks absent while automatic (Excel.ChartAxis). */
export type ValueAxisModel = { title: string; min?: number; max?: number; majorUnit?: number; numberFormat?: string };

export type ChartModel = {
  name: string;
  type: ChartTypeName;
  title: string;
  series: ChartSeriesModel[];
  axes: {
    category: { title: string };
    value: ValueAxisModel;
    secondaryValue?: ValueAxisModel;
  };
  legend: { visible: boolean; position: "Top" | "Bottom" | "Left" | "Right" };
  /** Position in points from the sheet's top-left corner. */
  top: number;
  left: number;
  width: number;
  height: number;
};

export type SheetVisibility = "Visible" | "Hidden" | "VeryHidden";

/**
 * Print settings of a sheet (Excel.PageLayout), each absent until set. Scale and fit-to-pages exclude each other: with
 * `fitToWidth`/`fitToHeight` present the sheet is fitted (0 = automatic in that direction) and `scale` is absent.
 */
export type PageSetupModel = {
  orientation?: "Portrait" | "Landscape";
  /** ECMA-376 paper size code (`<pageSetup paperSize>`; 9 = A4, 1 = Letter); absent = the printer's default. */
  paperSize?: number;
  /** Percent, 10–400. */
  scale?: number;
  fitToWidth?: number;
  fitToHeight?: number;
  centerHorizontally?: boolean;
  /** Rows repeated at the top of each printed page (0-based, inclusive). */
  printTitleRows?: { r0: number; r1: number };
};

export type SheetModel = {
  /** Stable id that survives renames, like Excel's worksheet id. */
  id: string;
  name: string;
  visibility: SheetVisibility;
  /** Cells by row, then column. Sparse. */
  rows: Map<number, Map<number, Cell>>;
  merges: Rect[];
  tables: TableModel[];
  validations: ValidationModel[];
  conditionalFormats: ConditionalFormatModel[];
  charts: ChartModel[];
  /** Column widths in points by column index; absent = default. */
  columnWidths: Map<number, number>;
  rowHeights: Map<number, number>;
  /** Hidden rows and columns (Range.rowHidden / columnHidden); absent = none hidden. */
  hiddenRows?: Set<number>;
  hiddenColumns?: Set<number>;
  freeze: { rows: number; columns: number };
  protected: boolean;
  /** An AutoFilter with active criteria (Excel refuses some edits then). */
  autoFilter?: AutoFilterModel;
  customProperties: Map<string, string>;
  tabColor?: string;
  /** Print settings; absent when none were set. */
  pageSetup?: PageSetupModel;
  /** What the imported sheet held that the model does not, written back unchanged (xlsx/carry.ts). */
  carried?: CarriedSheet;
};

export type DefinedNameModel = {
  name: string;
  /** Formula including "=", e.g. "=PlanLists!$A$2:$A$13". */
  formula: string;
  comment: string;
  visible: boolean;
  /** Sheet id for a sheet-scoped name; undefined for workbook scope. */
  scopeSheetId?: string;
};

/** A relationship of a package part: its id, type, and the target part (resolved) or, when external, the URL. */
export type PackageRel = { id: string; type: string; target: string; external: boolean };

/**
 * What a sheet of an imported file holds that the model does not (comments, hyperlinks, headers and footers, pictures
 * and shapes …): worksheet elements and drawing anchors as written, with the relationships they use. The exporter
 * writes them back unchanged (xlsx/carry.ts). Cell references inside them do not follow inserted or deleted rows.
 */
export type CarriedSheet = {
  /** Namespace prefixes declared on the original worksheet element, and those it marked mc:Ignorable. */
  namespaces: Record<string, string>;
  ignorable: string[];
  /** Worksheet child elements as written, with their position in the schema's order. */
  elements: { name: string; xml: string; order: number }[];
  /** Sheet relationships those elements use, and the sheet's comments. */
  rels: PackageRel[];
  /** sheetView, pageSetup and printOptions attributes the model does not hold (gridlines, zoom, paper size …). */
  sheetView?: string;
  pageSetup?: string;
  printOptions?: string;
  /** Drawing anchors that are not charts of the model, with the drawing's namespaces and the relationships they use. */
  drawing?: { namespaces: Record<string, string>; ignorable: string[]; anchors: string[]; rels: PackageRel[] };
};

/** The parts of an imported package that carried relationships may point to, and its content types. */
export type CarriedWorkbook = {
  parts: Record<string, Uint8Array>;
  defaults: Record<string, string>;
  overrides: Record<string, string>;
  /** Package relationships carried (document properties, thumbnail). */
  rootRels: PackageRel[];
  /** Workbook relationships carried (theme, threaded-comment persons, other programs' custom XML). */
  workbookRels: PackageRel[];
};

/** One part of a carried package (name and bytes). */
export type CarriedPart = { name: string; data: Uint8Array };

export type WorkbookModel = {
  sheets: SheetModel[];
  names: DefinedNameModel[];
  /** workbook.settings: key → JSON text. */
  settings: Map<string, string>;
  /** Index of the active sheet in `sheets`. */
  activeSheet: number;
  /** Parts of an imported file that the exporter cannot carry (pivot tables, VBA, images, comments …). */
  notCarried: string[];
  /** What the imported package held that the model does not, carried into the next export unchanged. */
  carried?: CarriedWorkbook;
  /**
   * The workbook counts dates from 1904-01-01 (old Mac files; `<workbookPr date1904="1">`): every date serial is 1,462
   * days less than in the default 1900 system, and DATE(), YEAR() … follow it.
   */
  date1904?: boolean;
};
