/**
 * The court wall's "Graphics links" panel: mints a read-only viewer token
 * (POST /api/viewer-tokens) and lists the overlay and feed URLs that carry it, each with
 * a copy button. Everything goes in through textContent and input values.
 */

const LINK_NAMES = [
  ['scorebug', 'Scorebug overlay'],
  ['courts', 'Courts strip overlay'],
  ['vmix', 'vMix data source (JSON)'],
  ['vmixXml', 'vMix data source (XML)'],
  ['vmixCsv', 'vMix data source (CSV)'],
  ['stream', 'Server-Sent Events stream'],
];

const $ = (id) => document.getElementById(id);

async function copy(text, button) {
  try {
    await navigator.clipboard.writeText(text);
    button.textContent = 'Copied';
  } catch {
    // No clipboard (plain http on another host): the field is selected for Ctrl+C.
    button.textContent = 'Press Ctrl+C';
  }
}

function linkRow(name, label, url) {
  const term = document.createElement('dt');
  term.textContent = label;
  const detail = document.createElement('dd');
  const field = document.createElement('input');
  field.type = 'text';
  field.readOnly = true;
  field.value = url;
  field.dataset.link = name;
  field.addEventListener('focus', () => field.select());
  const button = document.createElement('button');
  button.type = 'button';
  button.textContent = 'Copy';
  button.addEventListener('click', () => {
    field.select();
    void copy(url, button);
  });
  detail.append(field, button);
  return [term, detail];
}

/** Wires the panel; `api(method, path, body)` is the wall's authenticated fetch. */
export function setupGraphicsLinks(api) {
  $('graphics-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const form = new FormData(event.target);
    const body = { label: String(form.get('label') ?? '').trim() };
    const court = String(form.get('court') ?? '').trim();
    if (court) body.court = court;
    const hours = form.get('ttlHours');
    if (hours) body.ttlHours = Number(hours);
    const list = $('graphics-links');
    list.replaceChildren();
    $('graphics-result').textContent = 'Creating…';
    try {
      const minted = await api('POST', '/api/viewer-tokens', body);
      $('graphics-result').textContent =
        `Token for ${minted.label}, valid until ${new Date(minted.expiresAt).toLocaleString()}`;
      for (const [name, label] of LINK_NAMES) list.append(...linkRow(name, label, minted.overlayUrls[name]));
    } catch (error) {
      $('graphics-result').textContent = error.message;
    }
  });
}
