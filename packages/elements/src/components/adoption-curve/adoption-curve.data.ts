/**
 * Chart 2.10's data, pure: the query answers (`adoptionCurve`, `adoptionBenchmark`) turned into what
 * the draw module plots (one line per agent or version on a days-since-launch or calendar axis, the
 * benchmark band, the forecast), plus the tooltip, the legend's stages, the CSV rows and the drill-down.
 */
import type { AdoptionBenchmark, AdoptionCurve, AdoptionSeries, UsageFilters } from '@usage-analytics/queries';
import type { UsageDrilldownDetail } from '../../events/usage-drilldown.js';
import type { DataColumn } from '../../internal/data-column.js';
import { OTHER_COLOUR } from '../../internal/palette.js';
import type { TooltipContent } from '../../internal/tooltip.js';
import { OKABE_ITO } from '../../theme/tokens.js';

export type AxisMode = 'launch' | 'calendar';
export type Metric = 'users' | 'requests';

/** Lifecycle stages in legend order (the registry's `agent_status`), then agents missing from it. */
export const STAGES = ['beta', 'active', 'superseded', 'deprecated', 'archived', 'unknown'] as const;
export type Stage = (typeof STAGES)[number];

export const STAGE_LABELS: Readonly<Record<Stage, string>> = Object.freeze({
  beta: 'Beta',
  active: 'Active',
  superseded: 'Older version',
  deprecated: 'Deprecated',
  archived: 'Archived',
  unknown: 'Not in registry',
});

/**
 * Okabe–Ito hue of each stage, by index into the theme's categorical palette (`--usage-cat-1…8`):
 * orange, blue, bluish green, reddish purple and black stay apart under every common colour-vision
 * deficiency; the stage is also printed in the series list, the tooltip and the legend (never colour alone).
 */
const STAGE_PALETTE_INDEX: Readonly<Record<Exclude<Stage, 'unknown'>, number>> = { beta: 0, active: 4, superseded: 2, deprecated: 6, archived: 7 };

export const stageOf = (s: { stage: string | null }): Stage => ((STAGES as readonly string[]).includes(s.stage ?? '') ? (s.stage as Stage) : 'unknown');

/** The colour of a stage from a palette (default Okabe–Ito; pass the theme's resolved palette). */
export function stageColour(stage: Stage, palette: readonly string[] = OKABE_ITO): string {
  return stage === 'unknown' ? OTHER_COLOUR : (palette[STAGE_PALETTE_INDEX[stage]] ?? OKABE_ITO[STAGE_PALETTE_INDEX[stage]]);
}

export interface CurvePoint {
  /** Position on the x axis: days since launch, or days since 1970-01-01 (calendar). */
  x: number;
  value: number;
  date: string;
  daysSinceLaunch: number;
  newUsers: number;
  requests: number;
  cumulativeUsers: number;
  cumulativeRequests: number;
  adoptionRate: number | null;
}

export interface CurveLine {
  key: string;
  agentId: string;
  version: string | null;
  /** "Name v1.2" (user text: render as text). */
  label: string;
  /** The end label: the name cut to 18 characters, the version always kept ("Support Co… v2.0"). */
  short: string;
  stage: Stage;
  launchDate: string;
  launchSource: 'registry' | 'first_request';
  points: CurvePoint[];
  forecast: { x: number; value: number; date: string }[];
}

export interface BandPoint {
  x: number;
  p25: number;
  median: number;
  p75: number;
}

/** What the draw module plots. */
export interface CurveModel {
  axis: AxisMode;
  metric: Metric;
  lines: CurveLine[];
  /** The benchmark band (launch axis only; empty otherwise or without past launches). */
  band: BandPoint[];
  /** Every x with an observed point, ascending (the keyboard steps through them). */
  xs: number[];
  /**
   * The benchmark was left out because every series' first plotted day is after its last day (all
   * launched long before the period): drawn, it would squeeze the lines to the right.
   */
  bandBeforeLines: boolean;
}

const MS_DAY = 86_400_000;
export const dayNumber = (date: string): number => Math.round(Date.parse(`${date}T00:00:00Z`) / MS_DAY);
export const dateOfDay = (day: number): string => new Date(day * MS_DAY).toISOString().slice(0, 10);

/** A promotion campaign (A2.1) marked on the calendar axis at its first day. */
export interface CampaignMarker {
  id: string;
  /** First day, `YYYY-MM-DD` (UTC). */
  startsOn: string;
  endsOn?: string | null;
  /** The agent's users and requests in the 30 days before it (the baseline its reach is measured against), when known. */
  baseline?: { users: number; requests: number } | null;
}

