/**
 * The gate every token passes after its signature (TokenService.setGate): a revoked token
 * id, or a user deleted or disabled, is refused at once on every namespace and route.
 *
 * Each process keeps the revoked ids and each user's standing in memory and LISTENs on
 * PostgreSQL's scoredesk_auth channel, which triggers on users and revoked_tokens feed
 * (migrations/1764300000005_token-revocation.sql, so a change made by hand in psql counts
 * too). A change reaches every process in milliseconds; listeners (server/auth/
 * revocation-enforcer.ts) then end the affected sockets and SSE streams. While the LISTEN
 * connection is down a verification asks PostgreSQL instead of memory, and the memory is
 * re-read in full every REVOCATION_RESYNC_MS and whenever LISTEN comes back.
 */
import pg from 'pg';
import { z } from 'zod';
import type { Logger } from '../logger.js';
import type { VerifiedToken } from './tokens.js';

export const AUTH_CHANNEL = 'scoredesk_auth';
/** A NOTIFY lost with its connection heals within this at the latest (full re-read). */
export const REVOCATION_RESYNC_MS = 30_000;
/** Wait before opening a lost LISTEN connection again. */
const LISTEN_RETRY_MS = 1_000;

export type AuthChange = { kind: 'user'; id: number } | { kind: 'token'; jti: string };

const changeSchema = z.union([
  z.object({ kind: z.literal('user'), id: z.number().int() }),
  z.object({ kind: z.literal('token'), jti: z.string() }),
]);

type Standing = 'active' | 'blocked';

export interface RevokeInput {
  jti: string;
  subject: string | null;
  role: string | null;
  expiresAt: Date;
  revokedBy: number | null;
}

