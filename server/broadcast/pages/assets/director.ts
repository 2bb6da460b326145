/**
 * The director's court wall: every court's current match live, each console's
 * presence, alerts, match creation and one-action handover. Logs in with
 * POST /api/auth/login and keeps the token in sessionStorage (gone with the tab).
 * Every name reaches the page through textContent.
 */
import {
  directorSettingsSchema,
  loginReplySchema,
  presenceListSchema,
  type DirectorSettings,
} from '../../../../shared/api.js';
import type { MatchSnapshot } from '../../../../shared/match.js';
import { matchSnapshotSchema, receive, type ConsolePresence } from '../../../../shared/protocol.js';
import { setupAuditPanel } from './audit-panel.js';
import { createCourtCards } from './court-cards.js';
import { setupGraphicsLinks } from './graphics-links.js';
import { byId, el } from './lib/dom.js';
import { createLiveFeed, type LiveFeed } from './lib/live-feed.js';
import { computeAlerts, formatBattery, formatOffset, healthProblems, recordPending } from './lib/wall-alerts.js';
import { setupTokenConnections } from './token-connections.js';
import { ApiError, createWallApi, errorText, httpErrorOf, session } from './wall-session.js';

/** Presence is re-read this often besides PRESENCE events (a missed event heals itself). */
const PRESENCE_REFRESH_MS = 5_000;
/** Alerts and "offline for" texts depend on the time: redraw this often. */
const TICK_MS = 1_000;
const SHORT_ID_LENGTH = 8;

declare global {
  interface Window {
    /** What the wall follows, for tests and for a look in the browser's console. */
    __wall?: { readonly feed: LiveFeed | null; presences: Map<string, ConsolePresence> };
  }
}

const presences = new Map<string, ConsolePresence>();
const backlog = new Map<string, number[]>(); // consoleId -> recent pending counts
/** Until the server's arrive (GET /api/director/settings). */
let settings: DirectorSettings = {
  consoleOfflineAlertMs: 60_000,
  backlogAlertEvents: 50,
  adminUiEnabled: false,
  adminUiUrl: null,
};
let feed: LiveFeed | null = null;
let presenceTimer: ReturnType<typeof setInterval> | undefined;
let tickTimer: ReturnType<typeof setInterval> | undefined;

const api = createWallApi((message) => logout(message));
const audit = setupAuditPanel(api);
const cards = createCourtCards({ api, presences, showAudit: (matchId) => void audit.show(matchId) });
setupGraphicsLinks(api);
const tokenConnections = setupTokenConnections(api);

// ---- login -------------------------------------------------------------------

function showLogin(message?: string): void {
  byId('wall-page').hidden = true;
  byId('login').hidden = false;
  byId('login-error').textContent = message ?? '';
}

function logout(message?: string): void {
  session.clear();
  feed?.stop();
  feed = null;
  clearInterval(presenceTimer);
  clearInterval(tickTimer);
  showLogin(message);
}

/** POST /api/auth/login; the wall needs an admin. Throws the reason to show. */
async function logIn(form: FormData): Promise<string> {
  const response = await fetch('/api/auth/login', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: form.get('username'), password: form.get('password') }),
  });
  const data: unknown = await response.json().catch(() => null);
  if (!response.ok) throw new Error(httpErrorOf(data)?.message ?? 'login failed');
  const reply = receive(loginReplySchema, data, 'POST /api/auth/login answer');
  if (!reply.ok) throw new Error(reply.message);
  if (reply.value.role !== 'admin') throw new Error('the court wall needs an admin account');
  return reply.value.token;
}

const loginForm = byId('login-form', HTMLFormElement);
loginForm.addEventListener('submit', (event) => {
  event.preventDefault();
  byId('login-error').textContent = '';
  void logIn(new FormData(loginForm)).then(
    (token) => {
      session.save(token);
      void start();
    },
    (error: unknown) => (byId('login-error').textContent = errorText(error)),
  );
});

byId('logout').addEventListener('click', () => logout());

// ---- presence ----------------------------------------------------------------

function applyPresence(p: ConsolePresence): void {
  const held = presences.get(p.consoleId);
  if (!held || held.pending !== p.pending || held.online !== p.online) {
    backlog.set(p.consoleId, recordPending(backlog.get(p.consoleId), p.pending));
  }
  presences.set(p.consoleId, p);
}

async function refreshPresence(): Promise<void> {
  try {
    for (const p of await api('GET', '/api/presence', presenceListSchema)) applyPresence(p);
    render();
  } catch {
    /* shown as the connection state; retried on the next tick */
  }
}

