/**
 * The big score: names, the number a scoreboard shows biggest, and the sport's detail (sets,
 * games, serving side, set/match point, period, clock, fouls, timeouts, cards, the officials'
 * calls). It renders the display model's ScoreboardView (shared/display), so it reads as the
 * overlays and feeds do. Used by the operator's screen and, larger and without controls, by
 * the spectator window.
 */
import { useEffect, useState, type ReactNode } from 'react';
import type { Side } from '../../../../shared/events.js';
import type { MatchSnapshot } from '../../../../shared/match.js';
import { clockView, isSetSport, scoreboardView, type ScoreboardView } from '../../../../shared/display/index.js';
import { screenServerNow } from '../api/screen-time.js';
import { OfficialCalls } from './OfficialCalls.js';

type Variant = 'operator' | 'spectator';

/** Repaint the rest of the board twice a second while something on it counts (interval, time-outs left). */
const COUNTDOWN_REPAINT_MS = 500;

/** Server time as this screen reckons it, repainted every `everyMs` while `ticking` (0: each frame). */
function useServerNow(ticking: boolean, everyMs: number): number {
  const [now, setNow] = useState(() => screenServerNow());
  useEffect(() => {
    // Repainted at once when ticking starts or stops: from a timer, not a setState in the effect.
    const first = setTimeout(() => setNow(screenServerNow()), 0);
    if (!ticking) return () => clearTimeout(first);
    if (everyMs > 0) {
      const timer = setInterval(() => setNow(screenServerNow()), everyMs);
      return () => {
        clearTimeout(first);
        clearInterval(timer);
      };
    }
    let frame = requestAnimationFrame(function tick() {
      setNow(screenServerNow());
      frame = requestAnimationFrame(tick);
    });
    return () => {
      clearTimeout(first);
      cancelAnimationFrame(frame);
    };
  }, [ticking, everyMs]);
  return now;
}

/** The game clock, repainted each frame while it runs (tenths show in the last minute). */
function MatchClock({ snapshot }: { snapshot: MatchSnapshot }) {
  const now = useServerNow(snapshot.clock.running, 0);
  const clock = clockView(snapshot, now);
  return clock ? <ClockFace text={clock.text} running={clock.running} /> : null;
}

function ClockFace({ text, running }: { text: string; running: boolean }) {
  return (
    <div className={`clock ${running ? 'running' : 'stopped'}`} data-testid="clock">
      {text}
    </div>
  );
}

function SideColumn({ view, side, variant }: { view: ScoreboardView; side: Side; variant: Variant }) {
  const team = view[side];
  const setBased = isSetSport(view.sport);
  return (
    <div className={`side side-${side} ${team.winner ? 'winner' : ''}`}>
      <div className="team-name" data-testid={`name-${side}`}>
        {team.serving ? (
          <span className="serving" title="Serving" aria-label="serving">
            ●
          </span>
        ) : null}
        {team.name}
      </div>
      <div className="big-score" data-testid={`score-${side}`}>
        {team.score}
      </div>
      {setBased ? (
        <div className="sets-won" data-testid={`sets-${side}`}>
          {view.setWord}s {team.setsWon}
          {team.games ? <span className="games"> · Games {team.games}</span> : null}
        </div>
      ) : null}
      {variant === 'operator' || !setBased ? (
        <div className="tally">
          <span title="Timeouts">TO {team.timeouts}</span>
          <span title="Fouls">F {team.fouls}</span>
          {team.cards.yellow ? <span className="card yellow">{team.cards.yellow}</span> : null}
          {team.cards.red ? <span className="card red">{team.cards.red}</span> : null}
          {team.cards.black ? <span className="card black">{team.cards.black}</span> : null}
        </div>
      ) : null}
    </div>
  );
}

/**
 * A ScoreboardView as markup, nothing computed: `clock` replaces the view's clock text with a
 * live one (the board ticks it each frame without recomputing the rest).
 */
export function ScoreboardFace({
  view,
  variant,
  clock,
}: {
  view: ScoreboardView;
  variant: Variant;
  clock?: ReactNode;
}) {
  return (
    <section className={`scoreboard scoreboard-${variant}`} aria-label="Score" data-status={view.status}>
      <div className="score-row">
        <SideColumn view={view} side="home" variant={variant} />
        <div className="middle">
          <div className="status" data-testid="match-status">
            {view.resultText || view.statusText}
          </div>
          <div className="period" data-testid="period">
            {view.periodLabel}
          </div>
          {clock ?? (view.clock ? <ClockFace text={view.clock.text} running={view.clock.running} /> : null)}
          {view.gameLabel ? (
            <div className={`game-label ${view.gameLabel.kind}`} data-testid="game-label">
              {view.gameLabel.text}
            </div>
          ) : null}
          {view.pointLabel ? (
            <div className={`badge ${view.pointLabel.kind}`} data-testid="point-badge">
              {view.pointLabel.text}
            </div>
          ) : null}
        </div>
        <SideColumn view={view} side="away" variant={variant} />
      </div>
      <OfficialCalls calls={view.calls} variant={variant} />
      {view.sets.length > 0 ? (
        <ol className="set-history" data-testid="set-history">
          {view.sets.map((set, index) => (
            <li key={index}>{set}</li>
          ))}
        </ol>
      ) : null}
    </section>
  );
}

/** The board for a snapshot: the display model at this screen's server time. */
export function Scoreboard({ snapshot, variant }: { snapshot: MatchSnapshot; variant: Variant }) {
  // Interval countdowns and a Q4 clock running into the last 2:00 (time-outs left) change with no event.
  const counting = Boolean(snapshot.interval) || snapshot.clock.running;
  const now = useServerNow(counting, COUNTDOWN_REPAINT_MS);
  const view = scoreboardView(snapshot, now);
  return (
    <ScoreboardFace view={view} variant={variant} clock={view.clock ? <MatchClock snapshot={snapshot} /> : undefined} />
  );
}
