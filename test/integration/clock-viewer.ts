/**
 * A viewer process for the shifted-clock test (run under faketime): it follows one court on
 * /live, measures its clock offset with time:sync exactly as the overlays do
 * (server/broadcast/pages/assets/lib/time-sync.ts, shared/time-base.ts), and on each stdin
 * line prints one JSON line: the game clock it shows now and its offset.
 *   node --import tsx test/integration/clock-viewer.ts SERVER_URL TOKEN COURT
 */
import { createInterface } from 'node:readline';
import { io } from 'socket.io-client';
import type { MatchSnapshot } from '../../shared/match.js';
import { PROTOCOL_VERSION } from '../../shared/protocol.js';
import {
  addSample,
  clockShown,
  syncSample,
  timeBaseOf,
  TIME_SYNC_BURST,
  type SyncSample,
} from '../../shared/time-base.js';

const [url, token, court] = process.argv.slice(2);
if (!url || !token || !court) throw new Error('usage: clock-viewer URL TOKEN COURT');

let samples: SyncSample[] = [];
let offsetMs: number | null = null;
let snapshot: MatchSnapshot | null = null;
const out = (line: unknown) => process.stdout.write(JSON.stringify(line) + '\n');

const socket = io(`${url}/live`, { auth: { token, protocol: PROTOCOL_VERSION }, transports: ['websocket'] });
const take = (s: MatchSnapshot | undefined) => {
  if (s && s.court === court && (!snapshot || s.cursor >= snapshot.cursor)) snapshot = s;
};
socket.on('MATCH_UPDATE', (u: { snapshot: MatchSnapshot }) => take(u.snapshot));
socket.on('MATCH_UPDATES', (f: { updates: { snapshot: MatchSnapshot }[] }) =>
  f.updates.forEach((u) => take(u.snapshot)),
);
socket.on('COURT_UPDATE', (m: { snapshot: MatchSnapshot }) => take(m.snapshot));
socket.on('connect', async () => {
  const ack = await socket.emitWithAck('SUBSCRIBE_COURTS', { courts: [court], frames: true });
  for (const s of ack.snapshots ?? []) take(s);
  for (let i = 0; i < TIME_SYNC_BURST * 2; i++) {
    const t0 = Date.now();
    const a = await socket.emitWithAck('time:sync', {});
    samples = addSample(samples, syncSample(t0, a.receivedAt, a.sentAt, Date.now()));
  }
  offsetMs = timeBaseOf(samples).offsetMs;
  out({ ready: true, offsetMs });
});

const input = createInterface({ input: process.stdin });
// The test went away: so does this viewer.
input.on('close', () => process.exit(0));
input.on('line', () => {
  out({
    remainingMs: snapshot ? clockShown(snapshot.clock, Date.now(), offsetMs) : null,
    running: snapshot?.clock.running ?? false,
    offsetMs,
  });
});
