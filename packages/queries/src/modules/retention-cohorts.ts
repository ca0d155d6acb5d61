import { sql, Sql } from '../sql.js';
import { US_PER_MS } from '../time.js';
import { ParamError, describeValue } from '../errors.js';
import { localTsOf, whereSql, type QueryContext } from '../filters.js';
import { defineQuery, num, str } from '../module.js';
import { intParam, page, ts, wallOf } from './shared.js';

export interface RetentionCell {
  /** Cohort month 'YYYY-MM' (month of users.first_seen_at, UTC or local in `ctx.timeZone`). */
  cohortMonth: string;
  /** Months since the cohort month (0 = the cohort month itself). */
  monthOffset: number;
  /** Users of the cohort active in month 0 under the filters. */
  cohortSize: number;
  /** Of those, users active (under the filters) in month cohort + offset. */
  retainedUsers: number;
  /** retainedUsers / cohortSize × 100, unrounded (DA2.3: the UI rounds for display only). */
  retentionPct: number;
  /** The month ends after the snapshot anchor (a partial month). */
  incomplete: boolean;
}

/**
 * Monthly activity of cohort members under the filters (all except time) over all history before the
 * snapshot anchor, with the cohort base c0 = users active in their first_seen month.
 */
export function cohortBaseSql(ctx: QueryContext): Sql {
  const first = sql`date_trunc('month', ${localTsOf(ctx, sql`u.first_seen_at`)})`;
  return sql`act AS (SELECT DISTINCT user_id, date_trunc('month', ${localTsOf(ctx)}) AS m FROM requests WHERE ${whereSql(ctx, { time: 'none' })} AND ts < ${ts(ctx.anchor)}),
c0 AS (SELECT u.user_id, ${first} AS cm FROM users u JOIN act ON act.user_id = u.user_id AND act.m = ${first})`;
}

/**
 * Chart 2.9 — monthly retention cohorts back to the first data (FR2.3). The time-range filter does not
 * apply (cohorts span all history); every other filter restricts the activity that counts. Cohort size
 * = users first seen in the month who were active in that month under the filters, so offset 0 is
 * always 100 % and cohorts whose users first appeared before the data start (no month-0 activity) are
 * omitted. Offsets run 0..(anchor month − cohort month), zero-filled; a cell is `incomplete` when its
 * month ends after the anchor.
 */
export const retentionCohorts = defineQuery<{ maxOffset?: number }, RetentionCell[]>({
  name: 'retentionCohorts',
  sql(ctx, params = {}) {
    const maxOffset = intParam('maxOffset', params.maxOffset, { def: 1200, min: 0, max: 1200 });
    const anchor = ts(wallOf(ctx, ctx.anchor));
    return sql`WITH ${cohortBaseSql(ctx)},
sizes AS (SELECT cm, count(*) AS size FROM c0 GROUP BY cm),
grid AS (SELECT cm, size, unnest(range(0, least(datediff('month', cm, date_trunc('month', ${anchor} - INTERVAL 1 MICROSECOND)), ${maxOffset}) + 1)) AS k FROM sizes),
ret AS (SELECT c0.cm, datediff('month', c0.cm, act.m) AS k, count(*) AS n FROM c0 JOIN act ON act.user_id = c0.user_id AND act.m >= c0.cm GROUP BY ALL)
SELECT strftime(grid.cm, '%Y-%m') AS cohort_month, grid.k::BIGINT AS month_offset, grid.size::BIGINT AS cohort_size,
  coalesce(ret.n, 0)::BIGINT AS retained, coalesce(ret.n, 0)::DOUBLE / grid.size * 100 AS pct,
  (grid.cm + to_months(grid.k::INTEGER) + INTERVAL 1 MONTH) > ${anchor} AS incomplete
FROM grid LEFT JOIN ret ON ret.cm = grid.cm AND ret.k = grid.k
ORDER BY cohort_month, month_offset`;
  },
  transform(rows) {
    return rows.map((r) => ({
      cohortMonth: str(r.cohort_month),
      monthOffset: num(r.month_offset),
      cohortSize: num(r.cohort_size),
      retainedUsers: num(r.retained),
      retentionPct: num(r.pct),
      incomplete: r.incomplete === true,
    }));
  },
});

export interface CohortUser {
  userId: string;
  departmentId: string | null;
  /** Requests (under the filters) in the cell's month. */
  requests: number;
  total: number;
}

/** Drill-down: the users of a cohort cell (cohort base users active in month cohort + offset). */
export const usersInCohortCell = defineQuery<{ cohortMonth: string; monthOffset: number; limit?: number; offset?: number }, CohortUser[]>({
  name: 'usersInCohortCell',
  sql(ctx, params) {
    if (typeof params?.cohortMonth !== 'string' || !/^\d{4}-(0[1-9]|1[0-2])$/.test(params.cohortMonth)) {
      throw new ParamError('cohortMonth', `cohortMonth must be 'YYYY-MM', got ${describeValue(params?.cohortMonth)}`, params?.cohortMonth);
    }
    const k = intParam('monthOffset', params.monthOffset, { def: 0, min: 0, max: 1200 });
    const [y, mo] = params.cohortMonth.split('-').map(Number);
    const cm = ts(Date.UTC(y, mo - 1, 1) * US_PER_MS);
    return sql`WITH f AS (SELECT user_id, ${ctx.timeZone ? sql`${localTsOf(ctx)} AS ts` : sql`ts`} FROM requests WHERE ${whereSql(ctx, { time: 'none' })} AND ts < ${ts(ctx.anchor)}),
c0 AS (SELECT u.user_id, u.department_id FROM users u
  WHERE date_trunc('month', ${localTsOf(ctx, sql`u.first_seen_at`)}) = ${cm}
    AND u.user_id IN (SELECT user_id FROM f WHERE ts >= ${cm} AND ts < ${cm} + INTERVAL 1 MONTH)),
m AS (SELECT user_id, count(*) AS n FROM f WHERE ts >= ${cm} + to_months(${k}) AND ts < ${cm} + to_months(${k + 1}) GROUP BY user_id)
SELECT c0.user_id, c0.department_id, m.n::BIGINT AS n, count(*) OVER ()::BIGINT AS total
FROM c0 JOIN m ON m.user_id = c0.user_id
ORDER BY m.n DESC, c0.user_id
${page(params)}`;
  },
  transform(rows) {
    return rows.map((r) => ({
      userId: str(r.user_id),
      departmentId: r.department_id === null || r.department_id === undefined ? null : str(r.department_id),
      requests: num(r.n),
      total: num(r.total),
    }));
  },
});
