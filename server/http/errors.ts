/** HTTP errors as the contract's `{"error": {"code", "message"}}`. */
import type { ErrorRequestHandler, Response } from 'express';
import type { z } from 'zod';
import { describeZodError, type ErrorCode } from '../../shared/protocol.js';
import type { Logger } from '../logger.js';

const STATUS: Record<ErrorCode, number> = {
  VALIDATION: 400,
  UNKNOWN_MATCH: 404,
  NOT_FOUND: 404,
  GAP: 409,
  STALE_EPOCH: 409,
  CONFLICT: 409,
  RULES: 422,
  FORBIDDEN: 403,
  UNAUTHORIZED: 401,
  PROTOCOL: 400,
  RATE_LIMITED: 429,
  UNAVAILABLE: 503,
  INTERNAL: 500,
};

export class HttpError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export function sendError(res: Response, code: ErrorCode, message: string): void {
  res.status(STATUS[code]).json({ error: { code, message } });
}

/** Parse with a shared schema or throw VALIDATION naming the field. */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new HttpError('VALIDATION', describeZodError(parsed.error));
  return parsed.data;
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error, req, res, _next) => {
    if (error instanceof HttpError) return sendError(res, error.code, error.message);
    const e = error as { type?: string; status?: number; message?: string };
    if (e.type === 'entity.parse.failed') return sendError(res, 'VALIDATION', '(root): body is not valid JSON');
    if (e.type === 'entity.too.large') return sendError(res, 'VALIDATION', '(root): body too large');
    const pgCode = (error as { code?: unknown }).code;
    if (typeof pgCode === 'string' && /^(08|57P)/.test(pgCode))
      return sendError(res, 'UNAVAILABLE', 'storage unreachable; retry later');
    if (e.message && /connect|timeout|terminat/i.test(e.message))
      return sendError(res, 'UNAVAILABLE', 'storage unreachable; retry later');
    logger.error({ err: e.message, path: req.path }, 'http: unexpected error');
    sendError(res, 'INTERNAL', 'internal error');
  };
}
