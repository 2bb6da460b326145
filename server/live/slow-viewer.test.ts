/**
 * A viewer that never reads is dropped (bounded memory) while a viewer that reads gets
 * the same long catch-up in full: catch-up waits for each page to be taken.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { metaFromCreate } from '../../shared/match.js';
import { insertMatch, newMatchId } from '../store/matches.js';
import { connectSocket, startTestServer, type TestServer } from '../../test/support/server.js';
import { until } from '../../test/support/wait.js';

/** Enough catch-up bytes (~20 MB) to fill loopback socket buffers of a reader that stopped reading. */
const HISTORY_EVENTS = 60_000;

let server: TestServer;
let pool: pg.Pool;

beforeAll(async () => {
  server = await startTestServer({ config: { liveDrainTimeoutMs: 1_500 } });
  pool = new pg.Pool({ connectionString: server.databaseUrl, max: 2 });
});

afterAll(async () => {
  await pool.end();
  await server.stop();
});

async function droppedViewers(): Promise<number> {
  const text = (await server.http('GET', '/metrics')).body as string;
  const line = text.split('\n').find((l) => l.startsWith('scoredesk_live_dropped_total '));
  return line ? Number(line.split(' ')[1]) : 0;
}

it('drops a viewer that stops reading during a long catch-up; a reading viewer gets everything', async () => {
  // A match and a long history written straight to storage, as if written before this
  // server started (the path under test is the read side).
  const match = (await insertMatch(
    pool,
    metaFromCreate({ id: newMatchId(), sport: 'generic', court: 'slow', home: { name: 'H' }, away: { name: 'A' } }),
    null,
  ))!;
  const consoleId = randomUUID();
  const { rows } = await pool.query('UPDATE event_cursor SET value = value + $1 RETURNING value', [HISTORY_EVENTS]);
  const first = Number(rows[0].value) - HISTORY_EVENTS;
  await pool.query(
    `INSERT INTO match_events ("cursor", match_id, seq, console_id, epoch, event_type, event_data, "timestamp", at_text)
     SELECT $1 + g, $2, g, $3, 0,
            CASE WHEN g = 1 THEN 'MATCH_START' ELSE 'EVENT_ADDED' END,
            CASE WHEN g = 1 THEN '{}'::jsonb ELSE jsonb_build_object('kind', 'note', 'text', repeat('n', 200)) END,
            '2026-11-28T10:00:00Z', '2026-11-28T10:00:00.000Z'
     FROM generate_series(1, $4::int) AS g`,
    [first, match.id, consoleId, HISTORY_EVENTS],
  );
  // ... and the statistics a commit updates with them, so the server knows where the match is.
  await pool.query(
    `UPDATE match_statistics SET last_seq = $2, last_cursor = $3, event_count = $2,
       snapshot = jsonb_set(jsonb_set(snapshot, '{cursor}', to_jsonb($3::bigint)), '{seq}', to_jsonb($2::int))
     WHERE match_id = $1`,
    [match.id, HISTORY_EVENTS, first + HISTORY_EVENTS],
  );

  const slow = await connectSocket(server.url, '/live', server.adminToken);
  const ws = (slow.io.engine.transport as unknown as { ws: { _socket: { pause(): void } } }).ws;
  const reader = await connectSocket(server.url, '/live', server.adminToken);
  let received = 0;
  let lastSeq = 0;
  let ordered = true;
  reader.on('MATCH_UPDATE', (u: { events: { seq: number }[] }) => {
    for (const e of u.events) {
      if (e.seq !== lastSeq + 1) ordered = false;
      lastSeq = e.seq;
      received++;
    }
  });

  ws._socket.pause();
  slow.emit('SUBSCRIBE_MATCH', { matchId: match.id, since: 0 });
  reader.emit('SUBSCRIBE_MATCH', { matchId: match.id, since: 0 });

  await until(
    async () => (await droppedViewers()) >= 1 && received >= HISTORY_EVENTS,
    () => `the slow viewer dropped and the reader at ${HISTORY_EVENTS} (has ${received})`,
    45_000,
  );
  expect(await droppedViewers()).toBe(1);
  expect(received).toBe(HISTORY_EVENTS);
  expect(ordered).toBe(true);
  expect(reader.connected).toBe(true);
  slow.close();
  reader.close();
});
