/**
 * A second scorer's cross-check (contract 1.1, the `verify` stream): compares the official
 * state of a match with a verifying console's own fold of the same match, and tracks how
 * long they have disagreed. Pure: the server (server/verify/) feeds it states and the time.
 */
import type { MatchSnapshot } from './match.js';

/** A disagreement this long alerts the court wall: a point scored a moment apart on the two consoles is not one. */
export const VERIFY_ALERT_MS = 2_000;
/** A disagreement this long makes the score unverified (`verification.state` disagree, `freshness.verified` false). */
export const VERIFY_DISAGREE_MS = 5_000;

/** The public verification of a match (snapshot `verification`); null while it has no verify stream. */
export interface Verification {
  state: 'agree' | 'disagree';
  /** ISO time: agree since they last agreed (or the verify stream began); disagree since the disagreement began. */
  since: string;
}

/** The court wall's alert: the two states have disagreed for VERIFY_ALERT_MS or more, since `since`. */
export interface VerificationAlert {
  since: string;
}

/**
 * Where a match's cross-check stands. `mismatch`: disagreeing for less than
 * VERIFY_ALERT_MS; `alert`: for less than VERIFY_DISAGREE_MS; then `disagree`.
 * Times are epoch ms; `agreeSince` is kept through a short mismatch, which never shows publicly.
 */
export type VerifyTrack =
  | { phase: 'agree'; since: number }
  | { phase: 'mismatch'; since: number; agreeSince: number }
  | { phase: 'alert'; since: number; agreeSince: number }
  | { phase: 'disagree'; since: number };

/** The parts compared: the score shown biggest, tennis games, and the sets (or games) finished. */
export function comparable(s: MatchSnapshot): string {
  return JSON.stringify({
    home: s.home.score,
    away: s.away.score,
    games: s.games ?? null,
    sets: s.sets.map((set) => [set.home, set.away]),
  });
}

/** A short text of a state for the audit trail, e.g. "2-1 (sets 25-20)". */
export function describeScore(s: MatchSnapshot): string {
  const parts = [`${s.home.score}-${s.away.score}`];
  if (s.games) parts.push(`games ${s.games.home}-${s.games.away}`);
  if (s.sets.length) parts.push(`sets ${s.sets.map((set) => `${set.home}-${set.away}`).join(' ')}`);
  return parts.join(', ');
}

export function statesAgree(official: MatchSnapshot, verify: MatchSnapshot): boolean {
  return comparable(official) === comparable(verify);
}

/** The next track given whether the states agree now. */
export function stepTrack(track: VerifyTrack | null, agree: boolean, now: number): VerifyTrack {
  if (!track) return agree ? { phase: 'agree', since: now } : { phase: 'mismatch', since: now, agreeSince: now };
  if (agree) {
    switch (track.phase) {
      case 'agree':
        return track;
      case 'mismatch':
      case 'alert':
        return { phase: 'agree', since: track.agreeSince };
      case 'disagree':
        return { phase: 'agree', since: now };
    }
  }
  switch (track.phase) {
    case 'agree':
      return { phase: 'mismatch', since: now, agreeSince: track.since };
    case 'mismatch':
    case 'alert': {
      const elapsed = now - track.since;
      if (elapsed >= VERIFY_DISAGREE_MS) return { phase: 'disagree', since: track.since };
      if (elapsed >= VERIFY_ALERT_MS) return { phase: 'alert', since: track.since, agreeSince: track.agreeSince };
      return track;
    }
    case 'disagree':
      return track;
  }
}

/**
 * The track a (re)started server resumes from the stored verification and alert, so a
 * disagreement keeps its start time across a restart. A mismatch shorter than
 * VERIFY_ALERT_MS is stored nowhere: it begins again at the next comparison.
 */
export function resumedTrack(
  verification: Verification | null | undefined,
  alert: VerificationAlert | null | undefined,
): VerifyTrack | null {
  if (!verification) return null;
  const since = Date.parse(verification.since);
  switch (verification.state) {
    case 'disagree':
      return { phase: 'disagree', since };
    case 'agree':
      return alert ? { phase: 'alert', since: Date.parse(alert.since), agreeSince: since } : { phase: 'agree', since };
  }
}

/** When the track must be stepped again without new events (ms from now), or null. */
export function nextDueIn(track: VerifyTrack, now: number): number | null {
  switch (track.phase) {
    case 'agree':
    case 'disagree':
      return null;
    case 'mismatch':
      return Math.max(0, track.since + VERIFY_ALERT_MS - now);
    case 'alert':
      return Math.max(0, track.since + VERIFY_DISAGREE_MS - now);
  }
}

export function publicVerification(track: VerifyTrack): Verification {
  switch (track.phase) {
    case 'agree':
      return { state: 'agree', since: new Date(track.since).toISOString() };
    case 'mismatch':
    case 'alert':
      return { state: 'agree', since: new Date(track.agreeSince).toISOString() };
    case 'disagree':
      return { state: 'disagree', since: new Date(track.since).toISOString() };
  }
}

export function alertOf(track: VerifyTrack): VerificationAlert | null {
  switch (track.phase) {
    case 'agree':
    case 'mismatch':
      return null;
    case 'alert':
    case 'disagree':
      return { since: new Date(track.since).toISOString() };
  }
}

/** `freshness.verified` from a snapshot's verification: null with no verify stream. */
export function verifiedOf(verification: Verification | null | undefined): boolean | null {
  return verification ? verification.state === 'agree' : null;
}
