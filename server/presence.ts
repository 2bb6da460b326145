/**
 * Console presence for the court wall: online/offline from /console connections, plus
 * the consoles' own reports (court, match, pending events, device health: role, battery,
 * round trip, clock offset, app version). Kept in memory for
 * freshness checks, stored in console_presence, and published to every process.
 */
import type pg from 'pg';
import { presenceStateSchema, type ConsolePresence, type Presence, type PresenceState } from '../shared/protocol.js';
import type { Bus } from './bus.js';
import type { Logger } from './logger.js';

/**
 * A stored state as the union: rows written before states were one (free text, issue 14)
 * read as what the server knows of them.
 */
function storedState(state: string, online: boolean): PresenceState {
  const known = presenceStateSchema.safeParse(state);
  return known.success ? known.data : online ? 'connected' : 'offline';
}

export class PresenceTracker {
  private readonly known = new Map<string, ConsolePresence>();
  /** Local sockets per console: a console online twice (reconnect overlap) is offline only when both are gone. */
  private readonly localSockets = new Map<string, number>();
  /** The write in flight per console (store never rejects: it logs). */
  private readonly writes = new Map<string, Promise<void>>();

  constructor(
    private readonly pool: pg.Pool,
    private readonly bus: Bus,
    private readonly serverId: string,
    private readonly logger: Logger,
  ) {
    bus.on((message) => {
      if (message.type === 'presence') this.known.set(message.presence.consoleId, message.presence);
    });
  }

  isOnline(consoleId: string | null): boolean {
    return consoleId ? (this.known.get(consoleId)?.online ?? false) : false;
  }

  connected(consoleId: string, user: string): void {
    this.localSockets.set(consoleId, (this.localSockets.get(consoleId) ?? 0) + 1);
    // Not awaited (a socket event): update() logs its own storage failures.
    void this.update(consoleId, user, { online: true });
  }

  disconnected(consoleId: string, user: string): void {
    const left = (this.localSockets.get(consoleId) ?? 1) - 1;
    if (left > 0) {
      this.localSockets.set(consoleId, left);
      return;
    }
    this.localSockets.delete(consoleId);
    void this.update(consoleId, user, { online: false });
  }

  /** A report is the console's whole state: device health it leaves out is not known (null). */
  report(consoleId: string, user: string, report: Presence): Promise<void> {
    return this.update(consoleId, user, {
      ...report,
      role: report.role ?? null,
      battery: report.battery ?? null,
      rttMs: report.rttMs ?? null,
      clockOffsetMs: report.clockOffsetMs ?? null,
      appVersion: report.appVersion ?? null,
      online: true,
    });
  }

  private async update(consoleId: string, user: string, change: Partial<ConsolePresence>): Promise<void> {
    const previous = this.known.get(consoleId);
    const presence: ConsolePresence = {
      consoleId,
      user,
      court: previous?.court ?? null,
      matchId: previous?.matchId ?? null,
      pending: previous?.pending ?? 0,
      lastConfirmedAt: previous?.lastConfirmedAt ?? null,
      state: previous?.state ?? 'connected',
      role: previous?.role ?? null,
      battery: previous?.battery ?? null,
      rttMs: previous?.rttMs ?? null,
      clockOffsetMs: previous?.clockOffsetMs ?? null,
      appVersion: previous?.appVersion ?? null,
      online: true,
      ...change,
      since: new Date().toISOString(),
    };
    if (!presence.online) presence.state = 'offline';
    this.bus.publish({ type: 'presence', presence });
    // One console's rows are written in order: a connect's upsert that landed after its
    // disconnect's left a console that was gone "online" for good (issue 12's presence flood).
    const write = (this.writes.get(consoleId) ?? Promise.resolve()).then(() => this.store(consoleId, user, presence));
    this.writes.set(consoleId, write);
    await write;
    if (this.writes.get(consoleId) === write) this.writes.delete(consoleId);
  }

  private async store(consoleId: string, user: string, presence: ConsolePresence): Promise<void> {
    try {
      await this.pool.query(
        `INSERT INTO console_presence (console_id, username, court, match_id, pending, last_confirmed_at, state, online, server_id,
           role, battery_level, battery_charging, rtt_ms, clock_offset_ms, app_version, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, now())
         ON CONFLICT (console_id) DO UPDATE SET username = $2, court = $3, match_id = $4, pending = $5,
           last_confirmed_at = $6, state = $7, online = $8, server_id = $9, role = $10, battery_level = $11,
           battery_charging = $12, rtt_ms = $13, clock_offset_ms = $14, app_version = $15, updated_at = now()`,
        [
          consoleId,
          user,
          presence.court,
          presence.matchId,
          presence.pending,
          presence.lastConfirmedAt,
          presence.state,
          presence.online,
          this.serverId,
          presence.role,
          presence.battery?.level ?? null,
          presence.battery?.charging ?? null,
          presence.rttMs,
          presence.clockOffsetMs,
          presence.appVersion,
        ],
      );
    } catch (error) {
      this.logger.warn({ err: (error as Error).message }, 'presence: not stored');
    }
  }

  async list(): Promise<ConsolePresence[]> {
    const { rows } = await this.pool.query<{
      console_id: string;
      username: string;
      court: string | null;
      match_id: string | null;
      pending: number;
      last_confirmed_at: Date | null;
      state: string;
      online: boolean;
      role: ConsolePresence['role'];
      battery_level: number | null;
      battery_charging: boolean | null;
      rtt_ms: number | null;
      clock_offset_ms: number | null;
      app_version: string | null;
      updated_at: Date;
    }>('SELECT * FROM console_presence ORDER BY court NULLS LAST, console_id');
    return rows.map((r) => ({
      consoleId: r.console_id,
      user: r.username,
      court: r.court,
      matchId: r.match_id,
      pending: r.pending,
      lastConfirmedAt: r.last_confirmed_at ? r.last_confirmed_at.toISOString() : null,
      state: storedState(r.state, r.online),
      online: r.online,
      role: r.role,
      battery:
        r.battery_level !== null && r.battery_charging !== null
          ? { level: r.battery_level, charging: r.battery_charging }
          : null,
      rttMs: r.rtt_ms,
      clockOffsetMs: r.clock_offset_ms,
      appVersion: r.app_version,
      since: r.updated_at.toISOString(),
    }));
  }

  /** On start: consoles this process served before a crash are not online any more. */
  async resetOwn(): Promise<void> {
    await this.pool.query(
      `UPDATE console_presence SET online = false, state = 'offline' WHERE server_id = $1 AND online`,
      [this.serverId],
    );
    // Consoles connected to other processes are online already: start from what they stored.
    for (const presence of await this.list())
      if (!this.known.has(presence.consoleId)) this.known.set(presence.consoleId, presence);
  }
}
