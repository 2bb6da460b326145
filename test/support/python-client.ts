/**
 * Drives a partner's Socket.io client that nobody here wrote: Debian's python-socketio
 * (test/support/python/sio_client.py) under Debian's /usr/bin/python3 (a python3 earlier on
 * PATH may not see Debian's modules). One child process per connection, JSON lines both ways.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';

export const DEBIAN_PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('./python/sio_client.py', import.meta.url));
/** python-socketio connects in well under this on loopback; past it the client is stuck. */
const CONNECT_TIMEOUT_MS = 15_000;

export interface PythonClientOptions {
  url: string;
  namespace: '/live' | '/console';
  /** Omitted: a handshake with no auth at all. */
  auth?: Record<string, unknown>;
  headers?: Record<string, string>;
  transports?: ('websocket' | 'polling')[];
}

export type PythonMessage =
  | { type: 'connect'; transport: string }
  | { type: 'connect_error'; data: { message?: string; data?: { code: string; message: string } } | null }
  | { type: 'event'; event: string; data: any }
  | { type: 'ack'; id: number; data: any }
  | { type: 'disconnect' };

export interface PythonClient {
  /** Everything the client printed, in order. */
  messages: PythonMessage[];
  events(name: string): any[];
  emit<T = any>(event: string, data: unknown, timeoutMs?: number): Promise<T>;
  close(): Promise<void>;
}

function start(options: PythonClientOptions): {
  child: ChildProcessWithoutNullStreams;
  messages: PythonMessage[];
  exited: Promise<void>;
} {
  const child = spawn(DEBIAN_PYTHON, [SCRIPT, JSON.stringify(options)], { stdio: ['pipe', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const messages: PythonMessage[] = [];
  createInterface({ input: child.stdout }).on('line', (line) => messages.push(JSON.parse(line) as PythonMessage));
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  child.on('exit', (code) => {
    if (code) messages.push({ type: 'connect_error', data: { message: `python exited ${code}: ${stderr}` } });
  });
  return { child, messages, exited };
}

function waitFor<T>(messages: PythonMessage[], pick: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + timeoutMs;
    const poll = () => {
      const found = pick();
      if (found !== undefined) return resolve(found);
      if (Date.now() > deadline) return reject(new Error(`python client: no ${what}; got ${JSON.stringify(messages)}`));
      setTimeout(poll, 10);
    };
    poll();
  });
}

/** Connects; resolves once connected, rejects with the connect_error data (`{message, data: {code, message}}`). */
export async function connectPython(options: PythonClientOptions): Promise<PythonClient> {
  const { child, messages, exited } = start(options);
  const first = await waitFor(
    messages,
    () => messages.find((m) => m.type === 'connect' || m.type === 'connect_error'),
    CONNECT_TIMEOUT_MS,
    'connect',
  );
  if (first.type === 'connect_error') {
    child.kill();
    throw Object.assign(new Error(first.data?.message ?? 'connect_error'), { data: first.data });
  }
  let nextId = 0;
  return {
    messages,
    events: (name) => messages.flatMap((m) => (m.type === 'event' && m.event === name ? [m.data] : [])),
    emit(event, data, timeoutMs = 10_000) {
      const id = ++nextId;
      child.stdin.write(`${JSON.stringify({ id, emit: event, data })}\n`);
      return waitFor(
        messages,
        () => {
          const ack = messages.find((m) => m.type === 'ack' && m.id === id);
          return ack && ack.type === 'ack' ? { value: ack.data } : undefined;
        },
        timeoutMs,
        `ack for ${event}`,
      ).then((found) => found.value);
    },
    async close() {
      if (child.exitCode === null) child.stdin.end(`${JSON.stringify({ close: true })}\n`);
      await exited;
    },
  };
}

/** The refusal a handshake gets: the connect_error data, or throws if it connected. */
export async function pythonRefusal(options: PythonClientOptions): Promise<{ code: string; message: string }> {
  try {
    const client = await connectPython(options);
    await client.close();
  } catch (error) {
    const data = (error as { data?: { message?: string; data?: { code: string; message: string } } }).data;
    if (data?.data) return data.data;
    throw error;
  }
  throw new Error('the handshake was accepted');
}
