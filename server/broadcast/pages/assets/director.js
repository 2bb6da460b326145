/**
 * The director's court wall: every court's current match live, each console's
 * presence, alerts, match creation and one-action handover. Logs in with
 * POST /api/auth/login and keeps the token in sessionStorage (gone with the tab).
 * Every name reaches the page through textContent.
 */
import { clockRemainingMs, formatClock, formatSets } from './lib/court-view.js';
import { createLiveFeed } from './lib/live-feed.js';
import {
  computeAlerts,
  formatBattery,
  formatOffset,
  healthProblems,
  healthText,
  recordPending,
  slotEndMs,
} from './lib/wall-alerts.js';
import { setupGraphicsLinks } from './graphics-links.js';
import { setupTokenConnections } from './token-connections.js';

const TOKEN_KEY = 'scoredesk.director.token';
/** Presence is re-read this often besides PRESENCE events (a missed event heals itself). */
const PRESENCE_REFRESH_MS = 5_000;
/** Alerts and "offline for" texts depend on the time: redraw this often. */
const TICK_MS = 1_000;

const $ = (id) => document.getElementById(id);
const presences = new Map(); // consoleId -> ConsolePresence
const backlog = new Map(); // consoleId -> recent pending counts
let settings = { consoleOfflineAlertMs: 60_000, backlogAlertEvents: 50, adminUiEnabled: false, adminUiUrl: null };
let feed = null;
let presenceTimer = null;
let tickTimer = null;

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

