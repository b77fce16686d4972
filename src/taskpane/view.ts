/** The three steps of the pane, in order. */
export type StepId = "plan" | "check" | "summary";

export const STEPS: readonly StepId[] = ["plan", "check", "summary"];

/**
 * Reads the step to open from the pane URL's `view` parameter (the ribbon's "Check plan" opens `?view=check`).
 * @example initialStepFromSearch("?view=check") // "check"
 */
export function initialStepFromSearch(search: string): StepId {
  const view = new URLSearchParams(search).get("view");
  return STEPS.find((s) => s === view) ?? "plan";
}
