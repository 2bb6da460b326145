/**
 * Keeps console_presence bounded (issue 12): rows of consoles offline longer than
 * PRESENCE_OFFLINE_TTL_MS are deleted on a timer, and each user keeps at most
 * MAX_OFFLINE_CONSOLES_PER_USER offline rows (the newest), trimmed soon after one of its
 * consoles drops. Rows go with their user (a foreign key, ON DELETE CASCADE). The court
 * wall's offline alerts come from these rows, so they are bounded the same way.
 */
import type pg from 'pg';
import type { Bus } from './bus.js';
import type { Logger } from './logger.js';

/** An offline console is an alert for the day it went offline; after that it is history. */
export const PRESENCE_OFFLINE_TTL_MS = 12 * 3600_000;
/** How often the expired rows are deleted. */
export const PRESENCE_PRUNE_INTERVAL_MS = 60_000;
/** A user's consoles that went offline still shown (and alerted on): as many as may be live at once. */
export const MAX_OFFLINE_CONSOLES_PER_USER = 8;
/** After a drop, the user's rows are trimmed this much later (the drop's own row write lands first). */
const TRIM_DELAY_MS = 500;

/** Deletes the rows of consoles offline longer than PRESENCE_OFFLINE_TTL_MS; returns how many. */
export async function expireOfflinePresence(pool: pg.Pool): Promise<number> {
  const { rowCount } = await pool.query(
    `DELETE FROM console_presence WHERE NOT online AND updated_at < now() - $1 * interval '1 millisecond'`,
    [PRESENCE_OFFLINE_TTL_MS],
  );
  return rowCount ?? 0;
}

export function startPresencePruner(pool: pg.Pool, bus: Bus, logger: Logger): () => void {
  const expire = () =>
    expireOfflinePresence(pool)
      .then((rows) => {
        if (rows) logger.info({ rows }, 'presence: expired offline consoles pruned');
      })
      .catch((error: Error) => logger.warn({ err: error.message }, 'presence: prune failed'));
  const trims = new Map<string, NodeJS.Timeout>();
  const trim = (username: string) =>
    pool
      .query(
        `DELETE FROM console_presence WHERE console_id IN (
           SELECT console_id FROM console_presence WHERE username = $1 AND NOT online
           ORDER BY updated_at DESC OFFSET $2)`,
        [username, MAX_OFFLINE_CONSOLES_PER_USER],
      )
      .catch((error: Error) => logger.warn({ err: error.message }, 'presence: trim failed'));
  const stopBus = bus.on((message) => {
    if (message.type !== 'presence' || message.presence.online) return;
    const username = message.presence.user;
    if (trims.has(username)) return;
    const timer = setTimeout(() => {
      trims.delete(username);
      void trim(username);
    }, TRIM_DELAY_MS);
    timer.unref();
    trims.set(username, timer);
  });
  void expire();
  const interval = setInterval(() => void expire(), PRESENCE_PRUNE_INTERVAL_MS);
  interval.unref();
  return () => {
    stopBus();
    clearInterval(interval);
    for (const timer of trims.values()) clearTimeout(timer);
  };
}
