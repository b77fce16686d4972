/**
 * Builds .xlsx packages byte by byte for the hostile-input tests (issue 15): a small valid plan written as raw XML, and
 * the damaged or crafted variants of it. Nothing binary is committed; every file is made here, in the test.
 */
import * as zlib from "node:zlib";
import { crc32, zipParts, type ZipCodec } from "../../src/offline/xlsx";

export type Parts = [name: string, content: string | Uint8Array | Deflated][];

/** A part given already deflated (a zip bomb's body), with the size and CRC its entry declares. */
export type Deflated = { deflated: Uint8Array; crc: number; size: number };

const MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships";
const OXML = "application/vnd.openxmlformats-officedocument.spreadsheetml";

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** An inline-string cell. */
export function textCell(ref: string, text: string): string {
  return `<c r="${ref}" t="inlineStr"><is><t>${esc(text)}</t></is></c>`;
}

/** A number cell. */
export function numCell(ref: string, n: number): string {
  return `<c r="${ref}"><v>${n}</v></c>`;
}

/** A formula cell with an optional cached value. */
export function formulaCell(ref: string, formula: string, cached?: number | string): string {
  const v = cached === undefined ? "" : typeof cached === "number" ? `<v>${cached}</v>` : `<v>${esc(cached)}</v>`;
  return `<c r="${ref}"${typeof cached === "string" ? ' t="str"' : ""}><f>${esc(formula)}</f>${v}</c>`;
}

/** A row element around cells. */
export function row(r: number | string, cells: string): string {
  return `<row r="${r}">${cells}</row>`;
}

/** The plan every hostile file starts from: header in row 1, items in rows 2–4 (English, 2025). */
export const PLAN_ROWS: [string, string, string, number, number][] = [
  ["Jan 2025", "Science week", "Outreach", 3, 3],
  ["Feb 2025", "Newsletter", "Office", 6, 2],
  ["Mar 2025", "Volunteer training", "Outreach", 2, 0],
];

const COLS = ["A", "B", "C", "D", "E"];

/** `<row>` elements of the plan (header and items), as a sheet's `<sheetData>` holds them. */
export function planRows(): string {
  const header = row(
    1,
    ["Month", "Activity", "Owner", "Target", "Actual"].map((h, i) => textCell(`${COLS[i]}1`, h)).join(""),
  );
  const items = PLAN_ROWS.map((p, i) =>
    row(
      i + 2,
      p
        .map((v, c) => (typeof v === "number" ? numCell(`${COLS[c]}${i + 2}`, v) : textCell(`${COLS[c]}${i + 2}`, v)))
        .join(""),
    ),
  );
  return header + items.join("");
}

/** A worksheet part around the given `<sheetData>` content. */
export function sheetXml(
  sheetData: string,
  prolog = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n',
): string {
  return `${prolog}<worksheet xmlns="${MAIN}" xmlns:r="${REL}"><sheetData>${sheetData}</sheetData></worksheet>`;
}

export type PackageOptions = {
  /** Sheet names and their `<sheetData>` content, in order; default one sheet "Plan" with {@link planRows}. */
  sheets?: { name: string; data: string; xml?: string | Uint8Array | Deflated }[];
  /** xl/sharedStrings.xml, referenced from the workbook when given. */
  sharedStrings?: string | Uint8Array;
  /** Parts added to the package without any relationship pointing at them. */
  extra?: Parts;
};

