/**
 * Decides what to do with one events:push against a match's in-memory state:
 * duplicates (acknowledged), gaps, fencing epoch, then the sport's rules. Events the
 * rules accept are applied to the reducer tentatively; the flush re-checks against
 * PostgreSQL and any failure throws the tentative state away.
 */
import { sameEventContent } from '../../shared/same-event.js';
import type { MatchEvent } from '../../shared/events.js';
import type { ErrorCode, Fail } from '../../shared/protocol.js';
import type { MatchState } from './match-state.js';

export type PushPlan =
  /** Nothing to store now; answer at once. */
  | { kind: 'refuse'; fail: Fail & { expectedSeq?: number; epoch?: number } }
  /** The match is unclaimed and this push (epoch 0) claims it: claim in PostgreSQL, then plan again. */
  | { kind: 'claim' }
  /** The push carries a newer epoch than memory: another process may have handed over; reload. */
  | { kind: 'reload' }
  /**
   * Store `fresh` (already applied tentatively); ack once `ackedSeq` is committed.
   * `failAfter`: a later event was refused; answer with it once the rest is committed.
   */
  | {
      kind: 'accept';
      fresh: MatchEvent[];
      duplicates: number;
      ackedSeq: number;
      failAfter?: Fail & { expectedSeq?: number };
    };

function fail(code: ErrorCode, message: string, extra: { expectedSeq?: number; epoch?: number } = {}): PushPlan {
  return { kind: 'refuse', fail: { ok: false, code, message, ...extra } };
}

function storedAt(state: MatchState, seq: number): MatchEvent | undefined {
  const all = state.reducer.events();
  const direct = all[seq - 1];
  if (direct && direct.seq === seq) return direct;
  return all.find((e) => e.seq === seq);
}

export function planPush(
  state: MatchState,
  push: { epoch: number; events: MatchEvent[] },
  consoleId: string,
): PushPlan {
  const events = push.events;
  const first = events[0]!;
  for (let i = 1; i < events.length; i++) {
    if (events[i]!.seq !== first.seq + i)
      return fail('VALIDATION', `events.${i}.seq: must be ${first.seq + i} (consecutive seqs)`);
  }
  const lastSeq = state.reducer.lastSeq;

  // Resends of stored (or already accepted) events: a duplicate only if the same console sent the same event.
  let dupCount = 0;
  for (const event of events) {
    if (event.seq > lastSeq) break;
    const stored = storedAt(state, event.seq);
    const origin = state.origins[event.seq - 1];
    if (!stored || origin !== consoleId) {
      return fail('STALE_EPOCH', `seq ${event.seq} was written by another console`, { epoch: state.epoch });
    }
    if (!sameEventContent(stored, event))
      return fail('CONFLICT', `events.${dupCount}: seq ${event.seq} differs from the stored event`);
    dupCount++;
  }
  const fresh = events.slice(dupCount);
  if (fresh.length === 0)
    return { kind: 'accept', fresh: [], duplicates: dupCount, ackedSeq: events[events.length - 1]!.seq };
  if (fresh[0]!.seq !== lastSeq + 1) {
    return fail('GAP', `seq ${fresh[0]!.seq} follows a gap: expected ${lastSeq + 1}`, { expectedSeq: lastSeq + 1 });
  }

  // Fencing: only the writer holding the current epoch adds events.
  if (state.writerConsoleId === null && state.epoch === 0 && push.epoch === 0) return { kind: 'claim' };
  if (push.epoch > state.epoch) return { kind: 'reload' };
  if (push.epoch !== state.epoch || state.writerConsoleId !== consoleId) {
    return fail('STALE_EPOCH', `match ${state.meta.id} is written by another console (epoch ${state.epoch})`, {
      epoch: state.epoch,
    });
  }

  const accepted: MatchEvent[] = [];
  let failAfter: (Fail & { expectedSeq?: number }) | undefined;
  for (const event of fresh) {
    const verdict = state.reducer.check(event);
    if (!verdict.ok) {
      failAfter = {
        ok: false,
        code: verdict.code,
        message: `seq ${event.seq}: ${verdict.message}`,
        ...(verdict.code === 'GAP' ? { expectedSeq: state.reducer.lastSeq + 1 } : {}),
      };
      break;
    }
    state.reducer.apply(event);
    state.origins[event.seq - 1] = consoleId;
    accepted.push(event);
  }
  if (accepted.length === 0 && dupCount === 0) return { kind: 'refuse', fail: failAfter! };
  const ackedSeq = accepted.length ? accepted[accepted.length - 1]!.seq : events[dupCount - 1]!.seq;
  return { kind: 'accept', fresh: accepted, duplicates: dupCount, ackedSeq, ...(failAfter ? { failAfter } : {}) };
}
