/**
 * Every row of PRODUCT.md's "Bad input" table, against the real server, real PostgreSQL
 * and real socket.io-client over loopback. Each test checks the answer (code and a
 * message naming the field) and that nothing stored changed (match_events,
 * match_statistics, matches compared in full before and after). "Nothing broadcast" is
 * proved without a clock: a canary event on another match is pushed afterwards, and
 * batches reach a viewer in commit order, so once the canary arrives any update the bad
 * input could have caused would already have arrived.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connectSocket,
  request,
  scoreEvents,
  startEvent,
  startTestServer,
  type TestServer,
} from '../support/server.js';
import { bufferedBytes, LIVE_WRITE_BUFFER_MAX_BYTES } from '../../server/security/backpressure.js';
import { connectRawViewer } from './raw-viewer.js';
import { signWith, storedState, tamper, unsignedToken, until, waitFor, watchMatches } from './support.js';

/** Events in the long match of the slow-viewer row: two catch-up pages of 1000 (~170 KB each). */
const HISTORY = 2_000;
/** Catch-up requests the slow viewer may send: far more than any buffer should hold. */
const MAX_REQUESTS = 400;

let server: TestServer;
let pool: pg.Pool;
let tokA: string; // scorer of court A
let tokB: string; // scorer of court B
let tokViewer: string;
let consoleA: Socket;
let consoleB: Socket;
let viewer: Socket;
let watch: Awaited<ReturnType<typeof watchMatches>>;
let mA: { id: string };
let mB: { id: string };
let canarySeq = 0;
const sockets: Socket[] = [];

async function consoleSocket(token: string, consoleId = randomUUID()): Promise<Socket> {
  const s = await connectSocket(server.url, '/console', token, { consoleId });
  sockets.push(s);
  return s;
}

/** A valid event on court B's match; returns once the viewer has it. */
async function canary(): Promise<void> {
  const seq = ++canarySeq;
  const event = seq === 1 ? startEvent(1) : scoreEvents(seq, 1)[0]!;
  const ack = await request(consoleB, 'events:push', { matchId: mB.id, epoch: 0, events: [event] });
  expect(ack).toMatchObject({ ok: true, ackedSeq: seq });
  await watch.waitFor(mB.id, seq);
}

/** Runs the bad input; asserts nothing stored changed and nothing new reached the viewer for match A. */
async function expectNoEffect<T>(action: () => Promise<T>): Promise<T> {
  const before = await storedState(pool);
  const delivered = watch.seqs(mA.id).length;
  const result = await action();
  expect(await storedState(pool)).toBe(before);
  await canary();
  expect(watch.seqs(mA.id).length).toBe(delivered);
  return result;
}

function counter(name: string, label: string): Promise<number> {
  return server.metrics.registry
    .getSingleMetric(name)!
    .get()
    .then((m) => m.values.filter((v) => Object.values(v.labels).includes(label)).reduce((n, v) => n + v.value, 0));
}

beforeAll(async () => {
  server = await startTestServer();
  pool = new pg.Pool({ connectionString: server.databaseUrl, max: 2 });
  tokA = await server.userToken('scorer', ['A']);
  tokB = await server.userToken('scorer', ['B']);
  tokViewer = await server.userToken('viewer');
  mA = await server.createMatch({ court: 'A' });
  mB = await server.createMatch({ court: 'B' });
  consoleA = await consoleSocket(tokA);
  consoleB = await consoleSocket(tokB);
  const first = await request(consoleA, 'events:push', {
    matchId: mA.id,
    epoch: 0,
    events: [startEvent(1), ...scoreEvents(2, 2)],
  });
  expect(first).toMatchObject({ ok: true, ackedSeq: 3 });
  viewer = await connectSocket(server.url, '/live', tokViewer);
  sockets.push(viewer);
  watch = await watchMatches(viewer, [mA.id, mB.id]);
  await canary();
});

