import { sql } from '../sql.js';
import { whereSql } from '../filters.js';
import { defineQuery, num, str } from '../module.js';

export interface CallGraphNode {
  agentId: string;
  name: string;
  /** Owning department (registry), null for agents missing from the registry. */
  departmentId: string | null;
  status: string | null;
  /** All filtered window requests served by the agent (user and agent callers). */
  requests: number;
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

/**
 * Chart 2.14 — agent dependency graph: edges calling_agent_id → agent_id over the filtered window's
 * agent-to-agent requests (filters apply to the called request), nodes = every agent on an edge.
 */
export const agentCallGraph = defineQuery<void, AgentCallGraph>({
  name: 'agentCallGraph',
  sql(ctx) {
    return sql`WITH f AS (SELECT * FROM requests WHERE ${whereSql(ctx)}),
e AS (SELECT calling_agent_id AS source, agent_id AS target, count(*)::BIGINT AS calls, avg(latency_ms)::DOUBLE AS avg_latency,
  (100 * count(*) FILTER (WHERE status <> 'success'))::DOUBLE / count(*) AS error_rate
  FROM f WHERE calling_agent_id IS NOT NULL GROUP BY ALL),
n AS (SELECT source AS agent_id FROM e UNION SELECT target FROM e),
vol AS (SELECT agent_id, count(*) AS requests FROM f GROUP BY agent_id)
SELECT 'edge' AS kind, source, target, calls, avg_latency, error_rate FROM e
UNION ALL BY NAME
SELECT 'node' AS kind, n.agent_id AS source, coalesce(ag.agent_name, n.agent_id) AS name, ag.department_id, ag.agent_status AS status,
  coalesce(vol.requests, 0)::BIGINT AS requests
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
        });
      } else {
        edges.push({ source: str(r.source), target: str(r.target), calls: num(r.calls), avgLatencyMs: num(r.avg_latency), errorRate: num(r.error_rate) });
      }
    }
    return { nodes, edges };
  },
});
