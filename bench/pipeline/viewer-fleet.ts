/**
 * Viewers spread over several load-generator child processes (viewer-child.ts), so that a
 * single generator process is not what limits a run of thousands of viewers. A ViewerGroup
 * for bench/load's Traffic: viewers are dealt round-robin to the children, and each phase's
 * receipts (latency histograms, losses, contract violations, generator CPU) are merged over IPC.
 * The children outlive one Traffic (close() closes its viewers); shutdown() ends them.
 */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LatencySamples } from '../load/stats.js';
import type { AddResult, Deliveries, TimeWindow, ViewerGroup, ViewerSpec } from '../load/traffic.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const CHILD = path.join(HERE, 'viewer-child.ts');
const ROOT = path.join(HERE, '..', '..');
/** A child compiles its modules with tsx first. */
const READY_TIMEOUT_MS = 60_000;
/** IPC answers besides `add` (which waits for its connections). */
const REQUEST_TIMEOUT_MS = 60_000;
/** Viewers a child may take to connect and subscribe (20,000 over a few children on 2 cores). */
const ADD_TIMEOUT_MS = 180_000;
const LOG_LINES_KEPT = 50;

export type FleetRequest = { id: number } & (
  | { op: 'add'; viewers: ViewerSpec[]; contract: boolean; timeoutMs: number }
  | { op: 'start'; startSeq: Record<string, number> }
  | { op: 'behind'; expected: Record<string, number> }
  | { op: 'collect'; expected: Record<string, number>; window: TimeWindow | null }
  | { op: 'clear' }
);

export type FleetReply = { id: number } & ({ ok: true; result: unknown } | { ok: false; error: string });

export interface CollectReply {
  latency: Array<[number, number]>;
  windowLatency: Array<[number, number]> | null;
  lost: number;
  expectedDeliveries: number;
  violations: number;
  violationSamples: string[];
  cpuMs: number;
  spanMs: number;
}

// Distributive, so each request keeps its own fields.
type RequestBody = FleetRequest extends infer R ? (R extends FleetRequest ? Omit<R, 'id'> : never) : never;

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

class FleetChild {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  readonly logs: string[] = [];
  exited = false;

