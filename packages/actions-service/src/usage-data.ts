/**
 * What the service reads from the published snapshot: the agent registry it starts from, and the
 * usage behind an action's impact (who used an agent in the last 30 days). Native DuckDB through the
 * exporter's NativeConnector, loaded once per snapshot version; the same tables the charts read.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NativeConnector } from '@usage-analytics/exporter';
import { literal, segmentSql, timestamp, type Manifest } from '@usage-analytics/queries';

export interface RegistryAgent {
  agentId: string;
  agentName: string;
  departmentId: string | null;
  status: string;
  version: string | null;
}

export interface AffectedUser {
  userId: string;
  department: string | null;
  email: string | null;
  requests: number;
  lastSeen: string;
}

export interface AgentUsage {
  window: { start: string; end: string };
  requests: number;
  users: AffectedUser[];
}

export interface AudienceUser {
  userId: string;
  department: string | null;
  segment: string;
  email: string | null;
  /** Used the agent in the 30 days before the snapshot's end. */
  current: boolean;
}

export interface ReplayQuota {
  limit: number;
  period: 'minute' | 'hour' | 'day';
  /** Over-limit requests this close (ms) to their window's end count as queued (overage 'queue'); null = none. */
  maxQueueWaitMs: number | null;
}

export interface QuotaReplay {
  window: { start: string; end: string };
  requests: number;
  admitted: number;
  /** Over the limit, and within maxQueueWaitMs of the next window start. */
  overWithinWait: number;
  over: number;
  windowsOverLimit: number;
  peakWindowRequests: number;
}

/**
 * The A2.10 replay in DuckDB SQL over a `requests` table: fixed windows aligned to the period
 * (date_trunc of the UTC timestamp), the first `limit` of each window (by ts, request_id) admitted,
 * the rest over. `where` is trusted SQL built by the caller from literals.
 */
export function quotaReplaySql(where: string, q: ReplayQuota): string {
  const waitUs = q.maxQueueWaitMs === null ? -1 : q.maxQueueWaitMs * 1000;
  return `WITH r AS (SELECT ts, date_trunc('${q.period}', ts) AS w FROM requests WHERE ${where}),
      k AS (SELECT w, row_number() OVER (PARTITION BY w ORDER BY ts) AS n,
                   epoch_us(w + INTERVAL 1 ${q.period}) - epoch_us(ts) AS wait_us FROM r),
      per AS (SELECT w, count(*) AS n FROM r GROUP BY w)
    SELECT (SELECT count(*) FROM k)::BIGINT AS requests,
           (SELECT count(*) FROM k WHERE n <= ${q.limit})::BIGINT AS admitted,
           (SELECT count(*) FROM k WHERE n > ${q.limit})::BIGINT AS over,
           (SELECT count(*) FROM k WHERE n > ${q.limit} AND wait_us <= ${waitUs})::BIGINT AS over_within_wait,
           (SELECT count(*) FROM per WHERE n > ${q.limit})::BIGINT AS windows_over,
           (SELECT coalesce(max(n), 0) FROM per)::BIGINT AS peak`;
}

export interface UsageData {
  /** The snapshot's id (its version folder), for the audit trail. */
  readonly snapshotId: string;
  /** The snapshot's data range (ISO instants; `end` exclusive): the anchor of relative time filters. */
  readonly timeRange: { start: string; end: string };
  /** Plain rows of a query over the snapshot's tables (SQL built with the queries package). */
  query(sql: string): Promise<Record<string, unknown>[]>;
  /** The rows of a query chunk by chunk, on a connection of its own (stop iterating to cancel). */
  stream(sql: string): AsyncGenerator<Record<string, unknown>[]>;
  agents(): Promise<RegistryAgent[]>;
  /** Requests and users of `agentId` over the `days` days before the snapshot's end, users by requests (desc). */
  agentUsage(agentId: string, days?: number): Promise<AgentUsage>;
  /**
   * Users in `departments` (their current one; empty = all) and `segments` (2.2's engagement
   * segments as of the snapshot's end; empty = all), each marked whether they used `agentId` in the
   * last 30 days. Ordered by user id.
   */
  audience(agentId: string, departments: readonly string[], segments: readonly string[]): Promise<AudienceUser[]>;
  /** Last `days` days of requests (of `agentId`, or all when null) replayed through a quota (A2.10 preview). */
  quotaReplay(agentId: string | null, quota: ReplayQuota, days?: number): Promise<QuotaReplay>;
  close(): Promise<void>;
}

