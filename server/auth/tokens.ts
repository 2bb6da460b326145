/**
 * Signed session tokens (JWT, HS256 only). Keys live in a `kid`-keyed set so a new
 * signing key can be added while tokens signed by the previous one stay valid.
 */
import { createHash } from 'node:crypto';
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

export class TokenService {
  private readonly keys = new Map<string, Uint8Array>();
  private currentKid: string;

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

  async sign(user: AuthUser, ttlSeconds = this.ttlSeconds): Promise<string> {
    const key = this.keys.get(this.currentKid)!;
    return new SignJWT({ name: user.username, role: user.role, courts: user.courts })
      .setProtectedHeader({ alg: ALGORITHM, kid: this.currentKid })
      .setSubject(user.subject ?? String(user.id))
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(`${ttlSeconds}s`)
      .sign(key);
  }

  /**
   * A read-only token for graphics tools, without a users row: subject `viewer:<label>`,
   * role `viewer`, all courts. Revoked only by retiring the signing key (docs/security.md).
   */
  async mintViewerToken(label: string, ttlSeconds: number): Promise<{ token: string; expiresAt: number }> {
    const subject = VIEWER_SUBJECT_PREFIX + label;
    const expiresAt = (Math.floor(Date.now() / 1000) + ttlSeconds) * 1000;
    const user: AuthUser = { id: syntheticUserId(subject), username: subject, role: 'viewer', courts: [], subject };
    return { token: await this.sign(user, ttlSeconds), expiresAt };
  }

  /** Null for a missing, malformed, forged, expired or `alg: none` token. */
  async verify(token: string | undefined): Promise<VerifiedToken | null> {
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
        return {
          user: { id: syntheticUserId(c.sub), username: c.sub, role: 'viewer', courts: [], subject: c.sub },
          expiresAt: c.exp * 1000,
        };
      }
      return {
        user: { id: Number(c.sub), username: c.name, role: c.role, courts: c.courts },
        expiresAt: c.exp * 1000,
      };
    } catch {
      return null;
    }
  }
}
