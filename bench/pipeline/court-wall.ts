/**
 * A court wall: one /live socket following every court of a cluster (SUBSCRIBE_COURTS),
 * either asking for one MATCH_UPDATES frame per window (`frames: true`, protocol 1.1) or
 * as a v1 follower (one MATCH_UPDATE per match). Counts the socket.io events (frames) it
 * receives during a phase's driving span, checks the feed with the fault harness's
 * RecordingViewer, and counts the phase's events it got.
 */
import { RecordingViewer } from '../../test/faults/harness/viewer.js';
import type { Cluster } from '../load/cluster.js';
import { LatencySamples } from '../load/stats.js';
import { waitFor, type PhaseResult } from '../load/traffic.js';

const SUBSCRIBE_TIMEOUT_MS = 15_000;

export interface WallResult {
  frames: boolean;
  courts: number;
  /**
   * socket.io events received per second of the driving span: (frames - 1) / time from the
   * first to the last, so a socket that gets exactly one frame per 100 ms window shows 10.
   */
  framesPerSecond: number;
  framesInSpan: number;
  /** Frames of the span by event name. */
  byEvent: Record<string, number>;
  eventsReceived: number;
  eventsExpected: number;
  violations: number;
  latency: ReturnType<LatencySamples['summary']>;
}

export class CourtWall {
  private readonly frameLog: Array<{ at: number; event: string }> = [];
  private startSeq: Record<string, number> = {};
  private received = 0;
  private latency = new LatencySamples();
  private violationsAtStart = 0;

  private constructor(
    private readonly viewer: RecordingViewer,
    readonly frames: boolean,
    readonly courts: number,
  ) {
    viewer.socket.onAny((event: string) => this.frameLog.push({ at: Date.now(), event }));
  }

  static async open(cluster: Cluster, frames: boolean, token: string): Promise<CourtWall> {
    let wall: CourtWall | null = null;
    const viewer = new RecordingViewer({
      url: cluster.urlFor(1),
      token,
      matchIds: [],
      courts: cluster.courts,
      frames,
      name: frames ? 'court wall (frames)' : 'court wall (v1)',
      keepEvents: false,
      contract: true,
      onEvent: (event, at) => wall?.onEvent(event.matchId, event.seq, event.at, at),
    });
    wall = new CourtWall(viewer, frames, cluster.courts.length);
    try {
      await waitFor(() => viewer.subscribed > 0, SUBSCRIBE_TIMEOUT_MS, `${viewer.name} did not subscribe`);
    } catch (error) {
      viewer.close();
      throw error;
    }
    return wall;
  }

  /** After the phase: wait until the wall got the phase's events (its frames trail by up to a window). */
  async caughtUp(expected: number, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.received < expected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  }

  /** Call right before the phase: count its events (seq above these) from now on. */
  startPhase(startSeq: Record<string, number>): void {
    this.startSeq = { ...startSeq };
    this.received = 0;
    this.latency = new LatencySamples();
    this.frameLog.length = 0;
    this.violationsAtStart = this.viewer.violations.length;
  }

  result(phase: PhaseResult, eventsExpected: number): WallResult {
    const end = phase.startedAt + phase.drivenMs;
    const inSpan = this.frameLog.filter((f) => f.at >= phase.startedAt && f.at <= end);
    const byEvent: Record<string, number> = {};
    for (const f of inSpan) byEvent[f.event] = (byEvent[f.event] ?? 0) + 1;
    const spanMs = inSpan.length > 1 ? inSpan.at(-1)!.at - inSpan[0]!.at : 0;
    return {
      frames: this.frames,
      courts: this.courts,
      framesPerSecond: spanMs > 0 ? ((inSpan.length - 1) * 1000) / spanMs : inSpan.length,
      framesInSpan: inSpan.length,
      byEvent,
      eventsReceived: this.received,
      eventsExpected,
      violations: this.viewer.violations.length - this.violationsAtStart,
      latency: this.latency.summary(),
    };
  }

  violationSamples(): string[] {
    return this.viewer.violations.slice(this.violationsAtStart, this.violationsAtStart + 3);
  }

  close(): void {
    this.viewer.close();
  }

  private onEvent(matchId: string, seq: number, at: string, receivedAt: number): void {
    if (seq <= (this.startSeq[matchId] ?? Number.POSITIVE_INFINITY)) return;
    this.received++;
    this.latency.add(receivedAt - Date.parse(at));
  }
}
