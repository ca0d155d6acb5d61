/**
 * Chart 2.16's drawing over a year of data: hourWeekday's local-time transform for America/New_York
 * (8,760 UTC hour steps mapped to local weekday-hours with Intl, across both DST changes, plus the
 * window's local exposure), maintenanceWindows' transform (six windows, weekly ones expanded over the
 * year, covered local hours), the view model (peaks, quietest 3-hour runs), and the SVG draw of the
 * 24 × 7 grid with the maintenance overlay and the style and layout it forces — into a fresh SVG each
 * run (cold) and into the same SVG (update, as a zone switch or new data repaints).
 */
import { defaultFilters, hourWeekday, maintenanceWindows, makeContext } from '@usage-analytics/queries';
import { heatmap, robustSequential } from '../../packages/elements/src/charts/heatmap.js';
import { maintenanceOverlay } from '../../packages/elements/src/charts/maintenance-overlay.js';
import { formatters, heatView, heatmapData, overlayMarks } from '../../packages/elements/src/components/time-heatmap/time-heatmap.data.js';
import { median } from './cases.js';

const HOUR_US = 3_600_000_000;
const END = '2026-11-01T00:00:00Z';
const ZONE = 'America/New_York';

export function benchTimeHeatmap(runs: number): {
  steps: number;
  windows: number;
  transformMs: number;
  windowsMs: number;
  viewMs: number;
  coldMs: number;
  updateMs: number;
} {
  const ctx = makeContext(defaultFilters({ timeRange: { preset: 'custom', start: '2025-11-01', end: END } }), END, '2025-01-01T00:00:00Z');
  const { start, end } = ctx.range;
  let seed = 5;
  const rand = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  // One row per UTC hour of the year (the zone's grain is an hour): office-hours load with noise.
  const steps: Record<string, unknown>[] = [];
  for (let h = Math.floor(start / HOUR_US); h * HOUR_US < end; h++) {
    const d = new Date(h * 3_600_000);
    const local = (d.getUTCHours() + 19) % 24;
    const weekday = d.getUTCDay() % 6 !== 0;
    steps.push({ step: h, n: Math.round((weekday ? 5 + 80 * Math.exp(-((local - 11) ** 2) / 10) : 3) * (0.8 + 0.4 * rand())) });
  }
  const us = (iso: string) => Date.parse(iso) * 1000;
  const win = (id: string, agent: string | null, s: string, hours: number, recurrence: string) => ({
    window_id: id,
    agent_id: agent,
    agent_name: agent,
    title: `Window ${id}`,
    s_us: us(s),
    e_us: us(s) + hours * HOUR_US,
    recurrence,
    u_us: null,
    created_by: 'ops',
  });
  const windowRows = [
    win('patch', null, '2025-11-02T03:00:00Z', 2, 'weekly'),
    win('rebuild', 'agt-a', '2025-11-08T22:00:00Z', 2.5, 'weekly'),
    win('canary', 'agt-b', '2026-03-04T23:30:00Z', 1.5, 'weekly'),
    win('migration', 'agt-c', '2026-05-13T13:00:00Z', 2, 'none'),
    win('network', null, '2026-09-15T06:00:00Z', 0.5, 'none'),
    win('upgrade', 'agt-d', '2026-11-11T04:00:00Z', 3, 'none'),
  ];
  const host = document.createElement('div');
  host.style.cssText = 'width:900px;font:11px system-ui';
  document.body.append(host);
  const transformMs: number[] = [];
  const windowsMs: number[] = [];
  const viewMs: number[] = [];
  const coldMs: number[] = [];
  const updateMs: number[] = [];
  const f = formatters('en-US');
  const paint = (svg: SVGSVGElement, v: ReturnType<typeof heatView>, fresh: boolean) => {
    const colour = robustSequential(v.cells.map((c) => c.avg)).scale;
    const options = { width: 900, colour, cellHeight: 22, minCellWidth: 44, maxCellWidth: 110, rowHeaderWidth: 56, rotateColumns: false, label: 'bench' };
    const layout = fresh ? heatmap.draw(svg, heatmapData(v, f), options) : heatmap.update(svg, heatmapData(v, f), options);
    (fresh ? maintenanceOverlay.draw : maintenanceOverlay.update)(svg, overlayMarks(v), { layout });
    svg.getBoundingClientRect();
    void host.offsetHeight; // style + layout of the new nodes
  };
  let windows = 0;
  for (let r = 0; r < Math.max(runs, 5) + 1; r++) {
    let t = performance.now();
    const cells = hourWeekday.transform(steps, ctx, { timeZone: ZONE });
    transformMs.push(performance.now() - t);
    t = performance.now();
    const mw = maintenanceWindows.transform(windowRows, ctx, { timeZone: ZONE });
    windowsMs.push(performance.now() - t);
    windows = mw.length;
    t = performance.now();
    const v = heatView(cells, mw, ZONE, 3, 5);
    viewMs.push(performance.now() - t);
    const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    host.replaceChildren(svg);
    t = performance.now();
    paint(svg, v, true);
    coldMs.push(performance.now() - t);
    t = performance.now();
    paint(svg, heatView(cells, mw, ZONE, 4, 5), false);
    updateMs.push(performance.now() - t);
  }
  host.remove();
  return {
    steps: steps.length,
    windows,
    transformMs: median(transformMs.slice(1)),
    windowsMs: median(windowsMs.slice(1)),
    viewMs: median(viewMs.slice(1)),
    coldMs: median(coldMs.slice(1)),
    updateMs: median(updateMs.slice(1)),
  };
}
