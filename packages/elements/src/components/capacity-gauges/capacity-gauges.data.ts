/**
 * Pure parts of `<usage-capacity-gauges>` (chart 2.13): the gauge view models (zones from the
 * thresholds, current and peak with units, status in words, accessible names), the environments on
 * offer, the data-table / CSV rows, the detail series of one resource, and the event details.
 */
import type { CapacityGauge, CapacityPoint, CapacityStatus, UsageFilters } from '@usage-analytics/queries';
import type { CapacityResourceDrilldown } from '../../events/usage-drilldown.js';
import type { UsageRequestCapacityAlertDetail } from '../../events/usage-request-capacity-alert.js';
import { formatBucket, type TimeLabelOptions } from '../../charts/time-axis.js';
import type { DataColumn } from '../../internal/data-column.js';
import type { TooltipContent } from '../../internal/tooltip.js';

export type GaugeVariant = 'radial' | 'bullet';
export const VARIANTS: readonly GaugeVariant[] = ['radial', 'bullet'];

/** The environment selector's value that shows every environment, grouped. */
export const ALL_ENVIRONMENTS = 'all';

const RESOURCE_LABELS: Readonly<Record<string, string>> = {
  api_rate_limit: 'API rate limit',
  compute: 'Compute',
  memory: 'Memory',
  tokens_per_min: 'Tokens per minute',
};
const RESOURCE_ORDER = Object.keys(RESOURCE_LABELS);
const ENV_ORDER = ['production', 'staging', 'development'];

/** "API rate limit" for `api_rate_limit`; an unknown resource type as it is (rendered as text). */
export const resourceLabel = (type: string): string => RESOURCE_LABELS[type] ?? type;
/** "Production" for `production`; others as they are. */
export const environmentLabel = (env: string): string => (ENV_ORDER.includes(env) ? env[0].toUpperCase() + env.slice(1) : env);

export const STATUS_TEXT: Readonly<Record<CapacityStatus, string>> = { ok: 'OK', warning: 'Warning', critical: 'Critical', unknown: 'No capacity set' };

const rank = (order: readonly string[], v: string) => {
  const i = order.indexOf(v);
  return i < 0 ? order.length : i;
};
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
export const compareResources = (a: string, b: string): number => rank(RESOURCE_ORDER, a) - rank(RESOURCE_ORDER, b) || cmp(a, b);
export const compareEnvironments = (a: string, b: string): number => rank(ENV_ORDER, a) - rank(ENV_ORDER, b) || cmp(a, b);

export interface CapacityFormatters {
  /** Usage in its unit: whole from 100, one decimal from 1, else two significant digits ("1,000", "12.5", "0.042"). */
  usage(v: number): string;
  /** "81 %". */
  pct(v: number): string;
  /** "5 Oct 2026, 14:00 UTC". */
  when(ms: number): string;
  /** A series bucket's time (local wall-clock ms in the chart's zone, as `capacitySeries` gives it): "5 Oct 2026, 14:00 Asia/Kolkata". */
  bucketTime(ms: number): string;
}

export function formatters(locale: string, timeZone = 'UTC'): CapacityFormatters {
  const whole = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  const one = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
  const small = new Intl.NumberFormat(locale, { maximumSignificantDigits: 2 });
  const usage = { format: (v: number) => (Math.abs(v) >= 100 ? whole : Math.abs(v) >= 1 || v === 0 ? one : small).format(v) };
  const pct = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  const when = new Intl.DateTimeFormat(locale, {
    timeZone: 'UTC',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  });
  return {
    usage: (v) => usage.format(v),
    pct: (v) => `${pct.format(v)} %`,
    when: (ms) => `${when.format(ms)} UTC`,
    // Wall-clock ms formatted as if UTC give the local time; the label names the zone.
    bucketTime: (ms) => `${when.format(ms)} ${timeZone}`,
  };
}

