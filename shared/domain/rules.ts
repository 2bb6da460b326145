/**
 * The rules every sport shares (match lifecycle, tallies, clock, periods), dispatching
 * to the sport's own rules for scoring. checkEvent says why an event is impossible in
 * the current state; applyEvent is only called after checkEvent returned null.
 */
import type { MatchEvent } from '../events.js';
import { applyClock, checkClock } from './clock.js';
import { finish, type MatchState } from './state.js';
import { closePeriod } from './sports/periods.js';
import type { SportRules } from './types.js';

type Of<T extends MatchEvent['type']> = Extract<MatchEvent, { type: T }>;

function checkEventAdded(s: MatchState, e: Of<'EVENT_ADDED'>): string | null {
  const p = e.payload;
  if (p.kind !== 'note' && p.side === undefined) return `payload.side: a ${p.kind} needs a side`;
  if (p.kind === 'card' && p.card === undefined) return 'payload.card: a card needs its colour';
  if (p.kind !== 'card' && p.card !== undefined) return `payload.card: only a card has a colour, not a ${p.kind}`;
  if (p.kind === 'substitution' && p.player === undefined && p.playerIn === undefined)
    return 'payload.player: a substitution names the player going off or coming on';
  if (
    (p.kind === 'timeout' || p.kind === 'foul' || p.kind === 'substitution') &&
    s.status !== 'live' &&
    s.status !== 'paused'
  )
    return `no ${p.kind} while the match is ${s.status}`;
  return null;
}

function checkPeriod(s: MatchState, rules: SportRules, e: Of<'PERIOD_START' | 'PERIOD_END'>): string | null {
  if (!rules.periods) return `${s.sport} has no periods: its sets follow from the score`;
  if (s.status !== 'live' && s.status !== 'paused') return `no period change while the match is ${s.status}`;
  if (e.type === 'PERIOD_END') return s.periodOpen ? null : `period ${s.period} has already ended`;
  if (s.periodOpen) return `period ${s.period} is still being played: end it first`;
  return rules.checkPeriodStart ? rules.checkPeriodStart(s, e.payload.period) : null;
}

export function checkEvent(s: MatchState, rules: SportRules, e: MatchEvent): string | null {
  switch (e.type) {
    case 'MATCH_START':
      return s.status === 'scheduled' ? null : `the match has already started (it is ${s.status})`;
    case 'MATCH_PAUSE':
      return s.status === 'live' ? null : `cannot pause: the match is ${s.status}`;
    case 'MATCH_RESUME':
      return s.status === 'paused' ? null : `cannot resume: the match is ${s.status}, not paused`;
    case 'MATCH_END':
      if (s.status === 'finished') return 'the match is already finished';
      if (s.status === 'scheduled' && e.payload.winner === undefined)
        return 'payload.winner: a match that never started ends only with a winner (forfeit)';
      return rules.checkEnd(s, e.payload.winner);
    case 'SCORE_UPDATE':
      if (s.status !== 'live') return `no score while the match is ${s.status}`;
      return rules.checkScore(s, e.payload.side, e.payload.points ?? 1);
    case 'EVENT_ADDED':
      return checkEventAdded(s, e);
    case 'CORRECTION':
      return null; // decided by the corrections pass, before the fold gets here
    case 'CLOCK_START':
    case 'CLOCK_STOP':
    case 'CLOCK_SET':
      return checkClock(s, e);
    case 'PERIOD_START':
    case 'PERIOD_END':
      return checkPeriod(s, rules, e);
  }
}

export function applyEvent(s: MatchState, rules: SportRules, e: MatchEvent): void {
  switch (e.type) {
    case 'MATCH_START':
      s.status = 'live';
      rules.start(s, e.payload.firstServer ?? 'home', e.at);
      return;
    case 'MATCH_PAUSE':
      s.status = 'paused';
      return;
    case 'MATCH_RESUME':
      s.status = 'live';
      return;
    case 'MATCH_END':
      if (rules.periods && s.periodOpen) closePeriod(s);
      if (s.status !== 'finished') finish(s, e.payload.winner ?? rules.endWinner(s));
      return;
    case 'SCORE_UPDATE':
      rules.score(s, e.payload.side, e.payload.points ?? 1);
      return;
    case 'EVENT_ADDED': {
      const { kind, side, card } = e.payload;
      if (side === undefined) return;
      const t = s.tally[side];
      if (kind === 'timeout') t.timeouts++;
      else if (kind === 'foul') {
        t.fouls++;
        rules.foul?.(s, side);
      } else if (kind === 'card' && card !== undefined) t.cards[card]++;
      return;
    }
    case 'CORRECTION':
      return;
    case 'CLOCK_START':
    case 'CLOCK_STOP':
    case 'CLOCK_SET':
      applyClock(s, e);
      return;
    case 'PERIOD_START':
      rules.periodStart?.(s, e.at);
      return;
    case 'PERIOD_END':
      rules.periodEnd?.(s, e.at);
      return;
  }
}
