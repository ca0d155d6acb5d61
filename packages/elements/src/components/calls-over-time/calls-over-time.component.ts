import { TaskStatus, type Task } from '@lit/task';
import { callsOverTime, hourWeekday, usageForecast, type CallsOverTime, type HourWeekdayCell, type UsageFilters } from '@usage-analytics/queries';
import { html, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import type { ForecastSeries } from '../../charts/forecast-band.js';
import type { HeatmapLayout } from '../../charts/heatmap.js';
import type { StackedAreaLayout } from '../../charts/stacked-area.js';
import { BUCKET_MS, type Domain } from '../../charts/time-axis.js';
import '../../events/usage-drilldown.js';
import { UsageChartElement } from '../../internal/chart-element.js';
import { isAbort, toFailure } from '../../internal/context.js';
import { DepartmentColours } from '../../internal/department-colours.js';
import { FirstPaint, shown } from '../../internal/first-paint.js';
import { Memo } from '../../internal/memo.js';
import { renderLegend } from '../../internal/legend.js';
import { PaintController } from '../../internal/paint-controller.js';
import { sortDomain, swatchFor, type Swatch } from '../../internal/palette.js';
import { TimeSeriesController } from '../../internal/time-series-controller.js';
import { chartExtent, forecastSeries, parseCompare, pointDrilldown, screenColumns, screenRows, MAX_COMPARE } from '../api-calls/api-calls.data.js';
import '../chart-filters/chart-filters.js';
import '../chart-frame/chart-frame.js';
import { AnomalyCausesView, type CausesState } from './anomaly-causes-view.js';
import { BucketBreakdownLoader, type BucketBreakdown } from './bucket-breakdown.js';
import {
  anomalyDrilldown,
  anomalyMarkers,
  bucketTooltip,
  parseSplit,
  screenSeries,
  seriesFilters,
  seriesParams,
  type AnomalyMarker,
  type CallsSplit,
} from './calls-over-time.data.js';
import { HourWeekdayView } from './hour-weekday-view.js';
import styles from './calls-over-time.styles.js';

export type { BucketBreakdown, CausesState };

/** The fleet forecast of the anomaly detector and the forecast line (14 days ahead). */
const FORECAST_PARAMS = Object.freeze({ horizon: 14 });

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
 * Keyboard and pointer on the plot: the time-series contract (`internal/time-series-controller.ts`):
 * ←/→ between buckets (Home/End), ↑/↓ through the series, Enter or Space opens the bucket's
 * requests, Escape clears the focus and the tooltip, `+`/`-` zoom, Shift + ←/→ pan, `0` resets.
 * Markers are buttons after the plot; the heatmap is an ARIA grid with arrow-key navigation.
 * The views: `anomaly-causes-view.ts` (markers and causes), `hour-weekday-view.ts` (heatmap and
 * seasonality), `bucket-breakdown.ts` (the hover breakdown).
 *
 * @fires usage-drilldown - `{kind: 'time-bucket', bucketStart, bucketEnd, bucket, department?, filters}` on a bucket
 *   (`department` when comparing departments); `{kind: 'anomaly', date, filters}` on an anomaly marker.
 * @fires usage-zoom - The visible window changed: `{start, end, zoomed, source}`.
 * @fires usage-series-toggle - A series was shown or hidden from the legend: `{key, hidden, hiddenKeys}`.
 * @fires usage-retry - Retry was pressed after an error.
 *
 * @csspart frame - The chart frame (its parts are exported as `frame-*`).
 * @csspart split-select - The series selector (total / version / environment).
 * @csspart reset-zoom-button - Shown while zoomed.
 * @csspart timeseries - The time-series section (split picker, plot, legend).
 * @csspart plot - The focusable time-series area.
 * @csspart svg - The time-series drawing.
 * @csspart legend - The series legend.
 * @csspart legend-item - One series in the legend.
 * @csspart legend-toggle - A legend item's show/hide button (`aria-pressed`).
 * @csspart legend-drill - A legend item's drill-down button.
 * @csspart tooltip - The tooltip.
 * @csspart tooltip-title - The tooltip's heading.
 * @csspart anomaly-marker - A flagged day (button).
 * @csspart causes - The likely-causes panel.
 * @csspart cause-list - One list of causes per dimension.
 * @csspart causes-close - The panel's Close button.
 * @csspart heatmap - The hour × weekday view.
 * @csspart heatmap-svg - The hour × weekday grid.
 * @csspart heatmap-readout - The hovered or focused cell, in words (`aria-live`).
 * @csspart peaks - The busiest slots.
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

  private readonly painter = new PaintController(this);
  private readonly firstPaint = new FirstPaint(callsOverTime);
  private readonly colours = new DepartmentColours(this, () => this.activeClient);
  private readonly hover = new BucketBreakdownLoader(this, this.queryChannel);
  private readonly anomalies = new AnomalyCausesView(this, this.queryChannel);
  private readonly memo = {
    filters: new Memo<UsageFilters>(),
    screen: new Memo<{ chart: CallsOverTime; keys: string[] }>(),
    forecast: new Memo<ForecastSeries[]>(),
  };
  private get palette(): string[] {
    return this.theme.palette;
  }

  private readonly series: TimeSeriesController = new TimeSeriesController(this, this.painter, {
    chart: () => {
      const screen = this.screen();
      if (!screen) return undefined;
      const { points, bucket } = screen.chart;
      return {
        data: { points, keys: screen.keys, bucket },
        mode: this.onTotal ? 'stack' : 'overlay',
        colours: this.colours.domain,
        forecast: this.forecastNow(screen.chart),
        palette: this.palette,
        locale: this.activeLocale,
      };
    },
    swatch: (key) => this.swatch(key),
    describe: (index, key) => {
      const { points, bucket } = this.screen()!.chart;
      const nf = new Intl.NumberFormat(this.activeLocale);
      return bucketTooltip(
        points[index],
        bucket,
        this.series.layout?.keys ?? [],
        (k) => this.swatch(k).colour,
        (v) => nf.format(v),
        key,
        this.hover.of(points[index].t),
        this.timeLabels,
      );
    },
    drill: (index, key) => {
      const data = this.data;
      // The series is a department only when departments are compared.
      const department = this.activeSplit === 'total' && this.compareKeys.length ? key : undefined;
      const detail = data && pointDrilldown(data, index, this.seriesFiltersNow, this.activeClient?.anchor, department, this.activeTimeZone);
      if (detail) this.emit('usage-drilldown', { detail });
    },
    shown: (index) => this.loadBreakdown(index),
    cleared: () => this.hover.cancel(),
    // The markers are HTML buttons placed with the new scales: render once more after a paint.
    painted: () => queueMicrotask(() => this.requestUpdate()),
  });

  private readonly heat = new HourWeekdayView(this, this.painter, {
    task: this.queryTask(hourWeekday, { channel: '-heat' }),
    locale: () => this.activeLocale,
    width: () => this.series.size.width,
    channel: this.queryChannel,
  });

  private readonly seriesTask = this.queryTask(callsOverTime, {
    filters: () => this.seriesFiltersNow,
    deps: () => [this.activeSplit] as const,
    params: seriesParams,
  });

  private readonly forecastTask = this.queryTask(usageForecast, { channel: '-forecast', params: () => FORECAST_PARAMS });

  private get activeSplit(): CallsSplit {
    return parseSplit(this.split);
  }

  /** The filters of the time series (the environment split lifts the environment filter). */
  private get seriesFiltersNow(): UsageFilters {
    const base = this.activeFilters;
    const split = this.activeSplit;
    return this.memo.filters.get([base, split], () => seriesFilters(split, base));
  }

  private get compareKeys(): string[] {
    return this.activeSplit === 'total' ? parseCompare(this.compare).keys : [];
  }

  /** The total drawn alone (stacked, one series), not compared departments or a split. */
  private get onTotal(): boolean {
    return this.activeSplit === 'total' && !this.compareKeys.length;
  }

  /** The callsOverTime answer on screen (the query's, else the precomputed first paint). */
  get data(): CallsOverTime | undefined {
    return shown(this.seriesTask, this.firstPaint.value(this.activeClient, this.seriesFiltersNow, seriesParams(this.activeSplit), this.activeTimeZone));
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
    return this.heat.cells;
  }

  /** The last hover breakdown (for tests and tools). */
  get breakdown(): BucketBreakdown | undefined {
    return this.hover.breakdown;
  }

  /** The likely causes of the selected anomaly. */
  get causes(): CausesState | undefined {
    return this.anomalies.causes;
  }

  /** The layouts of the last paints, for tests and tools. */
  get layout(): StackedAreaLayout | undefined {
    return this.series.layout;
  }

  /** The layout of the last hour × weekday heatmap paint, for tests and tools. */
  get heatLayout(): HeatmapLayout | undefined {
    return this.heat.layout;
  }

  /** Departments keep their colour from the snapshot's sorted domain; other splits colour by their own keys. */
  swatch = (key: string): Swatch => {
    if (this.activeSplit === 'total') return swatchFor(key, this.compareKeys.length ? this.colours.domain : [key], this.palette);
    return swatchFor(key, sortDomain(this.screen()?.keys ?? []), this.palette);
  };

  /** The series on screen (memoised: the same object while data and mode stay). */
  private screen(): { chart: CallsOverTime; keys: string[] } | undefined {
    const data = this.data;
    if (!data) return undefined;
    return this.memo.screen.get([data, this.activeSplit, this.compareKeys.join('\u0000')], () => screenSeries(data, this.activeSplit, this.compareKeys));
  }

  /** The fleet forecast to draw (total mode only; memoised per chart and result). */
  private forecastNow(chart: CallsOverTime | undefined): ForecastSeries[] {
    if (!chart || this.hideForecast || !this.onTotal || this.forecastTask.status !== TaskStatus.COMPLETE) return [];
    const result = this.forecastTask.value;
    if (!result) return [];
    return this.memo.forecast.get([chart, result], () => forecastSeries(result, chart).series.filter((s) => s.key === ''));
  }

  protected override willUpdate(): void {
    const screen = this.screen();
    if (screen) this.series.zoom.full = chartExtent(screen.chart, this.forecastNow(screen.chart));
    this.colours.see(this.compareKeys);
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  protected override get dataTasks(): readonly Task<any, any>[] {
    return [this.seriesTask, this.forecastTask, this.heat.task, this.colours.task];
  }

  override render() {
    const data = this.data;
    const status = this.frameStatus(this.seriesTask, data, (d) => d.points.every((p) => p.total === 0));
    const screen = this.screen();
    const keys = screen?.keys ?? [];
    const hidden = this.series.hiddenKeys;
    const visible = keys.filter((k) => !hidden.has(k));
    const forecast = this.forecastNow(screen?.chart);
    const nf = new Intl.NumberFormat(this.activeLocale, { maximumFractionDigits: 1 });
    const compare = parseCompare(this.compare);
    const split = this.activeSplit;
    const zoom = this.series.zoom;
    const markers = this.anomalies.renderMarkers(this.series.layout, data, this.markers, this.onTotal, nf, this.openAnomaly);
    return this.renderFrame(
      {
        status,
        emptyMessage: `No API calls match these filters in the ${this.periodLabel}.`,
        rows: screen && status.state === 'ready' ? screenRows(screen.chart, visible, zoom.view, forecast, this.timeLabels) : [],
        columns: screenColumns(visible, forecast.length > 0, this.activeTimeZone),
        filename: 'calls-over-time',
      },
      html`
        <span slot="actions" class="actions">
          <label>
            Series
            <select part="split-select" .value=${split} @change=${this.onSplit}>
              <option value="total" ?selected=${split === 'total'}>${this.compareKeys.length ? 'Compared departments' : 'Total'}</option>
              <option value="version" ?selected=${split === 'version'}>By agent version</option>
              <option value="environment" ?selected=${split === 'environment'}>By environment</option>
            </select>
          </label>
          <button part="reset-zoom-button" type="button" ?hidden=${!zoom.zoomed} @click=${() => zoom.reset()}>Reset zoom</button>
        </span>
        <div class="views">
          <section part="timeseries" aria-labelledby=${`${this.queryChannel}-ts`}>
            <h3 id=${`${this.queryChannel}-ts`}>Calls per ${data?.bucket ?? 'day'}${split === 'environment' ? ' (every environment)' : ''}</h3>
            ${this.series.renderPlot({
              label: this.plotLabel(data, visible),
              help: 'Hovering or focusing a bucket lists its top agents and departments. Anomaly markers are buttons after the chart.',
              overlay: markers,
            })}
            ${
              keys.length > 1
                ? renderLegend({
                    label: split === 'version' ? 'Agent versions' : split === 'environment' ? 'Environments' : 'Compared departments',
                    items: keys.map((k) => ({ key: k, colour: this.swatch(k).colour, hatch: this.swatch(k).hatch, hidden: hidden.has(k) })),
                    onToggle: this.series.toggle,
                  })
                : nothing
            }
          </section>
          ${this.anomalies.renderCauses(nf)} ${this.heat.renderHeatmap(nf)} ${this.heat.renderSeasonality(nf)}
        </div>
        <div slot="footer" part="note" class="notes">
          ${forecast.length ? html`<span>Dashed: forecast for the next 14 days with its 80% band; thin line: trend. Markers: days the fleet-level detector flags (▲ spike, ■ dip).</span>` : html`<span>Markers: days the fleet-level detector flags (● spike, ■ dip).</span>`}
          ${compare.dropped ? html`<span>Comparing the first ${MAX_COMPARE} departments (${compare.dropped} more ignored).</span>` : nothing}
          ${this.forecastTask.status === TaskStatus.ERROR && !isAbort(this.forecastTask.error) ? html`<span>Anomalies and forecast are unavailable: ${toFailure(this.forecastTask.error).message}</span>` : nothing}
        </div>
      `,
    );
  }

  /** Zooms to a window (epoch ms), as a drag would. */
  zoomTo(domain: Domain): void {
    this.series.zoom.zoomTo(domain);
  }

  /** Zooms back out to the whole filtered window, as double-click or "Reset zoom" does. */
  resetZoom(): void {
    this.series.zoom.reset();
  }

  /** The window (epoch ms) shown now: the zoomed one, else the whole filtered window. */
  get view(): Domain {
    return this.series.zoom.view;
  }

  /** Opens the likely-causes panel of a day and emits `usage-drilldown` `{kind: 'anomaly'}`. */
  openAnomaly = async (date: string): Promise<void> => {
    const filters = this.seriesFiltersNow;
    this.emit('usage-drilldown', { detail: anomalyDrilldown(date, filters, this.activeTimeZone) });
    await this.anomalies.open(date, this.activeClient, filters, this.activeTimeZone);
  };

  private onSplit = (e: Event): void => {
    this.split = parseSplit((e.target as HTMLSelectElement).value);
    this.series.showAll();
  };

  private plotLabel(data: CallsOverTime | undefined, visible: string[]): string {
    if (!data) return this.heading;
    const nf = new Intl.NumberFormat(this.activeLocale);
    return `${this.heading}: ${nf.format(data.total)} calls in ${data.points.length} ${data.bucket} buckets, ${visible.length} series, ${this.markers.length} anomalies flagged.`;
  }

  /** Loads the top departments and agents of bucket `index` (once per bucket), then shows and says them. */
  private loadBreakdown(index: number): void {
    const chart = this.screen()?.chart;
    const t = chart?.points[index]?.t;
    if (!chart || t === undefined || this.hover.of(t)) return;
    this.hover.load(this.activeClient, this.seriesFiltersNow, t, chart.bucket, this.activeTimeZone, (b) => {
      if (this.series.focusIndex === null || this.screen()?.chart.points[this.series.focusIndex]?.t !== t) return;
      this.series.refresh();
      const top = (xs: { key: string; calls: number }[]) => xs.map((x) => `${x.key} ${x.calls}`).join(', ');
      this.series.announce(`Top departments: ${top(b.departments)}. Top agents: ${top(b.agents)}.`);
    });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'usage-calls-over-time': UsageCallsOverTime;
  }
}
