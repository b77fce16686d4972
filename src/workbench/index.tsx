import { createRoot } from "react-dom/client";
import { initialLanguage, paneWidthFromSearch, Workbench } from "./Workbench";

/* Composition root of the browser workbench: no Office.js; the pane's operations run on the offline host. */
const container = document.getElementById("root");
if (container === null) throw new Error("workbench.html has no #root element");
createRoot(container).render(
  <Workbench
    displayLanguage={initialLanguage(window.location.search, navigator.language)}
    paneWidth={paneWidthFromSearch(window.location.search)}
  />,
);
