/**
 * Starting the service: the database (PGlite in a folder, or the server of DATABASE_URL), its
 * migrations, the published snapshot, the registry synced from it, then the HTTP API. The snapshot
 * is followed while running: a newly published version is synced and evaluated, then swapped in.
 */
import type { FastifyInstance } from 'fastify';
import { evaluateAlerts } from './actions/capacity-alert.js';
import { buildApp } from './app.js';
import { verifier, type AuthOptions } from './auth.js';
import { openDb, type Db } from './db.js';
import { migrate } from './migrations.js';
import { startOutboxWorker, type OutboxWorker, type OutboxWorkerOptions } from './outbox/worker.js';
import { syncRegistry } from './registry.js';
import { liveUsageData, type LiveUsageData, type RefreshResult } from './live-usage.js';
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
   * 60 s; 0 = start-up only), and on every newly published snapshot.
   */
  alertEvalMs?: number;
  /** How often the manifest is checked for a newly published version (default 30 s; 0 = never: call `refreshSnapshot()`). */
  snapshotPollMs?: number;
  /** Told when a new version was swapped in, or why one was not taken. */
  onSnapshot?: (r: RefreshResult) => void;
}

/** The worker's options other than the database (see `startOutboxWorker`). */
export type OutboxConfig = Omit<OutboxWorkerOptions, 'db'>;

export interface RunningService {
  app: FastifyInstance;
  db: Db;
  /** The snapshot in use (follows newly published versions). */
  usage: LiveUsageData;
  /** Takes a newly published snapshot now (what the poll does). */
  refreshSnapshot(): Promise<RefreshResult>;
  /** `http://host:port` */
  url: string;
  /** Undefined when `outbox: false`. */
  outbox?: OutboxWorker;
  close(): Promise<void>;
}

export async function startService(config: ServiceConfig): Promise<RunningService> {
  const db = await openDb({ url: config.databaseUrl, dataDir: config.pgliteDir });
  let usage: LiveUsageData | undefined;
  let app: FastifyInstance | undefined;
  try {
    await migrate(db);
    const clock = config.now ?? (() => new Date());
    // What a version needs before it answers: the registry synced from its agents, its alerts evaluated.
    const prepare = async (next: UsageData) => {
      await syncRegistry(db, await next.agents());
      await evaluateAlerts(db, next, clock());
    };
    const first = await openSnapshotData(config.snapshotDir);
    try {
      await prepare(first);
    } catch (e) {
      await first.close();
      throw e;
    }
    usage = liveUsageData(config.snapshotDir, first, prepare);
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
    const refreshSnapshot = async () => {
      const r = await u.refresh();
      if (r.error) log.error({ err: r.error }, 'snapshot refresh failed; still answering from the previous version');
      else if (r.changed) log.info({ snapshot: r.snapshotId }, 'snapshot refreshed');
      config.onSnapshot?.(r);
      return r;
    };
    const pollMs = config.snapshotPollMs ?? 30_000;
    const poll = pollMs > 0 ? setInterval(() => void refreshSnapshot(), pollMs) : undefined;
    poll?.unref();
    return {
      app: a,
      db,
      usage: u,
      refreshSnapshot,
      url: address,
      outbox,
      async close() {
        clearInterval(timer);
        clearInterval(poll);
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
    snapshotPollMs: env.SNAPSHOT_POLL_MS ? msSetting('SNAPSHOT_POLL_MS', env.SNAPSHOT_POLL_MS) : undefined,
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
