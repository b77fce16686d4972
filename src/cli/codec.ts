import * as zlib from "node:zlib";
import { crc32, type ZipCodec } from "../offline/xlsx";

/**
 * Node's zlib packs the CLI's workbooks, about four times faster than fflate on a 50,000-row plan's sheet XML.
 * Level 9, not the default codec's 6: on that plan the file is 8% smaller (2.33 → 2.14 MB) for about 1.4 s more CPU,
 * spent on zlib's thread pool while the sheet is still being written. zlib.crc32 arrived in Node 20.15; older Node 20
 * releases use ours.
 */
const LEVEL = 9;

export const nodeZipCodec: ZipCodec = {
  deflateRaw: (data) => zlib.deflateRawSync(data, { level: LEVEL }),
  crc32: "crc32" in zlib ? (data, previous) => zlib.crc32(data, previous) : crc32,
  // maxOutputLength makes zlib stop (RangeError) as soon as a part would inflate past its declared size.
  inflateRaw: (data, size) => zlib.inflateRawSync(data, { maxOutputLength: Math.max(1, size) }),
  // zlib's asynchronous calls hand the work to the thread pool at once, so pieces compress while the sheet is written.
  deflateRawPiece: (data, last) =>
    new Promise((resolve, reject) => {
      const finishFlush = last ? zlib.constants.Z_FINISH : zlib.constants.Z_SYNC_FLUSH;
      zlib.deflateRaw(data, { level: LEVEL, finishFlush }, (e, out) => (e ? reject(e) : resolve(out)));
    }),
};