// ---- rendering ---------------------------------------------------------------

function ago(iso: string | null, nowMs: number): string {
  if (!iso) return 'never';
  const ms = nowMs - Date.parse(iso);
  if (Number.isNaN(ms)) return '?';
  if (ms < 60_000) return `${Math.max(0, Math.floor(ms / 1000))} s ago`;
  if (ms < 3_600_000) return `${Math.floor(ms / 60_000)} min ago`;
  return new Date(iso).toLocaleTimeString();
}

function consoleRow(p: ConsolePresence, nowMs: number): HTMLTableRowElement {
  const row = el('tr', p.online ? 'online' : 'offline');
  row.dataset.consoleId = p.consoleId;
  row.append(
    el('td', 'mono', p.consoleId.slice(0, SHORT_ID_LENGTH)),
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

function renderAlerts(current: readonly MatchSnapshot[], nowMs: number): void {
  const alerts = computeAlerts({ presences: [...presences.values()], matches: current, settings, backlog, nowMs });
  const list = byId('alerts');
  list.replaceChildren(
    ...alerts.map((a) => Object.assign(el('li', `alert alert-${a.kind}`, a.message), { title: a.key })),
  );
  if (alerts.length === 0) list.append(el('li', 'no-alerts', 'No alerts'));
}

function render(): void {
  if (!feed) return;
  const nowMs = Date.now();
  // Running game clocks are read in server time (time:sync), alerts and "ago" texts in local time.
  const serverMs = feed.serverNow();
  document.body.dataset.connection = feed.connection;
  byId('connection').textContent =
    feed.connection === 'live' ? 'live' : `${feed.connection}${feed.lastError ? ` (${feed.lastError})` : ''}`;
  const current = feed.currentMatches();
  renderAlerts(
    current.map((c) => c.snapshot),
    nowMs,
  );
  const shown = current.map((c) => cards.fill(c, nowMs, serverMs));
  const wall = byId('wall');
  if (shown.length !== wall.children.length || shown.some((node, i) => wall.children[i] !== node))
    wall.replaceChildren(...shown);
  const rows = [...presences.values()].sort(
    (a, b) => Number(a.online) - Number(b.online) || String(a.court).localeCompare(String(b.court)),
  );
  byId('consoles', HTMLTableElement).tBodies[0]?.replaceChildren(...rows.map((p) => consoleRow(p, nowMs)));
}

// ---- match creation ------------------------------------------------------------

const createForm = byId('create-match', HTMLFormElement);
createForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const form = new FormData(createForm);
  const body: Record<string, unknown> = {
    sport: form.get('sport'),
    court: String(form.get('court')).trim(),
    home: { name: String(form.get('home')).trim() },
    away: { name: String(form.get('away')).trim() },
  };
  const when = form.get('scheduledAt');
  if (when) body.scheduledAt = new Date(String(when)).toISOString();
  const slot = form.get('slotMinutes');
  if (slot) body.slotMinutes = Number(slot);
  void api('POST', '/api/matches', matchSnapshotSchema, body).then(
    (created) => {
      byId('create-result').textContent = `Created ${created.id} on court ${created.court}`;
      createForm.reset();
    },
    (error: unknown) => (byId('create-result').textContent = errorText(error)),
  );
});

// ---- start -------------------------------------------------------------------

/** The settings, or false when the session cannot show the wall (logged out on the way). */
async function loadSettings(): Promise<boolean> {
  try {
    settings = await api('GET', '/api/director/settings', directorSettingsSchema);
  } catch (error) {
    if (error instanceof ApiError && error.code === 'UNAUTHORIZED') return false;
    if (error instanceof ApiError && error.code === 'FORBIDDEN') {
      logout('The court wall needs an admin account.');
      return false;
    }
  }
  return true;
}

async function start(): Promise<void> {
  byId('login').hidden = true;
  byId('wall-page').hidden = false;
  if (!(await loadSettings())) return;
  const token = session.token();
  if (!token) return logout();
  const link = byId('admin-ui-link', HTMLAnchorElement);
  link.hidden = !(settings.adminUiEnabled && settings.adminUiUrl);
  if (settings.adminUiUrl) link.href = settings.adminUiUrl;
  feed = createLiveFeed({
    token,
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
  presenceTimer = setInterval(() => void refreshPresence(), PRESENCE_REFRESH_MS);
  tokenConnections.start();
  tickTimer = setInterval(render, TICK_MS);
}

if (session.token()) void start();
else showLogin();
