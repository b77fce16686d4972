import { memo, startTransition, useEffect, useMemo, useRef, useState, type CSSProperties, type RefObject } from "react";
import { makeStyles, mergeClasses, tokens } from "@fluentui/react-components";
import type { SheetModel, WorkbookModel } from "../offline";
import { ChartView } from "./ChartView";
import { nextTask } from "../offline";
import type { GridCell, GridView } from "./grid";
import type { WbText } from "./messages";

const ROW_HEADER_PX = 40;
/**
 * Rows drawn per task. A fresh view (after every operation) is drawn this many rows at a time, each chunk on a task of
 * its own: 300 rows of a structured plan drawn at once took 0.3–0.5 s and froze the page (issue 16 §10).
 */
const ROWS_PER_TASK = 30;
const COL_HEADER_PX = 22;
const PX_PER_PT = 4 / 3;

const useStyles = makeStyles({
  scroller: { position: "relative", overflow: "auto", flexGrow: 1, minHeight: 0, backgroundColor: "#FFFFFF" },
  table: {
    borderCollapse: "collapse",
    tableLayout: "fixed",
    fontFamily: "'Segoe UI', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Droid Sans Fallback', sans-serif",
    fontSize: "13px",
  },
  corner: {
    position: "sticky",
    top: 0,
    left: 0,
    zIndex: 5,
    backgroundColor: tokens.colorNeutralBackground3,
    border: `1px solid ${tokens.colorNeutralStroke2}`,
  },
  colHeader: {
    position: "sticky",
    top: 0,
    zIndex: 4,
    height: `${COL_HEADER_PX}px`,
    backgroundColor: tokens.colorNeutralBackground3,
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    fontWeight: tokens.fontWeightRegular,
    color: tokens.colorNeutralForeground2,
  },
  rowHeader: {
    position: "sticky",
    left: 0,
    zIndex: 3,
    backgroundColor: tokens.colorNeutralBackground3,
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    fontWeight: tokens.fontWeightRegular,
    color: tokens.colorNeutralForeground2,
    textAlign: "center",
  },
  cell: {
    position: "relative",
    height: "20px",
    padding: "1px 4px",
    border: "1px solid #E1E1E1",
    overflow: "hidden",
    whiteSpace: "nowrap",
    textOverflow: "clip",
    cursor: "cell",
  },
  selected: { outline: "2px solid #217346", outlineOffset: "-2px", zIndex: 2 },
  // Above the later cells (all positioned), so the text runs over its empty neighbours.
  spill: { overflow: "visible", zIndex: 1 },
  marker: {
    position: "absolute",
    top: 0,
    right: 0,
    width: 0,
    height: 0,
    borderTop: "6px solid #7E57C2",
    borderLeft: "6px solid transparent",
  },
  bar: { position: "absolute", left: "1px", top: "3px", bottom: "3px", opacity: 0.55, pointerEvents: "none" },
  barText: { position: "relative" },
  chart: { position: "absolute", zIndex: 2 },
});

/** Table styles: Medium styles band their rows, Light ones only rule them; both get a dark header (Office blue). */
function tableLook(cell: GridCell, style: string | undefined): CSSProperties {
  if (!cell.table) return {};
  const medium = /Medium|Dark/i.test(style ?? "");
  switch (cell.table.role) {
    case "header":
      return { backgroundColor: "#4472C4", color: "#FFFFFF", fontWeight: 600 };
    case "total":
      return { fontWeight: 600, borderTop: "2px solid #4472C4" };
    case "band":
      return medium ? { backgroundColor: "#D9E1F2" } : { borderBottom: "1px solid #8EA9DB" };
    case "body":
      return medium ? {} : { borderBottom: "1px solid #8EA9DB" };
  }
}

function cellStyle(cell: GridCell, tableStyle: string | undefined): CSSProperties {
  const css: CSSProperties = { textAlign: cell.align, verticalAlign: cell.vAlign, ...tableLook(cell, tableStyle) };
  if (cell.wrap) css.whiteSpace = "normal";
  if (cell.border) css.border = "1px solid #808080";
  if (cell.fill) css.backgroundColor = cell.fill;
  if (cell.color) css.color = cell.color;
  if (cell.bold !== undefined) css.fontWeight = cell.bold ? 600 : 400;
  if (cell.italic) css.fontStyle = "italic";
  if (cell.size) css.fontSize = `${Math.round(cell.size * PX_PER_PT)}px`;
  if (cell.kind === "error") css.color = "#C00000";
  return css;
}

export type SheetGridProps = {
  model: WorkbookModel;
  sheet: SheetModel;
  view: GridView;
  selected: string | null;
  /** A newer view of the workbook is being built: this one is shown meanwhile, marked busy. */
  stale?: boolean;
  onSelect: (address: string) => void;
  t: WbText;
};

type GridRowProps = {
  r: number;
  view: GridView;
  /** The selected address when it is in this row, else null: other rows keep their props and are not redrawn. */
  selected: string | null;
  selectedRef: RefObject<HTMLTableCellElement | null>;
  tableStyles: ReadonlyMap<string, string | undefined>;
  onSelect: (address: string) => void;
  t: WbText;
  styles: ReturnType<typeof useStyles>;
};

