/**
 * Flat rows for graphics tools that map fields by name and type (vMix data sources, CSV,
 * XML): one row per court, the court's current match. Every column has one type in every
 * row, whatever the sport (FEED_COLUMN_TYPES): a detail the sport lacks is 0 or "", never
 * another type; only `verified` may be null (JSON null, empty in CSV and XML).
 * The texts (sets, clock, period label, score texts, calls) are the display model's
 * (shared/display), so a title reads what the overlays and the console show.
 * Pure: the caller passes the snapshots, their freshness and the time.
 */
import type { MatchSnapshot } from '../../shared/match.js';
import { timeoutsLeftAt } from '../../shared/domain/index.js';
import { clockRemaining, scoreboardView, type ScoreboardView } from '../../shared/display/index.js';
import type { Freshness } from '../../shared/protocol.js';
import { isStale } from './pages/assets/lib/court-view.js';

export type FeedValue = string | number | boolean | null;

/** The scoreboard's texts as the console and the overlays show them (shared/display). */
const DISPLAY_COLUMNS = [
  'statusText',
  'resultText',
  'periodLabel',
  'homeScoreText',
  'awayScoreText',
  'pointLabel',
  'gameLabel',
  'calls',
] as const;
type DisplayColumn = (typeof DISPLAY_COLUMNS)[number];

/** Column order of the CSV header and the XML elements: stable, so vMix titles keep their mapping. */
export const FEED_COLUMNS = [
  'court',
  'matchId',
  'sport',
  'status',
  'home',
  'away',
  'homeScore',
  'awayScore',
  'setsHome',
  'setsAway',
  'sets',
  'homeGames',
  'awayGames',
  'homePoints',
  'awayPoints',
  'serving',
  'homeServing',
  'awayServing',
  'period',
  'clock',
  'clockRunning',
  'clockRemainingMs',
  'homeTimeouts',
  'awayTimeouts',
  'homeFouls',
  'awayFouls',
  'setPoint',
  'matchPoint',
  'winner',
  'scheduledAt',
  'slotMinutes',
  'cursor',
  'updatedAt',
  'lastStoredAt',
  'consoleOnline',
  'stale',
  'lastEventAt',
  'verified',
  // Contract v1.1 sport rules (issue 17): appended, so existing mappings keep their places.
  'changeEnds',
  'interval',
  'intervalSeconds',
  'serviceCourt',
  'servingPlayer',
  'receivingPlayer',
  'homePlayers',
  'awayPlayers',
  'homeTimeoutsLeft',
  'awayTimeoutsLeft',
  'homePenalty',
  'awayPenalty',
  'homeDisqualified',
  'awayDisqualified',
  // The display model's texts (shared/display): appended, so existing mappings keep their places.
  ...DISPLAY_COLUMNS,
] as const;

export type FeedColumn = (typeof FEED_COLUMNS)[number];

/** `boolean-or-null`: true, false, or null (not known); the only nullable kind. */
export type FeedType = 'string' | 'number' | 'boolean' | 'boolean-or-null';
type ValueOf<T extends FeedType> = T extends 'string'
  ? string
  : T extends 'number'
    ? number
    : T extends 'boolean'
      ? boolean
      : boolean | null;

/** The one type of each column (documented in README.md): the compiler holds flattenMatch to it. */
export const FEED_COLUMN_TYPES = {
  court: 'string',
  matchId: 'string',
  sport: 'string',
  status: 'string',
  home: 'string',
  away: 'string',
  homeScore: 'number',
  awayScore: 'number',
  setsHome: 'number',
  setsAway: 'number',
  sets: 'string',
  homeGames: 'number',
  awayGames: 'number',
  homePoints: 'string',
  awayPoints: 'string',
  serving: 'string',
  homeServing: 'boolean',
  awayServing: 'boolean',
  period: 'number',
  clock: 'string',
  clockRunning: 'boolean',
  clockRemainingMs: 'number',
  homeTimeouts: 'number',
  awayTimeouts: 'number',
  homeFouls: 'number',
  awayFouls: 'number',
  setPoint: 'string',
  matchPoint: 'string',
  winner: 'string',
  scheduledAt: 'string',
  slotMinutes: 'number',
  cursor: 'number',
  updatedAt: 'string',
  lastStoredAt: 'string',
  consoleOnline: 'boolean',
  stale: 'boolean',
  lastEventAt: 'string',
  verified: 'boolean-or-null',
  changeEnds: 'boolean',
  interval: 'string',
  intervalSeconds: 'number',
  serviceCourt: 'string',
  servingPlayer: 'string',
  receivingPlayer: 'string',
  homePlayers: 'string',
  awayPlayers: 'string',
  homeTimeoutsLeft: 'number',
  awayTimeoutsLeft: 'number',
  homePenalty: 'boolean',
  awayPenalty: 'boolean',
  homeDisqualified: 'string',
  awayDisqualified: 'string',
  statusText: 'string',
  resultText: 'string',
  periodLabel: 'string',
  homeScoreText: 'string',
  awayScoreText: 'string',
  pointLabel: 'string',
  gameLabel: 'string',
  calls: 'string',
} as const satisfies Record<FeedColumn, FeedType>;

