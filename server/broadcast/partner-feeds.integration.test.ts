/**
 * The feeds and the SSE stream as a broadcast partner reads them, with clients nobody here
 * wrote: curl, Python's json and csv modules (Debian's /usr/bin/python3) and xmllint XPath,
 * against the real server and PostgreSQL. Column types are one per column in every row;
 * `court` takes a comma-separated list on every feed and on the stream; the viewer-token
 * answer lists the XML and CSV URLs; HSTS only over HTTPS from a trusted proxy; viewers of
 * the feeds learn within a second when the writing console connects or drops.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEBIAN_PYTHON } from '../../test/support/python-client.js';
import { parseSseText } from '../../test/support/broadcast/sse-reader.js';
import {
  connectSocket,
  request,
  scoreEvents,
  startEvent,
  startTestServer,
  type TestServer,
} from '../../test/support/server.js';
import { FEED_COLUMNS, FEED_COLUMN_TYPES } from './feed-rows.js';

/** The promise to viewers: they learn of a console's connect or drop within a second. */
const FRESHNESS_DEADLINE_MS = 1_000;
const WAIT = { timeout: 5_000, interval: 20 };

let server: TestServer;
let viewerToken: string;
let scorer: string;
const run = randomUUID().slice(0, 6);
const courts = { tennis: `T-${run}`, volley: `V-${run}`, other: `O-${run}` };
const matches: Record<keyof typeof courts, string> = { tennis: '', volley: '', other: '' };
const sockets: Socket[] = [];
const children: ChildProcess[] = [];

/** Runs a command (never blocking the loop: the server answers in this process) and returns its stdout. */
function exec(command: string, args: string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(command, args, { maxBuffer: 16 << 20 }, (error, stdout, stderr) =>
      error ? reject(new Error(`${command} ${args.join(' ')}: ${error.message} ${stderr}`)) : resolve(stdout),
    );
    if (input !== undefined) child.stdin!.end(input);
  });
}

const curl = (url: string, ...extra: string[]) => exec('curl', ['-sS', ...extra, url]);
const feedUrl = (path: string, query = '') => `${server.url}${path}?token=${viewerToken}${query}`;

/** Python reads a JSON feed and names each value's type per column: {column: [type names]} (sorted, distinct). */
async function pythonJsonTypes(body: string): Promise<Record<string, string[]>> {
  const script = `import json, sys
rows = json.load(sys.stdin)
out = {}
for row in rows:
    for key, value in row.items():
        out.setdefault(key, set()).add(type(value).__name__)
print(json.dumps({k: sorted(v) for k, v in out.items()}))`;
  return JSON.parse(await exec(DEBIAN_PYTHON, ['-c', script], body));
}

/** Python's csv module reads the CSV feed: the rows as dicts. */
async function pythonCsv(body: string): Promise<Record<string, string>[]> {
  const script = `import csv, io, json, sys
print(json.dumps(list(csv.DictReader(io.StringIO(sys.stdin.read(), newline='')))))`;
  return JSON.parse(await exec(DEBIAN_PYTHON, ['-c', script], body));
}

async function xpath(xml: string, path: string): Promise<string> {
  // xmllint ends its answer with a newline.
  return exec('xmllint', ['--xpath', path, '-'], xml).then((out) => out.replace(/\n$/, ''));
}

/** The console writing each match (the first to push it): later pushes come from it too. */
const writers = new Map<string, string>();

async function push(matchId: string, events: unknown[]): Promise<Socket> {
  if (!writers.has(matchId)) writers.set(matchId, randomUUID());
  const socket = await connectSocket(server.url, '/console', scorer, { consoleId: writers.get(matchId)! });
  sockets.push(socket);
  const ack = await request(socket, 'events:push', { matchId, epoch: 0, events });
  expect(ack).toMatchObject({ ok: true });
  return socket;
}