/** Opens the snapshot published in `dir` (the exporter's `--out`: manifest.json + version folders). */
export async function openSnapshotData(dir: string): Promise<UsageData> {
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Manifest;
  const db = new NativeConnector();
  const files: Record<string, string> = { requests: manifest.tables.requests.file, agents: manifest.tables.agents.file };
  if (manifest.tables.users) files.users = manifest.tables.users.file;
  // A2.5's alerts evaluate the capacity samples (the table 2.13's gauges read).
  if (manifest.tables.capacity) files.capacity = manifest.tables.capacity.file;
  // The service is trusted: it reads the full users table (e-mail addresses to notify) from the
  // snapshot's private part when the exporter withheld columns from the published one.
  const version = manifest.tables.requests.file.split('/')[0];
  const privateManifest = join(dir, version, 'private', 'manifest.json');
  if (existsSync(privateManifest)) {
    const p = JSON.parse(readFileSync(privateManifest, 'utf8')) as { tables?: { users?: { file: string } } };
    if (p.tables?.users) files.users = join(version, 'private', p.tables.users.file);
  }
  await db.loadTables(dir, files);
  if (!manifest.tables.users) await db.query(`CREATE TABLE users (user_id VARCHAR, email VARCHAR)`);
  if (!manifest.tables.capacity)
    await db.query(
      `CREATE TABLE capacity (ts TIMESTAMP, resource_type VARCHAR, environment VARCHAR, current_usage DOUBLE, max_capacity DOUBLE, warning_threshold DOUBLE, critical_threshold DOUBLE, unit VARCHAR)`,
    );
  const hasEmail = (await db.query(`SELECT count(*) AS n FROM information_schema.columns WHERE table_name = 'users' AND column_name = 'email'`))[0].n as number;
  const end = manifest.time_range.end;
  const snapshotId = manifest.tables.requests.file.split('/')[0] ?? 'snapshot';
  return {
    snapshotId,
    timeRange: manifest.time_range,
    query: (sql) => db.query(sql),
    stream: (sql) => db.stream(sql),
    async agents() {
      const rows = await db.query(
        `SELECT agent_id::VARCHAR AS agent_id, agent_name::VARCHAR AS agent_name, department_id::VARCHAR AS department_id,
                agent_status::VARCHAR AS status, version::VARCHAR AS version FROM agents ORDER BY agent_id`,
      );
      return rows.map((r) => ({
        agentId: String(r.agent_id),
        agentName: String(r.agent_name),
        departmentId: (r.department_id as string | null) ?? null,
        status: String(r.status),
        version: (r.version as string | null) ?? null,
      }));
    },
    async agentUsage(agentId, days = 30) {
      const endMs = Date.parse(end);
      const startIso = new Date(endMs - days * 86_400_000).toISOString();
      const w = `agent_id = ${literal(agentId).text} AND ts >= ${timestamp(new Date(startIso)).text} AND ts < ${timestamp(new Date(endMs)).text}`;
      const rows = await db.query(
        `WITH f AS (SELECT user_id::VARCHAR AS user_id, department_id::VARCHAR AS department_id, ts FROM requests WHERE ${w}),
              u AS (SELECT user_id, arg_max(department_id, ts) AS department, count(*)::BIGINT AS requests, max(ts) AS last_seen FROM f GROUP BY user_id)
         SELECT u.user_id, u.department, u.requests, u.last_seen, ${hasEmail ? 'users.email::VARCHAR' : 'NULL::VARCHAR'} AS email
         FROM u LEFT JOIN users ON users.user_id::VARCHAR = u.user_id
         ORDER BY u.requests DESC, u.user_id`,
      );
      const users = rows.map((r) => ({
        userId: String(r.user_id),
        department: (r.department as string | null) ?? null,
        email: (r.email as string | null) ?? null,
        requests: Number(r.requests),
        lastSeen: new Date(r.last_seen as number).toISOString(),
      }));
      return { window: { start: startIso, end }, requests: users.reduce((s, u) => s + u.requests, 0), users };
    },
    async audience(agentId, departments, segments) {
      const endUs = Date.parse(end) * 1000;
      const startUs = endUs - 30 * 86_400_000_000;
      const inList = (col: string, values: readonly string[]) => (values.length ? `${col} IN (${values.map((v) => literal(v).text).join(', ')})` : 'TRUE');
      const rows = await db.query(
        `WITH seg AS (${segmentSql({ start: startUs, end: endUs }).text}),
              cur AS (SELECT DISTINCT user_id::VARCHAR AS user_id FROM requests
                      WHERE agent_id = ${literal(agentId).text} AND ts >= ${timestamp(startUs).text} AND ts < ${timestamp(endUs).text})
         SELECT s.user_id::VARCHAR AS user_id, u.department_id::VARCHAR AS department, s.segment,
                ${hasEmail ? 'u.email::VARCHAR' : 'NULL::VARCHAR'} AS email, cur.user_id IS NOT NULL AS current
         FROM seg s JOIN users u ON u.user_id::VARCHAR = s.user_id::VARCHAR LEFT JOIN cur ON cur.user_id = s.user_id::VARCHAR
         WHERE ${inList('u.department_id::VARCHAR', departments)} AND ${inList('s.segment', segments)}
         ORDER BY 1`,
      );
      return rows.map((r) => ({
        userId: String(r.user_id),
        department: (r.department as string | null) ?? null,
        segment: String(r.segment),
        email: (r.email as string | null) ?? null,
        current: Boolean(r.current),
      }));
    },
    async quotaReplay(agentId, quota, days = 7) {
      const endMs = Date.parse(end);
      const startIso = new Date(endMs - days * 86_400_000).toISOString();
      const where = `ts >= ${timestamp(new Date(startIso)).text} AND ts < ${timestamp(new Date(endMs)).text}${agentId === null ? '' : ` AND agent_id = ${literal(agentId).text}`}`;
      const [r] = await db.query(quotaReplaySql(where, quota));
      return {
        window: { start: startIso, end },
        requests: Number(r.requests),
        admitted: Number(r.admitted),
        over: Number(r.over),
        overWithinWait: Number(r.over_within_wait),
        windowsOverLimit: Number(r.windows_over),
        peakWindowRequests: Number(r.peak),
      };
    },
    async close() {
      db.close();
    },
  };
}
