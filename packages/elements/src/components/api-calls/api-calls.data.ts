/**
 * Pure data shaping for `<usage-api-calls>` (chart 2.1): the forecast query (the `usageForecast`
 * module fitted on the last 30 full days), the trend fit, the rows on screen (CSV and table), the
 * tooltip text and the drill-down details.
 */
import {
  isUtcZone,
  resolveTimeRange,
  wallToInstant,
  US_PER_MS,
  type Micros,
  usageForecast,
  dailySeries,
  API_CALLS_FORECAST_DAYS,
  type CallsOverTime,
  type CallsOverTimePoint,
  type QueryModule,
  type UsageFilters,
  type UsageForecast,
  type UsageForecastParams,
} from '@usage-analytics/queries';
import type { ForecastSeries, TrendPoint } from '../../charts/forecast-band.js';
import { BUCKET_MS, formatBucket, isoOf, type Domain, type TimeLabelOptions } from '../../charts/time-axis.js';
import type { DepartmentDrilldown, TimeBucketDrilldown } from '../../events/usage-drilldown.js';
import type { TooltipContent } from '../../internal/tooltip.js';
import type { DataColumn } from '../../internal/data-column.js';

/** Most departments compared at once (PRD: "Compare up to 5 departments"). */
export const MAX_COMPARE = 5;
/** Days of history the trend and the forecast are fitted on (PRD 2.1: "forecast based on last 30d"). */
export const HISTORY_DAYS = 30;
export const MIN_HORIZON = 14;
export const MAX_HORIZON = 30;

export interface ApiCallsForecastParams {
  horizon: number;
  /** Per-department forecasts for these departments (comparison); the filtered total when absent. */
  departments?: string[];
  historyDays?: number;
}

/**
 * `usageForecast` on the last `historyDays` full days only. The fleet total reads only the last
 * `historyDays + 2` days (at least {@link API_CALLS_FORECAST_DAYS}; the snapshot precomputes that
 * SQL for the default view); per department (`departments` set) it reads the whole history, as
 * `usageForecast` does, so a department without requests lately still gets its (zero) series.
 */
export const apiCallsForecast: QueryModule<ApiCallsForecastParams, UsageForecast> = {
  name: 'apiCallsForecast',
  sql(ctx, params) {
    if (params.departments) return usageForecast.sql(ctx, forecastParams(params));
    usageForecast.sql(ctx, forecastParams(params)); // the same parameter checks
    return dailySeries.sql(ctx, { span: 'all', days: Math.max(API_CALLS_FORECAST_DAYS, (params.historyDays ?? HISTORY_DAYS) + 2) });
  },
  transform(rows, ctx, params) {
    const keep = params.departments ? new Set(params.departments) : undefined;
    const days = params.historyDays ?? HISTORY_DAYS;
    const full = [...new Set(rows.filter((r) => r.partial !== true).map((r) => String(r.date)))].sort();
    const window = new Set(full.slice(-days));
    const picked = rows.filter((r) => window.has(String(r.date)) && (!keep || keep.has(String(r.key))));
    return usageForecast.transform(picked, ctx, forecastParams(params));
  },
};

function forecastParams(params: ApiCallsForecastParams): UsageForecastParams {
  return params.departments ? { horizon: params.horizon, by: 'department' } : { horizon: params.horizon };
}

/** Clamps a horizon to [14, 30] days. */
export const clampHorizon = (days: number): number => Math.min(MAX_HORIZON, Math.max(MIN_HORIZON, Math.round(Number.isFinite(days) ? days : MIN_HORIZON)));

/** `"a, b,a"` → `['a', 'b']` (trimmed, unique, at most {@link MAX_COMPARE}); `dropped` counts the rest. */
export function parseCompare(value: string | undefined | null): { keys: string[]; dropped: number } {
  const all = [
    ...new Set(
      (value ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ];
  return { keys: all.slice(0, MAX_COMPARE), dropped: Math.max(0, all.length - MAX_COMPARE) };
}

/** Least-squares line through the points, evaluated at each point's `t`. */
export function linearTrend(points: readonly TrendPoint[]): TrendPoint[] {
  const n = points.length;
  if (n < 2) return [];
  let sx = 0;
  let sy = 0;
  for (const p of points) {
    sx += p.t;
    sy += p.value;
  }
  const mx = sx / n;
  const my = sy / n;
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.t - mx) * (p.value - my);
    den += (p.t - mx) ** 2;
  }
  const slope = den === 0 ? 0 : num / den;
  return points.map((p) => ({ t: p.t, value: my + slope * (p.t - mx) }));
}

const dayCentre = (date: string): number => Date.parse(`${date}T12:00:00Z`);

/**
 * The forecast series to draw (trend over the fitted history, dashed forecast, 80 % band), or
 * none when they would not line up with the chart: hourly buckets, or a chart that does not end
 * where the forecast starts. `colour` gives each department's colour (comparison).
 */
