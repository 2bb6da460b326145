/**
 * The honest console of the attack tests: a scorer on a court of its own pushes one
 * event at a time at a steady pace while an attack runs, and records how long each ack
 * took. Afterwards `expectServed` checks the promise: every ack under
 * HONEST_ACK_MAX_MS, and every event stored exactly once (one row per seq).
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { Socket } from 'socket.io-client';
import { expect } from 'vitest';
import { connectSocket, request, scoreEvents, startEvent, type TestServer } from '../support/server.js';

/** The bound: an honest court's ack never waits a second for someone else's attack. */
export const HONEST_ACK_MAX_MS = 1_000;
/** One event every 50 ms: a busy court (a console sends a few a second). */
const HONEST_PACE_MS = 50;
/** The honest court's court: the attacks run on other courts (1, A, B, X…). */
const HONEST_COURT = '2';

export interface HonestCourtOptions {
  /** Server base URL. */
  url: string;
  /** A scorer (or admin) token allowed on the match's court. */
  token: string;
  matchId: string;
  databaseUrl: string;
}

export class HonestCourt {
  readonly latencies: number[] = [];
  readonly refusals: unknown[] = [];
  private seq = 0;
  private running: Promise<void> | null = null;
  private stopped = false;
  private pending: { seq: number } | null = null;

  private constructor(
    private readonly socket: Socket,
    private readonly options: HonestCourtOptions,
  ) {}

  static async connect(options: HonestCourtOptions): Promise<HonestCourt> {
    const socket = await connectSocket(options.url, '/console', options.token, { consoleId: randomUUID() });
    const court = new HonestCourt(socket, options);
    await court.pushOne(); // MATCH_START, before any attack
    return court;
  }

  /** The usual setup on an in-process test server: a new match on `court` and a scorer for that court only. */
  static async onCourt(server: TestServer, court = HONEST_COURT): Promise<HonestCourt> {
    const match = await server.createMatch({ court });
    return HonestCourt.connect({
      url: server.url,
      token: await server.userToken('scorer', [court]),
      matchId: match.id,
      databaseUrl: server.databaseUrl,
    });
  }

  get pushed(): number {
    return this.seq;
  }

  private async pushOne(): Promise<void> {
    const seq = this.seq + 1;
    // A retry after a failed ack resends the same event (a duplicate, never a CONFLICT).
    if (this.pending?.seq !== seq)
      this.pending = seq === 1 ? startEvent(1) : scoreEvents(seq, 1, seq % 2 ? 'home' : 'away')[0]!;
    const event = this.pending;
    const started = performance.now();
    let ack: { ok?: boolean; ackedSeq?: number } | undefined;
    try {
      ack = await request(this.socket, 'events:push', { matchId: this.options.matchId, epoch: 0, events: [event] });
    } catch (error) {
      if (this.stopped) return; // closed by a failing test's cleanup
      ack = { ok: false, error: (error as Error).message } as never;
    }
    this.latencies.push(performance.now() - started);
    if (ack?.ok && ack.ackedSeq === seq) this.seq = seq;
    else this.refusals.push(ack);
  }

  /** Pushes at a steady pace until stop(); latencies and refusals are those of this run (one attack phase). */
  start(): void {
    this.latencies.length = 0;
    this.refusals.length = 0;
    if (this.running && !this.stopped) return; // still running (an earlier test failed before stop)
    this.stopped = false;
    this.running = (async () => {
      while (!this.stopped) {
        const next = performance.now() + HONEST_PACE_MS;
        await this.pushOne();
        const wait = next - performance.now();
        if (wait > 0 && !this.stopped) await new Promise((r) => setTimeout(r, wait));
      }
    })();
  }

  /** Stops after the push in flight; at least `minPushes` pushes are made first. */
  async stop(minPushes = 5): Promise<void> {
    while (this.latencies.length < minPushes) await new Promise((r) => setTimeout(r, HONEST_PACE_MS));
    this.stopped = true;
    await this.running;
  }

  /** Every ack under the bound, no refusal, and each pushed event stored exactly once. */
  async expectServed(): Promise<void> {
    expect(this.refusals).toEqual([]);
    expect(Math.max(...this.latencies)).toBeLessThan(HONEST_ACK_MAX_MS);
    const pool = new pg.Pool({ connectionString: this.options.databaseUrl, max: 1 });
    try {
      const { rows } = await pool.query<{ seq: number; n: number }>(
        'SELECT seq, count(*)::int AS n FROM match_events WHERE match_id = $1 GROUP BY seq ORDER BY seq',
        [this.options.matchId],
      );
      expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: this.seq }, (_, i) => i + 1));
      expect(rows.every((r) => r.n === 1)).toBe(true);
    } finally {
      await pool.end();
    }
  }

  close(): void {
    this.stopped = true;
    this.socket.close();
  }
}
