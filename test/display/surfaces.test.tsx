/**
 * One match reads the same on every surface: every sport's worked examples
 * (test/support/display-examples.ts, including the basketball clock at 59,999 ms in Q3)
 * rendered through each surface's own rendering path, and the texts compared:
 * - the console screen and the spectator board: the React components as markup
 *   (react-dom/server), at the example's time;
 * - the vMix rows as JSON, XML and CSV (flattenMatch, toXml, toCsv), parsed back;
 * - the SSE `snapshot` event (snapshotEventData through sseEvent), parsed back;
 * - the overlays and the court wall (server/broadcast/pages): they put scoreboardView's fields
 *   into the page as they are (the scorebug's info line through scorebugInfo); their DOM is
 *   checked in Chromium by test/e2e/overlays*.test.ts.
 */
import { parse as parseCsv } from 'csv-parse/sync';
import { XMLParser } from 'fast-xml-parser';
import { renderToStaticMarkup } from 'react-dom/server';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { MatchSnapshot } from '../../shared/match.js';
import type { Freshness } from '../../shared/protocol.js';
import { Scoreboard } from '../../desktop/renderer/src/scoreboard/Scoreboard.js';
import { SpectatorBoard } from '../../desktop/renderer/src/scoreboard/SpectatorBoard.js';
import { toCsv } from '../../server/broadcast/feed-csv.js';
import { flattenMatch, type FeedRow } from '../../server/broadcast/feed-rows.js';
import { toXml } from '../../server/broadcast/feed-xml.js';
import { INFO_SEPARATOR, scorebugInfo } from '../../server/broadcast/pages/assets/lib/score-text.js';
import { scoreboardView, type ScoreboardView } from '../../shared/display/index.js';
import { snapshotEventData, sseEvent, type SnapshotEventData } from '../../server/broadcast/sse-stream.js';
import { displayExamples, type DisplayExample } from '../support/display-examples.js';
import { parseSseText } from '../support/broadcast/sse-reader.js';

/** The texts a surface shows, in one shape for every surface. */
interface Texts {
  /** The status line: the winner once there is one, else the status. */
  headline: string;
  periodLabel: string;
  home: string;
  away: string;
  clock: string | null;
  pointLabel: string;
  gameLabel: string;
  setsLine: string;
  calls: string[];
}

const FRESHNESS: Freshness = {
  lastEventAt: '2026-05-01T10:00:00.000Z',
  lastStoredAt: '2026-05-01T10:00:00.100Z',
  consoleOnline: true,
  verified: null,
};

// ---- the console screen and the spectator board (React markup) ---------------------------

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#x27': "'", '#39': "'" };
const textOf = (html: string) =>
  html.replace(/<[^>]*>/g, '').replace(/&(amp|lt|gt|quot|#x27|#39);/g, (_, name: string) => ENTITIES[name]!);

/** The markup inside each element carrying `data-testid` matching `id`, in document order. */
function elementsByTestId(html: string, id: RegExp): { id: string; inner: string }[] {
  const out: { id: string; inner: string }[] = [];
  const open = /<(\w+)[^>]*\bdata-testid="([^"]+)"[^>]*>/g;
  for (let m = open.exec(html); m; m = open.exec(html)) {
    const [tag, name] = [m[1]!, m[2]!];
    if (!id.test(name)) continue;
    // The matching close tag: count the same tag opened inside it.
    const inside = new RegExp(`<${tag}\\b[^>]*>|</${tag}>`, 'g');
    inside.lastIndex = open.lastIndex;
    let depth = 1;
    let end = html.length;
    for (let t = inside.exec(html); t; t = inside.exec(html)) {
      depth += t[0].startsWith('</') ? -1 : 1;
      if (depth === 0) {
        end = t.index;
        break;
      }
    }
    out.push({ id: name, inner: html.slice(open.lastIndex, end) });
  }
  return out;
}

function markupTexts(html: string): Texts {
  const one = (id: string): string | null => {
    const found = elementsByTestId(html, new RegExp(`^${id}$`));
    return found[0] ? textOf(found[0].inner) : null;
  };
  const history = elementsByTestId(html, /^set-history$/)[0]?.inner ?? '';
  return {
    headline: one('match-status') ?? '',
    periodLabel: one('period') ?? '',
    home: one('score-home') ?? '',
    away: one('score-away') ?? '',
    clock: one('clock'),
    pointLabel: one('point-badge') ?? '',
    gameLabel: one('game-label') ?? '',
    setsLine: [...history.matchAll(/<li>(.*?)<\/li>/g)].map((li) => textOf(li[1]!)).join(' '),
    calls: elementsByTestId(html, /^call-/).map((call) => textOf(call.inner)),
  };
}

/** The board as the screen renders it at the example's time (its clock reads the server time: Date.now here). */
function renderAt<T>(nowMs: number, render: () => T): T {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(nowMs);
  return render();
}

function consoleTexts(example: DisplayExample, variant: 'operator' | 'spectator'): Texts {
  return markupTexts(
    renderAt(example.nowMs, () => renderToStaticMarkup(<Scoreboard snapshot={example.snapshot} variant={variant} />)),
  );
}

