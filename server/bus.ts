/**
 * Fan-out of committed batches and state changes to every server process. Each process
 * publishes after its own commit; every process (itself included) puts it on air for its
 * own local sockets (server/live/broadcaster.ts), so the on-air position of each match
 * (what its rooms' members hold) stays local to the process.
 * Transport: the Socket.io adapter's serverSideEmit (postgres or redis adapter).
 */
import type { Namespace } from 'socket.io';
import type { MatchSnapshot } from '../shared/match.js';
import type { ConsolePresence } from '../shared/protocol.js';
import type { Verification, VerificationAlert } from '../shared/verification.js';
import type { CommittedMatch } from './ingest/flush.js';

export type BusMessage =
  | { type: 'batch'; matches: CommittedMatch[] }
  | { type: 'match-created'; snapshot: MatchSnapshot }
  | { type: 'epoch'; matchId: string; epoch: number; writerConsoleId: string | null }
  | { type: 'presence'; presence: ConsolePresence }
  /** A match's verification (verify stream) or its court wall alert changed. */
  | {
      type: 'verification';
      matchId: string;
      verification: Verification;
      verificationAlert: VerificationAlert | null;
    };

export type BusListener = (message: BusMessage, origin: 'local' | 'remote') => void;

const BUS_EVENT = 'scoredesk:bus';

export class Bus {
  private readonly listeners = new Set<BusListener>();
  private nsp: Namespace | null = null;

  /** Connect to the other processes through this namespace's adapter (not for the in-memory adapter). */
  attach(nsp: Namespace): void {
    this.nsp = nsp;
    nsp.on(BUS_EVENT as never, ((message: BusMessage) => this.dispatch(message, 'remote')) as never);
  }

  on(listener: BusListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  publish(message: BusMessage): void {
    this.dispatch(message, 'local');
    this.nsp?.serverSideEmit(BUS_EVENT, message);
  }

  private dispatch(message: BusMessage, origin: 'local' | 'remote'): void {
    for (const listener of this.listeners) listener(message, origin);
  }
}
