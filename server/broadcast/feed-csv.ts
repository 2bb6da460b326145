/**
 * RFC 4180 CSV for the vMix data source: CRLF line ends, a header line, quoting where
 * needed, and cells that a spreadsheet would run as a formula neutralised (OWASP "CSV
 * Injection"): a team name `=HYPERLINK(...)` must stay text when the feed is opened in
 * Excel, LibreOffice or Google Sheets.
 */
import { FEED_COLUMNS, feedValueText, type FeedRow } from './feed-rows.js';

/** `;` too: spreadsheets in many locales split on it, and a quoted cell stays one cell. */
const NEEDS_QUOTES = /[",;\r\n]|^\s|\s$/;
/** What makes a spreadsheet read a cell as a formula (OWASP: = + - @, tab, carriage return). */
const FORMULA_START = /^[=+\-@\t\r]/;
/** A plain number (a negative one starts with `-`) is data, never a formula: left as it is. */
const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/;

/** OWASP's defence: a leading `'` makes the spreadsheet show the cell as text (the quote is not shown). */
export function neutraliseFormula(text: string): string {
  return FORMULA_START.test(text) && !PLAIN_NUMBER.test(text) ? `'${text}` : text;
}

/** One field: a formula neutralised; quoted when it holds a separator, quote, line break or edge spaces, or was neutralised. */
export function csvField(text: string): string {
  const safe = neutraliseFormula(text);
  return safe !== text || NEEDS_QUOTES.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function toCsv(rows: readonly FeedRow[]): string {
  const lines = [FEED_COLUMNS.map(csvField).join(',')];
  for (const row of rows) lines.push(FEED_COLUMNS.map((column) => csvField(feedValueText(row[column]))).join(','));
  return lines.join('\r\n') + '\r\n';
}

/** An error as CSV (the feed's own format, for tools that only parse CSV): a `code,message` header and one row. */
export function csvError(code: string, message: string): string {
  return `code,message\r\n${csvField(code)},${csvField(message)}\r\n`;
}
