/**
 * Starting the service: the database (PGlite in a folder, or the server of DATABASE_URL), its
 * migrations, the published snapshot, the registry synced from it, then the HTTP API.
 */
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import { verifier, type AuthOptions } from './auth.js';
import { openDb, type Db } from './db.js';
import { migrate } from './migrations.js';
import { syncRegistry } from './registry.js';
import { openSnapshotData, type UsageData } from './usage-data.js';

export interface ServiceConfig {
  /** A PostgreSQL server (`postgres://…`); without it PGlite in `pgliteDir` (in memory when that is unset too). */
  databaseUrl?: string;
  pgliteDir?: string;
  /** The exporter's `--out` folder (manifest.json + versions). */
  snapshotDir: string;
  auth: AuthOptions;
  host?: string;
  /** 0 = any free port. */
  port?: number;
  corsOrigins?: string[];
  now?: () => Date;
  logger?: boolean;
  /** The shared key of the gateway calling `POST /quota/check`. */
  gatewayKey?: string;
  /** The limiter's clock (ms); tests move it to a window's end. */
  limiterClock?: () => number;
}

export interface RunningService {
  app: FastifyInstance;
  db: Db;
  usage: UsageData;
  /** `http://host:port` */
  url: string;
  close(): Promise<void>;
}

export async function startService(config: ServiceConfig): Promise<RunningService> {
  const db = await openDb({ url: config.databaseUrl, dataDir: config.pgliteDir });
  let usage: UsageData | undefined;
  try {
    await migrate(db);
    usage = await openSnapshotData(config.snapshotDir);
    await syncRegistry(db, await usage.agents());
    const app = await buildApp({
      db,
      usage,
      verify: await verifier(config.auth),
      now: config.now,
      corsOrigins: config.corsOrigins,
      logger: config.logger,
      gatewayKey: config.gatewayKey,
      limiterClock: config.limiterClock,
    });
    const address = await app.listen({ host: config.host ?? '127.0.0.1', port: config.port ?? 0 });
    const u = usage;
    return {
      app,
      db,
      usage: u,
      url: address,
      async close() {
        await app.close();
        await u.close();
        await db.close();
      },
    };
  } catch (e) {
    await usage?.close();
    await db.close();
    throw e;
  }
}

/** The configuration from the environment (see the README's "Actions service"). */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): ServiceConfig {
  const snapshotDir = env.SNAPSHOT_DIR;
  if (!snapshotDir) throw new Error("SNAPSHOT_DIR is not set: the exporter's --out folder of the published snapshot");
  if (!env.TOKEN_SECRET && !env.TOKEN_PUBLIC_KEY)
    throw new Error('set TOKEN_SECRET (HS256, ≥ 32 bytes) or TOKEN_PUBLIC_KEY (PEM, ES256/RS256): the key the portal signs tokens with');
  return {
    databaseUrl: env.DATABASE_URL || undefined,
    pgliteDir: env.PGLITE_DIR || undefined,
    snapshotDir,
    auth: {
      secret: env.TOKEN_SECRET,
      publicKeyPem: env.TOKEN_PUBLIC_KEY,
      publicKeyAlg: env.TOKEN_ALG === 'RS256' ? 'RS256' : 'ES256',
      issuer: env.TOKEN_ISSUER ?? 'usage-portal',
      audience: env.TOKEN_AUDIENCE ?? 'usage-actions',
    },
    host: env.HOST ?? '127.0.0.1',
    port: env.PORT ? Number(env.PORT) : 8787,
    corsOrigins: env.CORS_ORIGINS
      ? env.CORS_ORIGINS.split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : [],
    logger: env.LOG !== '0',
    gatewayKey: env.GATEWAY_KEY || undefined,
  };
}
