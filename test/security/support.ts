/**
 * Helpers for the security tests: hand-made tokens (expired, forged, alg none, other
 * algorithms, unknown kid), a snapshot of everything stored for a before/after compare,
 * and a viewer that proves "nothing was broadcast" without waiting on a clock.
 */
import { createHash, generateKeyPairSync } from 'node:crypto';
import { SignJWT } from 'jose';
import type pg from 'pg';
import type { Socket } from 'socket.io-client';
import { request } from '../support/server.js';
import { until } from '../support/wait.js';

/** The server's kid for a secret (server/auth/tokens.ts derives it the same way). */
export function kidOf(secret: string): string {
  return createHash('sha256').update(secret).digest('base64url').slice(0, 12);
}

export interface TokenClaims {
  sub?: string;
  name?: string;
  role?: string;
  courts?: string[];
  iss?: string;
  aud?: string;
  /** Expiry, seconds from now (negative: already expired). */
  expiresIn?: number;
}

/** An HS256 token as the server would sign it, with any claim overridden. */
export async function signWith(
  secret: string,
  claims: TokenClaims = {},
  header: { alg?: string; kid?: string | null } = {},
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const alg = header.alg ?? 'HS256';
  const protectedHeader: { alg: string; kid?: string } = { alg };
  if (header.kid !== null) protectedHeader.kid = header.kid ?? kidOf(secret);
  return new SignJWT({ name: claims.name ?? 'admin', role: claims.role ?? 'admin', courts: claims.courts ?? [] })
    .setProtectedHeader(protectedHeader)
    .setSubject(claims.sub ?? '1')
    .setIssuer(claims.iss ?? 'scoredesk')
    .setAudience(claims.aud ?? 'scoredesk')
    .setIssuedAt(now - 1)
    .setExpirationTime(now + (claims.expiresIn ?? 3600))
    .sign(new TextEncoder().encode(secret));
}

function b64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** `alg: none`: a valid-looking payload with no signature at all. */
export function unsignedToken(secret: string, claims: Record<string, unknown> = {}): string {
  const now = Math.floor(Date.now() / 1000);
  const payload = {
    sub: '1',
    name: 'admin',
    role: 'admin',
    courts: [],
    iss: 'scoredesk',
    aud: 'scoredesk',
    iat: now,
    exp: now + 3600,
    ...claims,
  };
  return `${b64url({ alg: 'none', typ: 'JWT', kid: kidOf(secret) })}.${b64url(payload)}.`;
}

/** RS256 with the attacker's own key pair, the kid of the real secret. */
export async function rs256Token(secret: string): Promise<string> {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ name: 'admin', role: 'admin', courts: [] })
    .setProtectedHeader({ alg: 'RS256', kid: kidOf(secret) })
    .setSubject('1')
    .setIssuer('scoredesk')
    .setAudience('scoredesk')
    .setIssuedAt(now)
    .setExpirationTime(now + 3600)
    .sign(privateKey);
}

/** A valid token with one payload claim changed after signing (signature no longer matches). */
export function tamper(token: string, change: Record<string, unknown>): string {
  const [h, p, s] = token.split('.');
  const payload = JSON.parse(Buffer.from(p!, 'base64url').toString()) as Record<string, unknown>;
  return `${h}.${b64url({ ...payload, ...change })}.${s}`;
}

/** Everything a bad input could have changed: events and derived statistics, in full. */
export async function storedState(pool: pg.Pool): Promise<string> {
  const events = await pool.query('SELECT * FROM match_events ORDER BY "cursor"');
  const stats = await pool.query('SELECT * FROM match_statistics ORDER BY match_id');
  const matches = await pool.query('SELECT id, epoch, writer_console_id FROM matches ORDER BY id');
  return JSON.stringify({ events: events.rows, stats: stats.rows, matches: matches.rows });
}

/** Subscribes a viewer to matches and records their updates. */
export async function watchMatches(viewer: Socket, matchIds: string[]) {
  const updates: { matchId: string; events: { seq: number }[] }[] = [];
  viewer.on('MATCH_UPDATE', (u: { matchId: string; events: { seq: number }[] }) => updates.push(u));
  for (const matchId of matchIds) {
    const ack = await request(viewer, 'SUBSCRIBE_MATCH', { matchId });
    if (!ack.ok) throw new Error(`subscribe ${matchId}: ${JSON.stringify(ack)}`);
  }
  return {
    updates,
    /** Seqs of `matchId` delivered so far. */
    seqs: (matchId: string) => updates.filter((u) => u.matchId === matchId).flatMap((u) => u.events.map((e) => e.seq)),
    waitFor: (matchId: string, seq: number, timeoutMs?: number) =>
      until(
        () => updates.some((u) => u.matchId === matchId && u.events.some((e) => e.seq >= seq)),
        `an update with seq ${seq} for ${matchId}`,
        timeoutMs,
      ),
  };
}

// The security tests' names for the shared waits.
export { nextEvent as waitFor, until } from '../support/wait.js';

/** One JSON request with an optional bearer token: status and parsed body (null when not JSON). */
export async function httpJson(base: string, method: string, path: string, body?: unknown, token?: string) {
  const res = await fetch(base + path, {
    method,
    headers: {
      ...(body ? { 'content-type': 'application/json' } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: (await res.json().catch(() => null)) as any };
}
