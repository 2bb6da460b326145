/**
 * Live traffic against a cluster: one raw console per court pushing at a given rate,
 * many recording viewers (viewer i follows court i mod courts, spread over the server
 * processes), and one measured phase at a time: accepted events/s, console-to-viewer
 * latency (from the moment the console recorded the event, its `at`, to the moment a
 * viewer got it; one clock), push ack latency (push sent to ack received), loss, server
 * CPU and memory. Viewers live in this process (LocalViewers) or in any other
 * ViewerGroup (bench/pipeline runs them in child processes).
 */
import { processCpuMs } from '../../test/support/process-stats.js';
import { RawConsole } from '../../test/faults/harness/raw-console.js';
import { seededRandom } from '../../test/support/random.js';
import { scoringEvent, type EventDraft } from '../../test/faults/harness/scoring.js';
import { RecordingViewer } from '../../test/faults/harness/viewer.js';
import type { Cluster } from './cluster.js';
import { LatencySamples } from './stats.js';

/** How often the driver hands out due events: fine enough for 100 ms windows. */
const TICK_MS = 10;
/** Viewers connect in groups of this size, so the handshakes do not all land at once. */
export const CONNECT_GROUP = 200;
export const CONNECT_TIMEOUT_MS = 60_000;
/** After the last event of a phase: time for outboxes to drain and viewers to receive. */
const SETTLE_TIMEOUT_MS = 15_000;
const SAMPLE_MS = 500;
/** Pushes a console keeps in flight: enough that none waits for an ack at 80 events/s. */
const CONSOLE_PIPELINE = 16;
/** Events per push at most (the contract's maximum). */
const CONSOLE_CHUNK = 500;

/** Recorded-time window (ms since the epoch) whose events get their own latency figures. */
export interface TimeWindow {
  from: number;
  to: number;
}

/** One viewer to open: it follows one match on one server. */
export interface ViewerSpec {
  url: string;
  token: string;
  matchId: string;
  name: string;
}

/** What a group of viewers received during one phase. */
export interface Deliveries {
  latency: LatencySamples;
  /** Latency of the events recorded inside the phase's window, when it has one. */
  windowLatency: LatencySamples | null;
  /** Events a viewer should have received and did not (all viewers summed). */
  lost: number;
  expectedDeliveries: number;
  /** Contract violations seen on the wire during the phase. */
  violations: number;
  /** CPU the group's own processes spent from startPhase to collect, ms (0 when they are this process)... */
  cpuMs: number;
  /** ... over this many ms. */
  cpuSpanMs: number;
}

export interface AddResult {
  requested: number;
  connected: number;
  subscribed: number;
}

/** Where the viewers of a Traffic live and how their receipts are counted. Seqs per match id. */
export interface ViewerGroup {
  readonly size: number;
  /** Open viewers; resolves once they connected and subscribed (or the connect timeout passed). */
  add(specs: ViewerSpec[], contract: boolean): Promise<AddResult>;
  /** From now on count events above these seqs. */
  startPhase(startSeq: Record<string, number>): Promise<void>;
  /** How many viewers have fewer than `expected` events of their match so far. */
  behind(expected: Record<string, number>): Promise<number>;
  collect(expected: Record<string, number>, window: TimeWindow | null): Promise<Deliveries>;
  close(): Promise<void>;
}

export interface TrafficOptions {
  /** Events per push at most (default 500). */
  chunk?: number;
  /** Pushes each console keeps in flight (default 16; 1 is the console core's stop-and-wait outbox). */
  maxInFlight?: number;
  ackTimeoutMs?: number;
  /** Where viewers live (default: in this process). */
  viewers?: ViewerGroup;
  /** Server of console i (default: the cluster's round-robin). */
  consoleUrl?: (i: number) => string;
  /** Server of viewer i (default: the process after its console's, so with two every broadcast crosses). */
  viewerUrl?: (i: number) => string;
  settleTimeoutMs?: number;
}

export interface PhaseOptions {
  /**
   * Runs alongside the traffic from the phase's start (a login burst); the phase keeps
   * driving until it has settled, and its resolved window's events get windowLatency.
   */
  during?: () => Promise<TimeWindow>;
}

type Summary = ReturnType<LatencySamples['summary']>;

