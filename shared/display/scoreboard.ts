/**
 * What a scoreboard shows, as plain data: every surface (the console screen, the spectator
 * board, the overlays, the court wall, the vMix/XML/CSV rows and SSE) renders this, so a
 * match reads the same everywhere. Pure: `nowMs` is server time (docs/time-base.md).
 */
import type { Side, Sport } from '../events.js';
import type { MatchSnapshot, MatchStatus, SideTally } from '../match.js';
import { officialCalls, type OfficialCall } from './calls.js';
import { clockRemaining, clockText } from './clock.js';
import { gameLabel, pointLabel, type GameLabel, type PointLabel } from './points.js';
import { periodLabel, scoreText, setScoreText, setsLine } from './score-lines.js';
import { SPORT_TRAITS, setWord } from './traits.js';

export const STATUS_TEXT: Record<MatchStatus, string> = {
  scheduled: 'Not started',
  live: 'Live',
  paused: 'Paused',
  finished: 'Final',
};

export interface SideView {
  name: string;
  /** Doubles: the two players as listed; empty otherwise. */
  players: string[];
  /** The big number: the point call in tennis (`15`, `AD`), else the score. */
  score: string;
  /** Sets won (games in badminton and table tennis); `""` in period sports. */
  setsWon: string;
  /** Tennis: games in the current set; `""` elsewhere. */
  games: string;
  serving: boolean;
  winner: boolean;
  timeouts: number;
  /** Team fouls: basketball `period/match` (`4/9`), elsewhere the match's count. */
  fouls: string;
  cards: { yellow: number; red: number; black: number };
}

export interface ClockView {
  /** clockText: `10:00`, `1:00`, `59.9`. */
  text: string;
  running: boolean;
  remainingMs: number;
}

export interface ScoreboardView {
  matchId: string;
  court: string;
  sport: Sport;
  status: MatchStatus;
  /** `Not started`, `Live`, `Paused`, `Final`. */
  statusText: string;
  /** `Winner: <name>` once a side has won; `""` otherwise (also for a draw). */
  resultText: string;
  home: SideView;
  away: SideView;
  /** `Q3`, `OT1`, `P2`, `Set 2`, `Game 3`; `""` before a period sport starts. */
  periodLabel: string;
  /** What one of `sets` is called: `Set`, `Game` or `Period`. */
  setWord: 'Set' | 'Game' | 'Period';
  /** The game clock, or null where the sport shows none (set sports; generic before it is set). */
  clock: ClockView | null;
  /** Set point (game point) or match point. */
  pointLabel: PointLabel | null;
  /** Tennis: tie-break, deuce, deciding point (no-ad) or advantage. */
  gameLabel: GameLabel | null;
  /** Finished sets or periods, each `25-20` or `7-6(5)`. */
  sets: string[];
  /** The same, one space apart. */
  setsLine: string;
  calls: OfficialCall[];
}

const NO_TALLY: SideTally = { timeouts: 0, fouls: 0, cards: { yellow: 0, red: 0, black: 0 } };

function sideView(snapshot: MatchSnapshot, side: Side): SideView {
  const team = snapshot[side];
  // A snapshot from an older server may lack a v1 detail: read what is there (overlays show what they receive).
  const tally = snapshot.tally?.[side] ?? NO_TALLY;
  const traits = SPORT_TRAITS[snapshot.sport];
  const periodFouls = snapshot.periodFouls?.[side];
  return {
    name: team.name,
    players: team.players ? team.players.slice() : [],
    score: scoreText(snapshot, side),
    setsWon: traits.shape === 'sets' ? String(snapshot.setsWon?.[side] ?? 0) : '',
    games: snapshot.games ? String(snapshot.games[side]) : '',
    serving: snapshot.serving === side,
    winner: snapshot.winner === side,
    timeouts: tally.timeouts,
    fouls: periodFouls === undefined ? String(tally.fouls) : `${periodFouls}/${tally.fouls}`,
    cards: { yellow: tally.cards.yellow, red: tally.cards.red, black: tally.cards.black },
  };
}

/**
 * The clock as shown, or null: basketball from the start on (the start sets it), generic once it
 * is set or running; set sports never.
 */
export function clockView(
  snapshot: Pick<MatchSnapshot, 'sport' | 'status' | 'clock'>,
  nowMs: number,
): ClockView | null {
  const traits = SPORT_TRAITS[snapshot.sport];
  if (traits.shape !== 'periods') return null;
  const running = snapshot.clock?.running ?? false;
  const set = running || (snapshot.clock?.remainingMs ?? 0) > 0;
  if (!set && !(traits.clockAlwaysShown && snapshot.status !== 'scheduled')) return null;
  const remainingMs = clockRemaining(snapshot.clock, nowMs);
  return { text: clockText(remainingMs), running, remainingMs };
}

/** What a scoreboard shows for `snapshot` at server time `nowMs`. */
export function scoreboardView(snapshot: MatchSnapshot, nowMs: number): ScoreboardView {
  const winner = snapshot.winner;
  return {
    matchId: snapshot.id,
    court: snapshot.court,
    sport: snapshot.sport,
    status: snapshot.status,
    statusText: STATUS_TEXT[snapshot.status],
    resultText: winner ? `Winner: ${snapshot[winner].name}` : '',
    home: sideView(snapshot, 'home'),
    away: sideView(snapshot, 'away'),
    periodLabel: periodLabel(snapshot),
    setWord: setWord(snapshot.sport),
    clock: clockView(snapshot, nowMs),
    pointLabel: pointLabel(snapshot),
    gameLabel: gameLabel(snapshot),
    sets: (snapshot.sets ?? []).map(setScoreText),
    setsLine: setsLine(snapshot.sets),
    calls: officialCalls(snapshot, nowMs),
  };
}
