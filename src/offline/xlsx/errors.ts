/** Why a file could not be read as a workbook, and the bilingual messages for it. */
import type { Lang } from "../../core/types";
import { format, formatBoth, type Catalogs } from "../../core/i18n";
import en from "../../i18n/xlsx.en-US.json";
import zh from "../../i18n/xlsx.zh-CN.json";

/** The xlsx message catalogs in both languages. */
export const XLSX_MESSAGES: Catalogs = { "en-US": en, "zh-CN": zh };

export type XlsxErrorCode = "notZip" | "encrypted" | "legacyXls" | "corrupt" | "tooLarge";

/** What exactly is wrong, as a `detail.*` key of the xlsx catalogs and its parameters: said in both languages. */
export type XlsxDetail = { key: string; params?: Readonly<Record<string, string | number>> };

/**
 * Damage found in a part ("damaged") or a part larger than the reader's caps ("tooLarge"), raised by the zip reader,
 * the XML tokenizer and the sheet reader; the importer names the part and turns it into an {@link XlsxError}.
 * `message` is the English text.
 */
export class PackageError extends Error {
  constructor(
    readonly kind: "damaged" | "tooLarge",
    readonly detail: XlsxDetail,
  ) {
    super(xlsxText("en-US", `detail.${detail.key}`, detail.params ?? {}));
    this.name = "PackageError";
  }

  /** The same error naming `part` (unless it names one already). */
  inPart(part: string): PackageError {
    if (this.detail.params?.part !== undefined) return this;
    return new PackageError(this.kind, { key: this.detail.key, params: { ...this.detail.params, part } });
  }
}

/**
 * A file that cannot be imported. `message` is English; `messages` holds both languages for the UI. `detail` is
 * language-neutral text (a part name, a library's message) or an {@link XlsxDetail} said in each language.
 * @example try { await importXlsx(bytes) } catch (e) { if (e instanceof XlsxError) show(e.messages[lang]) }
 */
export class XlsxError extends Error {
  readonly code: XlsxErrorCode;
  readonly messages: Record<Lang, string>;

  constructor(code: XlsxErrorCode, detail: string | XlsxDetail = "", options?: { cause?: unknown }) {
    const details: Record<Lang, string> =
      typeof detail === "string"
        ? { "zh-CN": detail, "en-US": detail }
        : formatBoth(XLSX_MESSAGES, `detail.${detail.key}`, detail.params ?? {});
    const messages: Record<Lang, string> = {
      "zh-CN": format(XLSX_MESSAGES["zh-CN"], `error.${code}`, { detail: details["zh-CN"] }),
      "en-US": format(XLSX_MESSAGES["en-US"], `error.${code}`, { detail: details["en-US"] }),
    };
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
