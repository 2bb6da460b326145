import { describe, expect, it } from 'vitest';
import {
  ACTION_NAMES,
  BINDINGS_STORAGE_KEY,
  DEFAULT_BINDINGS,
  actionFor,
  comboOf,
  displayCombo,
  loadBindings,
  parseBindings,
  rebind,
  saveBindings,
  type KeyValueStore,
} from './bindings.js';

const key = (
  k: string,
  mods: Partial<{ ctrlKey: boolean; metaKey: boolean; altKey: boolean; shiftKey: boolean }> = {},
) => ({
  key: k,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  shiftKey: false,
  ...mods,
});

function memoryStore(): KeyValueStore & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (k) => data.get(k) ?? null,
    setItem: (k, v) => void data.set(k, v),
    removeItem: (k) => void data.delete(k),
  };
}

describe('key combos', () => {
  it('normalises keys and modifiers', () => {
    expect(comboOf(key('A'))).toBe('a');
    expect(comboOf(key(' '))).toBe('space');
    expect(comboOf(key('z', { ctrlKey: true }))).toBe('ctrl+z');
    expect(comboOf(key('z', { metaKey: true }))).toBe('ctrl+z');
    expect(comboOf(key('F2'))).toBe('f2');
    expect(comboOf(key('A', { shiftKey: true }))).toBe('shift+a');
    expect(comboOf(key('!', { shiftKey: true }))).toBe('!');
    expect(comboOf(key('Shift', { shiftKey: true }))).toBeNull();
    expect(comboOf(key('Control', { ctrlKey: true }))).toBeNull();
  });

  it('shows combos readably', () => {
    expect(displayCombo('ctrl+z')).toBe('Ctrl+Z');
    expect(displayCombo('space')).toBe('Space');
    expect(displayCombo('f2')).toBe('F2');
  });

  it('has one distinct default key per action', () => {
    const combos = ACTION_NAMES.map((a) => DEFAULT_BINDINGS[a]);
    expect(new Set(combos).size).toBe(ACTION_NAMES.length);
    expect(actionFor(DEFAULT_BINDINGS, 'a')).toBe('scoreHome');
    expect(actionFor(DEFAULT_BINDINGS, 'ctrl+z')).toBe('undo');
    expect(actionFor(DEFAULT_BINDINGS, 'ctrl+q')).toBeNull();
  });
});

describe('rebinding', () => {
  it('swaps keys when the new combo was taken, so no action loses its key', () => {
    const next = rebind(DEFAULT_BINDINGS, 'scoreHome', 'l');
    expect(next.scoreHome).toBe('l');
    expect(next.scoreAway).toBe('a');
    const combos = ACTION_NAMES.map((a) => next[a]);
    expect(new Set(combos).size).toBe(ACTION_NAMES.length);
  });

  it('persists and reloads through storage', () => {
    const store = memoryStore();
    saveBindings(store, rebind(DEFAULT_BINDINGS, 'undo', 'backspace'));
    expect(loadBindings(store).undo).toBe('backspace');
    expect(loadBindings(memoryStore())).toEqual(DEFAULT_BINDINGS);
  });

  it('survives corrupt or hostile stored data', () => {
    expect(parseBindings('{not json')).toEqual(DEFAULT_BINDINGS);
    expect(parseBindings('null')).toEqual(DEFAULT_BINDINGS);
    expect(parseBindings('[1,2]')).toEqual(DEFAULT_BINDINGS);
    expect(parseBindings(JSON.stringify({ scoreHome: 42, __proto__: { undo: 'x' } }))).toEqual(DEFAULT_BINDINGS);
    // Two actions on one key would make one unreachable: defaults win.
    expect(parseBindings(JSON.stringify({ scoreHome: 'l' }))).toEqual(DEFAULT_BINDINGS);
    expect(parseBindings(JSON.stringify({ scoreHome: 'x'.repeat(500) })).scoreHome).toBe('a');
    const store = memoryStore();
    store.setItem(BINDINGS_STORAGE_KEY, JSON.stringify({ note: 'n', unknownAction: 'v' }));
    expect(loadBindings(store)).toEqual({ ...DEFAULT_BINDINGS, note: 'n' });
  });
});
