/** The unit tier's guard (test/support/unit-guard.ts): this file runs in the unit project. */
import { spawn, spawnSync } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import { describe, expect, it } from 'vitest';

const HINT = /integration project/;

describe('unit tier guard', () => {
  it('refuses connections, listeners and child processes, naming the fix', () => {
    expect(() => net.connect(5432, '127.0.0.1')).toThrow(HINT);
    expect(() => http.createServer().listen(0, '127.0.0.1')).toThrow(HINT);
    expect(() => spawn('true')).toThrow(HINT);
    expect(() => spawnSync('true')).toThrow(HINT);
  });

  it('leaves no PostgreSQL URL for a unit test to find', () => {
    expect(process.env.SCOREDESK_TEST_DATABASE_URL).toBeUndefined();
  });
});
