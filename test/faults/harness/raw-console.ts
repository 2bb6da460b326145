/**
 * A console that speaks the /console contract directly over socket.io-client, with an
 * in-memory log and outbox: resends everything unacknowledged after a reconnect or an
 * ack timeout, follows GAP's expectedSeq, records every ack. Used where the fault is in
 * the network or the server (the console core's own durability is tested with the real
 * core in a child process), and by the load bench.
 */
import { randomUUID } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import type { MatchEvent } from '../../../shared/events.js';
import {
  PROTOCOL_VERSION,
  type ConsoleClientToServer,
  type ConsoleServerToClient,
  type EventsPush,
  type PushAck,
  type ClaimAck,
  type PullAck,
} from '../../../shared/protocol.js';
import { toEvent, type EventDraft } from './scoring.js';

/** Without an answer by then the ack counts as lost and the push is sent again. */
export const ACK_TIMEOUT_MS = 3_000;
/** After UNAVAILABLE (storage down) wait this long before trying again. */
const UNAVAILABLE_RETRY_MS = 250;
/** Events per push while draining a backlog (the contract allows 500). */
const DEFAULT_CHUNK = 100;

export interface AckRecord {
  sentAt: number;
  receivedAt: number;
  firstSeq: number;
  lastSeq: number;
  ack: PushAck | { ok: false; code: 'TIMEOUT'; message: string };
}

export interface RawConsoleOptions {
  url: string;
  token: string;
  matchId: string;
  consoleId?: string;
  epoch?: number;
  chunk?: number;
  ackTimeoutMs?: number;
  /** Pushes in flight at once (1: stop-and-wait; more: pipelined, like a fast console). */
  maxInFlight?: number;
  /** Called with the moment each event was first sent (load latency). */
  onSent?: (seq: number, at: number) => void;
}

export class RawConsole {
  readonly consoleId: string;
  readonly matchId: string;
  readonly log: MatchEvent[] = [];
  readonly acks: AckRecord[] = [];
  /** Highest seq the server confirmed as committed. */
  ackedSeq = 0;
  /** A refusal that stops writing (STALE_EPOCH, FORBIDDEN, ...), shown to the test. */
  refused: { code: string; message: string } | null = null;
  readonly socket: Socket<ConsoleServerToClient, ConsoleClientToServer>;
  private epoch: number;
  private inFlight = 0;
  /** Highest seq sent on the current connection (pipelined pushes run ahead of ackedSeq). */
  private sentUpTo = 0;
  /** Bumped on every (re)connect: answers of older pushes no longer steer sending. */
  private generation = 0;
  /** Server answers that contradict an earlier ack (checked by the tests). */
  readonly anomalies: string[] = [];
  private closed = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private readonly firstSent = new Set<number>();
  private readonly drainWaiters: Array<() => void> = [];

  constructor(private readonly options: RawConsoleOptions) {
    this.consoleId = options.consoleId ?? randomUUID();
    this.matchId = options.matchId;
    this.epoch = options.epoch ?? 0;
    this.socket = io(`${options.url}/console`, {
      auth: { token: options.token, protocol: PROTOCOL_VERSION, consoleId: this.consoleId },
      transports: ['websocket'],
      reconnectionDelay: 100,
      reconnectionDelayMax: 1_000,
    });
    this.socket.on('connect', () => {
      this.generation++;
      this.inFlight = 0;
      this.sentUpTo = this.ackedSeq;
      this.flush();
    });
    this.socket.on('match:fenced', (msg) => {
      if (msg.matchId === this.matchId) this.refused = { code: 'STALE_EPOCH', message: `fenced at epoch ${msg.epoch}` };
    });
  }

  get connected(): boolean {
    return this.socket.connected;
  }

  get pending(): number {
    return this.log.length - this.ackedSeq;
  }

  get currentEpoch(): number {
    return this.epoch;
  }

  /** Record the next event locally (always succeeds, like the console's SQLite) and send. */
  record(draft: EventDraft): MatchEvent {
    return this.recordMany([draft])[0]!;
  }

  /**
   * Record several events at once (what an operator scored since the last tick), then send:
   * they leave in one push when a push slot is free, else they wait in the outbox for the
   * next, as in the console core.
   */
  recordMany(drafts: EventDraft[]): MatchEvent[] {
    const at = new Date();
    const first = this.log.length + 1;
    const events = drafts.map((draft, i) => toEvent(first + i, draft, at));
    for (const event of events) this.log.push(event);
    this.flush();
    return events;
  }

