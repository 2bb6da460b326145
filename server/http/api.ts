/** The JSON API of the contract: login, users, matches, events paging, handover, presence. */
import { Router } from 'express';
import type pg from 'pg';
import {
  createUserSchema,
  eventsQuerySchema,
  handoverSchema,
  loginSchema,
  matchListQuerySchema,
  type CreatedUser,
  type EventPage,
  type HandoverReply,
  type LoginReply,
} from '../../shared/api.js';
import { createMatchSchema, matchIdSchema, type MatchSnapshot } from '../../shared/match.js';
import { ROLES, type ConsolePresence } from '../../shared/protocol.js';
import type { TokenService } from '../auth/tokens.js';
import type { Ingest } from '../ingest/ingest.js';
import type { Logger } from '../logger.js';
import { MatchExistsError } from '../ingest/ingest.js';
import type { PresenceTracker } from '../presence.js';
import { auditHandler } from '../audit/export.js';
import { checkCredentials, createUser, DuplicateUserError } from '../store/users.js';
import { getMatchRow, getSnapshot, listSnapshots, readEventPage } from '../store/matches.js';
import { currentUser, requireRole } from './authenticate.js';
import { HttpError, parseOrThrow } from './errors.js';

export interface ApiDeps {
  pool: pg.Pool;
  tokens: TokenService;
  ingest: Ingest;
  presence: PresenceTracker;
  /** Tell the fenced and the new console (through their rooms, on any process). */
  notifyHandover: (matchId: string, epoch: number, previous: string | null, next: string | null) => void;
  /** Warnings of the login path (a legacy password hash that could not be upgraded). */
  logger?: Logger;
}

export function createApiRouter(deps: ApiDeps): Router {
  const { pool, tokens, ingest } = deps;
  const anyRole = requireRole(tokens, ROLES);
  const admin = requireRole(tokens, ['admin']);
  const router = Router();

  router.post('/api/auth/login', async (req, res) => {
    const body = parseOrThrow(loginSchema, req.body);
    const user = await checkCredentials(pool, body.username, body.password, deps.logger);
    if (!user) throw new HttpError('UNAUTHORIZED', 'wrong username or password');
    res.json({ token: await tokens.sign(user), role: user.role } satisfies LoginReply);
  });

  router.post('/api/users', admin, async (req, res) => {
    const body = parseOrThrow(createUserSchema, req.body);
    try {
      const user = await createUser(pool, body);
      res.status(201).json({ username: user.username, role: user.role, courts: user.courts } satisfies CreatedUser);
    } catch (error) {
      if (error instanceof DuplicateUserError) throw new HttpError('CONFLICT', error.message);
      throw error;
    }
  });

  router.post('/api/matches', admin, async (req, res) => {
    const body = parseOrThrow(createMatchSchema, req.body);
    try {
      const snapshot = await ingest.createMatch(body, currentUser(res).id);
      // Null only when asked to skip an existing match (ifAbsent); here it throws MatchExistsError.
      if (!snapshot) throw new HttpError('CONFLICT', 'the match exists');
      res.status(201).json(snapshot satisfies MatchSnapshot);
    } catch (error) {
      if (error instanceof MatchExistsError) throw new HttpError('CONFLICT', error.message);
      throw error;
    }
  });

  router.get('/api/matches', anyRole, async (req, res) => {
    const query = parseOrThrow(matchListQuerySchema, req.query);
    res.json((await listSnapshots(pool, query.court ? { court: query.court } : {})) satisfies MatchSnapshot[]);
  });

  router.get('/api/matches/:id', anyRole, async (req, res) => {
    const id = parseOrThrow(matchIdSchema, req.params.id);
    const snapshot = await getSnapshot(pool, id);
    if (!snapshot) throw new HttpError('UNKNOWN_MATCH', `no match ${id}`);
    res.json(snapshot satisfies MatchSnapshot);
  });

  router.get('/api/matches/:id/events', anyRole, async (req, res) => {
    const id = parseOrThrow(matchIdSchema, req.params.id);
    const query = parseOrThrow(eventsQuerySchema, req.query);
    if (!(await getMatchRow(pool, id))) throw new HttpError('UNKNOWN_MATCH', `no match ${id}`);
    res.json((await readEventPage(pool, id, query.after, query.limit)) satisfies EventPage);
  });

  router.post('/api/matches/:id/handover', admin, async (req, res) => {
    const id = parseOrThrow(matchIdSchema, req.params.id);
    const body = parseOrThrow(handoverSchema, req.body ?? {});
    const next = body.consoleId ?? null;
    const director = currentUser(res);
    const moved = await ingest.handover(id, next, director.subject ? null : director.id);
    if (!moved) throw new HttpError('UNKNOWN_MATCH', `no match ${id}`);
    deps.notifyHandover(id, moved.epoch, moved.previous, next);
    res.json({ matchId: id, epoch: moved.epoch, consoleId: next, previous: moved.previous } satisfies HandoverReply);
  });

  // The audit trail of a match (JSON or CSV), for protests and federation reports.
  router.get('/api/matches/:id/audit', admin, auditHandler(pool));

  router.get('/api/presence', admin, async (_req, res) => {
    res.json((await deps.presence.list()) satisfies ConsolePresence[]);
  });

  return router;
}