afterAll(async () => {
  for (const s of sockets) s.close();
  await pool?.end();
  await server?.stop();
});

const push = (events: unknown[], extra: Record<string, unknown> = {}) => ({
  matchId: mA.id,
  epoch: 0,
  events,
  ...extra,
});

describe('malformed event, wrong types, unknown fields, unknown event name: VALIDATION naming the field', () => {
  const at = '2026-11-28T10:00:00.000Z';
  const cases: [string, unknown, RegExp][] = [
    [
      'a seq of the wrong type',
      () => push([{ seq: 'four', type: 'SCORE_UPDATE', payload: { side: 'home' }, at }]),
      /^events\.0\.seq: /,
    ],
    [
      'a payload field of the wrong value',
      () => push([{ seq: 4, type: 'SCORE_UPDATE', payload: { side: 'middle' }, at }]),
      /^events\.0\.payload\.side: /,
    ],
    ['an unknown field at the top', () => push(scoreEvents(4, 1), { sneaky: true }), /unknown field 'sneaky'/],
    [
      'an unknown field inside an event',
      () => push([{ ...scoreEvents(4, 1)[0], by: 'me' }]),
      /^events\.0: unknown field 'by'/,
    ],
    [
      'an unknown field inside a payload',
      () => push([{ seq: 4, type: 'SCORE_UPDATE', payload: { side: 'home', bonus: 9 }, at }]),
      /^events\.0\.payload: unknown field 'bonus'/,
    ],
    ['an unknown event type', () => push([{ seq: 4, type: 'TELEPORT', payload: {}, at }]), /^events\.0(\.type)?: /],
    ['a missing matchId', () => ({ epoch: 0, events: scoreEvents(4, 1) }), /^matchId: /],
    ['a negative epoch', () => push(scoreEvents(4, 1), { epoch: -1 }), /^epoch: /],
    ['an empty event list', () => push([]), /^events: /],
    ['a string instead of an object', () => 'hello', /^\(root\): /],
    ['null', () => null, /^\(root\): /],
  ];
  for (const [name, build, field] of cases) {
    it(`refuses ${name}`, async () => {
      const ack = await expectNoEffect(() => request(consoleA, 'events:push', (build as () => unknown)()));
      expect(ack).toMatchObject({ ok: false, code: 'VALIDATION' });
      expect(ack.message).toMatch(field);
    });
  }

  it('refuses an unknown socket event name (nothing runs)', async () => {
    const ack = await expectNoEffect(() => request(consoleA, 'events:delete', { matchId: mA.id }));
    expect(ack).toEqual({
      ok: false,
      code: 'VALIDATION',
      message: "event: unknown event name 'events:delete' on /console",
    });
  });

  it('refuses bad arguments of the other /console and /live events too', async () => {
    const claim = await expectNoEffect(() =>
      request(consoleA, 'match:claim', { matchId: mA.id, expectedEpoch: 'zero' }),
    );
    expect(claim).toMatchObject({ ok: false, code: 'VALIDATION' });
    expect(claim.message).toMatch(/^expectedEpoch: /);
    const sub = await request(viewer, 'SUBSCRIBE_MATCH', { matchId: mA.id, since: -5 });
    expect(sub).toMatchObject({ ok: false, code: 'VALIDATION' });
    expect(sub.message).toMatch(/^since: /);
  });
});

