/**
 * The one way tests start the real server as a child process (`node --import tsx
 * server/main.ts`, what `npm run server` runs), for tests that need SIGKILL, restarts,
 * crash points or several processes: spawnServer for one process, RestartableServer for
 * one that is killed and started again on the same port, database and secret. Resolves
 * once the server logged its "listening" line; every process it starts is killed by
 * stop()/kill(). The benchmarks keep their own launcher (bench/support/server-child.ts:
 * compiled builds, other checkouts, profiling flags).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readyOnLine } from './child-ready.js';
import { crashEnv, type CrashAt } from './crash-hooks.js';
import { freeLoopbackPort } from './ports.js';
import { processRssBytes } from './process-stats.js';

/** tsx compile + migrations on two busy cores. */
const READY_TIMEOUT_MS = 60_000;
/** SIGTERM flushes and exits quickly; past this the process is killed. */
const STOP_TIMEOUT_MS = 10_000;
const LOG_LINES_KEPT = 300;
/** Log lines shown with an unexpected exit. */
const EXIT_LOG_TAIL = 15;
/** The test entry that passes crash points to the server as fault hooks. */
const FAULT_ENTRY = 'test/support/server-with-faults.ts';

export const CHILD_ADMIN_PASSWORD = 'child-admin-password';

export interface ServerProcessOptions {
  /** Unset: the server starts its embedded PostgreSQL in the data folder. */
  databaseUrl?: string;
  /** Data folder (kept after exit when given; a temporary one is removed). */
  dataDir?: string;
  port?: number;
  /** Shared by processes that must accept each other's tokens. */
  jwtSecret?: string;
  /** Extra environment: SCOREDESK_ADAPTER, SCOREDESK_REDIS_URL, SCOREDESK_BATCH_MS... */
  env?: Record<string, string>;
  /** SIGKILL the process at a named point of the commit pipeline (crash-hooks.ts). */
  crash?: CrashAt | null;
  /** Entry file relative to the repository (default server/main.ts; the bench runs the reference server). */
  entry?: string;
  /** Run through the tsx CLI exactly as `npm run server` does (a wrapper process that relays signals). */
  viaTsxCli?: boolean;
}

export interface ServerProcess {
  url: string;
  port: number;
  pid: number;
  logs: string[];
  jwtSecret: string;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  kill(signal?: NodeJS.Signals): Promise<number | null>;
  /** SIGTERM (graceful: flush, close) and wait; SIGKILL after STOP_TIMEOUT_MS. */
  stop(): Promise<number | null>;
}

export async function spawnServer(options: ServerProcessOptions): Promise<ServerProcess> {
  const port = options.port ?? (await freeLoopbackPort());
  const jwtSecret = options.jwtSecret ?? randomBytes(24).toString('hex');
  const dataDir = options.dataDir ?? mkdtempSync(path.join(tmpdir(), 'scoredesk-child-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    SCOREDESK_DATA_DIR: dataDir,
    SCOREDESK_JWT_SECRET: jwtSecret,
    SCOREDESK_ADMIN_PASSWORD: CHILD_ADMIN_PASSWORD,
    SCOREDESK_LOG_LEVEL: 'info',
    ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
    ...options.env,
    ...(options.crash ? crashEnv(options.crash) : {}),
  };
  if (!options.databaseUrl) delete env.DATABASE_URL;
  if (options.env && 'SCOREDESK_JWT_SECRET' in options.env && !options.env.SCOREDESK_JWT_SECRET)
    delete env.SCOREDESK_JWT_SECRET;
  const root = path.resolve(import.meta.dirname, '../..');
  if (options.crash && options.entry) throw new Error('a crash point needs the test entry: no other entry');
  const entry = options.crash ? FAULT_ENTRY : (options.entry ?? 'server/main.ts');
  const args = options.viaTsxCli
    ? [path.join(root, 'node_modules/tsx/dist/cli.mjs'), entry]
    : ['--import', 'tsx', entry];
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
      resolve(code);
    }),
  );
  const ready = readyOnLine(child, exited, {
    logs,
    keep: LOG_LINES_KEPT,
    marker: '"msg":"listening"',
    timeoutMs: READY_TIMEOUT_MS,
    timeoutError: () => new Error(`server did not start in time:\n${logs.slice(-20).join('\n')}`),
    exitError: (code) => new Error(`server exited (${code}) during start-up:\n${logs.slice(-20).join('\n')}`),
  });
  const kill = async (signal: NodeJS.Signals = 'SIGKILL') => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    return exited;
  };
  try {
    await ready;
  } catch (error) {
    await kill();
    throw error;
  }
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    pid: child.pid!,
    logs,
    jwtSecret,
    exited,
    kill,
    async stop() {
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      const code = await kill('SIGTERM');
      clearTimeout(timer);
      return code;
    },
  };
}

