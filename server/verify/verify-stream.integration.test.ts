/**
 * A second scorer's cross-check against the real server and PostgreSQL: a verifying console
 * pushes its own stream (`stream: "verify"`) of the match the writer scores. Disagreement
 * alerts after VERIFY_ALERT_MS, flips `verification`/`freshness.verified` after
 * VERIFY_DISAGREE_MS (on /live, SSE and the feeds), agreement restores them; verify events
 * never reach match_events or the official snapshot; a bad verify push is refused with
 * VALIDATION and the official stream goes on untouched.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { VERIFY_ALERT_MS, VERIFY_DISAGREE_MS } from '../../shared/verification.js';
import {
  connectSocket,
  request,
  scoreEvents,
  startEvent,
  startTestServer,
  type TestServer,
} from '../../test/support/server.js';

const COURT = 'VF1';
const OTHER_COURT = 'VF2';
/** Long enough for the 5 s rule plus the commit and broadcast on a loaded machine. */
const WAIT = { timeout: VERIFY_DISAGREE_MS + 10_000, interval: 25 };

let server: TestServer;
let pool: pg.Pool;
let matchId: string;
let otherMatchId: string;
let writer: Socket;
let verifier: Socket;
let wall: Socket;
const WRITER = randomUUID();
const VERIFIER = randomUUID();
const courtUpdates: any[] = [];
const matchUpdates: any[] = [];
let sseText = '';
const sseAbort = new AbortController();

function sseSnapshots(): any[] {
  const out: any[] = [];
  for (const block of sseText.split('\n\n').slice(0, -1)) {
    let event = 'message';
    let data = '';
    for (const line of block.split('\n')) {
      if (line.startsWith('event:')) event = line.slice(6).trim();
      else if (line.startsWith('data:')) data += line.slice(5).trim();
    }
    if (event === 'snapshot' && data) out.push(JSON.parse(data));
  }
  return out;
}

async function vmixRow(id: string) {
  const res = await server.http('GET', '/api/feeds/vmix', undefined, server.adminToken);
  return (res.body as any[]).find((r) => r.matchId === id);
}

beforeAll(async () => {
  server = await startTestServer();
  pool = new pg.Pool({ connectionString: server.databaseUrl, max: 2 });
  const writerToken = await server.userToken('scorer', [COURT, OTHER_COURT], 'vf_writer');
  const verifierToken = await server.userToken('scorer', [COURT], 'vf_verifier');
  matchId = (await server.createMatch({ sport: 'generic', court: COURT })).id;
  otherMatchId = (await server.createMatch({ sport: 'generic', court: OTHER_COURT })).id;
  writer = await connectSocket(server.url, '/console', writerToken, { consoleId: WRITER });
  verifier = await connectSocket(server.url, '/console', verifierToken, { consoleId: VERIFIER });
  wall = await connectSocket(server.url, '/live', server.adminToken);
  wall.on('COURT_UPDATE', (u: any) => courtUpdates.push(u));
  wall.on('MATCH_UPDATE', (u: any) => matchUpdates.push(u));
  expect(await request(wall, 'SUBSCRIBE_COURTS', { courts: [COURT] })).toMatchObject({ ok: true });
  const res = await fetch(`${server.url}/api/stream?court=${COURT}`, {
    headers: { authorization: `Bearer ${server.adminToken}` },
    signal: sseAbort.signal,
  });
  expect(res.status).toBe(200);
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  void (async () => {
    for (;;) {
      const { done, value } = await reader.read().catch(() => ({ done: true, value: undefined }));
      if (done) return;
      sseText += decoder.decode(value, { stream: true });
    }
  })();
  expect(
    await request(writer, 'events:push', { matchId, epoch: 0, events: [startEvent(1), ...scoreEvents(2, 2, 'home')] }),
  ).toMatchObject({ ok: true, ackedSeq: 3 });
  expect(
    await request(writer, 'events:push', { matchId: otherMatchId, epoch: 0, events: [startEvent(1)] }),
  ).toMatchObject({ ok: true });
});

