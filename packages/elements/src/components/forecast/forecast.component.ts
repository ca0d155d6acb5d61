import { Task, TaskStatus, initialState } from '@lit/task';
import {
  US_PER_MS,
  forecastHistory,
  usageForecast,
  wallToInstant,
  type ForecastHistory,
  type PastForecast,
  type UsageFilters,
  type UsageForecast,
  type UsageForecastSeries,
} from '@usage-analytics/queries';
import { html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { drawForecastFocus, forecastChart, type ForecastChartLayout } from '../../charts/forecast-chart.js';
import { formatBucket } from '../../charts/time-axis.js';
import '../../events/usage-drilldown.js';
import '../../events/usage-forecast-period.js';
import { bucketDrilldown } from '../api-calls/api-calls.data.js';
import { UsageChartElement } from '../../internal/chart-element.js';
import { isAbort, toFailure } from '../../internal/context.js';
import { Memo } from '../../internal/memo.js';
import { PaintController } from '../../internal/paint-controller.js';
import { ResizeController } from '../../internal/resize-controller.js';
import { TooltipController } from '../../internal/tooltip.js';
import '../chart-filters/chart-filters.js';
import '../chart-frame/chart-frame.js';
import {
  FORECAST_COLUMNS,
  HORIZONS,
  chartData,
  clampHorizon,
  comparablePast,
  dayMs,
  defaultPick,
  explainForecast,
  forecastRows,
  pooledAccuracy,
  scopeFilters,
  scopeLabel,
  type ForecastRow,
  type Horizon,
  type ScopeKind,
} from './forecast.data.js';
import styles from './forecast.styles.js';
import { rovingFocus } from '../../internal/roving-focus.js';

const SCOPES: readonly ScopeKind[] = ['fleet', 'department', 'agent'];
const DAY = 86_400_000;
let ids = 0;

/**
 * @summary Chart 2.12 Usage Forecast: the next 30, 60 or 90 days of daily requests for the fleet,
 * a department or an agent, with 80 % and 95 % prediction bands; an explanation of the model
 * (method, trend, weekly and yearly seasonality, backtest accuracy against the seasonal-naive
 * baseline); and accuracy tracking — forecasts made at earlier origins (kept in the snapshot)
 * drawn dashed against what happened, with their realised MAPE and band coverage.
 *
 * Inside `<usage-provider>` it takes the client and the shared filters from context; alone, set
 * `client` and `filters`. The forecast uses the whole data range under every filter but time.
 *
 * Keyboard: the horizon buttons and the scope and comparison pickers are ordinary controls. The
 * plot is one tab stop (`role="group"`): ← / → move through the days (history, then forecast) with
 * the tooltip (the 80 % and 95 % bands on forecast days), Home / End jump to the first / last day,
 * Enter or Space on a forecast day opens its details (assumptions and model) and on a history
 * day the requests of that day; Escape clears the focus (then closes the details). Pointer: hover
 * for the tooltip, click a day as Enter does.
 *
 * @fires usage-drilldown - `{kind: 'time-bucket', bucket: 'day', …}` for a history day (click or Enter).
 * @fires usage-forecast-period - A forecast day's details were opened: `{date, scope, key}`.
 *
 * @csspart frame - The `<usage-chart-frame>`; its parts are exported as `frame-*`.
 * @csspart controls - The horizon and scope controls.
 * @csspart horizon-button - A horizon button (30, 60, 90 days; `aria-pressed`).
 * @csspart scope-select - The scope kind picker.
 * @csspart key-select - The department or agent picker.
 * @csspart past-select - The picker of the past forecast drawn for comparison.
 * @csspart plot - The focusable plot area (holds the SVG).
 * @csspart svg - The chart's `<svg>`.
 * @csspart tooltip - The tooltip.
 * @csspart details - The details of a forecast period (assumptions and model).
 * @csspart details-close - The details' Close button.
 * @csspart explanation - The model explanation list.
 * @csspart accuracy - The table of past forecasts and their realised accuracy.
 * @csspart note - Notes under the chart.
 * @csspart scope-name - The scope (department or agent) where the text names it.
 *
 * @cssproperty --usage-forecast-name-max-width - Widest a department or agent id is printed in the text before it is cut with an ellipsis (default 40ch).
 * @cssproperty --usage-forecast-height - Height of the plot (default 320px; 70vh in fullscreen).
 * @cssproperty --usage-forecast-fullscreen-height - Height of the plot in fullscreen (default 70vh).
 * @cssproperty --usage-forecast-colour - Colour of the forecast line and bands (default the text colour).
 * @cssproperty --usage-forecast-actual-colour - Colour of the history line (default the first palette colour).
 * @cssproperty --usage-forecast-past-colour - Colour of past forecasts (default the third palette colour).
 */
export default class UsageForecastChart extends UsageChartElement {
  static override styles = styles;

  /** Forecast horizon in days: 30, 60 or 90 (other values snap to the nearest). */
  @property({ type: Number }) horizon: Horizon = 30;

  /** Whose usage: the fleet, a department or an agent (`scope-key` names which). */
  @property({ reflect: true }) scope: ScopeKind = 'fleet';

  /** The department or agent id of the scope. */
  @property({ attribute: 'scope-key' }) scopeKey?: string;

  /** Hides the scope picker (e.g. on an agent's page, Level 3). */
  @property({ type: Boolean, attribute: 'fixed-scope' }) fixedScope = false;

  /** Title of the frame. */
  @property() override heading = 'Usage Forecast';

  /** One-line purpose under the title. */
  @property() override description = 'Daily requests for the next 30, 60 or 90 days with 80 % and 95 % bands, and how past forecasts did.';

  /** The past forecast drawn for comparison: an origin (YYYY-MM-DD), `all` or `none`; default the newest with four weeks observed. */
  @property({ attribute: 'compare-origin' }) compareOrigin?: string;

  /** The focused or hovered day (index into history then forecast days). */
  @state() private focusIndex: number | null = null;
  /** The forecast day whose details are open (YYYY-MM-DD). */
  @state() private detailsDate?: string;
  @state() private announcement = '';

  private readonly uid = `usage-forecast-${++ids}`;
  private readonly tooltip = new TooltipController(this);
  private readonly size = new ResizeController(this);
  private svg?: SVGSVGElement;
  /** The layout of the last paint (scales and hit-testing). */
  layout?: ForecastChartLayout;
  private readonly memo = { rows: new Memo<ForecastRow[]>(), filters: new Memo<UsageFilters>(), past: new Memo<PastForecast[]>() };

  /** The chart's filters narrowed to the scope (the same object while its inputs stay, so the task does not re-run). */
  private get scopedFilters(): UsageFilters {
    const f = this.activeFilters;
    return this.memo.filters.get([f, this.scope, this.scopeKey], () => scopeFilters(f, this.scope, this.scopeKey));
  }

  private readonly forecastTask = this.queryTask(usageForecast, {
    filters: () => this.scopedFilters,
    deps: () => [clampHorizon(this.horizon)] as const,
    params: (horizon) => ({ horizon }),
    enabled: () => this.scope === 'fleet' || !!this.scopeKey,
  });

  private readonly historyTask = this.queryTask(forecastHistory, {
    channel: '-history',
    deps: () => [this.scope, this.scopeKey] as const,
    params: (scope, key) => ({ scope, key: scope === 'fleet' ? undefined : key }),
    enabled: () => this.scope === 'fleet' || !!this.scopeKey,
  });

  private readonly dimsTask = new Task(this, {
    args: () => [this.activeClient] as const,
    task: async ([c]) => (c?.dimensions ? await c.dimensions() : initialState),
  });

  constructor() {
    super();
    new PaintController(this).add({
      module: forecastChart,
      svg: () => this.renderRoot.querySelector<SVGSVGElement>('.plot svg'),
      args: () => {
        const s = this.series;
        return s ? ([s, this.pastShown, this.pick] as const) : undefined;
      },
      size: () => (this.size.height > 0 ? [this.size.width, this.size.height] : [0, 0]),
      draw: ([s, past, pick], [width, height]) => ({ data: chartData(s, past, pick), options: { width, height } }),
      done: (layout, svg) => {
        this.layout = layout;
        this.svg = svg;
        drawForecastFocus(svg, layout, this.focusIndex);
      },
    });
  }

  /** The series on screen (the scope's total), when the forecast has run. */
  get series(): UsageForecastSeries | undefined {
    return (this.forecastTask.value as UsageForecast | undefined)?.series[0];
  }

  /** The past forecasts of the scope with at least one observed day. */
  get pastForecasts() {
    const h = this.historyTask.status === TaskStatus.COMPLETE ? (this.historyTask.value as ForecastHistory) : undefined;
    const origin = this.series?.forecast.points[0]?.date;
    return this.memo.past.get([h, origin], () => comparablePast(h, origin));
  }

  private get pick(): string {
    const past = this.pastForecasts;
    const wanted = this.compareOrigin;
    if (wanted === 'all' || wanted === 'none') return wanted;
    if (wanted && past.some((f) => f.origin === wanted)) return wanted;
    return defaultPick(past);
  }

  private get pastShown() {
    return this.pastForecasts;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('horizon')) {
      const h = clampHorizon(this.horizon);
      if (h !== this.horizon) this.horizon = h;
    }
    if (changed.has('scope') || changed.has('scopeKey') || changed.has('horizon')) {
      this.focusIndex = null;
      this.detailsDate = undefined;
      this.tooltip.hide();
    }
  }

  protected override updated(): void {
    this.size.observe(this.renderRoot.querySelector('.plot'));
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  protected override get dataTasks(): readonly Task<any, any>[] {
    return [this.forecastTask, this.historyTask, this.dimsTask];
  }

  override render() {
    const s = this.series;
    const needsKey = this.scope !== 'fleet' && !this.scopeKey;
    const status = needsKey
      ? { state: 'empty' as const, busy: false }
      : this.frameStatus(
          this.forecastTask,
          this.forecastTask.value as UsageForecast | undefined,
          (v) => !v.series[0] || v.series[0].history.every((d) => d.value === 0),
        );
    const label = scopeLabel(this.scope, this.scopeKey);
    const rows = s && status.state === 'ready' ? this.memo.rows.get([s, label], () => forecastRows(s, label)) : [];
    return this.renderFrame(
      {
        status,
        emptyMessage: needsKey ? `Pick a ${this.scope} to forecast.` : `No requests match these filters for ${label}: there is nothing to forecast.`,
        rows,
        columns: FORECAST_COLUMNS,
        filename: `usage-forecast-${this.scope}${this.scopeKey ? `-${this.scopeKey}` : ''}-${clampHorizon(this.horizon)}d`,
      },
      html`
        ${this.renderControls()}
        ${
          s && status.state === 'ready'
            ? html`${this.renderPlot(s)} ${this.renderDetails(s)} ${this.renderAccuracy()}
                <div slot="footer" part="note" class="notes">${this.renderNotes(s)}</div>`
            : nothing
        }
      `,
    );
  }

  /** The scope as inline text: a long department or agent id is cut with an ellipsis (the whole name stays in the DOM and the tooltip). */
  private scopeName() {
    const label = scopeLabel(this.scope, this.scopeKey);
    return html`<bdi class="name" part="scope-name" title=${label}>${label}</bdi>`;
  }

  private renderControls() {
    const dims = this.dimsTask.status === TaskStatus.COMPLETE ? this.dimsTask.value : undefined;
    const keys = this.scope === 'department' ? (dims?.departments ?? []) : this.scope === 'agent' ? (dims?.agentIds ?? []) : [];
    const keyList = this.scopeKey && !keys.includes(this.scopeKey) ? [this.scopeKey, ...keys] : keys;
    const past = this.pastForecasts;
    const pick = this.pick;
    return html`<div class="controls actions" part="controls">
      <span role="group" aria-label="Forecast horizon" class="horizons" ${rovingFocus()}>
        ${HORIZONS.map(
          (h) =>
            html`<button type="button" part="horizon-button" aria-pressed=${String(clampHorizon(this.horizon) === h)} @click=${() => this.setHorizon(h)}>
              ${h} days
            </button>`,
        )}
      </span>
      ${
        this.fixedScope
          ? nothing
          : html`<label
                >Scope
                <select part="scope-select" .value=${this.scope} @change=${this.onScope}>
                  ${SCOPES.map((k) => html`<option value=${k} ?selected=${k === this.scope}>${k === 'fleet' ? 'Fleet' : k === 'department' ? 'Department' : 'Agent'}</option>`)}
                </select></label
              >
              ${
                this.scope === 'fleet'
                  ? nothing
                  : html`<label
                      >${this.scope === 'department' ? 'Department' : 'Agent'}
                      <select part="key-select" @change=${this.onKey}>
                        <option value="" ?selected=${!this.scopeKey}>Choose…</option>
                        ${keyList.map((k) => html`<option .value=${k} ?selected=${k === this.scopeKey}>${k}</option>`)}
                      </select></label
                    >`
              }`
      }
      ${
        past.length
          ? html`<label
              >Compare with
              <select part="past-select" @change=${this.onPick}>
                <option value="none" ?selected=${pick === 'none'}>No past forecast</option>
                <option value="all" ?selected=${pick === 'all'}>All past forecasts</option>
                ${[...past].reverse().map((f) => html`<option .value=${f.origin} ?selected=${f.origin === pick}>Forecast of ${f.origin}</option>`)}
              </select></label
            >`
          : nothing
      }
    </div>`;
  }

  private renderPlot(s: UsageForecastSeries) {
    const describedBy = this.tooltip.visible ? `${this.uid}-help ${this.tooltip.id}` : `${this.uid}-help`;
    const nf = new Intl.NumberFormat(this.activeLocale);
    const f = s.forecast;
    const total = f.points.reduce((a, p) => a + p.predicted, 0);
    const label =
      `${this.heading}, ${scopeLabel(this.scope, this.scopeKey)}: ${s.history.length} days of history and a ${f.points.length}-day forecast ` +
      `(${nf.format(Math.round(total))} requests predicted, model ${f.model_type}).`;
    return html`<div class="plot-wrap">
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
          @blur=${this.onBlur}
          @pointermove=${this.onPointerMove}
          @pointerleave=${this.onPointerLeave}
          @click=${this.onClick}
        >
          <svg part="svg" aria-hidden="true"></svg>
        </div>
        ${this.tooltip.render()}
      </div>
      <p id=${`${this.uid}-help`} class="visually-hidden">
        Left and right arrows move between days, history then forecast; Home and End jump to the first and last day; Enter opens a forecast day's assumptions
        and model details, or the requests of a past day; Escape clears the focus.
      </p>
      <span class="visually-hidden" role="status">${this.announcement}</span>
      <ul class="legend" aria-label="Legend">
        <li><span class="key actual"></span>Requests per day</li>
        <li><span class="key forecast"></span>Forecast (dashed) with 80 % and 95 % bands</li>
        ${s.cleanedDates.length ? html`<li><span class="key anomaly"></span>Anomalous day (cleaned before fitting)</li>` : nothing}
        ${this.pick !== 'none' && this.pastForecasts.length ? html`<li><span class="key past"></span>Past forecast${this.pick === 'all' ? 's' : ` of ${this.pick}`}</li>` : nothing}
      </ul>`;
  }

  private renderDetails(s: UsageForecastSeries) {
    const date = this.detailsDate;
    const p = date ? s.forecast.points.find((x) => x.date === date) : undefined;
    if (!date || !p) return nothing;
    const nf = new Intl.NumberFormat(this.activeLocale, { maximumFractionDigits: 0 });
    const step = s.forecast.points.indexOf(p) + 1;
    return html`<section part="details" class="details" role="region" aria-labelledby=${`${this.uid}-details-title`} tabindex="-1">
      <header>
        <h3 id=${`${this.uid}-details-title`}>Forecast for ${formatBucket(dayMs(date), 'day')}: assumptions and model</h3>
        <button type="button" part="details-close" class="chart-button" @click=${this.closeDetails}>Close</button>
      </header>
      <p>
        ${this.scopeName()}, ${step} day${step === 1 ? '' : 's'} ahead: <strong>${nf.format(p.predicted)}</strong> requests predicted; 80 % band
        ${nf.format(p.lower80)}–${nf.format(p.upper80)}, 95 % band
        ${nf.format(p.lower95)}–${nf.format(p.upper95)}${p.baseline !== null ? html`; seasonal-naive baseline ${nf.format(p.baseline)}` : nothing}.
      </p>
      <dl part="explanation" class="explanation">
        ${explainForecast(s).map(
          (item) =>
            html`<dt>${item.label}</dt>
              <dd>${item.text}</dd>`,
        )}
      </dl>
      <p class="assumption">
        Assumes the recent weekly pattern and damped trend continue; days flagged as anomalies are not expected to recur; filters other than time apply to the
        history the model learns from.
      </p>
    </section>`;
  }

  private renderAccuracy() {
    const past = this.pastForecasts;
    if (!past.length) return nothing;
    const p = pooledAccuracy(past);
    const fmt = (v: number | null) => (v === null ? '–' : `${v.toFixed(1)} %`);
    return html`<details part="accuracy" class="accuracy">
      <summary>
        Accuracy of past forecasts: MAPE ${fmt(p.mape)}, ${fmt(p.coverage95)} of days inside the 95 % band (${past.length} forecasts, ${p.days} forecast-days
        observed)
      </summary>
      <table>
        <caption class="visually-hidden">
          Past forecasts and their realised accuracy
        </caption>
        <thead>
          <tr>
            <th scope="col">Made on</th>
            <th scope="col">Kind</th>
            <th scope="col">Days observed</th>
            <th scope="col">Realised MAPE</th>
            <th scope="col">Inside 80 %</th>
            <th scope="col">Inside 95 %</th>
            <th scope="col">Backtest MAPE (naive)</th>
          </tr>
        </thead>
        <tbody>
          ${[...past].reverse().map(
            (f) =>
              html`<tr data-origin=${f.origin}>
                <th scope="row">${f.origin}</th>
                <td>${f.hindcast ? 'hindcast' : 'at export'}</td>
                <td>${f.realised.days}</td>
                <td>${fmt(f.realised.mape)}</td>
                <td>${fmt(f.realised.coverage80)}</td>
                <td>${fmt(f.realised.coverage95)}</td>
                <td>${fmt(f.backtest_mape)} (${fmt(f.baseline_mape)})</td>
              </tr>`,
          )}
        </tbody>
      </table>
    </details>`;
  }

  private renderNotes(s: UsageForecastSeries) {
    const f = s.forecast;
    const historyError =
      this.historyTask.status === TaskStatus.ERROR && !isAbort(this.historyTask.error) ? toFailure(this.historyTask.error).message : undefined;
    return html`<span
        >Model ${f.model_type}; backtest MAPE ${f.mape === null ? 'n/a' : `${f.mape.toFixed(1)} %`} vs seasonal-naive
        ${f.baseline_mape === null ? 'n/a' : `${f.baseline_mape.toFixed(1)} %`}. Move to a forecast day and press Enter (or click it) for its assumptions and
        model details.</span
      >
      ${
        this.pastForecasts.length
          ? html`<span
              >Past forecasts were made under the default view (production, active agents) from the data before their date; actuals here follow the current
              filters.</span
            >`
          : this.historyTask.status === TaskStatus.COMPLETE
            ? html`<span>No past forecasts are kept for ${this.scopeName()} in this snapshot.</span>`
            : nothing
      }
      ${historyError ? html`<span>Past forecasts are unavailable: ${historyError}</span>` : nothing}`;
  }

  /** Sets the horizon (30, 60 or 90) as the buttons do. */
  setHorizon(h: number): void {
    this.horizon = clampHorizon(h);
  }

  /** Opens the details of forecast day `date` (YYYY-MM-DD) and emits `usage-forecast-period`. */
  openDetails(date: string): void {
    this.detailsDate = date;
    this.emit('usage-forecast-period', { detail: { date, scope: this.scope, key: this.scopeKey ?? '' } });
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('[part="details"]')?.focus());
  }

  private closeDetails = (): void => {
    this.detailsDate = undefined;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('.plot')?.focus());
  };

  private onScope = (e: Event): void => {
    this.scope = (e.target as HTMLSelectElement).value as ScopeKind;
    this.scopeKey = undefined;
  };

  private onKey = (e: Event): void => {
    const v = (e.target as HTMLSelectElement).value;
    this.scopeKey = v || undefined;
  };

  private onPick = (e: Event): void => {
    this.compareOrigin = (e.target as HTMLSelectElement).value;
  };

  /** The tooltip and announcement of day `index`. */
  private describe(index: number) {
    const s = this.series!;
    const layout = this.layout!;
    const nf = new Intl.NumberFormat(this.activeLocale, { maximumFractionDigits: 0 });
    const t = layout.days[index];
    const title = formatBucket(t, 'day');
    if (index < layout.historyCount) {
      const d = s.history[index];
      const rows = [{ label: 'Requests', value: nf.format(d.value), emphasis: true }];
      const past = this.pick !== 'none' && this.pick !== 'all' ? this.pastForecasts.find((f) => f.origin === this.pick) : undefined;
      const pp = past?.points.find((p) => p.date === d.date);
      if (pp)
        rows.push({
          label: `Forecast of ${past!.origin}`,
          value: `${nf.format(pp.predicted)} (95 %: ${nf.format(pp.lower95)}–${nf.format(pp.upper95)})`,
          emphasis: false,
        });
      const note = s.cleanedDates.includes(d.date) ? 'Anomalous day (replaced by its expectation before fitting). ' : '';
      return {
        content: { title, rows, note: `${note}Click or press Enter for the requests of this day.` },
        announcement: `${title}: ${nf.format(d.value)} requests${pp ? `; forecast of ${past!.origin}: ${nf.format(pp.predicted)}` : ''}.`,
      };
    }
    const p = s.forecast.points[index - layout.historyCount];
    return {
      content: {
        title: `${title} (forecast, ${index - layout.historyCount + 1} d ahead)`,
        rows: [
          { label: 'Predicted', value: nf.format(p.predicted), emphasis: true },
          { label: '80 % band', value: `${nf.format(p.lower80)}–${nf.format(p.upper80)}` },
          { label: '95 % band', value: `${nf.format(p.lower95)}–${nf.format(p.upper95)}` },
          {
            label: 'Model',
            value: `${s.forecast.model_type}${s.forecast.mape === null ? '' : `, backtest MAPE ${s.forecast.mape.toFixed(1)} %`}${
              s.forecast.baseline_mape === null ? '' : ` (naive ${s.forecast.baseline_mape.toFixed(1)} %)`
            }`,
          },
        ],
        note: 'Click or press Enter for the assumptions and model details.',
      },
      announcement: `${title}, forecast: ${nf.format(p.predicted)} requests, 80 % band ${nf.format(p.lower80)} to ${nf.format(p.upper80)}, 95 % band ${nf.format(p.lower95)} to ${nf.format(p.upper95)}.`,
    };
  }

  private show(index: number, announce: boolean): void {
    const layout = this.layout;
    if (!layout || index < 0 || index >= layout.days.length) return;
    this.focusIndex = index;
    const { content, announcement } = this.describe(index);
    this.tooltip.show(content, layout.anchor(index));
    if (announce) this.announcement = announcement;
    if (this.svg) drawForecastFocus(this.svg, layout, index);
  }

  private clearFocus(): void {
    this.focusIndex = null;
    this.tooltip.hide();
    if (this.svg && this.layout) drawForecastFocus(this.svg, this.layout, null);
  }

  /** Enter on day `index`: a forecast day's details, or a history day's requests. */
  private activate(index: number): void {
    const layout = this.layout;
    if (!layout) return;
    if (index >= layout.historyCount) {
      this.openDetails(this.series!.forecast.points[index - layout.historyCount].date);
      return;
    }
    // The day's local midnights in the chart's zone (its days are local; a DST day lasts 23 or 25 hours).
    const [t0, t1] = [layout.days[index], layout.days[index] + DAY].map((w) => wallToInstant(this.activeTimeZone, w * US_PER_MS) / US_PER_MS);
    const filters = this.scopedFilters;
    this.emit('usage-drilldown', { detail: bucketDrilldown(t0, 'day', filters, [t0, t1], undefined, t1) });
  }

  private onKeydown = (e: KeyboardEvent): void => {
    const layout = this.layout;
    if (!layout || !layout.days.length) return;
    const n = layout.days.length;
    if (e.key === 'Escape') {
      if (this.focusIndex === null && !this.tooltip.visible) {
        if (this.detailsDate) {
          e.preventDefault();
          e.stopPropagation();
          this.detailsDate = undefined;
        }
        return;
      }
      e.preventDefault();
      e.stopPropagation();
      this.clearFocus();
      return;
    }
    const index = this.focusIndex ?? layout.historyCount - 1;
    let next: number;
    switch (e.key) {
      case 'ArrowLeft':
        next = Math.max(0, index - 1);
        break;
      case 'ArrowRight':
        next = Math.min(n - 1, index + 1);
        break;
      case 'Home':
        next = 0;
        break;
      case 'End':
        next = n - 1;
        break;
      case 'Enter':
      case ' ':
        e.preventDefault();
        this.activate(index);
        return;
      default:
        return;
    }
    e.preventDefault();
    this.show(next, true);
  };

  private onFocus = (): void => {
    if (this.layout && this.focusIndex === null) this.show(Math.max(0, this.layout.historyCount - 1), true);
  };

  private onBlur = (): void => {
    this.clearFocus();
  };

  private indexAtPointer(e: MouseEvent): number {
    const layout = this.layout;
    if (!layout || !this.svg) return -1;
    const box = this.svg.getBoundingClientRect();
    const [px, py] = [e.clientX - box.left, e.clientY - box.top];
    const { plot } = layout;
    if (px < plot.left || px > plot.left + plot.width || py < plot.top || py > plot.top + plot.height) return -1;
    return layout.indexAt(px);
  }

  private onPointerMove = (e: PointerEvent): void => {
    const index = this.indexAtPointer(e);
    if (index < 0) {
      if (this.focusIndex !== null) this.clearFocus();
      return;
    }
    if (index !== this.focusIndex || !this.tooltip.visible) this.show(index, false);
  };

  private onPointerLeave = (): void => {
    if (this.renderRoot.querySelector('.plot') !== (this.renderRoot as ShadowRoot).activeElement) this.clearFocus();
  };

  private onClick = (e: MouseEvent): void => {
    const index = this.indexAtPointer(e);
    if (index >= 0) this.activate(index);
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'usage-forecast': UsageForecastChart;
  }
}
