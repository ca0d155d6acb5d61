/**
 * The behaviour the matrix charts (2.3, 2.8, 2.9) share around `charts/heatmap.ts`, written once
 * once: it registers the grid with the chart's paint scheduler (redrawn when
 * the chart's args change, resized when only the width does), shows the tooltip of the cell or
 * header under the pointer or the keyboard focus (placed beside it, following the grid's scroll),
 * announces what the keyboard reached (for the chart's `role="status"` region), hands
 * activations (click, Enter, Space) to the chart, and moves focus into the grid.
 *
 * The grid's own keyboard contract (roving tabindex, arrows, Home/End, Enter/Space) is the
 * heatmap module's; Escape hides the tooltip (the tooltip controller's).
 */
import { heatmap, type HeatmapData, type HeatmapLayout, type HeatmapOptions, type HeatmapTarget } from '../charts/heatmap.js';
import type { PaintController } from './paint-controller.js';
import type { TooltipContent, TooltipController } from './tooltip.js';

export interface HeatmapViewOptions<A extends readonly unknown[]> {
  painter: PaintController;
  tooltip: TooltipController;
  /** The grid's `<svg>` and the container it scrolls in. */
  svg(): SVGSVGElement | null | undefined;
  plot(): HTMLElement | null | undefined;
  /** The width to draw at (0 until measured). */
  width(): number;
  /** What the grid depends on; `undefined` when there is nothing to draw. */
  args(): A | undefined;
  /** The grid's data and options (without width and callbacks) for `args`. */
  draw(args: A): { data: HeatmapData; options: Omit<HeatmapOptions, 'width' | 'onHover' | 'onActivate'> };
  /** The tooltip of a target (none: no tooltip). */
  describe(target: HeatmapTarget): TooltipContent | undefined;
  /** A target was clicked or activated with Enter or Space. */
  activate(target: HeatmapTarget): void;
  /** Before the grid's tooltip shows (e.g. the chart moves its tooltip next to the grid). */
  showing?(): void;
  /** Whether the tooltip on screen is the grid's (default: always). */
  owns?(): boolean;
  /** Says what the keyboard reached (a `role="status"` region). */
  announce(text: string): void;
}

export class HeatmapView<A extends readonly unknown[]> {
  /** The layout of the last paint (cell rectangles and keyboard position). */
  layout?: HeatmapLayout;
  constructor(private readonly options: HeatmapViewOptions<A>) {
    options.painter.add({
      module: heatmap,
      svg: options.svg,
      args: options.args,
      size: () => [options.width(), 0],
      draw: (args, [width]) => {
        const { data, options: o } = options.draw(args);
        return { data, options: { ...o, width, onHover: this.onHover, onActivate: (t: HeatmapTarget) => options.activate(t) } };
      },
      done: (layout) => {
        this.layout = layout;
      },
    });
  }

  /** Moves keyboard focus to the grid's active cell; false when there is no grid yet. */
  focus(focusOptions?: FocusOptions): boolean {
    const node = this.layout?.node(this.layout.active) as (SVGElement & { focus(o?: FocusOptions): void }) | undefined;
    node?.focus(focusOptions);
    return !!node;
  }

  private readonly onHover = (target: HeatmapTarget | null, rect: DOMRectReadOnly | null, source: 'pointer' | 'focus'): void => {
    const { tooltip } = this.options;
    const content = target && rect ? this.options.describe(target) : undefined;
    if (!content || !rect) {
      const svg = this.options.svg();
      const focusInGrid = svg?.contains((svg.getRootNode() as ShadowRoot).activeElement);
      if ((this.options.owns?.() ?? true) && (source === 'focus' || !focusInGrid)) tooltip.hide();
      return;
    }
    const plot = this.options.plot();
    this.options.showing?.();
    tooltip.show(content, { x: rect.x + rect.width - (plot?.scrollLeft ?? 0), y: rect.y + rect.height / 2 - (plot?.scrollTop ?? 0) });
    if (source === 'focus') this.options.announce(`${content.title}: ${(content.rows ?? []).map((r) => `${r.label} ${r.value}`).join(', ')}`);
  };
}