export interface PhaseResult {
  label: string;
  offeredPerSecond: number;
  acceptedPerSecond: number;
  latency: Summary;
  /** Viewer latency of the events recorded inside PhaseOptions.during's window. */
  windowLatency: Summary | null;
  /** Push sent to ack received, ok acks of the phase. */
  ackLatency: Summary;
  /** Events a viewer should have received and did not (all viewers summed). */
  lost: number;
  expectedDeliveries: number;
  /** Contract violations seen on the wire (baseCursor gaps, repeats); -1: not checkable (reference). */
  violations: number;
  /** Server CPU, percent of one core, summed over processes. */
  serverCpuPercent: number;
  serverRssMaxMb: number;
  /** This process and the viewer processes, percent of one core. */
  benchCpuPercent: number;
  /** Pushes refused or timed out during the phase, and by code. */
  refusedPushes: number;
  refusals: Record<string, number>;
  /** When driving started and how long it lasted (ms), for side measurements of the same span. */
  startedAt: number;
  drivenMs: number;
  /** Whether every console drained and every viewer got everything before the settle timeout. */
  settled: boolean;
}

export class Traffic {
  readonly consoles: RawConsole[] = [];
  private phaseStartSeq: Record<string, number> = {};
  private readonly random = seededRandom(7).next;
  private viewerCounter = 0;

  private constructor(
    readonly cluster: Cluster,
    readonly viewers: ViewerGroup,
    private readonly options: TrafficOptions,
  ) {}

  static async open(cluster: Cluster, viewerCount: number, options: TrafficOptions = {}): Promise<Traffic> {
    const t = new Traffic(cluster, options.viewers ?? new LocalViewers(), options);
    try {
      const scorers = await cluster.tokens('scorer', cluster.matchIds.length);
      cluster.matchIds.forEach((matchId, i) => {
        t.consoles.push(
          new RawConsole({
            url: options.consoleUrl?.(i) ?? cluster.urlFor(i),
            token: scorers[i]!,
            matchId,
            // Latency is measured from record(): by default a console pushes each event at once
            // (pipelined), so an event waits for the server's window, not for the previous ack.
            chunk: options.chunk ?? CONSOLE_CHUNK,
            maxInFlight: options.maxInFlight ?? CONSOLE_PIPELINE,
            ...(options.ackTimeoutMs ? { ackTimeoutMs: options.ackTimeoutMs } : {}),
          }),
        );
      });
      const added = await t.addViewers(viewerCount);
      if (added.connected < added.requested || added.subscribed < added.requested)
        throw new Error(`viewers did not connect: ${JSON.stringify(added)}`);
      await waitFor(() => t.consoles.every((c) => c.connected), CONNECT_TIMEOUT_MS, 'consoles did not connect');
    } catch (error) {
      await t.close();
      throw error;
    }
    return t;
  }

  get viewerCount(): number {
    return this.viewers.size;
  }

  /** Open `count` more viewers (viewer i follows court i mod courts). */
  async addViewers(count: number): Promise<AddResult> {
    const tokens = await this.cluster.tokens('viewer', count);
    const specs: ViewerSpec[] = tokens.map((token) => {
      const i = this.viewerCounter++;
      return {
        url: this.options.viewerUrl?.(i) ?? this.cluster.urlFor(i + 1),
        token,
        matchId: this.cluster.matchIds[i % this.cluster.matchIds.length]!,
        name: `v${i}`,
      };
    });
    return this.viewers.add(specs, !this.cluster.reference);
  }

