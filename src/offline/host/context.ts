import { HostError } from "./errors";
import type { HostRuntime } from "./runtime";
import type { SheetModel } from "../model";

/** A parsed load() argument: which scalar properties and which navigation children to load. */
export type LoadTree = { all: boolean; props: Map<string, LoadTree | true> };

type LoadSpec = string | string[] | Record<string, unknown> | undefined;

function addPath(tree: LoadTree, path: string): void {
  const parts = path
    .split("/")
    .map((p) => p.trim())
    .filter((p) => p !== "");
  let node = tree;
  parts.forEach((p, i) => {
    if (i === parts.length - 1) {
      if (!node.props.has(p)) node.props.set(p, true);
      return;
    }
    let next = node.props.get(p);
    if (next === undefined || next === true) {
      next = { all: false, props: new Map() };
      node.props.set(p, next);
    }
    node = next;
  });
}

/** Parses every form load() accepts: "a, b/c", ["a", "b/c"], { select, expand } or a property bag { a: true, b: { c: true } }. */
export function parseLoad(spec: LoadSpec): LoadTree {
  const tree: LoadTree = { all: false, props: new Map() };
  if (spec === undefined || spec === null || spec === "") return { all: true, props: new Map() };
  if (typeof spec === "string") spec.split(",").forEach((p) => addPath(tree, p));
  else if (Array.isArray(spec)) spec.forEach((s) => s.split(",").forEach((p) => addPath(tree, p)));
  else if ("select" in spec || "expand" in spec) {
    const sel = spec.select;
    if (typeof sel === "string") sel.split(",").forEach((p) => addPath(tree, p));
    const exp = spec.expand;
    if (typeof exp === "string")
      exp.split(",").forEach((p) => tree.props.set(p.trim(), { all: true, props: new Map() }));
    if (typeof sel !== "string") tree.all = true;
  } else {
    for (const [k, v] of Object.entries(spec)) {
      if (k === "$all") tree.all = v === true;
      else if (v === true) tree.props.set(k, true);
      else if (v && typeof v === "object") tree.props.set(k, parseLoad(v as Record<string, unknown>));
    }
  }
  return tree;
}

/** A queued action; `reads` when it reads calculated values (so the host recalculates before it, in slices). */
type Action = { label: string; bytes: number; run: () => void; reads?: boolean };

/** Cheap size estimate of a request argument as JSON, without building the string for large arrays of scalars. */
export function jsonSize(v: unknown): number {
  if (v === null || v === undefined) return 4;
  if (typeof v === "number") return String(v).length;
  if (typeof v === "boolean") return v ? 4 : 5;
  if (typeof v === "string") return utf8Length(v) + 2;
  if (Array.isArray(v)) {
    let n = 2;
    for (const x of v) n += jsonSize(x) + 1;
    return n;
  }
  if (typeof v === "object") {
    let n = 2;
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) n += k.length + 4 + jsonSize(x);
    return n;
  }
  return 8;
}

/** UTF-8 byte length (Chinese text is 3 bytes a character on the wire). */
function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    n += c < 0x80 ? 1 : c < 0x800 ? 2 : c >= 0xd800 && c <= 0xdbff ? 2 : 3;
  }
  return n;
}

/** Fixed per-action overhead (object path and method name) of the request estimate. */
const ACTION_OVERHEAD = 120;
const WEB_LIMIT = 5 * 1024 * 1024;
/**
 * How long the host runs a batch's actions, or a recalculation, before it lets the page's event loop run. Excel does
 * this work in its own process, so the pane never waits on it; in a browser the offline host shares the page's one
 * thread, and a 5,000-row batch run in one go froze the page for 0.4 s. Under the 50 ms of a "long task".
 */
const SLICE_MS = 30;

/**
 * The offline RequestContext: queues actions and loads, runs them in order on `sync()`, and commits loaded snapshots
 * only when the whole batch succeeded (Office rejects the sync and delivers no results when an action fails).
 */