async function api(method, path, body) {
  const response = await fetch(path, {
    method,
    headers: { Authorization: `Bearer ${token()}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
    cache: 'no-store',
  });
  const data = await response.json().catch(() => null);
  if (response.status === 401) {
    logout('Your session ended: please log in again.');
    throw new Error('UNAUTHORIZED');
  }
  if (!response.ok) {
    const error = data?.error;
    throw new Error(error ? `${error.code}: ${error.message}` : `HTTP ${response.status}`);
  }
  return data;
}

// ---- login -------------------------------------------------------------------

function showLogin(message) {
  $('wall-page').hidden = true;
  $('login').hidden = false;
  $('login-error').textContent = message ?? '';
}

function logout(message) {
  sessionStorage.removeItem(TOKEN_KEY);
  feed?.stop();
  feed = null;
  clearInterval(presenceTimer);
  clearInterval(tickTimer);
  showLogin(message);
}

$('login-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = new FormData(event.target);
  $('login-error').textContent = '';
  try {
    const response = await fetch('/api/auth/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: form.get('username'), password: form.get('password') }),
    });
    const data = await response.json().catch(() => null);
    if (!response.ok) throw new Error(data?.error?.message ?? 'login failed');
    if (data.role !== 'admin') throw new Error('the court wall needs an admin account');
    sessionStorage.setItem(TOKEN_KEY, data.token);
    start();
  } catch (error) {
    $('login-error').textContent = error.message;
  }
});

$('logout').addEventListener('click', () => logout());

// ---- presence ----------------------------------------------------------------

function applyPresence(p) {
  const held = presences.get(p.consoleId);
  if (!held || held.pending !== p.pending || held.online !== p.online) {
    backlog.set(p.consoleId, recordPending(backlog.get(p.consoleId), p.pending));
  }
  presences.set(p.consoleId, p);
}

async function refreshPresence() {
  try {
    const list = await api('GET', '/api/presence');
    for (const p of Array.isArray(list) ? list : (list?.consoles ?? [])) applyPresence(p);
    render();
  } catch {
    /* shown as the connection state; retried on the next tick */
  }
}

// ---- rendering ---------------------------------------------------------------

function ago(iso, nowMs) {
  if (!iso) return 'never';
  const ms = nowMs - Date.parse(iso);
  if (Number.isNaN(ms)) return '?';
  if (ms < 60_000) return `${Math.max(0, Math.floor(ms / 1000))} s ago`;
  if (ms < 3_600_000) return `${Math.floor(ms / 60_000)} min ago`;
  return new Date(iso).toLocaleTimeString();
}

/** Sports whose big number is per set or game: the wall shows sets won beside it. */
const SET_SPORTS = ['volleyball', 'badminton', 'table-tennis', 'tennis'];
/** Court cards stay in the DOM and are updated in place, so a pick in a handover list survives redraws. */
const cards = new Map(); // court -> { node, select, button, result, matchId }

function handoverControl(entry) {
  const box = el('div', 'handover');
  entry.select = el('select', 'handover-console');
  entry.button = el('button', 'handover-button', 'Hand over');
  entry.button.type = 'button';
  entry.result = el('span', 'handover-result');
  entry.button.addEventListener('click', async () => {
    const consoleId = entry.select.value;
    const matchId = entry.matchId;
    if (!consoleId || !matchId) return;
    entry.button.disabled = true;
    try {
      const answer = await api('POST', `/api/matches/${encodeURIComponent(matchId)}/handover`, { consoleId });
      entry.result.textContent = `moved to ${consoleId.slice(0, 8)} (epoch ${answer?.epoch ?? '?'})`;
    } catch (error) {
      entry.result.textContent = error.message;
    } finally {
      entry.button.disabled = false;
    }
  });
  box.append(entry.select, entry.button, entry.result);
  return box;
}

/** One click: the existing handover endpoint, to this court's standby console. */
function standbyHandoverButton(entry, consoleId) {
  const button = el('button', 'standby-handover', 'Hand over to standby');
  button.type = 'button';
  button.dataset.consoleId = consoleId;
  button.addEventListener('click', async () => {
    const matchId = entry.matchId;
    if (!matchId) return;
    button.disabled = true;
    try {
      const answer = await api('POST', `/api/matches/${encodeURIComponent(matchId)}/handover`, { consoleId });
      entry.result.textContent = `moved to standby ${consoleId.slice(0, 8)} (epoch ${answer?.epoch ?? '?'})`;
    } catch (error) {
      entry.result.textContent = error.message;
    } finally {
      button.disabled = false;
    }
  });
  return button;
}

/** Online consoles as options; rebuilt only when that list changes, keeping the pick. */
function updateConsoleOptions(entry, snapshot) {
  const online = [...presences.values()].filter((p) => p.online && p.consoleId);
  const labels = online.map(
    (p) => `${p.user} · ${p.court ? `court ${p.court}` : 'no court'} · ${p.consoleId.slice(0, 8)}`,
  );
  const signature = online.map((p, i) => `${p.consoleId}=${labels[i]}`).join('|');
  entry.select.setAttribute('aria-label', `backup console for ${snapshot.id}`);
  if (entry.signature === signature) return;
  entry.signature = signature;
  const picked = entry.select.value;
  const placeholder = el('option', '', online.length ? 'Move to console…' : 'no console online');
  placeholder.value = '';
  const options = online.map((p, i) => {
    const option = el('option', '', labels[i]);
    option.value = p.consoleId;
    return option;
  });
  entry.select.replaceChildren(placeholder, ...options);
  if (online.some((p) => p.consoleId === picked)) entry.select.value = picked;
}

function courtCard(court) {
  let entry = cards.get(court);
  if (entry) return entry;
  entry = { node: el('article', 'court-card') };
  entry.node.dataset.court = court;
  entry.head = el('header');
  entry.title = el('h3', '', `Court ${court}`);
  entry.body = el('div', 'card-body');
  const auditButton = el('button', 'audit-button', 'Audit trail');
  auditButton.type = 'button';
  auditButton.addEventListener('click', () => entry.matchId && showAudit(entry.matchId));
  entry.node.append(entry.head, entry.body, handoverControl(entry), auditButton);
  cards.set(court, entry);
  return entry;
}

function fillCard({ court, snapshot, freshness }, nowMs, serverMs) {
  const entry = courtCard(court);
  entry.matchId = snapshot.id;
  const card = entry.node;
  card.dataset.matchId = snapshot.id;
  card.dataset.status = snapshot.status;
  const badges = [el('span', `status status-${snapshot.status}`, snapshot.status)];
  const end = slotEndMs(snapshot);
  if (end !== null && snapshot.status !== 'finished' && nowMs > end)
    badges.push(el('span', 'badge overrun', 'overrun'));
  if (freshness && !freshness.consoleOnline && snapshot.status !== 'finished') {
    badges.push(el('span', 'badge offline', 'console offline'));
  }
  entry.head.replaceChildren(entry.title, ...badges);
  const score = el('div', 'score-lines');
  for (const side of ['home', 'away']) {
    const line = el('div', `team-line ${side}`);
    if (snapshot.serving === side) line.classList.add('serving');
    const sets = SET_SPORTS.includes(snapshot.sport) ? (snapshot.setsWon?.[side] ?? 0) : '';
    line.append(el('span', 'team-name', snapshot[side].name), el('span', 'sets-won', sets));
    line.append(el('span', 'score', snapshot.points?.[side] ?? snapshot[side].score));
    score.append(line);
  }
  const details = [snapshot.sport, `match ${snapshot.id}`];
  if (snapshot.sets?.length) details.push(formatSets(snapshot.sets));
  if (snapshot.clock?.remainingMs) details.push(formatClock(clockRemainingMs(snapshot.clock, serverMs)));
  if (snapshot.scheduledAt) details.push(`starts ${new Date(snapshot.scheduledAt).toLocaleTimeString()}`);
  const consoleLine = el('div', 'court-consoles');
  for (const p of presences.values()) {
    if (p.matchId !== snapshot.id && !(p.court === court && !p.matchId)) continue;
    const health = healthText(p);
    const text = `${p.user} ${p.online ? 'online' : 'offline'} · ${p.pending} waiting${health ? ` · ${health}` : ''}`;
    // Hot standby (issue 16): each console's role on this court, from presence.
    const role = p.role === 'primary' ? 'PRIMARY ' : p.role === 'standby' ? 'STANDBY ' : '';
    const chip = el('span', `console-chip ${p.online ? 'online' : 'offline'}`, `${role}${text}`);
    chip.dataset.consoleId = p.consoleId;
    if (p.role) chip.dataset.role = p.role;
    if (p.online && healthProblems(p).length) chip.classList.add('unhealthy');
    consoleLine.append(chip);
    if (p.role === 'standby' && p.online && p.matchId === snapshot.id && snapshot.status !== 'finished')
      consoleLine.append(standbyHandoverButton(entry, p.consoleId));
  }
  entry.body.replaceChildren(score, el('div', 'details', details.join(' · ')), consoleLine);
  updateConsoleOptions(entry, snapshot);
  entry.button.disabled = snapshot.status === 'finished';
  return card;
}

function consoleRow(p, nowMs) {
  const row = el('tr', p.online ? 'online' : 'offline');
  row.dataset.consoleId = p.consoleId;
  row.append(
    el('td', 'mono', p.consoleId.slice(0, 8)),
    el('td', '', p.user),
    el('td', '', p.court ?? '—'),
    el('td', '', p.matchId ?? '—'),
    el('td', 'connection-cell', p.online ? 'online' : `offline since ${ago(p.since, nowMs)}`),
    el('td', 'pending', p.pending),
    el('td', '', ago(p.lastConfirmedAt, nowMs)),
    el('td', '', p.state),
    el('td', 'battery-cell', formatBattery(p.battery)),
    el('td', 'rtt-cell', p.rttMs === null || p.rttMs === undefined ? '—' : `${Math.round(p.rttMs)} ms`),
    el('td', 'offset-cell', formatOffset(p.clockOffsetMs)),
    el('td', 'version-cell', p.appVersion ?? '—'),
  );
  if (p.online && healthProblems(p).length) row.classList.add('unhealthy');
  return row;
}

function render() {
  if (!feed) return;
  const nowMs = Date.now();
  // Running game clocks are read in server time (time:sync), alerts and "ago" texts in local time.
  const serverMs = feed.serverNow();
  document.body.dataset.connection = feed.connection;
  $('connection').textContent =
    feed.connection === 'live' ? 'live' : `${feed.connection}${feed.lastError ? ` (${feed.lastError})` : ''}`;
  const current = feed.currentMatches();
  const alerts = computeAlerts({
    presences: [...presences.values()],
    matches: current.map((c) => c.snapshot),
    settings,
    backlog,
    nowMs,
  });
  $('alerts').replaceChildren(
    ...alerts.map((a) => Object.assign(el('li', `alert alert-${a.kind}`, a.message), { title: a.key })),
  );
  if (alerts.length === 0) $('alerts').append(el('li', 'no-alerts', 'No alerts'));
  const shown = current.map((c) => fillCard(c, nowMs, serverMs));
  const wall = $('wall');
  if (shown.length !== wall.children.length || shown.some((node, i) => wall.children[i] !== node))
    wall.replaceChildren(...shown);
  const rows = [...presences.values()].sort(
    (a, b) => Number(a.online) - Number(b.online) || String(a.court).localeCompare(String(b.court)),
  );
  $('consoles').tBodies[0].replaceChildren(...rows.map((p) => consoleRow(p, nowMs)));
}

// ---- audit trail ---------------------------------------------------------------

let auditMatchId = null;

const short = (id) => (id ? String(id).slice(0, 8) : '—');
const timeText = (iso) => (iso ? new Date(iso).toLocaleTimeString([], { hour12: false }) : '');

/** One trail entry as table cells: what happened and its detail, in words. */
function auditCells(entry) {
  switch (entry.kind) {
    case 'event': {
      const notes = [];
      if (entry.undoes) notes.push(`undoes #${entry.undoes.seq} ${entry.undoes.type ?? ''}`.trim());
      if (entry.reason) notes.push(`reason: ${entry.reason}`);
      if (entry.cancelled) notes.push('cancelled by a correction');
      const payload = JSON.stringify(entry.payload);
      if (payload !== '{}' && !entry.undoes) notes.push(payload);
      return [entry.type, entry.seq, entry.epoch, entry.user ?? '—', short(entry.consoleId), notes.join(' · ')];
    }
    case 'writer-change':
      return [
        entry.change === 'handover' ? 'HANDOVER' : entry.change === 'claim' ? 'CLAIM' : 'FIRST WRITER',
        '',
        entry.epoch,
        entry.user ?? '—',
        short(entry.consoleId),
        entry.fencedConsoleId ? `console ${short(entry.fencedConsoleId)} fenced` : '',
      ];
    case 'fenced-push':
      return [
        'FENCED PUSH',
        entry.firstSeq === entry.lastSeq ? entry.firstSeq : `${entry.firstSeq}-${entry.lastSeq}`,
        entry.epoch,
        entry.user ?? '—',
        short(entry.consoleId),
        `${entry.events} events refused (kept on that console for review)`,
      ];
    case 'verification':
      return ['VERIFICATION', '', '', '', '', `${entry.state} ${JSON.stringify(entry.detail)}`];
    default:
      return [entry.kind, '', '', '', '', ''];
  }
}

async function showAudit(matchId) {
  auditMatchId = matchId;
  $('audit-panel').hidden = false;
  $('audit-status').textContent = 'loading…';
  try {
    const trail = await api('GET', `/api/matches/${encodeURIComponent(matchId)}/audit`);
    const m = trail.match;
    $('audit-match').textContent =
      `${m.home} v ${m.away} · court ${m.court} · ${m.sport} · match ${m.id} · ${trail.entries.length} entries`;
    $('audit').tBodies[0].replaceChildren(
      ...trail.entries.map((entry) => {
        const row = el('tr', `audit-${entry.kind}${entry.cancelled ? ' cancelled' : ''}`);
        row.dataset.kind = entry.kind;
        row.append(el('td', '', timeText(entry.storedAt)), el('td', '', timeText(entry.consoleAt)));
        for (const cell of auditCells(entry)) row.append(el('td', '', cell));
        return row;
      }),
    );
    $('audit-status').textContent = '';
  } catch (error) {
    $('audit-status').textContent = error.message;
  }
}

/** Downloads go through fetch (the token is a header, never in a URL), then a blob link. */
async function downloadAudit(format) {
  if (!auditMatchId) return;
  const response = await fetch(`/api/matches/${encodeURIComponent(auditMatchId)}/audit?format=${format}`, {
    headers: { Authorization: `Bearer ${token()}` },
    cache: 'no-store',
  });
  if (!response.ok) {
    $('audit-status').textContent = `download failed: HTTP ${response.status}`;
    return;
  }
  const url = URL.createObjectURL(await response.blob());
  const link = Object.assign(document.createElement('a'), { href: url, download: `audit-${auditMatchId}.${format}` });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

$('audit-csv').addEventListener('click', () => downloadAudit('csv'));
$('audit-json').addEventListener('click', () => downloadAudit('json'));
$('audit-close').addEventListener('click', () => {
  auditMatchId = null;
  $('audit-panel').hidden = true;
});

// ---- match creation ------------------------------------------------------------

$('create-match').addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = new FormData(event.target);
  const body = {
    sport: form.get('sport'),
    court: String(form.get('court')).trim(),
    home: { name: String(form.get('home')).trim() },
    away: { name: String(form.get('away')).trim() },
  };
  const when = form.get('scheduledAt');
  if (when) body.scheduledAt = new Date(String(when)).toISOString();
  const slot = form.get('slotMinutes');
  if (slot) body.slotMinutes = Number(slot);
  try {
    const created = await api('POST', '/api/matches', body);
    $('create-result').textContent = `Created ${created.id} on court ${created.court}`;
    event.target.reset();
  } catch (error) {
    $('create-result').textContent = error.message;
  }
});

// ---- start -------------------------------------------------------------------

async function start() {
  $('login').hidden = true;
  $('wall-page').hidden = false;
  try {
    settings = { ...settings, ...(await api('GET', '/api/director/settings')) };
  } catch (error) {
    if (error.message === 'UNAUTHORIZED') return;
    if (error.message.startsWith('FORBIDDEN')) return logout('The court wall needs an admin account.');
  }
  const link = $('admin-ui-link');
  link.hidden = !(settings.adminUiEnabled && settings.adminUiUrl);
  if (settings.adminUiUrl) link.href = settings.adminUiUrl;
  feed = createLiveFeed({
    token: token(),
    courts: null,
    onChange: render,
    onPresence: (p) => {
      applyPresence(p);
      render();
    },
  });
  window.__wall = {
    get feed() {
      return feed;
    },
    presences,
  };
  await refreshPresence();
  presenceTimer = setInterval(refreshPresence, PRESENCE_REFRESH_MS);
  tokenConnections.start();
  tickTimer = setInterval(render, TICK_MS);
}

setupGraphicsLinks(api);
const tokenConnections = setupTokenConnections(api);

if (token()) start();
else showLogin();
