import { Task, TaskStatus, initialState } from '@lit/task';
import {
  anomalyCauses,
  callsOverTime,
  hourWeekday,
  usageForecast,
  type AnomalyCauses,
  type CallsOverTime,
  type HourWeekdayCell,
  type UsageFilters,
  type UsageForecast,
} from '@usage-analytics/queries';
import { html, nothing } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { layers } from '../../charts/contract.js';
import { clearForecast, drawForecast, type ForecastSeries } from '../../charts/forecast-band.js';
import * as heatmap from '../../charts/heatmap.js';
import type { HeatmapLayout, HeatmapTarget } from '../../charts/heatmap.js';
import * as stackedArea from '../../charts/stacked-area.js';
import type { StackedAreaLayout } from '../../charts/stacked-area.js';
import { BUCKET_MS, formatBucket, type Domain } from '../../charts/time-axis.js';
import '../../events/usage-drilldown.js';
import '../../events/usage-zoom.js';
import { isAbort, toFailure } from '../../internal/context.js';
import { currentPeriodLabel } from '../../internal/format.js';
import { renderLegend } from '../../internal/legend.js';
import { paletteFromStyles, sortDomain, swatchFor, type Swatch } from '../../internal/palette.js';
import { ResizeController } from '../../internal/resize-controller.js';
import { TimeZoom } from '../../internal/time-zoom.js';
import { TooltipController, type TooltipRow } from '../../internal/tooltip.js';
import { FirstPaint, shown } from '../../internal/first-paint.js';
import { UsageChartElement } from '../../internal/chart-element.js';
import { bucketDrilldown, chartExtent, forecastSeries, parseCompare, queriedRange, screenColumns, screenRows, MAX_COMPARE } from '../api-calls/api-calls.data.js';
import '../chart-filters/chart-filters.js';
import '../chart-frame/chart-frame.js';
import {
  anomalyDrilldown,
  anomalyMarkers,
  bucketFilters,
  causeText,
  causesSummary,
  heatmapGrid,
  parseSplit,
  peakSlots,
  screenSeries,
  seriesFilters,
  seriesParams,
  topOf,
  weekdaySeasonality,
  WEEKDAYS,
  type AnomalyMarker,
  type CallsSplit,
} from './calls-over-time.data.js';
import styles from './calls-over-time.styles.js';

/** The hover breakdown of one bucket (top 5 agents and departments). */
export interface BucketBreakdown {
  t: number;
  departments: { key: string; calls: number }[];
  agents: { key: string; calls: number }[];
}

/** The causes panel of a clicked anomaly. */
export interface CausesState {
  date: string;
  status: 'loading' | 'ready' | 'error';
  value?: AnomalyCauses;
  error?: string;
}

let instances = 0;
const HOVER_DELAY = 120;

/**
 * @summary Chart 2.5 API Calls Over Time: three linked views in one frame — calls per day (hour for
 * ranges ≤ 3 days) with anomaly markers, the forecast line and its 80 % band, zoom and pan; an
 * hour-of-day × weekday heatmap (average calls per occurrence, peaks named); and the day-of-week
 * seasonality (average calls per weekday, bars).
 *
 * The series shows the total, up to 5 compared departments (`compare`), the agent-version split
 * (`split="version"`) or the environment split (`split="environment"`: production, staging and
 * development whatever the environment filter). Hovering a bucket breaks it down by agent and
 * department (top 5 each, a small query; stale hovers are cancelled). Clicking a bucket opens its
 * requests; clicking an anomaly marker lists its likely causes (the departments, agents and statuses
 * whose change explains most of it, `anomalyCauses`).
 *
 * Keyboard on the plot: ←/→ move between buckets (Home/End), Enter opens the bucket's requests,
 * `+`/`-` zoom, Shift + ←/→ pan, `0` resets, Escape hides the tooltip. Markers are buttons; the
 * heatmap is an ARIA grid with arrow-key navigation.
 *
 * @fires usage-drilldown - `{kind: 'time-bucket', bucketStart, bucketEnd, bucket, filters}` on a bucket;
 *   `{kind: 'anomaly', date, filters}` on an anomaly marker.
 * @fires usage-zoom - The visible window changed: `{start, end, zoomed, source}`.
 * @fires usage-retry - Retry was pressed after an error.
 *
 * @csspart frame - The chart frame (its parts are exported as `frame-*`).
 * @csspart split-select - The series selector (total / version / environment).
 * @csspart reset-zoom-button - Shown while zoomed.
 * @csspart plot - The focusable time-series area; `svg` its drawing.
 * @csspart anomaly-marker - A flagged day (button).
 * @csspart causes - The likely-causes panel; `cause-list` one list per dimension; `causes-close` its close button.
 * @csspart heatmap - The hour × weekday view; `heatmap-svg` the grid; `heatmap-readout` the hovered cell; `peaks` the busiest slots.
 * @csspart seasonality - The weekday bars.
 * @csspart note - Notes under the chart.
 *
 * @cssproperty --usage-calls-over-time-height - Height of the time-series plot (default 280px).
 */