export function forecastSeries(
  result: UsageForecast | undefined,
  chart: CallsOverTime,
  colour?: (key: string) => string,
): { series: ForecastSeries[]; note?: string } {
  if (!result) return { series: [] };
  if (chart.bucket !== 'day') return { series: [], note: 'The forecast is shown with daily buckets (time ranges over 3 days).' };
  const last = chart.points[chart.points.length - 1];
  const series: ForecastSeries[] = [];
  for (const s of result.series) {
    const first = s.forecast.points[0];
    if (!first || !last) continue;
    if (Date.parse(`${first.date}T00:00:00Z`) !== last.t + BUCKET_MS.day) {
      return { series: [], note: 'The forecast starts after the last day of the data; choose a range that ends there to see it.' };
    }
    const history = s.history.map((p) => ({ t: dayCentre(p.date), value: p.value }));
    series.push({
      key: s.key,
      colour: s.key && colour ? colour(s.key) : undefined,
      trend: linearTrend(history),
      from: history[history.length - 1],
      forecast: s.forecast.points.map((p) => ({ t: dayCentre(p.date), predicted: p.predicted, lower: p.lower80, upper: p.upper80 })),
    });
  }
  return { series };
}

/** The extent the chart shows: the data's buckets, widened to the end of the forecast. */
export function chartExtent(chart: CallsOverTime, forecast: readonly ForecastSeries[]): Domain {
  const size = BUCKET_MS[chart.bucket];
  const start = chart.points[0]?.t ?? 0;
  let end = (chart.points[chart.points.length - 1]?.t ?? 0) + size;
  for (const s of forecast) {
    const lastF = s.forecast[s.forecast.length - 1];
    if (lastF) end = Math.max(end, lastF.t + BUCKET_MS.day / 2);
  }
  return [start, end];
}

/** One row on screen: an observed bucket, or a forecast day. */
export interface ApiCallsRow {
  kind: 'observed' | 'forecast';
  t: number;
  bucket: string;
  total: number | null;
  values: Record<string, number>;
  series?: string;
  predicted?: number;
  lower80?: number;
  upper80?: number;
}

/**
 * The rows of what is on screen (CSV, data table): the observed buckets inside the visible window
 * with the visible series and their total, then the forecast days inside it.
 */
export function screenRows(
  chart: CallsOverTime,
  keys: readonly string[],
  view: Domain,
  forecast: readonly ForecastSeries[],
  labels: TimeLabelOptions = {},
): ApiCallsRow[] {
  const size = BUCKET_MS[chart.bucket];
  const rows: ApiCallsRow[] = [];
  for (const p of chart.points) {
    if (p.t + size <= view[0] || p.t >= view[1]) continue;
    const values: Record<string, number> = {};
    let total = 0;
    for (const k of keys) {
      values[k] = p.values[k] ?? 0;
      total += values[k];
    }
    rows.push({ kind: 'observed', t: p.t, bucket: formatBucket(p.t, chart.bucket, labels), total, values });
  }
  for (const s of forecast) {
    for (const f of s.forecast) {
      const start = f.t - BUCKET_MS.day / 2;
      if (start + BUCKET_MS.day <= view[0] || start >= view[1]) continue;
      rows.push({
        kind: 'forecast',
        t: start,
        bucket: formatBucket(start, 'day', labels),
        total: null,
        values: {},
        series: s.key || 'Total',
        predicted: f.predicted,
        lower80: f.lower,
        upper80: f.upper,
      });
    }
  }
  return rows;
}

/**
 * A bucket's local wall-clock start (epoch ms counted as if UTC, as the zone-aware queries return it)
 * as ISO 8601 with the zone's UTC offset at that time: `2026-03-08T00:00:00-05:00` in New York,
 * `…+05:30` in Kolkata. A wall time that happens twice (fall-back) takes the earlier offset.
 */
