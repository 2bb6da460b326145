/**
 * The court wall's "Graphics links" panel: mints a read-only viewer token
 * (POST /api/viewer-tokens) and lists the overlay and feed URLs that carry it, each with
 * a copy button. Everything goes in through textContent and input values.
 */
import { viewerTokenReplySchema, type OverlayUrls } from '../../../../shared/api.js';
import { byId, el } from './lib/dom.js';
import { errorText, type WallApi } from './wall-session.js';

const LINK_NAMES: readonly [keyof OverlayUrls, string][] = [
  ['scorebug', 'Scorebug overlay'],
  ['courts', 'Courts strip overlay'],
  ['vmix', 'vMix data source (JSON)'],
  ['vmixXml', 'vMix data source (XML)'],
  ['vmixCsv', 'vMix data source (CSV)'],
  ['stream', 'Server-Sent Events stream'],
];

async function copy(text: string, button: HTMLButtonElement): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    button.textContent = 'Copied';
  } catch {
    // No clipboard (plain http on another host): the field is selected for Ctrl+C.
    button.textContent = 'Press Ctrl+C';
  }
}

function linkRow(name: string, label: string, url: string): HTMLElement[] {
  const field = el('input');
  field.type = 'text';
  field.readOnly = true;
  field.value = url;
  field.dataset.link = name;
  field.addEventListener('focus', () => field.select());
  const button = el('button', '', 'Copy');
  button.type = 'button';
  button.addEventListener('click', () => {
    field.select();
    void copy(url, button);
  });
  const detail = el('dd');
  detail.append(field, button);
  return [el('dt', '', label), detail];
}

function requestBody(form: FormData): { label: string; court?: string; ttlHours?: number } {
  const body: { label: string; court?: string; ttlHours?: number } = {
    label: String(form.get('label') ?? '').trim(),
  };
  const court = String(form.get('court') ?? '').trim();
  if (court) body.court = court;
  const hours = form.get('ttlHours');
  if (hours) body.ttlHours = Number(hours);
  return body;
}

/** Wires the panel to the wall's authenticated fetch. */
export function setupGraphicsLinks(api: WallApi): void {
  const formNode = byId('graphics-form', HTMLFormElement);
  const result = byId('graphics-result');
  const list = byId('graphics-links');
  formNode.addEventListener('submit', (event) => {
    event.preventDefault();
    const body = requestBody(new FormData(formNode));
    list.replaceChildren();
    result.textContent = 'Creating…';
    void api('POST', '/api/viewer-tokens', viewerTokenReplySchema, body).then(
      (minted) => {
        result.textContent = `Token for ${minted.label}, valid until ${new Date(minted.expiresAt).toLocaleString()}`;
        for (const [name, label] of LINK_NAMES) list.append(...linkRow(name, label, minted.overlayUrls[name]));
      },
      (error: unknown) => (result.textContent = errorText(error)),
    );
  });
}
