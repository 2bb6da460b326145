/** Prometheus metrics (GET /metrics). One registry per server instance, so in-process tests do not share counters. */
import client from 'prom-client';

export function createMetrics() {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });
  const m = {
    registry,
    connections: new client.Gauge({
      name: 'scoredesk_socket_connections',
      help: 'Open Socket.io connections by namespace',
      labelNames: ['namespace'] as const,
      registers: [registry],
    }),
    eventsAccepted: new client.Counter({
      name: 'scoredesk_events_accepted_total',
      help: 'Events committed to PostgreSQL (duplicates not counted)',
      registers: [registry],
    }),
    eventsDuplicate: new client.Counter({
      name: 'scoredesk_events_duplicate_total',
      help: 'Resent events acknowledged as duplicates',
      registers: [registry],
    }),
    pushesRefused: new client.Counter({
      name: 'scoredesk_pushes_refused_total',
      help: 'events:push answered with ok:false, by error code',
      labelNames: ['code'] as const,
      registers: [registry],
    }),
    batchSize: new client.Histogram({
      name: 'scoredesk_batch_events',
      help: 'Events written per flush transaction',
      buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 5000],
      registers: [registry],
    }),
    flushDuration: new client.Histogram({
      name: 'scoredesk_flush_seconds',
      help: 'Duration of one flush transaction',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    dbLag: new client.Histogram({
      name: 'scoredesk_persist_lag_seconds',
      help: 'From receiving a push to its commit (includes the batch window)',
      buckets: [0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.3, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    flushFailures: new client.Counter({
      name: 'scoredesk_flush_failures_total',
      help: 'Flush transactions that failed (nothing acknowledged)',
      registers: [registry],
    }),
    // Hot standby mirrors pull every 500 ms: these show whether a pull costs the new events or the whole match.
    matchPulls: new client.Counter({
      name: 'scoredesk_match_pulls_total',
      help: 'match:pull requests answered with ok:true',
      registers: [registry],
    }),
    matchPullEvents: new client.Counter({
      name: 'scoredesk_match_pull_events_total',
      help: 'Stored events sent in match:pull answers',
      registers: [registry],
    }),
    liveDropped: new client.Counter({
      name: 'scoredesk_live_dropped_total',
      help: 'Viewers disconnected because they did not read',
      registers: [registry],
    }),
  };
  return m;
}

export type Metrics = ReturnType<typeof createMetrics>;
