/**
 * Random operator sessions on a real SQLite file (fast-check): whatever the commands, a
 * refused command stores nothing, an accepted one stores exactly the next seq, the stored
 * snapshot row equals a fresh fold of the stored events, and a restart shows the same view.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import pino from 'pino';
import { expect, it } from 'vitest';
import { foldMatch } from '../../shared/domain/index.js';
import type { ConsoleCommand } from '../contract/commands.js';
import { createConsoleCore, type ConsoleCore } from './console-core.js';
import type { LocalStore } from './local-store.js';
import { toFoldable } from './match-session.js';

const silent = pino({ level: 'silent' });

const command = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('home', 'away').map((side) => ['score', { side }] as const) },
  { weight: 2, arbitrary: fc.constant(['undo', {}] as const) },
  { weight: 2, arbitrary: fc.constant(['redo', {}] as const) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 40 }).map((seq) => ['correct', { seq }] as const) },
  { weight: 1, arbitrary: fc.constant(['pause', {}] as const) },
  { weight: 1, arbitrary: fc.constant(['resume', {}] as const) },
  {
    weight: 1,
    arbitrary: fc.constantFrom('timeout', 'note').map((kind) => ['addEvent', { kind, side: 'home' }] as const),
  },
  { weight: 1, arbitrary: fc.constant(['end', {}] as const) },
);

function storeOf(core: ConsoleCore): LocalStore {
  return (core as unknown as { store: LocalStore }).store;
}

it('random sessions: gapless seqs, refusals store nothing, snapshot row = fold, restart = same view', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom('volleyball', 'badminton', 'table-tennis', 'tennis', 'generic'),
      fc.array(command, { minLength: 1, maxLength: 40 }),
      async (sport, commands) => {
        const dir = mkdtempSync(path.join(tmpdir(), 'scoredesk-prop-'));
        let core = await createConsoleCore({ dataDir: dir, logger: silent, synchronous: 'NORMAL' });
        try {
          const created = await core.run('createMatch', {
            sport,
            court: 'P',
            home: { name: 'H' },
            away: { name: 'A' },
          });
          const id = (created as { matchId: string }).matchId;
          await core.run('start', {});
          for (const [name, args] of commands) {
            const before = storeOf(core).events(id).length;
            const r = await core.run(name as ConsoleCommand, args as never);
            const after = storeOf(core).events(id).length;
            if (r.ok) {
              expect(r.seq).toBe(before + 1);
              expect(after).toBe(before + 1);
            } else {
              expect(['RULES', 'VALIDATION']).toContain(r.code);
              expect(after).toBe(before);
            }
          }
          const store = storeOf(core);
          const events = store.events(id);
          expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
          const row = store.match(id)!;
          expect(row.lastSeq).toBe(events.length);
          expect(JSON.stringify(row.snapshot)).toBe(JSON.stringify(foldMatch(row.meta, events.map(toFoldable))));
          const view = await core.view();
          expect(view.snapshot).toEqual(row.snapshot);
          await core.close();
          core = await createConsoleCore({ dataDir: dir, logger: silent, synchronous: 'NORMAL' });
          const again = await core.view();
          expect(again.snapshot).toEqual(view.snapshot);
          expect(again.log).toEqual(view.log);
          expect(again.redoable).toEqual(view.redoable);
        } finally {
          await core.close();
          rmSync(dir, { recursive: true, force: true });
        }
      },
    ),
    { numRuns: 40 },
  );
});
