/**
 * Makes the local log of a match agree with the server's history (after a pull: opening a
 * server match, claiming it, being assigned it, or a push showing the server knows more).
 * The server's events are authoritative: equal local events become confirmed; the first
 * local event that differs and every local event after it are set aside for review (kept in
 * set_aside_events, never sent). Local events after the server's last seq that this console
 * wrote stay pending and go out with the new `epoch`. Runs inside LocalStore's transaction.
 * The server's events arrive checked (sync/remote-match.ts pullAll: every page's schema and
 * order), so a malformed reply never reaches this file and nothing stored is touched by one.
 */
import { sameEventContent } from '../../shared/same-event.js';
import type { StoredEvent } from '../../shared/events.js';
import type { MatchMeta, MatchSnapshot } from '../../shared/match.js';
import type { LocalEvent, LocalStore } from './local-store.js';

export interface ReconcileArgs {
  meta: MatchMeta;
  serverEvents: StoredEvent[];
  epoch: number;
  writable: boolean;
  fence: { code: string; reason: string } | null;
  now: string;
  fold: (events: LocalEvent[]) => MatchSnapshot;
}

export interface ReconcileResult {
  /** Local unsent events that the server's history overtook (now in set_aside_events). */
  setAside: number;
  /** Server events added to the local log. */
  added: number;
  events: LocalEvent[];
}

/** Same event as the server stored (ours, same content): the server has it, so it is confirmed. */
export function sameEvent(local: LocalEvent, stored: StoredEvent): boolean {
  return local.consoleId === stored.consoleId && sameEventContent(local, stored);
}

export function reconcileInTransaction(store: LocalStore, args: ReconcileArgs): ReconcileResult {
  const { meta, serverEvents, epoch, now } = args;
  const { db } = store;
  const s = store.statements;
  if (!s.match.get(meta.id)) {
    s.insertMatch.run({
      id: meta.id,
      meta: JSON.stringify(meta),
      epoch,
      localOnly: 0,
      snapshot: null,
      now,
      stream: 'official',
    });
    s.insertOutbox.run(meta.id);
  }
  const local = new Map(store.events(meta.id).map((e) => [e.seq, e]));
  let diverged = false;
  let added = 0;
  let setAside = 0;
  for (const se of serverEvents) {
    const le = diverged ? undefined : local.get(se.seq);
    if (le && sameEvent(le, se)) {
      s.setEventCursor.run(se.cursor, meta.id, se.seq);
      continue;
    }
    if (le) {
      // From here on the histories differ: keep ours aside, take the server's.
      const overtaken = [...local.keys()].filter((seq) => seq >= se.seq);
      setAside = overtaken.length;
      db.prepare(
        `INSERT INTO set_aside_events (match_id, seq, type, payload, at, epoch, reason, set_aside_at)
         SELECT match_id, seq, type, payload, at, epoch, ?, ? FROM events WHERE match_id = ? AND seq >= ?`,
      ).run(`overtaken by seq ${se.seq} from console ${se.consoleId} (epoch ${se.epoch})`, now, meta.id, se.seq);
      db.prepare('DELETE FROM events WHERE match_id = ? AND seq >= ?').run(meta.id, se.seq);
      for (const seq of overtaken) local.delete(seq);
    }
    diverged = true;
    s.insertEvent.run({
      matchId: meta.id,
      seq: se.seq,
      type: se.type,
      payload: JSON.stringify(se.payload),
      at: se.at,
      epoch: se.epoch,
      consoleId: se.consoleId,
      cursor: se.cursor,
    });
    added++;
  }
  const events = store.events(meta.id);
  const serverLast = serverEvents.at(-1);
  db.prepare(
    `UPDATE matches SET meta = ?, epoch = ?, writable = ?, fence_code = ?, fence_reason = ?, local_only = 0,
       last_seq = ?, snapshot = ?, updated_at = ? WHERE id = ?`,
  ).run(
    JSON.stringify(meta),
    epoch,
    args.writable ? 1 : 0,
    args.fence?.code ?? null,
    args.fence?.reason ?? null,
    events.at(-1)?.seq ?? 0,
    JSON.stringify(args.fold(events)),
    now,
    meta.id,
  );
  // Everything the server has is confirmed; what is ours beyond it is pending.
  db.prepare(
    `UPDATE outbox SET confirmed_seq = ?, confirmed_cursor = max(confirmed_cursor, ?),
       last_confirmed_at = coalesce(last_confirmed_at, ?) WHERE match_id = ?`,
  ).run(serverLast?.seq ?? 0, serverLast?.cursor ?? 0, serverLast ? now : null, meta.id);
  return { setAside, added, events };
}
