/**
 * The audit trail against the real server and PostgreSQL: two consoles, corrections, an
 * override, a director's handover that fences the first console, its refused push, and a
 * verification change; exported as JSON and as CSV (neutralised cells), admin only.
 */
import { randomUUID } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import pg from 'pg';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AUDIT_CSV_COLUMNS, type AuditEntry, type MatchAudit } from '../../shared/audit.js';
import { connectSocket, request, startTestServer, type TestServer } from '../../test/support/server.js';

let server: TestServer;
let pool: pg.Pool;
const sockets: Socket[] = [];
const A = randomUUID();
const B = randomUUID();
const NOTE = '=HYPERLINK("http://evil.example","protest")';
let matchId: string;
let scorerA: string;

const at = (n: number) => new Date(Date.UTC(2026, 5, 1, 12, 0, n)).toISOString();

beforeAll(async () => {
  server = await startTestServer();
  pool = new pg.Pool({ connectionString: server.databaseUrl, max: 2 });
  scorerA = await server.userToken('scorer', [], 'desk_a');
  const scorerB = await server.userToken('scorer', [], 'desk_b');
  matchId = (await server.createMatch({ sport: 'generic', court: 'AU1' })).id;
  const a = await connectSocket(server.url, '/console', scorerA, { consoleId: A });
  const b = await connectSocket(server.url, '/console', scorerB, { consoleId: B });
  sockets.push(a, b);
  const pushed = await request(a, 'events:push', {
    matchId,
    epoch: 0,
    events: [
      { seq: 1, type: 'MATCH_START', payload: {}, at: at(1) },
      { seq: 2, type: 'SCORE_UPDATE', payload: { side: 'home' }, at: at(2) },
      { seq: 3, type: 'SCORE_UPDATE', payload: { side: 'away' }, at: at(3) },
      { seq: 4, type: 'CORRECTION', payload: { undoes: 2 }, at: at(4) },
      { seq: 5, type: 'EVENT_ADDED', payload: { kind: 'note', text: NOTE }, at: at(5) },
      {
        seq: 6,
        type: 'SCORE_OVERRIDE',
        payload: { reason: 'paper sheet after a power cut', home: { points: 5 }, away: { points: 2 } },
        at: at(6),
      },
    ],
  });
  expect(pushed).toMatchObject({ ok: true, ackedSeq: 6 });
  const handover = await server.http('POST', `/api/matches/${matchId}/handover`, { consoleId: B }, server.adminToken);
  expect(handover.status).toBe(200);
  // A did not hear about it yet: its next push is refused and goes into the trail.
  expect(
    await request(a, 'events:push', {
      matchId,
      epoch: 0,
      events: [
        { seq: 7, type: 'SCORE_UPDATE', payload: { side: 'home' }, at: at(7) },
        { seq: 8, type: 'SCORE_UPDATE', payload: { side: 'home' }, at: at(8) },
      ],
    }),
  ).toMatchObject({ ok: false, code: 'STALE_EPOCH' });
  expect(
    await request(b, 'events:push', {
      matchId,
      epoch: 1,
      events: [{ seq: 7, type: 'SCORE_UPDATE', payload: { side: 'away' }, at: at(9) }],
    }),
  ).toMatchObject({ ok: true, ackedSeq: 7 });
  // The verify stream is not built yet; its table is the trail's place for disagreements.
  await pool.query(`INSERT INTO match_verification_changes (match_id, state, detail) VALUES ($1, 'disagree', $2)`, [
    matchId,
    { official: '5-3', verify: '5-2' },
  ]);
});

afterAll(async () => {
  for (const s of sockets) s.close();
  await pool?.end();
  await server?.stop();
});

async function audit(): Promise<MatchAudit> {
  const res = await server.http<MatchAudit>('GET', `/api/matches/${matchId}/audit`, undefined, server.adminToken);
  expect(res.status).toBe(200);
  return res.body;
}

