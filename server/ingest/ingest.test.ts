/** events:push against a real server and PostgreSQL: commits, duplicates, gaps, epochs, races, batching. */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { holdCommits } from '../../test/support/hold-commits.js';
import {
  connectSocket,
  request,
  scoreEvents,
  startEvent,
  startTestServer,
  type TestServer,
} from '../../test/support/server.js';

let server: TestServer;
let scorer: string;
let pool: pg.Pool;
const sockets: Socket[] = [];

/**
 * A console of its own scorer unless a token is given: the sockets stay open until afterAll,
 * and one user may have only MAX_CONSOLES_PER_USER console ids live at once.
 */
async function consoleSocket(consoleId = randomUUID(), token?: string) {
  const s = await connectSocket(server.url, '/console', token ?? (await server.userToken('scorer')), { consoleId });
  sockets.push(s);
  return s;
}

async function storedSeqs(matchId: string): Promise<number[]> {
  const { rows } = await pool.query('SELECT seq FROM match_events WHERE match_id = $1 ORDER BY seq', [matchId]);
  return rows.map((r) => r.seq);
}

beforeAll(async () => {
  server = await startTestServer();
  scorer = await server.userToken('scorer');
  pool = new pg.Pool({ connectionString: server.databaseUrl, max: 2 });
});

afterAll(async () => {
  for (const s of sockets) s.close();
  await pool.end();
  await server.stop();
});

