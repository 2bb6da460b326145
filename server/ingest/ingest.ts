/**
 * The write side of the pipeline: events:push, match:claim, match:pull, handover and
 * match creation. Every input is validated with the shared zod schemas; every push is
 * answered only after its events are committed (or refused with a code).
 */
import { performance } from 'node:perf_hooks';
import type pg from 'pg';
import { z } from 'zod';
import type { CreateMatch, MatchSnapshot } from '../../shared/match.js';
import {
  describeZodError,
  eventsPushSchema,
  LIMITS,
  matchClaimSchema,
  matchPullSchema,
  type ClaimAck,
  type ErrorCode,
  type Fail,
  type PullAck,
  type PushAck,
} from '../../shared/protocol.js';
import type { AuthUser } from '../broadcast/deps.js';
import { canWriteCourt } from '../auth/permissions.js';
import type { Bus } from '../bus.js';
import { withTransaction } from '../db/pool.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import { metaFromCreate } from '../../shared/match.js';
import { getMatchRow, insertMatch, newMatchId, readEventPage } from '../store/matches.js';
import type { GroupCommit } from './group-commit.js';
import { KeyedMutex } from './keyed-mutex.js';
import type { MatchState, MatchStateCache } from './match-state.js';
import { planPush } from './validate-push.js';

/** A push whose state was invalidated mid-way is re-planned at most this often before UNAVAILABLE. */
const MAX_PUSH_ATTEMPTS = 3;

export interface Writer {
  user: AuthUser;
  consoleId: string | undefined;
}

type Planned = { reply: PushAck } | { wait: { state: MatchState; ackedSeq: number; failAfter?: PushAck } };

// NoInfer: T comes from `extra` only; inferred from an async caller's return type it was a promise type.
function fail<T extends object = object>(code: ErrorCode, message: string, extra?: T): NoInfer<Fail & T> {
  return { ok: false, code, message, ...(extra as T) };
}

export class MatchExistsError extends Error {}

export class Ingest {
  private readonly mutex = new KeyedMutex();

  constructor(
    private readonly pool: pg.Pool,
    private readonly states: MatchStateCache,
    private readonly commits: GroupCommit,
    private readonly bus: Bus,
    private readonly metrics: Metrics,
    private readonly logger: Logger,
  ) {
    bus.on((message, origin) => {
      if (origin !== 'remote') return;
      switch (message.type) {
        case 'batch':
          // Another process wrote these matches: our cached history may be behind.
          for (const m of message.matches) this.dropIfIdle(m.matchId);
          break;
        case 'epoch':
          this.states.drop(message.matchId);
          break;
        case 'match-created':
        case 'presence':
        case 'verification':
          break;
      }
    });
  }

  private dropIfIdle(matchId: string): void {
    const state = this.states.peek(matchId);
    if (state && state.reducer.lastSeq === state.committedSeq) this.states.drop(matchId);
  }

  async push(raw: unknown, who: Writer): Promise<PushAck> {
    const reply = await this.pushInner(raw, who);
    if (!reply.ok) this.metrics.pushesRefused.inc({ code: reply.code });
    if (!reply.ok && reply.code === 'STALE_EPOCH') this.recordFencedPush(raw, who);
    return reply;
  }

  /** Audit trail: what a fenced console tried to send (its events stay on it for review). */
  private recordFencedPush(raw: unknown, who: Writer): void {
    const parsed = eventsPushSchema.safeParse(raw);
    if (!parsed.success) return;
    const { matchId, epoch, events } = parsed.data;
    const seqs = events.map((e) => e.seq);
    this.pool
      .query(
        `INSERT INTO match_fenced_pushes (match_id, console_id, user_id, epoch, first_seq, last_seq, events, refused_at)
         SELECT $1, $2, $3, $4, $5, $6, $7, $8 WHERE EXISTS (SELECT 1 FROM matches WHERE id = $1)`,
        [
          matchId,
          who.consoleId ?? null,
          who.user.subject ? null : who.user.id,
          epoch,
          Math.min(...seqs),
          Math.max(...seqs),
          events.length,
          // When it was refused, not when the row lands: the trail orders by it.
          new Date(),
        ],
      )
      .catch((error: unknown) =>
        this.logger.warn(
          { err: (error as Error).message, matchId },
          'ingest: fenced push not recorded in the audit trail',
        ),
      );
  }

