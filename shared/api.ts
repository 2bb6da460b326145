/**
 * Bodies and queries of the HTTP API (POST /api/auth/login, POST /api/users, events paging,
 * handover). Strict: unknown fields are refused with VALIDATION naming them.
 */
import { z } from 'zod';
import { courtSchema } from './match.js';
import { LIMITS, ROLES } from './protocol.js';

export const usernameSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_.@-]+$/, 'letters, digits and _ . @ - only');

export const loginSchema = z
  .object({ username: z.string().min(1).max(64), password: z.string().min(1).max(200) })
  .strict();

export const createUserSchema = z
  .object({
    username: usernameSchema,
    password: z.string().min(8, 'at least 8 characters').max(200),
    role: z.enum(ROLES),
    courts: z.array(courtSchema).max(200).optional(),
  })
  .strict();

export const eventsQuerySchema = z
  .object({
    after: z.coerce.number().int().min(0).default(0),
    limit: z.coerce.number().int().min(1).max(LIMITS.MAX_PAGE_EVENTS).default(LIMITS.MAX_PAGE_EVENTS),
  })
  .strict();

export const handoverSchema = z.object({ consoleId: z.uuid().nullable().optional() }).strict();

export const matchListQuerySchema = z.object({ court: courtSchema.optional() }).strict();
