/** Users table: login lookup, creation, and the first-start admin bootstrap. */
import type pg from 'pg';
import type { Role } from '../../shared/protocol.js';
import type { AuthUser } from '../broadcast/deps.js';
import { DUMMY_HASH, hashPassword, verifyPassword } from '../auth/passwords.js';

export class DuplicateUserError extends Error {}

export async function checkCredentials(pool: pg.Pool, username: string, password: string): Promise<AuthUser | null> {
  const { rows } = await pool.query<{
    id: number;
    username: string;
    role: Role;
    courts: string[];
    password_hash: string;
  }>('SELECT id, username, role, courts, password_hash FROM users WHERE username = $1', [username]);
  const row = rows[0];
  const ok = await verifyPassword(password, row?.password_hash ?? DUMMY_HASH);
  if (!row || !ok) return null;
  return { id: row.id, username: row.username, role: row.role, courts: row.courts };
}

export async function createUser(
  pool: pg.Pool,
  input: { username: string; password: string; role: Role; courts?: string[] },
): Promise<AuthUser> {
  const hash = await hashPassword(input.password);
  const { rows } = await pool.query<{ id: number }>(
    `INSERT INTO users (username, password_hash, role, courts) VALUES ($1, $2, $3, $4)
     ON CONFLICT (username) DO NOTHING RETURNING id`,
    [input.username, hash, input.role, input.courts ?? []],
  );
  if (!rows[0]) throw new DuplicateUserError(`user '${input.username}' exists`);
  return { id: rows[0].id, username: input.username, role: input.role, courts: input.courts ?? [] };
}

/** SCOREDESK_ADMIN_PASSWORD: create `admin` when no such user exists; never changes an existing one. */
export async function bootstrapAdmin(pool: pg.Pool, password: string | undefined): Promise<boolean> {
  if (!password) return false;
  try {
    await createUser(pool, { username: 'admin', password, role: 'admin' });
    return true;
  } catch (error) {
    if (error instanceof DuplicateUserError) return false;
    throw error;
  }
}
