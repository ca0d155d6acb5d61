import { whereSql } from '../filters.js';
import { defineQuery, num } from '../module.js';
import { sql } from '../sql.js';
import { US_PER_HOUR, type Micros } from '../time.js';
import { HOURS_PER_WEEK, hourOfWeek, isUtcZone, localOccurrences, segmentAt, timeZoneParam, zoneGrain, zoneSegments } from '../time-zone.js';
import type { Row } from '../module.js';

export interface HourWeekdayParams {
  /**
   * IANA time zone of the hours and weekdays (default `UTC`), e.g. `Europe/Berlin`: exact across DST
   * (a spring-forward hour occurs 0 times that week, a fall-back hour twice) and for half-hour zones.
   * An unknown zone is a ParamError.
   */
  timeZone?: string;
}

export interface HourWeekdayCell {
  /** 0–23, in the time zone asked for (UTC by default). */
  hour: number;
  /** ISO weekday, 1 = Monday … 7 = Sunday (in that time zone). */
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
 * Chart 2.16 — 24 × 7 heatmap: requests per hour × ISO weekday in the filtered window, the average
 * per occurrence of that slot (request_count_avg) and its percentile rank. Always 168 cells, ordered by
 * weekday then hour; works for a window of any length.
 *
 * In UTC (the default) everything is SQL. In another `timeZone` the SQL only counts requests per UTC
 * step of the zone's grain (an hour, or 30/15 min for half/quarter-hour zones; a few thousand rows for a
 * quarter), and the transform maps each step to its local weekday-hour with Intl and computes the local
 * exposure of the window hour by hour (see time-zone.ts) — DuckDB-WASM has no time zones offline.
 */
export const hourWeekday = defineQuery<HourWeekdayParams | undefined, HourWeekdayCell[]>({
  name: 'hourWeekday',
  sql(ctx, params) {
    const zone = timeZoneParam('timeZone', params?.timeZone ?? (ctx as { timeZone?: string } | undefined)?.timeZone);
    if (!isUtcZone(zone)) {
      const grain = zoneGrain(zoneSegments(zone, ctx.range.start, ctx.range.end));
      return sql`SELECT (epoch_us(ts) // ${grain})::BIGINT AS step, count(*)::BIGINT AS n FROM requests WHERE ${whereSql(ctx)} GROUP BY 1 ORDER BY 1`;
    }
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
  transform(rows, ctx, params) {
    const zone = timeZoneParam('timeZone', params?.timeZone ?? (ctx as { timeZone?: string } | undefined)?.timeZone);
    if (!isUtcZone(zone)) return localCells(rows, zone, ctx.range.start, ctx.range.end);
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

/** The 168 local cells from requests counted per UTC step (the non-UTC path of {@link hourWeekday}). */
function localCells(rows: readonly Row[], zone: string, start: Micros, end: Micros): HourWeekdayCell[] {
  const segments = zoneSegments(zone, start, end);
  const occ = localOccurrences(segments);
  const counts = new Array<number>(HOURS_PER_WEEK).fill(0);
  if (segments.length) {
    const grain = zoneGrain(segments);
    for (const r of rows) {
      const t = num(r.step) * grain;
      counts[hourOfWeek(t + segmentAt(segments, t).offset)] += num(r.n);
    }
  }
  const avg = counts.map((n, s) => (occ[s] <= 0 ? 0 : n / occ[s]));
  const cells: HourWeekdayCell[] = [];
  for (let s = 0; s < HOURS_PER_WEEK; s++) {
    let below = 0;
    for (let j = 0; j < HOURS_PER_WEEK; j++) if (avg[j] < avg[s]) below++;
    cells.push({
      hour: s % 24,
      weekday: Math.floor(s / 24) + 1,
      requests: counts[s],
      occurrences: occ[s],
      avg: avg[s],
      percentileRank: (100 * below) / (HOURS_PER_WEEK - 1),
    });
  }
  return cells;
}

/** A run of consecutive hours of the week (circular: Sunday 23:00 is followed by Monday 00:00). */
export interface HourRun {
  /** Hour of the week the run starts at: 0 = Monday 00:00 … 167 = Sunday 23:00. */
  start: number;
  /** Length in hours. */
  hours: number;
  /** Mean of the cells' `avg` over the run (calls per hour). */
  avg: number;
  /** The run's requests in the window (sum over its cells). */
  requests: number;
}

/**
 * The quietest `hours`-hour runs of the week (suggested maintenance windows): every circular run of
 * consecutive cells that all occur in the window (occurrences > 0), by the mean of their `avg`
 * ascending, ties to the earliest start; then greedily the `count` best runs that do not overlap.
 * The sums are taken cell by cell in run order (no sliding window), so equal loads compare equal.
 */
export function quietestRuns(cells: readonly HourWeekdayCell[], hours = 3, count = 3): HourRun[] {
  if (!Number.isInteger(hours) || hours < 1 || hours > HOURS_PER_WEEK) throw new RangeError(`quietestRuns: hours must be an integer in [1, 168], got ${hours}`);
  const bySlot = new Array<HourWeekdayCell | undefined>(HOURS_PER_WEEK);
  for (const c of cells) bySlot[(c.weekday - 1) * 24 + c.hour] = c;
  const runs: HourRun[] = [];
  for (let s = 0; s < HOURS_PER_WEEK; s++) {
    let sum = 0;
    let requests = 0;
    let ok = true;
    for (let i = 0; i < hours && ok; i++) {
      const c = bySlot[(s + i) % HOURS_PER_WEEK];
      if (!c || !(c.occurrences > 0)) ok = false;
      else {
        sum += c.avg;
        requests += c.requests;
      }
    }
    if (ok) runs.push({ start: s, hours, avg: sum / hours, requests });
  }
  runs.sort((a, b) => a.avg - b.avg || a.start - b.start);
  const taken = new Uint8Array(HOURS_PER_WEEK);
  const out: HourRun[] = [];
  for (const r of runs) {
    if (out.length >= count) break;
    let free = true;
    for (let i = 0; i < hours; i++) if (taken[(r.start + i) % HOURS_PER_WEEK]) free = false;
    if (!free) continue;
    for (let i = 0; i < hours; i++) taken[(r.start + i) % HOURS_PER_WEEK] = 1;
    out.push(r);
  }
  return out;
}

/** The `count` busiest cells (highest `avg` first, ties to the earliest weekday-hour), only cells with calls. */
export function peakCells(cells: readonly HourWeekdayCell[], count = 5): HourWeekdayCell[] {
  return [...cells]
    .filter((c) => c.avg > 0)
    .sort((a, b) => b.avg - a.avg || a.weekday - b.weekday || a.hour - b.hour)
    .slice(0, count);
}
