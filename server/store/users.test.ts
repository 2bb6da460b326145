/**
 * Users against a real PostgreSQL: new users get argon2id hashes; a legacy bcrypt hash
 * (databases from before argon2) still logs in and is replaced by an argon2 hash in the
 * same login; wrong passwords and unknown users are refused and change nothing.
 */
import bcrypt from 'bcryptjs';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/support/postgres.js';
import { createPool } from '../db/pool.js';
import { runMigrations } from '../db/migrate.js';
import { checkCredentials, createUser } from './users.js';

let pool: pg.Pool;
let drop: () => Promise<void>;

beforeAll(async () => {
  const db = await createTestDatabase('users');
  drop = db.drop;
  await runMigrations(db.url);
  pool = createPool(db.url, 2);
});

afterAll(async () => {
  await pool?.end();
  await drop?.();
});

async function storedHash(username: string): Promise<string> {
  const { rows } = await pool.query<{ password_hash: string }>('SELECT password_hash FROM users WHERE username = $1', [
    username,
  ]);
  return rows[0]!.password_hash;
}

async function insertLegacy(username: string, password: string): Promise<string> {
  const hash = bcrypt.hashSync(password, 4);
  await pool.query(`INSERT INTO users (username, password_hash, role) VALUES ($1, $2, 'scorer')`, [username, hash]);
  return hash;
}

describe('users', () => {
  it('stores argon2id hashes for new users and logs them in with the right password only', async () => {
    const created = await createUser(pool, { username: 'new-user', password: 'new-password-1', role: 'viewer' });
    expect(await storedHash('new-user')).toMatch(/^\$argon2id\$/);
    expect(await checkCredentials(pool, 'new-user', 'new-password-1')).toEqual(created);
    expect(await checkCredentials(pool, 'new-user', 'new-password-2')).toBeNull();
    expect(await checkCredentials(pool, 'nobody', 'new-password-1')).toBeNull();
  });

  it('logs a legacy bcrypt user in and upgrades the stored hash to argon2id', async () => {
    const legacy = await insertLegacy('legacy-user', 'legacy-password-1');
    // A wrong password neither logs in nor touches the row.
    expect(await checkCredentials(pool, 'legacy-user', 'wrong-password')).toBeNull();
    expect(await storedHash('legacy-user')).toBe(legacy);

    const user = await checkCredentials(pool, 'legacy-user', 'legacy-password-1');
    expect(user).toMatchObject({ username: 'legacy-user', role: 'scorer', courts: [] });
    const upgraded = await storedHash('legacy-user');
    expect(upgraded).toMatch(/^\$argon2id\$/);
    // The new hash is of the same password: the next login works, the old hash is gone.
    expect(await checkCredentials(pool, 'legacy-user', 'legacy-password-1')).toEqual(user);
    expect(await storedHash('legacy-user')).toBe(upgraded);
    expect(await checkCredentials(pool, 'legacy-user', 'wrong-password')).toBeNull();
  });

  it('upgrades every legacy user of a login burst, also one logging in twice at once', async () => {
    const names = Array.from({ length: 8 }, (_, i) => `burst-${i}`);
    for (const name of names) await insertLegacy(name, `${name}-password`);
    // burst-0 twice: both logins succeed; the second upgrade finds the row changed and leaves it.
    const logins = [...names, names[0]!];
    const users = await Promise.all(logins.map((name) => checkCredentials(pool, name, `${name}-password`)));
    expect(users.map((u) => u?.username)).toEqual(logins);
    for (const name of names) {
      expect(await storedHash(name)).toMatch(/^\$argon2id\$/);
      expect(await checkCredentials(pool, name, `${name}-password`)).not.toBeNull();
    }
  });
});
