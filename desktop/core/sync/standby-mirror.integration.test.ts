/**
 * The hot standby's mirror is incremental, against a real server and PostgreSQL: after the
 * first pull (the whole history), each match:pull asks for the events after the last stored
 * cursor, so a long match costs its new events, not its whole history, every 500 ms. What
 * crossed the wire is read from the server's own counters (GET /metrics). The takeover after
 * such a mirror continues from the last stored seq.
 */
import { randomUUID } from 'node:crypto';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { LIMITS } from '../../../shared/protocol.js';
import type { MatchSnapshot } from '../../../shared/match.js';
import { adminToken } from '../../../test/faults/harness/api.js';
import { call } from '../../../test/support/api-client.js';
import { drained, scorePoints, SyncRig, waitForView } from '../../../test/support/console-rig.js';
import { connectSocket, request, scoreEvents, startEvent } from '../../../test/support/server.js';

/** Long enough that a whole-history pull takes several pages (LIMITS.MAX_PAGE_EVENTS each). */
const LONG = 3 * LIMITS.MAX_PAGE_EVENTS;
/** Points scored while the standby mirrors, one push each. */
const NEW = 4;
/** Pulls with nothing new seen after the last point (each must carry no event). */
const IDLE_PULLS = 4;
const WAIT = 30_000;

let rig: SyncRig;
let admin: string;
let primary: Socket | undefined;
beforeAll(async () => {
  rig = await SyncRig.start('standbymirror');
  admin = await adminToken(rig.server.url);
});
afterAll(async () => {
  primary?.close();
  await rig?.close();
});

/** The server's counters of match:pull answers and the stored events they carried. */
async function pullCounters(): Promise<{ pulls: number; events: number }> {
  const text = await (await fetch(`${rig.server.url}/metrics`)).text();
  const read = (name: string) => Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(text)?.[1] ?? NaN);
  return { pulls: read('scoredesk_match_pulls_total'), events: read('scoredesk_match_pull_events_total') };
}

async function push(socket: Socket, matchId: string, events: unknown[]): Promise<void> {
  for (let i = 0; i < events.length; i += LIMITS.MAX_EVENTS_PER_PUSH) {
    const chunk = events.slice(i, i + LIMITS.MAX_EVENTS_PER_PUSH);
    expect(await request(socket, 'events:push', { matchId, epoch: 0, events: chunk })).toMatchObject({ ok: true });
  }
}

describe('hot standby mirror', () => {
  it('pulls only the events after its last stored cursor, then takes over from the last seq', async () => {
    const match = await call<MatchSnapshot>(rig.server.url, 'POST', '/api/matches', admin, {
      sport: 'generic',
      court: 'C1',
      home: { name: 'Home' },
      away: { name: 'Away' },
    });
    primary = await connectSocket(rig.server.url, '/console', admin, { consoleId: randomUUID() });
    await push(primary, match.id, [startEvent(1), ...scoreEvents(2, LONG - 1, 'home')]);

    const standby = await rig.core();
    await waitForView(standby, (v) => v.sync.state === 'live', WAIT, 'standby online');
    await waitForView(standby, (v) => v.schedule.some((s) => s.meta.id === match.id), WAIT, 'standby schedule');
    const before = await pullCounters();
    expect(await standby.run('standbyMatch', { matchId: match.id })).toMatchObject({ ok: true });
    await waitForView(standby, (v) => v.snapshot?.seq === LONG, WAIT, 'standby mirrored the long match');
    const opened = await pullCounters();
    // The first pull carries the whole history.
    expect(opened.events - before.events).toBeGreaterThanOrEqual(LONG);

    for (let i = 1; i <= NEW; i++) {
      await push(primary, match.id, scoreEvents(LONG + i, 1, 'away'));
      await waitForView(standby, (v) => v.snapshot?.seq === LONG + i, WAIT, `standby mirrored point ${i}`);
    }
    // Enough pulls that the standby has asked again and again, most of them with nothing new.
    await vi.waitFor(
      async () => expect((await pullCounters()).pulls - opened.pulls).toBeGreaterThanOrEqual(NEW + IDLE_PULLS),
      { timeout: WAIT, interval: 100 },
    );
    const mirrored = await pullCounters();
    // Every pull after the first together carried exactly the new events: each once, no history again.
    expect(mirrored.events - opened.events).toBe(NEW);
    const view = await standby.view();
    expect(view.snapshot).toMatchObject({ home: { score: LONG - 1 }, away: { score: NEW } });
    expect(view.info).toMatchObject({ role: 'standby', writable: false });

    await waitForView(standby, (v) => v.info.primaryOnline === true, WAIT, 'primary online on the standby');
    // The primary drops; the standby takes over (a fenced claim) and scores on from the last stored seq.
    primary.close();
    await waitForView(standby, (v) => v.info.primaryOnline === false, WAIT, 'primary offline on the standby');
    expect(await standby.run('claimMatch', { matchId: match.id })).toMatchObject({ ok: true });
    await scorePoints(standby, 'away');
    const done = await waitForView(standby, drained, WAIT, 'standby drained');
    expect(done.snapshot).toMatchObject({ seq: LONG + NEW + 1, away: { score: NEW + 1 } });
    const rows = await rig.stored(match.id);
    expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: LONG + NEW + 1 }, (_, i) => i + 1));
    expect(rows.at(-1)).toMatchObject({ console_id: standby.consoleId, epoch: 1 });
  });
});
