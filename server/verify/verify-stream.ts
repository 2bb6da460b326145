/**
 * A second scorer's cross-check (contract 1.1): events:push with `stream: "verify"`. A
 * verifying console (not the match's writer) scores the same match on its own; its events
 * are stored in match_verify_events (never match_events), folded with the same reducer as
 * the official stream, and compared with the official committed state. Changes of the
 * verification (and of the court wall's alert) are stored on match_statistics, written to
 * the audit trail and published on the bus, so every process puts them on air.
 *
 * The comparison runs in the process that takes the verifier's pushes; official commits
 * reach it through the bus from any process. After a (re)start, resume() loads every match
 * whose verification may still change from PostgreSQL and compares at once (no push needed);
 * before comparing on a commit or a timer a process reads the verify events other processes
 * stored, so every process that compares a match compares the same states.
 */
import type pg from 'pg';
import { MatchReducer } from '../../shared/domain/index.js';
import type { MatchEvent } from '../../shared/events.js';
import type { MatchSnapshot } from '../../shared/match.js';
import {
  describeZodError,
  eventsPushSchema,
  type ErrorCode,
  type Fail,
  type VerifyPushAck,
} from '../../shared/protocol.js';
import { sameEventContent } from '../../shared/same-event.js';
import {
  alertOf,
  describeScore,
  nextDueIn,
  publicVerification,
  resumedTrack,
  statesAgree,
  stepTrack,
  type Verification,
  type VerificationAlert,
  type VerifyTrack,
} from '../../shared/verification.js';
import { canWriteCourt } from '../auth/permissions.js';
import type { AuthUser } from '../broadcast/deps.js';
import type { Bus } from '../bus.js';
import { KeyedMutex } from '../ingest/keyed-mutex.js';
import type { Logger } from '../logger.js';
import { getMatchRow, getSnapshot } from '../store/matches.js';

interface Verifier {
  consoleId: string;
  reducer: MatchReducer;
}

/** One match with a verify stream: its verifiers, the official state, the track and its timer. */
interface Checked {
  matchId: string;
  official: MatchSnapshot;
  verifiers: Map<string, Verifier>;
  track: VerifyTrack | null;
  timer: NodeJS.Timeout | null;
  /** Changes are stored one after the other, in the order they happened. */
  chain: Promise<void>;
}

function fail(code: ErrorCode, message: string, extra: { expectedSeq?: number } = {}): Fail & { expectedSeq?: number } {
  return { ok: false, code, message, ...extra };
}

export interface VerifyChange {
  matchId: string;
  verification: Verification;
  verificationAlert: VerificationAlert | null;
}

export class VerifyStreams {
  private readonly mutex = new KeyedMutex();
  private readonly checked = new Map<string, Checked>();
  private stopped = false;