/**
 * A server process that can be stopped, or killed, and started again on the same port,
 * database and signing secret, so addresses, tokens and pages stay valid across the outage.
 * `env` and `crash` may change between starts (a crash point armed for one start only).
 */
export class RestartableServer {
  private process: ServerProcess | null = null;
  private exitWaiter: Promise<void> = Promise.resolve();
  /** Environment of the next start. */
  env: Record<string, string>;
  /** Crash point of the next start; null: none. */
  crash: CrashAt | null;
  /** How many times the process exited (a crash point, a kill or a stop). */
  exits = 0;
  /** Exits nobody asked for (no kill9/stop, no crash point armed), with the log tail: a server bug. */
  readonly unexpectedExits: string[] = [];
  private exitRequested = false;
  /** The output of the process that exited last (kept for failure messages after a crash). */
  private lastLogs: string[] = [];

  private constructor(
    readonly port: number,
    readonly jwtSecret: string,
    private readonly options: ServerProcessOptions,
  ) {
    this.env = { ...(options.env ?? {}) };
    this.crash = options.crash ?? null;
  }

  static async start(options: ServerProcessOptions & { databaseUrl: string }): Promise<RestartableServer> {
    const port = options.port ?? (await freeLoopbackPort());
    const server = new RestartableServer(port, options.jwtSecret ?? randomBytes(24).toString('hex'), options);
    await server.restart();
    return server;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** A process that dies by itself (a crash) no longer counts as running. */
  get running(): boolean {
    return this.process !== null;
  }

  get pid(): number | undefined {
    return this.process?.pid;
  }

  get logs(): string[] {
    return this.process?.logs ?? this.lastLogs;
  }

  /** Start (again) on the same port with the same database and secret. */
  async restart(): Promise<void> {
    if (this.process) throw new Error('server still running');
    const crash = this.crash;
    const child = await spawnServer({
      ...this.options,
      env: this.env,
      crash,
      port: this.port,
      jwtSecret: this.jwtSecret,
    });
    this.process = child;
    this.exitWaiter = child.exited.then((code) => {
      this.exits++;
      this.lastLogs = child.logs;
      if (!this.exitRequested && !crash)
        this.unexpectedExits.push(`exit ${code ?? 'by signal'}:\n${child.logs.slice(-EXIT_LOG_TAIL).join('\n')}`);
      this.exitRequested = false;
      if (this.process === child) this.process = null;
    });
  }

  /** Resolves when the current process has exited (a crash point fired, or a kill). */
  exited(): Promise<void> {
    return this.exitWaiter;
  }

  /** SIGKILL: no flush, no goodbye, like a crash or a pulled plug. */
  async kill9(): Promise<void> {
    const child = this.process;
    if (!child) return;
    this.exitRequested = true;
    await child.kill('SIGKILL');
    await this.exitWaiter;
  }

  /** SIGTERM: the server flushes its batch and exits. */
  async stop(): Promise<void> {
    const child = this.process;
    if (!child) return;
    this.exitRequested = true;
    await child.stop();
    await this.exitWaiter;
  }

  /** Resident memory of the process in bytes (0 when not running). */
  rssBytes(): number {
    return this.pid ? processRssBytes(this.pid) : 0;
  }
}