describe('GET /api/matches/:id/audit', () => {
  it('has every event with who, which console and both times, corrections, the override, handover, fencing, verification', async () => {
    await vi.waitFor(async () => expect((await audit()).entries.some((e) => e.kind === 'fenced-push')).toBe(true), {
      timeout: 10_000,
    });
    const trail = await audit();
    expect(trail.match).toMatchObject({ id: matchId, court: 'AU1', sport: 'generic' });
    const kinds = trail.entries.map((e) => (e.kind === 'event' ? `${e.seq}` : e.kind));
    expect(kinds).toEqual([
      'writer-change',
      '1',
      '2',
      '3',
      '4',
      '5',
      '6',
      'writer-change',
      'fenced-push',
      '7',
      'verification',
    ]);
    const events = trail.entries.filter((e): e is Extract<AuditEntry, { kind: 'event' }> => e.kind === 'event');
    expect(events[0]).toMatchObject({ user: 'desk_a', consoleId: A, consoleAt: at(1), epoch: 0, type: 'MATCH_START' });
    for (const e of events) expect(Date.parse(e.storedAt)).toBeGreaterThan(Date.now() - 60_000); // server time
    expect(events[1]).toMatchObject({ seq: 2, cancelled: true });
    expect(events[3]).toMatchObject({ type: 'CORRECTION', undoes: { seq: 2, type: 'SCORE_UPDATE' } });
    expect(events[5]).toMatchObject({ type: 'SCORE_OVERRIDE', reason: 'paper sheet after a power cut' });
    expect(events[6]).toMatchObject({ seq: 7, user: 'desk_b', consoleId: B, epoch: 1 });
    const [first, handover] = trail.entries.filter((e) => e.kind === 'writer-change');
    expect(first).toMatchObject({
      change: 'first-push',
      epoch: 0,
      consoleId: A,
      user: 'desk_a',
      fencedConsoleId: null,
    });
    expect(handover).toMatchObject({
      change: 'handover',
      epoch: 1,
      consoleId: B,
      previousConsoleId: A,
      fencedConsoleId: A,
      user: 'admin',
    });
    expect(trail.entries.find((e) => e.kind === 'fenced-push')).toMatchObject({
      consoleId: A,
      user: 'desk_a',
      epoch: 0,
      firstSeq: 7,
      lastSeq: 8,
      events: 2,
    });
    expect(trail.entries.at(-1)).toMatchObject({ kind: 'verification', state: 'disagree', detail: { verify: '5-2' } });
  });

  it('exports CSV with ?format=csv or Accept: text/csv, formula cells neutralised', async () => {
    for (const init of [
      { path: `/api/matches/${matchId}/audit?format=csv`, accept: 'application/json' },
      { path: `/api/matches/${matchId}/audit`, accept: 'text/csv' },
    ]) {
      const res = await fetch(server.url + init.path, {
        headers: { authorization: `Bearer ${server.adminToken}`, accept: init.accept },
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
      const rows: string[][] = parse(await res.text());
      expect(rows[0]).toEqual([...AUDIT_CSV_COLUMNS]);
      expect(rows).toHaveLength(1 + 11);
      const note = rows.find((r) => r[6] === 'EVENT_ADDED')!;
      const detail = note[AUDIT_CSV_COLUMNS.indexOf('detail')]!;
      expect(detail).toContain('HYPERLINK');
      // The payload is JSON ({"kind":...), so it cannot start a formula; a user-named cell can.
      for (const row of rows.slice(1)) for (const cell of row) expect(cell).not.toMatch(/^[=+@\t\r]/);
      const correction = rows.find((r) => r[6] === 'CORRECTION')!;
      expect(correction[AUDIT_CSV_COLUMNS.indexOf('undoesSeq')]).toBe('2');
    }
  });

  it('neutralises a formula start in a cell of its own (an override reason)', async () => {
    const m = (await server.createMatch({ sport: 'generic', court: 'AU2' })).id;
    const s = await connectSocket(server.url, '/console', scorerA);
    sockets.push(s);
    expect(
      await request(s, 'events:push', {
        matchId: m,
        epoch: 0,
        events: [
          { seq: 1, type: 'MATCH_START', payload: {}, at: at(1) },
          {
            seq: 2,
            type: 'SCORE_OVERRIDE',
            payload: { reason: '=1+2', home: { points: 1 }, away: { points: 0 } },
            at: at(2),
          },
        ],
      }),
    ).toMatchObject({ ok: true });
    const res = await fetch(`${server.url}/api/matches/${m}/audit?format=csv`, {
      headers: { authorization: `Bearer ${server.adminToken}` },
    });
    const text = await res.text();
    expect(text).toContain(`"'=1+2"`);
    const rows: string[][] = parse(text);
    expect(rows[3]![AUDIT_CSV_COLUMNS.indexOf('reason')]).toBe("'=1+2");
  });

  it('is for admins only, names unknown matches and bad formats', async () => {
    const viewer = await server.userToken('viewer');
    expect((await server.http('GET', `/api/matches/${matchId}/audit`, undefined, scorerA)).status).toBe(403);
    expect((await server.http('GET', `/api/matches/${matchId}/audit`, undefined, viewer)).status).toBe(403);
    expect((await server.http('GET', `/api/matches/${matchId}/audit`)).status).toBe(401);
    const unknown = await server.http('GET', '/api/matches/nope/audit', undefined, server.adminToken);
    expect(unknown).toMatchObject({ status: 404, body: { error: { code: 'UNKNOWN_MATCH' } } });
    const bad = await server.http('GET', `/api/matches/${matchId}/audit?format=xls`, undefined, server.adminToken);
    expect(bad).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION' } } });
  });
});
