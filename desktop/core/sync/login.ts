/**
 * POST /api/auth/login: trades the operator's credentials for a token. The password is
 * only ever in the request body; it never reaches a log line or an error message.
 */
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
  const body = (await res.json().catch(() => null)) as {
    token?: unknown;
    role?: unknown;
    error?: { code?: string; message?: string };
  } | null;
  if (res.ok && typeof body?.token === 'string') return { ok: true, token: body.token, role: String(body.role ?? '') };
  if (res.status === 401 || res.status === 403) {
    return {
      ok: false,
      refused: true,
      code: res.status === 401 ? 'UNAUTHORIZED' : 'FORBIDDEN',
      message: `login refused for ${username}: ${body?.error?.message ?? res.statusText}`,
    };
  }
  return { ok: false, refused: false, message: `login failed: HTTP ${res.status}` };
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
  const body = (await res.json().catch(() => null)) as {
    token?: unknown;
    tokenId?: unknown;
    error?: { message?: string };
  } | null;
  if (res.status === 201 && typeof body?.token === 'string')
    return { ok: true, token: body.token, tokenId: String(body.tokenId ?? '') };
  return {
    ok: false,
    refused: res.status === 401 || res.status === 403,
    message: `device token refused: ${body?.error?.message ?? `HTTP ${res.status}`}`,
  };
}
