/**
 * XML for the vMix data source: <matches><match><court>1</court>...</match></matches>,
 * one element per column, so an XPath like /matches/match[court='1']/homeScore works.
 */
import { FEED_COLUMNS, feedValueText, type FeedRow } from './feed-rows.js';

/**
 * Characters XML 1.0 cannot carry at all (most C0 controls, lone surrogates, U+FFFE/F):
 * a name typed with one must not make the whole feed unparsable, so they are dropped.
 */
const NOT_XML_CHARS = /[^\u0009\u000A\u000D\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

export function escapeXmlText(text: string): string {
  return text
    .replace(NOT_XML_CHARS, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

export function toXml(rows: readonly FeedRow[]): string {
  const parts = ['<?xml version="1.0" encoding="UTF-8"?>', '<matches>'];
  for (const row of rows) {
    parts.push('  <match>');
    for (const column of FEED_COLUMNS)
      parts.push(`    <${column}>${escapeXmlText(feedValueText(row[column]))}</${column}>`);
    parts.push('  </match>');
  }
  parts.push('</matches>');
  return parts.join('\n') + '\n';
}

/** An error as an XML document (the feed's own format): `<error><code>..</code><message>..</message></error>`. */
export function xmlError(code: string, message: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<error>\n  <code>${escapeXmlText(code)}</code>\n  <message>${escapeXmlText(message)}</message>\n</error>\n`;
}