describe('events:push', () => {
  it('commits a push, acks with the cursor, stores user and console', async () => {
    const match = await server.createMatch();
    const consoleId = randomUUID();
    const c = await consoleSocket(consoleId);
    const ack = await request(c, 'events:push', {
      matchId: match.id,
      epoch: 0,
      events: [startEvent(1), ...scoreEvents(2, 3)],
    });
    expect(ack).toMatchObject({ ok: true, ackedSeq: 4 });
    const { rows } = await pool.query(
      'SELECT seq, "cursor", console_id, device_id, user_id, event_type FROM match_events WHERE match_id = $1 ORDER BY seq',
      [match.id],
    );
    expect(rows.map((r) => r.seq)).toEqual([1, 2, 3, 4]);
    expect(rows.every((r) => r.console_id === consoleId && r.device_id === consoleId && r.user_id !== null)).toBe(true);
    expect(ack.cursor).toBe(rows[3].cursor);
    const snap = await server.http('GET', `/api/matches/${match.id}`, undefined, scorer);
    expect(snap.body).toMatchObject({ status: 'live', seq: 4, cursor: ack.cursor });
    expect(snap.body.home.score).toBe(3);
  });

  it('acknowledges a resend as duplicate and never stores it twice', async () => {
    const match = await server.createMatch();
    const c = await consoleSocket();
    const events = [startEvent(1), ...scoreEvents(2, 4)];
    const first = await request(c, 'events:push', { matchId: match.id, epoch: 0, events });
    const again = await request(c, 'events:push', { matchId: match.id, epoch: 0, events });
    const overlap = await request(c, 'events:push', {
      matchId: match.id,
      epoch: 0,
      events: [...events.slice(3), ...scoreEvents(6, 2)],
    });
    expect(first).toMatchObject({ ok: true, ackedSeq: 5 });
    expect(again).toMatchObject({ ok: true, ackedSeq: 5 });
    expect(overlap).toMatchObject({ ok: true, ackedSeq: 7 });
    expect(await storedSeqs(match.id)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('refuses a resend with different content for a stored seq', async () => {
    const match = await server.createMatch();
    const c = await consoleSocket();
    await request(c, 'events:push', {
      matchId: match.id,
      epoch: 0,
      events: [startEvent(1), ...scoreEvents(2, 1, 'home')],
    });
    const changed = await request(c, 'events:push', { matchId: match.id, epoch: 0, events: scoreEvents(2, 1, 'away') });
    expect(changed).toMatchObject({ ok: false, code: 'CONFLICT' });
    expect(await storedSeqs(match.id)).toEqual([1, 2]);
  });

  it('refuses a gap with the expected seq', async () => {
    const match = await server.createMatch();
    const c = await consoleSocket();
    await request(c, 'events:push', { matchId: match.id, epoch: 0, events: [startEvent(1)] });
    const gap = await request(c, 'events:push', { matchId: match.id, epoch: 0, events: scoreEvents(5, 2) });
    expect(gap).toMatchObject({ ok: false, code: 'GAP', expectedSeq: 2 });
    const inner = await request(c, 'events:push', {
      matchId: match.id,
      epoch: 0,
      events: [...scoreEvents(2, 1), ...scoreEvents(4, 1)],
    });
    expect(inner).toMatchObject({ ok: false, code: 'VALIDATION' });
    expect(await storedSeqs(match.id)).toEqual([1]);
  });

  it('validates input and names the field', async () => {
    const match = await server.createMatch();
    const c = await consoleSocket();
    const bad = await request(c, 'events:push', {
      matchId: match.id,
      epoch: 0,
      events: [{ seq: 1, type: 'SCORE_UPDATE', payload: { side: 'middle' }, at: new Date().toISOString() }],
    });
    expect(bad).toMatchObject({ ok: false, code: 'VALIDATION' });
    expect(bad.message).toContain('events.0.payload.side');
    const unknownField = await request(c, 'events:push', {
      matchId: match.id,
      epoch: 0,
      events: [startEvent(1)],
      extra: 1,
    });
    expect(unknownField).toMatchObject({ ok: false, code: 'VALIDATION' });
    expect(unknownField.message).toContain("'extra'");
    const unknownType = await request(c, 'events:push', {
      matchId: match.id,
      epoch: 0,
      events: [{ seq: 1, type: 'GOAL', payload: {}, at: new Date().toISOString() }],
    });
    expect(unknownType).toMatchObject({ ok: false, code: 'VALIDATION' });
    expect(await storedSeqs(match.id)).toEqual([]);
  });

  it('refuses unknown matches and creates offline-created ones', async () => {
    const c = await consoleSocket();
    const unknown = await request(c, 'events:push', { matchId: 'no-such-match', epoch: 0, events: [startEvent(1)] });
    expect(unknown).toMatchObject({ ok: false, code: 'UNKNOWN_MATCH' });
    const id = `offline-${randomUUID().slice(0, 8)}`;
    const create = { id, sport: 'generic', court: 'Offline court', home: { name: 'H' }, away: { name: 'A' } };
    const created = await request(c, 'events:push', { matchId: id, epoch: 0, events: [startEvent(1)], create });
    expect(created).toMatchObject({ ok: true, ackedSeq: 1 });
    const again = await request(c, 'events:push', { matchId: id, epoch: 0, events: scoreEvents(2, 1), create });
    expect(again).toMatchObject({ ok: true, ackedSeq: 2 });
    const snap = await server.http('GET', `/api/matches/${id}`, undefined, scorer);
    expect(snap.body).toMatchObject({ id, court: 'Offline court', seq: 2 });
  });

  it('refuses the sport rules with RULES', async () => {
    const match = await server.createMatch();
    const c = await consoleSocket();
    const ack = await request(c, 'events:push', {
      matchId: match.id,
      epoch: 0,
      events: [
        startEvent(1),
        { seq: 2, type: 'MATCH_END', payload: {}, at: new Date().toISOString() },
        ...scoreEvents(3, 1),
      ],
    });
    expect(ack).toMatchObject({ ok: false, code: 'RULES' });
    // The valid prefix is stored; a resend of it is acknowledged as duplicates.
    expect(await storedSeqs(match.id)).toEqual([1, 2]);
  });

  it('forbids a scorer to write to a court not theirs; a viewer cannot connect to /console', async () => {
    const match = await server.createMatch({ court: 'Court B' });
    const courtA = await server.userToken('scorer', ['Court A']);
    const c = await consoleSocket(randomUUID(), courtA);
    const ack = await request(c, 'events:push', { matchId: match.id, epoch: 0, events: [startEvent(1)] });
    expect(ack).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    const viewer = await server.userToken('viewer');
    await expect(connectSocket(server.url, '/console', viewer)).rejects.toThrow('FORBIDDEN');
    expect(await storedSeqs(match.id)).toEqual([]);
  });
});

describe('epochs', () => {
  it('the first push with epoch 0 claims; a second console is refused with STALE_EPOCH', async () => {
    const match = await server.createMatch();
    const a = await consoleSocket();
    const b = await consoleSocket();
    expect(await request(a, 'events:push', { matchId: match.id, epoch: 0, events: [startEvent(1)] })).toMatchObject({
      ok: true,
    });
    const refused = await request(b, 'events:push', { matchId: match.id, epoch: 0, events: scoreEvents(2, 1) });
    expect(refused).toMatchObject({ ok: false, code: 'STALE_EPOCH', epoch: 0 });
  });

  it('two consoles racing for one unclaimed match: exactly one wins', async () => {
    const match = await server.createMatch();
    const a = await consoleSocket();
    const b = await consoleSocket();
    const [ra, rb] = await Promise.all([
      request(a, 'events:push', { matchId: match.id, epoch: 0, events: [startEvent(1), ...scoreEvents(2, 2, 'home')] }),
      request(b, 'events:push', { matchId: match.id, epoch: 0, events: [startEvent(1), ...scoreEvents(2, 2, 'away')] }),
    ]);
    expect([ra.ok, rb.ok].filter(Boolean)).toHaveLength(1);
    expect([ra, rb].find((r) => !r.ok)?.code).toBe('STALE_EPOCH');
    expect(await storedSeqs(match.id)).toEqual([1, 2, 3]);
  });

  it('match:claim is compare-and-set; the fenced console gets STALE_EPOCH and a match:fenced notice', async () => {
    const match = await server.createMatch();
    const aId = randomUUID();
    const a = await consoleSocket(aId);
    const b = await consoleSocket();
    await request(a, 'events:push', { matchId: match.id, epoch: 0, events: [startEvent(1)] });
    const claims = await Promise.all([
      request(b, 'match:claim', { matchId: match.id, expectedEpoch: 0 }),
      request(a, 'match:claim', { matchId: match.id, expectedEpoch: 0 }),
    ]);
    expect(claims.filter((c) => c.ok)).toHaveLength(1);
    expect(claims.find((c) => !c.ok)).toMatchObject({ code: 'STALE_EPOCH', epoch: 1 });
    const winner = claims[0].ok ? b : a;
    const loser = winner === a ? b : a;
    const pulled = await request(winner, 'match:pull', { matchId: match.id, after: 0 });
    expect(pulled).toMatchObject({ ok: true, upToDate: true, epoch: 1 });
    expect(pulled.events.map((e: any) => e.seq)).toEqual([1]);
    expect(
      await request(winner, 'events:push', { matchId: match.id, epoch: 1, events: scoreEvents(2, 1) }),
    ).toMatchObject({ ok: true, ackedSeq: 2 });
    expect(
      await request(loser, 'events:push', { matchId: match.id, epoch: 1, events: scoreEvents(3, 1) }),
    ).toMatchObject({ ok: false, code: 'STALE_EPOCH' });
    expect(
      await request(loser, 'events:push', { matchId: match.id, epoch: 0, events: scoreEvents(3, 1) }),
    ).toMatchObject({ ok: false, code: 'STALE_EPOCH' });
  });

  it('a console claiming the match tells the previous writer at once (match:fenced), not on its next push', async () => {
    const match = await server.createMatch();
    const a = await consoleSocket(randomUUID());
    const b = await consoleSocket(randomUUID());
    await request(a, 'events:push', { matchId: match.id, epoch: 0, events: [startEvent(1)] });
    const fenced = new Promise((resolve) => a.once('match:fenced', resolve));
    let bFenced = false;
    b.once('match:fenced', () => (bFenced = true));
    expect(await request(b, 'match:claim', { matchId: match.id, expectedEpoch: 0 })).toEqual({ ok: true, epoch: 1 });
    expect(await fenced).toEqual({ matchId: match.id, epoch: 1 });
    expect(bFenced).toBe(false);
  });

  it('a handover fences pending events of the old writer and notifies both consoles', async () => {
    const match = await server.createMatch();
    const aId = randomUUID();
    const bId = randomUUID();
    const a = await consoleSocket(aId);
    const b = await consoleSocket(bId);
    await request(a, 'events:push', { matchId: match.id, epoch: 0, events: [startEvent(1)] });
    const fenced = new Promise((resolve) => a.once('match:fenced', resolve));
    const assigned = new Promise((resolve) => b.once('match:assigned', resolve));
    // A push in flight while the director hands over: it must not be stored under the old epoch.
    const pending = request(a, 'events:push', { matchId: match.id, epoch: 0, events: scoreEvents(2, 1) });
    const handover = await server.http(
      'POST',
      `/api/matches/${match.id}/handover`,
      { consoleId: bId },
      server.adminToken,
    );
    expect(handover).toMatchObject({ status: 200, body: { epoch: 1, previous: aId } });
    expect(await fenced).toEqual({ matchId: match.id, epoch: 1 });
    expect(await assigned).toEqual({ matchId: match.id, epoch: 1 });
    const pendingAck = await pending;
    const stored = await storedSeqs(match.id);
    if (pendingAck.ok) expect(stored).toEqual([1, 2]);
    else expect(pendingAck.code).toBe('STALE_EPOCH');
    const next = stored.length + 1;
    expect(
      await request(b, 'events:push', { matchId: match.id, epoch: 1, events: scoreEvents(next, 1) }),
    ).toMatchObject({ ok: true, ackedSeq: next });
    expect(
      await request(a, 'events:push', { matchId: match.id, epoch: 0, events: scoreEvents(next + 1, 1) }),
    ).toMatchObject({ ok: false, code: 'STALE_EPOCH' });
  });
});

describe('group commit', () => {
  async function metric(name: string): Promise<number> {
    const res = await server.http('GET', '/metrics');
    const line = (res.body as string).split('\n').find((l) => l.startsWith(name + ' ') || l.startsWith(name + '{'));
    return line ? Number(line.split(' ').pop()) : 0;
  }

  it('an idle server commits a lone push at once, in a commit of its own', async () => {
    const match = await server.createMatch();
    const c = await consoleSocket();
    const batchesBefore = await metric('scoredesk_batch_events_count');
    expect(await request(c, 'events:push', { matchId: match.id, epoch: 0, events: [startEvent(1)] })).toMatchObject({
      ok: true,
      ackedSeq: 1,
    });
    expect((await metric('scoredesk_batch_events_count')) - batchesBefore).toBe(1);
  });

  it('pushes arriving while a commit runs go together into the next one: one commit, gapless cursors', async () => {
    const matches = await Promise.all([0, 1, 2, 3, 4].map(() => server.createMatch()));
    const consoles = await Promise.all(matches.map(() => consoleSocket()));
    const hold = await holdCommits(server.databaseUrl);
    const batchesBefore = await metric('scoredesk_batch_events_count');
    const eventsBefore = await metric('scoredesk_batch_events_sum');
    // The first push starts a commit that waits on the held lock; the other four queue behind it.
    const first = request(consoles[0]!, 'events:push', {
      matchId: matches[0]!.id,
      epoch: 0,
      events: [startEvent(1), ...scoreEvents(2, 9)],
    });
    await hold.waitBlocked();
    const rest = matches.slice(1).map((m, i) =>
      request(consoles[i + 1]!, 'events:push', {
        matchId: m.id,
        epoch: 0,
        events: [startEvent(1), ...scoreEvents(2, 9)],
      }),
    );
    await vi.waitFor(() => expect(server.pendingEvents()).toBe(50));
    await hold.release();
    const acks = await Promise.all([first, ...rest]);
    expect(acks.every((a) => a.ok)).toBe(true);
    expect((await metric('scoredesk_batch_events_sum')) - eventsBefore).toBe(50);
    expect((await metric('scoredesk_batch_events_count')) - batchesBefore).toBe(2);
    const { rows } = await pool.query('SELECT "cursor" FROM match_events WHERE match_id = ANY($1) ORDER BY "cursor"', [
      matches.slice(1).map((m) => m.id),
    ]);
    const cursors = rows.map((r) => Number(r.cursor));
    expect(cursors[cursors.length - 1]! - cursors[0]!).toBe(39);
  });

  it("a value storage refuses fails only that court's push: the others in the same commit are stored", async () => {
    // A real refusal by PostgreSQL (a CHECK constraint), for a value no validation can foresee.
    await pool.query(
      `ALTER TABLE match_events ADD CONSTRAINT test_refuse_poison CHECK (event_data->>'text' IS DISTINCT FROM 'poison')`,
    );
    try {
      const [bad, good] = [await server.createMatch(), await server.createMatch()];
      const a = await consoleSocket();
      const b = await consoleSocket();
      const hold = await holdCommits(server.databaseUrl);
      const first = request(b, 'events:push', { matchId: good.id, epoch: 0, events: [startEvent(1)] });
      await hold.waitBlocked();
      // Both queue behind the held commit and go into the next one together.
      const poisoned = request(a, 'events:push', {
        matchId: bad.id,
        epoch: 0,
        events: [
          startEvent(1),
          { seq: 2, type: 'EVENT_ADDED', payload: { kind: 'note', text: 'poison' }, at: '2026-11-28T10:00:00Z' },
        ],
      });
      const honest = request(b, 'events:push', { matchId: good.id, epoch: 0, events: scoreEvents(2, 2) });
      await vi.waitFor(() => expect(server.pendingEvents()).toBe(5));
      await hold.release();
      expect(await first).toMatchObject({ ok: true, ackedSeq: 1 });
      expect(await poisoned).toMatchObject({ ok: false, code: 'VALIDATION' });
      expect(await honest).toMatchObject({ ok: true, ackedSeq: 3 });
      expect(await storedSeqs(good.id)).toEqual([1, 2, 3]);
      expect(await storedSeqs(bad.id)).toEqual([]);
      // The refused court carries on once it sends what storage can hold.
      expect(
        await request(a, 'events:push', { matchId: bad.id, epoch: 0, events: [startEvent(1), ...scoreEvents(2, 1)] }),
      ).toMatchObject({ ok: true, ackedSeq: 2 });
    } finally {
      await pool.query('ALTER TABLE match_events DROP CONSTRAINT test_refuse_poison');
    }
  });

  it('a commit that fails releases its acks with UNAVAILABLE, and the next commit carries on', async () => {
    const match = await server.createMatch();
    const other = await server.createMatch();
    const c = await consoleSocket();
    const d = await consoleSocket();
    expect(await request(c, 'events:push', { matchId: match.id, epoch: 0, events: [startEvent(1)] })).toMatchObject({
      ok: true,
    });
    // The commit waits on the held lock; killing its backend fails it, as a PostgreSQL crash would.
    const hold = await holdCommits(server.databaseUrl);
    const failing = request(c, 'events:push', { matchId: match.id, epoch: 0, events: scoreEvents(2, 3) });
    await hold.waitBlocked();
    await pool.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
       WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%scoredesk_commit_batch%'`,
    );
    expect(await failing).toMatchObject({ ok: false, code: 'UNAVAILABLE' });
    await hold.release();
    expect(await storedSeqs(match.id)).toEqual([1]);
    // Once storage answers again, the same events and another court's go through.
    await vi.waitFor(
      async () =>
        expect(
          await request(c, 'events:push', { matchId: match.id, epoch: 0, events: scoreEvents(2, 3) }),
        ).toMatchObject({ ok: true, ackedSeq: 4 }),
      { timeout: 10_000, interval: 100 },
    );
    expect(await request(d, 'events:push', { matchId: other.id, epoch: 0, events: [startEvent(1)] })).toMatchObject({
      ok: true,
    });
    expect(await storedSeqs(match.id)).toEqual([1, 2, 3, 4]);
  });
});
