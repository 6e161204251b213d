/**
 * The XML parts of an XLSX workbook (SpreadsheetML): a sheet's XML produced a page of rows at a
 * time, and the small fixed parts (content types, relationships, workbook, styles).
 *
 * @module
 */
import type { Pages, XlsxColumn, XlsxKind } from "./xlsx.ts";

const HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships";

/** Excel number formats of the kinds, and the cell style (index into `cellXfs`) of each kind. */
export const XLSX_FORMATS: Record<Exclude<XlsxKind, "text" | "auto">, string> = {
  int: "0",
  decimal: "0.00",
  percent: "0.0%",
};
const HEADER_STYLE = 1;
const KIND_STYLE: Record<keyof typeof XLSX_FORMATS, number> = { int: 2, decimal: 3, percent: 4 };

/** The styles: default, the bold wrapped header, then one per number format. */
export const STYLES_XML = HEAD +
  `<styleSheet xmlns="${MAIN}"><numFmts count="3">` +
  Object.values(XLSX_FORMATS).map((f, i) => `<numFmt numFmtId="${164 + i}" formatCode="${f}"/>`).join("") +
  `</numFmts><fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>` +
  `<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>` +
  `<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>` +
  `<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>` +
  `<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="5">` +
  `<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>` +
  `<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1"><alignment wrapText="1"/></xf>` +
  [164, 165, 166].map((id) =>
    `<xf numFmtId="${id}" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>`
  ).join("") +
  `</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>`;

/** The fixed parts of a workbook with these sheet names, by path. */
export function workbookFiles(names: readonly string[]): Record<string, string> {
  const sheets = names.map((_, i) => i + 1);
  return {
    "[Content_Types].xml": HEAD +
      `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
      `<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
      `<Default Extension="xml" ContentType="application/xml"/>` +
      `<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
      `<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>` +
      sheets.map((n) =>
        `<Override PartName="/xl/worksheets/sheet${n}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`
      ).join("") + `</Types>`,
    "_rels/.rels": HEAD +
      `<Relationships xmlns="${PKG_REL}"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    "xl/workbook.xml": HEAD +
      `<workbook xmlns="${MAIN}" xmlns:r="${REL}"><bookViews><workbookView/></bookViews><sheets>` +
      names.map((name, i) => `<sheet name="${escapeXml(name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join(
        "",
      ) +
      `</sheets></workbook>`,
    "xl/_rels/workbook.xml.rels": HEAD + `<Relationships xmlns="${PKG_REL}">` +
      sheets.map((n) =>
        `<Relationship Id="rId${n}" Type="${REL}/worksheet" Target="worksheets/sheet${n}.xml"/>`
      ).join("") +
      `<Relationship Id="rId${names.length + 1}" Type="${REL}/styles" Target="styles.xml"/></Relationships>`,
  };
}

/**
 * A sheet's XML in parts: the head (frozen header row, column widths from the first page), the
 * header row, then one part per page of rows, then the tail.
 */
export async function* sheetXml<T>(
  columns: readonly XlsxColumn<T>[],
  pages: Pages<T>,
): AsyncGenerator<string> {
  let r = 1, head = false;
  const start = (first: readonly T[]) => {
    head = true;
    const widths = columns.map((c) =>
      c.width ?? Math.min(
        60,
        Math.max(
          8,
          textWidth(c.header) + 2,
          ...first.slice(0, 200).map((row) => textWidth(shown(c, row)) + 2),
        ),
      )
    );
    return HEAD + `<worksheet xmlns="${MAIN}" xmlns:r="${REL}"><sheetViews><sheetView workbookViewId="0">` +
      `<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>` +
      `<cols>${
        widths.map((w, i) => `<col min="${i + 1}" max="${i + 1}" width="${w}" customWidth="1"/>`).join("")
      }</cols>` +
      `<sheetData><row r="1">${
        columns.map((c, i) =>
          `<c r="${colName(i)}1" s="${HEADER_STYLE}" t="inlineStr">${inline(c.header)}</c>`
        )
          .join("")
      }</row>`;
  };
  for await (const page of pages) {
    let part = head ? "" : start(page);
    for (const row of page) {
      r++;
      part += `<row r="${r}">${columns.map((c, i) => cellXml(c, row, `${colName(i)}${r}`)).join("")}</row>`;
    }
    yield part;
  }
  yield (head ? "" : start([])) + "</sheetData></worksheet>";
}

function cellXml<T>(c: XlsxColumn<T>, row: T, ref: string): string {
  const v = c.value(row);
  if (v === null || v === undefined || (typeof v === "number" && !Number.isFinite(v))) return "";
  const kind = c.kind ?? "text";
  if (typeof v === "number" && kind !== "text") {
    return kind === "auto"
      ? `<c r="${ref}"><v>${v}</v></c>`
      : `<c r="${ref}" s="${KIND_STYLE[kind]}"><v>${v}</v></c>`;
  }
  return `<c r="${ref}" t="inlineStr">${inline(String(v))}</c>`;
}

function shown<T>(c: XlsxColumn<T>, row: T): string {
  const v = c.value(row);
  return v === null || v === undefined ? "" : String(v);
}

/** A column's letters: 0 → A, 25 → Z, 26 → AA. */
export function colName(i: number): string {
  let s = "";
  for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

const inline = (s: string) =>
  `<is><t${/^\s|\s$|\n/.test(s) ? ' xml:space="preserve"' : ""}>${escapeXml(s)}</t></is>`;

// Characters XML 1.0 cannot hold: C0 controls but tab, LF, CR; U+FFFE/U+FFFF; unpaired surrogates.
// deno-lint-ignore no-control-regex
const NOT_XML = new RegExp(
  "[\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\ufffe\\uffff]|[\\ud800-\\udbff](?![\\udc00-\\udfff])|(?<![\\ud800-\\udbff])[\\udc00-\\udfff]",
  "g",
);

/** Text as XML character data: markup escaped, characters XML cannot hold dropped. */
export function escapeXml(s: string): string {
  return s.replace(NOT_XML, "")
    .replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");
}

// A CJK character is about two characters wide in Excel's units.
const textWidth = (s: string) => [...s].reduce((n, ch) => n + (ch.charCodeAt(0) > 0x2e80 ? 2 : 1), 0);
