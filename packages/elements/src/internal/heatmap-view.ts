/**
 * The behaviour the matrix charts (2.3, 2.8, 2.9) share around `charts/heatmap.ts`, written once
 * as a reactive controller: it renders the grid's scrolling plot, its tooltip and help text,
 * measures the chart, registers the grid with the paint scheduler (redrawn when the chart's args
 * change, resized when only the width does), shows the tooltip of the cell or header under the
 * pointer or the keyboard focus (beside it, following the grid's scroll), says what the keyboard
 * reached (for the chart's `role="status"` region), hands activations (click, Enter, Space) to the
 * chart, and moves focus into the grid.
 *
 * The grid's own keyboard contract (roving tabindex, arrows, Home/End, Enter/Space) is the
 * heatmap module's; Escape hides the tooltip (the tooltip controller's).
 */
import { html, nothing, type LitElement, type ReactiveController, type TemplateResult } from 'lit';
import { heatmap, type HeatmapData, type HeatmapLayout, type HeatmapOptions, type HeatmapTarget } from '../charts/heatmap.js';
import { PaintController } from './paint-controller.js';
import { ResizeController } from './resize-controller.js';
import { TooltipController, type TooltipContent } from './tooltip.js';

export interface HeatmapViewOptions<A extends readonly unknown[]> {
  /** The chart's paint scheduler when it draws more (default: the view's own). */
  painter?: PaintController;
  /** What the view measures (default `.plot-wrap`), and the width to draw at from its width. */
  observe?: string;
  width?(measured: number): number;
  /** What the grid depends on; `undefined` when there is nothing to draw. */
  args(): A | undefined;
  /** The grid's data and options (without width and callbacks) for `args`. */
  draw(args: A): { data: HeatmapData; options: Omit<HeatmapOptions, 'width' | 'onHover' | 'onActivate'> };
  /** The tooltip of a target (none: no tooltip). */
  describe(target: HeatmapTarget): TooltipContent | undefined;
  /** A target was clicked or activated with Enter or Space. */
  activate(target: HeatmapTarget): void;
  /** Says what the keyboard reached (the chart's `role="status"` region). */
  announce(text: string): void;
  /** Before the grid's tooltip shows (e.g. the chart moves its tooltip next to the grid). */
  showing?(): void;
  /** Whether the tooltip on screen is the grid's (default: always). */
  owns?(): boolean;
}

let ids = 0;

export class HeatmapView<A extends readonly unknown[]> implements ReactiveController {
  /** The layout of the last paint (cell rectangles and keyboard position). */
  layout?: HeatmapLayout;
  readonly tooltip: TooltipController;
  readonly size: ResizeController;
  private readonly uid = `usage-heatmap-${++ids}`;

  constructor(
    private readonly host: LitElement,
    private readonly options: HeatmapViewOptions<A>,
  ) {
    host.addController(this);
    this.tooltip = new TooltipController(host);
    this.size = new ResizeController(host);
    (options.painter ?? new PaintController(host)).add({
      module: heatmap,
      svg: () => this.svg,
      args: options.args,
      size: () => [options.width ? options.width(this.size.width) : this.size.width, 0],
      draw: (args, [width]) => {
        const { data, options: o } = options.draw(args);
        return { data, options: { ...o, width, onHover: this.onHover, onActivate: (t: HeatmapTarget) => options.activate(t) } };
      },
      done: (layout) => {
        this.layout = layout;
      },
    });
  }

  hostUpdated(): void {
    this.size.observe(this.host.renderRoot.querySelector(this.options.observe ?? '.plot-wrap'));
  }

  /** The scrolling plot with the grid's `<svg>` (and the tooltip), and the grid's help text. */
  render({ help, svgClass, tooltip = true }: { help: string; svgClass?: string; tooltip?: boolean }): TemplateResult {
    return html`<div class="plot-wrap">
        <div part="plot" class="plot" @scroll=${() => this.tooltip.hide()}>
          <svg part="svg" tabindex="-1" class=${svgClass ?? nothing} aria-describedby=${`${this.uid}-help`}></svg>
        </div>
        ${tooltip ? this.tooltip.render() : nothing}
      </div>
      <p id=${`${this.uid}-help`} class="visually-hidden">${help}</p>`;
  }

  /** Moves keyboard focus to the grid's active cell; false when there is no grid yet. */
  focus(focusOptions?: FocusOptions): boolean {
    const node = this.layout?.node(this.layout.active) as (SVGElement & { focus(o?: FocusOptions): void }) | undefined;
    node?.focus(focusOptions);
    return !!node;
  }

  private get svg(): SVGSVGElement | null {
    return this.host.renderRoot.querySelector('.plot svg');
  }

  private readonly onHover = (target: HeatmapTarget | null, rect: DOMRectReadOnly | null, source: 'pointer' | 'focus'): void => {
    const content = target && rect ? this.options.describe(target) : undefined;
    if (!content || !rect) {
      const focusInGrid = this.svg?.contains((this.host.renderRoot as ShadowRoot).activeElement);
      if ((this.options.owns?.() ?? true) && (source === 'focus' || !focusInGrid)) this.tooltip.hide();
      return;
    }
    const plot = this.host.renderRoot.querySelector('.plot');
    this.options.showing?.();
    this.tooltip.show(content, { x: rect.x + rect.width - (plot?.scrollLeft ?? 0), y: rect.y + rect.height / 2 - (plot?.scrollTop ?? 0) });
    if (source === 'focus') this.options.announce(`${content.title}: ${(content.rows ?? []).map((r) => `${r.label} ${r.value}`).join(', ')}`);
  };
}
