import { localTsOf, type QueryContext } from '../filters.js';
import { defineQuery, num, numOrNull, str } from '../module.js';
import { list, literal, sql, Sql } from '../sql.js';
import { BUCKETS, enumParam, stringParam, ts, type Bucket } from './shared.js';

export type CapacityStatus = 'ok' | 'warning' | 'critical' | 'unknown';

export interface CapacityGauge {
  resourceType: string;
  environment: string;
  /** Sample time, epoch ms. */
  at: number;
  currentUsage: number;
  maxCapacity: number;
  /** current / max in % (null when max ≤ 0). */
  utilisation: number | null;
  /** Thresholds in % of max (the snapshot stores fractions). */
  warningThreshold: number;
  criticalThreshold: number;
  /** critical when utilisation ≥ critical threshold, warning when ≥ warning threshold, else ok; unknown without capacity. */
  status: CapacityStatus;
  unit: string;
  /**
   * The peak of the filtered window: the sample with the highest utilisation in [start, end) among
   * samples with a capacity (max_capacity > 0). Ties: the latest sample (then the higher usage).
   * All peak fields are null when the window holds no such sample.
   */
  peakUtilisation: number | null;
  /** When the peak happened (epoch ms). */
  peakAt: number | null;
  /** Usage and capacity of the peak sample, in `unit`. */
  peakUsage: number | null;
  peakCapacity: number | null;
  /** Status of the peak sample against its own thresholds. */
  peakStatus: CapacityStatus | null;
  /** Samples in the window at exactly the peak utilisation (≥ 1 when there is a peak; saturation repeats it). */
  peakSamples: number;
  /** Samples with a capacity in the window, and those at or above the warning / critical threshold. */
  samples: number;
  warningSamples: number;
  criticalSamples: number;
}

/** Capacity samples restricted by the environment filter (the only filter with meaning for capacity). */
function capacityWhere(ctx: QueryContext): Sql {
  return ctx.filters.environments.length > 0 ? sql`environment IN ${list(ctx.filters.environments)}` : sql`TRUE`;
}

const STATUS_SQL = sql`CASE WHEN max_capacity <= 0 THEN 'unknown'
    WHEN current_usage / max_capacity >= critical_threshold THEN 'critical'
    WHEN current_usage / max_capacity >= warning_threshold THEN 'warning' ELSE 'ok' END`;

/**
 * Chart 2.13 — one gauge per resource type × environment: the latest sample before the window end
 * (ties on time: the higher usage), with utilisation and threshold status, and the peak of the
 * window [start, end): the highest utilisation (ties: the latest, then the higher usage), when, how
 * many samples reached it, and how many samples were at warning or critical level. Under an
 * environment filter only those environments. A resource with samples only before the window keeps
 * its latest sample (`at` says how old it is) and has no peak.
 */
