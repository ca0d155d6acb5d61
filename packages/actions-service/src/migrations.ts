/**
 * Schema migrations, applied in order at start-up, each in its own transaction under an advisory
 * lock (two services starting on one database apply each migration once). A migration is never
 * edited after it ships; a change is a new one. `schema_migrations` records what ran.
 */
import type { Db } from './db.js';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'registry, routing rules, audit log, idempotency keys, message templates, outbox',
    sql: `
      CREATE TABLE agent_registry (
        agent_id text PRIMARY KEY,
        agent_name text NOT NULL,
        department_id text,
        status text NOT NULL CHECK (status IN ('active', 'beta', 'deprecated', 'archived')),
        version text,
        sunset_date date,
        replacement_agent_id text,
        migration_guide_url text,
        max_requests_per_minute integer,
        -- 'snapshot' while only the snapshot has spoken; 'action' once an action changed the row
        -- (a later snapshot then no longer overwrites its status).
        source text NOT NULL DEFAULT 'snapshot' CHECK (source IN ('snapshot', 'action')),
        revision integer NOT NULL DEFAULT 1,
        updated_at timestamptz NOT NULL DEFAULT now(),
        updated_by text
      );

      CREATE TABLE routing_rules (
        id bigserial PRIMARY KEY,
        agent_id text NOT NULL REFERENCES agent_registry (agent_id),
        replacement_agent_id text NOT NULL REFERENCES agent_registry (agent_id),
        from_day date NOT NULL,
        share_pct integer NOT NULL CHECK (share_pct BETWEEN 0 AND 100),
        audit_id bigint NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (agent_id, from_day)
      );

      CREATE TABLE audit_log (
        id bigserial PRIMARY KEY,
        at timestamptz NOT NULL DEFAULT now(),
        actor text NOT NULL,
        roles text[] NOT NULL DEFAULT '{}',
        action text NOT NULL,
        target text,
        outcome text NOT NULL CHECK (outcome IN ('done', 'denied', 'invalid', 'conflict')),
        status integer NOT NULL,
        reason text,
        before jsonb,
        after jsonb,
        idempotency_key text
      );
      CREATE INDEX audit_log_at ON audit_log (at);
      CREATE INDEX audit_log_target ON audit_log (action, target);

      CREATE TABLE idempotency_keys (
        actor text NOT NULL,
        key text NOT NULL,
        action text NOT NULL,
        request_hash text NOT NULL,
        response jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (actor, key)
      );

      -- A notice's text, written once; the outbox rows of its recipients point to it.
      CREATE TABLE message_templates (
        id bigserial PRIMARY KEY,
        subject text NOT NULL,
        body text NOT NULL,
        vars jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE outbox (
        id bigserial PRIMARY KEY,
        kind text NOT NULL CHECK (kind IN ('email', 'in_app', 'webhook')),
        -- One effect, one row: a retried action cannot queue the same notice twice.
        dedupe_key text NOT NULL UNIQUE,
        payload jsonb NOT NULL,
        audit_id bigint,
        created_at timestamptz NOT NULL DEFAULT now(),
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        delivered_at timestamptz,
        last_error text
      );
      CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE delivered_at IS NULL;
    `,
  },
  {
    version: 2,
    name: 'outbox delivery: claim lease, terminal failure, in-app notices',
    sql: `
      -- A worker claims a row until claimed_until (a lease: a worker killed mid-delivery frees it when
      -- the lease ends); failed_at marks a row given up on (permanent error or maxAttempts), with last_error.
      ALTER TABLE outbox ADD COLUMN claimed_until timestamptz;
      ALTER TABLE outbox ADD COLUMN last_attempt_at timestamptz;
      ALTER TABLE outbox ADD COLUMN failed_at timestamptz;
      DROP INDEX outbox_due;
      CREATE INDEX outbox_pending ON outbox (next_attempt_at, id) WHERE delivered_at IS NULL AND failed_at IS NULL;

      -- The in-app notices a user reads; written in the transaction that marks its outbox row
      -- delivered, and one per outbox row (UNIQUE), so exactly once.
      CREATE TABLE in_app_notices (
        id bigserial PRIMARY KEY,
        user_id text NOT NULL,
        subject text NOT NULL,
        body text NOT NULL,
        link text,
        created_at timestamptz NOT NULL DEFAULT now(),
        read_at timestamptz,
        outbox_id bigint NOT NULL UNIQUE REFERENCES outbox (id)
      );
      CREATE INDEX in_app_notices_user ON in_app_notices (user_id, id DESC);
    `,
  },
  {
    version: 3,
    name: 'A2.10 request quotas and the limiter counters',
    sql: `
      -- One current quota per scope: an agent, or '*' (global, every agent's requests together).
      CREATE TABLE quotas (
        scope_key text PRIMARY KEY,
        scope text NOT NULL CHECK (scope IN ('agent', 'global')),
        agent_id text REFERENCES agent_registry (agent_id),
        limit_per_period integer NOT NULL CHECK (limit_per_period >= 1),
        period text NOT NULL CHECK (period IN ('minute', 'hour', 'day')),
        overage text NOT NULL CHECK (overage IN ('queue', 'reject', 'throttle')),
        max_queue_wait_ms integer CHECK (max_queue_wait_ms IS NULL OR max_queue_wait_ms BETWEEN 1 AND 60000),
        revision integer NOT NULL DEFAULT 1,
        updated_at timestamptz NOT NULL DEFAULT now(),
        updated_by text NOT NULL,
        audit_id bigint,
        CHECK ((scope = 'global') = (agent_id IS NULL))
      );

      -- rate-limiter-flexible's RateLimiterPostgres table (its own layout): one row per quota key and
      -- window, points consumed, expire in epoch ms. The service creates it here, not the library.
      CREATE TABLE quota_counters (
        key varchar(255) PRIMARY KEY,
        points integer NOT NULL DEFAULT 0,
        expire bigint
      );
    `,
  },
  {
    version: 4,
    name: 'promotion campaigns (A2.1)',
    sql: `
      CREATE TABLE campaigns (
        id bigserial PRIMARY KEY,
        agent_id text NOT NULL REFERENCES agent_registry (agent_id),
        channels text[] NOT NULL,
        audience jsonb NOT NULL,
        subject text NOT NULL,
        body text NOT NULL,
        docs_banner text,
        starts_on date NOT NULL,
        ends_on date,
        audience_size integer NOT NULL,
        -- The agent's users and requests over the 30 days before the campaign: what its reach is measured against.
        baseline jsonb NOT NULL,
        audit_id bigint,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX campaigns_agent ON campaigns (agent_id, starts_on);
    `,
  },
  {
    version: 5,
    name: 'capacity threshold alerts (A2.5)',
    sql: `
      -- The current rule per resource × environment ('*' = every environment) and the state it last announced.
      CREATE TABLE alert_rules (
        id bigserial PRIMARY KEY,
        resource_type text NOT NULL,
        environment text NOT NULL,
        name text,
        warning jsonb NOT NULL,
        critical jsonb NOT NULL,
        channels jsonb NOT NULL,
        escalation jsonb,
        revision integer NOT NULL DEFAULT 1,
        state text NOT NULL DEFAULT 'ok' CHECK (state IN ('ok', 'warning', 'critical')),
        state_since timestamptz,
        last_value double precision,
        last_at timestamptz,
        evaluated_at timestamptz,
        audit_id bigint,
        created_by text NOT NULL,
        updated_by text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (resource_type, environment)
      );
      -- Transitions (ok → warning → critical → ok) and escalations; the dedupe key makes each announced once.
      CREATE TABLE alert_events (
        id bigserial PRIMARY KEY,
        rule_id bigint NOT NULL REFERENCES alert_rules (id),
        revision integer NOT NULL,
        kind text NOT NULL CHECK (kind IN ('transition', 'escalation')),
        from_state text,
        to_state text NOT NULL,
        value double precision,
        at timestamptz NOT NULL,
        dedupe_key text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX alert_events_rule ON alert_events (rule_id, id);
    `,
  },
  {
    version: 6,
    name: 'saved user segments (A2.3)',
    sql: `
      CREATE TABLE segments (
        id bigserial PRIMARY KEY,
        name text NOT NULL,
        description text,
        -- Validated criteria (the SegmentCriteria schema), compiled to SQL from literals when used.
        criteria jsonb NOT NULL,
        sharing text NOT NULL CHECK (sharing IN ('private', 'department', 'fleet')),
        -- The author's departments when saved ('*' for the fleet): who sees a 'department' segment.
        departments text[] NOT NULL,
        owner text NOT NULL,
        users_at_save integer NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX segments_owner ON segments (owner);
    `,
  },
];

/** Applies the migrations not yet applied; returns the versions it applied. */
export async function migrate(db: Db, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> {
  const applied: number[] = [];
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    const ran = await db.transaction(async (tx) => {
      // 0x75736167 = 'usag': one lock for every migrating service on this database.
      await tx.query('SELECT pg_advisory_xact_lock(1970496871)');
      await tx.query(
        'CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())',
      );
      const done = await tx.query('SELECT 1 FROM schema_migrations WHERE version = $1', [m.version]);
      if (done.rows.length) return false;
      for (const stmt of splitStatements(m.sql)) await tx.query(stmt);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
      return true;
    });
    if (ran) applied.push(m.version);
  }
  return applied;
}

/** Splits a migration at top-level semicolons (our migrations hold no functions or quoted semicolons). */
function splitStatements(sql: string): string[] {
  return sql
    .split(/;\s*$/m)
    .map((s) => s.replace(/^\s*--.*$/gm, '').trim())
    .filter(Boolean);
}
