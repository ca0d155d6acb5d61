/**
 * Draw benchmark of chart 2.13 (`<usage-capacity-gauges>`), for the bench page. Two parts:
 *
 * - Gauges: 4 resources × 3 environments (12 gauges) through `capacityUtilisation`'s own transform,
 *   the view models (zones, texts, accessible names) and the Lit templates of every gauge card
 *   (radial and bullet), rendered into a fresh container (cold) and re-rendered into the same one
 *   with new values (update), with the style and layout they force.
 * - Detail: a year of hourly samples for 4 resources (8,760 hour buckets × 4 = 35,040 rows) through
 *   `capacitySeries`' transform, the detail view model of each resource (filter, breaches, summary)
 *   and the detail chart's draw (mean and max lines, thresholds, breach marks) for each of the four
 *   into a fresh SVG (cold) and the same SVG (update).
 *
 * Medians in ms (the first run is a warm-up).
 */
import { capacitySeries, capacityUtilisation, defaultFilters, makeContext, type CapacityGauge } from '@usage-analytics/queries';
import { html, render } from 'lit';
import { formatters, gaugeGroups, seriesSummary, seriesView } from '../../packages/elements/src/components/capacity-gauges/capacity-gauges.data.js';
import { capacitySeriesChart } from '../../packages/elements/src/components/capacity-gauges/capacity-series-chart.js';
import { bulletGauge, radialGauge, statusIcon } from '../../packages/elements/src/components/capacity-gauges/gauge-svg.js';

export interface CapacityGaugesBench {
  gauges: number;
  seriesRows: number;
  pointsPerResource: number;
  radial: { coldMs: number; updateMs: number };
  bullet: { coldMs: number; updateMs: number };
  /** capacitySeries' transform of the 35,040 rows. */
  seriesTransformMs: number;
  /** The detail: view model + draw of the four resources, one after the other. */
  detail: { coldMs: number; updateMs: number };
}

const RESOURCES = [
  ['api_rate_limit', 'req/min', 6000, 0.75, 0.9],
  ['compute', 'vCPU', 64, 0.7, 0.85],
  ['memory', 'GiB', 256, 0.8, 0.92],
  ['tokens_per_min', 'tokens/min', 2_000_000, 0.75, 0.9],
] as const;
const ENVS = ['production', 'staging', 'development'];
const HOUR = 3_600_000;
const END = Date.UTC(2026, 10, 1);
const HOURS = 8760;

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

