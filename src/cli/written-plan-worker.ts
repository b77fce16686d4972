/** Worker thread of {@link readWrittenPlanBounded}: reads the written plan it is given and posts the result. */
import { parentPort, workerData } from "node:worker_threads";
import { readWrittenPlan } from "./written-plan";

const { text, periodStart, now } = workerData as { text: string; periodStart: string | undefined; now: number };
parentPort?.postMessage(readWrittenPlan(text, periodStart, new Date(now)));
