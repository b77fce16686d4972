import * as zlib from "node:zlib";
import { nodeZipCodec } from "../../../../src/cli/codec";
import { PackageError } from "../../../../src/offline/xlsx/errors";
import { ZipReader, type UnzipOptions } from "../../../../src/offline/xlsx/unzip";
import { crc32, zipParts } from "../../../../src/offline/xlsx/zip";
import { deflatedParts, SPACES_MIB } from "../../../support/hostile-xlsx";

const text = (s: string) => new TextEncoder().encode(s);
const str = (b: Uint8Array | undefined) => (b === undefined ? undefined : new TextDecoder().decode(b));

/** What reading throws: kind and detail key. */
function failure(read: () => unknown): { kind: string; key: string; part?: unknown } {
  try {
    read();
  } catch (e) {
    if (e instanceof PackageError) return { kind: e.kind, key: e.detail.key, part: e.detail.params?.part };
    throw e;
  }
  throw new Error("expected a PackageError");
}

const CODECS: [string, UnzipOptions][] = [
  ["fflate", {}],
  ["Node zlib", { codec: nodeZipCodec }],
];

describe("zip reader", () => {
  it("lists entries and reads a part by name, ignoring ASCII case as OPC part names do", () => {
    const zip = ZipReader.open(
      zipParts([
        ["xl/workbook.xml", text("<workbook/>")],
        ["docs/", new Uint8Array(0)],
      ]),
    );
    expect(zip.names()).toEqual(["xl/workbook.xml"]);
    expect(str(zip.read("XL/Workbook.xml"))).toBe("<workbook/>");
    expect(zip.read("xl/missing.xml")).toBeUndefined();
  });

  it.each(CODECS)("inflates only the parts asked for (%s): two 1 GiB entries cost nothing until read", (_, opts) => {
    const bomb = deflatedParts([[SPACES_MIB, 1024]]);
    const bytes = zipParts([
      ["xl/workbook.xml", text("<workbook/>")],
      ["xl/media/a.bin", bomb],
      ["b.bin", bomb],
    ]);
    const zip = ZipReader.open(bytes, opts);
    expect(str(zip.read("xl/workbook.xml"))).toBe("<workbook/>");
    expect(zip.inflatedBytes).toBe(11);
    expect(failure(() => zip.read("b.bin"))).toEqual({ kind: "tooLarge", key: "tooLarge.part", part: "b.bin" });
  });

  it("refuses a part compressed past the ratio cap before inflating it", () => {
    const padded = deflatedParts([
      ["<a>", 1],
      [SPACES_MIB, 20],
      ["</a>", 1],
    ]);
    const zip = ZipReader.open(zipParts([["x.xml", padded]]));
    expect(failure(() => zip.read("x.xml"))).toEqual({ kind: "tooLarge", key: "tooLarge.ratio", part: "x.xml" });
    // The same part is read when the cap allows it.
    const lenient = ZipReader.open(zipParts([["x.xml", padded]]), { limits: { maxRatio: 10_000 } });
    expect(lenient.read("x.xml")?.length).toBe(20 * SPACES_MIB.length + 7);
  });

  it("counts what all reads inflate against the package's budget", () => {
    const part = Uint8Array.from({ length: 4000 }, (_, i) => (i * 7919) & 0xff);
    const zip = ZipReader.open(
      zipParts([
        ["a", part],
        ["b", part],
      ]),
      { limits: { maxTotalBytes: 6000 } },
    );
    expect(zip.read("a")?.length).toBe(4000);
    expect(failure(() => zip.read("b"))).toEqual({ kind: "tooLarge", key: "tooLarge.total", part: undefined });
  });

  it.each(CODECS)("finds a wrong CRC and a body that inflates to another size than declared (%s)", (_, opts) => {
    const body = text("<sheetData/>".repeat(50));
    const deflated = new Uint8Array(zlib.deflateRawSync(body));
    const crc = crc32(body);
    const wrongCrc = ZipReader.open(zipParts([["s.xml", { deflated, crc: crc ^ 1, size: body.length }]]), opts);
    expect(failure(() => wrongCrc.read("s.xml"))).toEqual({ kind: "damaged", key: "zip.crc", part: "s.xml" });
    for (const size of [body.length - 1, body.length + 1]) {
      const lying = ZipReader.open(zipParts([["s.xml", { deflated, crc, size }]]), opts);
      expect(failure(() => lying.read("s.xml"))).toEqual({ kind: "damaged", key: "zip.length", part: "s.xml" });
    }
    // A 1 GiB stream declared as 100 bytes stops at once instead of inflating its gigabyte.
    const bomb = deflatedParts([[SPACES_MIB, 1024]]);
    const small = ZipReader.open(zipParts([["s.xml", { ...bomb, size: 100 }]]), opts);
    expect(failure(() => small.read("s.xml"))).toEqual({ kind: "damaged", key: "zip.length", part: "s.xml" });
    const broken = ZipReader.open(
      zipParts([["s.xml", { deflated: deflated.subarray(0, 5), crc, size: body.length }]]),
      opts,
    );
    expect(failure(() => broken.read("s.xml")).kind).toBe("damaged");
  });

  it("refuses a directory that names one part twice, in any case", () => {
    const bytes = zipParts([
      ["xl/worksheets/sheet1.xml", text("<a/>")],
      ["XL/worksheets/Sheet1.xml", text("<b/>")],
    ]);
    expect(failure(() => ZipReader.open(bytes))).toEqual({
      kind: "damaged",
      key: "zip.duplicate",
      part: "XL/worksheets/Sheet1.xml",
    });
  });

  it("refuses entries that share or overlap their data, and local headers that name another part", () => {
    const bytes = zipParts([
      ["a.xml", text("<a>" + "x".repeat(100) + "</a>")],
      ["b.xml", text("<b/>")],
    ]);
    const view = new DataView(bytes.buffer);
    const end = bytes.length - 22;
    const dir = view.getUint32(end + 16, true);
    const second = dir + 46 + "a.xml".length;
    // The second entry's local header offset pointed at the first entry: one body, two names.
    const shared = bytes.slice();
    new DataView(shared.buffer).setUint32(second + 42, 0, true);
    expect(failure(() => ZipReader.open(shared)).kind).toBe("damaged");
    // The first entry's compressed size stretched over the second entry.
    const overlapping = bytes.slice();
    new DataView(overlapping.buffer).setUint32(dir + 20, view.getUint32(dir + 20, true) + 40, true);
    expect(failure(() => ZipReader.open(overlapping))).toEqual({ kind: "damaged", key: "zip.overlap", part: "a.xml" });
  });

  it("refuses compression methods, encryption and truncation that an .xlsx never has", () => {
    const bytes = zipParts([["a.xml", text("<a>" + "x".repeat(100) + "</a>")]]);
    const dir = new DataView(bytes.buffer).getUint32(bytes.length - 22 + 16, true);
    const bzip2 = bytes.slice();
    new DataView(bzip2.buffer).setUint16(dir + 10, 12, true);
    expect(failure(() => ZipReader.open(bzip2))).toEqual({ kind: "damaged", key: "zip.method", part: "a.xml" });
    const encrypted = bytes.slice();
    new DataView(encrypted.buffer).setUint16(dir + 8, 1, true);
    expect(failure(() => ZipReader.open(encrypted))).toEqual({
      kind: "damaged",
      key: "zip.encryptedPart",
      part: "a.xml",
    });
    expect(failure(() => ZipReader.open(bytes.subarray(0, bytes.length - 30))).kind).toBe("damaged");
    expect(failure(() => ZipReader.open(bytes.subarray(0, 10)))).toEqual({
      kind: "damaged",
      key: "zip.noDirectory",
      part: undefined,
    });
  });

  it("gives a part's stored bytes for copying it into another zip unchanged", () => {
    const body = text("<customXml>" + "y".repeat(500) + "</customXml>");
    const zip = ZipReader.open(zipParts([["customXml/item2.xml", body]]));
    const raw = zip.raw("customXml/item2.xml")!;
    expect(raw.method).toBe(8);
    const copy = ZipReader.open(zipParts([["copy.xml", { deflated: raw.data, crc: raw.crc, size: raw.size }]]));
    expect(str(copy.read("copy.xml"))).toBe(str(body));
  });
});
