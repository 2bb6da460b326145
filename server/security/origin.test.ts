/** Origin decisions (pure): what a browser page may open a socket from. */
import { describe, expect, it } from 'vitest';
import { isOriginAllowed, originAllowlist } from './origin.js';

const ALLOWED = ['https://graphics.example.com'];

describe('isOriginAllowed', () => {
  it('admits clients that are not browsers (no Origin)', () => {
    expect(isOriginAllowed(undefined, 'scores.example.com', [])).toBe(true);
  });

  it('admits same-origin pages, also behind a TLS proxy that passes Host', () => {
    expect(isOriginAllowed('http://127.0.0.1:3001', '127.0.0.1:3001', [])).toBe(true);
    expect(isOriginAllowed('https://scores.example.com', 'scores.example.com', [])).toBe(true);
    expect(isOriginAllowed('https://scores.example.com', 'Scores.Example.com', [])).toBe(true);
  });

  it('admits exactly the listed origins', () => {
    expect(isOriginAllowed('https://graphics.example.com', 'scores.example.com', ALLOWED)).toBe(true);
    for (const origin of [
      'http://graphics.example.com',
      'https://graphics.example.com:8443',
      'https://graphics.example.com.evil.io',
      'https://evil.io',
    ]) {
      expect(isOriginAllowed(origin, 'scores.example.com', ALLOWED), origin).toBe(false);
    }
  });

  it('refuses opaque and odd origins', () => {
    for (const origin of ['null', 'file://', 'chrome-extension://abc', 'not a url', '']) {
      expect(isOriginAllowed(origin, 'null', ALLOWED), origin).toBe(false);
    }
  });

  it('refuses a page whose host differs from the Host header only by port', () => {
    expect(isOriginAllowed('http://127.0.0.1:8080', '127.0.0.1:3001', [])).toBe(false);
    expect(isOriginAllowed('http://127.0.0.1:3001', undefined, [])).toBe(false);
  });
});

it('admits the opaque origin "null" only when it is listed (pages opened from disk)', () => {
  expect(isOriginAllowed('null', 'scores.example.com', [])).toBe(false);
  expect(isOriginAllowed('null', 'scores.example.com', ['null'])).toBe(true);
});

describe('originAllowlist', () => {
  it('adds the admin UI page only when the admin UI is on', () => {
    expect(originAllowlist(ALLOWED, false)).toEqual(ALLOWED);
    expect(originAllowlist(ALLOWED, true)).toEqual([...ALLOWED, 'https://admin.socket.io']);
  });
});
