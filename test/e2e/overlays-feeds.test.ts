/**
 * Broadcast pull outputs end to end: a real server (child process, real PostgreSQL) and
 * a console pushing events over /console; the vMix JSON/XML/CSV feeds, per-court JSON,
 * the SSE stream and /live catch-up, read with standard parsers and plain clients.
 */
import { parse as parseCsv } from 'csv-parse/sync';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { MatchSnapshot } from '../../shared/match.js';
import { PROTOCOL_VERSION, type MatchUpdate, type SubscribeAck } from '../../shared/protocol.js';
import { call, getMatch, listMatches } from '../support/broadcast/api-client.js';
import { buildScene, QUOTED, XSS_HOME, type BroadcastScene } from '../support/broadcast/fixture.js';
import type { ScoringConsole } from '../support/broadcast/scoring-console.js';
import { openSse } from '../support/broadcast/sse-reader.js';
import { FEED_COLUMN_TYPES, type FeedColumn } from '../../server/broadcast/feed-rows.js';

const WAIT = { timeout: 15_000, interval: 100 };

let scene: BroadcastScene;
let server: BroadcastScene['server'];
let viewer: string;
let desk: ScoringConsole;
let volley: MatchSnapshot;
let later: MatchSnapshot;
let basket: MatchSnapshot;

beforeAll(async () => {
  scene = await buildScene('overlay_feeds');
  ({ server, viewer, desk, volley, later, basket } = scene);
});

afterAll(async () => {
  await scene?.close();
});

describe('auth on feeds and pages', () => {
  const paths = ['/api/feeds/vmix', '/api/feeds/vmix.xml', '/api/feeds/vmix.csv', '/api/courts', '/api/courts/A1'];

  it('refuses a missing or bad token with 401 and the error shape', async () => {
    for (const path of [...paths, '/api/stream']) {
      for (const suffix of ['', '?token=not-a-token']) {
        const res = await fetch(`${server.url}${path}${suffix}`);
        expect(res.status, `${path}${suffix}`).toBe(401);
        // The XML and CSV feeds answer errors in their own format (docs/protocol.md).
        const text = await res.text();
        const body = path.endsWith('.xml')
          ? {
              error: {
                code: /<code>(.*)<\/code>/.exec(text)?.[1],
                message: /<message>(.*)<\/message>/.exec(text)?.[1],
              },
            }
          : path.endsWith('.csv')
            ? { error: { code: text.split('\r\n')[1]?.split(',')[0], message: text.split('\r\n')[1] } }
            : (JSON.parse(text) as { error: { code: string; message: string } });
        expect(body.error.code).toBe('UNAUTHORIZED');
        expect(body.error.message).toMatch(/token/);
      }
      const forged = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${viewer}x` } });
      expect(forged.status).toBe(401);
    }
    expect((await fetch(`${server.url}/overlays/scorebug?court=A1`)).status).toBe(401);
    expect((await fetch(`${server.url}/overlays/courts?token=bad`)).status).toBe(401);
  });

  it('accepts a viewer token as ?token= and as a Bearer header', async () => {
    for (const path of paths) {
      expect((await fetch(`${server.url}${path}?token=${viewer}`)).status, path).toBe(200);
      expect((await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${viewer}` } })).status).toBe(
        200,
      );
    }
  });

  it('answers a bad court with VALIDATION naming the field, an empty court with NOT_FOUND', async () => {
    const bad = await fetch(`${server.url}/api/feeds/vmix?court=${'x'.repeat(65)}&token=${viewer}`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string; message: string } }).error).toMatchObject({
      code: 'VALIDATION',
      message: expect.stringContaining('court'),
    });
    const none = await fetch(`${server.url}/api/courts/Z9?token=${viewer}`);
    expect(none.status).toBe(404);
    expect(((await none.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
  });
});

