/**
 * The pane's steps, in tab order: the guided flow Plan → Check → Summary, then Import, a second way in (a written plan
 * pasted as text) that ends at Check like Structure does. Import comes last so the flow keeps its numbers.
 */
export type StepId = "plan" | "check" | "summary" | "import";

export const STEPS: readonly StepId[] = ["plan", "check", "summary", "import"];

/**
 * Reads the step to open from the pane URL's `view` parameter (the ribbon's "Check plan" opens `?view=check`).
 * @example initialStepFromSearch("?view=check") // "check"
 */
export function initialStepFromSearch(search: string): StepId {
  const view = new URLSearchParams(search).get("view");
  return STEPS.find((s) => s === view) ?? "plan";
}
