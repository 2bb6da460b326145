import { describe, expect, it } from 'vitest';
import { pinMatches, requestAllowed } from './host.js';

const req = (headers: Record<string, string | undefined>) => ({ headers });

describe('console host request checks', () => {
  it('accepts same-origin browsers and origin-less clients on loopback', () => {
    expect(requestAllowed(req({ host: '127.0.0.1:3002', origin: 'http://127.0.0.1:3002' }), true)).toBe(true);
    expect(requestAllowed(req({ host: 'localhost:3002' }), true)).toBe(true);
    expect(requestAllowed(req({ host: '[::1]:3002', origin: 'http://[::1]:3002' }), true)).toBe(true);
  });

  it('refuses other origins (a web page elsewhere in the browser)', () => {
    expect(requestAllowed(req({ host: '127.0.0.1:3002', origin: 'https://evil.example' }), true)).toBe(false);
    expect(requestAllowed(req({ host: '127.0.0.1:3002', origin: 'http://127.0.0.1:9999' }), true)).toBe(false);
    expect(requestAllowed(req({ host: '127.0.0.1:3002', origin: 'null' }), true)).toBe(false);
  });

  it('refuses non-loopback Host names in loopback mode (DNS rebinding)', () => {
    expect(requestAllowed(req({ host: 'evil.example:3002', origin: 'http://evil.example:3002' }), true)).toBe(false);
    expect(requestAllowed(req({ host: undefined }), true)).toBe(false);
    // LAN mode: any Host, still same origin (the PIN guards it).
    expect(requestAllowed(req({ host: '192.168.1.20:3002', origin: 'http://192.168.1.20:3002' }), false)).toBe(true);
  });

  it('checks PINs exactly', () => {
    expect(pinMatches('12345678', '12345678')).toBe(true);
    expect(pinMatches('12345678', '1234567')).toBe(false);
    expect(pinMatches('12345678', '123456789')).toBe(false);
    expect(pinMatches('12345678', undefined)).toBe(false);
    expect(pinMatches('12345678', 12345678)).toBe(false);
  });
});
