/**
 * Helpers shared by the query modules (not part of the public API of a module; re-exported for
 * tests and the exporter). Every user value still goes through `literal` / `list` / `timestamp`.
 */
import { ParamError, describeValue } from '../errors.js';
import type { QueryContext } from '../filters.js';
import { Sql, constant, literal, sql, timestamp } from '../sql.js';
import { US_PER_DAY, US_PER_HOUR, truncMicros, type Micros } from '../time.js';
import { instantToWall } from '../time-zone.js';

export const MS_HOUR = 3_600_000;
export const MS_DAY = 86_400_000;

export type Bucket = 'hour' | 'day';
export const BUCKETS: readonly Bucket[] = ['hour', 'day'];

/** Upper bound on zero-filled time buckets per series (a year of hours fits). */
export const MAX_BUCKETS = 10_000;

/** Request dimensions a series can be split by, and their `requests` column. */
export const DIMENSION_COLUMNS = {
  department: 'department_id',
  agent: 'agent_id',
  environment: 'environment',
  agent_version: 'agent_version',
  status: 'status',
  intent: 'intent_category',
  provider: 'provider',
  model_family: 'model_family',
  api_client: 'api_client',
} as const;
export type Dimension = keyof typeof DIMENSION_COLUMNS;
export const DIMENSIONS = Object.keys(DIMENSION_COLUMNS) as Dimension[];

/** The SQL `TIMESTAMP '...'` text of an exact instant. */
export const ts = (us: Micros): Sql => timestamp(us);

/** Validates an integer parameter; throws a {@link ParamError} naming the bad value. */
export function intParam(name: string, value: unknown, { def, min = 0, max = 1_000_000 }: { def: number; min?: number; max?: number }): number {
  if (value === undefined || value === null) return def;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new ParamError(name, `${name} must be an integer in [${min}, ${max}], got ${describeValue(value)}`, value);
  }
  return value;
}

/** Validates an enum parameter; throws a {@link ParamError} naming the bad value. */
export function enumParam<T extends string>(name: string, value: unknown, allowed: readonly T[], def: T): T {
  if (value === undefined || value === null) return def;
  if (typeof value !== 'string' || !allowed.includes(value as T)) {
    throw new ParamError(name, `${name} must be one of ${allowed.join(', ')}, got ${describeValue(value)}`, value);
  }
  return value as T;
}

/** Validates an optional boolean parameter. */
export function boolParam(name: string, value: unknown, def: boolean): boolean {
  if (value === undefined || value === null) return def;
  if (typeof value !== 'boolean') throw new ParamError(name, `${name} must be true or false, got ${describeValue(value)}`, value);
  return value;
}

/** Validates an optional finite number parameter in [min, max]. */
export function numberParam(name: string, value: unknown, { def, min = -Infinity, max = Infinity }: { def: number; min?: number; max?: number }): number {
  if (value === undefined || value === null) return def;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw new ParamError(name, `${name} must be a number in [${min}, ${max}], got ${describeValue(value)}`, value);
  }
  return value;
}

/** Validates an optional list of non-empty strings (ids); `[]` when absent. */
export function stringListParam(name: string, value: unknown, { max = 1000 }: { max?: number } = {}): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.length > max || value.some((v) => typeof v !== 'string' || v.length === 0 || v.includes('\u0000'))) {
    throw new ParamError(name, `${name} must be a list of at most ${max} non-empty strings, got ${describeValue(value)}`, value);
  }
  return value as string[];
}

/** Validates a string parameter (non-empty). */
export function stringParam(name: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) throw new ParamError(name, `${name} must be a non-empty string, got ${describeValue(value)}`, value);
  return value;
}

/** The column of a split dimension (validated). */
export function dimensionColumn(name: string, value: unknown, def: Dimension): Sql {
  return constant(DIMENSION_COLUMNS[enumParam(name, value, DIMENSIONS, def)]);
}

/** Start of the UTC hour/day holding epoch milliseconds `ms` (bucket starts are whole milliseconds). */
export function truncMs(ms: number, unit: Bucket): number {
  const size = unit === 'hour' ? MS_HOUR : MS_DAY;
  return Math.floor(ms / size) * size;
}

/** Number of `unit` buckets touched by [start, end) (exact µs). */
export function bucketCount(start: Micros, end: Micros, unit: Bucket): number {
  const size = unit === 'hour' ? US_PER_HOUR : US_PER_DAY;
  return (truncMicros(end - 1, unit) - truncMicros(start, unit)) / size + 1;
}

/**
 * A one-column table `(b)` of every UTC hour/day start touched by [start, end): from the bucket
 * holding `start` to the bucket holding the last microsecond before `end`.
 */
export function bucketTable(unit: Bucket, start: Micros, end: Micros): Sql {
  if (bucketCount(start, end, unit) > MAX_BUCKETS) {
    throw new ParamError('bucket', `too many ${unit} buckets (${bucketCount(start, end, unit)} > ${MAX_BUCKETS}); use a coarser bucket`, unit);
  }
  return sql`(SELECT unnest(generate_series(date_trunc(${literal(unit)}, ${ts(start)}), date_trunc(${literal(unit)}, ${ts(end)} - INTERVAL 1 MICROSECOND), ${unitInterval(unit)})) AS b)`;
}

/**
 * The local wall-clock µs (as if UTC) of an instant in the context's zone: bucket tables and bounds
 * compared with `date_trunc(…, localTsOf(ctx))` use it. The instant itself in UTC.
 */
export const wallOf = (ctx: QueryContext, us: Micros): Micros => (ctx.timeZone ? instantToWall(ctx.timeZone, us) : us);

/** Number of UTC calendar days touched by [start, end) (the denominator of "days active"). */
export function daysTouched(start: Micros, end: Micros): number {
  return bucketCount(start, end, 'day');
}

/** `YYYY-MM-DD` of an epoch-ms instant (UTC). */
export const isoDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** A `to_microseconds(n)` INTERVAL for an exact span in microseconds (TIMESTAMP has no DST). */
export function intervalUs(us: Micros): Sql {
  return sql`to_microseconds(${literal(us)}::BIGINT)`;
}

/** `INTERVAL 1 HOUR` / `INTERVAL 1 DAY`. */
export const unitInterval = (unit: Bucket): Sql => (unit === 'hour' ? sql`INTERVAL 1 HOUR` : sql`INTERVAL 1 DAY`);

/** Window length in days (fractional), for per-day rates. */
export const windowDays = (ctx: QueryContext): number => (ctx.range.end - ctx.range.start) / US_PER_DAY;

/** Appends `LIMIT n OFFSET m` for paged drill-down lists. */
export function page(params: { limit?: number; offset?: number } | undefined, def = 50, max = 10_000): Sql {
  const limit = intParam('limit', params?.limit, { def, min: 1, max });
  const offset = intParam('offset', params?.offset, { def: 0, min: 0, max: 100_000_000 });
  return sql`LIMIT ${limit} OFFSET ${offset}`;
}
