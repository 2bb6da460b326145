/**
 * Idle connections: how many authenticated /live sockets one server process holds and
 * what they cost in resident memory (RSS per 1000 sockets, and the total, which must
 * stay under 2 GB for the tested count).
 */
import { io, type Socket } from 'socket.io-client';
import { PROTOCOL_VERSION } from '../../shared/protocol.js';
import type { Cluster } from './cluster.js';

const CONNECT_GROUP = 250;
const CONNECT_TIMEOUT_MS = 120_000;
/** Let the server settle (session rows written, buffers shrunk) before reading RSS. */
const SETTLE_MS = 3_000;
export const RSS_LIMIT_BYTES = 2 * 1024 * 1024 * 1024;

export interface IdleResult {
  label: string;
  sockets: number;
  held: number;
  rssBeforeMb: number;
  rssAfterMb: number;
  mbPer1000: number;
  underLimit: boolean;
  connectSeconds: number;
}

export async function measureIdle(cluster: Cluster, label: string, count: number): Promise<IdleResult> {
  const server = cluster.servers[0]!;
  const tokens = await cluster.tokens('viewer', count);
  await sleep(SETTLE_MS);
  const before = server.rssBytes();
  const sockets: Socket[] = [];
  let connected = 0;
  const started = Date.now();
  try {
    for (let start = 0; start < count; start += CONNECT_GROUP) {
      const group: Promise<void>[] = [];
      for (let i = start; i < Math.min(count, start + CONNECT_GROUP); i++) {
        const socket = io(`${server.url}/live`, {
          auth: { token: tokens[i]!, protocol: PROTOCOL_VERSION },
          transports: ['websocket'],
          reconnection: false,
        });
        sockets.push(socket);
        group.push(
          new Promise<void>((resolve) => {
            socket.once('connect', () => {
              connected++;
              resolve();
            });
            socket.once('connect_error', () => resolve());
          }),
        );
      }
      await withTimeout(Promise.all(group), CONNECT_TIMEOUT_MS);
    }
    const connectSeconds = (Date.now() - started) / 1000;
    await sleep(SETTLE_MS);
    const held = sockets.filter((s) => s.connected).length;
    const after = server.rssBytes();
    return {
      label,
      sockets: count,
      held: Math.min(held, connected),
      rssBeforeMb: before / 1024 / 1024,
      rssAfterMb: after / 1024 / 1024,
      mbPer1000: held ? ((after - before) / 1024 / 1024 / held) * 1000 : Number.NaN,
      underLimit: after < RSS_LIMIT_BYTES,
      connectSeconds,
    };
  } finally {
    for (const s of sockets) s.close();
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

async function withTimeout<T>(work: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([work, new Promise<undefined>((r) => (timer = setTimeout(() => r(undefined), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}
