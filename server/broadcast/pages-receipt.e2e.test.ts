/**
 * The overlay pages check what the server sends before they show it (issue 14): the real
 * server (in-process, fresh PostgreSQL) and the built scorebug in headless Chromium; the
 * test then makes the server's /live namespace send malformed messages, as a broken or
 * hostile server would. The page refuses each whole, by name (the protocol's schemas,
 * shared/protocol/down.ts), counts it and keeps showing the last good state; a well-formed
 * update sent after them is shown. A page whose protocol version the server refuses says
 * so (connection `incompatible`, the reason) instead of showing the score as live.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { MatchSnapshot } from '../../shared/match.js';
import {
  describeProtocolRefusal,
  PROTOCOL_VERSION,
  SUPPORTED_PROTOCOLS,
  type Freshness,
  type MatchUpdate,
} from '../../shared/protocol.js';
import { launchBrowser, watchedPage } from '../../test/support/browser.js';
import { startTestServer, type TestServer } from '../../test/support/server.js';

const WAIT = { timeout: 15_000, polling: 100 };

let server: TestServer;
let browser: Browser;
let page: Page;
let errors: string[];
let match: MatchSnapshot;
let viewer: string;

interface FeedProbe {
  connection: string;
  refused: number;
  lastRefused: string | null;
}
/** Run in the page (serialized: it may use nothing from this module). */
const probe = (): FeedProbe | null => {
  type Feed = { connection: string; lastRefused: string | null; stats: { refused: number } };
  const feed = (window as unknown as { __overlay?: { feed: Feed | null } }).__overlay?.feed;
  return feed ? { connection: feed.connection, refused: feed.stats.refused, lastRefused: feed.lastRefused } : null;
};

beforeAll(async () => {
  server = await startTestServer();
  browser = await launchBrowser();
  ({ page, errors } = await watchedPage(browser));
  match = await server.createMatch({ court: 'R1', home: { name: 'Herons' }, away: { name: 'Cranes' } });
  viewer = await server.userToken('viewer');
  await page.goto(`${server.url}/overlays/scorebug?court=R1&token=${viewer}`);
  await page.waitForFunction(() => document.getElementById('home-name')?.textContent === 'Herons', undefined, WAIT);
  await page.waitForFunction(() => document.body.dataset.connection === 'live', undefined, WAIT);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

function update(snapshot: unknown, cursor: number): MatchUpdate {
  const freshness: Freshness = { lastEventAt: null, lastStoredAt: null, consoleOnline: true, verified: null };
  return { matchId: match.id, baseCursor: 0, cursor, events: [], snapshot, freshness } as MatchUpdate;
}

async function refusedAfter(count: number): Promise<FeedProbe> {
  await page.waitForFunction(
    (n) => {
      const overlay = (window as unknown as { __overlay?: { feed: { stats: { refused: number } } | null } }).__overlay;
      return (overlay?.feed?.stats.refused ?? 0) > n;
    },
    count,
    WAIT,
  );
  return (await page.evaluate(probe))!;
}

it('refuses malformed messages whole and by name, keeps the last good state, then shows a well-formed one', async () => {
  const live = server.io.of('/live');
  const before = (await page.evaluate(probe))!;

  // A score that is not a number: the whole update is refused, nothing of it is shown.
  live.emit('MATCH_UPDATE', update({ ...match, cursor: 50, home: { name: 'Forged', score: 'ten' } }, 50));
  let seen = await refusedAfter(before.refused);
  expect(seen.lastRefused).toMatch(/^malformed MATCH_UPDATE from the server: snapshot\.home\.score: /);
  expect(await page.textContent('#home-name')).toBe('Herons');

  // A frame with one malformed update is refused whole: its well-formed neighbour is not shown either.
  const good = { ...match, cursor: 70, status: 'live', home: { name: 'Herons', score: 7 } };
  live.emit('MATCH_UPDATES', { updates: [update({ ...match, cursor: 60, court: '' }, 60), update(good, 70)] });
  seen = await refusedAfter(seen.refused);
  expect(seen.lastRefused).toMatch(/^malformed MATCH_UPDATES from the server: updates\.0\.snapshot\.court: /);
  expect(await page.textContent('#home-score')).toBe('0');

  // A court update without the snapshot's id.
  const { id: _dropped, ...withoutId } = { ...match, cursor: 80, home: { name: 'Forged', score: 1 } };
  live.emit('COURT_UPDATE', { court: 'R1', snapshot: withoutId });
  seen = await refusedAfter(seen.refused);
  expect(seen.lastRefused).toMatch(/^malformed COURT_UPDATE from the server: snapshot\.id: /);
  expect(await page.textContent('#home-name')).toBe('Herons');

  // The same well-formed update alone is shown: the refusals above were of what was malformed.
  live.emit('MATCH_UPDATES', { updates: [update(good, 70)] });
  await page.waitForFunction(() => document.getElementById('home-score')?.textContent === '7', undefined, WAIT);
  expect((await page.evaluate(probe))!).toMatchObject({ connection: 'live', refused: seen.refused });
  expect(errors).toEqual([]);
});

it('shows a refused protocol version as incompatible, with the reason, and keeps the HTTP snapshot marked stale', async () => {
  const { page: refused, errors: refusedErrors } = await watchedPage(browser);
  // The handshake as a newer page would send it: socket.io's CONNECT packet for /live.
  const connects: string[] = [];
  await refused.routeWebSocket(/\/socket\.io\//, (ws) => {
    const upstream = ws.connectToServer();
    ws.onMessage((message) => {
      const text = String(message);
      if (!text.startsWith('40/live,')) return upstream.send(message);
      connects.push(text);
      upstream.send(text.replace(`"protocol":${PROTOCOL_VERSION}`, `"protocol":${SUPPORTED_PROTOCOLS.max + 1}`));
    });
  });
  await refused.goto(`${server.url}/overlays/scorebug?court=R1&token=${viewer}`);
  await refused.waitForFunction(() => document.body.dataset.connection === 'incompatible', undefined, WAIT);
  const lastError = await refused.evaluate(
    () => (window as unknown as { __overlay: { feed: { lastError: string | null } } }).__overlay.feed.lastError,
  );
  expect(lastError).toBe(
    describeProtocolRefusal(
      { reason: 'CLIENT_TOO_NEW', supported: SUPPORTED_PROTOCOLS },
      { name: 'this page', version: PROTOCOL_VERSION },
    ),
  );
  expect(connects).toHaveLength(1);
  // The score still comes over HTTP, marked stale: this page is not following live.
  await refused.waitForFunction(() => document.getElementById('home-name')?.textContent === 'Herons', undefined, WAIT);
  expect(await refused.getAttribute('#scorebug', 'class')).toMatch(/\bstale\b/);
  expect(refusedErrors).toEqual([]);
  await refused.close();
});
