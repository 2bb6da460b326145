/**
 * Live traffic against a cluster: one raw console per court pushing at a given rate,
 * many recording viewers (viewer i follows court i mod courts, spread over the server
 * processes), and one measured phase at a time: accepted events/s, console-to-viewer
 * latency (from the moment the console recorded the event to the moment a viewer got
 * it, same clock), loss, server CPU and memory.
 */
import { processCpuMs } from '../../test/faults/harness/server-child.js';
import { RawConsole } from '../../test/faults/harness/raw-console.js';
import { scoringEvent, seededRandom } from '../../test/faults/harness/scoring.js';
import { RecordingViewer } from '../../test/faults/harness/viewer.js';
import type { Cluster } from './cluster.js';
import { LatencySamples } from './stats.js';

/** How often the driver hands out due events: fine enough for 100 ms windows. */
const TICK_MS = 10;
/** Viewers connect in groups of this size, so the handshakes do not all land at once. */
const CONNECT_GROUP = 200;
const CONNECT_TIMEOUT_MS = 60_000;
/** After the last event of a phase: time for outboxes to drain and viewers to receive. */
const SETTLE_TIMEOUT_MS = 15_000;
const SAMPLE_MS = 500;
/** Pushes a console keeps in flight: enough that none waits for an ack at 80 events/s. */
const CONSOLE_PIPELINE = 16;

export interface PhaseResult {
  label: string;
  offeredPerSecond: number;
  acceptedPerSecond: number;
  latency: ReturnType<LatencySamples['summary']>;
  /** Events a viewer should have received and did not (all viewers summed). */
  lost: number;
  expectedDeliveries: number;
  /** Contract violations seen on the wire (baseCursor gaps, repeats); -1: not checkable (reference). */
  violations: number;
  /** Server CPU, percent of one core, summed over processes. */
  serverCpuPercent: number;
  serverRssMaxMb: number;
  benchCpuPercent: number;
  /** Pushes refused or timed out during the phase, and by code. */
  refusedPushes: number;
  refusals: Record<string, number>;
}

export class Traffic {
  readonly consoles: RawConsole[] = [];
  readonly viewers: RecordingViewer[] = [];
  private readonly recordedAt = new Map<string, number>();
  private samples = new LatencySamples();
  /** Per viewer: events received with seq above the phase's first seq. */
  private received: number[] = [];
  private phaseStartSeq = new Map<string, number>();
  private readonly random = seededRandom(7);

  private constructor(private readonly cluster: Cluster) {}

  static async open(cluster: Cluster, viewerCount: number): Promise<Traffic> {
    const t = new Traffic(cluster);
    const scorers = await cluster.tokens('scorer', cluster.matchIds.length);
    cluster.matchIds.forEach((matchId, i) => {
      t.consoles.push(
        new RawConsole({
          url: cluster.urlFor(i),
          token: scorers[i]!,
          matchId,
          // Latency is measured from record(): a console pushes each event at once (pipelined),
          // so an event waits for the server's window, not for the previous ack.
          chunk: 500,
          maxInFlight: CONSOLE_PIPELINE,
        }),
      );
    });
    const viewerTokens = await cluster.tokens('viewer', viewerCount);
    for (let start = 0; start < viewerCount; start += CONNECT_GROUP) {
      const group: RecordingViewer[] = [];
      for (let i = start; i < Math.min(viewerCount, start + CONNECT_GROUP); i++) {
        const matchId = cluster.matchIds[i % cluster.matchIds.length]!;
        const index = i;
        t.received.push(0);
        const viewer = new RecordingViewer({
          // The other process than the match's console, when there are two: broadcasts cross the adapter.
          url: cluster.urlFor(i + 1),
          token: viewerTokens[i]!,
          matchIds: [matchId],
          name: `v${i}`,
          keepEvents: false,
          contract: !cluster.reference,
          onEvent: (event, at) => t.onViewerEvent(index, event.matchId, event.seq, at),
        });
        group.push(viewer);
      }
      t.viewers.push(...group);
      await waitFor(() => group.every((v) => v.connects > 0), CONNECT_TIMEOUT_MS, 'viewers did not connect');
    }
    await waitFor(() => t.consoles.every((c) => c.connected), CONNECT_TIMEOUT_MS, 'consoles did not connect');
    return t;
  }