/** The marker's accessible label: "Campaign 12 from 2026-10-01 to 2026-10-14: 25 users and 310 requests in the 30 days before". */
export function campaignLabel(c: CampaignMarker, f?: Pick<Formatters, 'count'>): string {
  const n = (v: number) => (f ? f.count(v) : String(v));
  const span = `from ${c.startsOn}${c.endsOn ? ` to ${c.endsOn}` : ''}`;
  const base = c.baseline ? `: ${n(c.baseline.users)} users and ${n(c.baseline.requests)} requests in the 30 days before` : '';
  return `Campaign ${c.id} ${span}${base}`;
}

/** "Support Bot", or "Support Bot v2.0" per version; the agent id when the registry has no name. */
export function seriesLabel(s: AdoptionSeries): string {
  const name = s.agentName || s.agentId;
  return s.version === null ? name : `${name} v${s.version}`;
}

/** {@link CurveLine.short}. */
export function shortLabel(s: AdoptionSeries, max = 18): string {
  const name = s.agentName || s.agentId;
  const version = s.version === null ? '' : ` v${s.version}`;
  const room = Math.max(4, max - version.length);
  return (name.length > room ? `${name.slice(0, room - 1)}…` : name) + version;
}

/**
 * The plotted model. On the launch axis a line starts at its launch day (days before it are dropped)
 * and the band is the benchmark's P25–P75 with its median; on the calendar axis there is no band.
 */
export function curveModel(curve: AdoptionCurve, benchmark: AdoptionBenchmark | undefined, axis: AxisMode, metric: Metric, withForecast: boolean): CurveModel {
  const value = (p: { cumulativeUsers: number | null; cumulativeRequests: number | null }) => (metric === 'users' ? p.cumulativeUsers : p.cumulativeRequests);
  const lines = curve.series.map((s): CurveLine => {
    const launch = dayNumber(s.launchDate);
    const xOf = (date: string) => (axis === 'launch' ? dayNumber(date) - launch : dayNumber(date));
    const points = s.points
      .filter((p) => axis === 'calendar' || dayNumber(p.date) >= launch)
      .map((p) => ({ ...p, x: xOf(p.date), value: value(p)!, daysSinceLaunch: dayNumber(p.date) - launch }));
    const forecast = withForecast
      ? s.forecast.flatMap((p) => {
          const v = value(p);
          return v === null ? [] : [{ x: xOf(p.date), value: v, date: p.date }];
        })
      : [];
    return {
      key: s.key,
      agentId: s.agentId,
      version: s.version,
      label: seriesLabel(s),
      short: shortLabel(s),
      stage: stageOf(s),
      launchDate: s.launchDate,
      launchSource: s.launchSource,
      points,
      forecast,
    };
  });
  let band = axis === 'launch' && benchmark ? benchmark.points.map((p) => ({ x: p.day, ...(metric === 'users' ? p.users : p.requests) })) : [];
  const xs = [...new Set(lines.flatMap((l) => l.points.map((p) => p.x)))].sort((a, b) => a - b);
  const bandBeforeLines = band.length > 0 && xs.length > 0 && xs[0] > band[band.length - 1].x;
  if (bandBeforeLines) band = [];
  return { axis, metric, lines, band, xs, bandBeforeLines };
}

/** The stages present, in legend order. */
export const stagesOf = (model: CurveModel): Stage[] => STAGES.filter((s) => model.lines.some((l) => l.stage === s));

export interface Formatters {
  count: (v: number) => string;
  rate: (v: number | null) => string;
  date: (iso: string) => string;
}

export function formatters(locale: string): Formatters {
  const nf = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  const pf = new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const df = new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' });
  return {
    count: (v) => nf.format(v),
    rate: (v) => (v === null || !Number.isFinite(v) ? 'n/a' : `${pf.format(v)} %`),
    date: (iso) => df.format(new Date(`${iso}T00:00:00Z`)),
  };
}

const METRIC_LABEL: Record<Metric, string> = { users: 'Cumulative users', requests: 'Cumulative requests' };
export const metricLabel = (m: Metric): string => METRIC_LABEL[m];

/** "Day 12 since launch" or the date. */
export function xLabel(model: CurveModel, x: number, f: Formatters): string {
  return model.axis === 'launch' ? `Day ${f.count(x)} since launch` : f.date(dateOfDay(x));
}

/** The tooltip of line `line` at `x`: that day's adoption metrics, the benchmark there, the stage. */
export function pointTooltip(model: CurveModel, line: CurveLine, x: number, f: Formatters): TooltipContent | undefined {
  const p = line.points.find((q) => q.x === x);
  if (!p) return undefined;
  const band = model.band.find((b) => b.x === p.daysSinceLaunch);
  const rows = [
    { label: 'Date', value: `${f.date(p.date)} (day ${f.count(p.daysSinceLaunch)} since launch)` },
    { label: 'New users that day', value: f.count(p.newUsers) },
    { label: 'Requests that day', value: f.count(p.requests) },
    { label: 'Cumulative users', value: f.count(p.cumulativeUsers), emphasis: model.metric === 'users' },
    { label: 'Cumulative requests', value: f.count(p.cumulativeRequests), emphasis: model.metric === 'requests' },
    { label: 'Adoption rate', value: f.rate(p.adoptionRate) },
    { label: 'Lifecycle stage', value: STAGE_LABELS[line.stage] },
  ];
  if (band) rows.push({ label: 'Past launches (median)', value: `${f.count(band.median)} (P25–P75 ${f.count(band.p25)}–${f.count(band.p75)})` });
  return { title: line.label, rows, note: 'Enter or click opens the agent.' };
}