beforeAll(async () => {
  server = await startTestServer();
  const minted = await server.http('POST', '/api/viewer-tokens', { label: 'partner feeds' }, server.adminToken);
  viewerToken = minted.body.token;
  scorer = await server.userToken('scorer');
  matches.tennis = (await server.createMatch({ court: courts.tennis, sport: 'tennis' })).id;
  matches.volley = (await server.createMatch({ court: courts.volley, sport: 'volleyball' })).id;
  matches.other = (await server.createMatch({ court: courts.other, sport: 'basketball', slotMinutes: 40 })).id;
  // Tennis with games and points; volleyball live; basketball left scheduled.
  (await push(matches.tennis, [startEvent(1), ...scoreEvents(2, 5)])).close();
  (await push(matches.volley, [startEvent(1), ...scoreEvents(2, 3)])).close();
}, 60_000);

afterAll(async () => {
  for (const c of children) c.kill();
  for (const s of sockets) s.close();
  await server?.stop();
});

describe('column types, read by Python and xmllint', () => {
  it('JSON: every column has one type in every row, the documented one', async () => {
    const body = await curl(feedUrl('/api/feeds/vmix'));
    const types = await pythonJsonTypes(body);
    const pythonName = { string: ['str'], number: ['int'], boolean: ['bool'], 'boolean-or-null': ['NoneType'] };
    expect(Object.keys(types).sort()).toEqual([...FEED_COLUMNS].sort());
    for (const column of FEED_COLUMNS) {
      const want = FEED_COLUMN_TYPES[column];
      if (want === 'boolean-or-null')
        expect(['bool', 'NoneType'], column).toEqual(expect.arrayContaining(types[column]!));
      else expect(types[column], column).toEqual(pythonName[want]);
    }
  });

  it('CSV and XML: numbers always parse as numbers, booleans are true/false, verified is empty', async () => {
    const rows = await pythonCsv(await curl(feedUrl('/api/feeds/vmix.csv')));
    expect(rows.length).toBeGreaterThanOrEqual(3);
    for (const row of rows) {
      for (const column of FEED_COLUMNS) {
        const value = row[column]!;
        const want = FEED_COLUMN_TYPES[column];
        if (want === 'number') expect(value, `${row.sport} ${column}`).toMatch(/^-?\d+(\.\d+)?$/);
        if (want === 'boolean') expect(['true', 'false'], `${row.sport} ${column}`).toContain(value);
        if (want === 'boolean-or-null') expect(['', 'true', 'false']).toContain(value);
      }
      expect(row.verified).toBe('');
    }
    const tennis = rows.find((r) => r.court === courts.tennis)!;
    const volley = rows.find((r) => r.court === courts.volley)!;
    expect(Number(tennis.homeGames)).toBeGreaterThanOrEqual(0);
    expect(volley.homeGames).toBe('0');
    expect(volley.homePoints).toBe('');

    const xml = await curl(feedUrl('/api/feeds/vmix.xml'));
    expect(await xpath(xml, `string(/matches/match[court='${courts.volley}']/homeGames)`)).toBe('0');
    expect(await xpath(xml, `string(/matches/match[court='${courts.other}']/slotMinutes)`)).toBe('40');
    expect(await xpath(xml, `string(/matches/match[court='${courts.volley}']/verified)`)).toBe('');
    expect(await xpath(xml, `count(/matches/match[court='${courts.volley}']/verified)`)).toBe('1');
  });
});

