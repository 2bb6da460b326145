/**
 * The console's link to the server (/console namespace): login, connect, and what happens
 * on each server notice. Draining the outbox lives in outbox-drain.ts, pulling and claiming
 * in remote-match.ts, presence and heartbeat in presence-heartbeat.ts. The link's state changes only
 * through transition() (sync-state.ts); this file performs the effects it returns.
 */
import { io } from 'socket.io-client';
import { PROTOCOL_VERSION, protocolRefusalOf, type ErrorCode, type Presence } from '../../../shared/protocol.js';
import {
  CONNECT_TIMEOUT_MS,
  DEFAULT_TUNING,
  REFUSED_RETRY_MS,
  REQUEST_TIMEOUT_MS,
  type SyncTuning,
} from '../constants.js';
import type { SyncStatus } from '../../contract/api.js';
import type { CommandResult } from '../../contract/commands.js';
import {
  INITIAL_SYNC,
  isConnected,
  transition,
  type SyncEffect,
  type SyncInput,
  type SyncMachine,
} from '../sync-state.js';
import { backoffDelay } from './backoff.js';
import { login, requestDeviceToken } from './login.js';
import { drainOutbox, type DrainContext } from './outbox-drain.js';
import { PresenceHeartbeat } from './presence-heartbeat.js';
import { onNotice, request } from './request.js';
import { TimeSync } from './time-sync.js';
import { SETTING, type ConsoleSocket, type Link, type SyncHost } from './sync-host.js';
import {
  adoptMatch,
  claimMatch,
  mirrorMatch,
  type AdoptResult,
  takeAssignedMatch,
  type RemoteContext,
} from './remote-match.js';

export { SETTING, type ConsoleSocket, type Link, type SyncHost } from './sync-host.js';

export class SyncClient {
  private machine: SyncMachine = INITIAL_SYNC;
  private link: Link | null = null;
  private generation = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  private readonly heartbeat: PresenceHeartbeat;
  /** The clock offset to the server (one time base for the game clock). */
  readonly time: TimeSync;
  private syncing = false;
  private syncAgain = false;
  private closed = false;
  /**
   * The password of a sign-in not yet traded for a device token (server unreachable so far).
   * Memory only: it is never written anywhere and is forgotten once the device token is kept.
   */
  private password: string | null = null;
  /** Matches not pushed again until the next connection, with the server's reason. */
  readonly blocked = new Map<string, { code: ErrorCode; message: string }>();
  progress: { done: number; total: number } | null = null;
  lastConfirmedAt: string | null;

  private readonly tuning: SyncTuning;

  constructor(
    private readonly host: SyncHost,
    tuning: Partial<SyncTuning> = {},
  ) {
    this.tuning = { ...DEFAULT_TUNING, ...tuning };
    this.heartbeat = new PresenceHeartbeat(
      {
        presence: () => this.presence(),
        isCurrent: (link) => this.isCurrent(link),
        dead: (message) => this.dispatch({ type: 'link-lost', message }),
      },
      this.tuning,
    );
    this.time = new TimeSync(
      {
        isCurrent: (link) => this.isCurrent(link),
        changed: (base) => {
          this.host.clockOffsetChanged(base.offsetMs);
          this.presenceChanged();
        },
      },
      host.savedClockOffsetMs,
    );
    this.lastConfirmedAt =
      host.store
        .matches()
        .map((m) => m.lastConfirmedAt)
        .filter((t): t is string => t !== null)
        .sort()
        .at(-1) ?? null;
  }

  get state(): SyncMachine['state'] {
    return this.machine.state;
  }

  /** Whether the vault holds a device token (kept here: the view is built on every change). */
  private tokenKept: boolean | null = null;

  private keepToken(token: string | null): void {
    this.host.vault.save(token);
    this.tokenKept = token !== null;
  }

  status(): Pick<SyncStatus, 'state' | 'problem' | 'progress' | 'lastConfirmedAt' | 'serverUrl' | 'tokenStorage'> {
    this.tokenKept ??= this.host.vault.load() !== null;
    const current = this.host.currentMatchId();
    const blocked = current ? this.blocked.get(current) : undefined;
    return {
      state: this.machine.state,
      problem: blocked ? { ...blocked, matchId: current! } : this.machine.problem,
      progress: this.progress,
      lastConfirmedAt: this.lastConfirmedAt,
      serverUrl: this.host.store.getSetting(SETTING.serverUrl),
      tokenStorage: this.tokenKept ? this.host.vault.kind : null,
    };
  }

