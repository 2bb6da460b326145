/**
 * A real redis-server (Debian's) on a free loopback port, for the multi-process tests:
 * no persistence, killed by stop().
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createConnection } from 'node:net';
import { freeLoopbackPort } from './ports.js';

/** redis-server opens its port in milliseconds; this only guards against a broken install. */
const REDIS_START_TIMEOUT_MS = 10_000;

export interface RedisServer {
  port: number;
  url: string;
  stop(): Promise<void>;
}

export async function startRedisServer(): Promise<RedisServer> {
  const port = await freeLoopbackPort();
  const child: ChildProcess = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  await waitForPort(port, REDIS_START_TIMEOUT_MS);
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    },
  };
}

export function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const socket = createConnection({ port, host: '127.0.0.1' }, () => {
        socket.end();
        resolve();
      });
      socket.once('error', () =>
        Date.now() > deadline ? reject(new Error(`port ${port} never opened`)) : setTimeout(attempt, 50),
      );
    };
    attempt();
  });
}
