import { startTransition, useCallback, useEffect, useMemo, useRef, useState, type ChangeEvent } from "react";
import {
  Button,
  FluentProvider,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  Tab,
  TabList,
  Text,
  Toolbar,
  makeStyles,
  tokens,
  webLightTheme,
} from "@fluentui/react-components";
import { pickLang } from "../core/i18n";
import type { Lang } from "../core/types";
import type { PlanOperations } from "../excel/operations";
import { createOfflineOperations } from "../hosting/offline";
import { nextTask, OfflineHost } from "../offline";
import type { SheetModel, WorkbookModel } from "../offline";
import { exportXlsx, importXlsx, XlsxError } from "../offline/xlsx";
import { TaskPaneApp } from "../taskpane/App";
import { useDocumentLang } from "../taskpane/messages";
import { buildGrid, buildGridInSlices, type GridView } from "./grid";
import { workbenchText } from "./messages";
import { buildSample } from "./sample";
import { SheetGrid } from "./SheetGrid";

/** Excel's task pane is 320 px wide at least and about 450 px at most by default; the workbench opens at 360. */
const PANE_PX = 360;
const PANE_MIN = 320;
const PANE_MAX = 800;

/**
 * The pane's width from `?paneWidth=N` (tests set Excel's widths this way), clamped to 320–800; else 360.
 * @example paneWidthFromSearch("?paneWidth=450") // 450
 */
export function paneWidthFromSearch(search: string): number {
  const n = Number(new URLSearchParams(search).get("paneWidth") ?? "");
  return Number.isFinite(n) && n > 0 ? Math.min(PANE_MAX, Math.max(PANE_MIN, Math.round(n))) : PANE_PX;
}
const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

