/**
 * JWT checks, unit level (TokenService: algorithm allowlist, issuer, audience, expiry with
 * a small clock tolerance, kid-keyed rotation) and end to end (forged, expired, alg:none,
 * algorithm confusion, wrong issuer/audience refused at connect on both namespaces and on
 * HTTP with Bearer and ?token=; a rotated-out key keeps working until it is retired).
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenService } from '../../server/auth/tokens.js';
import { loadConfig } from '../../server/config.js';
import { loadSecuritySettings } from '../../server/security/settings.js';
import { connectSocket, startTestServer, type TestServer } from '../support/server.js';
import { kidOf, rs256Token, signWith, tamper, unsignedToken } from './support.js';

const OLD = `old-${randomBytes(16).toString('hex')}`;
const NEW = `new-${randomBytes(16).toString('hex')}`;
const user = { id: 1, username: 'admin', role: 'admin' as const, courts: [] };

function header(token: string): { alg: string; kid?: string } {
  return JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()) as { alg: string; kid?: string };
}

/** Forged and malformed tokens for a server whose current secret is `secret`. */
async function hostileTokens(secret: string): Promise<[string, string | undefined][]> {
  const valid = await signWith(secret);
  const hs512 = await signWith(secret, {}, { alg: 'HS512' });
  return [
    ['missing', undefined],
    ['garbage', 'abc.def.ghi'],
    ['expired an hour ago', await signWith(secret, { expiresIn: -3600 })],
    ['expired beyond the clock tolerance', await signWith(secret, { expiresIn: -30 })],
    ['alg: none', unsignedToken(secret)],
    [
      'alg: none, signature kept',
      `${Buffer.from(JSON.stringify({ alg: 'none', kid: kidOf(secret) })).toString('base64url')}.${valid.split('.')[1]}.${valid.split('.')[2]}`,
    ],
    ['RS256 with the attacker key (algorithm confusion)', await rs256Token(secret)],
    ['HS512 with the real secret (not on the allowlist)', hs512],
    ['role raised after signing', tamper(valid, { role: 'admin', courts: [], sub: '999' })],
    [
      'signed with another secret under the real kid',
      await signWith('attacker-secret-0123456789', {}, { kid: kidOf(secret) }),
    ],
    ['unknown kid', await signWith('attacker-secret-0123456789')],
    ['no kid', await signWith(secret, {}, { kid: null })],
    ['wrong issuer', await signWith(secret, { iss: 'someone-else' })],
    ['wrong audience', await signWith(secret, { aud: 'another-app' })],
    ['role not in the list', await signWith(secret, { role: 'superuser' })],
    ['a graphics (viewer:) subject claiming admin', await signWith(secret, { sub: 'viewer:wall', role: 'admin' })],
    ['a subject that is neither a user id nor viewer:', await signWith(secret, { sub: 'admin' })],
  ];
}

