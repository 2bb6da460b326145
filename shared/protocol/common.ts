/**
 * What every message of the protocol shares: the error codes, the failure every ack and
 * HTTP error carries, roles and limits. Imported through shared/protocol.ts.
 */
import { z } from 'zod';

export const ERROR_CODES = [
  'VALIDATION',
  'UNKNOWN_MATCH',
  'GAP',
  'STALE_EPOCH',
  'FORBIDDEN',
  'UNAUTHORIZED',
  'PROTOCOL',
  'RATE_LIMITED',
  'RULES',
  'UNAVAILABLE',
  'NOT_FOUND',
  /**
   * events:push: a resend under a stored seq whose canonical content (shared/same-event.ts)
   * differs from the stored event, "events.N: seq S differs from the stored event".
   * HTTP 409: the user or match exists.
   */
  'CONFLICT',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];
/** Every code a failure (ack, HTTP error, connect_error data) may carry. */
export const errorCodeSchema = z.enum(ERROR_CODES);

/** `{code, message}`: session:end, connect_error data, the `error` of an HTTP error body. */
export const errorBodySchema = z.object({ code: errorCodeSchema, message: z.string() });
export type ErrorBody = z.infer<typeof errorBodySchema>;

/** A refused request: the ack's `ok: false` branch. Only `ok: true` acknowledges anything. */
export const failSchema = z.object({ ok: z.literal(false), code: errorCodeSchema, message: z.string() });
export type Fail = z.infer<typeof failSchema>;

/** HTTP errors: `{"error": {"code", "message"}}` with the status of the code (server/http/errors.ts). */
export const httpErrorSchema = z.object({ error: errorBodySchema });
export type HttpErrorBody = z.infer<typeof httpErrorSchema>;

/** Contract defaults; the server may be configured lower or higher. */
export const LIMITS = {
  /** Events in one events:push: big enough to drain a backlog fast, small enough to commit in one batch. */
  MAX_EVENTS_PER_PUSH: 500,
  /** Socket.io maxHttpBufferSize: 500 small events fit easily; anything bigger is abuse. */
  MAX_MESSAGE_BYTES: 256 * 1024,
  /** Page size of catch-up reads (events endpoint, match:pull, SUBSCRIBE_MATCH since). */
  MAX_PAGE_EVENTS: 1000,
} as const;

export const ROLES = ['admin', 'scorer', 'viewer'] as const;
export type Role = (typeof ROLES)[number];
export const roleSchema = z.enum(ROLES);

/** Turn a zod error into the contract's VALIDATION message, naming the field. */
export function describeZodError(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid input';
  const path = issue.path.length ? issue.path.join('.') : '(root)';
  if (issue.code === 'unrecognized_keys')
    return `${path === '(root)' ? '' : path + ': '}unknown field ${issue.keys.map((k) => `'${k}'`).join(', ')}`;
  return `${path}: ${issue.message}`;
}

/**
 * Compile-time drift checks between a schema's type and a type declared elsewhere (the fold's
 * MatchSnapshot, the audit's MatchAudit): each must be assignable to the other, so a field
 * added, dropped or retyped on one side only fails `tsc`.
 */
export type Assert<T extends true> = T;
export type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