  private async pushInner(raw: unknown, who: Writer): Promise<PushAck> {
    const parsed = eventsPushSchema.safeParse(raw);
    if (!parsed.success) return fail('VALIDATION', describeZodError(parsed.error));
    const msg = parsed.data;
    // The console namespace sends verify pushes to server/verify/; here only the official stream is written.
    if (msg.stream === 'verify') return fail('VALIDATION', 'stream: a verify push is not part of the official stream');
    if (!who.consoleId) return fail('VALIDATION', 'consoleId: missing in the handshake auth');
    if (msg.create && msg.create.id !== msg.matchId) return fail('VALIDATION', 'create.id: must equal matchId');
    const receivedAt = performance.now();
    for (let attempt = 0; attempt < MAX_PUSH_ATTEMPTS; attempt++) {
      const refusal = this.commits.refusal(msg.events.length);
      if (refusal) return fail('UNAVAILABLE', refusal);
      let planned: Planned;
      try {
        planned = await this.mutex.run(msg.matchId, () => this.plan(msg, who, receivedAt));
      } catch (error) {
        this.logger.warn(
          { err: (error as Error).message, matchId: msg.matchId },
          'ingest: storage error while planning',
        );
        return fail('UNAVAILABLE', 'storage unreachable; retry later');
      }
      if ('reply' in planned) return planned.reply;
      const { state, ackedSeq, failAfter } = planned.wait;
      const outcome = await state.waitCommitted(ackedSeq);
      switch (outcome) {
        case 'committed':
          return failAfter ?? { ok: true, ackedSeq, cursor: state.committedCursor };
        case 'unavailable':
          return fail('UNAVAILABLE', 'storage failed; nothing of this push was acknowledged; retry later');
        case 'rejected':
          return fail('VALIDATION', 'storage cannot hold a value of these events; nothing of this push was stored');
        case 'retry':
          continue;
      }
    }
    return fail('UNAVAILABLE', 'the match changed while this push was stored; retry');
  }

  private async plan(msg: z.infer<typeof eventsPushSchema>, who: Writer, receivedAt: number): Promise<Planned> {
    const consoleId = who.consoleId!;
    let state = await this.states.get(msg.matchId);
    if (!state && msg.create) {
      if (!canWriteCourt(who.user, msg.create.court)) {
        return { reply: fail('FORBIDDEN', `you may not write to court ${msg.create.court}`) };
      }
      await this.createMatch(msg.create, who.user.id, true);
      state = await this.states.get(msg.matchId);
    }
    if (!state) return { reply: fail('UNKNOWN_MATCH', `no match ${msg.matchId}`) };
    if (!canWriteCourt(who.user, state.court)) {
      this.logger.warn(
        { user: who.user.username, matchId: msg.matchId, court: state.court },
        'ingest: write to a foreign court refused',
      );
      return { reply: fail('FORBIDDEN', `you may not write to court ${state.court}`) };
    }
    for (let round = 0; round < 3; round++) {
      const plan = planPush(state, msg, consoleId);
      switch (plan.kind) {
        case 'refuse':
          return { reply: plan.fail };
        case 'claim': {
          // The audit trail's first writer change, in the same statement as the claim.
          const { rows: claimed } = await this.pool.query(
            `WITH claimed AS (
               UPDATE matches SET writer_console_id = $1 WHERE id = $2 AND epoch = 0 AND writer_console_id IS NULL
               RETURNING id)
             INSERT INTO match_writer_changes (match_id, epoch, kind, console_id, previous_console_id, user_id)
             SELECT id, 0, 'first-push', $1, NULL, $3 FROM claimed RETURNING match_id`,
            [consoleId, msg.matchId, who.user.subject ? null : who.user.id],
          );
          const rowCount = claimed.length;
          if (rowCount === 1) {
            state.writerConsoleId = consoleId;
            this.bus.publish({ type: 'epoch', matchId: msg.matchId, epoch: 0, writerConsoleId: consoleId });
          } else {
            state = await this.reload(msg.matchId);
            if (!state) return { reply: fail('UNKNOWN_MATCH', `no match ${msg.matchId}`) };
          }
          continue;
        }
        case 'reload': {
          if (round > 0) break;
          state = await this.reload(msg.matchId);
          if (!state) return { reply: fail('UNKNOWN_MATCH', `no match ${msg.matchId}`) };
          continue;
        }
        case 'accept': {
          if (plan.duplicates > 0) this.metrics.eventsDuplicate.inc(plan.duplicates);
          if (plan.fresh.length) {
            this.commits.enqueue({
              state,
              consoleId,
              userId: who.user.id,
              epoch: msg.epoch,
              events: plan.fresh,
              receivedAt,
            });
          }
          return { wait: { state, ackedSeq: plan.ackedSeq, ...(plan.failAfter ? { failAfter: plan.failAfter } : {}) } };
        }
      }
      break;
    }
    return { reply: fail('STALE_EPOCH', `match ${msg.matchId} is at epoch ${state.epoch}`, { epoch: state.epoch }) };
  }

  private async reload(matchId: string): Promise<MatchState | null> {
    this.states.drop(matchId);
    return this.states.get(matchId);
  }

