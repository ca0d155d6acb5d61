import { TaskStatus, type Task } from '@lit/task';
import { callsOverTime, type CallsOverTime, type CallsOverTimeParams } from '@usage-analytics/queries';
import { html, nothing, type PropertyValues } from 'lit';
import { property } from 'lit/decorators.js';
import type { ForecastSeries } from '../../charts/forecast-band.js';
import { DEFAULT_CANVAS_THRESHOLD, type StackedAreaLayout } from '../../charts/stacked-area.js';
import type { Domain } from '../../charts/time-axis.js';
import '../../events/usage-drilldown.js';
import { UsageChartElement } from '../../internal/chart-element.js';
import { isAbort, toFailure } from '../../internal/context.js';
import { DepartmentColours } from '../../internal/department-colours.js';
import type { DataColumn } from '../../internal/data-column.js';
import { FirstPaint, shown } from '../../internal/first-paint.js';
import { Memo } from '../../internal/memo.js';
import { renderLegend } from '../../internal/legend.js';
import { PaintController } from '../../internal/paint-controller.js';
import { swatchFor, type Swatch } from '../../internal/palette.js';
import { TimeSeriesController } from '../../internal/time-series-controller.js';
import '../chart-filters/chart-filters.js';
import '../chart-frame/chart-frame.js';
import {
  apiCallsForecast,
  bucketTooltip,
  chartExtent,
  clampHorizon,
  departmentDrilldown,
  forecastSeries,
  parseCompare,
  pointDrilldown,
  screenColumns,
  screenRows,
  seriesTotals,
  HISTORY_DAYS,
  MAX_COMPARE,
  type ApiCallsRow,
} from './api-calls.data.js';
import styles from './api-calls.styles.js';

