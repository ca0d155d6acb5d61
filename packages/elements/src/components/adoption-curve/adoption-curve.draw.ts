/**
 * Adoption curves (chart 2.10), pure, following the chart contract (`draw` / `update` / `resize` /
 * `clear`) on the shared layer stack: one line per series coloured by lifecycle stage with its label at
 * its end, the forecast continued dashed, the benchmark band (P25–P75, filled) with its median dotted
 * under them, the value and day axes (days since launch, or the calendar), and the focus marker.
 * Returns the layout for hit-testing (the element owns interaction).
 */
import { axisBottom } from 'd3-axis';
import { scaleLinear, scaleUtc } from 'd3-scale';
import { select } from 'd3-selection';
import { area, line } from 'd3-shape';
import { DEFAULT_MARGIN, clearLayers, layers, sizeSvg, svgEl, type ChartModule, type PlotRect } from '../../charts/contract.js';
import { drawValueAxis, valueScale } from '../../charts/value-axis.js';
import type { CurveLine, CurveModel } from './adoption-curve.data.js';

export interface CurveOptions {
  width: number;
  height: number;
  /** The colour of a line (by its stage). */
  colour: (line: CurveLine) => string;
  /** The focused line and x (keyboard or pointer), if any. */
  focus?: { key: string; x: number } | null;
  /** Accessible name of the plot's marks (the group is `aria-hidden`; the element describes them). */
  label?: string;
  /** Promotion campaigns (calendar axis only): a dashed rule at day `x` (days since 1970-01-01), `label` as its hover title. */
  campaigns?: readonly { id: string; x: number; label: string }[];
}

export interface CurveLayout {
  width: number;
  height: number;
  plot: PlotRect;
  /** x (day) → pixel. */
  px: (x: number) => number;
  /** value → pixel. */
  py: (v: number) => number;
  /** The nearest observed x to a pixel (undefined without points). */
  xAt: (px: number) => number | undefined;
  /** The line nearest to pixel `py` among those with a point at `x`. */
  lineAt: (x: number, py: number) => CurveLine | undefined;
}

const MS_DAY = 86_400_000;
const MARGIN = { ...DEFAULT_MARGIN, right: 120 };
const states = new WeakMap<SVGSVGElement, { model: CurveModel; options: CurveOptions }>();

export function draw(svg: SVGSVGElement, model: CurveModel, options: CurveOptions): CurveLayout {
  clear(svg);
  return update(svg, model, options);
}

