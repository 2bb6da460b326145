/**
 * The court wall's session: the admin token in sessionStorage (gone with the tab) and the
 * authenticated fetch every panel calls, which parses each answer with its schema from
 * shared/api.ts before a panel sees it. A 401 ends the session: `onEnded` shows the login.
 */
import type { z } from 'zod';
import { httpErrorSchema, receive } from '../../../../shared/protocol.js';

const TOKEN_KEY = 'scoredesk.director.token';

export type HttpMethod = 'GET' | 'POST';
/** `answer`: the schema of the route's answer (shared/api.ts). */
export type WallApi = <S extends z.ZodType>(
  method: HttpMethod,
  path: string,
  answer: S,
  body?: unknown,
) => Promise<z.infer<S>>;

/** A refused request: `code` is the server's error code (VALIDATION, FORBIDDEN, ...), PROTOCOL for a malformed answer. */
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

/** The `{error: {code, message}}` of a refused request, or null when the body is not one. */
export function httpErrorOf(data: unknown): z.infer<typeof httpErrorSchema>['error'] | null {
  const parsed = httpErrorSchema.safeParse(data);
  return parsed.success ? parsed.data.error : null;
}

export const session = {
  token: (): string | null => sessionStorage.getItem(TOKEN_KEY),
  save: (token: string): void => sessionStorage.setItem(TOKEN_KEY, token),
  clear: (): void => sessionStorage.removeItem(TOKEN_KEY),
};

/** The wall's authenticated fetch; a 401 calls `onEnded` and throws UNAUTHORIZED. */
export function createWallApi(onEnded: (message: string) => void): WallApi {
  return async (method, path, answer, body) => {
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
      const error = httpErrorOf(data);
      throw new ApiError(error?.code ?? null, error ? `${error.code}: ${error.message}` : `HTTP ${response.status}`);
    }
    const received = receive(answer, data, `${method} ${path} answer`);
    if (!received.ok) throw new ApiError('PROTOCOL', received.message);
    return received.value;
  };
}
