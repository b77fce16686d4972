/**
 * Request-size budgeting. Excel on the web rejects a request or response over 5 MB
 * (RequestPayloadSizeLimitExceeded), so large reads and writes go in row blocks, and a sync is spent only when the
 * queued work would pass the budget. Below the budget everything rides in one sync.
 */

/** Bytes we allow one request or response to reach: under Excel on the web's 5 MB, with room for envelopes. */
export const REQUEST_BUDGET = 4_000_000;

/** A conservative estimate of the JSON bytes a cell value costs on the wire (UTF-8, quotes, separators). */
export function cellBytes(v: unknown): number {
  if (v === null || v === undefined) return 5;
  if (typeof v === "number") return String(v).length + 1;
  if (typeof v === "boolean") return 6;
  const s = String(v);
  let n = 3;
  for (let i = 0; i < s.length; i++) n += s.charCodeAt(i) < 0x80 ? 1 : 3;
  return n;
}

/** Estimated bytes of a 2-D array written or read as one property. */
export function gridBytes(rows: readonly (readonly unknown[])[]): number {
  let n = 2;
  for (const row of rows) {
    n += 2;
    for (const v of row) n += cellBytes(v);
  }
  return n;
}

/** How many rows of `columns` cells of about `bytesPerCell` fit one request, at least 1. */
export function rowsPerBlock(columns: number, bytesPerCell: number, budget = REQUEST_BUDGET): number {
  return Math.max(1, Math.floor(budget / Math.max(1, columns * bytesPerCell + 2)));
}

/**
 * Tracks the bytes queued on a context and syncs before a write would pass the budget. Callers queue through
 * `queue(bytes, write)` and finish with `flush()`.
 */
export class SyncBudget {
  private pending = 0;
  syncs = 0;
  largest = 0;
  /** Steps whose work is queued but not yet sent. */
  private queuedSteps: string[] = [];
  /** Steps whose work Excel has accepted: a sync that carried all of it succeeded. What a failure reports as done. */
  readonly done: string[] = [];

  constructor(
    private readonly context: { sync(): Promise<void> },
    private readonly budget = REQUEST_BUDGET,
  ) {}

  /** Queues `write` (which costs about `bytes`), syncing first if the request would otherwise grow past the budget. */
  async queue(bytes: number, write: () => void): Promise<void> {
    if (this.pending > 0 && this.pending + bytes > this.budget) await this.flush();
    write();
    this.pending += bytes;
    this.largest = Math.max(this.largest, this.pending);
  }

  /** Sends what is queued, if anything. */
  async flush(): Promise<void> {
    if (this.pending === 0) return;
    this.pending = 0;
    this.syncs++;
    await this.context.sync();
    this.done.push(...this.queuedSteps);
    this.queuedSteps = [];
  }

  /**
   * Marks a step's work as all queued: it counts as done once a sync has sent it (at once when nothing is waiting).
   * A failed sync keeps the actions before the failing one, so what it reports as done was applied.
   */
  finished(step: string): void {
    if (this.pending === 0 && this.queuedSteps.length === 0) this.done.push(step);
    else this.queuedSteps.push(step);
  }

  /** Counts work queued without a size (formats, names) so the final flush still sends it. */
  touch(bytes = 200): void {
    this.pending += bytes;
    this.largest = Math.max(this.largest, this.pending);
  }
}
