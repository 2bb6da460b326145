/**
 * From a committed batch to the viewers: the step between group commit and broadcasting.
 *
 * Group commit (server/ingest/group-commit.ts) writes a batch in one statement, releases
 * the consoles' acks, and on the next turn of the event loop hands the committed matches
 * to publishCommitted. They go on the bus (server/bus.ts) to every server process, and
 * every process, this one included, puts each match on air for its own sockets
 * (putOnAir -> Broadcaster.committed, server/live/broadcaster.ts). The same listener
 * carries the other on-air changes: a match created, a writer changed (handover), a
 * verification changed. A batch after a gap is preceded by the missed events, which the
 * broadcaster reads through onAirSources.
 */
import type pg from 'pg';
import { LIMITS } from '../../shared/protocol.js';
import type { Bus } from '../bus.js';
import type { CommittedMatch } from '../ingest/flush.js';
import type { PresenceTracker } from '../presence.js';
import { getOnAirRow, readEventRange } from '../store/matches.js';
import type { Broadcaster, OnAirSources } from './broadcaster.js';

/** GroupCommit's onCommitted: the committed matches, after their acks, to every process. */
export function publishCommitted(bus: Bus): (matches: CommittedMatch[]) => void {
  return (matches) => bus.publish({ type: 'batch', matches });
}

/** Every process puts every commit on air for its own sockets (the bus reaches all processes). */
export function putOnAir(bus: Bus, broadcaster: Broadcaster): () => void {
  return bus.on((message) => {
    switch (message.type) {
      case 'batch':
        for (const m of message.matches) broadcaster.committed(m);
        break;
      case 'match-created':
        broadcaster.created(message.snapshot);
        break;
      case 'epoch':
        broadcaster.writerChanged(message.matchId, message.writerConsoleId, message.epoch > 0);
        break;
      case 'verification':
        broadcaster.verificationChanged(message.matchId, message.verification, message.verificationAlert);
        break;
      case 'presence':
        // Presence reaches viewers as freshness, read when an update goes out.
        break;
    }
  });
}

/** What the broadcaster reads from PostgreSQL: missed events (page by page), a match's on-air row, presence. */
export function onAirSources(pool: pg.Pool, presence: PresenceTracker): OnAirSources {
  return {
    readEvents: async (matchId, after, upTo) => {
      const events = [];
      for (let from = after; ; ) {
        const page = await readEventRange(pool, matchId, from, upTo, LIMITS.MAX_PAGE_EVENTS);
        events.push(...page);
        if (page.length < LIMITS.MAX_PAGE_EVENTS) return events;
        from = page[page.length - 1]!.cursor;
      }
    },
    readOnAir: (matchId) => getOnAirRow(pool, matchId),
    consoleOnline: (consoleId) => presence.isOnline(consoleId),
  };
}
