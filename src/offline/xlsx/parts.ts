/** Names shared by the reader and writer: relationship and content types, and the custom XML part we own. */

const REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

export const REL_TYPE = {
  officeDocument: `${REL}/officeDocument`,
  worksheet: `${REL}/worksheet`,
  styles: `${REL}/styles`,
  sharedStrings: `${REL}/sharedStrings`,
  table: `${REL}/table`,
  drawing: `${REL}/drawing`,
  chart: `${REL}/chart`,
  customXml: `${REL}/customXml`,
  customXmlProps: `${REL}/customXmlProps`,
} as const;

const OXML = "application/vnd.openxmlformats-officedocument";

export const CONTENT_TYPE = {
  workbook: `${OXML}.spreadsheetml.sheet.main+xml`,
  worksheet: `${OXML}.spreadsheetml.worksheet+xml`,
  styles: `${OXML}.spreadsheetml.styles+xml`,
  sharedStrings: `${OXML}.spreadsheetml.sharedStrings+xml`,
  table: `${OXML}.spreadsheetml.table+xml`,
  drawing: `${OXML}.drawing+xml`,
  chart: `${OXML}.drawingml.chart+xml`,
  customXmlProps: `${OXML}.customXmlProperties+xml`,
} as const;

/**
 * Namespace of the custom XML part (customXml/itemN.xml) in which Plan Ledger keeps what the .xlsx format has no
 * place for: `workbook.settings` (in real Excel they live in the add-in's web-extension part), worksheet ids and
 * worksheet custom properties.
 */
export const PLAN_LEDGER_NS = "urn:plan-ledger:workbook:1";

/** The fixed datastore id of our custom XML part, so that exports are byte-for-byte reproducible. */
export const PLAN_LEDGER_ITEM_ID = "{6E0C4C2B-5C1F-4B7E-9E0A-504C414E4C47}";

/** Resolves a relationship target against the folder of the part that holds the relationship. */
export function resolveTarget(sourcePart: string, target: string): string {
  if (target.startsWith("/")) return target.slice(1);
  const base = sourcePart.includes("/") ? sourcePart.slice(0, sourcePart.lastIndexOf("/") + 1) : "";
  const parts = (base + target).split("/");
  const out: string[] = [];
  for (const p of parts) {
    if (p === "..") out.pop();
    else if (p !== ".") out.push(p);
  }
  return out.join("/");
}

/** The relationships part of a part: "xl/workbook.xml" → "xl/_rels/workbook.xml.rels". */
export function relsPath(part: string): string {
  const slash = part.lastIndexOf("/");
  return `${part.slice(0, slash + 1)}_rels/${part.slice(slash + 1)}.rels`;
}
