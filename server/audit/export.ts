/**
 * GET /api/matches/:id/audit (admin): the match's audit trail as JSON, or as CSV with
 * `?format=csv` or an Accept header preferring text/csv, for protests and federation
 * reports. CSV cells go through the feeds' writer (server/broadcast/feed-csv.ts), which
 * quotes and neutralises formula starts (= + - @ tab CR) as OWASP recommends: a note
 * typed on a console must stay text in a spreadsheet.
 */
import type { Request, Response } from 'express';
import type pg from 'pg';
import {
  AUDIT_CSV_COLUMNS,
  auditCsvCells,
  auditQuerySchema,
  type AuditFormat,
  type MatchAudit,
} from '../../shared/audit.js';
import { matchIdSchema } from '../../shared/match.js';
import { csvField } from '../broadcast/feed-csv.js';
import { HttpError, parseOrThrow } from '../http/errors.js';
import { readMatchAudit } from './read-audit.js';

export function auditCsv(audit: MatchAudit): string {
  const lines = [AUDIT_CSV_COLUMNS.map(csvField).join(',')];
  for (const entry of audit.entries) {
    const cells = auditCsvCells(entry);
    lines.push(AUDIT_CSV_COLUMNS.map((column) => csvField(cells[column])).join(','));
  }
  return lines.join('\r\n') + '\r\n';
}

/** `?format=` wins; else the Accept header (JSON unless text/csv is preferred). */
export function auditFormat(req: Request): AuditFormat {
  const query = parseOrThrow(auditQuerySchema, req.query);
  if (query.format) return query.format;
  return req.accepts(['application/json', 'text/csv']) === 'text/csv' ? 'csv' : 'json';
}

export function auditHandler(pool: pg.Pool) {
  return async (req: Request, res: Response): Promise<void> => {
    const id = parseOrThrow(matchIdSchema, req.params.id);
    const format = auditFormat(req);
    const audit = await readMatchAudit(pool, id);
    if (!audit) throw new HttpError('UNKNOWN_MATCH', `no match ${id}`);
    res.setHeader('Cache-Control', 'no-store');
    if (format === 'csv') {
      res.setHeader('Content-Disposition', `attachment; filename="audit-${id}.csv"`);
      res.type('text/csv; charset=utf-8').send(auditCsv(audit));
      return;
    }
    res.json(audit satisfies MatchAudit);
  };
}
