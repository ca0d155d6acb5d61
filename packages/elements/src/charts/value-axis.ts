/** The value (y) axis of a chart with horizontal gridlines, numbers compact ("12K"). */
import { axisLeft } from 'd3-axis';
import { scaleLinear, type ScaleLinear } from 'd3-scale';
import { select } from 'd3-selection';
import type { PlotRect } from './contract.js';

const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });

/** A linear scale from [0, max] (niced; at least [0, 1]) onto the plot's vertical extent, 0 at the bottom. */
export function valueScale(max: number, plot: Pick<PlotRect, 'top' | 'height'>): ScaleLinear<number, number> {
  const top = Number.isFinite(max) && max > 0 ? max : 1;
  return scaleLinear()
    .domain([0, top])
    .nice()
    .range([plot.top + plot.height, plot.top]);
}

/** Draws the left axis into `axis` and gridlines into `grid`. */
export function drawValueAxis(
  axis: SVGGElement,
  grid: SVGGElement,
  y: ScaleLinear<number, number>,
  plot: PlotRect,
  format: (v: number) => string = (v) => compact.format(v),
): void {
  const ticks = Math.max(2, Math.floor(plot.height / 50));
  axis.setAttribute('transform', `translate(${plot.left},0)`);
  axis.setAttribute('aria-hidden', 'true');
  select(axis).call(
    axisLeft(y)
      .ticks(ticks)
      .tickSizeOuter(0)
      .tickFormat((v) => format(Number(v))),
  );
  grid.setAttribute('aria-hidden', 'true');
  select(grid)
    .selectAll<SVGLineElement, number>('line.gridline')
    .data(y.ticks(ticks))
    .join('line')
    .attr('class', 'gridline')
    .attr('x1', plot.left)
    .attr('x2', plot.left + plot.width)
    .attr('y1', (d) => y(d))
    .attr('y2', (d) => y(d));
}