/** The parts of a minimal valid workbook package. */
export function packageParts(opts: PackageOptions = {}): Parts {
  const sheets = opts.sheets ?? [{ name: "Plan", data: planRows() }];
  const overrides = sheets
    .map((_, i) => `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="${OXML}.worksheet+xml"/>`)
    .join("");
  const sst = opts.sharedStrings !== undefined;
  const parts: Parts = [
    [
      "[Content_Types].xml",
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
        `<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
        `<Default Extension="xml" ContentType="application/xml"/>` +
        `<Override PartName="/xl/workbook.xml" ContentType="${OXML}.sheet.main+xml"/>${overrides}` +
        (sst ? `<Override PartName="/xl/sharedStrings.xml" ContentType="${OXML}.sharedStrings+xml"/>` : "") +
        `</Types>`,
    ],
    [
      "_rels/.rels",
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="${PKG_REL}">` +
        `<Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    ],
    [
      "xl/workbook.xml",
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="${MAIN}" xmlns:r="${REL}"><sheets>` +
        sheets.map((s, i) => `<sheet name="${esc(s.name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join("") +
        `</sheets></workbook>`,
    ],
    [
      "xl/_rels/workbook.xml.rels",
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="${PKG_REL}">` +
        sheets
          .map(
            (_, i) => `<Relationship Id="rId${i + 1}" Type="${REL}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`,
          )
          .join("") +
        (sst ? `<Relationship Id="rIdS" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/>` : "") +
        `</Relationships>`,
    ],
  ];
  sheets.forEach((s, i) => parts.push([`xl/worksheets/sheet${i + 1}.xml`, s.xml ?? sheetXml(s.data)]));
  if (sst) parts.push(["xl/sharedStrings.xml", opts.sharedStrings!]);
  parts.push(...(opts.extra ?? []));
  return parts;
}

/** Zip bytes of the parts. `badCrc` stores a CRC that does not match the named part. */
export function pack(parts: Parts, opts: { badCrc?: string } = {}): Uint8Array {
  const encoder = new TextEncoder();
  const codec: ZipCodec = { deflateRaw: (d) => zlib.deflateRawSync(d, { level: 6 }), crc32 };
  return zipParts(
    parts.map(([name, content]) => {
      if (typeof content === "string" || content instanceof Uint8Array) {
        const bytes = typeof content === "string" ? encoder.encode(content) : content;
        if (opts.badCrc !== name) return [name, bytes] as const;
        const deflated = new Uint8Array(zlib.deflateRawSync(bytes));
        return [name, { deflated, crc: (crc32(bytes) ^ 0x5a5a5a5a) >>> 0, size: bytes.length }] as const;
      }
      return [name, content] as const;
    }),
    codec,
  );
}

/** A valid plan workbook, optionally with more `<row>`s after the plan's own (its data starting at row 5). */
export function planXlsx(moreRows = "", opts: Omit<PackageOptions, "sheets"> = {}): Uint8Array {
  return pack(packageParts({ ...opts, sheets: [{ name: "Plan", data: planRows() + moreRows }] }));
}

/** A plan sheet "Plan" and a second sheet "Calc" holding the given `<sheetData>` (formulas, far cells …). */
export function planWithCalc(calcData: string, opts: Omit<PackageOptions, "sheets"> = {}): Uint8Array {
  return pack(
    packageParts({
      ...opts,
      sheets: [
        { name: "Plan", data: planRows() },
        { name: "Calc", data: calcData },
      ],
    }),
  );
}

/**
 * A deflated part made of byte blocks each repeated some times, built without ever holding the whole part: each block
 * is deflated once ending in a sync flush, and the pieces joined (then a final empty block) are one raw deflate stream.
 * @example deflatedParts([[spaces1MB, 1024]]) // 1 GiB of spaces in about 1 MB
 */
export function deflatedParts(segments: readonly (readonly [block: Uint8Array | string, times: number])[]): Deflated {
  const encoder = new TextEncoder();
  const pieces: Uint8Array[] = [];
  let crc = 0;
  let size = 0;
  for (const [b, times] of segments) {
    const block = typeof b === "string" ? encoder.encode(b) : b;
    const piece = zlib.deflateRawSync(block, { level: 9, finishFlush: zlib.constants.Z_SYNC_FLUSH });
    for (let i = 0; i < times; i++) {
      pieces.push(piece);
      crc = fastCrc(block, crc);
      size += block.length;
    }
  }
  pieces.push(zlib.deflateRawSync(new Uint8Array(0), { finishFlush: zlib.constants.Z_FINISH }));
  const deflated = new Uint8Array(pieces.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of pieces) {
    deflated.set(p, at);
    at += p.length;
  }
  return { deflated, crc, size };
}

/** Node's native CRC-32 where there is one (20.15+): a bomb's gigabyte is checksummed in a fraction of a second. */
const fastCrc: (data: Uint8Array, previous: number) => number =
  "crc32" in zlib ? (d, p) => zlib.crc32(d, p) : (d, p) => crc32(d, p);

/** One MiB of spaces, the block zip bombs here repeat. */
export const SPACES_MIB = new Uint8Array(1 << 20).fill(0x20);
