/**
 * The console's clock offset to the server: an NTP-style time:sync exchange on its /console
 * link, TIME_SYNC_BURST times right after connecting and then every TIME_SYNC_INTERVAL_MS;
 * the offset is that of the sample with the smallest round trip among the last
 * TIME_SYNC_WINDOW (arithmetic in shared/time-base.js). The offset outlives the link: a
 * console that loses the server keeps running its clocks in server time.
 */
import {
  addSample,
  serverNowMs,
  syncSample,
  timeBaseOf,
  TIME_SYNC_BURST,
  TIME_SYNC_INTERVAL_MS,
  TIME_SYNC_TIMEOUT_MS,
  type SyncSample,
  type TimeBase,
} from '../../../shared/time-base.js';
import type { Link } from './sync-host.js';
import { request } from './request.js';

export interface TimeSyncHost {
  isCurrent(link: Link): boolean;
  /** The offset or round trip changed: report it (presence) and keep it (settings). */
  changed(base: TimeBase): void;
}

export class TimeSync {
  private samples: SyncSample[] = [];
  private timer: NodeJS.Timeout | null = null;
  private link: Link | null = null;
  private base: TimeBase;

  constructor(
    private readonly host: TimeSyncHost,
    /** The offset kept from an earlier run, until the first new sample. */
    initialOffsetMs: number | null,
    private readonly intervalMs = TIME_SYNC_INTERVAL_MS,
  ) {
    this.base = { offsetMs: initialOffsetMs, rttMs: null };
  }

  get offsetMs(): number | null {
    return this.base.offsetMs;
  }

  get rttMs(): number | null {
    return this.base.rttMs;
  }

  /** The server's time now, as this console reckons it. */
  serverNow(localNowMs = Date.now()): number {
    return serverNowMs(localNowMs, this.base.offsetMs);
  }

  start(link: Link): void {
    this.stop();
    this.link = link;
    // A new link may take another route (another access point): start a new window.
    this.samples = [];
    void this.burst(link);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.link = null;
  }

  private async burst(link: Link): Promise<void> {
    for (let i = 0; i < TIME_SYNC_BURST; i++) {
      if (!(await this.exchange(link))) break;
    }
    this.schedule(link);
  }

  private schedule(link: Link): void {
    if (this.link !== link || !this.host.isCurrent(link)) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.exchange(link).then(() => this.schedule(link));
    }, this.intervalMs);
    this.timer.unref?.();
  }

  /** One exchange; false when the link is gone or did not answer. */
  private async exchange(link: Link): Promise<boolean> {
    if (this.link !== link || !this.host.isCurrent(link)) return false;
    const t0 = Date.now();
    try {
      const ack = await request(link, 'time:sync', {}, TIME_SYNC_TIMEOUT_MS);
      const t3 = Date.now();
      if (!ack.ok || this.link !== link) return false;
      this.samples = addSample(this.samples, syncSample(t0, ack.receivedAt, ack.sentAt, t3));
      const next = timeBaseOf(this.samples);
      if (next.offsetMs !== this.base.offsetMs || next.rttMs !== this.base.rttMs) {
        this.base = next;
        this.host.changed(next);
      }
      return true;
    } catch {
      return false; // no answer in time: the heartbeat judges the link, not this
    }
  }
}
