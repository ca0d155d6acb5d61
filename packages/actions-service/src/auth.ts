/**
 * Identity: the host portal signs a short-lived JWT naming the user, their roles and departments;
 * the service verifies it on every call (jose). HS256 with a shared secret, or ES256 / RS256 with
 * the portal's public key (PEM). Issuer and audience are checked, `exp` is required and a token may
 * live at most `maxLifetimeSeconds` (default 1 hour) from `iat`.
 */
import { ROLES } from '@usage-analytics/actions';
import { importSPKI, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import { z } from 'zod';

export interface AuthOptions {
  /** HS256 shared secret (at least 32 bytes). */
  secret?: string;
  /** PEM public key (SPKI) for ES256 or RS256 tokens. */
  publicKeyPem?: string;
  /** `alg` of `publicKeyPem` tokens (default ES256). */
  publicKeyAlg?: 'ES256' | 'RS256';
  issuer: string;
  audience: string;
  maxLifetimeSeconds?: number;
}

export interface Actor {
  userId: string;
  name: string | null;
  roles: string[];
  /** Departments the user acts for; `*` = every department. */
  departments: string[];
}

const Claims = z.object({
  sub: z.string().min(1).max(200),
  name: z.string().max(200).optional(),
  roles: z.array(z.enum(ROLES)).max(ROLES.length),
  departments: z.array(z.string().min(1).max(200)).max(1000),
  iat: z.number(),
  exp: z.number(),
});

/** Why a token was refused (the message names it; never the token). */
export class AuthError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuthError';
  }
}

export type Verifier = (authorization: string | undefined) => Promise<Actor>;

export async function verifier(options: AuthOptions): Promise<Verifier> {
  const maxLifetime = options.maxLifetimeSeconds ?? 3600;
  let key: Uint8Array | CryptoKey;
  let algorithms: string[];
  if (options.publicKeyPem) {
    const alg = options.publicKeyAlg ?? 'ES256';
    key = await importSPKI(options.publicKeyPem, alg);
    algorithms = [alg];
  } else if (options.secret) {
    if (new TextEncoder().encode(options.secret).length < 32) throw new Error('the token secret must be at least 32 bytes');
    key = new TextEncoder().encode(options.secret);
    algorithms = ['HS256'];
  } else {
    throw new Error('no token key: set a secret (HS256) or a public key (ES256/RS256)');
  }
  return async (authorization) => {
    const m = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    if (!m) throw new AuthError('no bearer token: send Authorization: Bearer <token signed by the portal>');
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(m[1], key, { issuer: options.issuer, audience: options.audience, algorithms, requiredClaims: ['exp', 'iat', 'sub'] }));
    } catch (e) {
      const code = (e as { code?: string }).code;
      throw new AuthError(
        code === 'ERR_JWT_EXPIRED'
          ? 'the token has expired: ask the portal for a new one'
          : code === 'ERR_JWT_CLAIM_VALIDATION_FAILED'
            ? `the token's ${(e as { claim?: string }).claim ?? 'claims'} claim is not accepted`
            : 'the token is not valid (signature, algorithm or format)',
      );
    }
    const claims = Claims.safeParse(payload);
    if (!claims.success) throw new AuthError(`the token's claims are malformed (${claims.error.issues[0].path.join('.') || 'payload'})`);
    if (claims.data.exp - claims.data.iat > maxLifetime)
      throw new AuthError(`the token lives longer than ${maxLifetime} s: the portal must sign short-lived tokens`);
    return { userId: claims.data.sub, name: claims.data.name ?? null, roles: claims.data.roles, departments: claims.data.departments };
  };
}

/** Signs a token as a host portal would (HS256): for tests, the demo and the README's example. */
export async function signToken(
  actor: { userId: string; name?: string; roles: string[]; departments: string[] },
  options: { secret: string; issuer: string; audience: string; ttlSeconds?: number; now?: Date },
): Promise<string> {
  const iat = Math.floor((options.now ?? new Date()).getTime() / 1000);
  return new SignJWT({ roles: actor.roles, departments: actor.departments, ...(actor.name ? { name: actor.name } : {}) })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(actor.userId)
    .setIssuer(options.issuer)
    .setAudience(options.audience)
    .setIssuedAt(iat)
    .setExpirationTime(iat + (options.ttlSeconds ?? 900))
    .sign(new TextEncoder().encode(options.secret));
}
