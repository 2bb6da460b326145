/**
 * Password hashing: argon2id through node-argon2, whose native code hashes and verifies in
 * libuv's thread pool, so a burst of logins (every console of a venue at 9 a.m., or after a
 * network cut) no longer takes the event loop away from the courts. bcryptjs (pure
 * JavaScript, on the main thread) is kept only to verify the bcrypt hashes older databases
 * hold ($2a$/$2b$/$2y$); such a hash is replaced by an argon2 hash at its user's next
 * successful login (server/store/users.ts), so it is verified there once at most.
 */
import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import argon2 from 'argon2';
import bcrypt from 'bcryptjs';

/**
 * argon2id with the first of OWASP's recommended settings (Password Storage Cheat Sheet):
 * 19 MiB of memory, 2 passes, 1 lane. Measured on the 2-core reference machine: about
 * 20-26 ms per hash or verification, so a login stays cheap for the server while a guesser
 * with a GPU pays 19 MiB per attempt. One lane means one thread per hash (more lanes would
 * only make one hash take more cores away from the event loop at once). Raising any of these
 * later is safe: hashes made with other parameters are rehashed at the next login.
 */
export const ARGON2_OPTIONS = {
  type: argon2.argon2id,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const;

/**
 * Hashes running at once. Off the event loop is not free CPU: on 2 cores four thread-pool
 * threads hashing would leave the event loop a fraction of a core. One core less than the
 * machine has (at least one) keeps a core for the event loop and leaves libuv's other
 * threads to fs, dns and zlib; the rest wait in a queue. A burst of 200 logins on 2 cores
 * then takes about 200 x 22 ms = 4-5 s and other courts keep their latency. Memory in use
 * is at most HASH_CONCURRENCY x 19 MiB.
 */
export const HASH_CONCURRENCY = Math.max(1, availableParallelism() - 1);

const BCRYPT_PREFIX = /^\$2[aby]\$\d{2}\$/;
const ARGON2ID_PREFIX = '$argon2id$';

let running = 0;
const waiting: Array<() => void> = [];

/** Run `work` when one of the HASH_CONCURRENCY slots is free (first come, first served). */
async function inHashSlot<T>(work: () => Promise<T>): Promise<T> {
  if (running < HASH_CONCURRENCY) running++;
  else await new Promise<void>((resolve) => waiting.push(resolve));
  try {
    return await work();
  } finally {
    // Hand the slot straight to the next in line, or give it back.
    const next = waiting.shift();
    if (next) next();
    else running--;
  }
}

export function hashPassword(password: string): Promise<string> {
  return inHashSlot(() => argon2.hash(password, ARGON2_OPTIONS));
}

export interface Verification {
  ok: boolean;
  /**
   * The password was right but the stored hash is legacy bcrypt or argon2 with other
   * parameters: store hashPassword(password) in its place.
   */
  rehash: boolean;
}

/**
 * Check `password` against a stored hash. `undefined` (no such user) is checked against a
 * dummy argon2 hash, so an unknown username costs as much as a wrong password.
 */
export async function verifyPassword(password: string, stored: string | undefined): Promise<Verification> {
  if (stored === undefined) {
    await inHashSlot(async () => argon2.verify(await dummyHash(), password));
    return { ok: false, rehash: false };
  }
  if (stored.startsWith(ARGON2ID_PREFIX)) {
    const ok = await inHashSlot(() => argon2.verify(stored, password));
    return { ok, rehash: ok && argon2.needsRehash(stored, ARGON2_OPTIONS) };
  }
  if (BCRYPT_PREFIX.test(stored)) {
    // Legacy only: bcryptjs runs on the main thread (once per user, then rehashed).
    const ok = await bcrypt.compare(password, stored);
    return { ok, rehash: ok };
  }
  // Not a hash this server writes (a corrupted row): nobody can log in with it.
  return { ok: false, rehash: false };
}

let dummy: Promise<string> | undefined;

/**
 * Made once, on first use, asynchronously (a sync hash at import would hold up start-up
 * and every test that imports this module). Its password is random: it never matches.
 */
function dummyHash(): Promise<string> {
  dummy ??= argon2.hash(randomBytes(16).toString('hex'), ARGON2_OPTIONS).catch((error: unknown) => {
    dummy = undefined;
    throw error;
  });
  return dummy;
}
