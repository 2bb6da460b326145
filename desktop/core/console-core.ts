/**
 * The console core: authoritative SQLite state on the scoring table plus the sync client,
 * behind the one typed ConsoleApi. Every scoring command is checked by the sport's rules,
 * stored as the match's next seq in one transaction with the new snapshot, and only then
 * shown (views) and sent (outbox). Runs in Electron main, in the web console host and in
 * plain Node tests: no Electron import here.
 */
import { randomBytes } from 'node:crypto';
import { foldMatch } from '../../shared/domain/index.js';
import type { MatchEvent } from '../../shared/events.js';
import type { Battery, ErrorCode } from '../../shared/protocol.js';
import { draftEvent, type EventCommand } from './commands.js';
import type { ConsoleBackend, ConsoleApi, ConsoleView, ScheduleEntry, ServerTimeAnswer } from '../contract/api.js';
import {
  dispatchCommand,
  parseCommand,
  type CommandHandlers,
  type CommandInputs,
  type CommandResult,
  type ConsoleCommand,
  type ConsoleCommandArgs,
  type ValidCommand,
} from '../contract/commands.js';
import { batteryReport } from './battery.js';
import { openConsoleDatabase } from './db/database.js';
import { LocalStore, type LocalEvent } from './local-store.js';
import type { SyncTuning } from './constants.js';
import { createCoreLogger, type Logger } from './logger.js';
import { MatchSession, toFoldable } from './match-session.js';
import { SETTING, SyncClient } from './sync/sync-client.js';
import { STANDBY_MIRROR_MS, TAKEOVER_KEY } from './constants.js';
import { fileTokenVault, type TokenVault } from './sync/token-vault.js';
import { buildSchedule, buildView } from './view.js';
import { metaFromCreate, metaFromSnapshot } from '../../shared/match.js';

export interface ConsoleCoreOptions {
  /** Folder of the console database (created when missing). */
  dataDir: string;
  /** Server to use while none is stored (setServer stores one). */
  serverUrl?: string;
  /**
   * Sign in with these while no device token is kept (kiosk set-ups, tests). The username is
   * stored; the password stays in memory until it is traded for a device token.
   */
  credentials?: { username: string; password: string };
  /**
   * Where the device token is kept: Electron passes its safeStorage vault; the default is a
   * 0600 file in dataDir (desktop/core/sync/token-vault.ts).
   */
  tokenVault?: TokenVault;
  /** Court to use while none is stored. */
  court?: string;
  /** better_sqlite3.node built for the running runtime (Electron main passes its rebuilt copy). */
  nativeBinding?: string;
  logger?: Logger;
  /** Only the benchmark's reference run uses NORMAL. */
  synchronous?: 'FULL' | 'NORMAL';
  /** Shorter sync timings for tests and fault drills; the defaults are the product's. */
  tuning?: Partial<SyncTuning>;
  /** Reported in presence: the Electron app's version, or the package's for the web console host. */
  appVersion?: string;
}

export interface ConsoleCore extends ConsoleApi, ConsoleBackend {
  readonly consoleId: string;
  /**
   * Electron's powerMonitor (main process): on battery or on mains. It decides `charging`
   * when known; the level comes from the screen's Battery API (reportBattery). null: unknown.
   */
  setOnBattery(onBattery: boolean | null): void;
  close(): Promise<void>;
}

const SETTING_COURT = 'court';
const SETTING_CURRENT = 'current_match';

/** A stored offset, or null when none was kept (or it is not a number). */
function savedOffset(text: string | null): number | null {
  const value = text === null ? Number.NaN : Number(text);
  return Number.isFinite(value) ? value : null;
}

function fail(code: ErrorCode, message: string): CommandResult {
  return { ok: false, code, message };
}

/** A match id for a match created on this console: unique without asking anyone. */
export function newLocalMatchId(): string {
  return `m-${randomBytes(8).toString('hex')}`;
}

