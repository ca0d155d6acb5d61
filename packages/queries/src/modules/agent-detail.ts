import { localTsOf, whereSql, type QueryContext } from '../filters.js';
import { defineQuery, num, numOrNull, str } from '../module.js';
import { literal, sql, Sql } from '../sql.js';
import { bucketTable, page, stringParam, wallOf } from './shared.js';

export interface AgentParams {
  agentId: string;
}

/**
 * Level 3 scope: the filtered window restricted to one agent. The agent-id and agent-status filters are
 * ignored (the detail view of a deprecated agent works under the default "Active" filter).
 */
export function agentWhereSql(ctx: QueryContext, agentId: unknown): Sql {
  return sql`${whereSql(ctx, { omit: { agentIds: true, agentStatuses: true } })} AND agent_id = ${literal(stringParam('agentId', agentId))}`;
}

export interface RequestLogRow {
  requestId: string;
  /** epoch ms */
  ts: number;
  userId: string;
  departmentId: string;
  environment: string;
  agentVersion: string;
  intent: string;
  status: string;
  modelFamily: string;
  provider: string;
  latencyMs: number;
  costUsd: number;
  apiClient: string;
  sessionId: string | null;
  callingAgentId: string | null;
  /** Rows in the whole log (for paging). */
  total: number;
}

export const REQUEST_COLUMNS = sql`request_id, epoch_ms(ts) AS ts_ms, user_id, department_id, environment, agent_id, agent_version, intent_category, status, model_family, provider,
  latency_ms::BIGINT AS latency_ms, cost_usd::DOUBLE AS cost_usd, api_client, session_id, calling_agent_id, count(*) OVER ()::BIGINT AS total`;

export const toRequestLogRow = (r: Record<string, unknown>): RequestLogRow => ({
  requestId: str(r.request_id),
  ts: num(r.ts_ms),
  userId: str(r.user_id),
  departmentId: str(r.department_id),
  environment: str(r.environment),
  agentVersion: str(r.agent_version),
  intent: str(r.intent_category),
  status: str(r.status),
  modelFamily: str(r.model_family),
  provider: str(r.provider),
  latencyMs: num(r.latency_ms),
  costUsd: num(r.cost_usd),
  apiClient: str(r.api_client),
  sessionId: r.session_id === null || r.session_id === undefined ? null : str(r.session_id),
  callingAgentId: r.calling_agent_id === null || r.calling_agent_id === undefined ? null : str(r.calling_agent_id),
  total: num(r.total),
});

/** Level 3 — the agent's request log with user attribution, latest first (ts desc, request id desc), paged. */
export const agentRequestLog = defineQuery<AgentParams & { limit?: number; offset?: number }, RequestLogRow[]>({
  name: 'agentRequestLog',
  sql(ctx, params) {
    return sql`SELECT ${REQUEST_COLUMNS}
FROM requests WHERE ${agentWhereSql(ctx, params?.agentId)}
ORDER BY ts DESC, request_id DESC
${page(params)}`;
  },
  transform(rows) {
    return rows.map(toRequestLogRow);
  },
});

export interface ApiClientStats {
  apiClient: string;
  requests: number;
  users: number;
  /** (error + timeout) / requests, in %. */
  errorRate: number;
  timeouts: number;
  avgLatencyMs: number;
  /** Last call, epoch ms. */
  lastSeen: number;
}

/** Level 3 integration health — API clients calling the agent with error rates, by requests desc then client. */
export const agentApiClients = defineQuery<AgentParams, ApiClientStats[]>({
  name: 'agentApiClients',
  sql(ctx, params) {
    return sql`SELECT api_client, count(*)::BIGINT AS requests, count(DISTINCT user_id)::BIGINT AS users,
  (100 * count(*) FILTER (WHERE status <> 'success'))::DOUBLE / count(*) AS error_rate, count(*) FILTER (WHERE status = 'timeout')::BIGINT AS timeouts,
  avg(latency_ms)::DOUBLE AS avg_latency, epoch_ms(max(ts)) AS last_ms
FROM requests WHERE ${agentWhereSql(ctx, params?.agentId)}
GROUP BY api_client
ORDER BY requests DESC, api_client`;
  },
  transform(rows) {
    return rows.map((r) => ({
      apiClient: str(r.api_client),
      requests: num(r.requests),
      users: num(r.users),
      errorRate: num(r.error_rate),
      timeouts: num(r.timeouts),
      avgLatencyMs: num(r.avg_latency),
      lastSeen: num(r.last_ms),
    }));
  },
});

export interface AgentDay {
  date: string;
  requests: number;
  users: number;
  errors: number;
  /** Mean latency that day, null without requests. */
  avgLatencyMs: number | null;
}

/** Level 3 — the agent's requests, exact users and errors per day of the window (UTC, or local in `ctx.timeZone`; zero-filled). */
export const agentDaily = defineQuery<AgentParams, AgentDay[]>({
  name: 'agentDaily',
  sql(ctx, params) {
    return sql`WITH f AS (SELECT date_trunc('day', ${localTsOf(ctx)}) AS d, user_id, status, latency_ms FROM requests WHERE ${agentWhereSql(ctx, params?.agentId)}),
days AS ${bucketTable('day', wallOf(ctx, ctx.range.start), wallOf(ctx, ctx.range.end))},
c AS (SELECT d, count(*) AS n, count(DISTINCT user_id) AS users, count(*) FILTER (WHERE status <> 'success') AS errors, avg(latency_ms)::DOUBLE AS lat FROM f GROUP BY d)
SELECT strftime(days.b, '%Y-%m-%d') AS date, coalesce(c.n, 0)::BIGINT AS requests, coalesce(c.users, 0)::BIGINT AS users, coalesce(c.errors, 0)::BIGINT AS errors, c.lat
FROM days LEFT JOIN c ON c.d = days.b
ORDER BY date`;
  },
  transform(rows) {
    return rows.map((r) => ({ date: str(r.date), requests: num(r.requests), users: num(r.users), errors: num(r.errors), avgLatencyMs: numOrNull(r.lat) }));
  },
});
