/**
 * The scoreboard renders names as text: a team called "<img src=x onerror=alert(1)>" must come
 * out escaped in the markup, on the operator's screen and on the spectator window alike.
 */
import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { foldMatch } from '../../../../shared/domain/index.js';
import type { MatchEvent } from '../../../../shared/events.js';
import type { MatchMeta } from '../../../../shared/match.js';
import { Scoreboard } from './Scoreboard.js';

const hostile = '<img src=x onerror="alert(1)">';
const meta: MatchMeta = {
  id: 'm1',
  sport: 'badminton',
  court: '1',
  home: { name: hostile },
  away: { name: 'Away & <b>bold</b>' },
  scheduledAt: null,
  slotMinutes: null,
  options: {},
};

function events(...types: Array<'home' | 'away' | 'start'>): MatchEvent[] {
  return types.map((t, index): MatchEvent => {
    const at = new Date(Date.UTC(2026, 10, 28, 10, 0, index)).toISOString();
    return t === 'start'
      ? { seq: index + 1, type: 'MATCH_START', payload: {}, at }
      : { seq: index + 1, type: 'SCORE_UPDATE', payload: { side: t }, at };
  });
}

describe('Scoreboard', () => {
  it('renders hostile names as text in both variants', () => {
    const snapshot = foldMatch(meta, events('start', 'home', 'away', 'home'));
    for (const variant of ['operator', 'spectator'] as const) {
      const html = renderToStaticMarkup(<Scoreboard snapshot={snapshot} variant={variant} />);
      expect(html).not.toContain('<img');
      expect(html).not.toContain('<b>');
      expect(html).toContain('&lt;img src=x onerror=&quot;alert(1)&quot;&gt;');
      expect(html).toContain('Away &amp; &lt;b&gt;bold&lt;/b&gt;');
    }
  });

  it('shows the current score and serving side from the snapshot', () => {
    const snapshot = foldMatch(meta, events('start', 'home', 'home', 'away'));
    const html = renderToStaticMarkup(<Scoreboard snapshot={snapshot} variant="operator" />);
    expect(html).toContain('data-testid="score-home">2<');
    expect(html).toContain('data-testid="score-away">1<');
    // Badminton: the side that won the last rally serves.
    expect(snapshot.serving).toBe('away');
    expect(html).toMatch(/data-testid="name-away"><span class="serving"/);
  });
});
