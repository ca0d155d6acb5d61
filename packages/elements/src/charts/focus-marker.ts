/**
 * The focus marker of every time series (the bucket under the pointer or the keyboard focus): a
 * vertical rule and a dot on each visible series, in the chart's `focus` layer. Drawn by the
 * time-series controller whenever the focus moves, and after each repaint.
 */
import { select } from 'd3-selection';
import type { Swatch } from '../internal/palette.js';
import { layers, type TimeSeriesLayout } from './contract.js';

/**
 * Marks bucket `index` (hover or keyboard focus): a vertical rule and a dot on each visible series;
 * `null` removes the marker.
 */
export function drawFocus(svg: SVGSVGElement, layout: TimeSeriesLayout, index: number | null, swatch: (key: string) => Swatch): void {
  const g = layers(svg).focus;
  g.setAttribute('aria-hidden', 'true');
  if (index === null || index < 0) {
    g.replaceChildren();
    return;
  }
  const { x } = layout.anchor(index);
  const inside = x >= layout.plot.left && x <= layout.plot.left + layout.plot.width;
  const focus = select(g);
  focus
    .selectAll('line.focus-rule')
    .data(inside ? [x] : [])
    .join('line')
    .attr('class', 'focus-rule')
    .attr('x1', (d) => d)
    .attr('x2', (d) => d)
    .attr('y1', layout.plot.top)
    .attr('y2', layout.plot.top + layout.plot.height);
  focus
    .selectAll<SVGCircleElement, string>('circle.focus-dot')
    .data(inside ? layout.keys : [], (k) => k)
    .join('circle')
    .attr('class', 'focus-dot')
    .attr('data-key', (k) => k)
    .attr('r', 3.5)
    .attr('cx', x)
    .attr('cy', (k) => layout.anchor(index, k).y)
    .attr('fill', (k) => swatch(k).colour);
}
