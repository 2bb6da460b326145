/**
 * Issue 12, bounded cost per message, against the real server and PostgreSQL:
 * - a court-1 scorer with a 40,000-event match pushing CORRECTIONs (500 to a push:
 *   undo/redo triples, and a chain of corrections of corrections) used to make each
 *   correction replay the whole history (seconds of event loop per push); now each
 *   costs what it changes, the pushes are acknowledged, and the stored snapshot equals
 *   the fold of the stored events;
 * - a correction reaching more than MAX_CORRECTION_REACH events back is refused (RULES);
 * - viewers repeating SUBSCRIBE_MATCH {matchId: <that match>, since: <a recent cursor>}
 *   read only the events after the cursor (never the whole match).
 * Throughout, an honest console on court 2 keeps its acks under 1 s, its events stored once.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { foldMatch } from '../../shared/domain/index.js';
import { MAX_CORRECTION_REACH } from '../../shared/domain/reducer.js';
import type { MatchSnapshot } from '../../shared/match.js';
import {
  connectSocket,
  request,
  scoreEvents,
  startEvent,
  startTestServer,
  type TestServer,
} from '../support/server.js';
import { getMatchRow, loadMatchEvents } from '../../server/store/matches.js';
import { HonestCourt } from './honest-court.js';

/** The match. */
const HISTORY = 40_000;
const PUSH = 500;

let server: TestServer;
let honest: HonestCourt;
let attacker: Socket;
let match: MatchSnapshot;
let seq = 0;
const sockets: Socket[] = [];

const at = () => new Date(Date.parse('2026-11-28T12:00:00.000Z') + seq * 10).toISOString();
const point = () => ({ seq: ++seq, type: 'SCORE_UPDATE', payload: { side: seq % 2 ? 'home' : 'away' }, at: at() });
const undo = (undoes: number) => ({ seq: ++seq, type: 'CORRECTION', payload: { undoes }, at: at() });

async function push(events: unknown[]) {
  return request(attacker, 'events:push', { matchId: match.id, epoch: 0, events }, 60_000);
}

beforeAll(async () => {
  server = await startTestServer();
  match = await server.createMatch({ court: '1' });
  attacker = await connectSocket(server.url, '/console', await server.userToken('scorer', ['1']), {
    consoleId: randomUUID(),
  });
  sockets.push(attacker);
  expect(await push([startEvent(++seq)])).toMatchObject({ ok: true });
  while (seq < HISTORY) {
    const events = scoreEvents(seq + 1, Math.min(PUSH, HISTORY - seq));
    seq += events.length;
    expect(await push(events)).toMatchObject({ ok: true, ackedSeq: seq });
  }
  honest = await HonestCourt.onCourt(server);
}, 180_000);

afterAll(async () => {
  honest?.close();
  for (const s of sockets) s.close();
  await server?.stop();
});

describe(`corrections on a ${HISTORY}-event match`, () => {
  it('pushes full of corrections are acknowledged while the honest court keeps its acks under 1 s', async () => {
    honest.start();
    for (let round = 0; round < 6; round++) {
      // Point, undo it, redo it (a correction of the correction), ... 500 events a push.
      const events = [];
      while (events.length + 3 <= PUSH) {
        const p = point();
        const u = undo(p.seq);
        events.push(p, u, undo(u.seq));
      }
      expect(await push(events)).toMatchObject({ ok: true, ackedSeq: seq });
    }
    for (let round = 0; round < 2; round++) {
      // A chain: each correction undoes the one before it (every link flips).
      const first = point();
      const events: unknown[] = [first];
      let last = first.seq;
      while (events.length < PUSH) {
        const c = undo(last);
        events.push(c);
        last = c.seq;
      }
      expect(await push(events)).toMatchObject({ ok: true, ackedSeq: seq });
    }
    await honest.stop(10);
    await honest.expectServed();
  });

  it('the stored snapshot is the fold of the stored events', async () => {
    const pool = new pg.Pool({ connectionString: server.databaseUrl, max: 1 });
    try {
      const row = await getMatchRow(pool, match.id);
      const folded = foldMatch(row!.meta, await loadMatchEvents(pool, match.id));
      const stored = (await server.http('GET', `/api/matches/${match.id}`, undefined, server.adminToken)).body;
      expect(stored).toEqual(JSON.parse(JSON.stringify(folded)));
    } finally {
      await pool.end();
    }
  });

  it(`a correction more than ${MAX_CORRECTION_REACH} events back is refused with RULES, naming the bound`, async () => {
    // A point of the seeded history, in effect, thousands of events back.
    const ack = await push([undo(HISTORY - 100)]);
    seq--;
    expect(ack).toMatchObject({ ok: false, code: 'RULES' });
    expect(ack.message).toMatch(/more than 1000 events back/);
    // Within the bound it is taken.
    const recent = point();
    expect(await push([recent, undo(recent.seq)])).toMatchObject({ ok: true, ackedSeq: seq });
  });
});

