/**
 * Trend lines and forecasts drawn over a time chart: each forecast dashed, with its prediction
 * band (e.g. 80 %) as a translucent area, and the fitted trend over the history solid and thin.
 * Pure drawing into the chart's `overlay` layer, on the scales of the chart's layout; one group
 * per series (`g.forecast[data-key]`), joined by key. `clearForecast` removes them.
 *
 * As a draw module ({@link forecastBand}): the data are the series, the options the chart's
 * scales (its layout); it has no size of its own, so `resize` leaves it to a redraw on the
 * chart's new scales.
 */
import { area, line } from 'd3-shape';
import { select } from 'd3-selection';
import { layers, type ChartModule, type TimeLayout } from './contract.js';

export interface ForecastBandPoint {
  /** x position (epoch ms), e.g. the centre of the forecast day. */
  t: number;
  predicted: number;
  lower: number;
  upper: number;
}

export interface TrendPoint {
  t: number;
  value: number;
}

export interface ForecastSeries {
  /** Series id ('' for the total). */
  key: string;
  forecast: readonly ForecastBandPoint[];
  /** The fitted trend over the history; optional. */
  trend?: readonly TrendPoint[];
  /** The last observed point, so the dashed line starts where the data end. */
  from?: TrendPoint;
  /** Stroke and band colour (default: the CSS of `.forecast-line` / `.forecast-band`, i.e. the theme's text colour). */
  colour?: string;
}

/** Draws (or redraws) every series' trend and forecast; returns the number of forecast points drawn. */
export function drawForecast(svg: SVGSVGElement, layout: Pick<TimeLayout, 'x' | 'y'>, series: readonly ForecastSeries[]): number {
  const overlay = layers(svg).overlay;
  overlay.setAttribute('aria-hidden', 'true');
  const { x, y } = layout;
  const band = area<ForecastBandPoint>()
    .x((p) => x(p.t))
    .y0((p) => y(p.lower))
    .y1((p) => y(p.upper));
  const path = line<TrendPoint>()
    .x((p) => x(p.t))
    .y((p) => y(p.value));

  const groups = select(overlay)
    .selectAll<SVGGElement, ForecastSeries>('g.forecast')
    .data(series, (s) => s.key)
    .join('g')
    .attr('class', 'forecast')
    .attr('data-key', (s) => s.key);
  groups
    .selectAll<SVGPathElement, ForecastSeries>('path.forecast-band')
    .data((s) => (s.forecast.length ? [s] : []))
    .join('path')
    .attr('class', 'forecast-band')
    .attr('d', (s) => band([...s.forecast]) ?? '')
    .style('fill', (s) => s.colour ?? null);
  groups
    .selectAll<SVGPathElement, ForecastSeries>('path.forecast-line')
    .data((s) => (s.forecast.length ? [s] : []))
    .join('path')
    .attr('class', 'forecast-line')
    .attr('fill', 'none')
    .attr('stroke-dasharray', '6 4')
    .attr('d', (s) => path([...(s.from ? [s.from] : []), ...s.forecast.map((p) => ({ t: p.t, value: p.predicted }))]) ?? '')
    .style('stroke', (s) => s.colour ?? null);
  groups
    .selectAll<SVGPathElement, ForecastSeries>('path.trend-line')
    .data((s) => (s.trend && s.trend.length > 1 ? [s] : []))
    .join('path')
    .attr('class', 'trend-line')
    .attr('fill', 'none')
    .attr('d', (s) => path([...(s.trend ?? [])]) ?? '')
    .style('stroke', (s) => s.colour ?? null);
  return series.reduce((n, s) => n + s.forecast.length, 0);
}

/** Removes every trend and forecast. */
export function clearForecast(svg: SVGSVGElement): void {
  svg.querySelectorAll(':scope > g.layer-overlay > g.forecast').forEach((g) => g.remove());
}

/** The scales a forecast is drawn on. */
export type ForecastScales = Pick<TimeLayout, 'x' | 'y'>;

/** The module as one object, checked against the chart contract. */
export const forecastBand = {
  draw(svg: SVGSVGElement, series: readonly ForecastSeries[], scales: ForecastScales): number {
    clearForecast(svg);
    return drawForecast(svg, scales, series);
  },
  update: (svg: SVGSVGElement, series: readonly ForecastSeries[], scales: ForecastScales): number => drawForecast(svg, scales, series),
  resize: (): undefined => undefined,
  clear: clearForecast,
} satisfies ChartModule<readonly ForecastSeries[], ForecastScales, number>;
