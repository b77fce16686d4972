/**
 * Reads the zip container of a package without inflating anything up front: the central directory is checked when
 * the package is opened (bounds, duplicate and overlapping entries, methods), and a part is inflated only when it is
 * asked for, within a size cap, a compression-ratio cap and a budget for the whole package, and checked against its
 * CRC. Unreferenced parts (a zip bomb's two 1 GB entries) are never inflated; a package reader can list the entries
 * and copy a part's compressed bytes through unchanged with {@link ZipReader.raw}.
 *
 * Format: PKWARE APPNOTE.TXT 6.3 (§4.3.7 local header, §4.3.12 central directory, §4.3.16 end record, §4.4.4 flag
 * bits, §4.5.3 Zip64 extra field, §4.3.14–15 Zip64 end record and locator).
 */
import { Inflate } from "fflate";
import { PackageError } from "./errors";
import { crc32, type ZipCodec } from "./zip";

/**
 * Caps on what inflating may produce. Defaults: {@link DEFAULT_ZIP_LIMITS}.
 * `maxRatio` applies to parts over `ratioFloor` bytes: tiny parts of repeated bytes compress far beyond any ratio.
 */
export type ZipLimits = { maxPartBytes: number; maxTotalBytes: number; maxRatio: number; ratioFloor: number };

/**
 * A 50,000-row plan's sheet part is about 80 MB (README), compressed about 9:1 by Excel's and our writer; 160 MB per
 * part leaves twice that, and its text (up to 320 MB as a JavaScript string when it is not all Latin-1) with the
 * cells read from it stays within the CLI's 1.5 GB. Whole packages: 384 MB inflated. Ratios: sheet XML of real plans
 * compresses 5–40:1 (the most repetitive case measured, empty styled cells, about 60:1); past 200:1 is refused. A
 * 400 MB run of whitespace compresses about 1000:1 and 32,767-character cached texts about 400:1.
 */
export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxPartBytes: 160 * 1024 * 1024,
  maxTotalBytes: 384 * 1024 * 1024,
  maxRatio: 200,
  ratioFloor: 1024 * 1024,
};

/** One entry of the central directory. */
export type ZipEntry = {
  name: string;
  /** 0 stored, 8 deflated (the only two methods an .xlsx uses). */
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  /** Offset of the local header. */
  offset: number;
};

/** A part's bytes as stored, for copying it into another zip unchanged. */
export type RawEntry = { method: number; data: Uint8Array; crc: number; size: number };

const SIG_LOCAL = 0x04034b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_END = 0x06054b50;
const SIG_END64 = 0x06064b50;
const SIG_LOCATOR64 = 0x07064b50;
const FLAG_ENCRYPTED = 0x0001;
const FLAG_UTF8 = 0x0800;
/**
 * Compressed input handed to fflate's inflater at a time: deflate expands at most about 1032:1, so one push makes at
 * most ~132 MB before the reader can stop it (64 KB pushes cost a third more time on a 25 MB sheet).
 */
const INFLATE_CHUNK = 128 * 1024;
const DIRECTORY = { key: "directory" };

const damaged = (key: string, part?: string) =>
  new PackageError("damaged", { key: `zip.${key}`, params: part === undefined ? {} : { part } });
const tooLarge = (key: string, params: Record<string, string | number>) =>
  new PackageError("tooLarge", { key: `tooLarge.${key}`, params });

/** Opens zip bytes for reading parts by name. */
/** How {@link ZipReader} inflates and checks parts: caps, and optionally a native inflater and CRC. */
export type UnzipOptions = { limits?: Partial<ZipLimits>; codec?: Pick<ZipCodec, "crc32" | "inflateRaw"> };

export class ZipReader {
  private readonly byKey = new Map<string, ZipEntry>();
  private readonly view: DataView;
  private inflated = 0;

