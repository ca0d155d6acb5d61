/**
 * The detail chart of one capacity gauge (chart 2.13), pure: utilisation over time per bucket — the
 * bucket mean as a solid line, the bucket max as a dashed line, the warning and critical thresholds
 * as labelled horizontal lines (dashed / dash-dot), and breaches marked above the max line (an open
 * triangle for a bucket with a sample at warning level, a filled diamond for critical: shape, not
 * hue). Lines break over buckets without samples (gaps are real). Every series is one `<path>`, so
 * a year of hours (8,760 buckets) stays a handful of nodes. Follows the chart contract.
 */
import type { ScaleLinear, ScaleTime } from 'd3-scale';
import { clearLayers, layers, sizeSvg, svgEl, type ChartModule, type Margin, type PlotRect } from '../../charts/contract.js';
import { drawTimeAxis, timeScale } from '../../charts/time-axis.js';
import { drawValueAxis, valueScale } from '../../charts/value-axis.js';
import type { SeriesPoint } from './capacity-gauges.data.js';

export interface CapacitySeriesData {
  points: readonly SeriesPoint[];
  /** Thresholds in %. */
  warning: number;
  critical: number;
  /** The window (epoch ms). */
  domain: [number, number];
  /** Bucket length (ms): points further apart than this are not joined. */
  step: number;
}

export interface CapacitySeriesOptions {
  /** BCP 47 locale of the axis labels (default en-GB). */
  locale?: string;
  width: number;
  height: number;
  /** Accessible name of the chart (role img). */
  label: string;
}

export interface CapacitySeriesLayout {
  plot: PlotRect;
  x: ScaleTime<number, number>;
  y: ScaleLinear<number, number>;
}

const MARGIN: Margin = { top: 22, right: 84, bottom: 28, left: 44 };
const states = new WeakMap<SVGSVGElement, { data: CapacitySeriesData; options: CapacitySeriesOptions }>();

const r1 = (v: number) => Math.round(v * 10) / 10;

/** One path through `value(p)` for each run of consecutive buckets. */
function linePath(points: readonly SeriesPoint[], step: number, x: (t: number) => number, y: (v: number) => number, value: (p: SeriesPoint) => number): string {
  let d = '';
  let prev = -Infinity;
  for (const p of points) {
    d += `${p.t - prev > step ? 'M' : 'L'}${r1(x(p.t + step / 2))},${r1(y(value(p)))}`;
    prev = p.t;
  }
  return d;
}

function render(svg: SVGSVGElement, data: CapacitySeriesData, options: CapacitySeriesOptions): CapacitySeriesLayout {
  const { width, height } = options;
  const plot = sizeSvg(svg, width, height, MARGIN);
  const L = layers(svg);
  for (const name of ['grid', 'marks', 'overlay', 'axis-x', 'axis-y', 'focus'] as const) L[name].replaceChildren();
  const top = Math.max(100, data.critical, ...data.points.map((p) => p.max));
  const y = valueScale(top, plot);
  const x = timeScale(data.domain, plot);
  drawValueAxis(L['axis-y'], L.grid, y, plot, (v) => `${v}`);
  drawTimeAxis(L['axis-x'], x, plot, { locale: options.locale });
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', options.label);

  const marks = L.marks;
  marks.append(
    svgEl('path', { class: 'series-max', d: linePath(data.points, data.step, x, y, (p) => p.max), fill: 'none' }),
    svgEl('path', { class: 'series-mean', d: linePath(data.points, data.step, x, y, (p) => p.avg), fill: 'none' }),
  );

  // Thresholds: lines across the plot, labelled in the right margin.
  const right = plot.left + plot.width;
  for (const [cls, v, text] of [
    ['threshold-warning', data.warning, `Warning ${Math.round(data.warning)} %`],
    ['threshold-critical', data.critical, `Critical ${Math.round(data.critical)} %`],
  ] as const) {
    const yy = r1(y(v));
    L.overlay.append(svgEl('line', { class: `threshold ${cls}`, x1: plot.left, x2: right, y1: yy, y2: yy }));
    const t = svgEl('text', { class: `threshold-label ${cls}-label`, x: right + 4, y: yy, 'dominant-baseline': 'middle' });
    t.textContent = text;
    L.focus.append(t);
  }

  // Breaches: one path per level, a mark above each bucket's max.
  let warn = '';
  let crit = '';
  for (const p of data.points) {
    if (p.level === 0) continue;
    const cx = r1(x(p.t + data.step / 2));
    const cy = r1(Math.max(plot.top + 4, y(p.max) - 7));
    if (p.level === 2) crit += `M${cx},${r1(cy - 4)}L${r1(cx + 4)},${cy}L${cx},${r1(cy + 4)}L${r1(cx - 4)},${cy}Z`;
    else warn += `M${cx},${r1(cy - 3.5)}L${r1(cx + 3.5)},${r1(cy + 3)}L${r1(cx - 3.5)},${r1(cy + 3)}Z`;
  }
  const breaches = svgEl('g', { class: 'breaches', 'aria-hidden': 'true' });
  if (warn) breaches.append(svgEl('path', { class: 'breach breach-warning', d: warn }));
  if (crit) breaches.append(svgEl('path', { class: 'breach breach-critical', d: crit }));
  L.focus.append(breaches);

  const yTitle = svgEl('text', { class: 'axis-title', x: 4, y: 12 });
  yTitle.textContent = 'Utilisation %';
  L.focus.append(yTitle);
  states.set(svg, { data, options });
  return { plot, x, y };
}

export function draw(svg: SVGSVGElement, data: CapacitySeriesData, options: CapacitySeriesOptions): CapacitySeriesLayout {
  clear(svg);
  return render(svg, data, options);
}

export function update(svg: SVGSVGElement, data: CapacitySeriesData, options: CapacitySeriesOptions): CapacitySeriesLayout {
  return render(svg, data, options);
}

export function resize(svg: SVGSVGElement, width: number, height: number): CapacitySeriesLayout | undefined {
  const s = states.get(svg);
  return s ? render(svg, s.data, { ...s.options, width, height }) : undefined;
}

export function clear(svg: SVGSVGElement): void {
  states.delete(svg);
  clearLayers(svg);
  svg.removeAttribute('role');
  svg.removeAttribute('aria-label');
}

export const capacitySeriesChart = { draw, update, resize, clear } satisfies ChartModule<CapacitySeriesData, CapacitySeriesOptions, CapacitySeriesLayout>;