describe('payload larger than the configured limit', () => {
  it('closes the connection, stores nothing, and counts it (logged beside the counter)', async () => {
    const big = await consoleSocket(tokA);
    const before = await counter('scoredesk_security_disconnects_total', 'oversize');
    const note = 'x'.repeat(300 * 1024);
    const reason = await expectNoEffect(async () => {
      const closed = waitFor<string>(big, 'disconnect');
      big.emit(
        'events:push',
        push([{ seq: 4, type: 'EVENT_ADDED', payload: { kind: 'note', text: note }, at: '2026-11-28T10:00:00.000Z' }]),
        () => {},
      );
      return closed;
    });
    expect(reason).toMatch(/transport (close|error)/);
    await until(
      async () => (await counter('scoredesk_security_disconnects_total', 'oversize')) === before + 1,
      'oversize counter',
    );
    expect(consoleA.connected).toBe(true);
  });

  it('does the same over HTTP long-polling (the fallback transport)', async () => {
    const polling = connect(`${server.url}/console`, {
      transports: ['polling'],
      reconnection: false,
      forceNew: true,
      auth: { token: tokA, protocol: 1, consoleId: randomUUID() },
    });
    sockets.push(polling);
    await waitFor(polling, 'connect');
    const before = await counter('scoredesk_security_disconnects_total', 'oversize');
    const reason = await expectNoEffect(async () => {
      const closed = waitFor<string>(polling, 'disconnect');
      const text = 'x'.repeat(300 * 1024);
      polling.emit(
        'events:push',
        push([{ seq: 4, type: 'EVENT_ADDED', payload: { kind: 'note', text }, at: '2026-11-28T10:00:00.000Z' }]),
        () => {},
      );
      return closed;
    });
    expect(reason).toMatch(/transport (close|error)|ping timeout/);
    await until(
      async () => (await counter('scoredesk_security_disconnects_total', 'oversize')) === before + 1,
      'oversize counter (polling)',
    );
  });
});

describe('event for an unknown match', () => {
  it('answers UNKNOWN_MATCH naming it', async () => {
    const ack = await expectNoEffect(() =>
      request(consoleA, 'events:push', { matchId: 'no-such-match', epoch: 0, events: [startEvent(1)] }),
    );
    expect(ack).toMatchObject({ ok: false, code: 'UNKNOWN_MATCH' });
    expect(ack.message).toContain('no-such-match');
  });
});

describe('resend of an already stored event', () => {
  it('is acknowledged as a duplicate, not stored or broadcast again', async () => {
    const stored = await pool.query(
      'SELECT event_type, event_data, at_text FROM match_events WHERE match_id = $1 ORDER BY seq',
      [mA.id],
    );
    const events = stored.rows.map((r, i) => ({
      seq: i + 1,
      type: r.event_type,
      payload: r.event_data,
      at: r.at_text,
    }));
    const ack = await expectNoEffect(() => request(consoleA, 'events:push', push(events)));
    expect(ack).toMatchObject({ ok: true, ackedSeq: 3 });
  });
});

describe('seq gap', () => {
  it('answers GAP with the expected seq', async () => {
    const ack = await expectNoEffect(() => request(consoleA, 'events:push', push(scoreEvents(6, 2))));
    expect(ack).toMatchObject({ ok: false, code: 'GAP', expectedSeq: 4 });
    expect(ack.message).toMatch(/expected 4/);
  });
});

describe('stale epoch (after a handover)', () => {
  it('answers STALE_EPOCH with the current epoch; the fenced console is told', async () => {
    const match = await server.createMatch({ court: 'A' });
    const oldId = randomUUID();
    const old = await consoleSocket(tokA, oldId);
    expect(await request(old, 'events:push', { matchId: match.id, epoch: 0, events: [startEvent(1)] })).toMatchObject({
      ok: true,
    });
    const fenced = waitFor<{ matchId: string; epoch: number }>(old, 'match:fenced');
    const moved = await server.http(
      'POST',
      `/api/matches/${match.id}/handover`,
      { consoleId: randomUUID() },
      server.adminToken,
    );
    expect(moved).toMatchObject({ status: 200, body: { epoch: 1 } });
    expect(await fenced).toEqual({ matchId: match.id, epoch: 1 });
    const ack = await expectNoEffect(() =>
      request(old, 'events:push', { matchId: match.id, epoch: 0, events: scoreEvents(2, 1) }),
    );
    expect(ack).toMatchObject({ ok: false, code: 'STALE_EPOCH', epoch: 1 });
    // Claiming with the old epoch is refused the same way.
    const claim = await expectNoEffect(() => request(old, 'match:claim', { matchId: match.id, expectedEpoch: 0 }));
    expect(claim).toMatchObject({ ok: false, code: 'STALE_EPOCH', epoch: 1 });
  });
});

