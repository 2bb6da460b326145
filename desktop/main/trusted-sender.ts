/**
 * Is an IPC message from our own renderer? The frame URL must be the built renderer page
 * (file://.../out/renderer/index.html, any hash route) or, in development, the dev server's
 * origin. Anything else (a navigated-away frame, an iframe, a data: URL) is refused.
 */
import { pathToFileURL } from 'node:url';

export interface RendererLocation {
  /** Absolute path of out/renderer/index.html. */
  indexHtml: string;
  /** electron-vite dev server URL (ELECTRON_RENDERER_URL), development only. */
  devServerUrl?: string | undefined;
}

export function isTrustedRendererUrl(frameUrl: string | undefined | null, where: RendererLocation): boolean {
  if (!frameUrl) return false;
  let url: URL;
  try {
    url = new URL(frameUrl);
  } catch {
    return false;
  }
  if (where.devServerUrl) {
    const dev = new URL(where.devServerUrl);
    if (url.origin === dev.origin && (url.protocol === 'http:' || url.protocol === 'https:')) return true;
  }
  if (url.protocol !== 'file:') return false;
  return url.pathname === pathToFileURL(where.indexHtml).pathname && url.host === '';
}
