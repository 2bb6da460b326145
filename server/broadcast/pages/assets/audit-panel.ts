/**
 * The court wall's audit trail of one match (GET /api/matches/:id/audit): every stored
 * event with user and console, writer changes, fenced pushes and verification changes,
 * with CSV and JSON downloads. Everything goes in through textContent.
 */
import { matchAuditSchema } from '../../../../shared/api.js';
import type { AuditEntry, AuditFormat } from '../../../../shared/audit.js';
import { byId, el } from './lib/dom.js';
import { errorText, session, type WallApi } from './wall-session.js';

/** A download's blob URL is kept this long: the browser has started saving by then. */
const BLOB_URL_KEEP_MS = 10_000;
const SHORT_ID_LENGTH = 8;

const short = (id: string | null | undefined) => (id ? String(id).slice(0, SHORT_ID_LENGTH) : '—');
const timeText = (iso: string | null | undefined) =>
  iso ? new Date(iso).toLocaleTimeString([], { hour12: false }) : '';

type Cell = string | number;

const WRITER_CHANGE_TEXT = { handover: 'HANDOVER', claim: 'CLAIM', 'first-push': 'FIRST WRITER' } as const;

/** One trail entry as table cells (what, seq, epoch, user, console, detail), in words. */
function auditCells(entry: AuditEntry): Cell[] {
  switch (entry.kind) {
    case 'event': {
      const notes: string[] = [];
      if (entry.undoes) notes.push(`undoes #${entry.undoes.seq} ${entry.undoes.type ?? ''}`.trim());
      if (entry.reason) notes.push(`reason: ${entry.reason}`);
      if (entry.cancelled) notes.push('cancelled by a correction');
      const payload = JSON.stringify(entry.payload);
      if (payload !== '{}' && !entry.undoes) notes.push(payload);
      return [entry.type, entry.seq, entry.epoch, entry.user ?? '—', short(entry.consoleId), notes.join(' · ')];
    }
    case 'writer-change':
      return [
        WRITER_CHANGE_TEXT[entry.change],
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
  }
}

function auditRow(entry: AuditEntry): HTMLTableRowElement {
  const cancelled = entry.kind === 'event' && entry.cancelled;
  const row = el('tr', `audit-${entry.kind}${cancelled ? ' cancelled' : ''}`);
  row.dataset.kind = entry.kind;
  const consoleAt = entry.kind === 'event' ? entry.consoleAt : null;
  row.append(el('td', '', timeText(entry.storedAt)), el('td', '', timeText(consoleAt)));
  for (const cell of auditCells(entry)) row.append(el('td', '', cell));
  return row;
}

/** Wires the panel; `show(matchId)` opens a match's trail. */
export function setupAuditPanel(api: WallApi): { show(matchId: string): Promise<void> } {
  let matchId: string | null = null;
  const status = byId('audit-status');

  async function show(id: string): Promise<void> {
    matchId = id;
    byId('audit-panel').hidden = false;
    status.textContent = 'loading…';
    try {
      const trail = await api('GET', `/api/matches/${encodeURIComponent(id)}/audit`, matchAuditSchema);
      const m = trail.match;
      byId('audit-match').textContent =
        `${m.home} v ${m.away} · court ${m.court} · ${m.sport} · match ${m.id} · ${trail.entries.length} entries`;
      byId('audit', HTMLTableElement).tBodies[0]?.replaceChildren(...trail.entries.map(auditRow));
      status.textContent = '';
    } catch (error) {
      status.textContent = errorText(error);
    }
  }

  /** Downloads go through fetch (the token is a header, never in a URL), then a blob link. */
  async function download(format: AuditFormat): Promise<void> {
    if (!matchId) return;
    const response = await fetch(`/api/matches/${encodeURIComponent(matchId)}/audit?format=${format}`, {
      headers: { Authorization: `Bearer ${session.token()}` },
      cache: 'no-store',
    });
    if (!response.ok) {
      status.textContent = `download failed: HTTP ${response.status}`;
      return;
    }
    const url = URL.createObjectURL(await response.blob());
    const link = Object.assign(document.createElement('a'), { href: url, download: `audit-${matchId}.${format}` });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), BLOB_URL_KEEP_MS);
  }

  const downloading = (format: AuditFormat) => () =>
    void download(format).catch((error: unknown) => (status.textContent = errorText(error)));
  byId('audit-csv').addEventListener('click', downloading('csv'));
  byId('audit-json').addEventListener('click', downloading('json'));
  byId('audit-close').addEventListener('click', () => {
    matchId = null;
    byId('audit-panel').hidden = true;
  });
  return { show };
}