export interface GaugeZone {
  status: 'ok' | 'warning' | 'critical';
  /** In % of max capacity. */
  from: number;
  to: number;
}

export interface GaugeView {
  /** `resource|environment`. */
  key: string;
  gauge: CapacityGauge;
  label: string;
  environment: string;
  status: CapacityStatus;
  statusText: string;
  /** Utilisation now and at the window's peak, in % (null: unknown / no peak). */
  value: number | null;
  peak: number | null;
  /** Top of the scale in %: 100, or more when usage exceeded capacity (to the next 10). */
  max: number;
  zones: GaugeZone[];
  /** "812 / 1,000 req/min". */
  usageText: string;
  /** "81 %" (or "—"). */
  valueText: string;
  /** "812 / 1,000 req/min, 81 %" (without capacity: "3 vCPU, no capacity set"). */
  figureText: string;
  /** "Peak 95 % (critical): 950 / 1,000 req/min, Oct 5, 2026, 14:00 UTC" or "No samples in this period". */
  peakText: string;
  /** "Warning at 75 % (750 req/min), critical at 90 % (900 req/min)". */
  thresholdsText: string;
  /** Set when the latest sample is older than the period (no samples in it). */
  staleText?: string;
  /**
   * The gauge button's accessible name, as its content reads (resource, environment, status, value,
   * peak; the thresholds are its description): "API rate limit, production: Status Warning. 812 /
   * 1,000 req/min, 81 %. Peak 95 % (…), 5 Oct 2026, 14:00 UTC."
   */
  ariaLabel: string;
}

const clampPct = (v: number) => (Number.isFinite(v) ? Math.max(0, v) : 0);

/** One gauge's view model. `windowStart` (epoch ms) tells a stale latest sample. */
export function gaugeView(g: CapacityGauge, f: CapacityFormatters, windowStart?: number): GaugeView {
  const warn = Math.min(100, clampPct(g.warningThreshold));
  const crit = Math.max(warn, Math.min(100, clampPct(g.criticalThreshold)));
  const top = Math.max(100, g.utilisation ?? 0, g.peakUtilisation ?? 0);
  const max = top > 100 ? Math.min(1000, Math.ceil(top / 10) * 10) : 100;
  const zones: GaugeZone[] = [
    { status: 'ok' as const, from: 0, to: warn },
    { status: 'warning' as const, from: warn, to: crit },
    { status: 'critical' as const, from: crit, to: max },
  ].filter((z) => z.to > z.from);
  const unit = g.unit ? ` ${g.unit}` : '';
  const usageText = g.maxCapacity > 0 ? `${f.usage(g.currentUsage)} / ${f.usage(g.maxCapacity)}${unit}` : `${f.usage(g.currentUsage)}${unit}, no capacity set`;
  const valueText = g.utilisation === null ? '—' : f.pct(g.utilisation);
  const peakText =
    g.peakUtilisation === null || g.peakAt === null
      ? 'No samples in this period'
      : `Peak ${f.pct(g.peakUtilisation)}${g.peakStatus ? ` (${(STATUS_TEXT[g.peakStatus] ?? g.peakStatus).toLowerCase()})` : ''}: ` +
        `${f.usage(g.peakUsage ?? 0)} / ${f.usage(g.peakCapacity ?? 0)}${unit}, ${f.when(g.peakAt)}` +
        (g.peakSamples > 1 ? `, reached ${g.peakSamples} times (latest shown)` : '');
  const abs = (p: number) => (g.maxCapacity > 0 ? ` (${f.usage((p / 100) * g.maxCapacity)}${unit})` : '');
  const thresholdsText = `Warning at ${f.pct(g.warningThreshold)}${abs(g.warningThreshold)}, critical at ${f.pct(g.criticalThreshold)}${abs(g.criticalThreshold)}`;
  const staleText = windowStart !== undefined && g.at < windowStart ? `Latest sample ${f.when(g.at)}, before this period` : undefined;
  const label = resourceLabel(g.resourceType);
  const statusText = STATUS_TEXT[g.status] ?? g.status;
  const figureText = g.utilisation === null ? usageText : `${usageText}, ${valueText}`;
  return {
    key: `${g.resourceType}|${g.environment}`,
    gauge: g,
    label,
    environment: g.environment,
    status: g.status,
    statusText,
    value: g.utilisation,
    peak: g.peakUtilisation,
    max,
    zones,
    usageText,
    valueText,
    figureText,
    peakText,
    thresholdsText,
    staleText,
    ariaLabel: `${label}, ${g.environment}: Status ${statusText}. ${figureText}. ${peakText}.`,
  };
}

