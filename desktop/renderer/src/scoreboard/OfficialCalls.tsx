/**
 * What the officials must act on now, from the snapshot (contract v1.1): an interval with
 * its countdown, "change ends", who serves from which court to whom, time-outs left, the
 * team-foul penalty and players' fouls and foul-outs. The rules decide all of it in
 * shared/domain; this only shows it. Used by the operator's screen and the spectator board.
 */
import { useEffect, useState } from 'react';
import type { Side } from '../../../../shared/events.js';
import type { MatchSnapshot } from '../../../../shared/match.js';
import { timeoutsLeftAt } from '../../../../shared/domain/index.js';
import { screenServerNow } from '../api/screen-time.js';
import { formatClock } from '../format/clock.js';

/** Repaint the interval countdown twice a second: it shows whole seconds. */
const COUNTDOWN_REPAINT_MS = 500;

const INTERVAL_LABELS = {
  'mid-game': 'Interval',
  'between-games': 'Interval between games',
  'between-sets': 'Interval between sets',
};

/** Seconds of the interval left at `nowMs`: it started with the event that called it (`updatedAt`). */
export function intervalLeftMs(snapshot: MatchSnapshot, nowMs: number): number {
  if (!snapshot.interval || !snapshot.updatedAt) return 0;
  const started = Date.parse(snapshot.updatedAt);
  const elapsed = Number.isNaN(started) ? 0 : Math.max(0, nowMs - started);
  return Math.max(0, snapshot.interval.seconds * 1000 - elapsed);
}

function IntervalCountdown({ snapshot }: { snapshot: MatchSnapshot }) {
  const [now, setNow] = useState(() => screenServerNow());
  useEffect(() => {
    const timer = setInterval(() => setNow(screenServerNow()), COUNTDOWN_REPAINT_MS);
    return () => clearInterval(timer);
  }, [snapshot.updatedAt]);
  const interval = snapshot.interval!;
  const left = intervalLeftMs(snapshot, now);
  return (
    <div className={`call interval ${left === 0 ? 'over' : ''}`} data-testid="call-interval" role="status">
      {INTERVAL_LABELS[interval.reason]}{' '}
      <span data-testid="interval-countdown">{formatClock(Math.ceil(left / 1000) * 1000)}</span>
      {left === 0 ? ' (time: play)' : null}
    </div>
  );
}

function serveLine(snapshot: MatchSnapshot): string | null {
  if (snapshot.status !== 'live' && snapshot.status !== 'paused') return null;
  const court = snapshot.serviceCourt ? ` from the ${snapshot.serviceCourt} court` : '';
  if (snapshot.servingPlayer)
    return `${snapshot.servingPlayer} serves${court} to ${snapshot.receivingPlayer ?? 'the receiver'}`;
  if (snapshot.serving && court) return `${snapshot[snapshot.serving].name} serves${court}`;
  return null;
}

function foulsLine(snapshot: MatchSnapshot, side: Side): string | null {
  const tally = snapshot.tally[side];
  const fouls = Object.entries(tally.playerFouls ?? {});
  if (fouls.length === 0) return null;
  const out = new Set(tally.disqualified ?? []);
  return fouls.map(([player, n]) => `#${player} ${n}${out.has(player) ? ' fouled out' : ''}`).join(', ');
}

/** The screen's now, repainted while the game clock runs (time-outs left can change with it). */
function useClockNow(running: boolean): number {
  const [now, setNow] = useState(() => screenServerNow());
  useEffect(() => {
    // Repainted at once when the clock starts or stops: from a timer, not a setState in the effect.
    const first = setTimeout(() => setNow(screenServerNow()), 0);
    const timer = running ? setInterval(() => setNow(screenServerNow()), COUNTDOWN_REPAINT_MS) : undefined;
    return () => {
      clearTimeout(first);
      clearInterval(timer);
    };
  }, [running]);
  return now;
}

export function OfficialCalls({ snapshot, variant }: { snapshot: MatchSnapshot; variant: 'operator' | 'spectator' }) {
  const serve = serveLine(snapshot);
  const now = useClockNow(snapshot.sport === 'basketball' && snapshot.clock.running);
  // FIBA 18.2.5: a fourth-quarter clock running into the last 2:00 caps them with no event.
  const left = timeoutsLeftAt(snapshot, now);
  const penalty = snapshot.penalty;
  const sides: Side[] = ['home', 'away'];
  return (
    <section className={`official-calls calls-${variant}`} aria-label="Calls">
      {snapshot.interval ? <IntervalCountdown snapshot={snapshot} /> : null}
      {snapshot.changeEnds ? (
        <div className="call change-ends" data-testid="call-change-ends" role="status">
          Change ends
        </div>
      ) : null}
      {serve ? (
        <div className="call serve" data-testid="call-serve">
          {serve}
        </div>
      ) : null}
      {left && snapshot.status !== 'finished' ? (
        <div className="call timeouts-left" data-testid="call-timeouts-left">
          Time-outs left: {snapshot.home.name} {left.home} · {snapshot.away.name} {left.away}
        </div>
      ) : null}
      {penalty && (penalty.home || penalty.away) ? (
        <div className="call penalty" data-testid="call-penalty">
          Penalty (team fouls):{' '}
          {sides
            .filter((s) => penalty[s])
            .map((s) => snapshot[s].name)
            .join(', ')}
        </div>
      ) : null}
      {sides.map((side) => {
        const line = foulsLine(snapshot, side);
        const out = snapshot.tally[side].disqualified ?? [];
        if (!line) return null;
        return (
          <div
            key={side}
            className={`call player-fouls ${out.length ? 'fouled-out' : ''}`}
            data-testid={`call-fouls-${side}`}
          >
            Fouls {snapshot[side].name}: {line}
          </div>
        );
      })}
    </section>
  );
}
