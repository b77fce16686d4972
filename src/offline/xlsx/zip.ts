/**
 * The zip container of an .xlsx package, written here so the compressor can be chosen by whoever runs the export:
 * fflate (pure JavaScript) everywhere by default, the platform's native zlib where there is one (the CLI), which
 * compresses a 50,000-row plan's 80 MB of sheet XML about four times faster.
 */
import { deflateSync } from "fflate";

/** Raw DEFLATE (RFC 1951, no zlib header) and CRC-32 (the zip/PNG polynomial) for {@link zipParts}. */
export type ZipCodec = {
  deflateRaw(data: Uint8Array): Uint8Array;
  /** CRC-32 of `data`, continuing from the CRC of what came before it (0 for a start). */
  crc32(data: Uint8Array, previous?: number): number;
  /**
   * Optional: deflates one piece of a part in the background (Node's zlib thread pool), so a large sheet is
   * compressed while the rest of it is still being written. Every piece but the last ends in a sync flush and the
   * last one finishes the stream: the pieces joined are one raw deflate stream.
   */
  deflateRawPiece?(data: Uint8Array, last: boolean): Promise<Uint8Array>;
  /**
   * Optional, for reading: raw INFLATE of one part that throws as soon as the output would pass `size` bytes (Node's
   * zlib with `maxOutputLength`, about four times faster than fflate). Without it the reader inflates with fflate.
   */
  inflateRaw?(data: Uint8Array, size: number): Uint8Array;
};

/** A part already deflated: what a zip entry needs besides its name. */
export type PackedPart = { deflated: Uint8Array; crc: number; size: number };

/**
 * CRC-32 lookup tables for slicing-by-8 (eight bytes a step, about three times faster than a byte at a time): table k
 * holds the CRC of a byte followed by k zero bytes.
 */
const CRC_TABLES = (() => {
  const t = new Uint32Array(256 * 8);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  for (let k = 1; k < 8; k++) {
    for (let n = 0; n < 256; n++) {
      const prev = t[(k - 1) * 256 + n];
      t[k * 256 + n] = (prev >>> 8) ^ t[prev & 0xff];
    }
  }
  return t;
})();

/**
 * CRC-32 as zip stores it.
 * @example crc32(new TextEncoder().encode("123456789")) // 0xcbf43926
 */