describe('scorer of court A writes to court B; viewer tries to write', () => {
  it('answers FORBIDDEN to a push and a claim on another court, and counts (logs) it', async () => {
    const before = await counter('scoredesk_security_refusals_total', 'FORBIDDEN');
    const ack = await expectNoEffect(() =>
      request(consoleA, 'events:push', { matchId: mB.id, epoch: 0, events: scoreEvents(canarySeq + 1, 1) }),
    );
    expect(ack).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(ack.message).toMatch(/court B/);
    const claim = await expectNoEffect(() => request(consoleA, 'match:claim', { matchId: mB.id, expectedEpoch: 0 }));
    expect(claim).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(await counter('scoredesk_security_refusals_total', 'FORBIDDEN')).toBe(before + 2);
  });

  it('disconnects after repeated attempts, with session:end FORBIDDEN', async () => {
    const intruder = await consoleSocket(tokA);
    const ended = waitFor<{ code: string }>(intruder, 'session:end');
    const gone = waitFor<string>(intruder, 'disconnect');
    const answers: string[] = [];
    await expectNoEffect(async () => {
      for (let i = 0; i < 10 && intruder.connected; i++) {
        const ack = await request(
          intruder,
          'events:push',
          { matchId: mB.id, epoch: 0, events: scoreEvents(canarySeq + 1, 1) },
          2_000,
        ).catch(() => null);
        if (ack) answers.push(ack.code);
      }
      return gone;
    });
    expect(await ended).toMatchObject({ code: 'FORBIDDEN' });
    expect(answers.length).toBeGreaterThanOrEqual(3);
    expect(answers.length).toBeLessThan(10);
    expect(answers.every((c) => c === 'FORBIDDEN')).toBe(true);
    expect(consoleA.connected).toBe(true);
  });

  it('refuses a viewer on /console at connect, and any write on /live', async () => {
    await expect(connectSocket(server.url, '/console', tokViewer)).rejects.toThrow('FORBIDDEN');
    const ack = await expectNoEffect(() => request(viewer, 'events:push', push(scoreEvents(4, 1))));
    expect(ack).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(ack.message).toMatch(/read-only/);
    const http = await server.http(
      'POST',
      '/api/matches',
      { sport: 'generic', court: 'A', home: { name: 'x' }, away: { name: 'y' } },
      tokViewer,
    );
    expect(http).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN' } } });
  });
});