export default class UsageCallsOverTime extends UsageChartElement {
  static override styles = styles;

  /** Up to 5 comma-separated departments overlaid as lines (total mode only). */
  @property({ reflect: true }) compare?: string;

  /** `total` (default), `version` (per agent version) or `environment` (production vs staging vs development). */
  @property({ reflect: true }) split: CallsSplit = 'total';

  /** Hides the forecast line and band (the anomaly markers stay). */
  @property({ type: Boolean, attribute: 'hide-forecast' }) hideForecast = false;

  @property() override heading = 'API Calls Over Time';

  @property() override description = 'Calls over time with anomalies and a forecast, the hour-of-day × weekday pattern and the weekly seasonality.';

  @state() private hiddenKeys: ReadonlySet<string> = new Set();
  @state() private focusIndex: number | null = null;
  @state() private announcement = '';
  @state() private heatReadout = '';
  /** The last hover breakdown (for tests and tools). */
  @state() breakdown?: BucketBreakdown;
  /** The likely causes of the selected anomaly. */
  @state() causes?: CausesState;

  @query('.plot svg') private svg!: SVGSVGElement;
  @query('.plot') private plotEl!: HTMLElement;
  @query('.heat svg') private heatSvg?: SVGSVGElement;

  /** The layout of the last paint, for tests and tools. */
  layout?: StackedAreaLayout;
  heatLayout?: HeatmapLayout;

  private readonly channel = `usage-calls-over-time-${++instances}`;
  private readonly tooltip = new TooltipController(this);
  private readonly size = new ResizeController(this);
  private readonly zoom = new TimeZoom({
    onChange: (domain, source) => {
      const [start, end] = domain ?? this.zoom.full;
      this.emit('usage-zoom', { detail: { start, end, zoomed: domain !== null, source } });
      this.tooltip.hide();
      this.requestUpdate();
    },
    onClick: (px) => this.clickAt(px),
  });

  private splitFilters?: { base: UsageFilters; split: CallsSplit; value: UsageFilters };
  private readonly firstPaint = new FirstPaint(callsOverTime);
  private paintKey: unknown[] = [];
  private heatKey: unknown[] = [];
  private palette?: string[];
  private seenKeys = new Set<string>();
  private hoverTimer?: ReturnType<typeof setTimeout>;
  private hoverAbort?: AbortController;
  private causesAbort?: AbortController;

  private readonly seriesTask = new Task(this, {
    args: () => [this.activeClient, this.seriesFiltersNow, this.activeSplit] as const,
    task: async ([client, filters, split], { signal }) => {
      if (!client) return initialState;
      return client.run(callsOverTime, filters, seriesParams(split), { channel: this.channel, signal });
    },
  });

  private readonly forecastTask = new Task(this, {
    args: () => [this.activeClient, this.activeFilters] as const,
    task: async ([client, filters], { signal }): Promise<UsageForecast | typeof initialState> => {
      if (!client) return initialState;
      return client.run(usageForecast, filters, { horizon: 14 }, { channel: `${this.channel}-forecast`, signal });
    },
  });