/** Resolves on a later task of the event loop: setImmediate in Node, a MessageChannel message in a browser. */
export function nextTask(): Promise<void> {
  if (typeof setImmediate === "function") return new Promise((r) => setImmediate(r));
  if (typeof MessageChannel === "function") {
    return new Promise((r) => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        channel.port1.close();
        r();
      };
      channel.port2.postMessage(null);
    });
  }
  return new Promise((r) => setTimeout(r, 0));
}

export class OfflineRequestContext {
  private queue: Action[] = [];

  /** Whether anything is queued; Excel.run's closing sync sends nothing when nothing is. */
  get hasPending(): boolean {
    return this.queue.length > 0;
  }
  private commits: (() => void)[] = [];
  private responseBytes = 0;
  readonly trackedObjects = {
    add: (_obj: unknown): void => undefined,
    remove: (_obj: unknown): void => undefined,
  };
  readonly runtime: HostRuntime;
  /** Set by the host after construction (the workbook proxy needs the context first). */
  workbook!: unknown;

  constructor(runtime: HostRuntime) {
    this.runtime = runtime;
  }

  /** True while sync() runs the queued actions (loads reach child proxies then). */
  private running = false;

  /**
   * Fails the batch with ApiNotFound when `api` needs a newer requirement set than the host runs. Queued when called
   * while the batch is being built; thrown at once when a load path reaches the member during sync, so the failing
   * sync is the one that asked for it.
   */
  requireSet(version: string, api: string): void {
    const rt = this.runtime;
    if (rt.isSetSupported(version)) return;
    if (this.running) rt.require(version, api);
    else this.enqueue(api, undefined, () => rt.require(version, api));
  }

  /**
   * Queues an action with its estimated request size; `reads` marks one that reads calculated values (values, text,
   * formulas), before which the host recalculates in slices.
   */
  enqueue(label: string, args: unknown, run: () => void, reads = false): void {
    this.queue.push({ label, bytes: ACTION_OVERHEAD + (args === undefined ? 0 : jsonSize(args)), run, reads });
  }

  /** Called by load actions at sync time: records a snapshot to apply if the batch succeeds. */
  commit(bytes: number, apply: () => void): void {
    this.responseBytes += bytes;
    this.commits.push(apply);
  }

  /** Raises worksheets.onActivated when the batch changed the active sheet (HostRuntime.sheetActivated: a later task). */
  private announceActivation(before: SheetModel | undefined): void {
    const rt = this.runtime;
    const after = rt.model.sheets[rt.model.activeSheet];
    if (after !== undefined && after !== before) rt.sheetActivated(after);
  }

  async sync<T>(passThroughValue?: T): Promise<T> {
    // Queued now, run when the batches before it have ended (see HostRuntime.exclusive).
    const queue = this.queue;
    this.queue = [];
    return this.runtime.exclusive(() => this.send(queue, passThroughValue));
  }

