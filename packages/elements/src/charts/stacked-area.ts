/**
 * Stacked areas (or, in overlay mode, one line per series) of counts per time bucket: the marks of
 * chart 2.1 and of every "by department over time" view. Pure drawing over an `<svg>` (see
 * `contract.ts`): `draw`, `update`, `resize`, `clear`, plus `drawFocus` for the hovered or focused
 * bucket and the returned layout's hit-testing (`indexAt`, `keyAt`, `anchor`).
 *
 * Render budget: SVG paths while points × visible series stay under `canvasThreshold` (default
 * 4,000); above it the marks are painted on a canvas and placed in the SVG as one `<image>`, so
 * a year of hourly buckets × 20 departments (175k points) stays one DOM node and exports as PNG.
 */
import { bisector } from 'd3-array';
import { area, curveMonotoneX, line, stack, type Series } from 'd3-shape';
import { select } from 'd3-selection';
import type { Swatch } from '../internal/palette.js';
import { DEFAULT_MARGIN, clearLayers, layers, sizeSvg, svgEl, type ChartModule, type Margin, type TimeSeriesLayout } from './contract.js';
import { canvasFill, lineDash, svgFill } from './patterns.js';
import { BUCKET_MS, drawTimeAxis, timeScale, type Domain, type TimeBucket } from './time-axis.js';
import { drawValueAxis, valueScale } from './value-axis.js';

export { drawFocus } from './focus-marker.js';

/** One bucket: its start (epoch ms, UTC) and a count per key (missing keys count 0). */
export interface SeriesPoint {
  t: number;
  values: Readonly<Record<string, number>>;
}

export interface SeriesData {
  points: readonly SeriesPoint[];
  /** Series in stacking order, bottom first. */
  keys: readonly string[];
  bucket: TimeBucket;
}

export interface StackedAreaOptions {
  /** BCP 47 locale of the axis labels (default en-GB). */
  locale?: string;
  width: number;
  height: number;
  margin?: Margin;
  /** `stack` (default) stacks areas; `overlay` draws one unstacked line per series (comparison). */
  mode?: 'stack' | 'overlay';
  /** Colour and texture of a series (see `swatchFor`). */
  swatch: (key: string) => Swatch;
  /** Series not drawn (toggled off in the legend). */
  hidden?: ReadonlySet<string>;
  /** The visible time window (zoom); default the full extent. */
  domain?: Domain;
  /** The full time extent; default first bucket start → last bucket end. Widen it for a forecast. */
  extent?: Domain;
  /** Headroom for the y scale (e.g. a forecast's upper band). */
  yMax?: number;
  /** Points × series above which the marks go to a canvas. */
  canvasThreshold?: number;
  /** y-axis tick labels. */
  formatValue?: (v: number) => string;
}

/** The layout of a paint; `keyAt` finds the band (stack) or the nearest line within 12 px (overlay). */
export interface StackedAreaLayout extends TimeSeriesLayout {
  renderer: 'svg' | 'canvas';
  mode: 'stack' | 'overlay';
  /** Visible series, bottom first. */
  keys: string[];
  /** Points × visible series in the visible window. */
  marks: number;
  /** The full time extent and the visible window. */
  extent: Domain;
  domain: Domain;
}

export const DEFAULT_CANVAS_THRESHOLD = 4_000;

interface State {
  data: SeriesData;
  options: StackedAreaOptions;
}
const states = new WeakMap<SVGSVGElement, State>();

/** Draws from scratch (clears what this module drew before). */
export function draw(svg: SVGSVGElement, data: SeriesData, options: StackedAreaOptions): StackedAreaLayout {
  clear(svg);
  return update(svg, data, options);
}

/** Renders `data` into the existing layers (joins by series key). */
export function update(svg: SVGSVGElement, data: SeriesData, options: StackedAreaOptions): StackedAreaLayout {
  validate(data, options);
  states.set(svg, { data, options });
  return render(svg, data, options);
}

/** Re-renders the last data at a new size. */
export function resize(svg: SVGSVGElement, width: number, height: number): StackedAreaLayout | undefined {
  const s = states.get(svg);
  if (!s) return undefined;
  return update(svg, s.data, { ...s.options, width, height });
}

