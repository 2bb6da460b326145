/**
 * A server that breaks the protocol must not corrupt the console's SQLite. A stand-in
 * Socket.io server on loopback (test/support/stand-in-server.ts) answers a real console core
 * with malformed match:pull pages (bad events, events out of order, another match's),
 * malformed notices, schedules and push acks: each is refused whole, named in the sync
 * state, and the SQLite file keeps exactly what it held. A server of another protocol
 * version is shown as `incompatible` and not retried.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pino from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { foldMatch } from '../../../shared/domain/index.js';
import type { StoredEvent } from '../../../shared/events.js';
import type { MatchMeta } from '../../../shared/match.js';
import { waitForView } from '../../../test/support/console-rig.js';
import { refusal, startStandInServer, type StandInServer } from '../../../test/support/stand-in-server.js';
import { createConsoleCore, type ConsoleCore } from '../console-core.js';
import { DATABASE_FILE } from '../db/database.js';
import type { TokenVault } from './token-vault.js';

/**
 * The console the stored history names: the first test's console itself (a console that
 * scored the match before its SQLite was replaced), so the match is its own and writable.
 */
let writer: string = randomUUID();
const meta: MatchMeta = {
  id: 'hostile-1',
  sport: 'generic',
  court: 'C1',
  home: { name: 'Home' },
  away: { name: 'Away' },
  scheduledAt: null,
  slotMinutes: null,
  options: {},
};
const at = (seq: number) => new Date(Date.UTC(2026, 4, 1, 10, 0, seq)).toISOString();
const stored = (seq: number, over: Record<string, unknown> = {}) =>
  ({
    seq,
    cursor: 10 + seq,
    matchId: meta.id,
    consoleId: writer,
    epoch: 0,
    type: 'SCORE_UPDATE',
    payload: { side: seq % 2 ? 'home' : 'away' },
    at: at(seq),
    ...over,
  }) as StoredEvent;
let history: StoredEvent[] = [];
const writeHistory = () => {
  history = [stored(1, { type: 'MATCH_START', payload: {} }), stored(2), stored(3)];
};
writeHistory();
const page = (events: unknown[], over: Record<string, unknown> = {}) => ({
  ok: true,
  events,
  upToDate: true,
  epoch: 0,
  meta,
  writerOnline: true,
  ...over,
});

/** The device token is kept already, so the console connects without an HTTP login. */
const keptToken: TokenVault = { kind: 'file', load: () => 'stand-in-token', save: () => {} };

type Reply = (msg: { after: number }) => unknown;
let server: StandInServer;
let pullReply: Reply;
let pushReply: () => unknown;
let scheduleReply: () => unknown;
let pulls = 0;
const dirs: string[] = [];
const cores: ConsoleCore[] = [];

beforeAll(async () => {
  server = await startStandInServer();
  server.console.on('connection', (socket) => {
    socket.on('schedule:list', (_msg, ack: (r: unknown) => void) => ack(scheduleReply()));
    socket.on('presence:report', (_msg, ack: (r: unknown) => void) => ack({ ok: true }));
    socket.on('time:sync', (_msg, ack: (r: unknown) => void) =>
      ack({ ok: true, receivedAt: Date.now(), sentAt: Date.now() }),
    );
    socket.on('match:pull', (msg: { after: number }, ack: (r: unknown) => void) => {
      pulls++;
      ack(pullReply(msg));
    });
    socket.on('events:push', (_msg, ack: (r: unknown) => void) => ack(pushReply()));
  });
});
afterAll(async () => {
  for (const core of cores) await core.close().catch(() => undefined);
  await server?.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
  pullReply = ({ after }) => page(history.filter((e) => e.cursor > after));
  pushReply = () => ({ ok: false, code: 'UNAVAILABLE', message: 'not today' });
  scheduleReply = () => ({ ok: true, matches: [foldMatch(meta, history)] });
});

async function startCore(url = server.url): Promise<{ core: ConsoleCore; dataDir: string }> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'scoredesk-hostile-'));
  dirs.push(dataDir);
  const core = await createConsoleCore({
    dataDir,
    serverUrl: url,
    credentials: { username: 'desk', password: 'never-sent-password' },
    tokenVault: keptToken,
    court: 'C1',
    logger: pino({ level: process.env.SCOREDESK_CORE_TEST_LOG ?? 'silent' }),
  });
  cores.push(core);
  return { core, dataDir };
}

