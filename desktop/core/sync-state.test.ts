import { describe, expect, it } from 'vitest';
import { CONSOLE_SYNC_STATES, type ProtocolRefusal } from '../../shared/protocol.js';
import type { SyncState } from '../contract/api.js';
import { INITIAL_SYNC, isConnected, transition, type SyncInput, type SyncMachine } from './sync-state.js';

function run(inputs: SyncInput[], start: SyncMachine = INITIAL_SYNC) {
  let m = start;
  const effects: string[] = [];
  for (const input of inputs) {
    const t = transition(m, input);
    m = t.machine;
    effects.push(...t.effects.map((e) => e.type));
  }
  return { m, effects };
}

const ALL_STATES: readonly SyncState[] = CONSOLE_SYNC_STATES;
const TOO_OLD: ProtocolRefusal = {
  code: 'PROTOCOL',
  message: 'protocol 1 is not supported',
  reason: 'CLIENT_TOO_OLD',
  supported: { min: 2, max: 3 },
};
const ALL_INPUTS: SyncInput[] = [
  { type: 'configure', configured: true },
  { type: 'configure', configured: false },
  { type: 'retry-timer' },
  { type: 'connected' },
  { type: 'connect-failed', message: 'ECONNREFUSED' },
  { type: 'refused', code: 'UNAUTHORIZED', message: 'bad password' },
  { type: 'link-lost', message: 'ping timeout' },
  { type: 'drained' },
  { type: 'backlog' },
  { type: 'fence-changed', fenced: true },
  { type: 'fence-changed', fenced: false },
  { type: 'incompatible', refusal: TOO_OLD, clientVersion: 1 },
  { type: 'bad-reply', message: 'malformed match:pull ack from the server: events.0.seq: too small' },
  { type: 'stop' },
];

