/**
 * Signed session tokens (JWT, HS256 only). Keys live in a `kid`-keyed set so a new
 * signing key can be added while tokens signed by the previous one stay valid. Every
 * token carries an id (`jti`): a gate (server/auth/auth-gate.ts) refuses revoked ids and
 * tokens of deleted or disabled users on every verification.
 */
import { createHash, randomUUID } from 'node:crypto';
import { SignJWT, jwtVerify, errors, type JWTHeaderParameters } from 'jose';
import { z } from 'zod';
import { ROLES } from '../../shared/protocol.js';
import type { AuthUser } from '../broadcast/deps.js';

const ISSUER = 'scoredesk';
const AUDIENCE = 'scoredesk';
/** Clocks of several server processes drift a little; more would extend stolen tokens. */
const CLOCK_TOLERANCE_S = 5;
const ALGORITHM = 'HS256';

/** Subjects of tokens without a users row: graphics viewer tokens, `viewer:<label>`. */
export const VIEWER_SUBJECT_PREFIX = 'viewer:';

const claimsSchema = z.object({
  // A users row id, or a synthetic viewer subject (checked again below: viewer role only).
  sub: z.union([z.string().regex(/^\d+$/), z.string().startsWith(VIEWER_SUBJECT_PREFIX).max(128)]),
  name: z.string(),
  role: z.enum(ROLES),
  courts: z.array(z.string()),
  exp: z.number(),
  // Tokens signed before ids existed have none: they cannot be revoked one by one.
  jti: z.string().min(1).max(64).optional(),
  // 'device': a console's long-lived token (POST /api/auth/device-token); absent: a session token.
  kind: z.enum(['device']).optional(),
});

/**
 * A stable negative id for a synthetic subject: rooms, connection caps and rate limits key
 * on `AuthUser.id`, and a negative id can never be a users row (serial ids are positive).
 */
export function syntheticUserId(subject: string): number {
  return -((createHash('sha256').update(subject).digest().readUInt32BE(0) & 0x7fffffff) + 1);
}

export interface VerifiedToken {
  user: AuthUser;
  /** Expiry, epoch milliseconds. */
  expiresAt: number;
}

/** Says why a verified token may not be used (revoked, user gone), or null when it may. */
export type TokenGate = (verified: VerifiedToken) => Promise<string | null>;

/**
 * The subject a graphics token is counted under: one per minted token (its id), so a
 * leaked link's connections and messages count against that link only (docs/security.md).
 */
function viewerUser(subject: string, jti: string | undefined): AuthUser {
  const id = syntheticUserId(jti ? `${subject}#${jti}` : subject);
  return { id, username: subject, role: 'viewer', courts: [], subject, ...(jti ? { tokenId: jti } : {}) };
}

export class TokenService {
  private readonly keys = new Map<string, Uint8Array>();
  private currentKid: string;
  private gate: TokenGate | null = null;

  constructor(
    secret: string,
    private readonly ttlSeconds: number,
  ) {
    this.currentKid = this.addKey(secret);
  }

  /** Adds a verification key; returns its kid. `rotate` also makes it the signing key. */
  addKey(secret: string, rotate = false): string {
    const kid = createHash('sha256').update(secret).digest('base64url').slice(0, 12);
    this.keys.set(kid, new TextEncoder().encode(secret));
    if (rotate) this.currentKid = kid;
    return kid;
  }

  /** Every verification asks the gate too (revocations, deleted or disabled users). */
  setGate(gate: TokenGate): void {
    this.gate = gate;
  }

  async sign(user: AuthUser, ttlSeconds = this.ttlSeconds, kind?: 'device'): Promise<string> {
    return (await this.signWithId(user, ttlSeconds, kind)).token;
  }

  /** A token and its id (jti), for the endpoints that hand the id out for revocation. */
  async signWithId(
    user: AuthUser,
    ttlSeconds = this.ttlSeconds,
    kind?: 'device',
  ): Promise<{ token: string; tokenId: string; expiresAt: number }> {
    const key = this.keys.get(this.currentKid)!;
    const tokenId = randomUUID();
    const expiresAt = (Math.floor(Date.now() / 1000) + ttlSeconds) * 1000;
    const token = await new SignJWT({
      name: user.username,
      role: user.role,
      courts: user.courts,
      ...(kind ? { kind } : {}),
    })
      .setProtectedHeader({ alg: ALGORITHM, kid: this.currentKid })
      .setJti(tokenId)
      .setSubject(user.subject ?? String(user.id))
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(Math.floor(expiresAt / 1000))
      .sign(key);
    return { token, tokenId, expiresAt };
  }

  /**
   * A read-only token for graphics tools, without a users row: subject `viewer:<label>`,
   * role `viewer`, all courts. Revoked one by one by its id (POST /api/tokens/revoke).
   */
  async mintViewerToken(
    label: string,
    ttlSeconds: number,
  ): Promise<{ token: string; tokenId: string; expiresAt: number }> {
    const subject = VIEWER_SUBJECT_PREFIX + label;
    return this.signWithId(viewerUser(subject, undefined), ttlSeconds);
  }

  /**
   * Null for a missing, malformed, forged, expired or `alg: none` token, and for one the
   * gate refuses (revoked, its user deleted or disabled).
   */
  async verify(token: string | undefined): Promise<VerifiedToken | null> {
    const verified = await this.verifySignature(token);
    if (!verified || !this.gate) return verified;
    return (await this.gate(verified)) === null ? verified : null;
  }

  private async verifySignature(token: string | undefined): Promise<VerifiedToken | null> {
    if (!token) return null;
    try {
      const { payload } = await jwtVerify(
        token,
        (header: JWTHeaderParameters) => {
          const key = header.kid ? this.keys.get(header.kid) : undefined;
          if (!key) throw new errors.JWKSNoMatchingKey();
          return key;
        },
        {
          algorithms: [ALGORITHM],
          issuer: ISSUER,
          audience: AUDIENCE,
          clockTolerance: CLOCK_TOLERANCE_S,
          requiredClaims: ['exp', 'sub'],
        },
      );
      const claims = claimsSchema.safeParse(payload);
      if (!claims.success) return null;
      const c = claims.data;
      if (c.sub.startsWith(VIEWER_SUBJECT_PREFIX)) {
        // Only ever minted as viewer: any other role under a synthetic subject is refused.
        if (c.role !== 'viewer') return null;
        return { user: viewerUser(c.sub, c.jti), expiresAt: c.exp * 1000 };
      }
      return {
        user: {
          id: Number(c.sub),
          username: c.name,
          role: c.role,
          courts: c.courts,
          ...(c.jti ? { tokenId: c.jti } : {}),
          ...(c.kind ? { tokenKind: c.kind } : {}),
        },
        expiresAt: c.exp * 1000,
      };
    } catch {
      return null;
    }
  }
}
