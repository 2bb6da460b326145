/**
 * What the real server sends passes the schemas clients check it with (shared/api.ts,
 * shared/protocol/down.ts), for every HTTP answer and Socket.io ack and message: a schema
 * stricter than the server would make honest consoles and overlays refuse honest data.
 * Parsed with `.strict()` copies too, so a field the server sends that no schema names
 * fails here instead of being dropped unseen by clients.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  courtBoardSchema,
  courtDetailSchema,
  createdUserSchema,
  deviceTokenReplySchema,
  directorSettingsSchema,
  eventPageSchema,
  feedRowSchema,
  handoverReplySchema,
  healthSchema,
  loginReplySchema,
  matchAuditSchema,
  matchListSchema,
  presenceListSchema,
  tokenListSchema,
  tokenRevokedSchema,
  userUpdatedSchema,
  viewerTokenReplySchema,
} from '../../shared/api.js';
import {
  claimAckSchema,
  CONSOLE_NOTICES,
  describeZodError,
  httpErrorSchema,
  LIVE_NOTICES,
  matchSnapshotSchema,
  pullAckSchema,
  pushAckSchema,
  scheduleAckSchema,
  simpleAckSchema,
  subscribeAckSchema,
  subscribeCourtsAckSchema,
  timeSyncAckSchema,
} from '../../shared/protocol.js';
import {
  connectSocket,
  request,
  scoreEvents,
  startEvent,
  startTestServer,
  type TestServer,
} from '../../test/support/server.js';
import { until } from '../../test/support/wait.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server?.stop());

/** Passes `schema`, and no field of it goes unnamed (the value survives parsing unchanged). */
function expectAnswer(schema: z.ZodType, value: unknown, what: string): void {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new Error(`${what}: ${describeZodError(parsed.error)} in ${JSON.stringify(value)}`);
  expect(parsed.data, `${what}: a field no schema names was dropped`).toEqual(value);
}