/** The environments in the answer, production first. */
export function environmentsOf(gauges: readonly CapacityGauge[]): string[] {
  return [...new Set(gauges.map((g) => g.environment))].sort(compareEnvironments);
}

/**
 * The environments shown for a selector value: `all` → every one; a present environment → that
 * one; otherwise (empty, or not in the answer) production when present, else the first.
 */
export function shownEnvironments(envs: readonly string[], selected: string): string[] {
  if (selected === ALL_ENVIRONMENTS) return [...envs];
  if (envs.includes(selected)) return [selected];
  return envs.length ? [envs.includes('production') ? 'production' : envs[0]] : [];
}

export interface GaugeGroup {
  environment: string;
  gauges: GaugeView[];
}

/** The gauges to draw, grouped by environment (in selector order), resources in a fixed order. */
export function gaugeGroups(gauges: readonly CapacityGauge[], environments: readonly string[], f: CapacityFormatters, windowStart?: number): GaugeGroup[] {
  return environments.map((environment) => ({
    environment,
    gauges: gauges
      .filter((g) => g.environment === environment)
      .sort((a, b) => compareResources(a.resourceType, b.resourceType))
      .map((g) => gaugeView(g, f, windowStart)),
  }));
}

// ---- geometry (pure; the templates in gauge-svg.ts draw it)

/** Radial gauge: a 240° dial from -120° (0 %) to +120° (max), angles clockwise from 12 o'clock. */
export const DIAL_SWEEP = 240;
export const dialAngle = (v: number, max: number): number => -DIAL_SWEEP / 2 + (DIAL_SWEEP * Math.max(0, Math.min(max, v))) / max;

const rad = (deg: number) => ((deg - 90) * Math.PI) / 180;
const pt = (cx: number, cy: number, r: number, deg: number): [number, number] => [cx + r * Math.cos(rad(deg)), cy + r * Math.sin(rad(deg))];
const f2 = (v: number) => Math.round(v * 100) / 100;

/** SVG path of an annular sector between radii r0 < r1 and angles a0 < a1 (degrees, clockwise from 12). */
export function sectorPath(cx: number, cy: number, r0: number, r1: number, a0: number, a1: number): string {
  if (!(a1 > a0)) return '';
  const large = a1 - a0 > 180 ? 1 : 0;
  const [x0, y0] = pt(cx, cy, r1, a0);
  const [x1, y1] = pt(cx, cy, r1, a1);
  const [x2, y2] = pt(cx, cy, r0, a1);
  const [x3, y3] = pt(cx, cy, r0, a0);
  return `M${f2(x0)},${f2(y0)}A${r1},${r1} 0 ${large} 1 ${f2(x1)},${f2(y1)}L${f2(x2)},${f2(y2)}A${r0},${r0} 0 ${large} 0 ${f2(x3)},${f2(y3)}Z`;
}

/** A point at radius r and angle a (for ticks and markers). */
export const polar = (cx: number, cy: number, r: number, a: number): [number, number] => pt(cx, cy, r, a).map(f2) as [number, number];

// ---- table / CSV

