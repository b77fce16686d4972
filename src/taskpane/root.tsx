import { lazy, Suspense, type ReactElement } from "react";
import type { ContractHost } from "../contract";
import type { PlanOperations } from "../excel/operations";
import type { HostInfo } from "../excel/selftest";
import { TaskPaneApp } from "./App";
import { ErrorDialogApp } from "./ErrorDialogApp";
import { paneViewFromSearch } from "./view";

/** What the self-test page runs against: the host, what it says of itself, and how to remove the scratch sheets. */
export type SelfTestDeps = { host: ContractHost; info: HostInfo; cleanup: (prefix: string) => Promise<number> };

/** What the page may use; each is created only by the view that needs it (the error dialog needs none of them). */
export type PaneDeps = {
  ops: () => PlanOperations;
  /** Loaded on demand: the contract suite is only for the self-test page, not in the pane's first download. */
  selfTest: () => Promise<SelfTestDeps>;
  closeDialog: () => void;
  displayLanguage?: string;
};

/** The element taskpane.html renders for its query: the pane, the self-test, or the ribbon's error dialog. */
export function paneRoot(search: string, deps: PaneDeps): ReactElement {
  const view = paneViewFromSearch(search);
  if (view.kind === "error") return <ErrorDialogApp failure={view.failure} onClose={deps.closeDialog} />;
  if (view.kind === "selftest") {
    const SelfTest = lazy(async () => {
      const [{ SelfTestApp }, st] = await Promise.all([import("./SelfTestApp"), deps.selfTest()]);
      return { default: () => <SelfTestApp {...st} displayLanguage={deps.displayLanguage} /> };
    });
    return (
      <Suspense fallback={null}>
        <SelfTest />
      </Suspense>
    );
  }
  return <TaskPaneApp ops={deps.ops()} displayLanguage={deps.displayLanguage} initialStep={view.step} />;
}
