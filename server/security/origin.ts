/**
 * Which browser pages may talk to the server. Browsers always send Origin on WebSocket
 * upgrades and cross-site requests, so a page elsewhere (cross-site WebSocket hijacking)
 * is refused before any handshake runs. Clients that are not browsers (the console core,
 * vMix, curl) send no Origin and are judged by their token alone.
 */
import type { IncomingMessage } from 'node:http';
import type { RequestHandler } from 'express';
import { ADMIN_UI_ORIGIN } from './settings.js';

/** Preflight answers may be cached this long by the browser: the allowlist changes only on restart. */
const CORS_MAX_AGE_S = 600;

/** The origins allowed besides same-origin: the configured list, plus the admin UI's page when it is on. */
export function originAllowlist(allowedOrigins: readonly string[], adminUiEnabled: boolean): string[] {
  return adminUiEnabled ? [...allowedOrigins, ADMIN_UI_ORIGIN] : [...allowedOrigins];
}

/**
 * No Origin: not a browser, allowed. Same host as the request's Host header (the
 * server's own pages, also behind a TLS proxy that passes Host): allowed. Otherwise
 * only an exact match in the allowlist.
 */
export function isOriginAllowed(
  origin: string | undefined,
  host: string | undefined,
  allowlist: readonly string[],
): boolean {
  if (origin === undefined) return true;
  if (allowlist.includes(origin)) return true;
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false; // includes the literal "null" of sandboxed frames and file: pages
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return false;
  return host !== undefined && parsed.host === host.toLowerCase();
}

/** Socket.io `allowRequest`: runs on every engine.io request, before any namespace middleware. */
export function createAllowRequest(
  allowlist: readonly string[],
  onRefused: (origin: string, address: string | undefined) => void,
): (req: IncomingMessage, callback: (err: string | null | undefined, success: boolean) => void) => void {
  return (req, callback) => {
    const origin = req.headers.origin;
    if (isOriginAllowed(origin, req.headers.host, allowlist)) return callback(null, true);
    onRefused(String(origin), req.socket.remoteAddress);
    callback('FORBIDDEN', false);
  };
}

/** Socket.io's own CORS option (long-polling from an allowed page). */
export function socketCors(allowlist: readonly string[]) {
  return { origin: [...allowlist], credentials: false };
}

/**
 * CORS for the HTTP API and feeds: allowed origins get the headers, others get none (the
 * browser then refuses to hand the answer to the page). Tokens are bearer tokens, never
 * cookies, so credentials are not allowed.
 */
export function httpCors(allowlist: readonly string[]): RequestHandler {
  return (req, res, next) => {
    const origin = req.headers.origin;
    if (origin && allowlist.includes(origin)) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type');
      res.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
      res.setHeader('Access-Control-Max-Age', String(CORS_MAX_AGE_S));
    }
    res.vary('Origin');
    if (req.method === 'OPTIONS' && origin) {
      res.status(allowlist.includes(origin) ? 204 : 403).end();
      return;
    }
    next();
  };
}
