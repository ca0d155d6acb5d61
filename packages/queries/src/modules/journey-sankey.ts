/**
 * Chart 2.11 — the user journey Sankey, aggregated in SQL so that the answer stays small (a few
 * hundred nodes and links) however many sessions there are.
 *
 * Each session of `sessions` (under {@link sessionWhereSql}) contributes a *window* of its
 * `agent_sequence`: at most `steps` (≤ {@link MAX_SESSION_STEPS}) consecutive agents, placed on columns
 * 1 … steps. Nodes are (column, agent), so loops A → B → A stay a DAG.
 *
 * - No anchor: the first `steps` agents, column j = position j.
 * - `anchor: {mode: 'start', agentId}`: sessions that contain the agent, re-aligned so that its
 *   *first* occurrence is column 1 (what users do once they reach the agent; sessions that begin with
 *   it are a subset and look the same). Agents before it are not shown (`earlier` counts them).
 * - `anchor: {mode: 'end', agentId}`: sessions that contain the agent, cut after its *last* occurrence
 *   and aligned to the end: that occurrence is column `steps` (how users get to the agent). Sessions
 *   with more agents before it than fit start at column 1 (`earlier`); shorter ones start later.
 *
 * Where a window reaches the session's end, the session leaves to the *exit node of that column*
 * (one node per column, its exit reasons — completed, user_abandoned, error, timeout — broken down
 * on the node and on each link into it). Where the session goes on beyond the window (longer than
 * the steps shown; in end mode: went on after the agent), it leaves to one *continues* node after the
 * last column. So every session enters once and leaves once: flows are conserved.
 *
 * Per column only the `topN` agents with the most sessions there are nodes (ties: agent id); the rest
 * are rolled into that column's *other* node — ranked in SQL, so a drill-down can select the same
 * sessions again ({@link journeySessions}). Every node and link carries sessions and distinct users;
 * `allUsers` (users with a session under the filters, before any anchor) is the denominator of the
 * users' percentages.
 */
import type { QueryContext } from '../filters.js';
import { ParamError } from '../errors.js';
import { defineQuery, num, pct, str } from '../module.js';
import { literal, sql, type Sql } from '../sql.js';
import { MAX_SESSION_STEPS, sessionWhereSql } from './session-transitions.js';
import { enumParam, intParam, page, stringParam } from './shared.js';

export const JOURNEY_DEFAULT_TOP_N = 8;
export const JOURNEY_DEFAULT_STEPS = 10;
export const JOURNEY_MAX_TOP_N = 50;

export type JourneyAnchorMode = 'start' | 'end';

export interface JourneyAnchor {
  mode: JourneyAnchorMode;
  agentId: string;
}

export interface JourneyParams {
  /** Agents kept per column (1 … 50, default 8); the rest become the column's "other" node. */
  topN?: number;
  /** Columns shown (1 … 20, default 10). */
  steps?: number;
  /** Journeys from (start) or to (end) an agent; none: from the session's start. */
  anchor?: JourneyAnchor | null;
}

export type JourneyNodeKind = 'agent' | 'other' | 'exit' | 'continues';

export interface JourneyReasonCount {
  reason: string;
  sessions: number;
  users: number;
}

export interface JourneyNode {
  /** `a:<step>:<agent>`, `o:<step>`, `x:<step>` (exit after step), `c` (continues). */
  id: string;
  kind: JourneyNodeKind;
  /** The step (column) of an agent or other node; for an exit node the step sessions exit after; for continues the last step. */
  step: number;
  /** The drawing column (1-based): the step for agent and other nodes, step + 1 for exits and continues. */
  column: number;
  /** The agent id (agent nodes), else null. */
  agentId: string | null;
  sessions: number;
  users: number;
  /** Of `allUsers` (null without users). */
  usersPct: number | null;
  /** Other nodes: how many agents were rolled into it. */
  otherAgents: number;
  /** Exit nodes: per reason (sessions desc, then reason). */
  reasons: JourneyReasonCount[];
}

export interface JourneyLink {
  source: string;
  target: string;
  /** The source node's step. */
  step: number;
  sessions: number;
  users: number;
  usersPct: number | null;
  /** Links into an exit node: per reason (sessions desc, then reason). */
  reasons: JourneyReasonCount[];
}

