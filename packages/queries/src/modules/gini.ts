import { whereSql, type QueryContext } from '../filters.js';
import { defineQuery, num, pct, str } from '../module.js';
import { largestRemainder } from '../rounding.js';
import { and, list, sql, Sql } from '../sql.js';
import { boolParam } from './shared.js';

export interface GiniParams {
  /**
   * Count registry agents with zero requests in the window (agents matching the status and agent-id
   * filters and, under a department filter, owned by one of those departments). Default true: an
   * agent that is deployed but unused is part of how concentrated usage is across the portfolio
   * (this was false until issue 7; pass false for n = agents with at least one request).
   */
  includeIdleAgents?: boolean;
}

export interface Concentration {
  /** Gini coefficient in [0, 1); null when there is nothing to measure (n = 0 or total = 0). */
  gini: number | null;
  /** Entities measured (n). */
  n: number;
  /** Total requests. */
  total: number;
  /** Largest entity's share of requests in %, null when total is 0. */
  topShare: number | null;
  /** The largest entity (ties: smallest id). */
  top: string | null;
  /**
   * k = ⌈n/10⌉: how many entities make the top 10 % (0 when n = 0). The top k are the first k by
   * requests descending, ties by id ascending; idle agents count in n like they do for the Gini.
   */
  topDecileCount: number;
  /**
   * The top k's share of all requests in % (exact, unrounded; null when total is 0), for the reading
   * "the top 10 % of agents take 72 % of requests". Ties at the cut do not change it (equal values).
   */
  topDecileShare: number | null;
}

export interface Gini {
  agents: Concentration;
  users: Concentration;
}

/** Registry agents in scope of the agent-level filters (status, agent ids, owning department). */
export function idleAgentsSql(ctx: QueryContext): Sql {
  const f = ctx.filters;
  const c: Sql[] = [];
  if (f.agentStatuses.length > 0) c.push(sql`agent_status IN ${list(f.agentStatuses)}`);
  if (f.agentIds.length > 0) c.push(sql`agent_id IN ${list(f.agentIds)}`);
  if (f.departments.length > 0) c.push(sql`department_id IN ${list(f.departments)}`);
  return sql`SELECT agent_id FROM agents WHERE ${and(c)}`;
}

/**
 * Chart 2.6 — usage concentration: the Gini coefficient of requests per agent and per user in the
 * filtered window, G = 2·Σ i·x_(i) / (n·Σ x) − (n + 1)/n over the values sorted ascending (i = 1..n).
 * n counts users with ≥ 1 request, and the agents in scope including idle ones (unless `includeIdleAgents: false`).
 * G = 0 for one entity or equal usage; it approaches 1 − 1/n when one entity has everything.
 * Beside it, the plain-language reading: the share of requests of the top 10 % (⌈n/10⌉ entities,
 * by requests descending, ties by id).
 */
export const gini = defineQuery<GiniParams, Gini>({
  name: 'gini',
  sql(ctx, params = {}) {
    const idle = boolParam('includeIdleAgents', params.includeIdleAgents, true)
      ? sql`UNION ALL SELECT 'agent', agent_id, 0::DOUBLE FROM (${idleAgentsSql(ctx)}) WHERE agent_id NOT IN (SELECT k FROM a)`
      : sql``;
    return sql`WITH a AS (SELECT agent_id AS k, count(*)::DOUBLE AS x FROM requests WHERE ${whereSql(ctx)} GROUP BY agent_id),
g AS (
  SELECT 'agent' AS level, k, x FROM a ${idle}
  UNION ALL SELECT 'user', user_id, count(*)::DOUBLE FROM requests WHERE ${whereSql(ctx)} GROUP BY user_id),
r AS (SELECT level, k, x, row_number() OVER (PARTITION BY level ORDER BY x, k) AS i,
  row_number() OVER (PARTITION BY level ORDER BY x DESC, k) AS d, count(*) OVER (PARTITION BY level) AS c FROM g)
SELECT level, count(*)::BIGINT AS n, sum(x)::DOUBLE AS total, sum(i * x)::DOUBLE AS weighted, max(x)::DOUBLE AS top_x,
  first(k ORDER BY x DESC, k) AS top_k, coalesce(sum(x) FILTER (WHERE 10 * d <= c + 9), 0)::DOUBLE AS decile_x
FROM r GROUP BY level ORDER BY level`;
  },
  transform(rows) {
    const conc = (level: string): Concentration => {
      const r = rows.find((x) => x.level === level);
      const n = num(r?.n);
      const total = num(r?.total);
      // d ≤ ⌈n/10⌉ ⇔ 10·d ≤ n + 9 (integers), as in the SQL.
      const topDecileCount = Math.ceil(n / 10);
      if (!r || n === 0 || total === 0)
        return { gini: null, n, total, topShare: null, top: r && n > 0 && total > 0 ? str(r.top_k) : null, topDecileCount, topDecileShare: null };
      return {
        gini: (2 * num(r.weighted)) / (n * total) - (n + 1) / n,
        n,
        total,
        topShare: pct(num(r.top_x), total),
        top: str(r.top_k),
        topDecileCount,
        topDecileShare: pct(num(r.decile_x), total),
      };
    };
    return { agents: conc('agent'), users: conc('user') };
  },
});

