/**
 * The court wall's "Connected tokens" panel: every token with live connections
 * (GET /api/tokens, all server processes), how many sockets and streams each holds, and a
 * Revoke button (POST /api/tokens/revoke) that ends them at once. A leaked graphics link
 * shows up as a viewer token connected far more often than its overlay needs.
 * Everything goes in through textContent.
 */

/** Re-read this often: a leaked link's connections grow fast and the director must see it. */
const TOKENS_REFRESH_MS = 5_000;

const $ = (id) => document.getElementById(id);

function cell(text) {
  const td = document.createElement('td');
  td.textContent = String(text);
  return td;
}

function namespaces(byNamespace) {
  return Object.entries(byNamespace)
    .map(([nsp, n]) => `${nsp} ${n}`)
    .join(', ');
}

/** Wires the panel; `api(method, path, body)` is the wall's authenticated fetch. */
export function setupTokenConnections(api) {
  let timer = null;
  const refresh = async () => {
    let tokens;
    try {
      tokens = await api('GET', '/api/tokens');
    } catch (error) {
      $('tokens-result').textContent = error.message;
      return;
    }
    const rows = tokens.map((t) => {
      const row = document.createElement('tr');
      row.dataset.tokenId = t.tokenId;
      row.dataset.kind = t.kind;
      const revoke = document.createElement('button');
      revoke.type = 'button';
      revoke.textContent = 'Revoke';
      revoke.addEventListener('click', async () => {
        revoke.disabled = true;
        try {
          await api('POST', '/api/tokens/revoke', { tokenId: t.tokenId });
          $('tokens-result').textContent = `Revoked ${t.subject} (${t.tokenId.slice(0, 8)})`;
        } catch (error) {
          $('tokens-result').textContent = error.message;
        }
        await refresh();
      });
      const action = document.createElement('td');
      action.append(revoke);
      row.append(
        cell(t.subject),
        cell(t.kind),
        cell(t.tokenId.slice(0, 8)),
        Object.assign(cell(t.sockets), { className: 'token-sockets' }),
        cell(namespaces(t.byNamespace)),
        Object.assign(cell(t.streams), { className: 'token-streams' }),
        action,
      );
      return row;
    });
    $('tokens')
      .querySelector('tbody')
      .replaceChildren(...rows);
    $('tokens-empty').hidden = rows.length > 0;
  };
  return {
    start() {
      void refresh();
      timer ??= setInterval(() => void refresh(), TOKENS_REFRESH_MS);
    },
    refresh,
  };
}
