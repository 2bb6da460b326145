/** RFC 4180 CSV for the vMix data source: CRLF line ends, a header line, quoting only where needed. */
import { FEED_COLUMNS, feedValueText, type FeedRow } from './feed-rows.js';

const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

/** One field: quoted when it holds a comma, quote, line break or edge spaces; quotes doubled. */
export function csvField(text: string): string {
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(rows: readonly FeedRow[]): string {
  const lines = [FEED_COLUMNS.map(csvField).join(',')];
  for (const row of rows) lines.push(FEED_COLUMNS.map((column) => csvField(feedValueText(row[column]))).join(','));
  return lines.join('\r\n') + '\r\n';
}