  constructor(
    private readonly pool: pg.Pool,
    private readonly bus: Bus,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {
    bus.on((message) => {
      if (message.type !== 'batch') return;
      for (const m of message.matches) {
        const match = this.checked.get(m.matchId);
        if (!match || m.snapshot.cursor < match.official.cursor) continue;
        match.official = m.snapshot;
        this.compareStored(match);
      }
    });
  }

  /**
   * After a (re)start: each match with a verify stream whose verification may still change
   * (not finished, or an alert or no verification stored) is loaded from PostgreSQL (the
   * official snapshot, each verifier's stream, the stored verification) and compared now, so
   * `verification` is right without the verifier's next push. Returns how many.
   */
  async resume(): Promise<number> {
    const { rows } = await this.pool.query<{ id: string }>(
      `SELECT s.match_id AS id FROM match_statistics s
       WHERE (s.status <> 'finished' OR s.verification IS NULL OR s.verification_alert IS NOT NULL)
         AND EXISTS (SELECT 1 FROM match_verify_events v WHERE v.match_id = s.match_id)`,
    );
    for (const { id } of rows) await this.mutex.run(id, () => this.resumeMatch(id));
    if (rows.length) this.logger.info({ matches: rows.length }, 'verify: compared the verified matches after start');
    return rows.length;
  }

  private async resumeMatch(matchId: string): Promise<void> {
    const row = await getMatchRow(this.pool, matchId);
    if (!row) return;
    const match = await this.load(matchId);
    const { rows } = await this.pool.query<{ console_id: string }>(
      'SELECT DISTINCT console_id::text FROM match_verify_events WHERE match_id = $1',
      [matchId],
    );
    for (const { console_id } of rows) await this.loadVerifier(match, row.meta, console_id);
    await this.refresh(match);
    this.evaluate(match);
  }

  /** An official commit or a due step: compare with the verify events stored by now. */
  private compareStored(match: Checked): void {
    void this.mutex
      .run(match.matchId, async () => {
        await this.refresh(match);
        this.evaluate(match);
      })
      .catch((error: unknown) =>
        this.logger.warn({ err: (error as Error).message, matchId: match.matchId }, 'verify: comparison failed'),
      );
  }

  /** Verify events another process stored since this one read them (its verifier pushes there). */
  private async refresh(match: Checked): Promise<void> {
    for (const verifier of match.verifiers.values()) {
      const events = await this.readVerifyEvents(match.matchId, verifier.consoleId, verifier.reducer.lastSeq);
      for (const event of events) verifier.reducer.apply(event);
    }
  }

  private async readVerifyEvents(matchId: string, consoleId: string, afterSeq: number): Promise<MatchEvent[]> {
    const { rows } = await this.pool.query<{ seq: number; event_type: string; event_data: unknown; at_text: string }>(
      `SELECT seq, event_type, event_data, at_text FROM match_verify_events
       WHERE match_id = $1 AND console_id = $2 AND seq > $3 ORDER BY seq`,
      [matchId, consoleId, afterSeq],
    );
    return rows.map((r) => ({ seq: r.seq, type: r.event_type, payload: r.event_data, at: r.at_text }) as MatchEvent);
  }

  /** An events:push with `stream: "verify"`. */
  async push(raw: unknown, who: { user: AuthUser; consoleId: string | undefined }): Promise<VerifyPushAck> {
    const parsed = eventsPushSchema.safeParse(raw);
    if (!parsed.success) return fail('VALIDATION', describeZodError(parsed.error));
    const msg = parsed.data;
    const consoleId = who.consoleId;
    if (!consoleId) return fail('VALIDATION', 'consoleId: missing in the handshake auth');
    if (msg.epoch !== 0) return fail('VALIDATION', 'epoch: a verify stream has epoch 0');
    if (msg.create) return fail('VALIDATION', 'create: a verify stream cannot create a match');
    const events = msg.events;
    for (let i = 1; i < events.length; i++)
      if (events[i]!.seq !== events[0]!.seq + i)
        return fail('VALIDATION', `events.${i}.seq: must be ${events[0]!.seq + i} (consecutive seqs)`);
    try {
      return await this.mutex.run(msg.matchId, () => this.store(msg.matchId, events, { user: who.user, consoleId }));
    } catch (error) {
      this.logger.warn({ err: (error as Error).message, matchId: msg.matchId }, 'verify: storage error');
      return fail('UNAVAILABLE', 'storage unreachable; nothing of this push was stored; retry later');
    }
  }

  private async store(
    matchId: string,
    events: MatchEvent[],
    who: { user: AuthUser; consoleId: string },
  ): Promise<VerifyPushAck> {
    const row = await getMatchRow(this.pool, matchId);
    if (!row) return fail('UNKNOWN_MATCH', `no match ${matchId}`);
    if (!canWriteCourt(who.user, row.meta.court))
      return fail('FORBIDDEN', `you may not write to court ${row.meta.court}`);
    if (row.writerConsoleId === who.consoleId)
      return fail('FORBIDDEN', `this console writes match ${matchId}: a verify stream comes from another console`);
    const match = await this.load(matchId);
    const verifier = await this.loadVerifier(match, row.meta, who.consoleId);
    const reducer = verifier.reducer;

    // Resends of stored events are duplicates when identical; a different event at a stored seq is a conflict.
    let dup = 0;
    for (const event of events) {
      if (event.seq > reducer.lastSeq) break;
      const stored = reducer.events().find((e) => e.seq === event.seq);
      if (!stored || !sameEventContent(stored, event))
        return fail('CONFLICT', `events.${dup}: seq ${event.seq} differs from the stored verify event`);
      dup++;
    }
    const fresh = events.slice(dup);
    if (fresh.length === 0) return { ok: true, ackedSeq: events[events.length - 1]!.seq };
    if (fresh[0]!.seq !== reducer.lastSeq + 1)
      return fail('GAP', `seq ${fresh[0]!.seq} follows a gap: expected ${reducer.lastSeq + 1}`, {
        expectedSeq: reducer.lastSeq + 1,
      });
    // The rules on a scratch fold, so nothing is applied before it is stored.
    const trial = new MatchReducer(row.meta, reducer.events());
    const accepted: MatchEvent[] = [];
    let refusal: (Fail & { expectedSeq?: number }) | null = null;
    for (const event of fresh) {
      const verdict = trial.check(event);
      if (!verdict.ok) {
        refusal = fail(verdict.code, `seq ${event.seq}: ${verdict.message}`);
        break;
      }
      trial.apply(event);
      accepted.push(event);
    }
    if (accepted.length === 0) return refusal!;
    await this.pool.query(
      `INSERT INTO match_verify_events (match_id, console_id, seq, event_type, event_data, at_text, user_id)
       SELECT $1, $2, e.seq, e.type, e.payload, e.at, $3
       FROM jsonb_to_recordset($4::jsonb) AS e(seq integer, type text, payload jsonb, at text)`,
      [matchId, who.consoleId, who.user.subject ? null : who.user.id, JSON.stringify(accepted)],
    );
    for (const event of accepted) reducer.apply(event);
    this.evaluate(match);
    if (refusal) return refusal;
    return { ok: true, ackedSeq: accepted[accepted.length - 1]!.seq };
  }

  private async load(matchId: string): Promise<Checked> {
    const known = this.checked.get(matchId);
    if (known) return known;
    const official = await getSnapshot(this.pool, matchId);
    if (!official) throw new Error(`match ${matchId} vanished`);
    const match: Checked = {
      matchId,
      official,
      verifiers: new Map(),
      // As stored (a restart keeps a disagreement's start), so an unchanged state is not written again.
      track: resumedTrack(official.verification, official.verificationAlert),
      timer: null,
      chain: Promise.resolve(),
    };
    this.checked.set(matchId, match);
    return match;
  }

  private async loadVerifier(
    match: Checked,
    meta: ConstructorParameters<typeof MatchReducer>[0],
    consoleId: string,
  ): Promise<Verifier> {
    const known = match.verifiers.get(consoleId);
    if (known) return known;
    const events = await this.readVerifyEvents(match.matchId, consoleId, 0);
    const verifier = { consoleId, reducer: new MatchReducer(meta, events) };
    match.verifiers.set(consoleId, verifier);
    return verifier;
  }

  /** Compares now; stores and publishes what changed; schedules the next step of a disagreement. */
  private evaluate(match: Checked): void {
    if (this.stopped) return;
    if (match.timer) clearTimeout(match.timer);
    match.timer = null;
    const snapshots = [...match.verifiers.values()].map((v) => v.reducer.snapshot());
    if (snapshots.length === 0) return;
    const agree = snapshots.every((s) => statesAgree(match.official, s));
    const now = this.now();
    const before = match.track;
    const after = stepTrack(before, agree, now);
    match.track = after;
    const due = nextDueIn(after, now);
    if (due !== null) match.timer = setTimeout(() => this.compareStored(match), due);
    const was = before ? { v: publicVerification(before), a: alertOf(before) } : null;
    const next = { v: publicVerification(after), a: alertOf(after) };
    if (was && JSON.stringify(was) === JSON.stringify(next)) return;
    const detail = { official: describeScore(match.official), verify: snapshots.map(describeScore).join(' / ') };
    const change: VerifyChange = { matchId: match.matchId, verification: next.v, verificationAlert: next.a };
    match.chain = match.chain
      .then(() => this.record(change, detail))
      .catch((error: unknown) =>
        this.logger.warn({ err: (error as Error).message, matchId: match.matchId }, 'verify: change not stored'),
      );
  }

  private async record(change: VerifyChange, detail: object): Promise<void> {
    // The audit row only when the stored state changes (the row lock orders writers): each
    // process comparing a match writes the same change, and it is in the trail once.
    await this.pool.query(
      `WITH old AS (SELECT verification->>'state' AS state FROM match_statistics WHERE match_id = $1 FOR UPDATE),
       s AS (UPDATE match_statistics SET verification = $2, verification_alert = $3 WHERE match_id = $1)
       INSERT INTO match_verification_changes (match_id, state, detail)
       SELECT $1, $4, $5 FROM old WHERE old.state IS DISTINCT FROM $4`,
      [change.matchId, change.verification, change.verificationAlert, change.verification.state, detail],
    );
    this.logger.info(
      { matchId: change.matchId, state: change.verification.state, alert: change.verificationAlert !== null },
      'verify: verification changed',
    );
    this.bus.publish({ type: 'verification', ...change });
  }

  /** Waits for stored changes (tests, shutdown). */
  async settle(): Promise<void> {
    await Promise.all([...this.checked.values()].map((m) => m.chain));
  }

  stop(): void {
    this.stopped = true;
    for (const match of this.checked.values()) if (match.timer) clearTimeout(match.timer);
  }
}
