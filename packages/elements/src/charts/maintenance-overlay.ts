/**
 * Marks drawn over cells of a heatmap that `charts/heatmap.ts` already laid out (chart 2.16), pure:
 * maintenance windows as a hatched, outlined box per covered cell, suggested quiet windows as a
 * dotted outline. The shapes differ (hatch + solid outline vs dotted outline), so the marks do not
 * rely on colour; each mark also names its window in a `<title>` for sighted pointer users, while
 * the element lists the windows as text and says them in each cell's accessible name (the overlay
 * itself is `aria-hidden` and lets the pointer through to the cells).
 *
 * Follows the chart contract; `update` re-appends the layer so it stays above a heatmap that was
 * just redrawn into the same `<svg>`.
 */
import { svgEl, type ChartModule } from './contract.js';
import type { HeatmapLayout } from './heatmap-types.js';

export interface OverlayMark {
  row: number;
  col: number;
  kind: 'maintenance' | 'suggested';
  /** Tooltip of the mark (text; names of the windows). */
  title: string;
}

export interface OverlayOptions {
  /** The heatmap's layout (cell rectangles). */
  layout: HeatmapLayout;
  /** Stroke of the marks (default: the text colour). */
  stroke?: string;
}

export interface OverlayLayout {
  /** Marks drawn. */
  count: number;
}

let ids = 0;
const state = new WeakMap<SVGSVGElement, { data: readonly OverlayMark[]; options: OverlayOptions }>();

export function draw(svg: SVGSVGElement, data: readonly OverlayMark[], options: OverlayOptions): OverlayLayout {
  clear(svg);
  return render(svg, data, options);
}

export function update(svg: SVGSVGElement, data: readonly OverlayMark[], options: OverlayOptions): OverlayLayout {
  return draw(svg, data, options);
}

/** The marks follow the heatmap's layout, not a size of their own: the element redraws them with the new layout. */
export function resize(): undefined {
  return undefined;
}

export function clear(svg: SVGSVGElement): void {
  svg.querySelector(':scope > g.maintenance-overlay')?.remove();
  state.delete(svg);
}

export const maintenanceOverlay = { draw, update, resize, clear } satisfies ChartModule<readonly OverlayMark[], OverlayOptions, OverlayLayout>;

function render(svg: SVGSVGElement, data: readonly OverlayMark[], options: OverlayOptions): OverlayLayout {
  const { layout, stroke = 'currentColor' } = options;
  const g = svgEl('g', { class: 'maintenance-overlay', 'aria-hidden': 'true', 'pointer-events': 'none' });
  const id = `usage-maintenance-hatch-${++ids}`;
  const defs = svgEl('defs');
  const pattern = svgEl('pattern', { id, patternUnits: 'userSpaceOnUse', width: 6, height: 6, patternTransform: 'rotate(45)' });
  pattern.append(svgEl('rect', { width: 6, height: 6, fill: 'rgba(255,255,255,0.35)' }));
  pattern.append(svgEl('line', { x1: 0, y1: 0, x2: 0, y2: 6, stroke, 'stroke-width': 1.5, 'stroke-opacity': 0.8 }));
  defs.append(pattern);
  g.append(defs);
  let count = 0;
  for (const m of data) {
    const target = { kind: 'cell' as const, row: m.row, col: m.col };
    if (!layout.node(target)) continue;
    const r = layout.rect(target);
    // A light halo under the outline keeps it visible on dark and light fills alike.
    g.append(
      svgEl('rect', {
        class: 'mark-halo',
        x: r.x + 1.5,
        y: r.y + 1.5,
        width: Math.max(0, r.width - 4),
        height: Math.max(0, r.height - 4),
        fill: 'none',
        stroke: '#ffffff',
        'stroke-width': 3.5,
        'stroke-opacity': 0.9,
      }),
    );
    const mark = svgEl('rect', {
      class: m.kind === 'maintenance' ? 'maintenance-mark' : 'suggested-mark',
      'data-row': m.row,
      'data-col': m.col,
      x: r.x + 1.5,
      y: r.y + 1.5,
      width: Math.max(0, r.width - 4),
      height: Math.max(0, r.height - 4),
      fill: m.kind === 'maintenance' ? `url(#${id})` : 'none',
      stroke,
      'stroke-width': m.kind === 'maintenance' ? 1.5 : 2,
      ...(m.kind === 'suggested' ? { 'stroke-dasharray': '2 2' } : {}),
    });
    const title = svgEl('title');
    title.textContent = m.title;
    mark.append(title);
    g.append(mark);
    count++;
  }
  svg.append(g);
  state.set(svg, { data, options });
  return { count };
}
