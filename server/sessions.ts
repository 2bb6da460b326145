/**
 * websocket_sessions: one row per Socket.io connection (who, which namespace, console,
 * match, court, connect/disconnect and why). last_activity is written at most every
 * ACTIVITY_WRITE_MS per socket so a busy socket does not cost a write per message.
 */
import type pg from 'pg';
import type { Logger } from './logger.js';

/** Activity resolution of the sessions table: enough to see "last heard of" in a minute-scale view. */
const ACTIVITY_WRITE_MS = 5_000;

export interface SessionInfo {
  socketId: string;
  namespace: string;
  /** Null for tokens without a users row (graphics viewer tokens). */
  userId: number | null;
  username: string;
  role: string;
  consoleId: string | null;
}

export class SessionHandle {
  private lastWrite = Date.now();
  private id: Promise<number | null>;

  constructor(
    private readonly pool: pg.Pool,
    private readonly logger: Logger,
    serverId: string,
    info: SessionInfo,
  ) {
    this.id = pool
      .query<{ id: number }>(
        `INSERT INTO websocket_sessions (socket_id, namespace, server_id, user_id, username, role, console_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
        [info.socketId, info.namespace, serverId, info.userId, info.username, info.role, info.consoleId],
      )
      .then((r) => r.rows[0]?.id ?? null)
      .catch((error: Error) => {
        logger.warn({ err: error.message }, 'sessions: connect not recorded');
        return null;
      });
  }

  /** Cheap: at most one write every ACTIVITY_WRITE_MS. */
  touch(context?: { matchId?: string | null; court?: string | null }): void {
    const now = Date.now();
    if (!context && now - this.lastWrite < ACTIVITY_WRITE_MS) return;
    this.lastWrite = now;
    void this.write(
      `UPDATE websocket_sessions SET last_activity = now(),
         match_id = COALESCE($2, match_id), court = COALESCE($3, court) WHERE id = $1`,
      [context?.matchId ?? null, context?.court ?? null],
    );
  }

  close(reason: string): Promise<void> {
    return this.write(
      `UPDATE websocket_sessions SET disconnected_at = now(), last_activity = now(), disconnect_reason = $2 WHERE id = $1`,
      [reason],
    );
  }

  private async write(sql: string, params: unknown[]): Promise<void> {
    const id = await this.id;
    if (id === null) return;
    try {
      await this.pool.query(sql, [id, ...params]);
    } catch (error) {
      this.logger.debug({ err: (error as Error).message }, 'sessions: update not recorded');
    }
  }
}

/** On start: sessions this process left open when it died are closed as such. */
export async function closeStaleSessions(pool: pg.Pool, serverId: string): Promise<void> {
  await pool.query(
    `UPDATE websocket_sessions SET disconnected_at = now(), disconnect_reason = 'server restarted'
     WHERE server_id = $1 AND disconnected_at IS NULL`,
    [serverId],
  );
}
