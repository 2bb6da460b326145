/**
 * Splits one direction of a proxied TCP stream into pieces the proxy may drop or
 * duplicate without breaking the stream: the HTTP upgrade head passes as it is, then
 * every WebSocket frame is one piece (with its text payload, unmasked, for matching).
 * Non-WebSocket connections (HTTP long-polling) pass through as raw bytes.
 */
export interface StreamPiece {
  bytes: Buffer;
  /** Payload text of a complete, uncompressed text frame; null for anything else. */
  text: string | null;
}

type Phase = 'head' | 'frames' | 'raw';

const HEAD_END = Buffer.from('\r\n\r\n');
/** A head longer than this is not an HTTP upgrade we care about: pass it raw. */
const MAX_HEAD_BYTES = 16 * 1024;

export class WebSocketFrameSplitter {
  private phase: Phase = 'head';
  private buffer: Buffer = Buffer.alloc(0);

  /** 'up': client -> server (masked frames after an upgrade request); 'down': server -> client. */
  constructor(private readonly direction: 'up' | 'down') {}

  push(chunk: Buffer): StreamPiece[] {
    if (this.phase === 'raw') return [{ bytes: chunk, text: null }];
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    const out: StreamPiece[] = [];
    if (this.phase === 'head') {
      const end = this.buffer.indexOf(HEAD_END);
      if (end < 0) {
        if (this.buffer.length > MAX_HEAD_BYTES) return this.goRaw();
        return out;
      }
      const head = this.buffer.subarray(0, end + HEAD_END.length);
      this.buffer = this.buffer.subarray(end + HEAD_END.length);
      out.push({ bytes: head, text: null });
      const text = head.toString('latin1').toLowerCase();
      const upgraded = this.direction === 'up' ? text.includes('upgrade: websocket') : text.startsWith('http/1.1 101');
      if (!upgraded) {
        out.push(...this.goRaw());
        return out;
      }
      this.phase = 'frames';
    }
    for (;;) {
      const frame = readFrame(this.buffer);
      if (!frame) break;
      out.push(frame.piece);
      this.buffer = this.buffer.subarray(frame.length);
    }
    return out;
  }

  private goRaw(): StreamPiece[] {
    this.phase = 'raw';
    const rest = this.buffer;
    this.buffer = Buffer.alloc(0);
    return rest.length ? [{ bytes: rest, text: null }] : [];
  }
}

function readFrame(buf: Buffer): { piece: StreamPiece; length: number } | null {
  if (buf.length < 2) return null;
  const b0 = buf[0]!;
  const b1 = buf[1]!;
  const masked = (b1 & 0x80) !== 0;
  let len = b1 & 0x7f;
  let offset = 2;
  if (len === 126) {
    if (buf.length < 4) return null;
    len = buf.readUInt16BE(2);
    offset = 4;
  } else if (len === 127) {
    if (buf.length < 10) return null;
    len = Number(buf.readBigUInt64BE(2));
    offset = 10;
  }
  const maskOffset = offset;
  if (masked) offset += 4;
  const total = offset + len;
  if (buf.length < total) return null;
  const bytes = Buffer.from(buf.subarray(0, total));
  const opcode = b0 & 0x0f;
  const fin = (b0 & 0x80) !== 0;
  const compressed = (b0 & 0x40) !== 0;
  let text: string | null = null;
  if (opcode === 1 && fin && !compressed) {
    const payload = Buffer.from(buf.subarray(offset, total));
    if (masked) for (let i = 0; i < payload.length; i++) payload[i]! ^= buf[maskOffset + (i % 4)]!;
    text = payload.toString('utf8');
  }
  return { piece: { bytes, text }, length: total };
}
