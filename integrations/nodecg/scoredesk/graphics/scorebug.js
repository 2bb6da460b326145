/* global nodecg, NodeCG */
/**
 * The sample graphic's script. NodeCG injects its browser API (`nodecg`) into every
 * graphic; the extension keeps one replicant per court (court:<name>) with the court's
 * current match snapshot, its freshness and `stale`. Nothing here talks to Scoredesk.
 */
(function () {
  'use strict';

  const configured = (nodecg.bundleConfig && nodecg.bundleConfig.courts) || [];
  const asked = new URLSearchParams(location.search).get('court');
  const courts = asked
    ? asked
        .split(',')
        .map((c) => c.trim())
        .filter(Boolean)
    : configured;
  const root = document.getElementById('courts');

  function cell(className, text) {
    const el = document.createElement('span');
    el.className = className;
    el.textContent = text;
    return el;
  }

  function sideRow(match, side) {
    const row = document.createElement('div');
    row.className = 'side ' + side + (match.serving === side ? ' serving' : '');
    row.dataset.side = side;
    const sets = match.setsWon && (match.sets || []).length ? String(match.setsWon[side]) : '';
    row.append(cell('name', match[side].name), cell('sets', sets), cell('score', String(match[side].score)));
    return row;
  }

  function render(el, view) {
    el.replaceChildren();
    el.classList.toggle('empty', !view || !view.match);
    el.classList.toggle('stale', Boolean(view && view.stale));
    if (!view || !view.match) return;
    const match = view.match;
    el.dataset.matchId = match.id;
    el.dataset.cursor = String(view.cursor);
    const name = cell('court-name', 'Court ' + view.court);
    name.style.gridRow = 'span 3';
    const status = cell('status', match.status + (view.link === 'live' ? '' : ' · ' + view.link));
    el.append(name, sideRow(match, 'home'), sideRow(match, 'away'), status);
  }

  for (const court of courts) {
    const el = document.createElement('section');
    el.className = 'court empty';
    el.dataset.court = court;
    root.append(el);
    const replicant = nodecg.Replicant('court:' + court);
    replicant.on('change', (view) => render(el, view));
  }
})();