export type FeedRow = { [C in FeedColumn]: ValueOf<(typeof FEED_COLUMN_TYPES)[C]> };

/** One flat row for one match. Missing sport details are 0 (numbers) or "" (text), never absent. */
export function flattenMatch(snapshot: MatchSnapshot, freshness: Freshness | null, nowMs: number): FeedRow {
  const view = scoreboardView(snapshot, nowMs);
  return { ...matchColumns(snapshot, view, freshness, nowMs), ...displayColumns(view) };
}

/** The snapshot's own facts, in column order. */
function matchColumns(
  snapshot: MatchSnapshot,
  view: ScoreboardView,
  freshness: Freshness | null,
  nowMs: number,
): Omit<FeedRow, DisplayColumn> {
  const foulsHome = snapshot.periodFouls?.home ?? snapshot.tally?.home?.fouls ?? 0;
  const foulsAway = snapshot.periodFouls?.away ?? snapshot.tally?.away?.fouls ?? 0;
  return {
    court: snapshot.court,
    matchId: snapshot.id,
    sport: snapshot.sport,
    status: snapshot.status,
    home: snapshot.home.name,
    away: snapshot.away.name,
    homeScore: snapshot.home.score,
    awayScore: snapshot.away.score,
    setsHome: snapshot.setsWon?.home ?? 0,
    setsAway: snapshot.setsWon?.away ?? 0,
    sets: view.setsLine,
    homeGames: snapshot.games?.home ?? 0,
    awayGames: snapshot.games?.away ?? 0,
    homePoints: snapshot.points?.home ?? '',
    awayPoints: snapshot.points?.away ?? '',
    serving: snapshot.serving ?? '',
    homeServing: snapshot.serving === 'home',
    awayServing: snapshot.serving === 'away',
    period: snapshot.period ?? 0,
    // The clock as the scoreboards show it; "" where the sport shows none.
    clock: view.clock?.text ?? '',
    clockRunning: snapshot.clock?.running ?? false,
    clockRemainingMs: clockRemaining(snapshot.clock, nowMs),
    homeTimeouts: snapshot.tally?.home?.timeouts ?? 0,
    awayTimeouts: snapshot.tally?.away?.timeouts ?? 0,
    homeFouls: foulsHome,
    awayFouls: foulsAway,
    setPoint: snapshot.setPoint ?? '',
    matchPoint: snapshot.matchPoint ?? '',
    winner: snapshot.winner ?? '',
    scheduledAt: snapshot.scheduledAt ?? '',
    slotMinutes: snapshot.slotMinutes ?? 0,
    cursor: snapshot.cursor,
    updatedAt: snapshot.updatedAt ?? '',
    lastStoredAt: freshness?.lastStoredAt ?? '',
    consoleOnline: freshness?.consoleOnline ?? false,
    stale: isStale(snapshot, freshness),
    lastEventAt: freshness?.lastEventAt ?? '',
    verified: freshness?.verified ?? null,
    changeEnds: snapshot.changeEnds ?? false,
    interval: snapshot.interval?.reason ?? '',
    intervalSeconds: snapshot.interval?.seconds ?? 0,
    serviceCourt: snapshot.serviceCourt ?? '',
    servingPlayer: snapshot.servingPlayer ?? '',
    receivingPlayer: snapshot.receivingPlayer ?? '',
    homePlayers: (snapshot.home.players ?? []).join(PLAYER_SEPARATOR),
    awayPlayers: (snapshot.away.players ?? []).join(PLAYER_SEPARATOR),
    // At the feed's now: a Q4 clock running into the last 2:00 caps them with no event (FIBA 18.2.5).
    homeTimeoutsLeft: timeoutsLeftAt(snapshot, nowMs)?.home ?? 0,
    awayTimeoutsLeft: timeoutsLeftAt(snapshot, nowMs)?.away ?? 0,
    homePenalty: snapshot.penalty?.home ?? false,
    awayPenalty: snapshot.penalty?.away ?? false,
    homeDisqualified: (snapshot.tally?.home?.disqualified ?? []).join(PLAYER_SEPARATOR),
    awayDisqualified: (snapshot.tally?.away?.disqualified ?? []).join(PLAYER_SEPARATOR),
  };
}

/** The scoreboard's texts, as the console and the overlays show them. */
function displayColumns(view: ScoreboardView): Pick<FeedRow, DisplayColumn> {
  return {
    statusText: view.statusText,
    resultText: view.resultText,
    periodLabel: view.periodLabel,
    homeScoreText: view.home.score,
    awayScoreText: view.away.score,
    pointLabel: view.pointLabel?.text ?? '',
    gameLabel: view.gameLabel?.text ?? '',
    calls: view.calls.map((call) => call.text).join(CALL_SEPARATOR),
  };
}

/** The officials' calls in one text column, most urgent first. */
const CALL_SEPARATOR = ' | ';

/** Names in one text column: "Kim / Lee" reads as a pair on a lower third. */
const PLAYER_SEPARATOR = ' / ';

/** A value as text for CSV and XML: booleans as true/false, numbers in plain notation, null empty. */
export function feedValueText(value: FeedValue): string {
  if (value === null) return '';
  return typeof value === 'string' ? value : String(value);
}
