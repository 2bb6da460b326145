/**
 * Long catch-ups page between the snapshot checkpoints the commit stores (issue 12: a
 * SUBSCRIBE_MATCH with `since` reads only what follows the cursor), against the real
 * server and PostgreSQL: a 5,000-event match with corrections across checkpoints, caught
 * up from the middle, gives exactly the stored events after the cursor, none twice, each
 * page with the snapshot of a full fold as of its last event; the reads start at the
 * cursor; a match without checkpoints (stored before the migration) still replays.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { foldMatch } from '../../shared/domain/index.js';
import type { StoredEvent } from '../../shared/events.js';
import type { MatchSnapshot } from '../../shared/match.js';
import { LIMITS } from '../../shared/protocol.js';
import { connectSocket, request, startTestServer, type TestServer } from '../../test/support/server.js';
import { CHECKPOINT_EVENTS } from '../store/checkpoints.js';
import { getMatchRow, loadMatchEvents } from '../store/matches.js';
import { readCatchUp, type EventsReadHook } from './catch-up.js';

const HISTORY = 5_000;
const PUSH = LIMITS.MAX_EVENTS_PER_PUSH;

let server: TestServer;
let pool: pg.Pool;
let match: MatchSnapshot;
let stored: StoredEvent[];
let seq = 0;
const sockets: Socket[] = [];

const at = () => new Date(Date.parse('2026-11-28T12:00:00.000Z') + seq * 10).toISOString();
const point = () => ({ seq: ++seq, type: 'SCORE_UPDATE', payload: { side: seq % 3 ? 'home' : 'away' }, at: at() });
const undo = (undoes: number) => ({ seq: ++seq, type: 'CORRECTION', payload: { undoes }, at: at() });

/** The snapshot a replay gives as of `cursor`: the fold of the stored events up to it. */
function foldAt(cursor: number): MatchSnapshot {
  const meta = matchMeta!;
  return {
    ...foldMatch(
      meta,
      stored.filter((e) => e.cursor <= cursor),
    ),
    cursor,
    epoch: 0,
  };
}
let matchMeta: Parameters<typeof foldMatch>[0] | undefined;

beforeAll(async () => {
  server = await startTestServer();
  pool = new pg.Pool({ connectionString: server.databaseUrl, max: 2 });
  match = await server.createMatch({ court: '1' });
  const scorer = await connectSocket(server.url, '/console', await server.userToken('scorer', ['1']), {
    consoleId: randomUUID(),
  });
  sockets.push(scorer);
  const push = (events: unknown[]) => request(scorer, 'events:push', { matchId: match.id, epoch: 0, events }, 60_000);
  expect(await push([{ seq: ++seq, type: 'MATCH_START', payload: {}, at: at() }])).toMatchObject({ ok: true });
  while (seq < HISTORY) {
    // Each push starts by correcting the last events of the previous one, which a
    // checkpoint stored with that push covers: a correction of a correction, and one undo.
    const events: unknown[] = [];
    if (seq > PUSH) {
      const c = undo(seq - 1);
      events.push(c, undo(c.seq), undo(seq - 4));
    }
    while (events.length < PUSH && seq < HISTORY) events.push(point());
    expect(await push(events)).toMatchObject({ ok: true, ackedSeq: seq });
  }
  stored = await loadMatchEvents(pool, match.id);
  matchMeta = (await getMatchRow(pool, match.id))!.meta;
}, 120_000);

afterAll(async () => {
  for (const s of sockets) s.close();
  await pool?.end();
  await server?.stop();
});