describe('court lists', () => {
  const pair = () => `${courts.tennis},${courts.volley}`;

  it('every feed takes a comma-separated list (and a repeated parameter)', async () => {
    const want = [courts.tennis, courts.volley].sort();
    const json = JSON.parse(await curl(feedUrl('/api/feeds/vmix', `&court=${pair()}`))) as { court: string }[];
    expect(json.map((r) => r.court).sort()).toEqual(want);
    const repeated = JSON.parse(
      await curl(feedUrl('/api/feeds/vmix', `&court=${courts.tennis}&court=${courts.volley}`)),
    ) as { court: string }[];
    expect(repeated.map((r) => r.court).sort()).toEqual(want);
    const csv = await pythonCsv(await curl(feedUrl('/api/feeds/vmix.csv', `&court=${pair()}`)));
    expect(csv.map((r) => r.court).sort()).toEqual(want);
    const xml = await curl(feedUrl('/api/feeds/vmix.xml', `&court=${pair()}`));
    expect(await xpath(xml, 'count(/matches/match)')).toBe('2');
    const board = JSON.parse(await curl(feedUrl('/api/courts', `&court=${pair()}`))) as { court: string }[];
    expect(board.map((e) => e.court).sort()).toEqual(want);
    const one = JSON.parse(await curl(feedUrl('/api/feeds/vmix', `&court=${courts.other}`))) as { court: string }[];
    expect(one.map((r) => r.court)).toEqual([courts.other]);
  });

  it('an empty name in the list is refused with 400 VALIDATION', async () => {
    for (const path of ['/api/feeds/vmix', '/api/courts', '/api/stream']) {
      const out = await curl(feedUrl(path, `&court=${courts.tennis},,${courts.volley}`), '-w', '\n%{http_code}');
      const [body, status] = [out.slice(0, out.lastIndexOf('\n')), out.slice(out.lastIndexOf('\n') + 1)];
      expect(status, path).toBe('400');
      expect(JSON.parse(body).error.code).toBe('VALIDATION');
    }
  });

  it('the SSE stream (curl -N) follows exactly the listed courts', async () => {
    const stream = spawn('curl', ['-sN', feedUrl('/api/stream', `&court=${pair()}`)]);
    children.push(stream);
    let text = '';
    stream.stdout!.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    const ids = () =>
      parseSseText(text)
        .filter((e) => e.event === 'snapshot')
        .map((e) => (JSON.parse(e.data) as { id: string }).id);
    await vi.waitFor(() => expect(new Set(ids())).toEqual(new Set([matches.tennis, matches.volley])), WAIT);
    (await push(matches.other, [startEvent(1)])).close();
    (await push(matches.volley, scoreEvents(5, 1))).close();
    await vi.waitFor(() => {
      const updates = parseSseText(text).filter((e) => e.event === 'snapshot' && JSON.parse(e.data).events);
      expect(updates.map((e) => JSON.parse(e.data).id)).toContain(matches.volley);
    }, WAIT);
    expect(ids()).not.toContain(matches.other);
    stream.kill();
  });
});

describe('freshness in the feeds and on the stream', () => {
  /** consoleOnline of the volleyball match as each feed says it now (curl; Python for CSV; xmllint for XML). */
  async function feedsSay(): Promise<{ json: boolean; csv: string; xml: string; verified: unknown[] }> {
    const query = `&court=${courts.volley}`;
    const [json, csv, xml] = await Promise.all([
      curl(feedUrl('/api/feeds/vmix', query)).then(
        (b) => JSON.parse(b) as { consoleOnline: boolean; verified: null }[],
      ),
      curl(feedUrl('/api/feeds/vmix.csv', query)).then(pythonCsv),
      curl(feedUrl('/api/feeds/vmix.xml', query)),
    ]);
    return {
      json: json[0]!.consoleOnline,
      csv: csv[0]!.consoleOnline!,
      xml: await xpath(xml, `string(/matches/match[court='${courts.volley}']/consoleOnline)`),
      verified: [json[0]!.verified, csv[0]!.verified],
    };
  }

  it('the writer console connecting and dropping reaches SSE and the JSON/CSV/XML feeds within a second', async () => {
    const stream = spawn('curl', ['-sN', feedUrl('/api/stream', `&court=${courts.volley}`)]);
    children.push(stream);
    let text = '';
    stream.stdout!.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    const sseOnline = () => {
      const last = parseSseText(text)
        .filter((e) => e.event === 'snapshot')
        .at(-1);
      return last
        ? (JSON.parse(last.data) as { freshness: { consoleOnline: boolean; verified: null } }).freshness
        : null;
    };
    await vi.waitFor(() => expect(sseOnline()).toMatchObject({ consoleOnline: false, verified: null }), WAIT);
    expect(await feedsSay()).toEqual({ json: false, csv: 'false', xml: 'false', verified: [null, ''] });

    for (const online of [true, false]) {
      const changed = Date.now();
      let console: Socket | undefined;
      if (online) {
        console = await connectSocket(server.url, '/console', scorer, { consoleId: writers.get(matches.volley)! });
        sockets.push(console);
      } else {
        for (const socket of sockets) socket.close();
      }
      await vi.waitFor(() => expect(sseOnline()?.consoleOnline).toBe(online), WAIT);
      const sseAfter = Date.now() - changed;
      await vi.waitFor(async () => {
        expect(await feedsSay()).toMatchObject({ json: online, csv: String(online), xml: String(online) });
      }, WAIT);
      const feedsAfter = Date.now() - changed;
      expect(sseAfter, `SSE learnt consoleOnline ${online}`).toBeLessThan(FRESHNESS_DEADLINE_MS);
      expect(feedsAfter, `the feeds said consoleOnline ${online}`).toBeLessThan(FRESHNESS_DEADLINE_MS);
    }
    stream.kill();
  });
});

