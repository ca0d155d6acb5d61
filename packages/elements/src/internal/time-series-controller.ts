/**
 * One behaviour for every time-series chart (2.1 Total API Calls, 2.5 API Calls Over Time and the
 * time charts to come), as a reactive controller: the chart says what to draw and what a bucket
 * means (`TimeSeriesSource`); the controller draws it through the paint scheduler (stacked areas
 * or lines, the forecast over them, the focus marker), wires the zoom (`TimeZoom`) to the drawing,
 * and owns the interaction — focus index and series, keyboard, pointer, click, tooltip, the
 * screen-reader announcement and the legend's hidden series.
 *
 * Keyboard contract of the plot (one tab stop: `role="group"`, `aria-roledescription="interactive
 * chart"`, described by a help text and, while shown, by the tooltip):
 * - Focus shows the last bucket with data in view.
 * - ← / →: the previous / next bucket (a zoomed view pans to keep it visible).
 * - Home / End: the first / last bucket in view (End: the last with data, not the forecast).
 * - ↑ / ↓: up / down through the visible series (bottom of the stack first); past either end, the
 *   whole bucket again.
 * - Enter or Space: opens the requests of the bucket (and of the focused series), as a click does.
 * - Escape: clears the focus and hides the tooltip (used up, so a dialog or fullscreen around the
 *   chart stays; a second Escape reaches them).
 * - `+` / `=` and `-`: zoom in and out around the focused bucket; `0` resets; Shift + ← / →: pan.
 * Every move updates the tooltip (`role="tooltip"`) and announces the bucket in a `role="status"`
 * region.
 *
 * Pointer: hovering shows the bucket and the series under the pointer; leaving hides it unless the
 * plot has keyboard focus; a click (not a drag) opens the bucket's requests; dragging zooms,
 * Shift + drag or a horizontal wheel pans, Ctrl/⌘ + wheel zooms (`TimeZoom`).
 *
 * Legend: {@link TimeSeriesController.toggle} hides or shows a series and emits
 * `usage-series-toggle`.
 */
import { html, nothing, type ReactiveController, type TemplateResult } from 'lit';
import { layers } from '../charts/contract.js';
import { drawFocus } from '../charts/focus-marker.js';
import { forecastBand, type ForecastSeries } from '../charts/forecast-band.js';
import { stackedArea, type SeriesData, type StackedAreaLayout } from '../charts/stacked-area.js';
import '../events/usage-series-toggle.js';
import '../events/usage-zoom.js';
import type { PaintController } from './paint-controller.js';
import type { Swatch } from './palette.js';
import { ResizeController } from './resize-controller.js';
import { TimeZoom } from './time-zoom.js';
import { TooltipController, type TooltipContent } from './tooltip.js';
import type { UsageElement } from './usage-element.js';

/** What to draw: the series, stacked or as lines, their colour domain and the forecast over them. */
export interface TimeSeriesChart {
  data: SeriesData;
  mode: 'stack' | 'overlay';
  /** The domain the swatches are picked from (a change repaints). */
  colours: readonly string[];
  forecast: readonly ForecastSeries[];
  /** Points × series above which the marks go to a canvas. */
  canvasThreshold?: number;
  /** The categorical palette the swatches come from (a new palette, e.g. after a theme switch, repaints). */
  palette?: readonly string[];
  /** BCP 47 locale of the axis labels (a change repaints). */
  locale?: string;
}

/** What the chart tells the controller. */
export interface TimeSeriesSource {
  /** What to draw now (`undefined`: nothing yet). */
  chart(): TimeSeriesChart | undefined;
  /** The colour and texture of a series. */
  swatch(key: string): Swatch;
  /** The tooltip of bucket `index` (series `key` emphasised) and what to announce. */
  describe(index: number, key: string | undefined): { content: TooltipContent; announcement: string };
  /** Opens the requests of bucket `index` (of series `key` when one is focused or under the pointer). */
  drill(index: number, key: string | undefined): void;
  /** A bucket was shown (pointer or keyboard), e.g. to fetch its breakdown. */
  shown?(index: number): void;
  /** The focus was cleared. */
  cleared?(): void;
  /** After each paint (e.g. HTML placed with the new scales). */
  painted?(layout: StackedAreaLayout): void;
}

let ids = 0;

export class TimeSeriesController implements ReactiveController {
  /** The focused or hovered bucket and series. */
  focusIndex: number | null = null;
  focusKey?: string;
  /** The last announcement (the `role="status"` region). */
  announcement = '';
  /** Series hidden from the legend. */
  hiddenKeys: ReadonlySet<string> = new Set();
  /** The layout of the last paint (scales and hit-testing). */
  layout?: StackedAreaLayout;