describe(`catch-up of a ${HISTORY}-event match from the middle`, () => {
  it('the commit stores a checkpoint each CHECKPOINT_EVENTS events, with the snapshot of the fold there', async () => {
    const { rows: fn } = await pool.query<{ def: string }>(
      `SELECT pg_get_functiondef('scoredesk_commit_batch'::regproc) AS def`,
    );
    expect(Number(/checkpoint_events CONSTANT integer := (\d+)/.exec(fn[0]!.def)?.[1])).toBe(CHECKPOINT_EVENTS);
    const { rows } = await pool.query<{ cursor: string; seq: number; snapshot: MatchSnapshot }>(
      `SELECT "cursor", seq, snapshot FROM match_snapshot_checkpoints WHERE match_id = $1 ORDER BY "cursor"`,
      [match.id],
    );
    expect(rows.length).toBe(Math.floor(stored.length / CHECKPOINT_EVENTS));
    for (const row of rows) expect(row.snapshot).toEqual(foldAt(Number(row.cursor)));
  });

  it('SUBSCRIBE_MATCH since the middle delivers exactly the events after it, each page with its snapshot', async () => {
    const viewer = await connectSocket(server.url, '/live', await server.userToken('viewer'));
    sockets.push(viewer);
    const since = stored[1_234]!.cursor;
    const latest = stored[stored.length - 1]!.cursor;
    const updates: { baseCursor: number; cursor: number; events: StoredEvent[]; snapshot: MatchSnapshot }[] = [];
    const done = new Promise<void>((resolve) => {
      viewer.on('MATCH_UPDATE', (u) => {
        if (u.matchId !== match.id) return;
        updates.push(u);
        if (u.cursor >= latest) resolve();
      });
    });
    expect(await request(viewer, 'SUBSCRIBE_MATCH', { matchId: match.id, since })).toMatchObject({ ok: true });
    await done;
    expect(updates.flatMap((u) => u.events.map((e) => e.cursor))).toEqual(
      stored.filter((e) => e.cursor > since).map((e) => e.cursor),
    );
    expect(updates.length).toBeGreaterThan(2);
    let position = since;
    for (const u of updates) {
      expect(u.baseCursor).toBe(position);
      expect(u.events.length).toBeLessThanOrEqual(LIMITS.MAX_PAGE_EVENTS);
      expect(u.snapshot).toEqual(foldAt(u.cursor));
      position = u.cursor;
    }
  });

  it('reads only events after the cursor, at most a page more than it delivers', async () => {
    const since = stored[2_345]!.cursor;
    const latest = stored[stored.length - 1]!.cursor;
    const reads: Parameters<EventsReadHook>[0][] = [];
    const pages = await readCatchUp(pool, match.id, since, latest, foldAt(latest), (r) => reads.push(r));
    const after = stored.filter((e) => e.cursor > since);
    expect(pages.flatMap((p) => p.events.map((e) => e.cursor))).toEqual(after.map((e) => e.cursor));
    for (const p of pages) expect(p.snapshot).toEqual(foldAt(p.events[p.events.length - 1]!.cursor));
    expect(reads.every((r) => r.after >= since)).toBe(true);
    const read = reads.reduce((n, r) => n + r.events, 0);
    expect(read).toBeLessThanOrEqual(after.length + LIMITS.MAX_PAGE_EVENTS + 1);
  });

  it('a match without checkpoints (stored before the migration) is replayed from the start, same events', async () => {
    const since = stored[2_345]!.cursor;
    const latest = stored[stored.length - 1]!.cursor;
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('DELETE FROM match_snapshot_checkpoints WHERE match_id = $1', [match.id]);
      const reads: Parameters<EventsReadHook>[0][] = [];
      const pool1 = { query: client.query.bind(client) } as unknown as pg.Pool;
      const pages = await readCatchUp(pool1, match.id, since, latest, foldAt(latest), (r) => reads.push(r));
      expect(pages.flatMap((p) => p.events.map((e) => e.cursor))).toEqual(
        stored.filter((e) => e.cursor > since).map((e) => e.cursor),
      );
      for (const p of pages) expect(p.snapshot).toEqual(foldAt(p.events[p.events.length - 1]!.cursor));
      expect(reads).toContainEqual({ after: 0, events: stored.length });
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  });
});
