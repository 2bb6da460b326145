import { describe, expect, it } from 'vitest';
import { DEFAULT_CONSOLE_PORT, DEFAULT_SERVER_URL, isLoopback, loadHostConfig } from './config.js';

describe('console host settings', () => {
  it('defaults to loopback without a PIN', () => {
    const config = loadHostConfig({});
    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: DEFAULT_CONSOLE_PORT,
      serverUrl: DEFAULT_SERVER_URL,
      pin: null,
    });
  });

  it('requires a PIN in LAN mode, generating one when none is set', () => {
    const generated = loadHostConfig({ SCOREDESK_CONSOLE_HOST: '0.0.0.0' });
    expect(generated.pin).toMatch(/^\d{8}$/);
    expect(generated.pinGenerated).toBe(true);
    const given = loadHostConfig({ SCOREDESK_CONSOLE_HOST: '0.0.0.0', SCOREDESK_CONSOLE_PIN: 'court-7-pin' });
    expect(given).toMatchObject({ pin: 'court-7-pin', pinGenerated: false });
  });

  it('refuses bad settings naming the variable', () => {
    expect(() => loadHostConfig({ SCOREDESK_CONSOLE_PORT: 'eighty' })).toThrow(/SCOREDESK_CONSOLE_PORT/);
    expect(() => loadHostConfig({ SCOREDESK_SERVER_URL: 'not a url' })).toThrow(/SCOREDESK_SERVER_URL/);
    expect(() => loadHostConfig({ SCOREDESK_CONSOLE_PIN: '12' })).toThrow(/SCOREDESK_CONSOLE_PIN/);
  });

  it('takes a sign-in only when both user and password are given', () => {
    expect(loadHostConfig({}).credentials).toBeUndefined();
    expect(loadHostConfig({ SCOREDESK_CONSOLE_USER: 'console' }).credentials).toBeUndefined();
    expect(
      loadHostConfig({ SCOREDESK_CONSOLE_USER: 'console', SCOREDESK_CONSOLE_PASSWORD: 'secret-1' }).credentials,
    ).toEqual({ username: 'console', password: 'secret-1' });
  });

  it('knows loopback addresses', () => {
    for (const host of ['127.0.0.1', 'localhost', '::1', '127.1.2.3']) expect(isLoopback(host)).toBe(true);
    for (const host of ['0.0.0.0', '192.168.1.10', '::']) expect(isLoopback(host)).toBe(false);
  });
});
