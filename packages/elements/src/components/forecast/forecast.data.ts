/**
 * The pure parts of `<usage-forecast>`: the scope's filters, the drawing's data, the explanation of
 * a forecast (method, trend, weekly and yearly seasonality, backtest accuracy against the
 * seasonal-naive baseline), the realised accuracy of past forecasts, and the CSV / table rows.
 */
import type { ForecastHistory, PastForecast, UsageFilters, UsageForecastSeries } from '@usage-analytics/queries';
import type { ForecastChartData, PastForecastLine } from '../../charts/forecast-chart.js';
import type { DataColumn } from '../../internal/data-column.js';

type ForecastResult = UsageForecastSeries['forecast'];

export const HORIZONS = [30, 60, 90] as const;
export type Horizon = (typeof HORIZONS)[number];
export type ScopeKind = 'fleet' | 'department' | 'agent';

const DAY = 86_400_000;
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
export const dayMs = (date: string): number => Date.parse(`${date}T00:00:00Z`);

/** The nearest allowed horizon (30, 60 or 90 days). */
export function clampHorizon(h: unknown): Horizon {
  const n = Number(h);
  if (!Number.isFinite(n)) return 30;
  return HORIZONS.reduce((best, x) => (Math.abs(x - n) < Math.abs(best - n) ? x : best), 30 as Horizon);
}

/** The chart's filters narrowed to the scope (a department or an agent); the fleet keeps them. */
export function scopeFilters(filters: UsageFilters, scope: ScopeKind, key: string | undefined): UsageFilters {
  if (scope === 'department' && key) return { ...filters, departments: [key] };
  if (scope === 'agent' && key) return { ...filters, agentIds: [key] };
  return filters;
}

/** "Fleet", "Department sales", "Agent agt-1". */
export function scopeLabel(scope: ScopeKind, key: string | undefined): string {
  return scope === 'fleet' || !key ? 'Fleet' : `${scope === 'department' ? 'Department' : 'Agent'} ${key}`;
}

/** What the drawing shows: the history, the forecast, and the past forecasts (the picked one with its band). */
export function chartData(series: UsageForecastSeries, past: readonly PastForecast[], picked: string | 'all' | 'none'): ForecastChartData {
  const anomalies = new Set(series.cleanedDates);
  const lines: PastForecastLine[] = past
    .filter((f) => picked === 'all' || f.origin === picked)
    .map((f) => ({
      origin: f.origin,
      band: picked !== 'all',
      // Only the days that have happened: a past forecast is drawn against the actuals, not over the current forecast.
      points: f.points.filter((p) => p.actual !== null).map((p) => ({ t: dayMs(p.date), predicted: p.predicted, lower95: p.lower95, upper95: p.upper95 })),
    }));
  return {
    history: series.history.map((d) => ({ t: dayMs(d.date), value: d.value, anomaly: anomalies.has(d.date) })),
    forecast: series.forecast.points.map((p) => ({
      t: dayMs(p.date),
      predicted: p.predicted,
      lower80: p.lower80,
      upper80: p.upper80,
      lower95: p.lower95,
      upper95: p.upper95,
    })),
    past: lines,
  };
}

/** Past forecasts worth comparing: origins before the current one with at least one observed day. */
export function comparablePast(history: ForecastHistory | undefined, currentOrigin: string | undefined): PastForecast[] {
  return (history?.forecasts ?? []).filter((f) => (!currentOrigin || f.origin < currentOrigin) && f.realised.days > 0);
}

/** The default past forecast to compare: the newest with at least 28 observed days, else the oldest. */
export function defaultPick(past: readonly PastForecast[]): string | 'none' {
  if (!past.length) return 'none';
  const ripe = past.filter((f) => f.realised.days >= 28);
  return (ripe.length ? ripe[ripe.length - 1] : past[0]).origin;
}

/** Pooled realised accuracy over every past forecast (each observed day counted once per forecast). */
export function pooledAccuracy(past: readonly PastForecast[]): { days: number; mape: number | null; coverage95: number | null } {
  let days = 0;
  let ape = 0;
  let apeDays = 0;
  let in95 = 0;
  for (const f of past)
    for (const p of f.points) {
      if (p.actual === null) continue;
      days++;
      if (p.actual > 0) {
        ape += Math.abs(p.actual - p.predicted) / p.actual;
        apeDays++;
      }
      if (p.actual >= p.lower95 && p.actual <= p.upper95) in95++;
    }
  return { days, mape: apeDays ? (100 * ape) / apeDays : null, coverage95: days ? (100 * in95) / days : null };
}

export interface ExplanationItem {
  label: string;
  text: string;
}

const pct = (v: number, digits = 1) => `${v.toFixed(digits)} %`;
const signed = (v: number, digits = 1) => `${v >= 0 ? '+' : '−'}${Math.abs(v).toFixed(digits)}`;

