/**
 * Chart 2.10's drawing at 10 series × 365 days (PRD FR2.5's maximum, a year): the query module's
 * transform with the 30-day logistic forecast of every series (the fits), the plotted model, and the
 * SVG draw (lines, forecasts, benchmark band, axes, labels) with the style and layout it forces —
 * into a fresh SVG each run (cold) and into the same SVG with a moved focus (update, as each
 * keyboard step repaints).
 */
import { adoptionCurve, type AdoptionBenchmark } from '@usage-analytics/queries';
import { curveModel, stageColour } from '../../packages/elements/src/components/adoption-curve/adoption-curve.data.js';
import { adoptionCurves } from '../../packages/elements/src/components/adoption-curve/adoption-curve.draw.js';
import { median } from './cases.js';

const DAY = 86_400_000;
const END = Date.UTC(2026, 10, 1);
const STAGES = ['active', 'beta', 'deprecated', 'archived'];

/** The query's rows for `n` series over `days` days: logistic uptakes with noise, launched across the year. */
function rows(n: number, days: number): Record<string, unknown>[] {
  let seed = 11;
  const rand = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const out: Record<string, unknown>[] = [{ kind: 'eligible', eligible: 50_000 }];
  for (let i = 0; i < n; i++) {
    const key = `agt-${i}`;
    const launch = END - Math.round(days * (1.1 - i / n)) * DAY;
    out.push({ kind: 'series', series: key, stage: STAGES[i % 4], agent_name: `Agent ${i}`, launch_source: 'registry', launch_date: iso(launch) });
    const capacity = 1000 + 4000 * rand();
    let cu = 0;
    let cr = 0;
    for (let d = 0; d < days; d++) {
      const t = END - (days - d) * DAY;
      const age = (t - launch) / DAY;
      const target = age < 0 ? 0 : capacity / (1 + Math.exp(-(age - 60) / 15));
      const nu = Math.max(0, Math.round(target - cu + rand() * 3));
      const req = Math.round((cu + nu) * (0.3 + rand() * 0.2));
      cu += nu;
      cr += req;
      out.push({ kind: 'point', series: key, agent_id: key, version: null, date: iso(t), new_users: nu, requests: req, cum_users: cu, cum_requests: cr });
    }
  }
  return out;
}

const BENCHMARK: AdoptionBenchmark = {
  days: 30,
  agentIds: ['p1', 'p2', 'p3'],
  points: Array.from({ length: 30 }, (_, k) => ({
    day: k,
    users: { p25: 10 * k, median: 20 * k, p75: 30 * k },
    requests: { p25: 30 * k, median: 60 * k, p75: 90 * k },
  })),
};

export function benchAdoptionCurve(runs: number): { series: number; days: number; points: number; transformMs: number; coldMs: number; updateMs: number } {
  const series = 10;
  const days = 365;
  const input = rows(series, days);
  const host = document.createElement('div');
  host.style.cssText = 'width:1100px;font:11px system-ui';
  document.body.append(host);
  const transformMs: number[] = [];
  const coldMs: number[] = [];
  const updateMs: number[] = [];
  const options = (focusX: number | null) => ({
    width: 1100,
    height: 360,
    colour: (l: { stage: Parameters<typeof stageColour>[0] }) => stageColour(l.stage),
    focus: focusX === null ? null : { key: 'agt-3', x: focusX },
  });
  for (let r = 0; r < Math.max(runs, 5) + 1; r++) {
    let t = performance.now();
    const curve = adoptionCurve.transform(input, undefined as never, { forecastDays: 30 });
    transformMs.push(performance.now() - t);
    const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    host.replaceChildren(svg);
    t = performance.now();
    const model = curveModel(curve, BENCHMARK, 'launch', 'users', true);
    adoptionCurves.draw(svg, model, options(null));
    svg.getBoundingClientRect();
    void host.offsetHeight;
    coldMs.push(performance.now() - t);
    t = performance.now();
    adoptionCurves.update(svg, model, options(100 + r));
    svg.getBoundingClientRect();
    void host.offsetHeight;
    updateMs.push(performance.now() - t);
  }
  host.remove();
  return {
    series,
    days,
    points: series * days,
    transformMs: median(transformMs.slice(1)),
    coldMs: median(coldMs.slice(1)),
    updateMs: median(updateMs.slice(1)),
  };
}
