/**
 * Tokens and users, issue 12: a console's device token (POST /api/auth/device-token), the
 * live connections per token for the court wall (GET /api/tokens), revocation one by one
 * (POST /api/tokens/revoke), and disabling or deleting a user (PATCH/DELETE
 * /api/users/:username). A revocation or a disabled user takes effect at once on every
 * process (server/auth/auth-gate.ts).
 */
import { Router } from 'express';
import type pg from 'pg';
import type { Namespace } from 'socket.io';
import {
  DEVICE_TOKEN_TTL_HOURS,
  deviceTokenSchema,
  REVOKED_TOKEN_KEEP_HOURS,
  revokeTokenSchema,
  type DeviceTokenReply,
  type TokenConnections,
  type TokenRevoked,
  updateUserSchema,
  type UserUpdated,
  usernameSchema,
} from '../../shared/api.js';
import type { AuthGate } from '../auth/auth-gate.js';
import type { TokenService } from '../auth/tokens.js';
import type { StreamRegistry } from '../auth/revocation-enforcer.js';
import type { Logger } from '../logger.js';
import { CLUSTER_COUNT_TIMEOUT_MS } from '../security/connection-cap.js';
import type { SocketData } from '../sockets/handshake.js';
import { currentUser, requireRole } from './authenticate.js';
import { HttpError, parseOrThrow } from './errors.js';

const SECONDS_PER_HOUR = 3600;
/** PostgreSQL's foreign_key_violation: the user's events or matches still reference the row. */
const FOREIGN_KEY_VIOLATION = '23503';

export interface TokensApiDeps {
  pool: pg.Pool;
  tokens: TokenService;
  gate: AuthGate;
  /** The server's session token lifetime: a revoked id is kept at least this long. */
  sessionTtlSeconds: number;
  namespaces: () => Namespace<any, any, any, SocketData>[];
  streams: StreamRegistry;
  logger: Logger;
}

interface SocketSummary {
  nsp: string;
  data: Partial<SocketData>;
}

/** Every socket of every process; this process's own when another does not answer in time. */
async function allSockets(deps: TokensApiDeps): Promise<SocketSummary[]> {
  const out: SocketSummary[] = [];
  for (const nsp of deps.namespaces()) {
    try {
      const sockets = await nsp.timeout(CLUSTER_COUNT_TIMEOUT_MS).fetchSockets();
      for (const s of sockets) out.push({ nsp: nsp.name, data: s.data as Partial<SocketData> });
    } catch (error) {
      deps.logger.warn({ err: (error as Error).message }, 'tokens: not every process answered; counting this one');
      for (const s of nsp.sockets.values()) out.push({ nsp: nsp.name, data: s.data });
    }
  }
  return out;
}

export function createTokensRouter(deps: TokensApiDeps): Router {
  const { pool, tokens, gate } = deps;
  const admin = requireRole(tokens, ['admin']);
  const writer = requireRole(tokens, ['scorer', 'admin']);
  const router = Router();

  router.post('/api/auth/device-token', writer, async (req, res) => {
    const body = parseOrThrow(deviceTokenSchema, req.body ?? {});
    const user = currentUser(res);
    // A stolen device token must not mint its own successors: revoking it has to be the end.
    if (user.tokenKind === 'device')
      throw new HttpError('FORBIDDEN', 'a device token cannot mint device tokens; log in with the password');
    const minted = await tokens.signWithId(
      { id: user.id, username: user.username, role: user.role, courts: user.courts },
      DEVICE_TOKEN_TTL_HOURS * SECONDS_PER_HOUR,
      'device',
    );
    deps.logger.info(
      { user: user.username, consoleId: body.consoleId, tokenId: minted.tokenId },
      'device token issued',
    );
    res.status(201).json({
      token: minted.token,
      tokenId: minted.tokenId,
      role: user.role,
      expiresAt: new Date(minted.expiresAt).toISOString(),
    } satisfies DeviceTokenReply);
  });

  router.get('/api/tokens', admin, async (_req, res) => {
    const byToken = new Map<string, TokenConnections>();
    for (const { nsp, data } of await allSockets(deps)) {
      const user = data.user;
      if (!user?.tokenId) continue;
      let entry = byToken.get(user.tokenId);
      if (!entry) {
        entry = {
          tokenId: user.tokenId,
          subject: user.username,
          role: user.role,
          kind: user.subject ? 'viewer' : (user.tokenKind ?? 'session'),
          sockets: 0,
          byNamespace: {},
          streams: 0,
          consoleIds: [],
        };
        byToken.set(user.tokenId, entry);
      }
      entry.sockets++;
      entry.byNamespace[nsp] = (entry.byNamespace[nsp] ?? 0) + 1;
      if (data.consoleId && !entry.consoleIds.includes(data.consoleId)) entry.consoleIds.push(data.consoleId);
    }
    for (const [tokenId, streams] of deps.streams.countByToken()) {
      const entry = byToken.get(tokenId);
      if (entry) entry.streams = streams;
    }
    res.json(
      [...byToken.values()].sort(
        (a, b) => b.sockets + b.streams - (a.sockets + a.streams),
      ) satisfies TokenConnections[],
    );
  });

  router.post('/api/tokens/revoke', admin, async (req, res) => {
    const body = parseOrThrow(revokeTokenSchema, req.body ?? {});
    const keepSeconds = Math.max(REVOKED_TOKEN_KEEP_HOURS * SECONDS_PER_HOUR, deps.sessionTtlSeconds);
    // The subject and role of a connected token, for the audit row (unknown when it is not connected).
    const holder = (await allSockets(deps)).find((s) => s.data.user?.tokenId === body.tokenId)?.data.user;
    await gate.revoke({
      jti: body.tokenId,
      subject: holder?.username ?? null,
      role: holder?.role ?? null,
      expiresAt: new Date(Date.now() + keepSeconds * 1000),
      revokedBy: currentUser(res).id,
    });
    deps.logger.info({ tokenId: body.tokenId, by: currentUser(res).username }, 'token revoked');
    res.json({ tokenId: body.tokenId, revoked: true } satisfies TokenRevoked);
  });

  router.patch('/api/users/:username', admin, async (req, res) => {
    const username = parseOrThrow(usernameSchema, req.params.username);
    const body = parseOrThrow(updateUserSchema, req.body ?? {});
    const { rows } = await pool.query<{ id: number }>(
      `UPDATE users SET disabled_at = CASE WHEN $2 THEN coalesce(disabled_at, now()) END WHERE username = $1 RETURNING id`,
      [username, body.disabled],
    );
    if (!rows[0]) throw new HttpError('NOT_FOUND', `no user ${username}`);
    await gate.userChanged(rows[0].id);
    res.json({ username, disabled: body.disabled } satisfies UserUpdated);
  });

  router.delete('/api/users/:username', admin, async (req, res) => {
    const username = parseOrThrow(usernameSchema, req.params.username);
    if (username === currentUser(res).username) throw new HttpError('CONFLICT', 'you cannot delete yourself');
    try {
      const { rows } = await pool.query<{ id: number }>('DELETE FROM users WHERE username = $1 RETURNING id', [
        username,
      ]);
      if (!rows[0]) throw new HttpError('NOT_FOUND', `no user ${username}`);
      await gate.userChanged(rows[0].id);
    } catch (error) {
      if ((error as { code?: unknown }).code === FOREIGN_KEY_VIOLATION)
        throw new HttpError('CONFLICT', `user ${username} scored or created matches; disable it instead (PATCH)`);
      throw error;
    }
    res.status(204).end();
  });

  return router;
}