/** Everything the console stores about matches, read from its SQLite file. */
function storedRows(dataDir: string): unknown {
  const db = new Database(path.join(dataDir, DATABASE_FILE), { readonly: true, fileMustExist: true });
  try {
    return {
      matches: db.prepare('SELECT * FROM matches ORDER BY id').all(),
      events: db.prepare('SELECT * FROM events ORDER BY match_id, seq').all(),
      outbox: db.prepare('SELECT * FROM outbox ORDER BY match_id').all(),
      setAside: db.prepare('SELECT * FROM set_aside_events').all(),
      schedule: db.prepare('SELECT * FROM schedule_cache ORDER BY match_id').all(),
    };
  } finally {
    db.close();
  }
}

const problemOf = async (core: ConsoleCore) => (await core.view()).sync.problem;

describe('a server that breaks the protocol', () => {
  it('malformed or disordered match:pull pages, notices and schedules change nothing stored', async () => {
    const { core, dataDir } = await startCore();
    writer = (await core.view()).info.consoleId;
    writeHistory();
    await waitForView(core, (v) => v.sync.state === 'live', 20_000, 'live');
    await waitForView(core, (v) => v.schedule.length === 1, 20_000, 'the schedule');
    expect((await core.run('openMatch', { matchId: meta.id })).ok).toBe(true);
    const before = storedRows(dataDir);
    expect((before as { events: unknown[] }).events).toHaveLength(3);
    expect((await core.view()).info.writable).toBe(true);
    const shown = (await core.view()).snapshot;
    expect(shown).toMatchObject({ home: { score: 1 }, away: { score: 1 } });

    const fourth = stored(4);
    const malformed: [string, Reply, RegExp][] = [
      ['an unknown event type', () => page([...history, { ...fourth, type: 'POINT_MAYBE' }]), /events\.3/],
      [
        'a payload that does not fit',
        () => page([...history, { ...fourth, payload: { side: 'middle' } }]),
        /events\.3\.payload\.side/,
      ],
      ['a cursor as text', () => page([...history, { ...fourth, cursor: '14' }]), /events\.3\.cursor/],
      [
        'cursors out of order',
        () => page([...history, { ...fourth, cursor: 12 }]),
        /events\.3\.cursor: 12 does not follow 13/,
      ],
      ['a seq twice', () => page([...history, { ...fourth, seq: 3 }]), /events\.3\.seq: 3 does not follow 3/],
      ["another match's event", () => page([...history, { ...fourth, matchId: 'other' }]), /events\.3\.matchId/],
      ["another match's meta", () => page([...history, fourth], { meta: { ...meta, id: 'other' } }), /meta\.id/],
      ['no meta', () => page([...history, fourth], { meta: undefined }), /meta/],
      ['a negative epoch', () => page([...history, fourth], { epoch: -1 }), /epoch/],
      ['no ack at all', () => 'yes', /\(root\)/],
    ];
    for (const [what, reply, field] of malformed) {
      pullReply = reply;
      await core.run('openMatch', { matchId: meta.id });
      const problem = await problemOf(core);
      expect(problem, what).toEqual({ code: 'PROTOCOL', message: expect.stringMatching(/^malformed match:pull ack/) });
      expect(problem!.message, what).toMatch(field);
      expect(storedRows(dataDir), what).toEqual(before);
      expect((await core.view()).snapshot, what).toEqual(shown);
    }

    // A director's assignment whose pull is malformed: the match is not taken.
    pullReply = () => page([...history, { ...fourth, epoch: 'one' }]);
    server.console.emit('match:assigned', { matchId: meta.id, epoch: 1 });
    await vi.waitFor(async () => expect((await problemOf(core))?.message).toMatch(/events\.3\.epoch/));
    expect(storedRows(dataDir)).toEqual(before);

    // Malformed notices are refused, not obeyed.
    server.console.emit('match:fenced', { matchId: meta.id, epoch: 'two' });
    await vi.waitFor(async () => expect((await problemOf(core))?.message).toMatch(/^malformed match:fenced .*epoch/));
    expect(storedRows(dataDir)).toEqual(before);

    // A malformed schedule leaves the cached one.
    scheduleReply = () => ({ ok: true, matches: [{ ...foldMatch(meta, history), status: 'exploded' }] });
    server.console.emit('schedule:changed', { court: 'C1' });
    await vi.waitFor(async () =>
      expect((await problemOf(core))?.message).toMatch(/^malformed schedule:list ack.*status/),
    );
    expect(storedRows(dataDir)).toEqual(before);

    // Standing by mirrors by match:pull every STANDBY_MIRROR_MS: malformed pages never land either.
    pullReply = () => page([...history, { ...fourth, at: 'yesterday' }]);
    expect((await core.run('standbyMatch', { matchId: meta.id })).ok).toBe(true);
    const pulled = pulls;
    await vi.waitFor(() => expect(pulls).toBeGreaterThanOrEqual(pulled + 2), { timeout: 10_000 });
    expect((await problemOf(core))?.message).toMatch(/events\.3\.at/);
    expect(storedRows(dataDir)).toEqual(before);

    // The same page, well formed, is taken: the checks refuse what is wrong, not everything.
    pullReply = () => page([...history, fourth]);
    await core.run('openMatch', { matchId: meta.id });
    expect((storedRows(dataDir) as { events: unknown[] }).events).toHaveLength(4);
    expect((await core.view()).snapshot).toMatchObject({ home: { score: 1 }, away: { score: 2 } });
  });

  it('a malformed push ack confirms nothing: the events stay pending and the match says why', async () => {
    const { core, dataDir } = await startCore();
    await waitForView(core, (v) => v.sync.state === 'live', 20_000, 'live');
    pushReply = () => ({ ok: true, ackedSeq: 1 }); // an official push ack without its cursor
    const created = await core.run('createMatch', {
      sport: 'generic',
      court: 'C1',
      home: { name: 'H' },
      away: { name: 'A' },
    });
    expect(created.ok).toBe(true);
    expect((await core.run('start', {})).ok).toBe(true);
    const view = await waitForView(core, (v) => v.sync.problem?.code === 'PROTOCOL', 20_000, 'the refusal');
    expect(view.sync.problem?.message).toMatch(/^malformed events:push ack from the server: cursor/);
    expect(view.sync.pending).toBe(1);
    const outbox = (storedRows(dataDir) as { outbox: { confirmed_seq: number }[] }).outbox;
    expect(outbox.map((o) => o.confirmed_seq)).toEqual([0]);
  });
});

