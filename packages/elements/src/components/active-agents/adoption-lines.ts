/**
 * Version adoption lines (chart 2.3's version toggle), pure: one line per version of an agent, its
 * share of the agent's requests per day (0–100 %), drawn into an `<svg>` the element owns
 * following the chart contract (`draw` / `update` / `resize` / `clear`). Days without requests are
 * gaps. The newest version is drawn solid and thick, older ones dashed, so colour is not the only cue.
 */
import { axisBottom, axisLeft } from 'd3-axis';
import { scaleLinear, scaleUtc } from 'd3-scale';
import { select } from 'd3-selection';
import { line } from 'd3-shape';
import { svgEl, type ChartModule } from '../../charts/contract.js';
import type { AdoptionSeries } from './active-agents.data.js';

export interface AdoptionOptions {
  width: number;
  height?: number;
  /** Colour of each version (index into `series.versions`). */
  colour: (versionIndex: number) => string;
}

/** The size drawn at. */
export interface AdoptionLayout {
  width: number;
  height: number;
}

const states = new WeakMap<SVGSVGElement, { series: AdoptionSeries; options: AdoptionOptions }>();
const MARGIN = { top: 8, right: 12, bottom: 24, left: 40 };
const dayMs = (d: string) => Date.parse(`${d}T12:00:00Z`);

export function draw(svg: SVGSVGElement, series: AdoptionSeries, options: AdoptionOptions): AdoptionLayout {
  clear(svg);
  return update(svg, series, options);
}

export function update(svg: SVGSVGElement, series: AdoptionSeries, options: AdoptionOptions): AdoptionLayout {
  states.set(svg, { series, options });
  while (svg.firstChild) svg.firstChild.remove();
  const width = Math.max(160, options.width);
  const height = options.height ?? 160;
  svg.setAttribute('width', String(width));
  svg.setAttribute('height', String(height));
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  const times = series.dates.map(dayMs);
  const x = scaleUtc()
    .domain([times[0] ?? 0, times[times.length - 1] ?? 1])
    .range([MARGIN.left, width - MARGIN.right]);
  const y = scaleLinear()
    .domain([0, 100])
    .range([height - MARGIN.bottom, MARGIN.top]);
  const gx = svgEl('g', { class: 'axis axis-x', transform: `translate(0,${height - MARGIN.bottom})` });
  const gy = svgEl('g', { class: 'axis axis-y', transform: `translate(${MARGIN.left},0)` });
  svg.append(gx, gy);
  select(gx).call(axisBottom(x).ticks(Math.max(2, Math.floor(width / 90))));
  select(gy).call(
    axisLeft(y)
      .ticks(4)
      .tickFormat((v) => `${String(v)}%`),
  );
  // Which days the agent had requests (all shares 0 = no requests: a gap, not 0 %).
  const used = series.dates.map((_, j) => series.share.some((s) => s[j] > 0));
  const newest = series.versions.length - 1;
  series.versions.forEach((version, i) => {
    const path = line<number>()
      .defined((_, j) => used[j])
      .x((_, j) => x(times[j]))
      .y((v) => y(v))(series.share[i]);
    if (!path) return;
    const el = svgEl('path', {
      class: 'adoption-line',
      'data-version': version,
      d: path,
      fill: 'none',
      stroke: options.colour(i),
      'stroke-width': i === newest ? 2.5 : 1.5,
      ...(i === newest ? {} : { 'stroke-dasharray': '5 3' }),
    });
    const title = svgEl('title');
    title.textContent = `Version ${version}`;
    el.append(title);
    svg.append(el);
  });
  return { width, height };
}

export function resize(svg: SVGSVGElement, width: number): AdoptionLayout | undefined {
  const s = states.get(svg);
  return s ? update(svg, s.series, { ...s.options, width }) : undefined;
}

export function clear(svg: SVGSVGElement): void {
  states.delete(svg);
  while (svg.firstChild) svg.firstChild.remove();
}

/** The module as one object, checked against the chart contract. */
export const adoptionLines = { draw, update, resize, clear } satisfies ChartModule<AdoptionSeries, AdoptionOptions, AdoptionLayout>;