/** A string field of an optional object, if it is one. */
function optString(o: unknown, ...keys: string[]): string | undefined {
  if (!o || typeof o !== 'object') return undefined;
  for (const k of keys) {
    const v = (o as Record<string, unknown>)[k];
    if (typeof v === 'string' && v.trim()) return v;
    if (v && typeof v === 'object') {
      const s = optString(v, 'summary', 'text', 'description');
      if (s) return s;
    }
  }
  return undefined;
}

function optNumber(o: unknown, ...keys: string[]): number | undefined {
  if (!o || typeof o !== 'object') return undefined;
  for (const k of keys) {
    const v = (o as Record<string, unknown>)[k];
    if (typeof v === 'number' && Number.isFinite(v)) return v;
  }
  return undefined;
}

const METHODS: Record<string, string> = {
  ensemble: 'Equal-weight ensemble of damped Holt-Winters ETS(A,Ad,A) and the Theta method',
  ets: 'Damped Holt-Winters ETS(A,Ad,A), weekly season',
  theta: 'Theta method on the seasonally adjusted series',
  seasonal_naive: 'Seasonal naive: each weekday repeats the last observed week',
  damped_trend_fallback: 'Damped trend without seasonality, ETS(A,Ad,N): fewer than 14 days of history',
  insufficient_data: 'No forecast: fewer than 2 days of history',
};

/** The weekday pattern from Theta's (or else ETS's) seasonal indices, relative to the weekly mean. */
function weekly(f: ForecastResult): string {
  const theta = f.params.theta;
  const ets = f.params.ets;
  const period = f.params.period;
  const start = f.training_start ? dayMs(f.training_start) : undefined;
  let rel: number[] | undefined;
  let how = '';
  if (theta && theta.seasonality !== 'none' && theta.indices.length === period) {
    const m = theta.indices.reduce((a, b) => a + b, 0) / period;
    rel =
      theta.seasonality === 'multiplicative' ? theta.indices.map((v) => 100 * (v / (m || 1) - 1)) : theta.indices.map((v) => (100 * v) / (theta.level || 1));
    how = `${theta.seasonality} weekly indices (Theta)`;
  } else if (ets && ets.s0.length === period && ets.l0 > 0) {
    rel = ets.s0.map((v) => (100 * v) / ets.l0);
    how = `additive weekly states (ETS, γ = ${ets.gamma.toFixed(2)})`;
  }
  if (theta?.seasonality === 'none' && !ets) return 'No significant weekly pattern (the seasonality test failed), so none is modelled.';
  if (!rel || start === undefined || period !== 7) return period === 7 ? 'Weekly pattern modelled (period 7 days).' : `Season of ${period} days.`;
  const byDay = rel.map((v, k) => ({ day: WEEKDAYS[new Date(start + k * DAY).getUTCDay()], v }));
  const hi = byDay.reduce((a, b) => (b.v > a.v ? b : a));
  const lo = byDay.reduce((a, b) => (b.v < a.v ? b : a));
  return `Busiest ${hi.day}s (${signed(hi.v, 0)} % against the weekly mean), quietest ${lo.day}s (${signed(lo.v, 0)} %); ${how}.`;
}

function trend(f: ForecastResult, history: readonly { value: number }[]): string {
  const pts = f.points;
  const parts: string[] = [];
  if (pts.length >= 14) {
    const first = pts.slice(0, 7).reduce((a, p) => a + p.predicted, 0) / 7;
    const last = pts.slice(-7).reduce((a, p) => a + p.predicted, 0) / 7;
    const recent = history.slice(-7).reduce((a, d) => a + d.value, 0) / Math.max(1, Math.min(7, history.length));
    const change = recent > 0 ? (100 * (last - recent)) / recent : null;
    parts.push(
      `Weekly average from ${Math.round(recent).toLocaleString('en-US')} (last 7 days) to ${Math.round(last).toLocaleString('en-US')} (last forecast week)` +
        (change === null ? '' : `, ${signed(change)} %`) +
        `; ${signed((last - first) / Math.max(1, pts.length - 7), 1)} requests/day over the horizon.`,
    );
  }
  if (f.params.ets) parts.push(`ETS damping φ = ${f.params.ets.phi.toFixed(2)} (the trend flattens out further ahead).`);
  if (f.params.theta) parts.push(`Theta drift ${signed(f.params.theta.drift, 2)} requests/day (seasonally adjusted).`);
  return parts.join(' ') || 'No trend estimated.';
}

/**
 * The explanation of a forecast: an `explanation` object from the model when it has one (method,
 * trend, seasonality, backtest MASE), else what the result itself shows.
 */