export interface JourneySankey {
  steps: number;
  topN: number;
  anchor: JourneyAnchor | null;
  /** Sessions and distinct users drawn (after the anchor). */
  sessions: number;
  users: number;
  /** Sessions and users under the filters before the anchor (non-empty sequences): the % base. */
  allSessions: number;
  allUsers: number;
  /** Sessions going on beyond the window (into the continues node). */
  continued: number;
  /** Sessions with agents before the window (re-aligned or cut; not shown). */
  earlier: number;
  /** Agent and other nodes by step, then sessions desc (other last), then id; then exits by step; continues last. */
  nodes: JourneyNode[];
  /** Agent → agent links by step, then into exits, then into continues; each by sessions desc, source, target. */
  links: JourneyLink[];
}

/** Validated view parameters (shared by the chart's query and its drill-down). */
export function journeyView(params: JourneyParams | undefined): { topN: number; steps: number; anchor: JourneyAnchor | null } {
  const topN = intParam('topN', params?.topN, { def: JOURNEY_DEFAULT_TOP_N, min: 1, max: JOURNEY_MAX_TOP_N });
  const steps = intParam('steps', params?.steps, { def: JOURNEY_DEFAULT_STEPS, min: 1, max: MAX_SESSION_STEPS });
  const a = params?.anchor;
  if (a === undefined || a === null) return { topN, steps, anchor: null };
  if (typeof a !== 'object') throw new ParamError('anchor', `anchor must be {mode, agentId}, got ${typeof a}`, a);
  return {
    topN,
    steps,
    anchor: { mode: enumParam('anchor.mode', a.mode, ['start', 'end'] as const, 'start'), agentId: stringParam('anchor.agentId', a.agentId) },
  };
}

/**
 * The CTEs both modules share: `s0` sessions under the filters, `w` one window per session
 * (o = first index shown, k = agents shown, shift = column of index o minus 1, ended = the window
 * reaches the session's end), `st` one row per shown agent, `rk` agents ranked per column, `ms` the
 * shown agents mapped to their node (NULL = the column's other node), `fin` each session's last column.
 */
