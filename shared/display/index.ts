/**
 * The display model: how a match reads on every surface (shared/display/README.md). Pure,
 * no I/O, no DOM, no zod at run time, so the console's screen and the overlays bundle it
 * as it is.
 */
export { TENTHS_BELOW_MS, clockRemaining, clockText, countdownText, clockInputText, parseClockInput } from './clock.js';
export {
  SPORT_TRAITS,
  traitsOf,
  isSetSport,
  hasClock,
  hasMultiPoints,
  setWord,
  type SportTraits,
  type SetSportTraits,
  type PeriodSportTraits,
} from './traits.js';
export { TENNIS_POINT_NAMES, ADVANTAGE_CALL, tennisPointCalls } from './point-names.js';
export { gameLabel, pointLabel, type GameLabel, type PointLabel } from './points.js';
export { periodLabel, scoreText, setScoreText, setsLine } from './score-lines.js';
export {
  INTERVAL_LABELS,
  intervalLeftMs,
  officialCalls,
  serveText,
  type OfficialCall,
  type OfficialCallKind,
} from './calls.js';
export {
  STATUS_TEXT,
  clockView,
  scoreboardView,
  type ClockView,
  type ScoreboardView,
  type SideView,
} from './scoreboard.js';
