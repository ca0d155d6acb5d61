import type { QueryContext } from '../filters.js';
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
 * (ties on time: the higher usage), with utilisation and threshold status. Under an environment filter
 * only those environments.
 */
export const capacityUtilisation = defineQuery<void, CapacityGauge[]>({
  name: 'capacityUtilisation',
  sql(ctx) {
    return sql`SELECT resource_type, environment, epoch_ms(ts) AS at, current_usage, max_capacity,
  CASE WHEN max_capacity > 0 THEN 100 * current_usage / max_capacity END AS utilisation,
  100 * warning_threshold AS warning_threshold, 100 * critical_threshold AS critical_threshold, ${STATUS_SQL} AS status, unit
FROM capacity
WHERE ${capacityWhere(ctx)} AND ts < ${ts(ctx.range.end)}
QUALIFY row_number() OVER (PARTITION BY resource_type, environment ORDER BY ts DESC, current_usage DESC) = 1
ORDER BY resource_type, environment`;
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
    }));
  },
});

export interface CapacityPoint {
  resourceType: string;
  environment: string;
  /** Bucket start, epoch ms. */
  t: number;
  samples: number;
  /** Mean and max of current / max in the bucket, in %. */
  avgUtilisation: number;
  maxUtilisation: number;
  /** Samples in the bucket at warning level or above. */
  breaches: number;
}

/**
 * Chart 2.13 drill-down — capacity time series in the window per bucket × resource × environment:
 * mean and max utilisation and threshold breaches. Buckets without samples are absent (gaps are real).
 */
export const capacitySeries = defineQuery<{ bucket?: Bucket; resourceType?: string }, CapacityPoint[]>({
  name: 'capacitySeries',
  sql(ctx, params = {}) {
    const unit = enumParam('bucket', params.bucket, BUCKETS, ctx.range.bucket);
    const res = params.resourceType === undefined ? sql`` : sql` AND resource_type IN ${list([stringParam('resourceType', params.resourceType)])}`;
    return sql`SELECT resource_type, environment, epoch_ms(date_trunc(${literal(unit)}, ts)) AS t, count(*)::BIGINT AS samples,
  avg(100 * current_usage / max_capacity) AS avg_u, max(100 * current_usage / max_capacity) AS max_u,
  count(*) FILTER (WHERE current_usage / max_capacity >= warning_threshold)::BIGINT AS breaches
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
    }));
  },
});
