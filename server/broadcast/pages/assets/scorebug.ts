/**
 * Scorebug overlay: one court's current match, as the display model words it
 * (shared/display scoreboardView: the same texts as the console and the feeds).
 * All text goes in through textContent.
 */
import { scoreboardView, type ScoreboardView } from '../../../../shared/display/index.js';
import type { MatchSnapshot } from '../../../../shared/match.js';
import type { Freshness } from '../../../../shared/protocol.js';
import { isStale } from './lib/court-view.js';
import { byId, el } from './lib/dom.js';
import type { Connection, LiveFeed } from './lib/live-feed.js';
import type { OverlayConfig } from './lib/overlay-config.js';
import { startOverlay } from './lib/overlay-shell.js';
import { scorebugInfo } from './lib/score-text.js';

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

function side(view: ScoreboardView, which: 'home' | 'away'): void {
  const team = view[which];
  byId(`${which}-name`).textContent = team.name;
  byId(`${which}-score`).textContent = team.score;
  byId(`${which}-sets`).textContent = team.setsWon;
  byId(`${which}-games`).textContent = team.games;
  byId(`${which}-row`).classList.toggle('serving', team.serving);
  byId(`${which}-row`).classList.toggle('winner', team.winner);
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
  const board = scoreboardView(snapshot, nowMs);
  side(board, 'home');
  side(board, 'away');
  byId('info').textContent = scorebugInfo(board);
  byId('sets').textContent = board.setsLine;
  byId('calls').replaceChildren(
    ...board.calls.map((call) => {
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