/** What the screen reader hears when the focus moves. */
export function announce(model: CurveModel, line: CurveLine, x: number, f: Formatters): string {
  const t = pointTooltip(model, line, x, f);
  return t ? `${t.title}, ${xLabel(model, x, f)}: ${(t.rows ?? []).map((r) => `${r.label} ${r.value}`).join(', ')}` : '';
}

/** The agent detail of a line (Level 3), with the filters the chart shows. */
export const agentDrilldown = (line: CurveLine, filters: UsageFilters): UsageDrilldownDetail => ({ kind: 'agent', agentId: line.agentId, filters });

/** One row of the CSV and the data-table view: an observed day, a forecast day, or a benchmark day. */
export interface ScreenRow {
  kind: 'observed' | 'forecast' | 'benchmark';
  series: string;
  agentId: string;
  version: string;
  stage: string;
  launchDate: string;
  date: string;
  daysSinceLaunch: number | null;
  newUsers: number | null;
  requests: number | null;
  cumulativeUsers: number | null;
  cumulativeRequests: number | null;
  adoptionRate: number | null;
  benchmarkP25: number | null;
  benchmarkMedian: number | null;
  benchmarkP75: number | null;
}

const blank = {
  newUsers: null,
  requests: null,
  cumulativeUsers: null,
  cumulativeRequests: null,
  adoptionRate: null,
  benchmarkP25: null,
  benchmarkMedian: null,
  benchmarkP75: null,
};

/** Every observed and forecast day of every series, then the benchmark's days (users and requests in the metric shown). */
export function screenRows(curve: AdoptionCurve, benchmark: AdoptionBenchmark | undefined, metric: Metric): ScreenRow[] {
  const rows: ScreenRow[] = [];
  for (const s of curve.series) {
    const launch = dayNumber(s.launchDate);
    const head = { series: seriesLabel(s), agentId: s.agentId, version: s.version ?? '', stage: STAGE_LABELS[stageOf(s)], launchDate: s.launchDate };
    for (const p of s.points)
      rows.push({
        ...blank,
        ...head,
        kind: 'observed',
        date: p.date,
        daysSinceLaunch: dayNumber(p.date) - launch,
        newUsers: p.newUsers,
        requests: p.requests,
        cumulativeUsers: p.cumulativeUsers,
        cumulativeRequests: p.cumulativeRequests,
        adoptionRate: p.adoptionRate,
      });
    for (const p of s.forecast)
      rows.push({
        ...blank,
        ...head,
        kind: 'forecast',
        date: p.date,
        daysSinceLaunch: dayNumber(p.date) - launch,
        cumulativeUsers: p.cumulativeUsers,
        cumulativeRequests: p.cumulativeRequests,
      });
  }
  for (const p of benchmark?.points ?? []) {
    const q = metric === 'users' ? p.users : p.requests;
    rows.push({
      ...blank,
      kind: 'benchmark',
      series: `Past launches (${metric})`,
      agentId: '',
      version: '',
      stage: '',
      launchDate: '',
      date: '',
      daysSinceLaunch: p.day,
      benchmarkP25: q.p25,
      benchmarkMedian: q.median,
      benchmarkP75: q.p75,
    });
  }
  return rows;
}

export const SCREEN_COLUMNS: readonly DataColumn<ScreenRow>[] = [
  { key: 'kind', label: 'Row' },
  { key: 'series', label: 'Series' },
  { key: 'agentId', label: 'Agent id' },
  { key: 'version', label: 'Version' },
  { key: 'stage', label: 'Lifecycle stage' },
  { key: 'launchDate', label: 'Launch day' },
  { key: 'date', label: 'Date' },
  { key: 'daysSinceLaunch', label: 'Days since launch', type: 'integer' },
  { key: 'newUsers', label: 'New users', type: 'integer' },
  { key: 'requests', label: 'Requests', type: 'integer' },
  { key: 'cumulativeUsers', label: 'Cumulative users', type: 'number' },
  { key: 'cumulativeRequests', label: 'Cumulative requests', type: 'number' },
  { key: 'adoptionRate', label: 'Adoption rate (%)', type: 'number' },
  { key: 'benchmarkP25', label: 'Benchmark P25', type: 'number' },
  { key: 'benchmarkMedian', label: 'Benchmark median', type: 'number' },
  { key: 'benchmarkP75', label: 'Benchmark P75', type: 'number' },
];
