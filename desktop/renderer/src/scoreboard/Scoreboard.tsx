/**
 * The big score: names, the number a scoreboard shows biggest, and the sport's detail (sets,
 * games, serving side, set/match point, period, clock, fouls, timeouts, cards). Used by the
 * operator's screen and, larger and without controls, by the spectator window.
 */
import { useEffect, useState } from 'react';
import type { Side } from '../../../../shared/events.js';
import type { ClockState, MatchSnapshot } from '../../../../shared/match.js';
import { screenServerNow } from '../api/screen-time.js';
import { formatClock, remainingAt } from '../format/clock.js';
import { OfficialCalls } from './OfficialCalls.js';

/** Repaint the running clock at display rate; tenths show in the last minute. */
function useTickingClock(clock: ClockState): number {
  // Anchors are server times: read the clock at the server's time as this screen reckons it.
  const [now, setNow] = useState(() => screenServerNow());
  useEffect(() => {
    if (!clock.running) return;
    let frame = requestAnimationFrame(function tick() {
      setNow(screenServerNow());
      frame = requestAnimationFrame(tick);
    });
    return () => cancelAnimationFrame(frame);
  }, [clock.running, clock.anchorAt, clock.remainingMs]);
  return remainingAt(clock, clock.running ? now : screenServerNow());
}

export function MatchClock({ clock }: { clock: ClockState }) {
  const remaining = useTickingClock(clock);
  return (
    <div className={`clock ${clock.running ? 'running' : 'stopped'}`} data-testid="clock">
      {formatClock(remaining)}
    </div>
  );
}

/** Badminton and table tennis call their sets games. */
function setWord(snapshot: MatchSnapshot): 'Set' | 'Game' {
  return snapshot.sport === 'badminton' || snapshot.sport === 'table-tennis' ? 'Game' : 'Set';
}

function periodLabel(snapshot: MatchSnapshot): string | null {
  if (snapshot.sport === 'basketball') return snapshot.period > 4 ? `OT${snapshot.period - 4}` : `Q${snapshot.period}`;
  if (snapshot.sport === 'generic') return `Period ${snapshot.period}`;
  return `${setWord(snapshot)} ${snapshot.sets.length + (snapshot.status === 'finished' ? 0 : 1)}`;
}

const STATUS_LABELS: Record<MatchSnapshot['status'], string> = {
  scheduled: 'Not started',
  live: 'Live',
  paused: 'Paused',
  finished: 'Final',
};

function SideColumn({
  snapshot,
  side,
  variant,
}: {
  snapshot: MatchSnapshot;
  side: Side;
  variant: 'operator' | 'spectator';
}) {
  const team = snapshot[side];
  const tally = snapshot.tally[side];
  const setBased = snapshot.sport !== 'basketball' && snapshot.sport !== 'generic';
  return (
    <div className={`side side-${side} ${snapshot.winner === side ? 'winner' : ''}`}>
      <div className="team-name" data-testid={`name-${side}`}>
        {snapshot.serving === side ? (
          <span className="serving" title="Serving" aria-label="serving">
            ●
          </span>
        ) : null}
        {team.name}
      </div>
      <div className="big-score" data-testid={`score-${side}`}>
        {snapshot.sport === 'tennis' && snapshot.points ? snapshot.points[side] : team.score}
      </div>
      {setBased ? (
        <div className="sets-won" data-testid={`sets-${side}`}>
          {setWord(snapshot)}s {snapshot.setsWon[side]}
          {snapshot.games ? <span className="games"> · Games {snapshot.games[side]}</span> : null}
        </div>
      ) : null}
      {variant === 'operator' || !setBased ? (
        <div className="tally">
          <span title="Timeouts">TO {tally.timeouts}</span>
          <span title="Fouls">
            F {snapshot.periodFouls ? `${snapshot.periodFouls[side]}/${tally.fouls}` : tally.fouls}
          </span>
          {tally.cards.yellow ? <span className="card yellow">{tally.cards.yellow}</span> : null}
          {tally.cards.red ? <span className="card red">{tally.cards.red}</span> : null}
          {tally.cards.black ? <span className="card black">{tally.cards.black}</span> : null}
        </div>
      ) : null}
    </div>
  );
}

export function Scoreboard({ snapshot, variant }: { snapshot: MatchSnapshot; variant: 'operator' | 'spectator' }) {
  const badge = snapshot.matchPoint
    ? { text: `Match point ${snapshot[snapshot.matchPoint].name}`, kind: 'match-point' }
    : snapshot.setPoint
      ? { text: `${setWord(snapshot)} point ${snapshot[snapshot.setPoint].name}`, kind: 'set-point' }
      : null;
  // Basketball always has a game clock; other sports show one only once it has been set.
  const showClock = snapshot.sport === 'basketball' || snapshot.clock.running || snapshot.clock.remainingMs > 0;
  return (
    <section className={`scoreboard scoreboard-${variant}`} aria-label="Score" data-status={snapshot.status}>
      <div className="score-row">
        <SideColumn snapshot={snapshot} side="home" variant={variant} />
        <div className="middle">
          <div className="status" data-testid="match-status">
            {snapshot.winner ? `Winner: ${snapshot[snapshot.winner].name}` : STATUS_LABELS[snapshot.status]}
          </div>
          <div className="period">{periodLabel(snapshot)}</div>
          {showClock ? <MatchClock clock={snapshot.clock} /> : null}
          {snapshot.tiebreak ? <div className="tiebreak">Tie-break</div> : null}
          {badge ? (
            <div className={`badge ${badge.kind}`} data-testid="point-badge">
              {badge.text}
            </div>
          ) : null}
        </div>
        <SideColumn snapshot={snapshot} side="away" variant={variant} />
      </div>
      <OfficialCalls snapshot={snapshot} variant={variant} />
      {snapshot.sets.length > 0 ? (
        <ol className="set-history" data-testid="set-history">
          {snapshot.sets.map((set, index) => (
            <li key={index}>
              {set.home}–{set.away}
              {set.tiebreak ? (
                <sup>
                  ({set.tiebreak.home}–{set.tiebreak.away})
                </sup>
              ) : null}
            </li>
          ))}
        </ol>
      ) : null}
    </section>
  );
}