export function crc32(data: Uint8Array, previous = 0): number {
  const t = CRC_TABLES;
  let c = (previous ^ 0xffffffff) >>> 0;
  const n = data.length;
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const one = c ^ (data[i] | (data[i + 1] << 8) | (data[i + 2] << 16) | (data[i + 3] << 24));
    c =
      t[1792 + (one & 0xff)] ^
      t[1536 + ((one >>> 8) & 0xff)] ^
      t[1280 + ((one >>> 16) & 0xff)] ^
      t[1024 + (one >>> 24)] ^
      t[768 + data[i + 4]] ^
      t[512 + data[i + 5]] ^
      t[256 + data[i + 6]] ^
      t[data[i + 7]];
  }
  for (; i < n; i++) c = t[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** fflate at level 6, the level Excel's own files are close to. */
export const DEFAULT_CODEC: ZipCodec = {
  deflateRaw: (data) => deflateSync(data, { level: 6 }),
  crc32,
};

// Zip's 32-bit size fields; a part this large would need Zip64, which no plan comes near.
const MAX_32 = 0xffffffff;
// 1980-01-01 00:00 in MS-DOS form, the earliest date zip can hold: the same workbook always packs to the same bytes.
const DOS_DATE = (0 << 9) | (1 << 5) | 1;
const DOS_TIME = 0;
// General purpose flag bit 11: names are UTF-8.
const UTF8_NAMES = 0x0800;

/**
 * Packs named parts, in the given order, into zip bytes: each part deflated (stored when deflating does not shrink
 * it), with local headers, a central directory and its end record.
 * @example zipParts([["a.txt", new TextEncoder().encode("hi")]]) // Uint8Array starting "PK\x03\x04"
 */
export function zipParts(
  parts: readonly (readonly [string, Uint8Array | PackedPart])[],
  codec: ZipCodec = DEFAULT_CODEC,
): Uint8Array {
  const encoder = new TextEncoder();
  type Entry = { name: Uint8Array; method: number; crc: number; size: number; data: Uint8Array; offset: number };
  const entries: Entry[] = [];
  let offset = 0;
  for (const [path, content] of parts) {
    let entry: Omit<Entry, "name" | "offset">;
    if (content instanceof Uint8Array) {
      const deflated = codec.deflateRaw(content);
      const stored = deflated.length >= content.length;
      const data = stored ? content : deflated;
      entry = { method: stored ? 0 : 8, crc: codec.crc32(content), size: content.length, data };
    } else entry = { method: 8, crc: content.crc, size: content.size, data: content.deflated };
    if (entry.size > MAX_32 || offset + entry.data.length > MAX_32)
      throw new RangeError(`The package is too large for a zip without Zip64 (part ${path}).`);
    const name = encoder.encode(path);
    entries.push({ ...entry, name, offset });
    offset += 30 + name.length + entry.data.length;
  }
  if (entries.length > 0xffff) throw new RangeError("Too many parts for a zip without Zip64.");
  const directorySize = entries.reduce((n, e) => n + 46 + e.name.length, 0);
  const out = new Uint8Array(offset + directorySize + 22);
  const view = new DataView(out.buffer);
  let p = 0;
  const u16 = (v: number) => {
    view.setUint16(p, v, true);
    p += 2;
  };
  const u32 = (v: number) => {
    view.setUint32(p, v >>> 0, true);
    p += 4;
  };
  const bytes = (b: Uint8Array) => {
    out.set(b, p);
    p += b.length;
  };
  // The fields a local header and its central directory record share, from "version needed" to the name's length.
  const common = (e: Entry) => {
    u16(20);
    u16(UTF8_NAMES);
    u16(e.method);
    u16(DOS_TIME);
    u16(DOS_DATE);
    u32(e.crc);
    u32(e.data.length);
    u32(e.size);
    u16(e.name.length);
  };
  for (const e of entries) {
    u32(0x04034b50);
    common(e);
    u16(0); // extra field length
    bytes(e.name);
    bytes(e.data);
  }
  const directoryStart = p;
  for (const e of entries) {
    u32(0x02014b50);
    u16(20); // version made by: MS-DOS attributes, zip 2.0
    common(e);
    u16(0); // extra field length
    u16(0); // comment length
    u16(0); // disk number
    u16(0); // internal attributes
    u32(0); // external attributes
    u32(e.offset);
    bytes(e.name);
  }
  const directoryEnd = p;
  u32(0x06054b50);
  u16(0);
  u16(0);
  u16(entries.length);
  u16(entries.length);
  u32(directoryEnd - directoryStart);
  u32(directoryStart);
  u16(0); // comment length
  return out;
}

/** Characters of XML per piece handed to the background compressor (about 2–6 MB of UTF-8). */
const PIECE_CHARS = 2 * 1024 * 1024;

/**
 * A part written as text in many small strings and deflated piece by piece while it is being written, with a codec
 * that has {@link ZipCodec.deflateRawPiece}.
 */
export class PartStream {
  private readonly encoder = new TextEncoder();
  private readonly pieces: Promise<Uint8Array>[] = [];
  private texts: string[] = [];
  private chars = 0;
  private crc = 0;
  private size = 0;

  constructor(
    private readonly codec: ZipCodec & Required<Pick<ZipCodec, "deflateRawPiece">>,
    private readonly pieceChars = PIECE_CHARS,
  ) {}

  push(...texts: string[]): void {
    for (const t of texts) {
      this.texts.push(t);
      this.chars += t.length;
    }
    if (this.chars >= this.pieceChars) this.flush(false);
  }

  private flush(last: boolean): void {
    const bytes = this.encoder.encode(this.texts.join(""));
    this.texts = [];
    this.chars = 0;
    this.crc = this.codec.crc32(bytes, this.crc);
    this.size += bytes.length;
    this.pieces.push(this.codec.deflateRawPiece(bytes, last));
  }

  /** Finishes the stream and waits for the compressor. */
  async end(): Promise<PackedPart> {
    this.flush(true);
    const pieces = await Promise.all(this.pieces);
    const deflated = new Uint8Array(pieces.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of pieces) {
      deflated.set(p, at);
      at += p.length;
    }
    return { deflated, crc: this.crc, size: this.size };
  }
}
