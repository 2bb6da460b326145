/**
 * Contract v1.1 sport rules through the real server and PostgreSQL: options and doubles
 * players at POST /api/matches and a console's offline create (unknown ones refused with
 * VALIDATION), the snapshot fields in GET, the feed rows and SSE, a time-out beyond the
 * allowance refused with RULES, and SCORE_OVERRIDE (reason required, correctable).
 */
import { randomUUID } from 'node:crypto';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectSocket, request, startTestServer, type TestServer } from '../../test/support/server.js';

let server: TestServer;
let scorer: string;
const sockets: Socket[] = [];
const at = (n: number) => new Date(Date.UTC(2026, 5, 1, 12, 0, n)).toISOString();

beforeAll(async () => {
  server = await startTestServer();
  scorer = await server.userToken('scorer');
});
afterAll(async () => {
  for (const s of sockets) s.close();
  await server.stop();
});

async function consoleSocket(): Promise<Socket> {
  const socket = await connectSocket(server.url, '/console', scorer, { consoleId: randomUUID() });
  sockets.push(socket);
  return socket;
}

const doublesBody = {
  sport: 'badminton',
  court: 'R1',
  home: { name: 'Home', players: ['Kim', 'Lee'] },
  away: { name: 'Away', players: ['Ota', 'Sun'] },
  options: { doubles: true, scoring: '5x11' },
};

describe('match options at creation', () => {
  it('POST /api/matches takes the options and players, and refuses unknown or foreign options', async () => {
    const created = await server.http('POST', '/api/matches', doublesBody, server.adminToken);
    expect(created.status).toBe(201);
    expect(created.body.home).toEqual({ name: 'Home', score: 0, players: ['Kim', 'Lee'] });
    expect(created.body.options).toEqual({ scoring: '5x11', doubles: true });
    const read = await server.http('GET', `/api/matches/${created.body.id}`, undefined, server.adminToken);
    expect(read.body.away.players).toEqual(['Ota', 'Sun']);
    for (const [options, field] of [
      [{ tiebreakAt: 5 }, 'tiebreakAt'],
      [{ noAd: true }, 'options.noAd'],
      [{ doubles: true, scoring: '3x21', bestOf: 4 }, 'bestOf'],
    ] as const) {
      const refused = await server.http('POST', '/api/matches', { ...doublesBody, options }, server.adminToken);
      expect(refused.status).toBe(400);
      expect(refused.body.error.code).toBe('VALIDATION');
      expect(refused.body.error.message).toContain(field);
    }
  });

  it("a console's offline create takes them too, and is refused with VALIDATION for an unknown one", async () => {
    const socket = await consoleSocket();
    const id = `offline_${randomUUID().slice(0, 8)}`;
    const events = [{ seq: 1, type: 'MATCH_START', payload: { firstServerPlayer: 'Lee' }, at: at(1) }];
    const bad = await request(socket, 'events:push', {
      matchId: id,
      epoch: 0,
      events,
      create: { ...doublesBody, id, options: { doubles: true, wind: 'calm' } },
    });
    expect(bad).toMatchObject({ ok: false, code: 'VALIDATION' });
    const good = await request(socket, 'events:push', {
      matchId: id,
      epoch: 0,
      events,
      create: { ...doublesBody, id },
    });
    expect(good).toMatchObject({ ok: true, ackedSeq: 1 });
    const snap = (await server.http('GET', `/api/matches/${id}`, undefined, server.adminToken)).body;
    expect([snap.servingPlayer, snap.receivingPlayer, snap.serviceCourt]).toEqual(['Lee', 'Ota', 'right']);
  });
});

