/**
 * Presence reports for the director's court wall, which double as the app-level heartbeat:
 * every report is acknowledged, so HEARTBEAT_MISSES_ALLOWED unanswered reports in a row mean
 * the link is dead even while TCP still looks open. Periodic (heartbeatIntervalMs) and on
 * change, never more often than PRESENCE_MIN_GAP_MS.
 */
import type { Presence } from '../../../shared/protocol.js';
import { HEARTBEAT_MISSES_ALLOWED, PRESENCE_MIN_GAP_MS, type SyncTuning } from '../constants.js';
import type { Link } from './sync-client.js';
import { request } from './request.js';

export interface HeartbeatHost {
  presence(): Presence;
  isCurrent(link: Link): boolean;
  /** The link is dead: report it once. */
  dead(message: string): void;
}

export class PresenceHeartbeat {
  private link: Link | null = null;
  private interval: NodeJS.Timeout | null = null;
  private soon: NodeJS.Timeout | null = null;
  private misses = 0;
  private lastSentAt = 0;
  private lastSent = '';

  constructor(
    private readonly host: HeartbeatHost,
    private readonly tuning: SyncTuning,
  ) {}

  start(link: Link): void {
    this.stop();
    this.link = link;
    this.misses = 0;
    this.interval = setInterval(() => this.send(link), this.tuning.heartbeatIntervalMs);
    this.send(link);
  }

  stop(): void {
    if (this.interval) clearInterval(this.interval);
    if (this.soon) clearTimeout(this.soon);
    this.interval = null;
    this.soon = null;
    this.link = null;
  }

  /** Something the report shows changed: send it soon. */
  changed(): void {
    const link = this.link;
    if (!link || this.soon || !this.host.isCurrent(link)) return;
    if (JSON.stringify(this.host.presence()) === this.lastSent) return;
    const wait = Math.max(0, this.lastSentAt + PRESENCE_MIN_GAP_MS - Date.now());
    this.soon = setTimeout(() => {
      this.soon = null;
      if (this.host.isCurrent(link)) this.send(link);
    }, wait);
  }

  private send(link: Link): void {
    const report = this.host.presence();
    this.lastSent = JSON.stringify(report);
    this.lastSentAt = Date.now();
    // Any answer proves the link alive; a malformed one is also reported (request.ts).
    request(link, 'presence:report', report, this.tuning.heartbeatTimeoutMs).then(
      () => {
        if (this.host.isCurrent(link)) this.misses = 0;
      },
      () => {
        if (!this.host.isCurrent(link) || this.link !== link) return;
        this.misses++;
        if (this.misses >= HEARTBEAT_MISSES_ALLOWED) this.host.dead('the server stopped answering (heartbeat)');
      },
    );
  }
}
