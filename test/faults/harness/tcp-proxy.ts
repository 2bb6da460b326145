/**
 * A loopback TCP proxy that sits between consoles/viewers and the server and injects
 * network faults on command:
 * - `pass`: forward both ways (optionally delayed, order kept);
 * - `blackhole`: accept connections but drop every byte (a dead route). Connections
 *   that lost bytes have a broken stream, so healing resets them, like the TCP timeout
 *   a real outage ends in;
 * - `refuse`: accept, then reset at once (server port closed / crashed host);
 * - `resetAll()`: RST every open connection now;
 * - `cut('up' | 'down')`: drop bytes in one direction only (asymmetric failure);
 * - frame rules: after the WebSocket upgrade the proxy parses frames, so it can drop
 *   whole server->client frames (lost acks, the stream stays valid) or duplicate
 *   client->server frames (duplicate delivery).
 * Upstreams are a list: a new connection goes to the first one that accepts, so one
 * proxy also fronts several server processes (failover).
 */
import net from 'node:net';
import { WebSocketFrameSplitter } from './ws-frames.js';

export type ProxyMode = 'pass' | 'blackhole' | 'refuse';
export type Direction = 'up' | 'down';

export interface Upstream {
  host: string;
  port: number;
}

/** A rule applied to whole WebSocket frames (text payload) in one direction. */
export interface FrameRule {
  direction: Direction;
  /** Text of the frame payload (engine.io packet, e.g. `43/console,7[...]`). */
  match: (payload: string) => boolean;
  action: 'drop' | 'duplicate';
  /** How many frames the rule may still hit; it is removed at 0. */
  remaining: number;
  /** Number of frames it hit. */
  hits: number;
}

/** Connecting to an upstream must fail fast so failover to the next one is quick. */
const UPSTREAM_CONNECT_TIMEOUT_MS = 1_000;

interface Link {
  client: net.Socket;
  server: net.Socket | null;
  /** Bytes were dropped: the stream is broken and must be reset when healing. */
  tainted: boolean;
  up: WebSocketFrameSplitter;
  down: WebSocketFrameSplitter;
  /** Client bytes that arrived before the upstream connection was open. */
  pendingUp: Buffer[];
  closed: boolean;
}

export class TcpProxy {
  private mode: ProxyMode = 'pass';
  private delayMs = 0;
  private cutDirection: Direction | null = null;
  private readonly links = new Set<Link>();
  private readonly rules: FrameRule[] = [];
  private upstreams: Upstream[];
  /** Counters for tests and reports. */
  readonly stats = { accepted: 0, resets: 0, droppedBytes: 0, droppedFrames: 0, duplicatedFrames: 0 };

  private constructor(
    private readonly server: net.Server,
    upstreams: Upstream[],
  ) {
    this.upstreams = upstreams;
  }