  /** Drive `perCourt` events/s on every court for `ms`, then settle and measure. */
  async phase(label: string, perCourt: number, ms: number): Promise<PhaseResult> {
    this.samples = new LatencySamples();
    this.received.fill(0);
    for (const c of this.consoles) this.phaseStartSeq.set(c.matchId, c.log.length);
    const acksBefore = this.consoles.map((c) => c.acks.length);
    const ackedBefore = this.consoles.reduce((n, c) => n + c.ackedSeq, 0);
    const violationsBefore = this.viewers.reduce((n, v) => n + v.violations.length, 0);
    const pids = this.cluster.servers.map((s) => s.pid!).filter(Boolean);
    const cpuBefore = pids.map(processCpuMs);
    const benchCpuBefore = process.cpuUsage();
    let rssMax = 0;
    const sampler = setInterval(() => {
      rssMax = Math.max(rssMax, ...this.cluster.servers.map((s) => s.rssBytes()));
    }, SAMPLE_MS);

    const started = Date.now();
    const due = new Array<number>(this.consoles.length).fill(0);
    while (Date.now() - started < ms) {
      await sleep(TICK_MS);
      const elapsed = (Date.now() - started) / 1000;
      this.consoles.forEach((c, i) => {
        // Courts start staggered within the first second, like real rallies.
        const target = Math.floor(elapsed * perCourt + (i / this.consoles.length) * Math.min(1, perCourt));
        while (due[i]! < target) {
          due[i]!++;
          const event = c.record(scoringEvent(c.log.length + 1, this.random));
          this.recordedAt.set(`${c.matchId}:${event.seq}`, Date.now());
        }
      });
    }
    const wall = Date.now() - started;
    const ackedInWindow = this.consoles.reduce((n, c) => n + c.ackedSeq, 0) - ackedBefore;
    const cpuAfter = pids.map(processCpuMs);
    const benchCpu = process.cpuUsage(benchCpuBefore);
    await this.settle();
    clearInterval(sampler);

    const refusals: Record<string, number> = {};
    this.consoles.forEach((c, i) => {
      for (const a of c.acks.slice(acksBefore[i]))
        if (!a.ack.ok) refusals[a.ack.code] = (refusals[a.ack.code] ?? 0) + 1;
    });
    const expectedPer = this.consoles.map((c) => c.log.length - this.phaseStartSeq.get(c.matchId)!);
    const offered = expectedPer.reduce((a, b) => a + b, 0);
    let expectedDeliveries = 0;
    let lost = 0;
    this.viewers.forEach((v, i) => {
      const expected = expectedPer[i % this.consoles.length]!;
      expectedDeliveries += expected;
      lost += Math.max(0, expected - this.received[i]!);
    });
    this.recordedAt.clear();
    return {
      label,
      offeredPerSecond: (offered * 1000) / wall,
      acceptedPerSecond: (ackedInWindow * 1000) / wall,
      latency: this.samples.summary(),
      lost,
      expectedDeliveries,
      violations: this.cluster.reference
        ? -1
        : this.viewers.reduce((n, v) => n + v.violations.length, 0) - violationsBefore,
      serverCpuPercent: (cpuAfter.reduce((n, v, i) => n + v - cpuBefore[i]!, 0) * 100) / wall,
      serverRssMaxMb: rssMax / 1024 / 1024,
      benchCpuPercent: ((benchCpu.user + benchCpu.system) / 1000 / wall) * 100,
      refusedPushes: Object.values(refusals).reduce((a, b) => a + b, 0),
      refusals,
    };
  }

  close(): void {
    for (const c of this.consoles) c.close();
    for (const v of this.viewers) v.close();
  }

  private onViewerEvent(viewer: number, matchId: string, seq: number, at: number): void {
    if (seq <= (this.phaseStartSeq.get(matchId) ?? 0)) return;
    this.received[viewer]!++;
    const recorded = this.recordedAt.get(`${matchId}:${seq}`);
    if (recorded !== undefined) this.samples.add(at - recorded);
  }

  private async settle(): Promise<void> {
    const deadline = Date.now() + SETTLE_TIMEOUT_MS;
    await Promise.race([Promise.all(this.consoles.map((c) => c.drained())), sleep(SETTLE_TIMEOUT_MS)]);
    const expected = this.consoles.map((c) => c.log.length - this.phaseStartSeq.get(c.matchId)!);
    while (Date.now() < deadline) {
      if (this.viewers.every((v, i) => this.received[i]! >= expected[i % this.consoles.length]!)) return;
      await sleep(50);
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

async function waitFor(condition: () => boolean, ms: number, message: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(message);
    await sleep(50);
  }
}