export function benchCapacityGauges(runs: number): CapacityGaugesBench {
  const ctx = makeContext(
    defaultFilters({ environments: [], timeRange: { preset: 'custom', start: '2025-11-01', end: '2026-11-01' } }),
    '2026-11-01T00:00:00Z',
    '2025-01-01T00:00:00Z',
  );
  let seed = 13;
  const rand = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const gaugeRows = (shift: number) =>
    ENVS.flatMap((environment, e) =>
      RESOURCES.map(([resource_type, unit, max, w, c]) => {
        const u = Math.min(1.05, (0.35 + 0.6 * rand()) * (1 - 0.15 * e) + shift);
        return {
          resource_type,
          environment,
          at: END - HOUR,
          current_usage: u * max,
          max_capacity: max,
          utilisation: 100 * u,
          warning_threshold: 100 * w,
          critical_threshold: 100 * c,
          status: u >= c ? 'critical' : u >= w ? 'warning' : 'ok',
          unit,
          peak_at: END - 40 * HOUR,
          peak_u: Math.min(100, 100 * u + 10),
          peak_usage: Math.min(1, u + 0.1) * max,
          peak_capacity: max,
          peak_status: 'critical',
          samples: HOURS,
          peak_samples: 1,
          warning_samples: 400,
          critical_samples: 40,
        };
      }),
    );
  // A year of hours for the production environment of each resource: daily and weekly cycles, noise.
  const seriesRows: Record<string, unknown>[] = [];
  for (const [resource_type, , , w, c] of RESOURCES) {
    for (let h = 0; h < HOURS; h++) {
      const t = END - (HOURS - h) * HOUR;
      const day = Math.sin(((h % 24) - 8) * (Math.PI / 12));
      const week = (h / 24) % 7 >= 5 ? 0.6 : 1;
      const avg = Math.max(1, (45 + 30 * day) * week + 8 * rand());
      const max = Math.min(100, avg + 4 + 10 * rand());
      seriesRows.push({
        resource_type,
        environment: 'production',
        t,
        samples: 12,
        avg_u: avg,
        max_u: max,
        breaches: max >= 100 * w ? 1 + Math.floor(rand() * 3) : 0,
        critical_breaches: max >= 100 * c ? 1 : 0,
      });
    }
  }
  const f = formatters('en-US');
  const host = document.createElement('div');
  host.style.cssText = 'width:1100px;font:13px system-ui;display:grid;grid-template-columns:repeat(4,1fr);gap:8px';
  document.body.append(host);
  const card = (v: ReturnType<typeof gaugeGroups>[number]['gauges'][number], variant: 'radial' | 'bullet', uid: string) =>
    html`<div class="gauge" data-status=${v.status}>
      <button type="button">
        <span>${v.label}</span>${variant === 'radial' ? radialGauge(v, uid) : bulletGauge(v, uid)}<span>${statusIcon(v.status)}${v.statusText}</span>
        <span>${v.figureText}</span><span>${v.peakText}</span>
      </button>
      <p>${v.thresholdsText}</p>
      <button type="button">Configure alert</button>
    </div>`;
  const paintGauges = (variant: 'radial' | 'bullet', shift: number, target: HTMLElement) => {
    const gauges: CapacityGauge[] = capacityUtilisation.transform(gaugeRows(shift), ctx, undefined);
    const groups = gaugeGroups(gauges, ENVS, f, END - 365 * 24 * HOUR);
    render(html`${groups.flatMap((g, gi) => g.gauges.map((v, i) => card(v, variant, `b${gi}-${i}`)))}`, target);
    void target.offsetHeight; // style + layout of the new nodes
  };
  const time = { radial: { cold: [] as number[], update: [] as number[] }, bullet: { cold: [] as number[], update: [] as number[] } };
  const transformMs: number[] = [];
  const detailCold: number[] = [];
  const detailUpdate: number[] = [];
  let gaugeCount = 0;
  let points = 0;
  for (let r = 0; r < Math.max(runs, 5) + 1; r++) {
    for (const variant of ['radial', 'bullet'] as const) {
      const target = document.createElement('div');
      target.style.display = 'contents';
      host.replaceChildren(target);
      let t = performance.now();
      paintGauges(variant, 0, target);
      time[variant].cold.push(performance.now() - t);
      t = performance.now();
      paintGauges(variant, 0.05, target);
      time[variant].update.push(performance.now() - t);
      gaugeCount = target.querySelectorAll('svg.gauge-svg').length;
    }
    let t = performance.now();
    const all = capacitySeries.transform(seriesRows, ctx, {});
    transformMs.push(performance.now() - t);
    const gauges = capacityUtilisation.transform(gaugeRows(0), ctx, undefined).filter((g) => g.environment === 'production');
    const svgs = gauges.map(() => document.createElementNS('http://www.w3.org/2000/svg', 'svg'));
    host.replaceChildren(...svgs);
    const paintDetail = (fresh: boolean) => {
      gauges.forEach((g, i) => {
        const v = seriesView(all, g, 'hour');
        points = v.points.length;
        seriesSummary(v, f);
        const data = {
          points: v.points,
          warning: v.warning,
          critical: v.critical,
          domain: [v.points[0].t, v.points[v.points.length - 1].t + HOUR] as [number, number],
          step: HOUR,
        };
        const options = { width: 1000, height: 240, label: 'bench' };
        (fresh ? capacitySeriesChart.draw : capacitySeriesChart.update)(svgs[i], data, options);
      });
      void host.offsetHeight;
    };
    t = performance.now();
    paintDetail(true);
    detailCold.push(performance.now() - t);
    t = performance.now();
    paintDetail(false);
    detailUpdate.push(performance.now() - t);
  }
  host.remove();
  const m = (xs: number[]) => median(xs.slice(1));
  return {
    gauges: gaugeCount,
    seriesRows: seriesRows.length,
    pointsPerResource: points,
    radial: { coldMs: m(time.radial.cold), updateMs: m(time.radial.update) },
    bullet: { coldMs: m(time.bullet.cold), updateMs: m(time.bullet.update) },
    seriesTransformMs: m(transformMs),
    detail: { coldMs: m(detailCold), updateMs: m(detailUpdate) },
  };
}
