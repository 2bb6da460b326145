/**
 * Public surface of the match domain: pure, deterministic, no I/O.
 * The server, the console core and the overlays compute match state only through this.
 *
 * PLACEHOLDER SIGNATURES: the domain issue implements these (see shared/domain/*.ts).
 */
import type { MatchEvent, StoredEvent } from '../events.js';
import type { MatchMeta, MatchSnapshot } from '../match.js';
import type { ErrorCode } from '../protocol.js';

/** An event as the fold sees it: console events have no cursor yet. */
export type FoldableEvent = MatchEvent & { cursor?: number; epoch?: number };

export type RuleVerdict = { ok: true } | { ok: false; code: Extract<ErrorCode, 'RULES' | 'VALIDATION' | 'GAP'>; message: string };

/** Fold a whole history into the snapshot. Same input, byte-identical JSON output. */
export declare function foldMatch(meta: MatchMeta, events: readonly FoldableEvent[]): MatchSnapshot;

/**
 * Incremental state of one match for writers (console core, server ingest):
 * `check` asks the rules without changing anything; `apply` is called only after the
 * event is committed. Appending is O(1) amortised; a CORRECTION refolds.
 */
export declare class MatchReducer {
  constructor(meta: MatchMeta, events?: readonly FoldableEvent[]);
  readonly meta: MatchMeta;
  /** Last seq applied (0 when empty). */
  readonly lastSeq: number;
  snapshot(): MatchSnapshot;
  /** seq must be lastSeq + 1 (else GAP), the rules must accept it (else RULES). */
  check(event: MatchEvent): RuleVerdict;
  apply(event: FoldableEvent): void;
  events(): readonly FoldableEvent[];
}