  private constructor(
    private readonly bytes: Uint8Array,
    private readonly limits: ZipLimits,
    private readonly codec: Pick<ZipCodec, "crc32" | "inflateRaw">,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** Reads the central directory of `bytes`; throws {@link PackageError} when it is not consistent. */
  static open(bytes: Uint8Array, options: UnzipOptions = {}): ZipReader {
    const zip = new ZipReader(bytes, { ...DEFAULT_ZIP_LIMITS, ...options.limits }, options.codec ?? { crc32 });
    zip.readDirectory();
    return zip;
  }

  /** Every entry, folders included, in directory order. */
  get entries(): ZipEntry[] {
    return [...this.byKey.values()];
  }

  /** Names of the files (folders left out), in directory order. */
  names(): string[] {
    return this.entries.filter((e) => !e.name.endsWith("/")).map((e) => e.name);
  }

  /** The entry named `name` (part names compare ignoring ASCII case, OPC §9.1.1.1 [M1.12]). */
  entry(name: string): ZipEntry | undefined {
    return this.byKey.get(asciiLower(name));
  }

  has(name: string): boolean {
    return this.entry(name) !== undefined;
  }

  /** Bytes inflated so far by {@link read}, counted against `maxTotalBytes`. */
  get inflatedBytes(): number {
    return this.inflated;
  }

  /**
   * The part's bytes, inflated and CRC-checked; undefined when there is no such part. Throws {@link PackageError}:
   * "tooLarge" when the part's size, its compression ratio or the package's total passes the limits, "damaged" when
   * the data does not inflate to exactly the declared size and CRC.
   */
  read(name: string): Uint8Array | undefined {
    const e = this.entry(name);
    if (!e) return undefined;
    const { maxPartBytes, maxTotalBytes, maxRatio, ratioFloor } = this.limits;
    if (e.size > maxPartBytes) {
      throw tooLarge("part", { part: e.name, size: mb(e.size), limit: mb(maxPartBytes) });
    }
    if (e.size > ratioFloor && e.size > e.compressedSize * maxRatio) {
      const ratio = Math.round(e.size / Math.max(1, e.compressedSize));
      throw tooLarge("ratio", { part: e.name, ratio, limit: maxRatio });
    }
    if (this.inflated + e.size > maxTotalBytes) {
      throw tooLarge("total", { limit: mb(maxTotalBytes) });
    }
    const raw = this.raw(name)!;
    let out: Uint8Array;
    if (raw.method === 0) out = raw.data;
    else if (this.codec.inflateRaw) out = inflateNative(this.codec.inflateRaw, raw.data, e);
    else out = inflateExactly(raw.data, e);
    if (this.codec.crc32(out) !== e.crc) throw damaged("crc", e.name);
    this.inflated += e.size;
    return out;
  }

  /** The part's stored bytes (not inflated) with its method, CRC and size; undefined when there is no such part. */
  raw(name: string): RawEntry | undefined {
    const e = this.entry(name);
    if (!e) return undefined;
    const start = this.dataStart(e);
    return { method: e.method, data: this.bytes.subarray(start, start + e.compressedSize), crc: e.crc, size: e.size };
  }

  private u16(at: number): number {
    return this.view.getUint16(at, true);
  }

  private u32(at: number): number {
    return this.view.getUint32(at, true);
  }

  private u64(at: number): number {
    const n = this.u32(at) + this.u32(at + 4) * 0x100000000;
    if (!Number.isSafeInteger(n)) throw damaged("directory");
    return n;
  }

  private need(at: number, length: number, what: { key: string; part?: string }): void {
    if (at < 0 || length < 0 || at + length > this.bytes.length) throw damaged(what.key, what.part);
  }

  private findEnd(): number {
    // The end record is the last 22 bytes, or further back by its comment (at most 65,535 bytes).
    const last = this.bytes.length - 22;
    const first = Math.max(0, last - 0xffff);
    for (let at = last; at >= first; at--) {
      if (this.u32(at) === SIG_END && at + 22 + this.u16(at + 20) === this.bytes.length) return at;
    }
    for (let at = last; at >= first; at--) if (this.u32(at) === SIG_END) return at;
    throw damaged("noDirectory");
  }

  private readDirectory(): void {
    if (this.bytes.length < 22) throw damaged("noDirectory");
    const end = this.findEnd();
    if (this.u16(end + 4) !== 0 || this.u16(end + 6) !== 0) throw damaged("multiDisk");
    let count = this.u16(end + 10);
    let dirSize = this.u32(end + 12);
    let dirStart = this.u32(end + 16);
    if (count === 0xffff || dirSize === 0xffffffff || dirStart === 0xffffffff) {
      const locator = end - 20;
      if (locator < 0 || this.u32(locator) !== SIG_LOCATOR64) throw damaged("directory");
      const end64 = this.u64(locator + 8);
      this.need(end64, 56, DIRECTORY);
      if (this.u32(end64) !== SIG_END64) throw damaged("directory");
      count = this.u64(end64 + 32);
      dirSize = this.u64(end64 + 40);
      dirStart = this.u64(end64 + 48);
    }
    this.need(dirStart, dirSize, DIRECTORY);
    // Each record takes at least 46 bytes: a count beyond that is a lie, not a reason to loop.
    if (count * 46 > dirSize) throw damaged("directory");
    let at = dirStart;
    const dirEnd = dirStart + dirSize;
    for (let i = 0; i < count; i++) {
      this.need(at, 46, DIRECTORY);
      if (at + 46 > dirEnd || this.u32(at) !== SIG_CENTRAL) throw damaged("directory");
      const flags = this.u16(at + 8);
      const method = this.u16(at + 10);
      let crc = this.u32(at + 16);
      let compressedSize = this.u32(at + 20);
      let size = this.u32(at + 24);
      const nameLength = this.u16(at + 28);
      const extraLength = this.u16(at + 30);
      const commentLength = this.u16(at + 32);
      let offset = this.u32(at + 42);
      const next = at + 46 + nameLength + extraLength + commentLength;
      if (next > dirEnd) throw damaged("directory");
      const nameBytes = this.bytes.subarray(at + 46, at + 46 + nameLength);
      const name = decodeName(nameBytes, (flags & FLAG_UTF8) !== 0);
      if (size === 0xffffffff || compressedSize === 0xffffffff || offset === 0xffffffff) {
        const z = this.zip64Extra(at + 46 + nameLength, extraLength, {
          size: size === 0xffffffff,
          compressedSize: compressedSize === 0xffffffff,
          offset: offset === 0xffffffff,
        });
        size = z.size ?? size;
        compressedSize = z.compressedSize ?? compressedSize;
        offset = z.offset ?? offset;
      }
      crc >>>= 0;
      if (flags & FLAG_ENCRYPTED) throw damaged("encryptedPart", name);
      if (method !== 0 && method !== 8)
        throw new PackageError("damaged", { key: "zip.method", params: { part: name, method } });
      if (method === 0 && size !== compressedSize) throw damaged("sizes", name);
      const key = asciiLower(name);
      if (this.byKey.has(key)) throw damaged("duplicate", name);
      this.byKey.set(key, { name, method, crc, compressedSize, size, offset });
      at = next;
    }
    this.checkLayout(dirStart);
  }

  /** Values the Zip64 extra field holds, in its fixed order, for the fields whose 32-bit value was 0xFFFFFFFF. */
  private zip64Extra(
    start: number,
    length: number,
    wanted: { size: boolean; compressedSize: boolean; offset: boolean },
  ): { size?: number; compressedSize?: number; offset?: number } {
    let at = start;
    const end = start + length;
    while (at + 4 <= end) {
      const id = this.u16(at);
      const len = this.u16(at + 2);
      if (at + 4 + len > end) break;
      if (id === 0x0001) {
        const out: { size?: number; compressedSize?: number; offset?: number } = {};
        let p = at + 4;
        const take = () => {
          if (p + 8 > at + 4 + len) throw damaged("directory");
          const v = this.u64(p);
          p += 8;
          return v;
        };
        if (wanted.size) out.size = take();
        if (wanted.compressedSize) out.compressedSize = take();
        if (wanted.offset) out.offset = take();
        return out;
      }
      at += 4 + len;
    }
    throw damaged("directory");
  }

  /**
   * Entries must lie one after another before the directory, each inside its own span: overlapping entries (one
   * compressed body shared by many names, a known zip bomb) and local headers whose name differs are refused.
   */
  private checkLayout(dirStart: number): void {
    const files = this.entries.slice().sort((a, b) => a.offset - b.offset);
    for (let i = 0; i < files.length; i++) {
      const e = files[i];
      const start = this.dataStart(e);
      const limit = i + 1 < files.length ? files[i + 1].offset : dirStart;
      if (start + e.compressedSize > limit) throw damaged("overlap", e.name);
    }
  }

  /** Where the entry's data starts, after its local header (whose name must be the directory's). */
  private dataStart(e: ZipEntry): number {
    this.need(e.offset, 30, { key: "localHeader", part: e.name });
    if (this.u32(e.offset) !== SIG_LOCAL) throw damaged("localHeader", e.name);
    const nameLength = this.u16(e.offset + 26);
    const extraLength = this.u16(e.offset + 28);
    const start = e.offset + 30 + nameLength + extraLength;
    this.need(e.offset + 30, nameLength + extraLength, { key: "localHeader", part: e.name });
    const local = this.bytes.subarray(e.offset + 30, e.offset + 30 + nameLength);
    const flags = this.u16(e.offset + 6);
    if (decodeName(local, (flags & FLAG_UTF8) !== 0) !== e.name) throw damaged("localHeader", e.name);
    this.need(start, e.compressedSize, { key: "truncated", part: e.name });
    return start;
  }
}

/** Inflates `data` into exactly `e.size` bytes, stopping as soon as it would produce more. */
function inflateExactly(data: Uint8Array, e: ZipEntry): Uint8Array {
  const out = new Uint8Array(e.size);
  let at = 0;
  let done = false;
  const inflater = new Inflate((chunk, final) => {
    if (at + chunk.length > out.length) throw damaged("length", e.name);
    out.set(chunk, at);
    at += chunk.length;
    if (final) done = true;
  });
  try {
    for (let p = 0; p < data.length && !done; p += INFLATE_CHUNK) {
      inflater.push(data.subarray(p, Math.min(data.length, p + INFLATE_CHUNK)), p + INFLATE_CHUNK >= data.length);
    }
  } catch (err) {
    if (err instanceof PackageError) throw err;
    if (err instanceof Error) throw damaged("inflate", e.name);
    throw err;
  }
  if (!done || at !== out.length) throw damaged("length", e.name);
  return out;
}

/** Inflates with the codec's native inflater, which stops past `e.size`; the length must then be exact. */
function inflateNative(
  inflate: (data: Uint8Array, size: number) => Uint8Array,
  data: Uint8Array,
  e: ZipEntry,
): Uint8Array {
  let out: Uint8Array;
  try {
    out = inflate(data, e.size);
  } catch (err) {
    // By name: Node's zlib errors come from another realm under test runners, where instanceof fails.
    const name = (err as { name?: unknown } | null)?.name;
    if (name === "RangeError") throw damaged("length", e.name);
    if (typeof name === "string") throw damaged("inflate", e.name);
    throw err;
  }
  if (out.length !== e.size) throw damaged("length", e.name);
  return out;
}

/** Zip names: UTF-8 with flag bit 11 (§4.4.4), else IBM code page 437, which in practice is ASCII in packages. */
function decodeName(bytes: Uint8Array, utf8: boolean): string {
  if (utf8) return new TextDecoder("utf-8").decode(bytes);
  let s = "";
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
  return s;
}

function asciiLower(s: string): string {
  return s.replace(/[A-Z]+/g, (m) => m.toLowerCase());
}

function mb(n: number): string {
  return `${Math.round((n / (1024 * 1024)) * 10) / 10} MB`;
}
