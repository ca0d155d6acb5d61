import { Task, TaskStatus, initialState } from '@lit/task';
import { callsOverTime, type CallsOverTime, type CallsOverTimeParams, type UsageForecast } from '@usage-analytics/queries';
import { html, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { layers } from '../../charts/contract.js';
import { clearForecast, drawForecast, type ForecastSeries } from '../../charts/forecast-band.js';
import * as stackedArea from '../../charts/stacked-area.js';
import type { StackedAreaLayout } from '../../charts/stacked-area.js';
import type { Domain } from '../../charts/time-axis.js';
import '../../events/usage-drilldown.js';
import '../../events/usage-series-toggle.js';
import '../../events/usage-zoom.js';
import { isAbort, toFailure } from '../../internal/context.js';
import { currentPeriodLabel } from '../../internal/format.js';
import { renderLegend } from '../../internal/legend.js';
import { paletteFromStyles, sortDomain, swatchFor, type Swatch } from '../../internal/palette.js';
import { ResizeController } from '../../internal/resize-controller.js';
import { TimeZoom } from '../../internal/time-zoom.js';
import { TooltipController } from '../../internal/tooltip.js';
import { FirstPaint, shown } from '../../internal/first-paint.js';
import { UsageChartElement } from '../../internal/chart-element.js';
import '../chart-filters/chart-filters.js';
import '../chart-frame/chart-frame.js';
import {
  apiCallsForecast,
  bucketDrilldown,
  bucketTooltip,
  chartExtent,
  clampHorizon,
  departmentDrilldown,
  forecastSeries,
  parseCompare,
  queriedRange,
  screenColumns,
  screenRows,
  seriesTotals,
  HISTORY_DAYS,
  MAX_COMPARE,
} from './api-calls.data.js';
import styles from './api-calls.styles.js';

/** Query parameters of the chart (the bucket follows the range: hour up to 3 days, else day). */
export const API_CALLS_PARAMS: CallsOverTimeParams = Object.freeze({ by: 'department' });

let instances = 0;

/**
 * @summary Chart 2.1 Total API Calls: calls per time bucket stacked by department, or up to five
 * departments compared as lines; a trend line and a 14–30 day forecast (dashed, 80 % band) fitted
 * on the last 30 days; zoom and pan; a legend that toggles departments and opens a department.
 *
 * Inside `<usage-provider>` it takes the client and the shared filters from context; alone, set
 * `client` and `filters`. `filters-override` (property, or JSON attribute) is merged over them, so
 * one chart can differ from the rest of the tab. The default view paints from the snapshot's
 * precomputed result before DuckDB-WASM has started.
 *
 * Keyboard on the plot: ←/→ move between buckets (Home/End: first/last), ↑/↓ pick a department,
 * Enter opens the requests of the bucket, `+`/`-` zoom, Shift + ←/→ pan, `0` resets the zoom,
 * Escape hides the tooltip. Pointer: hover for the tooltip, click for the requests of a bucket
 * (and the department under the pointer), drag to zoom, Shift + drag or horizontal scroll to pan.
 *
 * @fires usage-drilldown - `{kind: 'time-bucket', bucketStart, bucketEnd, bucket, department?, filters}` on a data point;
 *   `{kind: 'department', department, filters}` from the legend's "View".
 * @fires usage-zoom - The visible window changed: `{start, end, zoomed, source}`.
 * @fires usage-series-toggle - A department was shown or hidden from the legend: `{key, hidden, hiddenKeys}`.
 * @fires usage-retry - Retry was pressed after an error (the chart re-runs its query).
 *
 * @csspart frame - The `<usage-chart-frame>`; its parts are exported as `frame-*` (`frame-title`, `frame-toolbar`, `frame-button`, …).
 * @csspart plot - The focusable plot area (holds the SVG).
 * @csspart svg - The chart's `<svg>`.
 * @csspart reset-zoom-button - "Reset zoom" (shown while zoomed).
 * @csspart legend - The legend list; `legend-item`, `legend-toggle`, `legend-drill` its items and buttons.
 * @csspart tooltip - The tooltip; `tooltip-title` its heading.
 * @csspart note - Notes under the chart (forecast availability, comparison limit).
 *
 * @cssproperty --usage-api-calls-height - Height of the plot (default 320px; 70vh in fullscreen).
 * @cssproperty --usage-tooltip-background - Tooltip background.
 * @cssproperty --usage-legend-item-max-width - Width at which a legend name is truncated (default 16rem).
 */
export default class UsageApiCalls extends UsageChartElement {
  static override styles = styles;

  /** Comparison mode: up to 5 comma-separated departments drawn as lines instead of stacked. */
  @property({ reflect: true }) compare?: string;

  /** Forecast horizon in days (clamped to 14–30). */
  @property({ type: Number, attribute: 'forecast-days' }) forecastDays = 14;

  /** Hides the trend line and the forecast. */
  @property({ type: Boolean, attribute: 'hide-forecast' }) hideForecast = false;

  /** Title of the frame. */
  @property() override heading = 'Total API Calls';

  /** One-line purpose under the title. */
  @property() override description = 'Calls per department over time, with the trend and a forecast from the last 30 days.';

  /** Points × departments above which the areas are painted on a canvas. */
  @property({ type: Number, attribute: 'canvas-threshold' }) canvasThreshold = stackedArea.DEFAULT_CANVAS_THRESHOLD;

  /** Departments hidden from the legend. */
  @state() private hiddenKeys: ReadonlySet<string> = new Set();
  /** Focused/hovered bucket and department. */
  @state() private focusIndex: number | null = null;
  @state() private focusKey?: string;
  @state() private announcement = '';

  @query('svg') private svg!: SVGSVGElement;
  @query('.plot') private plotEl!: HTMLElement;

  /** The layout of the last paint (scales and hit-testing), for tests and tools. */
  layout?: StackedAreaLayout;

  private readonly channel = `usage-api-calls-${++instances}`;
  private readonly tooltip = new TooltipController(this);
  private readonly size = new ResizeController(this);
  private readonly zoom = new TimeZoom({
    onChange: (domain, source) => {
      const [start, end] = domain ?? this.zoom.full;
      this.emit('usage-zoom', { detail: { start, end, zoomed: domain !== null, source } });
      this.tooltip.hide();
      this.requestUpdate();
    },
    onClick: (px, py) => this.clickAt(px, py),
  });

  private domainMemo?: { source: Iterable<string>; size: number; value: string[] };
  private readonly memos = new Map<string, { deps: unknown[]; value: unknown }>();
  private readonly firstPaint = new FirstPaint(callsOverTime);
  private seenKeys = new Set<string>();
  private paintKey: unknown[] = [];
  private palette?: string[];

  private readonly callsTask = new Task(this, {
    args: () => [this.activeClient, this.activeFilters] as const,
    task: async ([client, filters], { signal }) => {
      if (!client) return initialState;
      return client.run(callsOverTime, filters, API_CALLS_PARAMS, { channel: this.channel, signal });
    },
  });

  private readonly forecastTask = new Task(this, {
    args: () => [this.activeClient, this.activeFilters, this.hideForecast, clampHorizon(this.forecastDays), this.compareKeys.join('\u0000')] as const,
    task: async ([client, filters, hide, horizon, compare], { signal }): Promise<UsageForecast | typeof initialState> => {
      if (!client || hide) return initialState;
      const departments = compare ? compare.split('\u0000') : undefined;
      return client.run(apiCallsForecast, filters, { horizon, departments, historyDays: HISTORY_DAYS }, { channel: `${this.channel}-forecast`, signal });
    },
  });

  private readonly domainTask = new Task(this, {
    args: () => [this.activeClient] as const,
    task: async ([client]) => {
      if (!client?.dimensions) return initialState;
      return (await client.dimensions()).departments;
    },
  });

  private get compareKeys(): string[] {
    return parseCompare(this.compare).keys;
  }

  /** What the chart shows now: the query's answer, else the precomputed first paint. */
  get data(): CallsOverTime | undefined {
    return shown(this.callsTask, this.firstPaint.value(this.activeClient, this.activeFilters, API_CALLS_PARAMS));
  }

  /** The colour domain: every department of the snapshot (sorted), else every department seen so far. */
  get departmentDomain(): string[] {
    const all = this.domainTask.status === TaskStatus.COMPLETE ? this.domainTask.value : undefined;
    const source = all ?? this.seenKeys;
    const size = all ? all.length : this.seenKeys.size;
    if (this.domainMemo?.source !== source || this.domainMemo.size !== size) this.domainMemo = { source, size, value: sortDomain(source) };
    return this.domainMemo.value;
  }

  /** The swatch of a department (stable across charts: by its place in the sorted snapshot domain). */
  swatch = (key: string): Swatch => swatchFor(key, this.departmentDomain, this.palette);

  protected override willUpdate(_changed: PropertyValues<this>): void {
    const data = this.data;
    if (data) this.zoom.full = chartExtent(data, this.currentForecast().series);
    for (const k of data?.keys ?? []) this.seenKeys.add(k);
    for (const k of this.compareKeys) this.seenKeys.add(k);
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  protected override get dataTasks(): readonly Task<any, any>[] {
    return [this.callsTask, this.forecastTask, this.domainTask];
  }

  override render() {
    const data = this.data;
    const task = this.callsTask;
    const client = this.activeClient;
    const status = this.frameStatus(task, data, (d) => d.total === 0 && d.points.every((p) => p.total === 0));
    const frameState = status.state;
    const { series: forecast, note: forecastNote } = this.currentForecast();
    const keys = this.seriesKeys();
    const visible = keys.filter((k) => !this.hiddenKeys.has(k));
    const rows = data && frameState === 'ready' ? this.memo('rows', [data, visible.join('\u0000'), this.zoom.view[0], this.zoom.view[1], forecast.length, forecast[0]?.forecast], () => screenRows(data, visible, this.zoom.view, forecast)) : [];
    const compare = parseCompare(this.compare);
    const forecastError = this.forecastTask.status === TaskStatus.ERROR && !isAbort(this.forecastTask.error) ? toFailure(this.forecastTask.error).message : undefined;
    const totals = data ? this.memo('totals', [data], () => seriesTotals(data)) : undefined;
    const compact = new Intl.NumberFormat(this.activeLocale, { notation: 'compact', maximumFractionDigits: 1 });
    return this.renderFrame(
      {
        status,
        emptyMessage: `No API calls match these filters in the ${this.periodLabel}.`,
        rows: rows,
        columns: this.memo('columns', [visible.join('\u0000'), forecast.length > 0], () => screenColumns(visible, forecast.length > 0)),
        filename: 'api-calls',
      },
      html`
        <button slot="actions" part="reset-zoom-button" type="button" ?hidden=${!this.zoom.zoomed} @click=${() => this.zoom.reset()}>Reset zoom</button>
        <div class="plot-wrap">
          <div
            part="plot"
            class="plot"
            tabindex="0"
            role="group"
            aria-roledescription="interactive chart"
            aria-label=${this.plotLabel(data, visible)}
            aria-describedby=${this.tooltip.visible ? `${this.channel}-help ${this.tooltip.id}` : `${this.channel}-help`}
            @keydown=${this.onKeydown}
            @focus=${this.onFocus}
            @blur=${this.onBlur}
            @pointermove=${this.onPointerMove}
            @pointerleave=${this.onPointerLeave}
          >
            <svg part="svg" aria-hidden="true"></svg>
          </div>
          ${this.tooltip.render()}
        </div>
        <p id=${`${this.channel}-help`} class="visually-hidden">
          Arrow keys move between time buckets and departments; Enter opens the requests of the bucket; plus and minus zoom, Shift with arrows pans, 0 resets the zoom.
        </p>
        <span class="visually-hidden" role="status">${this.announcement}</span>
        <div slot="legend">
          ${keys.length
            ? renderLegend({
                label: compare.keys.length ? 'Compared departments' : 'Departments',
                items: keys.map((k) => {
                  const sw = this.swatch(k);
                  return { key: k, colour: sw.colour, hatch: sw.hatch, hidden: this.hiddenKeys.has(k), detail: totals ? compact.format(totals.get(k) ?? 0) : undefined };
                }),
                onToggle: this.toggle,
                onDrill: this.drillDepartment,
                drillText: 'View',
                drillLabel: (item) => `View department ${item.key}`,
              })
            : nothing}
        </div>
        <div slot="footer" part="note" class="notes">
          ${forecast.length ? html`<span>Dashed: forecast for the next ${clampHorizon(this.forecastDays)} days with its 80% band, fitted on the last ${HISTORY_DAYS} days; thin line: trend.</span>` : nothing}
          ${forecastNote && !this.hideForecast ? html`<span>${forecastNote}</span>` : nothing}
          ${forecastError && !this.hideForecast && frameState === 'ready' ? html`<span>The forecast is unavailable: ${forecastError}</span>` : nothing}
          ${compare.dropped ? html`<span>Comparing the first ${MAX_COMPARE} departments (${compare.dropped} more ignored).</span>` : nothing}
        </div>
      `,
    );
  }

  protected override firstUpdated(): void {
    this.palette = paletteFromStyles(this);
  }

  protected override updated(): void {
    this.size.observe(this.plotEl);
    this.paint();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.zoom.detach();
  }

  /** Shows every department's window again. */
  resetZoom(): void {
    this.zoom.reset();
  }

  /** Zooms to a window (epoch ms), as a drag would. */
  zoomTo(domain: Domain): void {
    this.zoom.zoomTo(domain);
  }

  /** The visible window (epoch ms). */
  get view(): Domain {
    return this.zoom.view;
  }

  /** Recomputes `compute()` only when one of `deps` changed (by identity) since the last call under `name`. */
  private memo<T>(name: string, deps: unknown[], compute: () => T): T {
    const last = this.memos.get(name);
    if (last && last.deps.length === deps.length && last.deps.every((d, i) => d === deps[i])) return last.value as T;
    const value = compute();
    this.memos.set(name, { deps, value });
    return value;
  }

  private seriesKeys(): string[] {
    const compare = this.compareKeys;
    return compare.length ? compare : (this.data?.keys ?? []);
  }

  private currentForecast(): { series: ForecastSeries[]; note?: string } {
    const data = this.data;
    if (!data || this.hideForecast || this.forecastTask.status !== TaskStatus.COMPLETE) return { series: [] };
    const compare = this.compareKeys;
    const result = this.forecastTask.value;
    const { series, note } = forecastSeries(result, data, compare.length ? (k) => this.swatch(k).colour : undefined);
    // The total's forecast in stacked mode, each compared department's in comparison mode.
    const wanted = (key: string) => (compare.length ? compare.includes(key) && !this.hiddenKeys.has(key) : key === '');
    return { series: series.filter((s) => wanted(s.key)), note };
  }

  private plotLabel(data: CallsOverTime | undefined, visible: string[]): string {
    if (!data) return this.heading;
    const nf = new Intl.NumberFormat(this.activeLocale);
    const mode = this.compareKeys.length ? `comparing ${visible.length} departments` : `stacked by department (${visible.length} shown)`;
    return `${this.heading}: ${nf.format(data.total)} calls in ${data.points.length} ${data.bucket} buckets, ${mode}.`;
  }

  /** Draws the chart when its inputs changed; otherwise only the focus marker. */
  private paint(): void {
    const svg = this.svg;
    const data = this.data;
    const { width, height } = this.size;
    if (!svg || !data || width <= 0 || height <= 0 || !svg.isConnected || this.renderRoot.querySelector('.plot')?.getClientRects().length === 0) return;
    const { series: forecast } = this.currentForecast();
    const view = this.zoom.view;
    const mode = this.compareKeys.length ? 'overlay' : 'stack';
    const key = [data, forecast.length, forecast[0]?.forecast, width, height, this.hiddenKeys, view[0], view[1], mode, this.compare, this.departmentDomain.join('\u0000'), this.canvasThreshold];
    if (key.length !== this.paintKey.length || key.some((v, i) => v !== this.paintKey[i])) {
      this.paintKey = key;
      const yMax = Math.max(0, ...forecast.flatMap((s) => s.forecast.filter((p) => p.t >= view[0] && p.t <= view[1]).map((p) => p.upper)));
      this.layout = stackedArea.update(
        svg,
        { points: data.points, keys: this.seriesKeys(), bucket: data.bucket },
        { width, height, mode, swatch: this.swatch, hidden: this.hiddenKeys, domain: view, extent: this.zoom.full, yMax, canvasThreshold: this.canvasThreshold },
      );
      if (forecast.length) drawForecast(svg, this.layout, forecast);
      else clearForecast(svg);
      this.zoom.attach(layers(svg).interaction, this.layout.x, this.layout.plot);
    }
    if (this.layout) stackedArea.drawFocus(svg, this.layout, this.focusIndex, this.swatch);
  }

  private showPoint(index: number, key: string | undefined, announce: boolean): void {
    const data = this.data;
    const layout = this.layout;
    if (!data || !layout || index < 0 || index >= data.points.length) return;
    this.focusIndex = index;
    this.focusKey = key;
    const nf = new Intl.NumberFormat(this.activeLocale);
    const visible = layout.keys;
    const content = bucketTooltip(data.points[index], data.bucket, visible, (k) => this.swatch(k).colour, (v) => nf.format(v), key, layout.mode);
    const anchor = layout.anchor(index, key);
    this.tooltip.show(content, anchor);
    if (announce) {
      this.announcement = `${content.title}. ${(content.rows ?? [])
        .filter((r) => (key ? r.label === key : r.emphasis) || content.rows!.length <= 3)
        .map((r) => `${r.label} ${r.value}`)
        .join(', ')}`;
    }
  }

  private clearFocus(): void {
    this.focusIndex = null;
    this.focusKey = undefined;
    this.tooltip.hide();
  }

  private svgPoint(e: PointerEvent | MouseEvent): [number, number] {
    const box = this.svg.getBoundingClientRect();
    return [e.clientX - box.left, e.clientY - box.top];
  }

  private onPointerMove = (e: PointerEvent): void => {
    const layout = this.layout;
    if (!layout || e.buttons) return;
    const [px, py] = this.svgPoint(e);
    const { plot } = layout;
    if (px < plot.left || px > plot.left + plot.width || py < plot.top || py > plot.top + plot.height) {
      this.clearFocus();
      return;
    }
    const index = layout.indexAt(px);
    this.showPoint(index, layout.keyAt(index, py), false);
  };

  private onPointerLeave = (): void => {
    if (this.renderRoot.querySelector('.plot') !== (this.renderRoot as ShadowRoot).activeElement) this.clearFocus();
  };

  private onFocus = (): void => {
    const layout = this.layout;
    if (!layout || this.focusIndex !== null) return;
    const last = layout.indexAt(layout.plot.left + layout.plot.width);
    this.showPoint(this.lastObservedIndex(last), undefined, true);
  };

  private onBlur = (): void => {
    this.clearFocus();
  };

  /** The last bucket inside the view that holds data (the forecast part has none). */
  private lastObservedIndex(index: number): number {
    return Math.min(index, (this.data?.points.length ?? 1) - 1);
  }

  private onKeydown = (e: KeyboardEvent): void => {
    const data = this.data;
    const layout = this.layout;
    if (!data || !layout) return;
    const n = data.points.length;
    const index = this.focusIndex ?? this.lastObservedIndex(layout.indexAt(layout.plot.left + layout.plot.width));
    const centre = layout.centre(index);
    if (this.zoom.handleKey(e, centre)) {
      e.preventDefault();
      return;
    }
    const keys = layout.keys;
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
        next = this.lastObservedIndex(layout.indexAt(layout.plot.left + layout.plot.width));
        break;
      case 'ArrowUp':
      case 'ArrowDown': {
        if (!keys.length) return;
        const i = key === undefined ? -1 : keys.indexOf(key);
        const j = e.key === 'ArrowUp' ? i + 1 : i - 1;
        key = j < 0 || j >= keys.length ? undefined : keys[j];
        if (e.key === 'ArrowDown' && i === -1) key = keys[keys.length - 1];
        break;
      }
      case 'Enter':
      case ' ':
        e.preventDefault();
        this.drillBucket(index, key);
        return;
      default:
        return;
    }
    e.preventDefault();
    this.zoom.reveal(layout.centre(next));
    this.showPoint(next, key, true);
  };

  private clickAt(px: number, py: number): void {
    const layout = this.layout;
    if (!layout) return;
    const { plot } = layout;
    if (px < plot.left || px > plot.left + plot.width) return;
    const index = layout.indexAt(px);
    if (index < 0 || layout.centre(index) > layout.domain[1] + 1) return;
    this.drillBucket(index, layout.keyAt(index, py));
  }

  private drillBucket(index: number, department?: string): void {
    const data = this.data;
    if (!data) return;
    const p = data.points[index];
    if (!p) return;
    const client = this.activeClient;
    const anchor = client?.anchor ?? (data.points[data.points.length - 1].t + (data.bucket === 'day' ? 86_400_000 : 3_600_000)) * 1000;
    let range: Domain;
    try {
      range = queriedRange(this.activeFilters, anchor);
    } catch {
      range = [data.points[0].t, anchor / 1000];
    }
    this.emit('usage-drilldown', { detail: bucketDrilldown(p.t, data.bucket, this.activeFilters, range, department) });
  }

  private toggle = (key: string): void => {
    const next = new Set(this.hiddenKeys);
    const hidden = !next.delete(key);
    if (hidden) next.add(key);
    this.hiddenKeys = next;
    this.emit('usage-series-toggle', { detail: { key, hidden, hiddenKeys: [...next] } });
  };

  private drillDepartment = (key: string): void => {
    this.emit('usage-drilldown', { detail: departmentDrilldown(key, this.activeFilters) });
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'usage-api-calls': UsageApiCalls;
  }
}
