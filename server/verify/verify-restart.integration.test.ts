/**
 * The cross-check survives a server restart (a real server process, SIGKILL, PostgreSQL):
 * the restarted server loads both streams from PostgreSQL and compares at once, so
 * `verification` is right without the verifier pushing again: an official commit after the
 * restart that the verifier never scored, and a disagreement that began just before the
 * crash, both end as `disagree`; each state change is in the audit trail once.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { MatchSnapshot } from '../../shared/match.js';
import { VERIFY_DISAGREE_MS } from '../../shared/verification.js';
import { call, createMatch, getMatch, login, userToken } from '../../test/support/broadcast/api-client.js';
import { createTestDatabase } from '../../test/support/postgres.js';
import { CHILD_ADMIN_PASSWORD, RestartableServer } from '../../test/support/server-process.js';
import { connectSocket, request, scoreEvents, startEvent } from '../../test/support/server.js';

/** One match per court, so each is its court's row in the feeds. */
const COURTS = ['VR1', 'VR2'];
/** The 5 s rule plus a restart and a commit on a loaded machine. */
const WAIT = { timeout: VERIFY_DISAGREE_MS + 20_000, interval: 100 };
const WRITER = randomUUID();
const VERIFIER = randomUUID();

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let server: RestartableServer;
let pool: pg.Pool;
let admin: string;
let writerToken: string;
let verifierToken: string;
const sockets: Socket[] = [];

async function consoleSocket(token: string, consoleId: string): Promise<Socket> {
  const socket = await connectSocket(server.url, '/console', token, { consoleId });
  sockets.push(socket);
  return socket;
}

async function verificationOf(match: MatchSnapshot) {
  return (await getMatch(server.url, admin, match.id)).verification;
}

async function auditStates(match: MatchSnapshot): Promise<string[]> {
  const { rows } = await pool.query<{ state: string }>(
    'SELECT state FROM match_verification_changes WHERE match_id = $1 ORDER BY id',
    [match.id],
  );
  return rows.map((r) => r.state);
}

beforeAll(async () => {
  db = await createTestDatabase('verifyrestart');
  server = await RestartableServer.start({ databaseUrl: db.url });
  pool = new pg.Pool({ connectionString: db.url, max: 2 });
  admin = await login(server.url, 'admin', CHILD_ADMIN_PASSWORD);
  writerToken = await userToken(server.url, admin, 'vr_writer', 'scorer');
  verifierToken = await userToken(server.url, admin, 'vr_verifier', 'scorer');
});

afterAll(async () => {
  for (const s of sockets) s.close();
  await pool?.end();
  await server?.stop();
  await db?.drop();
});

describe('the verify stream across a server restart', () => {
  it('compares right after the restart, without a new verify push', async () => {
    const base = { sport: 'generic', home: 'Home', away: 'Away' } as const;
    // Agreeing before the crash; after it the writer scores twice more and the verifier never pushes.
    const scoredAfter = await createMatch(server.url, admin, { ...base, court: COURTS[0]! });
    // Disagreeing just before the crash (shorter than the 5 s rule): nobody pushes after it.
    const brokeBefore = await createMatch(server.url, admin, { ...base, court: COURTS[1]! });
    let writer = await consoleSocket(writerToken, WRITER);
    const verifier = await consoleSocket(verifierToken, VERIFIER);
    const push = (socket: Socket, matchId: string, events: unknown[], stream?: 'verify') =>
      request(socket, 'events:push', { matchId, epoch: 0, events, ...(stream ? { stream } : {}) });

    expect(await push(writer, scoredAfter.id, [startEvent(1), ...scoreEvents(2, 2, 'home')])).toMatchObject({
      ok: true,
    });
    expect(await push(verifier, scoredAfter.id, [startEvent(1), ...scoreEvents(2, 2, 'home')], 'verify')).toEqual({
      ok: true,
      ackedSeq: 3,
    });
    expect(await push(writer, brokeBefore.id, [startEvent(1), ...scoreEvents(2, 1, 'home')])).toMatchObject({
      ok: true,
    });
    expect(await push(verifier, brokeBefore.id, [startEvent(1), ...scoreEvents(2, 1, 'away')], 'verify')).toEqual({
      ok: true,
      ackedSeq: 2,
    });
    await vi.waitFor(async () => {
      expect(await verificationOf(scoredAfter)).toMatchObject({ state: 'agree' });
      expect(await verificationOf(brokeBefore)).toMatchObject({ state: 'agree' });
    }, WAIT);
    const brokeBeforeAgreed = (await verificationOf(brokeBefore))!.since;

    await server.kill9();
    verifier.close();
    await server.restart();

    // The writer comes back and scores on; the verifier stays away.
    writer = await consoleSocket(writerToken, WRITER);
    expect(await push(writer, scoredAfter.id, scoreEvents(4, 2, 'home'))).toMatchObject({ ok: true, ackedSeq: 5 });

    await vi.waitFor(async () => {
      expect(await verificationOf(scoredAfter)).toMatchObject({ state: 'disagree' });
      expect(await verificationOf(brokeBefore)).toMatchObject({ state: 'disagree' });
    }, WAIT);
    const feed = await call<{ matchId: string; verified: boolean | null }[]>(
      server.url,
      'GET',
      '/api/feeds/vmix',
      admin,
    );
    const verified = (m: MatchSnapshot) => feed.find((r) => r.matchId === m.id)?.verified;
    expect([verified(scoredAfter), verified(brokeBefore)]).toEqual([false, false]);
    // Each change of state once in the trail: the restart wrote no second "agree".
    expect(await auditStates(scoredAfter)).toEqual(['agree', 'disagree']);
    expect(await auditStates(brokeBefore)).toEqual(['agree', 'disagree']);
    // The disagreement began before the crash or at the restart, never before the last agreement.
    const broke = (await verificationOf(brokeBefore))!;
    expect(Date.parse(broke.since)).toBeGreaterThanOrEqual(Date.parse(brokeBeforeAgreed));
  });
});
