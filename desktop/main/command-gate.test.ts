import { describe, expect, it } from 'vitest';
import type { CommandResult, ConsoleApi, ConsoleView } from '../core/console-api.js';
import { checkCommand, runGated } from './command-gate.js';

/** Records what reaches the core; the gate is pure logic, so a recording double is enough. */
function recordingApi(result: CommandResult = { ok: true, seq: 1 }) {
  const calls: Array<[string, unknown]> = [];
  const api: ConsoleApi = {
    run: async (command, args) => {
      calls.push([command, args]);
      return result;
    },
    view: async () => ({}) as ConsoleView,
    subscribe: () => () => undefined,
  };
  return { api, calls };
}

describe('command gate', () => {
  it('passes a valid command with parsed arguments', () => {
    expect(checkCommand('score', { side: 'home' })).toEqual({ ok: true, command: 'score', args: { side: 'home' } });
    expect(checkCommand('undo', undefined)).toEqual({ ok: true, command: 'undo', args: {} });
  });

  it('refuses unknown commands, including prototype names', () => {
    for (const name of ['launchMissiles', 'constructor', '__proto__', 'toString', 42, null]) {
      const verdict = checkCommand(name, {});
      expect(verdict.ok).toBe(false);
      if (!verdict.ok) expect(verdict.code).toBe('VALIDATION');
    }
  });

  it('names the field on bad arguments and refuses unknown fields', () => {
    const wrongSide = checkCommand('score', { side: 'middle' });
    expect(wrongSide).toMatchObject({ ok: false, code: 'VALIDATION' });
    if (!wrongSide.ok) expect(wrongSide.message).toContain('side');
    const extra = checkCommand('score', { side: 'home', admin: true });
    expect(extra.ok).toBe(false);
    if (!extra.ok) expect(extra.message).toContain("'admin'");
    expect(checkCommand('score', { side: 'home', points: 99 }).ok).toBe(false);
    expect(checkCommand('setCourt', { court: '   ' }).ok).toBe(false);
  });

  it('never lets an invalid command reach the core', async () => {
    const { api, calls } = recordingApi();
    const bad = await runGated(api, 'score', { side: 'home', points: '1; DROP TABLE' });
    expect(bad.ok).toBe(false);
    expect(calls).toEqual([]);
    const good = await runGated(api, 'score', { side: 'away', points: 2 });
    expect(good).toEqual({ ok: true, seq: 1 });
    expect(calls).toEqual([['score', { side: 'away', points: 2 }]]);
  });

  it('turns a throwing core into an INTERNAL result', async () => {
    const api: ConsoleApi = {
      run: async () => {
        throw new Error('disk full');
      },
      view: async () => ({}) as ConsoleView,
      subscribe: () => () => undefined,
    };
    expect(await runGated(api, 'undo', {})).toEqual({ ok: false, code: 'INTERNAL', message: 'disk full' });
  });
});
