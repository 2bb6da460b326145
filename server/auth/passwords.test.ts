/** Password hashing: argon2id off the event loop, legacy bcrypt still verified and marked for rehash. */
import argon2 from 'argon2';
import { performance } from 'node:perf_hooks';
import bcrypt from 'bcryptjs';
import { describe, expect, it } from 'vitest';
import { ARGON2_OPTIONS, hashPassword, verifyPassword } from './passwords.js';

/** The cost the server used with bcryptjs before argon2. */
const LEGACY_BCRYPT_COST = 10;
/** Hashes started at once in the event-loop test: a login burst in miniature. */
const BURST = 20;
/** Event loop utilisation between idle (argon2 waits on the thread pool) and busy (bcryptjs computes). */
const LOOP_BUSY_SPLIT = 0.5;

describe('passwords', () => {
  it('hashes with argon2id and the documented parameters; verifies the right password only', async () => {
    const hash = await hashPassword('correct horse battery');
    expect(hash).toMatch(
      new RegExp(
        `^\\$argon2id\\$v=19\\$m=${ARGON2_OPTIONS.memoryCost},p=${ARGON2_OPTIONS.parallelism},t=${ARGON2_OPTIONS.timeCost}\\$`,
      ),
    );
    expect(await verifyPassword('correct horse battery', hash)).toEqual({ ok: true, rehash: false });
    expect(await verifyPassword('correct horse batterY', hash)).toEqual({ ok: false, rehash: false });
    // Salted: the same password never gives the same hash.
    expect(await hashPassword('correct horse battery')).not.toBe(hash);
  });

  it('verifies legacy bcrypt hashes ($2a$ and $2b$) and asks for a rehash only when right', async () => {
    const b = bcrypt.hashSync('old-password', 4);
    const a = b.replace(/^\$2b\$/, '$2a$');
    for (const legacy of [a, b]) {
      expect(await verifyPassword('old-password', legacy)).toEqual({ ok: true, rehash: true });
      expect(await verifyPassword('wrong', legacy)).toEqual({ ok: false, rehash: false });
    }
  });

  it('asks for a rehash of an argon2 hash made with other parameters', async () => {
    const old = await argon2.hash('pw-1', { type: argon2.argon2id, memoryCost: 8_192, timeCost: 3, parallelism: 1 });
    expect(await verifyPassword('pw-1', old)).toEqual({ ok: true, rehash: true });
    expect(await verifyPassword('pw-2', old)).toEqual({ ok: false, rehash: false });
  });

  it('refuses an unknown user (dummy hash) and a stored value that is no known hash', async () => {
    const [first, second] = await Promise.all([verifyPassword('x', undefined), verifyPassword('y', undefined)]);
    expect([first, second]).toEqual([
      { ok: false, rehash: false },
      { ok: false, rehash: false },
    ]);
    expect(await verifyPassword('plain', 'plain')).toEqual({ ok: false, rehash: false });
    expect(await verifyPassword('', '')).toEqual({ ok: false, rehash: false });
  });

  it('keeps the event loop idle while a burst of hashes is pending (bcryptjs does not)', async () => {
    /** The share of the time `work` took that the event loop spent running code (not waiting). */
    async function loopBusyWhile(work: () => Promise<unknown>): Promise<number> {
      const before = performance.eventLoopUtilization();
      await work();
      return performance.eventLoopUtilization(before).utilization;
    }
    const passwords = Array.from({ length: BURST }, (_, i) => `burst-password-${i}`);
    const argon = await loopBusyWhile(() => Promise.all(passwords.map((p) => hashPassword(p))));
    const legacy = await loopBusyWhile(() => Promise.all(passwords.map((p) => bcrypt.hash(p, LEGACY_BCRYPT_COST))));
    const both = `event loop busy: argon2 ${argon.toFixed(2)}, bcryptjs ${legacy.toFixed(2)}`;
    // argon2 hashes in libuv's thread pool: the loop mostly waits, free for sockets and timers.
    expect(argon, both).toBeLessThan(LOOP_BUSY_SPLIT);
    // bcryptjs hashes on the loop itself (in chunks, but the loop does little else meanwhile).
    expect(legacy, both).toBeGreaterThan(LOOP_BUSY_SPLIT);
  });
});
