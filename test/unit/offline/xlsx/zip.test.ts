import * as zlib from "node:zlib";
import { unzipSync } from "fflate";
import { nodeZipCodec } from "../../../../src/cli/codec";
import { crc32, DEFAULT_CODEC, PartStream, zipParts, type ZipCodec } from "../../../../src/offline/xlsx/zip";

const NODE: ZipCodec = { deflateRaw: (d) => zlib.deflateRawSync(d), crc32: (d) => zlib.crc32(d) };
const text = (s: string) => new TextEncoder().encode(s);

/** Reads a zip the long way, as an independent check: every local header, its data inflated and CRC-checked. */
function readZip(bytes: Uint8Array): { name: string; method: number; content: Buffer }[] {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = buf.length - 22;
  expect(buf.readUInt32LE(end)).toBe(0x06054b50);
  const count = buf.readUInt16LE(end + 10);
  const dirSize = buf.readUInt32LE(end + 12);
  const dirStart = buf.readUInt32LE(end + 16);
  expect(dirStart + dirSize).toBe(end);
  const out: { name: string; method: number; content: Buffer }[] = [];
  let d = dirStart;
  for (let i = 0; i < count; i++) {
    expect(buf.readUInt32LE(d)).toBe(0x02014b50);
    const nameLen = buf.readUInt16LE(d + 28);
    const name = buf.toString("utf8", d + 46, d + 46 + nameLen);
    const local = buf.readUInt32LE(d + 42);
    expect(buf.readUInt32LE(local)).toBe(0x04034b50);
    expect(buf.toString("utf8", local + 30, local + 30 + buf.readUInt16LE(local + 26))).toBe(name);
    const method = buf.readUInt16LE(local + 8);
    const crc = buf.readUInt32LE(local + 14);
    const packed = buf.readUInt32LE(local + 18);
    const size = buf.readUInt32LE(local + 22);
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const data = buf.subarray(start, start + packed);
    const content = method === 8 ? zlib.inflateRawSync(data) : Buffer.from(data);
    expect(content.length).toBe(size);
    expect(zlib.crc32(content)).toBe(crc);
    expect(buf.readUInt32LE(d + 16)).toBe(crc);
    out.push({ name, method, content });
    d += 46 + nameLen + buf.readUInt16LE(d + 30) + buf.readUInt16LE(d + 32);
  }
  return out;
}

describe("zip packing", () => {
  it("computes the zip CRC-32", () => {
    expect(crc32(text("123456789"))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
    const noise = Uint8Array.from({ length: 5000 }, (_, i) => (i * 7919 + (i >> 3)) & 0xff);
    expect(crc32(noise)).toBe(zlib.crc32(noise));
    // Continued over pieces, as a part compressed while it is written needs it.
    expect(crc32(noise.subarray(1234), crc32(noise.subarray(0, 1234)))).toBe(crc32(noise));
  });

  it.each([
    ["fflate", DEFAULT_CODEC],
    ["Node zlib", NODE],
  ])("packs parts in order with %s, readable by an independent reader and by fflate", (_, codec) => {
    const xml = text("<sheetData>" + "<row><c><v>1</v></c></row>".repeat(2000) + "</sheetData>");
    let seed = 0x9e3779b9;
    const noise = Uint8Array.from({ length: 3000 }, () => {
      // xorshift32: bytes with no pattern deflate could exploit
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return seed & 0xff;
    });
    const parts: [string, Uint8Array][] = [
      ["[Content_Types].xml", text("<Types/>")],
      ["xl/worksheets/sheet1.xml", xml],
      ["xl/media/图片.bin", noise],
      ["empty.txt", new Uint8Array(0)],
    ];
    const zip = zipParts(parts, codec);
    const read = readZip(zip);
    expect(read.map((e) => e.name)).toEqual(parts.map(([n]) => n));
    read.forEach((e, i) => expect(new Uint8Array(e.content)).toEqual(parts[i][1]));
    // Compressible XML is deflated; bytes that deflate would grow are stored.
    expect(read[1].method).toBe(8);
    expect(read[2].method).toBe(0);
    expect(zip.length).toBeLessThan(xml.length / 10);
    const back = unzipSync(zip);
    expect(Object.keys(back)).toEqual(parts.map(([n]) => n));
    expect(back["xl/worksheets/sheet1.xml"]).toEqual(xml);
  });

  it("packs the same parts to the same bytes", () => {
    const parts: [string, Uint8Array][] = [["a.xml", text("<a/>".repeat(100))]];
    expect(zipParts(parts)).toEqual(zipParts(parts));
  });

  it("joins a part deflated piece by piece in the background into one stream any reader inflates", async () => {
    const rows = Array.from(
      { length: 500 },
      (_, i) => `<row r="${i + 1}"><c><v>${i * 7}</v></c><c t="s"><v>计划${i}</v></c></row>`,
    );
    // Small pieces, so the part is many of them; every one but the last ends in a sync flush.
    const stream = new PartStream({ ...nodeZipCodec, deflateRawPiece: nodeZipCodec.deflateRawPiece! }, 1000);
    stream.push("<sheetData>");
    for (const r of rows) stream.push(r);
    stream.push("</sheetData>");
    const packed = await stream.end();
    const xml = "<sheetData>" + rows.join("") + "</sheetData>";
    const bytes = new TextEncoder().encode(xml);
    expect(packed.size).toBe(bytes.length);
    expect(packed.crc).toBe(zlib.crc32(bytes));
    expect(packed.deflated.length).toBeLessThan(bytes.length / 3);
    const zip = zipParts(
      [
        ["[Content_Types].xml", text("<Types/>")],
        ["xl/worksheets/sheet1.xml", packed],
      ],
      NODE,
    );
    const read = readZip(zip);
    expect(read[1].content.toString("utf8")).toBe(xml);
    expect(new TextDecoder().decode(unzipSync(zip)["xl/worksheets/sheet1.xml"])).toBe(xml);
  });
});
