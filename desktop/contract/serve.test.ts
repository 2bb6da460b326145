import { describe, expect, it } from 'vitest';
import type { ConsoleBackend, ConsoleView } from './api.js';
import { parseCommand, type CommandResult, type ValidCommand } from './commands.js';
import { bridgeAnswers, runGated } from './serve.js';

/** Records what reaches the core; the gate is pure logic, so a recording double is enough. */
function recordingBackend(result: CommandResult = { ok: true, seq: 1 }) {
  const calls: ValidCommand[] = [];
  const backend: ConsoleBackend = {
    dispatch: async (valid) => {
      calls.push(valid);
      return result;
    },
    view: async () => ({}) as ConsoleView,
    subscribe: () => () => undefined,
  };
  return { backend, calls };
}

describe('command parsing at the bridge', () => {
  it('passes a valid command with parsed arguments', () => {
    expect(parseCommand('score', { side: 'home' })).toEqual({
      ok: true,
      valid: { command: 'score', args: { side: 'home' } },
    });
    expect(parseCommand('undo', undefined)).toEqual({ ok: true, valid: { command: 'undo', args: {} } });
    // The handler gets the schema's output (trimmed), not what was sent.
    expect(parseCommand('setCourt', { court: '  1 ' })).toEqual({
      ok: true,
      valid: { command: 'setCourt', args: { court: '1' } },
    });
  });

  it('refuses unknown commands, including prototype names', () => {
    for (const name of ['launchMissiles', 'constructor', '__proto__', 'toString', 42, null]) {
      const verdict = parseCommand(name, {});
      expect(verdict.ok).toBe(false);
      if (!verdict.ok) expect(verdict.code).toBe('VALIDATION');
    }
  });

  it('names the field on bad arguments and refuses unknown fields', () => {
    const wrongSide = parseCommand('score', { side: 'middle' });
    expect(wrongSide).toMatchObject({ ok: false, code: 'VALIDATION' });
    if (!wrongSide.ok) expect(wrongSide.message).toContain('side');
    const extra = parseCommand('score', { side: 'home', admin: true });
    expect(extra.ok).toBe(false);
    if (!extra.ok) expect(extra.message).toContain("'admin'");
    expect(parseCommand('score', { side: 'home', points: 99 }).ok).toBe(false);
    expect(parseCommand('setCourt', { court: '   ' }).ok).toBe(false);
  });

  it('never lets an invalid command reach the core', async () => {
    const { backend, calls } = recordingBackend();
    const bad = await runGated(backend, 'score', { side: 'home', points: '1; DROP TABLE' });
    expect(bad.ok).toBe(false);
    expect(calls).toEqual([]);
    const good = await runGated(backend, 'score', { side: 'away', points: 2 });
    expect(good).toEqual({ ok: true, seq: 1 });
    expect(calls).toEqual([{ command: 'score', args: { side: 'away', points: 2 } }]);
  });

  it('turns a throwing core into an INTERNAL result', async () => {
    const backend: ConsoleBackend = {
      dispatch: async () => {
        throw new Error('disk full');
      },
      view: async () => ({}) as ConsoleView,
      subscribe: () => () => undefined,
    };
    expect(await runGated(backend, 'undo', {})).toEqual({ ok: false, code: 'INTERNAL', message: 'disk full' });
  });

  it("answers the time base with the backend's clock when it has none, saying so", async () => {
    const { backend } = recordingBackend();
    const answer = await bridgeAnswers(backend).serverTime();
    expect(answer.offsetKnown).toBe(false);
    expect(answer.sentAt).toBe(answer.receivedAt);
  });
});
