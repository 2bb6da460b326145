/**
 * What both overlays share: config from the URL, look (theme, accent, position, scale),
 * CasparCG's globals play/stop/next/update, the delay line and the live feed. A page
 * supplies `render(view)` and `viewOf(feed, config)`.
 */
import { createDelayLine } from './delay-line.js';
import { createLiveFeed, type LiveFeed } from './live-feed.js';
import { configFromSearch, mergeConfig, parseUpdateData, type OverlayConfig } from './overlay-config.js';

/** A running clock is redrawn this often (the shown value changes once a second). */
const CLOCK_TICK_MS = 250;

declare global {
  interface Window {
    /** CasparCG's HTML producer calls these (CG PLAY, CG STOP, CG NEXT, CG UPDATE). */
    play: () => void;
    next: () => void;
    update: (data: unknown) => void;
    /** What the page follows, for tests and for a look in the browser's console. */
    __overlay?: { readonly feed: LiveFeed | null; readonly config: OverlayConfig };
  }
}

/** Every view says whether it holds a running clock: then it is redrawn while nothing arrives. */
export interface OverlayView {
  clockRunning: boolean;
}

export interface OverlayPage<V extends OverlayView> {
  root: HTMLElement;
  /** The courts the page follows (null: all). */
  courtsOf: (config: OverlayConfig) => string[] | null;
  viewOf: (feed: LiveFeed, config: OverlayConfig) => V;
  /** Draws `view` as it stood at `nowMs` (server time, minus the broadcast delay). */
  render: (view: V, config: OverlayConfig, nowMs: number) => void;
  onNext?: () => void;
}

export function startOverlay<V extends OverlayView>({ root, courtsOf, viewOf, render, onNext }: OverlayPage<V>): void {
  let config = configFromSearch(location.search);
  let feed: LiveFeed | null = null;
  let lastView: V | null = null;
  // Clocks run in server time: the page's reckoning of it (time:sync), else its own clock.
  const serverNow = () => (feed ? feed.serverNow() : Date.now());
  const delay = createDelayLine<V>((view) => {
    lastView = view;
    render(view, config, serverNow() - delay.delayMs);
  });

  function applyLook(): void {
    document.body.dataset.theme = config.theme;
    root.dataset.position = config.position;
    root.classList.toggle('hide-sets', !config.showSets);
    // On body: the stylesheet's defaults live there, and a value set on <html> would lose to them.
    document.body.style.setProperty('--accent', config.accent);
    document.body.style.setProperty('--scale', String(config.scale));
  }

  function startFeed(): void {
    feed?.stop();
    delay.clear();
    feed = createLiveFeed({
      token: config.token,
      courts: courtsOf(config),
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

  function setVisible(visible: boolean): void {
    root.classList.toggle('hidden', !visible);
  }

  // CasparCG HTML producer calls these; OBS and vMix never do, hence autoplay.
  window.play = () => setVisible(true);
  window.stop = () => setVisible(false);
  window.next = () => onNext?.();
  window.update = (data) => {
    const before = config;
    config = mergeConfig(config, parseUpdateData(data));
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