describe('TokenService', () => {
  it('signs HS256 with the current kid, issuer, audience and expiry', async () => {
    const tokens = new TokenService(NEW, 600);
    const token = await tokens.sign(user);
    expect(header(token)).toEqual({ alg: 'HS256', kid: kidOf(NEW) });
    const verified = await tokens.verify(token);
    // Every token carries an id (jti) for revocation one by one (issue 12).
    expect(verified?.user).toEqual({ ...user, tokenId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect(verified!.expiresAt).toBeGreaterThan(Date.now() + 590_000);
  });

  it('a gate refuses what it names (a revoked id, a deleted user), after the signature', async () => {
    const tokens = new TokenService(NEW, 600);
    const revoked = new Set<string>();
    tokens.setGate(async (v) => (v.user.tokenId && revoked.has(v.user.tokenId) ? 'token revoked' : null));
    const first = await tokens.sign(user);
    const second = await tokens.sign(user);
    const id = (await tokens.verify(first))!.user.tokenId!;
    revoked.add(id);
    expect(await tokens.verify(first)).toBeNull();
    expect((await tokens.verify(second))?.user.tokenId).not.toBe(id);
  });

  it('refuses every hostile token', async () => {
    const tokens = new TokenService(NEW, 600);
    for (const [name, token] of await hostileTokens(NEW)) {
      expect(await tokens.verify(token), name).toBeNull();
    }
  });

  it('accepts a token a few seconds past expiry (clock tolerance), not one 30 s past', async () => {
    const tokens = new TokenService(NEW, 600);
    expect(await tokens.verify(await signWith(NEW, { expiresIn: -2 }))).not.toBeNull();
    expect(await tokens.verify(await signWith(NEW, { expiresIn: -30 }))).toBeNull();
  });

  it('rotation: the old key verifies until retired; new tokens carry the new kid', async () => {
    const before = new TokenService(OLD, 600);
    const oldToken = await before.sign(user);
    const during = new TokenService(NEW, 600);
    during.addKey(OLD); // what SCOREDESK_JWT_PREVIOUS_SECRETS does
    expect(await during.verify(oldToken)).not.toBeNull();
    const newToken = await during.sign(user);
    expect(header(newToken).kid).toBe(kidOf(NEW));
    expect(header(oldToken).kid).toBe(kidOf(OLD));
    const after = new TokenService(NEW, 600); // OLD retired
    expect(await after.verify(oldToken)).toBeNull();
    expect(await after.verify(newToken)).not.toBeNull();
  });
});

describe('rotation settings', () => {
  it('reads SCOREDESK_JWT_PREVIOUS_SECRETS as a comma list and refuses short secrets', () => {
    expect(loadSecuritySettings({ SCOREDESK_JWT_PREVIOUS_SECRETS: ` ${OLD} , ${NEW}` }).previousJwtSecrets).toEqual([
      OLD,
      NEW,
    ]);
    expect(() => loadSecuritySettings({ SCOREDESK_JWT_PREVIOUS_SECRETS: 'short' })).toThrow(
      /SCOREDESK_JWT_PREVIOUS_SECRETS/,
    );
    expect(loadConfig({ SCOREDESK_JWT_PREVIOUS_SECRETS: OLD }).security?.previousJwtSecrets).toEqual([OLD]);
  });
});

describe('a running server', () => {
  let server: TestServer;
  let viewerToken: string;

  beforeAll(async () => {
    server = await startTestServer({ config: { jwtSecret: NEW, security: { previousJwtSecrets: [OLD] } } });
    viewerToken = await server.userToken('viewer');
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('refuses hostile tokens at connect (both namespaces) and on HTTP (Bearer and ?token=)', async () => {
    for (const [name, token] of await hostileTokens(NEW)) {
      for (const nsp of ['/console', '/live'] as const) {
        await expect(connectSocket(server.url, nsp, token), `${name} on ${nsp}`).rejects.toThrow('UNAUTHORIZED');
      }
      const api = await server.http('GET', '/api/matches', undefined, token);
      expect(api, name).toMatchObject({ status: 401, body: { error: { code: 'UNAUTHORIZED' } } });
      const feed = await fetch(`${server.url}/api/feeds/vmix${token ? `?token=${encodeURIComponent(token)}` : ''}`);
      expect(feed.status, `${name} on the feed`).toBe(401);
    }
  });

  it('accepts a token signed with the previous key; logins get the new kid', async () => {
    const admin = JSON.parse(Buffer.from(server.adminToken.split('.')[1]!, 'base64url').toString()) as { sub: string };
    const old = await signWith(OLD, { sub: admin.sub, name: 'admin', role: 'admin' });
    expect(await server.http('GET', '/api/matches', undefined, old)).toMatchObject({ status: 200 });
    const s = await connectSocket(server.url, '/live', old);
    s.close();
    expect(header(server.adminToken).kid).toBe(kidOf(NEW));
    expect(header(viewerToken).kid).toBe(kidOf(NEW));
  });
});