class Core implements ConsoleCore {
  readonly consoleId: string;
  private readonly sync: SyncClient;
  private session: MatchSession | null = null;
  private readonly listeners = new Set<(view: ConsoleView) => void>();
  private emitScheduled = false;
  private schedule: ScheduleEntry[] | null = null;
  private closed = false;
  /** From the screen's Battery API (reportBattery). */
  private screenBattery: Battery | null = null;
  /** From Electron's powerMonitor; null outside Electron. */
  private onBattery: boolean | null = null;
  /** Hot standby: the match this console mirrors read-only, and the timer that pulls it. */
  private standbyId: string | null = null;
  private mirrorTimer: NodeJS.Timeout | null = null;
  /** The mirror pull in flight: a takeover waits for it, so a stale pull never lands after the claim. */
  private mirroring: Promise<void> | null = null;
  /** The server's word on the primary at the last mirror pull (null: not known). */
  private primaryOnline: boolean | null = null;

  constructor(
    private readonly store: LocalStore,
    private readonly logger: Logger,
    tuning: Partial<SyncTuning>,
    appVersion: string | null,
    vault: TokenVault,
    password: string | null,
  ) {
    this.consoleId = store.consoleId();
    this.sync = new SyncClient(
      {
        store,
        vault,
        consoleId: this.consoleId,
        logger,
        currentMatchId: () => this.session?.id ?? null,
        court: () => store.getSetting(SETTING_COURT),
        matchChanged: (id, events) => this.matchChanged(id, events),
        changed: () => this.changed(false),
        scheduleChanged: () => this.changed(true),
        assigned: (id) => this.assigned(id),
        appVersion,
        battery: () => this.battery(),
        role: () => this.role(),
        savedClockOffsetMs: savedOffset(store.getSetting(SETTING.clockOffsetMs)),
        clockOffsetChanged: (offsetMs) =>
          store.setSetting(SETTING.clockOffsetMs, offsetMs === null ? null : String(offsetMs)),
      },
      tuning,
    );
    const current = store.getSetting(SETTING_CURRENT);
    if (current) this.session = MatchSession.load(store, current);
    this.sync.currentFenceChanged(this.session ? !this.session.row.writable : false);
    // Kiosk credentials sign in only while no device token is kept (a kept one may be revoked later, on purpose).
    if (password !== null && vault.load() === null) this.sync.signIn(password);
    this.sync.configure();
  }

  // ---- ConsoleApi ----------------------------------------------------------

  /** In-process callers (tests, tools): validated here, as a bridge would. */
  async run<C extends ConsoleCommand>(command: C, args: ConsoleCommandArgs<C>): Promise<CommandResult> {
    const verdict = parseCommand(command, args);
    return verdict.ok ? this.dispatch(verdict.valid) : verdict;
  }

  /** A command validated at the bridge (desktop/contract/serve.ts): straight to its handler. */
  async dispatch(valid: ValidCommand): Promise<CommandResult> {
    if (this.closed) return fail('UNAVAILABLE', 'the console core is closed');
    return dispatchCommand(this.handlers, valid);
  }

  /** One handler per console command; the compiler checks each against its schema. */
  private readonly handlers = {
    setCourt: ({ court }) => this.setCourt(court),
    setServer: (args) => this.setServer(args),
    createMatch: (args) => this.createMatch(args),
    openMatch: ({ matchId }) => this.openMatch(matchId),
    verifyMatch: ({ matchId }) => this.verifyMatch(matchId),
    standbyMatch: ({ matchId }) => this.standbyMatch(matchId),
    claimMatch: ({ matchId }) => this.claimMatch(matchId),
    refreshSchedule: () => this.sync.refreshSchedule(),
    reportBattery: (battery) => this.reportBattery(battery),
    score: (args) => this.record('score', args),
    start: (args) => this.record('start', args),
    pause: (args) => this.record('pause', args),
    resume: (args) => this.record('resume', args),
    end: (args) => this.record('end', args),
    addEvent: (args) => this.record('addEvent', args),
    clockStart: (args) => this.record('clockStart', args),
    clockStop: (args) => this.record('clockStop', args),
    clockSet: (args) => this.record('clockSet', args),
    periodStart: (args) => this.record('periodStart', args),
    periodEnd: (args) => this.record('periodEnd', args),
    undo: (args) => this.record('undo', args),
    redo: (args) => this.record('redo', args),
    correct: (args) => this.record('correct', args),
    overrideScore: (args) => this.record('overrideScore', args),
  } satisfies CommandHandlers;

  async view(): Promise<ConsoleView> {
    return this.buildView();
  }

