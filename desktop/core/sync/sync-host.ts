/** What the sync client shares with the core and its helpers: the socket type, the host, setting keys. */
import type { Socket } from 'socket.io-client';
import type { Battery, ConsoleClientToServer, ConsoleServerToClient } from '../../../shared/protocol.js';
import type { LocalStore } from '../local-store.js';
import type { Logger } from '../logger.js';
import type { TokenVault } from './token-vault.js';

export type ConsoleSocket = Socket<ConsoleServerToClient, ConsoleClientToServer>;

/** A connected socket and the generation it belongs to: anything from an older generation is stale. */
export interface Link {
  socket: ConsoleSocket;
  generation: number;
  /** The server sent something the protocol's schemas refuse (sync/request.ts): log it, show it. */
  badReply(message: string): void;
}

/** What the sync client needs from the core around it. */
export interface SyncHost {
  store: LocalStore;
  /** The device token (never in the SQLite file; never the password). */
  vault: TokenVault;
  consoleId: string;
  logger: Logger;
  currentMatchId(): string | null;
  court(): string | null;
  /** A match's durable state changed through sync; `events`: its log changed too (reload it). */
  matchChanged(matchId: string, events: boolean): void;
  /** Status or progress changed: show it. */
  changed(): void;
  /** The cached schedule changed. */
  scheduleChanged(): void;
  /** The server handed a match to this console. */
  assigned(matchId: string): void;
  /** Reported in presence (device health). */
  appVersion: string | null;
  battery(): Battery | null;
  /** Hot standby role of this console for its current match (presence `role`). */
  role(): 'primary' | 'standby' | null;
  /** The clock offset (console minus server) this console measured last, kept across restarts. */
  savedClockOffsetMs: number | null;
  clockOffsetChanged(offsetMs: number | null): void;
}

export const SETTING = {
  serverUrl: 'server_url',
  username: 'username',
  clockOffsetMs: 'clock_offset_ms',
} as const;
