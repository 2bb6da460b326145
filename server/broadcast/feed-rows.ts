/**
 * Flat rows for graphics tools that map fields by name (vMix data sources, CSV, XML):
 * one row per court, the court's current match, every value a string, number or boolean.
 * Pure: the caller passes the snapshots, their freshness and the time.
 */
import type { MatchSnapshot } from '../../shared/match.js';
import type { Freshness } from '../../shared/protocol.js';
import { clockRemainingMs, formatClock, formatSets, isStale } from './pages/assets/lib/court-view.js';

export type FeedValue = string | number | boolean;

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
] as const;

export type FeedColumn = (typeof FEED_COLUMNS)[number];
export type FeedRow = Record<FeedColumn, FeedValue>;

/** One flat row for one match. Missing sport details are empty strings or 0, never absent. */
export function flattenMatch(snapshot: MatchSnapshot, freshness: Freshness | null, nowMs: number): FeedRow {
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
    sets: formatSets(snapshot.sets),
    homeGames: snapshot.games?.home ?? '',
    awayGames: snapshot.games?.away ?? '',
    homePoints: snapshot.points?.home ?? '',
    awayPoints: snapshot.points?.away ?? '',
    serving: snapshot.serving ?? '',
    homeServing: snapshot.serving === 'home',
    awayServing: snapshot.serving === 'away',
    period: snapshot.period ?? 0,
    clock: formatClock(clockRemainingMs(snapshot.clock, nowMs)),
    clockRunning: snapshot.clock?.running ?? false,
    clockRemainingMs: clockRemainingMs(snapshot.clock, nowMs),
    homeTimeouts: snapshot.tally?.home?.timeouts ?? 0,
    awayTimeouts: snapshot.tally?.away?.timeouts ?? 0,
    homeFouls: foulsHome,
    awayFouls: foulsAway,
    setPoint: snapshot.setPoint ?? '',
    matchPoint: snapshot.matchPoint ?? '',
    winner: snapshot.winner ?? '',
    scheduledAt: snapshot.scheduledAt ?? '',
    slotMinutes: snapshot.slotMinutes ?? '',
    cursor: snapshot.cursor,
    updatedAt: snapshot.updatedAt ?? '',
    lastStoredAt: freshness?.lastStoredAt ?? '',
    consoleOnline: freshness?.consoleOnline ?? false,
    stale: isStale(snapshot, freshness),
  };
}

/** A value as text for CSV and XML: booleans as true/false, numbers in plain notation. */
export function feedValueText(value: FeedValue): string {
  return typeof value === 'string' ? value : String(value);
}
