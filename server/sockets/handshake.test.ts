/** Token expiry mid-session and handshake refusals on /console. */
import { randomUUID } from 'node:crypto';
import { io as connect } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SUPPORTED_PROTOCOLS, protocolRefusalOf, type ProtocolRefusalReason } from '../../shared/protocol.js';
import { connectSocket, request, startTestServer, type TestServer } from '../../test/support/server.js';

/** Short enough to watch expire in a test. */
const TOKEN_TTL_S = 2;
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ config: { tokenTtlSeconds: TOKEN_TTL_S } });
});
afterAll(async () => {
  await server.stop();
});

it('a token expiring mid-session ends the session with session:end, then a fresh token connects again', async () => {
  const consoleId = randomUUID();
  const socket = await connectSocket(server.url, '/console', server.adminToken, { consoleId });
  const ended = new Promise((resolve) => socket.once('session:end', resolve));
  const disconnected = new Promise((resolve) => socket.once('disconnect', resolve));
  expect(await ended).toMatchObject({ code: 'UNAUTHORIZED' });
  expect(await disconnected).toBe('io server disconnect');
  const fresh = await server.login('admin', 'admin-password-1');
  const again = await connectSocket(server.url, '/console', fresh, { consoleId });
  expect((await request(again, 'schedule:list', {})).ok).toBe(true);
  again.close();
});

it('keeps no token in the socket after the check (socket.io holds the handshake for the session)', async () => {
  const socket = await connectSocket(server.url, '/console', server.adminToken, { consoleId: randomUUID() });
  const [admitted] = await server.io.of('/console').fetchSockets();
  expect(admitted?.handshake.auth).not.toHaveProperty('token');
  expect(admitted?.data.user.username).toBe('admin');
  socket.close();
});

it('refuses a missing protocol version and a bad consoleId', async () => {
  const token = await server.login('admin', 'admin-password-1');
  await expect(connectSocket(server.url, '/console', token, { protocol: 0 })).rejects.toThrow('PROTOCOL');
  await expect(connectSocket(server.url, '/console', token, { consoleId: 'not-a-uuid' })).rejects.toThrow('VALIDATION');
});

type Attempt = { connected: true } | { connected: false; message: string; data: { code: string; message: string } };
/** The connect_error of the last refused attempt, as socket.io-client hands it over. */
let lastError: Error | null = null;

/** A bare socket.io-client handshake, as a partner's client would send it. */
function attempt(
  nsp: '/console' | '/live',
  auth: Record<string, unknown> | undefined,
  headers: Record<string, string> = {},
  transport: 'websocket' | 'polling' = 'websocket',
): Promise<Attempt> {
  const socket = connect(server.url + nsp, {
    transports: [transport],
    reconnection: false,
    forceNew: true,
    ...(auth ? { auth } : {}),
    extraHeaders: headers,
  });
  return new Promise((resolve) => {
    socket.once('connect', () => {
      socket.close();
      resolve({ connected: true });
    });
    socket.once('connect_error', (error: Error & { data?: { code: string; message: string } }) => {
      socket.close();
      lastError = error;
      resolve({ connected: false, message: error.message, data: error.data! });
    });
  });
}

const refused = (code: string, message: RegExp) => ({
  connected: false,
  message: code,
  data: { code, message: expect.stringMatching(message) },
});
/** A version refusal: PROTOCOL (the contract's code) naming why and the server's range. */
const refusedVersion = (reason: ProtocolRefusalReason, message: RegExp) => ({
  connected: false,
  message: 'PROTOCOL',
  data: { code: 'PROTOCOL', message: expect.stringMatching(message), reason, supported: { ...SUPPORTED_PROTOCOLS } },
});

