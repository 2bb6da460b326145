/**
 * time:sync on /console and /live: the server's half of the NTP-style exchange every
 * console and display runs to learn its clock offset (arithmetic in shared/time-base.js).
 * It answers with when it received the request and when it sent the answer, so the
 * client can subtract the server's own time from the round trip.
 */
import type { Socket } from 'socket.io';
import { describeZodError, timeSyncSchema, type TimeSyncAck } from '../../shared/protocol.js';

export function attachTimeSync(socket: Socket): void {
  socket.on('time:sync', (raw: unknown, ack: unknown) => {
    const receivedAt = Date.now();
    if (typeof ack !== 'function') return;
    const reply = ack as (res: TimeSyncAck) => void;
    const parsed = timeSyncSchema.safeParse(raw ?? {});
    if (!parsed.success) return reply({ ok: false, code: 'VALIDATION', message: describeZodError(parsed.error) });
    reply({ ok: true, receivedAt, sentAt: Date.now() });
  });
}
