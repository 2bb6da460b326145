/**
 * Builders for domain tests: a match meta and a scorer that feeds events through a
 * MatchReducer exactly as the console does (check, then apply), failing loudly when
 * the rules refuse an event the test expects to be fine.
 */
import type { Side, Sport } from '../../shared/events.js';
import type { MatchMeta, MatchOptions, MatchSnapshot } from '../../shared/match.js';
import { MatchReducer } from '../../shared/domain/reducer.js';
import type { FoldableEvent, RuleVerdict } from '../../shared/domain/types.js';

export function testMeta(sport: Sport, options: MatchOptions = {}): MatchMeta {
  return {
    id: `m-${sport}`,
    sport,
    court: 'Court 1',
    home: { name: 'Home' },
    away: { name: 'Away' },
    scheduledAt: null,
    slotMinutes: null,
    options,
  };
}

const BASE_MS = Date.parse('2026-05-01T10:00:00.000Z');

type Draft = {
  [T in FoldableEvent['type']]: { type: T; payload: Extract<FoldableEvent, { type: T }>['payload'] };
}[FoldableEvent['type']];

export class Scorer {
  readonly reducer: MatchReducer;
  constructor(meta: MatchMeta) {
    this.reducer = new MatchReducer(meta);
  }

  /** The next event with seq and a time one second after the previous one. */
  next(draft: Draft): FoldableEvent {
    const seq = this.reducer.lastSeq + 1;
    return { ...draft, seq, at: new Date(BASE_MS + seq * 1000).toISOString() } as FoldableEvent;
  }

  /** What the rules say about the event, without applying it. */
  try(draft: Draft): RuleVerdict {
    return this.reducer.check(this.next(draft));
  }

  /** Check and apply; throws with the rules' message when refused. */
  send(draft: Draft): this {
    const event = this.next(draft);
    const verdict = this.reducer.check(event);
    if (!verdict.ok) throw new Error(`seq ${event.seq} ${event.type} refused: ${verdict.code} ${verdict.message}`);
    this.reducer.apply(event);
    return this;
  }

  start(firstServer?: Side): this {
    return this.send({ type: 'MATCH_START', payload: firstServer ? { firstServer } : {} });
  }

  point(side: Side, points?: number): this {
    return this.send({ type: 'SCORE_UPDATE', payload: points === undefined ? { side } : { side, points } });
  }

  /** Rallies from a string: 'h' home wins one, 'a' away wins one; spaces ignored. */
  rallies(sequence: string): this {
    for (const c of sequence.replace(/\s/g, '')) this.point(c === 'h' ? 'home' : 'away');
    return this;
  }

  /** `n` points in a row for `side`. */
  run(side: Side, n: number): this {
    for (let i = 0; i < n; i++) this.point(side);
    return this;
  }

  /** Alternate points home, away, ... `n` times each (a level run). */
  level(n: number): this {
    for (let i = 0; i < n; i++) this.point('home').point('away');
    return this;
  }

  get snap(): MatchSnapshot {
    return this.reducer.snapshot();
  }
}
