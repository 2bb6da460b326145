/**
 * The court wall's session: the admin token in sessionStorage (gone with the tab) and the
 * authenticated fetch every panel calls. A 401 ends the session: `onEnded` shows the login.
 *
 * The answers are typed by the caller after the server's answer types; shared/ holds no
 * schemas for these admin HTTP answers yet, so they are not checked on receipt (unlike the
 * snapshots and updates the live feed shows, lib/received.ts).
 */
const TOKEN_KEY = 'scoredesk.director.token';

export type HttpMethod = 'GET' | 'POST';
export type WallApi = <T>(method: HttpMethod, path: string, body?: unknown) => Promise<T>;

/** A refused request: `code` is the server's error code (VALIDATION, FORBIDDEN, ...) when it sent one. */
export class ApiError extends Error {
  constructor(
    readonly code: string | null,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function errorOf(data: unknown): { code: string; message: string } | null {
  if (typeof data !== 'object' || data === null || !('error' in data)) return null;
  const { error } = data;
  if (typeof error !== 'object' || error === null) return null;
  const code = 'code' in error ? String(error.code) : '';
  const message = 'message' in error ? String(error.message) : '';
  return { code, message };
}

export const session = {
  token: (): string | null => sessionStorage.getItem(TOKEN_KEY),
  save: (token: string): void => sessionStorage.setItem(TOKEN_KEY, token),
  clear: (): void => sessionStorage.removeItem(TOKEN_KEY),
};

/** The wall's authenticated fetch; a 401 calls `onEnded` and throws UNAUTHORIZED. */
export function createWallApi(onEnded: (message: string) => void): WallApi {
  return async <T>(method: HttpMethod, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(path, {
      method,
      headers: {
        Authorization: `Bearer ${session.token()}`,
        ...(body ? { 'Content-Type': 'application/json' } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
      cache: 'no-store',
    });
    const data: unknown = await response.json().catch(() => null);
    if (response.status === 401) {
      onEnded('Your session ended: please log in again.');
      throw new ApiError('UNAUTHORIZED', 'UNAUTHORIZED');
    }
    if (!response.ok) {
      const error = errorOf(data);
      throw new ApiError(error?.code ?? null, error ? `${error.code}: ${error.message}` : `HTTP ${response.status}`);
    }
    return data as T; // the server's answer type, unchecked: see the module comment
  };
}