  readonly tooltip: TooltipController;
  readonly zoom: TimeZoom;
  /** The plot's size (observed). */
  readonly size: ResizeController;
  private readonly uid = `usage-time-series-${++ids}`;
  private svg?: SVGSVGElement;

  constructor(
    private readonly host: UsageElement,
    painter: PaintController,
    private readonly source: TimeSeriesSource,
  ) {
    host.addController(this);
    this.tooltip = new TooltipController(host);
    this.size = new ResizeController(host);
    this.zoom = new TimeZoom({
      onChange: (domain, zoomSource) => {
        const [start, end] = domain ?? this.zoom.full;
        host.emit('usage-zoom', { detail: { start, end, zoomed: domain !== null, source: zoomSource } });
        this.tooltip.hide();
        host.requestUpdate();
      },
      onClick: (px, py) => this.clickAt(px, py),
    });
    painter.add({
      module: stackedArea,
      svg: () => this.host.renderRoot.querySelector<SVGSVGElement>('.plot svg'),
      args: () => {
        const chart = source.chart();
        if (!chart) return undefined;
        const { data, forecast, mode, colours, canvasThreshold, palette, locale } = chart;
        const view = this.zoom.view;
        // Headroom for the forecast's upper band inside the visible window.
        const yMax = Math.max(0, ...forecast.flatMap((s) => s.forecast.filter((p) => p.t >= view[0] && p.t <= view[1]).map((p) => p.upper)));
        return [data.points, data.keys, data.bucket, mode, this.hiddenKeys, view, this.zoom.full, colours, yMax, canvasThreshold, palette, locale] as const;
      },
      // Both sides are needed (a plot not displayed measures 0 × 0).
      size: () => (this.size.height > 0 ? [this.size.width, this.size.height] : [0, 0]),
      draw: ([points, keys, bucket, mode, hidden, domain, extent, , yMax, canvasThreshold, , locale], [width, height]) => ({
        data: { points, keys, bucket },
        options: { width, height, mode, swatch: (k: string) => this.source.swatch(k), hidden, domain, extent, yMax, canvasThreshold, locale },
      }),
      done: (layout, svg) => {
        this.layout = layout;
        this.svg = svg;
        this.zoom.attach(layers(svg).interaction, layout.x, layout.plot);
        this.drawFocus();
        source.painted?.(layout);
      },
    });
    painter.add({
      module: forecastBand,
      svg: () => this.svg,
      args: () => {
        const chart = source.chart();
        return chart && this.layout ? ([this.layout, chart.forecast] as const) : undefined;
      },
      draw: ([layout, forecast]) => ({ data: forecast, options: layout }),
    });
  }

  hostUpdated(): void {
    this.size.observe(this.host.renderRoot.querySelector('.plot'));
  }

  hostDisconnected(): void {
    this.zoom.detach();
  }

  /** The plot (focusable, with the chart's `<svg>`), its tooltip, help text and status region. */
  renderPlot({ label, help, overlay = nothing }: { label: string; help: string; overlay?: unknown }): TemplateResult {
    const describedBy = this.tooltip.visible ? `${this.uid}-help ${this.tooltip.id}` : `${this.uid}-help`;
    return html`
      <div class="plot-wrap">
        <div
          part="plot"
          class="plot"
          tabindex="0"
          role="group"
          aria-roledescription="interactive chart"
          aria-label=${label}
          aria-describedby=${describedBy}
          @keydown=${this.onKeydown}
          @focus=${this.onFocus}
          @blur=${this.clear}
          @pointermove=${this.onPointerMove}
          @pointerleave=${this.onPointerLeave}
        >
          <svg part="svg" aria-hidden="true"></svg>
        </div>
        ${overlay} ${this.tooltip.render()}
      </div>
      <p id=${`${this.uid}-help`} class="visually-hidden">
        Arrow keys move between time buckets and series; Enter opens the requests of the bucket; Escape clears the focus; plus and minus zoom, Shift with arrows
        pans, 0 resets the zoom. ${help}
      </p>
      <span class="visually-hidden" role="status">${this.announcement}</span>
    `;
  }

  /** Shows or hides a series (legend) and emits `usage-series-toggle`. */
  toggle = (key: string): void => {
    const next = new Set(this.hiddenKeys);
    const hidden = !next.delete(key);
    if (hidden) next.add(key);
    this.hiddenKeys = next;
    this.host.emit('usage-series-toggle', { detail: { key, hidden, hiddenKeys: [...next] } });
    this.host.requestUpdate();
  };

  /** Shows every series again (e.g. when the chart's series change). */
  showAll(): void {
    this.hiddenKeys = new Set();
    this.host.requestUpdate();
  }

