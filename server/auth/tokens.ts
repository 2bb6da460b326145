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

const claimsSchema = z.object({
  sub: z.string().regex(/^\d+$/),
  name: z.string(),
  role: z.enum(ROLES),
  courts: z.array(z.string()),
  exp: z.number(),
});

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

  async sign(user: AuthUser): Promise<string> {
    const key = this.keys.get(this.currentKid)!;
    return new SignJWT({ name: user.username, role: user.role, courts: user.courts })
      .setProtectedHeader({ alg: ALGORITHM, kid: this.currentKid })
      .setSubject(String(user.id))
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(`${this.ttlSeconds}s`)
      .sign(key);
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
      return {
        user: { id: Number(c.sub), username: c.name, role: c.role, courts: c.courts },
        expiresAt: c.exp * 1000,
      };
    } catch {
      return null;
    }
  }
}
