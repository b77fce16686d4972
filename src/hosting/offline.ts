import { createOperations } from "../excel/bind";
import type { PlanOperations } from "../excel/operations";
import { setRequirementChecker } from "../excel/requirements";
import type { OfflineHost } from "../offline";
import { returnOpener } from "./returns";

/**
 * Binds the plan operations to an offline host, for the CLI, the workbench and tests: the same Excel code that runs
 * inside Excel, with the host answering requirement-set questions.
 */
export function createOfflineOperations(
  host: OfflineHost,
  opts: { now?: () => Date; fileName?: () => string | undefined } = {},
): PlanOperations {
  setRequirementChecker((v) => host.isSetSupported(v));
  return createOperations((batch) => host.run(batch), { ...opts, openReturn: returnOpener() });
}
