/** @usage-analytics/actions-service: the service behind the action dialogs. */
export { buildApp, type AppOptions } from './app.js';
export { verifier, signToken, AuthError, type Actor, type AuthOptions, type Verifier } from './auth.js';
export { openDb, type Db, type DbOptions, type Queryable } from './db.js';
export { HttpError } from './errors.js';
export { MIGRATIONS, migrate, type Migration } from './migrations.js';
export { syncRegistry, listAgents, getAgent, type AgentRow } from './registry.js';
export {
  startOutboxWorker,
  backoffDelay,
  messageIdOf,
  type OutboxWorker,
  type OutboxWorkerOptions,
  type SmtpConfig,
  type DrainStats,
} from './outbox/worker.js';
export { render, renderSubject } from './outbox/render.js';
export { startService, configFromEnv, type ServiceConfig, type RunningService, type OutboxConfig } from './service.js';
export { openSnapshotData, type UsageData, type AgentUsage, type AffectedUser, type RegistryAgent } from './usage-data.js';
