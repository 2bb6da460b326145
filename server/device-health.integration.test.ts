/**
 * Device health and the time base against the real server and PostgreSQL: time:sync on
 * both namespaces, presence:report's health fields through GET /api/presence and the
 * console_presence table, and a real console core reporting its measured offset, round
 * trip, app version and battery.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import pino from 'pino';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createConsoleCore, type ConsoleCore } from '../desktop/core/console-core.js';
import type { ConsolePresence } from '../shared/protocol.js';
import { syncSample } from '../shared/time-base.js';
import {
  connectSocket,
  request,
  startTestServer,
  TEST_ADMIN_PASSWORD,
  type TestServer,
} from '../test/support/server.js';

let server: TestServer;
let pool: pg.Pool;
const sockets: Socket[] = [];
const dirs: string[] = [];
let core: ConsoleCore | null = null;

beforeAll(async () => {
  server = await startTestServer();
  pool = new pg.Pool({ connectionString: server.databaseUrl, max: 2 });
});

afterAll(async () => {
  for (const s of sockets) s.close();
  await core?.close();
  await pool?.end();
  await server?.stop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function presenceOf(consoleId: string): Promise<ConsolePresence | undefined> {
  const res = await server.http<ConsolePresence[]>('GET', '/api/presence', undefined, server.adminToken);
  expect(res.status).toBe(200);
  return res.body.find((p) => p.consoleId === consoleId);
}

describe('time:sync', () => {
  it('answers on /console and /live with the server receive and send times', async () => {
    const consoleSocket = await connectSocket(server.url, '/console', server.adminToken);
    const viewer = await server.userToken('viewer');
    const liveSocket = await connectSocket(server.url, '/live', viewer);
    sockets.push(consoleSocket, liveSocket);
    for (const socket of [consoleSocket, liveSocket]) {
      const t0 = Date.now();
      const ack = await request(socket, 'time:sync', {});
      const t3 = Date.now();
      expect(ack).toMatchObject({ ok: true });
      expect(ack.sentAt).toBeGreaterThanOrEqual(ack.receivedAt);
      // Same machine, same clock: the measured offset is within the round trip.
      const sample = syncSample(t0, ack.receivedAt, ack.sentAt, t3)!;
      expect(Math.abs(sample.offsetMs)).toBeLessThanOrEqual(sample.rttMs / 2 + 1);
    }
    expect(await request(consoleSocket, 'time:sync', { extra: 1 })).toMatchObject({
      ok: false,
      code: 'VALIDATION',
      message: expect.stringContaining('extra'),
    });
  });
});

describe('presence:report device health', () => {
  it('stores role, battery, rtt, clock offset and app version and returns them', async () => {
    const consoleId = '6f1c0d1e-4b7a-4c1f-9a36-1f5b2d9e0a01';
    const socket = await connectSocket(server.url, '/console', server.adminToken, { consoleId });
    sockets.push(socket);
    const base = { court: 'H1', matchId: null, pending: 0, lastConfirmedAt: null, state: 'live' };
    const health = {
      role: 'primary',
      battery: { level: 0.15, charging: false },
      rttMs: 612,
      clockOffsetMs: -2500,
      appVersion: '1.2.3',
    };
    expect(await request(socket, 'presence:report', { ...base, ...health })).toEqual({ ok: true });
    expect(await presenceOf(consoleId)).toMatchObject({ ...health, online: true, court: 'H1' });
    const { rows } = await pool.query(
      `SELECT role, battery_level, battery_charging, rtt_ms, clock_offset_ms, app_version
       FROM console_presence WHERE console_id = $1`,
      [consoleId],
    );
    expect(rows[0]).toEqual({
      role: 'primary',
      battery_level: 0.15,
      battery_charging: false,
      rtt_ms: 612,
      clock_offset_ms: -2500,
      app_version: '1.2.3',
    });

    // A v1 report (no health fields) means "not known": they come back null, the alert clears.
    expect(await request(socket, 'presence:report', base)).toEqual({ ok: true });
    expect(await presenceOf(consoleId)).toMatchObject({
      role: null,
      battery: null,
      rttMs: null,
      clockOffsetMs: null,
      appVersion: null,
    });
  });

  it('refuses health fields out of range with VALIDATION naming the field', async () => {
    const socket = await connectSocket(server.url, '/console', server.adminToken);
    sockets.push(socket);
    const base = { court: 'H1', matchId: null, pending: 0, lastConfirmedAt: null, state: 'live' };
    for (const [field, value] of [
      ['battery', { level: 1.5, charging: false }],
      ['battery', { level: 0.5 }],
      ['rttMs', -1],
      ['role', 'boss'],
      ['appVersion', ''],
    ] as const) {
      const ack = await request(socket, 'presence:report', { ...base, [field]: value });
      expect(ack).toMatchObject({ ok: false, code: 'VALIDATION', message: expect.stringContaining(field) });
    }
  });
});

describe('a console core', () => {
  it('reports its clock offset, round trip, app version and battery, and anchors a started clock in server time', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'scoredesk-health-'));
    dirs.push(dir);
    const match = await server.createMatch({ sport: 'basketball', court: 'H2' });
    core = await createConsoleCore({
      dataDir: dir,
      serverUrl: server.url,
      credentials: { username: 'admin', password: TEST_ADMIN_PASSWORD },
      court: 'H2',
      appVersion: '9.8.7',
      logger: pino({ level: 'silent' }),
    });
    await vi.waitFor(
      async () => {
        const p = await presenceOf(core!.consoleId);
        expect(p?.clockOffsetMs).toEqual(expect.any(Number));
        expect(p?.rttMs).toEqual(expect.any(Number));
      },
      { timeout: 15_000, interval: 100 },
    );
    const p = (await presenceOf(core.consoleId))!;
    expect(Math.abs(p.clockOffsetMs!)).toBeLessThan(50); // same machine
    expect(p.appVersion).toBe('9.8.7');
    expect(p.battery).toBeNull();

    expect(await core.run('reportBattery', { level: 0.42, charging: true })).toEqual({ ok: true });
    core.setOnBattery(true); // Electron's powerMonitor: on battery, so not charging
    await vi.waitFor(
      async () => expect((await presenceOf(core!.consoleId))?.battery).toEqual({ level: 0.42, charging: false }),
      { timeout: 10_000, interval: 100 },
    );
    expect(await core.run('reportBattery', { level: 2, charging: true })).toMatchObject({ code: 'VALIDATION' });

    // The screen's own exchange against the core answers in server time.
    const answer = await core.serverTime!();
    expect(answer.offsetKnown).toBe(true);
    expect(Math.abs(answer.receivedAt - Date.now())).toBeLessThan(100);

    expect(await core.run('openMatch', { matchId: match.id })).toMatchObject({ ok: true });
    expect(await core.run('start', {})).toMatchObject({ ok: true });
    expect(await core.run('clockStart', {})).toMatchObject({ ok: true });
    await vi.waitFor(
      async () => {
        const { rows } = await pool.query(
          `SELECT event_data FROM match_events WHERE match_id = $1 AND event_type = 'CLOCK_START'`,
          [match.id],
        );
        expect(rows[0]?.event_data.anchorAt).toEqual(expect.any(String));
      },
      { timeout: 10_000, interval: 100 },
    );
    const snapshot = (await server.http('GET', `/api/matches/${match.id}`, undefined, server.adminToken)).body;
    expect(snapshot.clock.running).toBe(true);
    expect(Math.abs(Date.parse(snapshot.clock.anchorAt) - Date.now())).toBeLessThan(10_000);
  });
});
