/**
 * A partner's client nobody here wrote, Debian's python-socketio, against the real server
 * and PostgreSQL: the handshake refusals name the real problem, a /live viewer subscribes
 * and follows a match pushed by a python /console client (contract v1: events:push only),
 * learns within a second when that console drops, and resends that differ only in form are
 * acknowledged while a real difference is refused with CONFLICT.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { connectPython, pythonRefusal, type PythonClient } from '../../test/support/python-client.js';
import { startTestServer, type TestServer } from '../../test/support/server.js';

/** The promise to viewers: they learn of a console's drop within a second. */
const FRESHNESS_DEADLINE_MS = 1_000;
const WAIT = { timeout: 5_000, interval: 10 };

let server: TestServer;
let viewer: string;
let scorer: string;
const clients: PythonClient[] = [];

beforeAll(async () => {
  server = await startTestServer();
  viewer = await server.userToken('viewer');
  scorer = await server.userToken('scorer');
}, 60_000);

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await server?.stop();
});

async function python(options: Parameters<typeof connectPython>[0]): Promise<PythonClient> {
  const client = await connectPython(options);
  clients.push(client);
  return client;
}

describe('python-socketio handshakes', () => {
  const live = () => ({ url: server.url, namespace: '/live' as const, transports: ['websocket' as const] });

  it('no auth at all, or a bad token: UNAUTHORIZED', async () => {
    expect(await pythonRefusal(live())).toMatchObject({
      code: 'UNAUTHORIZED',
      message: expect.stringContaining('no token'),
    });
    expect(await pythonRefusal({ ...live(), auth: { token: 'nope', protocol: 1 } })).toMatchObject({
      code: 'UNAUTHORIZED',
    });
    // A wrong token is UNAUTHORIZED even when the protocol is missing too.
    expect(await pythonRefusal({ ...live(), auth: { token: 'nope' } })).toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('a token in an Authorization: Bearer header is accepted', async () => {
    const client = await python({ ...live(), auth: { protocol: 1 }, headers: { Authorization: `Bearer ${viewer}` } });
    expect(client.messages[0]).toMatchObject({ type: 'connect', transport: 'websocket' });
    await client.close();
  });

  it('a missing or unsupported protocol: PROTOCOL with the supported range; "1" is 1', async () => {
    const missing = await pythonRefusal({ ...live(), auth: { token: viewer } });
    expect(missing.code).toBe('PROTOCOL');
    expect(missing.message).toContain('supported: 1');
    const two = await pythonRefusal({ ...live(), auth: { token: viewer, protocol: 2 } });
    expect(two).toMatchObject({ code: 'PROTOCOL', message: expect.stringContaining('supported: 1') });
    const asString = await python({ ...live(), auth: { token: viewer, protocol: '1' } });
    await asString.close();
  });

  it('/console without a valid consoleId: VALIDATION at connect (over long polling too)', async () => {
    for (const transports of [['websocket'], ['polling']] as const) {
      const base = { url: server.url, namespace: '/console' as const, transports: [...transports] };
      expect(await pythonRefusal({ ...base, auth: { token: scorer, protocol: 1 } })).toMatchObject({
        code: 'VALIDATION',
        message: expect.stringContaining('consoleId'),
      });
      expect(
        await pythonRefusal({ ...base, auth: { token: scorer, protocol: 1, consoleId: 'console-7' } }),
      ).toMatchObject({ code: 'VALIDATION', message: 'consoleId: not a UUID' });
    }
  });
});

describe('a python viewer following a match pushed by a python console', () => {
  it('subscribes, receives the updates, learns of the drop within a second; identity by canonical content', async () => {
    const court = `PY-${randomUUID().slice(0, 8)}`;
    const matchId = (await server.createMatch({ court })).id;
    const watcher = await python({ url: server.url, namespace: '/live', auth: { token: viewer, protocol: 1 } });
    const subscribed = await watcher.emit('SUBSCRIBE_MATCH', { matchId });
    expect(subscribed).toMatchObject({ ok: true, snapshot: { id: matchId }, freshness: { consoleOnline: false } });
    expect(subscribed.freshness.verified).toBeNull();

    const console = await python({
      url: server.url,
      namespace: '/console',
      auth: { token: scorer, protocol: 1, consoleId: randomUUID() },
      transports: ['websocket'],
    });
    const events = [
      { seq: 1, type: 'MATCH_START', payload: {}, at: '2026-01-01T11:00:00.000Z' },
      { seq: 2, type: 'SCORE_UPDATE', payload: { side: 'home' }, at: '2026-01-01T11:00:01.000Z' },
    ];
    expect(await console.emit('events:push', { matchId, epoch: 0, events })).toMatchObject({ ok: true, ackedSeq: 2 });
    await vi.waitFor(() => {
      const updates = watcher.events('MATCH_UPDATE').filter((u) => u.matchId === matchId);
      expect(updates.flatMap((u) => u.events.map((e: { seq: number }) => e.seq))).toEqual([1, 2]);
      expect(updates.at(-1).freshness).toMatchObject({ consoleOnline: true, verified: null });
      expect(updates.at(-1).snapshot.home.score).toBe(1);
    }, WAIT);

    // The same events in another form: other offset and precision, the default spelled out, keys reordered.
    const sameInOtherForm = [
      { at: '2026-01-01T12:00:00+01:00', payload: { firstServer: 'home' }, type: 'MATCH_START', seq: 1 },
      { seq: 2, type: 'SCORE_UPDATE', payload: { points: 1, side: 'home' }, at: '2026-01-01T11:00:01Z' },
    ];
    expect(await console.emit('events:push', { matchId, epoch: 0, events: sameInOtherForm })).toMatchObject({
      ok: true,
      ackedSeq: 2,
    });
    const changed = [{ seq: 2, type: 'SCORE_UPDATE', payload: { side: 'away' }, at: '2026-01-01T11:00:01Z' }];
    expect(await console.emit('events:push', { matchId, epoch: 0, events: changed })).toEqual({
      ok: false,
      code: 'CONFLICT',
      message: 'events.0: seq 2 differs from the stored event',
    });
    const stored = await server.http('GET', `/api/matches/${matchId}/events?after=0`, undefined, viewer);
    expect(stored.body.events.map((e: { seq: number }) => e.seq)).toEqual([1, 2]);

    const courtUpdates = () => watcher.events('COURT_UPDATE').filter((m) => m.snapshot.id === matchId && m.freshness);
    const before = courtUpdates().length;
    const dropped = Date.now();
    await console.close();
    await vi.waitFor(() => expect(courtUpdates().length).toBe(before + 1), WAIT);
    const learnedAfter = Date.now() - dropped;
    expect(courtUpdates().at(-1)).toMatchObject({ court, freshness: { consoleOnline: false, verified: null } });
    expect(learnedAfter).toBeLessThan(FRESHNESS_DEADLINE_MS);
  });
});
