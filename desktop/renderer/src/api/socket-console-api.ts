/**
 * ConsoleApi over the web console host's local Socket.io (desktop/web-host). The host runs the
 * console core; this adapter only relays. Its own link state (to the host, not the server) is
 * observable so the screen can ask for the LAN PIN or say the host is gone.
 */
import { io, type Socket } from 'socket.io-client';
import type { ConsoleApi, ConsoleView } from '../../../contract/api.js';
import type { CommandResult } from '../../../contract/commands.js';
import {
  BRIDGE_CHANNELS,
  HOST_PIN_REQUIRED,
  type HostClientToServer,
  type HostServerToClient,
} from '../../../contract/channels.js';

/** A command the host has not answered in this long is reported as failed, not left hanging. */
const RUN_TIMEOUT_MS = 10_000;
/** Pause before reconnecting after the host closed the connection itself. */
const HOST_RECONNECT_MS = 1_000;

export type HostLinkState = 'connecting' | 'open' | 'pin-required' | 'closed';

export interface SocketConsoleApi extends ConsoleApi {
  linkState(): HostLinkState;
  onLinkState(listener: (state: HostLinkState) => void): () => void;
  /** Retry with a PIN (LAN mode). */
  usePin(pin: string): void;
  close(): void;
}

export function createSocketConsoleApi(options: { url?: string; pin?: string | null } = {}): SocketConsoleApi {
  const socket: Socket<HostServerToClient, HostClientToServer> = io(options.url ?? '/', {
    auth: options.pin ? { pin: options.pin } : {},
    transports: ['websocket'],
  });
  let state: HostLinkState = 'connecting';
  const linkListeners = new Set<(state: HostLinkState) => void>();
  const viewListeners = new Set<(view: ConsoleView) => void>();
  const setState = (next: HostLinkState) => {
    if (next === state) return;
    state = next;
    for (const l of linkListeners) l(state);
  };

  /** Views pushed so far: the host pushes after every commit, so the last push is never older than any answer. */
  let pushes = 0;
  socket.on('connect', () => {
    setState('open');
    // After a host restart or reconnect, the view may have moved on: fetch it once. The host
    // answers asynchronously, so a push may overtake the answer; then the answer may be the
    // older of the two and must not replace it on screen.
    const pushesAtRequest = pushes;
    socket.emit(BRIDGE_CHANNELS.view, (view) => {
      if (pushes !== pushesAtRequest) return;
      for (const l of viewListeners) l(view);
    });
  });
  socket.on('disconnect', (reason) => {
    setState('closed');
    // Socket.io does not reconnect after a server-side disconnect; the host coming back must
    // find its screens again without anyone reloading them.
    if (reason === 'io server disconnect') setTimeout(() => socket.connect(), HOST_RECONNECT_MS);
  });
  socket.on('connect_error', (error) => {
    if (error.message === HOST_PIN_REQUIRED) setState('pin-required');
    else setState('closed');
  });
  socket.on(BRIDGE_CHANNELS.viewPush, (view) => {
    pushes++;
    for (const l of viewListeners) l(view);
  });

  return {
    async run(command, args): Promise<CommandResult> {
      // Never queue a command while the host is away: Socket.io would deliver it on reconnect,
      // long after the operator saw it fail, and score a point nobody meant any more.
      if (!socket.connected) {
        return { ok: false, code: 'UNAVAILABLE', message: 'the console host is not connected; nothing was recorded' };
      }
      try {
        return await socket.timeout(RUN_TIMEOUT_MS).emitWithAck(BRIDGE_CHANNELS.run, command, args);
      } catch {
        return { ok: false, code: 'UNAVAILABLE', message: 'the console host did not answer; is it running?' };
      }
    },
    view: () => socket.timeout(RUN_TIMEOUT_MS).emitWithAck(BRIDGE_CHANNELS.view),
    serverTime: () => socket.timeout(RUN_TIMEOUT_MS).emitWithAck(BRIDGE_CHANNELS.serverTime),
    subscribe(listener) {
      viewListeners.add(listener);
      return () => void viewListeners.delete(listener);
    },
    linkState: () => state,
    onLinkState(listener) {
      linkListeners.add(listener);
      return () => void linkListeners.delete(listener);
    },
    usePin(pin) {
      socket.auth = { pin };
      setState('connecting');
      socket.disconnect().connect();
    },
    close() {
      socket.disconnect();
      linkListeners.clear();
      viewListeners.clear();
    },
  };
}
