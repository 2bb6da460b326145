/** Password hashing: argon2id off the event loop, legacy bcrypt still verified and marked for rehash. */
import argon2 from 'argon2';
import bcrypt from 'bcryptjs';
import { describe, expect, it } from 'vitest';
import { ARGON2_OPTIONS, hashPassword, verifyPassword } from './passwords.js';

/** The cost the server used with bcryptjs before argon2. */
const LEGACY_BCRYPT_COST = 10;
/** Hashes started at once in the event-loop test: a login burst in miniature. */
const BURST = 20;
const TICK_MS = 5;

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

  it('keeps the event loop running while a burst of hashes is pending (bcryptjs does not)', async () => {
    /** setInterval ticks (one per TICK_MS when the loop is free) while `work` is pending. */
    async function ticksWhile(work: () => Promise<unknown>): Promise<{ ticks: number; ms: number }> {
      let ticks = 0;
      const timer = setInterval(() => ticks++, TICK_MS);
      const started = performance.now();
      await work();
      const ms = performance.now() - started;
      clearInterval(timer);
      return { ticks, ms };
    }
    const passwords = Array.from({ length: BURST }, (_, i) => `burst-password-${i}`);
    const argon = await ticksWhile(() => Promise.all(passwords.map((p) => hashPassword(p))));
    const legacy = await ticksWhile(() => Promise.all(passwords.map((p) => bcrypt.hash(p, LEGACY_BCRYPT_COST))));
    const argonRate = argon.ticks / argon.ms;
    const legacyRate = legacy.ticks / legacy.ms;
    // Timers fired while the argon2 hashes were pending: the loop was free meanwhile.
    expect(argon.ticks).toBeGreaterThan(0);
    // Ticks per millisecond, same machine, same test: bcryptjs holds the loop for whole hashes.
    expect(argonRate, `argon2 ${JSON.stringify(argon)}, bcryptjs ${JSON.stringify(legacy)}`).toBeGreaterThan(
      5 * legacyRate,
    );
  });
});
