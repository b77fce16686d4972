import { OfflineHost } from "../../src/offline";
import { defineContract } from "./suite";

describe("Excel API contract on the offline host", () => {
  defineContract(() => {
    const host = new OfflineHost(undefined, { now: () => new Date(2025, 5, 15) });
    return { name: "offline", run: (batch) => host.run(batch) };
  });
});
