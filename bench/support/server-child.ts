/**
 * The benchmarks' server launcher: the real server (`server/main.ts`, what `npm run server`
 * runs), or the reference server, as a child process on a database, with what only the
 * benchmarks need: `npm run server`'s compiled build, another checkout (before/after
 * figures), Node profiling flags, a fixed signing secret (the load bench signs its clients'
 * tokens itself), warn-level logs. Tests start servers with test/support/server-process.ts.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import net from 'node:net';
import path from 'node:path';
import { SERVER_NODE_FLAGS, SERVER_PROCESS_ENV } from '../../scripts/server-env.mjs';
import { freeLoopbackPort } from '../../test/support/ports.js';
import { processRssBytes } from '../../test/support/process-stats.js';
import { CHILD_ADMIN_PASSWORD } from '../../test/support/server-process.js';

/** Start-up (tsx compile + migrations) on two busy cores: generous but bounded. */
const READY_TIMEOUT_MS = 60_000;
const READY_POLL_MS = 100;
/** SIGTERM must flush and exit quickly; after this the test kills. */
const STOP_TIMEOUT_MS = 10_000;
/** Kept lines of child output, for failure messages. */
const LOG_LINES_KEPT = 200;

/** The load bench signs its clients' tokens with this (bench/load/cluster.ts). */
export const TEST_JWT_SECRET = 'fault-test-jwt-secret-0123456789';

export interface ServerChildOptions {
  databaseUrl: string;
  port?: number;
  /** Extra environment (adapter, batch window). */
  env?: Record<string, string>;
  /** Another server entry (the bench's reference server); ready when its port accepts. */
  entry?: string;
  /** Node flags before the entry (the bench's `--cpu-prof`). */
  nodeArgs?: string[];
  /** Checkout to run the server from (default: this one; the bench profiles an older commit's server). */
  cwd?: string;
  /**
   * Run through `npm run server`'s launcher (scripts/server.mjs: compiled ahead, no tsx loader in
   * the process) instead of `--import tsx`: the bench measures memory as deployed.
   */
  compiled?: boolean;
}

export class ServerChild {
  private child: ChildProcess | null = null;
  private exitWaiter: Promise<void> = Promise.resolve();
  readonly logs: string[] = [];
  readonly dataDir = mkdtempSync(path.join(tmpdir(), 'scoredesk-faultsrv-'));
  env: Record<string, string>;
  /** How many times the process exited (crash or stop). */
  exits = 0;
  /** Exits nobody asked for (not kill9/stop), with the log tail: a server bug. */
  readonly unexpectedExits: string[] = [];
  private exitRequested = false;

  private constructor(
    readonly port: number,
    private readonly options: ServerChildOptions,
  ) {
    this.env = { ...(options.env ?? {}) };
  }

  static async start(options: ServerChildOptions): Promise<ServerChild> {
    const server = new ServerChild(options.port ?? (await freeLoopbackPort()), options);
    await server.start();
    return server;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return this.child !== null;
  }

  async start(): Promise<void> {
    if (this.child) throw new Error('server child already running');
    const entry = this.options.entry ?? 'server/main.ts';
    const args = [
      // As the launcher would start itself again with (after them: the bench's own flags win).
      ...(this.options.compiled ? SERVER_NODE_FLAGS : []),
      ...(this.options.nodeArgs ?? []),
      ...(this.options.compiled ? ['scripts/server.mjs', entry] : ['--import', 'tsx', entry]),
    ];
    const child = spawn(process.execPath, args, {
      cwd: this.options.cwd ?? process.cwd(),
      env: {
        ...process.env,
        PORT: String(this.port),
        HOST: '127.0.0.1',
        DATABASE_URL: this.options.databaseUrl,
        SCOREDESK_DATA_DIR: this.dataDir,
        SCOREDESK_JWT_SECRET: TEST_JWT_SECRET,
        SCOREDESK_ADMIN_PASSWORD: CHILD_ADMIN_PASSWORD,
        SCOREDESK_LOG_LEVEL: process.env.SCOREDESK_FAULT_LOG_LEVEL ?? 'warn',
        // What the launcher would start itself again with: then this child is the server itself.
        ...(this.options.compiled ? SERVER_PROCESS_ENV : {}),
        ...this.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    const keep = (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) if (line) this.logs.push(line);
      if (this.logs.length > LOG_LINES_KEPT) this.logs.splice(0, this.logs.length - LOG_LINES_KEPT);
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    this.exitWaiter = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        this.exits++;
        if (!this.exitRequested)
          this.unexpectedExits.push(`exit ${code ?? signal}:\n${this.logs.slice(-15).join('\n')}`);
        this.exitRequested = false;
        if (this.child === child) this.child = null;
        resolve();
      }),
    );
    await this.waitReady(child);
  }

  /** Resolves when the process has exited. */
  exited(): Promise<void> {
    return this.exitWaiter;
  }

  async kill9(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.exitRequested = true;
    child.kill('SIGKILL');
    await this.exitWaiter;
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.exitRequested = true;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await this.exitWaiter;
    clearTimeout(timer);
  }

  async destroy(): Promise<void> {
    await this.kill9();
    rmSync(this.dataDir, { recursive: true, force: true });
  }

  /** Resident memory of the process in bytes (0 when not running). */
  rssBytes(): number {
    return this.pid ? processRssBytes(this.pid) : 0;
  }

  private async waitReady(child: ChildProcess): Promise<void> {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (this.child !== child) throw new Error(`server exited during start-up:\n${this.logs.slice(-30).join('\n')}`);
      try {
        if (this.options.entry) {
          if (await portAccepts(this.port)) return;
        } else {
          const res = await fetch(`${this.url}/healthz`, { signal: AbortSignal.timeout(2_000) });
          if (res.status === 200) return;
        }
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, READY_POLL_MS));
    }
    child.kill('SIGKILL');
    throw new Error(`server not ready after ${READY_TIMEOUT_MS} ms:\n${this.logs.slice(-30).join('\n')}`);
  }
}

function portAccepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
