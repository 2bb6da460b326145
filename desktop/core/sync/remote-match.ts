/**
 * A match's history from the server: pull it (match:pull, paged by cursor), claim it
 * (match:claim with the current epoch) and make the local log agree (LocalStore.reconcile).
 * Used when opening a server match, on a handover to this console (claim or match:assigned),
 * when mirroring one (standby), and when a push shows the server knows more than this console.
 * Every page is checked (its schema, then its order: pullPageProblem) before any of the
 * history is used: a malformed page fails the whole pull and nothing stored changes.
 */
import { foldMatch } from '../../../shared/domain/index.js';
import type { StoredEvent } from '../../../shared/events.js';
import type { MatchMeta } from '../../../shared/match.js';
import { LIMITS, malformedReply, pullPageProblem, type ErrorCode, type Fail } from '../../../shared/protocol.js';
import { REQUEST_TIMEOUT_MS } from '../constants.js';
import type { CommandResult } from '../../contract/commands.js';
import type { LocalEvent, MatchRow } from '../local-store.js';
import { toFoldable } from '../match-session.js';
import { request } from './request.js';
import type { Link, SyncHost } from './sync-client.js';

export interface RemoteContext {
  host: SyncHost;
  blocked: Map<string, { code: ErrorCode; message: string }>;
  /** The local log of a match was rewritten from the server's: reload memory, re-check fencing, push. */
  afterReconcile(matchId: string): void;
}

type Pulled = { ok: true; events: StoredEvent[]; epoch: number; meta: MatchMeta; writerOnline: boolean | null };

/** Opening or mirroring a match: also whether its writer is connected now (null: unknown or none). */
export type AdoptResult = { ok: true; writerOnline: boolean | null } | Fail;

const noAnswer = (what: string): Fail => ({
  ok: false,
  code: 'UNAVAILABLE',
  message: `the server did not answer ${what}`,
});

/** The stored events after cursor `from` (0: the whole history), page by page. */
export async function pullAll(link: Link, matchId: string, from = 0): Promise<Pulled | Fail> {
  const events: StoredEvent[] = [];
  let after = from;
  for (;;) {
    let ack;
    try {
      ack = await request(link, 'match:pull', { matchId, after, limit: LIMITS.MAX_PAGE_EVENTS }, REQUEST_TIMEOUT_MS);
    } catch {
      return noAnswer('match:pull');
    }
    if (!ack.ok) return ack;
    const problem = pullPageProblem({ matchId, after, afterSeq: events.at(-1)?.seq ?? 0 }, ack);
    if (problem) {
      const message = `malformed match:pull ack from the server: ${problem}`;
      link.badReply(message);
      return malformedReply(message);
    }
    events.push(...ack.events);
    if (ack.upToDate || ack.events.length === 0)
      return { ok: true, events, epoch: ack.epoch, meta: ack.meta, writerOnline: ack.writerOnline ?? null };
    after = ack.events.at(-1)!.cursor;
  }
}

const fold = (meta: MatchMeta) => (events: LocalEvent[]) => foldMatch(meta, events.map(toFoldable));

function apply(
  ctx: RemoteContext,
  pulled: Pulled,
  epoch: number,
  writable: boolean,
  fence: { code: string; reason: string } | null,
): void {
  const result = ctx.host.store.reconcile({
    meta: pulled.meta,
    serverEvents: pulled.events,
    epoch,
    writable,
    fence,
    now: new Date().toISOString(),
    fold: fold(pulled.meta),
  });
  if (result.setAside > 0) {
    ctx.host.logger.warn(
      { matchId: pulled.meta.id, setAside: result.setAside },
      'sync: unsent events set aside for review',
    );
  }
  ctx.blocked.delete(pulled.meta.id);
  ctx.afterReconcile(pulled.meta.id);
}

/** Whether this console may write a pulled match, and if not, why (a fence). */
function adoption(
  ctx: RemoteContext,
  row: MatchRow | null,
  pulled: Pulled,
): { epoch: number; writable: boolean; fence: { code: string; reason: string } | null } {
  const last = pulled.events.at(-1);
  const otherWriter = last !== undefined && last.consoleId !== ctx.host.consoleId;
  const ourEpoch = row?.epoch ?? 0;
  const writable = !row?.fence && !otherWriter && pulled.epoch === ourEpoch;
  const fence = writable
    ? null
    : (row?.fence ?? {
        code: 'STALE_EPOCH',
        reason: `match ${pulled.meta.id} is scored by another console (epoch ${pulled.epoch}); claim it to take over`,
      });
  return { epoch: Math.max(ourEpoch, writable ? pulled.epoch : ourEpoch), writable, fence };
}

