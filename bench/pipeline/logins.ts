/**
 * A burst of logins, as when every console of a venue starts at 9 a.m. or comes back after
 * a network cut: distinct users created through POST /api/users beforehand (so each has the
 * server's real password hash), then all of them POST /api/auth/login at once.
 */
import { createUser, login, testPassword } from '../../test/faults/harness/api.js';
import type { TimeWindow } from '../load/traffic.js';

/** Users created at once: creation hashes too, and is setup, not the measurement. */
const CREATE_CONCURRENCY = 8;
/** Far beyond a healthy burst; a login still queued after this counts as failed. */
const LOGIN_TIMEOUT_MS = 60_000;

export interface LoginUser {
  username: string;
  password: string;
}

export interface BurstResult extends TimeWindow {
  seconds: number;
  ok: number;
  failed: number;
  /** Failures by message (first words), for the log. */
  errors: Record<string, number>;
  /** Time from sending to answer, per successful login. */
  latenciesMs: number[];
}

let prefixCounter = 0;

export async function createLoginUsers(base: string, admin: string, count: number): Promise<LoginUser[]> {
  const prefix = `burst${process.pid}x${++prefixCounter}u`;
  const users = Array.from({ length: count }, (_, i) => {
    const username = `${prefix}${i}`;
    return { username, password: testPassword(username) };
  });
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(CREATE_CONCURRENCY, count) }, async () => {
      while (next < users.length) {
        const user = users[next++]!;
        await createUser(base, admin, user.username, user.password, 'viewer');
      }
    }),
  );
  return users;
}

/** Every user logs in at the same moment; resolves when all answered. */
export async function loginBurst(base: string, users: LoginUser[]): Promise<BurstResult> {
  const from = Date.now();
  const errors: Record<string, number> = {};
  const latenciesMs: number[] = [];
  let ok = 0;
  await Promise.all(
    users.map(async (u) => {
      const sent = Date.now();
      try {
        await login(base, u.username, u.password, LOGIN_TIMEOUT_MS);
        latenciesMs.push(Date.now() - sent);
        ok++;
      } catch (error) {
        const key = String((error as Error).message ?? error).slice(0, 60);
        errors[key] = (errors[key] ?? 0) + 1;
      }
    }),
  );
  const to = Date.now();
  return { from, to, seconds: (to - from) / 1000, ok, failed: users.length - ok, errors, latenciesMs };
}