describe('rules and overrides through the server', () => {
  it('a volleyball time-out beyond the allowance is refused with RULES; timeoutsLeft is in the snapshot', async () => {
    const match = await server.createMatch({ sport: 'volleyball', court: 'V1', options: { variant: 'beach' } });
    const socket = await consoleSocket();
    const pushed = await request(socket, 'events:push', {
      matchId: match.id,
      epoch: 0,
      events: [
        { seq: 1, type: 'MATCH_START', payload: {}, at: at(1) },
        { seq: 2, type: 'EVENT_ADDED', payload: { kind: 'timeout', side: 'home' }, at: at(2) },
      ],
    });
    expect(pushed).toMatchObject({ ok: true, ackedSeq: 2 });
    const refused = await request(socket, 'events:push', {
      matchId: match.id,
      epoch: 0,
      events: [{ seq: 3, type: 'EVENT_ADDED', payload: { kind: 'timeout', side: 'home' }, at: at(3) }],
    });
    expect(refused).toMatchObject({ ok: false, code: 'RULES' });
    expect(refused.message).toMatch(/no time-outs left/);
    const snap = (await server.http('GET', `/api/matches/${match.id}`, undefined, server.adminToken)).body;
    expect(snap.timeoutsLeft).toEqual({ home: 0, away: 1 });
  });

  it('SCORE_OVERRIDE needs a reason, sets the state, reaches feeds and SSE, and a CORRECTION restores', async () => {
    const match = await server.createMatch({ sport: 'tennis', court: 'T1', options: { finalSet: 'matchTiebreak10' } });
    const socket = await consoleSocket();
    const push = (events: unknown[]) => request(socket, 'events:push', { matchId: match.id, epoch: 0, events });
    expect(await push([{ seq: 1, type: 'MATCH_START', payload: {}, at: at(1) }])).toMatchObject({ ok: true });
    const override = (reason: string) => ({
      seq: 2,
      type: 'SCORE_OVERRIDE',
      payload: { reason, sets: [{ home: 6, away: 3 }], home: { points: 1, games: 2 }, away: { points: 0, games: 1 } },
      at: at(2),
    });
    expect(await push([override('')])).toMatchObject({ ok: false, code: 'VALIDATION' });
    expect(await push([override('console swapped, from the umpire sheet')])).toMatchObject({ ok: true, ackedSeq: 2 });
    const get = async () => (await server.http('GET', `/api/matches/${match.id}`, undefined, server.adminToken)).body;
    const after = await get();
    expect(after.sets).toEqual([{ home: 6, away: 3 }]);
    expect(after.games).toEqual({ home: 2, away: 1 });
    expect(after.overrides).toEqual([{ seq: 2, at: at(2), reason: 'console swapped, from the umpire sheet' }]);

    // The event log keeps who (console, stored user) and why (the payload).
    const log = (await server.http('GET', `/api/matches/${match.id}/events?after=0`, undefined, server.adminToken))
      .body;
    expect(log.events[1]).toMatchObject({
      type: 'SCORE_OVERRIDE',
      payload: { reason: 'console swapped, from the umpire sheet' },
    });

    const feed = (await server.http('GET', '/api/feeds/vmix?court=T1', undefined, server.adminToken)).body;
    expect(feed[0]).toMatchObject({ homeGames: 2, awayGames: 1, setsHome: 1, changeEnds: false, interval: '' });

    const stream = await fetch(`${server.url}/api/stream?court=T1`, {
      headers: { authorization: `Bearer ${server.adminToken}` },
    });
    const reader = stream.body!.getReader();
    let text = '';
    while (!text.includes('\n\n')) text += new TextDecoder().decode((await reader.read()).value);
    await reader.cancel();
    const data = JSON.parse(/data: (.*)/.exec(text)![1]!);
    expect(data).toMatchObject({ id: match.id, overrides: [{ seq: 2 }], timeoutsLeft: null, changeEnds: false });

    expect(await push([{ seq: 3, type: 'CORRECTION', payload: { undoes: 2 }, at: at(3) }])).toMatchObject({ ok: true });
    const restored = await get();
    expect(restored.sets).toEqual([]);
    expect(restored.games).toEqual({ home: 0, away: 0 });
    expect(restored.overrides).toEqual([]);
  });
});