describe('sync state machine', () => {
  it('stays offline without a server, connects once configured', () => {
    expect(run([{ type: 'retry-timer' }, { type: 'connected' }]).m.state).toBe('offline');
    const { m, effects } = run([{ type: 'configure', configured: true }]);
    expect(m.state).toBe('connecting');
    expect(effects).toContain('connect');
  });

  it('goes connecting -> catching-up -> live and syncs on connect', () => {
    const { m, effects } = run([{ type: 'configure', configured: true }, { type: 'connected' }, { type: 'drained' }]);
    expect(m.state).toBe('live');
    expect(effects.filter((e) => e === 'sync')).toHaveLength(1);
  });

  it('backs off with a growing attempt count while the server is unreachable and resets on success', () => {
    const fail: SyncInput = { type: 'connect-failed', message: 'ECONNREFUSED' };
    let m = run([{ type: 'configure', configured: true }]).m;
    const attempts: number[] = [];
    for (let i = 0; i < 4; i++) {
      const t = transition(m, fail);
      const retry = t.effects.find((e) => e.type === 'schedule-retry');
      if (retry?.type === 'schedule-retry') attempts.push(retry.attempt);
      expect(t.machine.state).toBe('offline');
      expect(t.machine.problem?.code).toBe('NETWORK');
      m = transition(t.machine, { type: 'retry-timer' }).machine;
      expect(m.state).toBe('connecting');
    }
    expect(attempts).toEqual([1, 2, 3, 4]);
    m = transition(m, { type: 'connected' }).machine;
    expect(m.attempt).toBe(0);
    expect(m.problem).toBeNull();
  });

  it('a lost link while live schedules a reconnect', () => {
    const { m, effects } = run([
      { type: 'configure', configured: true },
      { type: 'connected' },
      { type: 'drained' },
      { type: 'link-lost', message: 'heartbeat timeout' },
    ]);
    expect(m.state).toBe('offline');
    expect(effects.slice(-2)).toEqual(['disconnect', 'schedule-retry']);
  });

  it('refusal is sticky until the retry timer or new settings', () => {
    const base = run([
      { type: 'configure', configured: true },
      { type: 'refused', code: 'PROTOCOL', message: 'protocol 1 unsupported' },
    ]);
    expect(base.m.state).toBe('refused');
    expect(base.m.problem).toEqual({ code: 'PROTOCOL', message: 'protocol 1 unsupported' });
    expect(run([{ type: 'connected' }, { type: 'drained' }], base.m).m.state).toBe('refused');
    expect(run([{ type: 'configure', configured: true }], base.m).m.state).toBe('connecting');
    expect(run([{ type: 'retry-timer' }], base.m).m.state).toBe('connecting');
  });

  it('no protocol in common is its own state: shown, never retried, left only by new settings', () => {
    const { m, effects } = run([
      { type: 'configure', configured: true },
      { type: 'incompatible', refusal: TOO_OLD, clientVersion: 1 },
    ]);
    expect(m.state).toBe('incompatible');
    expect(m.problem).toEqual({
      code: 'PROTOCOL',
      message: 'this console speaks protocol 1; the server only 2 to 3: update this console',
    });
    expect(effects.slice(-2)).toEqual(['disconnect', 'cancel-retry']);
    const tooNew = run(
      [
        { type: 'configure', configured: true },
        {
          type: 'incompatible',
          refusal: { ...TOO_OLD, reason: 'CLIENT_TOO_NEW', supported: { min: 0, max: 0 } },
          clientVersion: 1,
        },
      ],
      INITIAL_SYNC,
    ).m;
    expect(tooNew.problem?.message).toMatch(/update the server$/);
    // No timer, no late socket news moves it; new settings do.
    for (const input of ALL_INPUTS.filter(
      (i) => i.type !== 'configure' && i.type !== 'stop' && i.type !== 'fence-changed',
    ))
      expect(transition(m, input).machine.state).toBe('incompatible');
    expect(run([{ type: 'configure', configured: true }], m).m.state).toBe('connecting');
  });

  it('a malformed reply shows its problem and keeps the link (once per message)', () => {
    const { m } = run([{ type: 'configure', configured: true }, { type: 'connected' }, { type: 'drained' }]);
    const bad = { type: 'bad-reply', message: 'malformed schedule:list ack from the server: matches.0.id: x' } as const;
    const t = transition(m, bad);
    expect(t.machine.state).toBe('live');
    expect(t.machine.problem).toEqual({ code: 'PROTOCOL', message: bad.message });
    expect(t.effects).toEqual([]);
    expect(transition(t.machine, bad).machine).toBe(t.machine);
  });

  it('fencing the open match shows fenced while connected and survives reconnects', () => {
    let { m } = run([{ type: 'configure', configured: true }, { type: 'connected' }, { type: 'drained' }]);
    m = transition(m, { type: 'fence-changed', fenced: true }).machine;
    expect(m.state).toBe('fenced');
    m = run([{ type: 'link-lost', message: 'x' }, { type: 'retry-timer' }, { type: 'connected' }], m).m;
    expect(m.state).toBe('fenced');
    const t = transition(m, { type: 'fence-changed', fenced: false });
    expect(t.machine.state).toBe('catching-up');
    expect(t.effects.map((e) => e.type)).toEqual(['sync']);
  });

  it('late news from a dead socket does not resurrect a state', () => {
    const { m } = run([
      { type: 'configure', configured: true },
      { type: 'connect-failed', message: 'x' },
    ]);
    expect(transition(m, { type: 'connected' }).machine.state).toBe('offline');
    expect(transition(m, { type: 'drained' }).machine.state).toBe('offline');
  });

  it('is total: every input in every state yields a valid state, and connected states come only from connecting', () => {
    for (const state of ALL_STATES) {
      for (const configured of [true, false]) {
        for (const input of ALL_INPUTS) {
          const m: SyncMachine = { ...INITIAL_SYNC, state, configured, attempt: 2 };
          const next = transition(m, input).machine;
          expect(ALL_STATES).toContain(next.state);
          if (isConnected(next.state) && !isConnected(state)) {
            expect(state).toBe('connecting');
            expect(input.type).toBe('connected');
          }
          if (!configured && input.type === 'retry-timer') expect(next.state).toBe(state);
        }
      }
    }
  });
});