function spectatorBoardTexts(example: DisplayExample): Texts {
  // The board reads only the snapshot and the court of the console's view.
  const view = { snapshot: example.snapshot, info: { court: example.snapshot.court } } as Parameters<
    typeof SpectatorBoard
  >[0]['view'];
  return markupTexts(renderAt(example.nowMs, () => renderToStaticMarkup(<SpectatorBoard view={view} />)));
}

// ---- the vMix rows: JSON, XML, CSV -------------------------------------------------------

const CALL_SEPARATOR = ' | ';

function rowTexts(row: Record<string, unknown>): Texts {
  const text = (column: keyof FeedRow) => String(row[column] ?? '');
  return {
    headline: text('resultText') || text('statusText'),
    periodLabel: text('periodLabel'),
    home: text('homeScoreText'),
    away: text('awayScoreText'),
    clock: text('clock') || null,
    pointLabel: text('pointLabel'),
    gameLabel: text('gameLabel'),
    setsLine: text('sets'),
    calls: text('calls') ? text('calls').split(CALL_SEPARATOR) : [],
  };
}

const feedRow = (example: DisplayExample) => flattenMatch(example.snapshot, FRESHNESS, example.nowMs);

function jsonTexts(example: DisplayExample): Texts {
  return rowTexts(JSON.parse(JSON.stringify([feedRow(example)]))[0] as Record<string, unknown>);
}

function xmlTexts(example: DisplayExample): Texts {
  const parsed = new XMLParser({ parseTagValue: false, trimValues: false }).parse(toXml([feedRow(example)])) as {
    matches: { match: Record<string, string> };
  };
  return rowTexts(parsed.matches.match);
}

function csvTexts(example: DisplayExample): Texts {
  const [row] = parseCsv(toCsv([feedRow(example)]), { columns: true }) as Record<string, string>[];
  return rowTexts(row!);
}

// ---- SSE -----------------------------------------------------------------------------------

function viewTexts(display: ScoreboardView): Texts {
  return {
    headline: display.resultText || display.statusText,
    periodLabel: display.periodLabel,
    home: display.home.score,
    away: display.away.score,
    clock: display.clock?.text ?? null,
    pointLabel: display.pointLabel?.text ?? '',
    gameLabel: display.gameLabel?.text ?? '',
    setsLine: display.setsLine,
    calls: display.calls.map((call) => call.text),
  };
}

function sseTexts(example: DisplayExample): Texts {
  const wire = sseEvent('snapshot', snapshotEventData(example.snapshot, FRESHNESS, example.nowMs), 1);
  const [event] = parseSseText(wire);
  return viewTexts((JSON.parse(event!.data) as SnapshotEventData).display);
}

// ---- the overlays and the court wall ------------------------------------------------------

/** What the scorebug, the courts strip and the court wall put on the page: the view's fields. */
const overlayTexts = (example: DisplayExample): Texts => viewTexts(scoreboardView(example.snapshot, example.nowMs));

// ---- the comparison --------------------------------------------------------------------------

function expectedTexts({ expected }: DisplayExample): Texts {
  return {
    headline: expected.resultText || expected.statusText,
    periodLabel: expected.periodLabel,
    home: expected.home,
    away: expected.away,
    clock: expected.clock,
    pointLabel: expected.pointLabel ?? '',
    gameLabel: expected.gameLabel ?? '',
    setsLine: expected.setsLine ?? '',
    calls: expected.calls ?? [],
  };
}

const SURFACES: Record<string, (example: DisplayExample) => Texts> = {
  'console screen': (example) => consoleTexts(example, 'operator'),
  'spectator scoreboard': (example) => consoleTexts(example, 'spectator'),
  'spectator board page': spectatorBoardTexts,
  'vMix JSON': jsonTexts,
  'vMix XML': xmlTexts,
  'vMix CSV': csvTexts,
  SSE: sseTexts,
  'overlays and court wall': overlayTexts,
};

afterEach(() => {
  vi.useRealTimers();
});

describe('every surface shows the same texts', () => {
  for (const example of displayExamples()) {
    it(example.name, () => {
      const want = expectedTexts(example);
      for (const [surface, texts] of Object.entries(SURFACES)) expect(texts(example), surface).toEqual(want);
    });
  }

  it("the scorebug's info line joins status, period and clock as the other surfaces show them", () => {
    for (const example of displayExamples()) {
      const { expected } = example;
      const want = [expected.statusText, expected.periodLabel, expected.clock ?? '']
        .filter(Boolean)
        .join(INFO_SEPARATOR);
      expect(scorebugInfo(scoreboardView(example.snapshot, example.nowMs)), example.name).toBe(want);
    }
  });

  it('the last minute: 59,999 ms left in Q3 reads 59.9 everywhere, never 01:00', () => {
    const example = displayExamples().find((e) => e.expected.clock === '59.9')!;
    const snapshot: MatchSnapshot = example.snapshot;
    expect(snapshot.period).toBe(3);
    for (const [surface, texts] of Object.entries(SURFACES)) {
      expect(texts(example).clock, surface).toBe('59.9');
      expect(texts(example).periodLabel, surface).toBe('Q3');
    }
  });
});
