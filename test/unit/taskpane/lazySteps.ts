/*
 * The steps the pane loads on first show (React.lazy + import()) are compiled by ts-jest on their first import, which
 * on a loaded machine can take longer than a test waits for the step to appear. Importing them here, before the tests
 * run, compiles them once up front; the pane still loads them through import() and Suspense (resolved from Jest's
 * module registry), so the tests go through the same lazy path.
 */
import "../../../src/taskpane/components/CheckStep";
import "../../../src/taskpane/components/CollectStep";
import "../../../src/taskpane/components/ImportStep";
import "../../../src/taskpane/components/StructurePreview";
import "../../../src/taskpane/components/SummaryStep";
import "../../../src/core/textplan";
