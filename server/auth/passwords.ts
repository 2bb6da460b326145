/** Password hashing (bcrypt). Cost 10: ~50-100 ms per login on this class of machine. */
import bcrypt from 'bcryptjs';

const BCRYPT_COST = 10;

export function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(password, BCRYPT_COST);
}

export function verifyPassword(password: string, hash: string): Promise<boolean> {
  return bcrypt.compare(password, hash);
}

/** Compared against when the user does not exist, so a bad username costs as much as a bad password. */
export const DUMMY_HASH = bcrypt.hashSync('scoredesk-no-such-user', BCRYPT_COST);
