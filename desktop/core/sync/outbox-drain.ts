/**
 * Drains the outboxes over a connected link: per match, the events after the confirmed seq
 * in chunks of PUSH_CHUNK_EVENTS, one push in flight per match, each acknowledged within
 * PUSH_ACK_TIMEOUT_MS (see SyncTuning) or the link counts as dead. Only `ok: true` moves the confirmed seq,
 * and it only moves forward: nothing confirmed is sent again, nothing is skipped.
 */
import type { CreateMatch } from '../../../shared/match.js';
import {
  LIMITS,
  pushAckSchema,
  verifyPushAckSchema,
  type ErrorCode,
  type EventsPush,
  type PushAck,
  type VerifyPushAck,
} from '../../../shared/protocol.js';
import { PUSH_MAX_BYTES, PUSH_RETRY_MS, type SyncTuning } from '../constants.js';
import { toWireEvent, type MatchRow } from '../local-store.js';
import { reconcileFromServer, type RemoteContext } from './remote-match.js';
import { requestWith } from './request.js';
import type { Link, SyncHost } from './sync-client.js';

export interface DrainContext {
  host: SyncHost;
  blocked: Map<string, { code: ErrorCode; message: string }>;
  isCurrent(link: Link): boolean;
  /** `count` more events were confirmed at server time `at`. */
  confirmed(count: number, at: string): void;
  fence(matchId: string, reason: string): void;
  remote(): RemoteContext;
  tuning: SyncTuning;
}

export class StaleLinkError extends Error {
  constructor() {
    super('the link changed while pushing');
  }
}

/** The create body for a match made on this console offline: the server creates it on first push. */
export function createBody(row: MatchRow): CreateMatch & { id: string } {
  const m = row.meta;
  return {
    id: m.id,
    sport: m.sport,
    court: m.court,
    home: { name: m.home.name },
    away: { name: m.away.name },
    ...(m.scheduledAt ? { scheduledAt: m.scheduledAt } : {}),
    ...(m.slotMinutes ? { slotMinutes: m.slotMinutes } : {}),
    ...(Object.keys(m.options).length ? { options: m.options } : {}),
  };
}

/** The next match to push: the open match first (the operator watches it), then the oldest backlog. */
function nextMatch(ctx: DrainContext): MatchRow | null {
  const pending = ctx.host.store.pendingByMatch();
  const current = ctx.host.currentMatchId();
  const order = [...pending.keys()].sort((a, b) => (a === current ? -1 : b === current ? 1 : 0));
  for (const id of order) {
    if (ctx.blocked.has(id)) continue;
    const row = ctx.host.store.match(id);
    if (row && row.writable) return row;
  }
  return null;
}

