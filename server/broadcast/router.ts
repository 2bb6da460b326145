/**
 * Everything broadcast partners and directors use besides the /live namespace: pull
 * feeds (vMix JSON/XML/CSV, per-court JSON), Server-Sent Events, the overlay pages and
 * the court wall. The pipeline mounts this at the root of its Express app.
 */
import { Router } from 'express';
import type { DirectorSettings } from '../../shared/api.js';
import type { BroadcastDeps } from './deps.js';
import { createFeedsRouter } from './feeds.js';
import { requireRole } from './http-auth.js';
import { createPagesRouter } from './pages.js';
import { streamHandler } from './sse-stream.js';
import { createViewerTokensRouter } from './viewer-tokens.js';

/** What the court wall shows when the pipeline does not say otherwise. */
const DEFAULT_ADMIN_UI_URL = 'https://admin.socket.io';

export function createBroadcastRouter(deps: BroadcastDeps): Router {
  const router = Router();
  router.use(createFeedsRouter(deps));
  router.get('/api/stream', requireRole(deps), deps.trackStream ?? ((_req, _res, next) => next()), streamHandler(deps));
  router.get('/api/director/settings', requireRole(deps, ['admin']), (_req, res) => {
    const { adminUiEnabled, consoleOfflineAlertMs, backlogAlertEvents, adminUiUrl } = deps.settings;
    res.json({
      adminUiEnabled,
      adminUiUrl: adminUiEnabled ? (adminUiUrl ?? DEFAULT_ADMIN_UI_URL) : null,
      consoleOfflineAlertMs,
      backlogAlertEvents,
    } satisfies DirectorSettings);
  });
  router.use(createViewerTokensRouter(deps));
  router.use(createPagesRouter(deps));
  return router;
}
