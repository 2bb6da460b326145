/** Users table: login lookup (with the upgrade of old hashes), creation, and the first-start admin bootstrap. */
import type pg from 'pg';
import type { Role } from '../../shared/protocol.js';
import type { AuthUser } from '../broadcast/deps.js';
import type { Logger } from '../logger.js';
import { hashPassword, verifyPassword } from '../auth/passwords.js';

export class DuplicateUserError extends Error {}

export async function checkCredentials(
  pool: pg.Pool,
  username: string,
  password: string,
  logger?: Logger,
): Promise<AuthUser | null> {
  const { rows } = await pool.query<{
    id: number;
    username: string;
    role: Role;
    courts: string[];
    password_hash: string;
    disabled: boolean;
  }>(
    'SELECT id, username, role, courts, password_hash, disabled_at IS NOT NULL AS disabled FROM users WHERE username = $1',
    [username],
  );
  const row = rows[0];
  const check = await verifyPassword(password, row?.password_hash);
  // A disabled user answers like a wrong password: a guesser learns nothing about the account.
  if (!row || !check.ok || row.disabled) return null;
  if (check.rehash) await upgradeHash(pool, row.id, row.password_hash, password, logger);
  return { id: row.id, username: row.username, role: row.role, courts: row.courts };
}

/**
 * Replace a legacy (bcrypt) or outdated hash after a successful login. Only if the row
 * still holds the hash just verified: a password changed meanwhile is never overwritten.
 * The login itself succeeded, so a failure here does not fail it: the next login retries.
 */
async function upgradeHash(
  pool: pg.Pool,
  userId: number,
  verified: string,
  password: string,
  logger: Logger | undefined,
): Promise<void> {
  try {
    const hash = await hashPassword(password);
    await pool.query('UPDATE users SET password_hash = $1 WHERE id = $2 AND password_hash = $3', [
      hash,
      userId,
      verified,
    ]);
  } catch (error) {
    logger?.warn(
      { userId, err: (error as Error).message },
      'users: password hash not upgraded (retried at next login)',
    );
  }
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