const useStyles = makeStyles({
  provider: { height: "100vh" },
  root: { display: "flex", height: "100vh", overflow: "hidden" },
  main: { display: "flex", flexDirection: "column", flexGrow: 1, minWidth: 0 },
  header: {
    display: "flex",
    alignItems: "center",
    gap: tokens.spacingHorizontalM,
    padding: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalM}`,
    backgroundColor: "#217346",
    color: "#FFFFFF",
  },
  title: { margin: 0, fontSize: tokens.fontSizeBase400, fontWeight: tokens.fontWeightSemibold },
  subtitle: { color: "#E6F2EA" },
  toolbar: { borderBottom: `1px solid ${tokens.colorNeutralStroke2}` },
  formulaBar: {
    display: "flex",
    gap: tokens.spacingHorizontalS,
    alignItems: "center",
    padding: `${tokens.spacingVerticalXXS} ${tokens.spacingHorizontalS}`,
    borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
    fontFamily: tokens.fontFamilyMonospace,
    minHeight: "24px",
  },
  nameBox: { minWidth: "64px", borderRight: `1px solid ${tokens.colorNeutralStroke2}`, paddingRight: "8px" },
  formula: { overflow: "hidden", textOverflow: "ellipsis", whiteSpace: "nowrap" },
  tabs: { borderTop: `1px solid ${tokens.colorNeutralStroke2}`, overflowX: "auto", flexShrink: 0 },
  hiddenTab: { fontStyle: "italic", opacity: 0.7 },
  status: {
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalXXS,
    padding: `${tokens.spacingVerticalXXS} ${tokens.spacingHorizontalS}`,
    backgroundColor: tokens.colorNeutralBackground3,
    flexShrink: 0,
  },
  pane: {
    flexShrink: 0,
    overflowY: "auto",
    boxSizing: "border-box",
    borderLeft: `1px solid ${tokens.colorNeutralStroke1}`,
  },
  fileInput: { display: "none" },
});

type Source = { kind: "sample" } | { kind: "file"; name: string };

type Session = { id: number; host: OfflineHost; source: Source };

type Notice = { intent: "info" | "warning" | "error"; text: string };

/** A grid view with the workbook and sheet it was built from, drawn together. */
type DrawnGrid = { model: WorkbookModel; sheet: SheetModel; view: GridView };

/** Work per task while building the grid's view (the offline host slices its batches the same, context.ts). */
const GRID_SLICE_MS = 30;

declare global {
  interface Window {
    /** The current workbook, for the browser tests to assert what the operations wrote. */
    __planLedger?: { host: OfflineHost };
  }
}

let sessionCounter = 0;

function newSession(model: WorkbookModel, source: Source): Session {
  const host = new OfflineHost(model);
  // Imported files carry cached values; the view shows what the formulas compute now.
  host.recalculate();
  return { id: ++sessionCounter, host, source };
}

/** Picks the initial language: ?lang=zh-CN / en-US in the URL, else the browser's language. */
export function initialLanguage(search: string, navigatorLanguage: string | undefined): Lang {
  const asked = new URLSearchParams(search).get("lang");
  return pickLang(asked ?? navigatorLanguage);
}

/**
 * The name a download gets: the opened file's name with `.plan-ledger.xlsx`, so the original is not overwritten in the
 * downloads folder and the two are told apart; a file downloaded before keeps its one suffix.
 * @example downloadName("2026年工作台账.xlsx") // "2026年工作台账.plan-ledger.xlsx"
 */
export function downloadName(original: string): string {
  const stem = original.replace(/\.xls[xm]$/i, "").replace(/\.plan-ledger$/i, "");
  return `${stem === "" ? "workbook" : stem}.plan-ledger.xlsx`;
}

export type WorkbenchProps = { displayLanguage: string; paneWidth?: number };

/**
 * The browser workbench: the real task pane on the right, a view of the offline workbook on the left (sheet tabs, grid,
 * charts), and a toolbar to open, download or reset the workbook. Every operation re-renders the view from the model.
 */
export function Workbench({ displayLanguage, paneWidth = PANE_PX }: WorkbenchProps) {
  const styles = useStyles();
  const [lang, setLang] = useState<Lang>(() => pickLang(displayLanguage));
  const t = useMemo(() => workbenchText(lang), [lang]);
  const [session, setSession] = useState<Session>(() => newSession(buildSample(new Date()), { kind: "sample" }));
  const [version, setVersion] = useState(0);
  const [viewedId, setViewedId] = useState<string | null>(null);
  const [selection, setSelection] = useState<{ sheetId: string; address: string } | null>(null);
  const [notices, setNotices] = useState<Notice[]>([]);
  const [busy, setBusy] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const paneRef = useRef<HTMLDivElement>(null);
  const [paneLang, setPaneLang] = useState<string>(displayLanguage);

  useEffect(() => {
    window.__planLedger = { host: session.host };
  }, [session]);

  useEffect(() => {
    document.title = t("doc.title");
  }, [t]);
  useDocumentLang(lang);

  // The workbench speaks the pane's language: follow the lang attribute its FluentProvider carries.
  useEffect(() => {
    const pane = paneRef.current;
    if (!pane) return;
    const sync = () => {
      const value = pane.firstElementChild?.getAttribute("lang");
      if (value === "zh-CN" || value === "en-US") setLang(value);
    };
    const observer = new MutationObserver(sync);
    observer.observe(pane, { attributes: true, attributeFilter: ["lang"], subtree: true });
    sync();
    return () => observer.disconnect();
  }, [session.id]);

  const activeId = useCallback(() => {
    const m = session.host.model;
    return m.sheets[m.activeSheet]?.id ?? null;
  }, [session]);

  const ops = useMemo<PlanOperations>(() => {
    const base = createOfflineOperations(session.host);
    // After every operation, successful or not (a failure may have written part of its work), redraw from the model.
    // The view follows the active sheet when an operation changes it (activateSheet, a finding's cell).
    const observed =
      <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
      async (...args: A): Promise<R> => {
        const before = activeId();
        try {
          return await fn(...args);
        } finally {
          // Only what changed is worth recalculating: a 5,000-row plan takes about half a second to recalculate, done
          // in slices so the page keeps painting (no task over 200 ms, issue 16 §10).
          await session.host.calculateInSlices(30, nextTask);
          const after = activeId();
          if (after !== before) setViewedId(after);
          setVersion((v) => v + 1);
          // The workbench renders on a task of its own before the pane shows the result (the grid is then built in
          // slices, below): drawn together they were one task of 0.5–1 s on a 5,000-row plan (issue 16 §10).
          await nextTask();
        }
      };
    // Every operation, including ones added to PlanOperations later, is observed; selectCell also moves the view.
    const wrapped = Object.fromEntries(
      Object.entries(base).map(([name, fn]) => [
        name,
        observed((fn as (...a: unknown[]) => Promise<unknown>).bind(base)),
      ]),
    ) as PlanOperations;
    wrapped.selectCell = observed(async (sheet: string, address: string) => {
      await base.selectCell(sheet, address);
      const ws = session.host.model.sheets.find((s) => s.name === sheet);
      if (ws) setSelection({ sheetId: ws.id, address: address.replace(/\$/g, "").split(":")[0] });
    });
    return wrapped;
  }, [session, activeId]);

  const model = session.host.model;
  const viewed = model.sheets.find((s) => s.id === viewedId) ?? model.sheets[model.activeSheet];
  // The grid drawn: built in slices after each change, the last one staying on screen (whole, with its own workbook
  // and sheet) until the next is ready. Built during the render, it was one task of 0.15–0.3 s after every operation
  // on a 5,000-row plan, together with the pane's result (issue 16 §10).
  const [grid, setGrid] = useState<DrawnGrid | null>(() =>
    viewed ? { model, sheet: viewed, view: buildGrid(session.host, viewed) } : null,
  );
  const [gridFor, setGridFor] = useState({ session, viewed, version });
  const gridStale = gridFor.session !== session || gridFor.viewed !== viewed || gridFor.version !== version;
  useEffect(() => {
    // version: the model mutates in place; each operation bumps it so the view is rebuilt.
    const wanted = { session, viewed, version };
    let live = true;
    if (!viewed) {
      setGrid(null);
      setGridFor(wanted);
      return;
    }
    // Started on a task of its own (the render that asked for it may be long already: the pane's result), between the
    // host's batches so that the view shows one state of the workbook.
    const host = session.host;
    nextTask()
      .then(() =>
        live
          ? host.readCalculated(GRID_SLICE_MS, nextTask, () =>
              buildGridInSlices(host, viewed, GRID_SLICE_MS, nextTask, () => live),
            )
          : null,
      )
      .then(
        (view) => {
          if (!live || view === null) return;
          // A transition, as the grid's chunks are (SheetGrid): drawing the new view and removing the old one's rows
          // renders in slices and gives way to the pane's own update.
          startTransition(() => {
            setGrid({ model: host.model, sheet: viewed, view });
            setGridFor(wanted);
          });
        },
        (e: unknown) => {
          // A failure to draw is a bug: thrown during a render, it reaches React as a failure in render would.
          setGrid(() => {
            throw e;
          });
        },
      );
    return () => {
      live = false;
    };
  }, [session, viewed, version]);
  const view = grid?.view ?? null;
  const shownSheet = grid?.sheet;
  const selected = selection && shownSheet && selection.sheetId === shownSheet.id ? selection.address : null;
  const selectedCell = selected && view ? [...view.cells.values()].find((c) => c.address === selected) : undefined;

  const replaceWorkbook = (model: WorkbookModel, source: Source, extra: Notice[]) => {
    setPaneLang(lang);
    setSelection(null);
    setViewedId(null);
    setSession(newSession(model, source));
    setNotices(extra);
  };

  const openFile = async (ev: ChangeEvent<HTMLInputElement>) => {
    const file = ev.target.files?.[0];
    ev.target.value = "";
    if (!file) return;
    setBusy(true);
    try {
      const bytes = new Uint8Array(await file.arrayBuffer());
      const imported = await importXlsx(bytes, { lang });
      const notes: Notice[] = [{ intent: "info", text: t("status.opened", { name: file.name }) }];
      if (imported.notCarried.length > 0) {
        notes.push({
          intent: "warning",
          text: t("status.notCarried", { name: file.name, parts: imported.notCarried.join("; ") }),
        });
      }
      replaceWorkbook(imported, { kind: "file", name: file.name }, notes);
    } catch (e) {
      const message = e instanceof XlsxError ? e.messages[lang] : e instanceof Error ? e.message : String(e);
      setNotices([{ intent: "error", text: t("error.open", { name: file.name, message }) }]);
    } finally {
      setBusy(false);
    }
  };

  /** Saves bytes as a download with `name`, and says so. */
  const save = (bytes: Uint8Array, name: string) => {
    const url = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: XLSX_TYPE }));
    const a = document.createElement("a");
    a.href = url;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    // The browser has taken the blob once the click is handled; keep the URL a moment for slow download managers.
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    setNotices([{ intent: "info", text: t("status.downloaded", { name }) }]);
  };

  const download = async () => {
    setBusy(true);
    const name = downloadName(session.source.kind === "file" ? session.source.name : "plan-ledger-sample.xlsx");
    try {
      // Cached values in the file must be what the formulas compute now (other programs show them unrecalculated).
      session.host.recalculate();
      save(await exportXlsx(session.host.model), name);
    } catch (e) {
      setNotices([
        { intent: "error", text: t("error.download", { message: e instanceof Error ? e.message : String(e) }) },
      ]);
    } finally {
      setBusy(false);
    }
  };

  /**
   * The sheet on view alone as a workbook: what Excel's Move or Copy → (new book) and Save As give, for sending a
   * template made by the pane to a department. A copy through our own export and import, so the open workbook is not
   * touched; workbook-level names and settings stay behind, as they name sheets the copy does not have.
   */
  const downloadSheet = async () => {
    const sheet = viewed?.name;
    if (sheet === undefined) return;
    setBusy(true);
    try {
      session.host.recalculate();
      const copy = await importXlsx(await exportXlsx(session.host.model), { lang });
      copy.sheets = copy.sheets.filter((s) => s.name === sheet);
      copy.names = [];
      copy.settings = new Map();
      copy.carried = undefined;
      copy.activeSheet = 0;
      save(await exportXlsx(copy), `${sheet}.xlsx`);
    } catch (e) {
      setNotices([
        { intent: "error", text: t("error.download", { message: e instanceof Error ? e.message : String(e) }) },
      ]);
    } finally {
      setBusy(false);
    }
  };

  const reset = () => replaceWorkbook(buildSample(new Date()), { kind: "sample" }, []);

  const sheetLabel = (name: string, visibility: string) =>
    visibility === "Hidden"
      ? t("sheet.hidden", { name })
      : visibility === "VeryHidden"
        ? t("sheet.veryHidden", { name })
        : name;

  const statusLines: Notice[] = [
    ...(session.source.kind === "sample" && notices.length === 0
      ? [{ intent: "info" as const, text: t("status.sample", { year: new Date().getFullYear() }) }]
      : []),
    ...notices,
  ];

  return (
    <FluentProvider theme={webLightTheme} lang={lang} className={styles.provider}>
      <div className={styles.root}>
        <main className={styles.main}>
          <header className={styles.header}>
            <h1 className={styles.title}>{t("app.title")}</h1>
            <Text size={200} className={styles.subtitle}>
              {t("app.subtitle")}
            </Text>
          </header>
          <Toolbar aria-label={t("toolbar.label")} className={styles.toolbar} size="small">
            <Button appearance="subtle" disabled={busy} onClick={() => fileInput.current?.click()}>
              {t("toolbar.open")}
            </Button>
            <input
              ref={fileInput}
              type="file"
              accept=".xlsx,.xlsm,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
              className={styles.fileInput}
              aria-label={t("toolbar.openInput")}
              data-testid="open-xlsx"
              onChange={(ev) => void openFile(ev)}
            />
            <Button appearance="subtle" disabled={busy} onClick={() => void download()}>
              {t("toolbar.download")}
            </Button>
            <Button appearance="subtle" disabled={busy || viewed === undefined} onClick={() => void downloadSheet()}>
              {t("toolbar.downloadSheet")}
            </Button>
            <Button appearance="subtle" disabled={busy} onClick={reset}>
              {t("toolbar.reset")}
            </Button>
            {busy && <Text size={200}>{t("status.busy")}</Text>}
          </Toolbar>
          <div className={styles.formulaBar} role="group" aria-label={t("formulaBar.label")}>
            <span className={styles.nameBox} data-testid="name-box">
              {selected ?? ""}
            </span>
            <span className={styles.formula} data-testid="formula">
              {selectedCell ? (selectedCell.formula ?? selectedCell.text) : selected ? "" : t("formulaBar.none")}
            </span>
          </div>
          {grid && grid.view.cells.size > 0 ? (
            <SheetGrid
              model={grid.model}
              sheet={grid.sheet}
              view={grid.view}
              selected={selected}
              stale={gridStale}
              onSelect={(address) => setSelection({ sheetId: grid.sheet.id, address })}
              t={t}
            />
          ) : (
            <Text className={styles.status}>{t("grid.empty")}</Text>
          )}
          <TabList
            className={styles.tabs}
            size="small"
            aria-label={t("sheets.label")}
            selectedValue={viewed?.id ?? ""}
            onTabSelect={(_ev, data) => {
              const index = model.sheets.findIndex((s) => s.id === data.value);
              if (index < 0) return;
              // Clicking a visible tab activates the sheet as in Excel (the pane hears of it through
              // worksheets.onActivated); a hidden one is only shown here.
              session.host.activateSheetAsUser(model.sheets[index].name);
              setViewedId(model.sheets[index].id);
              setVersion((v) => v + 1);
            }}
          >
            {model.sheets.map((s) => (
              <Tab
                key={s.id}
                value={s.id}
                className={s.visibility === "Visible" ? undefined : styles.hiddenTab}
                data-visibility={s.visibility}
              >
                {sheetLabel(s.name, s.visibility)}
              </Tab>
            ))}
          </TabList>
          <div className={styles.status} role="status" aria-live="polite">
            {statusLines.map((n, i) =>
              n.intent === "info" ? (
                <Text key={i} size={200}>
                  {n.text}
                </Text>
              ) : (
                <MessageBar key={i} intent={n.intent}>
                  <MessageBarBody>{n.text}</MessageBarBody>
                  <MessageBarActions
                    containerAction={
                      <Button
                        appearance="transparent"
                        aria-label={t("error.dismiss")}
                        onClick={() => setNotices((all) => all.filter((x) => x !== n))}
                        icon={<span aria-hidden="true">×</span>}
                      />
                    }
                  />
                </MessageBar>
              ),
            )}
            {view?.capped && (
              <Text size={200}>
                {t("grid.capped", {
                  rows: Math.min(view.totalRows, view.rows.length),
                  totalRows: view.totalRows,
                  cols: view.cols.length,
                  totalCols: view.totalCols,
                })}
              </Text>
            )}
            {view !== null && view.cfSkipped > 0 && (
              <Text size={200}>{t("grid.cfSkipped", { n: view.cfSkipped })}</Text>
            )}
          </div>
        </main>
        <aside
          className={styles.pane}
          style={{ width: `${paneWidth}px` }}
          aria-label={t("pane.label")}
          ref={paneRef}
          data-testid="pane"
        >
          {/* A new workbook mounts a fresh pane (its state belongs to the old one), in the language now shown. */}
          <TaskPaneApp key={session.id} ops={ops} displayLanguage={paneLang} selfTestHref="selftest.html" />
        </aside>
      </div>
    </FluentProvider>
  );
}