export const capacityUtilisation = defineQuery<void, CapacityGauge[]>({
  name: 'capacityUtilisation',
  sql(ctx) {
    const where = capacityWhere(ctx);
    return sql`WITH latest AS (
  SELECT resource_type, environment, epoch_ms(ts) AS at, current_usage, max_capacity,
    CASE WHEN max_capacity > 0 THEN 100 * current_usage / max_capacity END AS utilisation,
    100 * warning_threshold AS warning_threshold, 100 * critical_threshold AS critical_threshold, ${STATUS_SQL} AS status, unit
  FROM capacity
  WHERE ${where} AND ts < ${ts(ctx.range.end)}
  QUALIFY row_number() OVER (PARTITION BY resource_type, environment ORDER BY ts DESC, current_usage DESC) = 1
), win AS (
  SELECT resource_type, environment, ts, current_usage, max_capacity, warning_threshold, critical_threshold,
    current_usage / max_capacity AS u, max(current_usage / max_capacity) OVER (PARTITION BY resource_type, environment) AS max_u
  FROM capacity
  WHERE ${where} AND max_capacity > 0 AND ts >= ${ts(ctx.range.start)} AND ts < ${ts(ctx.range.end)}
), stats AS (
  SELECT resource_type, environment, count(*)::BIGINT AS samples, count(*) FILTER (WHERE u = max_u)::BIGINT AS peak_samples,
    count(*) FILTER (WHERE u >= warning_threshold)::BIGINT AS warning_samples, count(*) FILTER (WHERE u >= critical_threshold)::BIGINT AS critical_samples
  FROM win
  GROUP BY ALL
), peak AS (
  SELECT resource_type, environment, epoch_ms(ts) AS peak_at, 100 * u AS peak_u, current_usage AS peak_usage, max_capacity AS peak_capacity,
    CASE WHEN u >= critical_threshold THEN 'critical' WHEN u >= warning_threshold THEN 'warning' ELSE 'ok' END AS peak_status
  FROM win
  QUALIFY row_number() OVER (PARTITION BY resource_type, environment ORDER BY u DESC, ts DESC, current_usage DESC, critical_threshold, warning_threshold) = 1
)
SELECT l.*, p.peak_at, p.peak_u, p.peak_usage, p.peak_capacity, p.peak_status,
  coalesce(s.samples, 0) AS samples, coalesce(s.peak_samples, 0) AS peak_samples,
  coalesce(s.warning_samples, 0) AS warning_samples, coalesce(s.critical_samples, 0) AS critical_samples
FROM latest l
LEFT JOIN stats s ON s.resource_type = l.resource_type AND s.environment = l.environment
LEFT JOIN peak p ON p.resource_type = l.resource_type AND p.environment = l.environment
ORDER BY l.resource_type, l.environment`;
  },
  transform(rows) {
    return rows.map((r) => ({
      resourceType: str(r.resource_type),
      environment: str(r.environment),
      at: num(r.at),
      currentUsage: num(r.current_usage),
      maxCapacity: num(r.max_capacity),
      utilisation: numOrNull(r.utilisation),
      warningThreshold: num(r.warning_threshold),
      criticalThreshold: num(r.critical_threshold),
      status: str(r.status) as CapacityStatus,
      unit: str(r.unit),
      peakUtilisation: numOrNull(r.peak_u),
      peakAt: numOrNull(r.peak_at),
      peakUsage: numOrNull(r.peak_usage),
      peakCapacity: numOrNull(r.peak_capacity),
      peakStatus: r.peak_status === null || r.peak_status === undefined ? null : (str(r.peak_status) as CapacityStatus),
      peakSamples: num(r.peak_samples),
      samples: num(r.samples),
      warningSamples: num(r.warning_samples),
      criticalSamples: num(r.critical_samples),
    }));
  },
});

export interface CapacityPoint {
  resourceType: string;
  environment: string;
  /** Bucket start, epoch ms: its UTC instant in UTC; in another zone (`ctx.timeZone`) its local wall-clock time counted as if UTC (as in callsOverTime). */
  t: number;
  samples: number;
  /** Mean and max of current / max in the bucket, in %. */
  avgUtilisation: number;
  maxUtilisation: number;
  /** Samples in the bucket at warning level or above. */
  breaches: number;
  /** Of those, samples at critical level or above. */
  criticalBreaches: number;
}

/**
 * Chart 2.13 drill-down — capacity time series in the window per bucket × resource × environment:
 * mean and max utilisation and threshold breaches (warning level or above, and critical). Buckets without samples are absent (gaps are real).
 * Hours and days are UTC, or local in `ctx.timeZone` (a fall-back hour holds both of its occurrences).
 */
export const capacitySeries = defineQuery<{ bucket?: Bucket; resourceType?: string }, CapacityPoint[]>({
  name: 'capacitySeries',
  sql(ctx, params = {}) {
    const unit = enumParam('bucket', params.bucket, BUCKETS, ctx.range.bucket);
    const res = params.resourceType === undefined ? sql`` : sql` AND resource_type IN ${list([stringParam('resourceType', params.resourceType)])}`;
    return sql`SELECT resource_type, environment, epoch_ms(date_trunc(${literal(unit)}, ${localTsOf(ctx)})) AS t, count(*)::BIGINT AS samples,
  avg(100 * current_usage / max_capacity) AS avg_u, max(100 * current_usage / max_capacity) AS max_u,
  count(*) FILTER (WHERE current_usage / max_capacity >= warning_threshold)::BIGINT AS breaches,
  count(*) FILTER (WHERE current_usage / max_capacity >= critical_threshold)::BIGINT AS critical_breaches
FROM capacity
WHERE ${capacityWhere(ctx)} AND max_capacity > 0 AND ts >= ${ts(ctx.range.start)} AND ts < ${ts(ctx.range.end)}${res}
GROUP BY ALL
ORDER BY resource_type, environment, t`;
  },
  transform(rows) {
    return rows.map((r) => ({
      resourceType: str(r.resource_type),
      environment: str(r.environment),
      t: num(r.t),
      samples: num(r.samples),
      avgUtilisation: num(r.avg_u),
      maxUtilisation: num(r.max_u),
      breaches: num(r.breaches),
      criticalBreaches: num(r.critical_breaches),
    }));
  },
});
