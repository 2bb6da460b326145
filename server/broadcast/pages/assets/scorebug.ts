/** Scorebug overlay: one court's current match. All text goes in through textContent. */
import type { MatchSnapshot } from '../../../../shared/match.js';
import type { Freshness } from '../../../../shared/protocol.js';
import { clockRemainingMs, formatClock, formatSets, isStale } from './lib/court-view.js';
import { byId, el } from './lib/dom.js';
import type { Connection, LiveFeed } from './lib/live-feed.js';
import { officialCalls } from './lib/official-calls.js';
import type { OverlayConfig } from './lib/overlay-config.js';
import { startOverlay } from './lib/overlay-shell.js';
import { runsClock, showsSetsWon, STATUS_LABEL } from './lib/score-text.js';

/** Basketball periods past the fourth are overtimes (OT1, OT2...). */
const BASKETBALL_QUARTERS = 4;

const root = byId('scorebug');

interface ScorebugView {
  connection: Connection;
  snapshot: MatchSnapshot | null;
  freshness: Freshness | null;
  stale: boolean;
  unverified: boolean;
  clockRunning: boolean;
}

function viewOf(feed: LiveFeed, config: OverlayConfig): ScorebugView {
  const current = feed.currentMatches().find((c) => c.court === config.court) ?? null;
  const snapshot = current?.snapshot ?? null;
  return {
    connection: feed.connection,
    snapshot,
    freshness: current?.freshness ?? null,
    stale: feed.connection !== 'live' || isStale(snapshot, current?.freshness),
    // A verifying scorer disagrees for 5 s or more (contract 1.1 freshness.verified).
    unverified: current?.freshness?.verified === false,
    // An interval counts down on screen like a running clock.
    clockRunning: Boolean(snapshot?.clock?.running || snapshot?.interval),
  };
}

function side(snapshot: MatchSnapshot, which: 'home' | 'away'): void {
  const team = snapshot[which];
  byId(`${which}-name`).textContent = team.name;
  const tennisPoints = snapshot.sport === 'tennis' && snapshot.points ? snapshot.points[which] : null;
  byId(`${which}-score`).textContent = tennisPoints ?? String(team.score);
  byId(`${which}-sets`).textContent = showsSetsWon(snapshot.sport) ? String(snapshot.setsWon?.[which] ?? 0) : '';
  byId(`${which}-games`).textContent = snapshot.games ? String(snapshot.games[which]) : '';
  byId(`${which}-row`).classList.toggle('serving', snapshot.serving === which);
  byId(`${which}-row`).classList.toggle('winner', snapshot.winner === which);
}

function periodText(snapshot: MatchSnapshot): string {
  return snapshot.sport === 'basketball' && snapshot.period > BASKETBALL_QUARTERS
    ? `OT${snapshot.period - BASKETBALL_QUARTERS}`
    : `P${snapshot.period}`;
}

function infoText(snapshot: MatchSnapshot, nowMs: number): string {
  const parts = [STATUS_LABEL[snapshot.status] ?? snapshot.status];
  if (runsClock(snapshot.sport) && snapshot.status !== 'scheduled') {
    parts.push(periodText(snapshot), formatClock(clockRemainingMs(snapshot.clock, nowMs)));
  }
  return parts.join(' · ');
}

function render(view: ScorebugView, config: OverlayConfig, nowMs: number): void {
  const { snapshot } = view;
  root.classList.toggle('no-match', !snapshot);
  root.classList.toggle('stale', view.stale);
  root.classList.toggle('stale-hidden', view.stale && config.hideStale);
  root.classList.toggle('unverified', view.unverified && config.unverified === 'mark');
  root.classList.toggle('unverified-hidden', view.unverified && config.unverified === 'hide');
  root.dataset.verified = String(view.freshness?.verified ?? '');
  root.dataset.connection = view.connection;
  if (!snapshot) {
    root.dataset.matchId = '';
    return;
  }
  root.dataset.matchId = snapshot.id;
  root.dataset.cursor = String(snapshot.cursor);
  root.dataset.status = snapshot.status;
  side(snapshot, 'home');
  side(snapshot, 'away');
  byId('info').textContent = infoText(snapshot, nowMs);
  byId('sets').textContent = formatSets(snapshot.sets);
  byId('calls').replaceChildren(
    ...officialCalls(snapshot, nowMs).map((call) => {
      const node = el('span', `call ${call.kind}`, call.text);
      node.dataset.call = call.kind;
      return node;
    }),
  );
}

startOverlay({
  root,
  courtsOf: (config) => (config.court ? [config.court] : []),
  viewOf,
  render,
  onNext: () => root.classList.toggle('show-set-list'),
});
