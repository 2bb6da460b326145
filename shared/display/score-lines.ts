/**
 * Score lines: the big number of each side, finished sets as `25-20 23-25` (a tie-break's
 * loser points in brackets, tennis style: `7-6(5)`), and the period label.
 */
import type { Side } from '../events.js';
import type { MatchSnapshot, SetScore } from '../match.js';
import { SPORT_TRAITS } from './traits.js';

/** One finished set or period: `25-20`; decided by a tie-break `7-6(5)`. */
export function setScoreText(set: SetScore): string {
  const line = `${set.home}-${set.away}`;
  return set.tiebreak ? `${line}(${Math.min(set.tiebreak.home, set.tiebreak.away)})` : line;
}

/** Finished sets (or periods) in order, one space apart: `25-20 23-25`; `""` when none. */
export function setsLine(sets: readonly SetScore[] | null | undefined): string {
  return (sets ?? []).map(setScoreText).join(' ');
}

/** The number a scoreboard shows biggest for `side`: the point call in tennis, else the score. */
export function scoreText(snapshot: Pick<MatchSnapshot, 'sport' | 'home' | 'away' | 'points'>, side: Side): string {
  const traits = SPORT_TRAITS[snapshot.sport];
  const call = traits.shape === 'sets' && traits.pointCalls ? snapshot.points?.[side] : undefined;
  return call ?? String(snapshot[side].score);
}

/**
 * The period or set being played: basketball `Q1`-`Q4` then `OT1`, `OT2`; generic `P1`, `P2`;
 * set sports `Set 2` / `Game 3` (the last one once finished). `""` before a period sport starts.
 */
export function periodLabel(snapshot: Pick<MatchSnapshot, 'sport' | 'status' | 'period' | 'sets'>): string {
  const traits = SPORT_TRAITS[snapshot.sport];
  if (traits.shape === 'sets') {
    const played = (snapshot.sets ?? []).length + (snapshot.status === 'finished' ? 0 : 1);
    return `${traits.setWord} ${Math.max(1, played)}`;
  }
  if (snapshot.period < 1) return '';
  const regular = traits.regularPeriods;
  if (regular !== null && snapshot.period > regular) return `OT${snapshot.period - regular}`;
  return `${traits.periodPrefix}${snapshot.period}`;
}