  /** Re-describes the focused bucket (its content changed), without announcing it. */
  refresh(): void {
    if (this.focusIndex !== null) this.show(this.focusIndex, this.focusKey, false);
  }

  /** Says `text` in the status region. */
  announce(text: string): void {
    this.announcement = text;
    this.host.requestUpdate();
  }

  /** Clears the focus and hides the tooltip. */
  clear = (): void => {
    this.focusIndex = null;
    this.focusKey = undefined;
    this.tooltip.hide();
    this.drawFocus();
    this.source.cleared?.();
    this.host.requestUpdate();
  };

  private show(index: number, key: string | undefined, announce: boolean): void {
    const layout = this.layout;
    if (!layout || index < 0 || index >= this.count) return;
    this.focusIndex = index;
    this.focusKey = key;
    const { content, announcement } = this.source.describe(index, key);
    this.tooltip.show(content, layout.anchor(index, key));
    if (announce) this.announcement = announcement;
    this.drawFocus();
    this.source.shown?.(index);
    this.host.requestUpdate();
  }

  private drawFocus(): void {
    if (this.svg && this.layout) drawFocus(this.svg, this.layout, this.focusIndex, (k) => this.source.swatch(k));
  }

  /** Buckets that hold data. */
  private get count(): number {
    return this.source.chart()?.data.points.length ?? 0;
  }

  /** The last bucket with data inside the view. */
  private lastIndex(layout: StackedAreaLayout): number {
    return Math.min(this.count - 1, layout.indexAt(layout.plot.left + layout.plot.width));
  }

  private readonly onKeydown = (e: KeyboardEvent): void => {
    const layout = this.layout;
    const n = this.count;
    if (!layout || n === 0) return;
    if (e.key === 'Escape') {
      if (this.focusIndex === null && !this.tooltip.visible) return;
      e.preventDefault();
      e.stopPropagation();
      this.clear();
      return;
    }
    const index = this.focusIndex ?? this.lastIndex(layout);
    if (this.zoom.handleKey(e, layout.centre(index))) {
      e.preventDefault();
      return;
    }
    let next = index;
    let key = this.focusKey;
    switch (e.key) {
      case 'ArrowLeft':
        next = Math.max(0, index - 1);
        break;
      case 'ArrowRight':
        next = Math.min(n - 1, index + 1);
        break;
      case 'Home':
        next = Math.max(0, layout.indexAt(layout.plot.left));
        break;
      case 'End':
        next = this.lastIndex(layout);
        break;
      case 'ArrowUp':
      case 'ArrowDown': {
        const keys = layout.keys;
        if (!keys.length) return;
        const i = key === undefined ? -1 : keys.indexOf(key);
        const j = e.key === 'ArrowUp' ? i + 1 : i === -1 ? keys.length - 1 : i - 1;
        key = j < 0 || j >= keys.length ? undefined : keys[j];
        break;
      }
      case 'Enter':
      case ' ':
        e.preventDefault();
        this.source.drill(index, key);
        return;
      default:
        return;
    }
    e.preventDefault();
    this.zoom.reveal(layout.centre(next));
    this.show(next, key, true);
  };

  private readonly onFocus = (): void => {
    if (this.layout && this.focusIndex === null) this.show(this.lastIndex(this.layout), undefined, true);
  };

  private readonly onPointerMove = (e: PointerEvent): void => {
    const layout = this.layout;
    if (!layout || !this.svg || e.buttons) return;
    const box = this.svg.getBoundingClientRect();
    const [px, py] = [e.clientX - box.left, e.clientY - box.top];
    const { plot } = layout;
    if (px < plot.left || px > plot.left + plot.width || py < plot.top || py > plot.top + plot.height) {
      if (this.focusIndex !== null || this.tooltip.visible) this.clear();
      return;
    }
    const index = layout.indexAt(px);
    const key = layout.keyAt(index, py);
    if (index !== this.focusIndex || key !== this.focusKey || !this.tooltip.visible) this.show(index, key, false);
  };

  private readonly onPointerLeave = (): void => {
    const plot = this.host.renderRoot.querySelector('.plot');
    if (plot !== (this.host.renderRoot as ShadowRoot).activeElement) this.clear();
  };

  private clickAt(px: number, py: number): void {
    const layout = this.layout;
    if (!layout || px < layout.plot.left || px > layout.plot.left + layout.plot.width) return;
    const index = layout.indexAt(px);
    if (index < 0 || index >= this.count || layout.centre(index) > layout.domain[1] + 1) return;
    this.source.drill(index, layout.keyAt(index, py));
  }
}