export interface CapacityRow {
  resource: string;
  resourceType: string;
  environment: string;
  unit: string;
  at: number;
  currentUsage: number;
  maxCapacity: number;
  utilisation: number | null;
  status: string;
  peakUtilisation: number | null;
  peakAt: number | null;
  peakUsage: number | null;
  warningThreshold: number;
  criticalThreshold: number;
  samples: number;
  warningSamples: number;
  criticalSamples: number;
}

/** Every resource × environment of the answer (not only the shown environment). */
export function tableRows(gauges: readonly CapacityGauge[]): CapacityRow[] {
  return [...gauges]
    .sort((a, b) => compareEnvironments(a.environment, b.environment) || compareResources(a.resourceType, b.resourceType))
    .map((g) => ({
      resource: resourceLabel(g.resourceType),
      resourceType: g.resourceType,
      environment: g.environment,
      unit: g.unit,
      at: g.at,
      currentUsage: g.currentUsage,
      maxCapacity: g.maxCapacity,
      utilisation: g.utilisation,
      status: STATUS_TEXT[g.status] ?? g.status,
      peakUtilisation: g.peakUtilisation,
      peakAt: g.peakAt,
      peakUsage: g.peakUsage,
      warningThreshold: g.warningThreshold,
      criticalThreshold: g.criticalThreshold,
      samples: g.samples,
      warningSamples: g.warningSamples,
      criticalSamples: g.criticalSamples,
    }));
}

export const TABLE_COLUMNS: readonly DataColumn<CapacityRow>[] = [
  { key: 'resource', label: 'Resource' },
  { key: 'environment', label: 'Environment' },
  { key: 'status', label: 'Status' },
  { key: 'utilisation', label: 'Utilisation %', type: 'percent' },
  { key: 'currentUsage', label: 'Current usage', type: 'number' },
  { key: 'maxCapacity', label: 'Max capacity', type: 'number' },
  { key: 'unit', label: 'Unit' },
  { key: 'at', label: 'Sampled at (UTC)', type: 'datetime' },
  { key: 'peakUtilisation', label: 'Peak utilisation %', type: 'percent' },
  { key: 'peakUsage', label: 'Peak usage', type: 'number' },
  { key: 'peakAt', label: 'Peak at (UTC)', type: 'datetime' },
  { key: 'warningThreshold', label: 'Warning threshold %', type: 'percent' },
  { key: 'criticalThreshold', label: 'Critical threshold %', type: 'percent' },
  { key: 'samples', label: 'Samples in period', type: 'integer' },
  { key: 'warningSamples', label: 'Samples at warning or above', type: 'integer' },
  { key: 'criticalSamples', label: 'Samples at critical', type: 'integer' },
];

// ---- the detail series of one resource × environment

export interface SeriesPoint {
  t: number;
  avg: number;
  max: number;
  samples: number;
  /** 0 none, 1 a sample at warning level, 2 a sample at critical level, in the bucket. */
  level: 0 | 1 | 2;
  /** Samples at warning level or above, and at critical. */
  breaches: number;
  criticalBreaches: number;
}

export interface SeriesView {
  key: string;
  label: string;
  environment: string;
  bucket: 'hour' | 'day';
  points: SeriesPoint[];
  warning: number;
  critical: number;
  /** Buckets with a sample at warning level or above, and at critical. */
  warningBuckets: number;
  criticalBuckets: number;
  /** The bucket with the highest max (latest on ties), if any. */
  highest?: SeriesPoint;
  /** Mean of the bucket means weighted by samples. */
  mean: number | null;
}

