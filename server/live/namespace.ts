/** The /live namespace: SUBSCRIBE_MATCH (with catch-up from `since`), SUBSCRIBE_COURTS, UNSUBSCRIBE_MATCH. */
import type { Namespace } from 'socket.io';
import {
  describeZodError,
  subscribeCourtsSchema,
  subscribeMatchSchema,
  unsubscribeMatchSchema,
  type ConsolePresence,
  type LiveClientToServer,
  type LiveServerToClient,
} from '../../shared/protocol.js';
import type { Bus } from '../bus.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import type { SocketData } from '../sockets/handshake.js';
import type { Broadcaster } from './broadcaster.js';
import { LiveClient, type LiveLimits, type LiveSources } from './subscriptions.js';

export interface LiveDeps {
  broadcaster: Broadcaster;
  sources: LiveSources;
  bus: Bus;
  metrics: Metrics;
  logger: Logger;
  limits: LiveLimits;
}

type LiveNamespace = Namespace<LiveClientToServer, LiveServerToClient, Record<string, never>, SocketData>;

/** Room of the director's sockets: PRESENCE names users and consoles, so only admins get it. */
const ADMIN_ROOM = 'role:admin';

/**
 * How often viewers that stopped reading are looked for. Room broadcasts write to every
 * member without asking; within this a non-reader holds at most a few windows' updates.
 */
const SLOW_VIEWER_SWEEP_MS = 250;

/** Acks that must always be callable even when a client emitted without one. */
function safeAck<T>(ack: unknown): (res: T) => void {
  return typeof ack === 'function' ? (ack as (res: T) => void) : () => {};
}

export function setupLiveNamespace(nsp: LiveNamespace, deps: LiveDeps): () => void {
  const clients = new Set<LiveClient>();
  const { broadcaster } = deps;
  broadcaster.attach({
    matchUpdate: (rooms, update) => nsp.local.to(rooms).emit('MATCH_UPDATE', update),
    frame: (room, frame) => nsp.local.to(room).emit('MATCH_UPDATES', frame),
    courtUpdate: (rooms, msg) => nsp.local.to(rooms).emit('COURT_UPDATE', msg),
    roomSize: (room) => nsp.adapter.rooms.get(room)?.size ?? 0,
  });

  /** Last online state seen per console (a few hundred at most): only flips reach viewers. */
  const consoleOnline = new Map<string, boolean>();
  const presenceChanged = (presence: ConsolePresence) => {
    nsp.local.to(ADMIN_ROOM).emit('PRESENCE', presence);
    if (consoleOnline.get(presence.consoleId) === presence.online) return;
    consoleOnline.set(presence.consoleId, presence.online);
    // The matches it writes (whether or not it ever reported one: a v1 console only pushes),
    // and the one it reported.
    const fed = new Set(broadcaster.writtenBy(presence.consoleId));
    if (presence.matchId) fed.add(presence.matchId);
    for (const matchId of fed) broadcaster.freshnessChanged(matchId);
  };

  const off = deps.bus.on((message) => {
    if (message.type === 'presence') presenceChanged(message.presence);
  });

  const sweep = setInterval(() => {
    for (const client of clients) if (client.backedUp()) client.drop('write buffer');
  }, SLOW_VIEWER_SWEEP_MS);
  sweep.unref();

  nsp.on('connection', (socket) => {
    const client = new LiveClient(socket, broadcaster, deps.sources, deps.metrics, deps.logger, deps.limits);
    clients.add(client);
    socket.on('disconnect', () => clients.delete(client));
    if (socket.data.user.role === 'admin') void socket.join(ADMIN_ROOM);

    socket.on('SUBSCRIBE_MATCH', (raw, ackArg) => {
      const ack = safeAck<Parameters<typeof ackArg>[0]>(ackArg);
      const parsed = subscribeMatchSchema.safeParse(raw);
      if (!parsed.success) return ack({ ok: false, code: 'VALIDATION', message: describeZodError(parsed.error) });
      const { matchId, since } = parsed.data;
      client.run(() => client.subscribeMatch(matchId, since, ack));
    });

    socket.on('SUBSCRIBE_COURTS', (raw, ackArg) => {
      const ack = safeAck<Parameters<typeof ackArg>[0]>(ackArg);
      const parsed = subscribeCourtsSchema.safeParse(raw ?? {});
      if (!parsed.success) return ack({ ok: false, code: 'VALIDATION', message: describeZodError(parsed.error) });
      const { courts, frames } = parsed.data;
      client.run(() => client.subscribeCourts(courts, frames ?? false, ack));
    });

    socket.on('UNSUBSCRIBE_MATCH', (raw, ackArg) => {
      const ack = safeAck<Parameters<typeof ackArg>[0]>(ackArg);
      const parsed = unsubscribeMatchSchema.safeParse(raw);
      if (!parsed.success) return ack({ ok: false, code: 'VALIDATION', message: describeZodError(parsed.error) });
      client.run(() => {
        client.unsubscribeMatch(parsed.data.matchId);
        ack({ ok: true });
      });
    });
  });
  return () => {
    off();
    clearInterval(sweep);
  };
}
