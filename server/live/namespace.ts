/** The /live namespace: SUBSCRIBE_MATCH (with catch-up from `since`), SUBSCRIBE_COURTS, UNSUBSCRIBE_MATCH. */
import type { Namespace } from 'socket.io';
import {
  describeZodError,
  subscribeCourtsSchema,
  subscribeMatchSchema,
  unsubscribeMatchSchema,
  type ConsolePresence,
  type Fail,
  type LiveClientToServer,
  type LiveServerToClient,
} from '../../shared/protocol.js';
import type { Bus } from '../bus.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import type { SocketData } from '../sockets/handshake.js';
import { LiveClient, type LiveLimits, type LiveSources } from './subscriptions.js';

export interface LiveDeps {
  sources: LiveSources;
  getSnapshot: (matchId: string) => Promise<import('../../shared/match.js').MatchSnapshot | null>;
  listSnapshots: (courts?: string[]) => Promise<import('../../shared/match.js').MatchSnapshot[]>;
  bus: Bus;
  metrics: Metrics;
  logger: Logger;
  limits: LiveLimits;
}

type LiveNamespace = Namespace<LiveClientToServer, LiveServerToClient, Record<string, never>, SocketData>;

const unavailable: Fail = { ok: false, code: 'UNAVAILABLE', message: 'storage unreachable; retry later' };

/** Acks that must always be callable even when a client emitted without one. */
function safeAck<T>(ack: unknown): (res: T) => void {
  return typeof ack === 'function' ? (ack as (res: T) => void) : () => {};
}

export function setupLiveNamespace(nsp: LiveNamespace, deps: LiveDeps): () => void {
  const clients = new Set<LiveClient>();

  /** Last online state seen per console (a few hundred at most): only flips reach viewers. */
  const consoleOnline = new Map<string, boolean>();
  const onlineChanged = async (presence: ConsolePresence) => {
    if (consoleOnline.get(presence.consoleId) === presence.online) return;
    consoleOnline.set(presence.consoleId, presence.online);
    if (!presence.matchId) return;
    try {
      const [snapshot, freshness] = await Promise.all([
        deps.getSnapshot(presence.matchId),
        deps.sources.freshness(presence.matchId),
      ]);
      if (!snapshot) return;
      for (const client of clients)
        if (client.interested(snapshot.id, snapshot.court))
          void client.run(() => client.freshnessChanged(snapshot, freshness));
    } catch (error) {
      deps.logger.debug({ err: (error as Error).message }, 'live: freshness after presence not sent');
    }
  };

  const off = deps.bus.on((message) => {
    switch (message.type) {
      case 'batch':
        for (const client of clients)
          for (const match of message.matches)
            if (client.interested(match.matchId, match.court)) void client.run(() => client.deliver(match));
        break;
      case 'match-created':
        for (const client of clients) void client.run(() => client.announce(message.snapshot));
        break;
      case 'presence':
        // Usernames and console ids are for the director: graphics partners and scorers
        // following courts get freshness.consoleOnline in their updates instead.
        for (const client of clients)
          if ((client.socket.data as SocketData).user.role === 'admin') client.presence(message.presence);
        void onlineChanged(message.presence);
        break;
      case 'epoch':
        break;
    }
  });

  nsp.on('connection', (socket) => {
    const client = new LiveClient(socket, deps.sources, deps.metrics, deps.logger, deps.limits);
    clients.add(client);
    socket.on('disconnect', () => clients.delete(client));

    socket.on('SUBSCRIBE_MATCH', (raw, ackArg) => {
      const ack = safeAck<Parameters<typeof ackArg>[0]>(ackArg);
      const parsed = subscribeMatchSchema.safeParse(raw);
      if (!parsed.success) return ack({ ok: false, code: 'VALIDATION', message: describeZodError(parsed.error) });
      const { matchId, since } = parsed.data;
      void client.runSubscribe(async () => {
        try {
          const snapshot = await deps.getSnapshot(matchId);
          if (!snapshot) return ack({ ok: false, code: 'UNKNOWN_MATCH', message: `no match ${matchId}` });
          const freshness = await deps.sources.freshness(matchId);
          if (since === undefined) client.track(matchId, snapshot.cursor, snapshot.seq);
          else client.track(matchId, since, -1);
          ack({ ok: true, snapshot, freshness });
          if (since !== undefined) await client.catchUp(matchId);
        } catch (error) {
          deps.logger.warn({ err: (error as Error).message }, 'live: subscribe failed');
          ack(unavailable);
        }
      });
    });

    socket.on('SUBSCRIBE_COURTS', (raw, ackArg) => {
      const ack = safeAck<Parameters<typeof ackArg>[0]>(ackArg);
      const parsed = subscribeCourtsSchema.safeParse(raw ?? {});
      if (!parsed.success) return ack({ ok: false, code: 'VALIDATION', message: describeZodError(parsed.error) });
      const courts = parsed.data.courts;
      void client.runSubscribe(async () => {
        try {
          const snapshots = await deps.listSnapshots(courts);
          if (courts === undefined) client.courts = 'all';
          else {
            const set = client.courts instanceof Set ? client.courts : new Set<string>();
            if (client.courts !== 'all') {
              for (const c of courts) set.add(c);
              client.courts = set;
            }
          }
          for (const s of snapshots) if (!client.subs.has(s.id)) client.track(s.id, s.cursor, s.seq);
          ack({ ok: true, snapshots });
        } catch (error) {
          deps.logger.warn({ err: (error as Error).message }, 'live: court subscribe failed');
          ack(unavailable);
        }
      });
    });

    socket.on('UNSUBSCRIBE_MATCH', (raw, ackArg) => {
      const ack = safeAck<Parameters<typeof ackArg>[0]>(ackArg);
      const parsed = unsubscribeMatchSchema.safeParse(raw);
      if (!parsed.success) return ack({ ok: false, code: 'VALIDATION', message: describeZodError(parsed.error) });
      void client.run(() => {
        client.subs.delete(parsed.data.matchId);
        ack({ ok: true });
      });
    });
  });
  return off;
}
