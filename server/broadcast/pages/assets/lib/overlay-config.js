/**
 * Overlay settings from the URL (?court=1&theme=light&accent=%23e91e63&position=top-left
 * &scale=1.5&showSets=0&delay=7&hideStale=1&unverified=mark) and from CasparCG's update(data). Pure:
 * every value is checked and falls back to a default, so a typo never breaks a page.
 */

export const THEMES = ['dark', 'light'];
/** What an overlay does with a score a verifying scorer disagrees with (freshness.verified false). */
export const UNVERIFIED_MODES = ['show', 'mark', 'hide'];
export const POSITIONS = ['top-left', 'top-right', 'bottom-left', 'bottom-right', 'top', 'bottom'];
/** Longest broadcast delay we line up with; longer is surely a typo (ms vs s). */
export const MAX_DELAY_SECONDS = 300;

export const DEFAULT_CONFIG = Object.freeze({
  court: null,
  courts: null,
  token: '',
  theme: 'dark',
  accent: '#f5a623',
  position: 'bottom-left',
  scale: 1,
  showSets: true,
  delaySeconds: 0,
  hideStale: false,
  /** show: as any score; mark: dimmed with an UNVERIFIED badge; hide: not shown until verified again. */
  unverified: 'show',
  autoplay: true,
  /** Courts strip: courts shown at once; next() pages on. 0: all. */
  perPage: 0,
});

function text(value) {
  return typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : null;
}

function flag(value, fallback) {
  const t = text(value);
  if (t === null && typeof value === 'boolean') return value;
  if (t === null || t === '') return fallback;
  return !['0', 'false', 'no', 'off'].includes(t.toLowerCase());
}

function number(value, min, max, fallback) {
  const t = text(value);
  if (t === null || t === '') return fallback;
  const n = Number(t);
  return Number.isFinite(n) ? Math.min(max, Math.max(min, n)) : fallback;
}

/** Only plain colour notations reach CSS: hex, or a CSS colour name. */
function color(value, fallback) {
  const t = text(value);
  if (!t) return fallback;
  if (/^#?[0-9a-f]{3,8}$/i.test(t)) return t.startsWith('#') ? t : `#${t}`;
  if (/^[a-z]{3,20}$/i.test(t)) return t.toLowerCase();
  return fallback;
}

function oneOf(value, allowed, fallback) {
  const t = text(value);
  return t !== null && allowed.includes(t) ? t : fallback;
}

function courtName(value) {
  const t = text(value);
  return t && t.length <= 64 ? t : null;
}

/** Merge settings (an object of strings, numbers or booleans) into a config. */
export function mergeConfig(base, input) {
  const has = (key) => Object.prototype.hasOwnProperty.call(input, key);
  const next = { ...base };
  if (has('court')) next.court = courtName(input.court);
  if (has('courts')) {
    const list = Array.isArray(input.courts) ? input.courts : String(input.courts ?? '').split(',');
    const names = list.map(courtName).filter(Boolean);
    next.courts = names.length > 0 ? names : null;
  }
  if (has('token')) next.token = text(input.token) ?? '';
  if (has('theme')) next.theme = oneOf(input.theme, THEMES, base.theme);
  if (has('accent')) next.accent = color(input.accent, base.accent);
  if (has('position')) next.position = oneOf(input.position, POSITIONS, base.position);
  if (has('scale')) next.scale = number(input.scale, 0.25, 4, base.scale);
  if (has('showSets')) next.showSets = flag(input.showSets, base.showSets);
  if (has('delay')) next.delaySeconds = number(input.delay, 0, MAX_DELAY_SECONDS, base.delaySeconds);
  if (has('hideStale')) next.hideStale = flag(input.hideStale, base.hideStale);
  if (has('unverified')) next.unverified = oneOf(input.unverified, UNVERIFIED_MODES, base.unverified);
  if (has('perPage')) next.perPage = Math.round(number(input.perPage, 0, 64, base.perPage));
  if (has('autoplay')) next.autoplay = flag(input.autoplay, base.autoplay);
  return next;
}

/** The config of a page URL's query string. */
export function configFromSearch(search) {
  const params = new URLSearchParams(search);
  const input = {};
  for (const [key, value] of params) input[key] = value;
  return mergeConfig(DEFAULT_CONFIG, input);
}

/**
 * CasparCG's classic template data: <templateData><componentData id="court"><data
 * id="text" value="2"/></componentData>...</templateData>. Read with a pattern, not a
 * DOM parser, so it works the same everywhere; entities in values are decoded.
 */
function parseTemplateData(xml) {
  const result = {};
  const component = /<componentData\s+id="([^"]*)"\s*>\s*<data\s+id="[^"]*"\s+value="([^"]*)"\s*\/>/g;
  for (const [, id, value] of xml.matchAll(component)) result[decodeEntities(id)] = decodeEntities(value);
  return result;
}

function decodeEntities(text) {
  const named = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, code) => {
    if (code[0] === '#') {
      const n = code[1] === 'x' || code[1] === 'X' ? parseInt(code.slice(2), 16) : parseInt(code.slice(1), 10);
      return Number.isFinite(n) && n > 0 && n <= 0x10ffff ? String.fromCodePoint(n) : whole;
    }
    return named[code.toLowerCase()] ?? whole;
  });
}

/** CasparCG's update(data): a JSON string, an object or classic XML template data; anything else changes nothing. */
export function parseUpdateData(data) {
  if (data && typeof data === 'object') return data;
  if (typeof data !== 'string' || data.trim() === '') return {};
  if (data.trim().startsWith('<')) return parseTemplateData(data);
  try {
    const parsed = JSON.parse(data);
    return parsed && typeof parsed === 'object' ? parsed : {};
  } catch {
    return {};
  }
}
