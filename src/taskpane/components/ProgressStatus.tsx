import { Spinner } from "@fluentui/react-components";
import { useMessages } from "../messages";
import type { OperationName, PlanState } from "../usePlanOperations";

/** Operations long enough to show progress for, most important first. */
const SHOWN: readonly OperationName[] = [
  "structure",
  "importRows",
  "collectReturns",
  "makeTemplate",
  "summarize",
  "summarizeAll",
  "check",
  "preview",
];

export type ProgressStatusProps = { running: PlanState["running"] };

/** A spinner naming the step a long operation is on; a polite live region so screen readers hear the steps. */
export function ProgressStatus({ running }: ProgressStatusProps) {
  const { t } = useMessages();
  const op = SHOWN.find((o) => o in running);
  const step = op === undefined ? undefined : running[op];
  const label = op === undefined ? "" : step ? t(`step.${step}`) : t(`op.${op}`);
  return (
    <div role="status" aria-live="polite">
      {op !== undefined && <Spinner size="tiny" labelPosition="after" label={label} />}
    </div>
  );
}