  private async send<T>(queue: Action[], passThroughValue?: T): Promise<T> {
    const rt = this.runtime;
    this.commits = [];
    this.responseBytes = 0;
    rt.stats.syncs++;
    const requestBytes = queue.reduce((s, a) => s + a.bytes, 200);
    rt.stats.requests.push(requestBytes);
    rt.stats.maxRequestBytes = Math.max(rt.stats.maxRequestBytes, requestBytes);
    // A sync is a round trip to Excel: the page's event loop runs meanwhile (rendering, input, the pane's progress
    // line). Yielding a task here, not a microtask, lets a browser paint between the syncs of a long operation.
    await nextTask();
    if (rt.takeCellEditFailure()) {
      throw new HostError(
        "InvalidOperationInCellEditMode",
        "Excel is in cell-editing mode. Please exit the edit mode by pressing ENTER or TAB or selecting another cell, and then try again.",
      );
    }
    if (rt.mode === "web" && requestBytes > WEB_LIMIT) {
      rt.stats.rejectedSyncs++;
      throw new HostError(
        "RequestPayloadSizeLimitExceeded",
        `The request payload size (${requestBytes} bytes) has exceeded the limit.`,
      );
    }
    this.running = true;
    const activeBefore = rt.model.sheets[rt.model.activeSheet];
    try {
      let sliceStart = Date.now();
      for (const action of queue) {
        // The batch runs in slices with the page's event loop between them (SLICE_MS); a recalculation before a read
        // too. Nothing else changes the workbook meanwhile: other batches wait (exclusive).
        if (action.reads && rt.dirty) {
          await rt.calculateInSlices(SLICE_MS, nextTask);
          sliceStart = Date.now();
        }
        if (Date.now() - sliceStart >= SLICE_MS) {
          await nextTask();
          sliceStart = Date.now();
        }
        try {
          action.run();
        } catch (e) {
          if (e instanceof HostError && e.debugInfo.errorLocation === undefined) {
            throw new HostError(e.code, e.message, action.label);
          }
          throw e;
        }
      }
    } catch (e) {
      // Actions before a failing one stay done, an activation among them too.
      this.announceActivation(activeBefore);
      throw e;
    } finally {
      this.running = false;
    }
    try {
      rt.stats.maxResponseBytes = Math.max(rt.stats.maxResponseBytes, this.responseBytes);
      if (rt.mode === "web" && this.responseBytes > WEB_LIMIT) {
        rt.stats.rejectedSyncs++;
        rt.stats.maxRejectedResponseBytes = Math.max(rt.stats.maxRejectedResponseBytes, this.responseBytes);
        throw new HostError(
          "ResponsePayloadSizeLimitExceeded",
          `The response payload size (${this.responseBytes} bytes) has exceeded the limit.`,
        );
      }
      rt.stats.responses.push(this.responseBytes);
      for (const c of this.commits) c();
      this.commits = [];
      // Excel's response arrives on a task of its own: the caller's work on it is not one task with the batch's.
      await nextTask();
    } finally {
      // The event is raised once the response is in: queued any earlier, a loaded machine's timers ran the handler
      // before the caller's sync had resolved.
      this.announceActivation(activeBefore);
    }
    return passThroughValue as T;
  }
}

/** A value returned by a method (getCount(), getValue()…) that can be read after sync, like OfficeExtension.ClientResult. */
export class ClientResult<T> {
  private has = false;
  private v: T | undefined;

  /** @internal set by the action at sync. */
  resolve(context: OfflineRequestContext, value: T): void {
    context.commit(jsonSize(value), () => {
      this.v = value;
      this.has = true;
    });
  }

  get value(): T {
    if (!this.has)
      throw new HostError(
        "PropertyNotLoaded",
        'The value of the result object has not been loaded yet. Before reading the value property, call "context.sync()" on the associated request context.',
      );
    return this.v as T;
  }
}

/**
 * Base of every proxy. `resolver` finds the underlying model object at sync time (null = a null object); resolution is
 * cached so an object keeps pointing at what it first found, as Office binds an object to its id.
 */
export abstract class ClientObject<T> {
  readonly context: OfflineRequestContext;
  protected _values: Record<string, unknown> = {};
  protected _loaded = new Set<string>();
  private _isNull: boolean | undefined;
  private _target: T | undefined;
  private _resolved = false;
  protected readonly _children = new Map<string, ClientObject<unknown>>();

  constructor(
    context: OfflineRequestContext,
    private readonly resolver: () => T | null,
    nullable = false,
  ) {
    this.context = context;
    context.runtime.stats.objectsCreated++;
    if (nullable) {
      context.enqueue("nullCheck", undefined, () => {
        const t = this.tryTarget();
        context.commit(0, () => {
          this._isNull = t === null;
        });
      });
    }
  }

