/**
 * The connection cap's cluster-wide count with other processes that answer, and with one
 * that never does (killed, not yet forgotten by the adapter): the handshake waits at most
 * CLUSTER_COUNT_TIMEOUT_MS (fake timers), then counts this process's sockets only.
 */
import pino from 'pino';
import { Registry } from 'prom-client';
import type { Namespace, Socket } from 'socket.io';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CLUSTER_COUNT_TIMEOUT_MS, createConnectionCap, userRoom } from './connection-cap.js';
import { createSecurityMetrics } from './security-metrics.js';

const USER = { id: 7, username: 'wall', role: 'viewer', courts: [] };

/** A namespace whose adapter holds `local` sockets of USER and whose cluster count `answer` gives. */
function namespace(local: number, answer: () => Promise<unknown[]>): Namespace {
  const rooms = new Map([[userRoom(USER.id), new Set(Array.from({ length: local }, (_, i) => `local-${i}`))]]);
  return {
    adapter: { rooms },
    in: () => ({ timeout: () => ({ fetchSockets: answer }) }),
  } as unknown as Namespace;
}

function handshake(id: string): Socket {
  return { id, data: { user: USER }, join: () => undefined } as unknown as Socket;
}

function setup(namespaces: Namespace[], cap: number) {
  const registry = new Registry();
  const metrics = createSecurityMetrics(registry);
  const connectionCap = createConnectionCap(() => namespaces, cap, pino({ level: 'silent' }), metrics);
  const outcomes: Array<string> = [];
  const admit = (id: string) =>
    connectionCap.middleware(handshake(id) as never, (err?: Error) => outcomes.push(err ? err.message : 'ok'));
  const localCounts = async () => (await metrics.capLocalCounts.get()).values[0]?.value ?? 0;
  return { connectionCap, outcomes, admit, localCounts };
}

const never = () => new Promise<unknown[]>(() => {});
const sockets = (n: number) => () => Promise.resolve(new Array(n).fill({}));

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('connection cap across processes', () => {
  it('counts the sockets every process reports (here over the cap: refused)', async () => {
    const { admit, outcomes, localCounts } = setup([namespace(1, sockets(3)), namespace(0, sockets(0))], 3);
    admit('s1');
    await vi.waitFor(() => expect(outcomes).toEqual(['RATE_LIMITED']));
    expect(await localCounts()).toBe(0);
  });

  it('waits at most CLUSTER_COUNT_TIMEOUT_MS for a process that never answers, then counts its own', async () => {
    const { admit, outcomes, localCounts } = setup([namespace(1, never), namespace(1, never)], 3);
    admit('s1');
    await vi.advanceTimersByTimeAsync(CLUSTER_COUNT_TIMEOUT_MS - 1);
    expect(outcomes).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    // 2 sockets here + 1 handshake in flight = 3: within the cap.
    expect(outcomes).toEqual(['ok']);
    expect(await localCounts()).toBe(1);
  });

  it('still refuses over the cap when counting its own process only, handshakes in flight included', async () => {
    const { admit, outcomes, localCounts } = setup([namespace(2, never)], 4);
    // A burst of three at once: 2 live + 3 in flight > 4, so one of them is refused.
    admit('s1');
    admit('s2');
    admit('s3');
    await vi.advanceTimersByTimeAsync(CLUSTER_COUNT_TIMEOUT_MS);
    expect(outcomes.sort()).toEqual(['RATE_LIMITED', 'ok', 'ok']);
    expect(await localCounts()).toBe(3);
  });
});