  private readonly heatTask = new Task(this, {
    args: () => [this.activeClient, this.activeFilters] as const,
    task: async ([client, filters], { signal }): Promise<HourWeekdayCell[] | typeof initialState> => {
      if (!client) return initialState;
      return client.run(hourWeekday, filters, undefined, { channel: `${this.channel}-heat`, signal });
    },
  });

  private readonly domainTask = new Task(this, {
    args: () => [this.activeClient] as const,
    task: async ([client]) => {
      if (!client?.dimensions) return initialState;
      return (await client.dimensions()).departments;
    },
  });

  private get activeSplit(): CallsSplit {
    return parseSplit(this.split);
  }

  /** The filters of the time series (the environment split lifts the environment filter). */
  private get seriesFiltersNow(): UsageFilters {
    const base = this.activeFilters;
    const split = this.activeSplit;
    if (this.splitFilters?.base !== base || this.splitFilters.split !== split) this.splitFilters = { base, split, value: seriesFilters(split, base) };
    return this.splitFilters.value;
  }

  private get compareKeys(): string[] {
    return this.activeSplit === 'total' ? parseCompare(this.compare).keys : [];
  }

  /** The callsOverTime answer on screen (the query's, else the precomputed first paint). */
  get data(): CallsOverTime | undefined {
    return shown(this.seriesTask, this.firstPaint.value(this.activeClient, this.seriesFiltersNow, seriesParams(this.activeSplit)));
  }

  /** The anomaly markers inside the queried window. */
  get markers(): AnomalyMarker[] {
    const data = this.data;
    if (!data || !data.points.length || this.forecastTask.status !== TaskStatus.COMPLETE) return [];
    const size = BUCKET_MS[data.bucket];
    return anomalyMarkers(this.forecastTask.value, data.points[0].t, data.points[data.points.length - 1].t + size);
  }

  /** The heatmap cells (hourWeekday), when loaded. */
  get cells(): HourWeekdayCell[] | undefined {
    return this.heatTask.status === TaskStatus.COMPLETE ? this.heatTask.value : undefined;
  }

  private get domain(): string[] {
    const all = this.domainTask.status === TaskStatus.COMPLETE ? this.domainTask.value : undefined;
    return sortDomain(all ?? this.seenKeys);
  }

  /** Departments keep their colour from the snapshot's sorted domain; other splits colour by their own keys. */
  swatch = (key: string): Swatch => {
    const split = this.activeSplit;
    if (split === 'total') return swatchFor(key, this.compareKeys.length ? this.domain : [key], this.palette);
    return swatchFor(key, sortDomain(this.screen()?.keys ?? []), this.palette);
  };

  private screenMemo?: { data: CallsOverTime; mode: string; value: { chart: CallsOverTime; keys: string[] } };

  /** The series on screen (memoised: the same object while data and mode stay). */
  private screen(): { chart: CallsOverTime; keys: string[] } | undefined {
    const data = this.data;
    if (!data) return undefined;
    const mode = `${this.activeSplit}\u0000${this.compareKeys.join('\u0000')}`;
    if (this.screenMemo?.data !== data || this.screenMemo.mode !== mode) this.screenMemo = { data, mode, value: screenSeries(data, this.activeSplit, this.compareKeys) };
    return this.screenMemo.value;
  }

  private forecastMemo?: { chart: CallsOverTime; result: UsageForecast; value: ForecastSeries[] };

  /** The fleet forecast to draw (total mode only; memoised per chart and result). */
  private forecastNow(chart: CallsOverTime | undefined): ForecastSeries[] {
    if (!chart || this.hideForecast || this.activeSplit !== 'total' || this.compareKeys.length || this.forecastTask.status !== TaskStatus.COMPLETE) return [];
    const result = this.forecastTask.value;
    if (!result) return [];
    if (this.forecastMemo?.chart !== chart || this.forecastMemo.result !== result) {
      this.forecastMemo = { chart, result, value: forecastSeries(result, chart).series.filter((s) => s.key === '') };
    }
    return this.forecastMemo.value;
  }

