import { sql } from '../sql.js';
import { whereSql } from '../filters.js';
import { defineQuery, num, pct } from '../module.js';

export interface KpiValue {
  value: number;
  previous: number;
  /** Change vs the previous period in % of the previous value (−100 … ∞), null when the previous value is 0. */
  delta: number | null;
}

export interface Kpis {
  totalCalls: KpiValue;
  uniqueUsers: KpiValue;
  activeAgents: KpiValue;
  avgCallsPerUser: KpiValue;
}

const kpi = (value: number, previous: number): KpiValue => ({ value, previous, delta: pct(value - previous, previous) });

/** KPI cards: total API calls, exact unique users, active agents, average calls per user, each with its previous-period delta. */
export const kpis = defineQuery<void, Kpis>({
  name: 'kpis',
  sql(ctx) {
    const cur = whereSql(ctx, { time: 'current' });
    const prev = whereSql(ctx, { time: 'previous' });
    return sql`SELECT 'current' AS period, count(*)::BIGINT AS calls, count(DISTINCT user_id)::BIGINT AS users, count(DISTINCT agent_id)::BIGINT AS agents FROM requests WHERE ${cur}
UNION ALL
SELECT 'previous', count(*)::BIGINT, count(DISTINCT user_id)::BIGINT, count(DISTINCT agent_id)::BIGINT FROM requests WHERE ${prev}
ORDER BY period`;
  },
  transform(rows) {
    const c = rows.find((r) => r.period === 'current') ?? {};
    const p = rows.find((r) => r.period === 'previous') ?? {};
    const avg = (calls: number, users: number) => (users === 0 ? 0 : calls / users);
    return {
      totalCalls: kpi(num(c.calls), num(p.calls)),
      uniqueUsers: kpi(num(c.users), num(p.users)),
      activeAgents: kpi(num(c.agents), num(p.agents)),
      avgCallsPerUser: kpi(avg(num(c.calls), num(c.users)), avg(num(p.calls), num(p.users))),
    };
  },
});
