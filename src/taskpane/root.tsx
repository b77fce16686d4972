import type { ReactElement } from "react";
import type { ContractHost } from "../contract";
import type { PlanOperations } from "../excel/operations";
import type { HostInfo } from "../excel/selftest";
import { TaskPaneApp } from "./App";
import { ErrorDialogApp } from "./ErrorDialogApp";
import { SelfTestApp } from "./SelfTestApp";
import { paneViewFromSearch } from "./view";

/** What the page may use; each is created only by the view that needs it (the error dialog needs none of them). */
export type PaneDeps = {
  ops: () => PlanOperations;
  selfTest: () => { host: ContractHost; info: HostInfo; cleanup: (prefix: string) => Promise<number> };
  closeDialog: () => void;
  displayLanguage?: string;
};

/** The element taskpane.html renders for its query: the pane, the self-test, or the ribbon's error dialog. */
export function paneRoot(search: string, deps: PaneDeps): ReactElement {
  const view = paneViewFromSearch(search);
  if (view.kind === "error") return <ErrorDialogApp failure={view.failure} onClose={deps.closeDialog} />;
  if (view.kind === "selftest") return <SelfTestApp {...deps.selfTest()} displayLanguage={deps.displayLanguage} />;
  return <TaskPaneApp ops={deps.ops()} displayLanguage={deps.displayLanguage} initialStep={view.step} />;
}