/** Removes the chart's layers. */
export function clear(svg: SVGSVGElement): void {
  states.delete(svg);
  clearLayers(svg);
}

/** The module as one object, checked against the chart contract. */
export const stackedArea = { draw, update, resize, clear } satisfies ChartModule<SeriesData, StackedAreaOptions, StackedAreaLayout>;

function validate(data: SeriesData, options: StackedAreaOptions): void {
  if (!data || !Array.isArray(data.points) || !Array.isArray(data.keys)) throw new TypeError('stacked-area: data needs points[] and keys[]');
  if (!(data.bucket in BUCKET_MS)) throw new TypeError(`stacked-area: unknown bucket ${JSON.stringify(data.bucket)}`);
  if (options.mode !== undefined && options.mode !== 'stack' && options.mode !== 'overlay') {
    throw new TypeError(`stacked-area: mode must be 'stack' or 'overlay', got ${JSON.stringify(options.mode)}`);
  }
  if (typeof options.swatch !== 'function') throw new TypeError('stacked-area: options.swatch must be a function');
}

/** Full extent of the data: first bucket start → last bucket end. */
export function dataExtent(data: SeriesData): Domain {
  const size = BUCKET_MS[data.bucket];
  if (data.points.length === 0) return [0, size];
  return [data.points[0].t, data.points[data.points.length - 1].t + size];
}

