import { list, literal, sql, type Sql } from '../sql.js';
import { whereSql, type QueryContext } from '../filters.js';
import { defineQuery, num, str } from '../module.js';
import { REQUEST_COLUMNS, toRequestLogRow, type RequestLogRow } from './agent-detail.js';
import { enumParam, page, stringParam } from './shared.js';

export interface CallGraphNode {
  agentId: string;
  name: string;
  /** Owning department (registry), null for agents missing from the registry. */
  departmentId: string | null;
  status: string | null;
  /** All filtered window requests served by the agent (user and agent callers). */
  requests: number;
  /** Share of those requests whose status is not 'success', in % (0 without requests). */
  errorRate: number;
}

export interface CallGraphEdge {
  source: string;
  target: string;
  calls: number;
  avgLatencyMs: number;
  /** Share of the calls whose status is not 'success' (error or timeout), in %. */
  errorRate: number;
}

export interface AgentCallGraph {
  nodes: CallGraphNode[];
  edges: CallGraphEdge[];
}

/** Which end of an edge the `agentIds` filter matches. */
export const CALL_GRAPH_MATCHES = ['called', 'either'] as const;
export type CallGraphMatch = (typeof CALL_GRAPH_MATCHES)[number];

export interface AgentCallGraphParams {
  /**
   * `called` (default): the filters apply to the called request, so `agentIds: [X]` keeps the edges into X.
   * `either`: `agentIds` keeps every edge with a selected agent at either end (its callers and callees:
   * an agent's neighbourhood), and node volumes count every filtered request of the agent, whatever
   * `agentIds` says. Without `agentIds` both are the same.
   */
  agentMatch?: CallGraphMatch;
}

/** The agent-to-agent requests an edge counts, and the requests a node's volume counts. */
function scopes(ctx: QueryContext, match: CallGraphMatch): { edges: Sql; volume: Sql } {
  const ids = ctx.filters.agentIds;
  if (match === 'called' || ids.length === 0) return { edges: whereSql(ctx), volume: whereSql(ctx) };
  const rest = whereSql(ctx, { omit: { agentIds: true } });
  return { edges: sql`${rest} AND (agent_id IN ${list(ids)} OR calling_agent_id IN ${list(ids)})`, volume: rest };
}

/**
 * Chart 2.14 — agent dependency graph: edges calling_agent_id → agent_id over the filtered window's
 * agent-to-agent requests (filters apply to the called request; see {@link AgentCallGraphParams} for
 * `agentIds`), nodes = every agent on an edge.
 */
export const agentCallGraph = defineQuery<AgentCallGraphParams | void, AgentCallGraph>({
  name: 'agentCallGraph',
  sql(ctx, params) {
    const match = enumParam('agentMatch', (params as AgentCallGraphParams | undefined)?.agentMatch, CALL_GRAPH_MATCHES, 'called');
    const s = scopes(ctx, match);
    return sql`WITH e AS (SELECT calling_agent_id AS source, agent_id AS target, count(*)::BIGINT AS calls, avg(latency_ms)::DOUBLE AS avg_latency,
  (100 * count(*) FILTER (WHERE status <> 'success'))::DOUBLE / count(*) AS error_rate
  FROM requests WHERE ${s.edges} AND calling_agent_id IS NOT NULL GROUP BY ALL),
n AS (SELECT source AS agent_id FROM e UNION SELECT target FROM e),
vol AS (SELECT agent_id, count(*) AS requests, (100 * count(*) FILTER (WHERE status <> 'success'))::DOUBLE / count(*) AS error_rate FROM requests WHERE ${s.volume} AND agent_id IN (SELECT agent_id FROM n) GROUP BY agent_id)
SELECT 'edge' AS kind, source, target, calls, avg_latency, error_rate FROM e
UNION ALL BY NAME
SELECT 'node' AS kind, n.agent_id AS source, coalesce(ag.agent_name, n.agent_id) AS name, ag.department_id, ag.agent_status AS status,
  coalesce(vol.requests, 0)::BIGINT AS requests, coalesce(vol.error_rate, 0)::DOUBLE AS node_error_rate
FROM n LEFT JOIN agents ag ON ag.agent_id = n.agent_id LEFT JOIN vol ON vol.agent_id = n.agent_id
ORDER BY kind, source, target`;
  },
  transform(rows) {
    const nodes: CallGraphNode[] = [];
    const edges: CallGraphEdge[] = [];
    for (const r of rows) {
      if (r.kind === 'node') {
        nodes.push({
          agentId: str(r.source),
          name: str(r.name),
          departmentId: r.department_id === null || r.department_id === undefined ? null : str(r.department_id),
          status: r.status === null || r.status === undefined ? null : str(r.status),
          requests: num(r.requests),
          errorRate: num(r.node_error_rate),
        });
      } else {
        edges.push({ source: str(r.source), target: str(r.target), calls: num(r.calls), avgLatencyMs: num(r.avg_latency), errorRate: num(r.error_rate) });
      }
    }
    return { nodes, edges };
  },
});

export interface CallsBetweenAgentsParams {
  /** The calling agent (`calling_agent_id`). */
  source: string;
  /** The called agent (`agent_id`). */
  target: string;
  limit?: number;
  offset?: number;
}

/**
 * Drill-down (2.14 click on an edge) — the requests `source` made to `target` in the filtered window,
 * latest first (ts desc, request id desc), paged; `total` = the edge's `calls` in agentCallGraph (either
 * `agentMatch`). The `agentIds` filter is ignored (the pair is the agent selection); the other filters
 * apply to the called request, as in the graph.
 */
export const callsBetweenAgents = defineQuery<CallsBetweenAgentsParams, RequestLogRow[]>({
  name: 'callsBetweenAgents',
  sql(ctx, params) {
    const source = stringParam('source', params?.source);
    const target = stringParam('target', params?.target);
    return sql`SELECT ${REQUEST_COLUMNS}
FROM requests WHERE ${whereSql(ctx, { omit: { agentIds: true } })} AND calling_agent_id = ${literal(source)} AND agent_id = ${literal(target)}
ORDER BY ts DESC, request_id DESC
${page(params)}`;
  },
  transform(rows) {
    return rows.map(toRequestLogRow);
  },
});
