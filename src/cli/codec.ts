import * as zlib from "node:zlib";
import { crc32, type ZipCodec } from "../offline/xlsx";

/**
 * Node's zlib packs the CLI's workbooks: the same deflate level as the default codec, about four times faster than
 * fflate on a 50,000-row plan's sheet XML. zlib.crc32 arrived in Node 20.15; older Node 20 releases use ours.
 */
export const nodeZipCodec: ZipCodec = {
  deflateRaw: (data) => zlib.deflateRawSync(data, { level: 6 }),
  crc32: "crc32" in zlib ? (data) => zlib.crc32(data) : crc32,
};
