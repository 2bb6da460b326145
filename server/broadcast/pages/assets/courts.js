/** Courts strip overlay: every court's current match. All text goes in through textContent. */
import { isStale } from './lib/court-view.js';
import { officialCalls } from './lib/official-calls.js';
import { startOverlay } from './lib/overlay-shell.js';

const root = document.getElementById('courts');
const STATUS_LABEL = { scheduled: 'NEXT', live: 'LIVE', paused: 'PAUSED', finished: 'FINAL' };
const SET_SPORTS = ['volleyball', 'badminton', 'table-tennis', 'tennis'];
let page = 0;
let lastArgs = null;

function viewOf(feed) {
  return {
    connection: feed.connection,
    courts: feed.currentMatches().map((c) => ({
      court: c.court,
      snapshot: c.snapshot,
      stale: feed.connection !== 'live' || isStale(c.snapshot, c.freshness),
      unverified: c.freshness?.verified === false,
    })),
    // An interval counts down on screen: repaint like a running clock while one is due.
    clockRunning: feed.currentMatches().some((c) => Boolean(c.snapshot?.interval)),
  };
}

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function teamLine(snapshot, which) {
  const line = el('div', `team-line ${which}`);
  if (snapshot.serving === which) line.classList.add('serving');
  line.append(el('span', 'serve-dot'), el('span', 'team-name', snapshot[which].name));
  if (SET_SPORTS.includes(snapshot.sport)) line.append(el('span', 'sets-won', String(snapshot.setsWon?.[which] ?? 0)));
  const points =
    snapshot.sport === 'tennis' && snapshot.points ? snapshot.points[which] : String(snapshot[which].score);
  line.append(el('span', 'score', points));
  return line;
}

function card({ court, snapshot, stale, unverified }, hideStale, nowMs, unverifiedMode = 'show') {
  const node = el('div', 'court-card');
  node.dataset.court = court;
  node.dataset.matchId = snapshot.id;
  node.dataset.status = snapshot.status;
  node.classList.toggle('stale', stale);
  node.classList.toggle('stale-hidden', stale && hideStale);
  node.classList.toggle('unverified', unverified && unverifiedMode === 'mark');
  node.classList.toggle('unverified-hidden', unverified && unverifiedMode === 'hide');
  const head = el('div', 'court-head');
  head.append(el('span', 'court-name', court), el('span', 'status', STATUS_LABEL[snapshot.status] ?? snapshot.status));
  head.append(el('span', 'stale-badge', 'STALE'), el('span', 'unverified-badge', 'UNVERIFIED'));
  node.append(head, teamLine(snapshot, 'home'), teamLine(snapshot, 'away'));
  // The strip is small: only the calls that stop play (interval, change ends).
  const stops = officialCalls(snapshot, nowMs).filter((c) => c.kind === 'interval' || c.kind === 'change-ends');
  if (stops.length) {
    const line = el('div', 'calls');
    for (const call of stops) {
      const item = el('span', `call ${call.kind}`, call.text);
      item.dataset.call = call.kind;
      line.append(item);
    }
    node.append(line);
  }
  return node;
}

function render(view, config, nowMs = Date.now()) {
  lastArgs = [view, config, nowMs];
  const perPage = config.perPage > 0 ? config.perPage : view.courts.length || 1;
  const pages = Math.max(1, Math.ceil(view.courts.length / perPage));
  page %= pages;
  const shown = view.courts.slice(page * perPage, page * perPage + perPage);
  root.dataset.connection = view.connection;
  root.classList.toggle('no-match', shown.length === 0);
  root.replaceChildren(...shown.map((entry) => card(entry, config.hideStale, nowMs, config.unverified)));
}

startOverlay({
  root,
  courtsOf: (config) => config.courts,
  viewOf,
  render,
  onNext: () => {
    page += 1;
    if (lastArgs) render(...lastArgs);
  },
});
