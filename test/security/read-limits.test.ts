/**
 * Issue 12: 1,000 concurrent `GET /api/stream?token=<viewer token>` exhausted the
 * database pool (950 answered 500, other courts' pushes were late, /healthz said 503),
 * and each stream read freshness with one query per match. Now reads are limited per
 * user (streams, reads per second) and per process (read slots on a pool of their own),
 * every refusal is 429 or 503 with a code, never 500, and a stream reads the freshness
 * of all its matches in one query. Against the real server and PostgreSQL; an honest
 * court keeps pushing, its acks under 1 s, its events stored once, /healthz 200.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HTTP_READS_PER_SECOND, MAX_STREAMS_PER_USER } from '../../server/security/settings.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { HonestCourt } from './honest-court.js';

/** Matches on other courts: what each stream start reads. */
const MATCHES = 30;
/** The attack. */
const ATTACK_STREAMS = 1_000;

let server: TestServer;
let honest: HonestCourt;
let viewer: string;

beforeAll(async () => {
  server = await startTestServer();
  viewer = await server.userToken('viewer');
  for (let i = 0; i < MATCHES; i++) await server.createMatch({ court: `S${i}` });
  const match = await server.createMatch({ court: '2' });
  honest = await HonestCourt.connect({
    url: server.url,
    token: await server.userToken('scorer', ['2']),
    matchId: match.id,
    databaseUrl: server.databaseUrl,
  });
});
afterAll(async () => {
  honest?.close();
  await server?.stop();
});

interface Answer {
  status: number;
  code?: string;
  retryAfter: string | null;
}

/** Opens `count` streams at once; resolves once every one answered, with the streams still open. */
async function openStreams(tokens: string[], count: number) {
  const controllers: AbortController[] = [];
  const answers = await Promise.all(
    Array.from({ length: count }, async (_, i): Promise<Answer> => {
      const controller = new AbortController();
      controllers.push(controller);
      const res = await fetch(`${server.url}/api/stream?token=${tokens[i % tokens.length]}`, {
        signal: controller.signal,
      });
      if (res.status === 200) return { status: 200, retryAfter: null };
      const body = (await res.json()) as { error: { code: string } };
      return { status: res.status, code: body.error.code, retryAfter: res.headers.get('retry-after') };
    }),
  );
  return { answers, close: () => controllers.forEach((c) => c.abort()) };
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
  it(`${ATTACK_STREAMS} concurrent streams on one viewer token: ${MAX_STREAMS_PER_USER} served, the rest 429 RATE_LIMITED at once; the courts never notice`, async () => {
    honest.start();
    const health = healthz();
    const { answers, close } = await openStreams([viewer], ATTACK_STREAMS);
    try {
      const counts = tally(answers);
      expect(counts).toEqual({
        '200': MAX_STREAMS_PER_USER,
        '429 RATE_LIMITED': ATTACK_STREAMS - MAX_STREAMS_PER_USER,
      });
      expect(answers.filter((a) => a.status === 429).every((a) => Number(a.retryAfter) >= 1)).toBe(true);
      expect(await health).toBe(200);
      expect(await healthz()).toBe(200);
    } finally {
      close();
    }
    await honest.stop(10);
    await honest.expectServed();
  });

  it('a closed stream frees its place at once', async () => {
    const token = await server.userToken('viewer');
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
    const tokens = await Promise.all(Array.from({ length: 10 }, () => server.userToken('viewer')));
    honest.start();
    const { answers, close } = await openStreams(tokens, 500);
    try {
      for (const key of Object.keys(tally(answers))) expect(key).toMatch(/^(200|429 RATE_LIMITED|503 UNAVAILABLE)$/);
      expect(answers.filter((a) => a.status === 200).length).toBeLessThanOrEqual(10 * MAX_STREAMS_PER_USER);
      expect(answers.filter((a) => a.status === 200).length).toBeGreaterThan(0);
      expect(await healthz()).toBe(200);
    } finally {
      close();
    }
    await honest.stop(10);
    await honest.expectServed();
  });

  it('reads the freshness of all its matches in one query', async () => {
    const statements: string[] = [];
    const original = pg.Client.prototype.query;
    pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
      const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text?: string })?.text;
      if (text) statements.push(text);
      return (original as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof original;
    let stream: Awaited<ReturnType<typeof openStreams>> | undefined;
    try {
      stream = await openStreams([await server.userToken('viewer')], 1);
      expect(stream.answers[0]!.status).toBe(200);
    } finally {
      pg.Client.prototype.query = original;
      stream?.close();
    }
    // Every match's snapshot and freshness: one list and one freshness read, not one per match.
    expect(statements.filter((s) => /match_statistics/.test(s)).length).toBeLessThanOrEqual(2);
  });
});

describe('HTTP reads', () => {
  it(`a flood of feed reads on one token: ${HTTP_READS_PER_SECOND} a second served, the rest 429 RATE_LIMITED, never 500`, async () => {
    const token = await server.userToken('viewer');
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
    expect(Object.keys(counts).sort()).toEqual(['200', '429 RATE_LIMITED']);
    // One window, or two when the burst straddles a second.
    expect(counts['200']).toBeGreaterThanOrEqual(HTTP_READS_PER_SECOND);
    expect(counts['200']).toBeLessThanOrEqual(2 * HTTP_READS_PER_SECOND);
    // Another user is not affected.
    expect((await fetch(`${server.url}/api/feeds/vmix?token=${viewer}`)).status).toBe(200);
    expect(await healthz()).toBe(200);
    await honest.stop(10);
    await honest.expectServed();
  });

  it('the XML and CSV feeds answer their refusals in their own format', async () => {
    const token = await server.userToken('viewer');
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
