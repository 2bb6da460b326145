/**
 * Issue 12: 1,000 concurrent `GET /api/stream?token=<viewer token>` exhausted the
 * database pool (950 answered 500, other courts' pushes were late, /healthz said 503),
 * and each stream read freshness with one query per match. Now reads are limited per
 * user (streams, reads per second) and per process (read slots on a pool of their own),
 * every refusal is 429 or 503 with a code, never 500, and a stream reads the freshness
 * of all its matches in one query. Against the real server and PostgreSQL; an honest
 * court keeps pushing, its acks under 1 s, its events stored once, /healthz 200.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HTTP_READS_PER_SECOND, MAX_STREAMS_PER_USER } from '../../server/security/settings.js';
import { call, login, userToken } from '../support/api-client.js';
import { createTestDatabase } from '../support/postgres.js';
import { startTestServer } from '../support/server.js';
import { CHILD_ADMIN_PASSWORD, spawnServer, type ServerProcess } from '../support/server-process.js';
import { HonestCourt } from './honest-court.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
/** Matches on other courts: what each stream start reads. */
const MATCHES = 30;
/** The attack. */
const ATTACK_STREAMS = 1_000;

/** The attacked server runs as its own process (npm run server): the attack's 1,000 clients here do not share its event loop. */
let server: ServerProcess;
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let admin: string;
let honest: HonestCourt;
let viewer: string;
let users = 0;

const newToken = (role: 'viewer' | 'scorer') => userToken(server.url, admin, `${role}${++users}`, role);

beforeAll(async () => {
  db = await createTestDatabase('secreads');
  server = await spawnServer({ databaseUrl: db.url });
  admin = await login(server.url, 'admin', CHILD_ADMIN_PASSWORD);
  viewer = await newToken('viewer');
  const create = (court: string) =>
    call<{ id: string }>(server.url, 'POST', '/api/matches', admin, {
      sport: 'generic',
      court,
      home: { name: 'H' },
      away: { name: 'A' },
    });
  for (let i = 0; i < MATCHES; i++) await create(`S${i}`);
  const match = await create('2');
  honest = await HonestCourt.connect({
    url: server.url,
    token: await newToken('scorer'),
    matchId: match.id,
    databaseUrl: db.url,
  });
});
afterAll(async () => {
  honest?.close();
  await server?.stop();
  await db?.drop();
});

interface Answer {
  status: number;
  code?: string;
  retryAfter: string | null;
}

/** Opens `count` streams at once; resolves once every one answered, with the streams still open. */
async function openStreams(tokens: string[], count: number, base = server.url) {
  const controllers: AbortController[] = [];
  // Held until close: an unreferenced Response is collected and undici then cancels its stream.
  const held: Response[] = [];
  const answers = await Promise.all(
    Array.from({ length: count }, async (_, i): Promise<Answer> => {
      const controller = new AbortController();
      controllers.push(controller);
      const res = await fetch(`${base}/api/stream?token=${tokens[i % tokens.length]}`, {
        signal: controller.signal,
      });
      if (res.status === 200) {
        held.push(res);
        return { status: 200, retryAfter: null };
      }
      const body = (await res.json()) as { error: { code: string } };
      return { status: res.status, code: body.error.code, retryAfter: res.headers.get('retry-after') };
    }),
  );
  return {
    answers,
    close: () => {
      controllers.forEach((c) => c.abort());
      held.length = 0;
    },
  };
}

/** The same from a process of its own (stream-flood.ts): the honest console's acks are measured here, not behind a thousand clients. */
async function floodStreams(tokens: string[], count: number) {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'test/security/stream-flood.ts', server.url, tokens.join(','), String(count)],
    {
      cwd: ROOT,
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let out = '';
  const answers = await new Promise<Answer[]>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('\n')) resolve((JSON.parse(out) as Answer[]).map((a) => ({ ...a, code: a.code ?? undefined })));
    });
    void exited.then(() => reject(new Error(`stream flood exited early: ${out}`)));
  });
  return {
    answers,
    close: async () => {
      child.stdin!.end();
      await exited;
    },
  };
}

function tally(answers: Answer[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const a of answers)
    out[`${a.status} ${a.code ?? ''}`.trim()] = (out[`${a.status} ${a.code ?? ''}`.trim()] ?? 0) + 1;
  return out;
}

async function healthz(): Promise<number> {
  return (await fetch(`${server.url}/healthz`)).status;
}