function wait(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The longest prefix of `events` whose JSON fits in `maxBytes` (at least one event). */
export function withinBytes<T>(events: T[], maxBytes: number): T[] {
  let bytes = 0;
  for (let i = 0; i < events.length; i++) {
    bytes += Buffer.byteLength(JSON.stringify(events[i])) + 1;
    if (bytes > maxBytes && i > 0) return events.slice(0, i);
  }
  return events;
}

export async function drainOutbox(ctx: DrainContext, link: Link): Promise<void> {
  for (;;) {
    if (!ctx.isCurrent(link)) throw new StaleLinkError();
    const row = nextMatch(ctx);
    if (!row) return;
    await pushOnce(ctx, link, row);
  }
}

async function pushOnce(ctx: DrainContext, link: Link, row: MatchRow): Promise<void> {
  const { store, logger } = ctx.host;
  const chunk = Math.max(1, Math.min(ctx.tuning.pushChunkEvents, LIMITS.MAX_EVENTS_PER_PUSH));
  const events = withinBytes(store.eventsAfter(row.id, row.confirmedSeq, chunk).map(toWireEvent), PUSH_MAX_BYTES);
  if (events.length === 0) {
    ctx.blocked.set(row.id, {
      code: 'INTERNAL',
      message: `match ${row.id}: last seq ${row.lastSeq} but no events to send`,
    });
    return;
  }
  // A verifying scorer's own stream (contract 1.1): epoch 0, never creates, never claims.
  const verify = row.stream === 'verify';
  const msg: EventsPush = verify
    ? { matchId: row.id, epoch: 0, events, stream: 'verify' }
    : {
        matchId: row.id,
        epoch: row.epoch,
        events,
        ...(row.localOnly ? { create: createBody(row) } : {}),
      };
  let ack: PushAck | VerifyPushAck;
  try {
    // A malformed ack confirms nothing: it comes back as a PROTOCOL refusal and blocks the match below.
    ack = await requestWith(
      link,
      'events:push',
      msg,
      ctx.tuning.pushAckTimeoutMs,
      verify ? verifyPushAckSchema : pushAckSchema,
    );
  } catch {
    if (!ctx.isCurrent(link)) throw new StaleLinkError();
    throw new Error(`push of match ${row.id} seq ${events[0]!.seq}-${events.at(-1)!.seq} not acknowledged in time`);
  }
  if (!ctx.isCurrent(link)) throw new StaleLinkError();

  if (ack.ok) {
    const now = new Date().toISOString();
    const acked = Math.min(ack.ackedSeq, row.lastSeq);
    if (acked <= row.confirmedSeq) {
      ctx.blocked.set(row.id, {
        code: 'INTERNAL',
        message: `the server acknowledged seq ${ack.ackedSeq}, nothing new`,
      });
      return;
    }
    // A verify ack has no cursor: its events are stored apart from the official ones.
    const cursor = 'cursor' in ack && typeof ack.cursor === 'number' ? ack.cursor : 0;
    if (store.confirm(row.id, acked, cursor, now)) {
      ctx.host.matchChanged(row.id, false);
      ctx.confirmed(acked - row.confirmedSeq, now);
    }
    return;
  }

  logger.warn({ matchId: row.id, code: ack.code, message: ack.message }, 'sync: push refused');
  if (verify && (ack.code === 'GAP' || ack.code === 'CONFLICT' || ack.code === 'STALE_EPOCH')) {
    // The official history is not this stream's: resend from the server's expected seq, or stop and show why.
    if (ack.code === 'GAP' && ack.expectedSeq !== undefined && ack.expectedSeq <= row.confirmedSeq) {
      store.rewindConfirmed(row.id, ack.expectedSeq - 1);
      ctx.host.matchChanged(row.id, false);
    } else {
      ctx.blocked.set(row.id, { code: ack.code, message: ack.message });
      ctx.host.changed();
    }
    return;
  }
  switch (ack.code) {
    case 'STALE_EPOCH':
      ctx.fence(row.id, ack.message);
      return;
    case 'GAP': {
      const expected = ack.expectedSeq;
      if (expected !== undefined && expected <= row.confirmedSeq) {
        // The server has fewer events than it once confirmed (restored from a backup?): resend from there.
        logger.warn(
          { matchId: row.id, expected, confirmed: row.confirmedSeq },
          "sync: resending from the server's expected seq",
        );
        store.rewindConfirmed(row.id, expected - 1);
        ctx.host.matchChanged(row.id, false);
        return;
      }
      // The server has more than we know was confirmed: its history decides.
      const r = await reconcileFromServer(ctx.remote(), link, row.id);
      if (!r.ok) ctx.blocked.set(row.id, { code: r.code, message: r.message });
      return;
    }
    case 'CONFLICT': {
      const r = await reconcileFromServer(ctx.remote(), link, row.id);
      if (!r.ok) ctx.blocked.set(row.id, { code: r.code, message: r.message });
      return;
    }
    case 'UNAVAILABLE':
    case 'RATE_LIMITED':
    case 'INTERNAL':
      // Nothing was stored; the same events go again shortly.
      await wait(PUSH_RETRY_MS);
      return;
    default:
      // The server will refuse these events every time (rules, rights, unknown match): stop and show why.
      ctx.blocked.set(row.id, { code: ack.code, message: ack.message });
      ctx.host.changed();
      return;
  }
}
