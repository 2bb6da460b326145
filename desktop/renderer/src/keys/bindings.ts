/**
 * Keyboard actions of the operator's screen and their (rebindable) keys. Pure: the React
 * side reads keyboard events through `comboOf` and persists through `loadBindings`/`saveBindings`.
 */

export const ACTIONS = {
  scoreHome: 'Point home',
  scoreAway: 'Point away',
  scoreHome2: '+2 home',
  scoreAway2: '+2 away',
  scoreHome3: '+3 home',
  scoreAway3: '+3 away',
  undo: 'Undo (correction)',
  undoAlt: 'Undo, second key',
  redo: 'Redo',
  start: 'Start match',
  pauseResume: 'Pause / resume',
  end: 'End match…',
  clockToggle: 'Clock start / stop',
  periodStart: 'Next period',
  periodEnd: 'End period',
  timeoutHome: 'Timeout home',
  timeoutAway: 'Timeout away',
  foulHome: 'Foul home',
  foulAway: 'Foul away',
  yellowHome: 'Yellow card home',
  yellowAway: 'Yellow card away',
  redHome: 'Red card home',
  redAway: 'Red card away',
  subHome: 'Substitution home…',
  subAway: 'Substitution away…',
  note: 'Note…',
} as const;

export type Action = keyof typeof ACTIONS;
export const ACTION_NAMES = Object.keys(ACTIONS) as Action[];
export type Bindings = Record<Action, string>;

/** Home on the left hand, away on the right, match control on function keys. */
export const DEFAULT_BINDINGS: Bindings = {
  scoreHome: 'a',
  scoreAway: 'l',
  scoreHome2: 's',
  scoreAway2: 'k',
  scoreHome3: 'd',
  scoreAway3: 'j',
  undo: 'ctrl+z',
  undoAlt: 'backspace',
  redo: 'ctrl+y',
  start: 'f2',
  pauseResume: 'f3',
  end: 'f4',
  clockToggle: 'space',
  periodStart: 'f7',
  periodEnd: 'f8',
  timeoutHome: 'q',
  timeoutAway: 'o',
  foulHome: 'z',
  foulAway: 'm',
  yellowHome: 'e',
  yellowAway: 'u',
  redHome: 'r',
  redAway: 'i',
  subHome: 'w',
  subAway: 'p',
  note: 'f6',
};

export const BINDINGS_STORAGE_KEY = 'scoredesk.keyBindings.v1';

export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
}

const MODIFIER_KEYS = new Set(['control', 'shift', 'alt', 'meta', 'altgraph', 'capslock', 'dead', 'unidentified']);

/** Normalised combo such as "ctrl+z", "shift+a", "space", "f2"; null for a lone modifier. */
export function comboOf(event: KeyLike): string | null {
  const raw = event.key.toLowerCase();
  if (MODIFIER_KEYS.has(raw)) return null;
  const key = raw === ' ' ? 'space' : raw;
  const parts: string[] = [];
  // Cmd on macOS does what Ctrl does elsewhere.
  if (event.ctrlKey || event.metaKey) parts.push('ctrl');
  if (event.altKey) parts.push('alt');
  // Shift changes printable characters by itself; only name it for named keys and letters.
  if (event.shiftKey && (key.length > 1 || /[a-z]/.test(key))) parts.push('shift');
  parts.push(key);
  return parts.join('+');
}

/** How a combo is shown on a button: "Ctrl+Z", "Space", "F2", "A". */
export function displayCombo(combo: string): string {
  return combo
    .split('+')
    .map((part) => (part.length === 1 ? part.toUpperCase() : part[0]!.toUpperCase() + part.slice(1)))
    .join('+');
}

export function actionFor(bindings: Bindings, combo: string): Action | null {
  for (const action of ACTION_NAMES) if (bindings[action] === combo) return action;
  return null;
}

/**
 * Bind `combo` to `action`. A combo drives one action only: whichever action held it before
 * gets the key `action` had, so nothing silently loses its binding to a duplicate.
 */
export function rebind(bindings: Bindings, action: Action, combo: string): Bindings {
  const next = { ...bindings };
  const holder = actionFor(bindings, combo);
  if (holder && holder !== action) next[holder] = bindings[action];
  next[action] = combo;
  return next;
}

/** Stored bindings over the defaults; anything malformed falls back to the default. */
export function parseBindings(stored: string | null): Bindings {
  const result: Bindings = { ...DEFAULT_BINDINGS };
  if (!stored) return result;
  let parsed: unknown;
  try {
    parsed = JSON.parse(stored);
  } catch {
    return result;
  }
  if (!parsed || typeof parsed !== 'object') return result;
  for (const action of ACTION_NAMES) {
    const value = (parsed as Record<string, unknown>)[action];
    if (typeof value === 'string' && value.length > 0 && value.length <= 32) result[action] = value;
  }
  // A duplicate after merging with defaults would make one action unreachable: drop to defaults.
  const combos = ACTION_NAMES.map((a) => result[a]);
  if (new Set(combos).size !== combos.length) return { ...DEFAULT_BINDINGS };
  return result;
}

export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export function loadBindings(store: KeyValueStore): Bindings {
  return parseBindings(store.getItem(BINDINGS_STORAGE_KEY));
}

export function saveBindings(store: KeyValueStore, bindings: Bindings): void {
  store.setItem(BINDINGS_STORAGE_KEY, JSON.stringify(bindings));
}