/** The points of one resource × environment, with the gauge's thresholds. */
export function seriesView(points: readonly CapacityPoint[], g: CapacityGauge, bucket: 'hour' | 'day'): SeriesView {
  const out: SeriesPoint[] = [];
  let warningBuckets = 0;
  let criticalBuckets = 0;
  let highest: SeriesPoint | undefined;
  let sum = 0;
  let n = 0;
  for (const p of points) {
    if (p.resourceType !== g.resourceType || p.environment !== g.environment) continue;
    const level = p.criticalBreaches > 0 ? 2 : p.breaches > 0 ? 1 : 0;
    const s: SeriesPoint = {
      t: p.t,
      avg: p.avgUtilisation,
      max: p.maxUtilisation,
      samples: p.samples,
      level,
      breaches: p.breaches,
      criticalBreaches: p.criticalBreaches,
    };
    if (level > 0) warningBuckets++;
    if (level > 1) criticalBuckets++;
    if (!highest || s.max >= highest.max) highest = s;
    sum += p.avgUtilisation * p.samples;
    n += p.samples;
    out.push(s);
  }
  out.sort((a, b) => a.t - b.t);
  return {
    key: `${g.resourceType}|${g.environment}`,
    label: resourceLabel(g.resourceType),
    environment: g.environment,
    bucket,
    points: out,
    warning: g.warningThreshold,
    critical: g.criticalThreshold,
    warningBuckets,
    criticalBuckets,
    highest,
    mean: n ? sum / n : null,
  };
}

/** The detail in words (the chart's accessible summary, shown under it). */
export function seriesSummary(v: SeriesView, f: CapacityFormatters): string {
  if (!v.points.length) return 'No samples in this period.';
  const unit = v.bucket === 'hour' ? 'hours' : 'days';
  const h = v.highest!;
  return (
    `${v.points.length} ${unit} with samples; mean utilisation ${f.pct(v.mean ?? 0)}; highest ${f.pct(h.max)} (${f.bucketTime(h.t)}). ` +
    `${v.warningBuckets} ${unit} reached the warning threshold (${f.pct(v.warning)}), ${v.criticalBuckets} the critical threshold (${f.pct(v.critical)}).`
  );
}

/** The tooltip of a detail bucket (`labels`: the chart's locale and zone, as `formatBucket` takes them). */
export function pointTooltip(p: SeriesPoint, v: SeriesView, f: CapacityFormatters, labels: TimeLabelOptions = {}): TooltipContent {
  const at = p.level === 2 ? 'Critical' : p.level === 1 ? 'Warning' : 'Below warning';
  return {
    title: formatBucket(p.t, v.bucket, labels),
    rows: [
      { label: 'Mean', value: f.pct(p.avg), emphasis: true },
      { label: 'Max', value: f.pct(p.max) },
      { label: 'Level reached', value: at },
      { label: 'Samples', value: String(p.samples) },
      { label: 'At warning or above', value: String(p.breaches) },
      { label: 'At critical', value: String(p.criticalBreaches) },
    ],
    note: `Thresholds: warning ${f.pct(v.warning)}, critical ${f.pct(v.critical)}.`,
  };
}

/** Index of the point nearest to time `t` (points sorted by time; -1 when empty). */
export function nearestPoint(points: readonly SeriesPoint[], t: number): number {
  if (!points.length) return -1;
  let lo = 0;
  let hi = points.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (points[mid].t < t) lo = mid + 1;
    else hi = mid;
  }
  return lo > 0 && Math.abs(points[lo - 1].t - t) <= Math.abs(points[lo].t - t) ? lo - 1 : lo;
}

// ---- events

export function resourceDrilldown(g: Pick<CapacityGauge, 'resourceType' | 'environment'>, filters: UsageFilters): CapacityResourceDrilldown {
  return { kind: 'capacity-resource', resourceType: g.resourceType, environment: g.environment, filters: structuredClone(filters) };
}

export function alertDetail(g: CapacityGauge, filters: UsageFilters): UsageRequestCapacityAlertDetail {
  return {
    resourceType: g.resourceType,
    environment: g.environment,
    unit: g.unit,
    warningThreshold: g.warningThreshold,
    criticalThreshold: g.criticalThreshold,
    currentUsage: g.currentUsage,
    maxCapacity: g.maxCapacity,
    utilisation: g.utilisation,
    status: g.status,
    at: new Date(g.at).toISOString(),
    filters: structuredClone(filters),
  };
}
