/**
 * Errors in the format the client asked for: the XML and CSV feeds are read by tools
 * that parse only that format (vMix data sources), so their errors are an XML error
 * document or a CSV body with the code, never JSON. Every HTTP error of the broadcast
 * routes and of the guards in front of them (token, limits) goes through here.
 */
import type { Response } from 'express';
import { routePath } from '../security/route-path.js';
import { csvError } from './feed-csv.js';
import { xmlError } from './feed-xml.js';

export type ErrorFormat = 'json' | 'xml' | 'csv';

/** The format of a path's answers: by its extension (vmix.xml, vmix.csv), JSON otherwise. */
export function errorFormatOf(path: string): ErrorFormat {
  const p = routePath(path);
  if (p.endsWith('.xml')) return 'xml';
  if (p.endsWith('.csv')) return 'csv';
  return 'json';
}

/** `{"error": {code, message}}`, or the same as XML or CSV for those feeds. */
export function sendErrorAs(res: Response, status: number, code: string, message: string): void {
  if (res.headersSent) return;
  const format = errorFormatOf(res.req?.path ?? '');
  // Written with end(), not send(): a refusal needs no ETag (hashing each body cost real CPU under a flood).
  res.status(status);
  switch (format) {
    case 'json':
      res.setHeader('Content-Type', 'application/json; charset=utf-8');
      res.end(JSON.stringify({ error: { code, message } }));
      return;
    case 'xml':
      res.setHeader('Content-Type', 'application/xml; charset=utf-8');
      res.end(xmlError(code, message));
      return;
    case 'csv':
      res.setHeader('Content-Type', 'text/csv; charset=utf-8; header=present');
      res.end(csvError(code, message));
      return;
    default: {
      const never: never = format;
      throw new Error(`unknown error format ${String(never)}`);
    }
  }
}