  /** Type name for messages ("Range", "Worksheet"). */
  protected abstract get typeName(): string;
  /** Scalar properties that load() fetches and toJSON() returns. */
  protected abstract scalarNames(): readonly string[];
  /** Reads one scalar property from the resolved target at sync time. */
  protected abstract snapshot(target: T, name: string): unknown;
  /**
   * ExcelApi sets of this object's members that are newer than the object itself, as @types/office-js tags them
   * (`"visibility:set"` for a setter alone). Loading such a property and {@link needsSet} check them; the coverage test
   * (test/unit/offline/host/coverage.test.ts) compares the host's behaviour with the typings.
   */
  protected memberSets(): Readonly<Record<string, string>> {
    return {};
  }

  /** Queues the requirement-set check of one member (see {@link memberSets}); a member without an entry needs none. */
  protected needsSet(member: string, write = false): void {
    const sets = this.memberSets();
    const version = (write ? sets[`${member}:set`] : undefined) ?? sets[member];
    if (version) this.context.requireSet(version, `${this.typeName}.${member}`);
  }

  /** Navigation properties (format, fill …) that load paths may go through. */
  protected child(_name: string): ClientObject<unknown> | undefined {
    return undefined;
  }

  /** Whether a prior sync found the object missing. */
  get isNullObject(): boolean {
    if (this._isNull === undefined) {
      throw new HostError(
        "PropertyNotLoaded",
        `The property 'isNullObject' is not available. Before reading the property's value, call the load method on the containing object and call "context.sync()" on the associated request context.`,
      );
    }
    return this._isNull;
  }

  /** Resolves at sync time; a missing object is ItemNotFound. */
  target(): T {
    const t = this.tryTarget();
    if (t === null) throw new HostError("ItemNotFound", `The requested resource doesn't exist. (${this.typeName})`);
    return t;
  }

  tryTarget(): T | null {
    if (!this._resolved) {
      const t = this.resolver();
      this._resolved = true;
      this._target = t === null ? undefined : t;
    }
    const t = this._target === undefined ? null : this._target;
    return t === null ? null : this.stillValid(t) ? t : null;
  }

  /** Subclasses reject targets that were removed since they were resolved (a deleted sheet). */
  protected stillValid(_t: T): boolean {
    return true;
  }

  /** Reads a loaded property or throws PropertyNotLoaded, like Office's generated getters. */
  protected prop<V>(name: string): V {
    if (this._loaded.has(name)) return this._values[name] as V;
    if (this._isNull === true) return null as V;
    throw new HostError(
      "PropertyNotLoaded",
      `The property '${name}' is not available. Before reading the property's value, call the load method on the containing object and call "context.sync()" on the associated request context.`,
      `${this.typeName}.${name}`,
    );
  }

  /** Records a value set through the proxy, readable at once (Office keeps what was assigned). */
  protected local(name: string, value: unknown): void {
    this._values[name] = value;
    this._loaded.add(name);
  }

  /** Queues an action on the resolved target. */
  protected act(label: string, args: unknown, fn: (t: T) => void): void {
    this.context.enqueue(`${this.typeName}.${label}`, args, () => fn(this.target()));
  }

  /** Queues a method call whose result is read after sync. */
  protected result<V>(label: string, args: unknown, fn: (t: T) => V): ClientResult<V> {
    const r = new ClientResult<V>();
    this.context.enqueue(`${this.typeName}.${label}`, args, () => r.resolve(this.context, fn(this.target())));
    return r;
  }

  load(spec?: LoadSpec): this {
    const tree = parseLoad(spec);
    this.context.enqueue(`${this.typeName}.load`, undefined, () => this.applyLoad(tree), this.readsCalculated(tree));
    return this;
  }

  /** Whether loading `tree` reads calculated values (a range's values or text): the host recalculates first. */
  protected readsCalculated(_tree: LoadTree): boolean {
    return false;
  }

