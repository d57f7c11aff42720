/**
 * CSV as RFC 4180 describes it: fields separated by commas, records by CRLF, a field quoted when it
 * holds a comma, a quote, CR or LF, quotes inside doubled.
 *
 * Spreadsheet formula injection: a cell that starts with = + - @ (or a tab or CR, which some
 * spreadsheets strip before looking) is run as a formula when the file is opened in Excel, LibreOffice
 * or Google Sheets, and scripts and catalogs come from the web. Such text cells get a leading
 * apostrophe (OWASP's advice), which spreadsheets show as plain text; the JSONL files keep the
 * original text, and ids join the two. Numbers are written as numbers and not prefixed.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvRow(values: readonly (string | number | null | undefined)[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}