export interface HierarchyNode {
  /** 'department' | 'agent' | 'intent' (root: 'root'). */
  level: 'root' | 'department' | 'agent' | 'intent';
  /** Key within its parent (department id, agent id or intent). */
  key: string;
  /** Agent display name for agent nodes. */
  name: string;
  requests: number;
  users: number;
  cost: number;
  /** The registry's average quality score (0–10) of an agent node; null for other levels or when unknown. */
  quality: number | null;
  /** Share of all requests in %, rounded with largest remainder so each level sums to exactly 100. */
  share: number;
  /** Share of the parent's requests in %, largest remainder among siblings (sums to exactly 100). */
  shareOfParent: number;
  children: HierarchyNode[];
}

/**
 * Chart 2.6 — sunburst / treemap hierarchy department (of the request) → agent → intent with requests,
 * exact unique users and cost at every level (and the registry quality score of agents); shares per DA2.2 (largest remainder, one decimal).
 * Siblings are ordered by requests descending, then key.
 */
export const agentHierarchy = defineQuery<void, HierarchyNode>({
  name: 'agentHierarchy',
  sql(ctx) {
    return sql`SELECT h.department_id, h.agent_id, h.intent_category, h.requests, h.users, h.cost, coalesce(ag.agent_name, h.agent_id) AS agent_name,
  ag.quality_score_avg::DOUBLE AS quality
FROM (
  SELECT department_id, agent_id, intent_category, count(*)::BIGINT AS requests, count(DISTINCT user_id)::BIGINT AS users, sum(cost_usd)::DOUBLE AS cost
  FROM requests WHERE ${whereSql(ctx)}
  GROUP BY GROUPING SETS ((), (department_id), (department_id, agent_id), (department_id, agent_id, intent_category))) h
LEFT JOIN agents ag ON ag.agent_id = h.agent_id
ORDER BY h.department_id NULLS FIRST, h.agent_id NULLS FIRST, h.intent_category NULLS FIRST`;
  },
  transform(rows) {
    const mk = (level: HierarchyNode['level'], key: string, name: string, r: Record<string, unknown>): HierarchyNode => ({
      level,
      key,
      name,
      requests: num(r.requests),
      users: num(r.users),
      cost: num(r.cost),
      quality: level === 'agent' && r.quality !== null && r.quality !== undefined ? num(r.quality) : null,
      share: 0,
      shareOfParent: 0,
      children: [],
    });
    const rootRow = rows.find((r) => r.department_id === null && r.agent_id === null && r.intent_category === null);
    const root = mk('root', '', 'All', rootRow ?? {});
    const depts = new Map<string, HierarchyNode>();
    const agentsBy = new Map<string, HierarchyNode>();
    for (const r of rows) {
      if (r.department_id === null || r.department_id === undefined) continue;
      const d = str(r.department_id);
      if (r.agent_id === null) {
        const node = mk('department', d, d, r);
        depts.set(d, node);
        root.children.push(node);
      } else if (r.intent_category === null) {
        const node = mk('agent', str(r.agent_id), str(r.agent_name), r);
        agentsBy.set(`${d}\u0000${str(r.agent_id)}`, node);
        depts.get(d)?.children.push(node);
      } else {
        agentsBy.get(`${d}\u0000${str(r.agent_id)}`)?.children.push(mk('intent', str(r.intent_category), str(r.intent_category), r));
      }
    }
    const byRequests = (a: HierarchyNode, b: HierarchyNode) => b.requests - a.requests || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
    const levels: HierarchyNode[][] = [[], [], []];
    // Tie keys for the shares of a level: the node's path (department, agent, intent), joined with NUL
    // so that string order is the tuple order.
    const paths: string[][] = [[], [], []];
    const walk = (node: HierarchyNode, depth: number, path: string) => {
      node.children.sort(byRequests);
      const sh = largestRemainder(
        node.children.map((c) => c.requests),
        { keys: node.children.map((c) => c.key) },
      );
      node.children.forEach((c, i) => {
        c.shareOfParent = sh[i];
        levels[depth].push(c);
        paths[depth].push(depth === 0 ? c.key : `${path}\u0000${c.key}`);
        walk(c, depth + 1, paths[depth].at(-1)!);
      });
    };
    walk(root, 0, '');
    root.share = root.requests > 0 ? 100 : 0;
    root.shareOfParent = root.share;
    for (const [depth, level] of levels.entries()) {
      const sh = largestRemainder(
        level.map((c) => c.requests),
        { keys: paths[depth] },
      );
      level.forEach((c, i) => (c.share = sh[i]));
    }
    return root;
  },
});