  protected override willUpdate(): void {
    const screen = this.screen();
    if (screen) this.zoom.full = chartExtent(screen.chart, this.forecastNow(screen.chart));
    for (const k of this.compareKeys) this.seenKeys.add(k);
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  protected override get dataTasks(): readonly Task<any, any>[] {
    return [this.seriesTask, this.forecastTask, this.heatTask, this.domainTask];
  }

  override render() {
    const data = this.data;
    const task = this.seriesTask;
    const status = this.frameStatus(task, data, (d) => d.points.every((p) => p.total === 0));
    const frameState = status.state;
    const screen = this.screen();
    const keys = screen?.keys ?? [];
    const visible = keys.filter((k) => !this.hiddenKeys.has(k));
    const forecast = this.forecastNow(screen?.chart);
    const rows = screen && frameState === 'ready' ? screenRows(screen.chart, visible, this.zoom.view, forecast) : [];
    const nf = new Intl.NumberFormat(this.activeLocale, { maximumFractionDigits: 1 });
    const compare = parseCompare(this.compare);
    return this.renderFrame(
      {
        status,
        emptyMessage: `No API calls match these filters in the ${this.periodLabel}.`,
        rows: rows,
        columns: screenColumns(visible, forecast.length > 0),
        filename: 'calls-over-time',
      },
      html`
        <span slot="actions" class="actions">
          <label>
            Series
            <select part="split-select" .value=${this.activeSplit} @change=${this.onSplit}>
              <option value="total" ?selected=${this.activeSplit === 'total'}>${this.compareKeys.length ? 'Compared departments' : 'Total'}</option>
              <option value="version" ?selected=${this.activeSplit === 'version'}>By agent version</option>
              <option value="environment" ?selected=${this.activeSplit === 'environment'}>By environment</option>
            </select>
          </label>
          <button part="reset-zoom-button" type="button" ?hidden=${!this.zoom.zoomed} @click=${() => this.zoom.reset()}>Reset zoom</button>
        </span>
        <div class="views">
          <section part="timeseries" aria-labelledby=${`${this.channel}-ts`}>
            <h3 id=${`${this.channel}-ts`}>Calls per ${data?.bucket ?? 'day'}${this.activeSplit === 'environment' ? ' (every environment)' : ''}</h3>
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
                @blur=${() => this.clearFocus()}
                @pointermove=${this.onPointerMove}
                @pointerleave=${this.onPointerLeave}
              >
                <svg part="svg" aria-hidden="true"></svg>
              </div>
              ${this.renderMarkers(nf)} ${this.tooltip.render()}
            </div>
            <p id=${`${this.channel}-help`} class="visually-hidden">
              Arrow keys move between time buckets; hovering or focusing a bucket lists its top agents and departments; Enter opens the requests of the bucket; plus and minus zoom, Shift with arrows pans, 0 resets the zoom. Anomaly markers are buttons after the chart.
            </p>
            <span class="visually-hidden" role="status">${this.announcement}</span>
            ${keys.length > 1
              ? renderLegend({
                  label: this.activeSplit === 'version' ? 'Agent versions' : this.activeSplit === 'environment' ? 'Environments' : 'Compared departments',
                  items: keys.map((k) => ({ key: k, colour: this.swatch(k).colour, hatch: this.swatch(k).hatch, hidden: this.hiddenKeys.has(k) })),
                  onToggle: this.toggle,
                })
              : nothing}
          </section>
          ${this.renderCauses(nf)} ${this.renderHeatmap(nf)} ${this.renderSeasonality(nf)}
        </div>
        <div slot="footer" part="note" class="notes">
          ${forecast.length ? html`<span>Dashed: forecast for the next 14 days with its 80% band; thin line: trend. Markers: days the fleet-level detector flags (▲ spike, ■ dip).</span>` : html`<span>Markers: days the fleet-level detector flags (● spike, ■ dip).</span>`}
          ${compare.dropped ? html`<span>Comparing the first ${MAX_COMPARE} departments (${compare.dropped} more ignored).</span>` : nothing}
          ${this.forecastTask.status === TaskStatus.ERROR && !isAbort(this.forecastTask.error) ? html`<span>Anomalies and forecast are unavailable: ${toFailure(this.forecastTask.error).message}</span>` : nothing}
        </div>
      `,
    );
  }

  private renderMarkers(nf: Intl.NumberFormat) {
    const layout = this.layout;
    const data = this.data;
    if (!layout || !data) return nothing;
    const [v0, v1] = layout.domain;
    const { plot } = layout;
    const top = (m: AnomalyMarker) => {
      const p = data.points.find((x) => x.label === m.date || x.label.startsWith(m.date));
      const y = layout.y(this.activeSplit === 'total' && !this.compareKeys.length ? (p?.total ?? m.value) : layout.y.domain()[1]);
      return Math.min(plot.top + plot.height, Math.max(plot.top, y));
    };
    return html`${this.markers
      .filter((m) => m.t >= v0 && m.t <= v1)
      .map(
        (m) => html`<button
          type="button"
          part="anomaly-marker"
          class="marker"
          data-date=${m.date}
          data-direction=${m.direction}
          aria-pressed=${this.causes?.date === m.date ? 'true' : 'false'}
          aria-label=${`Anomaly on ${m.date}: ${m.direction}, ${nf.format(m.value)} calls vs ${nf.format(m.expected)} expected (score ${nf.format(m.score)}). Show likely causes.`}
          title=${`${m.date}: ${m.direction}`}
          style=${`left:${layout.x(m.t)}px;top:${top(m)}px`}
          @click=${() => this.openAnomaly(m.date)}
        ></button>`,
      )}`;
  }

  private renderCauses(nf: Intl.NumberFormat) {
    const c = this.causes;
    if (!c) return nothing;
    const list = (title: string, dim: string, items: AnomalyCauses['departments']) => html`<div>
      <h4>${title}</h4>
      ${items.length
        ? html`<ol part="cause-list" data-dimension=${dim}>
            ${items.map((i) => html`<li data-key=${i.key}><bdi>${i.key}</bdi>: ${causeText(i, (v) => nf.format(v))}</li>`)}
          </ol>`
        : html`<p>None.</p>`}
    </div>`;
    return html`<section part="causes" class="causes" role="region" aria-label=${`Likely causes of the anomaly on ${c.date}`} tabindex="-1">
      <div class="causes-head">
        <h3>Likely causes: ${c.date}</h3>
        <button part="causes-close" type="button" @click=${this.closeCauses}>Close</button>
      </div>
      ${c.status === 'loading' ? html`<p role="status">Finding the causes…</p>` : nothing}
      ${c.status === 'error' ? html`<p role="alert">The causes could not be computed: ${c.error}</p>` : nothing}
      ${c.value
        ? html`<p>${causesSummary(c.value, (v) => nf.format(v))}</p>
            <div class="cause-lists">
              ${list('Departments', 'department', c.value.departments)} ${list('Agents', 'agent', c.value.agents)} ${list('Statuses', 'status', c.value.statuses)}
            </div>`
        : nothing}
    </section>`;
  }

  private renderHeatmap(nf: Intl.NumberFormat) {
    const cells = this.cells;
    const peaks = cells ? peakSlots(cells) : [];
    const heatError = this.heatTask.status === TaskStatus.ERROR && !isAbort(this.heatTask.error) ? toFailure(this.heatTask.error).message : undefined;
    return html`<section part="heatmap" aria-labelledby=${`${this.channel}-heat`}>
      <h3 id=${`${this.channel}-heat`}>Hour of day × weekday (UTC): average calls per occurrence</h3>
      ${heatError ? html`<p role="alert">The heatmap could not be loaded: ${heatError}</p>` : nothing}
      ${!cells && !heatError ? html`<p>Loading…</p>` : nothing}
      <div class="heat" ?hidden=${!cells}><svg part="heatmap-svg"></svg></div>
      <p part="heatmap-readout" aria-live="polite">${this.heatReadout}</p>
      ${peaks.length
        ? html`<p part="peaks">Peak hours: ${peaks.map((p, i) => html`${i ? ', ' : ''}<span data-weekday=${p.weekday} data-hour=${p.hour}>${WEEKDAYS[p.weekday - 1]} ${String(p.hour).padStart(2, '0')}:00 (${nf.format(p.avg)})</span>`)}</p>`
        : nothing}
    </section>`;
  }

  private renderSeasonality(nf: Intl.NumberFormat) {
    const cells = this.cells;
    if (!cells) return nothing;
    const days = weekdaySeasonality(cells);
    const max = Math.max(1, ...days.map((d) => d.avg));
    return html`<section aria-labelledby=${`${this.channel}-season`}>
      <h3 id=${`${this.channel}-season`}>Day-of-week seasonality: average calls per day</h3>
      <ol part="seasonality" class="bars">
        ${days.map(
          (d) => html`<li data-weekday=${d.weekday} data-avg=${d.avg}>
            <span>${d.name.slice(0, 3)}</span><span class="bar" style=${`width:${(100 * d.avg) / max}%`}></span><span class="bar-value">${nf.format(d.avg)}</span>
            <span class="visually-hidden">${d.name}: ${nf.format(d.avg)} calls on average over ${d.days} days</span>
          </li>`,
        )}
      </ol>
    </section>`;
  }

  protected override firstUpdated(): void {
    this.palette = paletteFromStyles(this);
  }

  protected override updated(): void {
    this.size.observe(this.plotEl);
    this.paint();
    this.paintHeat();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.zoom.detach();
    this.hoverAbort?.abort();
    this.causesAbort?.abort();
    clearTimeout(this.hoverTimer);
  }

  /** Zooms to a window (epoch ms), as a drag would. */
  zoomTo(domain: Domain): void {
    this.zoom.zoomTo(domain);
  }

  resetZoom(): void {
    this.zoom.reset();
  }

  get view(): Domain {
    return this.zoom.view;
  }

  /** Opens the likely-causes panel of a day and emits `usage-drilldown` `{kind: 'anomaly'}`. */
  openAnomaly = async (date: string): Promise<void> => {
    const filters = this.seriesFiltersNow;
    this.emit('usage-drilldown', { detail: anomalyDrilldown(date, filters) });
    const client = this.activeClient;
    this.causesAbort?.abort();
    if (!client) return;
    const abort = (this.causesAbort = new AbortController());
    this.causes = { date, status: 'loading' };
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('[part="causes"]')?.focus();
    try {
      const value = await client.run(anomalyCauses, filters, { date }, { channel: `${this.channel}-causes`, signal: abort.signal });
      if (!abort.signal.aborted) this.causes = { date, status: 'ready', value };
    } catch (e) {
      if (!abort.signal.aborted && !isAbort(e)) this.causes = { date, status: 'error', error: toFailure(e).message };
    }
  };

  private closeCauses = (): void => {
    const date = this.causes?.date;
    this.causesAbort?.abort();
    this.causes = undefined;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`[part="anomaly-marker"][data-date="${date}"]`)?.focus());
  };

  private onSplit = (e: Event): void => {
    this.split = parseSplit((e.target as HTMLSelectElement).value);
    this.hiddenKeys = new Set();
  };

  private plotLabel(data: CallsOverTime | undefined, visible: string[]): string {
    if (!data) return this.heading;
    const nf = new Intl.NumberFormat(this.activeLocale);
    return `${this.heading}: ${nf.format(data.total)} calls in ${data.points.length} ${data.bucket} buckets, ${visible.length} series, ${this.markers.length} anomalies flagged.`;
  }

  private paint(): void {
    const svg = this.svg;
    const screen = this.screen();
    const { width, height } = this.size;
    if (!svg || !screen || width <= 0 || height <= 0 || !svg.isConnected || this.plotEl?.getClientRects().length === 0) return;
    const forecast = this.forecastNow(screen.chart);
    const view = this.zoom.view;
    const mode = this.activeSplit === 'total' && !this.compareKeys.length ? 'stack' : 'overlay';
    const key = [screen.chart.points, screen.keys.join('\u0000'), forecast.length, forecast[0]?.forecast, width, height, this.hiddenKeys, view[0], view[1], mode, this.domain.join('\u0000')];
    if (key.length === this.paintKey.length && key.every((v, i) => v === this.paintKey[i])) {
      if (this.layout) stackedArea.drawFocus(svg, this.layout, this.focusIndex, this.swatch);
      return;
    }
    this.paintKey = key;
    const yMax = Math.max(0, ...forecast.flatMap((s) => s.forecast.filter((p) => p.t >= view[0] && p.t <= view[1]).map((p) => p.upper)));
    this.layout = stackedArea.update(
      svg,
      { points: screen.chart.points, keys: screen.keys, bucket: screen.chart.bucket },
      { width, height, mode, swatch: this.swatch, hidden: this.hiddenKeys, domain: view, extent: this.zoom.full, yMax },
    );
    if (forecast.length) drawForecast(svg, this.layout, forecast);
    else clearForecast(svg);
    this.zoom.attach(layers(svg).interaction, this.layout.x, this.layout.plot);
    stackedArea.drawFocus(svg, this.layout, this.focusIndex, this.swatch);
    // The markers are HTML buttons placed with the new scales: render once more after this update.
    queueMicrotask(() => this.requestUpdate());
  }

  private paintHeat(): void {
    const svg = this.heatSvg;
    const cells = this.cells;
    const width = this.size.width;
    if (!svg || !cells || width <= 0) return;
    const key = [cells, width];
    if (key.every((v, i) => v === this.heatKey[i])) return;
    this.heatKey = key;
    const nf = new Intl.NumberFormat(this.activeLocale, { maximumFractionDigits: 1 });
    const grid = heatmapGrid(cells, (v) => nf.format(v));
    const robust = heatmap.robustSequential(cells.map((c) => c.avg), { clampAt: 1 });
    this.heatLayout = heatmap.update(svg, grid, {
      width,
      colour: robust.scale,
      cellHeight: 22,
      minCellWidth: 18,
      rowHeaderWidth: 44,
      label: 'Average calls per hour of day (UTC) and weekday',
      corner: 'Day \\ Hour',
      rotateColumns: false,
      onHover: (target: HeatmapTarget | null) => {
        this.heatReadout = target?.kind === 'cell' ? grid.ariaLabel(target.row, target.col) : '';
      },
      onActivate: (target: HeatmapTarget) => {
        if (target.kind === 'cell') this.heatReadout = grid.ariaLabel(target.row, target.col);
      },
    });
  }

  private showPoint(index: number, announce: boolean): void {
    const screen = this.screen();
    const layout = this.layout;
    if (!screen || !layout || index < 0 || index >= screen.chart.points.length) return;
    this.focusIndex = index;
    const p = screen.chart.points[index];
    const nf = new Intl.NumberFormat(this.activeLocale);
    const series: TooltipRow[] = layout.keys.map((k) => ({ label: k, value: nf.format(p.values[k] ?? 0), colour: this.swatch(k).colour }));
    const b = this.breakdown?.t === p.t ? this.breakdown : undefined;
    const rows: TooltipRow[] = [
      ...series,
      ...(b
        ? [
            ...b.departments.map((d) => ({ label: `Department · ${d.key}`, value: nf.format(d.calls) })),
            ...b.agents.map((a) => ({ label: `Agent · ${a.key}`, value: nf.format(a.calls) })),
          ]
        : [{ label: 'Breakdown', value: 'loading…' }]),
    ];
    const title = formatBucket(p.t, screen.chart.bucket);
    this.tooltip.show({ title, rows, note: `Click or press Enter for the requests of this ${screen.chart.bucket}.` }, layout.anchor(index));
    if (announce) this.announcement = `${title}: ${series.map((r) => `${r.label} ${r.value}`).join(', ')}`;
    if (!b) this.scheduleBreakdown(p.t, screen.chart.bucket);
  }

  /** Fetches the top agents and departments of a bucket; a newer hover cancels an older one. */
  private scheduleBreakdown(t: number, bucket: 'hour' | 'day'): void {
    clearTimeout(this.hoverTimer);
    this.hoverAbort?.abort();
    const client = this.activeClient;
    if (!client) return;
    const abort = (this.hoverAbort = new AbortController());
    this.hoverTimer = setTimeout(async () => {
      const f = bucketFilters(this.seriesFiltersNow, t, t + BUCKET_MS[bucket]);
      const opts = { signal: abort.signal };
      try {
        const [dept, agent] = await Promise.all([
          client.run(callsOverTime, f, { by: 'department', bucket }, { ...opts, channel: `${this.channel}-hover-department` }),
          client.run(callsOverTime, f, { by: 'agent', bucket }, { ...opts, channel: `${this.channel}-hover-agent` }),
        ]);
        if (abort.signal.aborted) return;
        this.breakdown = { t, departments: topOf(dept), agents: topOf(agent) };
        const i = this.focusIndex;
        if (i !== null && this.screen()?.chart.points[i]?.t === t) {
          this.showPoint(i, false);
          const top = (xs: { key: string; calls: number }[]) => xs.map((x) => `${x.key} ${x.calls}`).join(', ');
          this.announcement = `Top departments: ${top(this.breakdown.departments)}. Top agents: ${top(this.breakdown.agents)}.`;
        }
      } catch {
        /* a stale or failed hover: the tooltip keeps the bucket's totals */
      }
    }, HOVER_DELAY);
  }

  private clearFocus(): void {
    this.focusIndex = null;
    clearTimeout(this.hoverTimer);
    this.hoverAbort?.abort();
    this.tooltip.hide();
  }

  private onPointerMove = (e: PointerEvent): void => {
    const layout = this.layout;
    if (!layout || e.buttons) return;
    const box = this.svg.getBoundingClientRect();
    const px = e.clientX - box.left;
    const py = e.clientY - box.top;
    const { plot } = layout;
    if (px < plot.left || px > plot.left + plot.width || py < plot.top || py > plot.top + plot.height) return this.clearFocus();
    const index = layout.indexAt(px);
    if (index !== this.focusIndex || !this.tooltip.visible) this.showPoint(index, false);
  };

  private onPointerLeave = (): void => {
    if (this.plotEl !== (this.renderRoot as ShadowRoot).activeElement) this.clearFocus();
  };

  private lastIndex(): number {
    const layout = this.layout;
    const n = this.data?.points.length ?? 0;
    return layout ? Math.min(n - 1, layout.indexAt(layout.plot.left + layout.plot.width)) : n - 1;
  }

  private onFocus = (): void => {
    if (this.layout && this.focusIndex === null) this.showPoint(this.lastIndex(), true);
  };

  private onKeydown = (e: KeyboardEvent): void => {
    const layout = this.layout;
    const n = this.data?.points.length ?? 0;
    if (!layout || n === 0) return;
    const index = this.focusIndex ?? this.lastIndex();
    if (this.zoom.handleKey(e, layout.centre(index))) {
      e.preventDefault();
      return;
    }
    let next = index;
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
        next = this.lastIndex();
        break;
      case 'Escape':
        this.tooltip.hide();
        return;
      case 'Enter':
      case ' ':
        e.preventDefault();
        this.drillBucket(index);
        return;
      default:
        return;
    }
    e.preventDefault();
    this.zoom.reveal(layout.centre(next));
    this.showPoint(next, true);
  };

  private clickAt(px: number): void {
    const layout = this.layout;
    if (!layout || px < layout.plot.left || px > layout.plot.left + layout.plot.width) return;
    const index = layout.indexAt(px);
    if (index < 0 || index >= (this.data?.points.length ?? 0) || layout.centre(index) > layout.domain[1] + 1) return;
    this.drillBucket(index);
  }

  private drillBucket(index: number): void {
    const data = this.data;
    const p = data?.points[index];
    if (!data || !p) return;
    const client = this.activeClient;
    const anchor = client?.anchor ?? (data.points[data.points.length - 1].t + BUCKET_MS[data.bucket]) * 1000;
    let range: Domain;
    try {
      range = queriedRange(this.seriesFiltersNow, anchor);
    } catch {
      range = [data.points[0].t, anchor / 1000];
    }
    this.emit('usage-drilldown', { detail: bucketDrilldown(p.t, data.bucket, this.seriesFiltersNow, range) });
  }

  private toggle = (key: string): void => {
    const next = new Set(this.hiddenKeys);
    if (!next.delete(key)) next.add(key);
    this.hiddenKeys = next;
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'usage-calls-over-time': UsageCallsOverTime;
  }
}
