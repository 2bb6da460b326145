/**
 * The real server process (`server/main.ts`, JSON logs on stdout, debug level with socket
 * tracing on): after logins, tokens in headers, in `?token=` and in handshakes, wrong
 * passwords and refused connections, no token, password or signing secret appears in
 * any log line; and the refusals the bad-input table says are "logged" are there.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { io as connect } from 'socket.io-client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { connectSocket, request, startEvent } from '../support/server.js';
import { createTestDatabase } from '../support/postgres.js';
import { CHILD_ADMIN_PASSWORD, spawnServer, type ServerProcess } from '../support/server-process.js';
import { httpJson, until, waitFor } from './support.js';

const SCORER_PASSWORD = `scorer-${randomBytes(6).toString('hex')}`;
const WRONG_PASSWORD = `wrong-${randomBytes(6).toString('hex')}`;

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let server: ServerProcess;

beforeAll(async () => {
  db = await createTestDatabase('seclogs');
  server = await spawnServer({
    databaseUrl: db.url,
    env: { SCOREDESK_LOG_LEVEL: 'debug', SCOREDESK_DEBUG_SOCKETS: '1' },
  });
});
afterAll(async () => {
  await server?.kill();
  await db?.drop();
});

/** A JSON request to the server under test. */
const http = (method: string, path: string, body?: unknown, token?: string) =>
  httpJson(server.url, method, path, body, token);

it('keeps tokens, passwords and the signing secret out of the logs, and logs the refusals', async () => {
  const admin = (await http('POST', '/api/auth/login', { username: 'admin', password: CHILD_ADMIN_PASSWORD })).body
    .token as string;
  expect(admin).toBeTruthy();
  expect(
    (
      await http(
        'POST',
        '/api/users',
        { username: 'scorer-a', password: SCORER_PASSWORD, role: 'scorer', courts: ['A'] },
        admin,
      )
    ).status,
  ).toBe(201);
  expect(
    (await http('POST', '/api/users', { username: 'graphics', password: SCORER_PASSWORD, role: 'viewer' }, admin))
      .status,
  ).toBe(201);
  const scorer = (await http('POST', '/api/auth/login', { username: 'scorer-a', password: SCORER_PASSWORD })).body
    .token as string;
  const viewer = (await http('POST', '/api/auth/login', { username: 'graphics', password: SCORER_PASSWORD })).body
    .token as string;
  expect((await http('POST', '/api/auth/login', { username: 'scorer-a', password: WRONG_PASSWORD })).status).toBe(401);
  const matchB = (
    await http(
      'POST',
      '/api/matches',
      { sport: 'generic', court: 'B', home: { name: 'H' }, away: { name: 'A' } },
      admin,
    )
  ).body;
  const matchA = (
    await http(
      'POST',
      '/api/matches',
      { sport: 'generic', court: 'A', home: { name: 'H' }, away: { name: 'A' } },
      admin,
    )
  ).body;

  expect((await fetch(`${server.url}/api/feeds/vmix?token=${viewer}`)).status).toBe(200);
  expect((await fetch(`${server.url}/api/feeds/vmix?token=${viewer}x`)).status).toBe(401);
  expect((await http('GET', '/api/matches', undefined, `${scorer}x`)).status).toBe(401);

  const live = await connectSocket(server.url, '/live', viewer);
  await expect(connectSocket(server.url, '/live', `${viewer}x`)).rejects.toThrow('UNAUTHORIZED');
  const cons = await connectSocket(server.url, '/console', scorer, { consoleId: randomUUID() });
  expect(await request(cons, 'events:push', { matchId: matchA.id, epoch: 0, events: [startEvent(1)] })).toMatchObject({
    ok: true,
  });
  expect(await request(cons, 'events:push', { matchId: matchB.id, epoch: 0, events: [startEvent(1)] })).toMatchObject({
    code: 'FORBIDDEN',
  });
  const evil = connect(`${server.url}/live`, {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    auth: { token: viewer, protocol: 1 },
    extraHeaders: { origin: 'https://evil.example' },
  });
  await waitFor(evil, 'connect_error');
  evil.close();
  const big = await connectSocket(server.url, '/console', scorer, { consoleId: randomUUID() });
  const closed = waitFor(big, 'disconnect');
  big.emit('events:push', {
    matchId: matchA.id,
    epoch: 0,
    events: [
      {
        seq: 2,
        type: 'EVENT_ADDED',
        payload: { kind: 'note', text: 'x'.repeat(300_000) },
        at: new Date().toISOString(),
      },
    ],
  });
  await closed;
  live.close();
  cons.close();

  const has = (msg: string) => server.logs.some((l) => l.includes(msg));
  await until(() => has('security: message over the size limit'), 'oversize log line');
  expect(has('security: forbidden write refused')).toBe(true);
  expect(has('security: socket refused (origin not allowed)')).toBe(true);
  expect(has('socket: refused (bad token)')).toBe(true);

  const secrets = [admin, scorer, viewer, server.jwtSecret, CHILD_ADMIN_PASSWORD, SCORER_PASSWORD, WRONG_PASSWORD];
  // Signatures alone are enough to matter: look for each token's third part too.
  const needles = [...secrets, ...[admin, scorer, viewer].map((t) => t.split('.')[2]!)];
  const leaks = server.logs.filter((line) => needles.some((n) => line.includes(n)));
  expect(leaks).toEqual([]);
  expect(server.logs.length).toBeGreaterThan(10);
});

it('redacts secrets by field name wherever a log call puts them', async () => {
  const { spawnSync } = await import('node:child_process');
  const script = `
    import { createLogger } from './server/logger.ts';
    const log = createLogger('info', 'redact-test');
    log.info({ token: 'T1', password: 'P1', auth: { token: 'T2' }, req: { headers: { authorization: 'Bearer T3', cookie: 'C1' }, query: { token: 'T4' } } }, 'a');
    log.info({ headers: { authorization: 'Bearer T5' }, query: { token: 'T6' }, config: { jwtSecret: 'S1', pin: '1234', passwordHash: 'H1' }, secret: 'S2' }, 'b');
  `;
  const out = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: process.cwd(),
    encoding: 'utf8',
  });
  const lines = out.stdout.trim().split('\n');
  expect(lines).toHaveLength(2);
  for (const secret of ['T1', 'T2', 'T3', 'T4', 'T5', 'T6', 'P1', 'C1', 'S1', 'S2', '1234', 'H1']) {
    expect(out.stdout, secret).not.toContain(`"${secret}`);
    expect(out.stdout, secret).not.toContain(` ${secret}"`);
  }
  expect(JSON.parse(lines[0]!)).toMatchObject({ msg: 'a', req: { headers: {}, query: {} } });
});
