/**
 * A /live viewer that speaks Socket.io over a WebSocket written by hand on a raw TCP
 * socket, so a test can stop reading entirely (socket.pause()) while still sending:
 * the "viewer that never reads". socket.io-client cannot do this (ws resumes reading).
 */
import { randomBytes } from 'node:crypto';
import net from 'node:net';

function frame(text: string): Buffer {
  const payload = Buffer.from(text);
  const mask = randomBytes(4);
  let header: Buffer;
  if (payload.length < 126) header = Buffer.from([0x81, 0x80 | payload.length]);
  else if (payload.length < 65536) {
    header = Buffer.alloc(4);
    header[0] = 0x81;
    header[1] = 0x80 | 126;
    header.writeUInt16BE(payload.length, 2);
  } else {
    header = Buffer.alloc(10);
    header[0] = 0x81;
    header[1] = 0x80 | 127;
    header.writeBigUInt64BE(BigInt(payload.length), 2);
  }
  const masked = Buffer.alloc(payload.length);
  for (let i = 0; i < payload.length; i++) masked[i] = payload[i]! ^ mask[i % 4]!;
  return Buffer.concat([header, mask, masked]);
}

export interface RawViewer {
  /** Local port of the TCP connection (to find the server side of it). */
  localPort: number;
  emit(event: string, payload: unknown): void;
  /** Stop reading: the kernel buffers fill and the server must hold or drop. */
  pause(): void;
  closed: Promise<void>;
  destroy(): void;
}

export async function connectRawViewer(baseUrl: string, token: string, timeoutMs = 10_000): Promise<RawViewer> {
  const url = new URL(baseUrl);
  const socket = net.connect(Number(url.port), url.hostname);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  socket.write(
    `GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: ${url.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
  );
  let received = '';
  const connected = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`raw viewer: no connect (${received.slice(0, 200)})`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      received += chunk.toString('latin1');
      if (received.includes('0{"sid"') && !received.includes('40/live')) {
        // engine.io is open: connect the namespace once.
        if (!(socket as { _sent?: boolean })._sent) {
          (socket as { _sent?: boolean })._sent = true;
          socket.write(frame(`40/live,${JSON.stringify({ token, protocol: 1 })}`));
        }
      }
      if (received.includes('40/live,{"sid"')) {
        clearTimeout(timer);
        socket.off('data', onData);
        resolve();
      } else if (received.includes('44/live,')) {
        clearTimeout(timer);
        reject(
          new Error(
            `raw viewer refused: ${received.slice(received.indexOf('44/live,'), received.indexOf('44/live,') + 80)}`,
          ),
        );
      }
    };
    socket.on('data', onData);
  });
  await connected;
  let ackId = 0;
  return {
    localPort: socket.localPort!,
    emit(event, payload) {
      socket.write(frame(`42/live,${++ackId}${JSON.stringify([event, payload])}`));
    },
    pause() {
      socket.pause();
    },
    closed: new Promise((resolve) => socket.once('close', () => resolve())),
    destroy() {
      socket.destroy();
    },
  };
}