describe('SUBSCRIBE_MATCH with since', () => {
  it('reads only the events after the cursor, however often it is repeated; the honest court is not slowed', async () => {
    const viewers = await Promise.all(
      Array.from({ length: 5 }, async () => connectSocket(server.url, '/live', await server.userToken('viewer'))),
    );
    sockets.push(...viewers);
    const latest = (await request(viewers[0]!, 'SUBSCRIBE_MATCH', { matchId: match.id })).snapshot.cursor as number;
    const statements: { text: string; values: unknown[] }[] = [];
    const original = pg.Client.prototype.query;
    pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
      const q = args[0] as string | { text?: string; values?: unknown[] };
      const text = typeof q === 'string' ? q : (q?.text ?? '');
      const values = (typeof q === 'string' ? args[1] : q?.values) as unknown[] | undefined;
      if (/match_events/.test(text)) statements.push({ text, values: values ?? [] });
      return (original as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof original;
    honest.start();
    try {
      for (let round = 0; round < 40; round++) {
        const acks = await Promise.all(
          viewers.map((v, i) =>
            request(v, 'SUBSCRIBE_MATCH', { matchId: match.id, since: i === 0 ? latest - 20 : latest }),
          ),
        );
        for (const ack of acks) expect(ack).toMatchObject({ ok: true });
      }
    } finally {
      pg.Client.prototype.query = original;
    }
    await honest.stop(10);
    // Only range reads starting at the cursor asked for: no read of the whole match.
    const reads = statements.filter((s) => s.values.includes(match.id));
    expect(reads.length).toBeGreaterThan(0); // the one 20 events behind reads those 20
    for (const r of reads) {
      expect(r.text).toMatch(/"cursor" > \$2/);
      expect(r.values[1]).toBe(latest - 20);
    }
    await honest.expectServed();
  });

  it('full catch-ups (since: 0) of the long match, repeated by several viewers, never slow the honest court', async () => {
    const viewers = await Promise.all(
      Array.from({ length: 3 }, async () => connectSocket(server.url, '/live', await server.userToken('viewer'))),
    );
    sockets.push(...viewers);
    const latest = (await request(viewers[0]!, 'SUBSCRIBE_MATCH', { matchId: match.id })).snapshot.cursor as number;
    honest.start();
    for (let round = 0; round < 2; round++) {
      await Promise.all(
        viewers.map(async (v) => {
          let reached = 0;
          const done = new Promise<void>((resolve) => {
            const onUpdate = (u: { matchId: string; cursor: number }) => {
              if (u.matchId !== match.id) return;
              reached = u.cursor;
              if (reached >= latest) {
                v.off('MATCH_UPDATE', onUpdate);
                resolve();
              }
            };
            v.on('MATCH_UPDATE', onUpdate);
          });
          expect(await request(v, 'SUBSCRIBE_MATCH', { matchId: match.id, since: 0 })).toMatchObject({ ok: true });
          await done;
        }),
      );
    }
    await honest.stop(10);
    await honest.expectServed();
  });
});
