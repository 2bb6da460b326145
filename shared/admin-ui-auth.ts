/**
 * The handshake `auth` of the Socket.io admin UI (@socket.io/admin-ui): a basic-auth login
 * `{username, password}` or a session it handed out `{sessionId}`. Checked before the
 * library sees it: it passes `password` to bcrypt unchecked, and a missing or non-string
 * password made bcrypt reject where nothing catches it (the process died).
 */
import { z } from 'zod';

export const adminUiAuthSchema = z.union([
  // bcrypt reads at most 72 bytes; anything longer is a guess, not a password.
  z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(200) }).strict(),
  z.object({ sessionId: z.string().min(1).max(64) }).strict(),
]);

export type AdminUiAuth = z.infer<typeof adminUiAuthSchema>;
