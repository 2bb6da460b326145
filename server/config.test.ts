/** Settings parsing: contract defaults, documented knobs, clear errors. */
import { describe, expect, it } from 'vitest';
import { BATCH_WINDOW_MS, ConfigError, EMBEDDED_PG_PORT, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('has the contract defaults', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      port: 3001,
      host: '127.0.0.1',
      batchWindowMs: BATCH_WINDOW_MS,
      embeddedPgPort: EMBEDDED_PG_PORT,
      adapter: 'memory',
      debugSockets: false,
    });
    expect(c.databaseUrl).toBeUndefined();
    expect(c.dataDir.endsWith('data')).toBe(true);
    expect(c.adminUi).toBeUndefined();
  });

  it('reads the knobs', () => {
    const c = loadConfig({
      PORT: '4000',
      SCOREDESK_BATCH_MS: '20',
      SCOREDESK_ADAPTER: 'redis',
      SCOREDESK_REDIS_URL: 'redis://127.0.0.1:6390',
      SCOREDESK_DEBUG_SOCKETS: '1',
      SCOREDESK_ADMIN_UI_USER: 'ops',
      SCOREDESK_ADMIN_UI_PASSWORD_HASH: '$2b$10$abcdefghijklmnopqrstuuM6g3cH8k1dOuLrY2n8zVJ0o0kqXW1Ci',
    });
    expect(c).toMatchObject({ port: 4000, batchWindowMs: 20, adapter: 'redis', debugSockets: true });
    expect(c.adminUi).toMatchObject({ username: 'ops', readonly: true });
  });

  it('refuses inconsistent or malformed settings with the setting named', () => {
    expect(() => loadConfig({ SCOREDESK_ADAPTER: 'redis' })).toThrow(ConfigError);
    expect(() => loadConfig({ SCOREDESK_ADMIN_UI_USER: 'ops' })).toThrow(/SCOREDESK_ADMIN_UI_PASSWORD_HASH/);
    expect(() => loadConfig({ SCOREDESK_ADMIN_UI_USER: 'ops', SCOREDESK_ADMIN_UI_PASSWORD_HASH: 'plain' })).toThrow(
      /SCOREDESK_ADMIN_UI_PASSWORD_HASH/,
    );
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(/PORT/);
    expect(() => loadConfig({ SCOREDESK_JWT_SECRET: 'short' })).toThrow(/SCOREDESK_JWT_SECRET/);
  });
});
