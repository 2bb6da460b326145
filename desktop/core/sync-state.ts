/**
 * The sync link's state machine: one pure, exhaustive transition function. The sync client
 * feeds it what happened (inputs) and performs what it returns (effects); nothing else
 * changes the state, so every state the operator sees has exactly one way in.
 *
 *   offline --configure/retry-timer--> connecting --connected--> catching-up --drained--> live
 *   connecting --connect-failed--> offline (backoff)      connecting --refused--> refused (slow retry)
 *   connecting --incompatible--> incompatible (no retry: only new settings or an update help)
 *   catching-up|live|fenced --link-lost--> offline (backoff)
 *   catching-up|live --fence-changed(true)--> fenced --fence-changed(false)--> catching-up
 *   catching-up|live|fenced --bad-reply--> the same state, showing the problem
 */
import { describeProtocolRefusal, type ErrorCode, type ProtocolRefusal } from '../../shared/protocol.js';
import type { SyncState } from '../contract/api.js';

export interface SyncMachine {
  state: SyncState;
  /** A server is configured (url and credentials); without one the console stays offline. */
  configured: boolean;
  /** Failed attempts since the last successful connection: drives the backoff. */
  attempt: number;
  /** The open match is fenced (read-only): shown as 'fenced' while connected. */
  currentFenced: boolean;
  /** Why the last attempt failed or was refused, for the banner. */
  problem: { code: ErrorCode | 'NETWORK'; message: string } | null;
}

export type SyncInput =
  | { type: 'configure'; configured: boolean }
  | { type: 'retry-timer' }
  | { type: 'connected' }
  | { type: 'connect-failed'; message: string }
  | { type: 'refused'; code: ErrorCode; message: string }
  /** The server and this console have no protocol version in common (its connect_error). */
  | { type: 'incompatible'; refusal: ProtocolRefusal; clientVersion: number }
  /**
   * The server answered with something the protocol's schemas refuse: nothing of it was
   * stored; the request it answered failed (the match is blocked until the next connection).
   */
  | { type: 'bad-reply'; message: string }
  | { type: 'link-lost'; message: string }
  /** Every writable match's outbox is confirmed. */
  | { type: 'drained' }
  /** New local events wait to be sent. */
  | { type: 'backlog' }
  | { type: 'fence-changed'; fenced: boolean }
  | { type: 'stop' };

export type SyncEffect =
  | { type: 'connect' }
  | { type: 'disconnect' }
  /** Call back with retry-timer after backoffDelay(attempt), or after REFUSED_RETRY_MS when `refused`. */
  | { type: 'schedule-retry'; attempt: number; refused: boolean }
  | { type: 'cancel-retry' }
  /** Pull/claim what needs it and drain the outboxes. */
  | { type: 'sync' };

export interface Transition {
  machine: SyncMachine;
  effects: SyncEffect[];
}

export const INITIAL_SYNC: SyncMachine = {
  state: 'offline',
  configured: false,
  attempt: 0,
  currentFenced: false,
  problem: null,
};

const CONNECTED_STATES: readonly SyncState[] = ['catching-up', 'live', 'fenced'];

export function isConnected(state: SyncState): boolean {
  return CONNECTED_STATES.includes(state);
}

export function transition(m: SyncMachine, input: SyncInput): Transition {
  const stay: Transition = { machine: m, effects: [] };
  const to = (patch: Partial<SyncMachine>, effects: SyncEffect[] = []): Transition => ({
    machine: { ...m, ...patch },
    effects,
  });

  // Inputs that mean the same in every state.
  switch (input.type) {
    case 'stop':
    case 'configure':
      if (input.type === 'stop' || !input.configured) {
        return to({ state: 'offline', configured: false, attempt: 0, problem: null }, [
          { type: 'cancel-retry' },
          { type: 'disconnect' },
        ]);
      }
      // New settings: start over at once, whatever we were doing.
      return to({ state: 'connecting', configured: true, attempt: 0, problem: null }, [
        { type: 'cancel-retry' },
        { type: 'disconnect' },
        { type: 'connect' },
      ]);
    case 'fence-changed': {
      const fenced = input.fenced;
      if (m.state === 'catching-up' || m.state === 'live') {
        return fenced ? to({ state: 'fenced', currentFenced: true }) : to({ currentFenced: false });
      }
      if (m.state === 'fenced' && !fenced)
        return to({ state: 'catching-up', currentFenced: false }, [{ type: 'sync' }]);
      return to({ currentFenced: fenced });
    }
    default:
      break;
  }

  const state = m.state;
  switch (state) {
    case 'offline':
      if (input.type === 'retry-timer' && m.configured) return to({ state: 'connecting' }, [{ type: 'connect' }]);
      // Late news from a socket that is already gone.
      return stay;

    case 'connecting':
      switch (input.type) {
        case 'connected':
          return to({ state: m.currentFenced ? 'fenced' : 'catching-up', attempt: 0, problem: null }, [
            { type: 'sync' },
          ]);
        case 'connect-failed':
        case 'link-lost':
          return linkDown(m, input.message, m.attempt + 1);
        case 'refused':
          return refuse(m, input);
        case 'incompatible':
          return incompatible(m, input);
        default:
          return stay;
      }

    case 'catching-up':
    case 'live':
    case 'fenced':
      switch (input.type) {
        case 'drained':
          return state === 'catching-up' ? to({ state: 'live' }) : stay;
        case 'backlog':
          return { machine: m, effects: [{ type: 'sync' }] };
        case 'link-lost':
        case 'connect-failed':
          // The link was up: its backoff starts over.
          return linkDown(m, input.message, 1);
        case 'refused':
          return refuse(m, input);
        case 'bad-reply':
          return m.problem?.message === input.message
            ? stay
            : to({ problem: { code: 'PROTOCOL', message: input.message } });
        default:
          return stay;
      }

    case 'refused':
      if (input.type === 'retry-timer' && m.configured) return to({ state: 'connecting' }, [{ type: 'connect' }]);
      return stay;

    case 'incompatible':
      // Waits for new settings (configure, above) or a restart after an update: no retry can change a version.
      return stay;

    default: {
      const never: never = state;
      throw new Error(`unknown sync state ${String(never)}`);
    }
  }
}

/** The network failed: offline, then retry with backoff at this attempt. */
function linkDown(m: SyncMachine, message: string, attempt: number): Transition {
  return {
    machine: { ...m, state: 'offline', attempt, problem: { code: 'NETWORK', message } },
    effects: [{ type: 'disconnect' }, { type: 'schedule-retry', attempt, refused: false }],
  };
}

/** No version in common: shown, never retried (a retry every minute would only fill the server's logs). */
function incompatible(m: SyncMachine, input: { refusal: ProtocolRefusal; clientVersion: number }): Transition {
  const message = describeProtocolRefusal(input.refusal, { name: 'this console', version: input.clientVersion });
  return {
    machine: { ...m, state: 'incompatible', problem: { code: 'PROTOCOL', message } },
    effects: [{ type: 'disconnect' }, { type: 'cancel-retry' }],
  };
}

function refuse(m: SyncMachine, input: { code: ErrorCode; message: string }): Transition {
  return {
    machine: { ...m, state: 'refused', problem: { code: input.code, message: input.message } },
    effects: [{ type: 'disconnect' }, { type: 'schedule-retry', attempt: m.attempt + 1, refused: true }],
  };
}
