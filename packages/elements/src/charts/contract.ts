/**
 * The contract every drawing module follows (after Perspective's chart plugins): pure functions
 * over an `<svg>` that an element owns, no Lit, no data fetching, testable on a detached SVG.
 *
 * - `draw(svg, data, options)` renders from scratch and returns the {@link Layout} (scales and
 *   hit-testing) the element needs for tooltips, focus and clicks;
 * - `update(svg, data, options)` renders new data into the existing layers;
 * - `resize(svg, width, height)` re-renders the last data at a new size;
 * - `clear(svg)` removes everything the module drew.
 *
 * Each module exports its four functions as one object that `satisfies ChartModule<…>`, so the
 * compiler checks the contract; elements hand that object to the paint scheduler
 * (`internal/paint-controller.ts`), which calls it. The shared layer stack ({@link layers}) keeps
 * the paint order the same in every chart.
 */
import type { ScaleLinear, ScaleTime } from 'd3-scale';

export interface Margin {
  top: number;
  right: number;
  bottom: number;
  left: number;
}

export const DEFAULT_MARGIN: Readonly<Margin> = Object.freeze({ top: 12, right: 16, bottom: 28, left: 52 });

/** The plotting rectangle inside the SVG, in SVG pixels. */
export interface PlotRect {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** What a time-series chart's `draw` returns. */
export interface TimeLayout {
  x: ScaleTime<number, number>;
  y: ScaleLinear<number, number>;
  plot: PlotRect;
  width: number;
  height: number;
}

/**
 * What a time series' layout offers for interaction (hover, keyboard focus, click): buckets by
 * pixel and back, the series under a pointer, and where to anchor a tooltip.
 */
export interface TimeSeriesLayout extends TimeLayout {
  /** Visible series, bottom first. */
  keys: readonly string[];
  /** The visible window (epoch ms). */
  domain: [number, number];
  /** Nearest bucket index to an x pixel (clamped; -1 when there are no points). */
  indexAt(px: number): number;
  /** The series under a y pixel at bucket `index`, if any. */
  keyAt(index: number, py: number): string | undefined;
  /** Pixel position of bucket `index`'s centre, at the top of `key` (default the top of the stack). */
  anchor(index: number, key?: string): { x: number; y: number };
  /** Bucket centre (epoch ms). */
  centre(index: number): number;
}

/** The four functions of a draw module (the chart contract). */
export interface ChartModule<D, O, L> {
  draw(svg: SVGSVGElement, data: D, options: O): L;
  update(svg: SVGSVGElement, data: D, options: O): L;
  resize(svg: SVGSVGElement, width: number, height: number): L | undefined;
  clear(svg: SVGSVGElement): void;
}

/** The named layers of a chart, bottom to top. */
export const LAYER_NAMES = ['grid', 'marks', 'overlay', 'axis-x', 'axis-y', 'focus', 'interaction'] as const;
export type LayerName = (typeof LAYER_NAMES)[number];

const SVG_NS = 'http://www.w3.org/2000/svg';
let clipIds = 0;

/** Creates an SVG element (in the SVG namespace) with attributes. */
export function svgEl<K extends keyof SVGElementTagNameMap>(name: K, attrs: Record<string, string | number> = {}): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG_NS, name);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el;
}

/**
 * The chart's layers (`<g class="layer-NAME">`), created once in paint order; `marks` and
 * `overlay` are clipped to the plot rectangle (so zoomed marks do not spill over the axes).
 */
export function layers(svg: SVGSVGElement): Record<LayerName, SVGGElement> & { clip: SVGRectElement; defs: SVGDefsElement } {
  let defs = svg.querySelector<SVGDefsElement>(':scope > defs');
  if (!defs) {
    defs = svgEl('defs');
    svg.prepend(defs);
  }
  let clip = defs.querySelector<SVGRectElement>(':scope > clipPath.plot-clip > rect');
  if (!clip) {
    const clipPath = svgEl('clipPath', { id: `usage-plot-clip-${++clipIds}`, class: 'plot-clip' });
    clip = svgEl('rect');
    clipPath.append(clip);
    defs.append(clipPath);
  }
  const clipId = clip.parentElement!.id;
  const out = { clip, defs } as Record<LayerName, SVGGElement> & { clip: SVGRectElement; defs: SVGDefsElement };
  for (const name of LAYER_NAMES) {
    let g = svg.querySelector<SVGGElement>(`:scope > g.layer-${name}`);
    if (!g) {
      g = svgEl('g', { class: `layer-${name}` });
      if (name === 'marks' || name === 'overlay') g.setAttribute('clip-path', `url(#${clipId})`);
      svg.append(g);
    }
    out[name] = g;
  }
  return out;
}

/** Sets the SVG's size and the clip rectangle; returns the plot rectangle. */
export function sizeSvg(svg: SVGSVGElement, width: number, height: number, margin: Margin): PlotRect {
  if (!(width > 0) || !(height > 0)) throw new RangeError(`chart size must be positive, got ${width}×${height}`);
  svg.setAttribute('width', String(width));
  svg.setAttribute('height', String(height));
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  const plot = {
    left: margin.left,
    top: margin.top,
    width: Math.max(1, width - margin.left - margin.right),
    height: Math.max(1, height - margin.top - margin.bottom),
  };
  const { clip } = layers(svg);
  clip.setAttribute('x', String(plot.left));
  clip.setAttribute('y', String(plot.top));
  clip.setAttribute('width', String(plot.width));
  clip.setAttribute('height', String(plot.height));
  return plot;
}

/** Removes every layer and definition (the `clear` of the shared stack). */
export function clearLayers(svg: SVGSVGElement): void {
  svg.querySelector(':scope > defs')?.remove();
  for (const name of LAYER_NAMES) svg.querySelector(`:scope > g.layer-${name}`)?.remove();
}
