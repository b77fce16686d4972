import { createRoot } from "react-dom/client";
import { createOfficeOperations } from "../excel/office";
import { TaskPaneApp } from "./App";
import { initialStepFromSearch } from "./view";

/* Composition root: the only place that knows the pane runs inside Office. */
void Office.onReady().then(() => {
  const container = document.getElementById("root");
  if (container === null) throw new Error("taskpane.html has no #root element");
  createRoot(container).render(
    <TaskPaneApp
      ops={createOfficeOperations()}
      displayLanguage={Office.context.displayLanguage}
      initialStep={initialStepFromSearch(window.location.search)}
    />,
  );
});