export function explainForecast(series: UsageForecastSeries): ExplanationItem[] {
  const f = series.forecast;
  const given = (f as unknown as { explanation?: unknown }).explanation ?? (series as unknown as { explanation?: unknown }).explanation;
  const items: ExplanationItem[] = [];
  items.push({ label: 'Method', text: optString(given, 'method') ?? METHODS[f.model_type] ?? f.model_type });
  items.push({ label: 'Trend', text: optString(given, 'trend') ?? trend(f, series.history) });
  items.push({ label: 'Weekly seasonality', text: optString(given, 'weekly', 'weeklySeasonality', 'weekly_seasonality', 'seasonality') ?? weekly(f) });
  const days = series.history.length;
  items.push({
    label: 'Yearly seasonality',
    text:
      optString(given, 'yearly', 'yearlySeasonality', 'yearly_seasonality') ??
      (days >= 730
        ? 'Not modelled by this method.'
        : `Not modelled: it needs at least two years of daily history, and there are ${days.toLocaleString('en-US')} days.`),
  });
  const mase = optNumber(given, 'mase', 'backtest_mase') ?? optNumber((given as Record<string, unknown> | undefined)?.backtest, 'mase');
  const baseMase =
    optNumber(given, 'baseline_mase', 'baselineMase') ?? optNumber((given as Record<string, unknown> | undefined)?.backtest, 'baseline_mase', 'baselineMase');
  let accuracy: string;
  if (f.mape === null || f.backtest_origins === 0) accuracy = 'Not backtested: the history is too short.';
  else {
    accuracy = `MAPE ${pct(f.mape)} over ${f.backtest_origins} rolling origins, 1–${f.backtest_horizon} days ahead`;
    if (f.baseline_mape !== null) {
      const better = f.baseline_mape > 0 ? (100 * (f.baseline_mape - f.mape)) / f.baseline_mape : 0;
      accuracy += `, against ${pct(f.baseline_mape)} for the seasonal-naive baseline (${better >= 0 ? `${better.toFixed(0)} % better` : `${(-better).toFixed(0)} % worse`})`;
    }
    accuracy += '.';
  }
  if (mase !== undefined) accuracy += ` MASE ${mase.toFixed(2)}${baseMase !== undefined ? ` (seasonal naive ${baseMase.toFixed(2)})` : ''}.`;
  items.push({ label: 'Backtest accuracy', text: optString(given, 'accuracy', 'backtest') ?? accuracy });
  const interval = f.params.interval_method;
  items.push({
    label: 'Prediction bands',
    text:
      interval === 'empirical'
        ? '80 % and 95 % bands from the quantiles of the backtest errors at each step ahead.'
        : interval === 'normal_approx'
          ? '80 % and 95 % bands from a normal approximation of the naive errors (too few backtest errors for empirical bands).'
          : 'No bands.',
  });
  items.push({
    label: 'Training data',
    text:
      `${f.training_start ?? '–'} to ${f.training_end ?? '–'} (${days.toLocaleString('en-US')} full days)` +
      (series.cleanedDates.length
        ? `; ${series.cleanedDates.length} anomalous day(s) replaced by their expectation before fitting: ${series.cleanedDates.join(', ')}.`
        : '.'),
  });
  if (f.notes.length) items.push({ label: 'Notes', text: f.notes.join(' ') });
  return items;
}

/** One row of the table view and of the CSV export: a history or forecast day. */
export interface ForecastRow {
  date: string;
  scope: string;
  kind: 'history' | 'forecast';
  request_count: number | null;
  forecast_value: number | null;
  lower80: number | null;
  upper80: number | null;
  lower95: number | null;
  upper95: number | null;
  model_type: string;
}

/** The rows of the forecast export: every history day (actuals), then every forecast day (prediction and bands). */
export function forecastRows(series: UsageForecastSeries, scope: string): ForecastRow[] {
  const model = series.forecast.model_type;
  const nulls = { forecast_value: null, lower80: null, upper80: null, lower95: null, upper95: null };
  return [
    ...series.history.map((d) => ({ date: d.date, scope, kind: 'history' as const, request_count: d.value, ...nulls, model_type: model })),
    ...series.forecast.points.map((p) => ({
      date: p.date,
      scope,
      kind: 'forecast' as const,
      request_count: null,
      forecast_value: p.predicted,
      lower80: p.lower80,
      upper80: p.upper80,
      lower95: p.lower95,
      upper95: p.upper95,
      model_type: model,
    })),
  ];
}

const round = (v: unknown) => (v === null || v === undefined ? '' : Math.round(Number(v)).toLocaleString('en-US'));

/** Columns of the table view and CSV, named after the PRD's fields (date, request_count, forecast_value, bands, model_type). */
export const FORECAST_COLUMNS: readonly DataColumn<ForecastRow>[] = [
  { key: 'date', label: 'date', type: 'text' },
  { key: 'scope', label: 'scope', type: 'text' },
  { key: 'kind', label: 'kind', type: 'text' },
  { key: 'request_count', label: 'request_count', type: 'integer' },
  { key: 'forecast_value', label: 'forecast_value', type: 'number', format: round },
  { key: 'lower80', label: 'lower80', type: 'number', format: round },
  { key: 'upper80', label: 'upper80', type: 'number', format: round },
  { key: 'lower95', label: 'lower95', type: 'number', format: round },
  { key: 'upper95', label: 'upper95', type: 'number', format: round },
  { key: 'model_type', label: 'model_type', type: 'text' },
];