describe('a server of another protocol version', () => {
  it('is shown as incompatible, with who must update, and not retried until the settings change', async () => {
    const other = await startStandInServer();
    const answers = [
      {
        code: 'PROTOCOL',
        message: 'protocol 1 is not supported',
        reason: 'CLIENT_TOO_OLD',
        supported: { min: 2, max: 3 },
      },
      {
        code: 'PROTOCOL',
        message: 'protocol 1 is not supported',
        reason: 'CLIENT_TOO_NEW',
        supported: { min: 0, max: 0 },
      },
    ];
    let handshakes = 0;
    other.console.use((_socket, next) => next(refusal('PROTOCOL', answers[handshakes++ % answers.length])));
    try {
      const { core } = await startCore(other.url);
      const old = await waitForView(core, (v) => v.sync.state === 'incompatible', 20_000, 'incompatible');
      expect(old.sync.problem).toEqual({
        code: 'PROTOCOL',
        message: 'this console speaks protocol 1; the server only 2 to 3: update this console',
      });
      expect(handshakes).toBe(1);
      // Only new settings try again (here: the server was downgraded meanwhile).
      expect((await core.run('setServer', { url: other.url, username: 'desk', password: 'another-password' })).ok).toBe(
        true,
      );
      const newer = await waitForView(
        core,
        (v) => v.sync.state === 'incompatible' && v.sync.problem?.message !== old.sync.problem?.message,
        20_000,
        'incompatible again',
      );
      expect(newer.sync.problem?.message).toBe('this console speaks protocol 1; the server only 0: update the server');
      expect(handshakes).toBe(2);
    } finally {
      await other.close();
    }
  });
});