/** One row of the grid; memoised, so drawing the next chunk of rows leaves the drawn ones alone. */
const GridRow = memo(function GridRow({
  r,
  view,
  selected,
  selectedRef,
  tableStyles,
  onSelect,
  t,
  styles,
}: GridRowProps) {
  const validationText = (cell: GridCell): string | undefined => {
    const v = cell.validation;
    if (!v) return undefined;
    if (v.type === "list") return t("validation.list", { source: v.detail });
    return t("validation.rule", { type: t(`validation.type.${v.type}`), rule: v.detail });
  };
  return (
    <tr>
      <th scope="row" className={styles.rowHeader}>
        {r + 1}
      </th>
      {view.cols.map(({ index: c }) => {
        const cell = view.cells.get(`${r},${c}`);
        if (!cell) return null;
        const isSelected = selected === cell.address;
        const title = [validationText(cell), isSelected ? t("cell.selected") : undefined]
          .filter((x): x is string => x !== undefined)
          .join("\n");
        return (
          <td
            key={c}
            ref={isSelected ? selectedRef : undefined}
            rowSpan={cell.rowSpan > 1 ? cell.rowSpan : undefined}
            colSpan={cell.colSpan > 1 ? cell.colSpan : undefined}
            className={mergeClasses(styles.cell, cell.spill && styles.spill, isSelected && styles.selected)}
            style={cellStyle(cell, cell.table ? tableStyles.get(cell.table.name) : undefined)}
            title={title || undefined}
            data-address={cell.address}
            data-selected={isSelected ? "true" : undefined}
            data-validation={cell.validation ? cell.validation.type : undefined}
            data-fill={cell.fill}
            onClick={() => onSelect(cell.address)}
          >
            {cell.bar && (
              <span
                className={styles.bar}
                aria-hidden="true"
                style={{
                  width: `calc(${(cell.bar.ratio * 100).toFixed(1)}% - 2px)`,
                  background: cell.bar.color,
                }}
              />
            )}
            {cell.validation && <span className={styles.marker} aria-hidden="true" />}
            {cell.bar ? <span className={styles.barText}>{cell.text}</span> : cell.text}
          </td>
        );
      })}
    </tr>
  );
});

/** The cells of one sheet as an HTML table with Excel-like headers, plus the sheet's charts at their positions. */
export function SheetGrid({ model, sheet, view, selected, stale = false, onSelect, t }: SheetGridProps) {
  const styles = useStyles();
  const selectedRef = useRef<HTMLTableCellElement>(null);
  // The rows of this view drawn so far: a new view starts with one chunk and grows a chunk per task.
  const [drawn, setDrawn] = useState({ view, rows: ROWS_PER_TASK });
  const rows = drawn.view === view ? drawn.rows : ROWS_PER_TASK;
  if (drawn.view !== view) setDrawn({ view, rows });
  useEffect(() => {
    if (rows >= view.rows.length) return;
    let live = true;
    void nextTask().then(() => {
      // A transition: React renders the chunk in short slices with the page's event loop between them and gives way
      // to the pane's updates (non-blocking, react.dev/reference/react/startTransition; time slicing,
      // facebook/react#21662). As a plain update a chunk of 30 rows was one task of 0.15–0.25 s on a busy machine
      // (issue 16 §10).
      if (live) startTransition(() => setDrawn((d) => (d.view === view ? { view, rows: d.rows + ROWS_PER_TASK } : d)));
    });
    return () => {
      live = false;
    };
  }, [view, rows]);

  // Rows keep the same handler across renders (the caller's may be a new function each time).
  const onSelectRef = useRef(onSelect);
  onSelectRef.current = onSelect;
  const select = useMemo(() => (address: string) => onSelectRef.current(address), []);
  const tableStyles = useMemo(() => new Map(sheet.tables.map((tb) => [tb.name, tb.style])), [sheet.tables]);

  // A cell selected from the pane (a finding) scrolls into view, as Excel does, once its row is drawn.
  const scrolledTo = useRef<string | null>(null);
  useEffect(() => {
    const key = `${sheet.id}!${selected ?? ""}`;
    if (scrolledTo.current === key || !selectedRef.current) return;
    scrolledTo.current = key;
    selectedRef.current.scrollIntoView({ block: "nearest", inline: "nearest" });
  }, [selected, sheet.id, rows]);
  const selectedRow = selected === null ? -1 : Number(/\d+$/.exec(selected)?.[0] ?? 0) - 1;

  return (
    <div className={styles.scroller}>
      <table
        className={styles.table}
        aria-label={t("grid.label", { name: sheet.name })}
        style={{ width: ROW_HEADER_PX + view.cols.reduce((w, c) => w + c.width, 0) }}
        aria-busy={stale || rows < view.rows.length ? true : undefined}
      >
        <colgroup>
          <col style={{ width: ROW_HEADER_PX }} />
          {view.cols.map((c) => (
            <col key={c.index} style={{ width: c.width }} />
          ))}
        </colgroup>
        <thead>
          <tr>
            <th className={styles.corner} aria-hidden="true" />
            {view.cols.map((c) => (
              <th key={c.index} scope="col" className={styles.colHeader}>
                {c.letter}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {view.rows.slice(0, rows).map((r) => (
            <GridRow
              key={r}
              r={r}
              view={view}
              selected={r === selectedRow ? selected : null}
              selectedRef={selectedRef}
              tableStyles={tableStyles}
              onSelect={select}
              t={t}
              styles={styles}
            />
          ))}
        </tbody>
      </table>
      {sheet.charts.map((chart) => (
        <div
          key={chart.name}
          className={styles.chart}
          style={{
            left: ROW_HEADER_PX + Math.round(chart.left * PX_PER_PT),
            top: COL_HEADER_PX + Math.round(chart.top * PX_PER_PT),
          }}
        >
          <ChartView model={model} chart={chart} t={t} />
        </div>
      ))}
    </div>
  );
}
