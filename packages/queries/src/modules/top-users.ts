import { constant, join, sql, Sql } from '../sql.js';
import { whereSql, type QueryContext } from '../filters.js';
import { defineQuery, num, numOrNull, str } from '../module.js';
import { enumParam, page } from './shared.js';

/** Concentration at or above this share of a user's requests on one agent is "high" risk (PRD: 90 %). */
export const HIGH_CONCENTRATION = 90;

/**
 * Per-user stats over the filtered window: calls, cost, last activity, agents used, primary intent
 * (mode; ties broken alphabetically), top agent and its share of the user's calls (concentration),
 * and intent diversity = Shannon entropy of the user's intent distribution / ln(k), where k = number of
 * intent categories in the snapshot (all requests, unfiltered); 0 when k ≤ 1.
 */
export function userStatsSql(ctx: QueryContext): Sql {
  return sql`f AS (SELECT * FROM requests WHERE ${whereSql(ctx)}),
kk AS (SELECT count(DISTINCT intent_category) AS k FROM requests),
ui AS (SELECT user_id, intent_category, count(*) AS n FROM f GROUP BY ALL),
ua AS (SELECT user_id, agent_id, count(*) AS n FROM f GROUP BY ALL),
base AS (SELECT user_id, count(*) AS calls, sum(cost_usd)::DOUBLE AS cost, max(ts) AS last_ts, count(DISTINCT agent_id) AS agents_used FROM f GROUP BY user_id),
intents AS (
  SELECT ui.user_id, first(ui.intent_category ORDER BY ui.n DESC, ui.intent_category) AS primary_intent,
    count(*) AS intents_used,
    -sum((ui.n::DOUBLE / b.calls) * ln(ui.n::DOUBLE / b.calls)) AS entropy
  FROM ui JOIN base b ON b.user_id = ui.user_id GROUP BY ui.user_id),
agents_ AS (SELECT user_id, first(agent_id ORDER BY n DESC, agent_id) AS top_agent, max(n) AS top_n FROM ua GROUP BY user_id),
stats AS (
  SELECT b.user_id, b.calls, b.cost, b.last_ts, b.agents_used, i.primary_intent, i.intents_used, a.top_agent,
    (100 * a.top_n)::DOUBLE / b.calls AS concentration,
    CASE WHEN (SELECT k FROM kk) <= 1 THEN 0::DOUBLE ELSE i.entropy / ln((SELECT k FROM kk)::DOUBLE) END AS diversity
  FROM base b JOIN intents i ON i.user_id = b.user_id JOIN agents_ a ON a.user_id = b.user_id)`;
}

export const TOP_USER_SORTS = ['calls', 'cost', 'last_active', 'agents_used', 'concentration', 'diversity', 'user_id'] as const;
export type TopUserSort = (typeof TOP_USER_SORTS)[number];

export interface TopUsersParams {
  /** Page size (default 20). */
  limit?: number;
  offset?: number;
  sortBy?: TopUserSort;
  /** Default true except for user_id. */
  descending?: boolean;
}

export interface TopUser {
  rank: number;
  userId: string;
  /** PII: display name (may be null or redacted in the snapshot). */
  userName: string | null;
  /** Current department (users table). */
  departmentId: string | null;
  calls: number;
  primaryIntent: string;
  cost: number;
  /** cost / total cost of the filtered window in %, null when that total is 0. */
  costShare: number | null;
  topAgent: string;
  /** Share of the user's calls on their top agent in % ("high" risk at ≥ {@link HIGH_CONCENTRATION}). */
  concentration: number;
  risk: 'high' | 'normal';
  agentsUsed: number;
  lastActive: number;
  intentsUsed: number;
  /** Normalized Shannon entropy: an index 0–1 (not a share). */
  intentDiversity: number;
  /** Users in the filtered window (for "View all" paging). */
  totalUsers: number;
}

const SORT_SQL = {
  calls: 'calls',
  cost: 'cost',
  last_active: 'last_ts',
  agents_used: 'agents_used',
  concentration: 'concentration',
  diversity: 'diversity',
  user_id: 'user_id',
} as const satisfies Record<TopUserSort, string>;

/**
 * Chart 2.7 — top users (default 20 by calls, ties by user id) with department, primary intent, cost
 * and cost share, concentration risk (share of calls on the top agent; "high" ≥ 90 %), agents used,
 * last active and intent diversity. Sortable and pageable for the full user table.
 */