describe('every answer passes its schema', () => {
  it('HTTP: login, users, matches, events, handover, presence, tokens, feeds, courts, audit, health', async () => {
    const admin = server.adminToken;
    const login = await server.http('POST', '/api/auth/login', { username: 'admin', password: 'admin-password-1' });
    expectAnswer(loginReplySchema, login.body, 'login');
    const user = await server.http(
      'POST',
      '/api/users',
      { username: 'answers', password: 'password-123', role: 'scorer', courts: ['A1'] },
      admin,
    );
    expectAnswer(createdUserSchema, user.body, 'POST /api/users');
    expectAnswer(
      userUpdatedSchema,
      (await server.http('PATCH', '/api/users/answers', { disabled: false }, admin)).body,
      'PATCH user',
    );

    const created = await server.http(
      'POST',
      '/api/matches',
      { sport: 'tennis', court: 'A1', home: { name: 'H' }, away: { name: 'A' }, options: { bestOf: 3 } },
      admin,
    );
    expect(created.status).toBe(201);
    expectAnswer(matchSnapshotSchema, created.body, 'POST /api/matches');
    const matchId = (created.body as { id: string }).id;

    // A console scores, so the reads below carry events, freshness and presence.
    const consoleId = randomUUID();
    const desk = await connectSocket(server.url, '/console', admin, { consoleId });
    expectAnswer(
      simpleAckSchema,
      await request(desk, 'presence:report', {
        court: 'A1',
        matchId,
        pending: 0,
        lastConfirmedAt: null,
        state: 'live',
        battery: { level: 0.5, charging: false },
        rttMs: 12,
        clockOffsetMs: -3,
        appVersion: '1.0.0',
      }),
      'presence:report ack',
    );
    expectAnswer(
      pushAckSchema,
      await request(desk, 'events:push', { matchId, epoch: 0, events: [startEvent(1), ...scoreEvents(2, 3)] }),
      'events:push ack',
    );

    expectAnswer(
      matchListSchema,
      (await server.http('GET', '/api/matches', undefined, admin)).body,
      'GET /api/matches',
    );
    expectAnswer(
      matchSnapshotSchema,
      (await server.http('GET', `/api/matches/${matchId}`, undefined, admin)).body,
      'GET match',
    );
    expectAnswer(
      eventPageSchema,
      (await server.http('GET', `/api/matches/${matchId}/events?after=0`, undefined, admin)).body,
      'events page',
    );
    expectAnswer(presenceListSchema, (await server.http('GET', '/api/presence', undefined, admin)).body, 'presence');
    expectAnswer(tokenListSchema, (await server.http('GET', '/api/tokens', undefined, admin)).body, 'GET /api/tokens');
    const device = await server.http('POST', '/api/auth/device-token', { consoleId }, admin);
    expectAnswer(deviceTokenReplySchema, device.body, 'device token');
    const viewer = await server.http('POST', '/api/viewer-tokens', { label: 'answers', court: 'A1' }, admin);
    expectAnswer(viewerTokenReplySchema, viewer.body, 'viewer token');
    expectAnswer(
      tokenRevokedSchema,
      (
        await server.http(
          'POST',
          '/api/tokens/revoke',
          { tokenId: (device.body as { tokenId: string }).tokenId },
          admin,
        )
      ).body,
      'revoke',
    );
    expectAnswer(z.array(feedRowSchema), (await server.http('GET', '/api/feeds/vmix', undefined, admin)).body, 'vmix');
    expectAnswer(courtBoardSchema, (await server.http('GET', '/api/courts', undefined, admin)).body, 'courts');
    expectAnswer(courtDetailSchema, (await server.http('GET', '/api/courts/A1', undefined, admin)).body, 'court');
    expectAnswer(
      directorSettingsSchema,
      (await server.http('GET', '/api/director/settings', undefined, admin)).body,
      'director settings',
    );
    expectAnswer(
      handoverReplySchema,
      (await server.http('POST', `/api/matches/${matchId}/handover`, { consoleId }, admin)).body,
      'handover',
    );
    expectAnswer(
      matchAuditSchema,
      (await server.http('GET', `/api/matches/${matchId}/audit`, undefined, admin)).body,
      'audit',
    );
    expectAnswer(healthSchema, (await server.http('GET', '/healthz')).body, 'healthz');
    expectAnswer(httpErrorSchema, (await server.http('GET', '/api/matches/nope', undefined, admin)).body, 'an error');
    desk.close();
  });

  it('Socket.io: every /console ack and notice, every /live ack and update', async () => {
    const admin = server.adminToken;
    const match = await server.createMatch({ court: 'S1' });
    const consoleId = randomUUID();
    const desk = await connectSocket(server.url, '/console', admin, { consoleId });
    const live = await connectSocket(server.url, '/live', admin);
    const seen = new Map<string, unknown[]>();
    for (const event of Object.keys(LIVE_NOTICES))
      live.on(event, (msg: unknown) => seen.set(event, [...(seen.get(event) ?? []), msg]));
    for (const event of Object.keys(CONSOLE_NOTICES))
      desk.on(event, (msg: unknown) => seen.set(event, [...(seen.get(event) ?? []), msg]));

    expectAnswer(subscribeAckSchema, await request(live, 'SUBSCRIBE_MATCH', { matchId: match.id }), 'SUBSCRIBE_MATCH');
    expectAnswer(
      subscribeCourtsAckSchema,
      await request(live, 'SUBSCRIBE_COURTS', { courts: ['S1'] }),
      'SUBSCRIBE_COURTS',
    );
    expectAnswer(timeSyncAckSchema, await request(live, 'time:sync', {}), 'time:sync (/live)');
    expectAnswer(timeSyncAckSchema, await request(desk, 'time:sync', {}), 'time:sync (/console)');
    expectAnswer(scheduleAckSchema, await request(desk, 'schedule:list', { court: 'S1' }), 'schedule:list');
    expectAnswer(
      pushAckSchema,
      await request(desk, 'events:push', {
        matchId: match.id,
        epoch: 0,
        events: [startEvent(1), ...scoreEvents(2, 2)],
      }),
      'events:push',
    );
    expectAnswer(pullAckSchema, await request(desk, 'match:pull', { matchId: match.id, after: 0 }), 'match:pull');
    expectAnswer(
      pushAckSchema,
      await request(desk, 'events:push', { matchId: match.id, epoch: 0, events: scoreEvents(9, 1) }),
      'a GAP',
    );
    expectAnswer(claimAckSchema, await request(desk, 'match:claim', { matchId: match.id, expectedEpoch: 0 }), 'claim');
    expectAnswer(
      claimAckSchema,
      await request(desk, 'match:claim', { matchId: match.id, expectedEpoch: 0 }),
      'a stale claim',
    );
    // Another console connecting and dropping is a PRESENCE for admins and a COURT_UPDATE for the court.
    const other = await connectSocket(server.url, '/console', admin);
    other.close();
    await server.http(
      'POST',
      '/api/matches',
      { sport: 'generic', court: 'S1', home: { name: 'x' }, away: { name: 'y' } },
      admin,
    );
    await server.http('POST', `/api/matches/${match.id}/handover`, { consoleId }, admin);
    await until(
      () =>
        ['MATCH_UPDATE', 'PRESENCE', 'COURT_UPDATE', 'schedule:changed', 'match:assigned'].every((e) => seen.has(e)),
      'updates, presence, court updates and console notices',
    );
    const schemas: Record<string, z.ZodType> = { ...LIVE_NOTICES, ...CONSOLE_NOTICES };
    for (const [event, messages] of seen) for (const msg of messages) expectAnswer(schemas[event]!, msg, event);
    desk.close();
    live.close();
  });
});