/**
 * Opening a server match this console has nothing unsent for: take the server's history. The
 * console may write it only when nobody else does (same epoch, no events from another console).
 */
export async function adoptMatch(ctx: RemoteContext, link: Link, matchId: string): Promise<AdoptResult> {
  const row = ctx.host.store.match(matchId);
  // A verifying scorer's match is its own stream: the official history never replaces it.
  if (row && (row.lastSeq > row.confirmedSeq || row.localOnly || row.stream === 'verify'))
    return { ok: true, writerOnline: null };
  const pulled = await pullAll(link, matchId);
  if (!pulled.ok) return pulled;
  const { epoch, writable, fence } = adoption(ctx, row, pulled);
  apply(ctx, pulled, epoch, writable, fence);
  return { ok: true, writerOnline: pulled.writerOnline };
}

/**
 * Hot standby, every mirror pull: only the events after the last stored cursor, so a long
 * match costs its new events, not its whole history, each time. A standby has nothing
 * unsent, so its log is the server's and the new events continue it; anything else (no
 * history yet, a seq that does not follow, new match details) takes the whole history.
 */
export async function mirrorMatch(ctx: RemoteContext, link: Link, matchId: string): Promise<AdoptResult> {
  const row = ctx.host.store.match(matchId);
  if (!row || row.confirmedCursor === 0 || row.lastSeq !== row.confirmedSeq || row.stream === 'verify')
    return adoptMatch(ctx, link, matchId);
  const pulled = await pullAll(link, matchId, row.confirmedCursor);
  if (!pulled.ok) return pulled;
  const first = pulled.events[0];
  if (first !== undefined && first.seq !== row.lastSeq + 1) return adoptMatch(ctx, link, matchId);
  if (JSON.stringify(pulled.meta) !== JSON.stringify(row.meta)) return adoptMatch(ctx, link, matchId);
  if (first !== undefined) {
    const { epoch, writable, fence } = adoption(ctx, row, pulled);
    apply(ctx, pulled, epoch, writable, fence);
  }
  return { ok: true, writerOnline: pulled.writerOnline };
}

/** Handover to this console: claim with the epoch the server has now, then continue from its last seq. */
export async function claimMatch(ctx: RemoteContext, link: Link, matchId: string): Promise<CommandResult> {
  const before = await pullAll(link, matchId);
  if (!before.ok) return before;
  let expectedEpoch = before.epoch;
  for (let attempt = 0; attempt < 2; attempt++) {
    let ack;
    try {
      ack = await request(link, 'match:claim', { matchId, expectedEpoch }, REQUEST_TIMEOUT_MS);
    } catch {
      return noAnswer('match:claim');
    }
    if (ack.ok) {
      // Pull again: nobody else can add events after our claim, so this history is final.
      const after = await pullAll(link, matchId);
      if (!after.ok) return after;
      apply(ctx, after, ack.epoch, true, null);
      ctx.host.logger.info({ matchId, epoch: ack.epoch }, 'sync: match claimed');
      return { ok: true };
    }
    // Someone moved the epoch between our pull and our claim: try once more with the new one.
    if (ack.code !== 'STALE_EPOCH' || ack.epoch === undefined) return ack;
    expectedEpoch = ack.epoch;
  }
  return { ok: false, code: 'STALE_EPOCH', message: `match ${matchId} keeps changing hands; try again` };
}

/** match:assigned: a director handed this match to this console with `epoch`. */
export async function takeAssignedMatch(
  ctx: RemoteContext,
  link: Link,
  matchId: string,
  epoch: number,
): Promise<CommandResult> {
  const pulled = await pullAll(link, matchId);
  if (!pulled.ok) return pulled;
  apply(ctx, pulled, Math.max(epoch, pulled.epoch), true, null);
  return { ok: true };
}

/** A push showed the server knows more (GAP above our confirmed seq, CONFLICT): its history decides. */
export async function reconcileFromServer(ctx: RemoteContext, link: Link, matchId: string): Promise<CommandResult> {
  const row = ctx.host.store.match(matchId);
  if (!row) return { ok: false, code: 'NOT_FOUND', message: `match ${matchId} is not on this console` };
  if (row.stream === 'verify')
    return { ok: false, code: 'CONFLICT', message: `match ${matchId} is verified here: its stream is its own` };
  const pulled = await pullAll(link, matchId);
  if (!pulled.ok) return pulled;
  const writable = row.writable && pulled.epoch === row.epoch;
  const fence = writable
    ? null
    : (row.fence ?? { code: 'STALE_EPOCH', reason: `match ${matchId} moved to epoch ${pulled.epoch}` });
  apply(ctx, pulled, row.epoch, writable, fence);
  return { ok: true };
}