export class AuthGate {
  /** Revoked token ids, with when the token would have expired (then it is dropped). */
  private readonly revoked = new Map<string, number>();
  /** users.id -> may its tokens be used; a missing id is read from PostgreSQL once. */
  private readonly users = new Map<number, Standing>();
  private readonly listeners = new Set<(change: AuthChange) => void>();
  private client: pg.Client | null = null;
  private listening = false;
  private closed = false;
  private resyncTimer: NodeJS.Timeout | null = null;
  private retryTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly pool: pg.Pool,
    private readonly databaseUrl: string,
    private readonly logger: Logger,
  ) {}

  async start(): Promise<void> {
    await this.listen();
    await this.resync();
    this.resyncTimer = setInterval(() => {
      this.resync().catch((error: Error) => this.logger.warn({ err: error.message }, 'auth gate: resync failed'));
    }, REVOCATION_RESYNC_MS);
    this.resyncTimer.unref();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.resyncTimer) clearInterval(this.resyncTimer);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = null;
    this.listening = false;
    await client?.end().catch(() => {});
  }

  /** Called after each change was applied to memory (sockets and streams of it end). */
  onChange(listener: (change: AuthChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Why this token may not be used, or null. Memory while LISTEN runs, PostgreSQL otherwise;
   * when PostgreSQL cannot answer either, memory (an outage must not lock every console out).
   */
  readonly check = async (verified: VerifiedToken): Promise<string | null> => {
    const { user } = verified;
    const jti = user.tokenId;
    if (jti && this.revoked.has(jti)) return 'token revoked';
    if (!user.subject && this.users.get(user.id) === 'blocked') return 'user deleted or disabled';
    if (this.listening && (user.subject || this.users.get(user.id) === 'active')) return null;
    try {
      if (jti && (await this.readRevoked(jti))) return 'token revoked';
      if (!user.subject && (await this.readUser(user.id)) === 'blocked') return 'user deleted or disabled';
    } catch (error) {
      this.logger.warn({ err: (error as Error).message }, 'auth gate: PostgreSQL unreachable; checked from memory');
    }
    return null;
  };

  /** Stores a revocation; every process (this one too) hears it through the trigger's NOTIFY. */
  async revoke(input: RevokeInput): Promise<void> {
    await this.pool.query(
      `INSERT INTO revoked_tokens (jti, subject, role, revoked_by, expires_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (jti) DO NOTHING`,
      [input.jti, input.subject, input.role, input.revokedBy, input.expiresAt],
    );
    // Not waiting for our own NOTIFY: this process refuses the token from this moment.
    this.applyToken(input.jti, input.expiresAt.getTime());
  }

  /**
   * A user changed through this process's API: applied here before the answer (not waiting
   * for our own NOTIFY), so a push right after a delete is refused on this process too.
   */
  async userChanged(id: number): Promise<void> {
    await this.onNotify(JSON.stringify({ kind: 'user', id }));
  }

  private async readRevoked(jti: string): Promise<boolean> {
    if (this.listening) return false; // memory is complete while LISTEN runs
    const { rows } = await this.pool.query<{ expires_at: Date }>(
      'SELECT expires_at FROM revoked_tokens WHERE jti = $1',
      [jti],
    );
    if (rows[0]) this.revoked.set(jti, rows[0].expires_at.getTime());
    return rows.length > 0;
  }

  private async readUser(id: number): Promise<Standing> {
    const { rows } = await this.pool.query<{ disabled: boolean }>(
      'SELECT disabled_at IS NOT NULL AS disabled FROM users WHERE id = $1',
      [id],
    );
    // Serial ids are never reused: a deleted id stays blocked.
    const standing: Standing = rows[0] && !rows[0].disabled ? 'active' : 'blocked';
    this.users.set(id, standing);
    return standing;
  }

  private applyToken(jti: string, expiresAt: number): void {
    const known = this.revoked.has(jti);
    this.revoked.set(jti, expiresAt);
    if (!known) this.emit({ kind: 'token', jti });
  }

  private emit(change: AuthChange): void {
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch (error) {
        this.logger.error({ err: (error as Error).message }, 'auth gate: listener failed');
      }
    }
  }

  private async onNotify(payload: string | undefined): Promise<void> {
    let change: AuthChange;
    try {
      change = changeSchema.parse(JSON.parse(payload ?? ''));
    } catch {
      return this.logger.warn('auth gate: unreadable notification');
    }
    switch (change.kind) {
      case 'token':
        // The expiry is read at the next resync; until then the id is simply kept.
        this.applyToken(change.jti, Number.POSITIVE_INFINITY);
        return;
      case 'user': {
        this.users.delete(change.id);
        if ((await this.readUser(change.id)) === 'blocked') this.emit(change);
        return;
      }
    }
  }

  /** Everything from PostgreSQL: revoked ids still unexpired, every user's standing. */
  private async resync(): Promise<void> {
    const [tokens, users] = await Promise.all([
      this.pool.query<{ jti: string; expires_at: Date }>(
        'SELECT jti, expires_at FROM revoked_tokens WHERE expires_at > now()',
      ),
      this.pool.query<{ id: number; disabled: boolean }>('SELECT id, disabled_at IS NOT NULL AS disabled FROM users'),
    ]);
    const now = Date.now();
    for (const [jti, expiresAt] of this.revoked) if (expiresAt <= now) this.revoked.delete(jti);
    for (const row of tokens.rows) this.applyToken(row.jti, row.expires_at.getTime());
    const present = new Set<number>();
    for (const row of users.rows) {
      present.add(row.id);
      const standing: Standing = row.disabled ? 'blocked' : 'active';
      const before = this.users.get(row.id);
      this.users.set(row.id, standing);
      if (standing === 'blocked' && before !== 'blocked') this.emit({ kind: 'user', id: row.id });
    }
    for (const [id, standing] of this.users)
      if (!present.has(id) && standing !== 'blocked') {
        this.users.set(id, 'blocked');
        this.emit({ kind: 'user', id });
      }
  }

  private async listen(): Promise<void> {
    if (this.closed) return;
    const client = new pg.Client({ connectionString: this.databaseUrl });
    const lost = (why: string) => {
      if (this.client !== client) return;
      this.client = null;
      this.listening = false;
      if (this.closed) return;
      this.logger.warn({ err: why }, 'auth gate: LISTEN connection lost; checking PostgreSQL on each verification');
      client.end().catch(() => {});
      this.retryTimer = setTimeout(() => {
        this.listen()
          .then(() => this.resync())
          .catch((error: Error) => this.logger.warn({ err: error.message }, 'auth gate: resync failed'));
      }, LISTEN_RETRY_MS);
      this.retryTimer.unref();
    };
    client.on('error', (error) => lost(error.message));
    client.on('end', () => lost('connection ended'));
    client.on('notification', (message) => {
      if (message.channel !== AUTH_CHANNEL) return;
      this.onNotify(message.payload).catch((error: Error) =>
        this.logger.warn({ err: error.message }, 'auth gate: notification not applied'),
      );
    });
    this.client = client;
    try {
      await client.connect();
      await client.query(`LISTEN ${AUTH_CHANNEL}`);
      if (this.client === client) this.listening = true;
    } catch (error) {
      lost((error as Error).message);
    }
  }
}