  subscribe(listener: (view: ConsoleView) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The server's time as this console reckons it, for the screen's own time:sync against the core. */
  async serverTime(): Promise<ServerTimeAnswer> {
    const receivedAt = this.sync.time.serverNow();
    return { receivedAt, sentAt: this.sync.time.serverNow(), offsetKnown: this.sync.time.offsetMs !== null };
  }

  setOnBattery(onBattery: boolean | null): void {
    this.onBattery = onBattery;
    this.sync.presenceChanged();
  }

  private role(): 'primary' | 'standby' | null {
    if (this.standbyId !== null && this.session?.id === this.standbyId) return 'standby';
    if (this.session && this.session.row.writable && this.session.row.stream !== 'verify') return 'primary';
    return null;
  }

  private reportBattery(battery: Battery): CommandResult {
    this.screenBattery = battery;
    this.sync.presenceChanged();
    return { ok: true };
  }

  private battery(): Battery | null {
    return batteryReport({ screen: this.screenBattery, onBattery: this.onBattery });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.stopStandby();
    this.sync.close();
    this.listeners.clear();
    this.store.db.close();
  }

  // ---- scoring -------------------------------------------------------------

  /** Check, store (one transaction: event + snapshot row), then show and send. */
  private record<C extends EventCommand>(command: C, args: CommandInputs[C]): CommandResult {
    const session = this.session;
    if (!session) return fail('NOT_FOUND', 'no match is open: open or create one first');
    if (this.standbyId === session.id)
      return fail(
        'STALE_EPOCH',
        `standby: this console mirrors match ${session.id}; take over first (${TAKEOVER_KEY})`,
      );
    if (!session.row.writable) {
      const fence = session.row.fence;
      return fail(
        (fence?.code as ErrorCode) ?? 'STALE_EPOCH',
        fence?.reason ?? 'this match is read-only on this console',
      );
    }
    // Clocks run in server time: read and anchor them with this console's measured offset.
    const serverNow = this.sync.time.serverNow();
    const drafted = draftEvent(command, args, {
      snapshot: session.snapshot(),
      nowMs: serverNow,
      anchorAt: this.sync.time.offsetMs === null ? null : new Date(serverNow).toISOString(),
      undoTarget: () => session.undoTarget(),
      redoTarget: () => session.redoable().at(-1) ?? null,
    });
    if (!drafted.ok) return drafted;
    const event = { seq: session.lastSeq + 1, ...drafted.draft, at: new Date().toISOString() } as MatchEvent;
    const verdict = session.reducer.check(event);
    if (!verdict.ok) return verdict;
    const local = { ...event, epoch: session.row.epoch, consoleId: this.consoleId, cursor: null } as LocalEvent;
    // The snapshot row is written in the same transaction, so the reducer advances first;
    // nothing observes it before the commit, and a failed commit rebuilds it from SQLite.
    session.reducer.apply(toFoldable(local));
    try {
      this.store.appendEvent(session.id, local, session.reducer.snapshot());
    } catch (error) {
      this.session = MatchSession.load(this.store, session.id);
      this.logger.error({ matchId: session.id, seq: event.seq, err: (error as Error).message }, 'core: commit failed');
      return fail('INTERNAL', `not recorded: ${(error as Error).message}`);
    }
    session.appended(local);
    this.changed(true);
    this.sync.kick();
    return { ok: true, seq: event.seq };
  }

  // ---- set-up commands -----------------------------------------------------

  private async setCourt(court: string): Promise<CommandResult> {
    this.store.setSetting(SETTING_COURT, court);
    this.changed(true);
    this.sync.presenceChanged();
    const refreshed = await this.sync.refreshSchedule();
    return refreshed.ok || refreshed.code === 'UNAVAILABLE' ? { ok: true } : refreshed;
  }

  private setServer(args: CommandInputs['setServer']): CommandResult {
    this.store.db.transaction(() => {
      this.store.setSetting(SETTING.serverUrl, args.url);
      this.store.setSetting(SETTING.username, args.username);
    })();
    // The password is traded for a device token at the next connect and never stored.
    this.sync.signIn(args.password);
    this.logger.info({ url: args.url, username: args.username }, 'core: server settings changed');
    this.sync.configure();
    this.changed(false);
    return { ok: true };
  }

  private createMatch(args: CommandInputs['createMatch']): CommandResult {
    const id = args.id ?? newLocalMatchId();
    if (this.store.match(id)) return fail('CONFLICT', `id: match ${id} already exists on this console`);
    const meta = metaFromCreate({ ...args, id });
    this.store.addMatch(meta, { localOnly: true, snapshot: foldMatch(meta, []) });
    this.logger.info({ matchId: id, court: meta.court }, 'core: match created on this console');
    this.open(id);
    return { ok: true, matchId: id };
  }

  private async openMatch(matchId: string): Promise<CommandResult> {
    this.stopStandby();
    if (!this.store.match(matchId)) {
      const court = this.store.getSetting(SETTING_COURT);
      const cached = court ? this.store.schedule(court).find((s) => s.id === matchId) : undefined;
      if (cached) {
        const meta = metaFromSnapshot(cached);
        this.store.addMatch(meta, { localOnly: false, snapshot: foldMatch(meta, []) });
      }
    }
    // Learn the server's history first when online (a match scored elsewhere before).
    const adopted = await this.sync.adopt(matchId);
    if (!this.store.match(matchId)) {
      return adopted.ok
        ? fail('NOT_FOUND', `matchId: no match ${matchId} on this console or in the schedule`)
        : adopted;
    }
    if (!adopted.ok)
      this.logger.warn({ matchId, code: adopted.code }, 'core: could not read the match from the server');
    this.open(matchId);
    return { ok: true, matchId };
  }

  /** Verifier mode: the match from the schedule, scored here on its own from seq 1, pushed as a verify stream. */
  private async verifyMatch(matchId: string): Promise<CommandResult> {
    this.stopStandby();
    const known = this.store.match(matchId);
    if (known && known.stream !== 'verify')
      return fail('CONFLICT', `matchId: ${matchId} is scored on this console as the official stream`);
    if (!known) {
      const court = this.store.getSetting(SETTING_COURT);
      const cached = court ? this.store.schedule(court).find((s) => s.id === matchId) : undefined;
      if (!cached) return fail('NOT_FOUND', `matchId: no match ${matchId} in this court's schedule`);
      const meta = metaFromSnapshot(cached);
      this.store.addMatch(meta, { localOnly: false, snapshot: foldMatch(meta, []), stream: 'verify' });
    }
    this.open(matchId);
    return { ok: true, matchId };
  }

  /**
   * Hot standby: the match opened read-only (its whole history) and mirrored from the server
   * every STANDBY_MIRROR_MS (match:pull after the last stored cursor: only new events, nothing
   * missed, nothing twice, stored in SQLite as the match's history so a takeover continues
   * from its last seq).
   */
  private async standbyMatch(matchId: string): Promise<CommandResult> {
    if (this.store.match(matchId)?.stream === 'verify')
      return fail('CONFLICT', `matchId: ${matchId} is verified on this console; a verifier is no standby`);
    const opened = await this.openMatch(matchId);
    if (!opened.ok) return opened;
    const row = this.store.match(matchId);
    if (row && row.lastSeq > row.confirmedSeq)
      return fail('CONFLICT', `matchId: ${matchId} has unsent events on this console; it cannot stand by`);
    this.standbyId = matchId;
    this.mirrorTimer = setInterval(() => void this.mirror().catch(() => undefined), STANDBY_MIRROR_MS);
    this.logger.info({ matchId }, 'core: standing by for a match');
    this.sync.presenceChanged();
    this.changed(true);
    return { ok: true, matchId };
  }

  private mirror(): Promise<void> {
    const matchId = this.standbyId;
    if (matchId === null || this.mirroring || this.closed) return this.mirroring ?? Promise.resolve();
    this.mirroring = (async () => {
      try {
        const pulled = await this.sync.mirror(matchId);
        if (!pulled.ok) this.logger.warn({ matchId, code: pulled.code }, 'core: standby mirror pull failed');
        const online = pulled.ok ? pulled.writerOnline : null;
        if (this.standbyId === matchId && online !== this.primaryOnline) {
          this.primaryOnline = online;
          if (online === false) this.logger.warn({ matchId }, 'core: standby: the primary console is offline');
          this.changed(false);
        }
      } finally {
        this.mirroring = null;
      }
    })();
    return this.mirroring;
  }

  private stopStandby(): void {
    if (this.mirrorTimer) clearInterval(this.mirrorTimer);
    this.mirrorTimer = null;
    if (this.standbyId !== null) this.sync.presenceChanged();
    this.standbyId = null;
    this.primaryOnline = null;
  }

  private async claimMatch(matchId: string): Promise<CommandResult> {
    if (this.store.match(matchId)?.stream === 'verify')
      return fail('CONFLICT', `matchId: ${matchId} is verified on this console; a verifier never claims`);
    const wasStandby = this.standbyId === matchId;
    this.stopStandby();
    await this.mirroring;
    const claimed = await this.sync.claim(matchId);
    if (!claimed.ok) {
      // A refused takeover leaves the console standing by, still mirroring.
      if (wasStandby) await this.standbyMatch(matchId);
      return claimed;
    }
    this.open(matchId);
    return { ok: true, matchId };
  }

  private open(matchId: string): void {
    this.session = MatchSession.load(this.store, matchId);
    this.store.setSetting(SETTING_CURRENT, matchId);
    this.sync.currentFenceChanged(this.session ? !this.session.row.writable : false);
    this.changed(true);
    this.sync.kick();
  }

  // ---- from the sync client ------------------------------------------------

  private matchChanged(matchId: string, events: boolean): void {
    if (this.session?.id === matchId) {
      if (events) this.session = MatchSession.load(this.store, matchId);
      else {
        const row = this.store.match(matchId);
        if (row) {
          this.session.row = row;
          this.session.touch();
        }
      }
    }
    this.changed(true);
  }

  private assigned(matchId: string): void {
    // A director handed the match this console stands by for to it: it writes now.
    if (this.standbyId === matchId) this.stopStandby();
    const current = this.session;
    // Switch only when the operator is not in the middle of another match.
    if (!current || current.id === matchId || !current.row.writable || current.snapshot().status === 'finished') {
      this.open(matchId);
    } else {
      this.changed(true);
    }
  }

  // ---- views ---------------------------------------------------------------

  private buildView(): ConsoleView {
    const court = this.store.getSetting(SETTING_COURT);
    this.schedule ??= buildSchedule(this.store, court, this.session);
    return buildView({
      store: this.store,
      sync: this.sync,
      consoleId: this.consoleId,
      court,
      current: this.session,
      schedule: this.schedule,
      role: this.role(),
      primaryOnline: this.primaryOnline,
    });
  }

  /** Something changed: one view per microtask, however many changes happened in it. */
  private changed(scheduleToo: boolean): void {
    if (scheduleToo) this.schedule = null;
    if (this.emitScheduled || this.listeners.size === 0 || this.closed) return;
    this.emitScheduled = true;
    queueMicrotask(() => {
      this.emitScheduled = false;
      if (this.closed || this.listeners.size === 0) return;
      const view = this.buildView();
      for (const listener of this.listeners) {
        try {
          listener(view);
        } catch (error) {
          this.logger.warn({ err: (error as Error).message }, 'core: view listener threw');
        }
      }
    });
  }
}

/**
 * Open (or create) the console database in `dataDir` and start syncing when a server is known.
 * Resolves once the database is open and migrated; connecting happens in the background.
 */
export async function createConsoleCore(options: ConsoleCoreOptions): Promise<ConsoleCore> {
  const logger = options.logger ?? createCoreLogger();
  const db = openConsoleDatabase({
    dataDir: options.dataDir,
    ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
    ...(options.synchronous ? { synchronous: options.synchronous } : {}),
  });
  const store = new LocalStore(db);
  db.transaction(() => {
    if (options.serverUrl && !store.getSetting(SETTING.serverUrl))
      store.setSetting(SETTING.serverUrl, options.serverUrl);
    if (options.credentials && !store.getSetting(SETTING.username))
      store.setSetting(SETTING.username, options.credentials.username);
    if (options.court && !store.getSetting(SETTING_COURT)) store.setSetting(SETTING_COURT, options.court);
  })();
  const vault = options.tokenVault ?? fileTokenVault(options.dataDir);
  const password =
    options.credentials && store.getSetting(SETTING.username) === options.credentials.username
      ? options.credentials.password
      : null;
  return new Core(store, logger, options.tuning ?? {}, options.appVersion ?? null, vault, password);
}
