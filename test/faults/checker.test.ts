/**
 * The checker must catch what it claims to: a lost event, an event stored twice (a
 * hole/repeat in seqs), an invented event, a viewer that missed or repeated one, and a
 * snapshot that disagrees. Each case is planted in a real PostgreSQL database.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMigrations } from '../../server/db/migrate.js';
import type { StoredEvent } from '../../shared/events.js';
import { createTestDatabase } from '../support/postgres.js';
import { checkConsistency, storedEvents, type ConsoleSource } from './harness/checker.js';
import type { RecordingViewer } from './harness/viewer.js';

let pool: pg.Pool;
let drop: () => Promise<void>;
const consoleId = randomUUID();
const AT = '2026-11-28T10:00:00.000Z';
const events = [
  { seq: 1, type: 'MATCH_START', payload: {}, at: AT },
  { seq: 2, type: 'SCORE_UPDATE', payload: { side: 'home' }, at: AT },
  { seq: 3, type: 'SCORE_UPDATE', payload: { side: 'away' }, at: AT },
] as ConsoleSource['events'];

beforeAll(async () => {
  const db = await createTestDatabase('faults_checker');
  drop = db.drop;
  await runMigrations(db.url);
  pool = new pg.Pool({ connectionString: db.url, max: 2 });
  await pool.query(`INSERT INTO courts (id) VALUES ('X')`);
  for (const id of ['m1', 'm2']) {
    await pool.query(
      `INSERT INTO matches (id, sport, court, home_name, away_name) VALUES ($1, 'generic', 'X', 'H', 'A')`,
      [id],
    );
  }
  let cursor = 0;
  const insert = (matchId: string, e: (typeof events)[number]) =>
    pool.query(
      `INSERT INTO match_events ("cursor", match_id, seq, console_id, epoch, event_type, event_data, "timestamp", at_text)
       VALUES ($1, $2, $3, $4, 0, $5, $6, $7::timestamptz, $8::text)`,
      [++cursor, matchId, e.seq, consoleId, e.type, JSON.stringify(e.payload), e.at, e.at],
    );
  for (const e of events) await insert('m1', e);
  // m2: seq 2 is missing (lost) - the console holds all three.
  await insert('m2', events[0]!);
  await insert('m2', events[2]!);
});

afterAll(async () => {
  await pool?.end();
  await drop?.();
});

const source = (matchId: string, evs = events): ConsoleSource => ({
  name: 'c',
  consoleId,
  matchId,
  events: evs,
  ackedSeq: evs.length,
  role: 'writer',
});

function fakeViewer(matchId: string, seen: StoredEvent[], violations: string[] = []): RecordingViewer {
  return {
    name: 'v',
    violations,
    matches: new Map([
      [matchId, { lastCursor: seen.at(-1)?.cursor ?? 0, events: seen, updates: 1, lastSnapshot: null }],
    ]),
  } as unknown as RecordingViewer;
}

describe('consistency checker', () => {
  it('passes a consistent world', async () => {
    const stored = await storedEvents(pool, 'm1');
    const report = await checkConsistency({
      pool,
      matchIds: ['m1'],
      consoles: [source('m1')],
      viewers: [fakeViewer('m1', stored)],
    });
    expect(report.problems).toEqual([]);
    expect(report.snapshots.m1!.home.score + report.snapshots.m1!.away.score).toBe(2);
  });

  it('reports a lost event and a seq hole', async () => {
    const report = await checkConsistency({ pool, matchIds: ['m2'], consoles: [source('m2')], viewers: [] });
    expect(report.problems.join('\n')).toMatch(/seq 2 lost/);
    expect(report.problems.join('\n')).toMatch(/not 1\.\.n/);
    expect(report.problems.join('\n')).toMatch(/acknowledged seq 2/);
  });

  it('reports an event no console recorded, and a different payload', async () => {
    const fewer = await checkConsistency({
      pool,
      matchIds: ['m1'],
      consoles: [source('m1', events.slice(0, 2))],
      viewers: [],
    });
    expect(fewer.problems.join('\n')).toMatch(/seq 3 .* held by no writing console/);
    const changed = events.map((e) =>
      e.seq === 3 ? { ...e, payload: { side: 'home' } } : e,
    ) as ConsoleSource['events'];
    const diff = await checkConsistency({ pool, matchIds: ['m1'], consoles: [source('m1', changed)], viewers: [] });
    expect(diff.problems.join('\n')).toMatch(/seq 3 stored differently/);
    expect(diff.problems.join('\n')).toMatch(/snapshot folded from console c differs/);
  });

  it("reports a viewer's missed and repeated events and its wire violations", async () => {
    const stored = await storedEvents(pool, 'm1');
    const missed = await checkConsistency({
      pool,
      matchIds: ['m1'],
      consoles: [source('m1')],
      viewers: [fakeViewer('m1', [stored[0]!, stored[0]!, stored[2]!], ['v m1: baseCursor 1 != last cursor 2'])],
    });
    const text = missed.problems.join('\n');
    expect(text).toMatch(/missed cursor 2/);
    expect(text).toMatch(/received twice/);
    expect(text).toMatch(/viewer wire: .*baseCursor/);
  });

  it('reports a refused console whose events were stored', async () => {
    const refused: ConsoleSource = { ...source('m1'), role: 'refused', name: 'intruder' };
    const report = await checkConsistency({ pool, matchIds: ['m1'], consoles: [source('m1'), refused], viewers: [] });
    expect(report.problems.join('\n')).toMatch(/refused console's seq 1 was stored/);
  });
});