  /** Drive `perCourt` events/s on every court for `ms`, then settle and measure. */
  async phase(label: string, perCourt: number, ms: number, options: PhaseOptions = {}): Promise<PhaseResult> {
    const startSeq: Record<string, number> = {};
    for (const c of this.consoles) startSeq[c.matchId] = c.log.length;
    this.phaseStartSeq = startSeq;
    await this.viewers.startPhase(startSeq);
    const acksBefore = this.consoles.map((c) => c.acks.length);
    const ackedBefore = this.consoles.reduce((n, c) => n + c.ackedSeq, 0);
    const pids = this.cluster.servers.map((s) => s.pid!).filter(Boolean);
    const cpuBefore = pids.map(processCpuMs);
    const benchCpuBefore = process.cpuUsage();
    let rssMax = 0;
    const sampler = setInterval(() => {
      rssMax = Math.max(rssMax, ...this.cluster.servers.map((s) => s.rssBytes()));
    }, SAMPLE_MS);

    const started = Date.now();
    let side: { done: boolean; window: TimeWindow | null; error: unknown } | null = null;
    if (options.during) {
      const state: { done: boolean; window: TimeWindow | null; error: unknown } = {
        done: false,
        window: null,
        error: null,
      };
      side = state;
      options.during().then(
        (w) => Object.assign(state, { done: true, window: w }),
        (error: unknown) => Object.assign(state, { done: true, error }),
      );
    }
    const due = new Array<number>(this.consoles.length).fill(0);
    try {
      while (Date.now() - started < ms || (side && !side.done)) {
        await sleep(TICK_MS);
        const elapsed = (Date.now() - started) / 1000;
        this.consoles.forEach((c, i) => {
          // Courts start staggered within the first second, like real rallies.
          const target = Math.floor(elapsed * perCourt + (i / this.consoles.length) * Math.min(1, perCourt));
          if (due[i]! >= target) return;
          const drafts: EventDraft[] = [];
          for (let n = c.log.length + 1; due[i]! < target; due[i]!++, n++) drafts.push(scoringEvent(n, this.random));
          c.recordMany(drafts);
        });
      }
      if (side?.error) throw side.error instanceof Error ? side.error : new Error(String(side.error));
    } finally {
      clearInterval(sampler);
    }
    const wall = Date.now() - started;
    const ackedInWindow = this.consoles.reduce((n, c) => n + c.ackedSeq, 0) - ackedBefore;
    const cpuAfter = pids.map(processCpuMs);
    const benchCpu = process.cpuUsage(benchCpuBefore);
    const resampler = setInterval(() => {
      rssMax = Math.max(rssMax, ...this.cluster.servers.map((s) => s.rssBytes()));
    }, SAMPLE_MS);
    let settled: boolean;
    let deliveries: Deliveries;
    const expected: Record<string, number> = {};
    try {
      settled = await this.settle();
      for (const c of this.consoles) expected[c.matchId] = c.log.length - startSeq[c.matchId]!;
      deliveries = await this.viewers.collect(expected, side?.window ?? null);
    } finally {
      clearInterval(resampler);
    }

    const refusals: Record<string, number> = {};
    const ackLatency = new LatencySamples();
    this.consoles.forEach((c, i) => {
      for (const a of c.acks.slice(acksBefore[i])) {
        if (!a.ack.ok) refusals[a.ack.code] = (refusals[a.ack.code] ?? 0) + 1;
        else ackLatency.add(a.receivedAt - a.sentAt);
      }
    });
    const offered = Object.values(expected).reduce((a, b) => a + b, 0);
    return {
      label,
      offeredPerSecond: (offered * 1000) / wall,
      acceptedPerSecond: (ackedInWindow * 1000) / wall,
      latency: deliveries.latency.summary(),
      windowLatency: deliveries.windowLatency?.summary() ?? null,
      ackLatency: ackLatency.summary(),
      lost: deliveries.lost,
      expectedDeliveries: deliveries.expectedDeliveries,
      violations: this.cluster.reference ? -1 : deliveries.violations,
      serverCpuPercent: (cpuAfter.reduce((n, v, i) => n + v - cpuBefore[i]!, 0) * 100) / wall,
      serverRssMaxMb: rssMax / 1024 / 1024,
      benchCpuPercent:
        ((benchCpu.user + benchCpu.system) / 1000 / wall + deliveries.cpuMs / deliveries.cpuSpanMs) * 100,
      refusedPushes: Object.values(refusals).reduce((a, b) => a + b, 0),
      refusals,
      startedAt: started,
      drivenMs: wall,
      settled,
    };
  }

  async close(): Promise<void> {
    for (const c of this.consoles) c.close();
    await this.viewers.close();
  }

  private async settle(): Promise<boolean> {
    const timeout = this.options.settleTimeoutMs ?? SETTLE_TIMEOUT_MS;
    const deadline = Date.now() + timeout;
    await Promise.race([Promise.all(this.consoles.map((c) => c.drained())), sleep(timeout)]);
    const expected: Record<string, number> = {};
    for (const c of this.consoles) expected[c.matchId] = c.log.length - this.phaseStartSeq[c.matchId]!;
    while (Date.now() < deadline) {
      if ((await this.viewers.behind(expected)) === 0) return this.consoles.every((c) => c.pending === 0);
      await sleep(50);
    }
    return false;
  }
}

/** Counting for one process's viewers (LocalViewers here, bench/pipeline's viewer child processes). */
export class ViewerTally {
  readonly viewers: RecordingViewer[] = [];
  /** Per viewer: the match it follows, and the events of the phase it got. */
  private readonly matchOf: string[] = [];
  private readonly received: number[] = [];
  private startSeq: Record<string, number> = {};
  /** Per delivery of the phase: when the event was recorded and how long it took to arrive. */
  private recordedAt: number[] = [];
  private latencies: number[] = [];
  private violationsAtStart = 0;