  static async start(upstreams: Upstream[], port = 0): Promise<TcpProxy> {
    const server = net.createServer();
    const proxy = new TcpProxy(server, upstreams);
    server.on('connection', (socket) => proxy.accept(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    return proxy;
  }

  get port(): number {
    return (this.server.address() as net.AddressInfo).port;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get openConnections(): number {
    return this.links.size;
  }

  setUpstreams(upstreams: Upstream[]): void {
    this.upstreams = upstreams;
  }

  /** Switch the fault mode. Going back to `pass` resets every connection that lost bytes. */
  setMode(mode: ProxyMode): void {
    this.mode = mode;
    if (mode === 'refuse') this.resetAll();
    if (mode === 'pass') this.resetTainted();
  }

  /** Delay every chunk by `ms` in both directions (order kept); 0 turns it off. */
  setDelay(ms: number): void {
    this.delayMs = ms;
  }

  /** Drop bytes in one direction only; null heals (and resets the broken connections). */
  cut(direction: Direction | null): void {
    this.cutDirection = direction;
    if (direction === null) this.resetTainted();
  }

  addFrameRule(rule: Omit<FrameRule, 'hits'>): FrameRule {
    const full: FrameRule = { ...rule, hits: 0 };
    this.rules.push(full);
    return full;
  }

  clearFrameRules(): void {
    this.rules.length = 0;
  }

  /** RST every open connection (both sides see ECONNRESET). */
  resetAll(): void {
    for (const link of [...this.links]) this.reset(link);
  }

  async close(): Promise<void> {
    this.resetAll();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: net.Socket): void {
    this.stats.accepted++;
    client.setNoDelay(true);
    const link: Link = {
      client,
      server: null,
      tainted: false,
      up: new WebSocketFrameSplitter('up'),
      down: new WebSocketFrameSplitter('down'),
      pendingUp: [],
      closed: false,
    };
    this.links.add(link);
    client.on('error', () => this.close1(link));
    client.on('close', () => this.close1(link));
    if (this.mode === 'refuse') {
      this.reset(link);
      return;
    }
    client.on('data', (chunk: Buffer) => this.forward(link, 'up', chunk));
    if (this.mode === 'blackhole') {
      link.tainted = true;
      return;
    }
    void this.connectUpstream(link);
  }

  private async connectUpstream(link: Link): Promise<void> {
    for (const upstream of this.upstreams) {
      const socket = await tryConnect(upstream);
      if (link.closed) {
        socket?.destroy();
        return;
      }
      if (!socket) continue;
      socket.setNoDelay(true);
      link.server = socket;
      socket.on('data', (chunk: Buffer) => this.forward(link, 'down', chunk));
      socket.on('error', () => this.reset(link));
      socket.on('close', () => this.reset(link));
      for (const pending of link.pendingUp.splice(0)) this.write(link, 'up', pending);
      return;
    }
    // No upstream is listening: behave like a closed port.
    this.reset(link);
  }

  private forward(link: Link, direction: Direction, chunk: Buffer): void {
    if (this.mode === 'blackhole' || this.cutDirection === direction) {
      link.tainted = true;
      this.stats.droppedBytes += chunk.length;
      return;
    }
    const splitter = direction === 'up' ? link.up : link.down;
    for (const piece of splitter.push(chunk)) {
      const out = this.applyRules(direction, piece);
      for (const buffer of out) {
        if (direction === 'up' && !link.server) link.pendingUp.push(buffer);
        else this.write(link, direction, buffer);
      }
    }
  }

  private applyRules(direction: Direction, piece: { bytes: Buffer; text: string | null }): Buffer[] {
    if (piece.text === null) return [piece.bytes];
    for (const rule of this.rules) {
      if (rule.direction !== direction || rule.remaining <= 0 || !rule.match(piece.text)) continue;
      rule.remaining--;
      rule.hits++;
      if (rule.action === 'drop') {
        this.stats.droppedFrames++;
        return [];
      }
      this.stats.duplicatedFrames++;
      return [piece.bytes, piece.bytes];
    }
    return [piece.bytes];
  }

  private write(link: Link, direction: Direction, bytes: Buffer): void {
    const target = direction === 'up' ? link.server : link.client;
    if (!target) return;
    if (this.delayMs <= 0) {
      if (!target.destroyed) target.write(bytes);
      return;
    }
    // Same delay for every chunk keeps their order (timers fire in creation order).
    setTimeout(() => {
      if (!target.destroyed && !link.closed) target.write(bytes);
    }, this.delayMs);
  }

  private resetTainted(): void {
    for (const link of [...this.links]) if (link.tainted) this.reset(link);
  }

  private reset(link: Link): void {
    if (link.closed) return;
    this.stats.resets++;
    link.client.resetAndDestroy();
    link.server?.resetAndDestroy();
    this.close1(link);
  }

  private close1(link: Link): void {
    if (link.closed) return;
    link.closed = true;
    this.links.delete(link);
    if (!link.client.destroyed) link.client.destroy();
    if (link.server && !link.server.destroyed) link.server.destroy();
  }
}

function tryConnect(upstream: Upstream): Promise<net.Socket | null> {
  return new Promise((resolve) => {
    const socket = net.connect(upstream.port, upstream.host);
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(null);
    }, UPSTREAM_CONNECT_TIMEOUT_MS);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      resolve(socket);
    });
    socket.once('error', () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(null);
    });
  });
}
