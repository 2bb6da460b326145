/**
 * POST /api/viewer-tokens (admin): a long-lived read-only token for graphics tools, with
 * the overlay and feed URLs that carry it as `?token=`. The token has no users row
 * (subject `viewer:<label>`) and role `viewer`: /console refuses it at connect, every write
 * route answers 403. Each carries its own id: the court wall revokes a leaked link by it
 * (POST /api/tokens/revoke), and its connections and messages are counted per token.
 */
import { Router, type Request } from 'express';
import { createViewerTokenSchema, type OverlayUrls, type ViewerTokenReply } from '../../shared/api.js';
import { describeZodError } from '../../shared/protocol.js';
import type { BroadcastDeps } from './deps.js';
import { requireRole, sendError, sendFailure } from './http-auth.js';

const SECONDS_PER_HOUR = 3600;

export type { OverlayUrls } from '../../shared/api.js';

/**
 * Where the caller reached us. The court wall runs on this server, so its Host is the name
 * graphics machines use too. `req.protocol` is https behind a TLS proxy only when that proxy
 * is trusted (SCOREDESK_TRUST_PROXY): anyone else's X-Forwarded-Proto is ignored.
 */
function baseUrl(req: Request): string {
  return `${req.protocol}://${req.get('host') ?? 'localhost'}`;
}

export function overlayUrls(base: string, token: string, court?: string): OverlayUrls {
  const t = encodeURIComponent(token);
  return {
    // Token first: without a court the URL ends in `court=` for the operator to complete.
    scorebug: `${base}/overlays/scorebug?token=${t}&court=${court === undefined ? '' : encodeURIComponent(court)}`,
    courts: `${base}/overlays/courts?token=${t}`,
    vmix: `${base}/api/feeds/vmix?token=${t}`,
    vmixXml: `${base}/api/feeds/vmix.xml?token=${t}`,
    vmixCsv: `${base}/api/feeds/vmix.csv?token=${t}`,
    stream: `${base}/api/stream?token=${t}`,
  };
}

export function createViewerTokensRouter(deps: BroadcastDeps): Router {
  const router = Router();
  router.post('/api/viewer-tokens', requireRole(deps, ['admin']), async (req, res) => {
    const mint = deps.mintViewerToken;
    if (!mint) return sendError(res, 'NOT_FOUND', 'this server does not mint viewer tokens');
    const parsed = createViewerTokenSchema.safeParse(req.body ?? {});
    if (!parsed.success) return sendError(res, 'VALIDATION', describeZodError(parsed.error));
    const { label, ttlHours, court } = parsed.data;
    try {
      const { token, tokenId, expiresAt } = await mint(label, ttlHours * SECONDS_PER_HOUR);
      res.status(201).json({
        token,
        // One token per overlay: revoking a leaked link (POST /api/tokens/revoke) leaves the others working.
        ...(tokenId ? { tokenId } : {}),
        label,
        subject: `viewer:${label}`,
        role: 'viewer',
        expiresAt: new Date(expiresAt).toISOString(),
        overlayUrls: overlayUrls(baseUrl(req), token, court),
      } satisfies ViewerTokenReply);
    } catch (error) {
      sendFailure(res, error);
    }
  });
  return router;
}
