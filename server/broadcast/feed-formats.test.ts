import { parse as parseCsv } from 'csv-parse/sync';
import fc from 'fast-check';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { csvError, csvField, neutraliseFormula, toCsv } from './feed-csv.js';
import { FEED_COLUMNS, feedValueText, flattenMatch, type FeedRow } from './feed-rows.js';
import { escapeXmlText, toXml } from './feed-xml.js';
import { snapshot } from '../../test/support/broadcast/snapshots.js';

const online = {
  lastEventAt: '2026-11-28T10:00:00.000Z',
  lastStoredAt: '2026-11-28T10:00:00.100Z',
  consoleOnline: true,
};

function row(home: string, away = 'Away'): FeedRow {
  return flattenMatch(snapshot({ home: { name: home, score: 3 }, away: { name: away, score: 1 } }), online, 0);
}

const xmlParser = new XMLParser({ parseTagValue: false, trimValues: false });

describe('flattenMatch', () => {
  it('gives every column, flat, with sport details', () => {
    const anchor = '2026-11-28T10:00:00.000Z';
    const r = flattenMatch(
      snapshot({
        id: 'bb1',
        sport: 'basketball',
        court: 'Centre',
        status: 'live',
        home: { name: 'Lions', score: 54 },
        away: { name: 'Bears', score: 50 },
        cursor: 42,
        updatedAt: anchor,
        period: 3,
        serving: 'away',
        clock: { running: true, remainingMs: 600_000, anchorAt: anchor },
        sets: [{ home: 25, away: 20 }],
        setsWon: { home: 1, away: 0 },
        periodFouls: { home: 4, away: 2 },
      }),
      { ...online, consoleOnline: false },
      Date.parse(anchor) + 61_000,
    );
    expect(Object.keys(r)).toEqual([...FEED_COLUMNS]);
    for (const value of Object.values(r)) expect(['string', 'number', 'boolean', 'object']).toContain(typeof value);
    expect(r.verified).toBeNull();
    expect(r).toMatchObject({
      court: 'Centre',
      matchId: 'bb1',
      sport: 'basketball',
      status: 'live',
      home: 'Lions',
      away: 'Bears',
      homeScore: 54,
      awayScore: 50,
      setsHome: 1,
      setsAway: 0,
      sets: '25-20',
      serving: 'away',
      awayServing: true,
      homeServing: false,
      period: 3,
      // The display model's one clock rule (shared/display/clock.ts): M:SS from a minute up, no leading zero.
      clock: '8:59',
      periodLabel: 'Q3',
      statusText: 'Live',
      homeScoreText: '54',
      clockRunning: true,
      homeFouls: 4,
      cursor: 42,
      updatedAt: anchor,
      lastStoredAt: online.lastStoredAt,
      consoleOnline: false,
      stale: true,
    });
  });

  it('uses empty strings for absent details, so CSV columns never shift', () => {
    const r = flattenMatch(snapshot(), null, 0);
    expect(r.serving).toBe('');
    expect(r.homePoints).toBe('');
    expect(r.scheduledAt).toBe('');
    expect(r.consoleOnline).toBe(false);
  });
});

describe('CSV', () => {
  it('quotes commas, quotes and line breaks (RFC 4180) and ends lines with CRLF', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    const text = toCsv([row('A, "B"\r\nC')]);
    expect(text.startsWith(FEED_COLUMNS.join(',') + '\r\n')).toBe(true);
    expect(text.endsWith('\r\n')).toBe(true);
  });

  it('round-trips any team name through a standard parser', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), fc.string({ maxLength: 40 }), (home, away) => {
        const rows = [row(home, away), row('plain')];
        const parsed = parseCsv(toCsv(rows), { columns: true, relax_column_count: false }) as Record<string, string>[];
        expect(parsed).toHaveLength(2);
        expect(parsed[0]?.home).toBe(neutraliseFormula(home));
        expect(parsed[0]?.away).toBe(neutraliseFormula(away));
        expect(parsed[1]?.homeScore).toBe('3');
      }),
      { numRuns: 150 },
    );
  });

  it('neutralises cells a spreadsheet would run as a formula (OWASP): a leading quote, the cell quoted', () => {
    expect(csvField('=1+2')).toBe(`"'=1+2"`);
    expect(csvField('=HYPERLINK("http://evil.example","x")')).toBe(`"'=HYPERLINK(""http://evil.example"",""x"")"`);
    for (const lead of ['+', '-', '@', '\t', '\r']) expect(csvField(`${lead}cmd`)).toBe(`"'${lead}cmd"`);
    // Data stays data: plain numbers (negative too) and a sign inside a name.
    expect(csvField('-3')).toBe('-3');
    expect(csvField('12')).toBe('12');
    expect(csvField('Jean-Luc = 1')).toBe('Jean-Luc = 1');
    expect(csvField('a;b')).toBe('"a;b"');
    expect(parseCsv(csvError('RATE_LIMITED', '=too many'), { columns: true })).toEqual([
      { code: 'RATE_LIMITED', message: "'=too many" },
    ]);
  });

  it('has only a header for no rows', () => {
    expect(parseCsv(toCsv([]), { columns: true })).toEqual([]);
  });
});

describe('XML', () => {
  it('escapes markup and drops characters XML cannot carry', () => {
    expect(escapeXmlText(`<script>alert("x")</script> & 'y'`)).toBe(
      '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &apos;y&apos;',
    );
    expect(escapeXmlText('a\u0000b\u0007c\uFFFEd\uD800e')).toBe('abcde');
  });

  it('is well-formed and round-trips any team name', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40, unit: 'binary' }), (home) => {
        const xml = toXml([row(home)]);
        expect(XMLValidator.validate(xml)).toBe(true);
        const parsed = xmlParser.parse(xml) as { matches: { match: Record<string, string> } };
        const expected = home.replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '');
        expect(parsed.matches.match.home ?? '').toBe(expected.replace(/\r\n?/g, '\n'));
      }),
      { numRuns: 150 },
    );
  });

  it('writes every column of every row as an element', () => {
    const rows = [row('A'), row('B')];
    const parsed = new XMLParser({ parseTagValue: false }).parse(toXml(rows)) as {
      matches: { match: Record<string, string>[] };
    };
    expect(parsed.matches.match).toHaveLength(2);
    expect(Object.keys(parsed.matches.match[1] ?? {})).toEqual([...FEED_COLUMNS]);
    expect(parsed.matches.match[1]?.homeScore).toBe(feedValueText(rows[1]!.homeScore));
  });
});
