/**
 * How much a /live socket holds on the server and has not yet handed to the kernel:
 * engine.io's write buffer (packets waiting while the transport is busy) plus what the
 * WebSocket has queued in its net.Socket. A viewer that stops reading makes both grow;
 * past the limit it is dropped (it reconnects and catches up from its cursor), so the
 * memory one viewer can pin is bounded in bytes, not only in packets.
 */

/** Bytes one viewer may keep waiting on the server: a full catch-up page (1000 events, ~200 KB) many times over. */
export const LIVE_WRITE_BUFFER_MAX_BYTES = 4 * 1024 * 1024;

interface EnginePacket {
  data?: unknown;
}

interface EngineConn {
  writeBuffer?: EnginePacket[];
  transport?: { socket?: { bufferedAmount?: number } };
}

function sizeOf(data: unknown): number {
  if (typeof data === 'string') return data.length;
  if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) return data.byteLength;
  return 0;
}

export function bufferedBytes(conn: unknown): number {
  const c = conn as EngineConn;
  let bytes = 0;
  for (const packet of c.writeBuffer ?? []) bytes += sizeOf(packet.data);
  const ws = c.transport?.socket;
  if (ws && typeof ws.bufferedAmount === 'number') bytes += ws.bufferedAmount;
  return bytes;
}

export function viewerBackedUp(conn: unknown, maxBytes = LIVE_WRITE_BUFFER_MAX_BYTES): boolean {
  return bufferedBytes(conn) > maxBytes;
}
