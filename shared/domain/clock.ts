/**
 * Clocks as events: CLOCK_START / CLOCK_STOP / CLOCK_SET carry the remaining time and
 * the event's `at` anchors it. The fold never reads a wall clock; displays call
 * clockRemaining() (shared/display/clock.ts) with their own "now".
 */
import type { MatchEvent } from '../events.js';
import type { MatchState } from './state.js';

type ClockEvent = Extract<MatchEvent, { type: 'CLOCK_START' | 'CLOCK_STOP' | 'CLOCK_SET' }>;

/** Why the rules refuse a clock event, or null when it is fine. */
export function checkClock(s: MatchState, e: ClockEvent): string | null {
  if (s.status === 'finished') return 'the match is finished: the clock no longer changes';
  switch (e.type) {
    case 'CLOCK_START':
      return s.clock.running ? 'the clock is already running' : null;
    case 'CLOCK_STOP':
      return s.clock.running ? null : 'the clock is not running';
    case 'CLOCK_SET':
      return s.clock.running ? 'stop the clock before setting it' : null;
  }
}

export function applyClock(s: MatchState, e: ClockEvent): void {
  // A started clock runs from the server time the console measured (payload.anchorAt), else from its `at`.
  const anchorAt = e.type === 'CLOCK_START' ? (e.payload.anchorAt ?? e.at) : e.at;
  s.clock = { running: e.type === 'CLOCK_START', remainingMs: e.payload.remainingMs, anchorAt };
}

/** Stop and set the clock without an event of its own (a period starting or ending). */
export function resetClock(s: MatchState, remainingMs: number, at: string): void {
  s.clock = { running: false, remainingMs, anchorAt: at };
}
