/**
 * The court wall's cards, one per court: the current match's score and badges, the
 * consoles on it (role, health), a handover to any online console or in one click to its
 * standby, and the audit trail. Cards stay in the DOM and are updated in place, so a pick
 * in a handover list survives redraws. Every name goes in through textContent.
 */
import { handoverReplySchema } from '../../../../shared/api.js';
import type { ConsolePresence } from '../../../../shared/protocol.js';
import type { MatchSnapshot } from '../../../../shared/match.js';
import { scoreboardView, type ScoreboardView } from '../../../../shared/display/index.js';
import { el } from './lib/dom.js';
import type { CurrentMatch } from './lib/live-feed.js';
import { healthProblems, healthText, slotEndMs } from './lib/wall-alerts.js';
import { errorText, type WallApi } from './wall-session.js';

const SHORT_ID_LENGTH = 8;
const SIDES = ['home', 'away'] as const;

interface Card {
  node: HTMLElement;
  head: HTMLElement;
  title: HTMLElement;
  body: HTMLElement;
  select: HTMLSelectElement;
  button: HTMLButtonElement;
  result: HTMLElement;
  matchId: string | null;
  /** The online consoles the select lists, to rebuild it only when they change. */
  signature: string | null;
}

export interface CardsDeps {
  api: WallApi;
  presences: ReadonlyMap<string, ConsolePresence>;
  showAudit: (matchId: string) => void;
}

const short = (id: string) => id.slice(0, SHORT_ID_LENGTH);

/** POST the existing handover endpoint; the answer (or the refusal) goes into the card. */
async function handOver(deps: CardsDeps, card: Card, consoleId: string, what: string): Promise<void> {
  if (!card.matchId) return;
  try {
    const path = `/api/matches/${encodeURIComponent(card.matchId)}/handover`;
    const answer = await deps.api('POST', path, handoverReplySchema, { consoleId });
    card.result.textContent = `moved to ${what}${short(consoleId)} (epoch ${answer.epoch})`;
  } catch (error) {
    card.result.textContent = errorText(error);
  }
}

/** One click: the existing handover endpoint, to this court's standby console. */
function standbyHandoverButton(deps: CardsDeps, card: Card, consoleId: string): HTMLButtonElement {
  const button = el('button', 'standby-handover', 'Hand over to standby');
  button.type = 'button';
  button.dataset.consoleId = consoleId;
  button.addEventListener('click', () => {
    button.disabled = true;
    void handOver(deps, card, consoleId, 'standby ').finally(() => (button.disabled = false));
  });
  return button;
}

/** Online consoles as options; rebuilt only when that list changes, keeping the pick. */
function updateConsoleOptions(deps: CardsDeps, card: Card, snapshot: MatchSnapshot): void {
  const online = [...deps.presences.values()].filter((p) => p.online && p.consoleId);
  const labels = online.map((p) => `${p.user} · ${p.court ? `court ${p.court}` : 'no court'} · ${short(p.consoleId)}`);
  const signature = online.map((p, i) => `${p.consoleId}=${labels[i]}`).join('|');
  card.select.setAttribute('aria-label', `backup console for ${snapshot.id}`);
  if (card.signature === signature) return;
  card.signature = signature;
  const picked = card.select.value;
  const placeholder = el('option', '', online.length ? 'Move to console…' : 'no console online');
  placeholder.value = '';
  const options = online.map((p, i) => {
    const option = el('option', '', labels[i]);
    option.value = p.consoleId;
    return option;
  });
  card.select.replaceChildren(placeholder, ...options);
  if (online.some((p) => p.consoleId === picked)) card.select.value = picked;
}

function createCard(deps: CardsDeps, court: string): Card {
  const card: Card = {
    node: el('article', 'court-card'),
    head: el('header'),
    title: el('h3', '', `Court ${court}`),
    body: el('div', 'card-body'),
    select: el('select', 'handover-console'),
    button: el('button', 'handover-button', 'Hand over'),
    result: el('span', 'handover-result'),
    matchId: null,
    signature: null,
  };
  card.node.dataset.court = court;
  card.button.type = 'button';
  card.button.addEventListener('click', () => {
    const consoleId = card.select.value;
    if (!consoleId || !card.matchId) return;
    card.button.disabled = true;
    void handOver(deps, card, consoleId, '').finally(() => (card.button.disabled = false));
  });
  const handover = el('div', 'handover');
  handover.append(card.select, card.button, card.result);
  const auditButton = el('button', 'audit-button', 'Audit trail');
  auditButton.type = 'button';
  auditButton.addEventListener('click', () => card.matchId && deps.showAudit(card.matchId));
  card.node.append(card.head, card.body, handover, auditButton);
  return card;
}