function windowCtes(ctx: QueryContext, view: ReturnType<typeof journeyView>): Sql {
  const S = view.steps;
  const N = view.topN;
  const a = view.anchor;
  const X = a ? literal(a.agentId) : sql`NULL`;
  // p: index of the anchor's occurrence (first for start, last for end).
  const p = !a ? sql`1` : a.mode === 'start' ? sql`list_position(seq, ${X})` : sql`(n - list_position(list_reverse(seq), ${X}) + 1)`;
  const win = !a
    ? sql`1 AS o, least(n, ${S}) AS k, 0 AS shift`
    : a.mode === 'start'
      ? sql`p AS o, least(n - p + 1, ${S}) AS k, 0 AS shift`
      : sql`greatest(1, p - ${S} + 1) AS o, p - greatest(1, p - ${S} + 1) + 1 AS k, ${S} - (p - greatest(1, p - ${S} + 1) + 1) AS shift`;
  return sql`s0 AS (SELECT session_id, user_id, session_start, agent_sequence AS seq, len(agent_sequence) AS n, coalesce(exit_reason, 'unknown') AS exit_reason
  FROM sessions WHERE ${sessionWhereSql(ctx)} AND len(agent_sequence) > 0),
w AS MATERIALIZED (SELECT *, o + k - 1 = n AS ended FROM (SELECT *, ${win} FROM (SELECT *, ${p} AS p FROM s0 ${a ? sql`WHERE list_contains(seq, ${X})` : sql``}))),
st AS MATERIALIZED (SELECT session_id, user_id, shift + j AS col, seq[o + j - 1] AS agent, CASE WHEN j < k THEN seq[o + j] END AS next_agent, j = k AS last, ended,
  CASE WHEN ended THEN exit_reason END AS reason FROM (SELECT session_id, user_id, seq, o, k, shift, ended, exit_reason, unnest(range(1, k + 1)) AS j FROM w)),
rk AS (SELECT col, agent, row_number() OVER (PARTITION BY col ORDER BY count(*) DESC, agent) AS r FROM st GROUP BY col, agent),
ms AS MATERIALIZED (SELECT st.session_id, st.user_id, st.col, CASE WHEN r1.r <= ${N} THEN st.agent END AS node, st.last, st.ended, st.reason,
  st.next_agent IS NOT NULL AS has_next, CASE WHEN r2.r <= ${N} THEN st.next_agent END AS next_node
  FROM st JOIN rk r1 ON r1.col = st.col AND r1.agent = st.agent LEFT JOIN rk r2 ON r2.col = st.col + 1 AND r2.agent = st.next_agent)`;
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Node ids (see {@link JourneyNode.id}). */
export const journeyNodeId = {
  agent: (step: number, agentId: string) => `a:${step}:${agentId}`,
  other: (step: number) => `o:${step}`,
  exit: (step: number) => `x:${step}`,
  continues: () => 'c',
};

export const journeySankey = defineQuery<JourneyParams | undefined, JourneySankey>({
  name: 'journeySankey',
  sql(ctx, params) {
    const view = journeyView(params);
    return sql`WITH ${windowCtes(ctx, view)}
SELECT 'node' AS kind, col::BIGINT AS step, node AS source, count(*)::BIGINT AS sessions, count(DISTINCT user_id)::BIGINT AS users FROM ms GROUP BY col, node
UNION ALL BY NAME
SELECT 'other' AS kind, col::BIGINT AS step, count(*)::BIGINT AS sessions FROM rk WHERE r > ${view.topN} GROUP BY col
UNION ALL BY NAME
SELECT 'link' AS kind, col::BIGINT AS step, node AS source, next_node AS target, count(*)::BIGINT AS sessions, count(DISTINCT user_id)::BIGINT AS users
FROM ms WHERE has_next GROUP BY col, node, next_node
UNION ALL BY NAME
SELECT 'end' AS kind, col::BIGINT AS step, node AS source, ended, reason AS target, grouping(node)::BIGINT AS g_node, grouping(reason)::BIGINT AS g_reason,
  count(*)::BIGINT AS sessions, count(DISTINCT user_id)::BIGINT AS users
FROM ms WHERE last
GROUP BY GROUPING SETS ((col, ended, node, reason), (col, ended, node), (col, ended, reason), (col, ended))
UNION ALL BY NAME
SELECT 'summary' AS kind, count(*)::BIGINT AS sessions, count(DISTINCT user_id)::BIGINT AS users, count(*) FILTER (WHERE NOT ended)::BIGINT AS continued,
  count(*) FILTER (WHERE o > 1)::BIGINT AS earlier, (SELECT count(*) FROM s0)::BIGINT AS all_sessions, (SELECT count(DISTINCT user_id) FROM s0)::BIGINT AS all_users FROM w
ORDER BY kind, step, ended, g_node, g_reason, source NULLS LAST, target NULLS LAST`;
  },
  transform(rows, _ctx, params) {
    const view = journeyView(params);
    const summary = rows.find((r) => r.kind === 'summary') ?? {};
    const allUsers = num(summary.all_users);
    const share = (users: number) => pct(users, allUsers);
    const nodes = new Map<string, JourneyNode>();
    const links = new Map<string, JourneyLink>();
    const otherCount = new Map<number, number>();
    const idOf = (step: number, agent: string | null) => (agent === null ? journeyNodeId.other(step) : journeyNodeId.agent(step, agent));
    const mk = (id: string, kind: JourneyNodeKind, step: number, column: number, agentId: string | null): JourneyNode => ({
      id,
      kind,
      step,
      column,
      agentId,
      sessions: 0,
      users: 0,
      usersPct: null,
      otherAgents: 0,
      reasons: [],
    });
    const link = (source: string, target: string, step: number): JourneyLink => {
      const k = `${source}\u0000${target}`;
      let l = links.get(k);
      if (!l) links.set(k, (l = { source, target, step, sessions: 0, users: 0, usersPct: null, reasons: [] }));
      return l;
    };
    const agentOrNull = (v: unknown) => (v === null || v === undefined ? null : str(v));
    for (const r of rows) {
      const step = num(r.step);
      if (r.kind === 'node') {
        const agent = agentOrNull(r.source);
        const id = idOf(step, agent);
        const n = mk(id, agent === null ? 'other' : 'agent', step, step, agent);
        n.sessions = num(r.sessions);
        n.users = num(r.users);
        n.usersPct = share(n.users);
        nodes.set(id, n);
      } else if (r.kind === 'other') {
        otherCount.set(step, num(r.sessions));
      } else if (r.kind === 'link') {
        const l = link(idOf(step, agentOrNull(r.source)), idOf(step + 1, agentOrNull(r.target)), step);
        l.sessions = num(r.sessions);
        l.users = num(r.users);
        l.usersPct = share(l.users);
      } else if (r.kind === 'end') {
        const ended = r.ended === true;
        const target = ended ? journeyNodeId.exit(step) : journeyNodeId.continues();
        const gNode = num(r.g_node) === 1;
        const gReason = num(r.g_reason) === 1;
        const counts = { sessions: num(r.sessions), users: num(r.users) };
        if (gNode) {
          let n = nodes.get(target);
          if (!n) nodes.set(target, (n = mk(target, ended ? 'exit' : 'continues', ended ? step : view.steps, ended ? step + 1 : view.steps + 1, null)));
          if (gReason) {
            n.sessions += counts.sessions;
            n.users += counts.users;
            n.usersPct = share(n.users);
          } else if (ended) n.reasons.push({ reason: str(r.target), ...counts });
        } else {
          const l = link(idOf(step, agentOrNull(r.source)), target, step);
          if (gReason) {
            l.sessions = counts.sessions;
            l.users = counts.users;
            l.usersPct = share(l.users);
          } else if (ended) l.reasons.push({ reason: str(r.target), ...counts });
        }
      }
    }
    for (const [step, c] of otherCount) {
      const n = nodes.get(journeyNodeId.other(step));
      if (n) n.otherAgents = c;
    }
    const byReason = (a: JourneyReasonCount, b: JourneyReasonCount) => b.sessions - a.sessions || cmp(a.reason, b.reason);
    const kindRank: Record<JourneyNodeKind, number> = { agent: 0, other: 1, exit: 2, continues: 3 };
    const nodeList = [...nodes.values()].sort(
      (a, b) =>
        (a.kind === 'exit' || a.kind === 'continues' ? 1 : 0) - (b.kind === 'exit' || b.kind === 'continues' ? 1 : 0) ||
        a.step - b.step ||
        kindRank[a.kind] - kindRank[b.kind] ||
        b.sessions - a.sessions ||
        cmp(a.id, b.id),
    );
    for (const n of nodeList) n.reasons.sort(byReason);
    const targetRank = (id: string) => (id === 'c' ? 2 : id.startsWith('x:') ? 1 : 0);
    const linkList = [...links.values()].sort(
      (a, b) => targetRank(a.target) - targetRank(b.target) || a.step - b.step || b.sessions - a.sessions || cmp(a.source, b.source) || cmp(a.target, b.target),
    );
    for (const l of linkList) l.reasons.sort(byReason);
    return {
      steps: view.steps,
      topN: view.topN,
      anchor: view.anchor,
      sessions: num(summary.sessions),
      users: num(summary.users),
      allSessions: num(summary.all_sessions),
      allUsers,
      continued: num(summary.continued),
      earlier: num(summary.earlier),
      nodes: nodeList,
      links: linkList,
    };
  },
});

/** Which link (or node) a drill-down selects. */
export interface JourneyLinkRef {
  /** The source node's step. */
  step: number;
  /** The source agent; null = the step's other node. */
  source: string | null;
  /** Any node at `step` (the whole exit or continues node), ignoring `source`. */
  anySource?: boolean;
  /**
   * Into an agent (`target` = its id, null = the next step's other node), the exit node (`target` = a
   * reason, or null for any), continues, or `through`: every session at the source node (a node's sessions).
   */
  targetKind: 'agent' | 'exit' | 'continues' | 'through';
  target: string | null;
}

export interface JourneySessionsParams extends JourneyParams, JourneyLinkRef {
  limit?: number;
  offset?: number;
}

export interface JourneySession {
  sessionId: string;
  userId: string;
  /** Epoch ms. */
  start: number;
  /** Agents in the whole session. */
  length: number;
  exitReason: string;
  /** The whole agent sequence. */
  path: string[];
  /** Sessions behind the link. */
  total: number;
}

/**
 * The drill-down of a journey link: the sessions that made it under the same view (filters, steps,
 * top N, anchor — so "other" means the same agents), latest first (start desc, session id), paged;
 * `total` = all of them.
 */
/** `WITH …` the sessions (all `s0` columns) behind a link (see {@link JourneyLinkRef}). */
function linkSessionsSql(ctx: QueryContext, params: JourneySessionsParams | undefined): Sql {
  const view = journeyView(params);
  const step = intParam('step', params?.step, { def: 1, min: 1, max: view.steps });
  const kind = enumParam('targetKind', params?.targetKind, ['agent', 'exit', 'continues', 'through'] as const, 'agent');
  const src =
    params?.anySource === true
      ? sql`TRUE`
      : params?.source === null || params?.source === undefined
        ? sql`a.node IS NULL`
        : sql`a.node = ${literal(stringParam('source', params.source))}`;
  let hit: Sql;
  if (kind === 'through') {
    hit = sql`SELECT a.session_id FROM ms a WHERE a.col = ${step} AND ${src}`;
  } else if (kind === 'agent') {
    if (step >= view.steps) throw new ParamError('step', `step must be below steps (${view.steps}) for a link into an agent, got ${step}`, step);
    const tgt =
      params?.target === null || params?.target === undefined ? sql`a.next_node IS NULL` : sql`a.next_node = ${literal(stringParam('target', params.target))}`;
    hit = sql`SELECT a.session_id FROM ms a WHERE a.col = ${step} AND ${src} AND a.has_next AND ${tgt}`;
  } else {
    const reason =
      kind === 'exit' && params?.target !== null && params?.target !== undefined
        ? sql` AND a.reason = ${literal(stringParam('target', params.target))}`
        : sql``;
    hit = sql`SELECT a.session_id FROM ms a WHERE a.col = ${step} AND ${src} AND a.last AND ${kind === 'exit' ? sql`a.ended` : sql`NOT a.ended`}${reason}`;
  }
  return sql`WITH ${windowCtes(ctx, view)}
SELECT s.* FROM s0 s WHERE s.session_id IN (${hit})`;
}

/**
 * The drill-down of a journey link: the sessions that made it under the same view (filters, steps,
 * top N, anchor — so "other" means the same agents), latest first (start desc, session id), paged;
 * `total` = all of them.
 */
export const journeySessions = defineQuery<JourneySessionsParams, JourneySession[]>({
  name: 'journeySessions',
  sql(ctx, params) {
    return sql`SELECT session_id, user_id, epoch_ms(session_start)::DOUBLE AS start_ms, n::BIGINT AS n, exit_reason, seq AS path, count(*) OVER ()::BIGINT AS total
FROM (${linkSessionsSql(ctx, params)})
ORDER BY session_start DESC, session_id
${page(params)}`;
  },
  transform(rows) {
    return rows.map((r) => ({
      sessionId: str(r.session_id),
      userId: str(r.user_id),
      start: num(r.start_ms),
      length: num(r.n),
      exitReason: str(r.exit_reason),
      path: ((r.path as unknown[] | null) ?? []).map(str),
      total: num(r.total),
    }));
  },
});

/** Users behind a journey link (for "save as segment"): distinct user ids, sorted; at most `limit` (default 10,000). */
export const journeyLinkUsers = defineQuery<JourneySessionsParams, string[]>({
  name: 'journeyLinkUsers',
  sql(ctx, params) {
    const limit = intParam('limit', params?.limit, { def: 10_000, min: 1, max: 100_000 });
    return sql`SELECT DISTINCT user_id FROM (${linkSessionsSql(ctx, params)}) ORDER BY user_id LIMIT ${limit}`;
  },
  transform(rows) {
    return rows.map((r) => str(r.user_id));
  },
});
