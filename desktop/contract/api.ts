/**
 * The console API: the one interface the operator's screen talks to, and the privileged
 * side that serves it. Served by the console core in-process, over Electron IPC
 * (desktop/main + preload) and over the web console host's local Socket.io
 * (desktop/web-host); channels.ts names the messages of both bridges.
 */
import type { MatchMeta, MatchSnapshot } from '../../shared/match.js';
import type { StoredEvent, MatchEvent } from '../../shared/events.js';
import type { ConsoleSyncState, ErrorCode } from '../../shared/protocol.js';
import type { CommandResult, ConsoleCommand, ConsoleCommandArgs, ValidCommand } from './commands.js';

/** Sync states of the console's link (defined in shared/protocol/presence.ts; transitions in desktop/core/sync-state.ts). */
export type SyncState = ConsoleSyncState;

export interface SyncStatus {
  state: SyncState;
  /** Events committed locally and not yet confirmed by the server (current match). */
  pending: number;
  /** All unconfirmed events of every match on this console. */
  pendingTotal: number;
  /** Server time of the last confirmation (ISO), or null. */
  lastConfirmedAt: string | null;
  /** Why the server refused something or fenced this console, for the banner. */
  problem: { code: ErrorCode | 'NETWORK'; message: string; matchId?: string } | null;
  /** While catching up a backlog: how far (events sent / events to send at the start). */
  progress: { done: number; total: number } | null;
  serverUrl: string | null;
  /**
   * Where this console's device token is kept (issue 12): the OS keychain (Electron's
   * safeStorage) or a 0600 file; null when it has none (sign in). The token itself never
   * crosses the bridge.
   */
  tokenStorage?: 'os-keychain' | 'file' | null;
}

/** A log line for the operator's event list: the event plus whether a correction cancelled it. */
export interface LogEntry {
  event: MatchEvent;
  cancelled: boolean;
  /** Rules ignored it (for instance a point after a correction ended the match). */
  ignored: boolean;
  confirmed: boolean;
  /** Stored event fields once the server confirmed it. */
  stored?: Pick<StoredEvent, 'cursor' | 'consoleId' | 'epoch'>;
}

export interface ScheduleEntry {
  meta: MatchMeta;
  snapshot: MatchSnapshot;
  /** Created on this console and not yet known to the server. */
  localOnly: boolean;
}

export interface ConsoleInfo {
  consoleId: string;
  court: string | null;
  /** Match this console is scoring now, or null. */
  matchId: string | null;
  /** Whether this console may write the current match (false when fenced). */
  writable: boolean;
  /** `verify`: the current match is scored here as a verifying scorer's cross-check (never the score). */
  stream?: 'official' | 'verify';
  /**
   * Hot standby (issue 16): `standby` while this console mirrors the match read-only for a
   * takeover (claimMatch); `primary` while it writes it; null otherwise. Reported in presence.
   */
  role?: 'primary' | 'standby' | null;
  /**
   * While standing by: whether the primary (the match's writer) is connected to the server,
   * from the server's presence on each mirror pull; null when not known (offline, no writer).
   */
  primaryOnline?: boolean | null;
}

/** Every state the renderer needs, pushed on every change (one object, cheap to diff). */
export interface ConsoleView {
  info: ConsoleInfo;
  sync: SyncStatus;
  snapshot: MatchSnapshot | null;
  log: LogEntry[];
  /** Older log lines of the match not included in `log` (the view carries the newest ones only). */
  logOmitted?: number;
  /** Seqs that redo() would re-apply, newest last. */
  redoable: number[];
  schedule: ScheduleEntry[];
  /** Unsent events of the open match that a handover overtook: kept for review, never sent. */
  setAside?: SetAsideEntry[];
}

export interface SetAsideEntry {
  event: MatchEvent;
  /** Epoch the event was written with. */
  epoch: number;
  reason: string;
  setAsideAt: string;
}

/**
 * The screen's half of its own time:sync against the core: the server's time as the core
 * reckons it when the request came and when it answered (epoch ms). The screen may run
 * on another machine (web console host over the LAN), so it measures its own offset.
 */
export interface ServerTimeAnswer {
  receivedAt: number;
  sentAt: number;
  /** False until the core measured its own offset to the server (its local clock stands in). */
  offsetKnown: boolean;
}

/** The view and the time base: what both sides of a bridge offer alike. */
interface ConsoleReads {
  /** The server's time as the core reckons it (one time base for the game clock); absent: the screen's clock. */
  serverTime?(): Promise<ServerTimeAnswer>;
  view(): Promise<ConsoleView>;
  /** Called with every new view; returns an unsubscribe function. */
  subscribe(listener: (view: ConsoleView) => void): () => void;
}

/** What both bridges expose; the renderer only ever sees this. */
export interface ConsoleApi extends ConsoleReads {
  run<C extends ConsoleCommand>(command: C, args: ConsoleCommandArgs<C>): Promise<CommandResult>;
}

/**
 * What a bridge's privileged side serves (the console core): commands arrive already
 * validated at the bridge (desktop/contract/serve.ts), so the core runs them without
 * parsing them again.
 */
export interface ConsoleBackend extends ConsoleReads {
  dispatch(valid: ValidCommand): Promise<CommandResult>;
}
