/** The console core on real SQLite files, no server: scoring, rules, undo/redo, restart. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { foldMatch } from '../../shared/domain/index.js';
import type { ConsoleView } from '../contract/api.js';
import { createConsoleCore, type ConsoleCore } from './console-core.js';
import { DATABASE_FILE } from './db/database.js';
import { MIGRATIONS } from './db/migrations.js';
import { LocalStore } from './local-store.js';
import { toFoldable } from './match-session.js';

const silent = pino({ level: 'silent' });
let dir: string;
let core: ConsoleCore | null = null;

async function open(): Promise<ConsoleCore> {
  core = await createConsoleCore({ dataDir: dir, logger: silent, court: 'Court 1' });
  return core;
}

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'scoredesk-core-'));
});
afterEach(async () => {
  await core?.close();
  core = null;
  rmSync(dir, { recursive: true, force: true });
});

async function newMatch(c: ConsoleCore, sport: 'volleyball' | 'basketball' | 'generic' = 'volleyball') {
  const r = await c.run('createMatch', { sport, court: 'Court 1', home: { name: 'Home' }, away: { name: 'Away' } });
  expect(r.ok).toBe(true);
  return (r as { matchId: string }).matchId;
}

describe('console core, offline', () => {
  it('uses WAL with synchronous=FULL and keeps one console id for life', async () => {
    const first = (await open()).consoleId;
    expect(first).toMatch(/^[0-9a-f-]{36}$/);
    await core!.close();
    const second = (await open()).consoleId;
    expect(second).toBe(first);
    const db = new Database(path.join(dir, DATABASE_FILE), { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    db.close();
    // synchronous is per connection: check the core's own.
    const store = (core as unknown as { store: LocalStore }).store;
    expect(store.db.pragma('synchronous', { simple: true })).toBe(2); // FULL
  });

  it('creates a match offline, scores it and shows the commit in the view at once', async () => {
    const c = await open();
    const id = await newMatch(c);
    expect(id).toMatch(/^m-[0-9a-f]{16}$/);
    const views: ConsoleView[] = [];
    c.subscribe((v) => views.push(v));
    expect((await c.run('start', {})).ok).toBe(true);
    const r = await c.run('score', { side: 'home' });
    expect(r).toEqual({ ok: true, seq: 2 });
    const view = await c.view();
    expect(view.snapshot?.home.score).toBe(1);
    expect(view.info).toMatchObject({ matchId: id, writable: true, court: 'Court 1' });
    expect(view.sync).toMatchObject({ state: 'offline', pending: 2, pendingTotal: 2 });
    expect(view.log.map((l) => [l.event.seq, l.event.type, l.confirmed])).toEqual([
      [1, 'MATCH_START', false],
      [2, 'SCORE_UPDATE', false],
    ]);
    expect(view.schedule.find((s) => s.meta.id === id)?.localOnly).toBe(true);
    await Promise.resolve();
    expect(views.length).toBeGreaterThan(0);
    expect(views.at(-1)!.snapshot?.home.score).toBe(1);
  });

  it('refuses what the rules refuse and what is malformed, storing nothing', async () => {
    const c = await open();
    expect((await c.run('score', { side: 'home' })).ok).toBe(false); // no match open
    await newMatch(c);
    const early = await c.run('score', { side: 'home' });
    expect(early).toMatchObject({ ok: false, code: 'RULES' });
    const bad = await c.run('score', { side: 'middle' } as never);
    expect(bad).toMatchObject({ ok: false, code: 'VALIDATION' });
    expect((bad as { message: string }).message).toContain('side');
    expect((await c.run('undo', {})).ok).toBe(false);
    expect((await c.view()).log).toHaveLength(0);
  });

  it('undo is a correction of the newest point, redo a correction of that correction', async () => {
    const c = await open();
    await newMatch(c);
    await c.run('start', {});
    await c.run('score', { side: 'home' });
    await c.run('score', { side: 'away' });
    expect(await c.run('undo', {})).toEqual({ ok: true, seq: 4 });
    let v = await c.view();
    expect(v.snapshot?.away.score).toBe(0);
    expect(v.log[2]!.cancelled).toBe(true);
    expect(v.log[3]!.event).toMatchObject({ type: 'CORRECTION', payload: { undoes: 3 } });
    expect(v.redoable).toEqual([4]);
    expect(await c.run('undo', {})).toEqual({ ok: true, seq: 5 });
    expect((await c.view()).snapshot?.home.score).toBe(0);
    expect(await c.run('redo', {})).toEqual({ ok: true, seq: 6 });
    v = await c.view();
    expect(v.log[5]!.event).toMatchObject({ type: 'CORRECTION', payload: { undoes: 5 } });
    expect(v.snapshot?.home.score).toBe(1);
    expect(v.redoable).toEqual([4]);
    await c.run('score', { side: 'home' });
    expect((await c.view()).redoable).toEqual([]);
    expect((await c.run('redo', {})).ok).toBe(false);
    // Nothing was deleted: every event is still in the log.
    expect((await c.view()).log.map((l) => l.event.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('runs every command kind and survives a restart with the same state and seqs', async () => {
    let c = await open();
    const id = await newMatch(c, 'basketball');
    const steps: Array<[string, object]> = [
      ['start', {}],
      ['clockSet', { remainingMs: 600_000 }],
      ['clockStart', {}],
      ['score', { side: 'home', points: 3 }],
      ['addEvent', { kind: 'foul', side: 'away', player: '7' }],
      ['addEvent', { kind: 'timeout', side: 'home' }],
      ['clockStop', {}],
      ['addEvent', { kind: 'card', side: 'home', card: 'yellow' }],
      ['addEvent', { kind: 'substitution', side: 'home', player: '4', playerIn: '9' }],
      ['addEvent', { kind: 'note', text: 'floor wiped' }],
      ['pause', { reason: 'injury' }],
      ['resume', {}],
      ['correct', { seq: 5 }],
      ['periodEnd', {}],
      ['periodStart', { period: 2 }],
      ['end', {}],
    ];
    for (const [cmd, args] of steps) {
      const r = await c.run(cmd as never, args as never);
      expect(r, `${cmd} ${JSON.stringify(r)}`).toMatchObject({ ok: true });
    }
    const before = await c.view();
    expect(before.snapshot?.home.score).toBe(3);
    expect(before.snapshot?.status).toBe('finished');
    await c.close();
    c = await open();
    const after = await c.view();
    expect(after.info.matchId).toBe(id);
    expect(after.snapshot).toEqual(before.snapshot);
    expect(after.log).toEqual(before.log);
    // The stored snapshot row equals a fresh fold of the stored events.
    const store = (c as unknown as { store: LocalStore }).store;
    const row = store.match(id)!;
    expect(row.snapshot).toEqual(foldMatch(row.meta, store.events(id).map(toFoldable)));
    expect(store.events(id).map((e) => e.seq)).toEqual(steps.map((_, i) => i + 1));
  });

  it('the database refuses a reused or skipped seq even if memory were wrong', async () => {
    const c = await open();
    const id = await newMatch(c);
    await c.run('start', {});
    const store = (c as unknown as { store: LocalStore }).store;
    const snap = foldMatch(store.match(id)!.meta, []);
    const ev = (seq: number) =>
      ({
        seq,
        type: 'MATCH_PAUSE',
        payload: {},
        at: new Date().toISOString(),
        epoch: 0,
        consoleId: c.consoleId,
        cursor: null,
      }) as const;
    expect(() => store.appendEvent(id, ev(1), snap)).toThrow();
    expect(() => store.appendEvent(id, ev(3), snap)).toThrow();
    expect(store.events(id).map((e) => e.seq)).toEqual([1]);
  });
});