export function update(svg: SVGSVGElement, model: CurveModel, options: CurveOptions): CurveLayout {
  states.set(svg, { model, options });
  const { width, height } = options;
  const plot = sizeSvg(svg, width, height, MARGIN);
  const L = layers(svg);
  const allX = [...model.lines.flatMap((l) => [...l.points.map((p) => p.x), ...l.forecast.map((p) => p.x)]), ...model.band.map((b) => b.x)];
  let lo = allX.length ? Math.min(...allX) : 0;
  let hi = allX.length ? Math.max(...allX) : 1;
  if (hi <= lo) [lo, hi] = [lo - 1, hi + 1];
  const yMax = Math.max(
    0,
    ...model.lines.flatMap((l) => [...l.points.map((p) => p.value), ...l.forecast.map((p) => p.value)]),
    ...model.band.map((b) => b.p75),
  );
  const y = valueScale(yMax, plot);
  let px: (x: number) => number;
  if (model.axis === 'calendar') {
    const t = scaleUtc()
      .domain([lo * MS_DAY, hi * MS_DAY])
      .range([plot.left, plot.left + plot.width]);
    px = (x) => t(x * MS_DAY);
    select(L['axis-x']).call(
      axisBottom(t)
        .ticks(Math.max(2, Math.floor(plot.width / 90)))
        .tickSizeOuter(0),
    );
  } else {
    const s = scaleLinear()
      .domain([lo, hi])
      .range([plot.left, plot.left + plot.width]);
    px = (x) => s(x);
    select(L['axis-x']).call(
      axisBottom(s)
        .ticks(Math.max(2, Math.floor(plot.width / 70)))
        .tickFormat((v) => (Number.isInteger(Number(v)) ? `${String(v)}` : ''))
        .tickSizeOuter(0),
    );
  }
  L['axis-x'].setAttribute('transform', `translate(0,${plot.top + plot.height})`);
  L['axis-x'].setAttribute('aria-hidden', 'true');
  drawValueAxis(L['axis-y'], L.grid, y, plot);
  const py = (v: number) => y(v);

  // Benchmark band under the lines.
  L.overlay.replaceChildren();
  L.marks.replaceChildren();
  // End labels sit outside the clipped plot (in the right margin), in their own group.
  let labels = svg.querySelector<SVGGElement>(':scope > g.end-labels');
  if (!labels) {
    labels = svgEl('g', { class: 'end-labels', 'aria-hidden': 'true' });
    L['axis-y'].after(labels);
  }
  labels.replaceChildren();
  L.marks.setAttribute('aria-hidden', 'true');
  // Campaign markers (the element lists them as text): a dashed rule and a short tag at the top.
  L.overlay.setAttribute('aria-hidden', 'true');
  if (model.axis === 'calendar') {
    for (const c of options.campaigns ?? []) {
      if (c.x < lo || c.x > hi) continue;
      const cx = px(c.x);
      const g = svgEl('g', { class: 'campaign-marker', 'data-campaign': c.id });
      const title = svgEl('title', {});
      title.textContent = c.label;
      g.append(title, svgEl('line', { class: 'campaign-rule', x1: cx, x2: cx, y1: plot.top, y2: plot.top + plot.height, 'stroke-dasharray': '4 3' }));
      const tag = svgEl('text', { class: 'campaign-tag', x: cx + 3, y: plot.top + 10 });
      tag.textContent = `▲ ${c.id}`;
      g.append(tag);
      L.overlay.append(g);
    }
  }
  if (model.band.length) {
    const g = svgEl('g', { class: 'benchmark' });
    const a = area<CurveModel['band'][number]>()
      .x((b) => px(b.x))
      .y0((b) => py(b.p25))
      .y1((b) => py(b.p75))(model.band);
    const m = line<CurveModel['band'][number]>()
      .x((b) => px(b.x))
      .y((b) => py(b.median))(model.band);
    if (a) g.append(svgEl('path', { class: 'benchmark-band', d: a }));
    if (m) g.append(svgEl('path', { class: 'benchmark-median', d: m, fill: 'none', 'stroke-dasharray': '2 3' }));
    L.marks.append(g);
  }
  const wanted: EndLabel[] = [];
  for (const l of model.lines) {
    const colour = options.colour(l);
    const focused = options.focus?.key === l.key;
    const g = svgEl('g', { class: 'series', 'data-key': l.key, 'data-stage': l.stage });
    const d = line<{ x: number; value: number }>()
      .x((p) => px(p.x))
      .y((p) => py(p.value))(l.points);
    if (d) g.append(svgEl('path', { class: 'curve', d, fill: 'none', stroke: colour, 'stroke-width': focused ? 3.5 : 2 }));
    const last = l.points[l.points.length - 1];
    if (l.forecast.length && last) {
      const f = line<{ x: number; value: number }>()
        .x((p) => px(p.x))
        .y((p) => py(p.value))([last, ...l.forecast]);
      if (f) g.append(svgEl('path', { class: 'forecast', d: f, fill: 'none', stroke: colour, 'stroke-width': 1.75, 'stroke-dasharray': '6 4' }));
    }
    if (l.points.length === 1 && last) g.append(svgEl('circle', { class: 'single', cx: px(last.x), cy: py(last.value), r: 3, fill: colour }));
    L.marks.append(g);
    const end = l.forecast[l.forecast.length - 1] ?? last;
    if (end) wanted.push({ x: px(end.x) + 6, y: py(end.value), text: l.short, colour });
  }
  for (const w of placeLabels(wanted, plot.top, plot.top + plot.height)) {
    const label = svgEl('text', { class: 'end-label', x: w.x, y: w.y, dy: '0.32em', fill: w.colour });
    label.textContent = w.text;
    labels.append(label);
  }

  // Focus marker.
  L.focus.replaceChildren();
  L.focus.setAttribute('aria-hidden', 'true');
  const focus = options.focus;
  if (focus) {
    const fx = px(focus.x);
    L.focus.append(svgEl('line', { class: 'focus-rule', x1: fx, x2: fx, y1: plot.top, y2: plot.top + plot.height }));
    const l = model.lines.find((q) => q.key === focus.key);
    const p = l?.points.find((q) => q.x === focus.x);
    if (l && p) L.focus.append(svgEl('circle', { class: 'focus-dot', cx: fx, cy: py(p.value), r: 4.5, fill: options.colour(l) }));
  }

  const xs = model.xs;
  const xAt = (pixel: number): number | undefined => {
    if (!xs.length) return undefined;
    let best = xs[0];
    for (const x of xs) if (Math.abs(px(x) - pixel) < Math.abs(px(best) - pixel)) best = x;
    return best;
  };
  const lineAt = (x: number, pixel: number): CurveLine | undefined => {
    let best: CurveLine | undefined;
    let dist = Infinity;
    for (const l of model.lines) {
      const p = l.points.find((q) => q.x === x);
      if (!p) continue;
      const d = Math.abs(py(p.value) - pixel);
      if (d < dist) [best, dist] = [l, d];
    }
    return best;
  };
  return { width, height, plot, px, py, xAt, lineAt };
}

interface EndLabel {
  x: number;
  y: number;
  text: string;
  colour: string;
}

const LABEL_GAP = 12;
const LABEL_WIDTH = 110;

/**
 * Moves end labels apart vertically (at least {@link LABEL_GAP} px between labels whose x are closer
 * than a label's width), top to bottom, then shifts each overlapping run up if it left the plot.
 */
export function placeLabels<T extends { x: number; y: number }>(labels: readonly T[], top: number, bottom: number): T[] {
  const out = [...labels].sort((a, b) => a.y - b.y).map((l) => ({ ...l }));
  for (let i = 0; i < out.length; i++)
    for (let j = 0; j < i; j++) if (Math.abs(out[i].x - out[j].x) < LABEL_WIDTH && out[i].y < out[j].y + LABEL_GAP) out[i].y = out[j].y + LABEL_GAP;
  const over = Math.max(0, ...out.map((l) => l.y - bottom));
  if (over > 0) for (const l of out) l.y = Math.max(top, l.y - over);
  return out;
}

export function resize(svg: SVGSVGElement, width: number, height: number): CurveLayout | undefined {
  const s = states.get(svg);
  return s ? update(svg, s.model, { ...s.options, width, height }) : undefined;
}

export function clear(svg: SVGSVGElement): void {
  states.delete(svg);
  clearLayers(svg);
  svg.querySelector(':scope > g.end-labels')?.remove();
}

/** The module as one object, checked against the chart contract. */
export const adoptionCurves = { draw, update, resize, clear } satisfies ChartModule<CurveModel, CurveOptions, CurveLayout>;
