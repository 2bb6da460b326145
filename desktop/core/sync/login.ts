/**
 * POST /api/auth/login: trades the operator's credentials for a token. The password is
 * only ever in the request body; it never reaches a log line or an error message. Both
 * answers are parsed with their schemas (shared/api.ts) before the token is kept.
 */
import { deviceTokenReplySchema, loginReplySchema } from '../../../shared/api.js';
import { httpErrorSchema, receive } from '../../../shared/protocol.js';
import { LOGIN_TIMEOUT_MS } from '../constants.js';

export type LoginResult =
  | { ok: true; token: string; role: string }
  /** The server answered and refused (bad credentials, unknown user): retrying will not help. */
  | { ok: false; refused: true; code: 'UNAUTHORIZED' | 'FORBIDDEN'; message: string }
  /** No usable answer (network, timeout, 5xx): retry with backoff. */
  | { ok: false; refused: false; message: string };

export async function login(serverUrl: string, username: string, password: string): Promise<LoginResult> {
  let res: Response;
  try {
    res = await fetch(new URL('/api/auth/login', serverUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
      signal: AbortSignal.timeout(LOGIN_TIMEOUT_MS),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    return { ok: false, refused: false, message: `login failed: ${cause ?? (error as Error).name}` };
  }
  const body: unknown = await res.json().catch(() => null);
  if (res.ok) {
    const reply = receive(loginReplySchema, body, 'login answer');
    return reply.ok
      ? { ok: true, token: reply.value.token, role: reply.value.role }
      : { ok: false, refused: false, message: reply.message };
  }
  if (res.status === 401 || res.status === 403) {
    return {
      ok: false,
      refused: true,
      code: res.status === 401 ? 'UNAUTHORIZED' : 'FORBIDDEN',
      message: `login refused for ${username}: ${errorMessage(body) ?? res.statusText}`,
    };
  }
  return { ok: false, refused: false, message: `login failed: HTTP ${res.status}` };
}

/** The message of an HTTP error body, when it is one. */
function errorMessage(body: unknown): string | null {
  const error = httpErrorSchema.safeParse(body);
  return error.success ? error.data.error.message : null;
}

export type DeviceTokenResult =
  | { ok: true; token: string; tokenId: string }
  | { ok: false; refused: boolean; message: string };

/**
 * POST /api/auth/device-token: trades the session token just obtained with the password for
 * this console's long-lived, revocable device token (the password is then forgotten).
 */
export async function requestDeviceToken(
  serverUrl: string,
  sessionToken: string,
  consoleId: string,
): Promise<DeviceTokenResult> {
  let res: Response;
  try {
    res = await fetch(new URL('/api/auth/device-token', serverUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${sessionToken}` },
      body: JSON.stringify({ consoleId }),
      signal: AbortSignal.timeout(LOGIN_TIMEOUT_MS),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    return { ok: false, refused: false, message: `device token: ${cause ?? (error as Error).name}` };
  }
  const body: unknown = await res.json().catch(() => null);
  if (res.status === 201) {
    const reply = receive(deviceTokenReplySchema, body, 'device token answer');
    return reply.ok
      ? { ok: true, token: reply.value.token, tokenId: reply.value.tokenId }
      : { ok: false, refused: false, message: reply.message };
  }
  return {
    ok: false,
    refused: res.status === 401 || res.status === 403,
    message: `device token refused: ${errorMessage(body) ?? `HTTP ${res.status}`}`,
  };
}