describe('missing, expired, forged or alg:none token', () => {
  it('is refused at connect with UNAUTHORIZED', async () => {
    const secret = server.jwtSecret;
    const refused = [
      undefined,
      '',
      'not-a-jwt',
      await signWith(secret, { expiresIn: -60 }),
      tamper(tokA, { courts: ['A', 'B'] }),
      await signWith('some-other-secret-of-the-attacker'),
      await signWith('some-other-secret-of-the-attacker', {}, { kid: null }),
      unsignedToken(secret),
    ];
    for (const token of refused) {
      for (const nsp of ['/console', '/live'] as const) {
        await expect(connectSocket(server.url, nsp, token), `${nsp} ${String(token).slice(0, 30)}`).rejects.toThrow(
          'UNAUTHORIZED',
        );
      }
    }
  });

  it('a token expiring mid-session ends it (session:end UNAUTHORIZED); after a new login nothing is lost', async () => {
    const sub = JSON.parse(Buffer.from(tokA.split('.')[1]!, 'base64url').toString()) as { sub: string; name: string };
    const short = await signWith(server.jwtSecret, {
      sub: sub.sub,
      name: sub.name,
      role: 'scorer',
      courts: ['A'],
      expiresIn: 2,
    });
    const match = await server.createMatch({ court: 'A' });
    const consoleId = randomUUID();
    const s1 = await consoleSocket(short, consoleId);
    const ended = waitFor<{ code: string; message: string }>(s1, 'session:end', 15_000);
    const gone = waitFor<string>(s1, 'disconnect', 15_000);
    expect(
      await request(s1, 'events:push', { matchId: match.id, epoch: 0, events: [startEvent(1), ...scoreEvents(2, 2)] }),
    ).toMatchObject({ ok: true, ackedSeq: 3 });
    expect(await ended).toMatchObject({ code: 'UNAUTHORIZED' });
    expect(await gone).toBe('io server disconnect');
    // The console logs in again (desktop/core does this) and carries on from its next seq.
    const fresh = await server.login(sub.name, 'password-123');
    const s2 = await consoleSocket(fresh, consoleId);
    expect(await request(s2, 'events:push', { matchId: match.id, epoch: 0, events: scoreEvents(4, 2) })).toMatchObject({
      ok: true,
      ackedSeq: 5,
    });
    const pulled = await request(s2, 'match:pull', { matchId: match.id, after: 0 });
    expect(pulled.events.map((e: { seq: number }) => e.seq)).toEqual([1, 2, 3, 4, 5]);
  });
});

describe('a flood of messages from one socket', () => {
  it('answers RATE_LIMITED, then disconnects; another court keeps being served', async () => {
    const tokFlood = await server.userToken('scorer', ['A']);
    const flooder = await consoleSocket(tokFlood);
    const ended = waitFor<{ code: string }>(flooder, 'session:end');
    const codes: Record<string, number> = {};
    await expectNoEffect(async () => {
      for (let i = 0; i < 2_000; i++) {
        flooder.emit('match:pull', { matchId: mA.id, after: 0 }, (ack: { ok: boolean; code?: string }) => {
          const key = ack.ok ? 'ok' : ack.code!;
          codes[key] = (codes[key] ?? 0) + 1;
        });
      }
      await ended;
    });
    expect(codes.RATE_LIMITED).toBeGreaterThan(0);
    await until(() => !flooder.connected, 'flooder disconnected');
    // Reconnecting at once is refused for the cool-down: a flood costs one burst, not one per reconnect.
    await expect(consoleSocket(tokFlood)).rejects.toThrow('RATE_LIMITED');
    // Court B's console is served right after (expectNoEffect pushed a canary through it).
    expect(consoleB.connected).toBe(true);
    await canary();
  });
});

/** 150 messages a second for two seconds, sent in ticks of 100 ms. */
const STEADY_TICK_MS = 100;
const STEADY_PER_TICK = 15;
const STEADY_TICKS = 20;

describe('the rate limits leave room for honest traffic', () => {
  it('serves 150 messages a second on one socket, two seconds running (contract: at least 100/s)', async () => {
    const steady = await consoleSocket(await server.userToken('scorer', ['A']));
    // 15 every 100 ms for 2 s: any one-second window of the limiter sees about 150, never a
    // fresh window per burst. A stalled test process sends later, never faster.
    const acks: Promise<{ ok: boolean }>[] = [];
    for (let tick = 0; tick < STEADY_TICKS; tick++) {
      for (let i = 0; i < STEADY_PER_TICK; i++) acks.push(request(steady, 'match:pull', { matchId: mA.id, after: 0 }));
      await new Promise((r) => setTimeout(r, STEADY_TICK_MS)); // the pace, not a wait
    }
    const answers = await Promise.all(acks);
    expect(answers).toHaveLength(300);
    expect(answers.filter((a) => !a.ok)).toEqual([]);
    expect(steady.connected).toBe(true);
  });
});

