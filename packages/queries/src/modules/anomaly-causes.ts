import { constant, join, literal, sql } from '../sql.js';
import { US_PER_MS, truncMicros, type Micros } from '../time.js';
import { ParamError, describeValue } from '../errors.js';
import { localTsOf, whereSql } from '../filters.js';
import { defineQuery, num, pct, str } from '../module.js';
import { MS_DAY, ts, wallOf } from './shared.js';

export interface AnomalyCausesParams {
  /** The (anomalous) day, `YYYY-MM-DD` (UTC, or local in `ctx.timeZone`). */
  date: string;
}

/** One dimension value's part in the day's change. */
export interface AnomalyCause {
  key: string;
  /** Requests on the day. */
  actual: number;
  /** Mean requests on the same weekday over the previous (up to) 4 weeks; 0 without history. */
  expected: number;
  /** actual − expected. */
  delta: number;
  /** delta / (total actual − total expected) in %; null when the total did not change. */
  contribution: number | null;
}

export interface AnomalyCauses {
  date: string;
  /** Same-weekday days averaged for `expected` (the previous 4 weeks that lie inside the data range). */
  weeks: number;
  /** Requests on the day and expected, over every value. */
  actual: number;
  expected: number;
  /** Top 5 values per dimension by |delta| (the same order as |contribution|), then key. */
  departments: AnomalyCause[];
  agents: AnomalyCause[];
  statuses: AnomalyCause[];
}

/** Values listed per dimension. */
export const ANOMALY_CAUSES_TOP = 5;
const HISTORY_WEEKS = 4;
const DIMS = [
  ['department', 'department_id', 'departments'],
  ['agent', 'agent_id', 'agents'],
  ['status', 'status', 'statuses'],
] as const;

function parseDay(date: unknown): number {
  if (
    typeof date !== 'string' ||
    !/^\d{4}-\d{2}-\d{2}$/.test(date) ||
    !Number.isFinite(Date.parse(`${date}T00:00:00Z`)) ||
    new Date(`${date}T00:00:00Z`).toISOString().slice(0, 10) !== date
  ) {
    throw new ParamError('date', `date must be a YYYY-MM-DD day, got ${describeValue(date)}`, date);
  }
  return Date.parse(`${date}T00:00:00Z`);
}

/**
 * Number of the previous 4 same-weekday days that start on or after the data's first day (`dataStart`
 * may be given as local wall-clock µs, see `wallOf`, to count local days).
 */
export function anomalyHistoryWeeks(date: string, dataStart: Micros): number {
  const day = parseDay(date);
  const first = truncMicros(dataStart, 'day') / US_PER_MS;
  let n = 0;
  for (let w = 1; w <= HISTORY_WEEKS; w++) if (day - 7 * w * MS_DAY >= first) n++;
  return n;
}

/**
 * Chart 2.5 "click an anomaly → likely causes": for the day `date` (UTC, or the local day of
 * `ctx.timeZone`: requests grouped by local day as in dailySeries, the history days local too), each department, agent and
 * request status's requests against its expectation (the mean of the same weekday over the previous
 * 4 weeks inside the data range, under the same filters except time), and its contribution
 * `(actual − expected) / (total actual − total expected)` in %. Top 5 per dimension by |actual − expected|.
 */
export const anomalyCauses = defineQuery<AnomalyCausesParams, AnomalyCauses>({
  name: 'anomalyCauses',
  sql(ctx, params) {
    const day = parseDay(params?.date);
    const weeks = anomalyHistoryWeeks(params.date, wallOf(ctx, ctx.dataStart));
    const days = [day, ...Array.from({ length: weeks }, (_, i) => day - 7 * (i + 1) * MS_DAY)].map((d) => ts(d * US_PER_MS));
    // In a zone the days are local (wall-clock bounds); an instant is within a day of its wall time,
    // so widening the instant bounds by a day keeps every request of those local days.
    const margin = ctx.timeZone ? MS_DAY : 0;
    const lo = ts((day - 7 * weeks * MS_DAY - margin) * US_PER_MS);
    const hi = ts((day + MS_DAY + margin) * US_PER_MS);
    const cur = ts(day * US_PER_MS);
    const local = localTsOf(ctx);
    // |actual − hist/weeks| ranks like |actual·weeks − hist| (integers: exact, no float ties).
    const gap = weeks === 0 ? sql`abs(actual)` : sql`abs(actual * ${weeks} - hist)`;
    return sql`WITH f AS (SELECT date_trunc('day', ${local}) = ${cur} AS cur, department_id, agent_id, status FROM requests
  WHERE ${whereSql(ctx, { time: 'none' })} AND ts >= ${lo} AND ts < ${hi} AND date_trunc('day', ${local}) IN (${join(days)})),
d AS (${join(
      DIMS.map(([dim, col]) => sql`SELECT ${literal(dim)} AS dim, coalesce(${constant(col)}, 'Unknown') AS key, cur FROM f`),
      '\nUNION ALL\n',
    )}),
g AS (SELECT dim, key, count(*) FILTER (WHERE cur) AS actual, count(*) FILTER (WHERE NOT cur) AS hist FROM d GROUP BY dim, key),
r AS (SELECT dim, key, actual, hist, row_number() OVER (PARTITION BY dim ORDER BY ${gap} DESC, key) AS rk FROM g)
SELECT 'total' AS dim, '' AS key, (count(*) FILTER (WHERE cur))::BIGINT AS actual, (count(*) FILTER (WHERE NOT cur))::BIGINT AS hist, 0::BIGINT AS rk FROM f
UNION ALL
SELECT dim, key, actual::BIGINT, hist::BIGINT, rk::BIGINT FROM r WHERE rk <= ${ANOMALY_CAUSES_TOP}
ORDER BY dim, rk`;
  },
  transform(rows, ctx, params) {
    const weeks = anomalyHistoryWeeks(params.date, wallOf(ctx, ctx.dataStart));
    const exp = (hist: number) => (weeks === 0 ? 0 : hist / weeks);
    const total = rows.find((r) => r.dim === 'total');
    const actual = num(total?.actual);
    const expected = exp(num(total?.hist));
    const change = actual - expected;
    const out: AnomalyCauses = { date: params.date, weeks, actual, expected, departments: [], agents: [], statuses: [] };
    for (const [dim, , field] of DIMS) {
      out[field] = rows
        .filter((r) => r.dim === dim)
        .sort((a, b) => num(a.rk) - num(b.rk))
        .map((r) => {
          const a = num(r.actual);
          const e = exp(num(r.hist));
          return { key: str(r.key), actual: a, expected: e, delta: a - e, contribution: pct(a - e, change) };
        });
    }
    return out;
  },
});