  /** Runs a load at sync time. */
  applyLoad(tree: LoadTree): void {
    const t = this.tryTarget();
    if (t === null) {
      this.context.commit(0, () => {
        this._isNull = true;
      });
      return;
    }
    const sets = this.memberSets();
    // Loading everything loads what this host's set has (a newer property does not exist there).
    const names = new Set<string>(
      tree.all ? this.scalarNames().filter((n) => !sets[n] || this.context.runtime.isSetSupported(sets[n])) : [],
    );
    for (const [name, sub] of tree.props) {
      if (this.scalarNames().includes(name)) {
        this.needsSet(name);
        names.add(name);
        continue;
      }
      const c = this.child(name);
      if (!c)
        throw new HostError("InvalidArgument", `Cannot load '${name}' on ${this.typeName}.`, `${this.typeName}.load`);
      c.applyLoad(sub === true ? { all: true, props: new Map() } : sub);
    }
    const snap: Record<string, unknown> = {};
    let bytes = 0;
    for (const n of names) {
      snap[n] = this.snapshot(t, n);
      bytes += n.length + 4 + jsonSize(snap[n]);
    }
    this.context.commit(bytes, () => {
      this._isNull = false;
      for (const n of names) {
        this._values[n] = snap[n];
        this._loaded.add(n);
      }
    });
  }

  /** Loaded properties as plain data, with loaded children nested. */
  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const n of this.scalarNames()) if (this._loaded.has(n)) out[n] = this._values[n];
    for (const [n, c] of this._children) {
      const j = c.toJSON();
      if (Object.keys(j).length > 0) out[n] = j;
    }
    return out;
  }

  /** Sets several properties at once, recursing into navigation properties given as objects. */
  set(properties: Record<string, unknown>): void {
    for (const [k, v] of Object.entries(properties)) {
      const c = this.child(k);
      if (c && v !== null && typeof v === "object" && !Array.isArray(v)) {
        c.set(v as Record<string, unknown>);
        continue;
      }
      const desc = findSetter(this, k);
      if (!desc) throw new HostError("InvalidArgument", `The property '${k}' of ${this.typeName} cannot be set.`);
      desc.call(this, v);
    }
  }

  /** A cached child proxy (Office returns the same object for range.format each time). */
  protected kid<C extends ClientObject<unknown>>(name: string, make: () => C): C {
    let c = this._children.get(name);
    if (!c) {
      c = make();
      this._children.set(name, c);
    }
    return c as C;
  }
}

function findSetter(obj: object, key: string): ((v: unknown) => void) | undefined {
  let proto: object | null = Object.getPrototypeOf(obj);
  while (proto) {
    const d = Object.getOwnPropertyDescriptor(proto, key);
    if (d) return d.set;
    proto = Object.getPrototypeOf(proto);
  }
  return undefined;
}

/**
 * A collection proxy: `items` after load; loading a property on the collection loads it on every item.
 */
export abstract class ClientCollection<T, I extends ClientObject<unknown>> extends ClientObject<T> {
  private _items: I[] | undefined;

  /** The current elements at sync time, as item proxies. */
  protected abstract itemProxies(target: T): I[];

  protected scalarNames(): readonly string[] {
    return [];
  }

  protected snapshot(): unknown {
    return undefined;
  }

  get items(): I[] {
    if (this._items === undefined) {
      throw new HostError(
        "PropertyNotLoaded",
        `The property 'items' is not available. Call load on the ${this.typeName} and sync first.`,
      );
    }
    return this._items;
  }

  override applyLoad(tree: LoadTree): void {
    const t = this.target();
    let itemTree: LoadTree = { all: true, props: new Map() };
    const items = tree.props.get("items");
    if (items !== undefined) itemTree = items === true ? { all: true, props: new Map() } : items;
    else if (tree.props.size > 0) itemTree = { all: false, props: tree.props };
    const proxies = this.itemProxies(t);
    for (const p of proxies) p.applyLoad(itemTree);
    this.context.commit(2, () => {
      this._items = proxies;
    });
  }

  override toJSON(): Record<string, unknown> {
    return { items: (this._items ?? []).map((i) => i.toJSON()) };
  }
}