export const topUsers = defineQuery<TopUsersParams, TopUser[]>({
  name: 'topUsers',
  sql(ctx, params = {}) {
    const sortBy = enumParam('sortBy', params.sortBy, TOP_USER_SORTS, 'calls');
    const desc = params.descending ?? sortBy !== 'user_id';
    const dir = desc ? sql`DESC` : sql`ASC`;
    const order = sortBy === 'user_id' ? sql`s.user_id ${dir}` : sql`s.${constant(SORT_SQL[sortBy])} ${dir}, s.user_id`;
    return sql`WITH ${userStatsSql(ctx)},
total AS (SELECT sum(cost_usd)::DOUBLE AS c FROM f)
SELECT s.user_id, u.user_name, u.department_id, s.calls::BIGINT AS calls, s.primary_intent, s.cost, 100 * s.cost / nullif((SELECT c FROM total), 0) AS cost_share,
  s.top_agent, s.concentration, s.agents_used::BIGINT AS agents_used, epoch_ms(s.last_ts) AS last_ms, s.intents_used::BIGINT AS intents_used, s.diversity,
  count(*) OVER ()::BIGINT AS total_users
FROM stats s LEFT JOIN users u ON u.user_id = s.user_id
ORDER BY ${order}
${page(params, 20)}`;
  },
  transform(rows, _ctx, params = {}) {
    const offset = params.offset ?? 0;
    return rows.map((r, i) => ({
      rank: offset + i + 1,
      userId: str(r.user_id),
      userName: r.user_name === null || r.user_name === undefined ? null : str(r.user_name),
      departmentId: r.department_id === null || r.department_id === undefined ? null : str(r.department_id),
      calls: num(r.calls),
      primaryIntent: str(r.primary_intent),
      cost: num(r.cost),
      costShare: numOrNull(r.cost_share),
      topAgent: str(r.top_agent),
      concentration: num(r.concentration),
      risk: num(r.concentration) >= HIGH_CONCENTRATION ? 'high' : 'normal',
      agentsUsed: num(r.agents_used),
      lastActive: num(r.last_ms),
      intentsUsed: num(r.intents_used),
      intentDiversity: num(r.diversity),
      totalUsers: num(r.total_users),
    }));
  },
});

/** Diversity histogram bins: [0, 0.1), …, [0.9, 1.0]. */
export const DIVERSITY_BINS = 10;

export interface IntentDiversity {
  users: number;
  /** Number of intent categories in the snapshot (the entropy normalizer ln k). */
  categories: number;
  mean: number | null;
  /** Users per bin i = floor(10 · diversity + 1e-9) clamped to 9 (the guard keeps exact tenths in their bin). */
  histogram: { min: number; max: number; users: number }[];
  /** Normalized entropy of the pooled intent distribution of all filtered requests. */
  fleetDiversity: number | null;
}

/** Intent diversity per user (normalized Shannon entropy, see {@link userStatsSql}) and fleet-wide. */
export const intentDiversity = defineQuery<void, IntentDiversity>({
  name: 'intentDiversity',
  sql(ctx) {
    const bins = join(Array.from({ length: DIVERSITY_BINS }, (_, i) => sql`count(*) FILTER (WHERE least(floor(diversity * 10 + 1e-9), 9) = ${i})::DOUBLE`));
    return sql`WITH ${userStatsSql(ctx)},
fleet AS (SELECT sum(n) AS total FROM ui),
fi AS (SELECT intent_category, sum(n)::DOUBLE AS n FROM ui GROUP BY intent_category),
fe AS (SELECT -sum((n / (SELECT total FROM fleet)) * ln(n / (SELECT total FROM fleet))) AS h FROM fi)
SELECT count(*)::BIGINT AS users, (SELECT k FROM kk)::BIGINT AS k, avg(diversity) AS mean, [${bins}] AS bins,
  CASE WHEN (SELECT k FROM kk) <= 1 THEN 0::DOUBLE ELSE (SELECT h FROM fe) / ln((SELECT k FROM kk)::DOUBLE) END AS fleet
FROM stats
ORDER BY users`;
  },
  transform(rows) {
    const r = rows[0] ?? {};
    const users = num(r.users);
    const bins = Array.isArray(r.bins) ? (r.bins as unknown[]).map(num) : [];
    return {
      users,
      categories: num(r.k),
      mean: users === 0 ? null : numOrNull(r.mean),
      histogram: Array.from({ length: DIVERSITY_BINS }, (_, i) => ({ min: i / 10, max: (i + 1) / 10, users: bins[i] ?? 0 })),
      fleetDiversity: users === 0 ? null : numOrNull(r.fleet),
    };
  },
});
