import { sharedSegmentsSql, type QueryContext } from '../filters.js';
import { savedSegmentsCondition } from '../saved-segments.js';
import { defineQuery, num, str } from '../module.js';
import { and, list, sql, Sql, varcharList } from '../sql.js';
import { intParam, ts } from './shared.js';

/** FR2.6: the Sankey shows at most 20 agents of a session (19 transitions), then its exit. */
export const MAX_SESSION_STEPS = 20;

/**
 * The filters as they apply to the `sessions` table: time on session_start, department, environment,
 * user ids, user segment, saved segments; agent ids / agent statuses keep sessions whose sequence contains such an agent.
 * Intent, provider, model family and request status have no session-level meaning and are ignored.
 */
export function sessionWhereSql(ctx: QueryContext): Sql {
  const f = ctx.filters;
  const c = [sql`session_start >= ${ts(ctx.range.start)}`, sql`session_start < ${ts(ctx.range.end)}`];
  if (f.departments.length > 0) c.push(sql`department_id IN ${list(f.departments)}`);
  if (f.environments.length > 0) c.push(sql`environment IN ${list(f.environments)}`);
  if (f.userIds.length > 0) c.push(sql`user_id IN ${list(f.userIds)}`);
  if (f.userSegments.length > 0) c.push(sql`user_id IN (SELECT user_id FROM ${sharedSegmentsSql(ctx.range)} AS seg WHERE segment IN ${list(f.userSegments)})`);
  const saved = savedSegmentsCondition(f.savedSegments ?? [], ctx.anchor);
  if (saved) c.push(saved);
  if (f.agentIds.length > 0) c.push(sql`list_has_any(agent_sequence, ${varcharList(f.agentIds)})`);
  if (f.agentStatuses.length > 0) {
    c.push(sql`list_has_any(agent_sequence, (SELECT coalesce(list(agent_id), []::VARCHAR[]) FROM agents WHERE agent_status IN ${list(f.agentStatuses)}))`);
  }
  return and(c);
}

export interface SankeyNode {
  /** `${step}:${agent}` for agent nodes, `exit:${reason}` for exits. */
  id: string;
  /** 1-based position in the session (exits: after the last shown step). */
  step: number;
  /** Agent id or exit reason. */
  label: string;
  kind: 'agent' | 'exit';
}

export interface SankeyLink {
  source: string;
  target: string;
  /** Sessions that made this transition. */
  sessions: number;
}

export interface SessionTransitions {
  sessions: number;
  /** Sessions longer than MAX_SESSION_STEPS (shown truncated). */
  truncated: number;
  /** Mean agent_sequence length (untruncated), null without sessions. */
  avgLength: number | null;
  nodes: SankeyNode[];
  /** A DAG: links go from step i to step i + 1, or from the last shown step to an exit node. */
  links: SankeyLink[];
  /** Most frequent (truncated) agent paths: count desc, then path. */
  topPaths: { path: string[]; sessions: number }[];
}

/**
 * Chart 2.11 — user journey Sankey from `sessions.agent_sequence` (non-empty sequences only). Nodes are
 * keyed by (step, agent) so the graph is acyclic even when users loop between agents; links count
 * sessions making step i → i + 1, and each session's last shown step links to its exit reason.
 */
export const sessionTransitions = defineQuery<{ topPaths?: number }, SessionTransitions>({
  name: 'sessionTransitions',
  sql(ctx, params = {}) {
    const top = intParam('topPaths', params.topPaths, { def: 10, min: 0, max: 1000 });
    const M = MAX_SESSION_STEPS;
    return sql`WITH s AS (SELECT session_id, agent_sequence AS seq, len(agent_sequence) AS n, exit_reason FROM sessions WHERE ${sessionWhereSql(ctx)} AND len(agent_sequence) > 0),
steps AS (SELECT session_id, i, seq[i] AS agent FROM (SELECT session_id, seq, unnest(range(1, least(n, ${M}) + 1)) AS i FROM s))
SELECT 'link' AS kind, a.i::BIGINT AS source_step, a.agent AS source, b.i::BIGINT AS target_step, b.agent AS target, count(*)::BIGINT AS sessions
FROM steps a JOIN steps b ON b.session_id = a.session_id AND b.i = a.i + 1
GROUP BY a.i, a.agent, b.i, b.agent
UNION ALL BY NAME
SELECT 'exit' AS kind, least(n, ${M})::BIGINT AS source_step, seq[least(n, ${M})] AS source, exit_reason AS target, count(*)::BIGINT AS sessions
FROM s GROUP BY ALL
UNION ALL BY NAME
SELECT 'path' AS kind, path, sessions FROM (
  SELECT seq[1:${M}] AS path, count(*)::BIGINT AS sessions FROM s GROUP BY path ORDER BY sessions DESC, path LIMIT ${top})
UNION ALL BY NAME
SELECT 'summary' AS kind, count(*)::BIGINT AS sessions, count(*) FILTER (WHERE n > ${M})::BIGINT AS truncated, avg(n)::DOUBLE AS avg_length FROM s
ORDER BY kind, source_step, source, target_step, target, sessions DESC, path`;
  },
  transform(rows) {
    const nodes = new Map<string, SankeyNode>();
    const links: SankeyLink[] = [];
    const topPaths: { path: string[]; sessions: number }[] = [];
    let summary: Record<string, unknown> = {};
    const agentNode = (step: number, agent: string) => {
      const id = `${step}:${agent}`;
      if (!nodes.has(id)) nodes.set(id, { id, step, label: agent, kind: 'agent' });
      return id;
    };
    for (const r of rows) {
      if (r.kind === 'link') {
        links.push({ source: agentNode(num(r.source_step), str(r.source)), target: agentNode(num(r.target_step), str(r.target)), sessions: num(r.sessions) });
      } else if (r.kind === 'exit') {
        const id = `exit:${str(r.target)}`;
        if (!nodes.has(id)) nodes.set(id, { id, step: MAX_SESSION_STEPS + 1, label: str(r.target), kind: 'exit' });
        links.push({ source: agentNode(num(r.source_step), str(r.source)), target: id, sessions: num(r.sessions) });
      } else if (r.kind === 'path') {
        topPaths.push({ path: (r.path as unknown[]).map(str), sessions: num(r.sessions) });
      } else if (r.kind === 'summary') {
        summary = r;
      }
    }
    topPaths.sort((a, b) => b.sessions - a.sessions);
    const sessions = num(summary.sessions);
    const nodeList = [...nodes.values()].sort((a, b) => a.step - b.step || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
    return { sessions, truncated: num(summary.truncated), avgLength: sessions === 0 ? null : num(summary.avg_length), nodes: nodeList, links, topPaths };
  },
});
