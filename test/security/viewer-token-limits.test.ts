/**
 * Issue 12, item 8: 50 /live sockets on one leaked viewer token locked the genuine overlay
 * out with RATE_LIMITED (connections and messages counted per user, and every graphics
 * token of a label was one "user"). Now each minted token is counted on its own: the
 * leaked one is capped (the newest beyond the cap refused) and rate-limited on its own,
 * another overlay's token (even with the same label) connects and is served, the court
 * wall's GET /api/tokens shows which token holds how many sockets, and revoking the leaked
 * one ends all of them. Real server and PostgreSQL, an honest court pushing throughout.
 */
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connectSocket,
  recordUpdates,
  request,
  scoreEvents,
  startEvent,
  startTestServer,
  type TestServer,
} from '../support/server.js';
import { HonestCourt } from './honest-court.js';

/** The per-token cap under test (the contract's minimum for the per-user cap). */
const CAP = 10;
const LABEL = 'vMix truck';
/** The lowest per-user (now per-token) message rate the settings allow; the flood goes beyond it. */
const USER_RATE = 100;

let server: TestServer;
let honest: HonestCourt;
const sockets: Socket[] = [];

beforeAll(async () => {
  server = await startTestServer({
    config: { security: { maxConnectionsPerUser: CAP, userMessagesPerSecond: USER_RATE } },
  });
  honest = await HonestCourt.onCourt(server);
});
afterAll(async () => {
  for (const s of sockets) s.close();
  honest?.close();
  await server?.stop();
});

async function mint(): Promise<{ token: string; tokenId: string }> {
  const res = await server.http('POST', '/api/viewer-tokens', { label: LABEL }, server.adminToken);
  expect(res.status).toBe(201);
  return res.body as { token: string; tokenId: string };
}

describe('graphics tokens are limited per token', () => {
  it('a leaked token at its cap and flooding locks out neither another overlay’s token nor an honest court', async () => {
    const leaked = await mint();
    const genuine = await mint();
    honest.start();
    const attack = await Promise.all(
      Array.from({ length: CAP }, () => connectSocket(server.url, '/live', leaked.token)),
    );
    sockets.push(...attack);
    // The newest beyond the cap is refused, on that token only.
    await expect(connectSocket(server.url, '/live', leaked.token)).rejects.toThrow('RATE_LIMITED');
    const listed = (await server.http('GET', '/api/tokens', undefined, server.adminToken)).body as {
      tokenId: string;
      subject: string;
      kind: string;
      sockets: number;
    }[];
    expect(listed.find((t) => t.tokenId === leaked.tokenId)).toMatchObject({
      subject: `viewer:${LABEL}`,
      kind: 'viewer',
      sockets: CAP,
    });

    // The attacker floods messages on every socket of the leaked token (each under its own socket limit).
    const flood = attack.flatMap((s) =>
      Array.from({ length: 30 }, () =>
        request(s, 'SUBSCRIBE_COURTS', { courts: ['nowhere'] }, 5_000).catch(() => ({ ok: false })),
      ),
    );
    const overlay = await connectSocket(server.url, '/live', genuine.token);
    sockets.push(overlay);
    const match = await server.createMatch({ court: 'Main' });
    const updates = recordUpdates(overlay);
    expect(await request(overlay, 'SUBSCRIBE_MATCH', { matchId: match.id })).toMatchObject({ ok: true });
    const scorer = await connectSocket(server.url, '/console', await server.userToken('scorer', ['Main']));
    sockets.push(scorer);
    await request(scorer, 'events:push', {
      matchId: match.id,
      epoch: 0,
      events: [startEvent(1), ...scoreEvents(2, 2)],
    });
    await updates.waitForSeq(match.id, 3);
    const answers = (await Promise.all(flood)) as { ok: boolean; code?: string }[];
    // The flood did hit the leaked token's own message limit...
    expect(answers.some((a) => a.code === 'RATE_LIMITED')).toBe(true);
    // ...and the genuine overlay was never refused.
    expect(await request(overlay, 'SUBSCRIBE_MATCH', { matchId: match.id })).toMatchObject({ ok: true });
    const again = (await server.http('GET', '/api/tokens', undefined, server.adminToken)).body as typeof listed;
    expect(again.find((t) => t.tokenId === genuine.tokenId)).toMatchObject({ kind: 'viewer', sockets: 1 });

    // The director revokes the leaked link: every one of its sockets ends, the genuine one stays.
    // (A socket the flood got disconnected for abuse is gone already.)
    const gone = Promise.all(
      attack.filter((s) => s.connected).map((s) => new Promise((resolve) => s.once('disconnect', resolve))),
    );
    expect(
      (await server.http('POST', '/api/tokens/revoke', { tokenId: leaked.tokenId }, server.adminToken)).status,
    ).toBe(200);
    await gone;
    await expect(connectSocket(server.url, '/live', leaked.token)).rejects.toThrow('UNAUTHORIZED');
    expect((await fetch(`${server.url}/api/feeds/vmix?token=${leaked.token}`)).status).toBe(401);
    expect(overlay.connected).toBe(true);
    expect((await fetch(`${server.url}/api/feeds/vmix?token=${genuine.token}`)).status).toBe(200);
    await honest.stop(10);
    await honest.expectServed();
  });
});
