/**
 * Pull endpoints for tools that poll: the vMix data source (JSON rows, XML, CSV) and a
 * JSON snapshot per court. One row per court: its current match (see court-view.js).
 */
import { Router, type Request, type Response } from 'express';
import type { CourtDetail, CourtEntry as CourtEntryAnswer, FeedRowAnswer } from '../../shared/api.js';
import { courtSchema } from '../../shared/match.js';
import { describeZodError } from '../../shared/protocol.js';
import type { BroadcastDeps } from './deps.js';
import { loadCourt, loadCourtBoard, type CourtEntry } from './court-board.js';
import { courtMatches, parseCourtFilter } from './court-filter.js';
import { toCsv } from './feed-csv.js';
import { flattenMatch, type FeedRow } from './feed-rows.js';
import { toXml } from './feed-xml.js';
import { requireRole, sendError, sendFailure } from './http-auth.js';

/** `?court=` narrows a feed to courts (one, or a comma-separated list); undefined when absent, null when invalid (answered). */
function courtFilter(req: Request, res: Response): string[] | undefined | null {
  const parsed = parseCourtFilter(req.query.court);
  if (parsed.ok) return parsed.courts;
  sendError(res, 'VALIDATION', parsed.message);
  return null;
}

/** The court board of the courts asked for (one court is read alone; a list is filtered from all). */
async function courtBoard(deps: BroadcastDeps, courts: string[] | undefined): Promise<CourtEntry[]> {
  const board = await loadCourtBoard(deps, courts?.length === 1 ? courts[0] : undefined);
  return board.filter((entry) => courtMatches(courts, entry.court));
}

async function feedRows(deps: BroadcastDeps, courts: string[] | undefined): Promise<FeedRow[]> {
  const now = Date.now();
  return (await courtBoard(deps, courts)).map((entry) => flattenMatch(entry.match, entry.freshness, now));
}

type Format = 'json' | 'xml' | 'csv';

function vmixHandler(deps: BroadcastDeps, format: Format) {
  return async (req: Request, res: Response): Promise<void> => {
    const court = courtFilter(req, res);
    if (court === null) return;
    let rows: FeedRow[];
    try {
      rows = await feedRows(deps, court);
    } catch (error) {
      return sendFailure(res, error);
    }
    res.setHeader('Cache-Control', 'no-store');
    switch (format) {
      case 'json':
        res.json(rows satisfies FeedRowAnswer[]);
        return;
      case 'xml':
        res.type('application/xml; charset=utf-8').send(toXml(rows));
        return;
      case 'csv':
        res.type('text/csv; charset=utf-8; header=present').send(toCsv(rows));
        return;
      default: {
        const never: never = format;
        throw new Error(`unknown format ${String(never)}`);
      }
    }
  };
}

export function createFeedsRouter(deps: BroadcastDeps): Router {
  const router = Router();
  const anyRole = requireRole(deps);
  router.get('/api/feeds/vmix', anyRole, vmixHandler(deps, 'json'));
  router.get('/api/feeds/vmix.json', anyRole, vmixHandler(deps, 'json'));
  router.get('/api/feeds/vmix.xml', anyRole, vmixHandler(deps, 'xml'));
  router.get('/api/feeds/vmix.csv', anyRole, vmixHandler(deps, 'csv'));

  router.get('/api/courts', anyRole, async (req, res) => {
    const courts = courtFilter(req, res);
    if (courts === null) return;
    try {
      res.setHeader('Cache-Control', 'no-store');
      res.json((await courtBoard(deps, courts)) satisfies CourtEntryAnswer[]);
    } catch (error) {
      sendFailure(res, error);
    }
  });

  router.get('/api/courts/:court', anyRole, async (req, res) => {
    const parsed = courtSchema.safeParse(req.params.court);
    if (!parsed.success) return sendError(res, 'VALIDATION', `court: ${describeZodError(parsed.error)}`);
    try {
      const entry = await loadCourt(deps, parsed.data);
      if (!entry) return sendError(res, 'NOT_FOUND', `court ${parsed.data} has no match`);
      res.setHeader('Cache-Control', 'no-store');
      res.json(entry satisfies CourtDetail);
    } catch (error) {
      sendFailure(res, error);
    }
  });
  return router;
}