export function localIsoOf(wallMs: number, timeZone: string): string {
  const offsetMin = Math.round((wallMs - wallToInstant(timeZone, wallMs * US_PER_MS) / US_PER_MS) / 60_000);
  const abs = Math.abs(offsetMin);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${new Date(wallMs).toISOString().slice(0, 19)}${offsetMin < 0 ? '-' : '+'}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/**
 * Columns of {@link screenRows} (keys are positional, so any department name is safe). In UTC
 * `bucket_start` is an instant (`…Z` in the CSV); in another zone the buckets are local, and the
 * column is their local time with its UTC offset ({@link localIsoOf}).
 */
export function screenColumns(keys: readonly string[], withForecast: boolean, timeZone = 'UTC'): DataColumn<ApiCallsRow>[] {
  const round = (v: unknown) => (typeof v === 'number' ? Math.round(v * 10) / 10 : v);
  return [
    isUtcZone(timeZone)
      ? { key: 'bucket_start', label: 'bucket_start', type: 'datetime', value: (r) => r.t }
      : { key: 'bucket_start', label: 'bucket_start', value: (r) => localIsoOf(r.t, timeZone) },
    { key: 'kind', label: 'kind', value: (r) => r.kind },
    { key: 'total', label: 'total', type: 'integer', value: (r) => r.total },
    ...keys.map((k, i): DataColumn<ApiCallsRow> => ({
      key: `series-${i}`,
      label: k,
      type: 'integer',
      value: (r) => (r.kind === 'observed' ? (r.values[k] ?? 0) : null),
    })),
    ...(withForecast
      ? [
          { key: 'forecast_series', label: 'forecast_series', value: (r: ApiCallsRow) => r.series ?? null },
          { key: 'forecast', label: 'forecast', type: 'number' as const, value: (r: ApiCallsRow) => round(r.predicted) },
          { key: 'forecast_lower_80', label: 'forecast_lower_80', type: 'number' as const, value: (r: ApiCallsRow) => round(r.lower80) },
          { key: 'forecast_upper_80', label: 'forecast_upper_80', type: 'number' as const, value: (r: ApiCallsRow) => round(r.upper80) },
        ]
      : []),
  ];
}

/** Calls per series over all buckets. */
export function seriesTotals(chart: CallsOverTime): Map<string, number> {
  const totals = new Map<string, number>();
  for (const p of chart.points) for (const [k, v] of Object.entries(p.values)) totals.set(k, (totals.get(k) ?? 0) + v);
  return totals;
}

/** Tooltip of a bucket: its time, each visible series (top of the stack first), and the total. */
export function bucketTooltip(
  point: CallsOverTimePoint,
  bucket: 'hour' | 'day',
  keys: readonly string[],
  colour: (key: string) => string,
  format: (v: number) => string,
  focusKey?: string,
  mode: 'stack' | 'overlay' = 'stack',
  labels: TimeLabelOptions = {},
): TooltipContent {
  let total = 0;
  const rows = [...keys].reverse().map((k) => {
    const v = point.values[k] ?? 0;
    total += v;
    return { label: k, value: format(v), colour: colour(k), emphasis: k === focusKey };
  });
  return {
    title: formatBucket(point.t, bucket, labels),
    rows: mode === 'stack' ? [...rows, { label: 'Total', value: format(total), emphasis: focusKey === undefined }] : rows,
    note: focusKey ? `Click or press Enter for the requests of ${focusKey} in this ${bucket}.` : `Click or press Enter for the requests of this ${bucket}.`,
  };
}

/** The time range actually queried (for clipping a drilled bucket to it). */
export function queriedRange(filters: UsageFilters, anchor: Micros, timeZone = 'UTC'): Domain {
  const r = resolveTimeRange(filters.timeRange, anchor, timeZone);
  return [r.start / US_PER_MS, r.end / US_PER_MS];
}

/** `usage-drilldown` detail of a bucket (and the department under the pointer, if any). */
export function bucketDrilldown(
  t: number,
  bucket: 'hour' | 'day',
  filters: UsageFilters,
  range: Domain,
  department?: string,
  bucketEnd = t + BUCKET_MS[bucket],
): TimeBucketDrilldown {
  const start = Math.max(t, range[0]);
  const end = Math.min(bucketEnd, range[1]);
  const next: UsageFilters = {
    ...structuredClone(filters),
    timeRange: { preset: 'custom', start: isoOf(start), end: isoOf(end) },
    ...(department ? { departments: [department] } : {}),
  };
  return { kind: 'time-bucket', bucketStart: isoOf(start), bucketEnd: isoOf(end), bucket, ...(department ? { department } : {}), filters: next };
}

/**
 * `usage-drilldown` detail of point `index` of a chart, clipped to the time range the filters
 * query (relative ranges end at `anchor`, the snapshot's data end in µs; without one, at the end
 * of the chart's last bucket).
 */
export function pointDrilldown(
  chart: CallsOverTime,
  index: number,
  filters: UsageFilters,
  anchor: Micros | undefined,
  department?: string,
  timeZone = 'UTC',
): TimeBucketDrilldown | undefined {
  const p = chart.points[index];
  if (!p) return undefined;
  // In another zone bucket times are local wall-clock ms: the drilled range is the instants of the
  // bucket's local start and end (a DST day lasts 23 or 25 hours).
  const instant = (wallMs: number): number => wallToInstant(timeZone, wallMs * US_PER_MS) / US_PER_MS;
  const end = anchor ?? (chart.points[chart.points.length - 1].t + BUCKET_MS[chart.bucket]) * US_PER_MS;
  let range: Domain;
  try {
    range = queriedRange(filters, end, timeZone);
  } catch {
    range = [instant(chart.points[0].t), end / US_PER_MS];
  }
  return bucketDrilldown(instant(p.t), chart.bucket, filters, range, department, instant(p.t + BUCKET_MS[chart.bucket]));
}

/** `usage-drilldown` detail of a department. */
export function departmentDrilldown(department: string, filters: UsageFilters): DepartmentDrilldown {
  return { kind: 'department', department, filters: { ...structuredClone(filters), departments: [department] } };
}
