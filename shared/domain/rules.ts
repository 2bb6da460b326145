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

function checkEventAdded(s: MatchState, rules: SportRules, e: Of<'EVENT_ADDED'>, at: string): string | null {
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
  return rules.checkTally ? rules.checkTally(s, p, at) : null;
}

function checkOverride(s: MatchState, rules: SportRules, e: Of<'SCORE_OVERRIDE'>): string | null {
  if (s.status !== 'live' && s.status !== 'paused')
    return `no score override while the match is ${s.status}: start it first`;
  if (e.payload.reason.trim() === '') return 'payload.reason: a score override needs a reason';
  return rules.checkOverride(s, e.payload);
}

function checkPeriod(s: MatchState, rules: SportRules, e: Of<'PERIOD_START' | 'PERIOD_END'>): string | null {
  if (s.status !== 'live' && s.status !== 'paused') return `no period change while the match is ${s.status}`;
  if (!rules.periods) {
    // Set sports: PERIOD_START records the choices at the start of a set or game only.
    if (e.type === 'PERIOD_END' || !rules.checkPeriodStart)
      return `${s.sport} has no periods to end: its sets follow from the score`;
    return rules.checkPeriodStart(s, e.payload);
  }
  if (e.type === 'PERIOD_END') return s.periodOpen ? null : `period ${s.period} has already ended`;
  const { firstServer, firstServerPlayer, firstReceiverPlayer, serverOrder } = e.payload;
  if ((firstServer ?? firstServerPlayer ?? firstReceiverPlayer ?? serverOrder) !== undefined)
    return `payload.firstServer: ${s.sport} has no server to choose`;
  if (s.periodOpen) return `period ${s.period} is still being played: end it first`;
  return rules.checkPeriodStart ? rules.checkPeriodStart(s, e.payload) : null;
}

export function checkEvent(s: MatchState, rules: SportRules, e: MatchEvent): string | null {
  switch (e.type) {
    case 'MATCH_START':
      if (s.status !== 'scheduled') return `the match has already started (it is ${s.status})`;
      return rules.checkStart ? rules.checkStart(s, e.payload) : null;
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
      return checkEventAdded(s, rules, e, e.at);
    case 'SCORE_OVERRIDE':
      return checkOverride(s, rules, e);
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

/** Applies an accepted event, then lets the sport recompute what follows from the state. */
export function applyEvent(s: MatchState, rules: SportRules, e: MatchEvent): void {
  applyOwn(s, rules, e);
  if (s.status !== 'finished') rules.refresh?.(s, e.at);
}

function applyOwn(s: MatchState, rules: SportRules, e: MatchEvent): void {
  switch (e.type) {
    case 'MATCH_START':
      s.status = 'live';
      rules.start(s, e.payload, e.at);
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
      else if (kind === 'foul') t.fouls++;
      else if (kind === 'card' && card !== undefined) t.cards[card]++;
      rules.tally?.(s, e.payload, e.at);
      return;
    }
    case 'SCORE_OVERRIDE':
      rules.override(s, e.payload, e.at);
      s.overrides.push({ seq: e.seq, at: e.at, reason: e.payload.reason });
      return;
    case 'CORRECTION':
      return;
    case 'CLOCK_START':
    case 'CLOCK_STOP':
    case 'CLOCK_SET':
      applyClock(s, e);
      return;
    case 'PERIOD_START':
      rules.periodStart?.(s, e.payload, e.at);
      return;
    case 'PERIOD_END':
      rules.periodEnd?.(s, e.at);
      return;
  }
}
