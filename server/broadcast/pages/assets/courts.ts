/**
 * Courts strip overlay: every court's current match, as the display model words it
 * (shared/display scoreboardView). All text goes in through textContent.
 */
import { scoreboardView, type ScoreboardView } from '../../../../shared/display/index.js';
import type { MatchSnapshot } from '../../../../shared/match.js';
import { isStale } from './lib/court-view.js';
import { byId, el } from './lib/dom.js';
import type { Connection, LiveFeed } from './lib/live-feed.js';
import type { OverlayConfig } from './lib/overlay-config.js';
import { startOverlay } from './lib/overlay-shell.js';

const root = byId('courts');

interface CourtEntry {
  court: string;
  snapshot: MatchSnapshot;
  stale: boolean;
  unverified: boolean;
}
interface StripView {
  connection: Connection;
  courts: CourtEntry[];
  clockRunning: boolean;
}

let page = 0;
let last: { view: StripView; config: OverlayConfig; nowMs: number } | null = null;

function viewOf(feed: LiveFeed): StripView {
  const current = feed.currentMatches();
  return {
    connection: feed.connection,
    courts: current.map((c) => ({
      court: c.court,
      snapshot: c.snapshot,
      stale: feed.connection !== 'live' || isStale(c.snapshot, c.freshness),
      unverified: c.freshness?.verified === false,
    })),
    // An interval counts down on screen: repaint like a running clock while one is due.
    clockRunning: current.some((c) => Boolean(c.snapshot.interval)),
  };
}

function teamLine(board: ScoreboardView, which: 'home' | 'away'): HTMLElement {
  const team = board[which];
  const line = el('div', `team-line ${which}`);
  if (team.serving) line.classList.add('serving');
  line.append(el('span', 'serve-dot'), el('span', 'team-name', team.name));
  if (team.setsWon) line.append(el('span', 'sets-won', team.setsWon));
  line.append(el('span', 'score', team.score));
  return line;
}

/** The strip is small: only the calls that stop play (interval, change ends). */
function stopCalls(board: ScoreboardView): HTMLElement | null {
  const stops = board.calls.filter((c) => c.kind === 'interval' || c.kind === 'change-ends');
  if (!stops.length) return null;
  const line = el('div', 'calls');
  for (const call of stops) {
    const item = el('span', `call ${call.kind}`, call.text);
    item.dataset.call = call.kind;
    line.append(item);
  }
  return line;
}

function card({ court, snapshot, stale, unverified }: CourtEntry, config: OverlayConfig, nowMs: number): HTMLElement {
  const node = el('div', 'court-card');
  node.dataset.court = court;
  node.dataset.matchId = snapshot.id;
  node.dataset.status = snapshot.status;
  node.classList.toggle('stale', stale);
  node.classList.toggle('stale-hidden', stale && config.hideStale);
  node.classList.toggle('unverified', unverified && config.unverified === 'mark');
  node.classList.toggle('unverified-hidden', unverified && config.unverified === 'hide');
  const board = scoreboardView(snapshot, nowMs);
  const head = el('div', 'court-head');
  head.append(el('span', 'court-name', court), el('span', 'status', board.statusText));
  head.append(el('span', 'stale-badge', 'STALE'), el('span', 'unverified-badge', 'UNVERIFIED'));
  node.append(head, teamLine(board, 'home'), teamLine(board, 'away'));
  const calls = stopCalls(board);
  if (calls) node.append(calls);
  return node;
}

function render(view: StripView, config: OverlayConfig, nowMs: number): void {
  last = { view, config, nowMs };
  const perPage = config.perPage > 0 ? config.perPage : view.courts.length || 1;
  const pages = Math.max(1, Math.ceil(view.courts.length / perPage));
  page %= pages;
  const shown = view.courts.slice(page * perPage, page * perPage + perPage);
  root.dataset.connection = view.connection;
  root.classList.toggle('no-match', shown.length === 0);
  root.replaceChildren(...shown.map((entry) => card(entry, config, nowMs)));
}

startOverlay({
  root,
  courtsOf: (config) => config.courts,
  viewOf,
  render,
  onNext: () => {
    page += 1;
    if (last) render(last.view, last.config, last.nowMs);
  },
});
