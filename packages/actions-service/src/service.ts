/**
 * Starting the service: the database (PGlite in a folder, or the server of DATABASE_URL), its
 * migrations, the published snapshot, the registry synced from it, then the HTTP API.
 */
import type { FastifyInstance } from 'fastify';
import { evaluateAlerts } from './actions/capacity-alert.js';
import { buildApp } from './app.js';
import { verifier, type AuthOptions } from './auth.js';
import { openDb, type Db } from './db.js';
import { migrate } from './migrations.js';
import { startOutboxWorker, type OutboxWorker, type OutboxWorkerOptions } from './outbox/worker.js';
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
  /**
   * The outbox worker (started after migrations, stopped by `close()`); `false` runs none (another
   * process delivers). Without `smtp`, e-mails stay queued while in-app notices and webhooks are delivered.
   */
  outbox?: OutboxConfig | false;
  /**
   * A2.5's alert evaluation: at start-up (after the registry sync) and every `alertEvalMs` (default
   * 60 s; 0 = start-up only). The snapshot is not reloaded while running yet, so the schedule is what
   * picks up rule changes.
   */
  alertEvalMs?: number;
}

/** The worker's options other than the database (see `startOutboxWorker`). */
export type OutboxConfig = Omit<OutboxWorkerOptions, 'db'>;

export interface RunningService {
  app: FastifyInstance;
  db: Db;
  usage: UsageData;
  /** `http://host:port` */
  url: string;
  /** Undefined when `outbox: false`. */
  outbox?: OutboxWorker;
  close(): Promise<void>;
}

export async function startService(config: ServiceConfig): Promise<RunningService> {
  const db = await openDb({ url: config.databaseUrl, dataDir: config.pgliteDir });
  let usage: UsageData | undefined;
  let app: FastifyInstance | undefined;
  try {
    await migrate(db);
    usage = await openSnapshotData(config.snapshotDir);
    await syncRegistry(db, await usage.agents());
    const clock = config.now ?? (() => new Date());
    await evaluateAlerts(db, usage, clock());
    app = await buildApp({
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
    const log = app.log;
    const outbox = config.outbox === false ? undefined : startOutboxWorker({ onError: (e) => log.error(e), ...config.outbox, db });
    const a = app;
    const evalMs = config.alertEvalMs ?? 60_000;
    let evaluating: Promise<unknown> = Promise.resolve();
    const timer =
      evalMs > 0
        ? setInterval(() => {
            // One evaluation at a time: a slow one is not overlapped by the next tick.
            evaluating = evaluating.then(() => evaluateAlerts(db, u, clock()).catch((e: unknown) => log.error(e)));
          }, evalMs)
        : undefined;
    timer?.unref();
    return {
      app: a,
      db,
      usage: u,
      url: address,
      outbox,
      async close() {
        clearInterval(timer);
        await evaluating;
        await a.close();
        await outbox?.stop();
        await u.close();
        await db.close();
      },
    };
  } catch (e) {
    await app?.close();
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
    outbox: outboxFromEnv(env),
    alertEvalMs: env.ALERT_EVAL_MS ? msSetting('ALERT_EVAL_MS', env.ALERT_EVAL_MS) : undefined,
  };
}

function msSetting(name: string, v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a number of milliseconds, not ${JSON.stringify(v)}`);
  return n;
}

/**
 * SMTP_URL (smtp://host:port, smtps://user:pass@host:465) and MAIL_FROM: without SMTP_URL e-mails
 * stay queued in the outbox. OUTBOX_POLL_MS and OUTBOX_LEASE_MS tune the worker.
 */
function outboxFromEnv(env: NodeJS.ProcessEnv): OutboxConfig {
  const ms = (name: string) => {
    const v = env[name];
    if (v === undefined || v === '') return undefined;
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a number of milliseconds, not ${JSON.stringify(v)}`);
    return n;
  };
  if (env.SMTP_URL && !env.MAIL_FROM) throw new Error('SMTP_URL is set but MAIL_FROM is not: the address e-mails are sent from');
  return {
    smtp: env.SMTP_URL ? { url: env.SMTP_URL, from: env.MAIL_FROM! } : undefined,
    pollMs: ms('OUTBOX_POLL_MS'),
    leaseMs: ms('OUTBOX_LEASE_MS'),
  };
}