describe('page assets', () => {
  it('serves scripts under the CSP without a token; unknown or escaping paths are a plain 404', async () => {
    const script = await fetch(`${server.url}/broadcast-assets/scorebug.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
    for (const path of [
      '/broadcast-assets/nope.js',
      '/broadcast-assets/%2e%2e%2fdeps.ts',
      '/broadcast-assets/..%2f..%2fdeps.ts',
    ]) {
      const res = await fetch(`${server.url}${path}`);
      expect(res.status, path).toBe(404);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
    }
  });
});

describe('vMix data source', () => {
  async function currentSnapshots(): Promise<Map<string, MatchSnapshot>> {
    const all = await listMatches(server.url, viewer);
    return new Map(all.map((m) => [m.id, m]));
  }

  it('JSON: one flat row per court, the live match, matching the snapshots', async () => {
    const rows = (await call<Record<string, unknown>[]>(server.url, 'GET', `/api/feeds/vmix?token=${viewer}`)) ?? [];
    const snapshots = await currentSnapshots();
    expect(rows.map((r) => r.court)).toEqual(['A1', 'B2']);
    expect(rows.map((r) => r.matchId)).toEqual([volley.id, basket.id]); // not the later scheduled match
    expect(rows.some((r) => r.matchId === later.id)).toBe(false);
    for (const row of rows) {
      for (const [column, value] of Object.entries(row)) {
        // Each column its documented type; a nullable one (verified) is null while unknown.
        const want = FEED_COLUMN_TYPES[column as FeedColumn];
        if (want === 'boolean-or-null') expect(value === null || typeof value === 'boolean', column).toBe(true);
        else expect(typeof value, column).toBe(want);
      }
      const s = snapshots.get(String(row.matchId))!;
      expect(row).toMatchObject({
        sport: s.sport,
        status: s.status,
        home: s.home.name,
        away: s.away.name,
        homeScore: s.home.score,
        awayScore: s.away.score,
        setsHome: s.setsWon.home,
        setsAway: s.setsWon.away,
        period: s.period,
        cursor: s.cursor,
        updatedAt: s.updatedAt,
        consoleOnline: true,
        stale: false,
      });
    }
    expect(rows[0]).toMatchObject({ homeScore: 2, awayScore: 1, status: 'live' });
    // The display model's clock text (shared/display): M:SS from a minute up, tenths below it.
    expect(rows[1]).toMatchObject({ awayScore: 3, clock: expect.stringMatching(/^\d+:\d\d$|^\d+\.\d$/) });
  });

  it('XML: well-formed, escaped, same rows', async () => {
    const res = await fetch(`${server.url}/api/feeds/vmix.xml?token=${viewer}`);
    expect(res.headers.get('content-type')).toMatch(/xml/);
    const xml = await res.text();
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(xml).not.toContain('<script>');
    const parsed = new XMLParser({ parseTagValue: false }).parse(xml) as {
      matches: { match: Record<string, string>[] };
    };
    const json = await call<Record<string, unknown>[]>(server.url, 'GET', `/api/feeds/vmix?token=${viewer}`);
    expect(parsed.matches.match).toHaveLength(json.length);
    parsed.matches.match.forEach((row, i) => {
      for (const [key, value] of Object.entries(json[i]!)) expect(row[key] ?? '', key).toBe(String(value ?? ''));
    });
    expect(parsed.matches.match[0]?.home).toBe(XSS_HOME);
  });

  it('CSV: header line, RFC 4180 quoting, same rows', async () => {
    const res = await fetch(`${server.url}/api/feeds/vmix.csv`, { headers: { authorization: `Bearer ${viewer}` } });
    expect(res.headers.get('content-type')).toMatch(/text\/csv/);
    const text = await res.text();
    expect(text.split('\r\n')[0]).toMatch(/^court,matchId,sport,status,home,away,homeScore,awayScore,/);
    const parsed = parseCsv(text, { columns: true }) as Record<string, string>[];
    const json = await call<Record<string, unknown>[]>(server.url, 'GET', `/api/feeds/vmix?token=${viewer}`);
    expect(parsed).toHaveLength(json.length);
    parsed.forEach((row, i) => {
      for (const [key, value] of Object.entries(json[i]!)) expect(row[key], key).toBe(String(value ?? ''));
    });
    expect(parsed[1]?.away).toBe(QUOTED);
  });

  it('per-court snapshots: every court, and one court with all its matches', async () => {
    const courts = await call<{ court: string; match: MatchSnapshot; stale: boolean }[]>(
      server.url,
      'GET',
      `/api/courts?token=${viewer}`,
    );
    expect(courts.map((c) => [c.court, c.match.id])).toEqual([
      ['A1', volley.id],
      ['B2', basket.id],
    ]);
    const one = await call<{ match: MatchSnapshot; matches: MatchSnapshot[]; freshness: { consoleOnline: boolean } }>(
      server.url,
      'GET',
      `/api/courts/A1?token=${viewer}`,
    );
    expect(one.match).toEqual(await getMatch(server.url, viewer, volley.id));
    expect(one.matches.map((m) => m.id).sort()).toEqual([volley.id, later.id].sort());
    expect(one.freshness.consoleOnline).toBe(true);
  });
});

describe('Server-Sent Events', () => {
  it('sends a snapshot per match of the court at once, then one per change', async () => {
    const sse = await openSse(`${server.url}/api/stream?court=A1&token=${viewer}`);
    expect(sse.status).toBe(200);
    try {
      await vi.waitFor(() => expect(sse.events.length).toBeGreaterThanOrEqual(2), WAIT);
      const first = sse.events.map((e) => JSON.parse(e.data) as MatchSnapshot);
      expect(sse.events.every((e) => e.event === 'snapshot')).toBe(true);
      expect(first.map((s) => s.id).sort()).toEqual([volley.id, later.id].sort());
      expect(first.every((s) => s.court === 'A1')).toBe(true);
      const before = first.find((s) => s.id === volley.id)!;
      const cursor = await desk.point(volley.id, 'away');
      await desk.point(basket.id, 'home'); // another court: must not arrive
      await vi.waitFor(() => {
        const last = JSON.parse(sse.events.at(-1)!.data) as MatchSnapshot & { freshness: unknown };
        expect(last.id).toBe(volley.id);
        expect(last.cursor).toBe(cursor);
        expect(last.away.score).toBe(before.away.score + 1);
        expect(last.freshness).toMatchObject({ consoleOnline: true });
      }, WAIT);
      expect(sse.events.map((e) => (JSON.parse(e.data) as MatchSnapshot).court).every((c) => c === 'A1')).toBe(true);
    } finally {
      sse.close();
    }
  });

  it('without a court streams every court', async () => {
    const sse = await openSse(`${server.url}/api/stream`, { authorization: `Bearer ${viewer}` });
    try {
      await vi.waitFor(() => expect(sse.events.length).toBeGreaterThanOrEqual(3), WAIT);
      const courts = new Set(sse.events.map((e) => (JSON.parse(e.data) as MatchSnapshot).court));
      expect([...courts].sort()).toEqual(['A1', 'B2']);
    } finally {
      sse.close();
    }
  });
});

describe('/live viewer catch-up', () => {
  it('after a reconnect with since it misses nothing and gets nothing twice', async () => {
    const received: MatchUpdate[] = [];
    const connect = () =>
      io(`${server.url}/live`, {
        auth: { token: viewer, protocol: PROTOCOL_VERSION },
        transports: ['websocket'],
        reconnection: false,
      });
    const subscribe = (socket: ReturnType<typeof connect>, since?: number) =>
      new Promise<SubscribeAck>((resolve) => {
        socket.on('MATCH_UPDATE', (u: MatchUpdate) => received.push(u));
        socket.emit(
          'SUBSCRIBE_MATCH',
          since === undefined ? { matchId: volley.id } : { matchId: volley.id, since },
          resolve,
        );
      });

    const first = connect();
    const ack = await subscribe(first);
    if (!ack.ok) throw new Error(ack.message);
    const startCursor = ack.snapshot.cursor;
    const startSeq = ack.snapshot.seq;
    await desk.point(volley.id, 'home', 2);
    await vi.waitFor(() => expect(received.flatMap((u) => u.events)).toHaveLength(2), WAIT);
    first.disconnect();
    const lastCursor = received.at(-1)!.cursor;

    // Missed while away.
    await desk.point(volley.id, 'away', 3);
    await desk.point(volley.id, 'home', 1);

    const second = connect();
    const again = await subscribe(second, lastCursor);
    expect(again.ok).toBe(true);
    await desk.point(volley.id, 'away', 1); // live after the catch-up
    const expectedSeqs = Array.from({ length: 7 }, (_, i) => startSeq + 1 + i);
    await vi.waitFor(() => expect(received.flatMap((u) => u.events.map((e) => e.seq))).toEqual(expectedSeqs), WAIT);
    second.disconnect();

    const cursors = received.flatMap((u) => u.events.map((e) => e.cursor));
    expect(new Set(cursors).size).toBe(cursors.length);
    expect(cursors).toEqual([...cursors].sort((a, b) => a - b));
    expect(cursors[0]).toBeGreaterThan(startCursor);
    // The first update after the reconnect links to the cursor we asked from: no hidden gap.
    const afterReconnect = received.find((u) => u.events.some((e) => e.cursor > lastCursor))!;
    expect(afterReconnect.baseCursor).toBe(lastCursor);
    expect(received.at(-1)!.snapshot).toEqual(await getMatch(server.url, viewer, volley.id));
  });
});
