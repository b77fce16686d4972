/**
 * LibreOffice as an independent client for tests: recalculates an .xlsx (recalculation forced, cached values ignored)
 * and exports every sheet to CSV; converts to PDF; reads PDF page sizes (pdfinfo, or the MediaBox entries); renders
 * PDF pages to PNG (pdftoppm from poppler-utils, or Ghostscript when pdftoppm is missing).
 */
import { execFile, execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, extname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);

function which(cmd: string): string | undefined {
  try {
    return execFileSync("sh", ["-c", `command -v ${cmd}`], { encoding: "utf8" }).trim() || undefined;
  } catch {
    return undefined; // command -v exits 1 when the program is absent: that is the answer, not an error
  }
}

/** True when `soffice` is on the PATH. */
export function hasLibreOffice(): boolean {
  return which("soffice") !== undefined;
}

/**
 * Whether LibreOffice tests should run. Without LibreOffice they are skipped with a notice, unless
 * PLAN_LEDGER_REQUIRE_LIBREOFFICE=1 (CI), where its absence is an error.
 */
export function libreOfficeOrSkip(): boolean {
  if (hasLibreOffice()) return true;
  if (process.env.PLAN_LEDGER_REQUIRE_LIBREOFFICE === "1") {
    throw new Error("LibreOffice (soffice) is required (PLAN_LEDGER_REQUIRE_LIBREOFFICE=1) but not installed");
  }
  console.warn("LibreOffice (soffice) is not installed: skipping the LibreOffice cross-check tests.");
  return false;
}

// A fresh profile per run, with recalculation on load forced for OOXML and ODF files (0 = always).
function freshProfile(): string {
  const dir = mkdtempSync(join(tmpdir(), "plan-ledger-lo-"));
  mkdirSync(join(dir, "user"), { recursive: true });
  const item = (name: string) =>
    `<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="${name}" oor:op="fuse">` +
    `<value>0</value></prop></item>`;
  writeFileSync(
    join(dir, "user", "registrymodifications.xcu"),
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
      '<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" ' +
      'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
      item("OOXMLRecalcMode") +
      item("ODFRecalcMode") +
      "</oor:items>\n",
  );
  return pathToFileURL(dir).href;
}

async function soffice(args: string[]): Promise<void> {
  await run("soffice", [`-env:UserInstallation=${freshProfile()}`, "--headless", "--norestore", ...args], {
    timeout: 180_000,
  });
}

/** Parses CSV text (RFC 4180: quoted fields, doubled quotes, newlines inside quotes). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      row.push(field);
      field = "";
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += ch;
  }
  if (field !== "" || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/**
 * A CSV field as a number. LibreOffice keeps a percent format even when told to write raw values ("50%").
 * @example csvNumber("88.8888888888889%") // 0.888888888888889
 */
export function csvNumber(field: string): number {
  const t = field.trim();
  if (t === "") return NaN;
  // A date cell (yyyy-mm-dd, as the summary's as-of date is formatted) is its 1900-system serial.
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(t);
  if (d) return Date.UTC(Number(d[1]), Number(d[2]) - 1, Number(d[3])) / 86400000 + 25569;
  return t.endsWith("%") ? Number(t.slice(0, -1)) / 100 : Number(t);
}

/** The filter that writes one CSV per sheet, raw values (not as shown), UTF-8. */
const CSV_ALL_SHEETS = "csv:Text - txt - csv (StarCalc):44,34,UTF8,1,,0,false,true,false,false,false,-1";

/**
 * Opens the workbook in LibreOffice with recalculation forced and writes every sheet as CSV.
 * Returns the rows by sheet name.
 */
export async function recalcToCsv(xlsxPath: string, outDir: string): Promise<Record<string, string[][]>> {
  mkdirSync(outDir, { recursive: true });
  await soffice(["--convert-to", CSV_ALL_SHEETS, "--outdir", resolve(outDir), resolve(xlsxPath)]);
  const base = basename(xlsxPath, extname(xlsxPath));
  const out: Record<string, string[][]> = {};
  for (const file of readdirSync(outDir)) {
    if (!file.startsWith(`${base}-`) || !file.endsWith(".csv")) continue;
    out[file.slice(base.length + 1, -4)] = parseCsv(readFileSync(join(outDir, file), "utf8"));
  }
  if (Object.keys(out).length === 0) throw new Error(`LibreOffice wrote no CSV for ${xlsxPath} into ${outDir}`);
  return out;
}