/** Query parameters of the chart (the bucket follows the range: hour up to 3 days, else day). */
export const API_CALLS_PARAMS: CallsOverTimeParams = Object.freeze({ by: 'department' });

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
 * Keyboard and pointer: the time-series contract (`internal/time-series-controller.ts`): ←/→
 * between buckets (Home/End: first/last), ↑/↓ through the departments, Enter or Space opens the
 * requests of the bucket (and department), Escape clears the focus and the tooltip, `+`/`-` zoom,
 * Shift + ←/→ pan, `0` resets; hover for the tooltip, click for the requests of a bucket (and the
 * department under the pointer), drag to zoom, Shift + drag or horizontal scroll to pan.
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
 * @cssproperty --usage-api-calls-fullscreen-height - Height of the plot in fullscreen (default 70vh).
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
  @property({ type: Number, attribute: 'canvas-threshold' }) canvasThreshold = DEFAULT_CANVAS_THRESHOLD;

  private readonly firstPaint = new FirstPaint(callsOverTime);
  private readonly colours = new DepartmentColours(this, () => this.activeClient);
  private get palette(): string[] {
    return this.theme.palette;
  }
  private readonly memo = {
    forecast: new Memo<{ series: ForecastSeries[]; note?: string }>(),
    rows: new Memo<ApiCallsRow[]>(),
    columns: new Memo<DataColumn<ApiCallsRow>[]>(),
    totals: new Memo<Map<string, number>>(),
  };

  private readonly series = new TimeSeriesController(this, new PaintController(this), {
    chart: () => {
      const data = this.data;
      if (!data) return undefined;
      const mode = this.compareKeys.length ? 'overlay' : 'stack';
      return {
        data: { points: data.points, keys: this.seriesKeys(), bucket: data.bucket },
        mode,
        colours: this.departmentDomain,
        forecast: this.currentForecast().series,
        canvasThreshold: this.canvasThreshold,
        palette: this.palette,
        locale: this.activeLocale,
      };
    },
    swatch: (key) => this.swatch(key),
    describe: (index, key) => {
      const data = this.data!;
      const layout = this.series.layout!;
      const nf = new Intl.NumberFormat(this.activeLocale);
      const content = bucketTooltip(
        data.points[index],
        data.bucket,
        layout.keys,
        (k) => this.swatch(k).colour,
        (v) => nf.format(v),
        key,
        layout.mode,
        this.timeLabels,
      );
      const rows = content.rows ?? [];
      const spoken = rows.filter((r) => (key ? r.label === key : r.emphasis) || rows.length <= 3).map((r) => `${r.label} ${r.value}`);
      return { content, announcement: `${content.title}. ${spoken.join(', ')}` };
    },
    drill: (index, department) => {
      const detail = this.data && pointDrilldown(this.data, index, this.activeFilters, this.activeClient?.anchor, department, this.activeTimeZone);
      if (detail) this.emit('usage-drilldown', { detail });
    },
  });

  private readonly callsTask = this.queryTask(callsOverTime, { params: () => API_CALLS_PARAMS });

  private readonly forecastTask = this.queryTask(apiCallsForecast, {
    channel: '-forecast',
    enabled: () => !this.hideForecast,
    deps: () => [clampHorizon(this.forecastDays), this.compareKeys.join('\u0000')] as const,
    params: (horizon, compare) => ({ horizon, departments: compare ? compare.split('\u0000') : undefined, historyDays: HISTORY_DAYS }),
  });

  private get compareKeys(): string[] {
    return parseCompare(this.compare).keys;
  }

  /** What the chart shows now: the query's answer, else the precomputed first paint. */
  get data(): CallsOverTime | undefined {
    return shown(this.callsTask, this.firstPaint.value(this.activeClient, this.activeFilters, API_CALLS_PARAMS, this.activeTimeZone));
  }

  /** The colour domain: every department of the snapshot (sorted), else every department seen so far. */
  get departmentDomain(): string[] {
    return this.colours.domain;
  }

  /** The layout of the last paint (scales and hit-testing), for tests and tools. */
  get layout(): StackedAreaLayout | undefined {
    return this.series.layout;
  }

  /** The swatch of a department (stable across charts: by its place in the sorted snapshot domain). */
  swatch = (key: string): Swatch => swatchFor(key, this.departmentDomain, this.palette);

  protected override willUpdate(_changed: PropertyValues<this>): void {
    const data = this.data;
    if (data) this.series.zoom.full = chartExtent(data, this.currentForecast().series);
    this.colours.see(data?.keys ?? []);
    this.colours.see(this.compareKeys);
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  protected override get dataTasks(): readonly Task<any, any>[] {
    return [this.callsTask, this.forecastTask, this.colours.task];
  }

  override render() {
    const data = this.data;
    const status = this.frameStatus(this.callsTask, data, (d) => d.total === 0 && d.points.every((p) => p.total === 0));
    const { series: forecast, note: forecastNote } = this.currentForecast();
    const keys = this.seriesKeys();
    const hidden = this.series.hiddenKeys;
    const visible = keys.filter((k) => !hidden.has(k));
    const compare = parseCompare(this.compare);
    const forecastError =
      this.forecastTask.status === TaskStatus.ERROR && !isAbort(this.forecastTask.error) ? toFailure(this.forecastTask.error).message : undefined;
    const totals = data ? this.memo.totals.get([data], () => seriesTotals(data)) : undefined;
    const compact = new Intl.NumberFormat(this.activeLocale, { notation: 'compact', maximumFractionDigits: 1 });
    const zoom = this.series.zoom;
    return this.renderFrame(
      {
        status,
        emptyMessage: `No API calls match these filters in the ${this.periodLabel}.`,
        rows: data && status.state === 'ready' ? this.rows(data, visible, forecast) : [],
        columns: this.memo.columns.get([visible.join('\u0000'), forecast.length > 0, this.activeTimeZone], () =>
          screenColumns(visible, forecast.length > 0, this.activeTimeZone),
        ),
        filename: 'api-calls',
      },
      html`
        <button slot="actions" part="reset-zoom-button" type="button" ?hidden=${!zoom.zoomed} @click=${() => zoom.reset()}>Reset zoom</button>
        ${this.series.renderPlot({ label: this.plotLabel(data, visible), help: 'Up and down arrows pick a department.' })}
        <div slot="legend">
          ${
            keys.length
              ? renderLegend({
                  label: compare.keys.length ? 'Compared departments' : 'Departments',
                  items: keys.map((k) => {
                    const sw = this.swatch(k);
                    return {
                      key: k,
                      colour: sw.colour,
                      hatch: sw.hatch,
                      hidden: hidden.has(k),
                      detail: totals ? compact.format(totals.get(k) ?? 0) : undefined,
                    };
                  }),
                  onToggle: this.series.toggle,
                  onDrill: this.drillDepartment,
                  drillText: 'View',
                  drillLabel: (item) => `View department ${item.key}`,
                })
              : nothing
          }
        </div>
        <div slot="footer" part="note" class="notes">
          ${forecast.length ? html`<span>Dashed: forecast for the next ${clampHorizon(this.forecastDays)} days with its 80% band, fitted on the last ${HISTORY_DAYS} days; thin line: trend.</span>` : nothing}
          ${forecastNote && !this.hideForecast ? html`<span>${forecastNote}</span>` : nothing}
          ${forecastError && !this.hideForecast && status.state === 'ready' ? html`<span>The forecast is unavailable: ${forecastError}</span>` : nothing}
          ${compare.dropped ? html`<span>Comparing the first ${MAX_COMPARE} departments (${compare.dropped} more ignored).</span>` : nothing}
        </div>
      `,
    );
  }

  /** Shows every department's window again. */
  resetZoom(): void {
    this.series.zoom.reset();
  }

  /** Zooms to a window (epoch ms), as a drag would. */
  zoomTo(domain: Domain): void {
    this.series.zoom.zoomTo(domain);
  }

  /** The visible window (epoch ms). */
  get view(): Domain {
    return this.series.zoom.view;
  }

  private seriesKeys(): string[] {
    const compare = this.compareKeys;
    return compare.length ? compare : (this.data?.keys ?? []);
  }

  /** The rows on screen (CSV and table), recomputed when what they show changes. */
  private rows(data: CallsOverTime, visible: string[], forecast: ForecastSeries[]) {
    const view = this.series.zoom.view;
    return this.memo.rows.get([data, visible.join('\u0000'), view[0], view[1], forecast], () => screenRows(data, visible, view, forecast, this.timeLabels));
  }

  /** The forecasts to draw: the total's when stacked, each compared department's (shown) in comparison. */
  private currentForecast(): { series: ForecastSeries[]; note?: string } {
    const data = this.data;
    if (!data || this.hideForecast || this.forecastTask.status !== TaskStatus.COMPLETE) return { series: [] };
    const compare = this.compareKeys;
    const result = this.forecastTask.value;
    const hidden = this.series.hiddenKeys;
    return this.memo.forecast.get([data, result, compare.join('\u0000'), hidden, this.departmentDomain, this.palette], () => {
      const { series, note } = forecastSeries(result, data, compare.length ? (k) => this.swatch(k).colour : undefined);
      const wanted = (key: string) => (compare.length ? compare.includes(key) && !hidden.has(key) : key === '');
      return { series: series.filter((s) => wanted(s.key)), note };
    });
  }

  private plotLabel(data: CallsOverTime | undefined, visible: string[]): string {
    if (!data) return this.heading;
    const nf = new Intl.NumberFormat(this.activeLocale);
    const mode = this.compareKeys.length ? `comparing ${visible.length} departments` : `stacked by department (${visible.length} shown)`;
    return `${this.heading}: ${nf.format(data.total)} calls in ${data.points.length} ${data.bucket} buckets, ${mode}.`;
  }

  private drillDepartment = (key: string): void => {
    this.emit('usage-drilldown', { detail: departmentDrilldown(key, this.activeFilters) });
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'usage-api-calls': UsageApiCalls;
  }
}