describe('handshake errors name the real problem', () => {
  // Tokens of this server live 2 s (the expiry test above): each test logs in afresh.
  const fresh = () => server.login('admin', 'admin-password-1');

  it('no auth at all, an empty token or a bad token: UNAUTHORIZED, whatever the protocol', async () => {
    const token = await fresh();
    expect(await attempt('/live', undefined)).toEqual(refused('UNAUTHORIZED', /no token/));
    expect(await attempt('/console', {})).toEqual(refused('UNAUTHORIZED', /no token/));
    expect(await attempt('/live', { token: '', protocol: 1 })).toEqual(refused('UNAUTHORIZED', /no token/));
    expect(await attempt('/live', { token: token + 'x', protocol: 1 })).toEqual(refused('UNAUTHORIZED', /invalid/));
    // Token before protocol: a wrong token with a wrong protocol is told about the token.
    expect(await attempt('/live', { token: 'forged', protocol: 9 })).toEqual(refused('UNAUTHORIZED', /invalid/));
    expect(await attempt('/live', { protocol: 1 }, { authorization: 'Bearer forged' })).toEqual(
      refused('UNAUTHORIZED', /invalid/),
    );
    expect(await attempt('/live', { protocol: 1 }, { authorization: `Basic ${token}` })).toEqual(
      refused('UNAUTHORIZED', /no token/),
    );
  });

  it('accepts the token in an Authorization: Bearer header (non-browser clients), over WebSocket and polling', async () => {
    const token = await fresh();
    expect(await attempt('/live', { protocol: 1 }, { authorization: `Bearer ${token}` })).toEqual({ connected: true });
    expect(await attempt('/live', { protocol: 1 }, { authorization: `bearer ${token}` }, 'polling')).toEqual({
      connected: true,
    });
    expect(
      await attempt('/console', { protocol: 1, consoleId: randomUUID() }, { authorization: `Bearer ${token}` }),
    ).toEqual({ connected: true });
    // auth.token wins over the header.
    expect(await attempt('/live', { token, protocol: 1 }, { authorization: 'Bearer forged' })).toEqual({
      connected: true,
    });
  });

  it('a missing or unsupported protocol: PROTOCOL naming the supported range; "1" is read as 1', async () => {
    const token = await fresh();
    expect(await attempt('/live', { token })).toEqual(refusedVersion('NO_VERSION', /missing.*supported: 1\b/));
    expect(await attempt('/live', { token, protocol: 2 })).toEqual(
      refusedVersion('CLIENT_TOO_NEW', /protocol 2 .*supported: 1\b/),
    );
    expect(await attempt('/live', { token, protocol: 0 })).toEqual(refusedVersion('CLIENT_TOO_OLD', /supported: 1\b/));
    expect(await attempt('/live', { token, protocol: '2' })).toEqual(
      refusedVersion('CLIENT_TOO_NEW', /protocol 2 .*supported/),
    );
    expect(await attempt('/live', { token, protocol: 'one' })).toEqual(
      refusedVersion('NO_VERSION', /"one".*supported/),
    );
    expect(await attempt('/live', { token, protocol: 1.5 })).toEqual(refusedVersion('NO_VERSION', /supported/));
    expect(await attempt('/live', { token, protocol: '1' })).toEqual({ connected: true });
    expect(await attempt('/console', { token, protocol: '1', consoleId: randomUUID() })).toEqual({ connected: true });
  });

  it("too old and too new are distinct named refusals on both namespaces, read back by the clients' helper", async () => {
    const token = await fresh();
    const tooOld = SUPPORTED_PROTOCOLS.min - 1;
    const tooNew = SUPPORTED_PROTOCOLS.max + 1;
    for (const nsp of ['/live', '/console'] as const) {
      const base = { token, consoleId: randomUUID() };
      expect(await attempt(nsp, { ...base, protocol: tooOld })).toEqual(
        refusedVersion('CLIENT_TOO_OLD', new RegExp(`protocol ${tooOld} .*too old`)),
      );
      expect(protocolRefusalOf(lastError)).toMatchObject({ reason: 'CLIENT_TOO_OLD', supported: SUPPORTED_PROTOCOLS });
      expect(await attempt(nsp, { ...base, protocol: tooNew })).toEqual(
        refusedVersion('CLIENT_TOO_NEW', new RegExp(`protocol ${tooNew} .*too new`)),
      );
      expect(protocolRefusalOf(lastError)).toMatchObject({ reason: 'CLIENT_TOO_NEW', supported: SUPPORTED_PROTOCOLS });
      // The current version is still admitted.
      expect(await attempt(nsp, { ...base, protocol: SUPPORTED_PROTOCOLS.max })).toEqual({ connected: true });
    }
    // Any other refusal is no version refusal: a client may retry it.
    expect(await attempt('/live', { token: 'forged', protocol: 1 })).toEqual(refused('UNAUTHORIZED', /invalid/));
    expect(protocolRefusalOf(lastError)).toBeNull();
  });

  it('/console without a valid consoleId is refused at connect with VALIDATION; /live needs none', async () => {
    const token = await fresh();
    expect(await attempt('/console', { token, protocol: 1 })).toEqual(refused('VALIDATION', /consoleId: missing/));
    expect(await attempt('/console', { token, protocol: 1, consoleId: 'not-a-uuid' })).toEqual(
      refused('VALIDATION', /consoleId: not a UUID/),
    );
    expect(await attempt('/console', { token, protocol: 1, consoleId: 42 })).toEqual(
      refused('VALIDATION', /consoleId/),
    );
    // Protocol before consoleId.
    expect(await attempt('/console', { token, protocol: 2 })).toEqual(refusedVersion('CLIENT_TOO_NEW', /supported/));
    expect(await attempt('/live', { token, protocol: 1 })).toEqual({ connected: true });
    expect(await attempt('/live', { token, protocol: 1, consoleId: 'x' })).toEqual(
      refused('VALIDATION', /consoleId: not a UUID/),
    );
  });

  it('a role the namespace does not admit: FORBIDDEN, before the consoleId is looked at', async () => {
    const viewer = await server.userToken('viewer');
    expect(await attempt('/console', { token: viewer, protocol: 1 })).toEqual(refused('FORBIDDEN', /viewer/));
  });
});

it('tells consoles when the schedule changes', async () => {
  const token = await server.login('admin', 'admin-password-1');
  const socket = await connectSocket(server.url, '/console', token);
  const changed = new Promise((resolve) => socket.once('schedule:changed', resolve));
  await server.http(
    'POST',
    '/api/matches',
    { sport: 'tennis', court: 'Schedule court', home: { name: 'a' }, away: { name: 'b' } },
    token,
  );
  expect(await changed).toEqual({ court: 'Schedule court' });
  socket.close();
});
