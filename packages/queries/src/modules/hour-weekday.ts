import { sql } from '../sql.js';
import { whereSql } from '../filters.js';
import { defineQuery, num } from '../module.js';
import { bucketTable } from './shared.js';

export interface HourWeekdayCell {
  /** 0–23, UTC. */
  hour: number;
  /** ISO weekday, 1 = Monday … 7 = Sunday (UTC). */
  weekday: number;
  requests: number;
  /** How many times this weekday-hour occurs in the window (UTC hours the window touches). */
  occurrences: number;
  /** requests / occurrences; 0 when the slot does not occur in the window. */
  avg: number;
  /** percent_rank of avg among the 168 cells: (cells with a smaller avg) / 167, ties share the lowest. */
  percentileRank: number;
}

/**
 * Chart 2.16 — 24 × 7 heatmap: requests per UTC hour × ISO weekday in the filtered window, the average
 * per occurrence of that slot (request_count_avg) and its percentile rank. Always 168 cells, ordered by
 * weekday then hour.
 */
export const hourWeekday = defineQuery<void, HourWeekdayCell[]>({
  name: 'hourWeekday',
  sql(ctx) {
    return sql`WITH hrs AS ${bucketTable('hour', ctx.range.start, ctx.range.end)},
occ AS (SELECT hour(b) AS hour, isodow(b) AS weekday, count(*) AS o FROM hrs GROUP BY ALL),
cnt AS (SELECT hour(ts) AS hour, isodow(ts) AS weekday, count(*) AS n FROM requests WHERE ${whereSql(ctx)} GROUP BY ALL),
grid AS (SELECT h.hour, d.weekday FROM range(24) h(hour) CROSS JOIN range(1, 8) d(weekday)),
cells AS (
  SELECT grid.hour, grid.weekday, coalesce(cnt.n, 0)::BIGINT AS requests, coalesce(occ.o, 0)::BIGINT AS occurrences,
    CASE WHEN coalesce(occ.o, 0) = 0 THEN 0::DOUBLE ELSE coalesce(cnt.n, 0)::DOUBLE / occ.o END AS avg
  FROM grid LEFT JOIN occ ON occ.hour = grid.hour AND occ.weekday = grid.weekday
  LEFT JOIN cnt ON cnt.hour = grid.hour AND cnt.weekday = grid.weekday)
SELECT hour::BIGINT AS hour, weekday::BIGINT AS weekday, requests, occurrences, avg, percent_rank() OVER (ORDER BY avg) AS pr
FROM cells
ORDER BY weekday, hour`;
  },
  transform(rows) {
    return rows.map((r) => ({
      hour: num(r.hour),
      weekday: num(r.weekday),
      requests: num(r.requests),
      occurrences: num(r.occurrences),
      avg: num(r.avg),
      percentileRank: num(r.pr),
    }));
  },
});
