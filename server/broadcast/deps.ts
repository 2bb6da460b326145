/**
 * What the broadcast side (feeds, SSE, overlays, court wall: server/broadcast/) needs
 * from the pipeline. The pipeline (server/app.ts) builds this and mounts
 * createBroadcastRouter(deps) at the root of the Express app.
 */
import type { RequestHandler } from 'express';
import type pg from 'pg';
import type { MatchSnapshot } from '../../shared/match.js';
import type { ConsolePresence, MatchUpdate, Freshness } from '../../shared/protocol.js';
import type { Role } from '../../shared/protocol.js';

export interface AuthUser {
  /**
   * users.id; for a token without a users row (`subject` set) a stable negative number
   * derived from the subject, so per-user rooms and limits still apply. Never a foreign key then.
   */
  id: number;
  username: string;
  role: Role;
  courts: string[];
  /** Only for tokens without a users row: the synthetic subject, `viewer:<label>` (role viewer). */
  subject?: string;
  /** The token's id (jti), for revocation one by one; absent on tokens signed before ids existed. */
  tokenId?: string;
  /** 'device': a console's long-lived device token (POST /api/auth/device-token). */
  tokenKind?: 'device';
}

export interface BroadcastDeps {
  pool: pg.Pool;
  /** Verify a token (from `Authorization: Bearer` or `?token=`); null when missing, bad or expired. */
  authenticate(token: string | undefined): Promise<AuthUser | null>;
  listSnapshots(filter?: { court?: string; courts?: string[] }): Promise<MatchSnapshot[]>;
  getSnapshot(matchId: string): Promise<MatchSnapshot | null>;
  freshness(matchId: string): Promise<Freshness>;
  /** Optional: the freshness of many matches in one query (streams and feeds of every court); absent ones are left out. */
  freshnessOf?(matchIds: readonly string[]): Promise<Map<string, Freshness>>;
  /** Every committed update of every match (from this and other server processes). */
  onUpdate(listener: (update: MatchUpdate) => void): () => void;
  /**
   * Optional: a match's verification (verify stream) changed without an event: its snapshot
   * with the new verification, and its freshness (SSE sends it as a snapshot event).
   */
  onVerification?(listener: (snapshot: MatchSnapshot, freshness: Freshness) => void): () => void;
  /**
   * Optional: a match created (or changed without events, e.g. handed over). The SSE stream
   * announces new matches with it; without it they appear with their first event.
   */
  onMatch?(listener: (snapshot: MatchSnapshot) => void): () => void;
  /**
   * A console's presence changed. `fed` (when its online state flipped): the matches that
   * console writes, whose freshness changes with it even if it never reported a matchId.
   */
  onPresence(listener: (presence: ConsolePresence, fed?: readonly string[]) => void): () => void;
  listPresence(): Promise<ConsolePresence[]>;
  /**
   * Optional: mint a read-only graphics token (subject `viewer:<label>`, no users row) for
   * POST /api/viewer-tokens; without it that endpoint answers 404.
   */
  mintViewerToken?(label: string, ttlSeconds: number): Promise<{ token: string; tokenId?: string; expiresAt: number }>;
  /** Optional: runs in front of the SSE handler; the pipeline tracks streams to end revoked ones. */
  trackStream?: RequestHandler;
  /** Public settings the pages need (e.g. the admin UI path, alert thresholds). */
  settings: {
    adminUiEnabled: boolean;
    consoleOfflineAlertMs: number;
    backlogAlertEvents: number;
    /** Where the court wall links for the Socket.io admin UI (default https://admin.socket.io). */
    adminUiUrl?: string;
  };
}
