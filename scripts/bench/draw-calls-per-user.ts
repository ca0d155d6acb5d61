/**
 * Chart 2.4's drawing at enterprise size: 50,000 users with a long tail (log-normal, median 8 calls,
 * the busiest ~20,000), so the module’s transform bins ~750 distinct call counts per period (12 log bins). Times,
 * per run, the `callsPerUser` transform (binning, outlier split, samples), the draw input and the SVG
 * draw with the style and layout it forces — into a fresh SVG (cold) and into the same SVG (update).
 */
import { callsPerUser, defaultFilters, makeContext } from '@usage-analytics/queries';
import { formatters, histogramData } from '../../packages/elements/src/components/calls-per-user/calls-per-user.data.js';
import { histogram } from '../../packages/elements/src/components/calls-per-user/histogram.js';

const USERS = 50_000;

function q7(sorted: number[], p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  return sorted[lo] + (h - lo) * ((sorted[Math.ceil(h)] ?? sorted[lo]) - sorted[lo]);
}

/** The module's SQL answer for USERS users (one row per period and call count), deterministic. */
function rows(): Record<string, unknown>[] {
  let s = 11;
  const rand = () => (s = (s * 16807) % 2147483647) / 2147483647;
  const gauss = () => Math.sqrt(-2 * Math.log(rand() || 1e-9)) * Math.cos(2 * Math.PI * rand());
  const draw = (n: number, median: number) => Array.from({ length: n }, () => Math.max(1, Math.round(median * Math.exp(1.3 * gauss()))));
  const cur = draw(USERS, 8);
  const prev = draw(Math.round(USERS * 0.92), 7);
  const pcts = (xs: number[]) => {
    const sorted = [...xs].sort((a, b) => a - b);
    return [0.1, 0.25, 0.5, 0.75, 0.9].map((p) => q7(sorted, p));
  };
  const out: Record<string, unknown>[] = [{ period: 'none', n: 0, users: 0, samples: [], p: pcts(cur), pp: pcts(prev) }];
  for (const [period, xs] of [
    ['current', cur],
    ['previous', prev],
  ] as const) {
    const byN = new Map<number, number>();
    for (const n of xs) byN.set(n, (byN.get(n) ?? 0) + 1);
    for (const [n, users] of [...byN].sort((a, b) => a[0] - b[0])) {
      out.push({ period, n, users, samples: period === 'current' ? [`u-${n}-a`, `u-${n}-b`, `u-${n}-c`].slice(0, users) : [] });
    }
  }
  return out;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

export function benchCallsPerUser(runs: number): { users: number; counts: number; bins: number; scale: string; coldMs: number; updateMs: number } {
  const answer = rows();
  const ctx = makeContext(defaultFilters(), new Date('2026-11-01T00:00:00Z'), new Date('2026-01-01T00:00:00Z'));
  const host = document.createElement('div');
  host.style.cssText = 'position:relative;width:720px;height:280px;font:11px system-ui';
  document.body.append(host);
  let bins = 0;
  let scale = '';
  const once = (svg: SVGSVGElement, fresh: boolean): number => {
    const t = performance.now();
    const d = callsPerUser.transform(answer, ctx, undefined);
    const data = histogramData(d, formatters('en-US'), true);
    const options = { width: 720, height: 280, label: 'bench' };
    if (fresh) histogram.draw(svg, data, options);
    else histogram.update(svg, data, options);
    svg.getBoundingClientRect();
    void host.offsetHeight; // style + layout of the new nodes
    bins = d.bins.length;
    scale = d.scale;
    return performance.now() - t;
  };
  const cold: number[] = [];
  const upd: number[] = [];
  for (let r = 0; r < Math.max(runs, 5) + 1; r++) {
    host.replaceChildren(document.createElementNS('http://www.w3.org/2000/svg', 'svg'));
    const svg = host.firstElementChild as SVGSVGElement;
    cold.push(once(svg, true));
    upd.push(once(svg, false));
  }
  host.remove();
  return { users: USERS, counts: answer.length - 1, bins, scale, coldMs: median(cold.slice(1)), updateMs: median(upd.slice(1)) };
}
