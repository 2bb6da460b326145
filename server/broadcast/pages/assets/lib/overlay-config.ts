/**
 * Overlay settings from the URL (?court=1&theme=light&accent=%23e91e63&position=top-left
 * &scale=1.5&showSets=0&delay=7&hideStale=1&unverified=mark) and from CasparCG's update(data). Pure:
 * every value is checked and falls back to a default, so a typo never breaks a page.
 */

export const THEMES = ['dark', 'light'] as const;
export type Theme = (typeof THEMES)[number];
/** What an overlay does with a score a verifying scorer disagrees with (freshness.verified false). */
export const UNVERIFIED_MODES = ['show', 'mark', 'hide'] as const;
export type UnverifiedMode = (typeof UNVERIFIED_MODES)[number];
export const POSITIONS = ['top-left', 'top-right', 'bottom-left', 'bottom-right', 'top', 'bottom'] as const;
export type Position = (typeof POSITIONS)[number];
/** Longest broadcast delay we line up with; longer is surely a typo (ms vs s). */
export const MAX_DELAY_SECONDS = 300;
/** Scale bounds: a quarter of the designed size is unreadable, four times fills a 4K frame. */
const MIN_SCALE = 0.25;
const MAX_SCALE = 4;
/** Courts a strip shows at once, at most (a venue has far fewer). */
const MAX_PER_PAGE = 64;
/** Court names are at most this long (courtSchema in shared/match.ts). */
const MAX_COURT_LENGTH = 64;

export interface OverlayConfig {
  court: string | null;
  courts: string[] | null;
  token: string;
  theme: Theme;
  accent: string;
  position: Position;
  scale: number;
  showSets: boolean;
  delaySeconds: number;
  hideStale: boolean;
  /** show: as any score; mark: dimmed with an UNVERIFIED badge; hide: not shown until verified again. */
  unverified: UnverifiedMode;
  autoplay: boolean;
  /** Courts strip: courts shown at once; next() pages on. 0: all. */
  perPage: number;
}

export const DEFAULT_CONFIG: Readonly<OverlayConfig> = Object.freeze({
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
  unverified: 'show',
  autoplay: true,
  perPage: 0,
});

function text(value: unknown): string | null {
  return typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : null;
}

function flag(value: unknown, fallback: boolean): boolean {
  const t = text(value);
  if (t === null && typeof value === 'boolean') return value;
  if (t === null || t === '') return fallback;
  return !['0', 'false', 'no', 'off'].includes(t.toLowerCase());
}

function number(value: unknown, min: number, max: number, fallback: number): number {
  const t = text(value);
  if (t === null || t === '') return fallback;
  const n = Number(t);
  return Number.isFinite(n) ? Math.min(max, Math.max(min, n)) : fallback;
}

/** Only plain colour notations reach CSS: hex, or a CSS colour name. */
function color(value: unknown, fallback: string): string {
  const t = text(value);
  if (!t) return fallback;
  if (/^#?[0-9a-f]{3,8}$/i.test(t)) return t.startsWith('#') ? t : `#${t}`;
  if (/^[a-z]{3,20}$/i.test(t)) return t.toLowerCase();
  return fallback;
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], fallback: T): T {
  const t = text(value);
  return allowed.find((option) => option === t) ?? fallback;
}

function courtName(value: unknown): string | null {
  const t = text(value);
  return t && t.length <= MAX_COURT_LENGTH ? t : null;
}

function courtList(value: unknown): string[] | null {
  const list: unknown[] = Array.isArray(value) ? value : String(value ?? '').split(',');
  const names = list.map(courtName).filter((name): name is string => Boolean(name));
  return names.length > 0 ? names : null;
}

/** Merge settings (an object of strings, numbers or booleans) into a config. */
export function mergeConfig(base: OverlayConfig, input: Record<string, unknown>): OverlayConfig {
  const has = (key: string) => Object.prototype.hasOwnProperty.call(input, key);
  const next = { ...base };
  if (has('court')) next.court = courtName(input.court);
  if (has('courts')) next.courts = courtList(input.courts);
  if (has('token')) next.token = text(input.token) ?? '';
  if (has('theme')) next.theme = oneOf(input.theme, THEMES, base.theme);
  if (has('accent')) next.accent = color(input.accent, base.accent);
  if (has('position')) next.position = oneOf(input.position, POSITIONS, base.position);
  if (has('scale')) next.scale = number(input.scale, MIN_SCALE, MAX_SCALE, base.scale);
  if (has('showSets')) next.showSets = flag(input.showSets, base.showSets);
  if (has('delay')) next.delaySeconds = number(input.delay, 0, MAX_DELAY_SECONDS, base.delaySeconds);
  if (has('hideStale')) next.hideStale = flag(input.hideStale, base.hideStale);
  if (has('unverified')) next.unverified = oneOf(input.unverified, UNVERIFIED_MODES, base.unverified);
  if (has('perPage')) next.perPage = Math.round(number(input.perPage, 0, MAX_PER_PAGE, base.perPage));
  if (has('autoplay')) next.autoplay = flag(input.autoplay, base.autoplay);
  return next;
}

/** The config of a page URL's query string. */
export function configFromSearch(search: string): OverlayConfig {
  const input: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(search)) input[key] = value;
  return mergeConfig(DEFAULT_CONFIG, input);
}

const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeEntities(encoded: string): string {
  return encoded.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, code: string) => {
    if (code.startsWith('#')) {
      const hex = code[1] === 'x' || code[1] === 'X';
      const n = hex ? parseInt(code.slice(2), 16) : parseInt(code.slice(1), 10);
      return Number.isFinite(n) && n > 0 && n <= 0x10ffff ? String.fromCodePoint(n) : whole;
    }
    return NAMED_ENTITIES[code.toLowerCase()] ?? whole;
  });
}

/**
 * CasparCG's classic template data: <templateData><componentData id="court"><data
 * id="text" value="2"/></componentData>...</templateData>. Read with a pattern, not a
 * DOM parser, so it works the same everywhere; entities in values are decoded.
 */
function parseTemplateData(xml: string): Record<string, string> {
  const result: Record<string, string> = {};
  const component = /<componentData\s+id="([^"]*)"\s*>\s*<data\s+id="[^"]*"\s+value="([^"]*)"\s*\/>/g;
  for (const [, id = '', value = ''] of xml.matchAll(component)) result[decodeEntities(id)] = decodeEntities(value);
  return result;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return Boolean(value) && typeof value === 'object';
}

/** CasparCG's update(data): a JSON string, an object or classic XML template data; anything else changes nothing. */
export function parseUpdateData(data: unknown): Record<string, unknown> {
  if (isRecord(data)) return data;
  if (typeof data !== 'string' || data.trim() === '') return {};
  if (data.trim().startsWith('<')) return parseTemplateData(data);
  try {
    const parsed: unknown = JSON.parse(data);
    return isRecord(parsed) ? parsed : {};
  } catch {
    return {};
  }
}
