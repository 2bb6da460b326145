/**
 * Values PostgreSQL can store, checked at the boundary: anything else is refused with
 * VALIDATION naming the field, instead of failing a commit that holds other courts'
 * events. PostgreSQL refuses NUL characters and unpaired UTF-16 surrogates in text and
 * jsonb, timestamps with an offset beyond ±15:59, and years outside its calendar
 * (there is no year 0; ISO 8601 without an expanded year stops at 9999).
 */
import { z } from 'zod';

/** A NUL, or a surrogate half without its partner. */
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function isStorableText(value: string): boolean {
  return !UNSTORABLE.test(value);
}

export const storableString = () =>
  z.string().refine(isStorableText, { message: 'contains a NUL character or a lone surrogate' });

/** PostgreSQL's timestamptz accepts offsets up to ±15:59. */
const MAX_OFFSET_HOURS = 15;

/** An ISO 8601 time with offset that PostgreSQL's timestamptz stores as written. */
export function isStorableTime(value: string): boolean {
  const match = /^(\d{4})-.*(?:Z|([+-])(\d{2}):(\d{2}))$/.exec(value);
  if (!match) return false;
  if (Number(match[1]) < 1) return false;
  if (match[3] !== undefined && (Number(match[3]) > MAX_OFFSET_HOURS || Number(match[4]) > 59)) return false;
  return true;
}

export const storableTime = () =>
  z.iso
    .datetime({ offset: true })
    .refine(isStorableTime, { message: 'outside what storage can hold (year 0001-9999, offset within ±15:59)' });
