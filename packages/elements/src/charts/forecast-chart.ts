/**
 * The usage forecast (chart 2.12): the daily history as a solid line (anomalous days marked), the
 * forecast dashed with its 95 % and 80 % prediction bands as nested translucent areas (drawn by
 * `forecast-band.ts`), past forecasts dashed and faded against what happened, and a rule at the
 * forecast origin. Pure drawing over an `<svg>` (see `contract.ts`): `draw`, `update`, `resize`,
 * `clear`, plus {@link drawForecastFocus} for the focused day. Days are placed at their centre.
 *
 * Render budget: one path per line or band and one circle per anomaly, so a year of history with
 * a 90-day forecast and a dozen past forecasts stays under a hundred nodes.
 */
import { line } from 'd3-shape';
import { select } from 'd3-selection';
import { DEFAULT_MARGIN, clearLayers, layers, sizeSvg, svgEl, type ChartModule, type Margin, type TimeLayout } from './contract.js';
import { clearForecast, drawForecast, type ForecastSeries } from './forecast-band.js';
import { BUCKET_MS, drawTimeAxis, timeScale } from './time-axis.js';
import { drawValueAxis, valueScale } from './value-axis.js';

const DAY = BUCKET_MS.day;

export interface ForecastChartDay {
  /** Day start, epoch ms (UTC midnight). */
  t: number;
  value: number;
  /** Flagged as an anomaly (and replaced by its expectation before fitting). */
  anomaly?: boolean;
}

export interface ForecastChartPoint {
  t: number;
  predicted: number;
  lower80: number;
  upper80: number;
  lower95: number;
  upper95: number;
}

export interface PastForecastLine {
  /** The origin (first forecast day) as YYYY-MM-DD: the line's id. */
  origin: string;
  points: readonly Pick<ForecastChartPoint, 't' | 'predicted' | 'lower95' | 'upper95'>[];
  /** Draw its 95 % band too (the one past forecast picked for comparison). */
  band?: boolean;
}

export interface ForecastChartData {
  history: readonly ForecastChartDay[];
  forecast: readonly ForecastChartPoint[];
  past?: readonly PastForecastLine[];
}

export interface ForecastChartOptions {
  /** BCP 47 locale of the axis labels (default en-GB). */
  locale?: string;
  width: number;
  height: number;
  margin?: Margin;
  /** y-axis tick labels. */
  formatValue?: (v: number) => string;
}

/** The layout of a paint: scales, and the days (history, then forecast) for hit-testing. */
export interface ForecastChartLayout extends TimeLayout {
  /** Day starts of every position: the history days, then the forecast days. */
  days: readonly number[];
  /** How many of `days` are history (the rest are forecast). */
  historyCount: number;
  /** Nearest day index to an x pixel (clamped; -1 when there are none). */
  indexAt(px: number): number;
  /** Pixel position of day `index`: its centre, at the actual (history) or the prediction (forecast). */
  anchor(index: number): { x: number; y: number };
}

interface State {
  data: ForecastChartData;
  options: ForecastChartOptions;
}
const states = new WeakMap<SVGSVGElement, State>();

const mid = (t: number) => t + DAY / 2;

function validate(data: ForecastChartData, options: ForecastChartOptions): void {
  if (!data || !Array.isArray(data.history) || !Array.isArray(data.forecast)) throw new TypeError('forecast-chart: data needs history[] and forecast[]');
  if (!(options.width > 0) || !(options.height > 0)) throw new RangeError(`forecast-chart: size must be positive, got ${options.width}×${options.height}`);
}

/** Draws from scratch (clears what this module drew before). */
export function draw(svg: SVGSVGElement, data: ForecastChartData, options: ForecastChartOptions): ForecastChartLayout {
  clear(svg);
  return update(svg, data, options);
}

/** Renders `data` into the existing layers. */
export function update(svg: SVGSVGElement, data: ForecastChartData, options: ForecastChartOptions): ForecastChartLayout {
  validate(data, options);
  states.set(svg, { data, options });
  return render(svg, data, options);
}

/** Re-renders the last data at a new size. */
export function resize(svg: SVGSVGElement, width: number, height: number): ForecastChartLayout | undefined {
  const s = states.get(svg);
  return s ? update(svg, s.data, { ...s.options, width, height }) : undefined;
}

/** Removes everything the module drew. */
export function clear(svg: SVGSVGElement): void {
  states.delete(svg);
  clearForecast(svg);
  clearLayers(svg);
}

/** The module as one object, checked against the chart contract. */
export const forecastChart = { draw, update, resize, clear } satisfies ChartModule<ForecastChartData, ForecastChartOptions, ForecastChartLayout>;

/** The days of the chart (history then forecast) and the y maximum over everything drawn. */
export function forecastExtent(data: ForecastChartData): { days: number[]; yMax: number } {
  const days = [...data.history.map((d) => d.t), ...data.forecast.map((p) => p.t)];
  let yMax = 0;
  for (const d of data.history) yMax = Math.max(yMax, d.value);
  for (const p of data.forecast) yMax = Math.max(yMax, p.upper95);
  const [first, last] = [days[0] ?? 0, (days[days.length - 1] ?? 0) + DAY];
  for (const f of data.past ?? []) for (const p of f.points) if (p.t >= first && p.t < last) yMax = Math.max(yMax, f.band ? p.upper95 : p.predicted);
  return { days, yMax };
}