afterAll(async () => {
  sseAbort.abort();
  for (const s of [writer, verifier, wall]) s?.close();
  await pool?.end();
  await server?.stop();
});

describe('the verify stream', () => {
  it('is acknowledged with {ok, ackedSeq} only, stored apart, and agreement shows as verified', async () => {
    const ack = await request(verifier, 'events:push', {
      matchId,
      epoch: 0,
      stream: 'verify',
      events: [startEvent(1), ...scoreEvents(2, 2, 'home')],
    });
    expect(ack).toEqual({ ok: true, ackedSeq: 3 });
    await vi.waitFor(async () => {
      const { body } = await server.http('GET', `/api/matches/${matchId}`, undefined, server.adminToken);
      expect(body.verification).toMatchObject({ state: 'agree' });
      expect((await vmixRow(matchId)).verified).toBe(true);
    }, WAIT);
    // A resend is a duplicate; its own seq space does not touch the official one.
    expect(
      await request(verifier, 'events:push', { matchId, epoch: 0, stream: 'verify', events: [startEvent(1)] }),
    ).toMatchObject({ ok: false, code: 'CONFLICT' });
    // With no verify stream both stay null.
    const { body: other } = await server.http('GET', `/api/matches/${otherMatchId}`, undefined, server.adminToken);
    expect(other.verification ?? null).toBeNull();
    expect((await vmixRow(otherMatchId)).verified).toBeNull();
  });

  it(`alerts after ${VERIFY_ALERT_MS} ms, is unverified after ${VERIFY_DISAGREE_MS} ms of disagreement, and agrees again`, async () => {
    const sseBefore = sseSnapshots().length;
    const startedAt = Date.now();
    expect(
      await request(verifier, 'events:push', {
        matchId,
        epoch: 0,
        stream: 'verify',
        events: scoreEvents(4, 1, 'away'),
      }),
    ).toEqual({ ok: true, ackedSeq: 4 });
    // The official score is untouched by it, and the wall is not told yet.
    const { body: right } = await server.http('GET', `/api/matches/${matchId}`, undefined, server.adminToken);
    expect([right.home.score, right.away.score]).toEqual([2, 0]);
    expect(right.verification).toMatchObject({ state: 'agree' });

    const alert = await vi.waitFor(() => {
      const u = courtUpdates.find((c) => c.snapshot.id === matchId && c.snapshot.verificationAlert);
      expect(u).toBeTruthy();
      return u;
    }, WAIT);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(VERIFY_ALERT_MS);
    expect(alert.snapshot.verification.state).toBe('agree');
    expect(alert.freshness.verified).toBe(true);

    const flipped = await vi.waitFor(() => {
      const u = courtUpdates.find((c) => c.snapshot.id === matchId && c.snapshot.verification?.state === 'disagree');
      expect(u).toBeTruthy();
      return u;
    }, WAIT);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(VERIFY_DISAGREE_MS);
    expect(flipped.freshness.verified).toBe(false);
    expect(Date.parse(flipped.snapshot.verification.since)).toBeGreaterThanOrEqual(startedAt - 1000);
    // The same change on SSE (as a snapshot event), on GET and on the feeds.
    await vi.waitFor(async () => {
      const sse = sseSnapshots()
        .slice(sseBefore)
        .filter((s) => s.id === matchId);
      expect(sse.some((s) => s.verification?.state === 'disagree' && s.freshness.verified === false)).toBe(true);
      const { body } = await server.http('GET', `/api/matches/${matchId}`, undefined, server.adminToken);
      expect(body.verification.state).toBe('disagree');
      expect((await vmixRow(matchId)).verified).toBe(false);
    }, WAIT);
    const { rows: changes } = await pool.query(
      `SELECT state, detail FROM match_verification_changes WHERE match_id = $1 ORDER BY id`,
      [matchId],
    );
    expect(changes.map((r) => r.state)).toEqual(['agree', 'disagree']);
    expect(changes[1].detail).toMatchObject({ official: '2-0', verify: '2-1' });

    // The writer scores the same point: they agree again, pushed with the next MATCH_UPDATE.
    expect(
      await request(writer, 'events:push', { matchId, epoch: 0, events: scoreEvents(4, 1, 'away') }),
    ).toMatchObject({ ok: true, ackedSeq: 4 });
    await vi.waitFor(() => {
      const u = [...matchUpdates, ...courtUpdates].filter((m) => (m.matchId ?? m.snapshot.id) === matchId).at(-1);
      expect(u.snapshot.verification.state).toBe('agree');
      expect(u.snapshot.verificationAlert).toBeNull();
      expect(u.freshness.verified).toBe(true);
    }, WAIT);
    await vi.waitFor(async () => {
      const { body } = await server.http('GET', `/api/matches/${matchId}`, undefined, server.adminToken);
      expect(body.verification.state).toBe('agree');
      expect((await vmixRow(matchId)).verified).toBe(true);
      const sse = sseSnapshots()
        .filter((s) => s.id === matchId)
        .at(-1);
      expect(sse.verification.state).toBe('agree');
      expect(sse.freshness.verified).toBe(true);
    }, WAIT);
  });

  it('never reaches match_events, the official snapshot or the score broadcast', async () => {
    const { rows: official } = await pool.query(
      `SELECT seq, console_id FROM match_events WHERE match_id = $1 ORDER BY seq`,
      [matchId],
    );
    expect(official.map((r) => r.seq)).toEqual([1, 2, 3, 4]);
    expect(new Set(official.map((r) => r.console_id))).toEqual(new Set([WRITER]));
    const { rows: verify } = await pool.query(
      `SELECT seq, console_id FROM match_verify_events WHERE match_id = $1 ORDER BY seq`,
      [matchId],
    );
    expect(verify.map((r) => [r.seq, r.console_id])).toEqual([1, 2, 3, 4].map((seq) => [seq, VERIFIER]));
    const broadcast = matchUpdates.flatMap((u) => u.events);
    expect(broadcast.length).toBeGreaterThan(0);
    expect(broadcast.every((e: any) => e.consoleId === WRITER)).toBe(true);
    const { body } = await server.http('GET', `/api/matches/${matchId}/events?after=0`, undefined, server.adminToken);
    expect(body.events.map((e: any) => e.consoleId)).toEqual([WRITER, WRITER, WRITER, WRITER]);
  });

  it('refuses a bad verify push with VALIDATION, and the official stream goes on', async () => {
    const bad = [
      { matchId, epoch: 1, stream: 'verify', events: scoreEvents(5, 1) },
      {
        matchId,
        epoch: 0,
        stream: 'verify',
        events: [{ seq: 5, type: 'SCORE_UPDATE', payload: { side: 'middle' }, at: new Date().toISOString() }],
      },
      { matchId, epoch: 0, stream: 'verify', events: scoreEvents(5, 1), extra: true },
      { matchId, epoch: 0, stream: 'shadow', events: scoreEvents(5, 1) },
    ];
    for (const push of bad)
      expect(await request(verifier, 'events:push', push)).toMatchObject({ ok: false, code: 'VALIDATION' });
    // The writer cannot verify itself, and a verify push never claims or fences.
    expect(
      await request(writer, 'events:push', { matchId, epoch: 0, stream: 'verify', events: scoreEvents(5, 1) }),
    ).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(
      await request(writer, 'events:push', { matchId, epoch: 0, events: scoreEvents(5, 1, 'home') }),
    ).toMatchObject({ ok: true, ackedSeq: 5 });
    const { rows } = await pool.query('SELECT count(*)::int AS n FROM match_verify_events WHERE match_id = $1', [
      matchId,
    ]);
    expect(rows[0].n).toBe(4);
    const { rows: m } = await pool.query('SELECT epoch, writer_console_id FROM matches WHERE id = $1', [matchId]);
    expect(m[0]).toEqual({ epoch: 0, writer_console_id: WRITER });
    const { body } = await server.http('GET', `/api/matches/${matchId}`, undefined, server.adminToken);
    expect([body.home.score, body.away.score]).toEqual([3, 1]);
  });
});
