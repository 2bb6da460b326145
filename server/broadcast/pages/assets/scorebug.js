/** Scorebug overlay: one court's current match. All text goes in through textContent. */
import { clockRemainingMs, formatClock, formatSets, isStale } from './lib/court-view.js';
import { officialCalls } from './lib/official-calls.js';
import { startOverlay } from './lib/overlay-shell.js';

const root = document.getElementById('scorebug');
const $ = (id) => document.getElementById(id);

const STATUS_LABEL = { scheduled: 'NEXT', live: 'LIVE', paused: 'PAUSED', finished: 'FINAL' };
/** Sports whose big number is per set or game: they show sets won beside it. */
const SET_SPORTS = ['volleyball', 'badminton', 'table-tennis', 'tennis'];
const CLOCK_SPORTS = ['basketball', 'generic'];

function viewOf(feed, config) {
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

function side(snapshot, which) {
  const team = snapshot[which];
  $(`${which}-name`).textContent = team.name;
  const tennisPoints = snapshot.sport === 'tennis' && snapshot.points ? snapshot.points[which] : null;
  $(`${which}-score`).textContent = tennisPoints ?? String(team.score);
  $(`${which}-sets`).textContent = SET_SPORTS.includes(snapshot.sport) ? String(snapshot.setsWon?.[which] ?? 0) : '';
  $(`${which}-games`).textContent = snapshot.games ? String(snapshot.games[which]) : '';
  $(`${which}-row`).classList.toggle('serving', snapshot.serving === which);
  $(`${which}-row`).classList.toggle('winner', snapshot.winner === which);
}

function infoText(snapshot, nowMs) {
  const parts = [STATUS_LABEL[snapshot.status] ?? snapshot.status];
  if (CLOCK_SPORTS.includes(snapshot.sport) && snapshot.status !== 'scheduled') {
    parts.push(
      snapshot.sport === 'basketball' && snapshot.period > 4 ? `OT${snapshot.period - 4}` : `P${snapshot.period}`,
    );
    parts.push(formatClock(clockRemainingMs(snapshot.clock, nowMs)));
  }
  return parts.join(' · ');
}

function render(view, config, nowMs) {
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
  $('info').textContent = infoText(snapshot, nowMs);
  $('sets').textContent = formatSets(snapshot.sets);
  const calls = $('calls');
  calls.replaceChildren(
    ...officialCalls(snapshot, nowMs).map((call) => {
      const node = document.createElement('span');
      node.className = `call ${call.kind}`;
      node.dataset.call = call.kind;
      node.textContent = call.text;
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
