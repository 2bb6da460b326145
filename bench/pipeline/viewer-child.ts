/**
 * One viewer load-generator process, forked by viewer-fleet.ts: it holds its share of the
 * recording viewers (bench/load's ViewerTally over the fault harness's RecordingViewer) and
 * answers the fleet's requests over IPC. Latencies leave as whole-millisecond histograms.
 * It exits when the parent goes away, so a crashed bench leaves no generator behind.
 */
import { ViewerTally } from '../load/traffic.js';
import type { CollectReply, FleetReply, FleetRequest } from './viewer-fleet.js';

const tally = new ViewerTally();
let cpuAtStart = process.cpuUsage();
let startedAt = Date.now();

async function handle(request: FleetRequest): Promise<unknown> {
  switch (request.op) {
    case 'add':
      return tally.add(request.viewers, request.contract, request.timeoutMs);
    case 'start':
      tally.startPhase(request.startSeq);
      cpuAtStart = process.cpuUsage();
      startedAt = Date.now();
      return null;
    case 'behind':
      return tally.behind(request.expected);
    case 'collect': {
      const c = tally.collect(request.expected, request.window);
      const cpu = process.cpuUsage(cpuAtStart);
      const reply: CollectReply = {
        latency: c.latency.histogram(),
        windowLatency: c.windowLatency?.histogram() ?? null,
        lost: c.lost,
        expectedDeliveries: c.expectedDeliveries,
        violations: c.violations,
        violationSamples: c.violations ? tally.violationSamples(3) : [],
        cpuMs: (cpu.user + cpu.system) / 1000,
        spanMs: Date.now() - startedAt,
      };
      return reply;
    }
    case 'clear':
      tally.close();
      return null;
  }
}

process.on('message', (request: FleetRequest) => {
  handle(request).then(
    (result) => process.send?.({ id: request.id, ok: true, result } satisfies FleetReply),
    (error: unknown) => process.send?.({ id: request.id, ok: false, error: String(error) } satisfies FleetReply),
  );
});
process.on('disconnect', () => {
  tally.close();
  process.exit(0);
});
process.send?.({ id: 0, ok: true, result: 'ready' } satisfies FleetReply);
