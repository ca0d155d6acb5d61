/**
 * A small line chart (the month-1 retention overlay of chart 2.2), pure: draws into an `<svg>` the
 * element owns, following the chart contract (`draw` / `update` / `resize` / `clear`). The SVG is
 * an image (`role="img"`) whose accessible name the element sets; the points carry `<title>`s.
 */
import { scaleLinear, scalePoint } from 'd3-scale';
import { line } from 'd3-shape';
import { svgEl, type ChartModule } from '../../charts/contract.js';

export interface SparkPoint {
  /** X label (e.g. a cohort month). */
  key: string;
  value: number;
  /** Text of the point's `<title>`. */
  title: string;
}

export interface SparkOptions {
  width: number;
  height?: number;
  /** Value domain (default [0, max]). */
  domain?: [number, number];
  colour?: string;
}

export interface SparkLayout {
  width: number;
  height: number;
  x: (key: string) => number;
  y: (value: number) => number;
}

const states = new WeakMap<SVGSVGElement, { points: readonly SparkPoint[]; options: SparkOptions }>();

export function draw(svg: SVGSVGElement, points: readonly SparkPoint[], options: SparkOptions): SparkLayout {
  clear(svg);
  return update(svg, points, options);
}

export function update(svg: SVGSVGElement, points: readonly SparkPoint[], options: SparkOptions): SparkLayout {
  states.set(svg, { points, options });
  while (svg.firstChild) svg.firstChild.remove();
  const width = Math.max(40, options.width);
  const height = options.height ?? 48;
  const pad = 4;
  svg.setAttribute('width', String(width));
  svg.setAttribute('height', String(height));
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  const max = Math.max(1, ...points.map((p) => p.value));
  const x = scalePoint<string>()
    .domain(points.map((p) => p.key))
    .range([pad, width - pad])
    .padding(points.length === 1 ? 0.5 : 0);
  const y = scaleLinear()
    .domain(options.domain ?? [0, max])
    .range([height - pad, pad])
    .clamp(true);
  const colour = options.colour ?? 'currentColor';
  const path = line<SparkPoint>()
    .x((p) => x(p.key) ?? 0)
    .y((p) => y(p.value))(points as SparkPoint[]);
  if (path) svg.append(svgEl('path', { class: 'spark-line', d: path, fill: 'none', stroke: colour, 'stroke-width': 2 }));
  for (const p of points) {
    const dot = svgEl('circle', { class: 'spark-dot', cx: x(p.key) ?? 0, cy: y(p.value), r: 3, fill: colour });
    const title = svgEl('title');
    title.textContent = p.title;
    dot.append(title);
    svg.append(dot);
  }
  return { width, height, x: (k) => x(k) ?? 0, y };
}

export function resize(svg: SVGSVGElement, width: number): SparkLayout | undefined {
  const s = states.get(svg);
  return s ? update(svg, s.points, { ...s.options, width }) : undefined;
}

export function clear(svg: SVGSVGElement): void {
  states.delete(svg);
  while (svg.firstChild) svg.firstChild.remove();
}

/** The module as one object, checked against the chart contract. */
export const sparkline = { draw, update, resize, clear } satisfies ChartModule<readonly SparkPoint[], SparkOptions, SparkLayout>;
