/**
 * Console presence for the director's court wall: what a console reports (presence:report)
 * and what the server tells admins (PRESENCE, GET /api/presence). `state` is the console's
 * sync state, defined here once for the console core (desktop/core/sync-state.ts) and the server.
 */
import { z } from 'zod';
import { courtSchema, matchIdSchema } from '../match.js';
import { storableString, storableTime } from '../storable.js';

/**
 * The states of a console's link to the server (transitions in desktop/core/sync-state.ts):
 * `refused` the server refused its sign-in (retried rarely: a settings change helps);
 * `incompatible` no protocol version in common (never retried: only an update helps).
 */
export const CONSOLE_SYNC_STATES = [
  'offline',
  'connecting',
  'catching-up',
  'live',
  'fenced',
  'refused',
  'incompatible',
] as const;
export type ConsoleSyncState = (typeof CONSOLE_SYNC_STATES)[number];

/**
 * What the server shows: a console's own state, or `connected` while a connected console has
 * not reported yet (a v1 console that only pushes never does). `offline` once it disconnects.
 */
export const PRESENCE_STATES = [...CONSOLE_SYNC_STATES, 'connected'] as const;
export const presenceStateSchema = z.enum(PRESENCE_STATES);
export type PresenceState = z.infer<typeof presenceStateSchema>;

/** Roles of a console on its match (contract 1.1). */
export const CONSOLE_ROLES = ['primary', 'standby'] as const;
export type ConsoleRole = (typeof CONSOLE_ROLES)[number];

/** A device's battery as the console reads it (Electron's powerMonitor, the browser's Battery API). */
export const batterySchema = z.object({ level: z.number().min(0).max(1), charging: z.boolean() }).strict();
export type Battery = z.infer<typeof batterySchema>;

/**
 * Round trips and offsets beyond these are not measurements but nonsense: a day of clock
 * offset and a minute of round trip are far past every alert threshold already.
 */
const MAX_REPORTED_RTT_MS = 60_000;
const MAX_REPORTED_OFFSET_MS = 24 * 60 * 60 * 1000;

/** Console presence (presence:report), for the director's court wall. */
export const presenceSchema = z
  .object({
    court: courtSchema.nullable(),
    matchId: matchIdSchema.nullable(),
    pending: z.number().int().min(0),
    lastConfirmedAt: storableTime().nullable(),
    state: z.enum(CONSOLE_SYNC_STATES),
    // Device health (contract 1.1), all optional for v1 consoles; null: not known.
    role: z.enum(CONSOLE_ROLES).nullable().optional(),
    battery: batterySchema.nullable().optional(),
    /** Latest round trip of the console's time:sync exchange. */
    rttMs: z.number().min(0).max(MAX_REPORTED_RTT_MS).nullable().optional(),
    /** Console clock minus server clock, from its time:sync exchange with the smallest round trip. */
    clockOffsetMs: z.number().min(-MAX_REPORTED_OFFSET_MS).max(MAX_REPORTED_OFFSET_MS).nullable().optional(),
    appVersion: storableString().min(1).max(64).nullable().optional(),
  })
  .strict();
export type Presence = z.infer<typeof presenceSchema>;

/**
 * PRESENCE and GET /api/presence: a console's last report as the server keeps it. Device
 * health fields (role, battery, rttMs, clockOffsetMs, appVersion) are null when not known.
 * Not strict: a client of an older build keeps what it knows of a newer server's presence.
 */
export const consolePresenceSchema = z.object({
  ...presenceSchema.shape,
  court: z.string().nullable(),
  matchId: z.string().nullable(),
  lastConfirmedAt: z.iso.datetime({ offset: true }).nullable(),
  state: presenceStateSchema,
  appVersion: z.string().nullable().optional(),
  consoleId: z.string(),
  user: z.string(),
  online: z.boolean(),
  /** Server time of the last report or of the disconnect. */
  since: z.iso.datetime({ offset: true }),
});
export type ConsolePresence = z.infer<typeof consolePresenceSchema>;
