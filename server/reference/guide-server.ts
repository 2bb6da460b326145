/**
 * BENCH REFERENCE ONLY: the integration guide's server design, kept to measure ours
 * against in the same run (bench/server.bench.ts). Per event it broadcasts first, then
 * awaits one INSERT (and a statistics upsert for scores); no batching, no dedupe, no
 * epochs, no auth. It speaks enough of our /console and /live protocol for the same
 * bench clients. Never deploy it.
 *
 * Run: `node --import tsx server/reference/guide-server.ts` with PORT and DATABASE_URL.
 */
import { createServer } from 'node:http';
import pg from 'pg';
import { Server } from 'socket.io';

const port = Number(process.env.PORT ?? 3002);
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });

interface PushedEvent {
  seq: number;
  type: string;
  payload: { side?: 'home' | 'away' };
  at: string;
}

async function main(): Promise<void> {
  await pool.query(`CREATE TABLE IF NOT EXISTS reference_events (
    id bigserial PRIMARY KEY, match_id text NOT NULL, seq integer NOT NULL, type text NOT NULL,
    data jsonb NOT NULL, timestamp timestamptz NOT NULL DEFAULT now())`);
  await pool.query(`CREATE TABLE IF NOT EXISTS reference_statistics (
    match_id text PRIMARY KEY, home_score integer NOT NULL DEFAULT 0, away_score integer NOT NULL DEFAULT 0,
    updated_at timestamptz NOT NULL DEFAULT now())`);
  const httpServer = createServer();
  const io = new Server(httpServer, { serveClient: false });

  io.of('/live').on('connection', (socket) => {
    socket.on('SUBSCRIBE_MATCH', (data: { matchId: string }, ack?: (r: unknown) => void) => {
      void socket.join(`match:${data.matchId}`);
      ack?.({ ok: true });
    });
  });

  io.of('/console').on('connection', (socket) => {
    socket.on('events:push', async (msg: { matchId: string; events: PushedEvent[] }, ack?: (r: unknown) => void) => {
      try {
        for (const event of msg.events) {
          // The guide: broadcast first, then store; one awaited write per event.
          io.of('/live')
            .to(`match:${msg.matchId}`)
            .emit('MATCH_UPDATE', {
              matchId: msg.matchId,
              events: [{ ...event, matchId: msg.matchId }],
              timestamp: new Date().toISOString(),
            });
          await pool.query('INSERT INTO reference_events (match_id, seq, type, data) VALUES ($1, $2, $3, $4)', [
            msg.matchId,
            event.seq,
            event.type,
            event.payload,
          ]);
          if (event.type === 'SCORE_UPDATE') {
            const home = event.payload.side === 'home' ? 1 : 0;
            await pool.query(
              `INSERT INTO reference_statistics (match_id, home_score, away_score) VALUES ($1, $2, $3)
               ON CONFLICT (match_id) DO UPDATE SET home_score = reference_statistics.home_score + $2,
                 away_score = reference_statistics.away_score + $3, updated_at = now()`,
              [msg.matchId, home, 1 - home],
            );
          }
        }
        ack?.({ ok: true, ackedSeq: msg.events[msg.events.length - 1]?.seq ?? 0, cursor: 0 });
      } catch (error) {
        // The guide only logs storage errors.
        console.error(JSON.stringify({ msg: 'store failed', err: (error as Error).message }));
        ack?.({ ok: true, ackedSeq: msg.events[msg.events.length - 1]?.seq ?? 0, cursor: 0 });
      }
    });
  });

  httpServer.listen(port, '127.0.0.1', () => console.log(JSON.stringify({ msg: 'listening', port })));
  const stop = () => {
    // Exits whatever closing finds: the reference server is a bench fixture, not a product.
    void Promise.allSettled([io.close(), pool.end()]).finally(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

void main();