  /** Take over a match (handover): pull what is stored, claim the next epoch, continue from there. */
  async takeOver(expectedEpoch: number): Promise<ClaimAck> {
    const claim = (await this.socket
      .timeout(this.options.ackTimeoutMs ?? ACK_TIMEOUT_MS)
      .emitWithAck('match:claim', { matchId: this.matchId, expectedEpoch })) as ClaimAck;
    if (!claim.ok) return claim;
    const pulled: MatchEvent[] = [];
    let lastCursor = 0;
    for (;;) {
      const page = (await this.socket
        .timeout(this.options.ackTimeoutMs ?? ACK_TIMEOUT_MS)
        .emitWithAck('match:pull', { matchId: this.matchId, after: pulled.length ? lastCursor : 0 })) as PullAck;
      if (!page.ok) throw new Error(`match:pull refused: ${page.code} ${page.message}`);
      for (const e of page.events) {
        pulled.push({ seq: e.seq, type: e.type, payload: e.payload, at: e.at } as MatchEvent);
        lastCursor = e.cursor;
      }
      if (page.upToDate || page.events.length === 0) break;
    }
    this.log.splice(0, this.log.length, ...pulled);
    this.ackedSeq = pulled.length;
    this.sentUpTo = pulled.length;
    this.epoch = claim.epoch;
    return claim;
  }

  /** Send exactly this push once more, outside the outbox (duplicate delivery). */
  async resendRaw(firstSeq: number, lastSeq: number): Promise<PushAck> {
    const push: EventsPush = {
      matchId: this.matchId,
      epoch: this.epoch,
      events: this.log.slice(firstSeq - 1, lastSeq),
    };
    return (await this.socket
      .timeout(this.options.ackTimeoutMs ?? ACK_TIMEOUT_MS)
      .emitWithAck('events:push', push)) as PushAck;
  }

  /** Resolves when every recorded event is acknowledged (or the console was refused). */
  drained(): Promise<void> {
    if (this.pending === 0 || this.refused) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  close(): void {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.socket.close();
    this.notifyDrain();
  }

  private flush(): void {
    const max = this.options.maxInFlight ?? 1;
    while (
      !this.closed &&
      !this.refused &&
      this.socket.connected &&
      this.inFlight < max &&
      this.sentUpTo < this.log.length
    )
      this.sendNext();
  }

  private sendNext(): void {
    const firstSeq = this.sentUpTo + 1;
    const events = this.log.slice(this.sentUpTo, this.sentUpTo + (this.options.chunk ?? DEFAULT_CHUNK));
    const lastSeq = firstSeq + events.length - 1;
    this.sentUpTo = lastSeq;
    const sentAt = Date.now();
    for (const e of events) {
      if (this.firstSent.has(e.seq)) continue;
      this.firstSent.add(e.seq);
      this.options.onSent?.(e.seq, sentAt);
    }
    this.inFlight++;
    const generation = this.generation;
    const push: EventsPush = { matchId: this.matchId, epoch: this.epoch, events };
    this.socket
      .timeout(this.options.ackTimeoutMs ?? ACK_TIMEOUT_MS)
      .emit('events:push', push, (err: Error | null, ack: PushAck) => {
        const record: AckRecord = {
          sentAt,
          receivedAt: Date.now(),
          firstSeq,
          lastSeq,
          ack: err ? { ok: false, code: 'TIMEOUT', message: err.message } : ack,
        };
        this.acks.push(record);
        // Answers from before a reconnect still confirm commits, but no longer steer sending.
        if (generation === this.generation) this.inFlight--;
        this.onAck(record, generation === this.generation);
      });
  }

  private onAck(record: AckRecord, current: boolean): void {
    const ack = record.ack;
    if (ack.ok) {
      this.ackedSeq = Math.max(this.ackedSeq, Math.min(ack.ackedSeq, this.log.length));
      this.sentUpTo = Math.max(this.sentUpTo, this.ackedSeq);
    } else if (!current) {
      return;
    } else if (ack.code === 'GAP' && 'expectedSeq' in ack && typeof ack.expectedSeq === 'number') {
      // Send again from what the server expects; only an ok ack moves ackedSeq (a GAP is no commit).
      this.sentUpTo = Math.min(Math.max(ack.expectedSeq - 1, 0), this.log.length);
      if (ack.expectedSeq - 1 < this.ackedSeq)
        this.anomalies.push(`GAP expected ${ack.expectedSeq} after ack of ${this.ackedSeq}`);
    } else if (
      ack.code === 'UNAVAILABLE' ||
      ack.code === 'TIMEOUT' ||
      ack.code === 'RATE_LIMITED' ||
      ack.code === 'INTERNAL'
    ) {
      this.sentUpTo = this.ackedSeq;
      this.retryLater();
      return;
    } else {
      this.refused = { code: ack.code, message: ack.message };
    }
    this.notifyDrain();
    this.flush();
  }

  private retryLater(): void {
    if (this.retryTimer || this.closed) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.flush();
    }, UNAVAILABLE_RETRY_MS);
  }

  private notifyDrain(): void {
    if (this.pending > 0 && !this.refused && !this.closed) return;
    for (const resolve of this.drainWaiters.splice(0)) resolve();
  }
}
