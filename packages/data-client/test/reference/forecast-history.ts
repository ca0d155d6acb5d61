/** Independent reference for `forecastHistory` (chart 2.12 accuracy tracking): plain TypeScript over the dataset's rows. */
import type { ForecastHistory, ForecastHistoryParams, UsageFilters } from '@usage-analytics/queries';
import type { Dataset, Row } from '../fixtures.js';
import { US_DAY, anchorOf, cmpStr, dataStartOf, filterPred, isoDate, rangeOf } from './common.js';

export function refForecastHistory(ds: Dataset, f: UsageFilters, p: ForecastHistoryParams = {}): ForecastHistory {
  const scope = p.scope ?? 'fleet';
  const key = scope === 'fleet' ? '' : (p.key ?? '');
  // Full UTC days of the data: from the first midnight at or after the start to the last midnight at or before the end.
  const first = Math.ceil(dataStartOf(ds) / US_DAY) * US_DAY;
  const last = Math.floor(anchorOf(ds) / US_DAY) * US_DAY;
  const pred = filterPred(ds, f, rangeOf(ds, f));
  const perDay = new Map<string, number>();
  for (const r of ds.requests) {
    if (r.ts < first || r.ts >= last || !pred(r)) continue;
    if (scope === 'department' && r.department_id !== key) continue;
    if (scope === 'agent' && r.agent_id !== key) continue;
    const d = isoDate(r.ts);
    perDay.set(d, (perDay.get(d) ?? 0) + 1);
  }
  const firstDay = isoDate(first);
  const lastDay = isoDate(last);
  const rows = ((ds.forecast_history ?? []) as Row[])
    .filter((r) => r.scope_kind === scope && r.scope_key === key)
    .sort((a, b) => cmpStr(String(a.origin), String(b.origin)) || Number(a.step) - Number(b.step));
  const forecasts: ForecastHistory['forecasts'] = [];
  for (const r of rows) {
    let fc = forecasts.at(-1);
    if (!fc || fc.origin !== r.origin) {
      fc = {
        origin: String(r.origin),
        model_type: String(r.model_type),
        backtest_mape: (r.backtest_mape as number | null) ?? null,
        baseline_mape: (r.baseline_mape as number | null) ?? null,
        hindcast: r.hindcast === true,
        points: [],
        realised: { days: 0, mape: null, coverage80: null, coverage95: null },
      };
      forecasts.push(fc);
    }
    const date = String(r.date);
    const actual = date >= firstDay && date < lastDay ? (perDay.get(date) ?? 0) : null;
    const num = (k: string) => Number(r[k]);
    fc.points.push({
      date,
      step: num('step'),
      predicted: num('predicted'),
      lower80: num('lower80'),
      upper80: num('upper80'),
      lower95: num('lower95'),
      upper95: num('upper95'),
      actual,
    });
  }
  for (const fc of forecasts) {
    const seen = fc.points.filter((q) => q.actual !== null) as (ForecastHistory['forecasts'][number]['points'][number] & { actual: number })[];
    const positive = seen.filter((q) => q.actual > 0);
    const share = (n: number) => (seen.length ? (100 * n) / seen.length : null);
    fc.realised = {
      days: seen.length,
      mape: positive.length ? (100 * positive.reduce((s, q) => s + Math.abs(q.actual - q.predicted) / q.actual, 0)) / positive.length : null,
      coverage80: share(seen.filter((q) => q.lower80 <= q.actual && q.actual <= q.upper80).length),
      coverage95: share(seen.filter((q) => q.lower95 <= q.actual && q.actual <= q.upper95).length),
    };
  }
  return { scope, key, forecasts };
}
