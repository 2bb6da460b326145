/** The /console namespace: events:push, match:claim, match:pull, schedule:list, presence:report. */
import type { Namespace } from 'socket.io';
import type { MatchSnapshot } from '../../shared/match.js';
import {
  describeZodError,
  presenceSchema,
  scheduleQuerySchema,
  type ConsoleClientToServer,
  type ConsoleServerToClient,
  type Fail,
} from '../../shared/protocol.js';
import type { Ingest } from '../ingest/ingest.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import type { PresenceTracker } from '../presence.js';
import type { SessionHandle } from '../sessions.js';
import type { SocketData } from '../sockets/handshake.js';
import type { VerifyStreams } from '../verify/verify-stream.js';

export type ConsoleNamespace = Namespace<
  ConsoleClientToServer,
  ConsoleServerToClient,
  Record<string, never>,
  SocketData
>;

export interface ConsoleDeps {
  ingest: Ingest;
  presence: PresenceTracker;
  listSnapshots: (courts?: string[]) => Promise<MatchSnapshot[]>;
  session: (socketId: string) => SessionHandle | undefined;
  /** A second scorer's cross-check (events:push with stream "verify"); absent: such pushes are refused. */
  verify?: VerifyStreams;
  logger: Logger;
  /** Counts match:pull answers and the events they carry (GET /metrics). */
  metrics: Pick<Metrics, 'matchPulls' | 'matchPullEvents'>;
  /**
   * Why this socket's token may no longer write (revoked, user deleted or disabled), or null.
   * Asked before every write: a push in flight when the user was deleted never reaches the writer.
   */
  stillAllowed?: (socket: { data: SocketData }) => Promise<string | null>;
}

export function consoleRoom(consoleId: string): string {
  return `console:${consoleId}`;
}

function safeAck<T>(ack: unknown): (res: T) => void {
  return typeof ack === 'function' ? (ack as (res: T) => void) : () => {};
}

const unavailable: Fail = { ok: false, code: 'UNAVAILABLE', message: 'storage unreachable; retry later' };

export function setupConsoleNamespace(nsp: ConsoleNamespace, deps: ConsoleDeps): void {
  nsp.on('connection', (socket) => {
    const { user, consoleId } = socket.data;
    const who = { user, consoleId: consoleId ?? undefined };
    if (consoleId) {
      // Handover notices reach the console on whichever process it is connected to.
      void socket.join(consoleRoom(consoleId));
      deps.presence.connected(consoleId, user.username);
      socket.on('disconnect', () => deps.presence.disconnected(consoleId, user.username));
    }
    const touchedMatches = new Set<string>();

    /** The write is refused (and the socket ended) when its token no longer may write. */
    const refusedWrite = async (ack: (res: Fail) => void): Promise<boolean> => {
      const why = await deps.stillAllowed?.(socket).catch(() => null);
      if (!why) return false;
      ack({ ok: false, code: 'UNAUTHORIZED', message: why });
      socket.emit('session:end', { code: 'UNAUTHORIZED', message: why });
      socket.disconnect(true);
      return true;
    };

    socket.on('events:push', async (raw, ackArg) => {
      const ack = safeAck<Parameters<typeof ackArg>[0]>(ackArg);
      if (await refusedWrite(ack)) return;
      if ((raw as { stream?: unknown } | null)?.stream === 'verify' && deps.verify) {
        // Stored apart, never the score: the ack has no cursor (VerifyPushAck).
        (ack as (res: unknown) => void)(await deps.verify.push(raw, who));
        return;
      }
      const reply = await deps.ingest.push(raw, who);
      const matchId = (raw as { matchId?: unknown } | null)?.matchId;
      if (reply.ok && typeof matchId === 'string' && !touchedMatches.has(matchId)) {
        touchedMatches.add(matchId);
        deps.session(socket.id)?.touch({ matchId });
      }
      ack(reply);
    });

    socket.on('match:claim', async (raw, ackArg) => {
      const ack = safeAck<Parameters<typeof ackArg>[0]>(ackArg);
      if (await refusedWrite(ack)) return;
      ack(
        await deps.ingest.claim(raw, who, (matchId, epoch, previous) => {
          // The console that lost the match turns read-only now, not on its next push.
          if (previous && previous !== consoleId)
            nsp.to(consoleRoom(previous)).emit('match:fenced', { matchId, epoch });
        }),
      );
    });

    socket.on('match:pull', async (raw, ackArg) => {
      const ack = safeAck<Parameters<typeof ackArg>[0]>(ackArg);
      const answer = await deps.ingest.pull(raw, (id) => deps.presence.isOnline(id));
      if (answer.ok) {
        deps.metrics.matchPulls.inc();
        deps.metrics.matchPullEvents.inc(answer.events.length);
      }
      ack(answer);
    });

    socket.on('schedule:list', async (raw, ackArg) => {
      const ack = safeAck<Parameters<typeof ackArg>[0]>(ackArg);
      const parsed = scheduleQuerySchema.safeParse(raw ?? {});
      if (!parsed.success) return ack({ ok: false, code: 'VALIDATION', message: describeZodError(parsed.error) });
      const court = parsed.data.court;
      const courts = court ? [court] : user.role === 'scorer' && user.courts.length ? user.courts : undefined;
      try {
        ack({ ok: true, matches: await deps.listSnapshots(courts) });
      } catch (error) {
        deps.logger.warn({ err: (error as Error).message }, 'console: schedule read failed');
        ack(unavailable);
      }
    });

    socket.on('presence:report', async (raw, ackArg) => {
      const ack = safeAck<Parameters<NonNullable<typeof ackArg>>[0]>(ackArg);
      const parsed = presenceSchema.safeParse(raw);
      if (!parsed.success) return ack({ ok: false, code: 'VALIDATION', message: describeZodError(parsed.error) });
      if (!consoleId)
        return ack({ ok: false, code: 'VALIDATION', message: 'consoleId: missing in the handshake auth' });
      await deps.presence.report(consoleId, user.username, parsed.data);
      deps.session(socket.id)?.touch({ matchId: parsed.data.matchId, court: parsed.data.court });
      ack({ ok: true });
    });
  });
}