function render(svg: SVGSVGElement, data: ForecastChartData, options: ForecastChartOptions): ForecastChartLayout {
  const { width, height, margin = DEFAULT_MARGIN, formatValue } = options;
  const plot = sizeSvg(svg, width, height, margin);
  const L = layers(svg);
  const { days, yMax } = forecastExtent(data);
  const domain: [number, number] = days.length ? [days[0], days[days.length - 1] + DAY] : [0, DAY];
  const x = timeScale(domain, plot);
  const y = valueScale(yMax, plot);
  drawTimeAxis(L['axis-x'], x, plot, { locale: options.locale });
  drawValueAxis(L['axis-y'], L.grid, y, plot, formatValue);
  L.marks.setAttribute('aria-hidden', 'true');

  const path = line<{ t: number; v: number }>()
    .x((p) => x(mid(p.t)))
    .y((p) => y(p.v));
  const marks = select(L.marks);

  // Past forecasts (below the history): dashed, faded; the picked one with its 95 % band.
  const past = data.past ?? [];
  const groups = marks
    .selectAll<SVGGElement, PastForecastLine>('g.past-forecast')
    .data(past, (f) => f.origin)
    .join('g')
    .attr('class', 'past-forecast')
    .attr('data-origin', (f) => f.origin);
  groups
    .selectAll<SVGPathElement, PastForecastLine>('path.past-band')
    .data((f) => (f.band && f.points.length ? [f] : []))
    .join('path')
    .attr('class', 'past-band')
    .attr('d', (f) => {
      const pts = f.points.filter((p) => p.t >= domain[0] && p.t < domain[1]);
      if (!pts.length) return '';
      const top = pts.map((p) => `${x(mid(p.t))},${y(p.upper95)}`);
      const bottom = [...pts].reverse().map((p) => `${x(mid(p.t))},${y(p.lower95)}`);
      return `M${top.join('L')}L${bottom.join('L')}Z`;
    });
  groups
    .selectAll<SVGPathElement, PastForecastLine>('path.past-line')
    .data((f) => [f])
    .join('path')
    .attr('class', 'past-line')
    .attr('fill', 'none')
    .attr('stroke-dasharray', '3 3')
    .attr('d', (f) => path(f.points.filter((p) => p.t >= domain[0] && p.t < domain[1]).map((p) => ({ t: p.t, v: p.predicted }))) ?? '');

  // The history line and its anomalies.
  marks
    .selectAll<SVGPathElement, readonly ForecastChartDay[]>('path.actual-line')
    .data(data.history.length ? [data.history] : [])
    .join('path')
    .attr('class', 'actual-line')
    .attr('fill', 'none')
    .attr('d', (h) => path(h.map((d) => ({ t: d.t, v: d.value }))) ?? '');
  marks
    .selectAll<SVGCircleElement, ForecastChartDay>('circle.anomaly')
    .data(data.history.filter((d) => d.anomaly))
    .join('circle')
    .attr('class', 'anomaly')
    .attr('r', 3.5)
    .attr('cx', (d) => x(mid(d.t)))
    .attr('cy', (d) => y(d.value));

  // The origin rule between the last day of history and the first forecast day.
  const originT = data.forecast[0]?.t;
  marks
    .selectAll<SVGLineElement, number>('line.origin-rule')
    .data(originT === undefined ? [] : [originT])
    .join('line')
    .attr('class', 'origin-rule')
    .attr('x1', (t) => x(t))
    .attr('x2', (t) => x(t))
    .attr('y1', plot.top)
    .attr('y2', plot.top + plot.height);

  // The forecast: two nested bands (95 % under 80 %) from forecast-band.ts; the dashed line starts at the last actual.
  const last = data.history[data.history.length - 1];
  const from = last ? { t: mid(last.t), value: last.value } : undefined;
  const series: ForecastSeries[] = data.forecast.length
    ? (['95', '80'] as const).map((level) => ({
        key: `band-${level}`,
        from,
        forecast: data.forecast.map((p) => ({
          t: mid(p.t),
          predicted: p.predicted,
          lower: level === '95' ? p.lower95 : p.lower80,
          upper: level === '95' ? p.upper95 : p.upper80,
        })),
      }))
    : [];
  drawForecast(svg, { x, y }, series);

  const historyCount = data.history.length;
  const valueAt = (i: number) => (i < historyCount ? data.history[i].value : data.forecast[i - historyCount].predicted);
  return {
    x,
    y,
    plot,
    width,
    height,
    days,
    historyCount,
    indexAt(px: number) {
      if (!days.length) return -1;
      const t = x.invert(px).getTime();
      return Math.max(0, Math.min(days.length - 1, Math.floor((t - days[0]) / DAY)));
    },
    anchor(index: number) {
      const i = Math.max(0, Math.min(days.length - 1, index));
      return { x: x(mid(days[i])), y: y(valueAt(i)) };
    },
  };
}

/** Draws (or, with `index` null, removes) the focus marker: a rule and a dot at day `index`. */
export function drawForecastFocus(svg: SVGSVGElement, layout: ForecastChartLayout, index: number | null): void {
  const g = layers(svg).focus;
  g.setAttribute('aria-hidden', 'true');
  g.replaceChildren();
  if (index === null || index < 0 || index >= layout.days.length) return;
  const { x, y } = layout.anchor(index);
  const forecast = index >= layout.historyCount;
  g.append(
    svgEl('line', { class: 'focus-rule', x1: x, x2: x, y1: layout.plot.top, y2: layout.plot.top + layout.plot.height }),
    svgEl('circle', { class: forecast ? 'focus-dot forecast' : 'focus-dot', cx: x, cy: y, r: 5 }),
  );
}