/**
 * Opens a workbook in LibreOffice and saves it as .xlsx in `outDir` (LibreOffice's own way of writing the package),
 * returning the new file's path. Fails when LibreOffice cannot open the input.
 */
export async function toXlsx(inputPath: string, outDir: string): Promise<string> {
  mkdirSync(outDir, { recursive: true });
  await soffice(["--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", resolve(outDir), resolve(inputPath)]);
  const out = join(outDir, `${basename(inputPath, extname(inputPath))}.xlsx`);
  readFileSync(out); // throws when LibreOffice wrote nothing (it exits 0 on files it could not load)
  return out;
}

/** Converts the workbook to PDF (visible sheets, as printed) and returns the PDF's path. */
export async function toPdf(xlsxPath: string, outDir: string): Promise<string> {
  mkdirSync(outDir, { recursive: true });
  await soffice(["--convert-to", "pdf", "--outdir", resolve(outDir), resolve(xlsxPath)]);
  return join(outDir, `${basename(xlsxPath, extname(xlsxPath))}.pdf`);
}

/**
 * The text of a PDF, or of one page of it (pdftotext from poppler-utils), or undefined when pdftotext is missing.
 */
export async function pdfText(pdfPath: string, page?: number): Promise<string | undefined> {
  if (!which("pdftotext")) return undefined;
  const pages = page === undefined ? [] : ["-f", String(page), "-l", String(page)];
  const { stdout } = await run("pdftotext", ["-enc", "UTF-8", ...pages, pdfPath, "-"], {
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout;
}

/**
 * The size of every page of a PDF in points, in page order (so `length` is the page count). Uses pdfinfo
 * (poppler-utils); without it, reads the /MediaBox of each page object (LibreOffice writes them uncompressed).
 */
export async function pdfPageSizes(pdfPath: string): Promise<{ width: number; height: number }[]> {
  if (which("pdfinfo")) {
    const { stdout } = await run("pdfinfo", ["-f", "1", "-l", "100000", pdfPath], { encoding: "utf8" });
    return [...stdout.matchAll(/^Page\s+\d+\s+size:\s+([\d.]+) x ([\d.]+) pts/gm)].map((m) => ({
      width: Number(m[1]),
      height: Number(m[2]),
    }));
  }
  const text = readFileSync(pdfPath, "latin1");
  return [
    ...text.matchAll(/\/Type\s*\/Page\b[\s\S]*?\/MediaBox\s*\[\s*([\d.-]+)\s+([\d.-]+)\s+([\d.-]+)\s+([\d.-]+)/g),
  ].map((m) => ({ width: Number(m[3]) - Number(m[1]), height: Number(m[4]) - Number(m[2]) }));
}

/**
 * Renders pages of a PDF to PNG files `${outPrefix}-N.png` and returns their paths. Uses pdftoppm (poppler-utils);
 * falls back to Ghostscript.
 */
export async function pdfToPng(
  pdfPath: string,
  outPrefix: string,
  opts: { first?: number; last?: number; dpi?: number } = {},
): Promise<string[]> {
  const first = opts.first ?? 1;
  const last = opts.last ?? first;
  const dpi = String(opts.dpi ?? 110);
  if (which("pdftoppm")) {
    await run("pdftoppm", ["-png", "-r", dpi, "-f", String(first), "-l", String(last), pdfPath, outPrefix]);
  } else if (which("gs")) {
    await run("gs", [
      "-dSAFER",
      "-dBATCH",
      "-dNOPAUSE",
      "-sDEVICE=png16m",
      `-r${dpi}`,
      `-dFirstPage=${first}`,
      `-dLastPage=${last}`,
      `-sOutputFile=${outPrefix}-%d.png`,
      pdfPath,
    ]);
  } else {
    throw new Error("Neither pdftoppm (apt poppler-utils) nor gs (Ghostscript) is installed");
  }
  const dir = resolve(outPrefix, "..");
  const stem = basename(outPrefix);
  return readdirSync(dir)
    .filter((f) => f.startsWith(`${stem}-`) && f.endsWith(".png"))
    .sort()
    .map((f) => join(dir, f));
}