  /** (Re)read the server settings and connect, or go offline when there are none. */
  configure(): void {
    const { store } = this.host;
    const configured =
      store.getSetting(SETTING.serverUrl) !== null &&
      store.getSetting(SETTING.username) !== null &&
      (this.password !== null || this.host.vault.load() !== null);
    this.dispatch({ type: 'configure', configured });
  }

  /** A sign-in (setServer, or kiosk credentials): the password is kept in memory until traded. */
  signIn(password: string): void {
    this.password = password;
    this.keepToken(null);
  }

  /** New local events wait: push them now if connected. */
  kick(): void {
    if (isConnected(this.machine.state)) this.dispatch({ type: 'backlog' });
    this.presenceChanged();
  }

  /** The open match changed or its fencing did. */
  currentFenceChanged(fenced: boolean): void {
    this.dispatch({ type: 'fence-changed', fenced });
    this.presenceChanged();
  }

  connectedLink(): Link | null {
    return this.link && isConnected(this.machine.state) ? this.link : null;
  }

  isCurrent(link: Link): boolean {
    return this.link === link && link.generation === this.generation && !this.closed;
  }

  dispatch(input: SyncInput): void {
    if (this.closed) return;
    const before = this.machine;
    const t = transition(before, input);
    this.machine = t.machine;
    if (t.machine.state !== before.state) {
      this.host.logger.info({ from: before.state, to: t.machine.state, input: input.type }, 'sync: state');
    }
    for (const effect of t.effects) this.perform(effect);
    if (t.machine !== before) {
      this.host.changed();
      this.presenceChanged();
    }
  }

  private perform(effect: SyncEffect): void {
    switch (effect.type) {
      case 'connect':
        this.background(this.connect(true), 'connect');
        return;
      case 'disconnect':
        this.dropSocket();
        return;
      case 'schedule-retry': {
        this.clearRetry();
        const delay = effect.refused ? REFUSED_RETRY_MS : backoffDelay(effect.attempt);
        this.retryTimer = setTimeout(() => {
          this.retryTimer = null;
          this.dispatch({ type: 'retry-timer' });
        }, delay);
        return;
      }
      case 'cancel-retry':
        this.clearRetry();
        return;
      case 'sync':
        this.background(this.runSync(), 'sync');
        return;
      default: {
        const never: never = effect;
        throw new Error(`unknown sync effect ${JSON.stringify(never)}`);
      }
    }
  }

  /** Work started from an event handler: a failure is logged, never an unhandled rejection. */
  private background(work: Promise<unknown>, what: string): void {
    work.catch((error: unknown) => {
      if (!this.closed) this.host.logger.error({ err: (error as Error).message, what }, 'sync: background work failed');
    });
  }