  /** Open viewers in groups of CONNECT_GROUP, each group connected and subscribed before the next. */
  async add(specs: ViewerSpec[], contract: boolean, timeoutMs = CONNECT_TIMEOUT_MS): Promise<AddResult> {
    const deadline = Date.now() + timeoutMs;
    const first = this.viewers.length;
    for (let start = 0; start < specs.length; start += CONNECT_GROUP) {
      const group = specs.slice(start, start + CONNECT_GROUP).map((spec) => {
        const index = this.viewers.length;
        this.matchOf.push(spec.matchId);
        this.received.push(0);
        const viewer = new RecordingViewer({
          url: spec.url,
          token: spec.token,
          matchIds: [spec.matchId],
          name: spec.name,
          keepEvents: false,
          contract,
          onEvent: (event, at) => this.onEvent(index, event.matchId, event.seq, event.at, at),
        });
        this.viewers.push(viewer);
        return viewer;
      });
      const ready = () => group.every((v) => v.connects > 0 && v.subscribed > 0);
      while (!ready() && Date.now() < deadline) await sleep(50);
      if (!ready()) break;
    }
    const opened = this.viewers.slice(first);
    return {
      requested: specs.length,
      connected: opened.filter((v) => v.connects > 0).length,
      subscribed: opened.filter((v) => v.subscribed > 0).length,
    };
  }

  startPhase(startSeq: Record<string, number>): void {
    this.startSeq = startSeq;
    this.received.fill(0);
    this.recordedAt = [];
    this.latencies = [];
    this.violationsAtStart = this.violationCount();
  }

  behind(expected: Record<string, number>): number {
    let n = 0;
    this.matchOf.forEach((matchId, i) => {
      if (this.received[i]! < (expected[matchId] ?? 0)) n++;
    });
    return n;
  }

  /** The phase's counts; latencies as whole-millisecond samples (those inside `window` separately). */
  collect(
    expected: Record<string, number>,
    window: TimeWindow | null,
  ): {
    latency: LatencySamples;
    windowLatency: LatencySamples | null;
    lost: number;
    expectedDeliveries: number;
    violations: number;
  } {
    const latency = new LatencySamples();
    const windowLatency = window ? new LatencySamples() : null;
    this.latencies.forEach((ms, i) => {
      latency.add(ms);
      const at = this.recordedAt[i]!;
      if (window && windowLatency && at >= window.from && at <= window.to) windowLatency.add(ms);
    });
    let lost = 0;
    let expectedDeliveries = 0;
    this.matchOf.forEach((matchId, i) => {
      const want = expected[matchId] ?? 0;
      expectedDeliveries += want;
      lost += Math.max(0, want - this.received[i]!);
    });
    return {
      latency,
      windowLatency,
      lost,
      expectedDeliveries,
      violations: this.violationCount() - this.violationsAtStart,
    };
  }

  /** First violations of the phase, for logs. */
  violationSamples(max: number): string[] {
    return this.viewers.flatMap((v) => v.violations).slice(0, max);
  }

  close(): void {
    for (const v of this.viewers) v.close();
    this.viewers.length = 0;
    this.matchOf.length = 0;
    this.received.length = 0;
  }

  private violationCount(): number {
    return this.viewers.reduce((n, v) => n + v.violations.length, 0);
  }

  private onEvent(viewer: number, matchId: string, seq: number, at: string, receivedAt: number): void {
    if (seq <= (this.startSeq[matchId] ?? Number.POSITIVE_INFINITY)) return;
    this.received[viewer]!++;
    const recorded = Date.parse(at);
    this.recordedAt.push(recorded);
    this.latencies.push(receivedAt - recorded);
  }
}

/** Viewers in this process (the load bench: its generator is this process). */
export class LocalViewers implements ViewerGroup {
  private readonly tally = new ViewerTally();

  get size(): number {
    return this.tally.viewers.length;
  }

  add(specs: ViewerSpec[], contract: boolean): Promise<AddResult> {
    return this.tally.add(specs, contract);
  }

  async startPhase(startSeq: Record<string, number>): Promise<void> {
    this.tally.startPhase(startSeq);
  }

  async behind(expected: Record<string, number>): Promise<number> {
    return this.tally.behind(expected);
  }

  async collect(expected: Record<string, number>, window: TimeWindow | null): Promise<Deliveries> {
    return { ...this.tally.collect(expected, window), cpuMs: 0, cpuSpanMs: 1 };
  }

  async close(): Promise<void> {
    this.tally.close();
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export async function waitFor(condition: () => boolean, ms: number, message: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(message);
    await sleep(50);
  }
}
