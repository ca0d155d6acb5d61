import { whereSql } from '../filters.js';
import { defineQuery, num } from '../module.js';
import { sql } from '../sql.js';
import { US_PER_HOUR, type Micros } from '../time.js';

export interface HourWeekdayCell {
  /** 0–23, UTC. */
  hour: number;
  /** ISO weekday, 1 = Monday … 7 = Sunday (UTC). */
  weekday: number;
  requests: number;
  /**
   * Hours of this weekday-hour inside the window (its exposure): every whole UTC hour counts 1, and a
   * partial first or last hour counts the fraction of it inside the window (a window from 09:30 gives
   * the 09:00 slot 0.5). A 7-day window that does not start on the hour therefore gives every slot
   * exactly 7, instead of counting the first and last half hours as two whole occurrences (which
   * halved that cell's average before issue 7).
   */
  occurrences: number;
  /** requests / occurrences: calls per hour of that slot; 0 when the slot does not occur in the window. */
  avg: number;
  /** Percentile rank of avg among the 168 cells in %: 100 · (cells with a smaller avg) / 167, ties share the lowest. */
  percentileRank: number;
}

const HOURS_PER_WEEK = 168;

/**
 * Where the UTC hours touched by [start, end) fall in the week, without listing them: the hours are
 * the consecutive indices H0 … H1 (hours since the epoch), and hour index h is hour-of-week
 * (h + 72) mod 168 (0 = Monday 00:00; 1970-01-01 00:00 was a Thursday, 72 hours after Monday 00:00).
 * So every slot occurs ⌊n / 168⌋ times, and the `n mod 168` slots that follow H0's slot once more.
 * Exact for any range (no per-hour table: a 24 × 7 grid over ten years costs the same as over a day).
 */
export function hourOfWeekSpan(
  start: Micros,
  end: Micros,
): { first: number; last: number; fullWeeks: number; extra: number; firstCut: number; lastCut: number } {
  const h0 = Math.floor(start / US_PER_HOUR);
  const h1 = Math.floor((end - 1) / US_PER_HOUR);
  const hours = Math.max(0, h1 - h0 + 1);
  const slot = (h: number) => (((h + 72) % HOURS_PER_WEEK) + HOURS_PER_WEEK) % HOURS_PER_WEEK;
  return {
    first: slot(h0),
    last: slot(h1),
    fullWeeks: Math.floor(hours / HOURS_PER_WEEK),
    extra: hours % HOURS_PER_WEEK,
    // The parts of the first and last touched hours that lie outside [start, end), in hours.
    firstCut: hours === 0 ? 0 : (start - h0 * US_PER_HOUR) / US_PER_HOUR,
    lastCut: hours === 0 ? 0 : ((h1 + 1) * US_PER_HOUR - end) / US_PER_HOUR,
  };
}

/**
 * Chart 2.16 — 24 × 7 heatmap: requests per UTC hour × ISO weekday in the filtered window, the average
 * per occurrence of that slot (request_count_avg) and its percentile rank. Always 168 cells, ordered by
 * weekday then hour; works for a window of any length.
 */
export const hourWeekday = defineQuery<void, HourWeekdayCell[]>({
  name: 'hourWeekday',
  sql(ctx) {
    const { first, last, fullWeeks, extra, firstCut, lastCut } = hourOfWeekSpan(ctx.range.start, ctx.range.end);
    // A slot is touched once more when its distance after the first hour's slot, mod 168, is < extra;
    // the first and last touched hours then give back the parts of them outside the window.
    return sql`WITH grid AS (SELECT h.hour, d.weekday, (weekday - 1) * 24 + hour AS s FROM range(24) h(hour) CROSS JOIN range(1, 8) d(weekday)),
occ AS (SELECT hour, weekday, ${fullWeeks} + CASE WHEN ((s - ${first}) % ${HOURS_PER_WEEK} + ${HOURS_PER_WEEK}) % ${HOURS_PER_WEEK} < ${extra} THEN 1 ELSE 0 END
    - CASE WHEN s = ${first} THEN ${firstCut}::DOUBLE ELSE 0 END - CASE WHEN s = ${last} THEN ${lastCut}::DOUBLE ELSE 0 END AS o FROM grid),
cnt AS (SELECT hour(ts) AS hour, isodow(ts) AS weekday, count(*) AS n FROM requests WHERE ${whereSql(ctx)} GROUP BY ALL),
cells AS (
  SELECT occ.hour, occ.weekday, coalesce(cnt.n, 0)::BIGINT AS requests, occ.o::DOUBLE AS occurrences,
    CASE WHEN occ.o <= 0 THEN 0::DOUBLE ELSE coalesce(cnt.n, 0)::DOUBLE / occ.o END AS avg
  FROM occ LEFT JOIN cnt ON cnt.hour = occ.hour AND cnt.weekday = occ.weekday)
SELECT hour::BIGINT AS hour, weekday::BIGINT AS weekday, requests, occurrences, avg, 100 * percent_rank() OVER (ORDER BY avg) AS pr
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