function badges(snapshot: MatchSnapshot, freshness: CurrentMatch['freshness'], nowMs: number): HTMLElement[] {
  const list = [el('span', `status status-${snapshot.status}`, snapshot.status)];
  const end = slotEndMs(snapshot);
  if (end !== null && snapshot.status !== 'finished' && nowMs > end) list.push(el('span', 'badge overrun', 'overrun'));
  if (freshness && !freshness.consoleOnline && snapshot.status !== 'finished')
    list.push(el('span', 'badge offline', 'console offline'));
  return list;
}

/** Names, sets won and the big number, as the display model words them (shared/display). */
function scoreLines(board: ScoreboardView): HTMLElement {
  const score = el('div', 'score-lines');
  for (const side of SIDES) {
    const team = board[side];
    const line = el('div', `team-line ${side}`);
    if (team.serving) line.classList.add('serving');
    line.append(el('span', 'team-name', team.name), el('span', 'sets-won', team.setsWon));
    line.append(el('span', 'score', team.score));
    score.append(line);
  }
  return score;
}

function detailsText(snapshot: MatchSnapshot, board: ScoreboardView): string {
  const details = [snapshot.sport, `match ${snapshot.id}`];
  if (board.setsLine) details.push(board.setsLine);
  if (board.periodLabel) details.push(board.periodLabel);
  if (board.clock) details.push(board.clock.text);
  if (snapshot.scheduledAt) details.push(`starts ${new Date(snapshot.scheduledAt).toLocaleTimeString()}`);
  return details.join(' · ');
}

/** The consoles on this court or match: one chip each (role, connection, backlog, health). */
function consoleChips(deps: CardsDeps, card: Card, court: string, snapshot: MatchSnapshot): HTMLElement {
  const line = el('div', 'court-consoles');
  for (const p of deps.presences.values()) {
    if (p.matchId !== snapshot.id && !(p.court === court && !p.matchId)) continue;
    const health = healthText(p);
    const text = `${p.user} ${p.online ? 'online' : 'offline'} · ${p.pending} waiting${health ? ` · ${health}` : ''}`;
    // Hot standby (issue 16): each console's role on this court, from presence.
    const role = p.role === 'primary' ? 'PRIMARY ' : p.role === 'standby' ? 'STANDBY ' : '';
    const chip = el('span', `console-chip ${p.online ? 'online' : 'offline'}`, `${role}${text}`);
    chip.dataset.consoleId = p.consoleId;
    if (p.role) chip.dataset.role = p.role;
    if (p.online && healthProblems(p).length) chip.classList.add('unhealthy');
    line.append(chip);
    if (p.role === 'standby' && p.online && p.matchId === snapshot.id && snapshot.status !== 'finished')
      line.append(standbyHandoverButton(deps, card, p.consoleId));
  }
  return line;
}

/** The wall's cards, created on first sight of a court and kept. */
export function createCourtCards(deps: CardsDeps) {
  const cards = new Map<string, Card>();
  return {
    /** Fills the court's card with its current match; `nowMs` local time (slots), `serverMs` server time (clocks). */
    fill({ court, snapshot, freshness }: CurrentMatch, nowMs: number, serverMs: number): HTMLElement {
      let card = cards.get(court);
      if (!card) cards.set(court, (card = createCard(deps, court)));
      card.matchId = snapshot.id;
      card.node.dataset.matchId = snapshot.id;
      card.node.dataset.status = snapshot.status;
      card.head.replaceChildren(card.title, ...badges(snapshot, freshness, nowMs));
      const board = scoreboardView(snapshot, serverMs);
      card.body.replaceChildren(
        scoreLines(board),
        el('div', 'details', detailsText(snapshot, board)),
        consoleChips(deps, card, court, snapshot),
      );
      updateConsoleOptions(deps, card, snapshot);
      card.button.disabled = snapshot.status === 'finished';
      return card.node;
    },
  };
}