function render(svg: SVGSVGElement, data: SeriesData, options: StackedAreaOptions): StackedAreaLayout {
  const { width, height, margin = DEFAULT_MARGIN, hidden, swatch, canvasThreshold = DEFAULT_CANVAS_THRESHOLD } = options;
  const mode = options.mode ?? 'stack';
  const plot = sizeSvg(svg, width, height, margin);
  const L = layers(svg);
  const half = BUCKET_MS[data.bucket] / 2;
  const extent = options.extent ?? dataExtent(data);
  const domain = options.domain ?? extent;
  const x = timeScale(domain, plot);
  const keys = data.keys.filter((k) => !hidden?.has(k));
  const value = (p: SeriesPoint, k: string): number => p.values[k] ?? 0;

  const stacked: Series<SeriesPoint, string>[] = mode === 'stack' ? stack<SeriesPoint, string>().keys(keys).value(value)([...data.points]) : [];
  let max = options.yMax ?? 0;
  for (const p of data.points) {
    if (p.t + 2 * half < domain[0] || p.t > domain[1]) continue; // y fits the visible window
    let sum = 0;
    for (const k of keys) {
      const v = value(p, k);
      sum = mode === 'stack' ? sum + v : Math.max(sum, v);
    }
    if (sum > max) max = sum;
  }
  const y = valueScale(max, plot);
  const cx = (p: SeriesPoint): number => x(p.t + half);

  drawValueAxis(L['axis-y'], L.grid, y, plot, options.formatValue);
  drawTimeAxis(L['axis-x'], x, plot, { locale: options.locale });

  const inView = data.points.filter((p) => p.t + 2 * half >= domain[0] && p.t <= domain[1]).length;
  const marks = inView * keys.length;
  const renderer: 'svg' | 'canvas' = marks > canvasThreshold ? 'canvas' : 'svg';
  const marksLayer = select(L.marks);
  L.marks.setAttribute('aria-hidden', 'true');
  L.marks.dataset.renderer = renderer;
  L.marks.dataset.mode = mode;

  const areaGen = area<[number, number] & { data: SeriesPoint }>()
    .x((d) => cx(d.data))
    .y0((d) => y(d[0]))
    .y1((d) => y(d[1]))
    .curve(curveMonotoneX);
  const lineGen = (k: string) =>
    line<SeriesPoint>()
      .x(cx)
      .y((p) => y(value(p, k)))
      .curve(curveMonotoneX);

  if (renderer === 'svg') {
    marksLayer.selectAll('image.raster').remove();
    if (mode === 'stack') {
      marksLayer.selectAll('path.line').remove();
      marksLayer
        .selectAll<SVGPathElement, Series<SeriesPoint, string>>('path.area')
        .data(stacked, (s) => s.key)
        .join('path')
        .attr('class', 'area')
        .attr('data-key', (s) => s.key)
        .attr('fill', (s) => svgFill(L.defs, swatch(s.key)))
        .attr('stroke', (s) => swatch(s.key).colour)
        .attr('d', (s) => areaGen(s as never) ?? '');
    } else {
      marksLayer.selectAll('path.area').remove();
      marksLayer
        .selectAll<SVGPathElement, string>('path.line')
        .data(keys, (k) => k)
        .join('path')
        .attr('class', 'line')
        .attr('data-key', (k) => k)
        .attr('fill', 'none')
        .attr('stroke', (k) => swatch(k).colour)
        .attr('stroke-width', 2)
        .attr('stroke-dasharray', (k) => lineDash(swatch(k)).join(' ') || null)
        .attr('d', (k) => lineGen(k)([...data.points]) ?? '');
    }
  } else {
    marksLayer.selectAll('path.area, path.line').remove();
    const image = L.marks.querySelector<SVGImageElement>('image.raster') ?? L.marks.appendChild(svgEl('image', { class: 'raster' }));
    image.setAttribute('x', '0');
    image.setAttribute('y', '0');
    image.setAttribute('width', String(width));
    image.setAttribute('height', String(height));
    image.setAttribute('preserveAspectRatio', 'none');
    image.setAttribute('href', paintCanvas(width, height, mode, stacked, keys, data, areaGen, lineGen, swatch));
  }

  const centres = data.points.map((p) => p.t + half);
  const byCentre = bisector<number, number>((c) => c).center;
  const layout: StackedAreaLayout = {
    x,
    y,
    plot,
    width,
    height,
    renderer,
    mode,
    keys,
    marks,
    extent,
    domain,
    centre: (i) => centres[i],
    indexAt(px) {
      if (centres.length === 0) return -1;
      return byCentre(centres, x.invert(px).getTime());
    },
    keyAt(i, py) {
      const p = data.points[i];
      if (!p) return undefined;
      if (mode === 'stack') {
        const v = y.invert(py);
        for (const s of stacked) if (v >= s[i][0] && v <= s[i][1] && s[i][1] > s[i][0]) return s.key;
        return undefined;
      }
      let best: string | undefined;
      let bestDist = 12;
      for (const k of keys) {
        const d = Math.abs(y(value(p, k)) - py);
        if (d <= bestDist) [best, bestDist] = [k, d];
      }
      return best;
    },
    anchor(i, key) {
      const p = data.points[i];
      if (!p) return { x: plot.left, y: plot.top };
      let v: number;
      if (mode === 'stack') {
        const s = key === undefined ? stacked[stacked.length - 1] : stacked.find((q) => q.key === key);
        v = s ? s[i][1] : 0;
      } else {
        v = key === undefined ? Math.max(0, ...keys.map((k) => value(p, k))) : value(p, key);
      }
      return { x: cx(p), y: y(v) };
    },
  };
  return layout;
}

function paintCanvas(
  width: number,
  height: number,
  mode: 'stack' | 'overlay',
  stacked: Series<SeriesPoint, string>[],
  keys: string[],
  data: SeriesData,
  areaGen: ReturnType<typeof area<[number, number] & { data: SeriesPoint }>>,
  lineGen: (k: string) => ReturnType<typeof line<SeriesPoint>>,
  swatch: (key: string) => Swatch,
): string {
  const ratio = Math.max(1, Math.min(2, globalThis.devicePixelRatio || 1));
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(height * ratio);
  const ctx = canvas.getContext('2d');
  if (!ctx) return '';
  ctx.scale(ratio, ratio);
  if (mode === 'stack') {
    for (const s of stacked) {
      ctx.beginPath();
      areaGen.context(ctx)(s as never);
      ctx.fillStyle = canvasFill(ctx, swatch(s.key), ratio);
      ctx.fill();
    }
    areaGen.context(null);
  } else {
    ctx.lineWidth = 2;
    for (const k of keys) {
      const sw = swatch(k);
      ctx.beginPath();
      const gen = lineGen(k).context(ctx);
      gen([...data.points]);
      ctx.strokeStyle = sw.colour;
      ctx.setLineDash(lineDash(sw));
      ctx.stroke();
    }
  }
  return canvas.toDataURL('image/png');
}