describe('a viewer that never reads', () => {
  // A raw WebSocket viewer stops reading and keeps asking for full catch-ups of a long match:
  // the server must drop it before it holds more than LIVE_WRITE_BUFFER_MAX_BYTES (plus one
  // packet), while an ordinary viewer of the same match keeps receiving live updates.
  it('drops a viewer that never reads before it pins more than the byte limit; others keep being served', async () => {
    const scorer = await server.userToken('scorer');
    const viewerToken = await server.userToken('viewer');
    const match = await server.createMatch({ court: 'S' });
    const consoleSocket = await connectSocket(server.url, '/console', scorer, { consoleId: randomUUID() });
    sockets.push(consoleSocket);
    let seq = 0;
    expect(
      await request(consoleSocket, 'events:push', { matchId: match.id, epoch: 0, events: [startEvent(++seq)] }),
    ).toMatchObject({ ok: true });
    while (seq < HISTORY) {
      const events = scoreEvents(seq + 1, Math.min(500, HISTORY - seq));
      expect(await request(consoleSocket, 'events:push', { matchId: match.id, epoch: 0, events })).toMatchObject({
        ok: true,
      });
      seq += events.length;
    }

    const honest = await connectSocket(server.url, '/live', viewerToken);
    sockets.push(honest);
    const watch = await watchMatches(honest, [match.id]);

    const slow = await connectRawViewer(server.url, viewerToken);
    const serverSide = [...server.io.of('/live').sockets.values()].find(
      (s) => s.conn.request.socket.remotePort === slow.localPort,
    );
    expect(serverSide).toBeDefined();
    slow.pause();
    let maxHeld = 0;
    let dropped = false;
    void slow.closed;
    serverSide!.on('disconnect', () => (dropped = true));
    for (let i = 0; i < MAX_REQUESTS && !dropped; i++) {
      slow.emit('SUBSCRIBE_MATCH', { matchId: match.id, since: 0 });
      maxHeld = Math.max(maxHeld, bufferedBytes(serverSide!.conn));
      if (i % 10 === 9) await new Promise((r) => setTimeout(r, 50));
    }
    await until(
      () => {
        maxHeld = Math.max(maxHeld, bufferedBytes(serverSide!.conn));
        return dropped;
      },
      'the slow viewer to be dropped',
      60_000,
    );
    const droppedCount = (await server.metrics.liveDropped.get()).values[0]?.value ?? 0;
    expect(droppedCount).toBe(1);
    // One catch-up page (~170 KB) may be queued past the check that runs before each emit.
    expect(maxHeld).toBeLessThan(LIVE_WRITE_BUFFER_MAX_BYTES + 512 * 1024);
    slow.destroy();

    // The honest viewer of the same match is still served.
    expect(honest.connected).toBe(true);
    expect(
      await request(consoleSocket, 'events:push', { matchId: match.id, epoch: 0, events: scoreEvents(seq + 1, 1) }),
    ).toMatchObject({ ok: true });
    await watch.waitFor(match.id, seq + 1);
  }, 120_000);
});

describe('names with HTML in them', () => {
  it('are stored and served as data, never as markup', async () => {
    const hostile = '<img src=x onerror="window.__xss=1">';
    const created = await server.http(
      'POST',
      '/api/matches',
      { sport: 'generic', court: 'H', home: { name: hostile }, away: { name: '<script>x()</script>' } },
      server.adminToken,
    );
    expect(created.status).toBe(201);
    const res = await fetch(`${server.url}/api/matches/${created.body.id}`, {
      headers: { authorization: `Bearer ${tokViewer}` },
    });
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(((await res.json()) as { home: { name: string } }).home.name).toBe(hostile);
    const xml = await (await fetch(`${server.url}/api/feeds/vmix.xml?token=${tokViewer}`)).text();
    expect(xml).not.toContain('<img');
    expect(xml).not.toContain('<script>');
    const page = await fetch(`${server.url}/overlays/scorebug?court=H&token=${tokViewer}`);
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
    expect(await page.text()).not.toContain('onerror');
    // Rendering as text in a real browser: test/e2e/overlays.test.ts and director.test.ts (Chromium).
  });
});
