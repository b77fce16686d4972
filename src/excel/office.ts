import { createOperations } from "./bind";
import type { PlanOperations } from "./operations";

/** The operations inside Excel: each call is one Excel.run batch. */
export function createOfficeOperations(): PlanOperations {
  return createOperations((batch) => Excel.run(batch));
}
