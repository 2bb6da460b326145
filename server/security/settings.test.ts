/** Security settings from the environment: defaults, the contract's floors, clear errors. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_SECURITY, loadSecuritySettings, resolveSecuritySettings } from './settings.js';

describe('loadSecuritySettings', () => {
  it('defaults meet the contract (>= 100 messages/s per socket, >= 10 connections per user)', () => {
    const s = loadSecuritySettings({});
    expect(s).toEqual(DEFAULT_SECURITY);
    expect(s.socketMessagesPerSecond).toBeGreaterThanOrEqual(100);
    expect(s.maxConnectionsPerUser).toBeGreaterThanOrEqual(10);
    expect(s.allowedOrigins).toEqual([]);
  });

  it('reads lists and numbers', () => {
    const s = loadSecuritySettings({
      SCOREDESK_ALLOWED_ORIGINS: 'https://a.example.com, http://10.0.0.9:8080',
      SCOREDESK_SOCKET_RATE: '300',
      SCOREDESK_MAX_CONNECTIONS_PER_USER: '12',
      SCOREDESK_LOGIN_FAILURES: '5',
    });
    expect(s.allowedOrigins).toEqual(['https://a.example.com', 'http://10.0.0.9:8080']);
    expect(loadSecuritySettings({ SCOREDESK_ALLOWED_ORIGINS: 'null' }).allowedOrigins).toEqual(['null']);
    expect(s).toMatchObject({ socketMessagesPerSecond: 300, maxConnectionsPerUser: 12, loginFailuresPerWindow: 5 });
  });

  it('refuses settings below the contract or malformed, naming the variable', () => {
    expect(() => loadSecuritySettings({ SCOREDESK_SOCKET_RATE: '50' })).toThrow(/SCOREDESK_SOCKET_RATE.*at least 100/);
    expect(() => loadSecuritySettings({ SCOREDESK_MAX_CONNECTIONS_PER_USER: '3' })).toThrow(
      /SCOREDESK_MAX_CONNECTIONS_PER_USER/,
    );
    expect(() => loadSecuritySettings({ SCOREDESK_ALLOWED_ORIGINS: 'https://a.example.com/path' })).toThrow(
      /SCOREDESK_ALLOWED_ORIGINS/,
    );
    expect(() => loadSecuritySettings({ SCOREDESK_ALLOWED_ORIGINS: '*' })).toThrow(/SCOREDESK_ALLOWED_ORIGINS/);
  });

  it('overlays partial settings on the defaults', () => {
    expect(resolveSecuritySettings({ maxConnectionsPerUser: 11 })).toEqual({
      ...DEFAULT_SECURITY,
      maxConnectionsPerUser: 11,
    });
    expect(resolveSecuritySettings(undefined)).toEqual(DEFAULT_SECURITY);
  });
});