describe('the viewer-token answer', () => {
  it('lists the XML and CSV URLs, and they serve the feed to curl', async () => {
    const minted = await server.http('POST', '/api/viewer-tokens', { label: 'xml csv' }, server.adminToken);
    const urls = minted.body.overlayUrls as Record<string, string>;
    expect(urls.vmixXml).toBe(`${server.url}/api/feeds/vmix.xml?token=${minted.body.token}`);
    expect(urls.vmixCsv).toBe(`${server.url}/api/feeds/vmix.csv?token=${minted.body.token}`);
    expect(Number(await xpath(await curl(urls.vmixXml!), 'count(/matches/match)'))).toBeGreaterThanOrEqual(3);
    expect((await pythonCsv(await curl(urls.vmixCsv!))).length).toBeGreaterThanOrEqual(3);
  });
});

/** Response headers as curl -D prints them, names lower-cased. */
async function headers(url: string, ...extra: string[]): Promise<Record<string, string>> {
  const text = await curl(url, '-o', '/dev/null', '-D', '-', ...extra);
  const out: Record<string, string> = {};
  for (const line of text.split('\r\n').slice(1)) {
    const at = line.indexOf(':');
    if (at > 0) out[line.slice(0, at).toLowerCase()] = line.slice(at + 1).trim();
  }
  return out;
}

describe('HSTS', () => {
  const proto = ['-H', 'X-Forwarded-Proto: https'];

  it('never over plain HTTP, even when an untrusted client claims HTTPS', async () => {
    for (const path of ['/healthz', '/api/feeds/vmix', '/overlays/courts']) {
      expect(await headers(feedUrl(path)), path).not.toHaveProperty('strict-transport-security');
      expect(await headers(feedUrl(path), ...proto), path).not.toHaveProperty('strict-transport-security');
    }
    // The minted URLs keep the scheme the request really came over.
    const minted = await curl(
      `${server.url}/api/viewer-tokens`,
      ...proto,
      '-H',
      `Authorization: Bearer ${server.adminToken}`,
      '-H',
      'content-type: application/json',
      '-d',
      '{"label":"untrusted"}',
    );
    expect(JSON.parse(minted).overlayUrls.vmix).toMatch(/^http:\/\//);
  });

  it('behind a trusted proxy: only on requests the proxy says came over HTTPS', async () => {
    const proxied = await startTestServer({ config: { trustProxy: 'loopback' } });
    try {
      const url = `${proxied.url}/healthz`;
      expect(await headers(url)).not.toHaveProperty('strict-transport-security');
      expect((await headers(url, ...proto))['strict-transport-security']).toMatch(/^max-age=\d+/);
      expect(await headers(url, '-H', 'X-Forwarded-Proto: http')).not.toHaveProperty('strict-transport-security');
      const minted = await curl(
        `${proxied.url}/api/viewer-tokens`,
        ...proto,
        '-H',
        `Authorization: Bearer ${proxied.adminToken}`,
        '-H',
        'content-type: application/json',
        '-d',
        '{"label":"proxied"}',
      );
      expect(JSON.parse(minted).overlayUrls.vmixXml).toMatch(
        /^https:\/\/127\.0\.0\.1:\d+\/api\/feeds\/vmix\.xml\?token=/,
      );
    } finally {
      await proxied.stop();
    }
  });
});
