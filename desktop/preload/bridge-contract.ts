/**
 * Channel names and message shapes of the two bridges that serve the ConsoleApi to the
 * operator's screen: Electron IPC (main <-> preload) and the web console host's local
 * Socket.io. One table, so the sides cannot drift apart. Arguments crossing either
 * bridge are validated on the privileged side with consoleCommandSchemas.
 */
import type { CommandResult, ConsoleCommand, ConsoleView, ServerTimeAnswer } from '../core/console-api.js';

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

/** Web console host: what the browser may emit. */
export interface HostClientToServer {
  'console:run': (command: ConsoleCommand, args: unknown, ack: (result: CommandResult) => void) => void;
  'console:view': (ack: (view: ConsoleView) => void) => void;
  'console:server-time': (ack: (answer: ServerTimeAnswer) => void) => void;
}

/** Web console host: what it pushes. */
export interface HostServerToClient {
  'console:view:push': (view: ConsoleView) => void;
}

/** Handshake auth of the web console host (LAN mode needs the PIN). */
export interface HostHandshakeAuth {
  pin?: string;
}

/** connect_error message when the PIN is missing or wrong. */
export const HOST_PIN_REQUIRED = 'PIN_REQUIRED';
