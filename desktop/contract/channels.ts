/**
 * Channel names and message shapes of the two bridges that serve the ConsoleApi to the
 * operator's screen: Electron IPC (main <-> preload) and the web console host's local
 * Socket.io. One table, so the sides cannot drift apart. Arguments crossing either bridge
 * are validated on the privileged side (serve.ts). Types only besides the names: the
 * sandboxed preload bundles this file.
 */
import type { ConsoleView, ServerTimeAnswer } from './api.js';
import type { CommandResult, ConsoleCommand } from './commands.js';

export const BRIDGE_CHANNELS = {
  /** invoke/emit with ack: (command, args) -> CommandResult */
  run: 'console:run',
  /** invoke/emit with ack: () -> ConsoleView */
  view: 'console:view',
  /** pushed to every window/socket after each committed change: (ConsoleView) */
  viewPush: 'console:view:push',
  /** invoke/emit with ack: () -> ServerTimeAnswer (the screen's time:sync against the core) */
  serverTime: 'console:server-time',
} as const;

/** The screen's requests and their answers: IPC invoke in Electron, emit with ack on the web host. */
export interface BridgeRequests {
  [BRIDGE_CHANNELS.run]: (command: ConsoleCommand, args: unknown) => CommandResult;
  [BRIDGE_CHANNELS.view]: () => ConsoleView;
  [BRIDGE_CHANNELS.serverTime]: () => ServerTimeAnswer;
}

/** Web console host: what the browser may emit (each request with its ack last). */
export type HostClientToServer = {
  [K in keyof BridgeRequests]: (
    ...args: [...Parameters<BridgeRequests[K]>, ack: (answer: ReturnType<BridgeRequests[K]>) => void]
  ) => void;
};

/** Web console host: what it pushes. */
export interface HostServerToClient {
  [BRIDGE_CHANNELS.viewPush]: (view: ConsoleView) => void;
}

/** Handshake auth of the web console host (LAN mode needs the PIN). */
export interface HostHandshakeAuth {
  pin?: string;
}

/** connect_error message when the PIN is missing or wrong. */
export const HOST_PIN_REQUIRED = 'PIN_REQUIRED';
