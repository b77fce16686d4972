import { createRoot } from "react-dom/client";
import type { ContractHost } from "../contract";
import { removeScratch } from "../excel/selftest";
import { OfflineHost } from "../offline";
import { SelfTestApp } from "../taskpane/SelfTestApp";
import { initialLanguage } from "./Workbench";

/*
 * The self-test page of the workbench (selftest.html): the same contract rules the add-in runs inside Excel
 * (taskpane.html?view=selftest), here against the offline host, which is what the browser test checks in CI.
 */
// Excel's default AutoCorrect setting (a formula written into a table column fills the column), as the rules expect.
const offline = new OfflineHost(undefined, { fillFormulasInTables: true });
window.__planLedger = { host: offline };
const host: ContractHost = {
  name: "offline host",
  run: (batch) => offline.run(batch),
  isSetSupported: (v) => offline.isSetSupported(v),
};
const container = document.getElementById("root");
if (container === null) throw new Error("selftest.html has no #root element");
createRoot(container).render(
  <SelfTestApp
    host={host}
    info={{ host: "Plan Ledger offline host", version: "(workbench)", platform: "browser", highestApi: "1.17" }}
    cleanup={(prefix) => removeScratch((batch) => offline.run(batch), prefix)}
    displayLanguage={initialLanguage(window.location.search, navigator.language)}
  />,
);
