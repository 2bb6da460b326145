/** Counters for what the security layer refused, on the server's own registry (GET /metrics). */
import client from 'prom-client';

export function createSecurityMetrics(registry: client.Registry) {
  return {
    refusals: new client.Counter({
      name: 'scoredesk_security_refusals_total',
      help: 'Messages and connections refused by the security layer, by code',
      labelNames: ['code'] as const,
      registers: [registry],
    }),
    disconnects: new client.Counter({
      name: 'scoredesk_security_disconnects_total',
      help: 'Sessions ended by the security layer (rate, forbidden, oversize)',
      labelNames: ['reason'] as const,
      registers: [registry],
    }),
    capLocalCounts: new client.Counter({
      name: 'scoredesk_security_cap_local_counts_total',
      help: 'Handshakes whose connection count had no answer from every process in time (a process just died or is stalled): counted on this process only',
      registers: [registry],
    }),
  };
}

export type SecurityMetrics = ReturnType<typeof createSecurityMetrics>;
