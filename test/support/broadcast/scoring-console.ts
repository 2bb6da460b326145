/**
 * A console for the broadcast tests: a socket.io-client on /console that pushes events
 * per the contract (events:push with seq from 1 per match) and waits for each ack. It
 * reconnects by itself; `push` retries while the server is away, like a real outbox.
 */
import { randomUUID } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import type { EventType } from '../../../shared/events.js';
import {
  PROTOCOL_VERSION,
  type ConsoleClientToServer,
  type ConsoleServerToClient,
  type PushAck,
} from '../../../shared/protocol.js';

/** An ack not back by then counts as lost: the same events are pushed again (the server dedupes). */
const ACK_TIMEOUT_MS = 3_000;
const RETRY_MS = 200;
/** Give up a push after this long: a test must end by itself. */
const PUSH_DEADLINE_MS = 45_000;

export class ScoringConsole {
  readonly consoleId: string;
  readonly socket: Socket<ConsoleServerToClient, ConsoleClientToServer>;
  private readonly seqs = new Map<string, number>();
  private readonly epochs = new Map<string, number>();
  readonly fenced: { matchId: string; epoch: number }[] = [];

  constructor(base: string, token: string, consoleId: string = randomUUID()) {
    this.consoleId = consoleId;
    this.socket = io(`${base}/console`, {
      auth: { token, protocol: PROTOCOL_VERSION, consoleId },
      transports: ['websocket'],
      reconnectionDelay: 100,
      reconnectionDelayMax: 1_000,
    });
    this.socket.on('match:fenced', (msg) => this.fenced.push(msg));
    this.socket.on('match:assigned', (msg) => this.epochs.set(msg.matchId, msg.epoch));
  }

  connected(): Promise<void> {
    if (this.socket.connected) return Promise.resolve();
    return new Promise((resolve) => this.socket.once('connect', () => resolve()));
  }

  /** Continue a match another console wrote (after a handover): next seq and epoch. */
  adopt(matchId: string, lastSeq: number, epoch: number): void {
    this.seqs.set(matchId, lastSeq);
    this.epochs.set(matchId, epoch);
  }

  /** Push events for a match; resolves with the ack once committed (ok: true) or refused. */
  async push(matchId: string, events: { type: EventType; payload?: Record<string, unknown> }[]): Promise<PushAck> {
    const first = (this.seqs.get(matchId) ?? 0) + 1;
    const stamped = events.map((e, i) => ({
      seq: first + i,
      type: e.type,
      payload: e.payload ?? {},
      at: new Date().toISOString(),
    }));
    const deadline = Date.now() + PUSH_DEADLINE_MS;
    for (;;) {
      if (Date.now() > deadline) throw new Error(`push to ${matchId} not acknowledged in time`);
      await this.connected();
      const msg = { matchId, epoch: this.epochs.get(matchId) ?? 0, events: stamped } as Parameters<
        ConsoleClientToServer['events:push']
      >[0];
      const ack = await new Promise<PushAck | null>((resolve) => {
        this.socket
          .timeout(ACK_TIMEOUT_MS)
          .emit('events:push', msg, (err: Error | null, res: PushAck) => resolve(err ? null : res));
      });
      if (ack?.ok) {
        this.seqs.set(matchId, first + stamped.length - 1);
        return ack;
      }
      if (ack && ack.code !== 'UNAVAILABLE') return ack;
      await new Promise((r) => setTimeout(r, RETRY_MS));
    }
  }

  async pushOk(matchId: string, events: { type: EventType; payload?: Record<string, unknown> }[]): Promise<number> {
    const ack = await this.push(matchId, events);
    if (!ack.ok) throw new Error(`push refused: ${ack.code} ${ack.message}`);
    return ack.cursor;
  }

  start(matchId: string): Promise<number> {
    return this.pushOk(matchId, [{ type: 'MATCH_START' }]);
  }

  point(matchId: string, side: 'home' | 'away', times = 1): Promise<number> {
    return this.pushOk(
      matchId,
      Array.from({ length: times }, () => ({ type: 'SCORE_UPDATE' as const, payload: { side } })),
    );
  }

  close(): void {
    this.socket.disconnect();
  }
}