  private clearRetry(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  private async connect(reloginAllowed: boolean): Promise<void> {
    this.dropSocket();
    const generation = ++this.generation;
    const { store } = this.host;
    const url = store.getSetting(SETTING.serverUrl);
    const username = store.getSetting(SETTING.username);
    const { vault } = this.host;
    let token = vault.load();
    const password = this.password;
    if (!url || !username || (!token && !password)) {
      if (!url || !username) return this.dispatch({ type: 'configure', configured: false });
      // The device token was revoked or expired: this console stops until someone signs in again.
      return this.dispatch({
        type: 'refused',
        code: 'UNAUTHORIZED',
        message: 'this console’s sign-in was revoked or has expired: sign in again in the server settings',
      });
    }
    if (!token && password) {
      const result = await login(url, username, password);
      if (generation !== this.generation || this.closed) return;
      if (!result.ok) {
        this.host.logger.warn({ url, username, message: result.message }, 'sync: login failed');
        return this.dispatch(
          result.refused
            ? { type: 'refused', code: result.code, message: result.message }
            : { type: 'connect-failed', message: result.message },
        );
      }
      const device = await requestDeviceToken(url, result.token, this.host.consoleId);
      if (generation !== this.generation || this.closed) return;
      if (!device.ok) {
        this.host.logger.warn({ url, username, message: device.message }, 'sync: no device token');
        return this.dispatch(
          device.refused
            ? { type: 'refused', code: 'FORBIDDEN', message: device.message }
            : { type: 'connect-failed', message: device.message },
        );
      }
      token = device.token;
      this.keepToken(token);
      this.password = null;
      this.host.logger.info({ tokenId: device.tokenId, vault: vault.kind }, 'sync: signed in; device token kept');
    }
    const socket: ConsoleSocket = io(`${url.replace(/\/+$/, '')}/console`, {
      auth: { token, protocol: PROTOCOL_VERSION, consoleId: this.host.consoleId },
      reconnection: false,
      forceNew: true,
      timeout: CONNECT_TIMEOUT_MS,
      transports: ['websocket'],
    });
    const link: Link = { socket, generation, badReply: (message) => this.badReply(link, message) };
    this.link = link;
    socket.on('connect', () => {
      if (!this.isCurrent(link)) return;
      this.blocked.clear();
      const pending = [...store.pendingByMatch().values()].reduce((a, b) => a + b, 0);
      this.progress = pending > 0 ? { done: 0, total: pending } : null;
      this.heartbeat.start(link);
      this.time.start(link);
      this.dispatch({ type: 'connected' });
      this.background(this.refreshSchedule(), 'schedule');
    });
    socket.on('connect_error', (error) => {
      if (!this.isCurrent(link)) return;
      const refusal = protocolRefusalOf(error);
      if (refusal) {
        this.host.logger.warn(
          { url, reason: refusal.reason, supported: refusal.supported },
          'sync: no protocol in common',
        );
        return this.dispatch({ type: 'incompatible', refusal, clientVersion: PROTOCOL_VERSION });
      }
      const code = error.message;
      if (code === 'UNAUTHORIZED' && reloginAllowed) {
        // The device token was revoked or expired (or the server's secret changed): forget it.
        // With a sign-in still in memory, sign in again once; otherwise connect() reports it.
        this.keepToken(null);
        this.background(this.connect(false), 'connect');
        return;
      }
      if (code === 'UNAUTHORIZED' || code === 'FORBIDDEN') {
        this.dispatch({ type: 'refused', code, message: `the server refused this console: ${code}` });
        return;
      }
      this.dispatch({ type: 'connect-failed', message: `cannot reach ${url}: ${code}` });
    });
    socket.on('disconnect', (reason) => {
      if (this.isCurrent(link)) this.dispatch({ type: 'link-lost', message: `disconnected: ${reason}` });
    });
    onNotice(link, 'session:end', (msg) => {
      if (!this.isCurrent(link)) return;
      this.host.logger.info({ code: msg.code }, 'sync: session ended by the server (token revoked or expired)');
      // The device token no longer works: without a new sign-in this console stops (refused).
      this.keepToken(null);
      this.dispatch({ type: 'link-lost', message: `session ended: ${msg.message}` });
    });
    onNotice(link, 'match:fenced', ({ matchId, epoch }) => {
      if (!this.isCurrent(link)) return;
      this.fence(matchId, `handed over to another console (epoch ${epoch}); unsent events are kept for review`);
    });
    onNotice(link, 'match:assigned', ({ matchId, epoch }) => {
      if (!this.isCurrent(link)) return;
      takeAssignedMatch(this.remoteContext(), link, matchId, epoch).then(
        (r) => {
          if (r.ok) this.host.assigned(matchId);
          else this.host.logger.warn({ matchId, code: r.code }, 'sync: could not take the assigned match');
        },
        // Closed mid-pull (the database is gone): nothing to keep.
        (error: unknown) =>
          this.host.logger.warn({ matchId, err: (error as Error).message }, 'sync: assignment failed'),
      );
    });
    onNotice(link, 'schedule:changed', () => {
      if (this.isCurrent(link)) this.background(this.refreshSchedule(), 'schedule');
    });
  }

  /** The server sent what the protocol refuses: logged, shown in the sync state; the request it answered failed. */
  private badReply(link: Link, message: string): void {
    if (!this.isCurrent(link)) return;
    this.host.logger.error({ problem: message }, 'sync: malformed reply from the server');
    this.dispatch({ type: 'bad-reply', message });
  }

  /** The server says another console holds the match: stop writing it, keep what is unsent. */
  fence(matchId: string, reason: string): void {
    this.host.store.fence(matchId, 'STALE_EPOCH', reason);
    this.host.logger.warn({ matchId, reason }, 'sync: match fenced');
    this.host.matchChanged(matchId, false);
    if (this.host.currentMatchId() === matchId) this.currentFenceChanged(true);
  }

  private dropSocket(): void {
    this.heartbeat.stop();
    this.time.stop();
    const link = this.link;
    this.link = null;
    if (link) {
      link.socket.removeAllListeners();
      link.socket.disconnect();
    }
  }

  private presence(): Presence {
    const matchId = this.host.currentMatchId();
    const pending = matchId ? (this.host.store.pendingByMatch().get(matchId) ?? 0) : 0;
    return {
      court: this.host.court(),
      matchId,
      pending,
      lastConfirmedAt: this.lastConfirmedAt,
      state: this.machine.state,
      battery: this.host.battery(),
      role: this.host.role(),
      rttMs: this.time.rttMs,
      clockOffsetMs: this.time.offsetMs,
      appVersion: this.host.appVersion,
    };
  }

  /** Report presence soon after a change (court, match, pending, state, device health). */
  presenceChanged(): void {
    this.heartbeat.changed();
  }

  /** Drain every outbox; concurrent calls coalesce into one more round. */
  private async runSync(): Promise<void> {
    if (this.syncing) {
      this.syncAgain = true;
      return;
    }
    this.syncing = true;
    try {
      do {
        this.syncAgain = false;
        const link = this.connectedLink();
        if (!link) break;
        try {
          await drainOutbox(this.drainContext(), link);
          if (!this.syncAgain && this.isCurrent(link)) {
            this.progress = null;
            this.dispatch({ type: 'drained' });
          }
        } catch (error) {
          if (this.isCurrent(link)) this.dispatch({ type: 'link-lost', message: (error as Error).message });
        }
      } while (this.syncAgain);
    } finally {
      this.syncing = false;
    }
  }

  private drainContext(): DrainContext {
    return {
      host: this.host,
      blocked: this.blocked,
      isCurrent: (link) => this.isCurrent(link),
      confirmed: (count, at) => {
        this.lastConfirmedAt = at;
        if (this.progress)
          this.progress = { ...this.progress, done: Math.min(this.progress.total, this.progress.done + count) };
        this.host.changed();
        this.presenceChanged();
      },
      fence: (matchId, reason) => this.fence(matchId, reason),
      remote: () => this.remoteContext(),
      tuning: this.tuning,
    };
  }

  private remoteContext(): RemoteContext {
    return { host: this.host, blocked: this.blocked, afterReconcile: (id) => this.afterReconcile(id) };
  }

  private afterReconcile(matchId: string): void {
    this.host.matchChanged(matchId, true);
    const row = this.host.store.match(matchId);
    if (row && this.host.currentMatchId() === matchId) this.currentFenceChanged(!row.writable);
    this.kick();
  }

  async refreshSchedule(): Promise<CommandResult> {
    const court = this.host.court();
    const link = this.connectedLink();
    if (!link) return { ok: false, code: 'UNAVAILABLE', message: 'offline: showing the cached schedule' };
    if (!court) return { ok: true };
    try {
      const ack = await request(link, 'schedule:list', { court }, REQUEST_TIMEOUT_MS);
      if (!ack.ok) return ack;
      this.host.store.replaceSchedule(court, ack.matches, new Date().toISOString());
      this.host.scheduleChanged();
      return { ok: true };
    } catch {
      return { ok: false, code: 'UNAVAILABLE', message: 'the server did not answer the schedule request' };
    }
  }

  /** Opening a server match: learn its history and whether this console may write it. */
  async adopt(matchId: string): Promise<AdoptResult> {
    const link = this.connectedLink();
    if (!link) return { ok: true, writerOnline: null };
    return adoptMatch(this.remoteContext(), link, matchId);
  }

  /** Hot standby: the events stored since the last mirror pull (remote-match.ts mirrorMatch). */
  async mirror(matchId: string): Promise<AdoptResult> {
    const link = this.connectedLink();
    if (!link) return { ok: true, writerOnline: null };
    return mirrorMatch(this.remoteContext(), link, matchId);
  }

  /** Handover to this console: claim the match with its current epoch and continue its history. */
  async claim(matchId: string): Promise<CommandResult> {
    const link = this.connectedLink();
    if (!link) return { ok: false, code: 'UNAVAILABLE', message: 'claiming a match needs the server: connect first' };
    return claimMatch(this.remoteContext(), link, matchId);
  }

  close(): void {
    this.dispatch({ type: 'stop' });
    this.closed = true;
    this.clearRetry();
    this.dropSocket();
  }
}
