/** Why a file could not be read as a workbook, and the bilingual messages for it. */
import type { Lang } from "../../core/types";
import { format, formatBoth, type Catalogs } from "../../core/i18n";
import en from "../../i18n/xlsx.en-US.json";
import zh from "../../i18n/xlsx.zh-CN.json";

/** The xlsx message catalogs in both languages. */
export const XLSX_MESSAGES: Catalogs = { "en-US": en, "zh-CN": zh };

export type XlsxErrorCode = "notZip" | "encrypted" | "legacyXls" | "corrupt";

/**
 * A file that cannot be imported. `message` is English; `messages` holds both languages for the UI.
 * @example try { await importXlsx(bytes) } catch (e) { if (e instanceof XlsxError) show(e.messages[lang]) }
 */
export class XlsxError extends Error {
  readonly code: XlsxErrorCode;
  readonly messages: Record<Lang, string>;

  constructor(code: XlsxErrorCode, detail = "", options?: { cause?: unknown }) {
    const messages = formatBoth(XLSX_MESSAGES, `error.${code}`, { detail });
    super(messages["en-US"], options);
    this.name = "XlsxError";
    this.code = code;
    this.messages = messages;
  }
}

/** Formats an xlsx catalog message in one language. */
export function xlsxText(lang: Lang, key: string, params: Readonly<Record<string, string | number>>): string {
  return format(XLSX_MESSAGES[lang], key, params);
}

const OLE_MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
// "EncryptionInfo" in UTF-16LE, the stream name an encrypted OOXML package (an OLE file) always has.
const ENCRYPTION_INFO = Array.from("EncryptionInfo").flatMap((ch) => [ch.charCodeAt(0), 0]);

function startsWith(bytes: Uint8Array, magic: readonly number[]): boolean {
  if (bytes.length < magic.length) return false;
  for (let i = 0; i < magic.length; i++) if (bytes[i] !== magic[i]) return false;
  return true;
}

function contains(bytes: Uint8Array, needle: readonly number[]): boolean {
  const first = needle[0];
  const end = bytes.length - needle.length;
  outer: for (let i = 0; i <= end; i++) {
    if (bytes[i] !== first) continue;
    for (let j = 1; j < needle.length; j++) if (bytes[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

/** Throws the right XlsxError when the bytes are not a zip package; returns quietly for a zip. */
export function sniff(bytes: Uint8Array): void {
  if (startsWith(bytes, OLE_MAGIC)) {
    throw new XlsxError(contains(bytes, ENCRYPTION_INFO) ? "encrypted" : "legacyXls");
  }
  // A zip starts with a local file header (PK\3\4); an empty archive with the end record (PK\5\6).
  if (!startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]) && !startsWith(bytes, [0x50, 0x4b, 0x05, 0x06])) {
    throw new XlsxError("notZip");
  }
}