  constructor(readonly proc: ChildProcess) {
    const keep = (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) if (line) this.logs.push(line);
      if (this.logs.length > LOG_LINES_KEPT) this.logs.splice(0, this.logs.length - LOG_LINES_KEPT);
    };
    proc.stdout?.on('data', keep);
    proc.stderr?.on('data', keep);
    proc.on('message', (reply: FleetReply) => {
      const waiter = this.pending.get(reply.id);
      if (!waiter) return;
      this.pending.delete(reply.id);
      clearTimeout(waiter.timer);
      if (reply.ok) waiter.resolve(reply.result);
      else waiter.reject(new Error(`viewer child ${proc.pid}: ${reply.error}`));
    });
    proc.once('exit', (code, signal) => {
      this.exited = true;
      for (const [id, waiter] of this.pending) {
        this.pending.delete(id);
        clearTimeout(waiter.timer);
        waiter.reject(
          new Error(`viewer child ${proc.pid} exited (${code ?? signal}): ${this.logs.slice(-10).join('\n')}`),
        );
      }
    });
  }

  ready(): Promise<unknown> {
    return this.wait(0, READY_TIMEOUT_MS);
  }

  request<T>(body: RequestBody, timeoutMs = REQUEST_TIMEOUT_MS): Promise<T> {
    const id = this.nextId++;
    const answer = this.wait(id, timeoutMs) as Promise<T>;
    this.proc.send({ ...body, id } as FleetRequest);
    return answer;
  }

  private wait(id: number, timeoutMs: number): Promise<unknown> {
    if (this.exited) return Promise.reject(new Error(`viewer child ${this.proc.pid} is gone`));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`viewer child ${this.proc.pid}: no answer in ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
    });
  }
}

export class ViewerFleet implements ViewerGroup {
  private count = 0;
  /** Violation messages of the last phase (first few per child), for the log. */
  lastViolations: string[] = [];

  private constructor(private readonly children: FleetChild[]) {}

  static async start(processes: number): Promise<ViewerFleet> {
    const children: FleetChild[] = [];
    try {
      for (let i = 0; i < Math.max(1, processes); i++)
        children.push(
          new FleetChild(
            fork(CHILD, [], {
              cwd: ROOT,
              execArgv: ['--import', 'tsx'],
              stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
            }),
          ),
        );
      await Promise.all(children.map((c) => c.ready()));
    } catch (error) {
      await ViewerFleet.end(children);
      throw error;
    }
    return new ViewerFleet(children);
  }

  get size(): number {
    return this.count;
  }

  get processes(): number {
    return this.children.length;
  }

  /** The generator processes' pids (CPU accounting). */
  get pids(): number[] {
    return this.children.map((c) => c.proc.pid!).filter(Boolean);
  }

  async add(specs: ViewerSpec[], contract: boolean): Promise<AddResult> {
    const shares = this.children.map(() => [] as ViewerSpec[]);
    specs.forEach((spec, i) => shares[(this.count + i) % shares.length]!.push(spec));
    this.count += specs.length;
    const results = await Promise.all(
      this.children.map((c, i) =>
        shares[i]!.length
          ? c.request<AddResult>(
              { op: 'add', viewers: shares[i]!, contract, timeoutMs: ADD_TIMEOUT_MS },
              ADD_TIMEOUT_MS + REQUEST_TIMEOUT_MS,
            )
          : Promise.resolve({ requested: 0, connected: 0, subscribed: 0 }),
      ),
    );
    return results.reduce((a, r) => ({
      requested: a.requested + r.requested,
      connected: a.connected + r.connected,
      subscribed: a.subscribed + r.subscribed,
    }));
  }

  async startPhase(startSeq: Record<string, number>): Promise<void> {
    await Promise.all(this.children.map((c) => c.request({ op: 'start', startSeq })));
  }

  async behind(expected: Record<string, number>): Promise<number> {
    const counts = await Promise.all(this.children.map((c) => c.request<number>({ op: 'behind', expected })));
    return counts.reduce((a, b) => a + b, 0);
  }

  async collect(expected: Record<string, number>, window: TimeWindow | null): Promise<Deliveries> {
    const replies = await Promise.all(
      this.children.map((c) => c.request<CollectReply>({ op: 'collect', expected, window })),
    );
    this.lastViolations = replies.flatMap((r) => r.violationSamples);
    const spanMs = Math.max(1, ...replies.map((r) => r.spanMs));
    return {
      latency: LatencySamples.fromHistograms(replies.map((r) => r.latency)),
      windowLatency: window ? LatencySamples.fromHistograms(replies.map((r) => r.windowLatency ?? [])) : null,
      lost: replies.reduce((n, r) => n + r.lost, 0),
      expectedDeliveries: replies.reduce((n, r) => n + r.expectedDeliveries, 0),
      violations: replies.reduce((n, r) => n + r.violations, 0),
      cpuMs: replies.reduce((n, r) => n + r.cpuMs, 0),
      cpuSpanMs: spanMs,
    };
  }

  /** Close every viewer (the children stay for the next Traffic). */
  async close(): Promise<void> {
    this.count = 0;
    await Promise.all(this.children.filter((c) => !c.exited).map((c) => c.request({ op: 'clear' }).catch(() => {})));
  }

  /** End the child processes (their viewers with them). */
  async shutdown(): Promise<void> {
    await ViewerFleet.end(this.children);
  }

  private static async end(children: FleetChild[]): Promise<void> {
    await Promise.all(
      children.map(
        (c) =>
          new Promise<void>((resolve) => {
            if (c.exited || c.proc.exitCode !== null || c.proc.signalCode !== null) return resolve();
            c.proc.once('exit', () => resolve());
            c.proc.kill('SIGKILL');
          }),
      ),
    );
  }
}
