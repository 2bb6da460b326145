/**
 * What both overlays share: config from the URL, look (theme, accent, position, scale),
 * CasparCG's globals play/stop/next/update, the delay line and the live feed. A page
 * supplies `render(view)` and `viewOf(feed, config)`.
 */
import { configFromSearch, mergeConfig, parseUpdateData } from './overlay-config.js';
import { createDelayLine } from './delay-line.js';
import { createLiveFeed } from './live-feed.js';

/** A running clock is redrawn this often (the shown value changes once a second). */
const CLOCK_TICK_MS = 250;

export function startOverlay({ root, courtsOf, viewOf, render, onNext }) {
  let config = configFromSearch(location.search);
  let feed = null;
  let lastView = null;
  // Clocks run in server time: the page's reckoning of it (time:sync), else its own clock.
  const serverNow = () => (feed ? feed.serverNow() : Date.now());
  const delay = createDelayLine((view) => {
    lastView = view;
    render(view, config, serverNow() - delay.delayMs);
  });

  function applyLook() {
    document.body.dataset.theme = config.theme;
    root.dataset.position = config.position;
    root.classList.toggle('hide-sets', !config.showSets);
    // On body: the stylesheet's defaults live there, and a value set on <html> would lose to them.
    document.body.style.setProperty('--accent', config.accent);
    document.body.style.setProperty('--scale', String(config.scale));
  }

  function startFeed() {
    feed?.stop();
    delay.clear();
    const courts = courtsOf(config);
    feed = createLiveFeed({
      token: config.token,
      courts,
      onChange: (f) => {
        document.body.dataset.connection = f.connection;
        delay.push(viewOf(f, config));
      },
    });
    window.__overlay = {
      get feed() {
        return feed;
      },
      get config() {
        return config;
      },
    };
  }

  function setVisible(visible) {
    root.classList.toggle('hidden', !visible);
  }

  // CasparCG HTML producer calls these; OBS and vMix never do, hence autoplay.
  window.play = () => setVisible(true);
  window.stop = () => setVisible(false);
  window.next = () => onNext?.();
  window.update = (data) => {
    const changes = parseUpdateData(data);
    const before = config;
    config = mergeConfig(config, changes);
    delay.setDelaySeconds(config.delaySeconds);
    applyLook();
    const refollow =
      before.court !== config.court || String(before.courts) !== String(config.courts) || before.token !== config.token;
    if (refollow) startFeed();
    else if (lastView) render(lastView, config, serverNow() - delay.delayMs);
  };

  delay.setDelaySeconds(config.delaySeconds);
  applyLook();
  setVisible(config.autoplay);
  startFeed();
  setInterval(() => {
    if (lastView?.clockRunning) render(lastView, config, serverNow() - delay.delayMs);
  }, CLOCK_TICK_MS);
}
