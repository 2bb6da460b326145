/**
 * Builds the ConsoleView the operator's screen shows: one object with everything, made from
 * the open match in memory and the rest of SQLite. Pure apart from reading the store.
 */
import { metaFromSnapshot } from '../../shared/match.js';
import { foldMatch } from '../../shared/domain/index.js';
import type { ErrorCode } from '../../shared/protocol.js';
import { VIEW_LOG_LIMIT } from './constants.js';
import type { ConsoleView, ScheduleEntry, SyncStatus } from '../contract/api.js';
import type { LocalStore } from './local-store.js';
import type { MatchSession } from './match-session.js';
import type { SyncClient } from './sync/sync-client.js';

export function buildSchedule(store: LocalStore, court: string | null, current: MatchSession | null): ScheduleEntry[] {
  const entries = new Map<string, ScheduleEntry>();
  if (court) {
    for (const snapshot of store.schedule(court)) {
      entries.set(snapshot.id, { meta: metaFromSnapshot(snapshot), snapshot, localOnly: false });
    }
  }
  for (const row of store.matches()) {
    if (court && row.meta.court !== court && !entries.has(row.id)) continue;
    const snapshot = current?.id === row.id ? current.snapshot() : (row.snapshot ?? foldMatch(row.meta, []));
    entries.set(row.id, { meta: row.meta, snapshot, localOnly: row.localOnly });
  }
  return [...entries.values()].sort(
    (a, b) => (a.meta.scheduledAt ?? '').localeCompare(b.meta.scheduledAt ?? '') || a.meta.id.localeCompare(b.meta.id),
  );
}

export interface ViewSources {
  store: LocalStore;
  sync: SyncClient;
  consoleId: string;
  court: string | null;
  current: MatchSession | null;
  schedule: ScheduleEntry[];
  role: 'primary' | 'standby' | null;
  primaryOnline: boolean | null;
}

export function buildView(src: ViewSources): ConsoleView {
  const { current } = src;
  const pendingByMatch = src.store.pendingByMatch();
  const pendingTotal = [...pendingByMatch.values()].reduce((a, b) => a + b, 0);
  const status = src.sync.status();
  const fence = current?.row.fence ?? null;
  const problem: SyncStatus['problem'] = fence
    ? { code: fence.code as ErrorCode, message: fence.reason, matchId: current!.id }
    : status.problem;
  const log = current ? current.log(VIEW_LOG_LIMIT) : [];
  return {
    info: {
      consoleId: src.consoleId,
      court: src.court,
      matchId: current?.id ?? null,
      writable: current ? current.row.writable : false,
      stream: current?.row.stream ?? 'official',
      role: src.role,
      primaryOnline: src.role === 'standby' ? src.primaryOnline : null,
    },
    sync: {
      state: status.state,
      pending: current ? (pendingByMatch.get(current.id) ?? 0) : 0,
      pendingTotal,
      lastConfirmedAt: status.lastConfirmedAt,
      problem,
      progress: status.progress,
      serverUrl: status.serverUrl,
      tokenStorage: status.tokenStorage ?? null,
    },
    snapshot: current ? current.snapshot() : null,
    log,
    logOmitted: current ? Math.max(0, current.events.length - log.length) : 0,
    redoable: current ? current.redoable() : [],
    schedule: src.schedule,
    setAside: current ? src.store.setAsideEvents(current.id) : [],
  };
}
