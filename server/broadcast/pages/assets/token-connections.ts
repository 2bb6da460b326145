/**
 * The court wall's "Connected tokens" panel: every token with live connections
 * (GET /api/tokens, all server processes), how many sockets and streams each holds, and a
 * Revoke button (POST /api/tokens/revoke) that ends them at once. A leaked graphics link
 * shows up as a viewer token connected far more often than its overlay needs.
 * Everything goes in through textContent.
 */
import { tokenListSchema, tokenRevokedSchema, type TokenConnections } from '../../../../shared/api.js';
import { byId, el } from './lib/dom.js';
import { errorText, type WallApi } from './wall-session.js';

/** Re-read this often: a leaked link's connections grow fast and the director must see it. */
const TOKENS_REFRESH_MS = 5_000;
const SHORT_ID_LENGTH = 8;

function cell(text: string | number, className?: string): HTMLTableCellElement {
  return el('td', className, text);
}

function namespaces(byNamespace: Record<string, number>): string {
  return Object.entries(byNamespace)
    .map(([nsp, n]) => `${nsp} ${n}`)
    .join(', ');
}

/** Wires the panel to the wall's authenticated fetch; start() begins the refreshes. */
export function setupTokenConnections(api: WallApi): { start(): void; refresh(): Promise<void> } {
  let timer: ReturnType<typeof setInterval> | undefined;
  const result = byId('tokens-result');

  function revokeButton(t: TokenConnections): HTMLButtonElement {
    const revoke = el('button', '', 'Revoke');
    revoke.type = 'button';
    revoke.addEventListener('click', () => {
      revoke.disabled = true;
      void api('POST', '/api/tokens/revoke', tokenRevokedSchema, { tokenId: t.tokenId })
        .then(
          () => (result.textContent = `Revoked ${t.subject} (${t.tokenId.slice(0, SHORT_ID_LENGTH)})`),
          (error: unknown) => (result.textContent = errorText(error)),
        )
        .then(refresh);
    });
    return revoke;
  }

  function tokenRow(t: TokenConnections): HTMLTableRowElement {
    const row = el('tr');
    row.dataset.tokenId = t.tokenId;
    row.dataset.kind = t.kind;
    const action = el('td');
    action.append(revokeButton(t));
    row.append(
      cell(t.subject),
      cell(t.kind),
      cell(t.tokenId.slice(0, SHORT_ID_LENGTH)),
      cell(t.sockets, 'token-sockets'),
      cell(namespaces(t.byNamespace)),
      cell(t.streams, 'token-streams'),
      action,
    );
    return row;
  }

  async function refresh(): Promise<void> {
    let tokens: TokenConnections[];
    try {
      tokens = await api('GET', '/api/tokens', tokenListSchema);
    } catch (error) {
      result.textContent = errorText(error);
      return;
    }
    const rows = tokens.map(tokenRow);
    byId('tokens', HTMLTableElement).tBodies[0]?.replaceChildren(...rows);
    byId('tokens-empty').hidden = rows.length > 0;
  }

  return {
    start() {
      void refresh();
      timer ??= setInterval(() => void refresh(), TOKENS_REFRESH_MS);
    },
    refresh,
  };
}
