/**
 * Chart 2.12's drawing at its largest realistic size: a year of daily history, a 90-day forecast
 * with both bands, and 12 weekly past forecasts drawn at once ("All past forecasts"), into a
 * 1100 × 320 SVG — into a fresh SVG each run (cold) and into the same SVG (update), including the
 * style and layout the new nodes force. Also times the model (usageForecast's transform: anomaly
 * flags, ensemble fit, backtest) on the same year, which runs in the page after the query.
 */
import { forecast } from '@usage-analytics/forecast';
import { DEFAULT_FILTERS, forecastHistory, makeContext, usageForecast, type Row } from '@usage-analytics/queries';
import { forecastChart } from '../../packages/elements/src/charts/forecast-chart.js';
import { chartData } from '../../packages/elements/src/components/forecast/forecast.data.js';

const DAY = 86_400_000;
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : NaN;
};

export interface ForecastBench {
  historyDays: number;
  horizon: number;
  pastForecasts: number;
  /** Median ms of usageForecast.transform (model fit + backtest) over the year. */
  modelMs: number;
  /** Median ms of a draw into a fresh SVG / an update of the same SVG. */
  coldMs: number;
  updateMs: number;
}

export function benchForecast(runs: number): ForecastBench {
  const end = Date.UTC(2026, 10, 1);
  const days = 365;
  let seed = 11;
  const rand = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const points = Array.from({ length: days }, (_, i) => {
    const t = end - (days - i) * DAY;
    const wd = new Date(t).getUTCDay();
    return { date: new Date(t).toISOString().slice(0, 10), value: Math.round(4000 * (wd === 0 || wd === 6 ? 0.4 : 1) * (1 + i / 700) * (0.9 + 0.2 * rand())) };
  });
  const ctx = makeContext(DEFAULT_FILTERS, new Date(end), new Date(end - days * DAY));
  const rows: Row[] = points.map((p) => ({ key: '', date: p.date, requests: p.value, users: 1, partial: false }));
  const modelMs: number[] = [];
  let series = usageForecast.transform(rows, ctx, { horizon: 90 }).series[0];
  for (let r = 0; r < Math.max(3, Math.min(runs, 5)); r++) {
    const t = performance.now();
    series = usageForecast.transform(rows, ctx, { horizon: 90 }).series[0];
    modelMs.push(performance.now() - t);
  }
  // 12 weekly past forecasts, made by the model from the days before each origin.
  const actual = new Map(points.map((p) => [p.date, p.value]));
  const hist: Row[] = [];
  for (let k = 12; k >= 1; k--) {
    const origin = new Date(end - k * 7 * DAY).toISOString().slice(0, 10);
    const f = forecast(
      points.filter((p) => p.date < origin),
      { horizon: 90 },
    );
    f.points.forEach((p, i) =>
      hist.push({
        origin,
        step: i + 1,
        ...p,
        model_type: f.model_type,
        backtest_mape: f.mape,
        baseline_mape: f.baseline_mape,
        hindcast: true,
        actual: actual.get(p.date) ?? null,
      }),
    );
  }
  const past = forecastHistory.transform(hist, ctx, { scope: 'fleet' }).forecasts;
  const data = chartData(series, past, 'all');

  const host = document.createElement('div');
  host.style.cssText = 'width:1100px;height:320px;font:11px system-ui';
  document.body.append(host);
  const once = (svg: SVGSVGElement, fresh: boolean): number => {
    const t = performance.now();
    (fresh ? forecastChart.draw : forecastChart.update)(svg, data, { width: 1100, height: 320 });
    svg.getBoundingClientRect();
    void host.offsetHeight; // style + layout of the new nodes
    return performance.now() - t;
  };
  const coldMs: number[] = [];
  const updateMs: number[] = [];
  for (let r = 0; r < Math.max(runs, 5) + 1; r++) {
    host.replaceChildren(document.createElementNS('http://www.w3.org/2000/svg', 'svg'));
    coldMs.push(once(host.firstElementChild as SVGSVGElement, true));
    updateMs.push(once(host.firstElementChild as SVGSVGElement, false));
  }
  host.remove();
  return {
    historyDays: days,
    horizon: 90,
    pastForecasts: past.length,
    modelMs: median(modelMs),
    coldMs: median(coldMs.slice(1)),
    updateMs: median(updateMs.slice(1)),
  };
}
