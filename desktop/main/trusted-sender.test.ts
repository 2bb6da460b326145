import { describe, expect, it } from 'vitest';
import { pathToFileURL } from 'node:url';
import { isTrustedRendererUrl } from './trusted-sender.js';

const indexHtml = '/opt/scoredesk/out/renderer/index.html';
const page = pathToFileURL(indexHtml).href;

describe('trusted renderer URL', () => {
  it('accepts our page with any hash route', () => {
    expect(isTrustedRendererUrl(page, { indexHtml })).toBe(true);
    expect(isTrustedRendererUrl(`${page}#/scoreboard`, { indexHtml })).toBe(true);
  });

  it('refuses other files, other schemes and garbage', () => {
    for (const url of [
      'file:///opt/scoredesk/out/renderer/evil.html',
      'file:///tmp/index.html',
      'file://remotehost/opt/scoredesk/out/renderer/index.html',
      'https://example.com/index.html',
      'data:text/html,<script>alert(1)</script>',
      'about:blank',
      '',
      'not a url',
      undefined,
      null,
    ]) {
      expect(isTrustedRendererUrl(url, { indexHtml }), String(url)).toBe(false);
    }
  });

  it('accepts the dev server origin only when one is configured', () => {
    const where = { indexHtml, devServerUrl: 'http://localhost:5173/' };
    expect(isTrustedRendererUrl('http://localhost:5173/#/scoreboard', where)).toBe(true);
    expect(isTrustedRendererUrl('http://localhost:5174/', where)).toBe(false);
    expect(isTrustedRendererUrl('http://localhost:5173/', { indexHtml })).toBe(false);
  });
});
