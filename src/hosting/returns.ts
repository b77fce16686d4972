import type { ExcelRunner } from "../excel/bind";
import type { WorkbookOpener } from "../excel/collect";
import { PlanLedgerError, type ReturnFile } from "../excel/operations";
import type { Lang } from "../core/types";
import { OfflineHost } from "../offline";
import { importXlsx, XlsxError, type ZipCodec } from "../offline/xlsx";

/**
 * Opens a department's returned .xlsx with our own reader, in memory (in the pane: in the browser, nothing uploaded),
 * as a workbook the Excel code reads through the offline host. The bytes are only read; the file is never written. A
 * file that is not a workbook (legacy .xls, encrypted, damaged) is a PlanLedgerError naming it, so the other returns
 * are still collected.
 */
export async function openReturnFile(
  file: ReturnFile,
  lang: Lang,
  codec?: Pick<ZipCodec, "crc32" | "inflateRaw">,
): Promise<ExcelRunner> {
  let host: OfflineHost;
  try {
    host = new OfflineHost(await importXlsx(file.bytes, { lang, codec }), { mode: "web" });
  } catch (e) {
    if (e instanceof XlsxError) {
      throw new PlanLedgerError("returnUnreadable", { file: file.name, reason: e.messages[lang] });
    }
    throw e;
  }
  return (batch) => host.run(batch);
}

/** The opener the operations use, with the zip codec of the platform (fflate's when none is given). */
export function returnOpener(codec?: Pick<ZipCodec, "crc32" | "inflateRaw">): WorkbookOpener {
  return (file, lang) => openReturnFile(file, lang, codec);
}
