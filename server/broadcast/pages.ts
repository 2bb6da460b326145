/**
 * Serves the overlay pages, the court wall and their assets, as built by Vite into
 * PAGES_OUT_DIR (pages-build.ts; the sources are in pages/): static files under a
 * Content-Security-Policy that allows only this origin (overlays run inside broadcast
 * machines; a name with markup in it must never become code).
 */
import path from 'node:path';
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import type { BroadcastDeps } from './deps.js';
import { sendError } from './http-auth.js';
import { PAGES_ASSETS_DIR, PAGES_OUT_DIR, type PageFile } from './pages-build.js';

/** Where pages load their scripts and styles from. */
export const ASSETS_PATH = `/${PAGES_ASSETS_DIR}`;

export const PAGE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

function securityHeaders(_req: Request, res: Response, next: NextFunction): void {
  res.setHeader('Content-Security-Policy', PAGE_CSP);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer'); // page URLs carry ?token=
  next();
}

function page(file: PageFile) {
  return (_req: Request, res: Response) => {
    res.setHeader('Cache-Control', 'no-store'); // OBS reloads on scene change: always fresh
    res.sendFile(path.join(PAGES_OUT_DIR, file), (error) => {
      // Not built (a server started without ensurePagesBuild): say so instead of a bare 404.
      if (error && !res.headersSent)
        sendError(res, 'UNAVAILABLE', 'the overlay pages are not built: run npm run build:pages');
    });
  };
}

/** A small readable answer for a graphics browser that loaded an overlay without a valid token. */
function overlayAuth(deps: BroadcastDeps) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const token = typeof req.query.token === 'string' ? req.query.token : undefined;
    try {
      if (await deps.authenticate(token)) return next();
    } catch (error) {
      return next(error);
    }
    res.status(401).type('text/plain').send('UNAUTHORIZED: add ?token=VIEWER_TOKEN to the overlay URL');
  };
}

export function createPagesRouter(deps: BroadcastDeps): Router {
  const router = Router();
  router.use([ASSETS_PATH, '/overlays', '/director'], securityHeaders);
  router.use(ASSETS_PATH, express.static(path.join(PAGES_OUT_DIR, PAGES_ASSETS_DIR), { index: false, maxAge: 0 }));
  // Missing or malformed asset paths (e.g. "..") end here as a plain 404, never a 500.
  router.use(ASSETS_PATH, (_req, res) => sendError(res, 'NOT_FOUND', 'no such asset'));
  router.get('/overlays/scorebug', overlayAuth(deps), page('scorebug.html'));
  router.get('/overlays/courts', overlayAuth(deps), page('courts.html'));
  router.get('/director', page('director.html'));
  return router;
}