  /** `onMoved` learns the console that lost the match, so it can be told at once (not on its next push). */
  async claim(
    raw: unknown,
    who: Writer,
    onMoved?: (matchId: string, epoch: number, previous: string | null) => void,
  ): Promise<ClaimAck> {
    const parsed = matchClaimSchema.safeParse(raw);
    if (!parsed.success) return fail('VALIDATION', describeZodError(parsed.error));
    if (!who.consoleId) return fail('VALIDATION', 'consoleId: missing in the handshake auth');
    const { matchId, expectedEpoch } = parsed.data;
    try {
      return await this.mutex.run(matchId, async (): Promise<ClaimAck> => {
        const row = await getMatchRow(this.pool, matchId);
        if (!row) return fail('UNKNOWN_MATCH', `no match ${matchId}`);
        if (!canWriteCourt(who.user, row.meta.court))
          return fail('FORBIDDEN', `you may not write to court ${row.meta.court}`);
        const moved = await this.moveWriter(matchId, who.consoleId!, expectedEpoch, {
          kind: 'claim',
          userId: who.user.subject ? null : who.user.id,
        });
        if (!moved) {
          const now = await getMatchRow(this.pool, matchId);
          return fail('STALE_EPOCH', `match ${matchId} is at epoch ${now?.epoch ?? row.epoch}`, {
            epoch: now?.epoch ?? row.epoch,
          });
        }
        onMoved?.(matchId, moved.epoch, moved.previous);
        return { ok: true, epoch: moved.epoch };
      });
    } catch (error) {
      this.logger.warn({ err: (error as Error).message, matchId }, 'ingest: storage error in claim');
      return fail('UNAVAILABLE', 'storage unreachable; retry later');
    }
  }

  /** Director's handover: epoch + 1, writer = consoleId (or nobody until a console claims). `byUserId`: the director. */
  async handover(
    matchId: string,
    consoleId: string | null,
    byUserId: number | null = null,
  ): Promise<{ epoch: number; previous: string | null } | null> {
    return this.mutex.run(matchId, () =>
      this.moveWriter(matchId, consoleId, null, { kind: 'handover', userId: byUserId }),
    );
  }

  /**
   * Compare-and-set on the epoch; null when the expected epoch is not the current one. The
   * change goes into the audit trail (match_writer_changes) in the same statement.
   */
  private async moveWriter(
    matchId: string,
    consoleId: string | null,
    expectedEpoch: number | null,
    audit: { kind: 'claim' | 'handover'; userId: number | null },
  ) {
    const { rows } = await this.pool.query<{ epoch: number; previous: string | null }>(
      `WITH old AS (SELECT id, writer_console_id FROM matches WHERE id = $1 FOR UPDATE),
       moved AS (
         UPDATE matches m SET epoch = m.epoch + 1, writer_console_id = $2
         FROM old WHERE m.id = old.id AND ($3::int IS NULL OR m.epoch = $3)
         RETURNING m.id, m.epoch, old.writer_console_id AS previous),
       logged AS (
         INSERT INTO match_writer_changes (match_id, epoch, kind, console_id, previous_console_id, user_id)
         SELECT id, epoch, $4, $2, previous, $5 FROM moved)
       SELECT epoch, previous FROM moved`,
      [matchId, consoleId, expectedEpoch, audit.kind, audit.userId],
    );
    const moved = rows[0];
    if (!moved) return null;
    // Pending events of the old writer will fail the flush's epoch check and be refused.
    this.states.drop(matchId);
    this.bus.publish({ type: 'epoch', matchId, epoch: moved.epoch, writerConsoleId: consoleId });
    return moved;
  }

  /** `online`: whether a console is connected now (presence), for the ack's writerOnline (hot standby). */
  async pull(raw: unknown, online?: (consoleId: string) => boolean): Promise<PullAck> {
    const parsed = matchPullSchema.safeParse(raw);
    if (!parsed.success) return fail('VALIDATION', describeZodError(parsed.error));
    const { matchId, after, limit } = parsed.data;
    try {
      const row = await getMatchRow(this.pool, matchId);
      if (!row) return fail('UNKNOWN_MATCH', `no match ${matchId}`);
      const page = await readEventPage(this.pool, matchId, after, limit ?? LIMITS.MAX_PAGE_EVENTS);
      return {
        ok: true,
        events: page.events,
        upToDate: page.upToDate,
        epoch: row.epoch,
        meta: row.meta,
        ...(online ? { writerOnline: row.writerConsoleId === null ? null : online(row.writerConsoleId) } : {}),
      };
    } catch (error) {
      this.logger.warn({ err: (error as Error).message, matchId }, 'ingest: storage error in pull');
      return fail('UNAVAILABLE', 'storage unreachable; retry later');
    }
  }

  /**
   * Creates a match (POST /api/matches, or a console's offline match on first push).
   * `ifAbsent`: an existing match with that id is fine (returns null) instead of an error.
   */
  async createMatch(input: CreateMatch, createdBy: number | null, ifAbsent = false): Promise<MatchSnapshot | null> {
    const meta = metaFromCreate({ ...input, id: input.id ?? newMatchId() });
    const snapshot = await withTransaction(this.pool, (client) => insertMatch(client, meta, createdBy));
    if (!snapshot) {
      if (ifAbsent) return null;
      throw new MatchExistsError(`match ${meta.id} exists`);
    }
    this.bus.publish({ type: 'match-created', snapshot });
    return snapshot;
  }
}