describe('streams', () => {
  it(`${ATTACK_STREAMS} concurrent streams on one viewer token: at most ${MAX_STREAMS_PER_USER} served, the rest 429 RATE_LIMITED (or 503 UNAVAILABLE), never 500; the courts never notice`, async () => {
    honest.start();
    const health = healthz();
    const { answers, close } = await floodStreams([viewer], ATTACK_STREAMS);
    try {
      const counts = tally(answers);
      // At most the user's limit served at once; everything else refused with a code. (On a loaded
      // machine an admitted start may wait past READ_WAIT_MS for a read slot: 503 UNAVAILABLE, never
      // 500, and its place goes to a later request.)
      for (const key of Object.keys(counts)) expect(key).toMatch(/^(200|429 RATE_LIMITED|503 UNAVAILABLE)$/);
      expect(counts['200']).toBeGreaterThan(0);
      expect(counts['200']).toBeLessThanOrEqual(MAX_STREAMS_PER_USER);
      expect(counts['429 RATE_LIMITED']).toBeGreaterThanOrEqual(ATTACK_STREAMS - 2 * MAX_STREAMS_PER_USER);
      expect(answers.filter((a) => a.status !== 200).every((a) => Number(a.retryAfter) >= 1)).toBe(true);
      expect(await health).toBe(200);
      expect(await healthz()).toBe(200);
    } finally {
      await close();
    }
    await honest.stop(10);
    await honest.expectServed();
  });

  it('a closed stream frees its place at once', async () => {
    const token = await newToken('viewer');
    const first = await openStreams([token], MAX_STREAMS_PER_USER);
    expect(tally(first.answers)).toEqual({ '200': MAX_STREAMS_PER_USER });
    first.close();
    // The server sees each close; then the same token gets its streams again.
    await expect
      .poll(async () => {
        const again = await openStreams([token], 1);
        again.close();
        return again.answers[0]!.status;
      })
      .toBe(200);
  });

  it('streams on many tokens at once: every answer is 200, 429 or 503 with a code, never 500', async () => {
    const tokens = await Promise.all(Array.from({ length: 10 }, () => newToken('viewer')));
    honest.start();
    const { answers, close } = await floodStreams(tokens, 500);
    try {
      for (const key of Object.keys(tally(answers))) expect(key).toMatch(/^(200|429 RATE_LIMITED|503 UNAVAILABLE)$/);
      expect(answers.filter((a) => a.status === 200).length).toBeLessThanOrEqual(10 * MAX_STREAMS_PER_USER);
      expect(answers.filter((a) => a.status === 200).length).toBeGreaterThan(0);
      expect(await healthz()).toBe(200);
    } finally {
      await close();
    }
    await honest.stop(10);
    await honest.expectServed();
  });

  it('reads the freshness of all its matches in one query', async () => {
    // In-process, so every statement the server sends can be seen (pg's Client, instrumented).
    const local = await startTestServer();
    try {
      for (let i = 0; i < MATCHES; i++) await local.createMatch({ court: `S${i}` });
      const localViewer = await local.userToken('viewer');
      const statements: string[] = [];
      const original = pg.Client.prototype.query;
      pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
        const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text?: string })?.text;
        if (text) statements.push(text);
        return (original as (...a: unknown[]) => unknown).apply(this, args);
      } as typeof original;
      let stream: Awaited<ReturnType<typeof openStreams>> | undefined;
      try {
        stream = await openStreams([localViewer], 1, local.url);
        expect(stream.answers[0]!.status).toBe(200);
      } finally {
        pg.Client.prototype.query = original;
        stream?.close();
      }
      // Every match's snapshot and freshness: one list and one freshness read, not one per match.
      expect(statements.filter((s) => /match_statistics/.test(s)).length).toBeLessThanOrEqual(2);
    } finally {
      await local.stop();
    }
  });
});

describe('HTTP reads', () => {
  it(`a flood of feed reads on one token: ${HTTP_READS_PER_SECOND} a second served, the rest 429 RATE_LIMITED, never 500`, async () => {
    const token = await newToken('viewer');
    honest.start();
    const answers = await Promise.all(
      Array.from({ length: 600 }, async (_, i): Promise<Answer> => {
        const path = ['/api/feeds/vmix', '/api/courts', '/api/courts/2', '/api/feeds/vmix.json'][i % 4];
        const res = await fetch(`${server.url}${path}?token=${token}`);
        const body = (await res.json()) as { error?: { code: string } };
        return { status: res.status, code: body.error?.code, retryAfter: res.headers.get('retry-after') };
      }),
    );
    const counts = tally(answers);
    // Refused with a code, never 500 (an admitted read that waited past READ_WAIT_MS for a slot on a
    // loaded machine is 503 UNAVAILABLE).
    for (const key of Object.keys(counts)) expect(key).toMatch(/^(200|429 RATE_LIMITED|503 UNAVAILABLE)$/);
    expect(counts['429 RATE_LIMITED']).toBeGreaterThanOrEqual(600 - 2 * HTTP_READS_PER_SECOND);
    // At most one window's worth, or two when the burst straddles a second.
    expect(counts['200']).toBeGreaterThan(0);
    expect(counts['200']).toBeLessThanOrEqual(2 * HTTP_READS_PER_SECOND);
    // Another user is not affected.
    expect((await fetch(`${server.url}/api/feeds/vmix?token=${viewer}`)).status).toBe(200);
    expect(await healthz()).toBe(200);
    await honest.stop(10);
    await honest.expectServed();
  });

  it('the XML and CSV feeds answer their refusals in their own format', async () => {
    const token = await newToken('viewer');
    const answers = await Promise.all(
      Array.from({ length: 2 * HTTP_READS_PER_SECOND + 10 }, () =>
        fetch(`${server.url}/api/feeds/vmix.csv?token=${token}`),
      ),
    );
    const refused = answers.filter((r) => r.status === 429);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused[0]!.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(await refused[0]!.text()).toMatch(/^code,message\r\nRATE_LIMITED,/);
    for (const r of answers) if (r !== refused[0]) await r.body?.cancel();
  });
});
